"""What every evaluation shares: reading its JSONL files and the ranking metrics averaged over queries."""

from __future__ import annotations

import json
import math
from pathlib import Path


def read_jsonl(path: Path | str) -> list[dict]:
    """One object per non-blank line (question files, BEIR corpora and queries)."""
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


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


def rank_figures(
    queries: list[tuple[list[int], int]],
    at: tuple[int, ...] = (1, 5, 10),
    ndcg: bool = False,
    digits: int = 4,
    empty: float | None = 0.0,
) -> dict[str, float | None]:
    """Recall@k for each k of ``at``, MRR@10 (and nDCG@10) averaged over the queries, each given as
    (1-based ranks of its relevant items retrieved, how many are relevant); ``empty`` when none."""

    def mean(values: list[float]) -> float | None:
        return round(sum(values) / len(values), digits) if values else empty

    figures = {f"recall@{k}": mean([recall_at(ranks, k, n) for ranks, n in queries]) for k in at}
    figures["mrr@10"] = mean([mrr_at(ranks, 10) for ranks, _ in queries])
    if ndcg:
        figures["ndcg@10"] = mean([ndcg_at(ranks, 10, n) for ranks, n in queries])
    return figures


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0–100) by linear interpolation."""
    if not values:
        return 0.0
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    low, high = math.floor(pos), math.ceil(pos)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)
