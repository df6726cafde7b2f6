"""rag/progress.py: the stage a long start reports, as a page shows it."""

import pytest

from rag.progress import Progress, Stage


def test_stage_line_with_and_without_a_share_done():
    assert Stage(2, 3, "embedding passages", 0.4, 12.3).line() == "step 2 of 3: embedding passages, 40% (12 s so far)"
    assert Stage(1, 2, "loading", None, 0.2).line() == "step 1 of 2: loading (0 s so far)"


def test_progress_keeps_the_latest_report_and_the_time_since_the_start():
    now = [100.0]
    progress = Progress(3, clock=lambda: now[0])
    assert progress.stage() == Stage(1, 3, "starting", None, 0.0)
    progress.report(2, "building the index", 1.7)  # a share over 1 is shown as done, not as 170%
    now[0] = 107.5
    assert progress.stage() == Stage(2, 3, "building the index", 1.0, 7.5)


def test_a_step_outside_the_steps_is_refused_with_the_valid_range():
    with pytest.raises(ValueError, match="step must be from 1 to 3, got 4"):
        Progress(3).report(4, "too far")
