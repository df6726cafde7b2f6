"""The Gradio web app: chat with streamed replies, a sources panel, feedback, download, and an API.

A thin layer: every answer comes from `rag.pipeline.Bot.ask`; this module only arranges and escapes.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import dataclass, field
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Generic, TypeVar

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # no calls home from an offline app

import gradio as gr  # noqa: E402

from rag.feedback import FeedbackLog  # noqa: E402
from rag.pipeline import ANSWER_MODES, GENERATOR_STEPS, OPEN_STEPS, Bot  # noqa: E402
from rag.progress import Progress, Report  # noqa: E402
from rag.query import MAX_QUESTION_CHARS, QuestionError  # noqa: E402
from rag.types import Document, FinalEvent, TextEvent, answer_record, citation_record  # noqa: E402
from ui.api import ApiAuth, AnswerPool, InvalidRequest, api_routes, check_ask  # noqa: E402
from ui.conversation import PENDING, Conversation, Exchange  # noqa: E402
from ui.render import (  # noqa: E402
    NO_SOURCES, chat_message, chat_messages, conversation_markdown, download_title, escape_html, friendly_refusal, header_markdown, sources_html,
)

log = logging.getLogger("ui")
T = TypeVar("T")

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
    "transcript; on a 2-core laptop the first use converts the model (~21 s) and each reply then takes ~4 s, and "
    "most replies fall back to his quoted words (2 of 3 when measured). Start the app with `rag --generator DIR serve` for a stronger local model."
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
.source.selected { outline: 3px solid #f0b400; }
#chat .cite { color: var(--link-text-color); cursor: pointer; text-decoration: underline dotted; }
.source.role-question { border-left: 4px solid #8a6df0; }
.source.role-narration { border-left: 4px solid #999; }
.source.role-answer { border-left: 4px solid #2f8f5b; }
"""
STOPPED_MARK = "(stopped)"
STOPPED_SOURCES = '<div class="sources-empty">The reply was stopped: it cites nothing.</div>'
# Run once the page loads.
# - Clicking a citation [n] in any answer asks the server for that answer's sources, card n marked, through
#   a hidden button whose event reads window.ragCitation (a hidden textbox's input event never fired when
#   set from a script). Capture phase, so that the chat's own click (the answer's sources unmarked) does not
#   also fire.
# - The question box gets the focus on a wide screen only: on a phone, focusing it scrolls the page past
#   the title and opens the keyboard before the user has read anything.
PAGE_JS = """
() => {
  const focusQuestion = (tries) => {
    const box = document.querySelector("#question textarea");
    if (box) box.focus({ preventScroll: true });
    else if (tries > 0) setTimeout(() => focusQuestion(tries - 1), 100);
  };
  if (window.matchMedia("(min-width: 700px)").matches) focusQuestion(50);
  document.addEventListener("click", (event) => {
    const cite = event.target.closest ? event.target.closest("#chat .cite") : null;
    if (!cite) return;
    event.stopPropagation();
    event.preventDefault();
    const answers = [...document.querySelectorAll('#chat [data-testid="bot"]')];
    const answer = answers.indexOf(cite.closest('[data-testid="bot"]'));
    const button = document.querySelector("#show-citation");
    if (answer < 0 || !button) return;
    window.ragCitation = `${answer}:${cite.textContent.replace(/\D/g, "")}`;
    button.click();
  }, true);
}
"""
SHOW_SELECTED_JS = "() => { document.querySelector('#sources .source.selected')?.scrollIntoView({ block: 'nearest', behavior: 'smooth' }); }"
GENERATING = "Generating… each sentence is shown once it is checked against the transcript."
ERROR_REPLY = "Something went wrong while answering (the error is in the server log). Please try again."


class Lazy(Generic[T]):
    """A value made once per process, on first use or early in a background thread, and shared by every
    user (the bot; the generator). While it is being made, `progress` says what it is doing."""

    def __init__(self, make: Callable[[Report], T], steps: int) -> None:
        self._make = make
        self._steps = steps
        self._value: T | None = None
        self._lock = threading.Lock()  # only the first use waits here, never an answer
        self._start_lock = threading.Lock()
        self._making = False
        self._maker: threading.Thread | None = None
        self.progress = Progress(steps)

    @property
    def ready(self) -> bool:
        return self._value is not None

    @property
    def _being_made(self) -> bool:
        return self._making or (self._maker is not None and self._maker.is_alive())

    def get(self) -> T:
        if self._value is None:
            with self._lock:
                if self._value is None:
                    self.progress = Progress(self._steps)
                    self._making = True
                    try:
                        self._value = self._make(self.progress.report)
                    finally:
                        self._making = False
        return self._value

    def start(self) -> None:
        """Begin making it in a background thread, unless it is ready or being made."""
        with self._start_lock:
            if self._value is not None or self._being_made:
                return

            def make() -> None:
                try:
                    self.get()
                except Exception:  # the next use raises it again, and its user gets a message
                    log.exception("preparing %s failed", self._make)

            self._maker = threading.Thread(target=make, name="prepare", daemon=True)
            self._maker.start()

    def wait(self, seconds: float) -> bool:
        """After waiting up to `seconds`: whether it is ready or nothing is making it (then `get` makes it,
        or raises why it could not)."""
        maker = self._maker
        if maker is not None and maker.is_alive():
            maker.join(seconds)
        elif self._making:  # being made by a caller of `get`, not by `start`
            time.sleep(seconds)
        return self._value is not None or not self._being_made


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


@dataclass
class StopSignal:
    """Set by Stop (the reply ends marked as stopped) or by New chat (it ends without a word more)."""

    event: threading.Event = field(default_factory=threading.Event)
    discard: bool = False


def _waiting(lazy: Lazy[Any], what: str, stop: threading.Event) -> Iterator[str]:
    """Status lines, about twice a second, while `lazy` is being made (none once it is ready or if
    `stop` is set)."""
    if lazy.ready:
        return
    lazy.start()
    while not lazy.wait(0.5) and not stop.is_set():
        yield f"{what}: {lazy.progress.stage().line()}"


def build_app(docs: Sequence[Document], bot: Lazy[Bot], data_dir: Path) -> gr.Blocks:
    feedback = FeedbackLog(data_dir / "feedback.jsonl")
    conversations = data_dir / "conversations"
    get_bot = bot.get
    generator: Lazy[Any] = Lazy(lambda report: get_bot().prepare_generator(report), GENERATOR_STEPS)
    # The reply being produced in each browser tab (Gradio's session), for its Stop button and for New chat.
    stops: dict[str, StopSignal] = {}

    # The question box, Ask and Stop while a reply is produced and after. Fresh dicts each time: Gradio
    # consumes the update dicts it is given.
    def controls(answering: bool) -> tuple[Any, Any, Any]:
        return gr.update(value="", interactive=not answering), gr.update(interactive=not answering), gr.update(interactive=answering)

    def sources_of(exchange: Exchange | None, selected: int | None = None) -> str:
        if exchange is None or exchange.answer is None:
            return NO_SOURCES
        current = get_bot()
        raw_by_source = {d.source: d.raw for d in current.docs}  # the bot's own corpus, whatever was added since
        return sources_html(exchange.answer, raw_by_source.__getitem__, current.passage, selected)

    def saved(conversation: Conversation) -> Any:
        # Nothing to keep until something was answered (a refused empty question is no conversation).
        if not any(e.answer is not None for e in conversation.exchanges):
            return gr.update(value=None, interactive=False)
        return gr.update(value=_save_conversation(conversations, conversation, docs), interactive=True)

    def respond(message: str, conversation: Conversation | None, k: float, mode: str, request: gr.Request):
        conversation = conversation or Conversation.new()
        # Cut before anything else reads it, one character over the limit so that the reply still says
        # it was cut; the feedback log and the download keep the question as cut.
        message = (message or "")[: MAX_QUESTION_CHARS + 1]
        history = conversation.history()
        conversation, exchange_id = conversation.ask(message)
        mode = mode if mode in MODES else MODES[0]
        tab = request.session_hash if request is not None and request.session_hash else conversation.session
        signal = stops[tab] = StopSignal()
        stop = signal.event

        def showing(shown: str, answering: bool = True, sources: Any = None) -> tuple[Any, ...]:
            nonlocal conversation
            conversation = conversation.update(exchange_id, shown=shown)
            return (
                chat_messages(conversation), gr.skip() if sources is None else sources, conversation,
                gr.skip() if answering else saved(conversation), *controls(answering),
            )

        def stopped(partial: str) -> Iterator[tuple[Any, ...]]:
            """The partial reply marked as stopped; nothing when New chat stopped it (that chat is gone)."""
            if not signal.discard:
                log.info("reply stopped by the user")
                yield showing(f"{partial} {STOPPED_MARK}".strip(), answering=False, sources=STOPPED_SOURCES)

        try:
            # The question shows at once, the box is cleared and locked, Stop is offered.
            yield showing(GENERATING if mode == "generative" else PENDING)
            for line in _waiting(bot, "Preparing the bot (first start only)", stop):
                yield showing(escape_html(line))
            if mode == "generative":
                for line in _waiting(generator, "Preparing the generative model (first use only)", stop):
                    yield showing(escape_html(line))
            if stop.is_set():
                yield from stopped("")
                return
            answer, partial = None, ""
            for event in get_bot().stream(message, history, int(k), mode, stop=stop):
                if isinstance(event, FinalEvent):
                    answer = event.answer
                elif isinstance(event, TextEvent):  # a generated reply, one checked sentence more
                    partial = escape_html(event.text)
                    yield showing(partial + " …")
            assert answer is not None
            if stop.is_set():
                yield from stopped(partial)
                return
            text = chat_message(answer)
            if answer.mode_used != "generative":  # a reply that was ready at once appears as it is read
                for partial in _stream(chat_message(answer, clickable=False)):
                    if stop.is_set():
                        yield from stopped(partial)
                        return
                    yield showing(partial)
                    time.sleep(STREAM_PAUSE_S)
            conversation = conversation.update(exchange_id, answer=answer)
            yield showing(text, answering=False, sources=sources_of(conversation.find(exchange_id)))
        except QuestionError as exc:
            log.info("question refused: %s", exc)
            # The latest reply cites nothing: the previous answer's sources would read as this one's.
            yield showing(escape_html(friendly_refusal(str(exc))), answering=False, sources=NO_SOURCES)
        except Exception:
            log.exception("answering %r failed", message)
            yield showing(ERROR_REPLY, answering=False, sources=NO_SOURCES)
        finally:
            if stops.get(tab) is signal:
                del stops[tab]

    def halt(request: gr.Request | None, discard: bool) -> None:
        signal = stops.get(request.session_hash) if request is not None else None
        if signal is not None:
            signal.discard = discard
            signal.event.set()

    def on_stop(request: gr.Request) -> None:
        halt(request, discard=False)

    def on_clear(request: gr.Request):
        halt(request, discard=True)  # a reply still being produced belongs to the chat being cleared
        return [], NO_SOURCES, Conversation.new(), gr.update(value=None, interactive=False), *controls(False)

    def on_select(conversation: Conversation | None, data: gr.SelectData) -> str:
        index = data.index[0] if isinstance(data.index, (list, tuple)) else data.index
        return sources_of((conversation or Conversation.new()).at_message(int(index)))

    def on_citation(target: str, conversation: Conversation | None) -> str:
        """A click on [n] in an answer (see PAGE_JS): that answer's sources, with card n marked."""
        try:
            answer_index, n = target.split(":")
            exchange = (conversation or Conversation.new()).exchanges[int(answer_index)]
        except (ValueError, IndexError):
            return gr.skip()
        return sources_of(exchange, selected=int(n))

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
        try:
            checked = check_ask(question, history, k, mode)
            return answer_record(get_bot().ask(checked.question, checked.history, k=checked.k, mode=checked.mode))
        except (InvalidRequest, QuestionError) as exc:
            raise _refused(f"{exc}") from None

    with gr.Blocks(title="Tokayev CCTV interview bot") as app:
        gr.Markdown(header_markdown(docs), elem_id="header")
        conversation = gr.State(None)
        with gr.Row():
            with gr.Column(scale=3):
                chatbot = gr.Chatbot(
                    label="Chat", height=480, elem_id="chat", allow_tags=False, render_markdown=False,
                    # No "share": it posts to Hugging Face Spaces, which an offline app has no business offering.
                    buttons=["copy", "copy_all"],
                    placeholder="Ask what was said in the interview, or pick an example below. Click an answer to see its sources.",
                )
                question = gr.Textbox(
                    placeholder="Ask about the interview…", show_label=False, elem_id="question", autofocus=False,  # PAGE_JS focuses it on wide screens
                    info=f"Questions longer than {MAX_QUESTION_CHARS} characters are cut there (the reply says so).",
                )
                with gr.Row():
                    send = gr.Button("Ask", variant="primary", elem_id="send")
                    stop_button = gr.Button("Stop", variant="stop", elem_id="stop", interactive=False)
                    new_chat = gr.Button("New chat", elem_id="new-chat")
                    download = gr.DownloadButton("Download chat", value=None, elem_id="download", interactive=False)
            with gr.Column(scale=2):
                gr.Markdown("**Sources** of the latest answer, or of the answer (or the [n]) you click")
                sources = gr.HTML(NO_SOURCES, elem_id="sources")
                # Clicked by the page's script when a citation [n] is clicked (see PAGE_JS).
                citation = gr.Textbox(visible="hidden")
                show_citation = gr.Button(visible="hidden", elem_id="show-citation")
        # Below both columns: on a phone the sources come right after the chat, before these.
        gr.Markdown("**Examples**")
        with gr.Row():
            example_buttons = [gr.Button(text, size="sm", elem_classes=["example"]) for text in EXAMPLES]
        with gr.Accordion("Settings", open=False):
            k = gr.Slider(1, 10, value=5, step=1, label="Passages to retrieve")
            mode = gr.Radio(list(MODES), value=MODES[0], label="Answer mode", info=MODE_INFO)

        inputs = [question, conversation, k, mode]
        outputs = [chatbot, sources, conversation, download, question, send, stop_button]
        # One listener for Enter and the button: while a reply is produced a second submit is not taken.
        gr.on([question.submit, send.click], respond, inputs, outputs, api_visibility="private", trigger_mode="once")
        for button, text in zip(example_buttons, EXAMPLES):
            button.click(lambda t=text: t, None, question, api_visibility="private").then(respond, inputs, outputs, api_visibility="private")
        # Outside the queue, so the reset is done before a question asked right after it is answered: queued,
        # it could run after that answer (on a busy server) and cancel or wipe it. A reply still being
        # produced stops itself (`halt`), as for Stop.
        for reset in (chatbot.clear, new_chat.click):
            reset(on_clear, None, outputs, api_visibility="private", queue=False)
        # Not Gradio's `cancels`: cancelling a generator mid-reply left its event pending in the page. The
        # reply stops itself instead, at its next step (the model within a token), marked as stopped.
        stop_button.click(on_stop, None, None, api_visibility="private", queue=False)
        chatbot.select(on_select, [conversation], [sources], api_visibility="private")
        show_citation.click(
            on_citation, [citation, conversation], [sources], api_visibility="private", js="(target, conversation) => [window.ragCitation || '', conversation]"
        ).then(None, None, None, js=SHOW_SELECTED_JS)
        chatbot.like(on_feedback, [conversation], None, api_visibility="private")
        gr.api(ask, api_name=API_NAME)
    return app


def _save_conversation(folder: Path, conversation: Conversation, docs: Sequence[Document]) -> str:
    """The conversation as shown, as Markdown, written atomically under its session's random name."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"conversation-{conversation.session}.md"
    tmp = path.with_suffix(".tmp")
    tmp.write_text(conversation_markdown(conversation.exchanges, download_title(docs)), encoding="utf-8")
    os.replace(tmp, path)
    return str(path)


def create_server(
    blocks: gr.Blocks, data_dir: Path, host: str, port: int, auth: tuple[str, str] | None = None, routes: Sequence[Any] = ()
) -> Any:
    """The ASGI app `rag serve` runs: the API `routes` (ui/api.py), then Gradio mounted at the root, all
    behind the guards of ui/guard.py (body limit and refused uploads outermost, so an oversize body is
    refused before anything reads it)."""
    from fastapi import FastAPI

    from ui.guard import BodyLimit, LoginThrottle

    server = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
    server.router.routes.extend(routes)  # before Gradio's mount at "/", which would take every path
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
        js=PAGE_JS,
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

    def open_for_the_web(report: Report) -> Bot:
        # serving: the answer pool below runs one answer per core, each encode on one thread
        opened = open_bot(index_dir, corpus=corpus, progress=False, generator_dir=generator_dir, report=report, serving=True)
        report(OPEN_STEPS, "preparing questions in Russian, Kazakh and Chinese")
        if opened.engine is not None:
            opened.engine.warm_up(multilingual=True)
        return opened

    bot = Lazy(open_for_the_web, OPEN_STEPS)
    bot.start()  # while the page is already up; a first question shows this progress
    (data_dir / "conversations").mkdir(parents=True, exist_ok=True)
    api = api_routes(
        bot.get, lambda: bot.ready, lambda: bot.progress.stage().line(), ApiAuth(auth, os.environ.get("RAG_API_TOKEN")), AnswerPool()
    )
    server = create_server(build_app(docs, bot, data_dir), data_dir, host, port, auth, api)
    shown = f"[{host}]" if ":" in host else host
    print(f"rag: serving on http://{shown}:{port}/ (Ctrl+C stops)", flush=True)
    runner = uvicorn.Server(uvicorn.Config(server, host=host, port=port, log_level="warning", timeout_graceful_shutdown=2))
    # Open event streams (a browser tab, a gradio_client's heartbeat) never end by themselves: on stop they
    # are cancelled after 2 s, which uvicorn reports as a fault with a traceback. It is not one.
    logging.getLogger("uvicorn.error").addFilter(lambda record: not runner.should_exit)
    runner.run()
