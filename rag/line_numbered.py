"""A court reporter's transcript, read as the paragraphs its numbered lines make.

A stenographic transcript (a deposition, a hearing, a recorded oral-history interview taken by a court
reporter) numbers every line of a page in the margin, 1 to 25, blank lines too; puts the page's number
above ("Page 14"); marks the turns "Q." and "A." and the other voices "MS. TREMAINE:", with no blank
line between turns; and indents a turn's first line and a new paragraph deeper than the lines that run
on. Read as plain text, its pages make a few long paragraphs strewn with line numbers, and no turn opens
with a label the parser knows. The bot reads it as the text it records instead: the margin's numbers
and the page numbers left out, a paragraph per turn or indented paragraph, "Q." and "A." as "Q:" and
"A:", a line that only names who examines ("BY MR. PELL:") a line of its own without its colon. That
text is the document's: quotes and their offsets are into it.
"""

from __future__ import annotations

import re

from rag.wrapping import SENTENCE_END, joined_lines

# A line numbered in the margin: the number, then the line's text after some spaces (or nothing).
_NUMBERED = re.compile(r"^\s{0,6}(?P<number>\d{1,2})(?:(?P<gap>\s+)(?P<text>\S.*))?\s*$")
# A page's own number, alone on its line ("Page 14", "- 14 -"), set apart from the numbered lines.
_PAGE = re.compile(r"^\s*[-—–]?\s*(?:page\s+)?\d{1,4}\s*[-—–]?\s*$", re.IGNORECASE)
# A text is line-numbered when at least this many lines ...
MIN_NUMBERED_LINES = 20
# ... and this share of its non-blank lines are numbered, ...
NUMBERED_SHARE = 0.7
# ... most of them one more than the line before (or 1, on a new page).
IN_ORDER_SHARE = 0.8
# The turn marks of a question and an answer, and a speaker's label in capitals ("MS. TREMAINE:").
_TURN_MARK = re.compile(r"^(?P<mark>[QA])\.\s+")
_LABEL = re.compile(r"^(?:[A-Z][A-Z.’'-]*\s){0,4}[A-Z][A-Z.’'-]*:(?:\s+|$)")
# A line's text this many columns deeper than the line before opens a paragraph (a new paragraph in an
# answer, a heading set in the middle); lines as deep as the one before go on with it (a cover page's).
INDENT_STEP = 3


def is_line_numbered(raw: str) -> bool:
    """Whether a text numbers its lines in the margin, page by page (a court reporter's transcript).

    >>> page = "\\n".join(f"{n:>3}   Q.   Why did you go?" if n % 2 else f"{n:>3}   A.   It rained." for n in range(1, 26))
    >>> is_line_numbered("Page 1\\n" + page), is_line_numbered("1. Why?\\n2. Because it rained.\\n")
    (True, False)
    """
    lines = [line.replace("\f", "") for line in raw.splitlines()]
    text_lines = [line for line in lines if line.strip() and not _PAGE.match(line)]
    numbers = [int(m.group("number")) for line in lines if (m := _NUMBERED.match(line))]
    if len(numbers) < MIN_NUMBERED_LINES or len(numbers) < NUMBERED_SHARE * len(text_lines):
        return False
    in_order = sum(b == a + 1 or b == 1 for a, b in zip(numbers, numbers[1:]))
    return in_order >= IN_ORDER_SHARE * (len(numbers) - 1)


def line_numbered_text(raw: str) -> str:
    """The paragraphs a line-numbered transcript records, one a line, a blank line between them.

    >>> print(line_numbered_text("                Page 3\\n"
    ...     "  1                  BY MR. PELL:\\n  2        Q.   Where were you\\n  3   born?\\n  4        A.   In Tallow\\n"
    ...     "  5   Cross, in 1951.\\n  6             The second reason was\\n  7   my uncle.\\n  8\\n"))
    BY MR. PELL
    <BLANKLINE>
    Q: Where were you born?
    <BLANKLINE>
    A: In Tallow Cross, in 1951.
    <BLANKLINE>
    The second reason was my uncle.
    <BLANKLINE>
    """
    lines: list[tuple[int, int, str]] = []  # (number, indent, text); text "" for a blank numbered line
    for line in raw.replace("\f", "").splitlines():
        m = _NUMBERED.match(line)
        if m is None:
            continue  # the page's number or another line outside the numbered ones
        lines.append((int(m.group("number")), len(m.group("gap") or ""), (m.group("text") or "").rstrip()))
    blocks: list[list[str]] = [[]]
    before = 0  # the indent of the line before, a blank line's none
    new_page = False  # a page began since the last line of text
    for number, indent, text in lines:
        new_page = new_page or number == 1
        mark = _TURN_MARK.match(text)
        labelled = mark is not None or bool(_LABEL.match(text))
        opens = not text or indent >= before + INDENT_STEP or labelled
        if opens and blocks[-1]:
            blocks.append([])
        before = indent if text else 0
        if not text:
            continue
        # A sentence a page's blank last lines cut goes on in lower case on the next page.
        if new_page and not labelled and not blocks[-1] and len(blocks) > 1 and text[:1].islower() and not SENTENCE_END.search(blocks[-2][-1]):
            blocks.pop()
        new_page = False
        if mark is not None:
            text = f"{mark.group('mark')}: {text[mark.end():]}"
        elif _LABEL.fullmatch(text.strip()):
            text = text.strip().rstrip(":")  # "BY MR. PELL:" names who examines, and says nothing
        blocks[-1].append(text.strip())
    return "\n\n".join(joined_lines(block, raw) for block in blocks if block) + "\n"
