import pytest
import numpy as np

from rag.calibrate import balanced_threshold, bound_threshold, coverage_threshold, middle_of_plateau


def test_the_bound_threshold_declines_most_within_the_false_decline_bound():
    # 40 answerable questions (3% of them: at most one may be declined) and 4 not covered.
    answerable = np.array([0.62, 0.68, *([0.95] * 38)])
    uncovered = np.array([0.1, 0.5, 0.63, 0.78])
    p, y = np.concatenate([answerable, uncovered]), np.array([1] * 40 + [0] * 4)
    # 0.65 declines 0.1, 0.5, 0.63 and one answerable (0.62); 0.6 only two of them; 0.7 two answerable
    assert bound_threshold(p, y) == 0.65
    # no answerable question near the edge: 0.8 and 0.85 both decline all four and no answerable one;
    # the middle of the two leaves the most room either side
    assert bound_threshold(np.concatenate([np.full(40, 0.95), uncovered]), y) == 0.825


def test_the_bound_threshold_is_the_lowest_of_the_grid_when_none_keeps_the_bound():
    p = np.array([0.1, 0.2, 0.9, 0.1])
    assert bound_threshold(p, np.array([1, 1, 1, 0])) == 0.3


def test_the_coverage_threshold_backs_off_from_an_edge_one_answerable_question_away():
    # shaped like the dev file: 69 answerable, 17 not covered; the third answerable question is at 0.70
    answerable = np.array([0.34, 0.53, 0.70, 0.73, 0.74, 0.75, 0.75, *([0.95] * 62)])
    uncovered = np.array([0.01, 0.01, 0.02, 0.02, 0.07, 0.14, 0.15, 0.17, 0.41, 0.57, 0.62, 0.67, 0.72, 0.75, 0.81, 0.91, 0.97])
    p, y = np.concatenate([answerable, uncovered]), np.array([1] * 69 + [0] * 17)
    assert bound_threshold(p, y) == 0.7  # declines 0.34 and 0.53 only: 2 of 69, just within 3%
    assert coverage_threshold(p, y) == 0.578  # resamples holding 0.34 or 0.53 twice break the bound at 0.7
    # nothing near an edge: every resample picks the middle of the grid, and so does the mean
    assert coverage_threshold(np.concatenate([np.full(69, 0.95), np.full(17, 0.1)]), y) == 0.575


def test_the_balanced_threshold_is_the_middle_of_the_thresholds_that_split_equally_well():
    # answerable at 0.72 and 0.9, not covered at 0.41 and 0.55: every threshold from 0.6 to 0.7 splits them all
    p, y = np.array([0.72, 0.9, 0.41, 0.55]), np.array([1, 1, 0, 0])
    assert balanced_threshold(p, y) == 0.65
    # only 0.4 splits these (0.35 keeps 0.38, 0.45 declines the answerable 0.42): a run of one
    p, y = np.array([0.42, 0.9, 0.35, 0.38]), np.array([1, 1, 0, 0])
    assert balanced_threshold(p, y) == 0.4


def test_a_setting_is_the_middle_of_the_run_of_equally_good_values():
    grid = (0.0, -0.2, -0.1, 0.1, 0.2, 0.3)  # the default first, as GRIDS lists them
    flat_right = {0.0: 0.85, -0.2: 0.84, -0.1: 0.84, 0.1: 0.85, 0.2: 0.85, 0.3: 0.85}
    assert middle_of_plateau(grid, flat_right) == 0.1  # 0.15 is the middle: of 0.1 and 0.2, the one nearer 0.0
    assert middle_of_plateau(grid, dict.fromkeys(grid, 0.5)) == 0.0  # all alike: 0.05, nearest the default
    assert middle_of_plateau(grid, {**flat_right, 0.2: 0.86}) == 0.2  # one best value
    # two runs: the one holding the default
    assert middle_of_plateau(grid, {0.0: 0.9, -0.2: 0.9, -0.1: 0.8, 0.1: 0.9, 0.2: 0.9, 0.3: 0.8}) == 0.1
    # runs are of neighbours: 0.1 and 0.2, then 0.9; the first, and of its two the one nearer the default 0.5
    assert middle_of_plateau((0.5, 0.1, 0.2, 0.9), {0.5: 0.7, 0.1: 0.8, 0.2: 0.8, 0.9: 0.8}) == 0.2


def test_evidence_is_every_place_its_words_occur():
    from rag.calibrate import _evidence_spans
    from rag.types import EvalQuestion

    raw = "Taiwan is a part of China. We trade. Taiwan is a part of China."
    q = EvalQuestion("x", "What about Taiwan?", evidence=("Taiwan is a part of China", "We trade", "not there"))
    assert _evidence_spans(q, raw) == [(0, 25), (37, 62), (27, 35)]


def test_dev_transcripts_pair_each_interview_with_its_questions(tmp_path):
    from rag.calibrate import dev_transcripts

    for name in ("b_interview.txt", "b_questions.jsonl", "a_interview.txt", "a_questions.jsonl"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    assert [(t.name, q.name) for t, q in dev_transcripts(tmp_path)] == [("a_interview.txt", "a_questions.jsonl"), ("b_interview.txt", "b_questions.jsonl")]
    (tmp_path / "c_interview.txt").write_text("x", encoding="utf-8")
    with pytest.raises(SystemExit, match=r"unpaired: \['c'\]"):
        dev_transcripts(tmp_path)


def test_coverage_rows_leave_out_questions_a_missing_count_date_or_name_declines(tiny_engine):
    from rag.calibrate import coverage_rows
    from rag.types import EvalQuestion

    # TINY counts cars, nothing else: "How many lorries ...?" is declined whatever the model says, so it
    # is no example of what the model decides (whether the interview touches a topic at all).
    questions = [
        EvalQuestion("a", "How many cars use the bridge?"),
        EvalQuestion("b", "How many lorries use the bridge?", abstain=True),
        EvalQuestion("c", "What about the Zeppelin museum?", abstain=True),
    ]
    x, y = coverage_rows(tiny_engine, questions)
    assert y.tolist() == [1.0, 0.0] and x[:, 4].tolist() == [0.0, 1.0]  # the second row names "Zeppelin"
    assert tiny_engine.trace("How many lorries use the bridge?")[1].coverage.fact_missing
