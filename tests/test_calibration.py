import hashlib
import json
from pathlib import Path

import numpy as np
import pytest

from rag.calibration import ATTRIBUTION_FEATURES, COVERAGE_FEATURES, SENTENCE_FEATURES, Calibration, CalibrationError, Logistic, calibration_path, load_calibration

CHECKOUT = Path(__file__).resolve().parent.parent


def test_logistic_fit_separates_and_keeps_feature_names():
    x = np.array([[0.0, 1.0], [0.2, 1.0], [0.8, 1.0], [1.0, 1.0]])
    model = Logistic.fit(("a", "b"), x, np.array([0, 0, 1, 1]))
    assert model.features == ("a", "b") and model.weights[0] > 0 and model.weights[1] == 0.0  # a constant feature
    assert (model.logit(x) > 0).tolist() == [False, False, True, True]


def test_a_feature_kept_nonnegative_is_left_out_when_its_weight_would_be_negative():
    # b is a second reading of a, and y goes with what a has beyond b: fitted freely, b's weight is negative
    rng = np.random.default_rng(1)
    a = rng.normal(size=300)
    b = a + 0.3 * rng.normal(size=300)
    y = (a - 0.7 * b + 0.1 * rng.normal(size=300) > 0).astype(float)
    x = np.column_stack([a, b, rng.normal(size=300)])
    free = Logistic.fit(("a", "b", "c"), x, y, l2=0.01)
    assert free.weights[0] > 0 > free.weights[1]
    kept = Logistic.fit(("a", "b", "c"), x, y, l2=0.01, nonnegative=("a", "b"))
    assert kept.features == ("a", "b", "c") and kept.weights[0] > 0 and kept.weights[1] == 0.0  # c stays free


def test_the_shipped_calibration_comes_from_the_dev_questions_as_they_are():
    calibration = load_calibration()
    dev = CHECKOUT / "eval" / "dev_questions.jsonl"
    assert calibration.provenance["fitted_on"] == "dev_questions.jsonl"
    assert calibration.provenance["sha256"] == hashlib.sha256(dev.read_bytes()).hexdigest(), "refit: python -m rag.calibrate"
    assert calibration.sentence.features == SENTENCE_FEATURES and calibration.coverage.features == COVERAGE_FEATURES
    # the attribution model was fitted on the dev questions that credit a speaker with words, 13 of them traps
    assert calibration.attribution.features == ATTRIBUTION_FEATURES
    assert (calibration.provenance["attribution"]["traps"], calibration.provenance["attribution"]["fitted"]) == (13, True)
    # the sentence model fitted with its similarity weights kept at zero or above and without, the one
    # with the better dev answer accuracy kept (a tie keeps the constrained one)
    chosen = calibration.provenance["sentence_monotone"]
    by_value = chosen["dev_accuracy_by_value"]
    assert chosen["value"] is (by_value["True"] >= by_value["False"])
    if chosen["value"]:
        assert all(w >= 0 for f, w in zip(SENTENCE_FEATURES, calibration.sentence.weights) if f != "type_missing")


def test_a_calibration_for_other_features_is_refused(tmp_path):
    data = json.loads(calibration_path().read_text(encoding="utf-8"))
    data["sentence"]["features"] = ["sentence_cosine"]
    path = tmp_path / "calibration.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CalibrationError, match="refit with `python -m rag.calibrate`"):
        load_calibration(path)
    del data["attribution"]  # a file from before the attribution model
    data["sentence"]["features"] = list(SENTENCE_FEATURES)
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CalibrationError, match="malformed .*'attribution'.*refit with `python -m rag.calibrate`"):
        load_calibration(path)
    path.write_text("{", encoding="utf-8")
    with pytest.raises(CalibrationError, match="cannot read the calibration"):
        load_calibration(path)


def test_round_trip():
    calibration = load_calibration()
    assert Calibration.from_dict(json.loads(calibration.to_json())) == calibration


def test_the_multilingual_calibration_comes_from_its_dev_questions_as_they_are():
    from rag.calibration import MULTILINGUAL_CALIBRATION_FILE

    calibration = load_calibration(calibration_path(MULTILINGUAL_CALIBRATION_FILE))
    dev = CHECKOUT / "eval" / "dev_multilingual_questions.jsonl"
    assert calibration.provenance["fitted_on"] == "dev_multilingual_questions.jsonl"
    assert calibration.provenance["sha256"] == hashlib.sha256(dev.read_bytes()).hexdigest(), "refit: python -m rag.calibrate --multilingual"
    assert calibration.provenance["grids"]["align_threshold"]["value"] == calibration.align_threshold
