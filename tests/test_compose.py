from rag.compose import MAX_LISTED_TOPICS, coverage
from rag.types import Document


def _doc(topics, source="a.txt"):
    return Document(
        source, "", "", "Ada Li", "Host", "Narration", (), topics=tuple(topics),
        other_language_topics=(("ru", tuple(f"ru {t}" for t in topics)),),
    )


def test_a_long_list_of_topics_keeps_the_nearest_in_the_interviews_order_and_counts_the_rest():
    topics = [f"topic {i}" for i in range(1, 12)] + [""]  # 11 labels and a greeting without one
    # Exchange n has topic n - 1; the question is nearest exchanges 11, 2 and 5, farthest from 1, 3 and 4.
    nearness = {("a.txt", n): float(n) for n in range(1, 13)} | {("a.txt", 2): 20.0, ("a.txt", 5): 15.0, ("a.txt", 12): 99.0}
    (c,) = coverage([_doc(topics)], nearness)
    assert MAX_LISTED_TOPICS == 8
    assert c.topics == ("topic 2", "topic 5", "topic 6", "topic 7", "topic 8", "topic 9", "topic 10", "topic 11")
    assert c.more == 3
    assert c.local_topics == (("ru", tuple(f"ru {t}" for t in c.topics)),)


def test_a_short_list_and_a_list_asked_for_without_a_question_are_whole():
    (short,) = coverage([_doc(["ports", "", "bridges"])], {("a.txt", 1): 0.0})
    assert short.topics == ("ports", "bridges") and short.more == 0
    (whole,) = coverage([_doc([f"topic {i}" for i in range(12)])])
    assert len(whole.topics) == 12 and whole.more == 0


def test_a_date_only_a_byline_gives_is_the_reports_not_the_interviews():
    from rag.compose import interview_reply
    from rag.corpus import parse_transcript
    from rag.reply_text import render_text

    raw = "Ada Li on the quay\n\nBy Bo Chan | 14 March 2024\n\nBo Chan spoke with Ada Li.\n\nQ: When does it open?\n\nA: In April.\n"
    doc = parse_transcript(raw, "quay.txt")
    reply = interview_reply("date", doc, [doc], ())
    assert (reply.fact, reply.value, reply.quotes[0].citation.text) == ("dateline", "14 March 2024", "14 March 2024")
    assert render_text(reply).startswith("The report is dated 14 March 2024; it does not say on which day the interview was given.")
    # An intro that says when the interview was given gives the interview's date.
    given = parse_transcript(raw.replace("Bo Chan spoke with Ada Li.", "On 2 March 2024 Bo Chan spoke with Ada Li."), "quay.txt")
    assert (interview_reply("date", given, [given], ()).fact, given.date_field().value) == ("date", "2 March 2024")


def test_an_interviewee_named_only_by_the_labels_is_given_with_the_first_sentence_naming_them():
    from rag.compose import interview_reply
    from rag.corpus import parse_transcript

    doc = parse_transcript("Host: Welcome. My guest is Ada Li of the port.\n\nAda Li: Thanks.\n\nHost: Why?\n\nAda Li: Money.\n", "port.txt")
    reply = interview_reply("interviewee", doc, [doc], ())
    assert (reply.value, reply.quotes[0].citation.text) == ("Ada Li", "My guest is Ada Li of the port.")


def test_a_panel_is_plural_only_when_more_than_one_of_it_was_interviewed():
    from dataclasses import replace

    # A producer heard once speaks for himself (a panelist) but was not interviewed: "Bo Ek was asked".
    one = replace(_doc(["ports"]), interviewee="Bo Ek", panel=(("Bo Ek", ("Ek",)), ("Cy Dunn", ("Dunn",))))
    two = replace(one, interviewee="Bo Ek and Cy Dunn")
    assert [c.panel for c in coverage([one])] == [False]
    assert [c.panel for c in coverage([two])] == [True]


def test_who_asked_names_each_reporter_who_put_a_question_but_not_the_chair():
    from rag.compose import interview_reply
    from rag.corpus import parse_transcript

    raw = (
        "MAYOR: Good morning. The tram will cost 212 million crowns.\n"
        "PRESS SECRETARY LUCIA FERRANTE: Thank you, Mayor. Tess, you first.\n"
        "Q (Tess Varga, Vale Herald): Thank you. What will a ride cost?\n"
        "MAYOR: 2.40 crowns.\n"
        "PRESS SECRETARY LUCIA FERRANTE: Next, Channel 6.\n"
        "REPORTER (Marcus Odell, Channel 6): When does it open?\n"
        "MAYOR: In 2029.\n"
        "PRESS SECRETARY LUCIA FERRANTE: Bo, go ahead.\n"
        "Q (Bo Ek): And the bridge?\n"
        "MAYOR: In 2027.\n"
    )
    doc = parse_transcript(raw, "press.txt")
    reply = interview_reply("interviewer", doc, [doc], ())
    assert reply.value == "Tess Varga (Vale Herald), Marcus Odell (Channel 6) and Bo Ek"
    # Cited at the first question put: its sentence that asks.
    assert [q.citation.text for q in reply.quotes] == ["What will a ride cost?"]
