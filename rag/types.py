"""The data that flows through the pipeline: plain frozen dataclasses, nothing else.

Every span (`start`, `end`) is a character offset into the decoded source file, so that
`raw[start:end] == text` holds for every turn, chunk, hit and citation.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Role = Literal["question", "answer", "narration"]
ROLES: tuple[Role, ...] = ("question", "answer", "narration")


@dataclass(frozen=True)
class Span:
    """A piece of a source file: `text == raw[start:end]`."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class MetaField:
    """One fact about the interview itself, with the span of the file that states it."""

    name: str
    value: str
    span: Span


@dataclass(frozen=True)
class Turn:
    role: Role
    speaker: str
    start: int
    end: int
    text: str
    exchange: int  # 0 for narration before the first question; n for the n-th question and its answer


@dataclass(frozen=True)
class Document:
    source: str  # file name, the key citations use
    raw: str
    title: str
    interviewee: str
    interviewer: str
    narrator: str
    turns: tuple[Turn, ...]
    meta: tuple[MetaField, ...] = ()
    topics: tuple[str, ...] = ()  # one short label per exchange, for "the interview covers ..."
    # Every way this transcript refers to its interviewee ("Kassym-Jomart Tokayev", "Tokayev",
    # "President", "Head of State"): found in the document, so rules never name a person in code.
    aliases: tuple[str, ...] = ()
    interviewer_aliases: tuple[str, ...] = ()
    # A panel's interviewees, each with the ways the transcript refers to them (empty for one interviewee,
    # who is `interviewee`): "What did Hartigan say?" quotes only her answers.
    panel: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # Names the transcript uses, as other languages write them (from its card): ("SCO", ("ШОС", ...)).
    other_language_names: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # The topic labels in other languages (from its card), one per exchange: ("ru", ("...", ...)).
    other_language_topics: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def meta_field(self, name: str) -> MetaField | None:
        return next((m for m in self.meta if m.name == name), None)

    def date_field(self) -> MetaField | None:
        """The day the interview was given, else the day the report is dated (its "dateline")."""
        return self.meta_field("date") or self.meta_field("dateline")


@dataclass(frozen=True)
class Chunk:
    """A retrievable passage. `text` is what gets quoted; `embed_text` is what gets embedded."""

    id: str
    source: str
    role: Role
    speaker: str
    exchange: int
    start: int
    end: int
    text: str
    embed_text: str
    question: str = ""  # the interviewer's question this passage answers ("" for non-answers)
    sentences: tuple[Span, ...] = ()


@dataclass(frozen=True)
class Hit:
    chunk: Chunk
    score: float
    rank: int
    dense_score: float = 0.0
    bm25_score: float = 0.0


@dataclass(frozen=True)
class Citation:
    n: int
    source: str
    speaker: str
    role: Role
    start: int  # the quoted span
    end: int
    text: str
    passage_id: str
    passage_start: int
    passage_end: int


ReplyKind = Literal["quotes", "not_covered", "not_given", "about_interview", "absent_speaker", "attribution"]
REPLY_KINDS: tuple[ReplyKind, ...] = ("quotes", "not_covered", "not_given", "about_interview", "absent_speaker", "attribution")


@dataclass(frozen=True)
class Quote:
    """One quoted window and what it answered: the citation carries the speaker and the exact span."""

    citation: Citation
    topic: str = ""  # the exchange's topic label: what the speaker had been asked about


@dataclass(frozen=True)
class Coverage:
    """What one transcript holds, for "the interview does not cover that" replies."""

    source: str
    speaker: str  # the interviewee
    topics: tuple[str, ...]
    interviewer: str = ""
    local_topics: tuple[tuple[str, tuple[str, ...]], ...] = ()  # the topics in other languages: ("ru", (...))
    more: int = 0  # topics left out of `topics` (a long list keeps those nearest the question)
    panel: bool = False  # `speaker` names several interviewees ("Bo Ek and Ada Li")


@dataclass(frozen=True)
class Reply:
    """A reply as structure; each front end (CLI, JSON, web page) renders it as it needs.

    - quotes: `quotes` are the speakers' words, each naming its own speaker.
    - attribution: `quotes[0]` is the interviewer's claim the question credited to a speaker, the rest
      that speaker's own answer to it.
    - about_interview: `fact` names the metadata field, `value` its value, `quotes[0]` the sentence
      stating it (may be empty for facts no sentence states, such as the topics); `also`, the further
      fields the question asked for ("..., and when?"), each such a reply without a quote.
    - absent_speaker: `value` is the person asked about, whose words no transcript holds.
    - attribution also sets `value`: the speaker the question credited.
    - not_covered: nothing is quoted; `coverage` lists what each transcript does hold.
    - not_given: the topic is covered but not the count, date or name asked for (`fact`: "number", "date"
      or "name"; `value`: what a "how many" question counts, "" if none); `quotes[0]` is the sentence
      that comes nearest, so the user sees what was said instead.
    """

    kind: ReplyKind
    quotes: tuple[Quote, ...] = ()
    fact: str = ""
    value: str = ""
    coverage: tuple[Coverage, ...] = ()
    notes: tuple[str, ...] = ()
    context: tuple[tuple[str, str], ...] = ()  # about_interview: the transcript's other metadata (name, value)
    language: str = "en"  # the asker's language (rag.language): the framing's; quotes stay as spoken
    # Names as the asker's language writes them (name, spelling), from the transcripts' cards: the framing's
    # "Токаев сказал:" for "Tokayev"; a name without one stays as the transcript writes it.
    local_names: tuple[tuple[str, str], ...] = ()
    also: tuple[Reply, ...] = ()

    @property
    def declines(self) -> bool:
        """Whether the reply says the transcripts do not hold what was asked: not covered, a person who
        does not speak in them, or a fact about the interview the page does not give ("The transcript
        does not name the interviewer")."""
        return self.kind in ("not_covered", "not_given", "absent_speaker") or (self.kind == "about_interview" and self.fact != "topics" and not self.value)


@dataclass(frozen=True)
class Generation:
    """What the generator produced for an answer, before and after the grounding check."""

    raw_reply: str  # the model's text as generated
    sentences: tuple[str, ...]  # its sentences, citation markers removed
    kept: tuple[bool, ...]  # per sentence: supported by a passage, so shown
    tokens: int
    seconds: float


@dataclass(frozen=True)
class Answer:
    question: str
    answer: str
    abstained: bool
    citations: tuple[Citation, ...]
    retrieved: tuple[Hit, ...]
    latency_ms: float = 0.0
    resolved_query: str = ""  # the question as retrieval saw it, after follow-up resolution
    mode_used: str = "extractive"  # "generative", or "extractive_fallback" when no generated sentence held up
    notes: tuple[str, ...] = field(default=())
    generation: Generation | None = None
    reply: Reply | None = None
    covered_probability: float | None = None  # the "not covered" decision's P(covered), when it was made


@dataclass(frozen=True)
class QuoteEvent:
    """A quote of the reply, ready to show (its citation included)."""

    quote: Quote


@dataclass(frozen=True)
class TextEvent:
    """The generated reply so far (generative mode): each event holds the whole text shown until now."""

    text: str


@dataclass(frozen=True)
class NoteEvent:
    note: str


@dataclass(frozen=True)
class FinalEvent:
    """The last event of every stream: the complete answer."""

    answer: Answer


StreamEvent = QuoteEvent | TextEvent | NoteEvent | FinalEvent


def citation_record(c: Citation) -> dict[str, Any]:
    return asdict(c)


def hit_record(h: Hit) -> dict[str, Any]:
    c = h.chunk
    return {
        "id": c.id,
        "source": c.source,
        "speaker": c.speaker,
        "role": c.role,
        "start": c.start,
        "end": c.end,
        "text": c.text,
        "score": round(float(h.score), 6),
    }


def answer_record(a: Answer, record_id: str | None = None) -> dict[str, Any]:
    """The JSON record of the CLI, the eval runner and the API (schema in README)."""
    return {
        "id": record_id,
        "question": a.question,
        "answer": a.answer,
        "abstained": a.abstained,
        "citations": [citation_record(c) for c in a.citations],
        "retrieved": [hit_record(h) for h in a.retrieved],
        "latency_ms": round(a.latency_ms, 3),
        "resolved_query": a.resolved_query,
        "mode_used": a.mode_used,
        "notes": list(a.notes),
        "generation": asdict(a.generation) if a.generation else None,
        "reply_kind": a.reply.kind if a.reply else None,
        "covered_probability": None if a.covered_probability is None else round(a.covered_probability, 4),
    }


QuestionKind = Literal["fact", "paraphrase", "followup", "meta", "out_of_scope", "attribution", "injection", "multilingual"]
QUESTION_KINDS: tuple[QuestionKind, ...] = (
    "fact", "paraphrase", "followup", "meta", "out_of_scope", "attribution", "injection", "multilingual",
)


@dataclass(frozen=True)
class EvalQuestion:
    """One line of an eval question file (format in README, "Evaluation")."""

    id: str
    question: str
    kind: QuestionKind = "fact"
    history: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()  # exact transcript substrings; a passage containing one is a hit
    must: tuple[tuple[str, ...], ...] = ()  # every group needs one alternative in the answer
    must_not: tuple[str, ...] = ()
    abstain: bool = False  # the right reply is "the interview does not cover that"


@dataclass(frozen=True)
class Graded:
    """One answer to one eval question, with what the metrics need of it."""

    question: EvalQuestion
    answer: Answer
    config: str
    first_hit_rank: int | None  # 1-based rank of the first retrieved passage holding evidence
    relevant_retrieved: tuple[bool, ...]  # per retrieved passage: holds evidence
    n_relevant: int  # passages of this config's index that hold evidence
    correct: bool  # must / must_not / abstain all as expected
    interviewee_citations: int  # citations that present their text as an interviewee's words
    precise_citations: int  # ... of which lie inside one of that interviewee's answers
