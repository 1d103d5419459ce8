"""Figures typed in the web form together with an uploaded figures file.

Typed figures belong to one unit: the file's only unit, or the unit the form's "Đơn vị" names. In
a file of several units that the form does not name, a typed figure goes only to the units whose
rows have no column or row for that criterion at all; a blank cell stays the unit's missing figure
(Thiếu số liệu), never someone else's number. Where a figure went is said unit by unit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.criteria.evaluate import by_key, evaluate
from assistant.criteria.inputs import FiguresFile, UnitFigures
from assistant.criteria.result import CriteriaResult
from assistant.criteria.sets_loader import CriteriaSet
from assistant.vietnamese import fold


@dataclass
class Merged:
    """The file's units judged with the typed figures they received.

    ``filled`` maps each unit that received typed figures to the criteria's names; ``ignored`` names
    the typed criteria no unit took (the file has them); ``named_unit`` is the unit the form named;
    ``from_file`` the keys the file itself gives a figure for (in any unit).
    """

    results: list[CriteriaResult]
    filled: dict[str, list[str]] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)
    named_unit: str | None = None
    from_file: set[str] = field(default_factory=set)


def merge_typed(read: FiguresFile, criteria_set: CriteriaSet, typed: dict, unit: str = "", period: str = "") -> Merged:
    """Judge every unit of ``read``, typed figures (by key) added where they belong (see the module)."""
    names = {c.key: c.name for c in criteria_set.criteria}
    target = _target(read.units, unit)
    merged = Merged([], named_unit=(read.units[target].unit or unit) if target is not None else None)
    used: set[str] = set()
    for i, u in enumerate(read.units):
        label = u.unit or unit or f"Đơn vị {i + 1}"
        figures, notes = by_key(criteria_set, u.figures)
        merged.from_file.update(k for k, v in figures.items() if not _blank(v))
        if target is not None:
            takes = [k for k in typed if k not in figures or _blank(figures[k])] if i == target else []
        else:
            takes = [k for k in typed if k not in figures and k not in u.named]
        if takes:
            figures = {**figures, **{k: typed[k] for k in takes}}
            merged.filled[label] = [names[k] for k in takes]
            used.update(takes)
        warnings = (read.warnings if i == 0 else []) + u.warnings + notes
        merged.results.append(evaluate(criteria_set, figures, u.unit or unit, u.period or period, warnings))
    merged.ignored = [names[k] for k in typed if k not in used and k in names]
    return merged


def _target(units: list[UnitFigures], unit: str) -> int | None:
    """The unit typed figures are for: the only one, else the one the form names (None when none)."""
    if len(units) == 1:
        return 0
    wanted = fold(unit).strip()
    return next((i for i, u in enumerate(units) if wanted and fold(u.unit).strip() == wanted), None)


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
