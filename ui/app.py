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
from rag.types import ChatTurn, Document, FinalEvent, TextEvent, answer_record, citation_record  # noqa: E402
from ui.render import chat_message, conversation_markdown, escape_html, header_markdown, sources_html  # noqa: E402

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
    "extractive: his words verbatim, with citations, in milliseconds. generative: a reworded reply from a small "
    "local model (several seconds); only sentences the transcript supports are shown, else his words are quoted."
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

    def respond(message: str, chat: list[dict], turns: list[ChatTurn | None], session: str, k: float, mode: str):
        session = session or uuid.uuid4().hex
        # Cut before anything else reads it, one character over the limit so that the reply still says
        # it was cut; the feedback log and the download keep the question as cut.
        message = (message or "")[: MAX_QUESTION_CHARS + 1]
        chat = [*chat, {"role": "user", "content": escape_html(message)}]
        history = [t.question for t in turns if t is not None]
        mode = mode if mode in MODES else MODES[0]
        answer = None
        if mode == "generative":
            yield [*chat, {"role": "assistant", "content": GENERATING}], gr.skip(), turns, session, gr.skip()
        try:
            for event in get_bot().stream(message or "", history, int(k), mode):
                if isinstance(event, FinalEvent):
                    answer = event.answer
                elif isinstance(event, TextEvent):  # a generated reply, one checked sentence more
                    yield [*chat, {"role": "assistant", "content": escape_html(event.text) + " …"}], gr.skip(), turns, session, gr.skip()
        except QuestionError as exc:
            log.info("question refused: %s", exc)
            yield [*chat, {"role": "assistant", "content": escape_html(str(exc))}], gr.skip(), [*turns, None], session, gr.skip()
            return
        except Exception:
            log.exception("answering %r failed", message)
            yield [*chat, {"role": "assistant", "content": ERROR_REPLY}], gr.skip(), [*turns, None], session, gr.skip()
            return
        assert answer is not None
        if answer.mode_used != "generative":  # a reply that was ready at once appears as it is read
            for partial in _stream(chat_message(answer)):
                yield [*chat, {"role": "assistant", "content": partial}], gr.skip(), turns, session, gr.skip()
                time.sleep(STREAM_PAUSE_S)
        turns = [*turns, ChatTurn(message, answer)]
        bot = get_bot()
        raw_by_source = {d.source: d.raw for d in bot.docs}  # the bot's own corpus, whatever was added since
        sources = sources_html(answer, raw_by_source.__getitem__, bot.passage)
        yield (
            [*chat, {"role": "assistant", "content": chat_message(answer)}],
            sources,
            turns,
            session,
            _save_conversation(conversations, session, turns, doc),
        )

    def on_feedback(turns: list[ChatTurn | None], data: gr.LikeData) -> None:
        index = data.index[0] if isinstance(data.index, (list, tuple)) else data.index
        turn = turns[index // 2] if 0 <= index // 2 < len(turns) else None
        if turn is None:  # a message that was not an answer (an error, an empty question)
            return
        rating = "up" if data.liked is True else "down" if data.liked is False else "cleared"
        feedback.append(
            {
                "time": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                "rating": rating,
                "question": turn.question,
                "answer": turn.answer.answer,
                "abstained": turn.answer.abstained,
                "citations": [citation_record(c) for c in turn.answer.citations],
                "resolved_query": turn.answer.resolved_query,
                "mode_used": turn.answer.mode_used,
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
        with gr.Row():
            with gr.Column(scale=3):
                chatbot = gr.Chatbot(
                    label="Chat", height=480, elem_id="chat", allow_tags=False, render_markdown=False,
                    placeholder="Ask what Tokayev said, or pick an example below.",
                )
                question = gr.Textbox(
                    placeholder="Ask about the interview…", show_label=False, elem_id="question", autofocus=True,
                    info=f"Questions longer than {MAX_QUESTION_CHARS} characters are cut there (the reply says so).",
                )
                with gr.Row():
                    send = gr.Button("Ask", variant="primary", elem_id="send")
                    download = gr.DownloadButton("Download conversation (Markdown)", value=None, elem_id="download")
                gr.Markdown("**Examples**")
                with gr.Row():
                    example_buttons = [gr.Button(text, size="sm", elem_classes=["example"]) for text in EXAMPLES]
                with gr.Accordion("Settings", open=False):
                    k = gr.Slider(1, 10, value=5, step=1, label="Passages to retrieve")
                    mode = gr.Radio(list(MODES), value=MODES[0], label="Answer mode", info=MODE_INFO)
            with gr.Column(scale=2):
                gr.Markdown("**Sources of the latest answer**")
                sources = gr.HTML('<div class="sources-empty">Cited passages appear here.</div>', elem_id="sources")
        turns = gr.State([])
        session = gr.State("")

        inputs = [question, chatbot, turns, session, k, mode]
        outputs = [chatbot, sources, turns, session, download]
        for trigger in (question.submit, send.click):
            trigger(respond, inputs, outputs, api_visibility="private").then(lambda: "", None, question, api_visibility="private")
        for button, text in zip(example_buttons, EXAMPLES):
            button.click(lambda t=text: t, None, question, api_visibility="private").then(
                respond, inputs, outputs, api_visibility="private"
            ).then(lambda: "", None, question, api_visibility="private")
        chatbot.like(on_feedback, [turns], None, api_visibility="private")
        gr.api(ask, api_name=API_NAME)
    return app


def _save_conversation(folder: Path, session: str, turns: Sequence[ChatTurn | None], doc: Document) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"conversation-{session}.md"
    tmp = path.with_suffix(".tmp")
    tmp.write_text(conversation_markdown([t for t in turns if t is not None], f"Conversation about {doc.title}"), encoding="utf-8")
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
