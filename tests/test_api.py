"""ui/api.py: the JSON and OpenAI-shaped API. Its parsing and its pool alone; its routes on a tiny corpus
(fake encoder) through Starlette's test client; and the real server (`server` fixture) through the
official `openai` client."""

import asyncio
import base64
import json
import threading
import urllib.error
import urllib.request

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from rag.pipeline import Bot
from ui.api import MODELS, AnswerPool, ApiAuth, InvalidRequest, Overloaded, api_routes, ask_request, chat_request, check_ask, reply_with_sources
from ui.guard import LoginThrottle

# --- parsing ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ([], 400, "the body must be a JSON object with a question, got list"),
        ({}, 422, "question is required"),
        ({"question": 3}, 422, "question must be text, got int"),
        ({"question": "q", "k": 0}, 422, "k must be a whole number from 1 to 50, got 0"),
        ({"question": "q", "k": 2.5}, 422, "k must be a whole number from 1 to 50, got 2.5"),
        ({"question": "q", "mode": "poetic"}, 422, "mode must be one of extractive, generative, got 'poetic'"),
        ({"question": "q", "history": "earlier"}, 422, "history must be a list of earlier questions (text), got str"),
        ({"question": "q", "topk": 3}, 422, "unknown field 'topk'; the fields are question, history, k, mode"),
    ],
)
def test_a_bad_ask_body_is_refused_with_its_status_and_reason(body, status, message):
    with pytest.raises(InvalidRequest) as refused:
        ask_request(body)
    assert (refused.value.status, str(refused.value)) == (status, message)


def test_a_long_question_and_history_are_cut_one_character_over_the_limit():
    checked = check_ask("x" * 5000, ["y" * 5000], 3.0, "generative")
    assert (len(checked.question), [len(h) for h in checked.history], checked.k, checked.mode) == (1001, [1001], 3, "generative")


def test_a_chat_request_asks_the_last_user_message_with_the_earlier_ones_as_history():
    ask, model, stream = chat_request(
        {
            "model": "tokayev-interview-generative",
            "stream": True,
            "messages": [
                {"role": "system", "content": "Be brief."},
                {"role": "user", "content": "Tell me about the SCO"},
                {"role": "assistant", "content": "He said ..."},
                {"role": "user", "content": [{"type": "text", "text": "And when did it start?"}]},
            ],
        }
    )
    assert (ask.question, ask.history, ask.mode, model, stream) == ("And when did it start?", ("Tell me about the SCO",), "generative", "tokayev-interview-generative", True)


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ({"model": "gpt-4o", "messages": [{"role": "user", "content": "q"}]}, 404, "model must be one of tokayev-interview, tokayev-interview-generative, got 'gpt-4o'"),
        ({"messages": [{"role": "system", "content": "q"}]}, 400, "messages hold no user message to answer"),
        ({"messages": "q"}, 400, "messages must be a list of {role, content} objects"),
        ({"messages": [{"role": "user", "content": "q"}], "stream": "yes"}, 400, "stream must be true or false, got 'yes'"),
    ],
)
def test_a_bad_chat_request_is_refused(body, status, message):
    with pytest.raises(InvalidRequest) as refused:
        chat_request(body)
    assert (refused.value.status, str(refused.value)) == (status, message)


# --- credentials -----------------------------------------------------------------------------------------


def _basic(user, password):
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def test_credentials_basic_and_bearer():
    auth = ApiAuth(("ada", "pw"), "tok")
    assert auth.allows(_basic("ada", "pw")) and auth.allows("Bearer tok")
    assert not any(auth.allows(h) for h in (None, "", _basic("ada", "no"), "Bearer nope", "Basic !!!", "Digest x"))
    assert ApiAuth().allows(None)  # no --auth and no token: open, like the page
    assert not ApiAuth(token="tok").allows(_basic("ada", "pw"))


# --- the pool --------------------------------------------------------------------------------------------


def test_the_pool_refuses_past_its_workers_and_waiting_line():
    release = threading.Event()

    async def scenario():
        pool = AnswerPool(workers=1, max_waiting=1)
        first = asyncio.ensure_future(pool.run(release.wait, 5))
        second = asyncio.ensure_future(pool.run(release.wait, 5))
        await asyncio.sleep(0.05)
        with pytest.raises(Overloaded):
            await pool.run(release.wait, 5)
        release.set()
        assert await first and await second
        assert await pool.run(lambda: "room again") == "room again"

    asyncio.run(scenario())


def test_the_pool_streams_items_and_hands_on_an_error():
    async def collect(events):
        return [item async for item in AnswerPool(workers=1).stream(events)]

    assert asyncio.run(collect(lambda: iter([1, 2, 3]))) == [1, 2, 3]

    def failing():
        yield 1
        raise ValueError("broken")

    with pytest.raises(ValueError, match="broken"):
        asyncio.run(collect(failing))


# --- the routes on a tiny corpus ----------------------------------------------------------------------------


@pytest.fixture
def tiny_bot(tiny_doc, tiny_engine):
    return Bot([tiny_doc], tiny_engine.retriever, engine=tiny_engine)


def _client(bot, auth=ApiAuth(), ready=True):
    routes = api_routes(lambda: bot, lambda: ready, lambda: "step 2 of 3: building the index, 40% (3 s so far)", auth, AnswerPool(workers=2))
    return TestClient(LoginThrottle(Starlette(routes=routes)))


def test_api_ask_gives_the_cli_record(tiny_bot):
    response = _client(tiny_bot).post("/api/ask", json={"question": "When did the harbour open?"})
    assert response.status_code == 200
    record = response.json()
    assert record["citations"][0]["text"] == "The harbour opened in 1996."
    assert record["abstained"] is False and record["mode_used"] == "extractive"


def test_api_ask_refuses_bad_input_with_http_statuses(tiny_bot):
    client = _client(tiny_bot)
    empty = client.post("/api/ask", json={"question": "  "})
    assert (empty.status_code, empty.json()) == (400, {"detail": "the question is empty: ask something about the interview"})
    assert client.post("/api/ask", json={"question": "q", "k": 99}).status_code == 422
    assert client.post("/api/ask", content=b"{not json").status_code == 400


def test_health_says_the_index_and_corpus(tiny_bot):
    health = _client(tiny_bot).get("/api/health").json()
    assert health["status"] == "ok"
    assert health["index"]["model"] == "fake/bag-of-words" and health["index"]["passages"] == 4
    assert health["corpus"] == [{"source": "tiny.txt", "interviewee": "Ada Li", "interviewer": "Interviewer"}]


def test_while_starting_the_api_says_so_with_503(tiny_bot):
    client = _client(tiny_bot, ready=False)
    response = client.post("/api/ask", json={"question": "When did the harbour open?"})
    assert response.status_code == 503 and response.headers["retry-after"] == "2"
    assert "step 2 of 3: building the index, 40%" in response.json()["detail"]
    assert client.get("/api/health").json() == {"status": "starting", "progress": "step 2 of 3: building the index, 40% (3 s so far)"}


def test_with_credentials_set_every_route_wants_them_and_guessing_is_slowed(tiny_bot):
    client = _client(tiny_bot, ApiAuth(("ada", "pw"), "tok"))
    assert client.post("/api/ask", json={"question": "When did the harbour open?"}, headers={"Authorization": "Bearer tok"}).status_code == 200
    assert client.get("/v1/models", headers={"Authorization": _basic("ada", "pw")}).status_code == 200
    assert client.get("/api/health").status_code == 401
    # the failure above counts: the next attempt within 0.5 s is refused before it is checked
    assert client.get("/api/health", headers={"Authorization": "Bearer tok"}).status_code == 429


def test_chat_completions_carry_the_sources_and_the_record(tiny_bot):
    response = _client(tiny_bot).post(
        "/v1/chat/completions", json={"model": "tokayev-interview", "messages": [{"role": "user", "content": "When did the harbour open?"}]}
    )
    body = response.json()
    content = body["choices"][0]["message"]["content"]
    assert content == "Asked “What about the harbour?”, Li said: “The harbour opened in 1996.” [1]\n\nSources:\n[1] Ada Li, tiny.txt characters 39-66: “The harbour opened in 1996.”"
    assert body["rag"]["citations"][0]["passage_id"] == "tiny.txt#t1.1"
    assert body["object"] == "chat.completion" and body["choices"][0]["finish_reason"] == "stop"


def test_streamed_chat_completions_add_up_to_the_reply(tiny_bot):
    with _client(tiny_bot).stream(
        "POST", "/v1/chat/completions", json={"stream": True, "messages": [{"role": "user", "content": "When did the harbour open?"}]}
    ) as response:
        lines = [line for line in response.iter_lines() if line]
    assert lines[-1] == "data: [DONE]"
    chunks = [json.loads(line.removeprefix("data: ")) for line in lines[:-1]]
    text = "".join(c["choices"][0]["delta"].get("content", "") for c in chunks)
    assert "“The harbour opened in 1996.” [1]" in text and text.endswith("“The harbour opened in 1996.”")
    assert chunks[-1]["choices"][0]["finish_reason"] == "stop" and chunks[-1]["rag"]["abstained"] is False


def test_reply_with_sources_names_the_interviewer_when_quoted():
    from rag.types import Answer, Citation

    said = Citation(1, "tiny.txt", "Host", "question", 73, 105, "Critics call the bridge a failure.", "tiny.txt#t2", 73, 131)
    answer = Answer("q", "That is not Ada Li's statement: ... “Critics call the bridge a failure.” [1]", False, (said,), ())
    assert reply_with_sources(answer).splitlines()[-1] == "[1] Host (interviewer), tiny.txt characters 73-105: “Critics call the bridge a failure.”"
    assert reply_with_sources(Answer("q", "The interview does not cover that.", True, (), ())) == "The interview does not cover that."


# --- the real server through the openai client ------------------------------------------------------------


def _ready(server):
    import time

    # A first start builds the index and converts the models (~40 s alone; CI ran out of 120 s on a
    # machine busy with other work): a wait for readiness, not a measure of speed.
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(server["url"] + "api/health", timeout=5) as response:
                return json.load(response)
        except urllib.error.HTTPError as exc:
            assert exc.code == 503  # starting
        time.sleep(0.5)
    pytest.fail("the server's bot did not get ready")


def test_the_openai_client_asks_streams_follows_up_and_hears_not_covered(server):
    from openai import OpenAI

    assert _ready(server)["status"] == "ok"
    client = OpenAI(base_url=server["url"] + "v1", api_key="not-needed", max_retries=0)
    assert [m.id for m in client.models.list()] == list(MODELS)

    reply = client.chat.completions.create(model="tokayev-interview", messages=[{"role": "user", "content": "What did Tokayev say about Taiwan?"}])
    assert "Tokayev said: “Taiwan is a part of China.” [1]" in reply.choices[0].message.content
    assert "\n\nSources:\n[1] Kassym-Jomart Tokayev, tokayev_cctv_interview.txt characters" in reply.choices[0].message.content
    assert reply.model_extra["rag"]["citations"][0]["text"] == "Taiwan is a part of China."

    stream = client.chat.completions.create(
        model="tokayev-interview",
        stream=True,
        messages=[
            {"role": "user", "content": "Tell me about the SCO"},
            {"role": "assistant", "content": "..."},
            {"role": "user", "content": "And when did it start?"},
        ],
    )
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks)
    assert "This organization started its activities in Shanghai in 1996." in text
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert chunks[-1].model_extra["rag"]["resolved_query"] == "Tell me about the SCO And when did it start?"

    declined = client.chat.completions.create(model="tokayev-interview", messages=[{"role": "user", "content": "What did Tokayev say about Bitcoin?"}])
    assert declined.choices[0].message.content.startswith("The interview does not cover that.")
    assert declined.model_extra["rag"]["abstained"] is True and declined.model_extra["rag"]["citations"] == []


def test_the_real_api_refuses_with_statuses(server):
    _ready(server)

    def post(path, body):
        request = urllib.request.Request(server["url"] + path, data=body, method="POST", headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code

    assert post("api/ask", json.dumps({"question": ""}).encode()) == 400
    assert post("api/ask", json.dumps({"question": "q", "mode": "x"}).encode()) == 422
    assert post("api/ask", json.dumps({"question": "x" * 100_000}).encode()) == 413
    assert post("v1/chat/completions", json.dumps({"model": "nope", "messages": [{"role": "user", "content": "q"}]}).encode()) == 404
