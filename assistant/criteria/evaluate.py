"""Judge figures against a criteria set: status, gap and message for every criterion, in set order."""

from __future__ import annotations

from functools import lru_cache

from assistant.criteria.figures import clip, format_number, read_value
from assistant.criteria.result import STATUSES, CriteriaResult, CriterionResult, Source, Status, summarise
from assistant.criteria.sets_loader import ChoiceCriterion, CriteriaSet, Criterion, LevelCriterion, YesCriterion
from assistant.vietnamese import fold as _fold

fold = lru_cache(maxsize=4096)(_fold)  # rank levels and targets, folded once

__all__ = ["STATUSES", "STATUS_LABELS", "by_key", "evaluate", "gap_text", "judge", "summarise"]
STATUS_LABELS = {"dat": "Đạt", "chua_dat": "Chưa đạt", "thieu_so_lieu": "Thiếu số liệu", "khong_hop_le": "Không hợp lệ"}


def evaluate(
    criteria_set: CriteriaSet, figures: dict, unit: str = "", period: str = "", warnings: list[str] | None = None
) -> CriteriaResult:
    """The criteria result for one unit (province, district or commune).

    Figures may be named by key or by the criterion's Vietnamese name (as the web form labels them);
    ``warnings`` (e.g. about the file the figures came from) come first in the result's warnings.
    """
    figures, notes = by_key(criteria_set, figures or {})
    results = [judge(c, figures.get(c.key), criteria_set) for c in criteria_set.criteria]
    return CriteriaResult(criteria_set.id, unit, period, results, list(warnings or []) + notes)


def by_key(criteria_set: CriteriaSet, figures: dict) -> tuple[dict, list[str]]:
    """Figures named by key or Vietnamese name, by key; warnings for unknown and repeated names."""
    known = _known(criteria_set)
    if all(label in known for label in figures):
        return figures, []
    by_key, warnings = {}, []
    for label, value in figures.items():
        key = label if label in known else criteria_set.key_for(label)
        if key is None:
            warnings.append(f"unknown key: {clip(label)} (khóa không có trong bộ tiêu chí)")
        elif key in by_key:
            warnings.append(
                f"'{clip(label)}' trùng chỉ tiêu '{key}' đã có; dùng giá trị đầu / "
                f"duplicate of '{key}', the first value is used"
            )
        else:
            by_key[key] = value
    return by_key, warnings


def _known(criteria_set: CriteriaSet) -> set[str]:
    known = criteria_set.__dict__.get("_keys")
    if known is None:
        known = criteria_set.__dict__["_keys"] = {c.key for c in criteria_set.criteria}
    return known


def _source(criterion: Criterion, criteria_set: CriteriaSet) -> Source:
    """One source per criterion, shared by every unit's result (10.000 units, one copy)."""
    sources = criteria_set.__dict__.setdefault("_sources", {})
    source = sources.get(criterion.key)
    if source is None:
        source = sources[criterion.key] = Source(
            criteria_set.source_doc, criteria_set.source_title, criterion.clause, criterion.quote
        )
    return source


def judge(criterion: Criterion, raw, criteria_set: CriteriaSet) -> CriterionResult:
    """One criterion's status for one raw figure; ``note`` says how an ambiguous figure was read."""
    reading = read_value(raw, criterion.kind, criterion.unit, criterion.scale)
    value, gap = None, None
    status: Status
    if reading.error:
        status = "khong_hop_le"
        message = f"Giá trị không hợp lệ: {reading.error}. Cần: {criterion.rule_text}."
    elif reading.value is None:
        status = "thieu_so_lieu"
        message = reading.note or "Chưa có số liệu."
    else:
        met, gap, message = _compare(criterion, reading.value)
        value, status = reading.value, "dat" if met else "chua_dat"
    return CriterionResult(
        criterion.key,
        criterion.name,
        criterion.rule_text,
        value,
        "" if raw is None else clip(str(raw)),
        status,
        gap,
        message,
        criterion.unit,
        criterion.area,
        reading.note,
        _source(criterion, criteria_set),
    )


def _compare(c: Criterion, value: float | bool | str) -> tuple[bool, float | None, str]:
    if isinstance(c, YesCriterion):
        return bool(value), None, "Đạt." if value else "Chưa đạt."
    if isinstance(c, LevelCriterion):
        if not isinstance(value, str):  # a bare number for a rank: fails as before the types (issue 14)
            raise TypeError(f"'{c.key}': {value!r} is not a level of {c.scale}")
        levels = [fold(s) for s in c.scale]
        have, need = levels.index(fold(value)), levels.index(fold(c.target))
        met = have >= need if c.operator in (">=", ">") else have <= need
        if c.operator in (">", "<"):
            met = have > need if c.operator == ">" else have < need
        if met:
            return True, None, "Đạt."
        return False, float(abs(need - have)), f"Còn thiếu {abs(need - have)} bậc so với mức '{c.target}'."
    if isinstance(c, ChoiceCriterion):
        met = fold(str(value)) in {fold(t) for t in c.target}
        return met, None, "Đạt." if met else f"Cần một trong: {', '.join(c.target)}."
    if isinstance(value, str):  # a category's text against a number: fails as before the types (issue 14)
        raise TypeError(f"'{c.key}': {value!r} is not a number")
    target = c.target
    ops = {
        ">=": value >= target,
        ">": value > target,
        "<=": value <= target,
        "<": value < target,
        "=": abs(value - target) < 1e-9,
    }
    met = ops[c.operator]
    if met:
        return True, None, "Đạt."
    unit = "điểm %" if c.unit.startswith("%") or c.unit == "%" else c.unit
    if c.operator in (">=", ">", "="):
        gap = round(target - value, 4) if value <= target else round(value - target, 4)
    else:
        gap = round(value - target, 4)
    if c.operator in (">", "<"):  # a strict target is not met at the target itself: the gap is "more than"
        wanted = f"{'Cần vượt' if c.operator == '>' else 'Cần dưới'} {_amount(target, c.unit)}"
        if gap == 0:
            return False, 0.0, f"{wanted}: hiện mới bằng mức yêu cầu."
        verb = "còn thiếu" if c.operator == ">" else "còn vượt"
        return False, gap, f"{wanted}: {verb} hơn {_amount(gap, unit)}."
    verb = "Còn thiếu" if c.operator == ">=" or value < target else "Vượt"
    return False, gap, f"{verb} {_amount(gap, unit)}."


def gap_text(result: CriterionResult) -> str:
    """The gap as people should read it: "> 1 điểm %" for a strict target, "4,5 điểm %" otherwise."""
    if result.gap is None:
        return ""
    strict = result.rule.split(" ")[0] in (">", "<")
    unit = result.unit or ""
    unit = "điểm %" if unit.startswith("%") else unit
    return f"{'> ' if strict else ''}{_amount(result.gap, unit)}"


def _amount(number: float, unit: str) -> str:
    return f"{format_number(number)} {unit}".strip().replace(" %", "%").replace("điểm%", "điểm %")
