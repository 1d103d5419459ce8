"""The sentences and semicolon pieces of a document, with their clause and offsets."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.ingest.chunk import sentence_spans
from assistant.ingest.structure import NOI_NHAN

_PIECE_BREAK = re.compile(r";\s+")
_BULLET = re.compile(r"^\s*[-–•+]\s*")


@dataclass
class Span:
    """A verbatim stretch of a document's cleaned text and where it belongs."""

    text: str
    start: int
    end: int
    clause: str
    paragraph: str  # the whole paragraph, for cues that sit in a neighbouring sentence
    context: str  # the clause's heading path
    sentence: int  # running number of the sentence in the document (pieces share it)


def unbulleted(text: str) -> str:
    """A quoted sentence without the list dash it opens with in the document."""
    return _BULLET.sub("", text)


def capitalised(text: str) -> str:
    """The first letter upper-cased (a semicolon piece quoted as a point of its own)."""
    return text[:1].upper() + text[1:]


def sentences(document) -> list[Span]:
    """Every sentence of the document's content clauses (the recipients' list left out)."""
    spans: list[Span] = []
    for clause in document.clauses:
        if clause.id == NOI_NHAN:
            continue
        context = " > ".join(clause.path)
        for index in clause.paragraphs:
            if index in clause.heading_only:
                continue
            paragraph = document.paragraphs[index]
            for start, end in sentence_spans(paragraph.text, paragraph.start):
                text = document.text[start:end]
                if text.strip():
                    spans.append(Span(text, start, end, clause.id, paragraph.text, context, len(spans)))
    return spans


def sentence_pieces(document) -> list[Span]:
    """The sentences cut further at semicolons: one figure-bearing phrase each, mostly."""
    pieces: list[Span] = []
    for sentence in sentences(document):
        cursor = 0
        bounds = [(m.start(), m.end()) for m in _PIECE_BREAK.finditer(sentence.text)] + [(len(sentence.text),) * 2]
        for stop, resume in bounds:
            start, end = sentence.start + cursor, sentence.start + stop
            text = sentence.text[cursor:stop]
            if text.strip():
                pieces.append(
                    Span(text, start, end, sentence.clause, sentence.paragraph, sentence.context, sentence.sentence)
                )
            cursor = resume
    return pieces
