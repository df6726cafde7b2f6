"""The Gradio web app: chat with streamed replies, a sources panel, feedback, download, and an API.

A thin layer: every answer comes from `rag.pipeline.Bot.ask`; this module only arranges and escapes.
"""

from __future__ import annotations

import logging
import os
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # no calls home from an offline app

import gradio as gr  # noqa: E402

from rag.feedback import FeedbackLog  # noqa: E402
from rag.pipeline import ANSWER_MODES, Bot  # noqa: E402
from rag.query import MAX_QUESTION_CHARS, QuestionError  # noqa: E402
from rag.types import Document, FinalEvent, TextEvent, answer_record, citation_record  # noqa: E402
from ui.conversation import Conversation, Exchange  # noqa: E402
from ui.render import (  # noqa: E402
    NO_SOURCES, chat_message, chat_messages, conversation_markdown, escape_html, friendly_refusal, header_markdown, sources_html,
)

log = logging.getLogger("ui")

API_NAME = "ask"
EXAMPLES = (
    "What did Tokayev say about Taiwan?",
    "When did the Shanghai Cooperation Organization start?",
    "What does he expect from the China – Central Asia Summit in Xi'an?",
    "How does he want to advance economic ties with China?",
    "What did he say about young people?",
)
MODES = ANSWER_MODES
MODE_INFO = (
    "extractive: his words verbatim, with citations, in milliseconds. generative (experimental): a reply reworded "
    "by the bundled 135M-parameter model, each sentence shown only once it passes the check against the "
    "transcript; on a 2-core laptop the first use converts the model (~76 s) and each reply then takes ~15 s, and "
    "most replies fall back to his quoted words. Start the app with `rag --generator DIR serve` for a stronger local model."
)
STREAM_STEPS = 12
STREAM_PAUSE_S = 0.012
CSS = """
.source { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 8px 10px; margin-bottom: 8px; }
.source .who { font-size: 0.95em; }
.source .score, .source .where { font-size: 0.75em; opacity: 0.7; }
.source .asked { font-size: 0.85em; font-style: italic; margin: 4px 0; }
.source .passage { line-height: 1.5; }
.source mark { background: #ffe58a; color: inherit; padding: 0 1px; }
.source.role-question { border-left: 4px solid #8a6df0; }
.source.role-narration { border-left: 4px solid #999; }
.source.role-answer { border-left: 4px solid #2f8f5b; }
"""
GENERATING = "Generating… each sentence is shown once it is checked against the transcript."
ERROR_REPLY = "Something went wrong while answering (the error is in the server log). Please try again."


class LazyBot:
    """Opens the bot on first use, once per process, shared by every user; `warm_up` starts that early."""

    def __init__(self, open_bot: Callable[[], Bot]) -> None:
        self._open = open_bot
        self._bot: Bot | None = None
        self._lock = threading.Lock()  # only the first load waits here, never an answer

    def get(self) -> Bot:
        if self._bot is None:
            with self._lock:
                if self._bot is None:
                    self._bot = self._open()
        return self._bot

    def warm_up(self) -> None:
        def load() -> None:
            try:
                bot = self.get()
                if bot.engine is not None:
                    bot.engine.warm_up(multilingual=True)
            except Exception:  # the first question will raise it again, and the user gets a message
                log.exception("loading the model failed")

        threading.Thread(target=load, name="warm-up", daemon=True).start()


def _refused(message: str) -> gr.Error:
    """An expected user error: one log line (never a traceback) and the message for the caller."""
    log.info("question refused: %s", message[:300])
    return gr.Error(message, print_exception=False)


def _stream(text: str) -> Iterator[str]:
    """The reply in growing prefixes cut at spaces: an extractive reply is ready at once, but a reply
    that appears as it is read is easier to follow."""
    words = text.split(" ")
    step = max(1, len(words) // STREAM_STEPS)
    for end in range(step, len(words), step):
        yield " ".join(words[:end])
    yield text


def build_app(docs: Sequence[Document], get_bot: Callable[[], Bot], data_dir: Path) -> gr.Blocks:
    doc = docs[0]
    feedback = FeedbackLog(data_dir / "feedback.jsonl")
    conversations = data_dir / "conversations"
    # The question box and Ask while a reply is produced and after. Fresh dicts each time: Gradio
    # consumes the update dicts it is given.
    def controls(answering: bool) -> tuple[Any, Any]:
        return gr.update(value="", interactive=not answering), gr.update(interactive=not answering)

    def sources_of(exchange: Exchange | None) -> str:
        if exchange is None or exchange.answer is None:
            return NO_SOURCES
        bot = get_bot()
        raw_by_source = {d.source: d.raw for d in bot.docs}  # the bot's own corpus, whatever was added since
        return sources_html(exchange.answer, raw_by_source.__getitem__, bot.passage)

    def saved(conversation: Conversation) -> Any:
        if not conversation.exchanges:
            return gr.update(value=None, interactive=False)
        return gr.update(value=_save_conversation(conversations, conversation, doc), interactive=True)

    def respond(message: str, conversation: Conversation | None, k: float, mode: str):
        conversation = conversation or Conversation.new()
        # Cut before anything else reads it, one character over the limit so that the reply still says
        # it was cut; the feedback log and the download keep the question as cut.
        message = (message or "")[: MAX_QUESTION_CHARS + 1]
        history = conversation.history()
        conversation, exchange_id = conversation.ask(message)
        mode = mode if mode in MODES else MODES[0]
        # The question shows at once, the box is cleared and locked.
        if mode == "generative":
            conversation = conversation.update(exchange_id, shown=GENERATING)
        yield chat_messages(conversation), gr.skip(), conversation, gr.skip(), *controls(True)
        answer = None
        try:
            for event in get_bot().stream(message, history, int(k), mode):
                if isinstance(event, FinalEvent):
                    answer = event.answer
                elif isinstance(event, TextEvent):  # a generated reply, one checked sentence more
                    conversation = conversation.update(exchange_id, shown=escape_html(event.text) + " …")
                    yield chat_messages(conversation), gr.skip(), conversation, gr.skip(), *controls(True)
        except QuestionError as exc:
            log.info("question refused: %s", exc)
            conversation = conversation.update(exchange_id, shown=escape_html(friendly_refusal(str(exc))))
            yield chat_messages(conversation), gr.skip(), conversation, saved(conversation), *controls(False)
            return
        except Exception:
            log.exception("answering %r failed", message)
            conversation = conversation.update(exchange_id, shown=ERROR_REPLY)
            yield chat_messages(conversation), gr.skip(), conversation, saved(conversation), *controls(False)
            return
        assert answer is not None
        text = chat_message(answer)
        if answer.mode_used != "generative":  # a reply that was ready at once appears as it is read
            for partial in _stream(text):
                conversation = conversation.update(exchange_id, shown=partial)
                yield chat_messages(conversation), gr.skip(), conversation, gr.skip(), *controls(True)
                time.sleep(STREAM_PAUSE_S)
        conversation = conversation.update(exchange_id, shown=text, answer=answer)
        yield chat_messages(conversation), sources_of(conversation.find(exchange_id)), conversation, saved(conversation), *controls(False)

    def on_clear():
        return [], NO_SOURCES, Conversation.new(), gr.update(value=None, interactive=False), *controls(False)

    def on_select(conversation: Conversation | None, data: gr.SelectData) -> str:
        index = data.index[0] if isinstance(data.index, (list, tuple)) else data.index
        return sources_of((conversation or Conversation.new()).at_message(int(index)))

    def on_feedback(conversation: Conversation | None, data: gr.LikeData) -> None:
        index = data.index[0] if isinstance(data.index, (list, tuple)) else data.index
        exchange = (conversation or Conversation.new()).at_message(int(index))
        if conversation is None or exchange is None or exchange.answer is None:  # not an answer: nothing to rate
            return
        rating = "up" if data.liked is True else "down" if data.liked is False else "cleared"
        feedback.append(
            {
                "time": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                "rating": rating,
                "session": conversation.session,
                "turn": exchange.id,
                "question": exchange.question,
                "answer": exchange.answer.answer,
                "abstained": exchange.answer.abstained,
                "citations": [citation_record(c) for c in exchange.answer.citations],
                "resolved_query": exchange.answer.resolved_query,
                "mode_used": exchange.answer.mode_used,
            }
        )

    def ask(question: str, history: list[str] | None = None, k: int = 5, mode: str = "extractive") -> dict[str, Any]:
        """Answer one question about the interview; `history` holds the chat's earlier questions, oldest
        first; `mode` is extractive or generative. Returns the JSON record of `rag ask --json`."""
        if not isinstance(question, str):
            raise _refused(f"question must be text, got {type(question).__name__}")
        if isinstance(k, bool) or not isinstance(k, (int, float)) or k != k or k in (float("inf"), float("-inf")) or int(k) != k or not 1 <= k <= 50:
            raise _refused(f"k must be a whole number from 1 to 50, got {k!r}")
        if mode not in MODES:
            raise _refused(f"mode must be one of {', '.join(MODES)}, got {mode!r}")
        if history is not None and not isinstance(history, list):
            raise _refused(f"history must be a list of earlier questions, got {type(history).__name__}")
        # Cut before any per-character work: the answer reads only the first MAX_QUESTION_CHARS anyway.
        question = question[: MAX_QUESTION_CHARS + 1]
        try:
            return answer_record(get_bot().ask(question, history or [], k=int(k), mode=mode))
        except QuestionError as exc:
            raise _refused(f"{exc}") from None

    with gr.Blocks(title="Tokayev CCTV interview bot") as app:
        gr.Markdown(header_markdown(doc), elem_id="header")
        conversation = gr.State(None)
        with gr.Row():
            with gr.Column(scale=3):
                chatbot = gr.Chatbot(
                    label="Chat", height=480, elem_id="chat", allow_tags=False, render_markdown=False,
                    placeholder="Ask what Tokayev said, or pick an example below. Click an answer to see its sources.",
                )
                question = gr.Textbox(
                    placeholder="Ask about the interview…", show_label=False, elem_id="question", autofocus=True,
                    info=f"Questions longer than {MAX_QUESTION_CHARS} characters are cut there (the reply says so).",
                )
                with gr.Row():
                    send = gr.Button("Ask", variant="primary", elem_id="send")
                    new_chat = gr.Button("New chat", elem_id="new-chat")
                    download = gr.DownloadButton("Download conversation (Markdown)", value=None, elem_id="download", interactive=False)
            with gr.Column(scale=2):
                gr.Markdown("**Sources** of the latest answer (click an answer to see its own)")
                sources = gr.HTML(NO_SOURCES, elem_id="sources")
        # Below both columns: on a phone the sources come right after the chat, before these.
        gr.Markdown("**Examples**")
        with gr.Row():
            example_buttons = [gr.Button(text, size="sm", elem_classes=["example"]) for text in EXAMPLES]
        with gr.Accordion("Settings", open=False):
            k = gr.Slider(1, 10, value=5, step=1, label="Passages to retrieve")
            mode = gr.Radio(list(MODES), value=MODES[0], label="Answer mode", info=MODE_INFO)

        inputs = [question, conversation, k, mode]
        outputs = [chatbot, sources, conversation, download, question, send]
        # One listener for Enter and the button: while a reply is produced a second submit is not taken.
        answering = gr.on([question.submit, send.click], respond, inputs, outputs, api_visibility="private", trigger_mode="once")
        examples = [
            button.click(lambda t=text: t, None, question, api_visibility="private").then(respond, inputs, outputs, api_visibility="private")
            for button, text in zip(example_buttons, EXAMPLES)
        ]
        running = [answering, *examples]
        for reset in (chatbot.clear, new_chat.click):
            reset(on_clear, None, [chatbot, sources, conversation, download, question, send], cancels=running, api_visibility="private")
        chatbot.select(on_select, [conversation], [sources], api_visibility="private")
        chatbot.like(on_feedback, [conversation], None, api_visibility="private")
        gr.api(ask, api_name=API_NAME)
    return app


def _save_conversation(folder: Path, conversation: Conversation, doc: Document) -> str:
    """The conversation as shown, as Markdown, written atomically under its session's random name."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"conversation-{conversation.session}.md"
    tmp = path.with_suffix(".tmp")
    tmp.write_text(conversation_markdown(conversation.exchanges, f"Conversation about {doc.title}"), encoding="utf-8")
    os.replace(tmp, path)
    return str(path)


def create_server(
    blocks: gr.Blocks, data_dir: Path, host: str, port: int, auth: tuple[str, str] | None = None
) -> Any:
    """The ASGI app `rag serve` runs: Gradio mounted inside FastAPI, behind the guards of ui/guard.py
    (body limit and refused uploads outermost, so an oversize body is refused before anything reads it)."""
    from fastapi import FastAPI

    from ui.guard import BodyLimit, LoginThrottle

    server = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
    server.add_middleware(LoginThrottle, base_s=float(os.environ.get("RAG_LOGIN_DELAY_S", 0.5)))
    server.add_middleware(BodyLimit)  # added last: the outermost
    return gr.mount_gradio_app(
        server,
        blocks.queue(default_concurrency_limit=4),
        path="",
        server_name=host,
        server_port=port,
        auth=auth,
        # Only the exported conversations (named by a random session id) are served, never the feedback log.
        allowed_paths=[str((data_dir / "conversations").resolve())],
        blocked_paths=[str((data_dir / "feedback.jsonl").resolve())],
        css=CSS,
        theme=gr.themes.Default(font=["system-ui", "sans-serif"], font_mono=["ui-monospace", "monospace"]),
        footer_links=["api"],
    )


def serve(
    host: str,
    port: int,
    data_dir: Path,
    index_dir: Path | None,
    corpus: Sequence[Path],
    auth: tuple[str, str] | None = None,
    generator_dir: Path | None = None,
) -> None:
    import uvicorn

    from rag.pipeline import load_corpus, open_bot

    # One line per event: expected user errors (a refused question, body or login) at INFO, real faults
    # with their traceback at ERROR.
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    for name in ("ui", "rag"):
        logging.getLogger(name).setLevel(logging.INFO)
        logging.getLogger(name).addHandler(handler)
    docs = load_corpus(corpus)
    bot = LazyBot(lambda: open_bot(index_dir, corpus=corpus, progress=False, generator_dir=generator_dir))
    bot.warm_up()
    (data_dir / "conversations").mkdir(parents=True, exist_ok=True)
    server = create_server(build_app(docs, bot.get, data_dir), data_dir, host, port, auth)
    shown = f"[{host}]" if ":" in host else host
    print(f"rag: serving on http://{shown}:{port}/ (Ctrl+C stops)", flush=True)
    runner = uvicorn.Server(uvicorn.Config(server, host=host, port=port, log_level="warning", timeout_graceful_shutdown=2))
    # Open event streams (a browser tab, a gradio_client's heartbeat) never end by themselves: on stop they
    # are cancelled after 2 s, which uvicorn reports as a fault with a traceback. It is not one.
    logging.getLogger("uvicorn.error").addFilter(lambda record: not runner.should_exit)
    runner.run()
