"""The HTTP API served beside the web app by the same process: `POST /api/ask`, `GET /api/health`, and the
OpenAI chat-completions shape (`POST /v1/chat/completions`, `GET /v1/models`) for clients built on it.

A thin layer over `rag.pipeline.Bot`: it parses, checks and shapes. The routes do not pass through
Gradio's queue; answering (CPU-bound) runs in a bounded pool of worker threads, so the event loop never
blocks, and a request that finds the pool and its waiting line full is refused with 503 and Retry-After
instead of growing memory.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import hmac
import json
import logging
import os
import threading
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from rag.answer import MAX_K
from rag.pipeline import ANSWER_MODES, Bot
from rag.query import MAX_QUESTION_CHARS, QuestionError
from rag.types import Answer, FinalEvent, TextEvent, answer_record

log = logging.getLogger("ui.api")
T = TypeVar("T")

# The bot under the names OpenAI clients pick a model by: one per answer mode.
MODELS = {"tokayev-interview": "extractive", "tokayev-interview-generative": "generative"}
RETRY_AFTER_S = 1


class InvalidRequest(ValueError):
    """Bad input, with the HTTP status to answer it with (400, or 422 for a wrong type or value)."""

    def __init__(self, message: str, status: int = 422) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class AskRequest:
    question: str
    history: tuple[str, ...] = ()
    k: int = 5
    mode: str = "extractive"


def check_ask(question: Any, history: Any = None, k: Any = 5, mode: Any = "extractive") -> AskRequest:
    """One question's parameters, checked, with the messages of the web app's API and the CLI. The
    question is cut one character over the limit, so that the reply still says it was cut."""
    if not isinstance(question, str):
        raise InvalidRequest(f"question must be text, got {type(question).__name__}")
    if isinstance(k, bool) or not isinstance(k, (int, float)) or k != k or k in (float("inf"), float("-inf")) or int(k) != k or not 1 <= k <= MAX_K:
        raise InvalidRequest(f"k must be a whole number from 1 to {MAX_K}, got {k!r}")
    if mode not in ANSWER_MODES:
        raise InvalidRequest(f"mode must be one of {', '.join(ANSWER_MODES)}, got {mode!r}")
    if history is not None and (not isinstance(history, list) or not all(isinstance(h, str) for h in history)):
        raise InvalidRequest(f"history must be a list of earlier questions (text), got {type(history).__name__}")
    cut = lambda text: text[: MAX_QUESTION_CHARS + 1]  # noqa: E731
    return AskRequest(cut(question), tuple(cut(h) for h in history or ()), int(k), mode)


def ask_request(body: Any) -> AskRequest:
    """`POST /api/ask`'s JSON body: {question, history?, k?, mode?}."""
    if not isinstance(body, dict):
        raise InvalidRequest(f"the body must be a JSON object with a question, got {type(body).__name__}", 400)
    unknown = sorted(set(body) - {"question", "history", "k", "mode"})
    if unknown:
        raise InvalidRequest(f"unknown field {unknown[0]!r}; the fields are question, history, k, mode")
    if "question" not in body:
        raise InvalidRequest("question is required")
    return check_ask(body["question"], body.get("history"), body.get("k", 5), body.get("mode", "extractive"))


def _message_text(message: Any) -> str:
    content = message.get("content")
    if isinstance(content, str):
        return content
    if isinstance(content, list):  # the parts form: [{"type": "text", "text": ...}, ...]
        return " ".join(part["text"] for part in content if isinstance(part, dict) and part.get("type") == "text" and isinstance(part.get("text"), str))
    raise InvalidRequest("a message's content must be text or a list of text parts", 400)


def chat_request(body: Any) -> tuple[AskRequest, str, bool]:
    """`POST /v1/chat/completions`' body: the last user message is the question, the earlier user messages
    its history (the assistant's replies are not needed: follow-ups lean on the questions). Returns the
    request, the model name and whether to stream."""
    if not isinstance(body, dict):
        raise InvalidRequest(f"the body must be a JSON object, got {type(body).__name__}", 400)
    model = body.get("model", next(iter(MODELS)))
    if model not in MODELS:
        raise InvalidRequest(f"model must be one of {', '.join(MODELS)}, got {model!r}", 404)
    messages = body.get("messages")
    if not isinstance(messages, list) or not all(isinstance(m, dict) for m in messages):
        raise InvalidRequest("messages must be a list of {role, content} objects", 400)
    questions = [_message_text(m) for m in messages if m.get("role") == "user"]
    if not questions:
        raise InvalidRequest("messages hold no user message to answer", 400)
    stream = body.get("stream", False)
    if not isinstance(stream, bool):
        raise InvalidRequest(f"stream must be true or false, got {stream!r}", 400)
    return check_ask(questions[-1], questions[:-1], body.get("k", 5), MODELS[model]), model, stream


def reply_with_sources(answer: Answer) -> str:
    """The reply as one text for chat clients: the answer with its [n] markers, then each source's
    speaker, place and quoted words (the full record travels beside it, in the `rag` field)."""
    if not answer.citations:
        return answer.answer
    lines = [answer.answer, "", "Sources:"]
    for c in answer.citations:
        # A narration's speaker already says so ("Narration (Kazinform)"); an interviewer's may be a bare name.
        who = f"{c.speaker} (interviewer)" if c.role == "question" else c.speaker
        lines.append(f"[{c.n}] {who}, {c.source} characters {c.start}-{c.end}: “{c.text}”")
    return "\n".join(lines)


class Overloaded(RuntimeError):
    pass


class AnswerPool:
    """`workers` threads answer; at most `max_waiting` more requests wait for one. Past that a request is
    refused at once (`Overloaded`): under overload the server answers what it can and refuses the rest,
    with a bounded memory, instead of letting a queue grow."""

    def __init__(self, workers: int | None = None, max_waiting: int = 32) -> None:
        self.workers = workers or os.cpu_count() or 1
        self.capacity = self.workers + max_waiting
        self._executor = ThreadPoolExecutor(self.workers, thread_name_prefix="answer")
        self._taken = 0
        self._lock = threading.Lock()

    def _take(self) -> None:
        with self._lock:
            if self._taken >= self.capacity:
                raise Overloaded(f"{self._taken} requests are being answered or waiting; try again shortly")
            self._taken += 1

    def _give_back(self) -> None:
        with self._lock:
            self._taken -= 1

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        self._take()
        try:
            return await asyncio.get_running_loop().run_in_executor(self._executor, fn, *args)
        finally:
            self._give_back()

    async def stream(self, events: Callable[[], Iterator[T]]) -> AsyncIterator[T]:
        """The items of `events()`, produced in a worker, as they come; the slot is held to the end.
        `Overloaded` is raised before the first item, when there is no room."""
        self._take()
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[tuple[str, Any]] = asyncio.Queue()
        stopped = threading.Event()

        def produce() -> None:
            try:
                for item in events():
                    loop.call_soon_threadsafe(queue.put_nowait, ("item", item))
                    if stopped.is_set():
                        break
                loop.call_soon_threadsafe(queue.put_nowait, ("end", None))
            except BaseException as exc:  # handed to the reader, who raises it
                loop.call_soon_threadsafe(queue.put_nowait, ("error", exc))
            finally:
                self._give_back()

        self._executor.submit(produce)
        try:
            while True:
                kind, value = await queue.get()
                if kind == "end":
                    return
                if kind == "error":
                    raise value
                yield value
        finally:
            stopped.set()  # a reader that left (the client went away) stops the producer at its next item


class ApiAuth:
    """Who may use the API: with `rag serve --auth USER:PASSWORD`, HTTP Basic with those; with
    RAG_API_TOKEN, `Authorization: Bearer <token>`; with neither, anyone who reaches the server (which
    listens on 127.0.0.1 unless told otherwise), as for the web page."""

    def __init__(self, basic: tuple[str, str] | None = None, token: str | None = None) -> None:
        self.basic = basic
        self.token = token or None

    @property
    def required(self) -> bool:
        return self.basic is not None or self.token is not None

    def allows(self, authorization: str | None) -> bool:
        if not self.required:
            return True
        scheme, _, value = (authorization or "").partition(" ")
        if scheme.lower() == "bearer" and self.token is not None:
            return hmac.compare_digest(value.strip().encode(), self.token.encode())
        if scheme.lower() == "basic" and self.basic is not None:
            try:
                user, _, password = base64.b64decode(value.strip(), validate=True).decode().partition(":")
            except (binascii.Error, UnicodeDecodeError):
                return False
            return hmac.compare_digest(user.encode(), self.basic[0].encode()) & hmac.compare_digest(password.encode(), self.basic[1].encode())
        return False


def _error(status: int, message: str, openai: bool = False, headers: dict[str, str] | None = None) -> JSONResponse:
    if openai:  # the error shape OpenAI clients parse
        kind = {401: "authentication_error", 404: "invalid_request_error", 503: "server_error"}.get(status, "invalid_request_error")
        body: dict[str, Any] = {"error": {"message": message, "type": kind, "param": None, "code": None}}
    else:
        body = {"detail": message}
    return JSONResponse(body, status_code=status, headers=headers)


def _unauthorized(request: Request, auth: ApiAuth, openai: bool) -> JSONResponse | None:
    if auth.allows(request.headers.get("authorization")):
        return None
    return _error(401, "authentication required: HTTP Basic with the --auth user, or Bearer RAG_API_TOKEN", openai, {"WWW-Authenticate": 'Basic realm="rag"'})


# What a request can be refused for once it is read: its input, or no room in the pool.
REFUSALS = (InvalidRequest, QuestionError, Overloaded)


def _refusal(exc: Exception, openai: bool) -> JSONResponse:
    if isinstance(exc, Overloaded):
        return _error(503, str(exc), openai, {"Retry-After": str(RETRY_AFTER_S)})
    if isinstance(exc, QuestionError):  # an expected user error: one log line, as the page logs it
        log.info("question refused: %s", str(exc)[:300])
    return _error(exc.status if isinstance(exc, InvalidRequest) else 400, str(exc), openai)


def _json(data: Any, status: int = 200) -> Response:
    return Response(json.dumps(data, ensure_ascii=False), status_code=status, media_type="application/json")


def api_routes(get_bot: Callable[[], Bot], is_ready: Callable[[], bool], starting: Callable[[], str], auth: ApiAuth, pool: AnswerPool) -> list[Route]:
    """The API's routes, to put in front of the web app. `is_ready` says whether the bot is loaded;
    until it is, answering routes say `starting()` with 503 and Retry-After (a first start builds the index)."""

    def refused(request: Request, openai: bool) -> JSONResponse | None:
        if (response := _unauthorized(request, auth, openai)) is not None:
            return response
        if not is_ready():
            return _error(503, f"the bot is starting ({starting()}); try again shortly", openai, {"Retry-After": "2"})
        return None

    async def body_of(request: Request) -> Any:
        try:
            return json.loads(await request.body())
        except (ValueError, UnicodeDecodeError) as exc:
            raise InvalidRequest(f"the body is not JSON: {exc}", 400) from None

    async def answer(ask: AskRequest) -> Answer:
        bot = get_bot()
        return await pool.run(lambda: bot.ask(ask.question, ask.history, k=ask.k, mode=ask.mode))

    async def api_ask(request: Request) -> Response:
        if (response := refused(request, openai=False)) is not None:
            return response
        try:
            ask = ask_request(await body_of(request))
            return _json(answer_record(await answer(ask)))
        except REFUSALS as exc:
            return _refusal(exc, openai=False)

    async def api_health(request: Request) -> Response:
        if (response := _unauthorized(request, auth, openai=False)) is not None:
            return response
        if not is_ready():
            return _json({"status": "starting", "progress": starting()}, 503)
        bot = get_bot()
        manifest = bot.retriever.index.manifest
        path = bot.retriever.index.path
        return _json(
            {
                "status": "ok",
                "index": {
                    "generation": path.name if path is not None else None,
                    "built_at": manifest.built_at,
                    "model": manifest.model,
                    "second_model": manifest.second_model or None,
                    "passages": manifest.n_chunks,
                },
                "corpus": [{"source": d.source, "interviewee": d.interviewee, "interviewer": d.interviewer} for d in bot.docs],
                "modes": list(ANSWER_MODES),
                "workers": pool.workers,
            }
        )

    async def v1_models(request: Request) -> Response:
        if (response := _unauthorized(request, auth, openai=True)) is not None:
            return response
        return _json({"object": "list", "data": [{"id": name, "object": "model", "created": 0, "owned_by": "local"} for name in MODELS]})

    async def v1_chat(request: Request) -> Response:
        if (response := refused(request, openai=True)) is not None:
            return response
        try:
            ask, model, stream = chat_request(await body_of(request))
        except InvalidRequest as exc:
            return _refusal(exc, openai=True)
        reply_id, created = f"chatcmpl-{uuid.uuid4().hex[:24]}", int(time.time())
        if not stream:
            try:
                answered = await answer(ask)
            except REFUSALS as exc:
                return _refusal(exc, openai=True)
            return _json(
                {
                    "id": reply_id, "object": "chat.completion", "created": created, "model": model,
                    "choices": [{"index": 0, "message": {"role": "assistant", "content": reply_with_sources(answered)}, "finish_reason": "stop"}],
                    "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
                    "rag": answer_record(answered),
                }
            )
        bot = get_bot()
        events = pool.stream(lambda: bot.stream(ask.question, ask.history, ask.k, ask.mode))
        try:
            first = await anext(events)  # refusals (overload, an empty question) as a status, before any chunk
        except REFUSALS as exc:
            return _refusal(exc, openai=True)

        def chunk(delta: dict[str, Any], finish: str | None = None, **extra: Any) -> str:
            body = {"id": reply_id, "object": "chat.completion.chunk", "created": created, "model": model,
                    "choices": [{"index": 0, "delta": delta, "finish_reason": finish}], **extra}
            return f"data: {json.dumps(body, ensure_ascii=False)}\n\n"

        async def sse() -> AsyncIterator[str]:
            try:
                async for line in chunks():
                    yield line
            finally:
                await events.aclose()  # a client that left stops the answer (the model within a token)

        async def chunks() -> AsyncIterator[str]:
            yield chunk({"role": "assistant", "content": ""})
            sent = ""
            event = first
            while True:
                if isinstance(event, TextEvent) and event.text.startswith(sent):  # a generated reply grows
                    yield chunk({"content": event.text[len(sent):]})
                    sent = event.text
                elif isinstance(event, FinalEvent):
                    full = reply_with_sources(event.answer)
                    rest = full[len(sent):] if full.startswith(sent) else "\n\n" + full
                    yield chunk({"content": rest})
                    yield chunk({}, "stop", rag=answer_record(event.answer))
                    break
                try:
                    event = await anext(events)
                except StopAsyncIteration:
                    break
            yield "data: [DONE]\n\n"

        return StreamingResponse(sse(), media_type="text/event-stream", headers={"Cache-Control": "no-cache"})

    return [
        Route("/api/ask", api_ask, methods=["POST"]),
        Route("/api/health", api_health, methods=["GET"]),
        Route("/v1/models", v1_models, methods=["GET"]),
        Route("/v1/chat/completions", v1_chat, methods=["POST"]),
    ]

