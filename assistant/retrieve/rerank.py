"""Sentence-level scoring of retrieved passages: the sentences a question is about, best first.

Each passage's quotable sentences (and semicolon clauses) are scored against the question
by wording, meaning, their section's heading, figures and time frame; the passages are then
reordered by their best sentence. The answer step quotes from the same scored sentences.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from assistant.ingest.structure import heading_title
from assistant.retrieve.query import Query, Term, time_frame
from assistant.settings import SentenceWeights
from assistant.vietnamese import fold, syllables, with_bigrams


@dataclass
class Unit:
    """A quotable sentence or clause of a retrieved passage."""

    chunk_id: str
    doc_id: str
    start: int
    end: int
    text: str
    rank: int
    vector: np.ndarray | None
    score: float = 0.0
    context: str = ""
    heading: str = ""  # the heading of the unit's own clause
    dense: float = 0.0  # cosine with the question
    lexical: float = 0.0  # share of the question's terms the unit holds


class TermWeights:
    """Inverse document frequencies of folded syllables and bigrams over the passages."""

    def __init__(self, passage_texts: list[str]):
        df: dict[str, int] = {}
        for text in passage_texts:
            for token in set(folded_terms(text)):
                df[token] = df.get(token, 0) + 1
        self.passages = len(passage_texts)
        self.n = max(self.passages, 1)
        self.df: Mapping[str, int] = df

    @classmethod
    def combined(cls, parts: list[TermWeights]) -> TermWeights:
        """The weights of several groups of passages together (a library's documents), from each
        group's own: the same as counting the passages of all of them, without reading them again."""
        weights = cls.__new__(cls)
        weights.passages = sum(p.passages for p in parts)
        weights.n = max(weights.passages, 1)
        weights.df = _SummedCounts([p.df for p in parts])
        return weights

    def idf(self, token: str) -> float:
        return math.log(1 + (self.n - self.df.get(token, 0) + 0.5) / (self.df.get(token, 0) + 0.5))

    def unseen_idf(self) -> float:
        """The idf of a term no passage holds: the weight of a word the documents never write."""
        return math.log(1 + (self.n + 0.5) / 0.5)

    def known(self, token: str) -> bool:
        """Whether a folded syllable or bigram occurs in some passage."""
        return token in self.df


class _SummedCounts(Mapping):
    """Passages holding each word, summed over groups of passages; a word is summed when first asked
    for (a question asks about a few dozen words of a library's hundred thousand)."""

    def __init__(self, parts: list[Mapping[str, int]]):
        self._parts = parts
        self._counts: dict[str, int] = {}

    def _count(self, token: str) -> int:
        count = self._counts.get(token)
        if count is None:
            count = self._counts[token] = sum(part.get(token, 0) for part in self._parts)
        return count

    def get(self, token, default=None):
        return self._count(token) or default

    def __getitem__(self, token: str) -> int:
        count = self._count(token)
        if not count:
            raise KeyError(token)
        return count

    def __contains__(self, token) -> bool:
        return self._count(token) > 0

    def __iter__(self):
        return iter(dict.fromkeys(token for part in self._parts for token in part))

    def __len__(self) -> int:
        return len(set().union(*self._parts))


def folded_terms(text: str) -> list[str]:
    return with_bigrams([fold(s) for s in syllables(text)])


@lru_cache(maxsize=65536)
def present_terms(text: str) -> frozenset[str]:
    """Folded terms of a passage or sentence (cached: the same passages come back question after question)."""
    terms = set(folded_terms(text))
    if "%" in text:
        terms.add("%")  # "tỷ lệ", "phần trăm" are answered by a percentage
    return frozenset(terms)


def term_present(term: Term, present: frozenset[str]) -> bool:
    """A term is present as itself or as one of its alternative wordings."""
    return term.token in present or any(all(t in present for t in alt) for alt in term.alternatives)


def coverage(terms: list[Term], text: str, weights: TermWeights) -> float:
    """Share (by idf) of the question's content terms that occur in a text."""
    return Coverage(terms, weights)(text)


class Coverage:
    """``coverage`` of one question's terms, their weights looked up once for all the texts asked about."""

    def __init__(self, terms: list[Term], weights: TermWeights):
        self._weighed: list[tuple[str, tuple, float]] = []
        self.total = 0.0
        for term in terms:
            if "_" in term.token and not term.alternatives and not weights.known(term.token):
                continue  # a pair of words the documents never write together tells no passage apart
            weight = weights.idf(term.token)
            self.total += weight
            self._weighed.append((term.token, term.alternatives, weight))

    def __call__(self, text: str) -> float:
        if not self.total:
            return 0.0
        present = present_terms(text)
        found = 0.0
        for token, alternatives, weight in self._weighed:  # ``term_present``, inline: it is called very often
            if token in present or (alternatives and any(all(t in present for t in alt) for alt in alternatives)):
                found += weight
        return found / self.total


class SentenceScorer:
    """Scores the sentences of the retrieved passages for one question."""

    def __init__(self, weights: TermWeights, score_weights: SentenceWeights):
        self.weights = weights
        self.w = score_weights

    def score(self, query: Query, units: list[Unit], query_vector: np.ndarray | None) -> None:
        """Score every unit: wording, meaning, its section's heading, figures, time frame."""
        wording, terms = query.vietnamese, query.terms()
        wants_figure = query.asks("quantity")
        dense_weight = self.w.dense_english if query.mode == "english" else self.w.dense_accented
        covered = Coverage(terms, self.weights)
        # The sentences of one passage share its context and often a heading: each is read once.
        contexts: dict[str, tuple[float, str | None]] = {}
        headings: dict[str, float] = {}
        for unit in units:
            unit.lexical = covered(_REFERENCE.sub(" ", unit.text))
            unit.dense = (
                float(unit.vector @ query_vector) if unit.vector is not None and query_vector is not None else 0.0
            )
            figure = self.w.figure if wants_figure and re.search(r"\d", unit.text) else 0.0
            if unit.context not in contexts:
                contexts[unit.context] = (covered(unit.context), time_frame(unit.context))
            context, context_frame = contexts[unit.context]
            heading = 0.0
            if unit.heading:
                if unit.heading not in headings:
                    headings[unit.heading] = self._heading_match(covered, wording, unit.heading)
                heading = headings[unit.heading]
            frame = time_frame(unit.text) or context_frame
            timing = 0.0
            if query.frame and frame:
                timing = self.w.frame_match if frame == query.frame else self.w.frame_clash
            unit.score = (
                unit.lexical
                + self.w.context * context
                + self.w.heading * heading
                + dense_weight * unit.dense
                + figure
                + timing
                - self.w.rank_step * (unit.rank - 1)
            )

    def _heading_match(self, covered: Coverage, wording: str, heading: str) -> float:
        """How far the question names the unit's section: its heading's words in the question, and back."""
        recall = covered(heading)
        precision = coverage(_heading_terms(heading), wording, self.weights)
        return min(recall, precision)


# "những tồn tại, hạn chế nêu trên": a sentence pointing back at what another states; its words are
# no wording of its own ("nguyên nhân chính của những tồn tại, hạn chế nêu trên do …" gives causes)
_REFERENCE = re.compile(r"\b(?:những|các)\s+[^.;:“”]{1,40}?\s+(?:nêu|kể|nói) (?:trên|ở trên)\b")


def rerank_by_sentence(ranked: list, units: list[Unit]) -> list:
    """The ranked passages reordered by the score of their best sentence (passages without one last)."""
    best: dict[str, float] = {}
    for unit in units:
        best[unit.chunk_id] = max(best.get(unit.chunk_id, unit.score), unit.score)
    return sorted(ranked, key=lambda r: best.get(r.chunk_id, float("-inf")), reverse=True)


@lru_cache(maxsize=4096)
def _heading_terms(heading: str) -> list[Term]:
    return Query(heading_title(heading), "accented").terms()
