from rag.reply_text import render_text, short_name
from rag.types import Citation, Coverage, Quote, Reply


def _quote(n, speaker, role, text, topic=""):
    return Quote(Citation(n, "a.txt", speaker, role, 10 * n, 10 * n + len(text), text, f"a.txt#t{n}", 0, 100), topic)


def test_every_quote_names_its_own_speaker():
    reply = Reply(
        "quotes",
        (
            _quote(1, "Kassym-Jomart Tokayev", "answer", "Taiwan is a part of China.", "Taiwan"),
            _quote(2, "Ambassador John Smith", "answer", "Taiwan is not a part of China.", "Taiwan"),
        ),
    )
    assert render_text(reply) == (
        "Asked about Taiwan, Tokayev said: \u201cTaiwan is a part of China.\u201d [1] "
        "Asked about Taiwan, Smith said: \u201cTaiwan is not a part of China.\u201d [2]"
    )


def test_a_second_quote_of_the_same_speaker_and_topic():
    reply = Reply("quotes", (_quote(1, "Ada Li", "answer", "One.", "ports"), _quote(2, "Ada Li", "answer", "Two.", "ports")))
    assert render_text(reply) == "Asked about ports, Li said: \u201cOne.\u201d [1] Li also said: \u201cTwo.\u201d [2]"


def test_attribution_quotes_the_interviewer_as_the_interviewer():
    reply = Reply("attribution", (_quote(1, "Interviewer", "question", "It failed."), _quote(2, "Ada Li", "answer", "It pays.")), value="Ada Li")
    assert render_text(reply) == (
        "That is not Li's statement: it comes from the interviewer's question. The interviewer said \u201cIt failed.\u201d [1] "
        "In the answer to that question, Li said: \u201cIt pays.\u201d [2]"
    )


def test_not_covered_lists_each_transcript_and_notes_follow():
    one = Reply("not_covered", coverage=(Coverage("a.txt", "Ada Li", ("ports", "bridges"), "Host"),), notes=("Cut.",))
    assert render_text(one) == (
        "The interview does not cover that. In it, Ada Li speaks about: ports; bridges. "
        "Ask about one of these and I will quote what was said.\n\n(Cut.)"
    )
    two = Reply("not_covered", coverage=(Coverage("a.txt", "Ada Li", ("ports",), "Host"), Coverage("b.txt", "Bo Chen", ("films",), "Host")))
    assert render_text(two).startswith("The interviews do not cover that. Ada Li speaks about: ports. Bo Chen speaks about: films.")


def test_absent_speaker_and_interview_facts():
    reply = Reply("absent_speaker", value="Xi Jinping", coverage=(Coverage("a.txt", "Ada Li", ("ports",), "Interviewer (CCTV)"),))
    assert render_text(reply) == (
        "The interview does not cover what Xi Jinping said: the transcript holds only the questions of "
        "Interviewer (CCTV) and the answers of Ada Li. Ada Li speaks about: ports."
    )
    date = Reply("about_interview", (_quote(1, "Narration", "narration", "On May 12 she spoke."),), fact="date", value="May 12")
    assert render_text(date) == "The interview was given on May 12. The report says: \u201cOn May 12 she spoke.\u201d [1]"
    unnamed = Reply("about_interview", fact="interviewer", context=(("broadcaster", "CCTV"), ("program", "Leaders Talk")))
    assert render_text(unnamed) == "The transcript does not name the interviewer; the questions were asked for CCTV's Leaders Talk program."


def test_short_name():
    assert [short_name(s) for s in ("Ada Li", "Minister Davor Hallgren", "Interviewer (CCTV)", "Host")] == ["Li", "Hallgren", "Interviewer (CCTV)", "Host"]
