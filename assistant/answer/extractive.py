"""Extractive, grounded answers: every sentence shown is a verbatim span of a cited clause."""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache

import numpy as np

from assistant.ingest.structure import clause_label, heading_title
from assistant.retrieve.query import Query, Term, time_frame
from assistant.vietnamese import fold, syllables, with_bigrams

NOT_FOUND = "Không tìm thấy nội dung này trong các văn bản hiện có."
SKIPPED_FOR_ANSWERS = {"noi-nhan"}
_WHO = re.compile(r"\b(ai|co quan nao|don vi nao|to chuc nao|ben nao|who|which (agency|body|organisation|organization))\b")
_RECIPIENTS = re.compile(r"\b(noi nhan|gui|recipients?|ky)\b")
_QUANTITY = re.compile(
    r"\b(bao nhieu|may|ty le|muc|how (much|many)|what (level|share|percentage|rate)|percent|bao gio|ngay nao|khi nao|when)\b"
)


@dataclass
class Citation:
    """One quoted span and where it comes from."""

    n: int
    doc_id: str
    doc_title: str
    clause: str
    quote: str
    label: str = ""
    start: int = 0
    end: int = 0
    ocr: bool = False  # the quote was recognised from a scanned page


@dataclass
class Answer:
    """A cited answer, or a plain "not found"."""

    question: str
    found: bool
    answer: str
    citations: list[Citation] = field(default_factory=list)
    confidence: float = 0.0
    # Facts the quoted sentences state, as rows for a small table ("who" or "how much" questions).
    table: list[dict] = field(default_factory=list)

    def to_json(self, passages=None, extra: dict | None = None) -> dict:
        """The contract's answer shape (``hits`` only when passages are given)."""
        data = dict(extra or {})
        data.update({"question": self.question, "found": self.found, "answer": self.answer,
                     "citations": [asdict(c) for c in self.citations], "table": self.table})
        if passages is not None:
            data["hits"] = [p.to_json() for p in passages]
        return data


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


def folded_terms(text: str) -> list[str]:
    return with_bigrams([fold(s) for s in syllables(text)])


@lru_cache(maxsize=65536)
def _present_terms(text: str) -> frozenset[str]:
    """Folded terms of a passage or sentence (cached: the same passages come back question after question)."""
    terms = set(folded_terms(text))
    if "%" in text:
        terms.add("%")  # "tỷ lệ", "phần trăm" are answered by a percentage
    return frozenset(terms)


def coverage(terms: list[Term], text: str, weights: TermWeights) -> float:
    """Share (by idf) of the question's content terms that occur in a text."""
    if not terms:
        return 0.0
    present = _present_terms(text)
    total = 0.0
    found = 0.0
    for term in terms:
        weight = weights.idf(term.token)
        total += weight
        if term.token in present or any(all(t in present for t in alt) for alt in term.alternatives):
            found += weight
    return found / total if total else 0.0


class AnswerBuilder:
    """Chooses the quotes that answer a question from its top passages."""

    def __init__(self, weights: TermWeights, min_dense: float, min_coverage: float, max_quotes: int = 2):
        self.weights = weights
        self.min_dense = min_dense
        self.min_coverage = min_coverage
        self.max_quotes = max_quotes

    def is_answerable(self, query: Query, contexts: list[str], top_dense: float) -> tuple[bool, float]:
        """Whether the passages hold an answer: close in meaning and, for Vietnamese, in wording."""
        if query.mode == "english":
            # Only the glossary's terms can be checked against the Vietnamese text.
            if query.understood < 0.6:
                return False, query.understood
            best = max((coverage(query.terms(), text, self.weights) for text in contexts), default=0.0)
            return best >= self.min_coverage and top_dense >= self.min_dense, best
        terms = query.terms()
        best = max((coverage(terms, text, self.weights) for text in contexts), default=0.0)
        return best >= self.min_coverage and top_dense >= self.min_dense - 0.05, best

    def score(self, query: Query, units: list[Unit], query_vector: np.ndarray | None) -> None:
        """Score every unit for the question: wording, meaning, its section's heading, figures, time frame."""
        wording, terms = query.vietnamese, query.terms()
        wants_figure = asks_quantity(query)
        dense_weight = 1.0 if query.mode == "english" else 0.5
        for unit in units:
            lexical = coverage(terms, unit.text, self.weights)
            dense = float(unit.vector @ query_vector) if unit.vector is not None and query_vector is not None else 0.0
            figure = 0.08 if wants_figure and re.search(r"\d", unit.text) else 0.0
            context = coverage(terms, unit.context, self.weights)
            heading = self._heading_match(terms, wording, unit.heading) if unit.heading else 0.0
            frame = time_frame(unit.text) or time_frame(unit.context)
            timing = 0.0 if not (query.frame and frame) else (0.1 if frame == query.frame else -0.8)
            unit.score = (lexical + 0.5 * context + 0.5 * heading + dense_weight * dense + figure + timing
                          - 0.03 * (unit.rank - 1))

    def _heading_match(self, terms: list[Term], wording: str, heading: str) -> float:
        """How far the question names the unit's section: its heading's words in the question, and back."""
        recall = coverage(terms, heading, self.weights)
        precision = coverage(_heading_terms(heading), wording, self.weights)
        return min(recall, precision)

    def choose(self, units: list[Unit]) -> list[Unit]:
        """The best one or two scored units, in document order within the answer."""
        if not units:
            return []
        ranked = sorted(units, key=lambda u: u.score, reverse=True)
        chosen = [ranked[0]]
        for unit in ranked[1:]:
            if len(chosen) >= self.max_quotes:
                break
            if unit.score >= ranked[0].score - 0.06 and unit.chunk_id == ranked[0].chunk_id:
                chosen.append(unit)
        return sorted(chosen, key=lambda u: (u.rank, u.start))


@lru_cache(maxsize=4096)
def _heading_terms(heading: str) -> list[Term]:
    return Query(heading_title(heading), "accented").terms()


def compose(question: str, chosen: list[Unit], titles: dict[str, str], clauses: dict[str, str],
            verify) -> Answer:
    """The answer text with [n] markers and its citations; every quote is verified verbatim."""
    citations: list[Citation] = []
    parts = []
    for unit in chosen:
        if not verify(unit.doc_id, unit.start, unit.end, unit.text):
            continue
        clause = clauses[unit.chunk_id]
        n = len(citations) + 1
        citations.append(Citation(n, unit.doc_id, titles[unit.doc_id], clause, unit.text,
                                  clause_label(clause), unit.start, unit.end))
        parts.append(f"“{unit.text}” [{n}]")
    if not parts:
        return Answer(question, False, NOT_FOUND)
    return Answer(question, True, " ".join(parts), citations)


def asks_who(query: Query) -> bool:
    """A question about an agency or person: its answer needs the sentence's subject."""
    return bool(_WHO.search(fold(query.expanded)))


def asks_quantity(query: Query) -> bool:
    """A question about a figure, a level or a date."""
    return bool(_QUANTITY.search(fold(query.text)))


def fact_rows(question_kind: str, facts, citations: list[Citation]) -> list[dict]:
    """Rows of the facts stated by the cited spans: agencies for "who", figures for "how much"."""
    rows = []
    for citation in citations:
        inside = facts.overlapping(citation.doc_id, citation.start, citation.end)
        if question_kind == "who":
            rows += [{"agency": r.agency, "role": r.role, "task": r.task, "clause": r.clause, "n": citation.n}
                     for r in inside.responsibilities]
        else:
            rows += [{"indicator": t.indicator, "value": t.display(), "deadline": t.deadline or "đến nay",
                      "kind": t.kind, "clause": t.clause, "n": citation.n}
                     for t in inside.targets + inside.baselines]
    return rows


def asks_about_recipients(query: Query) -> bool:
    return bool(_RECIPIENTS.search(fold(query.text)))


def widen_to_sentence(unit: Unit, chunk, document_text: str) -> Unit:
    """The whole sentence around a clause-sized unit (so "who" answers keep their subject)."""
    from assistant.ingest.chunk import sentence_spans

    for start, end in sentence_spans(chunk.text, chunk.start):
        if start <= unit.start and unit.end <= end:
            text = document_text[start:end]
            return Unit(unit.chunk_id, unit.doc_id, start, end, text, unit.rank, unit.vector, unit.score,
                        unit.context, unit.heading)
    return unit
