"""Generative answers: a small language model words the reply, a grounding check keeps only what the
transcript supports.

The extractive pipeline runs first and decides everything but the wording: retrieval, follow-ups,
abstention, questions about the interview itself and attribution traps. The generator is only ever
asked about passages of the interviewee's answers, and each sentence it writes is shown only if one of
those passages supports it (embedding similarity and word overlap with a passage sentence, and every
number and capitalized name in it present in that passage). The supporting sentence becomes its citation. If no sentence
holds up, the reply falls back to the extractive quotes and says so (`mode_used: extractive_fallback`).
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

import numpy as np

from rag.answer import AnswerSettings, Engine
from rag.chunking import split_sentences
from rag.models import Encoder, Generator
from rag.retrieval import tokenize
from rag.types import Answer, Chunk, Citation, FinalEvent, Generation, Span, StreamEvent, TextEvent

MAX_PASSAGES = 3
MAX_NEW_TOKENS = 72
_MARKER = re.compile(r"\s*\[\s*\d+(?:\s*[,;]\s*\d+)*\s*\]")
_NUMBER = re.compile(r"\d+")
_NAME = re.compile(r"(?<=\S )[A-Z][\w'-]+")  # a capitalized word that does not open the sentence
FALLBACK_NOTE = "No generated sentence could be matched to the transcript, so these are his own words instead."


@dataclass(frozen=True)
class GroundingSettings:
    # Calibrated on eval/dev_questions.jsonl (see README, "Generative mode").
    min_similarity: float = 0.55
    min_overlap: float = 0.6


@dataclass(frozen=True)
class Support:
    """The passage sentence that best supports one generated sentence, and whether it is enough."""

    sentence: str
    chunk: Chunk
    span: Span
    similarity: float
    overlap: float
    numbers_found: bool
    names_found: bool
    supported: bool


def build_messages(question: str, passages: Sequence[Chunk], interviewee: str, earlier: str = "") -> list[dict[str, str]]:
    """The prompt: numbered passages of the interviewee's words, then the question.

    The passages are not labelled with the interviewer's questions: with the labels SmolLM2-135M
    answered the labels, not the passages (5 dev questions, README "Generative mode"). Whatever a passage
    says, it is data: only sentences the grounding check matches to the transcript are shown.
    """
    numbered = "\n".join(f"[{i}] {' '.join(p.text.split())}" for i, p in enumerate(passages, start=1))
    context = f"Earlier question: {earlier}\n" if earlier else ""
    return [
        {"role": "system", "content": "You are a careful assistant. You only repeat facts from the given text."},
        {
            "role": "user",
            "content": f"Text ({interviewee}'s words):\n{numbered}\n\n{context}Question: {question}\n"
            f"Answer briefly, in at most three sentences, in {interviewee}'s words from the text:",
        },
    ]


def reply_sentences(text: str) -> list[str]:
    """The model's sentences with its own citation markers removed (citations are recomputed).

    >>> reply_sentences("It started in 1996 [1]. He was Foreign Minister. [2]")
    ['It started in 1996.', 'He was Foreign Minister.']
    """
    cleaned = _MARKER.sub("", text).strip()
    return [s.text for s in split_sentences(cleaned) if any(ch.isalnum() for ch in s.text)]


def _content_tokens(text: str, ignore: frozenset[str]) -> set[str]:
    return {t for t in tokenize(text) if t not in ignore}


class GroundingCheck:
    """Scores generated sentences against the sentences of the passages the generator was given."""

    def __init__(self, passages: Sequence[Chunk], encoder: Encoder, interviewee: str, settings: GroundingSettings) -> None:
        self.candidates = [(p, s) for p in passages for s in p.sentences]
        self.encoder = encoder
        self.settings = settings
        # Naming the speaker ("Tokayev said that ...") is not a claim about what he said.
        self.ignore = frozenset(tokenize(interviewee)) | frozenset(tokenize("said says say stated noted mentioned"))
        self.vectors = encoder.encode([s.text for _, s in self.candidates]) if self.candidates else np.zeros((0, encoder.dim))

    def check(self, sentence: str) -> Support | None:
        if not self.candidates:
            return None
        similarities = self.vectors @ self.encoder.encode([sentence])[0]
        best = int(np.argmax(similarities))
        chunk, span = self.candidates[best]
        words = _content_tokens(sentence, self.ignore)
        overlap = len(words & set(tokenize(chunk.text))) / len(words) if words else 0.0
        numbers_found = all(n in chunk.text for n in _NUMBER.findall(sentence))
        # Numbers and names are the facts a small model most often invents ("the 20th century",
        # "a Declaration on the Principles of International Law"): each must be in the passage.
        passage_words = set(tokenize(chunk.text)) | self.ignore
        names_found = all(set(tokenize(name)) <= passage_words for name in _NAME.findall(sentence))
        similarity = float(similarities[best])
        supported = (
            similarity >= self.settings.min_similarity
            and overlap >= self.settings.min_overlap
            and numbers_found
            and names_found
        )
        return Support(sentence, chunk, span, similarity, overlap, numbers_found, names_found, supported)


def _is_generatable(base: Answer) -> bool:
    """Only replies that quote the interviewee's answers are reworded; abstentions, questions about the
    interview itself and attribution replies keep their exact wording."""
    return not base.abstained and bool(base.citations) and all(c.role == "answer" for c in base.citations)


def generate_answer(
    question: str,
    engine: Engine,
    generator: Generator,
    history: Sequence[str] = (),
    settings: AnswerSettings = AnswerSettings(),
    grounding: GroundingSettings = GroundingSettings(),
    max_new_tokens: int = MAX_NEW_TOKENS,
    stop: threading.Event | None = None,
) -> Iterator[StreamEvent]:
    """Yields the reply shown so far (`TextEvent`, each time a checked sentence is added), then the final
    answer (`FinalEvent`); once `stop` is set the model stops and the answer holds what was checked."""
    started = time.perf_counter()
    retriever, docs = engine.retriever, engine.docs
    base = engine.answer(question, history, settings)
    if not _is_generatable(base):
        yield FinalEvent(base)
        return
    passages = [h.chunk for h in base.retrieved if h.chunk.role == "answer"][:MAX_PASSAGES]
    interviewee = next((d.interviewee for d in docs if d.source == passages[0].source), docs[0].interviewee)
    check = GroundingCheck(passages, retriever.encoder, interviewee, grounding)
    messages = build_messages(base.question, passages, interviewee, earlier=history[-1] if history else "")

    raw, shown = "", ""
    sentences: list[str] = []
    kept: list[bool] = []
    citations: list[Citation] = []
    generating_started = time.perf_counter()

    def take(sentence: str) -> str | None:
        support = check.check(sentence)
        sentences.append(sentence)
        kept.append(bool(support and support.supported))
        if not kept[-1]:
            return None
        assert support is not None
        n = next((c.n for c in citations if (c.start, c.end) == (support.span.start, support.span.end)), len(citations) + 1)
        if n > len(citations):
            c = support.chunk
            citations.append(Citation(n, c.source, c.speaker, c.role, support.span.start, support.span.end, support.span.text, c.id, c.start, c.end))
        return f"{sentence} [{n}]"

    # Starting the reply for the model keeps a small one reporting what was said, not musing about it.
    surname = interviewee.split()[-1] if interviewee else "He"
    for piece in generator.stream(messages, max_new_tokens, reply_prefix=f"{surname} said", stop=stop):
        raw += piece
        complete = reply_sentences(raw)[len(sentences) : -1]  # the last one may still be growing
        for sentence in complete:
            part = take(sentence)
            if part:
                shown = f"{shown} {part}".strip()
                yield TextEvent(shown)
    for sentence in reply_sentences(raw)[len(sentences) :]:
        part = take(sentence)
        if part:
            shown = f"{shown} {part}".strip()
            yield TextEvent(shown)
    generation = Generation(
        raw_reply=raw,
        sentences=tuple(sentences),
        kept=tuple(kept),
        tokens=generator.count_tokens(raw),
        seconds=time.perf_counter() - generating_started,
    )
    latency_ms = (time.perf_counter() - started) * 1000
    if not citations:
        yield FinalEvent(
            replace(
                base,
                mode_used="extractive_fallback",
                notes=(*base.notes, FALLBACK_NOTE),
                answer=f"{base.answer}\n\n({FALLBACK_NOTE})",
                latency_ms=latency_ms,
                generation=generation,
            )
        )
        return
    notes_text = "".join(f"\n\n({n})" for n in base.notes)
    yield FinalEvent(
        replace(base, answer=shown + notes_text, citations=tuple(citations), mode_used="generative", latency_ms=latency_ms, generation=generation)
    )
