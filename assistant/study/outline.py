"""The clause tree of each document, for reading it section by section."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.ingest.structure import clause_label


@dataclass
class OutlineItem:
    """One clause: its id, heading, depth and how to cite it."""

    doc_id: str
    clause: str
    label: str
    heading: str
    level: int
    parent: str | None = None

    def to_json(self) -> dict:
        return self.__dict__.copy()


def outline(documents) -> list[OutlineItem]:
    """Every clause of every document, in reading order."""
    return [
        OutlineItem(d.doc_id, c.id, clause_label(c.id), c.heading, c.level, c.parent)
        for d in documents
        for c in d.clauses
    ]


def clause_text(documents, doc_id: str, clause_id: str) -> str:
    """The text of a clause and of the clauses under it, as the document writes it."""
    for document in documents:
        if document.doc_id != doc_id:
            continue
        parts = [
            document.clause_text(c.id)
            for c in document.clauses
            if c.id == clause_id or c.id.startswith(clause_id + ".")
        ]
        return "\n".join(p for p in parts if p)
    return ""
