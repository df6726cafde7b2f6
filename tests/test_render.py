"""ui/render.py: what the page shows is escaped text, never markup from the documents."""

from rag.corpus import parse_transcript
from rag.types import Answer, Chunk, Citation, Hit
from ui.conversation import Exchange
from ui.render import chat_message, conversation_markdown, escape_markdown, header_markdown, sources_html

HOSTILE = 'Host: What about the <b>harbour</b>?\n\nGuest: The harbour <script>alert(1)</script> gets deeper, see [the plan](http://evil.example/x) now.\n'


def _answer_quoting(doc, quote):
    turn = doc.turns[1]
    start = doc.raw.index(quote)
    chunk = Chunk("h.txt#t1.1", "h.txt", "answer", turn.speaker, 1, turn.start, turn.end, turn.text, turn.text, question=doc.turns[0].text)
    citation = Citation(1, "h.txt", turn.speaker, "answer", start, start + len(quote), quote, chunk.id, turn.start, turn.end)
    return Answer("q", f"Guest said: “{quote}” [1]", False, (citation,), (Hit(chunk, 0.8123, 1),)), chunk


def test_sources_escape_html_and_highlight_the_quote():
    doc = parse_transcript(HOSTILE, "h.txt")
    answer, chunk = _answer_quoting(doc, "see [the plan](http://evil.example/x) now.")
    html = sources_html(answer, {"h.txt": doc.raw}.__getitem__, {chunk.id: chunk}.get)
    assert "<script>" not in html and "<b>harbour" not in html
    assert "The harbour &lt;script&gt;alert(1)&lt;/script&gt; gets deeper, <mark>see [the plan](http://evil.example/x) now.</mark>" in html
    assert "Answering: What about the &lt;b&gt;harbour&lt;/b&gt;?" in html
    assert '<span class="score">score 0.812</span>' in html
    assert "<b>[1]</b> Guest " in html


def test_chat_message_is_html_escaped():
    doc = parse_transcript(HOSTILE, "h.txt")
    answer, _ = _answer_quoting(doc, "The harbour <script>alert(1)</script> gets deeper,")
    assert chat_message(answer, clickable=False) == "Guest said: “The harbour &lt;script&gt;alert(1)&lt;/script&gt; gets deeper,” [1]"


def test_citations_of_a_finished_reply_are_clickable_and_other_brackets_stay_text():
    doc = parse_transcript(HOSTILE, "h.txt")
    answer, _ = _answer_quoting(doc, "see [the plan](http://evil.example/x) now.")
    assert chat_message(answer) == 'Guest said: “see [the plan](http://evil.example/x) now.” <span class="cite">[1]</span>'
    # while the reply is shown growing, cut between words, the markers stay text
    assert chat_message(answer, clickable=False) == "Guest said: “see [the plan](http://evil.example/x) now.” [1]"


def test_the_clicked_citation_card_is_marked():
    doc = parse_transcript(HOSTILE, "h.txt")
    answer, chunk = _answer_quoting(doc, "see [the plan](http://evil.example/x) now.")
    raw = {"h.txt": doc.raw}.__getitem__
    assert '<div class="source role-answer selected" data-n="1">' in sources_html(answer, raw, {chunk.id: chunk}.get, selected=1)
    assert '<div class="source role-answer" data-n="1">' in sources_html(answer, raw, {chunk.id: chunk}.get, selected=2)


def test_interviewer_and_narration_sources_are_labelled(seed):
    narration = seed.turns[0]
    c = Citation(1, seed.source, narration.speaker, "narration", narration.start, narration.start + 10, seed.raw[narration.start : narration.start + 10], "x#meta", narration.start, narration.end)
    html = sources_html(Answer("q", "a [1]", False, (c,), ()), {seed.source: seed.raw}.__getitem__, lambda _: None)
    assert "<b>[1]</b> Narration (Kazinform) · narration" in html
    assert 'class="source role-narration"' in html and "Answering:" not in html


def test_no_citation_says_so():
    assert "No passage is cited" in sources_html(Answer("q", "not covered", True, (), ()), str, lambda _: None)


def test_markdown_escaping_breaks_links_and_tags():
    assert escape_markdown("[x](http://e) <img src=x> *a*") == r"\[x\](http://e) \<img src=x\> \*a\*"


def test_conversation_markdown_lists_each_reply_with_its_citations():
    doc = parse_transcript(HOSTILE, "h.txt")
    answer, _ = _answer_quoting(doc, "see [the plan](http://evil.example/x) now.")
    text = conversation_markdown([Exchange("e1", "What about [plans]?", "shown", answer)], "Chat")
    c = answer.citations[0]
    assert text.splitlines() == [
        "# Chat",
        "",
        r"**You:** What about \[plans\]?",
        "",
        r"**Bot:** Guest said: “see \[the plan\](http://evil.example/x) now.” \[1\]",
        "",
        rf"- \[1\] Guest, h.txt characters {c.start}–{c.end}: “see \[the plan\](http://evil.example/x) now.”",
    ]


def test_header_names_the_interview(seed):
    header = header_markdown([seed])
    assert header.startswith("# What did Kassym-Jomart Tokayev say?\nAnswers come only from one document: Kassym-Jomart Tokayev's interview")
    assert "CCTV for the *Leaders Talk* program, given on May 12 (transcript published by Kazinform)." in header


def test_header_and_download_name_every_transcript(seed):
    from rag.corpus import parse_transcript

    from ui.render import download_title

    other = parse_transcript("Ilse Varga gave an interview on NRK on 2 May.\n\nHost: Why?\n\nIlse Varga: Because.\n", "v.txt")
    # A browser run with a second transcript loaded found the page naming only the seed's guest.
    header = header_markdown([seed, other])
    assert header.startswith("# What did Kassym-Jomart Tokayev and Ilse Varga say?\nAnswers come only from 2 documents:")
    assert "; Ilse Varga's interview with NRK, given on 2 May." in header
    assert download_title([seed, other]) == "Conversation about the interviews of Kassym-Jomart Tokayev and Ilse Varga"
    assert download_title([seed]).startswith("Conversation about What Kassym-Jomart Tokayev Talks About")


def test_the_download_shows_not_covered_as_the_chat_does(tiny_engine):
    answer = tiny_engine.answer("What about the Zeppelin museum?")
    assert answer.reply.kind == "not_covered"
    text = conversation_markdown([Exchange("e1", "What about the Zeppelin museum?", chat_message(answer), answer)], "Chat")
    # the tiny transcript has no card: its topics are the interviewer's questions, quoted
    topics = [f"• {escape_markdown(f'“{t}”')}" for t in answer.reply.coverage[0].topics]
    # The note saying why comes with the verdict, before the topics.
    assert answer.reply.notes == ("The interview never mentions “Zeppelin”.",)
    # each line of the chat's reply a line of its own in Markdown (a hard break: two spaces)
    assert "**Bot:** The interview does not cover that.  \n(The interview never mentions “Zeppelin”.)  \nYou can ask about:  \n" + "  \n".join(topics) in text
    # A question that names no topic is asked for one: that is the verdict, not "does not cover".
    vague = chat_message(tiny_engine.answer("When did it open?"))
    assert vague.startswith("The question does not say what it is about, and there is no earlier question to go by: name the topic.<br>You can ask about:<br>• ")
    plain = tiny_engine.answer("What about the museum?")
    assert plain.reply.kind == "not_covered" and plain.reply.notes == ()
    assert "The interview does not cover that. You can ask about:<br>• " in chat_message(plain)


def test_the_interviewers_sentences_standing_in_for_topics_are_quoted_and_put_to_the_speaker():
    from rag.types import Coverage, Reply

    coverage = (Coverage("a.txt", "Ada Li", ("ports",), "Host"), Coverage("b.txt", "Bo Ek", ("Critics call the dam a waste.",), "Host"))
    answer = Answer("What about films?", "(plain text)", True, (), (), reply=Reply("not_covered", coverage=coverage))
    assert chat_message(answer) == (
        "The interview does not cover that. You can ask about:<br>• ports (Ada Li)<br>• “Critics call the dam a waste.” (asked of Bo Ek)"
    )


def test_a_shortened_list_of_topics_ends_on_how_many_more_there_are():
    from rag.types import Coverage, Reply

    coverage = (Coverage("a.txt", "Ada Li", ("ports",), "Host", more=4),)
    answer = Answer("What about films?", "(plain text)", True, (), (), reply=Reply("not_covered", coverage=coverage))
    assert chat_message(answer) == (
        "The interview does not cover that. You can ask about:<br>• ports<br>"
        "• … and 4 more (ask “What topics does the interview with Ada Li cover?”)"
    )


def test_a_question_about_someone_who_does_not_speak_lists_the_topics_as_not_covered_does():
    from rag.types import Coverage, Reply

    reply = Reply("absent_speaker", value="Xi Jinping", coverage=(Coverage("a.txt", "Ada Li", ("ports", "bridges"), "Host"),))
    answer = Answer("What did Xi Jinping say?", "(plain text)", True, (), (), reply=reply)
    assert chat_message(answer) == (
        "The interview does not cover what Xi Jinping said: it holds only the answers of Ada Li to questions asked by Host."
        " You can ask about:<br>• ports<br>• bridges"
    )
