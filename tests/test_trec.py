"""rag/trec.py: the exported run and qrels, and the project's retrieval metrics checked against
trec_eval's own (pytrec_eval) on those files."""

import json

import pytest

from rag.evaluate import build_systems, evaluate, load_questions, write_outputs
from rag.pipeline import Bot, checkout_dir
from rag.trec import qrels_lines, read_qrels, read_run, run_lines
from rag.types import Answer, Chunk, EvalQuestion, Graded, Hit


def _chunk(cid, text):
    return Chunk(cid, "t.txt", "answer", "Guest", 1, 0, len(text), text, text)


def test_run_and_qrels_lines():
    a, b, c = _chunk("t.txt#t1", "Ports open next year."), _chunk("t.txt#t3", "Trains run on time."), _chunk("t.txt#t5", "Ports, again.")
    answer = Answer("Ports?", "...", False, (), (Hit(b, 0.9, 1), Hit(a, 0.9, 2)))
    scored = Graded(EvalQuestion("q 1", "Ports?", evidence=("Ports",)), answer, "hybrid", 2, (False, True), 2, True, 0, 0)
    declined = Graded(EvalQuestion("q2", "Boats?", "out_of_scope", abstain=True), answer, "hybrid", None, (), 0, True, 0, 0)
    assert run_lines([scored, declined], "hybrid") == ["q_1 Q0 t.txt#t3 1 2 hybrid", "q_1 Q0 t.txt#t1 2 1 hybrid"]
    assert qrels_lines([scored, declined], [a, b, c]) == ["q_1 0 t.txt#t1 1", "q_1 0 t.txt#t5 1"]


@pytest.fixture(scope="module")
def exported(seed, real_retriever, tmp_path_factory):
    """The dev questions through three configs, written as `rag eval` writes them."""
    out = tmp_path_factory.mktemp("eval")
    questions, problems = load_questions(checkout_dir() / "eval" / "dev_questions.jsonl")
    assert problems == []
    systems = build_systems(Bot([seed], real_retriever), ["hybrid", "bm25", "tutorial"])
    metrics, graded = evaluate(systems, questions, [seed], 5, "dev_questions.jsonl")
    write_outputs(out, metrics, graded, {s.name: s.passages for s in systems})
    return out, metrics, graded


@pytest.mark.parametrize("config", ["hybrid", "bm25", "tutorial"])
def test_recall_mrr_and_ndcg_equal_trec_eval_on_the_exported_files(exported, config):
    import pytrec_eval

    out, metrics, graded = exported
    run, qrels = read_run(out / f"run-{config}.trec"), read_qrels(out / f"qrels-{config}.txt")
    scored = [g.question.id for g in graded[config] if g.question.evidence and not g.question.abstain and g.question.kind != "multilingual"]
    assert len(scored) > 60
    measures = {"success.1,3,5", "recip_rank", "ndcg_cut.5"}
    per_query = pytrec_eval.RelevanceEvaluator(qrels, measures).evaluate(run)

    def mean(measure):  # a question trec_eval skips (nothing relevant retrieved or judged) scores 0
        return sum(per_query.get(q, {}).get(measure, 0.0) for q in scored) / len(scored)

    ours = metrics["configs"][config]["overall"]
    assert ours["recall@1"] == pytest.approx(mean("success_1"))
    assert ours["recall@3"] == pytest.approx(mean("success_3"))
    assert ours["recall@5"] == pytest.approx(mean("success_5"))
    assert ours["mrr"] == pytest.approx(mean("recip_rank"))
    assert ours["ndcg@5"] == pytest.approx(mean("ndcg_cut_5"))


def test_metrics_carry_intervals_and_the_paired_table(exported):
    out, metrics, _ = exported
    saved = json.loads((out / "metrics.json").read_text())
    hybrid = saved["configs"]["hybrid"]
    low, high = hybrid["overall_ci"]["recall@1"]
    assert low <= hybrid["overall"]["recall@1"] <= high
    assert set(hybrid["by_kind_ci"]) == set(hybrid["by_kind"])
    pairs = {(d["a"], d["b"]) for d in saved["comparisons"]}
    assert pairs == {("hybrid", "bm25"), ("hybrid", "tutorial")}
    report = (out / "report.md").read_text()
    assert "## Paired comparisons: hybrid against the other configs" in report
    assert "| hybrid vs bm25 | recall@1 |" in report
    assert (out / "kinds.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
