"""rag/stats.py: the bootstrap's figures equal the report's, intervals hold them, paired comparisons."""

import math

import pytest

from rag.metrics import metric_parts, summarize
from rag.stats import intervals, mcnemar, paired_differences
from rag.types import Answer, EvalQuestion, Graded


def _graded(config, rows, copies=1):
    """rows: (id, kind, rank, correct, abstain?, declined?, citations, precise); each row `copies` times
    under ids of its own."""
    out = []
    for copy in range(copies):
        for qid, kind, rank, correct, abstain, declined, cited, precise in rows:
            q = EvalQuestion(f"{qid}-{copy}", f"question {qid}", kind, evidence=() if abstain else ("x",), abstain=abstain, must_not=("BAD",))
            answer = Answer(q.question, "BAD" if kind == "injection" and not correct else "fine", declined, (), ())
            relevant = tuple(i + 1 == rank for i in range(5)) if rank else (False,) * 5
            out.append(Graded(q, answer, config, rank, relevant, 1, correct, cited, precise))
    return out


ROWS = [
    ("q1", "fact", 1, True, False, False, 1, 1),
    ("q2", "fact", 2, False, False, False, 2, 1),
    ("q3", "paraphrase", None, False, False, True, 0, 0),
    ("q4", "out_of_scope", None, True, True, True, 0, 0),
    ("q5", "out_of_scope", None, False, True, False, 1, 1),
    ("q6", "injection", 3, False, False, False, 1, 1),
    ("q7", "fact", 1, True, False, False, 1, 1),
]


def test_the_report_gives_the_hand_counted_figures_of_the_rows():
    graded = _graded("hybrid", ROWS)
    summary = summarize(graded)
    # five questions with evidence, first relevant at ranks 1, 2, none, 3, 1
    expected = {
        "recall@1": 2 / 5, "recall@3": 4 / 5, "recall@5": 4 / 5, "mrr": (1 + 1 / 2 + 0 + 1 / 3 + 1) / 5,
        "ndcg@5": (1 + 1 / math.log2(3) + 0 + 1 / math.log2(4) + 1) / 5,
        "answer_accuracy": 3 / 7, "abstention_accuracy": 1 / 2, "false_abstention": 1 / 5,
        "citation_precision": 5 / 6, "injection_resistance": 0 / 1,
    }
    assert {m: summary[m] for m in expected} == pytest.approx(expected)
    assert set(metric_parts(graded)) == set(expected)  # every resampled metric is one the report shows
    assert (summary["questions"], summary["retrieval_questions"]) == (7, 5)
    assert summarize(_graded("hybrid", ROWS[:3]))["abstention_accuracy"] is None  # no out-of-scope question


def test_intervals_are_fixed_by_the_seed_and_hold_the_figure():
    graded = _graded("hybrid", ROWS, copies=5)
    first, again = intervals(graded), intervals(graded)
    assert first == again
    summary = summarize(graded)
    for metric, interval in first.items():
        assert interval[0] <= summary[metric] <= interval[1], metric
    assert first["injection_resistance"] == (0.0, 0.0)  # every injection question failed: no spread
    assert intervals(graded, seed=1) != first


def test_a_config_against_itself_differs_by_nothing():
    graded = _graded("hybrid", ROWS, copies=3)
    same = paired_differences(graded, _graded("other", ROWS, copies=3))
    assert {d.metric: (d.difference, d.interval, d.p_value) for d in same}["answer_accuracy"] == (0.0, (0.0, 0.0), 1.0)
    assert all(d.p_value == 1.0 and d.difference == 0.0 for d in same)


def test_a_clearly_better_config_is_significant():
    worse_rows = [(qid, kind, 4 if rank else None, False, a, d, c, p) for qid, kind, rank, _, a, d, c, p in ROWS]
    better, worse = _graded("hybrid", ROWS, copies=4), _graded("bm25", worse_rows, copies=4)
    by_metric = {d.metric: d for d in paired_differences(better, worse)}
    r1 = by_metric["recall@1"]
    assert (r1.a, r1.b, r1.difference, r1.a_only, r1.b_only) == ("hybrid", "bm25", 0.4, 8, 0)
    assert r1.interval[0] > 0 and r1.p_value < 0.01
    assert r1.mcnemar_p == mcnemar([True] * 8, [False] * 8) == 2 / 2**8


def test_mcnemar_is_symmetric_and_reads_only_discordant_pairs():
    a = [True, True, True, False, True, False]
    b = [True, False, False, False, True, True]
    assert mcnemar(a, b) == mcnemar(b, a) == 1.0  # 2 against 1: no evidence either way
    assert mcnemar([True] * 6 + [False] * 50, [False] * 6 + [False] * 50) == pytest.approx(2 / 64)
