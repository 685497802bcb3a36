"""The name decision's model: logistic regression over named features, its numbers a data file.

``name_model.json`` (written by ``scripts/train_names.py``, never by hand) holds the feature names
in order, their weights and bias, a calibration shift fitted on real text (generated training data
has far more misspellings than real copy: the shift moves the probabilities to real text's rate),
and the thresholds: a fix at least ``apply`` likely is made, one at least ``suggest`` likely is
reported as a suggestion, the rest are only explained.
"""
from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass
from itertools import repeat
from operator import mul
from pathlib import Path
from typing import Any, Iterator, Mapping

FORMAT = "normkit-name-model 1"
MODEL_FILE = Path(__file__).with_name("name_model.json")


@dataclass(frozen=True)
class Evidence:
    """One feature's part in a decision: its value and what it added to the log-odds."""

    feature: str
    value: float
    contribution: float


@dataclass(frozen=True)
class NameModel:
    features: tuple[str, ...]
    weights: tuple[float, ...]
    bias: float
    shift: float       # calibration to real text (Platt scaling): p = sigmoid(scale * z + shift)
    apply: float       # probability at which a fix is applied
    suggest: float     # probability at which a fix is reported as a suggestion
    scale: float = 1.0

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "NameModel":
        """The model a ``name_model.json`` holds (a ValueError says what is wrong with it)."""
        if data.get("format") != FORMAT:
            raise ValueError(f"not a {FORMAT!r} file")
        try:
            features = tuple(str(f) for f in data["features"])
            weights = tuple(float(w) for w in data["weights"])
            thresholds = data["thresholds"]
            calibration = data.get("calibration") or {}
            model = cls(features, weights, float(data["bias"]), float(calibration.get("shift", 0.0)),
                        float(thresholds["apply"]), float(thresholds["suggest"]),
                        float(calibration.get("scale", 1.0)))
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"not a usable name model: {exc}") from None
        if len(features) != len(weights):
            raise ValueError("features and weights differ in length")
        return model

    def raw_log_odds(self, values: Mapping[str, float]) -> float:
        """The fitted model's log-odds, before calibration."""
        # The terms in the features' order, summed by sum() as the plain loop would sum them
        # (bit for bit the same), with the loop's per-term Python frames left out.
        terms: Iterator[float] = map(mul, self.weights, map(values.get, self.features, repeat(0.0)))
        return self.bias + sum(terms)

    def log_odds(self, values: Mapping[str, float]) -> float:
        return self.scale * self.raw_log_odds(values) + self.shift

    def probability(self, values: Mapping[str, float]) -> float:
        return self.chance(self.log_odds(values))

    @staticmethod
    def chance(log_odds: float) -> float:
        """A calibrated log-odds as a probability."""
        return 1.0 / (1.0 + math.exp(-log_odds)) if log_odds > -60 else 0.0

    def outcome(self, probability: float) -> str:
        """What a fix this likely becomes: applied, suggested or rejected (the thresholds)."""
        return "applied" if probability >= self.apply else "suggested" if probability >= self.suggest else "rejected"

    def evidence(self, values: Mapping[str, float]) -> list[Evidence]:
        """The features that moved this decision, strongest first (for and against), each with
        its part of the calibrated log-odds."""
        parts = [Evidence(f, values.get(f, 0.0), self.scale * w * values.get(f, 0.0))
                 for f, w in zip(self.features, self.weights) if values.get(f, 0.0) and w]
        return sorted(parts, key=lambda e: -abs(e.contribution))


@functools.lru_cache(maxsize=4)
def load_model(path: Path = MODEL_FILE) -> NameModel:
    """The fitted model shipped with normkit (or another such file)."""
    return NameModel.from_dict(json.loads(path.read_text(encoding="utf-8")))
