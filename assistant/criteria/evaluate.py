"""Judge figures against a criteria set: status, gap and message for every criterion, in set order."""

from __future__ import annotations

from assistant.criteria.figures import format_number, read_value
from assistant.criteria.sets_loader import CriteriaSet, Criterion
from assistant.vietnamese import fold

STATUSES = ("dat", "chua_dat", "thieu_so_lieu", "khong_hop_le")
STATUS_LABELS = {"dat": "Đạt", "chua_dat": "Chưa đạt", "thieu_so_lieu": "Thiếu số liệu", "khong_hop_le": "Không hợp lệ"}


def evaluate(criteria_set: CriteriaSet, figures: dict, unit: str = "", period: str = "") -> dict:
    """The criteria result for one unit (province, district or commune)."""
    figures = dict(figures or {})
    results = [judge(c, figures.get(c.key), criteria_set) for c in criteria_set.criteria]
    known = {c.key for c in criteria_set.criteria}
    warnings = [f"unknown key: {k} (khóa không có trong bộ tiêu chí)" for k in figures if k not in known]
    return {"set": criteria_set.id, "unit": unit, "period": period, "results": results,
            "summary": summarise(results), "warnings": warnings}


def summarise(results: list[dict]) -> dict:
    """How many results have each status."""
    return {s: sum(1 for r in results if r["status"] == s) for s in STATUSES}


def judge(criterion: Criterion, raw, criteria_set: CriteriaSet) -> dict:
    """One criterion's status for one raw figure."""
    reading = read_value(raw, criterion.kind, criterion.unit, criterion.scale)
    value_text = "" if raw is None else str(raw)
    base = {
        "key": criterion.key, "name": criterion.name, "rule": criterion.rule_text, "value": None,
        "value_text": value_text, "status": "", "gap": None, "message": "", "unit": criterion.unit,
        "area": criterion.area,
        "source": {"doc_id": criteria_set.source_doc, "title": criteria_set.source_title,
                   "clause": criterion.clause, "quote": criterion.quote},
    }
    if reading.error:
        return {**base, "status": "khong_hop_le",
                "message": f"Giá trị không hợp lệ: {reading.error}. Cần: {criterion.rule_text}."}
    if reading.value is None:
        return {**base, "status": "thieu_so_lieu", "message": "Chưa có số liệu."}
    met, gap, message = _compare(criterion, reading.value)
    return {**base, "value": reading.value, "status": "dat" if met else "chua_dat", "gap": gap, "message": message}


def _compare(c: Criterion, value) -> tuple[bool, float | None, str]:
    if c.operator == "yes":
        return bool(value), None, "Đạt." if value else "Chưa đạt."
    if c.kind == "rank":
        levels = [fold(s) for s in c.scale]
        have, need = levels.index(fold(value)), levels.index(fold(str(c.target)))
        met = have >= need if c.operator in (">=", ">") else have <= need
        if c.operator in (">", "<"):
            met = have > need if c.operator == ">" else have < need
        gap = None if met else float(abs(need - have))
        return met, gap, "Đạt." if met else f"Còn thiếu {int(gap)} bậc so với mức '{c.target}'."
    if c.operator == "in":
        met = fold(str(value)) in {fold(t) for t in c.target}
        return met, None, "Đạt." if met else f"Cần một trong: {', '.join(c.target)}."
    target = float(c.target)
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
        need = f"{'Cần vượt' if c.operator == '>' else 'Cần dưới'} {_amount(target, c.unit)}"
        if gap == 0:
            return False, 0.0, f"{need}: hiện mới bằng mức yêu cầu."
        verb = "còn thiếu" if c.operator == ">" else "còn vượt"
        return False, gap, f"{need}: {verb} hơn {_amount(gap, unit)}."
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
