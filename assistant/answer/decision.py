"""Whether the chosen sentences answer the question: a small logistic model over the evidence.

The rules before it (a threshold per signal) were tuned on the questions that shaped them and
held less well for words nobody listed. The model weighs the same signals together, judged on
the sentences themselves: how close in meaning the best sentence is to the question and by how
much it beats the others, whether it holds what was asked (a figure, an agency, a year), the
subjects named, the time frame, and how the question was asked. Its weights are data
(``data/decision.json``), trained by ``ntm eval train-decision`` on labelled questions and
reported leave-one-writer-out.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

FEATURES = (
    "dense",  # best passage's cosine with the question
    "coverage",  # share of the question's content the best passage holds
    "quote_coverage",  # share the chosen sentences hold
    "sentence_score",  # the best chosen sentence's rerank score
    "margin",  # how far that sentence beats the best sentence of another passage
    "lead_dense",  # the best chosen sentence's own cosine with the question
    "lead_first",  # it lies in the first-ranked passage
    "missing_share",  # share of the question's naming words the documents never write
    "kind_ok",  # the sentences hold what was asked (figure, agency, year)
    "frame_ok",  # they speak of the time asked about
    "figures_ok",  # they hold the unit and the small numbers the question names
    "subjects_ok",  # they speak of the programme or body named by abbreviation
    "yes_no",  # "có phải …", "… đúng không"
    "quantity",
    "who",
    "list",
    "english",
)


@dataclass
class DecisionModel:
    """Weights over standardised features and a bias; ``probability`` that the sentences answer."""

    weights: dict[str, float]
    bias: float
    mean: dict[str, float]
    scale: dict[str, float]
    meta: dict

    def probability(self, features: dict[str, float]) -> float:
        z = self.bias + sum(
            w * (features.get(name, 0.0) - self.mean.get(name, 0.0)) / (self.scale.get(name, 1.0) or 1.0)
            for name, w in self.weights.items()
        )
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def to_json(self) -> dict:
        def r(d: dict) -> dict:
            return {k: round(v, 5) for k, v in d.items()}

        return {
            "weights": r(self.weights),
            "bias": round(self.bias, 5),
            "mean": r(self.mean),
            "scale": r(self.scale),
            "meta": self.meta,
        }

    @classmethod
    def from_json(cls, data: dict) -> DecisionModel:
        return cls(data["weights"], data["bias"], data["mean"], data["scale"], data.get("meta", {}))


@lru_cache(maxsize=1)
def shipped_model() -> DecisionModel:
    """The weights shipped with the package (``assistant/data/decision.json``)."""
    from assistant import data

    return DecisionModel.from_json(json.loads(resources.files(data).joinpath("decision.json").read_text("utf-8")))


def train(rows: list[dict[str, float]], labels: list[int], l2: float = 0.05, steps: int = 3000) -> DecisionModel:
    """Fit a logistic model (full-batch gradient descent from zero: reproducible) on standardised features."""
    x = np.array([[row.get(f, 0.0) for f in FEATURES] for row in rows], dtype=float)
    y = np.array(labels, dtype=float)
    mean = x.mean(axis=0) if len(x) else np.zeros(len(FEATURES))
    scale = x.std(axis=0) if len(x) else np.ones(len(FEATURES))
    scale[scale == 0] = 1.0
    xs = (x - mean) / scale
    w, b = np.zeros(len(FEATURES)), 0.0
    rate = 0.5
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(xs @ w + b)))
        w -= rate * (xs.T @ (p - y) / len(y) + l2 * w)
        b -= rate * float(np.mean(p - y))
    return DecisionModel(
        dict(zip(FEATURES, w.tolist())),
        b,
        dict(zip(FEATURES, mean.tolist())),
        dict(zip(FEATURES, scale.tolist())),
        {"l2": l2, "steps": steps, "questions": len(y), "positives": int(y.sum())},
    )
