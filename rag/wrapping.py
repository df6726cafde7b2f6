"""Text copied out of a PDF, read as the paragraphs its lines make.

A PDF's text breaks every paragraph into lines of one width ("... make the" / "ground usable."), splits
words at a line's end ("infra-" / "structure"), and repeats the page's running header and its number
on every page, in the middle of a paragraph if a page ends there. The parser reads one paragraph a line
(a scraped page's layout), so a speaker's label would open only the first line of a turn and every other
line would be read as a turn of its own. The bot reads such a file as the text its paragraphs make
instead: each paragraph's lines joined into one, a word broken at a line's end whole again, page numbers
and the running header left out. That text is the document's: quotes and their offsets are into it.

A file is taken to be hard-wrapped when its paragraphs run over several lines that fill one width and
break sentences mid-way; a page of one paragraph a line, however long, is left as it is.
"""

from __future__ import annotations

import re
from collections import Counter

# A file is hard-wrapped when it has at least this many lines inside paragraphs (a line followed by
# another of the same paragraph), ...
MIN_WRAPPED_LINES = 10
# ... its lines are no wider than a printed page's ...
MAX_WIDTH = 110
# ... and most lines inside a paragraph fill the width nearly ...
FULL_LINE = 0.6
FULL_SHARE = 0.6
# ... and many break off a sentence.
BROKEN_SHARE = 0.4
SENTENCE_END = re.compile(r"[.?!…:;][\"”’)\]]*$")
# A page's number on a line of its own: "— 3 —", "Page 3 of 6", "- 12 -", "3".
_PAGE_NUMBER = re.compile(r"^\s*[-—–]*\s*(?:page\s+)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?\s*[-—–]*\s*$", re.IGNORECASE)
# A running footer or header that carries the page's number ("River Towns Oral History - Page 3 of 9"):
# furniture when it recurs with only its numbers changed.
_PAGE_LINE = re.compile(r"(?:^|\W)page\s+\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?(?:\W*$|\s+[-—–|])", re.IGNORECASE)
# A header's properties, a line each ("Interviewee:   Edith Vannoy", "Accession No.: 2019-017"): each its
# own paragraph, not lines of one, when at least MIN_PROPERTY_LINES stand in a row.
_PROPERTY_LINE = re.compile(r"^[A-Z][\w .’'/-]{0,24}:\s+\S")
MIN_PROPERTY_LINES = 3
# How far from a page number the running header or footer stands, in lines.
RUNNING_REACH = 2
_HYPHENATED = re.compile(r"(?<=[A-Za-z])-$")


def is_hard_wrapped(raw: str) -> bool:
    """Whether a text's paragraphs are broken into lines of one width (a PDF's text).

    >>> wrapped = "Intro line.\\n\\n" + "\\n".join(["MK: It started with a leaking roof, honestly, in March of that year and"] * 12) + "\\n"
    >>> is_hard_wrapped(wrapped), is_hard_wrapped("Q: Why?\\nA: Because it rained all week.\\n" * 8)
    (True, False)
    """
    lines = [line.rstrip() for line in raw.splitlines()]
    widths = [len(line) for line in lines if line.strip()]
    if not widths:
        return False
    width = sorted(widths)[int(0.95 * (len(widths) - 1))]
    if width > MAX_WIDTH:
        return False
    inside = [line for line, after in zip(lines, lines[1:]) if line.strip() and after.strip() and not _PAGE_NUMBER.match(line)]
    if len(inside) < MIN_WRAPPED_LINES:
        return False
    full = sum(len(line) >= FULL_LINE * width for line in inside)
    broken = sum(not SENTENCE_END.search(line) for line in inside)
    return full >= FULL_SHARE * len(inside) and broken >= BROKEN_SHARE * len(inside)


def unwrapped_text(raw: str) -> str:
    """The paragraphs a hard-wrapped text makes, one a line, a blank line between them; page numbers and
    the running header or footer beside them left out, a paragraph a page break cut joined again.

    >>> print(unwrapped_text("MK: How did the Trust\\ncome about?\\n\\nDO: It started with a leaking roof. The\\ninfra-\\n"
    ...                      "  — 1 —\\nTHE REVIEW | Winter\\nstructure was old.\\n\\nMK: And now?\\n\\n— 2 —\\nTHE REVIEW | Winter\\n"))
    MK: How did the Trust come about?
    <BLANKLINE>
    DO: It started with a leaking roof. The infrastructure was old.
    <BLANKLINE>
    MK: And now?
    <BLANKLINE>
    """
    lines = [line.rstrip() for line in raw.splitlines()]
    numberless = lambda line: re.sub(r"\d+", "0", line.strip())  # noqa: E731
    recurring = Counter(numberless(line) for line in lines if _PAGE_LINE.search(line))
    numbers = [
        i for i, line in enumerate(lines)
        if line.strip() and (_PAGE_NUMBER.match(line) or (_PAGE_LINE.search(line) and recurring[numberless(line)] >= 2))
    ]
    near = Counter(lines[j].strip() for i in numbers for j in range(i - RUNNING_REACH, i + RUNNING_REACH + 1) if 0 <= j < len(lines) and j != i)
    running = {text for text, n in near.items() if text and n >= 2 and not SENTENCE_END.search(text)}
    furniture = set(numbers) | {
        j for i in numbers for j in range(i - RUNNING_REACH, i + RUNNING_REACH + 1) if 0 <= j < len(lines) and lines[j].strip() in running
    }
    properties = _property_lines(lines)
    blocks: list[list[str]] = [[]]
    cut = False  # a page's furniture stood since the last line
    for i, line in enumerate(lines):
        if i in furniture:
            cut = True
            continue
        if not line.strip():
            if blocks[-1] and not cut:
                blocks.append([])
            continue
        if i in properties and blocks[-1]:
            blocks.append([])
        # A paragraph a page break cut goes on in lower case after it.
        if cut and blocks[-1] == [] and len(blocks) > 1 and not SENTENCE_END.search(blocks[-2][-1]) and line.lstrip()[:1].islower():
            blocks.pop()
        cut = False
        blocks[-1].append(line.strip())
    text = "\n\n".join(joined_lines(block, raw) for block in blocks if block)
    return text + "\n"


def _property_lines(lines: list[str]) -> set[int]:
    """The lines that open a property of a header block: `MIN_PROPERTY_LINES` or more "Key: value" lines
    in a row, a value that runs on indented below its key ("Restrictions:  None. Quotation ... /
    works requires ...") still its property's."""
    found: set[int] = set()
    run: list[int] = []
    for i, line in enumerate([*lines, ""]):
        if _PROPERTY_LINE.match(line):
            run.append(i)
        elif not (run and line[:1].isspace() and line.strip()):
            if len(run) >= MIN_PROPERTY_LINES:
                found.update(run)
            run = []
    return found


def joined_lines(block: list[str], raw: str) -> str:
    """A paragraph's lines as one: a word hyphenated at a line's end whole again ("infra-" "structure"),
    unless the text writes it with its hyphen elsewhere ("forty-" "two" as "forty-two")."""
    out = block[0]
    for line in block[1:]:
        broken = _HYPHENATED.search(out)
        if broken and line[:1].islower():
            head = re.search(r"[\w’'-]+-$", out)
            tail = re.match(r"[\w’'-]+", line)
            whole = f"{head.group(0)}{tail.group(0)}" if head and tail else ""
            if whole and whole in raw.replace("\n", " "):
                out += line  # written with its hyphen elsewhere: a compound, kept
            else:
                out = out[:-1] + line
        else:
            out += " " + line
    return out
