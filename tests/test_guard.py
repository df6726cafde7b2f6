"""ui/guard.py on tiny ASGI apps: body limit, refused uploads, login slowdown (a fake clock)."""

import asyncio
import json

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from ui.guard import BodyLimit, LoginThrottle


async def _echo(request: Request) -> JSONResponse:
    return JSONResponse({"bytes": len(await request.body())})


async def _login(request: Request) -> JSONResponse:
    form = await request.form()
    if form.get("password") == "s3cret":
        return JSONResponse({"success": True})
    return JSONResponse({"detail": "Incorrect credentials."}, status_code=400)


def _app():
    return Starlette(routes=[Route("/echo", _echo, methods=["POST"]), Route("/login", _login, methods=["POST"])])


def _run(app, scope_headers, chunks):
    """Call an ASGI app directly: the request body arrives in `chunks`; returns (status, body, chunks read)."""
    read = []
    sent = []

    async def receive():
        if len(read) == len(chunks):
            raise AssertionError("the body was read past its end")
        read.append(chunks[len(read)])
        return {"type": "http.request", "body": read[-1], "more_body": len(read) < len(chunks)}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/echo", "headers": scope_headers, "client": ("10.0.0.9", 5000), "query_string": b""}
    asyncio.run(app(scope, receive, send))
    return sent[0]["status"], json.loads(sent[1]["body"]), len(read)


def test_a_body_within_the_limit_reaches_the_app_whole():
    client = TestClient(BodyLimit(_app(), max_bytes=100))
    assert client.post("/echo", content=b"x" * 100).json() == {"bytes": 100}


def test_a_declared_oversize_body_is_refused_before_any_of_it_is_read():
    status, body, read = _run(BodyLimit(_app(), max_bytes=100), [(b"content-length", b"10485760")], [b"x" * 1000] * 3)
    assert (status, body, read) == (413, {"detail": "request body over the 100-byte limit"}, 0)


def test_a_chunked_body_is_refused_once_it_passes_the_limit():
    status, body, read = _run(BodyLimit(_app(), max_bytes=100), [], [b"x" * 60, b"x" * 60, b"x" * 60])
    assert (status, body, read) == (413, {"detail": "request body over the 100-byte limit"}, 2)


def test_a_chunked_body_within_the_limit_is_passed_on():
    status, body, read = _run(BodyLimit(_app(), max_bytes=100), [], [b"x" * 40, b"x" * 40])
    assert (status, body, read) == (200, {"bytes": 80}, 2)


def test_a_bad_content_length_is_refused():
    status, body, _ = _run(BodyLimit(_app(), max_bytes=100), [(b"content-length", b"-5")], [b""])
    assert (status, body) == (413, {"detail": "request body over the 100-byte limit"})


def test_the_upload_route_is_refused():
    client = TestClient(BodyLimit(_app()))
    for path in ("/gradio_api/upload", "/upload"):
        response = client.post(path, files={"files": ("a.txt", b"hello")})
        assert (response.status_code, response.json()) == (403, {"detail": "this app takes no file uploads"})


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_failed_logins_are_slowed_exponentially_per_address():
    clock = Clock()
    client = TestClient(LoginThrottle(_app(), base_s=0.5, max_s=60, clock=clock))
    wrong, right = {"username": "ana", "password": "guess"}, {"username": "ana", "password": "s3cret"}
    statuses = []
    for _ in range(40):  # a burst of guesses: only the first gets through
        statuses.append(client.post("/login", data=wrong).status_code)
    assert statuses == [400] + [429] * 39
    refused = client.post("/login", data=right)  # even the right password waits its turn
    assert (refused.status_code, refused.headers["retry-after"]) == (429, "1")
    waits = []
    for _ in range(5):  # each failure doubles the wait
        _, retry_at = client.app.failures["testclient"]
        waits.append(retry_at - clock.now)
        clock.now = retry_at
        assert client.post("/login", data=wrong).status_code == 400
    assert waits == [0.5, 1.0, 2.0, 4.0, 8.0]
    clock.now += 16
    assert client.post("/login", data=right).json() == {"success": True}
    assert client.app.failures == {}
    assert client.post("/login", data=wrong).status_code == 400  # a fresh count after the success


def test_other_addresses_and_routes_are_not_slowed():
    clock = Clock()
    app = LoginThrottle(_app(), clock=clock)
    app.failures["10.0.0.1"] = (5, clock.now + 30)
    client = TestClient(app)  # its address is "testclient"
    assert client.post("/login", data={"username": "ana", "password": "s3cret"}).status_code == 200
    assert client.post("/echo", content=b"abc").json() == {"bytes": 3}
