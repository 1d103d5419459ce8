"""Hybrid ranking: dense (Chroma) and BM25 (accented and folded) fused by weighted reciprocal rank.

Which rankings take part depends on how the question was typed: a question without
diacritics leans on the folded BM25 field, an English one on the multilingual embedder.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from assistant.retrieve.query import Query, asks_about_recipients
from assistant.vietnamese import folded_tokens

# Weights per question mode: (dense, accented BM25, folded BM25).
ROUTES = {
    "accented": (1.0, 1.0, 0.5),
    "folded": (0.5, 0.0, 1.0),
    "english": (1.0, 0.7, 0.0),
}
# Single-method routes, for comparison and for users who want one method only.
SINGLE = {
    "dense": {mode: (1.0, 0.0, 0.0) for mode in ROUTES},
    "bm25": {"accented": (0.0, 1.0, 0.5), "folded": (0.0, 0.0, 1.0), "english": (0.0, 1.0, 0.0)},
}


def routes_for(retrieval: str) -> dict:
    """The route table of a ``retrieval`` setting ("hybrid", "dense", "bm25")."""
    if retrieval == "hybrid":
        return ROUTES
    if retrieval not in SINGLE:
        from assistant import errors

        raise errors.BadInput(f"NTM_RETRIEVAL '{retrieval}' không hợp lệ (hybrid, dense, bm25).",
                              f"unknown NTM_RETRIEVAL '{retrieval}' (hybrid, dense, bm25).")
    return SINGLE[retrieval]


# Passages that are not content (the recipients' list, the signature) rank lower.
DEMOTED_CLAUSES = {"noi-nhan": 0.5}


@dataclass
class Ranked:
    """A passage id with its fused score and the evidence behind it."""

    chunk_id: str
    score: float
    dense: float  # cosine similarity, 0 when the passage was not in the dense candidates
    ranks: dict[str, int]


class HybridRetriever:
    """Ranks passages for a question using the vector and lexical indexes of one index folder."""

    def __init__(self, lexical, vectors, rrf_k: int = 20, candidates: int = 50,
                 routes: dict | None = None, clause_of=None):
        self.lexical = lexical
        self.vectors = vectors
        self.rrf_k = rrf_k
        self.candidates = candidates
        self.routes = routes or ROUTES
        self.clause_of = clause_of or (lambda chunk_id: "")

    def rank(self, query: Query, k: int, query_vector: list[float] | None = None) -> list[Ranked]:
        """The ``k`` best passages, best first."""
        w_dense, w_acc, w_fold = self.routes[query.mode]
        rankings: dict[str, tuple[float, list[str]]] = {}
        dense_scores: dict[str, float] = {}
        if w_dense > 0 and query_vector is not None:
            hits = self.vectors.query(query_vector, self.candidates)
            dense_scores = dict(hits)
            rankings["dense"] = (w_dense, [cid for cid, _ in hits])
        expansion_tokens = folded_tokens(" ".join(query.expansions))
        if w_acc > 0:
            rankings["bm25"] = (w_acc, self._top(self.lexical.scores(query.expanded, "accented")))
        if w_fold > 0:
            scores = self.lexical.scores(query.text, "folded", expansion_tokens)
            rankings["folded"] = (w_fold, self._top(scores))
        fused: dict[str, float] = {}
        ranks: dict[str, dict[str, int]] = {}
        for name, (weight, ids) in rankings.items():
            for rank, cid in enumerate(ids, start=1):
                fused[cid] = fused.get(cid, 0.0) + weight / (self.rrf_k + rank)
                ranks.setdefault(cid, {})[name] = rank
        if not asks_about_recipients(query):
            for cid in fused:
                fused[cid] *= DEMOTED_CLAUSES.get(self.clause_of(cid), 1.0)
        best = sorted(fused, key=fused.get, reverse=True)[:k]
        return [Ranked(cid, fused[cid], dense_scores.get(cid, 0.0), ranks[cid]) for cid in best]

    def _top(self, scores: np.ndarray) -> list[str]:
        if scores.size == 0:
            return []
        n = min(self.candidates, scores.size)
        top = np.argpartition(-scores, n - 1)[:n]
        top = top[np.argsort(-scores[top])]
        return [self.lexical.ids[i] for i in top if scores[i] > 0]
