"""The fitted settings of the answering engine, and where they came from.

Every weight and threshold the engine uses is in `rag/data/calibration.json`, written by
`python -m rag.calibrate` from `eval/dev_questions.jsonl` and no other file (the file's SHA-256 is
recorded beside the figures). Nothing here is tuned by hand: change the dev questions, refit, commit.
"""

from __future__ import annotations

import json
import math
from collections.abc import Collection
from dataclasses import asdict, dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

CALIBRATION_FILE = "calibration.json"
# The engine for questions in other languages (second encoder only), fitted on the multilingual dev questions.
MULTILINGUAL_CALIBRATION_FILE = "calibration_multilingual.json"
SENTENCE_FEATURES = (
    "sentence_cosine",  # question vs the sentence
    "cosine_gap",  # ... minus the best such cosine among the candidates (0 for the best)
    "second_cosine",  # question vs the sentence by the second encoder (multilingual-e5; the first's when absent)
    "second_gap",  # ... minus the best such cosine among the candidates
    "passage_cosine",  # question vs the passage the sentence is in
    "passage_score_gap",  # the passage's retrieval score (cosine + BM25) minus the best passage's
    "question_cosine",  # question vs the interviewer's question that the sentence answers
    "term_overlap",  # share of the question's topical words in the sentence, idf-weighted
    "overlap_gap",  # ... minus the best such share among the candidates
    "type_match",  # a factoid question ("when", "who", "how many") and the sentence holds that kind of fact
    "type_missing",  # a factoid question and the sentence does not
    "second_passage",  # question vs the passage the sentence is in, by the second encoder
    "second_question",  # question vs the interviewer's question that the sentence answers, by the second encoder
    "neighbour_second",  # the best second-encoder cosine of the sentences next to it in its passage (its own if none)
    "question_gap",  # question vs the interviewer's question it answers (both encoders' cosines summed), minus the best such among the candidates
    # The sentence read in context (rag.index.CONTEXTS): "There should be no suspicions about that" means
    # something only after the sentence or the question before it.
    "after_previous_cosine",  # question vs the sentence read after the one before it in its turn
    "after_question_cosine",  # question vs the sentence read after the interviewer's question it answers
    "after_previous_second",  # ... by the second encoder
    "after_question_second",  # ... by the second encoder
)
# The features no better match should lower a sentence's score (all but `type_missing`): the model keeps
# their weights at zero or above. Unconstrained, the cosines of one text by two readings (the interviewer's
# question, and the sentence read after it) took weights of -44 and +58, which together rewarded a
# sentence whose interviewer's turn the question does *not* match: on a user's transcript, "How much will
# the new ferry cost?" quoted the answer to the host's closing "Mayor Varga, thank you." over "The vessel
# costs 14 million euros.".
MONOTONE_SENTENCE_FEATURES = tuple(f for f in SENTENCE_FEATURES if f != "type_missing")
COVERAGE_FEATURES = (
    "best_cosine",  # the highest cosine of the question to a candidate answer sentence
    "best_second",  # the highest second-encoder cosine to a candidate answer sentence
    "best_overlap",  # the highest share of the question's topical words in one candidate sentence
    "term_coverage",  # share of the question's topical words the corpus uses at all, idf-weighted
    "unknown_name",  # the question names something (a capitalized word) that no transcript uses
    "quantity_missing",  # a "how many X" question, and no best candidate sentence gives a number of X
)

ATTRIBUTION_FEATURES = (
    "claim_margin",  # the interviewer's claim's cosine to the question minus the best answer sentence's
    "claim_second_margin",  # ... by the second encoder
    "claim_unmatched",  # share of the question's topical words in the claim and never in the speaker's answers, idf-weighted
    "claim_contained",  # share of the question's topical words in the claim at all, idf-weighted
)


class CalibrationError(ValueError):
    """A calibration file that does not fit this code; the message says what to refit."""


@dataclass(frozen=True)
class Logistic:
    """A logistic model: P(y) = sigmoid(bias + weights . x), features named."""

    features: tuple[str, ...]
    weights: tuple[float, ...]
    bias: float

    def logit(self, x: np.ndarray) -> np.ndarray:
        """Logits of a (n, features) matrix (or one row)."""
        return np.asarray(x, dtype=np.float64) @ np.asarray(self.weights) + self.bias

    @staticmethod
    def fit(features: tuple[str, ...], x: np.ndarray, y: np.ndarray, l2: float = 1.0, steps: int = 50, nonnegative: Collection[str] = ()) -> Logistic:
        """As `_fit`, with the weights of `nonnegative` features kept at zero or above: a feature whose
        fitted weight comes out negative is left out and the rest refitted, until none does."""
        x = np.asarray(x, dtype=np.float64)
        kept = list(range(len(features)))
        while True:
            model = Logistic._fit(tuple(features[i] for i in kept), x[:, kept], y, l2, steps)
            negative = [i for i, w in zip(kept, model.weights) if w < 0 and features[i] in nonnegative]
            if not negative:
                break
            kept = [i for i in kept if i not in negative]
        weights = dict(zip(kept, model.weights))
        return Logistic(features, tuple(weights.get(i, 0.0) for i in range(len(features))), model.bias)

    @staticmethod
    def _fit(features: tuple[str, ...], x: np.ndarray, y: np.ndarray, l2: float = 1.0, steps: int = 50) -> Logistic:
        """L2-regularized logistic regression by Newton's method, on standardized features.

        >>> m = Logistic.fit(("a",), np.array([[0.0], [1.0], [2.0], [3.0]]), np.array([0, 0, 1, 1]))
        >>> [bool(p > 0.5) for p in 1 / (1 + np.exp(-m.logit(np.array([[0.5], [2.5]]))))]
        [False, True]
        """
        x = np.asarray(x, dtype=np.float64)
        y = np.asarray(y, dtype=np.float64)
        mean, scale = x.mean(axis=0), x.std(axis=0)
        scale[scale == 0] = 1.0
        z = np.hstack([np.ones((len(x), 1)), (x - mean) / scale])
        w = np.zeros(z.shape[1])
        penalty = np.full(z.shape[1], l2)
        penalty[0] = 0.0  # the intercept is not shrunk
        for _ in range(steps):
            p = 1 / (1 + np.exp(-(z @ w)))
            gradient = z.T @ (p - y) + penalty * w
            hessian = (z * (p * (1 - p))[:, None]).T @ z + np.diag(penalty)
            step = np.linalg.solve(hessian, gradient)
            w -= step
            if float(np.abs(step).max()) < 1e-8:
                break
        weights = w[1:] / scale
        bias = w[0] - float(weights @ mean)
        return Logistic(features, tuple(round(float(v), 6) for v in weights), round(float(bias), 6))


@dataclass(frozen=True)
class Calibration:
    sentence: Logistic  # how likely a sentence answers the question
    coverage: Logistic  # how likely the corpus answers the question at all
    coverage_threshold: float = 0.5  # answer when P(covered) >= this
    followup_margin: float = 0.0  # a standalone question is read with the chat before it when that answers it this much better
    followup_lean_margin: float = 0.0  # a question leaning on the chat is read alone only when that answers it this much better
    # How likely a question that credits a speaker with words is about the interviewer's claim instead.
    attribution: Logistic = Logistic(ATTRIBUTION_FEATURES, (10.0, 0.0, 10.0, 10.0), -13.0)
    attribution_threshold: float = 0.5  # quote the claim as the interviewer's when P >= this
    window_keep: float = 0.5  # a neighbouring sentence joins the quote when its P(answer) >= this x the best's
    second_quote: float = 0.8  # a second window from another exchange when its P(answer) >= this x the best's
    align_threshold: float = 0.88  # (other languages) a question's word reads as the nearest corpus word at this cosine or above
    provenance: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2) + "\n"

    @staticmethod
    def from_dict(data: dict[str, Any]) -> Calibration:
        try:
            sentence = Logistic(tuple(data["sentence"]["features"]), tuple(data["sentence"]["weights"]), float(data["sentence"]["bias"]))
            coverage = Logistic(tuple(data["coverage"]["features"]), tuple(data["coverage"]["weights"]), float(data["coverage"]["bias"]))
            attribution = Logistic(tuple(data["attribution"]["features"]), tuple(data["attribution"]["weights"]), float(data["attribution"]["bias"]))
            rest = {k: float(data[k]) for k in ("coverage_threshold", "attribution_threshold", "followup_margin", "followup_lean_margin", "window_keep", "second_quote", "align_threshold") if k in data}
        except (KeyError, TypeError, ValueError) as exc:
            raise CalibrationError(f"calibration is malformed ({exc!r}); refit with `python -m rag.calibrate`") from None
        models = ((sentence, SENTENCE_FEATURES), (coverage, COVERAGE_FEATURES), (attribution, ATTRIBUTION_FEATURES))
        if any(model.features != features for model, features in models):
            raise CalibrationError(
                f"calibration was fitted for features {sentence.features} / {coverage.features} / {attribution.features}, "
                f"this code computes {SENTENCE_FEATURES} / {COVERAGE_FEATURES} / {ATTRIBUTION_FEATURES}; refit with `python -m rag.calibrate`"
            )
        if any(len(model.weights) != len(features) for model, features in models):
            raise CalibrationError("calibration weights do not match its features; refit with `python -m rag.calibrate`")
        return Calibration(sentence, coverage, attribution=attribution, **rest, provenance=dict(data.get("provenance", {})))


def calibration_path(name: str = CALIBRATION_FILE) -> Path:
    return Path(str(resources.files("rag") / "data" / name))


def load_calibration(path: Path | None = None) -> Calibration:
    path = path or calibration_path()
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CalibrationError(f"{path}: cannot read the calibration ({exc}); refit with `python -m rag.calibrate`") from None
    return Calibration.from_dict(data)


def sigmoid(x: float | np.ndarray) -> float | np.ndarray:
    if isinstance(x, np.ndarray):
        return 1 / (1 + np.exp(-x))
    return 1 / (1 + math.exp(-x))


# Before the first fit: equal weights on the similarity signals, so the engine runs (and the fit can
# compute its coverage features) without a calibration file.
UNFITTED = Calibration(
    sentence=Logistic(SENTENCE_FEATURES, (4.0, 4.0, 2.0, 2.0, 1.0, 2.0, 1.0, 2.0, 2.0, 1.0, -1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0), -4.0),
    coverage=Logistic(COVERAGE_FEATURES, (4.0, 1.0, 2.0, 2.0, -2.0, -2.0), -3.0),
    provenance={"fitted_on": None},
)
