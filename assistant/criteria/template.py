"""A figures template to start from (XLSX or CSV): one column per criterion, headed by its Vietnamese
name, with its key, unit and rule underneath, an example row, and one empty row per unit.

``ntm criteria`` reads the template back as it is: the explanation rows and the example row are
skipped (the example with a warning, in case it was filled in by mistake).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from assistant import errors
from assistant.criteria.figures import format_number, unit_multiplier
from assistant.criteria.sets_loader import ChoiceCriterion, CriteriaSet, Criterion, LevelCriterion, YesCriterion

UNIT, PERIOD = "Đơn vị", "Kỳ báo cáo"
KEY_ROW, UNIT_ROW, RULE_ROW, EXAMPLE_ROW = "Mã chỉ tiêu (key)", "Đơn vị tính", "Yêu cầu", "Ví dụ (xóa dòng này)"
MAX_UNITS = 10_000
HELP = [
    "Cách điền mẫu số liệu tiêu chí / How to fill in the figures template",
    "",
    "Mỗi dòng một đơn vị (xã, huyện...), mỗi cột một chỉ tiêu. Ghi số như thường viết: 96,1%, 171/182, "
    "62 triệu, 58.500.000 đồng, Khá, đạt / chưa đạt.",
    "Dòng 'Mã chỉ tiêu', 'Đơn vị tính', 'Yêu cầu' chỉ để tham khảo; dòng 'Ví dụ' được bỏ qua khi đánh giá.",
    "Ô trống: Thiếu số liệu. Ô định dạng phần trăm được đọc đúng như Excel hiển thị (96,1%).",
    "Số không có dấu % cho chỉ tiêu tỷ lệ: nhỏ hơn 1 là tỷ lệ (0,961 = 96,1%), từ 1 trở lên là phần trăm.",
    "Thu nhập tính bằng triệu đồng: số từ 100.000 trở lên được hiểu là đồng (50000000 = 50 triệu).",
    "Đánh giá: ntm criteria so-lieu.xlsx (hoặc tải tệp lên thẻ 'Đánh giá tiêu chí').",
]


def example_value(c: Criterion) -> str:
    """A figure that meets the criterion, written the way people write it."""
    if isinstance(c, YesCriterion) or c.kind == "boolean":
        return "đạt"
    if isinstance(c, ChoiceCriterion):
        return c.target[0] if c.target else ""
    if isinstance(c, LevelCriterion) or c.kind in ("rank", "category"):
        return str(c.target)
    target = c.target
    step = 1 if c.kind in ("count", "percent") else 0.5
    value = target + step if c.operator == ">" else target
    if c.operator in ("<", "<="):
        value = max(0.0, target - step if c.operator == "<" else target)
    if c.kind == "percent":
        return f"{format_number(min(value, 100))}%"
    if c.kind == "amount" and unit_multiplier(c.unit) > 1:
        return f"{format_number(value)} {c.unit.split()[0]}"
    return format_number(value)


def template_rows(criteria_set: CriteriaSet, units: int = 1) -> list[list[str]]:
    """The template as rows of text: header, key, unit, rule, example, then ``units`` empty rows."""
    if not 1 <= units <= MAX_UNITS:
        raise errors.BadInput(
            f"Số đơn vị của mẫu phải từ 1 đến {MAX_UNITS}.", f"--units must be between 1 and {MAX_UNITS}."
        )
    criteria = criteria_set.criteria
    return [
        [UNIT, PERIOD] + [c.name for c in criteria],
        [KEY_ROW, ""] + [c.key for c in criteria],
        [UNIT_ROW, ""] + [c.unit or ("đạt / chưa đạt" if c.kind == "boolean" else "") for c in criteria],
        [RULE_ROW, ""] + [c.rule_text + (f" (Mục {c.clause})" if c.clause else "") for c in criteria],
        [EXAMPLE_ROW, "2024"] + [example_value(c) for c in criteria],
    ] + [[f"Đơn vị {i}", ""] + [""] * len(criteria) for i in range(1, units + 1)]


def template_bytes(criteria_set: CriteriaSet, suffix: str = ".xlsx", units: int = 1) -> bytes:
    """The template file's bytes (".xlsx" or ".csv", UTF-8 with BOM so Excel shows the accents)."""
    rows = template_rows(criteria_set, units)
    suffix = suffix.lower() if suffix.startswith(".") else "." + suffix.lower()
    if suffix == ".csv":
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\r\n").writerows(rows)
        return buffer.getvalue().encode("utf-8-sig")
    if suffix == ".xlsx":
        return _xlsx(rows, criteria_set)
    raise errors.BadInput(
        f"Mẫu chỉ có dạng .xlsx hoặc .csv, không có '{suffix}'.", f"the template is .xlsx or .csv, not '{suffix}'."
    )


def write_template(path: Path, criteria_set: CriteriaSet, units: int = 1) -> Path:
    """Write the template to ``path`` (its suffix chooses XLSX or CSV); the web tab offers this file."""
    path = Path(path)
    data = template_bytes(criteria_set, path.suffix or ".xlsx", units)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def _xlsx(rows: list[list[str]], criteria_set: CriteriaSet) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = "Số liệu"
    for row in rows:
        sheet.append(row)
    header_fill = PatternFill("solid", fgColor="E3F2FD")
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for number in (2, 3, 4, 5):
        for cell in sheet[number]:
            cell.font = Font(italic=True, color="616161")
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["B"].width = 12
    for i in range(3, len(rows[0]) + 1):
        sheet.column_dimensions[get_column_letter(i)].width = 24
    sheet.row_dimensions[1].height = 75
    sheet.freeze_panes = "C2"
    guide = book.create_sheet("Hướng dẫn")
    for line in HELP + ["", f"Bộ tiêu chí: {criteria_set.title} ({criteria_set.id})"]:
        guide.append([line])
    guide.column_dimensions["A"].width = 120
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
