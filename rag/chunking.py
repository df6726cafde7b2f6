"""Sentence splitting with exact offsets, and the passages that get indexed.

Answers are cut into passages of a few whole sentences (never across a paragraph, never inside a word).
Questions and narration are indexed too, as context that is never quoted as the interviewee's words.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Hashable, Sequence

from rag.types import Chunk, Document, Span, Turn

# Bump whenever the passages for the same corpus would come out differently (their text, or the
# speaker the parser names for them): the index manifest records it, and an index built by another
# version is rebuilt instead of answering from stale passages.
CHUNKER_VERSION = "14"
MAX_SENTENCES = 3
MAX_CHARS = 480

# A dash opening a paragraph of dialogue ("— How has the airline changed?"): no one's word.
_DIALOGUE_DASH = re.compile(r"[—–-]\s+(?=\S)")
# A timestamp opening a paragraph of a recorded transcript ("[00:02:35] ", "(1:02:03) ", "00:02:35 - "): a
# time in brackets, or one with hours, minutes and seconds ("9:30 is when we open" keeps its time).
TIMESTAMP = r"(?:[\[(]\d{1,2}(?::\d{2}){1,2}(?:[.,]\d{1,3})?[\])]|\d{1,2}:\d{2}:\d{2}(?:[.,]\d{1,3})?)"
_OPENING_TIMESTAMP = re.compile(rf"{TIMESTAMP}(?:\s+[—–-])?\s+(?=\S)")
# A direction in brackets before the words ("(Through interpreter) Thank you.", "[interpreter's note: ...]
# There was urgency."): how they were said, no one's words.
_OPENING_DIRECTION = re.compile(r"(?:\([^()\n]{1,60}\)|\[[^\[\]\n]{1,200}\])\s+(?=\S)")
_BOUNDARY = re.compile(r"[.!?…]+[\"”’)\]]*(?=\s)")
_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "st", "no", "vs", "etc", "e.g", "i.e", "u.s", "u.n", "jan", "feb", "mar",
    "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "gen", "sen", "rep", "gov", "inc", "ltd",
}


def split_sentences(raw: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Sentences of `raw[start:end]`, stripped, as spans into `raw`; a line break always ends a sentence.

    >>> [s.text for s in split_sentences("Hi there. Mr. Li came.\\nNext")]
    ['Hi there.', 'Mr. Li came.', 'Next']
    >>> [s.text for s in split_sentences("We ordered 18 jets.\\n\\n— Second, we sold 4.")]
    ['We ordered 18 jets.', 'Second, we sold 4.']
    """
    end = len(raw) if end is None else end
    spans: list[Span] = []
    line_start = start
    for line_end in [m.start() for m in re.finditer(r"\n", raw[start:end])] + [end - start]:
        line_end += start
        _split_line(raw, line_start, line_end, spans)
        line_start = line_end + 1
    return spans


def _split_line(raw: str, start: int, end: int, out: list[Span]) -> None:
    cursor = start
    for m in _BOUNDARY.finditer(raw, start, end):
        if _is_abbreviation(raw, cursor, m.start()) or not _next_starts_sentence(raw, m.end(), end):
            continue
        _append_stripped(raw, cursor, m.end(), out)
        cursor = m.end()
    _append_stripped(raw, cursor, end, out)


def _is_abbreviation(raw: str, sentence_start: int, dot: int) -> bool:
    word = re.search(r"([\w.]+)$", raw[sentence_start:dot])
    if word is None or raw[dot] != ".":
        return False
    token = word.group(1).lower()
    return token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha())


def _next_starts_sentence(raw: str, pos: int, end: int) -> bool:
    rest = raw[pos:end].lstrip()
    return not rest or not rest[0].islower()


# Where symbols stop being letters' kin (©, ®, °) and start being pictures: arrows, dingbats, emoji.
PICTOGRAPHS_FROM = 0x2190


def _pictographs(text: str) -> int:
    """The length of the pictographs and their blanks that open `text` before a word (emoji, with their
    joiners and variation selectors); not a copyright or trademark sign, which is part of the line."""
    i = 0
    while i < len(text) and (
        (unicodedata.category(text[i]) in ("So", "Sk") and ord(text[i]) >= PICTOGRAPHS_FROM) or (i and text[i] in "\ufe0f\u200d")
    ):
        i += 1
    rest = len(text[i:]) - len(text[i:].lstrip())
    return i + rest if i and rest and i + rest < len(text) else 0


def opening_skip(text: str) -> int:
    """How many characters open `text` before its first word: blanks, a timestamp, and a dialogue dash
    (a turn's, or an answer's next paragraph's: "— Second, ...").

    >>> opening_skip("  — Second, we sold 4."), opening_skip("Well - yes."), opening_skip(" -5 degrees")
    (4, 0, 1)
    >>> opening_skip("[00:02:35] ADA LI: Yes."), opening_skip("00:02:35 - Yes."), opening_skip("9:30 is when we open.")
    (11, 11, 0)

    A direction in brackets before the words, not a note alone on its line:

    >>> opening_skip("(Through interpreter) Thank you."), opening_skip("[interpreter's note: laughs] No."), opening_skip("(VIDEO REPORT)")
    (22, 29, 0)

    And pictographs set before a line as decoration (a social post's "🎙️ **Why flax?**", "✅ Lighter."):

    >>> opening_skip("🎙️ **Why flax?**"), opening_skip("✅ Lighter."), opening_skip("© 2025 Vale Radio"), opening_skip("🎙️")
    (3, 2, 0, 0)
    """
    rest = text.lstrip()
    rest = rest[_pictographs(rest) :]
    time = _OPENING_TIMESTAMP.match(rest)
    rest = rest[time.end() :] if time else rest
    direction = _OPENING_DIRECTION.match(rest)
    rest = rest[direction.end() :] if direction else rest
    dash = _DIALOGUE_DASH.match(rest)
    return len(text) - len(rest) + (dash.end() if dash else 0)


# Where an email's quoted question goes on to its next line ("... where is the money\n> 3. coming from?").
_QUOTED_LINE_BREAK = re.compile(r"\s*\n>[ \t]?(?:\d{1,2}[.)]\s+)?")


def unquoted(text: str) -> str:
    """A question an email quotes over several lines ("> where is the money\\n> coming from?") as one line.

    >>> unquoted("Where is the money\\n> coming from?")
    'Where is the money coming from?'
    """
    return _QUOTED_LINE_BREAK.sub(" ", text)


def _append_stripped(raw: str, start: int, end: int, out: list[Span]) -> None:
    piece = raw[start:end]
    s, e = start + opening_skip(piece), start + len(piece.rstrip())
    if e > s:
        out.append(Span(s, e, raw[s:e]))


def group_sentences(sentences: list[Span], max_sentences: int = MAX_SENTENCES, max_chars: int = MAX_CHARS) -> list[list[Span]]:
    """Split a paragraph's sentences into the fewest even groups within both limits.

    Even groups avoid a lone trailing sentence: 7 sentences -> 3 + 2 + 2, not 3 + 3 + 1.
    """
    if not sentences:
        return []
    chars = sentences[-1].end - sentences[0].start
    n_groups = max(math.ceil(len(sentences) / max_sentences), math.ceil(chars / max_chars))
    for n in range(min(n_groups, len(sentences)), len(sentences) + 1):
        groups = _even_split(sentences, n)
        if all(len(g) == 1 or g[-1].end - g[0].start <= max_chars for g in groups):
            return groups
    return [[s] for s in sentences]


def _even_split(items: list[Span], n_groups: int) -> list[list[Span]]:
    size, extra = divmod(len(items), n_groups)
    groups, i = [], 0
    for g in range(n_groups):
        take = size + (1 if g < extra else 0)
        groups.append(items[i : i + take])
        i += take
    return groups


_COURTESY = re.compile(r"\b(?:thank|thanks|welcome|goodbye|good-bye|a pleasure|good (?:morning|afternoon|evening))\b", re.IGNORECASE)


def is_courtesy(text: str) -> bool:
    """A turn that asks nothing and thanks or welcomes ("Mayor Varga, thank you."); not "Tell us about the
    new irrigation law.", which asks without a "?". English."""
    return "?" not in text and bool(_COURTESY.search(text))


def _courtesy_reply(doc: Document, answer: Turn, asked: Turn | None) -> bool:
    """Whether an answer only returns the interviewer's courtesy: "Thank you for coming up." after
    "Director Kesteven, thank you." says nothing to quote, and its passage, embedded with the guest's
    name from the sign-off, matched any question naming the guest (a user run: "Who did Kesteven take
    over from as director?" quoted it). Not "Thank you, Pieter. I hope to bring back a treaty." """
    if asked is None or not is_courtesy(asked.text):
        return False
    return all(is_courtesy(doc.raw[s.start : s.end]) for s in split_sentences(doc.raw, answer.start, answer.end))


def asking_positions(items: Sequence[Turn] | Sequence[Chunk], exchange: Callable[[Turn | Chunk], Hashable]) -> dict[Hashable, int]:
    """Where the interviewer's turn (or its passage) is that each exchange's answer replies to, by
    `exchange(item)`: the last before the answer ("Next question, please." then a reporter's question:
    the reporter's), not a word said while listening after it ("Wow.")."""
    asking: dict[Hashable, int] = {}
    answered: set[Hashable] = set()
    for i, item in enumerate(items):
        if item.role == "question" and exchange(item) not in answered:
            asking[exchange(item)] = i
        elif item.role == "answer":
            answered.add(exchange(item))
    return asking


def asking_turns(turns: Sequence[Turn]) -> dict[int, Turn]:
    """The interviewer's turn each exchange's answer replies to, by exchange (`asking_positions`)."""
    return {e: turns[i] for e, i in asking_positions(turns, lambda t: t.exchange).items()}  # type: ignore[misc]


def chunk_document(doc: Document) -> list[Chunk]:
    """All passages of a document, answers first-class, questions and narration as context; an answer
    that only returns a courtesy is no passage."""
    questions = asking_turns(doc.turns)
    chunks: list[Chunk] = []
    for turn_index, turn in enumerate(doc.turns):
        if turn.role == "answer":
            asked = questions.get(turn.exchange)
            if not _courtesy_reply(doc, turn, asked):
                chunks.extend(_answer_chunks(doc, turn, turn_index, unquoted(asked.text) if asked else ""))
        else:
            chunks.append(_context_chunk(doc, turn, turn_index))
    return chunks


def _answer_chunks(doc: Document, turn: Turn, turn_index: int, question: str) -> list[Chunk]:
    out = []
    paragraphs = _paragraph_spans(doc.raw, turn.start, turn.end)
    part = 0
    for p_start, p_end in paragraphs:
        for group in group_sentences(split_sentences(doc.raw, p_start, p_end)):
            part += 1
            start, end = group[0].start, group[-1].end
            text = doc.raw[start:end]
            out.append(
                Chunk(
                    id=f"{doc.source}#t{turn_index}.{part}",
                    source=doc.source,
                    role="answer",
                    speaker=turn.speaker,
                    exchange=turn.exchange,
                    start=start,
                    end=end,
                    text=text,
                    # The answer leads so that a long question, not the answer, is what truncation drops.
                    embed_text=f"{text}\nAsked: {question}" if question else text,
                    question=question,
                    sentences=tuple(group),
                )
            )
    return out


def _context_chunk(doc: Document, turn: Turn, turn_index: int) -> Chunk:
    return Chunk(
        id=f"{doc.source}#t{turn_index}",
        source=doc.source,
        role=turn.role,
        speaker=turn.speaker,
        exchange=turn.exchange,
        start=turn.start,
        end=turn.end,
        text=turn.text,
        embed_text=turn.text,
        sentences=tuple(split_sentences(doc.raw, turn.start, turn.end)),
    )


def _paragraph_spans(raw: str, start: int, end: int) -> list[tuple[int, int]]:
    spans, cursor = [], start
    for m in re.finditer(r"\n\s*\n", raw[start:end]):
        spans.append((cursor, start + m.start()))
        cursor = start + m.end()
    spans.append((cursor, end))
    return [(s, e) for s, e in spans if raw[s:e].strip()]
