import numpy as np

from rag.calibrate import coverage_threshold


def test_the_coverage_threshold_declines_most_within_the_false_decline_bound():
    # 40 answerable questions (3% of them: at most one may be declined) and 4 not covered.
    answerable = np.array([0.62, 0.68, *([0.95] * 38)])
    uncovered = np.array([0.1, 0.5, 0.63, 0.78])
    p, y = np.concatenate([answerable, uncovered]), np.array([1] * 40 + [0] * 4)
    # 0.65 declines 0.1, 0.5, 0.63 and one answerable (0.62); 0.6 only two of them; 0.7 two answerable
    assert coverage_threshold(p, y) == 0.65
    # no answerable question near the edge: the highest threshold that still declines no more of them
    assert coverage_threshold(np.concatenate([np.full(40, 0.95), uncovered]), y) == 0.8
