"""How sure a figure is: bootstrap intervals over questions, paired comparisons between configs, McNemar.

Every quality metric is a ratio of per-question sums (recall@1: hits over retrieval questions; citation
precision: precise citations over citations presented as an interviewee's words), so one resample of the
questions gives every metric at once, and resampling the same questions for two configs gives a paired
comparison. Percentile intervals from `RESAMPLES` resamples drawn with `SEED` (fixed, so a report is
reproducible).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from rag.metrics import metric_parts
from rag.types import Graded

RESAMPLES = 2000
SEED = 0
LEVEL = 0.95
# Metrics that are a share of 0/1 outcomes over the same questions: McNemar's test applies to them.
BINARY_METRICS = (
    "recall@1", "recall@3", "recall@5", "answer_accuracy", "abstention_accuracy", "false_abstention", "injection_resistance",
)


def _ratios(num: np.ndarray, den: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """The metric on each resample (rows: resamples x questions of indices); NaN where a resample holds
    no question the metric applies to."""
    top, bottom = num[rows].sum(axis=1), den[rows].sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(bottom > 0, top / np.where(bottom > 0, bottom, 1), np.nan)


def _resamples(n: int, resamples: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, n, size=(resamples, n))


def _interval(values: np.ndarray) -> tuple[float, float] | None:
    values = values[~np.isnan(values)]
    if not len(values):
        return None
    tail = (1 - LEVEL) / 2 * 100
    low, high = np.percentile(values, [tail, 100 - tail])
    return round(float(low), 4), round(float(high), 4)


def intervals(graded: Sequence[Graded], resamples: int = RESAMPLES, seed: int = SEED) -> dict[str, tuple[float, float] | None]:
    """metric -> its 95% percentile-bootstrap interval over the questions (None when it applies to none)."""
    if not graded:
        return {}
    rows = _resamples(len(graded), resamples, seed)
    out = {}
    for metric, (num, den) in metric_parts(graded).items():
        out[metric] = _interval(_ratios(num, den, rows)) if den.sum() > 0 else None
    return out


@dataclass(frozen=True)
class Difference:
    """One metric, config a minus config b, over the same questions."""

    metric: str
    a: str
    b: str
    difference: float
    interval: tuple[float, float] | None
    p_value: float  # paired bootstrap, two-sided
    mcnemar_p: float | None  # exact McNemar on the per-question 0/1 outcomes (binary metrics only)
    a_only: int | None  # questions only a got right (binary metrics)
    b_only: int | None


def mcnemar(a_right: Sequence[bool], b_right: Sequence[bool]) -> float:
    """Exact two-sided McNemar p-value: under "no difference" each discordant question is a's or b's with
    probability 1/2.

    >>> mcnemar([True] * 10, [False] * 10)  # 10 of 10 discordant pairs favour a
    0.001953125
    >>> mcnemar([True, False], [True, False])  # no discordant pair: no evidence of a difference
    1.0
    """
    a_only = sum(1 for x, y in zip(a_right, b_right) if x and not y)
    b_only = sum(1 for x, y in zip(a_right, b_right) if y and not x)
    n = a_only + b_only
    if n == 0:
        return 1.0
    tail = sum(math.comb(n, i) for i in range(min(a_only, b_only) + 1)) / 2**n
    return min(1.0, 2 * tail)


def _two_sided_p(diffs: np.ndarray) -> float:
    """Two-sided paired-bootstrap p-value, ties at zero counted half to each side (mid-p): resamples of
    discrete metrics often differ by exactly 0, and counting those wholly on both sides would hide real
    differences.

    >>> _two_sided_p(np.zeros(100))  # two identical configs
    1.0
    >>> _two_sided_p(np.array([0.1] * 99 + [0.0]))
    0.01
    """
    if not len(diffs):
        return 1.0
    below, tied, above = float(np.mean(diffs < 0)), float(np.mean(diffs == 0)), float(np.mean(diffs > 0))
    return round(min(1.0, 2 * min(below + tied / 2, above + tied / 2)), 6)


def paired_differences(
    a: Sequence[Graded], b: Sequence[Graded], resamples: int = RESAMPLES, seed: int = SEED
) -> list[Difference]:
    """Every metric of config a minus config b, answered on the same questions (matched by id)."""
    by_id = {g.question.id: g for g in b}
    pairs = [(g, by_id[g.question.id]) for g in a if g.question.id in by_id]
    if not pairs:
        return []
    left, right = [p[0] for p in pairs], [p[1] for p in pairs]
    rows = _resamples(len(pairs), resamples, seed)
    parts_a, parts_b = metric_parts(left), metric_parts(right)
    out = []
    for metric, (num_a, den_a) in parts_a.items():
        num_b, den_b = parts_b[metric]
        if den_a.sum() == 0 or den_b.sum() == 0:
            continue
        observed = num_a.sum() / den_a.sum() - num_b.sum() / den_b.sum()
        diffs = _ratios(num_a, den_a, rows) - _ratios(num_b, den_b, rows)
        diffs = diffs[~np.isnan(diffs)]
        p = _two_sided_p(diffs)
        mc, a_only, b_only = None, None, None
        if metric in BINARY_METRICS:
            applies = den_a > 0  # the same questions for both: the metric's applicability is the question's
            right_a = [bool(x) for x, used in zip(num_a, applies) if used]
            right_b = [bool(x) for x, used in zip(num_b, applies) if used]
            mc = mcnemar(right_a, right_b)
            a_only = sum(x and not y for x, y in zip(right_a, right_b))
            b_only = sum(y and not x for x, y in zip(right_a, right_b))
        out.append(Difference(metric, left[0].config, right[0].config, round(float(observed), 4), _interval(diffs), round(p, 4), mc, a_only, b_only))
    return out
