"""What the server refuses before a request reaches Gradio: oversize bodies, file uploads, and password
guessing. Plain ASGI middleware (no Gradio import), so each guard is tested on a tiny app of its own.

Why our own and not a library's: Starlette and uvicorn have no request-body limit, and the login to slow
down is Gradio's own `/login` route, which only a wrapper around it can see the outcome of.
"""

from __future__ import annotations

import json
import logging
import math
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

log = logging.getLogger("ui.guard")

# Far above any real request of this app (a question is cut at 1,000 characters; a chat's history of
# questions, Gradio's queue messages), far below what hurts a server.
MAX_BODY_BYTES = 64 * 1024
# The app takes no files: Gradio's upload route would otherwise write any upload to its temp folder.
UPLOAD_PATHS = frozenset({"/gradio_api/upload", "/gradio_api/upload/", "/upload", "/upload/"})
LOGIN_PATHS = frozenset({"/login", "/login/"})
# The API's routes (ui/api.py) check credentials on every request: a 401 there is a failed login too.
API_PREFIXES = ("/api/", "/v1/")


async def _reply(send: Send, status: int, detail: str, headers: tuple[tuple[bytes, bytes], ...] = ()) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()), *headers],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _client(scope: Scope) -> str:
    client = scope.get("client")
    return client[0] if client else "unknown"


class BodyLimit:
    """Refuses a body over `max_bytes` with 413: by its Content-Length before any of it is read, or, sent
    in chunks without one, as soon as the bytes read pass the limit. Also refuses the upload route (403)."""

    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["path"] in UPLOAD_PATHS:
            log.info("refused an upload from %s: this app takes no files", _client(scope))
            await _reply(send, 403, "this app takes no file uploads")
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            log.info("refused a %s-byte request body from %s (limit %d)", declared.decode(errors="replace"), _client(scope), self.max_bytes)
            await _reply(send, 413, f"request body over the {self.max_bytes:,}-byte limit")
            return
        # Read the body here (bounded), then hand it on: no Gradio or FastAPI code sees an oversize one.
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client left
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                log.info("refused a chunked request body over %d bytes from %s", self.max_bytes, _client(scope))
                await _reply(send, 413, f"request body over the {self.max_bytes:,}-byte limit")
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()  # e.g. a streaming response waiting for the client to leave

        await self.app(scope, replay, send)


class LoginThrottle:
    """Slows password guessing per client address: after the n-th failed login in a row, that address's
    next attempt is refused (429, Retry-After) for `base_s * 2**(n-1)` seconds, at most `max_s`. A
    successful login clears the count. Gradio answers a wrong password 400 and a right one 200; the API
    answers missing or wrong credentials 401."""

    def __init__(
        self, app: ASGIApp, base_s: float = 0.5, max_s: float = 60.0, clock: Callable[[], float] = time.monotonic, max_clients: int = 10_000
    ) -> None:
        self.app = app
        self.base_s = base_s
        self.max_s = max_s
        self.clock = clock
        self.max_clients = max_clients
        self.failures: OrderedDict[str, tuple[int, float]] = OrderedDict()  # address -> (failures, retry at)

    def delay(self, failures: int) -> float:
        """
        >>> [LoginThrottle(None).delay(n) for n in (1, 2, 3, 8, 20)]
        [0.5, 1.0, 2.0, 60.0, 60.0]
        """
        return min(self.base_s * 2 ** min(failures - 1, 30), self.max_s)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        login = scope["type"] == "http" and scope["method"] == "POST" and scope["path"] in LOGIN_PATHS
        api = scope["type"] == "http" and scope["path"].startswith(API_PREFIXES)
        if not (login or api):
            await self.app(scope, receive, send)
            return
        client = _client(scope)
        failures, retry_at = self.failures.get(client, (0, 0.0))
        wait = retry_at - self.clock()
        if wait > 0:
            seconds = math.ceil(wait)
            log.info("login from %s refused for %.1f s after %d failed attempts", client, wait, failures)
            await _reply(send, 429, f"too many failed logins; try again in {seconds} s", ((b"retry-after", str(seconds).encode()),))
            return
        status = 0

        async def watch(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        await self.app(scope, receive, watch)
        if status == 200:
            self.failures.pop(client, None)
        elif (login and 400 <= status < 500) or status == 401:  # not an API's 400 for an empty question
            failures += 1
            self.failures[client] = (failures, self.clock() + self.delay(failures))
            self.failures.move_to_end(client)
            while len(self.failures) > self.max_clients:  # bounded memory under many addresses
                self.failures.popitem(last=False)
            log.info("failed login from %s (%d in a row)", client, failures)
