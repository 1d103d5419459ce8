"""The items of the list a list question asks for ("Nghị quyết nêu những quan điểm gì?").

A clause whose heading the question names is that list: a clause with parts lists its parts (each
by its heading, or its first sentence when the heading is only the start of it), a clause without
parts lists its sentences. Each item is quoted verbatim, at most ``limit`` of them; the answer says
how many more the clause holds.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from assistant.answer.checks import who_answers
from assistant.ingest.chunk import sentence_spans
from assistant.ingest.structure import MO_DAU, NOI_NHAN, Clause, clause_label
from assistant.retrieve.query import Query
from assistant.retrieve.rerank import TermWeights, Unit, coverage
from assistant.vietnamese import fold, syllables

# "2.1. ", "3. ", "- ", "+ ": what opens an item but is not part of what it says
_OPENING = re.compile(r"^\s*(?:(?:[IVX]+|\d+)(?:\.\d+)*\.?(?:\s+|$)|[-+•]\s*)*")


@dataclass
class ListItems:
    """The spans of a list's items, in document order; ``more``: how many the clause holds besides."""

    spans: list[tuple[str, str, int, int]]  # doc_id, chunk_id, start, end
    clause: str
    more: int = 0

    @property
    def label(self) -> str:
        """ "Mục I.1": the clause the list is."""
        return clause_label(self.clause)


def list_items(index, query: Query, best: Unit, weights: TermWeights, named: float, limit: int) -> ListItems | None:
    """The list the best quote belongs to, when the question names its clause or one above it (a
    heading naming at least ``named`` of it); None when it names none (the quote's passage is the list)."""
    document = index.documents.get(best.doc_id)
    chunk = index.chunks.get(best.chunk_id)
    if document is None or chunk is None:
        return None
    clauses = {c.id: c for c in document.clauses}
    clause = clauses.get(chunk.clause)
    while clause is not None and clause.id not in (MO_DAU, NOI_NHAN):
        if _named(query, clause.heading, weights) >= named:
            break
        clause = clauses.get(clause.parent or "")
    else:
        return None
    children = [c for c in document.clauses if c.parent == clause.id]
    # "Mục tiêu … gồm những gì?" names "2. Mục tiêu" better than "I. QUAN ĐIỂM, MỤC TIÊU, …" above it.
    closer = max(children, key=lambda c: _named(query, c.heading, weights), default=None)
    if closer is not None and _named(query, closer.heading, weights) >= _named(query, clause.heading, weights):
        clause = closer
        children = [c for c in document.clauses if c.parent == clause.id]
    passages = sorted((c for c in index.chunks.values() if c.doc_id == best.doc_id), key=lambda c: c.start)
    if children:
        spans = [s for child in children for s in _first_item(child, document, passages, query.asks("who"))]
    else:
        spans = [s for c in passages if c.clause == clause.id and not _heading_only(c, clause) for s in _items(c)]
    if len(spans) < 2:
        return None
    return _bounded(spans, document.text, best.start, clause.id, limit)


def clause_run(index, best: Unit, limit: int) -> ListItems | None:
    """The items of a list written as one sentence's clauses ("nguyên nhân chính … do …, thiếu sâu
    sát; một số chủ trương … chưa thực sự hiệu quả; đầu tư thiếu trọng tâm …"): the clauses of the
    best quote's sentence, when it has three or more (at most ``limit``, around the best quote);
    None otherwise."""
    document = index.documents.get(best.doc_id)
    chunk = index.chunks.get(best.chunk_id)
    if document is None or chunk is None:
        return None
    for start, end in sentence_spans(chunk.text, chunk.start):
        if start <= best.start < end:
            break
    else:
        return None
    pieces, at = [], start
    for m in re.finditer(r";\s*", document.text[start:end] + ";"):
        piece = document.text[at : start + m.start()]
        cut = len(piece) - len(piece.lstrip())
        if piece.strip():
            pieces.append((at + cut, start + m.start()))
        at = start + m.end()
    if len(pieces) < 3:
        return None
    spans = [(best.doc_id, best.chunk_id, a, b) for a, b in pieces]
    return _bounded(spans, document.text, best.start, chunk.clause, limit)


def _bounded(spans, text: str, at: int, clause: str, limit: int) -> ListItems:
    """At most ``limit`` items, from the first one or around the best quote (at ``at``) when it lies
    further on; a lead-in ("…, cụ thể đến năm 2025:") introduces the items and is not counted."""
    counted = [s for s in spans if not text[s[2] : s[3]].endswith(":")]
    if len(counted) <= limit:
        return ListItems(spans, clause)
    best = next((i for i, s in enumerate(spans) if s[2] <= at < s[3]), 0)
    kept: list[tuple[str, str, int, int]] = []
    for span in spans[0 if best < limit else min(best - 1, len(spans) - limit) :]:
        if sum(s in counted for s in kept) >= limit:
            break
        kept.append(span)
    return ListItems(kept, clause, more=len(counted) - sum(s in counted for s in kept))


def _named(query: Query, heading: str, weights: TermWeights) -> float:
    """How far a question names a heading: the share of its own terms the heading holds, or of the
    heading's words the question repeats together ("Quan điểm", "Các chỉ tiêu cơ bản")."""
    words = heading_words(heading)
    asked = [fold(w).lower() for w in syllables(query.vietnamese)]
    repeated = said_together(words, asked) / len(words) if len(words) >= 2 else 0.0
    return max(coverage(query.terms(), heading, weights), repeated)


@lru_cache(maxsize=8192)
def heading_words(heading: str) -> tuple[str, ...]:
    """A heading's folded words, without its numbering ("2.1. ") or a closing "…" (read once: every
    question that may name a part reads the headings of the documents it is asked of)."""
    return tuple(fold(w).lower() for w in syllables(_OPENING.sub("", heading.rstrip("…"), count=1)))


def said_together(words: Sequence[str], asked: Sequence[str]) -> int:
    """The longest run of a heading's words that the question says together, in order (words of
    the heading scattered over the question, "tổ chức … thực hiện", name nothing)."""
    best = 0
    for i in range(len(words)):
        for j in range(len(asked)):
            n = 0
            while i + n < len(words) and j + n < len(asked) and words[i + n] == asked[j + n]:
                n += 1
            best = max(best, n)
    return best


def _heading_only(chunk, clause: Clause) -> bool:
    """A passage that is only its clause's heading ("I. QUAN ĐIỂM, MỤC TIÊU, …")."""
    return " ".join(chunk.text.split()) == " ".join(clause.heading.rstrip("…").split())


def _items(chunk) -> list[tuple[str, str, int, int]]:
    """The sentences of a passage, without the numbering or bullet that opens them."""
    spans = []
    for start, end in sentence_spans(chunk.text, chunk.start):
        piece = chunk.text[start - chunk.start : end - chunk.start]
        opening = _OPENING.match(piece)
        cut = opening.end() if opening else 0
        stripped = piece[cut:].rstrip()
        if stripped:
            spans.append((chunk.doc_id, chunk.chunk_id, start + cut, start + cut + len(stripped)))
    return spans


def _first_item(child: Clause, document, passages, bodies: bool = False) -> list[tuple[str, str, int, int]]:
    """A part of a listed clause: its heading when it has one of its own ("1. Quan điểm"), else its
    first sentence (a numbered paragraph's heading is only that sentence's start); asking who
    (``bodies``), also each later sentence of it that opens with a body ("Văn phòng Tỉnh ủy phối
    hợp …" after "5. Trường Chính trị Trần Phú chủ trì …")."""
    every = [c for c in passages if c.clause == child.id]
    if child.heading_only:
        paragraph = document.paragraphs[min(child.heading_only)]
        heading = _OPENING.sub("", child.heading.rstrip("…").strip(), count=1)
        at = document.text.find(heading, paragraph.start) if heading else -1
        if at >= 0:
            chunk_id = every[0].chunk_id if every else ""
            return [(document.doc_id, chunk_id, at, at + len(heading))]
    own = [c for c in every if not _heading_only(c, child)]
    if not own:
        return []
    items = [item for c in own for item in _items(c)]
    text = document.text
    return items[:1] + [i for i in items[1:] if bodies and _opens_with_body(text[i[2] : i[3]])]


def _opens_with_body(sentence: str) -> bool:
    return any(sentence.startswith(body) and body[:1].isupper() for body in who_answers())
