"""Judge figures against a criteria set: status, gap and message for every criterion, in set order."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from assistant.criteria.figures import clip, format_number, read_value
from assistant.criteria.sets_loader import CriteriaSet, Criterion
from assistant.vietnamese import fold as _fold

fold = lru_cache(maxsize=4096)(_fold)  # rank levels and targets, folded once

STATUSES = ("dat", "chua_dat", "thieu_so_lieu", "khong_hop_le")
STATUS_LABELS = {"dat": "Đạt", "chua_dat": "Chưa đạt", "thieu_so_lieu": "Thiếu số liệu", "khong_hop_le": "Không hợp lệ"}


def evaluate(criteria_set: CriteriaSet, figures: dict, unit: str = "", period: str = "",
             warnings: list[str] | None = None) -> dict:
    """The criteria result for one unit (province, district or commune).

    Figures may be named by key or by the criterion's Vietnamese name (as the web form labels them);
    ``warnings`` (e.g. about the file the figures came from) come first in the result's warnings.
    """
    figures, notes = _by_key(criteria_set, figures or {})
    results = [judge(c, figures.get(c.key), criteria_set) for c in criteria_set.criteria]
    return {"set": criteria_set.id, "unit": unit, "period": period, "results": results,
            "summary": summarise(results), "warnings": list(warnings or []) + notes}


def _by_key(criteria_set: CriteriaSet, figures: dict) -> tuple[dict, list[str]]:
    known = _known(criteria_set)
    if all(label in known for label in figures):
        return figures, []
    by_key, warnings = {}, []
    for label, value in figures.items():
        key = label if label in known else criteria_set.key_for(label)
        if key is None:
            warnings.append(f"unknown key: {clip(label)} (khóa không có trong bộ tiêu chí)")
        elif key in by_key:
            warnings.append(f"'{clip(label)}' trùng chỉ tiêu '{key}' đã có; dùng giá trị đầu / "
                            f"duplicate of '{key}', the first value is used")
        else:
            by_key[key] = value
    return by_key, warnings


def _known(criteria_set: CriteriaSet) -> set[str]:
    known = criteria_set.__dict__.get("_keys")
    if known is None:
        known = criteria_set.__dict__["_keys"] = {c.key for c in criteria_set.criteria}
    return known


def _source(criterion: Criterion, criteria_set: CriteriaSet) -> dict:
    """One source object per criterion, shared by every unit's result (10.000 units, one copy)."""
    sources = criteria_set.__dict__.setdefault("_sources", {})
    source = sources.get(criterion.key)
    if source is None:
        source = sources[criterion.key] = {"doc_id": criteria_set.source_doc, "title": criteria_set.source_title,
                                           "clause": criterion.clause, "quote": criterion.quote}
    return source


def summarise(results: list[dict]) -> dict:
    """How many results have each status."""
    counts = dict.fromkeys(STATUSES, 0)
    for r in results:
        counts[r["status"]] += 1
    return counts


def judge(criterion: Criterion, raw, criteria_set: CriteriaSet) -> dict:
    """One criterion's status for one raw figure; ``note`` says how an ambiguous figure was read."""
    reading = read_value(raw, criterion.kind, criterion.unit, criterion.scale)
    base: dict[str, Any] = {
        "key": criterion.key, "name": criterion.name, "rule": criterion.rule_text, "value": None,
        "value_text": "" if raw is None else clip(str(raw)), "status": "", "gap": None, "message": "",
        "unit": criterion.unit, "area": criterion.area, "note": reading.note,
        "source": _source(criterion, criteria_set),
    }
    if reading.error:
        base["status"] = "khong_hop_le"
        base["message"] = f"Giá trị không hợp lệ: {reading.error}. Cần: {criterion.rule_text}."
    elif reading.value is None:
        base["status"] = "thieu_so_lieu"
        base["message"] = reading.note or "Chưa có số liệu."
    else:
        met, gap, message = _compare(criterion, reading.value)
        base.update(value=reading.value, status="dat" if met else "chua_dat", gap=gap, message=message)
    return base


def _compare(c: Criterion, value) -> tuple[bool, float | None, str]:
    if c.operator == "yes":
        return bool(value), None, "Đạt." if value else "Chưa đạt."
    if c.kind == "rank":
        levels = [fold(s) for s in c.scale]
        have, need = levels.index(fold(value)), levels.index(fold(str(c.target)))
        met = have >= need if c.operator in (">=", ">") else have <= need
        if c.operator in (">", "<"):
            met = have > need if c.operator == ">" else have < need
        if met:
            return True, None, "Đạt."
        return False, float(abs(need - have)), f"Còn thiếu {abs(need - have)} bậc so với mức '{c.target}'."
    if c.operator == "in":
        met = fold(str(value)) in {fold(t) for t in c.choices}
        return met, None, "Đạt." if met else f"Cần một trong: {', '.join(c.choices)}."
    target = c.number
    ops = {">=": value >= target, ">": value > target, "<=": value <= target, "<": value < target,
           "=": abs(value - target) < 1e-9}
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


def gap_text(result: dict) -> str:
    """The gap as people should read it: "> 1 điểm %" for a strict target, "4,5 điểm %" otherwise."""
    if result.get("gap") is None:
        return ""
    strict = result.get("rule", "").split(" ")[0] in (">", "<")
    unit = result.get("unit") or ""
    unit = "điểm %" if unit.startswith("%") else unit
    return f"{'> ' if strict else ''}{_amount(result['gap'], unit)}"


def _amount(number: float, unit: str) -> str:
    return f"{format_number(number)} {unit}".strip().replace(" %", "%").replace("điểm%", "điểm %")
