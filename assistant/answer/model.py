"""What an answer is: its outcome, its text, the verbatim quotes it cites."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import ClassVar

from assistant.answer.span import CitedSpan
from assistant.data import load_yaml

ANSWERED, RELATED, NOT_FOUND_STATUS = "answered", "related", "not_found"


@lru_cache(maxsize=1)
def texts() -> dict[str, dict[str, str]]:
    """The sentences an answer says around its quotes, per language (``data/answer_texts.yaml``)."""
    return load_yaml("answer_texts.yaml")


@dataclass(kw_only=True)
class Citation(CitedSpan):
    """One quoted span of an answer, numbered as the answer cites it."""

    n: int
    quote: str  # the span's text, verbatim
    label: str = ""  # the clause as shown ("Mục I.3"), with a note when the text was read from a scan
    ocr: bool = False  # the quote was recognised from a scanned page

    json_fields: ClassVar[tuple[str, ...]] = (
        "n",
        "doc_id",
        "doc_title",
        "clause",
        "quote",
        "label",
        "start",
        "end",
        "ocr",
    )  # the contract's citation shape


@dataclass
class Answer:
    """A cited answer: ``answered`` (quotes that answer), ``related`` (the closest quotes, said to be
    so) or ``not_found`` (nothing relevant)."""

    question: str
    found: bool
    answer: str
    citations: list[Citation] = field(default_factory=list)
    confidence: float = 0.0
    # Facts the quoted sentences state, as rows for a small table ("who" or "how much" questions).
    table: list[dict] = field(default_factory=list)
    status: str = NOT_FOUND_STATUS
    lead: str = ""  # what the answer says before its quotes ("không nêu trực tiếp …")
    notes: list[str] = field(default_factory=list)  # computed lines (a gap), each naming its sources
    parts: list[dict] = field(default_factory=list)  # a question in several parts: each part's outcome
    language: str = "vi"
    # "llm" when the text was written by the language model and every sentence passed the checks
    # (assistant/answer/verify.py); "extractive" otherwise. ``dropped``: the model's sentences not shown.
    mode: str = "extractive"
    dropped: list[dict] = field(default_factory=list)
    llm: dict = field(default_factory=dict)  # model, note, sentences generated, computed evidence lines

    def documents(self) -> list[dict]:
        """The documents the answer quotes, in the order first cited, each with its cited name and the
        numbers of its citations: ``[{"doc_id", "cited_as", "citations": [1, 3]}]``."""
        grouped: dict[str, dict] = {}
        for c in self.citations:
            entry = grouped.setdefault(c.doc_id, {"doc_id": c.doc_id, "cited_as": c.doc_title, "citations": []})
            entry["citations"].append(c.n)
        return list(grouped.values())

    def to_json(self, passages=None, extra: dict | None = None) -> dict:
        """The contract's answer shape (``hits`` only when passages are given), plus status and notes."""
        data = dict(extra or {})
        data.update(
            {
                "question": self.question,
                "found": self.found,
                "status": self.status,
                "answer": self.answer,
                "citations": [c.to_json() for c in self.citations],
                "table": self.table,
                "lead": self.lead,
                "notes": self.notes,
                "parts": self.parts,
                "language": self.language,
                "mode": self.mode,
                "dropped": self.dropped,
                "documents": self.documents(),
            }
        )
        if self.llm:
            data["llm"] = self.llm
        if passages is not None:
            data["hits"] = [p.to_json() for p in passages]
        return data
