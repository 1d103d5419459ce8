"""Questions about a document's structure ("Phần IV có mấy điểm?", "Phần I gồm những nội dung
nào?") answered from its clause tree: the headings of the clause's parts, quoted verbatim."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.ingest.document import Document
from assistant.ingest.structure import Clause, clause_label
from assistant.retrieve.named import first_type
from assistant.retrieve.query import Query
from assistant.retrieve.rerank import TermWeights, coverage
from assistant.vietnamese import fold, syllables

_CLAUSE_NAMED = re.compile(
    r"\b(?:phần|mục|phan|muc|part|section)\s+([IVXivx]+(?:\.\d+)*|\d+(?:\.\d+)*)\b", re.IGNORECASE
)

_ITEM_OF_PART = re.compile(
    r"\b(?:mục|muc|điểm|diem)\s+(\d+)\s*(?:của\s+|cua\s+)?(?:phần|phan)\s+([IVXivx]+)\b", re.IGNORECASE
)


@dataclass
class Outline:
    """A clause and the verbatim headings of its parts: (doc_id, start, end, text) each."""

    doc_id: str
    clause: str
    label: str
    headings: list[tuple[str, int, int, str]]


_WHOLE_DOCUMENT = re.compile(r"\b(?:nghi quyet|nq|van ban|ke hoach|quyet dinh|luat|thong tu|nghi dinh)\b")


def find_outline(query: Query, documents, weights: TermWeights, min_match: float = 0.5) -> Outline | None:
    """The clause a structure question asks about (named, or by its heading) and its parts' headings;
    for a question on the document itself ("Nghị quyết gồm những phần nào?"), its top-level parts."""
    nested = _ITEM_OF_PART.search(query.text)  # "Mục 2 phần II" is II.2
    named = _CLAUSE_NAMED.search(query.text)
    wanted = f"{nested.group(2)}.{nested.group(1)}".upper() if nested else named.group(1).upper() if named else None
    documents = list(documents)
    # A question that names the document ("NQ gồm mấy phần?") asks about one of its parts only
    # when it repeats that part's heading.
    whole = _WHOLE_DOCUMENT.search(fold(query.text)) is not None
    best: tuple[float, Document, Clause] | None = None
    for document in documents:
        parents = {c.parent for c in document.clauses}  # the clauses that have parts (one pass, not one per clause)
        for clause in document.clauses:
            if clause.id not in parents:
                continue
            if wanted is not None:
                score = 1.0 if clause.id.upper() == wanted else 0.0
            else:
                named_heading = _heading_named(query, clause.heading)
                score = named_heading if whole else max(coverage(query.terms(), clause.heading, weights), named_heading)
            if score >= min_match and (best is None or score > best[0]):
                best = (score, document, clause)
    if best is None:
        return _document_outline(query, documents, weights) if wanted is None else None
    _, document, clause = best
    return _outline(document, clause.id, clause_label(clause.id))


def _heading_named(query: Query, heading: str) -> float:
    """The share of a heading's words the question repeats ("phần Nhiệm vụ, giải pháp trọng tâm")."""
    words = [fold(w) for w in syllables(re.sub(r"^[\dIVXivx.]+\s*", "", heading))]
    asked = {fold(w) for w in syllables(query.vietnamese)}
    return sum(w in asked for w in words) / len(words) if len(words) >= 3 else 0.0


def _document_outline(query: Query, documents: list[Document], weights: TermWeights) -> Outline | None:
    """The top-level parts of the document a question names by its kind ("NQ", "nghị quyết")."""
    if not _WHOLE_DOCUMENT.search(fold(query.text)):
        return None
    asked = first_type(query.text)  # "Kế hoạch … của Ban Tuyên giáo gồm mấy nội dung" is no resolution's outline
    candidates = [
        d
        for d in documents
        if any(c.parent is None for c in d.clauses) and (asked is None or d.meta.get("type") in (None, "", asked))
    ]
    if not candidates:
        return None
    document = max(candidates, key=lambda d: coverage(query.terms(), d.title, weights))
    label = re.split(r"\s+(?:của|về)\s+", document.title, maxsplit=1)[0][:60]
    return _outline(document, None, label)


def _outline(document: Document, parent: str | None, label: str) -> Outline | None:
    headings = []
    for child in (c for c in document.clauses if c.parent == parent):
        start = document.paragraphs[child.paragraphs[0]].start if child.paragraphs else 0
        text = child.heading.rstrip("…").strip()
        at = document.text.find(text, start)
        if at >= 0:
            headings.append((document.doc_id, at, at + len(text), text))
    return Outline(document.doc_id, parent or "", label, headings) if headings else None
