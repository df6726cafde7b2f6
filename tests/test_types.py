from rag.types import Coverage, Reply


def test_a_reply_declines_when_it_says_the_transcripts_do_not_hold_what_was_asked():
    declining = [
        Reply("not_covered", coverage=(Coverage("a.txt", "Ada Li", ("ports",), "Host"),)),
        Reply("absent_speaker", value="Xi Jinping"),
        Reply("about_interview", fact="interviewer"),  # "The transcript does not name the interviewer"
        Reply("about_interview", fact="date"),  # "The transcript does not say."
    ]
    answering = [
        Reply("quotes"),
        Reply("attribution", value="Ada Li"),
        Reply("about_interview", fact="date", value="May 12"),
        Reply("about_interview", fact="topics"),  # the topics are listed, never missing
    ]
    assert [r.declines for r in declining] == [True] * 4
    assert [r.declines for r in answering] == [False] * 4
