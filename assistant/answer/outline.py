"""Questions about a document's structure ("Phần IV có mấy điểm?", "Phần I gồm những nội dung
nào?") answered from its clause tree: the headings of the clause's parts, quoted verbatim."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.ingest.document import Document
from assistant.ingest.structure import Clause, clause_label
from assistant.retrieve.query import Query
from assistant.retrieve.rerank import TermWeights, coverage

_CLAUSE_NAMED = re.compile(
    r"\b(?:phần|mục|phan|muc|part|section)\s+([IVXivx]+(?:\.\d+)*|\d+(?:\.\d+)*)\b", re.IGNORECASE
)


@dataclass
class Outline:
    """A clause and the verbatim headings of its parts: (doc_id, start, end, text) each."""

    doc_id: str
    clause: str
    label: str
    headings: list[tuple[str, int, int, str]]


def find_outline(query: Query, documents, weights: TermWeights, min_match: float = 0.5) -> Outline | None:
    """The clause a structure question asks about (named, or by its heading) and its parts' headings."""
    named = _CLAUSE_NAMED.search(query.text)
    wanted = named.group(1).upper() if named else None
    best: tuple[float, Document, Clause] | None = None
    for document in documents:
        for clause in document.clauses:
            children = [c for c in document.clauses if c.parent == clause.id]
            if not children:
                continue
            if wanted is not None:
                score = 1.0 if clause.id.upper() == wanted else 0.0
            else:
                score = coverage(query.terms(), clause.heading, weights)
            if score >= min_match and (best is None or score > best[0]):
                best = (score, document, clause)
    if best is None:
        return None
    _, document, clause = best
    headings = []
    for child in (c for c in document.clauses if c.parent == clause.id):
        start = document.paragraphs[child.paragraphs[0]].start if child.paragraphs else 0
        text = child.heading.rstrip("…").strip()
        at = document.text.find(text, start)
        if at >= 0:
            headings.append((document.doc_id, at, at + len(text), text))
    return Outline(document.doc_id, clause.id, clause_label(clause.id), headings) if headings else None
