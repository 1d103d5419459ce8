"""What every cited piece of text shares: a span of one indexed document and where it sits.

An answer's ``Citation``, a search result's ``Passage`` and a draft's ``Source`` are each a
``CitedSpan`` plus what they show beside it. Fields are keyword-only, so a new field never shifts
another; each kind names the fields of its JSON shape in the contract's key order (``json_fields``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar


@dataclass(kw_only=True)
class CitedSpan:
    """``document.text[start:end]`` of the indexed document ``doc_id``, inside clause ``clause``."""

    doc_id: str
    doc_title: str
    clause: str
    start: int
    end: int

    json_fields: ClassVar[tuple[str, ...]] = ("doc_id", "doc_title", "clause", "start", "end")

    def to_json(self) -> dict[str, Any]:
        """This kind's contract shape: its ``json_fields``, in that order."""
        return {name: getattr(self, name) for name in self.json_fields}
