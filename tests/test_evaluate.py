"""The eval runner: question files, grading, floors, and a whole `rag eval` run."""

import json

import pytest

from rag.corpus import parse_transcript
from rag.evaluate import (
    System,
    evaluate,
    evidence_problems,
    failed_floors,
    grade,
    parse_floor,
    parse_questions,
    write_outputs,
)
from rag.types import Answer, Chunk, Citation, EvalQuestion, Hit


def test_question_lines_take_defaults_and_ignore_unknown_fields():
    questions, problems = parse_questions(['{"question": "When did it start?", "colour": "blue"}'])
    assert problems == []
    assert questions == [EvalQuestion(id="line1", question="When did it start?")]


def test_malformed_lines_are_reported_by_number_and_skipped():
    lines = [
        '{"id": "a", "question": "Taiwan?", "kind": "fact", "evidence": ["Taiwan"], "must": [["part", "piece"]]}',
        "",
        "{not json",
        '{"id": "b", "question": "  "}',
        '{"id": "c", "question": "x", "kind": "trivia"}',
        '{"id": "a", "question": "again"}',
        '["a list"]',
        '{"id": "d", "question": "x", "evidence": "not a list"}',
        '{"id": "e", "question": "x", "abstain": "yes"}',
    ]
    questions, problems = parse_questions(lines)
    assert [q.id for q in questions] == ["a"]
    assert questions[0].must == (("part", "piece"),)
    assert [p.split(":")[0] for p in problems] == ["line 3", "line 4", "line 5", "line 6", "line 7", "line 8", "line 9"]
    assert "unknown kind 'trivia'; valid kinds: fact, paraphrase, followup, meta, out_of_scope" in problems[2]
    assert problems[3] == "line 6: duplicate id 'a'; skipped"


def test_evidence_missing_from_the_transcripts_is_reported(seed):
    questions = [EvalQuestion("q1", "x", evidence=("Taiwan is a part of China", "Taiwan is a province"))]
    assert evidence_problems(questions, [seed]) == ["q1: evidence not found in any transcript: 'Taiwan is a province'"]


def test_floors_parse_and_name_the_valid_choices():
    assert parse_floor("recall@1=0.85", ["hybrid", "dense"]) == ("hybrid", "recall@1", 0.85)
    assert parse_floor("dense:mrr=0.5", ["hybrid", "dense"]) == ("dense", "mrr", 0.5)
    with pytest.raises(ValueError, match="NAME one of recall@1, recall@3"):
        parse_floor("latency_p50_ms=10", ["hybrid"])
    with pytest.raises(ValueError, match="config 'bm25', which this run does not include"):
        parse_floor("bm25:mrr=0.5", ["hybrid"])
    with pytest.raises(ValueError, match="needs a number"):
        parse_floor("mrr=high", ["hybrid"])


def test_failed_floors_names_the_metric_and_value():
    metrics = {"configs": {"hybrid": {"overall": {"recall@1": 0.8, "mrr": None}}}}
    assert failed_floors(metrics, [("hybrid", "recall@1", 0.8)]) == []
    assert failed_floors(metrics, [("hybrid", "recall@1", 0.9), ("hybrid", "mrr", 0.1)]) == [
        "hybrid recall@1 = 0.800 is below the floor 0.9",
        "hybrid mrr = n/a is below the floor 0.1",
    ]


TINY = """Host: What about trains?

Guest: Trains will run on time. We bought new engines.

Host: And the ports?

Guest: Ports come next year.
"""


@pytest.fixture
def tiny():
    return parse_transcript(TINY, "tiny.txt")


def _chunk(doc, turn_index, role):
    t = doc.turns[turn_index]
    return Chunk(f"tiny.txt#t{turn_index}", "tiny.txt", role, t.speaker, t.exchange, t.start, t.end, t.text, t.text)


def test_grading_counts_citations_presented_as_the_guests_words(tiny):
    question_turn, answer_turn = tiny.turns[0], tiny.turns[1]
    as_his = lambda t, role: Citation(1, "tiny.txt", tiny.interviewee, role, t.start, t.end, t.text, "p", t.start, t.end)
    answer = Answer(
        "Trains?", "Guest said: “Trains will run on time.” [1]", False,
        citations=(as_his(answer_turn, "answer"), as_his(question_turn, "answer")),
        retrieved=(Hit(_chunk(tiny, 0, "question"), 0.9, 1), Hit(_chunk(tiny, 1, "answer"), 0.8, 2)),
    )
    q = EvalQuestion("q1", "Trains?", evidence=("run on time",), must=(("on time",),))
    extra = Chunk("other.txt#t1", "other.txt", "answer", "Guest", 1, 0, 18, "run on time, again", "run on time, again")
    system = System("hybrid", lambda *a: answer, tuple(_chunk(tiny, i, t.role) for i, t in enumerate(tiny.turns)) + (extra,))
    g = grade(q, answer, system, [tiny])
    assert (g.first_hit_rank, g.relevant_retrieved, g.n_relevant) == (2, (False, True), 2)
    assert g.correct
    assert (g.interviewee_citations, g.precise_citations) == (2, 1)  # the question turn is not his answer
    assert not grade(EvalQuestion("q2", "Trains?", abstain=True), answer, system, [tiny]).correct


def test_a_panel_quote_is_precise_only_as_the_words_of_the_guest_who_said_them():
    panel = parse_transcript("Cy Do: Why?\n\nBo Ek: Trains run late.\n\nDo: And?\n\nAda Li: Buses run late.\n\nDo: Bye.\n\nLi: Bye.\n\nEk: Bye.\n", "panel.txt")
    ek, li = panel.turns[1], panel.turns[3]
    cite = lambda t, speaker: Citation(1, "panel.txt", speaker, "answer", t.start, t.end, t.text, "p", t.start, t.end)  # noqa: E731
    answer = Answer("Late?", "", False, citations=(cite(ek, "Bo Ek"), cite(li, "Bo Ek")), retrieved=())
    system = System("hybrid", lambda *a: answer, ())
    g = grade(EvalQuestion("q1", "Late?", must=(("late",),)), answer, system, [panel])
    # Both are presented as an interviewee's words; Li's answer credited to Ek is not precise.
    assert (g.interviewee_citations, g.precise_citations) == (2, 1)


def test_outputs_hold_one_record_per_question_and_a_report(tiny, tmp_path):
    answer = Answer("Boats?", "The interview does not cover that.", True, (), ())
    systems = [System("hybrid", lambda q, h, k: answer, ()), System("tutorial", lambda q, h, k: answer, ())]
    questions = [EvalQuestion("q1", "Boats?", "out_of_scope", abstain=True), EvalQuestion("q2", "Trains?", evidence=("Trains",))]
    metrics, graded = evaluate(systems, questions, [tiny], k=5, questions_file="qs.jsonl")
    write_outputs(tmp_path, metrics, graded)
    records = [json.loads(line) for line in (tmp_path / "answers.jsonl").read_text().splitlines()]
    assert [(r["id"], r["config"], r["correct"], r["first_hit_rank"]) for r in records] == [
        ("q1", "hybrid", True, None), ("q2", "hybrid", False, None)
    ]
    assert (tmp_path / "answers-tutorial.jsonl").exists()
    saved = json.loads((tmp_path / "metrics.json").read_text())
    assert saved["configs"]["hybrid"]["overall"]["abstention_accuracy"] == 1.0
    assert saved["configs"]["hybrid"]["overall"]["false_abstention"] == 1.0
    assert saved["configs"]["hybrid"]["by_kind"]["out_of_scope"]["answer_accuracy"] == 1.0
    report = (tmp_path / "report.md").read_text()
    assert "| hybrid | 2 |" in report and "![metrics per config](chart.png)" in report
    assert "- q2 (fact) 'Trains?': abstained; evidence at rank none" in report
    assert (tmp_path / "chart.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_compare_lists_the_questions_whose_grade_changed_with_both_replies(tiny, tmp_path):
    from rag.evaluate import compare_lines, compare_runs

    declined = Answer("q", "The interview does not cover that.", True, (), ())
    trains = Answer("q", "Guest said: “Trains will run on time.” [1]", False, (), ())
    questions = [
        EvalQuestion("q1", "Boats?", "out_of_scope", abstain=True),
        EvalQuestion("q2", "Trains?", must=(("on time",),)),
        EvalQuestion("q3", "Engines?", must=(("engines",),)),
    ]
    old_answers = {"Boats?": declined, "Trains?": declined, "Engines?": declined}
    new_answers = {"Boats?": trains, "Trains?": trains, "Engines?": trains}
    before = evaluate([System("hybrid", lambda q, h, k: old_answers[q], ())], questions, [tiny], 5, "qs.jsonl")
    write_outputs(tmp_path / "old", *before)
    _, graded = evaluate([System("hybrid", lambda q, h, k: new_answers[q], ())], questions, [tiny], 5, "qs.jsonl")
    compare = compare_runs(tmp_path / "old", graded)["configs"]["hybrid"]
    assert [(c["id"], c["before"], c["after"]) for c in compare["right_to_wrong"]] == [("q1", declined.answer, trains.answer)]
    assert [c["id"] for c in compare["wrong_to_right"]] == ["q2"]
    assert (compare["reworded_same_grade"], compare["old_correct"], compare["new_correct"]) == (1, 1, 1)
    lines = compare_lines(compare_runs(tmp_path / "old", graded))
    assert "**hybrid**: 1 → 1 right on the questions both runs asked; 1 wrong → right, 1 right → wrong, 1 reworded with the same grade." in lines
    assert "- right → wrong: q1 (out_of_scope) 'Boats?'" in lines


def test_compare_with_a_folder_of_other_configs_is_refused(tiny, tmp_path):
    from rag.evaluate import QuestionFileError, compare_runs

    answer = Answer("q", "x", True, (), ())
    old = evaluate([System("bm25", lambda q, h, k: answer, ())], [EvalQuestion("q1", "Boats?")], [tiny], 5, "qs.jsonl")
    write_outputs(tmp_path, *old)
    _, graded = evaluate([System("hybrid", lambda q, h, k: answer, ())], [EvalQuestion("q1", "Boats?")], [tiny], 5, "qs.jsonl")
    with pytest.raises(QuestionFileError, match="holds no answers of the configs hybrid"):
        compare_runs(tmp_path, graded)
