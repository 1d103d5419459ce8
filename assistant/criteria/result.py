"""The criteria engine's results as types: one criterion's status, one unit's result, and where the
rule comes from. ``to_json()`` gives the contract's ``criteria --json`` shape (spec/CONTRACT.md)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

Status = Literal["dat", "chua_dat", "thieu_so_lieu", "khong_hop_le"]
STATUSES: tuple[Status, ...] = ("dat", "chua_dat", "thieu_so_lieu", "khong_hop_le")


@dataclass(frozen=True, slots=True)
class Source:
    """Where a criterion's rule is written: the document and, when known, its clause and words."""

    doc_id: str | None
    title: str
    clause: str | None
    quote: str | None

    @property
    def label(self) -> str:
        """How a table cites it: "Mục I.3", else the document's title ("" when neither is known)."""
        return f"Mục {self.clause}" if self.clause else (self.title or "")

    def to_json(self) -> dict[str, Any]:
        return {"doc_id": self.doc_id, "title": self.title, "clause": self.clause, "quote": self.quote}


@dataclass(slots=True)
class CriterionResult:
    """One criterion judged for one unit. ``gap`` says how far a ``chua_dat`` figure is from its
    target, in the target's unit; ``note`` how an ambiguous figure was read."""

    key: str
    name: str
    rule: str
    value: float | bool | str | None
    value_text: str
    status: Status
    gap: float | None
    message: str
    unit: str
    area: str
    note: str | None
    source: Source

    @property
    def note_text(self) -> str:
        """The "Ghi chú" of a table row: the message, then how an ambiguous figure was read."""
        note = self.note
        return f"{self.message} ({note})" if note and note != self.message else self.message

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "name": self.name,
            "rule": self.rule,
            "value": self.value,
            "value_text": self.value_text,
            "status": self.status,
            "gap": self.gap,
            "message": self.message,
            "unit": self.unit,
            "area": self.area,
            "note": self.note,
            "source": self.source.to_json(),
        }


@dataclass(slots=True)
class CriteriaResult:
    """One unit's (province, district or commune) figures judged against a set: every criterion of
    the set, in the set's order; ``summary`` counts each status."""

    set_id: str
    unit: str
    period: str
    results: list[CriterionResult]
    warnings: list[str]

    @property
    def summary(self) -> dict[str, int]:
        """How many of the results have each status (always those of ``results`` as they are now)."""
        return summarise(self.results)

    def to_json(self) -> dict[str, Any]:
        return {
            "set": self.set_id,
            "unit": self.unit,
            "period": self.period,
            "results": [r.to_json() for r in self.results],
            "summary": self.summary,
            "warnings": list(self.warnings),
        }


def summarise(results: list[CriterionResult]) -> dict[str, int]:
    """How many results have each status."""
    counts: dict[str, int] = {status: 0 for status in STATUSES}
    for r in results:
        counts[r.status] += 1
    return counts


def with_data(results: list[CriteriaResult]) -> list[int]:
    """Positions of the criteria some unit has a figure for (any status but ``thieu_so_lieu``): what a
    chart or matrix shows, the rest being folded away. Every position when no unit has any figure."""
    if not results:
        return []
    count = len(results[0].results)
    shown = [i for i in range(count) if any(result.results[i].status != "thieu_so_lieu" for result in results)]
    return shown or list(range(count))
