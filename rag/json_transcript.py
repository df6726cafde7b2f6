"""A speech-to-text service's JSON export, read as the transcript its utterances make.

Transcription services and diarization tools export a recording as JSON: a list of utterances (or
segments), each with its speaker ("SPEAKER_00", "A", or a name) and its text, beside timings,
confidences and the file's metadata. Read as text, every line of the JSON is a paragraph: braces,
keys and timings become passages and quotes begin with `"text": "`. The bot reads such a file as what
its utterances say instead: a paragraph "SPEAKER_00: text" per utterance, in order. Who the generic
speakers are is left to the parser, which names a voice by the name it gives itself ("I'm Dana
Pruett") or by the name the other voice calls it by (`rag.corpus`). That text is the document's:
quotes and their offsets are into it.

A chat app's channel export (Slack's day file: a list of messages with "ts", "user" and the sender's
"user_profile") is read as the app shows it: each message under a line with its sender's name and time,
each thread's replies under the message that opened it (the export lists them by time, between later questions), mentions by the
names the export gives, app notices (joins) left out, a bot's announcements as the page's lines, and the
day of the first message as the day it was held.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any

# The keys a transcription service names an utterance's words and its speaker by. English (the APIs').
TEXT_KEYS = ("text", "transcript", "utterance", "content")
SPEAKER_KEYS = ("speaker", "speaker_label", "speaker_name", "speakerName", "name", "role")
# A list is a transcript's utterances when it has this many, each with words and a speaker.
MIN_UTTERANCES = 4


# A chat export's notices of what happened in the channel, not said by anyone (Slack's subtypes).
CHANNEL_NOTICES = frozenset({"channel_join", "channel_leave", "channel_topic", "channel_purpose", "channel_name", "pinned_item", "reminder_add"})


def is_json_transcript(raw: str) -> bool:
    """Whether a text is a JSON export of utterances with their speakers.

    >>> is_json_transcript('{"utterances": [' + ', '.join(['{"speaker": "A", "text": "Hi."}'] * 4) + ']}')
    True
    >>> is_json_transcript('{"speaker": "A", "text": "Hi."}'), is_json_transcript("Q: {Why?}")
    (False, False)
    """
    return _paragraphs(raw) is not None


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
    return "\n\n".join(_paragraphs(raw) or []) + "\n"


def _paragraphs(raw: str) -> list[str] | None:
    """The paragraphs a channel export's messages make, or those of the first list in the JSON whose
    items are utterances; None if there is neither."""
    if not raw.lstrip().startswith(("{", "[")):
        return None
    try:
        data = json.loads(raw)
    except ValueError:
        return None
    if (messages := _channel_messages(data)) is not None:
        return messages
    for items in _lists(data):
        keyed = [(_first(item, SPEAKER_KEYS), _first(item, TEXT_KEYS)) for item in items if isinstance(item, dict)]
        utterances = [(str(speaker).strip(), text) for speaker, text in keyed if isinstance(speaker, (str, int)) and isinstance(text, str)]
        if len(utterances) >= MIN_UTTERANCES and len(utterances) == len(items):
            return [f"{_voice(speaker)}: {' '.join(text.split())}" for speaker, text in utterances if text.strip()]
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


def _channel_messages(data: Any) -> list[str] | None:
    r"""A channel export's messages as the app shows them, each under its sender's name and time (UTC),
    each thread's replies after its first message. The day the chat was held opens them, and a bot's
    announcements before anyone writes follow as the page's lines; later ones are the app's, left out.
    None unless every item is a message with its time ("ts"), as Slack writes them.

    >>> export = [
    ...     {"type": "message", "subtype": "channel_join", "ts": "1699983660.1", "user": "U2", "text": "<@U2> has joined the channel"},
    ...     {"type": "message", "ts": "1699984980.1", "thread_ts": "1699984980.1", "user": "U1", "user_profile": {"real_name": "Priya Vale"}, "text": "*Q1:* How did it start?"},
    ...     {"type": "message", "ts": "1699985100.1", "thread_ts": "1699985100.1", "user": "U1", "text": "*Q2:* How big is it, <@U2>? :thinking_face:"},
    ...     {"type": "message", "ts": "1699985160.1", "thread_ts": "1699984980.1", "user": "U2", "user_profile": {"real_name": "Noor Sato"}, "text": "With a kettle &amp; a shed."},
    ...     {"type": "message", "ts": "1699985340.1", "thread_ts": "1699985100.1", "user": "U2", "text": "23 caf\u00e9s, see <https://x.org/map|our map>."},
    ...     {"type": "message", "subtype": "bot_message", "ts": "1699988420.1", "username": "Helper", "text": ":memo: Archived."}]
    >>> print("\n\n".join(_channel_messages(export)))
    Held on 14 November 2023.
    <BLANKLINE>
    Priya Vale — 14/11/2023 18:03
    Q1: How did it start?
    <BLANKLINE>
    Noor Sato — 14/11/2023 18:06
    With a kettle & a shed.
    <BLANKLINE>
    Priya Vale — 14/11/2023 18:05
    Q2: How big is it, Noor Sato?
    <BLANKLINE>
    Noor Sato — 14/11/2023 18:09
    23 cafés, see our map.
    """
    if not isinstance(data, list) or len(data) < MIN_UTTERANCES:
        return None
    if not all(isinstance(m, dict) and m.get("type") == "message" for m in data):
        return None
    sent_at = [_time(m.get("ts")) for m in data]
    if None in sent_at:
        return None
    names = {m["user"]: name for m in data if m.get("user") and (name := _profile_name(m.get("user_profile")))}
    # Each thread's replies right after the message that opened it: by the thread's time, then its own.
    timed = sorted(
        ((opened if (opened := _time(m.get("thread_ts"))) is not None else at, at, m) for at, m in zip(sent_at, data) if m.get("subtype") not in CHANNEL_NOTICES),
        key=lambda item: item[:2],
    )
    first = datetime.fromtimestamp(min(t for t in sent_at if t is not None), tz=timezone.utc)
    # The messages' own day is the day the chat was held (a day file holds one day).
    paragraphs = [f"Held on {first.day} {first:%B %Y}."]
    said = 0
    for _, at, m in timed:
        text = " ".join(_plain(str(m.get("text", "")), names).split())
        if not text:
            continue
        if m.get("subtype") == "bot_message" or ("bot_id" in m and not m.get("user")):
            if not said:
                paragraphs.append(text)
            continue
        sent = datetime.fromtimestamp(at, tz=timezone.utc)
        sender = names.get(m.get("user", ""), str(m.get("user", "")))
        paragraphs.append(f"{sender} — {sent:%d/%m/%Y %H:%M}\n{text}")
        said += 1
    return paragraphs if said >= MIN_UTTERANCES else None


def _time(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _profile_name(profile: Any) -> str:
    if not isinstance(profile, dict):
        return ""
    return str(profile.get("real_name") or profile.get("display_name") or "").strip()


# Slack's markup: a mention "<@U05FH2KD9XB>" (or "<@U05FH2KD9XB|noor>"), a link "<https://...|label>", a
# channel "<#C01|general>", an emoji code ":hammer_and_wrench:" and *bold* or _italic_ words.
_MENTION = re.compile(r"<@(?P<id>[A-Z0-9]+)(?:\|(?P<name>[^>]+))?>")
_LINK = re.compile(r"<(?:#[A-Z0-9]+\|)?(?P<target>[^<>|]+)(?:\|(?P<label>[^<>]+))?>")
_EMOJI = re.compile(r"\s?:(?=[a-z0-9_+-]*[a-z])[a-z0-9_+-]+:(?::skin-tone-\d:)?")
_EMPHASIS = re.compile(r"(?<![\w*_])([*_])(?=\S)(.+?)(?<=\S)\1(?![\w*_])")


def _plain(text: str, names: dict[str, str]) -> str:
    text = _MENTION.sub(lambda m: names.get(m["id"]) or m["name"] or m["id"], text)
    text = _LINK.sub(lambda m: m["label"] or m["target"], text)
    text = _EMPHASIS.sub(lambda m: m[2], _EMOJI.sub("", text))
    return html.unescape(text).strip()
