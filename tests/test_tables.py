import csv
import io

from rag.corpus import parse_transcript
from rag.tables import has_speaker_table, speaker_table_text

WIKI = (
    "# Interview: Ingrid Halvorsen on the mill\n\n"
    "**Date:** 14 March 2024\n"
    "**Interviewer:** Priya Lindqvist\n"
    "**Interviewee:** Ingrid Halvorsen, chair of the Tallow Creek Mill Cooperative\n"
    "**Location:** The granary office, Tallow Creek Mill\n"
    "**Tags:** #food #heritage\n\n"
    "## Transcript\n\n"
    "| Time | Speaker | Text |\n"
    "|---|---|---|\n"
    "| 00:00:31 | Priya | And before the mill? |\n"
    "| 00:00:34 | Ingrid | I spent sixteen years as a hydraulic engineer. |\n"
    "| 00:01:47 | Priya | How did the cooperative come together? |\n"
    "| 00:01:51 | Ingrid | It started with a public meeting in February 2019.<br>Thirty-seven households signed up. |\n"
    "| 00:02:15 | Ingrid | Today we have 212 member households. |\n\n"
    "## Action items\n\n"
    "- [ ] Send Ingrid the edit\n"
)


def test_a_conversation_table_is_told_by_its_cells_not_its_header():
    assert has_speaker_table(WIKI)
    # The columns need no such header: the words are the longest cells, the voices the fewest values.
    assert has_speaker_table(WIKI.replace("| Time | Speaker | Text |", "| When | Who | What |"))
    # A table of figures (every row a different year) is no conversation.
    assert not has_speaker_table("| Year | Boats | Note |\n|---|---|---|\n" + "".join(f"| {y} | {y - 2000} | a good year for us |\n" for y in range(2019, 2025)))


def test_a_conversation_tables_rows_become_labelled_paragraphs():
    assert speaker_table_text(WIKI).split("## Transcript\n\n")[1] == (
        "Priya: And before the mill?\n\n"
        "Ingrid: I spent sixteen years as a hydraulic engineer.\n\n"
        "Priya: How did the cooperative come together?\n\n"
        "Ingrid: It started with a public meeting in February 2019. Thirty-seven households signed up.\n\n"
        "Ingrid: Today we have 212 member households.\n\n"
        "## Action items\n\n"
        "- [ ] Send Ingrid the edit\n"
    )


def test_a_wiki_export_parses_with_its_properties_as_the_record():
    doc = parse_transcript(WIKI, "wiki.md")
    assert doc.raw == speaker_table_text(WIKI)
    # The first names the rows give stand for the full names the page writes; the properties block is the
    # page's, and says when and where.
    assert (doc.interviewee, doc.interviewer) == ("Ingrid Halvorsen", "Priya Lindqvist")
    assert [(t.role, t.speaker) for t in doc.turns if t.role != "narration"] == [
        ("question", "Priya Lindqvist"), ("answer", "Ingrid Halvorsen"), ("question", "Priya Lindqvist"), ("answer", "Ingrid Halvorsen"),
        ("answer", "Ingrid Halvorsen"),
    ]
    # Two rows of one voice answer one question.
    assert len({t.exchange for t in doc.turns if t.role == "answer"}) == 2
    assert [(m.name, m.value) for m in doc.meta if m.name in ("date", "place")] == [
        ("date", "14 March 2024"), ("place", "The granary office, Tallow Creek Mill"),
    ]


def test_a_row_cut_short_stays_text():
    table = "| Time | Speaker | Text |\n|---|---|---|\n" + "".join(f"| {i} | {who} | {words} |\n" for i, (who, words) in enumerate(
        [("Ann", "Why?"), ("Bo", "It rained."), ("Ann", "And then?"), ("Bo", "We built a wall.")]
    )) + "| 5 | Ann |\n"
    assert speaker_table_text(table).endswith("Bo: We built a wall.\n\n5 Ann\n")


CSV = (
    "Speaker,Start Time,End Time,Text\n"
    'Bo Chan,00:00:00.000,00:00:09.100,"Welcome to The Harbour Hour. I\'m Bo Chan, and my guest is Ada Li."\n'
    "Bo Chan,00:00:09.100,00:00:12.000,When did the school open?\n"
    'Ada Li,00:00:12.400,00:00:20.000,"We opened on the 2nd of April 2011, with five students."\n'
    'Ada Li,00:00:20.000,00:00:26.000,"The council leased us the loft for one pound a year, ""as is""."\n'
    "Bo Chan,00:00:26.500,00:00:28.000,Where does the timber come from?\n"
    'Ada Li,00:00:28.300,00:00:35.000,"Larch, from an estate thirty miles inland,\nand some oak."\n'
)


def test_a_csv_export_is_a_conversation_table_read_by_its_cells():
    from rag.tables import delimited_table_text, has_delimited_table

    assert has_delimited_table(CSV)
    rows = list(csv.reader(io.StringIO(CSV)))
    tab_separated = "".join("\t".join(cell.replace("\n", " ") for cell in row) + "\n" for row in rows)
    assert has_delimited_table(tab_separated)  # as some tools export
    # A transcript whose lines hold commas is no table: its rows do not share one number of cells.
    assert not has_delimited_table("Q: Why, then, did you go?\nA: Well, it rained.\nQ: And then?\nA: Yes, we built a wall.\nQ: Why?\nA: Rain.\n")
    # Nor is a list of figures: every row's first cell differs, and they are numbers.
    assert not has_delimited_table("Year,Boats,Note\n" + "".join(f"{y},{y - 2000},a good year for the school\n" for y in range(2019, 2026)))
    # The times go, a quoted cell's commas, quotes and line breaks are its words'.
    assert delimited_table_text(CSV).splitlines()[4:9] == [
        "Ada Li: We opened on the 2nd of April 2011, with five students.",
        "",
        'Ada Li: The council leased us the loft for one pound a year, "as is".',
        "",
        "Bo Chan: Where does the timber come from?",
    ]
    assert delimited_table_text(CSV).endswith("Ada Li: Larch, from an estate thirty miles inland, and some oak.\n")


def test_a_csv_export_parses_as_its_speakers_turns():
    from rag.tables import delimited_table_text

    doc = parse_transcript(CSV, "episode.csv")
    assert doc.raw == delimited_table_text(CSV)
    assert (doc.interviewee, doc.interviewer) == ("Ada Li", "Bo Chan")
    assert [(t.role, t.text[:24]) for t in doc.turns if t.role != "narration"] == [
        ("question", "Welcome to The Harbour H"), ("question", "When did the school open"), ("answer", "We opened on the 2nd of "),
        ("answer", "The council leased us th"), ("question", "Where does the timber co"), ("answer", "Larch, from an estate th"),
    ]
