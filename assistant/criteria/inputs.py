"""Read figures files as offices write them: YAML, JSON, CSV (any delimiter and encoding) and XLSX.

YAML/JSON hold ``unit``/``period``/``figures`` (or a ``units`` list). Tables are read in any of
four layouts, with headers and labels written as keys or as the criteria's Vietnamese names:

- one row per unit: a unit column (``unit``, ``Đơn vị``, ``Tên xã``...), an optional period
  column, then one column per criterion (the template of ``ntm criteria --template``);
- one row per figure: a criterion column (``key``/``Mã``/``Chỉ tiêu``), a value column
  (``value``/``Số liệu``/``Giá trị``), optional unit and period columns (also our own CSV export);
- one column per unit: a criterion column, then one column per unit;
- no header: criterion, value.

Every column, row or label that is not understood becomes a warning; nothing is dropped silently.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from assistant import errors
from assistant.criteria.figures import clip
from assistant.criteria.readers import bad, csv_rows, decode, xlsx_rows
from assistant.criteria.sets_loader import CriteriaSet, normalise_label
from assistant.vietnamese import nfc

UNIT_LABELS = {
    "unit",
    "don vi",
    "ten don vi",
    "dia ban",
    "dia phuong",
    "xa",
    "huyen",
    "tinh",
    "phuong",
    "xa phuong",
    "xa phuong thi tran",
    "huyen thi xa",
    "huyen thi xa thanh pho",
    "commune",
    "district",
    "province",
}
PERIOD_LABELS = {"period", "ky", "ky bao cao", "nam", "nam bao cao", "giai doan", "thoi ky", "thoi gian", "year"}
KEY_LABELS = {"key", "ma", "ma chi tieu", "ma tieu chi", "khoa", "code", "ma chi tieu key"}
NAME_LABELS = {"chi tieu", "tieu chi", "ten chi tieu", "ten tieu chi", "noi dung", "indicator", "criterion", "name"}
VALUE_LABELS = {
    "value",
    "gia tri",
    "so lieu",
    "ket qua",
    "thuc hien",
    "ket qua thuc hien",
    "so lieu thuc hien",
    "figure",
}
# Columns a figures table may carry that are not figures (our export's and the template's included).
IGNORED_LABELS = {
    "stt",
    "tt",
    "so tt",
    "don vi tinh",
    "dvt",
    "yeu cau",
    "muc tieu",
    "chi tieu can dat",
    "ghi chu",
    "trang thai",
    "khoang cach",
    "can cu",
    "rule",
    "note",
    "notes",
    "status",
    "gap",
    "source",
    "area",
    "linh vuc",
    "unit of measure",
}
# First cells of the template's explanation rows (skipped) and of its example row (skipped, with a warning).
TEMPLATE_ROWS = {"ma chi tieu key", "ma chi tieu", "key", "don vi tinh", "yeu cau", "yeu cau rule", "can cu"}
EXAMPLE_PREFIX = "vi du"
MAX_WARNINGS = 30


@dataclass
class UnitFigures:
    """The figures one unit reports for one period. ``named`` holds the criteria the file has a
    column or row for, blank cells included (a blank is the unit's missing figure, not a gap in the file)."""

    unit: str
    period: str
    figures: dict
    warnings: list[str] = field(default_factory=list)
    named: frozenset[str] = frozenset()


@dataclass
class FiguresFile:
    """Every unit of a figures file, and what in the file could not be used."""

    units: list[UnitFigures]
    warnings: list[str] = field(default_factory=list)
    encoding: str = ""
    delimiter: str = ""


def read_figures(path: Path, criteria_set: CriteriaSet | None = None) -> list[UnitFigures]:
    """Every unit's figures in a file (the file's warnings on the first unit); raises ``BadInput``."""
    read = read_file(path, criteria_set)
    if read.units and read.warnings:
        read.units[0].warnings[:0] = read.warnings
    return read.units


def read_file(path: Path, criteria_set: CriteriaSet | None = None) -> FiguresFile:
    """A figures file read whole; headers and labels become keys of ``criteria_set`` when given."""
    path = Path(path)
    if not path.is_file():
        raise bad(path, "không tìm thấy tệp số liệu.", "figures file not found.")
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml", ".json"):
        return _mapping_file(path, suffix)
    if suffix in (".csv", ".tsv", ".txt"):
        rows, encoding, delimiter = csv_rows(path)
        read = _from_rows(path, rows, criteria_set)
        read.encoding, read.delimiter = encoding, delimiter
        return read
    if suffix in (".xlsx", ".xlsm"):
        rows, notes = xlsx_rows(path)
        read = _from_rows(path, rows, criteria_set)
        read.warnings[:0] = notes
        return read
    if suffix == ".xls":
        raise bad(
            path,
            "định dạng Excel cũ (.xls): hãy mở bằng Excel và lưu lại thành .xlsx.",
            "old Excel format (.xls): save it as .xlsx.",
        )
    raise bad(path, "chỉ nhận tệp .yaml, .json, .csv, .xlsx.", "use a .yaml, .json, .csv or .xlsx file.")


# -- YAML and JSON ------------------------------------------------------------------------------


def _mapping_file(path: Path, suffix: str) -> FiguresFile:
    text, _ = decode(path.read_bytes(), path)
    try:
        if suffix == ".json":
            data = json.loads(text)
        else:
            data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except json.JSONDecodeError as exc:
        raise bad(
            path,
            f"lỗi cú pháp JSON ở dòng {exc.lineno}, cột {exc.colno}: {exc.msg}.",
            f"JSON syntax error at line {exc.lineno}, column {exc.colno}: {exc.msg}.",
        ) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = f" ở dòng {mark.line + 1}" if mark else ""
        problem = clip(str(getattr(exc, "problem", None) or exc), 120)
        raise bad(
            path,
            f"lỗi cú pháp YAML{line}: {problem}.",
            f"YAML syntax error{line.replace(' ở dòng', ' at line')}: {problem}.",
        ) from exc
    return FiguresFile(_from_mapping(path, text, data))


def _from_mapping(path: Path, text: str, data) -> list[UnitFigures]:
    if data is None:
        raise bad(path, "tệp trống.", "the file is empty.")
    prefix: tuple = ("units",)
    if isinstance(data, list):  # a bare list of units
        data, prefix = {"units": data}, ()
    if not isinstance(data, dict):
        raise _structure(
            path, text, (), "cần các trường 'unit', 'period', 'figures'", "expected 'unit', 'period' and 'figures'"
        )
    if "units" in data:
        items = data["units"]
        if not isinstance(items, list) or not items:
            raise _structure(
                path,
                text,
                prefix,
                "'units' phải là danh sách các đơn vị (mỗi mục có unit, figures)",
                "'units' must be a non-empty list of units (each with unit and figures)",
            )
        units = []
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                raise _structure(
                    path,
                    text,
                    prefix + (i,),
                    f"đơn vị thứ {i + 1} trong 'units' phải có dạng 'unit: ..., figures: {{...}}', "
                    f"không phải '{clip(item)}'",
                    f"unit {i + 1} of 'units' must be a mapping with 'unit' and 'figures', not '{clip(item)}'",
                )
            item = {**item, "period": item.get("period", data.get("period", ""))}
            units.append(_unit(path, text, item, prefix + (i,)))
        return units
    return [_unit(path, text, data, ())]


def _unit(path: Path, text: str, data: dict, where: tuple) -> UnitFigures:
    if "figures" in data:
        figures = data["figures"]
    else:
        figures = {k: v for k, v in data.items() if k not in ("unit", "period")}
    if figures is None:
        figures = {}
    if not isinstance(figures, dict):
        raise _structure(
            path,
            text,
            where + ("figures",),
            "'figures' phải là danh sách 'khóa: giá trị' (ví dụ ty_le_bhyt: \"96,1%\")",
            "'figures' must map keys to values (e.g. ty_le_bhyt: \"96,1%\")",
        )
    return UnitFigures(_label(data.get("unit")), _label(data.get("period")), {str(k): v for k, v in figures.items()})


def _structure(path: Path, text: str, where: tuple, vi: str, en: str) -> errors.BadInput:
    line = _yaml_line(text, where)
    at_vi, at_en = (f" (dòng {line})", f" (line {line})") if line else ("", "")
    return bad(path, f"sai cấu trúc{at_vi}: {vi}.", f"wrong structure{at_en}: {en}.")


def _yaml_line(text: str, where: tuple) -> int | None:
    """The line of the node at ``where`` (keys and list indexes), for structural error messages."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        for step in where:
            if isinstance(node, yaml.MappingNode):
                node = next(v for k, v in node.value if k.value == step)
            elif isinstance(node, yaml.SequenceNode):
                node = node.value[step]
        return node.start_mark.line + 1 if node is not None else None
    except Exception:  # the line is a courtesy; the message stands without it
        return None


# -- tables --------------------------------------------------------------------------------------


def _label(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return nfc(str(value)).strip()


def _empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _role(header, criteria_set: CriteriaSet | None) -> tuple[str, str | None]:
    """What a header names: ("unit"|"period"|"key"|"name"|"value"|"ignored"|"blank"|"unknown", None)
    or ("criterion", key)."""
    text = _label(header)
    norm = normalise_label(text)
    if not norm:
        return "blank", None
    for role, labels in (
        ("ignored", IGNORED_LABELS),
        ("key", KEY_LABELS),
        ("name", NAME_LABELS),
        ("value", VALUE_LABELS),
        ("period", PERIOD_LABELS),
        ("unit", UNIT_LABELS),
    ):
        if norm in labels:
            return role, None
    if criteria_set is not None:
        key = criteria_set.key_for(text)
        if key:
            return "criterion", key
    if norm.startswith(("ten ", "don vi ")) and not norm.startswith("don vi tinh"):
        return "unit", None
    return ("criterion", text) if criteria_set is None else ("unknown", None)


def _column(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


class _Warnings:
    """Warnings of one file, each label listed once with the first rows it was seen on."""

    def __init__(self):
        self.lines: list[str] = []
        self.labels: dict[str, list[int]] = {}

    def add(self, text: str) -> None:
        self.lines.append(text)

    def label(self, label: str, row: int) -> None:
        self.labels.setdefault(label, []).append(row)

    def done(self, set_id: str) -> list[str]:
        lines = list(self.lines)
        for label, rows in self.labels.items():
            where = ", ".join(str(r) for r in rows[:5]) + (" …" if len(rows) > 5 else "")
            lines.append(
                f"Chỉ tiêu không nhận ra (bỏ qua): '{clip(label)}' ở dòng {where} — không có trong bộ "
                f"'{set_id}' / unrecognised criterion, rows {where}"
            )
        if len(lines) > MAX_WARNINGS:
            lines = lines[:MAX_WARNINGS] + [
                f"… và {len(lines) - MAX_WARNINGS} cảnh báo khác / and {len(lines) - MAX_WARNINGS} more warnings"
            ]
        return lines


def _from_rows(path, rows: list[tuple[int, list]], criteria_set: CriteriaSet | None) -> FiguresFile:
    rows = [(n, row) for n, row in rows if any(not _empty(c) for c in row)]
    if not rows:
        raise bad(path, "tệp không có dòng số liệu nào.", "the file has no rows.")
    header_row, header = rows[0]
    roles = [_role(h, criteria_set) for h in header]
    if len(rows) == 1 and not any(role == "criterion" for role, _ in roles[:1]):
        raise bad(
            path,
            f"tệp chỉ có dòng tiêu đề (dòng {header_row}), chưa có dòng số liệu nào.",
            f"only a header row (row {header_row}), no figures.",
        )
    kinds = [role for role, _ in roles]
    warnings = _Warnings()
    set_id = criteria_set.id if criteria_set else ""
    if ("key" in kinds or "name" in kinds) and "value" in kinds:
        unknown = [
            f"'{clip(_label(h), 60)}' (cột {_column(i)})"
            for i, (h, (role, _)) in enumerate(zip(header, roles))
            if role in ("unknown", "criterion")
        ]
        if unknown:
            warnings.add("Cột không nhận ra (bỏ qua): " + ", ".join(unknown) + " / unrecognised columns (ignored)")
        units = _long(rows[1:], roles, criteria_set, warnings)
    elif kinds[0] in ("key", "name"):
        units = _by_column(rows[1:], header, roles, criteria_set, warnings)
    elif (
        criteria_set is not None
        and [k for k in kinds if k in ("criterion", "unit", "period")] == ["criterion"]
        and kinds[0] == "criterion"
        and len(header) >= 2
    ):
        units = _pairs(rows, criteria_set, warnings)  # no header: criterion, value
    elif "unit" in kinds or "period" in kinds or "criterion" in kinds:
        units = _wide(rows[1:], header, roles, warnings)
    elif criteria_set is None and len(header) >= 2:
        units = _pairs(rows, criteria_set, warnings)
    else:
        seen = ", ".join(f"'{clip(_label(h), 40)}'" for h in header[:6] if not _empty(h))
        raise bad(
            path,
            f"dòng tiêu đề {header_row} ({seen}) không có cột nào là đơn vị hay chỉ tiêu của bộ "
            f"'{set_id}'. Cần: một dòng mỗi đơn vị (cột 'Đơn vị' rồi mỗi cột một chỉ tiêu, ghi mã "
            "hoặc tên chỉ tiêu), hoặc các cột 'Chỉ tiêu' và 'Số liệu'. Xem mẫu: ntm criteria --template.",
            f"header row {header_row} ({seen}) names no unit or criterion column. Expected one row per unit "
            "(a 'unit' column, then one column per criterion key or name) or 'key' and 'value' columns; "
            "see ntm criteria --template.",
        )
    if not units:
        warnings.add("Không đọc được số liệu của đơn vị nào / no unit's figures could be read")
        units = [UnitFigures("", "", {})]
    return FiguresFile(units, warnings.done(set_id))


def _wide(rows, header, roles, warnings: _Warnings) -> list[UnitFigures]:
    kinds = [role for role, _ in roles]
    unit_cols = [i for i, kind in enumerate(kinds) if kind == "unit"]
    if not unit_cols and kinds[0] == "unknown":
        unit_cols = [0]  # "Tên xã/phường", "Huyện/thị xã": the first column names the units
    period_col = kinds.index("period") if "period" in kinds else None
    columns: list = []
    taken: dict = {}
    unknown: list = []
    for i, (role, key) in enumerate(roles):
        if i in unit_cols or i == period_col:
            continue
        if role == "criterion":
            if key in taken:
                warnings.add(
                    f"Cột {_column(i)} ('{clip(_label(header[i]), 60)}') trùng chỉ tiêu với cột "
                    f"{_column(taken[key])}; dùng cột {_column(taken[key])} / duplicate column {_column(i)}"
                )
                continue
            taken[key] = i
            columns.append((i, key))
        elif role in ("unknown", "period", "key", "name", "value"):
            unknown.append(f"'{clip(_label(header[i]), 60)}' (cột {_column(i)})")
    if unknown:
        warnings.add("Cột không nhận ra (bỏ qua): " + ", ".join(unknown) + " / unrecognised columns (ignored)")
    named = frozenset(key for _, key in columns)
    units = []
    for number, row in rows:
        unit = _unit_name(row, unit_cols)
        folded = normalise_label(unit)
        if folded in TEMPLATE_ROWS:
            continue
        if folded.startswith(EXAMPLE_PREFIX):
            warnings.add(f"Bỏ qua dòng ví dụ của mẫu (dòng {number}) / skipped the template's example row {number}")
            continue
        figures = {key: row[i] for i, key in columns if i < len(row) and not _empty(row[i])}
        period = _label(row[period_col]) if period_col is not None and period_col < len(row) else ""
        if not unit and not figures:
            continue
        units.append(UnitFigures(unit, period, figures, named=named))
    return units


def _unit_name(row, columns: list[int]) -> str:
    """The unit a row is about; with several unit columns ("Huyện", "Xã") their names joined."""
    return " / ".join(name for name in (_label(row[i]) for i in columns if i < len(row)) if name)


def _row_key(row, roles, criteria_set, warnings: _Warnings, number: int) -> tuple[str | None, bool]:
    """The criterion a long-format row is about (from its key column, else its name column)."""
    labels = [_label(row[i]) for i, (role, _) in enumerate(roles) if role in ("key", "name") and i < len(row)]
    labels = [label for label in labels if label]
    if not labels:
        return None, False
    for label in labels:
        key = criteria_set.key_for(label) if criteria_set is not None else label
        if key:
            return key, True
    warnings.label(labels[0], number)
    return None, True


def _long(rows, roles, criteria_set, warnings: _Warnings) -> list[UnitFigures]:
    kinds = [role for role, _ in roles]
    value_col = kinds.index("value")
    unit_cols = [i for i, kind in enumerate(kinds) if kind == "unit"]
    period_col = kinds.index("period") if "period" in kinds else None
    units: dict[tuple[str, str], UnitFigures] = {}
    named: dict[tuple[str, str], set[str]] = {}
    for number, row in rows:
        key, labelled = _row_key(row, roles, criteria_set, warnings, number)
        value = row[value_col] if value_col < len(row) else None
        if not labelled and not _empty(value):
            warnings.add(f"Dòng {number}: có số liệu nhưng thiếu tên/mã chỉ tiêu / row {number}: value without a key")
        unit = _unit_name(row, unit_cols)
        period = _label(row[period_col]) if period_col is not None and period_col < len(row) else ""
        target = units.setdefault((unit, period), UnitFigures(unit, period, {}))
        if key is not None:
            named.setdefault((unit, period), set()).add(key)
        if key is None or _empty(value):
            continue
        if key in target.figures:
            warnings.add(
                f"Dòng {number}: '{key}' lặp lại cho '{clip(unit, 40)}'; dùng dòng đầu / "
                f"row {number}: repeated key, the first row is used"
            )
            continue
        target.figures[key] = value
    for where, keys in named.items():
        units[where].named = frozenset(keys)
    return [u for u in units.values() if u.figures or u.unit]


def _by_column(rows, header, roles, criteria_set, warnings: _Warnings) -> list[UnitFigures]:
    columns = [
        (i, _label(h))
        for i, (h, (role, _)) in enumerate(zip(header, roles))
        if role not in ("key", "name", "ignored", "blank")
    ]
    units = [UnitFigures(name, "", {}) for _, name in columns]
    named: set[str] = set()
    for number, row in rows:
        key, _ = _row_key(row, roles, criteria_set, warnings, number)
        if key is None:
            continue
        named.add(key)
        for unit, (i, _) in zip(units, columns):
            if i < len(row) and not _empty(row[i]) and key not in unit.figures:
                unit.figures[key] = row[i]
    for unit in units:
        unit.named = frozenset(named)
    return units


def _pairs(rows, criteria_set, warnings: _Warnings) -> list[UnitFigures]:
    figures: dict = {}
    named: set[str] = set()
    for number, row in rows:
        label = _label(row[0]) if row else ""
        if not label:
            continue
        key = criteria_set.key_for(label) if criteria_set is not None else label
        if not key:
            warnings.label(label, number)
            continue
        named.add(key)
        value = row[1] if len(row) > 1 else None
        if not _empty(value):
            figures.setdefault(key, value)
    return [UnitFigures("", "", figures, named=frozenset(named))]
