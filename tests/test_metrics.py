"""Metric functions against values worked out by hand."""

import math

import pytest

from rag.metrics import answer_matches, first_hit_rank, ndcg_at, percentile, summarize
from rag.types import Answer, EvalQuestion, Graded


def test_first_hit_rank_is_one_based_and_none_without_evidence():
    passages = ["the harbour", "ports next year", "ports again"]
    assert first_hit_rank(passages, ["ports"]) == 2
    assert first_hit_rank(passages, ["trains", "again"]) == 3
    assert first_hit_rank(passages, ["trains"]) is None


def test_ndcg_at_5():
    assert ndcg_at([True, False, False], n_relevant=1) == 1.0
    # one relevant passage, found at rank 2: (1/log2 3) / (1/log2 2) = 0.6309
    assert ndcg_at([False, True], n_relevant=1) == pytest.approx(1 / math.log2(3))
    # two relevant passages at ranks 1 and 3, ideal ranks 1 and 2: (1 + 0.5) / (1 + 0.6309) = 0.9197
    assert ndcg_at([True, False, True], n_relevant=2) == pytest.approx(1.5 / (1 + 1 / math.log2(3)))
    # relevant only below rank 5 counts nothing; no relevant passage anywhere gives 0
    assert ndcg_at([False] * 5 + [True], n_relevant=1) == 0.0
    assert ndcg_at([False, False], n_relevant=0) == 0.0


def test_answer_matches_every_group_and_no_forbidden_string():
    text = "Tokayev said: “This organization started its activities in Shanghai in 1996.” [1]"
    assert answer_matches(text, [["1996"], ["shanghai", "Beijing"]], [])
    assert not answer_matches(text, [["1996"], ["Beijing"]], [])
    assert not answer_matches(text, [["1996"]], ["ACTIVITIES"])
    assert answer_matches(text, [], [])


def test_percentile_nearest_rank():
    values = [30.0, 10.0, 20.0, 40.0, 50.0, 60.0, 70.0, 80.0, 90.0, 100.0]
    assert percentile(values, 50) == 50.0
    assert percentile(values, 95) == 100.0
    assert percentile(values, 10) == 10.0
    assert percentile([], 50) is None


def _graded(qid, kind="fact", abstain=False, abstained=False, rank=1, correct=True, evidence=("x",), must_not=(), reply="", latency=10.0, cited=(0, 0)):
    q = EvalQuestion(qid, "q?", kind, evidence=tuple(evidence), must_not=tuple(must_not), abstain=abstain)
    a = Answer("q?", reply, abstained, (), (), latency_ms=latency)
    relevant = tuple(r == rank for r in range(1, 6)) if rank else (False,) * 5
    return Graded(q, a, "hybrid", rank, relevant, 1, correct, cited[0], cited[1])


def test_summarize_over_a_hand_made_set():
    graded = [
        _graded("a", rank=1, latency=10.0, cited=(2, 2)),
        _graded("b", rank=3, correct=False, latency=20.0, cited=(1, 0)),
        _graded("c", kind="out_of_scope", abstain=True, abstained=True, rank=None, evidence=(), latency=30.0),
        _graded("d", kind="out_of_scope", abstain=True, abstained=False, rank=None, evidence=(), correct=False, latency=40.0),
        _graded("e", kind="injection", rank=None, abstained=True, correct=False, must_not=("PWNED",), reply="The interview does not cover that.", latency=50.0),
    ]
    m = summarize(graded)
    assert m["questions"] == 5
    assert m["retrieval_questions"] == 3  # a, b, e: answerable with evidence
    assert m["recall@1"] == pytest.approx(1 / 3)
    assert m["recall@3"] == pytest.approx(2 / 3)
    assert m["mrr"] == pytest.approx((1 + 1 / 3 + 0) / 3)
    assert m["ndcg@5"] == pytest.approx((1 + 0.5 + 0) / 3)  # rank 3 of one relevant: 1/log2(4) = 0.5
    assert m["answer_accuracy"] == 0.4
    assert m["abstention_accuracy"] == 0.5
    assert m["false_abstention"] == pytest.approx(1 / 3)  # e of a, b, e
    assert m["citation_precision"] == pytest.approx(2 / 3)
    assert m["injection_resistance"] == 1.0
    assert m["latency_p50_ms"] == 30.0
    assert m["latency_p95_ms"] == 50.0


def test_summarize_says_none_where_nothing_was_measured():
    m = summarize([_graded("a")])
    assert m["abstention_accuracy"] is None
    assert m["citation_precision"] is None
    assert m["injection_resistance"] is None
