from rag.corpus import parse_transcript
from rag.line_numbered import is_line_numbered, line_numbered_text


def _pages(*pages: list[str]) -> str:
    """Pages of a court reporter's transcript: "Page N" above 25 numbered lines (the last page padded)."""
    out = []
    for number, lines in enumerate(pages, start=1):
        out.append(f"{'':50}Page {number}\n")
        padded = [*lines, *[""] * (25 - len(lines))]
        out.extend(f"{n:>3}{'   ' + line if line else ''}\n" for n, line in enumerate(padded, start=1))
    return "".join(out)


STENO = _pages(
    [
        "              HARBOUR HISTORICAL COMMISSION",
        "           RECORDED INTERVIEW OF ODILE BRANNOCK",
        "",
        "          Interviewer:  MR. DESMOND PELL, Senior Archivist",
        "",
        "          Interviewee:  MS. ODILE BRANNOCK",
        "",
        "          Reported by:  HARRIET OSGOOD, Shorthand Reporter",
    ],
    [
        "          MS. TREMAINE:  We are recording.",
        "                    BY MR. PELL:",
        "          Q.   Good morning. Where were you",
        "born?",
        "          A.   In Tallow Cross, on the 2nd of June,",
        "1951.",
        "          Q.   And you trained where?",
        "          A.   At the Kelderwick School of Applied",
        "Arts. I went in 1970 and finished in 1973. My tutor",
        "there was Anselm Drury, a hard man to please.",
        "          Q.   Did you resent that?",
        "          A.   At the time, yes.",
        "          Q.   Where did you go after that?",
        "          A.   To the Halvorsen Lamp Company in",
        "Port Ennis, in January 1974. I made lamp chimneys",
        "and globes for railway lanterns, mostly. On a good",
        "day I'd turn out ninety chimneys.",
        "          Q.   Why did you leave the lamp company?",
        "          A.   Two reasons. The first was that it was",
        "bought by a firm from the city in 1977.",
        "               The second reason was my uncle",
        "Tobias. He lent me six thousand four hundred",
        "dollars, which was most of his savings, and I",
    ],
    ["paid back the last of it in 1985.", "          Q.   So the studio opened when?", "          A.   On the 21st of April, 1979."],
)


def test_a_court_reporters_transcript_is_told_by_its_numbered_lines():
    assert is_line_numbered(STENO)
    # A numbered list, or a page of a few numbered points, is no such transcript.
    assert not is_line_numbered("".join(f"{n}. Point {n} of the plan, which we kept.\n" for n in range(1, 9)))
    assert not is_line_numbered("Q: When?\nA: In 1979.\n" * 20)


def test_its_text_is_the_turns_the_numbered_lines_record():
    text = line_numbered_text(STENO)
    assert "Page" not in text and "  1" not in text
    paragraphs = text.split("\n\n")
    # "Q." and "A." are labels; a line deeper than the one before opens a paragraph; a page break does not.
    # A sentence a page's blank last lines cut goes on at the top of the next page.
    assert paragraphs[:8] == [
        "HARBOUR HISTORICAL COMMISSION RECORDED INTERVIEW OF ODILE BRANNOCK",
        "Interviewer:  MR. DESMOND PELL, Senior Archivist",
        "Interviewee:  MS. ODILE BRANNOCK",
        "Reported by:  HARRIET OSGOOD, Shorthand Reporter",
        "MS. TREMAINE:  We are recording.",
        "BY MR. PELL",
        "Q: Good morning. Where were you born?",
        "A: In Tallow Cross, on the 2nd of June, 1951.",
    ]
    assert paragraphs[14:17] == [
        "Q: Why did you leave the lamp company?",
        "A: Two reasons. The first was that it was bought by a firm from the city in 1977.",
        "The second reason was my uncle Tobias. He lent me six thousand four hundred dollars, which was most of his "
        "savings, and I paid back the last of it in 1985.",
    ]


def test_a_court_reporters_transcript_parses_with_the_people_its_cover_names():
    doc = parse_transcript(STENO, "brannock.txt")
    assert doc.raw == line_numbered_text(STENO)
    # The cover names them in capitals, with a title: the reply names them as the answers write them.
    assert (doc.interviewee, doc.interviewer) == ("Odile Brannock", "Desmond Pell")
    answers = [t.text for t in doc.turns if t.role == "answer"]
    assert len(answers) == 6 and answers[0] == "In Tallow Cross, on the 2nd of June, 1951."
    # The answer of two paragraphs is one turn; the technician's words are no answer.
    assert answers[4].startswith("Two reasons.") and answers[4].endswith("I paid back the last of it in 1985.")
    assert answers[5] == "On the 21st of April, 1979."


def test_the_interviewer_a_cover_page_names_in_capitals_is_cited_there():
    from rag.compose import interview_reply

    doc = parse_transcript(STENO, "brannock.txt")
    reply = interview_reply("interviewer", doc, [doc], ())
    assert reply.value == "Desmond Pell"
    assert [q.citation.text for q in reply.quotes] == ["Interviewer:  MR. DESMOND PELL, Senior Archivist"]
