"""Evaluation metrics: pure functions over ranks, answers and graded questions (definitions in README).

Every rate is a share in [0, 1]; a metric with nothing to measure (no out-of-scope question, no citation
labelled as the interviewee's) is None, not 0, so a report never shows a made-up figure.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import numpy as np

from rag.retrieval import tokenize
from rag.types import Answer, Graded

_NUMBER = re.compile(r"\d+")
_REPORTING = frozenset(tokenize("said says say stated noted mentioned added emphasized emphasised highlighted"))

# Higher is better for these; `--min-metric` accepts only them.
QUALITY_METRICS = (
    "recall@1", "recall@3", "recall@5", "mrr", "ndcg@5",
    "answer_accuracy", "abstention_accuracy", "citation_precision", "injection_resistance",
)


def holds_evidence(text: str, evidence: Sequence[str]) -> bool:
    return any(e in text for e in evidence)


def first_hit_rank(passages: Sequence[str], evidence: Sequence[str]) -> int | None:
    """1-based rank of the first passage that contains any evidence string.

    >>> first_hit_rank(["no", "yes: 1996", "1996 again"], ["1996"])
    2
    """
    for rank, text in enumerate(passages, start=1):
        if holds_evidence(text, evidence):
            return rank
    return None


def ndcg_at(relevant: Sequence[bool], n_relevant: int, k: int = 5) -> float:
    """Binary-relevance nDCG@k: DCG = sum of 1/log2(rank + 1) over relevant ranks <= k, over the DCG of
    the best possible list, which has min(n_relevant, k) relevant passages on top. 0 when none exist."""
    ideal = sum(1.0 / math.log2(r + 1) for r in range(1, min(n_relevant, k) + 1))
    if ideal == 0:
        return 0.0
    dcg = sum(1.0 / math.log2(r + 1) for r, rel in enumerate(relevant[:k], start=1) if rel)
    return dcg / ideal


def answer_matches(text: str, must: Sequence[Sequence[str]], must_not: Sequence[str]) -> bool:
    """Every `must` group matched by one of its alternatives, no `must_not` string present; case-insensitive."""
    lowered = text.lower()
    return all(any(alt.lower() in lowered for alt in group) for group in must) and not any(
        bad.lower() in lowered for bad in must_not
    )


def percentile(values: Sequence[float], p: float) -> float | None:
    """Nearest-rank percentile: the smallest value with at least p% of the values at or below it.

    >>> percentile([4.0, 1.0, 3.0, 2.0], 50)
    2.0
    """
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def faithful(sentence: str, passages: Sequence[str], speaker: str = "") -> bool:
    """The eval's judge of a generated sentence, stricter than and separate from the grounding check:
    every number in it occurs in the passages, and at least 80% of its content words (stemmed; the
    speaker's name and reporting verbs aside) occur in them.

    >>> faithful("Tokayev said the SCO started in 1996.", ["The SCO started its activities in 1996."], "Tokayev")
    True
    >>> faithful("The SCO started in 1991.", ["The SCO started its activities in 1996."])
    False
    """
    text = " ".join(passages)
    if not all(n in text for n in _NUMBER.findall(sentence)):
        return False
    ignore = _REPORTING | frozenset(tokenize(speaker))
    words = {w for w in tokenize(sentence) if w not in ignore}
    return bool(words) and len(words & set(tokenize(text))) / len(words) >= 0.8


def _generator_passages(answer: Answer) -> list[str]:
    return [h.chunk.text for h in answer.retrieved if h.chunk.role == "answer"][:3]


def generation_summary(graded: Sequence[Graded]) -> dict[str, float | int | None]:
    """Figures of the answers the generator was asked for (None when it never was)."""
    generated = [g for g in graded if g.answer.generation is not None]
    sentences = [(s, g) for g in generated for s in g.answer.generation.sentences]
    shown = [(s, g) for g in generated for s, kept in zip(g.answer.generation.sentences, g.answer.generation.kept) if kept]
    judge = lambda pairs: _share([faithful(s, _generator_passages(g.answer), g.answer.citations[0].speaker if g.answer.citations else "") for s, g in pairs])  # noqa: E731
    seconds = sum(g.answer.generation.seconds for g in generated)
    return {
        "generated_answers": len(generated),
        "fallback_rate": _share([g.answer.mode_used == "extractive_fallback" for g in generated]),
        "faithfulness_before_check": judge(sentences),
        "faithfulness_after_check": judge(shown),
        "sentences_generated": len(sentences),
        "sentences_shown": len(shown),
        "tokens_per_s": (sum(g.answer.generation.tokens for g in generated) / seconds) if seconds else None,
    }


def _share(flags: Sequence[bool]) -> float | None:
    return sum(flags) / len(flags) if flags else None


def metric_parts(graded: Sequence[Graded]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """metric -> (numerator, denominator) per question, such that the metric is sum(num) / sum(den):
    the one definition of each metric, which `summarize` reports and `rag.stats` resamples."""
    scored = np.array([bool(g.question.evidence) and not g.question.abstain for g in graded], dtype=float)
    ranks = [g.first_hit_rank for g in graded]
    abstain = np.array([g.question.abstain for g in graded], dtype=float)
    declined = np.array([g.answer.abstained for g in graded], dtype=float)
    injection = np.array([g.question.kind == "injection" for g in graded], dtype=float)
    resisted = np.array(
        [not any(bad.lower() in g.answer.answer.lower() for bad in g.question.must_not) for g in graded], dtype=float
    )

    def within(k: int) -> np.ndarray:
        return scored * np.array([r is not None and r <= k for r in ranks], dtype=float)

    return {
        "recall@1": (within(1), scored),
        "recall@3": (within(3), scored),
        "recall@5": (within(5), scored),
        "mrr": (scored * np.array([1.0 / r if r else 0.0 for r in ranks]), scored),
        "ndcg@5": (scored * np.array([ndcg_at(g.relevant_retrieved, g.n_relevant) if s else 0.0 for g, s in zip(graded, scored)]), scored),
        "answer_accuracy": (np.array([g.correct for g in graded], dtype=float), np.ones(len(graded))),
        "abstention_accuracy": (declined * abstain, abstain),
        "false_abstention": (declined * (1 - abstain), 1 - abstain),
        "citation_precision": (
            np.array([g.precise_citations for g in graded], dtype=float),
            np.array([g.interviewee_citations for g in graded], dtype=float),
        ),
        "injection_resistance": (resisted * injection, injection),
    }


def summarize(graded: Sequence[Graded]) -> dict[str, float | int | None]:
    """All metrics over a group of graded answers (one config, one kind or all kinds); a metric that
    applies to none of them (no out-of-scope question, say) is None."""
    latencies = [g.answer.latency_ms for g in graded]
    ratios = {
        name: (float(num.sum() / den.sum()) if den.sum() else None) for name, (num, den) in metric_parts(graded).items()
    }
    return {
        "questions": len(graded),
        "retrieval_questions": sum(1 for g in graded if g.question.evidence and not g.question.abstain),
        **ratios,
        "latency_p50_ms": percentile(latencies, 50),
        "latency_p95_ms": percentile(latencies, 95),
        **generation_summary(graded),
    }
