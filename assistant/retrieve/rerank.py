"""Sentence-level scoring of retrieved passages: the sentences a question is about, best first.

Each passage's quotable sentences (and semicolon clauses) are scored against the question
by wording, meaning, their section's heading, figures and time frame; the passages are then
reordered by their best sentence. The answer step quotes from the same scored sentences.
"""

from __future__ import annotations

import math
import re
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
        self.n = max(len(passage_texts), 1)
        self.df = df

    def idf(self, token: str) -> float:
        return math.log(1 + (self.n - self.df.get(token, 0) + 0.5) / (self.df.get(token, 0) + 0.5))

    def known(self, token: str) -> bool:
        """Whether a folded syllable or bigram occurs in some passage."""
        return token in self.df


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
    if not terms:
        return 0.0
    present = present_terms(text)
    total = found = 0.0
    for term in terms:
        if "_" in term.token and not term.alternatives and not weights.known(term.token):
            continue  # a pair of words the documents never write together tells no passage apart
        weight = weights.idf(term.token)
        total += weight
        if term_present(term, present):
            found += weight
    return found / total if total else 0.0


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
        for unit in units:
            unit.lexical = coverage(terms, unit.text, self.weights)
            unit.dense = (
                float(unit.vector @ query_vector) if unit.vector is not None and query_vector is not None else 0.0
            )
            figure = self.w.figure if wants_figure and re.search(r"\d", unit.text) else 0.0
            context = coverage(terms, unit.context, self.weights)
            heading = self._heading_match(terms, wording, unit.heading) if unit.heading else 0.0
            frame = time_frame(unit.text) or time_frame(unit.context)
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

    def _heading_match(self, terms: list[Term], wording: str, heading: str) -> float:
        """How far the question names the unit's section: its heading's words in the question, and back."""
        recall = coverage(terms, heading, self.weights)
        precision = coverage(_heading_terms(heading), wording, self.weights)
        return min(recall, precision)


def rerank_by_sentence(ranked: list, units: list[Unit]) -> list:
    """The ranked passages reordered by the score of their best sentence (passages without one last)."""
    best: dict[str, float] = {}
    for unit in units:
        best[unit.chunk_id] = max(best.get(unit.chunk_id, unit.score), unit.score)
    return sorted(ranked, key=lambda r: best.get(r.chunk_id, float("-inf")), reverse=True)


@lru_cache(maxsize=4096)
def _heading_terms(heading: str) -> list[Term]:
    return Query(heading_title(heading), "accented").terms()
