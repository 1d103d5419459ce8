"""Cut the clause tree into passages: a bullet or short paragraph each, long ones at sentence ends."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.ingest.clean import Paragraph
from assistant.ingest.structure import Clause

_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’)]*\s+(?=[\"“(«]?[A-ZÀ-Ỹ0-9])")
_SHORT = 80


@dataclass(frozen=True)
class Chunk:
    """A passage with everything needed to cite it."""

    chunk_id: str
    doc_id: str
    doc_title: str
    clause: str
    heading: str
    heading_path: list[str]
    text: str
    start: int
    end: int

    @property
    def context_text(self) -> str:
        """What the indexes see: the heading path, then the passage (so a bullet knows its section)."""
        path = " > ".join(self.heading_path)
        return f"{path}\n{self.text}" if path else self.text


def sentence_spans(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """Character spans of the sentences of ``text``, shifted by ``offset``."""
    spans = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return [(offset + a, offset + b) for a, b in spans if b > a]


def make_chunks(
    doc_id: str,
    doc_title: str,
    text: str,
    paragraphs: list[Paragraph],
    clauses: list[Clause],
    max_chars: int,
    skip: set[int] | None = None,
) -> list[Chunk]:
    """Passages of one document in reading order, each inside one clause; the paragraphs in ``skip``
    (the header and its grounds, which are metadata) are in none."""
    chunks: list[Chunk] = []
    skip = skip or set()
    for clause in clauses:
        own = [i for i in clause.paragraphs if i not in skip]
        wanted = [i for i in own if i not in clause.heading_only] or own
        for start, end in _group(wanted, paragraphs, text, max_chars):
            chunks.append(
                Chunk(
                    chunk_id=f"{doc_id}:{len(chunks)}",
                    doc_id=doc_id,
                    doc_title=doc_title,
                    clause=clause.id,
                    heading=clause.heading,
                    heading_path=_context_path(clause),
                    text=text[start:end],
                    start=start,
                    end=end,
                )
            )
    return chunks


def _context_path(clause: Clause) -> list[str]:
    if clause.level == 0:
        return [clause.heading]
    return list(clause.path)


def _group(indexes: list[int], paragraphs: list[Paragraph], text: str, max_chars: int):
    """Spans of passages: short neighbours merged, long paragraphs split at sentence ends."""
    pending: tuple[int, int] | None = None
    for i in indexes:
        para = paragraphs[i]
        if len(para.text) > max_chars:
            if pending:
                yield pending
                pending = None
            yield from _split(para, max_chars)
            continue
        if (
            pending
            and (para.end - pending[0] <= max_chars)
            and (pending[1] - pending[0] < _SHORT or len(para.text) < _SHORT)
        ):
            pending = (pending[0], para.end)
            continue
        if pending:
            yield pending
        pending = (para.start, para.end)
    if pending:
        yield pending


def _split(para: Paragraph, max_chars: int):
    """Windows of whole sentences, each at most ``max_chars`` unless one sentence is longer."""
    window: tuple[int, int] | None = None
    for start, end in sentence_spans(para.text, para.start):
        if window and end - window[0] > max_chars:
            yield window
            window = None
        window = (window[0], end) if window else (start, end)
    if window:
        yield window


_CLAUSE_BREAK = re.compile(r";\s+|\n")


def answer_units(chunk: Chunk) -> list[tuple[int, int]]:
    """Spans (in document offsets) of the sentences and semicolon clauses of a passage.

    These are the pieces an answer quotes: small enough that a question about a figure
    gets the phrase holding the figure, not a whole section.
    """
    units = []
    for start, end in sentence_spans(chunk.text, 0):
        piece = chunk.text[start:end]
        cursor = 0
        for m in _CLAUSE_BREAK.finditer(piece):
            units.append((start + cursor, start + m.start()))
            cursor = m.end()
        units.append((start + cursor, end))
    spans = []
    for a, b in units:
        segment = chunk.text[a:b]
        stripped = segment.strip().lstrip("-+• ").rstrip(" ,")
        if len(stripped) < 3:
            continue
        lead = segment.index(stripped)
        a2 = a + lead
        spans.append((chunk.start + a2, chunk.start + a2 + len(stripped)))
    return spans
