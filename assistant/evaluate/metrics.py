"""Ranking metrics shared by the question-answer evaluation and the BEIR benchmark."""

from __future__ import annotations

import math


def recall_at(relevant_ranks: list[int], k: int, n_relevant: int = 1) -> float:
    """Share of the relevant items found in the top ``k`` (ranks are 1-based)."""
    if n_relevant <= 0:
        return 0.0
    return min(sum(1 for r in relevant_ranks if r <= k), n_relevant) / n_relevant


def mrr_at(relevant_ranks: list[int], k: int = 10) -> float:
    """Reciprocal rank of the first relevant item within the top ``k``."""
    first = min((r for r in relevant_ranks if r <= k), default=None)
    return 1.0 / first if first else 0.0


def ndcg_at(relevant_ranks: list[int], k: int, n_relevant: int) -> float:
    """nDCG@k with binary relevance."""
    dcg = sum(1.0 / math.log2(r + 1) for r in relevant_ranks if r <= k)
    ideal = sum(1.0 / math.log2(i + 2) for i in range(min(n_relevant, k)))
    return dcg / ideal if ideal else 0.0


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0–100) by linear interpolation."""
    if not values:
        return 0.0
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    low, high = math.floor(pos), math.ceil(pos)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)
