"""A conversation set out as a Markdown table, read as labelled paragraphs.

A team wiki (Notion, Confluence) exports a transcript as a table, a row a turn: "| 00:04:12 | Priya |
How did it start? |". Read line by line, every row is one paragraph that ends in "|" and names no one,
so the parser takes the rows for page furniture. The bot reads such a table as what it says instead:
each row a paragraph "Speaker: words", the time column left out, a line break inside a cell ("<br>") a
space. The lines around the table (a title, a properties block, a summary, action items) stay as they
are. That text is the document's: quotes and their offsets are into it.

A transcription tool's CSV (or tab-separated) export is the same table with another syntax: a header
row ("Speaker,Start Time,End Time,Text"), then a row an utterance, a cell with a comma or a line break
quoted. Read as text, each row would be a paragraph that opens with its speaker, times and a quote mark.
The whole file is read as the rows' "Speaker: words" paragraphs instead, by Python's `csv` module.

Which column names the speaker and which holds the words is read from the cells, not from the header's
wording: the words are the column with the longest cells; the speaker the column, of the others, with the
fewest different values (a conversation has few voices), none of them a time or a number.
"""

from __future__ import annotations

import csv
import io
import re
from statistics import mean

# A table's row: "| a | b |" (the outer pipes optional in Markdown, but wiki exports write them).
_ROW = re.compile(r"^\s*\|(.+)\|\s*$")
# The line under the header: "|---|:---:|".
_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
# A table is a conversation when it has this many rows under its header ...
MIN_ROWS = 4
# ... and its speaker column has at most this share of different values among its rows (two voices in
# forty rows; a glossary's terms are all different).
MAX_VOICE_SHARE = 0.5
_BREAK = re.compile(r"\s*<br\s*/?>\s*", re.IGNORECASE)
_NOT_A_NAME = re.compile(r"^[\d\s:.,()\[\]+-]*$")


def has_speaker_table(raw: str) -> bool:
    """Whether a text sets a conversation out as a Markdown table.

    >>> has_speaker_table("| Time | Speaker | Text |\\n|---|---|---|\\n| 0:01 | Ann | Why? |\\n| 0:02 | Bo | It rained. |\\n"
    ...                   "| 0:03 | Ann | And then? |\\n| 0:04 | Bo | We built a wall. |\\n")
    True
    >>> has_speaker_table("| Year | Boats |\\n|---|---|\\n| 2019 | 12 |\\n| 2020 | 14 |\\n| 2021 | 15 |\\n| 2022 | 19 |\\n")
    False
    """
    return any(_columns(rows) is not None for _, rows in _tables(raw.splitlines()))


def speaker_table_text(raw: str) -> str:
    """The text with each conversation table's rows as "Speaker: words" paragraphs, blank lines between.

    >>> print(speaker_table_text("# Mill\\n\\n| Time | Speaker | Text |\\n|---|---|---|\\n| 0:01 | Ann | Why? |\\n"
    ...                          "| 0:02 | Bo | It rained.<br>A lot. |\\n| 0:03 | Ann | And then? |\\n| 0:04 | Bo | A wall. |\\n\\nEnd.\\n"))
    # Mill
    <BLANKLINE>
    Ann: Why?
    <BLANKLINE>
    Bo: It rained. A lot.
    <BLANKLINE>
    Ann: And then?
    <BLANKLINE>
    Bo: A wall.
    <BLANKLINE>
    End.
    <BLANKLINE>
    """
    lines = raw.splitlines()
    out: list[str] = []
    at = 0
    for start, rows in _tables(lines):
        columns = _columns(rows)
        if columns is None:
            continue
        out.extend(lines[at:start])
        speaker, words = columns
        for cells in rows[1:]:
            if len(cells) <= max(speaker, words):  # a row cut short says no more than its cells: they stay text
                out.extend([" ".join(c for c in cells if c), ""] if any(cells) else [])
                continue
            text = _BREAK.sub(" ", cells[words]).strip()
            if text:
                out.extend([_labelled(cells[speaker], text), ""])
        at = start + len(rows) + 1  # the header, the rule under it and the rows
        while at < len(lines) and not lines[at].strip():  # each row already ends in a blank line
            at += 1
    out.extend(lines[at:])
    return "\n".join(out).rstrip("\n") + "\n"


# A delimited file is a table when nearly all its rows have the header's number of cells ...
SAME_WIDTH_SHARE = 0.9
# ... and its header names columns, in short cells ("Speaker", "Start Time", "Text").
MAX_HEADER_CELL = 30


def has_delimited_table(raw: str) -> bool:
    """Whether a whole text is a conversation as CSV or tab-separated rows under a header.

    >>> has_delimited_table("Speaker,Start,Text\\nAnn,0:01,Why?\\nBo,0:02,\\"It rained, a lot.\\"\\nAnn,0:03,And then?\\nBo,0:04,A wall.\\n")
    True
    >>> has_delimited_table("Q: Why, then, did you go?\\nA: Well, it rained.\\nQ: And then?\\nA: Yes, we built a wall.\\n")
    False
    """
    return _delimited(raw) is not None


def delimited_table_text(raw: str) -> str:
    """A delimited conversation's rows as "Speaker: words" paragraphs, blank lines between.

    >>> print(delimited_table_text("Speaker,Start,Text\\nAnn,0:01,Why?\\nBo,0:02,\\"It rained,\\n a lot.\\"\\nAnn,0:03,And then?\\nBo,0:04,A wall.\\n"))
    Ann: Why?
    <BLANKLINE>
    Bo: It rained, a lot.
    <BLANKLINE>
    Ann: And then?
    <BLANKLINE>
    Bo: A wall.
    <BLANKLINE>
    """
    found = _delimited(raw)
    if found is None:
        raise ValueError("not a delimited conversation table")
    rows, (speaker, words) = found
    paragraphs = []
    for cells in rows[1:]:
        if len(cells) <= max(speaker, words):
            continue  # a row cut short: no words of anyone's
        text = " ".join(cells[words].split())
        if text:
            paragraphs.append(_labelled(cells[speaker], text))
    return "\n\n".join(paragraphs) + "\n"


def _labelled(speaker: str, text: str) -> str:
    """A row's paragraph: "Speaker: words", or the words alone when the row names no speaker."""
    return f"{speaker.strip()}: {text}" if speaker.strip() else text


def _delimited(raw: str) -> tuple[list[list[str]], tuple[int, int]] | None:
    """The rows of a text that is a delimited conversation table (the header's first), with its speaker's
    and its words' columns; None for any other text."""
    for delimiter in (",", "\t", ";"):
        try:
            rows = [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(raw), delimiter=delimiter) if any(c.strip() for c in row)]
        except csv.Error:
            continue
        if len(rows) <= MIN_ROWS or len(rows[0]) < 2 or not all(0 < len(c) <= MAX_HEADER_CELL for c in rows[0]):
            continue
        if sum(len(row) == len(rows[0]) for row in rows) < SAME_WIDTH_SHARE * len(rows):
            continue
        columns = _columns(rows)
        if columns is not None:
            return rows, columns
    return None


def _tables(lines: list[str]) -> list[tuple[int, list[list[str]]]]:
    """Each table's first line and its rows' cells (the header's first; the rule under it left out)."""
    tables: list[tuple[int, list[list[str]]]] = []
    i = 0
    while i + 1 < len(lines):
        if _ROW.match(lines[i]) and _RULE.match(lines[i + 1]):
            rows = [_cells(lines[i])]
            j = i + 2
            while j < len(lines) and _ROW.match(lines[j]):
                rows.append(_cells(lines[j]))
                j += 1
            tables.append((i, rows))
            i = j
        else:
            i += 1
    return tables


def _cells(line: str) -> list[str]:
    match = _ROW.match(line)
    assert match is not None
    return [cell.strip() for cell in re.split(r"(?<!\\)\|", match.group(1))]


def _columns(rows: list[list[str]]) -> tuple[int, int] | None:
    """The speaker's column and the words' column of a conversation table; None for another table."""
    body = [cells for cells in rows[1:] if len(cells) == len(rows[0])]
    if len(body) < MIN_ROWS or len(rows[0]) < 2:
        return None
    width = len(rows[0])
    words = max(range(width), key=lambda c: mean(len(cells[c]) for cells in body))
    # (A row that goes on with the same voice may leave its speaker's cell empty.)
    named = {c: [cells[c] for cells in body if cells[c]] for c in range(width) if c != words}
    voices = {c: len(set(values)) for c, values in named.items() if values and not any(_NOT_A_NAME.match(v) for v in values)}
    if not voices:
        return None
    speaker = min(voices, key=lambda c: voices[c])
    if voices[speaker] > MAX_VOICE_SHARE * len(body):
        return None
    return speaker, words
