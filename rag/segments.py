"""A speech recognizer's diarized segments, dumped a line each, read as labelled paragraphs.

A developer who runs a recognizer with speaker diarization writes its segments out a line each, the
speaker's id and the segment's times before the words: "spk_0 [12.48-19.02]: so tell me when did the
ferry first run". Read as text, no line opens with a label the parser knows (an id in lower case, times
in seconds). The bot reads such a file as "Speaker 1: words" paragraphs instead, a speaker's ids
numbered from 1 in the order they are first heard (the parser names them from their own words, as it
names a recording app's speakers); the times are left out. That text is the document's: quotes and their
offsets are into it.

The recognizer's words may have no punctuation and no capitals: each segment is then one sentence, and
with no question mark to go by the parser takes the one who speaks most for the interviewee.
"""

from __future__ import annotations

import re

# "spk_0 [12.48-19.02]: text", "SPEAKER_01 [00:01:02.5 - 00:01:09.0]: text", "S1 (3.2–7.9): text".
_SEGMENT = re.compile(
    r"^\s*(?P<speaker>[A-Za-z][\w-]{0,20})\s*[\[(]\s*(?P<start>[\d:.,]+)\s*(?:-|–|-->|to)\s*(?P<end>[\d:.,]+)\s*[\])]\s*:?\s*(?P<words>.*)$"
)
# A speaker's id, not a name: letters and a number ("spk_0", "speaker_1", "S2").
_ID = re.compile(r"^[A-Za-z_-]*\d+$")
# A file is a segment dump when this many of its non-blank lines, and this share, are segments.
MIN_SEGMENTS = 4
SEGMENT_SHARE = 0.8


def is_segment_dump(raw: str) -> bool:
    """Whether a text is a recognizer's segments a line each.

    >>> is_segment_dump("spk_0 [0.08-7.29]: hello and welcome\\nspk_1 [7.5-9.0]: thank you\\n" * 2)
    True
    >>> is_segment_dump("Ada Li [00:02:35]: Hello.\\nBo: Hi.\\n" * 2)
    False
    """
    lines = [line for line in raw.splitlines() if line.strip()]
    segments = sum(1 for line in lines if _SEGMENT.match(line))
    return segments >= MIN_SEGMENTS and segments >= SEGMENT_SHARE * len(lines)


def segment_text(raw: str) -> str:
    """The paragraphs a segment dump makes: "Speaker N: words", a blank line between.

    >>> print(segment_text("spk_0 [0.08-7.29]: hello i'm mara\\nspk_1 [7.5-9.0]: thank you\\nspk_1 [9.1-12.0]: it was 1911\\n"))
    Speaker 1: hello i'm mara
    <BLANKLINE>
    Speaker 2: thank you
    <BLANKLINE>
    Speaker 2: it was 1911
    <BLANKLINE>
    """
    voices: dict[str, str] = {}
    paragraphs = []
    for line in raw.splitlines():
        m = _SEGMENT.match(line)
        if m is None:
            if line.strip():
                paragraphs.append(line.strip())
            continue
        speaker, words = m.group("speaker"), " ".join(m.group("words").split())
        if _ID.match(speaker):
            speaker = voices.setdefault(speaker, f"Speaker {len(voices) + 1}")
        if words:
            paragraphs.append(f"{speaker}: {words}")
    return "\n\n".join(paragraphs) + "\n"
