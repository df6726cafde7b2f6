"""A speech-to-text service's JSON export, read as the transcript its utterances make.

Transcription services and diarization tools export a recording as JSON: a list of utterances (or
segments), each with its speaker ("SPEAKER_00", "A", or a name) and its text, beside timings,
confidences and the file's metadata. Read as text, every line of the JSON is a paragraph: braces,
keys and timings become passages and quotes begin with `"text": "`. The bot reads such a file as what
its utterances say instead: a paragraph "SPEAKER_00: text" per utterance, in order. Who the generic
speakers are is left to the parser, which names a voice by the name it gives itself ("I'm Dana
Pruett") or by the name the other voice calls it by (`rag.corpus`). That text is the document's:
quotes and their offsets are into it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

# The keys a transcription service names an utterance's words and its speaker by. English (the APIs').
TEXT_KEYS = ("text", "transcript", "utterance", "content")
SPEAKER_KEYS = ("speaker", "speaker_label", "speaker_name", "speakerName", "name", "role")
# A list is a transcript's utterances when it has this many, each with words and a speaker.
MIN_UTTERANCES = 4


def is_json_transcript(raw: str) -> bool:
    """Whether a text is a JSON export of utterances with their speakers.

    >>> is_json_transcript('{"utterances": [' + ', '.join(['{"speaker": "A", "text": "Hi."}'] * 4) + ']}')
    True
    >>> is_json_transcript('{"speaker": "A", "text": "Hi."}'), is_json_transcript("Q: {Why?}")
    (False, False)
    """
    return _utterances(raw) is not None


def json_transcript_text(raw: str) -> str:
    """The transcript a JSON export's utterances make: "speaker: text" paragraphs, blank lines between.

    >>> print(json_transcript_text('{"metadata": {"language": "en"}, "utterances": ['
    ...     '{"speaker": "SPEAKER_00", "start": 0.4, "text": " How did it start? "}, {"speaker": "SPEAKER_01", "text": "By accident."},'
    ...     '{"speaker": "SPEAKER_00", "text": "When?"}, {"speaker": "SPEAKER_01", "text": "In 2013."}]}'))
    SPEAKER_00: How did it start?
    <BLANKLINE>
    SPEAKER_01: By accident.
    <BLANKLINE>
    SPEAKER_00: When?
    <BLANKLINE>
    SPEAKER_01: In 2013.
    <BLANKLINE>
    """
    utterances = _utterances(raw) or []
    paragraphs = [f"{_voice(speaker)}: {' '.join(text.split())}" for speaker, text in utterances if text.strip()]
    return "\n\n".join(paragraphs) + "\n"


def _utterances(raw: str) -> list[tuple[str, str]] | None:
    """The (speaker, text) of the first list in the JSON whose items are utterances; None if none is."""
    if not raw.lstrip().startswith(("{", "[")):
        return None
    try:
        data = json.loads(raw)
    except ValueError:
        return None
    for items in _lists(data):
        keyed = [(_first(item, SPEAKER_KEYS), _first(item, TEXT_KEYS)) for item in items if isinstance(item, dict)]
        utterances = [(str(speaker).strip(), text) for speaker, text in keyed if isinstance(speaker, (str, int)) and isinstance(text, str)]
        if len(utterances) >= MIN_UTTERANCES and len(utterances) == len(items):
            return utterances
    return None


def _voice(speaker: str) -> str:
    """A speaker's label: a bare number or letter ("0", "B") as "Speaker 0", so that "A:" is no answer's
    label of a Q/A layout."""
    return f"Speaker {speaker}" if speaker.isdigit() or (len(speaker) == 1 and speaker.isalpha()) else speaker


def _lists(data: Any) -> Iterator[list[Any]]:
    """Every list in a JSON value, outermost first."""
    if isinstance(data, list):
        yield data
        for item in data:
            yield from _lists(item)
    elif isinstance(data, dict):
        for value in data.values():
            yield from _lists(value)


def _first(item: dict[str, Any], keys: tuple[str, ...]) -> Any:
    return next((item[key] for key in keys if key in item), None)
