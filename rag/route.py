"""Route: what a question asks for, decided from the question and the parsed documents alone.

- about what a speaker said (the usual case): whose words may be quoted, and whether the question
  credits words or deeds to a speaker ("Did he say ...?"), which the attribution check needs;
- about the interview itself (its date, program, broadcaster, publisher, guest, topics);
- about the words of someone who does not speak in any transcript ("What did <other person> say?").

Every name the rules look for comes from the documents (`Document.aliases`, `interviewer_aliases`,
the metadata values); the only fixed words are English grammar ("interview", "say", "did").
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from rag.crosslingual import english_names
from rag.models import Encoder
from rag.query import expected_type
from rag.reply_text import asker_of
from rag.retrieval import tokenize
from rag.types import Chunk, Document, Role

RouteKind = Literal["speaker_words", "about_interview", "absent_speaker"]

# What a question about the interview itself asks for, each described in plain words; the question goes
# to the field whose description it resembles most (cosine), so wording need not match a keyword.
FIELD_DESCRIPTIONS = {
    "date": "date: when was the interview given or held, on what day and date did it take place",
    "program": "program: which program, programme or show was the interview for",
    "occasion": "occasion: on the eve of or ahead of what event, visit or occasion was the interview given",
    "place": "place: where was the interview recorded, given or held, at what place, venue, building, studio or location did it take place",
    "broadcaster": "broadcaster: which television channel, TV network, station or broadcaster aired it",
    "source": "source: which news agency, newspaper, magazine, journal, outlet, organisation or publisher reported or published the transcript or its full text",
    "interviewee": "interviewee: who gave the interview, who was the guest being interviewed",
    "interviewer": "interviewer: who asked the questions, who was the journalist, who interviewed him, who conducted, presented or hosted it",
    "topics": "topics: what topics, subjects or themes did the interview cover, what was it about",
}
# The kind of value each field holds, as `rag.query.expected_type` names the kind a question asks for.
FIELD_KINDS = {"date": "date", "place": "place", "interviewee": "person", "interviewer": "person"}
# Fields an organisation fills, which "Who ...?" asks for too: "Who published the interview?", "Who aired it?".
ORGANISATION_FIELDS = ("broadcaster", "source")
# A call as the interview itself: "the earnings call", "a phone call".
_CALL_NOUN = r"(?:earnings|conference|phone|video)\s+call"
# A question about the interview refers to it as an object: these words, or one of its metadata values.
_INTERVIEW_OBJECT = re.compile(
    r"\b(?:interviews?|interviewed|interviewers?|interviewees?|journalists?|reporters?|correspondents?|presenters?|transcripts?|broadcast|broadcaster|air|aired|channel|television|tv|network|station|show|segment|"
    rf"programme|episode|podcast|briefing|press conference|published|publisher|news agency|outlet)\b|{_CALL_NOUN}\b",
    re.IGNORECASE,
)
# The noun a question word asks for: "Which magazine ...?", "On what channel ...?", the last of a
# compound's ("Which TV program was it for?"). English.
_WHICH = r"^\W*(?:and\s+|so\s+)?(?:(?:in|on|for|by|from|at)\s+)?(?:which|what)\s+"
_WHICH_NOUN = re.compile(
    rf"{_WHICH}(?:[A-Za-z-]+\s+){{0,2}}?([A-Za-z-]+)(?=\s+(?:is|was|were|are|did|does|do|has|have|had|will|would)\b)|{_WHICH}([A-Za-z-]+)\b",
    re.IGNORECASE,
)
# Crediting a speaker with words or deeds: a reporting verb, or a yes/no question about them.
# A word that is a noun as often ("the earnings call", "the talks", "the state visit", "What was the boat
# called?") credits words only after who says them or the verb's helper ("did he call", "Ketterby called").
_ATTRIBUTIVE = re.compile(
    r"\b(?:say|says|said|claimed|describe|describes|described|mentioned|stated|tell|tells|told|admit|admits|admitted|"
    r"suggest|suggested|refer|referred|talked|speak|speaks|spoke|discuss|discussed|think|thinks|believe|believes)\b"
    r"|(?:\b(?:I|you|he|she|they|we|did|does|do|would|will|to|not|ever|also|really)|(?-i:\b[A-Z][\w’'-]+))\s+"
    r"(?:call|calls|called|claim|claims|mention|mentions|state|states|talk|talks|thought)\b"
    r"|\bis it true\b",
    re.IGNORECASE,
)
# A reporting verb that asks the bot ("Tell me about the flood.", "Can you describe ...?", "Please
# summarize ...") credits no one: what comes before it is only a polite opening, or "you". English.
_ASKS_THE_BOT = re.compile(r"^\W*(?:(?:please|now|so|and|ok(?:ay)?|then|finally|also)\W+)*(?:(?:can|could|would|will)\s+you\s+(?:please\s+)?)?$", re.IGNORECASE)
# A question about a person's deeds credits them too: yes/no ("Did he attend ...?") or why/how, which
# take the deed for granted ("Why is he concerned about ...?").
_YES_NO = re.compile(r"^\W*(?:(?:why|how come|how)\s+)?(?:did|does|do|is|was|were|has|have|had|will|would|can|could)\b", re.IGNORECASE)
_PERSON_PRONOUN = re.compile(r"\b(?:he|she|him|his|her|they)\b", re.IGNORECASE)
# A question that credits its facts to a speaker ("According to the minister, how many ... left?", "in
# his own words"): the facts it takes for granted must be that speaker's, not the interviewer's.
_CREDITS = re.compile(
    r"\baccording to\b|\bin (?:his|her|their|[\w-]+['’]s) (?:own )?(?:words|view|opinion|telling)\b|\bas (?:he|she|they) (?:puts?|sees?) it\b",
    re.IGNORECASE,
)
# "What do the other leaders think ...?", "What did experts say ...?": words asked of people named by a
# common noun, the verb's subject. English grammar.
_SOMEONE_ELSE_SPEAKS = re.compile(
    r"\b(?:what|how|why)\s+(?:do|does|did|have|has)\s+(?:the\s+|other\s+|some\s+|many\s+|most\s+)*(?:[\w-]+\s+){0,3}?"
    r"(?:people|leaders|presidents|officials|experts|critics|analysts|countries|governments|neighbou?rs|colleagues|observers|commentators|others)\s+"
    r"(?:say|said|think|believe|feel|tell|claim|argue)\b",
    re.IGNORECASE,
)
# "What did <Name> say/think ...", "<Name>'s words/view": a question about a named person's words.
_WORDS_OF = re.compile(
    r"\b(?:[Ww]hat|[Hh]ow) (?:did|does|do|has|have) (?P<who>[A-Z][\w-]+(?: [A-Z][\w-]+){0,2}) "
    r"(?:say|said|think|tell|answer|reply|respond|mean)\b"
    r"|\b(?P<who2>[A-Z][\w-]+(?: [A-Z][\w-]+){0,2})(?:’s|'s) (?:words|answer|reply|statement|response|view)\b"
)


@dataclass(frozen=True)
class Voice:
    """A speaker whose words may be quoted: the interviewee ("answer") or interviewer ("question") of one
    transcript; in a panel, one interviewee by name (`speaker`; "" for every one)."""

    source: str
    role: Role
    speaker: str = ""

    def admits(self, chunk: Chunk) -> bool:
        return chunk.source == self.source and chunk.role == self.role and (not self.speaker or chunk.speaker == self.speaker)


@dataclass(frozen=True)
class Route:
    kind: RouteKind
    voices: tuple[Voice, ...]  # whose words may be quoted
    named: bool = False  # the question names the speaker(s) in `voices`
    fact: str = ""  # about_interview: the field asked for
    more_facts: tuple[str, ...] = ()  # about_interview: further fields the question asks for, in order
    absent: str = ""  # absent_speaker: the person asked about
    attributive: bool = False
    ordinal: int = 0  # "the first question": which of the interviewer's questions, 1-based; -1 the last


# "The first question", "the interviewer's last question", "What did the interviewer ask first?", and the
# same in Russian, Kazakh and Chinese: a question asked for by its place in the interview. Grammar words.
_ORDINALS = {
    "first": 1, "opening": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "last": -1, "final": -1, "closing": -1,
    "перв": 1, "втор": 2, "трет": 3, "четв[её]рт": 4, "пят": 5, "последн": -1,
    "бірінші": 1, "екінші": 2, "үшінші": 3, "төртінші": 4, "бесінші": 5, "соңғы": -1,
    "第一": 1, "第二": 2, "第三": 3, "第四": 4, "第五": 5, "最后": -1,
}
_ORDINAL = "|".join(_ORDINALS)
_NTH_QUESTION = re.compile(
    rf"\b(?P<a>{_ORDINAL})\s+(?:\w+\s+)?questions?\b|\bask(?:ed)?\s+(?:\w+\s+)?(?P<b>first|last)\b"
    rf"|(?<!\w)(?P<c>{_ORDINAL})\w*\s+(?:\w+\s+)?(?:вопрос\w*|сұрақ\w*)|(?P<d>第[一二三四五]|最后)[一个]*(?:个)?问题",
    re.IGNORECASE,
)


_ANSWER_WORD = re.compile(r"\b(?:answer|answers|answered|reply|replied|respond|responded|response)\b|(?<!\w)(?:ответ|жауап)|回答|回应", re.IGNORECASE)


def asked_ordinal(question: str) -> int:
    """Which of the interviewer's questions the question asks for by its place: 1-based, -1 for the last,
    0 for none.

    >>> [asked_ordinal(q) for q in ("What was the first question?", "What did the interviewer ask last?", "What was the interviewer's second question?")]
    [1, -1, 2]
    >>> [asked_ordinal(q) for q in ("Какой был первый вопрос?", "Соңғы сұрақ қандай болды?", "第一个问题是什么？", "What was his first visit?")]
    [1, -1, 1, 0]
    """
    m = _NTH_QUESTION.search(question)
    if m is None:
        return 0
    word = next(g for g in m.groups() if g)
    return next(n for pattern, n in _ORDINALS.items() if re.fullmatch(pattern, word, re.IGNORECASE))


def _mention_pattern(phrase: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(phrase)}(?!\w)", re.IGNORECASE)


# The interviewees of a panel asked about together: "Do the two guests agree ...?", "What do both of
# them think ...?". English grammar.
_EVERY_INTERVIEWEE = re.compile(
    r"\b(?:both\s+(?:of\s+them|guests|speakers)|the\s+(?:two|three)\s+(?:of\s+them|guests|speakers|interviewees|panell?ists)"
    r"|the\s+(?:guests|interviewees|panell?ists|panel)|each\s+of\s+them|either\s+of\s+them)\b",
    re.IGNORECASE,
)


def asks_every_interviewee(question: str) -> bool:
    """
    >>> asks_every_interviewee("Do the two guests agree about night flights?"), asks_every_interviewee("What do both of them think?")
    (True, True)
    >>> asks_every_interviewee("Does trade help both countries?")
    False
    >>> asks_every_interviewee("What did the guest say about jobs?"), asks_every_interviewee("Did they agree?")
    (False, False)
    """
    return bool(_EVERY_INTERVIEWEE.search(question))


def _mentions(text: str, phrase: str) -> bool:
    return bool(_mention_pattern(phrase).search(text))


def named_voices(question: str, docs: Sequence[Document]) -> tuple[Voice, ...]:
    """The speakers a question names, by the names and titles their transcripts use.

    >>> from rag.types import Document
    >>> d = Document("a.txt", "", "", "Ada Li", "Interviewer", "", (), aliases=("Ada Li", "Li"), interviewer_aliases=("interviewer",))
    >>> named_voices("What did Li say?", [d]), named_voices("What did the interviewer ask?", [d])
    ((Voice(source='a.txt', role='answer', speaker=''),), (Voice(source='a.txt', role='question', speaker=''),))
    >>> p = Document("p.txt", "", "", "Ada Li and Bo Ek", "Interviewer", "", (), aliases=("Ada Li", "Li", "Bo Ek", "Ek"),
    ...              panel=(("Ada Li", ("Ada Li", "Li")), ("Bo Ek", ("Bo Ek", "Ek"))))
    >>> named_voices("What did Ek say?", [p])
    (Voice(source='p.txt', role='answer', speaker='Bo Ek'),)
    """
    voices: list[Voice] = []
    for d in docs:
        # A panel's interviewee by their own names: "What did Hartigan say?" is not Pritchard's to answer.
        panelists = [name for name, aliases in d.panel if any(_mentions(question, a) for a in aliases)]
        if panelists:
            voices += [Voice(d.source, "answer", name) for name in panelists]
        elif any(_mentions(question, a) for a in d.aliases):
            voices.append(Voice(d.source, "answer"))
        # Only the interviewer's speech is asked for by name: "Tokayev's plans" are what he talks about,
        # "the interviewer's homeland" is not what the interviewer said.
        if any(_asks_for_speech(question, a) for a in d.interviewer_aliases):
            voices.append(Voice(d.source, "question"))
        # One of several askers by their name ("What did Pradley say about the roof?" of a radio report's
        # "Interviewer (Owen Pradley)"): only their words.
        voices += [Voice(d.source, "question", asker) for asker in askers(d) if any(_asks_for_speech(question, a) for a in asker_aliases(asker))]
    return tuple(voices)


def askers(d: Document) -> list[str]:
    """The speakers of a transcript's questions who are one of several askers ("Interviewer (Owen Pradley)")."""
    return list(dict.fromkeys(t.speaker for t in d.turns if t.role == "question" and asker_of(t.speaker)))


def asker_aliases(asker: str) -> tuple[str, ...]:
    """The names an asker goes by, before any outlet after a comma: "Interviewer (Owen Pradley)" ->
    ("Owen Pradley", "Pradley"); none for a label that is no name ("Interviewer (Q44)").

    >>> asker_aliases("Interviewer (Tess Varga, Northgate Herald)"), asker_aliases("Interviewer (caller 2)")
    (('Tess Varga', 'Varga'), ())
    """
    name = asker_of(asker).split(",")[0].strip()
    words = name.split()
    if not 2 <= len(words) <= 3 or not all(w[:1].isupper() for w in words):
        return ()
    return (name, words[-1])


# Nouns for what someone said: "the interviewer's question", "Tokayev's view". English grammar.
_SPEECH_NOUNS = frozenset(
    """question questions word words remark remarks statement statements comment comments claim claims answer
    answers reply replies view views opinion opinions point points position stance response responses""".split()
)


def _asks_for_speech(question: str, alias: str) -> bool:
    """Whether the question names `alias` as someone whose words it asks about. A possessive before
    anything but speech names an owner, not a speaker: "the interviewer's homeland" asks what the
    interviewee said about the interviewer's country.

    >>> _asks_for_speech("What was the interviewer's question?", "interviewer")
    True
    >>> _asks_for_speech("What ties does he want with the interviewer's homeland?", "interviewer")
    False
    """
    return any(owned is None or owned[0] in _SPEECH_NOUNS for owned in _possessions(question, alias))


def _possessions(question: str, alias: str) -> Iterator[tuple[str, ...] | None]:
    """For each mention of `alias`, the one or two words after it when it is a possessive ("the
    interviewer's first question" -> ("first", "question")), lower-cased; None for a mention that is not."""
    for m in _mention_pattern(alias).finditer(question):
        owned = re.match(r"['’]s\s+(\w+)(?:\s+(\w+))?", question[m.end() :])
        yield None if owned is None else tuple(w.lower() for w in owned.groups() if w)


# A speaker as the subject of a verb of speech: "What did the interviewer ask about Taiwan?".
_SPEECH_VERB = (
    r"(?:\s+\w+ly)?\s+(?:asks?|asked|asking|says?|said|mentions?|mentioned|raises?|raised|puts?|wants? to know|wanted to know"
    r"|lists?|listed|describes?|described|cites?|cited|calls?|called|notes?|noted|brings? up|brought up|points? out|pointed out)\b"
)


def asks_interviewer_words(question: str, docs: Sequence[Document]) -> tuple[Voice, ...]:
    """The interviewers a question asks what they said: named as the subject of a verb of speech
    ("What did the interviewer ask about the port?", "What did Tom Essling say first?"). Such a question
    is about their words, not about who they are ("Who was the interviewer?"), nor about an answer to them
    ("What did he answer to the interviewer's question?").

    >>> from rag.types import Document
    >>> d = Document("a.txt", "", "", "Ada Li", "Interviewer", "", (), aliases=("Ada Li", "Li"), interviewer_aliases=("interviewer",))
    >>> asks_interviewer_words("What did the interviewer ask about the port?", [d]), asks_interviewer_words("Who was the interviewer?", [d])
    ((Voice(source='a.txt', role='question', speaker=''),), ())
    """
    return tuple(
        Voice(d.source, "question")
        for d in docs
        if any(re.search(rf"(?<!\w){re.escape(a)}{_SPEECH_VERB}", question, re.IGNORECASE) for a in d.interviewer_aliases)
    )


# The one who asks, and asking or a question, in the other languages a question may be in (Russian,
# Kazakh, Chinese): common nouns and grammar, as "interviewer" and "ask" are in English.
_ASKER_OTHER = re.compile(r"(?<!\w)(?:журналист|интервьюер|корреспондент|ведущ(?:ий|его|ему|им|ая|ей)\b|тілші|жүргізуші|сұхбат алушы)|记者|主持人|采访者|提问者", re.IGNORECASE)
_ASKING_OTHER = re.compile(r"(?<!\w)(?:спрос|спрашива|задал|задава|вопрос|сұра)|问", re.IGNORECASE)


def asks_interviewer_words_in_other_language(question: str, docs: Sequence[Document]) -> tuple[Voice, ...]:
    """`asks_interviewer_words` for a question in Russian, Kazakh or Chinese: it names the one who asks
    and asking, and no interviewee ("О чём журналист спросил про Тайвань?", "主持人问了关于台湾的什么问题？";
    not "Что Токаев ответил на вопрос журналиста?", which asks for his answer).

    >>> from rag.types import Document
    >>> d = Document("a.txt", "", "", "Ada Li", "Interviewer", "", (), aliases=("Ada Li", "Li"), other_language_names=(("Li", ("Ли",)),))
    >>> asks_interviewer_words_in_other_language("Что журналист спросил о порте?", [d]), asks_interviewer_words_in_other_language("Что Ли ответила на вопрос журналиста?", [d])
    ((Voice(source='a.txt', role='question', speaker=''),), ())
    """
    if not (_ASKER_OTHER.search(question) and _ASKING_OTHER.search(question)):
        return ()
    names = [pair for d in docs for pair in d.other_language_names]
    if any(v.role == "answer" for v in named_voices(english_names(question, names), docs)):
        return ()
    return tuple(Voice(d.source, "question") for d in docs)


# The interview as an object in Russian, Kazakh and Chinese, and what a question about it asks for: the
# same fields as FIELD_DESCRIPTIONS, by each language's common words and question words (no interview's
# names: those come from the card, `english_names`); a question word first ("Когда вышла программа?"
# asks a date, as FIELD_KINDS has "when" do in English), then the field's own nouns. A mention *inside*
# the interview ("в интервью", "сұхбатта", "在采访中") is where something was said, not the interview
# asked about.
_INTERVIEW_OTHER = re.compile(
    r"(?<!\w)(?:интервью|бесед[уаые]|телеканал\w*|канал\w*|программ\w*|передач\w*|эфир\w*|телевидени\w*|опубликова\w*|агентств\w*"
    r"|сұхбат\w*|телеарна\w*|арна\w*|бағдарлама\w*|хабар\w*|жарияла\w*|агенттіг\w*)"
    r"|采访|访谈|专访|电视台|频道|节目|栏目|播出|发布|通讯社",
    re.IGNORECASE,
)
_INSIDE_INTERVIEW = re.compile(
    r"(?<!\w)(?:в|во|из)\s+(?:этом\s+|своём\s+|своем\s+)?(?:интервью|беседе)(?!\w)|(?<!\w)сұхбат(?:ында|та|тан)(?!\w)|在[^，,。？?]{0,6}(?:采访|访谈|专访)中",
    re.IGNORECASE,
)
_FIELD_CUES_OTHER: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("occasion", re.compile(r"(?<!\w)накануне|в\s+преддверии|по\s+случаю|қарсаңында|前夕|之际", re.IGNORECASE)),
    ("interviewer", re.compile(
        r"(?<!\w)кто\s+(?:\w+\s+)?(?:брал|взял|провёл|провел|вёл|вел|задавал|интервьюировал)|(?<!\w)кім\s+(?:\w+\s+)?(?:алды|жүргізді|сұрақ)"
        r"|谁(?:采访|主持|提问)|(?:记者|主持人|采访者)是谁", re.IGNORECASE)),
    ("interviewee", re.compile(r"(?<!\w)кто\s+(?:\w+\s+)?(?:дал|давал)(?!\w)|(?<!\w)кім\s+(?:\w+\s+)?берді|谁接受|接受\w*的是谁", re.IGNORECASE)),
    ("date", re.compile(
        r"(?<!\w)когда(?!\w)|какого\s+числа|в\s+какой\s+день|(?<!\w)дат[аеуы](?!\w)|(?<!\w)қашан(?!\w)|қай\s+(?:күні|кезде|жылы)"
        r"|什么时候|哪一?天|何时|日期|几月几[号日]", re.IGNORECASE)),
    ("place", re.compile(r"(?<!\w)где(?!\w)|в\s+каком\s+месте|(?<!\w)қайда(?!\w)|қай\s+жерде|在哪|哪里|什么地方|地点", re.IGNORECASE)),
    ("broadcaster", re.compile(r"телеканал|(?<!\w)канал|телевидени|телеарна|(?<!\w)арна|电视台|频道", re.IGNORECASE)),
    ("program", re.compile(r"программ|передач|бағдарлама|(?<!\w)хабар|节目|栏目", re.IGNORECASE)),
    ("source", re.compile(r"опубликова|публикац|источник|агентств|жарияла|дереккөз|агентт|发布|刊登|来源|通讯社", re.IGNORECASE)),
    ("topics", re.compile(r"о\s+ч[её]м|(?<!\w)тем[аыу]?(?!\w)|не\s+туралы|тақырып|话题|主题", re.IGNORECASE)),
)


def interview_field_in_other_language(question: str, docs: Sequence[Document], chat_about_it: bool = False) -> str:
    """The metadata field a Russian, Kazakh or Chinese question asks for, or "": it names the interview
    as an object (or one of its metadata values, as the card spells them) and asks for a field by its
    words. "Когда Токаев дал интервью CCTV?" asks the date; "Что Токаев сказал в интервью о Тайване?"
    asks what was said (the interview is where, not what).

    >>> from rag.types import Document
    >>> d = Document("a.txt", "", "", "Ada Li", "Interviewer", "", ())
    >>> [interview_field_in_other_language(q, [d]) for q in ("Когда было дано интервью?", "На каком телеканале вышло интервью?", "Что Ли сказала в интервью о мосте?")]
    ['date', 'broadcaster', '']
    >>> [interview_field_in_other_language(q, [d]) for q in ("Сұхбатты кім жүргізді?", "这次采访的节目叫什么名字？", "在采访中她什么时候谈到大桥？")]
    ['interviewer', 'program', '']
    """
    names = [pair for d in docs for pair in d.other_language_names]
    written = english_names(question, names)
    values = [f.value for d in docs for f in d.meta if f.name in ("program", "broadcaster", "source") and f.value]
    outside = _INSIDE_INTERVIEW.sub(" ", written)
    if not (chat_about_it or _INTERVIEW_OTHER.search(outside) or any(_mentions(written, v) for v in values)):
        return ""
    return next((field for field, cue in _FIELD_CUES_OTHER if cue.search(outside)), "")


def names_interviewer_speech(question: str, docs: Sequence[Document]) -> bool:
    """Whether the question names an interviewer's words by a noun ("the interviewer's question about
    the port", "What did Li answer to the interviewer's question?"): it is about what was said.

    >>> from rag.types import Document
    >>> d = Document("a.txt", "", "", "Ada Li", "Interviewer", "", (), interviewer_aliases=("interviewer",))
    >>> names_interviewer_speech("What was the interviewer's question about the port?", [d]), names_interviewer_speech("Where is the interviewer's homeland?", [d])
    (True, False)
    """
    # "the interviewer's question", "the interviewer's first question"
    return any(
        owned is not None and any(w in _SPEECH_NOUNS for w in owned)
        for d in docs
        for a in d.interviewer_aliases
        for owned in _possessions(question, a)
    )


# Words that put a person's name after them. English.
_TITLE = (
    r"(?:Chairman|Chairwoman|President|Premier|Prime Minister|Minister|Mr|Mrs|Ms|Dr|Mayor|Ambassador|King|Queen|"
    r"Secretary|Governor|Senator|Director|Professor|Chancellor|Emperor|Pope|Sheikh|General)\.?"
)


def absent_person(question: str, docs: Sequence[Document]) -> str:
    """The person whose words the question asks for, when no transcript has them as a speaker.

    >>> from rag.types import Document
    >>> d = Document("a.txt", "", "", "Ada Li", "Interviewer", "", (), aliases=("Ada Li", "Li"))
    >>> absent_person("What did Bo Chen say in the interview?", [d]), absent_person("What did Li say?", [d])
    ('Bo Chen', '')
    """
    m = _WORDS_OF.search(question)
    if not m:
        return ""
    who = (m.group("who") or m.group("who2") or "").strip()
    speakers = [a for d in docs for a in (*d.aliases, *d.interviewer_aliases, d.interviewee, d.interviewer)]
    if not who or any(_mentions(who, a) or _mentions(a, who) for a in speakers if a):
        return ""
    # A country, an organisation, a city the speakers talk about is no one who could have said anything
    # here: "What does Kazakhstan think about Taiwan?" asks what its president says for it. A name the
    # transcripts give a title ("Chairman Xi Jinping") or never mention is a person's.
    mentioned = [d for d in docs if _mentions(d.raw, who)]
    if mentioned and not any(re.search(rf"\b{_TITLE}\s+{re.escape(who)}\b", d.raw) for d in mentioned):
        return ""
    return who


def asks_yes_or_no(question: str) -> bool:
    """Whether the question asks yes or no ("Did Li say ...?", "Is it true ...?"), not for someone's words
    ("What did Li say about ...?").

    >>> asks_yes_or_no("Did Li say it costs £41 million?"), asks_yes_or_no("What did Li say about the cost?")
    (True, False)
    """
    return bool(_YES_NO.search(question))


def is_attributive(question: str, names_speaker: bool) -> bool:
    """Whether the question credits a speaker with words ("Did he say ...", "Why did he call ...") or,
    asking yes or no about a speaker, with deeds ("Did he attend ...?").

    >>> is_attributive("Did he attend it?", False), is_attributive("What year did it begin?", False)
    (True, False)
    >>> is_attributive("Is the country in favour of it?", False), is_attributive("Why is Li concerned?", True)
    (False, True)
    >>> is_attributive("According to Li, how many people left?", True), is_attributive("According to the data, how many left?", False)
    (True, False)
    >>> is_attributive("What do the other Central Asian presidents think about it?", False)
    False
    >>> is_attributive("Tell me about the flood.", False), is_attributive("Can you describe the flood?", False), is_attributive("Tell me what he said.", False)
    (False, False, True)

    A word that is also a noun credits words only as a verb:

    >>> is_attributive("When was the earnings call held?", False), is_attributive("What was the first boat called?", False)
    (False, False)
    >>> is_attributive("Did Li call it a bunker?", True), is_attributive("What did he say about the talks?", False)
    (True, True)
    """
    about_a_speaker = names_speaker or bool(_PERSON_PRONOUN.search(question))
    credits = bool(_YES_NO.search(question)) or bool(_CREDITS.search(question))
    if _SOMEONE_ELSE_SPEAKS.search(question) and not about_a_speaker:
        # "What do the other presidents think about ...?" credits its words to people who do not speak
        # here: nothing is credited to a speaker (a user run found the trap fired on it).
        return False
    return any(not _ASKS_THE_BOT.search(question[: m.start()]) for m in _ATTRIBUTIVE.finditer(question)) or (credits and about_a_speaker)


def spoken_words(docs: Sequence[Document]) -> frozenset[str]:
    """The stems the speakers use in their questions and answers."""
    return frozenset(t for d in docs for turn in d.turns if turn.role in ("question", "answer") for t in tokenize(turn.text))


# "Who asked (him) the questions?", "Who questioned her?": in an interview only the interviewer asks
# questions. "Who asked the council to build it?" is a request, which a speaker may talk about.
_WHO_ASKED_QUESTIONS = re.compile(r"^\W*who\s+(?:(?:asked|was asking|put|posed)\b.*\bquestions?\b|questioned\b|interviewed\b)", re.IGNORECASE)
_WHO_ASKED = re.compile(r"^\W*who\s+(?:asked|was asking)\s+", re.IGNORECASE)


def asks_who_asked(question: str, docs: Sequence[Document]) -> bool:
    """Whether the question asks who asked the questions: in so many words, or by asking who asked the
    interviewee ("Who asked Mayor Varga about the tram line?").

    >>> from rag.types import Document
    >>> d = Document("a.txt", "", "", "Ada Li", "Interviewer", "", (), aliases=("Ada Li", "Li"))
    >>> asks_who_asked("Who asked Li about the port?", [d]), asks_who_asked("Who asked the council to build it?", [d])
    (True, False)
    """
    if _WHO_ASKED_QUESTIONS.search(question):
        return True
    m = _WHO_ASKED.search(question)
    return bool(m) and any(re.match(rf"(?:\w+\s+)?{re.escape(a)}\b", question[m.end() :], re.IGNORECASE) for d in docs for a in d.aliases)


def refers_to_interview(question: str, docs: Sequence[Document], spoken: frozenset[str] = frozenset()) -> bool:
    """The question names the interview as an object, or one of its metadata values ("Leaders Talk"),
    or asks who asked the questions. A word for it that the speakers themselves use (`spoken`: a
    festival director's "programme", a minister's "station") names what they talk about unless the
    question also says "interview"."""
    if asks_who_asked(question, docs):
        return True
    for m in _INTERVIEW_OBJECT.finditer(question):
        stems = tokenize(m.group(0))
        if m.group(0).lower() in _THING_NOUNS and _THING_NAMED_BEFORE.search(question[: m.start()]):
            continue  # "the frequent-flyer programme", "the loyalty scheme's show": another thing of that name
        # "this broadcast", "this segment": the one in hand, whatever the speakers call by that word.
        if not stems or stems[-1] in _OBJECT_TERMS or not all(t in spoken for t in stems) or _THIS.search(question[: m.start()]):
            return True
    values = {f.value for d in docs for f in d.meta if f.name in ("program", "broadcaster", "source")}
    return any(_mentions(question, v) for v in values if v)


_OBJECT_TERMS = frozenset(tokenize("interview interviews transcript call segment"))
_THIS = re.compile(r"\bthis\s+$", re.IGNORECASE)
# A question of several clauses, each asking for something: "Who interviewed her, for which outlet, and
# when?". English grammar.
_CLAUSES = re.compile(r",\s*(?:and\s+)?|;\s*|\s+and\s+(?=(?:(?:for|on|in|at|by|from)\s+)?(?:who|whom|when|where|which|what|how)\b)", re.IGNORECASE)
_JOINED_NOUNS = re.compile(r"\b(\w+)\s+(?:and|or)\s+(\w+)\b")
_BY_WHOM = re.compile(r"(?:and\s+)?by\s+whom\W*", re.IGNORECASE)
# Who does what a passive clause says was done to the interview. English.
_DONE_BY = (("interviewer", r"\b(?:interviewed|questioned|asked|conducted|hosted)\b"), ("broadcaster", r"\b(?:broadcast|aired|televised)\b"), ("source", r"\b(?:published|reported|printed)\b"))
_ASKS = re.compile(r"^(?:(?:for|on|in|at|by|from)\s+)?(?:who|whom|when|where|which|what|how)\b", re.IGNORECASE)
# Nouns of the interview's setting that also name other things, and a word before one that makes it such
# a thing ("the frequent-flyer programme", "a cookery show"; not "the programme", "which channel", "the
# TV show"). A user run found "What did Castellvi say about the frequent-flyer programme?" answered
# "The transcript does not say." (the interview's program). English.
_THING_NOUNS = frozenset("programme program show channel station network episode".split())
_THING_NAMED_BEFORE = re.compile(
    r"\b(?!(?:the|a|an|this|that|these|those|which|what|whose|his|her|their|its|your|our|my|same|tv|television|radio|news|whole|entire|full)\b)[a-z][\w-]*\s+$"
)
# "interview" as the event a question asks about ("When did Tom Essling interview the director ...?",
# "When was the interview recorded?"), not as where something was said ("What did he say in the interview?");
# so is a press conference, a briefing or an episode ("When was the press conference held?").
# A call, as a noun: "the earnings call", "When was the call held?" (not "What did he call it?").
_CALL = rf"(?:{_CALL_NOUN}|(?:(?<=\bthe\s)|(?<=\bthis\s))call)"
_INTERVIEW_WORD = re.compile(rf"\b(?:interview(?:s|ed)?|(?:press|news) conference|briefing|episode|segment)\b|{_CALL}\b", re.IGNORECASE)
_WHERE_SAID = re.compile(r"\b(?:in|during|throughout|from|of|about|after|before|since|at|on|into|for|to)\s+(?:(?:the|this|that|his|her|their|an?)\s+)?$", re.IGNORECASE)
_SOURCE_SAYS = re.compile(r"^\s+(?:says?|said|shows?|showed|mentions?|mentioned|states?|stated|reports?|reported)\b", re.IGNORECASE)


def names_interview_event(question: str) -> bool:
    """Whether the question asks about the interview as an event: its word is neither after a
    preposition ("in the interview") nor the subject of a reporting verb ("the interview says").

    >>> names_interview_event("When did Tom Essling interview the director?"), names_interview_event("When did he say in the interview that it began?")
    (True, False)
    >>> names_interview_event("When did it begin, as the interview says?"), names_interview_event("When was the press conference held?")
    (False, True)
    >>> names_interview_event("When was the earnings call held?"), names_interview_event("What did he call it?")
    (True, False)
    """
    return any(
        not _WHERE_SAID.search(question[: m.start()]) and not _SOURCE_SAYS.match(question[m.end() :])
        for m in _INTERVIEW_WORD.finditer(question)
    )


class Router:
    """Routes questions; holds the field descriptions' vectors (encoded once, on first use)."""

    def __init__(self, docs: Sequence[Document], encoder: Encoder, framing: frozenset[str]) -> None:
        """`framing`: the stems that frame a question rather than say what it asks (`Retriever.framing`)."""
        self.docs = list(docs)
        self.encoder = encoder
        self._fields = list(FIELD_DESCRIPTIONS)
        self._field_terms = [set(tokenize(FIELD_DESCRIPTIONS[f])) - _OBJECT_TERMS for f in self._fields]
        self._field_weight = {t: 1 / n for t, n in Counter(t for terms in self._field_terms for t in terms).items()}
        self.framing = framing
        self._field_vectors: np.ndarray | None = None

    @functools.cached_property
    def spoken(self) -> frozenset[str]:
        """The speakers' own words, on the first question about the interview (the router of the engine
        for other languages never asks one)."""
        return spoken_words(self.docs)

    def field_vectors(self) -> np.ndarray:
        if self._field_vectors is None:
            self._field_vectors = self.encoder.encode([FIELD_DESCRIPTIONS[f] for f in self._fields])
        return self._field_vectors

    def about_interview(self, question: str, question_vector: np.ndarray, best_answer_cosine: float, chat_about_it: bool = False) -> str:
        """The metadata field asked for, or "" when the question is about what was said. A question
        about the interview names it (or follows one about it, `chat_about_it`: "Which program was it
        on?"), and resembles a field's description more than any answer."""
        if not (chat_about_it or refers_to_interview(question, self.docs, self.spoken)):
            return ""
        # Cosine to each description plus the share of the question's words it uses: the field's own
        # nouns ("channel", "show") are the surest sign, the cosine catches the rest.
        # A word that several descriptions use ("given": the date, the place, the occasion) is a sign of
        # none of them: each shared word counts 1 / the number of descriptions that use it.
        words = set(tokenize(question)) - _OBJECT_TERMS
        overlap = np.array([sum(self._field_weight[t] for t in words & d) / len(words) if words else 0.0 for d in self._field_terms])
        cosine = self.field_vectors() @ question_vector
        score = cosine + overlap
        # "Who ...?" asks for a person, "When ...?" a date: only a field of that kind can answer, and not
        # one whose value the question states ("Who interviewed Marit Oskland?" asks the interviewer).
        kind = expected_type(question)
        fits = [
            i for i, f in enumerate(self._fields)
            if (FIELD_KINDS.get(f) == kind or (kind == "person" and f in ORGANISATION_FIELDS)) and not self._states(question, f)
        ] if kind else []
        if kind == "place":
            # "Where was it published?" asks for the outlet: a word only an organisation's description uses.
            fits += [i for i, f in enumerate(self._fields) if f in ORGANISATION_FIELDS and any(self._field_weight[t] == 1 for t in words & self._field_terms[i])]
        # Among them the one the question names by its role ("Who was the interviewer?": the stemmer
        # reads "interviewer" as "interview", the interview itself).
        fits = [i for i in fits if re.search(rf"\b{self._fields[i]}\b", question, re.IGNORECASE)] or fits
        who_asked = asks_who_asked(question, self.docs)
        if who_asked:
            # "Who interviewed her?" asks who asked, however near its words sit to the guest's description.
            fits = [i for i in fits if self._fields[i] == "interviewer"] or fits
        # "Which magazine ...?" asks for what the noun after its question word names, whatever else its
        # words say ("... is this interview being recorded for?" is no question of where).
        head = _WHICH_NOUN.match(question)
        named = [i for i, terms in enumerate(self._field_terms) if head and set(tokenize(head.group(1) or head.group(2))) & terms]
        if fits:
            fits = [i for i in fits if i in named] or fits
        elif len(named) == 1:
            fits = named
        if fits:
            score = np.where(np.isin(np.arange(len(score)), fits), score, -np.inf)
        best = int(np.argmax(score))
        if fits and (names_interview_event(question) or who_asked):
            # "When did <interviewer> interview <the guest, described>?", "Who asked <the guest> about
            # ...?": the interview is what the question word asks about, however many words name its people.
            return self._fields[best]
        if overlap[best] > 0 and score[best] >= best_answer_cosine:
            # A field's noun in a question that matches an answer better is another sense of the word:
            # "What show of support for the SCO does he mention?" is not about a TV show.
            return self._fields[best]
        # Without a field's noun, only a question with nothing else to ask ("When did he give this
        # interview?"): "Does he talk about his children in the interview?" asks about what was said.
        own = [t for t in tokenize(question) if t not in _OBJECT_TERMS and t not in self.framing]
        return self._fields[best] if float(cosine[best]) >= best_answer_cosine and len(own) <= 1 else ""

    def fields_asked_in_turn(self, question: str) -> list[str]:
        """The fields a question about the interview asks for one after another, a clause each ("Who
        interviewed Castellvi, for which outlet, and when?": the interviewer, the publisher, the date);
        one field or none for a question of one clause. A clause after the first asks only when it opens
        with a question word or names a field ("and when?", "for which programme?"; not "according to
        the page"). Each is read as a question of its own would be (a user run got only the date)."""
        # Two fields' own nouns joined ("On which programme and channel was it broadcast?"): both.
        joined = [
            [f for f, terms in zip(self._fields, self._field_terms) if any(self._field_weight.get(t) == 1 for t in set(tokenize(word)) & terms)]
            for m in _JOINED_NOUNS.finditer(question) for word in m.groups()
        ]
        if len(joined) == 2 and all(len(fields) == 1 for fields in joined) and joined[0] != joined[1]:
            return [joined[0][0], joined[1][0]]
        clauses = [c.strip() for c in _CLAUSES.split(question) if c and c.strip(" ,?")]
        if len(clauses) < 2:
            return []
        asking = [c for i, c in enumerate(clauses) if not i or _ASKS.match(c) or self._names_field(c)]
        # One encode for every clause, each then read as a question of its own.
        read = [self.about_interview(c, v, -1.0, chat_about_it=True) for c, v in zip(asking, self.encoder.encode(asking))]
        # "..., and by whom?" names no field: it asks who did what the first clause says was done ("Who
        # was interviewed and by whom?": the interviewer; "When was it broadcast, and by whom?": the station).
        agent = next((field for field, verb in _DONE_BY if re.search(verb, clauses[0], re.IGNORECASE)), "")
        read = [agent if _BY_WHOM.fullmatch(c) and agent else f for c, f in zip(asking, read)]
        return list(dict.fromkeys(f for f in read if f and f != "topics"))

    def _names_field(self, text: str) -> bool:
        words = set(tokenize(text)) - _OBJECT_TERMS
        return any(words & terms for terms in self._field_terms)

    def asks_only_field_words(self, question: str) -> bool:
        """Whether every topical word of the question is a field's own ("Which program was it on?",
        "And on which channel?"): after a question about the interview, such a follow-up asks another
        field of it; one with a word of its own ("And what did he say about Taiwan?") does not."""
        return not self.own_words(question)

    def own_words(self, question: str) -> list[str]:
        """The question's words that are neither a field's own nor framing: what it says of the interview
        ("Who was the studio guest?": "studio")."""
        fields = set().union(*self._field_terms)
        return [t for t in tokenize(question) if t not in fields and t not in self.framing]

    def _states(self, question: str, field: str) -> bool:
        """Whether the question names a person field's value (a speaker's name or title)."""
        aliases = [a for d in self.docs for a in (d.aliases if field == "interviewee" else d.interviewer_aliases if field == "interviewer" else ())]
        # Names and titles, not the generic "interviewer" ("Who was the interviewer?" asks for one).
        return any(_mentions(question, a) for a in aliases if a[:1].isupper() and a not in ("Interviewer", "Interviewee"))

    def route(
        self, question: str, question_vector: np.ndarray, best_answer_cosine: float, other_language: bool = False, chat_about_it: bool = False
    ) -> Route:
        """`other_language`: a Russian, Kazakh or Chinese question, whose vector is the multilingual encoder's;
        `chat_about_it`: the chat before it was about the interview itself."""
        every_interviewee = tuple(Voice(d.source, "answer") for d in self.docs)
        ordinal = asked_ordinal(question)
        if ordinal:
            # "What was the first question?": the interviewer's, by place, of the transcripts it names;
            # "What did he answer to the last question?": the answer to it.
            named = tuple(v for v in named_voices(question, self.docs) if v.role == "answer")
            sources = [v.source for v in named] or [d.source for d in self.docs]
            role: Role = "answer" if _ANSWER_WORD.search(question) else "question"
            return Route("speaker_words", tuple(Voice(s, role) for s in sources), named=True, ordinal=ordinal)
        # "What did the interviewer ask about Taiwan?", "What did he answer to the interviewer's question
        # on Taiwan?" want what was said, not the interviewer's name; "Who was the interviewer?", "When did
        # the interviewer ask ...?" still ask about the interview.
        asking = asks_interviewer_words(question, self.docs) or asks_interviewer_words_in_other_language(question, self.docs)
        about_words = (asking or names_interviewer_speech(question, self.docs)) and expected_type(question) not in FIELD_KINDS.values()
        if asking and about_words:
            return Route("speaker_words", asking, named=True, attributive=is_attributive(question, True))
        if about_words:
            fact = ""
        elif not other_language:
            fact = self.about_interview(question, question_vector, best_answer_cosine, chat_about_it)
        else:  # another language: the vectors are the multilingual encoder's, the words are read by rule
            fact = interview_field_in_other_language(question, self.docs, chat_about_it)
        if fact:
            asked = self.fields_asked_in_turn(question) if not other_language else []
            if len(asked) > 1:
                return Route("about_interview", (), fact=asked[0], more_facts=tuple(asked[1:]))
            return Route("about_interview", (), fact=fact)
        named = named_voices(question, self.docs)
        # "What did he answer to the interviewer's question on X?" is about the interviewee's words.
        named = tuple(v for v in named if v.role == "answer") or named
        # Asked for someone's words by name ("What did Xi Jinping say during his talks with Tokayev?"), the
        # question is about that person, whoever else it names.
        absent = absent_person(question, self.docs)
        if absent:
            return Route("absent_speaker", (), absent=absent)
        return Route("speaker_words", named or every_interviewee, named=bool(named), attributive=is_attributive(question, bool(named)))
