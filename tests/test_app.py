"""ui/app.py as users meet it: `rag serve` in a subprocess (the `server` fixture in conftest.py), asked
through gradio_client and a real browser.

The server gets a second, hostile transcript (`--corpus`) whose answer holds a script, an image with an
onerror handler and a Markdown link, to show they reach the page as text.
"""

import json
import os
import threading
import time
from pathlib import Path

import pytest

from ui.app import Lazy

CHROMIUM = "/usr/bin/chromium"


def test_api_answers_with_a_tokayev_quote_and_its_passage(server):
    from gradio_client import Client

    client = Client(server["url"], verbose=False)
    record = client.predict(question="What did Tokayev say about Taiwan?", history=[], k=5, api_name="/ask")
    assert "Tokayev said: “Taiwan is a part of China.” [1]" in record["answer"]
    cited = record["citations"][0]
    assert (cited["speaker"], cited["role"], cited["text"]) == ("Kassym-Jomart Tokayev", "answer", "Taiwan is a part of China.")
    assert cited["passage_id"].startswith("tokayev_cctv_interview.txt#t12.")
    assert any(hit["id"] == cited["passage_id"] for hit in record["retrieved"])

    follow_up = client.predict(question="And when did it start?", history=["Tell me about the SCO"], k=5, api_name="/ask")
    assert "This organization started its activities in Shanghai in 1996." in follow_up["answer"]


def test_api_generative_mode_cites_only_his_answers(server):
    from gradio_client import Client

    record = Client(server["url"], verbose=False).predict(
        question="What did Tokayev say about the SCO?", history=[], k=5, mode="generative", api_name="/ask"
    )
    assert record["mode_used"] in ("generative", "extractive_fallback")
    assert record["generation"]["tokens"] > 0
    assert all(c["role"] == "answer" and c["speaker"] == "Kassym-Jomart Tokayev" for c in record["citations"])


def test_api_rejects_an_empty_question_with_its_message(server):
    from gradio_client import Client

    with pytest.raises(Exception, match="the question is empty"):
        Client(server["url"], verbose=False).predict(question="   ", history=[], k=5, api_name="/ask")


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs it with apt (make browser)")
        pytest.skip(f"{CHROMIUM} is not installed (run `make browser`, which uses apt)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, server):
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page.goto(server["url"])
    yield page
    page.close()


def _last_bot_message(page):
    return page.locator('#chat [data-testid="bot"]').last


def test_example_question_streams_a_cited_answer_and_highlights_its_source(page, server, tmp_path):
    page.get_by_role("button", name="What did Tokayev say about Taiwan?").click()
    mark = page.locator("#sources mark").first
    mark.wait_for(timeout=60_000)
    assert mark.inner_text() == "Taiwan is a part of China."
    reply = _last_bot_message(page).inner_text()
    assert "Tokayev said: “Taiwan is a part of China.” [1]" in reply
    card = page.locator("#sources .source").first
    assert card.locator(".who").inner_text().startswith("[1] Kassym-Jomart Tokayev")
    assert "Answering: Talking about Taiwan, it is hot button issue." in card.inner_text()
    page.screenshot(path=str(tmp_path / "taiwan.png"), full_page=True)
    assert (tmp_path / "taiwan.png").stat().st_size > 10_000

    # thumbs up: one feedback line with the question, the answer and its citations
    page.get_by_label("Like", exact=True).last.click()
    feedback = server["data"] / "feedback.jsonl"
    deadline = time.monotonic() + 10
    while not feedback.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    records = [json.loads(line) for line in feedback.read_text(encoding="utf-8").splitlines()]
    assert records[-1]["rating"] == "up"
    assert records[-1]["question"] == "What did Tokayev say about Taiwan?"
    assert records[-1]["citations"][0]["text"] == "Taiwan is a part of China."

    # the conversation as Markdown, with the citation's span
    with page.expect_download() as download:
        page.locator("#download").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert "**You:** What did Tokayev say about Taiwan?" in text
    assert "- \\[1\\] Kassym-Jomart Tokayev, tokayev\\_cctv\\_interview.txt characters" in text


def test_follow_up_uses_the_chat_history(page):
    box = page.locator("#question textarea")
    box.fill("Tell me about the SCO")
    box.press("Enter")
    page.locator("#sources mark").first.wait_for(timeout=60_000)
    # the app clears the box once the reply is done; typing before that would be cleared too
    page.wait_for_function("document.querySelector('#question textarea').value === ''", timeout=30_000)
    first_reply = page.locator('#chat [data-testid="bot"]').count()
    box.fill("And when did it start?")
    box.press("Enter")
    # The first reply, the opening of his answer on the SCO, may hold the 1996 sentence already: wait for a
    # bubble after it (a CI run read the first reply's text, then the second's "…" placeholder).
    page.wait_for_function(
        f"""() => {{ const m = document.querySelectorAll('#chat [data-testid="bot"]');
                   return m.length > {first_reply} && m[m.length - 1].innerText.includes('started its activities in Shanghai in 1996'); }}""",
        timeout=60_000,
    )
    assert "1996" in _last_bot_message(page).inner_text()


_TAIWAN = "We believe that it’s a question which should be absolutely clear to everybody in the world. There should be no two Chinas. Taiwan is a part of China."


@pytest.mark.parametrize(
    "question, quote, framing, label",
    [
        ("Что Токаев сказал о Тайване?", "Taiwan is a part of China.", "Интервью дано на английском языке; цитаты приведены дословно. Токаев сказал: “Taiwan is a part of China.” [1]", "Ответ на вопрос:"),
        ("托卡耶夫对台湾问题怎么说？", _TAIWAN, f"采访以英语进行，引文为原话。托卡耶夫说：“{_TAIWAN}” [1]", "回答的问题:"),
    ],
)
def test_a_question_in_russian_or_chinese_gets_a_framed_reply_and_the_english_quote(page, question, quote, framing, label):
    assert "Ask in English, Russian, Kazakh or Chinese" in page.locator("#header").inner_text()
    box = page.locator("#question textarea")
    box.fill(question)
    box.press("Enter")
    mark = page.locator("#sources mark").first
    mark.wait_for(timeout=60_000)
    assert mark.inner_text() == quote
    page.wait_for_function("document.querySelector('#question textarea').value === ''", timeout=30_000)
    assert framing in _last_bot_message(page).inner_text()
    assert label in page.locator("#sources .source").first.inner_text()


def test_empty_question_gets_a_message_not_an_error(page):
    from playwright.sync_api import expect

    page.locator("#send").click()
    # The bubble shows "…" until the reply lands: on a busy machine the text was read before it did.
    expect(_last_bot_message(page)).to_have_text("Please type a question first, for example: What did Tokayev say about Taiwan?", timeout=30_000)
    # No empty question bubble, and nothing to download yet.
    assert page.locator("#chat [data-testid=user]").count() == 0
    assert page.locator("#download").is_disabled()


def test_after_an_empty_question_the_sources_panel_shows_no_earlier_answer(page):
    _ask(page, "What did Tokayev say about Taiwan?")
    page.locator("#sources mark").first.wait_for(timeout=60_000)
    page.locator("#send").click()
    page.wait_for_function("document.querySelectorAll('#chat [data-testid=bot]').length === 2", timeout=30_000)
    page.wait_for_function("document.querySelector('#sources').innerText.includes('Cited passages appear here.')", timeout=30_000)
    assert page.locator("#sources mark").count() == 0


def test_document_markup_is_shown_as_text(page):
    box = page.locator("#question textarea")
    box.fill("What about the harbour deepening?")
    box.press("Enter")
    page.locator("#sources mark").first.wait_for(timeout=60_000)
    page.wait_for_timeout(500)  # let any injected handler run, if one had got through
    assert page.evaluate("window.pwned") is None
    assert page.locator('a[href="http://example.com/plan"]').count() == 0
    assert page.locator("#sources img, #chat .message-content img").count() == 0
    assert "<script>window.pwned = 1</script>" in page.locator("#sources mark").inner_text()
    assert "[the plan](http://example.com/plan)" in _last_bot_message(page).inner_text()


def _ask_generative(page, text):
    page.get_by_text("Settings").click()
    page.get_by_label("generative").check()
    box = page.locator("#question textarea")
    box.fill(text)
    box.press("Enter")


def test_generative_mode_from_the_settings(page):
    _ask_generative(page, "What did Tokayev say about the SCO?")
    page.get_by_text("Generating… each sentence is shown once it is checked").first.wait_for(timeout=30_000)
    page.locator("#sources mark").first.wait_for(timeout=120_000)
    reply = _last_bot_message(page).inner_text()
    assert "Generating…" not in reply and "[1]" in reply
    assert page.locator("#sources .source.role-answer").count() >= 1


def test_lazy_bot_opens_once_for_concurrent_first_users():
    opened = []

    def open_bot(report):
        time.sleep(0.2)
        opened.append(1)
        return object()

    lazy = Lazy(open_bot, steps=3)
    results = []
    threads = [threading.Thread(target=lambda: results.append(lazy.get())) for _ in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(opened) == 1 and len({id(r) for r in results}) == 1


def test_lazy_reports_progress_while_it_is_made_in_the_background():
    release = threading.Event()

    def open_bot(report):
        report(2, "building the index", 0.25)
        release.wait(10)
        return "bot"

    lazy = Lazy(open_bot, steps=3)
    lazy.start()
    assert lazy.wait(0.3) is False and not lazy.ready
    stage = lazy.progress.stage()
    assert (stage.step, stage.steps, stage.what, stage.fraction) == (2, 3, "building the index", 0.25)
    lazy.start()  # a second start while it is being made starts nothing
    release.set()
    assert lazy.wait(5) is True and lazy.get() == "bot"


def test_lazy_that_fails_says_why_on_the_next_use():
    calls = []

    def open_bot(report):
        calls.append(1)
        raise RuntimeError("no model")

    lazy = Lazy(open_bot, steps=1)
    lazy.start()
    assert lazy.wait(5) is True and not lazy.ready
    with pytest.raises(RuntimeError, match="no model"):
        lazy.get()
    assert len(calls) == 2


# --- the conversation as one state (issue 13) ------------------------------------------------------------


def _ask(page, text):
    """Ask and wait for the complete reply: the question is shown, then the box is usable again."""
    asked = page.locator('#chat [data-testid="user"]').count()
    box = page.locator("#question textarea")
    box.fill(text)
    box.press("Enter")
    page.wait_for_function(f"document.querySelectorAll('#chat [data-testid=user]').length > {asked}", timeout=30_000)
    page.wait_for_function("!document.querySelector('#question textarea').disabled", timeout=60_000)


def _download(page):
    with page.expect_download() as download:
        page.locator("#download").click()
    return Path(download.value.path()).read_text(encoding="utf-8")


def test_new_chat_resets_the_chat_its_sources_download_and_history(page):
    _ask(page, "Tell me about the SCO")
    page.locator("#sources mark").first.wait_for(timeout=60_000)
    page.locator("#new-chat").click()
    page.wait_for_function("document.querySelectorAll('#chat [data-testid=\"user\"]').length === 0", timeout=30_000)
    assert page.locator("#sources").inner_text().strip() == "Cited passages appear here."
    assert page.locator("#download").is_disabled()
    _ask(page, "What did he say about young people?")
    text = _download(page)
    assert text.count("**You:**") == 1 and "Tell me about the SCO" not in text


def test_after_the_trash_icon_a_follow_up_is_answered_as_a_fresh_chat(page, server):
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    _ask(page, "Tell me about the SCO")
    page.locator("#sources mark").first.wait_for(timeout=60_000)
    # A click that lands while the chat is still re-rendering its last message can be lost: click until cleared.
    for _ in range(5):
        page.locator("#chat").get_by_label("Clear", exact=False).first.click()
        try:
            page.wait_for_function("document.querySelectorAll('#chat [data-testid=user]').length === 0", timeout=6_000)
            break
        except PlaywrightTimeout:
            continue
    assert page.locator('#chat [data-testid="user"]').count() == 0, "the trash icon never cleared the chat"
    _ask(page, "And when did it start?")
    # With the cleared question still in the chat's history, "it" would be the SCO (1996); in a fresh chat
    # nothing says what "it" is, and the bot asks for the topic.
    page.wait_for_function(
        "[...document.querySelectorAll('#chat [data-testid=bot]')].some(m => m.innerText.includes('name the topic'))", timeout=60_000
    )
    assert _last_bot_message(page).inner_text().startswith("The question does not say what it is about")
    assert "1996" not in _last_bot_message(page).inner_text()


def test_feedback_lands_on_the_answer_clicked(page, server):
    _ask(page, "What did Tokayev say about Taiwan?")
    _ask(page, "What did he say about young people?")
    page.get_by_label("Dislike", exact=True).first.click()  # the first answer, not the latest
    feedback = server["data"] / "feedback.jsonl"
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        records = [json.loads(line) for line in feedback.read_text(encoding="utf-8").splitlines()] if feedback.exists() else []
        if records and records[-1]["rating"] == "down":
            break
        time.sleep(0.2)
    assert records[-1]["rating"] == "down" and records[-1]["question"] == "What did Tokayev say about Taiwan?"
    # the download holds what is shown, turn for turn
    text = _download(page)
    shown = page.locator('#chat [data-testid="user"]').count()
    assert text.count("**You:**") == shown == 2


def test_a_second_submit_while_answering_is_not_taken(page):
    box = page.locator("#question textarea")
    box.fill("Tell me about the SCO")
    box.press("Enter")
    page.locator("#send").click(force=True, timeout=2_000, no_wait_after=True)  # within the same moment
    page.wait_for_function("!document.querySelector('#question textarea').disabled", timeout=60_000)
    page.locator("#sources mark").first.wait_for(timeout=60_000)
    assert page.locator('#chat [data-testid="user"]').count() == 1
    assert _last_bot_message(page).inner_text().endswith("[1]")  # complete, not cut off


def test_clicking_an_earlier_answer_shows_its_own_sources(page):
    _ask(page, "What did Tokayev say about Taiwan?")
    _ask(page, "When did the Shanghai Cooperation Organization start?")
    page.locator("#sources mark", has_text="1996").first.wait_for(timeout=30_000)
    page.locator('#chat [data-testid="bot"]').first.click()
    page.locator("#sources mark", has_text="Taiwan is a part of China.").first.wait_for(timeout=30_000)


def test_the_question_box_has_the_focus_on_a_wide_screen_only(page, browser, server):
    focused = "document.activeElement === document.querySelector('#question textarea')"
    page.wait_for_function(focused, timeout=30_000)
    phone = browser.new_page(viewport={"width": 390, "height": 844})
    phone.goto(server["url"])
    try:
        phone.locator("#question textarea").wait_for(timeout=30_000)
        phone.wait_for_timeout(1_000)  # past the page's attempts to focus it
        # On a phone the page opens at its title, keyboard closed.
        assert phone.evaluate(f"[window.scrollY, {focused}]") == [0, False]
    finally:
        phone.close()


def test_on_a_phone_the_sources_come_right_after_the_chat(browser, server, tmp_path):
    phone = browser.new_page(viewport={"width": 390, "height": 844})
    phone.goto(server["url"])
    try:
        _ask(phone, "What did Tokayev say about Taiwan?")
        phone.locator("#sources mark").first.wait_for(timeout=60_000)
        top = phone.evaluate("document.querySelector('#sources').getBoundingClientRect().top + window.scrollY")
        examples = phone.evaluate("document.querySelector('.example').getBoundingClientRect().top + window.scrollY")
        assert top < 2 * 844 and top < examples
        phone.screenshot(path=str(tmp_path / "phone.png"), full_page=True)
    finally:
        phone.close()


def test_clicking_a_citation_in_an_earlier_answer_shows_that_source(page):
    _ask(page, "Why did Tokayev call Taiwan a hot button issue?")  # the interviewer's words [1], his answer [2]
    _ask(page, "When did the Shanghai Cooperation Organization start?")
    page.locator("#sources mark", has_text="1996").first.wait_for(timeout=30_000)
    page.locator('#chat [data-testid="bot"]').first.locator(".cite", has_text="[2]").click()
    selected = page.locator("#sources .source.selected")
    selected.wait_for(timeout=30_000)
    assert selected.locator(".who").inner_text().startswith("[2] Kassym-Jomart Tokayev")
    # His answer to the question the trap quoted: the window a "why" gets (the calibration's).
    assert selected.locator("mark").inner_text() == (
        "So the principle of the territorial integrity of all states has been fixed in the Charter of the United Nations, which must be "
        "respected. And this principle also has been put in the declaration and in the Charter of the Shanghai Organization for "
        "Cooperation. So once again, for us, it’s absolutely clear."
    )
    assert page.locator("#sources .source").count() == 2  # that answer's two sources, not the latest's one


def test_stop_leaves_a_marked_partial_reply_and_a_usable_chat(page):
    _ask_generative(page, "What did Tokayev say about the SCO?")
    page.locator("#stop:not([disabled])").wait_for(timeout=30_000)
    page.locator("#stop").click()
    page.wait_for_function("!document.querySelector('#question textarea').disabled", timeout=30_000)
    assert _last_bot_message(page).inner_text().endswith("(stopped)")
    assert page.locator("#stop").is_disabled()
    assert page.locator("#sources").inner_text().strip() == "The reply was stopped: it cites nothing."  # not the previous answer's
    # the chat goes on: a stopped reply is not history, and the next question gets a whole answer
    page.get_by_label("extractive").check()
    _ask(page, "When did the Shanghai Cooperation Organization start?")
    assert "This organization started its activities in Shanghai in 1996." in _last_bot_message(page).inner_text()
    text = _download(page)
    assert text.count("**You:**") == 2 and "(stopped)" in text


def test_a_first_start_shows_its_progress_in_the_chat(browser, tmp_path):
    import subprocess
    import sys

    from conftest import _free_port, wait_until_serving

    port = _free_port()
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "RAG_INDEX_DIR": str(tmp_path / "index")}  # no index yet
    with (tmp_path / "server.log").open("w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "rag.cli", "serve", "--port", str(port), "--data-dir", str(tmp_path / "data")], stdout=log, stderr=subprocess.STDOUT, env=env
        )
    try:
        assert wait_until_serving(f"http://127.0.0.1:{port}/", proc, timeout_s=120)
        page = browser.new_page()
        page.goto(f"http://127.0.0.1:{port}/")
        box = page.locator("#question textarea")
        box.fill("When did the Shanghai Cooperation Organization start?")
        box.press("Enter")
        page.get_by_text("Preparing the bot (first start only): step").first.wait_for(timeout=30_000)
        page.locator("#sources mark", has_text="1996").first.wait_for(timeout=180_000)
        assert "Preparing" not in _last_bot_message(page).inner_text()
        page.close()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
