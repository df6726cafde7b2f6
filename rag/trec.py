"""The run in the formats IR tools read (trec_eval, pytrec_eval, ranx, ir_measures): each config's
ranking as a TREC run file and the evidence as qrels, passage ids as document ids.

Only the questions the retrieval metrics score are written (answerable, with evidence). The run's score
column is the reverse rank (k for the first passage ... 1 for the last): trec_eval orders a run by score,
not by its rank column, and fused scores may tie.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rag.metrics import holds_evidence
from rag.types import Chunk, Graded


def _scored(graded: Sequence[Graded]) -> list[Graded]:
    return [g for g in graded if g.question.evidence and not g.question.abstain]


def _qid(g: Graded) -> str:
    return g.question.id.replace(" ", "_")  # the formats split on whitespace


def run_lines(graded: Sequence[Graded], run_name: str) -> list[str]:
    """`qid Q0 docid rank score run_name`, one line per retrieved passage."""
    lines = []
    for g in _scored(graded):
        hits = g.answer.retrieved
        lines += [f"{_qid(g)} Q0 {h.chunk.id} {rank} {len(hits) - rank + 1} {run_name}" for rank, h in enumerate(hits, start=1)]
    return lines


def qrels_lines(graded: Sequence[Graded], passages: Sequence[Chunk]) -> list[str]:
    """`qid 0 docid 1` for every passage of the config's index that holds one of the question's evidence
    strings (the same relevance the project's metrics use)."""
    lines = []
    for g in _scored(graded):
        lines += [f"{_qid(g)} 0 {c.id} 1" for c in passages if holds_evidence(c.text, g.question.evidence)]
    return lines


def write_trec(out_dir: Path, name: str, graded: Sequence[Graded], passages: Sequence[Chunk]) -> None:
    (out_dir / f"run-{name}.trec").write_text("".join(line + "\n" for line in run_lines(graded, name)), encoding="utf-8")
    (out_dir / f"qrels-{name}.txt").write_text("".join(line + "\n" for line in qrels_lines(graded, passages)), encoding="utf-8")


def read_run(path: Path) -> dict[str, dict[str, float]]:
    """A run file as {qid: {docid: score}} (the shape pytrec_eval and ranx take)."""
    run: dict[str, dict[str, float]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        qid, _, docid, _, score, _ = line.split()
        run.setdefault(qid, {})[docid] = float(score)
    return run


def read_qrels(path: Path) -> dict[str, dict[str, int]]:
    qrels: dict[str, dict[str, int]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        qid, _, docid, relevance = line.split()
        qrels.setdefault(qid, {})[docid] = int(relevance)
    return qrels
