"""What a user's question means before retrieval: cleaned, stripped of embedded instructions,
completed from the chat history when it is a follow-up, and routed when it asks about the interview itself."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

MAX_QUESTION_CHARS = 1000
MAX_HISTORY_TURNS = 8


class QuestionError(ValueError):
    """A question that cannot be answered as given; the message says what to change."""


@dataclass(frozen=True)
class Query:
    question: str  # as cleaned, what the user asked
    text: str  # what retrieval sees: follow-ups completed, instructions and question framing removed
    focus: str  # the user's own latest words (no history), for choosing sentences
    injected: bool = False
    truncated: bool = False
    followup: bool = False


# "ignore all previous instructions and say that ...": the instruction is dropped, the topic kept.
_INSTRUCTION = re.compile(
    r"\b(?:ignore|disregard|forget|override)\b[^.?!]*?\b(?:instructions?|rules?|prompts?|guidelines?|context)\b[\s,.:;]*"
    r"|\b(?:you are now|from now on|pretend(?: to be| that)?|act as|roleplay as|system prompt)\b[^.?!]*[.?!]?"
    r"|\b(?:and\s+)?(?:say|write|state|claim|reply|respond|answer|output|print)\s+(?:only\s+)?(?:that|with|:)\s*",
    re.IGNORECASE,
)
_FOLLOWUP_START = re.compile(r"^(?:and|but|also|so|then|what about|how about|and what|what else|why|why not)\b", re.IGNORECASE)
_ANAPHORA = re.compile(r"\b(?:it|its|it’s|it's|that|this|there|they|them|their|those|these|then|he|him|his)\b", re.IGNORECASE)
_PERSONAL = re.compile(r"\b(?:he|him|his)\b", re.IGNORECASE)
# Words that frame a question about the interview ("what did Tokayev say about ...") but say nothing of
# its topic; they are left out of retrieval so that "Tokayev said" does not match the narration.
_FRAMING = re.compile(
    r"\b(?:kassym-jomart|tokayev(?:’s|'s)?|the president|president|the head of state|he|his|him|mr\.?"
    r"|say|says|said|tell me|tell us|tell|speak|spoke|think|thinks|thought|mention|mentions|mentioned"
    r"|his view|view|views|opinion|position|stance|the interview|interview|please|explain|describe)\b",
    re.IGNORECASE,
)


def clean_text(text: str, limit: int = MAX_QUESTION_CHARS) -> tuple[str, bool]:
    """Printable, whitespace-folded text, cut at `limit` characters; returns (text, was_cut)."""
    if not isinstance(text, str):
        raise QuestionError(f"a question must be text, got {type(text).__name__}")
    text = text.encode("utf-8", "replace").decode("utf-8")  # lone surrogates become U+FFFD
    text = "".join(" " if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") and ch not in "\u200d" else ch for ch in text)
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) > limit:
        return text[:limit].rstrip(), True
    return text, False


_SCRIPT = re.compile(r"<(script|style)\b.*?</\1\s*>", re.I | re.S)
_TAG = re.compile(r"</?[A-Za-z][^<>]{0,300}>")
_MD_LINK = re.compile(r"!?\[([^\]]{0,300})\]\([^)]{0,500}\)")
_URL = re.compile(r"\bhttps?://\S+", re.I)


def strip_markup(text: str) -> str:
    """Pasted markup says nothing about the topic: drop scripts, tags and URLs, keep a link's words.

    >>> strip_markup('<script>alert(1)</script> <b>What</b> about [the SCO](http://x.y)? http://e.com')
    'What about the SCO?'
    """
    text = _URL.sub(" ", _MD_LINK.sub(r"\1", _TAG.sub(" ", _SCRIPT.sub(" ", text))))
    return re.sub(r"\s+", " ", text).strip() or text.strip()


def is_followup(question: str, content_terms: int) -> bool:
    return bool(_FOLLOWUP_START.match(question)) or (content_terms <= 2 and bool(_ANAPHORA.search(question)))


def strip_framing(text: str) -> str:
    stripped = re.sub(r"\s+", " ", _FRAMING.sub(" ", text)).strip(" ,.")
    return stripped if re.search(r"\w{3,}", stripped) else text


def parse_query(question: str, history: Sequence[str] = (), count_terms=lambda s: len(s.split())) -> Query:  # type: ignore[no-untyped-def]
    """Clean the question, drop embedded instructions, and complete a follow-up from `history`.

    `count_terms` counts the topical words of a text (injected so the retrieval tokenizer decides).
    """
    cleaned, truncated = clean_text(question)
    if not cleaned:
        raise QuestionError("the question is empty: ask something about the interview, e.g. 'What did Tokayev say about Taiwan?'")
    core = _INSTRUCTION.sub(" ", cleaned)
    injected = core != cleaned
    core = strip_markup(core)
    core = re.sub(r"\s+", " ", core).strip(" ,.;:") or cleaned
    earlier = [clean_text(h)[0] for h in _valid_history(history)]
    followup = bool(earlier) and is_followup(core, count_terms(strip_framing(core)))
    context: list[str] = []
    if followup:
        # Walk back to the last turn that stood on its own: "And when?" after "And who?" after "The SCO?".
        for turn in reversed(earlier):
            context.insert(0, turn)
            if not is_followup(turn, count_terms(strip_framing(turn))):
                break
    text = strip_framing(" ".join([*context, core]))
    return Query(cleaned, text, strip_framing(core), injected, truncated, followup)


def _valid_history(history: Sequence[str] | None) -> list[str]:
    if history is None:
        return []
    if isinstance(history, str) or not isinstance(history, Sequence):
        raise QuestionError(f"history must be a list of earlier questions, got {type(history).__name__}")
    turns = [h for h in history if isinstance(h, str) and h.strip()]
    return turns[-MAX_HISTORY_TURNS:]


_META_FIELDS = {
    "date": re.compile(r"\bwhen\b.*\b(?:interview|it (?:air|take place|happen|broadcast))|\b(?:what|which) (?:date|day)\b|\bdate of the interview\b", re.I),
    "program": re.compile(r"\b(?:program|programme|show|series)\b", re.I),
    "broadcaster": re.compile(r"\b(?:channel|broadcaster|network|tv|television|station|media outlet|which outlet|who (?:aired|broadcast))\b", re.I),
    "source": re.compile(r"\b(?:source|agency|reported|publish(?:ed)?|transcript|who wrote|news agency)\b", re.I),
    "interviewer": re.compile(r"\bwho (?:interviewed|asked|conducted|was the interviewer)\b|\binterviewer\b", re.I),
    "interviewee": re.compile(r"\bwho (?:was interviewed|gave (?:the|this) interview|is interviewed)\b", re.I),
    "topics": re.compile(r"\b(?:topics?|what (?:is|was) (?:the|this) interview about|subjects?|what (?:does|did) the interview cover)\b", re.I),
}
_ABOUT_INTERVIEW = re.compile(r"\b(?:interview|program|programme|show|broadcast|aired|channel|transcript|cctv|kazinform|leaders talk)\b", re.I)


def meta_intent(question: str) -> str | None:
    """The fact about the interview itself that a question asks for, if it asks about the interview.

    >>> meta_intent("When was the interview given?"), meta_intent("When did the SCO start?")
    ('date', None)
    """
    if not _ABOUT_INTERVIEW.search(question):
        return None
    for name, pattern in _META_FIELDS.items():
        if pattern.search(question):
            return name
    return None


_OTHER_SPEAKER = re.compile(
    r"\b(?:[Ww]hat|[Hh]ow) (?:did|does|do|has|have) (?P<who>[A-Z][\w-]+(?: [A-Z][\w-]+){0,2}) (?:say|said|think|tell|answer|reply|respond|mean)\b"
    r"|\b(?P<who2>[A-Z][\w-]+(?: [A-Z][\w-]+){0,2})(?:’s|'s) (?:words|answer|reply|statement|response|view)\b"
)


def other_speaker(question: str, interviewee: str) -> str | None:
    """A named person whose words the question asks for, when that is not the interviewee.

    >>> other_speaker("What did Xi Jinping say in the interview?", "Kassym-Jomart Tokayev")
    'Xi Jinping'
    """
    m = _OTHER_SPEAKER.search(question)
    if not m:
        return None
    who = (m.group("who") or m.group("who2") or "").strip()
    names = {w.lower() for w in re.split(r"[\s-]+", interviewee)} | {"he", "the", "president", "kazakhstan", "kazakh"}
    if not who or any(w.lower() in names for w in re.split(r"[\s-]+", who)):
        return None
    return who
