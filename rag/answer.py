"""Extractive answers: quote the interviewee verbatim, cite every quote down to its span, or abstain.

The reply is built only from spans of the transcript, so it cannot claim anything the interview does not
say, and only spans of answer turns are ever presented as the interviewee's words.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from rag.query import MAX_QUESTION_CHARS, Query, QuestionError, meta_intent, other_speaker, parse_query
from rag.retrieval import DenseScores, Retriever, tokenize
from rag.types import Answer, Chunk, Citation, Document, Hit, Span

__all__ = ["AnswerSettings", "answer_question", "QuestionError"]

_YEAR_OR_DATE = re.compile(r"\b(?:1[89]\d\d|20\d\d)\b|\b(?:January|February|March|April|May|June|July|August|September|October|November|December)\b")
_NAME_INSIDE = re.compile(r"(?<!^)(?<![.!?]\s)\b[A-Z][a-z]+ [A-Z][a-z]+\b")


@dataclass(frozen=True)
class AnswerSettings:
    k: int = 5
    max_quotes: int = 2
    # Abstain when the best sentence is this dissimilar AND few of the question's topical words occur in
    # the interview. Calibrated on eval/dev_questions.jsonl (see README, "Abstention").
    min_similarity: float = 0.35
    min_coverage: float = 0.5
    strong_similarity: float = 0.55
    # A name the interview never uses ("Russia", "Bitcoin") makes the question out of scope unless an
    # answer sentence matches it this closely.
    unknown_name_similarity: float = 0.75

    def __post_init__(self) -> None:
        if not 1 <= self.k <= 50:
            raise ValueError(f"k must be between 1 and 50 passages, got {self.k}")
        if not 1 <= self.max_quotes <= 5:
            raise ValueError(f"max_quotes must be between 1 and 5, got {self.max_quotes}")


def answer_question(
    question: str,
    retriever: Retriever,
    docs: Sequence[Document],
    history: Sequence[str] = (),
    settings: AnswerSettings = AnswerSettings(),
) -> Answer:
    started = time.perf_counter()
    query = parse_query(question, history, count_terms=lambda s: len(tokenize(s)))
    doc = docs[0]
    notes: list[str] = []
    if query.injected:
        notes.append("Instructions inside a question are ignored: this bot only quotes the interview.")
    if query.truncated:
        notes.append(f"Only the first {MAX_QUESTION_CHARS} characters of the question were read.")

    meta = meta_intent(query.question)
    # A question about the interview itself keeps its framing words: "interview" is what it is about.
    search_text = query.question if meta else query.text
    # One batched encode for the completed follow-up and the user's own words: one forward pass.
    texts = [search_text] if query.focus == search_text else [search_text, query.focus]
    vectors = retriever.encoder.encode(texts)
    dense = retriever.dense(vectors[0])
    focus_dense = dense if len(texts) == 1 else retriever.dense(vectors[1])
    hits = retriever.search(search_text, k=settings.k, dense_scores=dense, prefer_answers=not meta)
    who = other_speaker(query.question, doc.interviewee)
    if meta:
        reply, citations, abstained = _meta_reply(meta, docs), _meta_citations(meta, docs), False
    elif who:
        reply, citations, abstained = _other_speaker_reply(who, doc), (), True
    else:
        reply, citations, abstained = _grounded_reply(query, dense, focus_dense, hits, retriever, docs, settings)
    if notes:
        reply = reply + "\n\n" + " ".join(f"({n})" for n in notes)
    return Answer(
        question=query.question,
        answer=reply,
        abstained=abstained,
        citations=tuple(citations),
        retrieved=tuple(hits),
        latency_ms=(time.perf_counter() - started) * 1000,
        resolved_query=query.text,
        notes=tuple(notes),
    )


@dataclass(frozen=True)
class _Scored:
    chunk: Chunk
    sentence: Span
    index: int  # sentence position in the chunk
    score: float


def _grounded_reply(
    query: Query,
    dense: DenseScores,
    focus_dense: DenseScores,
    hits: list[Hit],
    retriever: Retriever,
    docs: Sequence[Document],
    settings: AnswerSettings,
) -> tuple[str, list[Citation], bool]:
    doc = docs[0]
    rows = np.maximum(dense.rows, focus_dense.rows)
    terms = set(tokenize(query.text))
    answer_vocab = retriever.vocabulary(("answer",))
    all_vocab = retriever.vocabulary(("answer", "question", "narration"))
    coverage = len(terms & all_vocab) / len(terms) if terms else 0.0
    best_answer = _best_similarity(retriever, rows, "answer")

    attribution = _attribution(query, hits, retriever, rows, answer_vocab, best_answer)
    if attribution is None:
        unknown_names = _unknown_names(query.focus, all_vocab | retriever.acronyms.keys())
        if (
            best_answer < settings.min_similarity
            or (coverage < settings.min_coverage and best_answer < settings.strong_similarity)
            or (unknown_names and best_answer < settings.unknown_name_similarity)
        ):
            return _abstain_reply(doc), [], True

    if attribution is not None:
        # Quote his reply to that very question, not whatever else matched.
        asked = attribution[0]
        replies = [c for c in retriever.index.chunks if c.role == "answer" and (c.source, c.exchange) == (asked.source, asked.exchange)]
        hits = [Hit(c, 0.0, rank) for rank, c in enumerate(replies, start=1)]
    scored = _score_sentences(query, hits, retriever, rows, set(tokenize(query.focus)) or terms, terms)
    if not scored:
        return _abstain_reply(doc), [], True
    quotes = _choose_quotes(scored, settings.max_quotes)
    citations: list[Citation] = []
    parts: list[str] = []
    # Name the speaker of the transcript the quotes come from: further interviews may have other guests.
    doc = next((d for d in docs if d.source == quotes[0][0].source), doc)
    name = _surname(doc.interviewee)
    if attribution is not None:
        chunk, span = attribution
        citations.append(_citation(1, chunk, span))
        parts.append(
            f"That is not {name}'s statement: it comes from the interviewer's question. "
            f"The interviewer said \u201c{span.text}\u201d [1] In his answer to that question, {name} said:"
        )
    else:
        topic = _topic(doc, quotes[0][0])
        if not topic:
            parts.append(f"{name} said:")
        elif topic.endswith("?"):  # no card: the topic is the interviewer's own question
            parts.append(f"Asked \u201c{topic}\u201d, {name} said:")
        else:
            parts.append(f"Asked about {topic}, {name} said:")
    for i, (chunk, span) in enumerate(quotes):
        n = len(citations) + 1
        citations.append(_citation(n, chunk, span))
        parts.append(f"{'' if i == 0 else 'He also said: '}\u201c{span.text}\u201d [{n}]")
    return " ".join(parts), citations, False


def _best_similarity(retriever: Retriever, rows: np.ndarray, role: str) -> float:
    mask = retriever.row_roles == role
    return float(rows[mask].max()) if mask.any() else -1.0


_CAPITALIZED = re.compile(r"(?<=[\w,;:] )[A-Z][\w-]+")


def _unknown_names(text: str, vocabulary: frozenset[str]) -> list[str]:
    """Capitalized words inside the question that the interview never uses: "Bitcoin", "Russia"."""
    names = []
    for word in _CAPITALIZED.findall(text):
        if word.lower() in vocabulary:  # a known acronym: "UN", "SCO"
            continue
        tokens = tokenize(word)
        if tokens and not any(t in vocabulary for t in tokens):
            names.append(word)
    return names


def _attribution(
    query: Query, hits: list[Hit], retriever: Retriever, rows: np.ndarray, answer_vocab: frozenset[str], best_answer: float
) -> tuple[Chunk, Span] | None:
    """The interviewer's sentence that the question is really about, when it says something no answer says.

    "Did Tokayev attend the Beijing Winter Olympics?" matches the interviewer's remark that he did; his
    answers never mention it, so the reply must attribute it to the interviewer.
    """
    missing = {t for t in tokenize(query.focus) if t not in answer_vocab}
    if not missing:
        return None
    best: tuple[float, Chunk, Span] | None = None
    for hit in hits:
        if hit.chunk.role != "question":
            continue
        ci = retriever.position[hit.chunk.id]
        for j, sentence in enumerate(hit.chunk.sentences):
            if not missing & set(tokenize(sentence.text)):
                continue
            similarity = float(rows[retriever.row(ci, j)])
            if similarity >= best_answer and (best is None or similarity > best[0]):
                best = (similarity, hit.chunk, sentence)
    return (best[1], best[2]) if best else None


def _score_sentences(
    query: Query, hits: list[Hit], retriever: Retriever, rows: np.ndarray, focus_terms: set[str], terms: set[str]
) -> list[_Scored]:
    asks_when = bool(re.match(r"^\W*(?:and\s+)?(?:when|what year|since when)\b", query.question, re.I))
    asks_who = bool(re.match(r"^\W*(?:and\s+)?(?:who|with whom)\b", query.question, re.I))
    out: list[_Scored] = []
    for hit in hits:
        if hit.chunk.role != "answer":
            continue
        ci = retriever.position[hit.chunk.id]
        for j, sentence in enumerate(hit.chunk.sentences):
            row = retriever.row(ci, j)
            words = set(tokenize(sentence.text))
            lexical = len(focus_terms & words) / len(focus_terms) if focus_terms else 0.0
            context = len(terms & words) / len(terms) if terms else 0.0
            bonus = 0.0
            if asks_when and _YEAR_OR_DATE.search(sentence.text):
                bonus += 0.2
            if asks_who and _NAME_INSIDE.search(sentence.text):
                bonus += 0.2
            score = float(rows[row]) + 0.5 * lexical + 0.2 * context + bonus + 0.05 / hit.rank
            out.append(_Scored(hit.chunk, sentence, j, score))
    return sorted(out, key=lambda s: -s.score)


def _choose_quotes(scored: list[_Scored], max_quotes: int) -> list[tuple[Chunk, Span]]:
    """The best sentence, plus close runners-up; neighbouring sentences of one passage become one quote."""
    best = scored[0].score
    chosen = [scored[0]]
    for s in scored[1:]:
        if len(chosen) == max_quotes or s.score < 0.85 * best:
            break
        if all(s.sentence.text != c.sentence.text for c in chosen):  # "Taiwan is a part of China." twice
            chosen.append(s)
    chosen.sort(key=lambda s: (s.chunk.source, s.sentence.start))
    quotes: list[tuple[Chunk, Span]] = []
    for s in chosen:
        if quotes and quotes[-1][0].id == s.chunk.id and _adjacent(s.chunk, quotes[-1][1], s.sentence):
            chunk, prev = quotes[-1]
            merged = Span(prev.start, s.sentence.end, chunk.text[prev.start - chunk.start : s.sentence.end - chunk.start])
            quotes[-1] = (chunk, merged)
        else:
            quotes.append((s.chunk, s.sentence))
    return quotes


def _adjacent(chunk: Chunk, first: Span, second: Span) -> bool:
    ends = [s.end for s in chunk.sentences]
    starts = [s.start for s in chunk.sentences]
    return first.end in ends and second.start in starts and starts.index(second.start) == ends.index(first.end) + 1


def _citation(n: int, chunk: Chunk, span: Span) -> Citation:
    return Citation(n, chunk.source, chunk.speaker, chunk.role, span.start, span.end, span.text, chunk.id, chunk.start, chunk.end)


def _surname(name: str) -> str:
    return name.split()[-1] if name else "The interviewee"


def _topic(doc: Document, chunk: Chunk) -> str:
    if chunk.source == doc.source and 1 <= chunk.exchange <= len(doc.topics):
        return doc.topics[chunk.exchange - 1]
    return ""


def covered_topics(doc: Document) -> str:
    return "; ".join(doc.topics)


def _abstain_reply(doc: Document) -> str:
    return (
        f"The interview does not cover that. In it, {doc.interviewee} speaks about: {covered_topics(doc)}. "
        "Ask about one of these and I will quote what he said."
    )


def _other_speaker_reply(who: str, doc: Document) -> str:
    return (
        f"The interview does not cover what {who} said: the transcript holds only the questions of the "
        f"{doc.interviewer} and the answers of {doc.interviewee}. "
        f"He speaks about: {covered_topics(doc)}."
    )


def _meta_value(docs: Sequence[Document], name: str) -> tuple[str, Document] | None:
    for d in docs:
        f = d.meta_field(name)
        if f:
            return f.value, d
    return None


_META_TEMPLATES = {
    "date": "The interview was given on {value}, on the eve of {interviewee}'s state visit to China",
    "program": "The interview was recorded for the {value} program",
    "broadcaster": "The interview was given to {value}",
    "source": "The transcript was published by {value}",
    "interviewee": "The interview was given by {value}",
}


def _meta_reply(intent: str, docs: Sequence[Document]) -> str:
    doc = docs[0]
    if intent == "topics":
        return f"The interview covers: {covered_topics(doc)}."
    if intent == "interviewer":
        broadcaster = doc.meta_field("broadcaster")
        program = doc.meta_field("program")
        where = f" for {broadcaster.value}'s {program.value} program" if broadcaster and program else ""
        return f"The transcript does not name the interviewer; the questions were asked{where}."
    found = _meta_value(docs, intent)
    if not found:
        return "The transcript does not say."
    value, d = found
    template = _META_TEMPLATES[intent] if intent != "date" or "eve of" in d.raw else "The interview was given on {value}"
    return template.format(value=value, interviewee=_surname(d.interviewee)) + " [1]."


def _meta_citations(intent: str, docs: Sequence[Document]) -> list[Citation]:
    if intent in ("topics", "interviewer"):
        return []
    for d in docs:
        f = d.meta_field(intent)
        if not f:
            continue
        turn = next((t for t in d.turns if t.start <= f.span.start < t.end), None)
        if turn is None:  # a page footer such as "Source : Kazinform"
            return [Citation(1, d.source, d.narrator, "narration", f.span.start, f.span.end, f.span.text, f"{d.source}#meta", f.span.start, f.span.end)]
        sentence = _sentence_around(d.raw, turn, f.span.start)
        return [Citation(1, d.source, turn.speaker, turn.role, sentence.start, sentence.end, sentence.text, f"{d.source}#t{d.turns.index(turn)}", turn.start, turn.end)]
    return []


def _sentence_around(raw: str, turn, pos: int) -> Span:  # type: ignore[no-untyped-def]
    from rag.chunking import split_sentences

    for s in split_sentences(raw, turn.start, turn.end):
        if s.start <= pos < s.end:
            return s
    return Span(turn.start, turn.end, raw[turn.start : turn.end])
