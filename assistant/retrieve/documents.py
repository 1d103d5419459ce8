"""Which document of a library a question is about: a learned ranking of whole documents.

Passages alone mislead in a library: a law has twenty articles on waste water and the resolution
one target, so the law's passages fill the ranking although the question asks for the target.
Each document gets a few features of how it fits the question as a whole — where its first
passage ranks, what share of the best passages are its own, how close its centroid (the mean of
its passages' embeddings) lies to the question, how much of the question's wording (by idf) it
holds anywhere, its size, and, for a question asking a figure, how well the figures it states
(its targets and figures reached) match it — a law on waste water states none —, whether it is a
commune's or a district's document that the question names no place of, and a linear
model, trained with a softmax over each question's documents on questions whose document is
known (``ntm eval train-documents``), scores them.
The weights ship as ``assistant/data/documents.json``.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

from assistant.retrieve.fusion import LinearModel, fit_softmax
from assistant.retrieve.query import question_kinds
from assistant.retrieve.rerank import folded_terms
from assistant.vietnamese import YEAR, fold, has_diacritics, syllables

FEATURES = [
    "first",  # 10 / (10 + rank of the document's best passage), 0 when none is ranked
    "top10",  # share of the ten best passages that are the document's
    "top60",  # share of the ranked passages that are the document's
    "centroid",  # (cosine to the document's centroid − the best document's) × 10
    "dense",  # (best cosine of the document's ranked passages − the best passage's) × 10
    "words",  # share (by idf) of the question's syllables the document holds somewhere
    "pairs",  # the same, of its syllable pairs (its words and phrases)
    "size",  # log of the document's passages / log of the library's
    "figures",  # for a question asking a figure: the share (by idf) of its words the document's best
    # matching stated figure (a target or a figure reached, ``facts``) holds; 0 for other questions
    "elsewhere",  # 1 for a commune's or a district's document ("… của UBND xã Thạch Kim") when the
    # question names none of its places: "tỷ lệ hộ có nhà vệ sinh tự hoại đến 2025" is the province's
]
# The commune or district a document's issuer is of ("Ủy ban nhân dân xã Thạch Kim")
_LOCAL_PLACE = re.compile(r"\b(?:xã|huyện|thị xã|thành phố|thị trấn)\s+([A-ZĐÂ]\w*(?:[ \t]+[A-ZĐÂ]\w*){0,2})")
DEPTH = 60  # passages ranked to find the documents a question may be answered from


@dataclass
class DocumentRanking:
    """The documents of a library for one question, most likely first, with their probabilities."""

    documents: list[str]
    probabilities: list[float]

    @property
    def best(self) -> str | None:
        return self.documents[0] if self.documents else None

    @property
    def confidence(self) -> float:
        return self.probabilities[0] if self.probabilities else 0.0

    def within(self, documents: frozenset[str]) -> DocumentRanking:
        """The ranking of some of the documents only (those a question is asked of), renormalised."""
        kept = [(d, p) for d, p in zip(self.documents, self.probabilities) if d in documents]
        total = sum(p for _, p in kept) or 1.0
        return DocumentRanking([d for d, _ in kept], [p / total for _, p in kept])


class DocumentModel(LinearModel):
    """The document scorer over ``FEATURES``."""

    features = FEATURES


@lru_cache(maxsize=1)
def shipped_model() -> DocumentModel:
    """The weights shipped with the package (``assistant/data/documents.json``)."""
    from assistant import data

    return DocumentModel.from_json(json.loads(resources.files(data).joinpath("documents.json").read_text("utf-8")))


def train(examples: list[tuple[np.ndarray, np.ndarray]], l2: float = 0.01) -> DocumentModel:
    """Fit the weights on (feature matrix, 0/1 "is the question's document") per question."""
    weights, used = fit_softmax(examples, len(FEATURES), l2)
    return DocumentModel(dict(zip(FEATURES, weights.tolist())), {"l2": l2, "questions": used})


class DocumentRanker:
    """The documents of one index, read once: their passages' centroids and their words."""

    def __init__(
        self,
        chunks: list,
        vectors: dict[str, np.ndarray],
        weights,
        model: DocumentModel | None = None,
        facts=None,
        names: dict[str, str] | None = None,
    ):
        """``facts``: the figures the documents state (``assistant.facts.Facts``), if read; ``names``:
        each document's issuer, as its header gives it (the commune or district it is of)."""
        self.model = model or shipped_model()
        self.weights = weights  # TermWeights of the whole index: how rare each word is
        self.doc_ids = sorted({c.doc_id for c in chunks})
        self.row = {d: i for i, d in enumerate(self.doc_ids)}
        sizes = {d: 0 for d in self.doc_ids}
        terms: dict[str, set] = {d: set() for d in self.doc_ids}
        for chunk in chunks:
            sizes[chunk.doc_id] += 1
            terms[chunk.doc_id].update(folded_terms(chunk.context_text))
        self.terms = [frozenset(terms[d]) for d in self.doc_ids]
        stated: dict[str, list[frozenset]] = {d: [] for d in self.doc_ids}
        for fact in [*facts.targets, *facts.baselines] if facts is not None else ():
            if fact.doc_id in stated:
                stated[fact.doc_id].append(frozenset(folded_terms(fact.quote)))
        self.figures = [stated[d] for d in self.doc_ids]
        self.places = [local_places((names or {}).get(d, "")) for d in self.doc_ids]
        total = max(sum(sizes.values()), 2)
        self.size = np.array([math.log(sizes[d] + 1) / math.log(total + 1) for d in self.doc_ids])
        dim = next((v.shape[1] for v in vectors.values() if len(v)), 0)
        centroids = np.zeros((len(self.doc_ids), dim), "float32")
        self.embedded = np.zeros(len(self.doc_ids), dtype=bool)  # a document staged by its words only has none
        for d, v in vectors.items():
            if d in self.row and len(v) and v.shape[1] == dim:
                unit = v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-12)
                mean = unit.mean(axis=0)
                centroids[self.row[d]] = mean / max(float(np.linalg.norm(mean)), 1e-12)
                self.embedded[self.row[d]] = True
        self.centroids = centroids

    def features(
        self, text: str, vector: np.ndarray | None, ranked: list, doc_of, wording: str | None = None
    ) -> np.ndarray:
        """One row of ``FEATURES`` per document (``doc_ids`` order), from the question's text and
        vector and its ranked passages (``Ranked``, best first; ``doc_of`` maps a passage id to its
        document); ``wording``: the words a document must hold (``question_wording``, default the text)."""
        n = len(self.doc_ids)
        first = np.zeros(n)
        top10, top60 = np.zeros(n), np.zeros(n)
        best_cosine = np.full(n, -np.inf)
        for rank, r in enumerate(ranked[:DEPTH], start=1):
            i = self.row.get(doc_of(r.chunk_id))
            if i is None:
                continue
            if not first[i]:
                first[i] = 10 / (10 + rank)
            top10[i] += rank <= 10
            top60[i] += 1
            if r.dense:
                best_cosine[i] = max(best_cosine[i], r.dense)
        peak = best_cosine.max() if np.isfinite(best_cosine).any() else 0.0
        dense = np.where(np.isfinite(best_cosine), (best_cosine - peak) * 10, -1.5)
        if vector is not None and self.centroids.shape[1] == len(vector):
            cosines = self.centroids @ (vector / max(float(np.linalg.norm(vector)), 1e-12))
            if self.embedded.any():  # a document without vectors yet: neither near nor far
                cosines = np.where(self.embedded, cosines, np.median(cosines[self.embedded]))
            centroid = (cosines - cosines.max()) * 10
        else:
            centroid = np.zeros(n)
        asked = set(folded_terms(text if wording is None else wording))
        words = [t for t in asked if "_" not in t and self.weights.known(t)]
        pairs = [t for t in asked if "_" in t and self.weights.known(t)]
        return np.stack(
            [
                first,
                top10 / 10,
                top60 / max(len(ranked[:DEPTH]), 1),
                centroid,
                dense,
                self._held(words),
                self._held(pairs),
                self.size,
                self._figures(words + pairs) if "quantity" in question_kinds(text) else np.zeros(n),
                self._elsewhere(text),
            ],
            axis=1,
        )

    def _elsewhere(self, text: str) -> np.ndarray:
        asked = " " + " ".join(fold(s) for s in syllables(text)) + " "
        return np.array([float(bool(places) and not any(f" {p} " in asked for p in places)) for places in self.places])

    def _held(self, terms: list[str]) -> np.ndarray:
        idf = {t: self.weights.idf(t) for t in terms}
        total = sum(idf.values())
        if not total:
            return np.zeros(len(self.doc_ids))
        return np.array([sum(w for t, w in idf.items() if t in held) / total for held in self.terms])

    def _figures(self, terms: list[str]) -> np.ndarray:
        """Per document, the largest share (by idf) of the question's terms that the sentence of one
        of its stated figures holds."""
        idf = {t: self.weights.idf(t) for t in terms}
        total = sum(idf.values())
        if not total:
            return np.zeros(len(self.doc_ids))
        return np.array(
            [
                max((sum(w for t, w in idf.items() if t in held) / total for held in facts), default=0.0)
                for facts in self.figures
            ]
        )

    def rank(
        self, text: str, vector: np.ndarray | None, ranked: list, doc_of, wording: str | None = None
    ) -> DocumentRanking:
        """The documents, most likely first, with the model's probabilities."""
        if not self.doc_ids:
            return DocumentRanking([], [])
        scores = self.model.score(self.features(text, vector, ranked, doc_of, wording))
        p = np.exp(scores - scores.max())
        p /= p.sum()
        order = np.argsort(-p, kind="stable")
        return DocumentRanking([self.doc_ids[i] for i in order], [float(p[i]) for i in order])


def local_places(name: str) -> list[str]:
    """The communes and districts a document is of ("… của UBND xã Thạch Kim": "thach kim"), folded."""
    return sorted({" ".join(fold(m.group(1)).lower().split()) for m in _LOCAL_PLACE.finditer(name)})


# Names typed in capitals after the first word ("Ha Tinh", "Thach Kim"): an English question's own
# words that a document may write
_NAME = re.compile(r"(?<=\w[ ,])[A-ZĐ]\w*(?:\s+[A-ZĐ]\w*)+")


def question_wording(query) -> str:
    """The words a document must hold for a question: the question itself, or for an English one
    the glossary's Vietnamese for its terms, the Vietnamese and the names it types and its years —
    never its English words, which fold onto Vietnamese syllables ("the" onto "thể", "can" onto "cần")."""
    if query.mode != "english":
        return query.text
    typed = [w for w in syllables(query.text) if has_diacritics(w)]
    years = YEAR.findall(query.text)
    return " ".join([query.vietnamese, *typed, *_NAME.findall(query.text), *years])
