"""What every cited piece of text shares: a span of one indexed document and where it sits.

An answer's ``Citation``, a search result's ``Passage`` and a draft's ``Source`` are each a
``CitedSpan`` plus what they show beside it. Fields are keyword-only, so a new field never shifts
another; each kind writes its own JSON shape (``to_json``), the contract's key order kept.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(kw_only=True)
class CitedSpan:
    """``document.text[start:end]`` of the indexed document ``doc_id``, inside clause ``clause``."""

    doc_id: str
    doc_title: str
    clause: str
    start: int
    end: int
