from rag.corpus import parse_transcript
from rag.wrapping import is_hard_wrapped, unwrapped_text

PDF = (
    "THE SALTMARSH REVIEW  |  Winter 2024\n\n"
    "GROWING IN SALT: A CONVERSATION WITH DELPHINE ORSAT\n\n"
    "In this issue our features editor Mira Kovane sat down with Delphine Orsat,\n"
    "chair of the Kesterby Tidal Gardens Trust, at the Trust's temporary office\n"
    "above the Lantern Street bakery on 14 November 2024.\n\n"
    "MK: Delphine, thank you for making time. Let's start at the beginning. How\n"
    "did the Trust come about?\n\n"
    "DO: It started with a leaking roof, honestly. In March 2019 a group of\n"
    "eleven neighbours met in the old pump house on Gullet Lane because the\n"
    "council had announced it would demolish the Marrow Salt Works and build a\n"
    "car park, and nobody had asked the town what it wanted for the site.\n\n"
    "MK: What did the survey find?\n\n"
    "DO: The survey found that the brine tanks were structurally sound but the\n"
    "soil was heavily salted. They estimated it would take three growing seasons\n"
    "and a great deal of patience and money before they could call the\n"
    "                                  — 1 —\n"
    "THE SALTMARSH REVIEW  |  Winter 2024\n"
    "ground usable for anything but samphire. The forty-two founding members\n"
    "paid for the survey out of their own pockets, and the lottery paid for the\n"
    "infra-\n"
    "structure, which took a good forty-\n"
    "two weeks to put in.\n\n"
    "MK: And what is next?\n\n"
    "DO: The second phase starts in April 2025, when we convert the brine tanks\n"
    "into a rainwater store for the whole of the lower garden and the orchard.\n\n"
    "                                  — 2 —\n"
    "THE SALTMARSH REVIEW  |  Winter 2024\n"
)


def test_a_pdfs_text_is_told_by_lines_of_one_width_that_break_sentences():
    assert is_hard_wrapped(PDF)
    # One paragraph a line, however long, is a scraped page's layout; so is a chat's short lines.
    assert not is_hard_wrapped("Q: When did the Trust start?\nA: In March 2019, when eleven neighbours met.\n" * 10)
    assert not is_hard_wrapped("12/03/2025, 14:05 - Ada: ok\n12/03/2025, 14:06 - Bo: When did the Trust start, and who led it?\n" * 10)


def test_a_pdfs_paragraphs_are_joined_and_its_pages_furniture_left_out():
    # A paragraph's lines join; the page number and running header beside it go, and the paragraph
    # they stood inside goes on; a word broken at a line's end is whole again, unless the text writes
    # it with its hyphen elsewhere ("forty-two").
    text = unwrapped_text(PDF)
    assert "THE SALTMARSH REVIEW  |  Winter 2024\n\nGROWING IN SALT" in text  # the first page's header stays
    assert text.count("THE SALTMARSH REVIEW") == 1 and "— 1 —" not in text and "— 2 —" not in text
    assert (
        "DO: The survey found that the brine tanks were structurally sound but the soil was heavily salted. They "
        "estimated it would take three growing seasons and a great deal of patience and money before they could "
        "call the ground usable for anything but samphire. The forty-two founding members paid for the survey out "
        "of their own pockets, and the lottery paid for the infrastructure, which took a good forty-two weeks to put in.\n\n"
    ) in text
    assert text.endswith("into a rainwater store for the whole of the lower garden and the orchard.\n")


def test_a_pdfs_text_is_the_document_and_initials_name_the_people_the_intro_names():
    doc = parse_transcript(PDF, "review.txt")
    assert doc.raw == unwrapped_text(PDF)
    assert (doc.interviewee, doc.interviewer) == ("Delphine Orsat", "Mira Kovane")
    assert [(t.role, t.text[:40]) for t in doc.turns if t.role != "narration"] == [
        ("question", "Delphine, thank you for making time. Let"),
        ("answer", "It started with a leaking roof, honestly"),
        ("question", "What did the survey find?"),
        ("answer", "The survey found that the brine tanks we"),
        ("question", "And what is next?"),
        ("answer", "The second phase starts in April 2025, w"),
    ]


ORAL_HISTORY = (
    "VALE HISTORICAL SOCIETY\n\n"
    "Interviewee:      Edith Mae Vannoy (nee Kessling)\n"
    "Interviewer:      Thomas Lindqvist\n"
    "Date:             March 14, 2019\n"
    "Restrictions:     None. Quotation in published works requires the\n"
    "                  written permission of the Society.\n\n"
    "INTERVIEWER: Let's start at the beginning. Where and when were you\n"
    "born, and what did your family do in those days?\n\n"
    "NARRATOR: I was born on the ninth of August, 1936, in the back room of\n"
    "my grandmother's house in Pellam Ford. My father ran the ferry, and he\n"
    "charged fifteen cents a crossing when I was small and twenty when I\n\n\n"
    "           Vale Oral History Project - Page 1 of 2\n\n\n"
    "was grown. My mother kept the books and sold eggs from a stand at the\n"
    "landing, which is how I learned to count money before I could read.\n\n"
    "INTERVIEWER: When did the ferry stop running, and why did it stop?\n\n"
    "NARRATOR: The county opened the bridge in October of 1968, and that was\n"
    "the end of it. My father ran his last crossing on a Sunday, and he\n"
    "never really got over it, to be honest with you, not ever.\n\n\n"
    "           Vale Oral History Project - Page 2 of 2\n"
)


def test_a_running_footer_with_its_page_number_goes_and_a_header_block_keeps_its_lines():
    text = unwrapped_text(ORAL_HISTORY)
    assert "Page 1" not in text and "Page 2" not in text
    # The answer the page break cut is one paragraph again.
    assert "when I was grown. My mother kept the books" in text
    # Each property stays a line of its own, a value running on below its key its property's.
    assert (
        "Interviewee:      Edith Mae Vannoy (nee Kessling)\n\nInterviewer:      Thomas Lindqvist\n\nDate:             March 14, 2019\n\n"
        "Restrictions:     None. Quotation in published works requires the written permission of the Society.\n\n"
    ) in text


def test_an_oral_historys_role_labels_are_the_people_its_header_names():
    doc = parse_transcript(ORAL_HISTORY, "oral.txt")
    # "NARRATOR:" and "INTERVIEWER:" are roles; the header names who they are (a former name in brackets aside).
    assert (doc.interviewee, doc.interviewer) == ("Edith Mae Vannoy", "Thomas Lindqvist")
    assert [(m.name, m.value, m.span.text) for m in doc.meta if m.name in ("interviewee", "interviewer", "date")] == [
        ("date", "March 14, 2019", "March 14, 2019"), ("interviewee", "Edith Mae Vannoy", "Edith Mae Vannoy"),
        ("interviewer", "Thomas Lindqvist", "Thomas Lindqvist"),
    ]
    assert [(t.role, t.speaker) for t in doc.turns if t.role != "narration"] == [
        ("question", "Thomas Lindqvist"), ("answer", "Edith Mae Vannoy"), ("question", "Thomas Lindqvist"), ("answer", "Edith Mae Vannoy"),
    ]
