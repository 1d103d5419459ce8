"""Hybrid ranking: dense (Chroma) and BM25 (accented and folded) fused by weighted reciprocal rank.

Which rankings take part depends on how the question was typed: a question without
diacritics leans on the folded BM25 field, an English one on the multilingual embedder.
With a learned fusion model (``fusion.py``) the routes named in ``fusion_modes`` are scored
by it instead of by fixed RRF weights: per question, from how far each side can be trusted.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from assistant.retrieve import fusion
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

        raise errors.BadInput(
            f"NTM_RETRIEVAL '{retrieval}' không hợp lệ (hybrid, dense, bm25).",
            f"unknown NTM_RETRIEVAL '{retrieval}' (hybrid, dense, bm25).",
        )
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

    def __init__(
        self,
        lexical,
        vectors,
        rrf_k: int = 20,
        candidates: int = 50,
        routes: dict | None = None,
        clause_of=None,
        learned=None,
        doc_of=None,
    ):
        self.lexical = lexical
        self.vectors = vectors
        self.rrf_k = rrf_k
        self.candidates = candidates
        self.routes = routes or ROUTES
        self.clause_of = clause_of or (lambda chunk_id: "")
        self.learned = learned  # a LearnedFusion, or None for fixed weights everywhere
        self.doc_of = doc_of or (lambda chunk_id: "")
        self._masks: dict[frozenset, np.ndarray] = {}

    def mask(self, only: frozenset[str] | None) -> np.ndarray | None:
        """Which lexical positions belong to the documents ``only`` names (None: every document)."""
        if not only:
            return None
        mask = self._masks.get(only)
        if mask is None:
            mask = np.array([self.doc_of(cid) in only for cid in self.lexical.ids], dtype=bool)
            self._masks = {**dict(list(self._masks.items())[-15:]), only: mask}
        return mask

    def dense(self, query_vector, only: frozenset[str] | None) -> list[tuple[str, float]]:
        """The nearest passages by embedding, of the documents ``only`` names when given: the vector
        store is asked for as many more as the other documents hold, so that about ``candidates``
        of these remain."""
        mask = self.mask(only)
        if mask is None or not only:
            return self.vectors.query(query_vector, self.candidates)
        kept = int(mask.sum())
        if not kept:
            return []
        if hasattr(self.vectors, "query_in"):
            return self.vectors.query_in(query_vector, self.candidates, only)
        depth = min(self.vectors.count(), -(-self.candidates * len(mask) // kept))
        return [(cid, s) for cid, s in self.vectors.query(query_vector, depth) if self.doc_of(cid) in only]

    def learned_for(self, query: Query, only: frozenset[str] | None = None) -> bool:
        """Whether the learned combiner ranks this question: typed with accents, over passages of
        which some stand in articles. Asked of documents without articles only (the resolution in a
        library of laws), the question keeps the fixed weights tuned for such documents."""
        if self.learned is None or not self.learned.applies(query) or self.routes is not ROUTES:
            return False
        return only is None or self.learned.has_articles(only, self.doc_of)

    def learned_article_first(self, query: Query, ranked: list[Ranked]) -> bool:
        """Whether the learned combiner ranked these passages and put a passage of an article first."""
        return bool(ranked) and self.learned_for(query) and ranked[0].chunk_id in self.learned.in_article

    def rank(
        self, query: Query, k: int, query_vector: list[float] | None = None, only: frozenset[str] | None = None
    ) -> list[Ranked]:
        """The ``k`` best passages, best first; of the documents ``only`` names when given (the
        other documents' passages are left out of every ranking before they are fused)."""
        w_dense, w_acc, w_fold = self.routes[query.mode]
        if self.learned_for(query, only):
            return self.learned.rank(self, query, k, query_vector, only)
        mask = self.mask(only)
        rankings: dict[str, tuple[float, list[str]]] = {}
        dense_scores: dict[str, float] = {}
        if w_dense > 0 and query_vector is not None:
            hits = self.dense(query_vector, only)
            dense_scores = dict(hits)
            rankings["dense"] = (w_dense, [cid for cid, _ in hits])
        expansion_tokens = folded_tokens(" ".join(query.expansions))
        if w_acc > 0:
            rankings["bm25"] = (w_acc, self._top(self.lexical.scores(query.expanded, "accented", within=mask)))
        if w_fold > 0:
            scores = self.lexical.scores(query.text, "folded", expansion_tokens, mask)
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
        best = sorted(fused, key=fused.__getitem__, reverse=True)[:k]
        return [Ranked(cid, fused[cid], dense_scores.get(cid, 0.0), ranks[cid]) for cid in best]

    def _top(self, scores: np.ndarray) -> list[str]:
        if scores.size == 0:
            return []
        n = min(self.candidates, scores.size)
        top = np.argpartition(-scores, n - 1)[:n]
        top = top[np.argsort(-scores[top])]
        return [self.lexical.ids[i] for i in top if scores[i] > 0]


class LearnedFusion:
    """The learned combiner of ``fusion.py`` over one index: its passages' articles and headings, built once."""

    def __init__(
        self, chunks: list, weights, model: fusion.FusionModel | None = None, modes: frozenset = frozenset({"accented"})
    ):
        self.model = model or fusion.shipped_model()
        self.modes = modes
        self.weights = weights  # TermWeights of the index: document frequencies and idf
        self.article_of, headings = fusion.articles(chunks)
        self.heading_tokens = [frozenset(folded_tokens(h)) for h in headings]
        self.cover_tokens = [fusion.heading_cover_tokens(h) for h in headings]
        self.position = {chunk.chunk_id: i for i, chunk in enumerate(chunks)}
        # Trained on laws, one article a file: it ranks an index that holds articles. An index of
        # long documents without articles (the resolution alone) keeps the fixed weights tuned for it.
        # passages of an article (a "Điều", or a one-article file); the others stand alone
        self.in_article = {c.chunk_id for c, a in zip(chunks, self.article_of.tolist()) if headings[a]}
        self.legal = len(set(self.article_of.tolist())) < len(chunks) or bool(self.in_article)
        self.texts = [chunk.text for chunk in chunks]
        self.members: dict[int, list[int]] = {}
        for i, a in enumerate(self.article_of.tolist()):
            self.members.setdefault(a, []).append(i)
        # Every article's folded syllable pairs, cut here once: cut at a question's first sight of
        # an article, a law's long articles cost a cold question 20-30 ms.
        self._article_terms: dict[int, frozenset] = {a: self._cut(a) for a in self.members} if self.legal else {}
        self._cover_weights: dict[int, tuple] = {}
        self._with_articles: set[str] | None = None

    def has_articles(self, only: frozenset[str], doc_of) -> bool:
        """Whether any of these documents has a passage in an article."""
        if self._with_articles is None:
            self._with_articles = {doc_of(cid) for cid in self.in_article}
        return not self._with_articles.isdisjoint(only)

    def article_terms(self, article: int) -> frozenset:
        """The folded syllable pairs of an article's passages (an index without articles: cut when asked)."""
        terms = self._article_terms.get(article)
        if terms is None:
            terms = self._article_terms[article] = self._cut(article)
        return terms

    def _cut(self, article: int) -> frozenset:
        return frozenset(t for i in self.members.get(article, ()) for t in folded_tokens(self.texts[i]) if "_" in t)

    def cover_weights(self, article: int) -> tuple:
        """The idf of an article heading's syllables and pairs (``fusion.heading_cover_weights``),
        weighed the first time the article is a candidate."""
        weighed = self._cover_weights.get(article)
        if weighed is None:
            weighed = fusion.heading_cover_weights(self.cover_tokens[article], self.weights.idf)
            self._cover_weights[article] = weighed
        return weighed

    def applies(self, query: Query) -> bool:
        return self.legal and query.mode in self.modes

    def features(self, retriever: HybridRetriever, query: Query, query_vector, only: frozenset[str] | None = None):
        """(candidate positions, their feature matrix, the dense hits) for one question; the
        candidates of the documents ``only`` names when given."""
        lexical = retriever.lexical
        mask = retriever.mask(only)
        dense_hits = retriever.dense(query_vector, only) if query_vector is not None else []
        dense = [(self.position[cid], score) for cid, score in dense_hits if cid in self.position]
        accented = lexical.scores(query.expanded, "accented", within=mask)
        folded = lexical.scores(query.text, "folded", folded_tokens(" ".join(query.expansions)), mask)
        tokens = folded_tokens(query.text)
        folded_top = fusion._top(folded, 10) if folded.size else []
        signals = fusion.query_signals(
            tokens, self.weights.df, self.weights.n, [p for p, _ in dense], folded_top, np.array([s for _, s in dense])
        )
        candidates = (
            {p for p, _ in dense}
            | set(fusion._top(accented, retriever.candidates))
            | set(fusion._top(folded, retriever.candidates))
        )
        candidate_articles = self.article_of[sorted(candidates)]
        shares = fusion.heading_shares(tokens, candidate_articles, self.heading_tokens, self.weights.idf)
        pairs = fusion.article_shares(
            tokens, candidate_articles, self.article_terms, self.weights.idf, self.weights.known
        )
        cover = fusion.heading_covers(
            tokens, candidate_articles, self.cover_tokens, self.weights.idf, self.cover_weights
        )
        share = fusion.sentence_scorer(tokens, self.weights.idf, self.weights.known)
        positions, features = fusion.candidate_features(
            dense,
            accented,
            folded,
            self.article_of,
            shares,
            signals,
            retriever.candidates,
            lambda p: share(self.texts[p]),
            pairs,
            cover,
        )
        return positions, features, dense_hits

    def rank(
        self, retriever: HybridRetriever, query: Query, k: int, query_vector, only: frozenset[str] | None = None
    ) -> list[Ranked]:
        ids = retriever.lexical.ids
        positions, features, dense_hits = self.features(retriever, query, query_vector, only)
        scores = self.model.score(features)
        if not asks_about_recipients(query):
            scores = scores - np.array([DEMOTED_SCORE.get(retriever.clause_of(ids[p]), 0.0) for p in positions])
        order = np.argsort(-scores, kind="stable")[:k]
        cosine = dict(dense_hits)
        names = ("dense", "bm25", "folded")
        columns = [fusion.FEATURES.index(f"r_{side}") for side in ("dense", "accented", "folded")]
        result = []
        for i in order:
            cid = ids[positions[i]]
            ranks = {
                name: round(fusion.RRF_K / features[i, c] - fusion.RRF_K)
                for name, c in zip(names, columns)
                if features[i, c] > 0
            }
            result.append(Ranked(cid, float(scores[i]), cosine.get(cid, 0.0), ranks))
        return result


# With the learned fusion a demoted passage loses this much score instead of half its RRF score.
DEMOTED_SCORE = {"noi-nhan": 1.0}
