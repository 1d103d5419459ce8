"""Read figures files: YAML, JSON, CSV (key,value or many units) and XLSX, into units of figures."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path

import yaml

from assistant import errors


@dataclass
class UnitFigures:
    """The figures one unit reports for one period."""

    unit: str
    period: str
    figures: dict


def _bad(path, vi: str, en: str) -> errors.BadInput:
    return errors.BadInput(f"{path}: {vi}", f"{path}: {en}")


def read_figures(path: Path) -> list[UnitFigures]:
    """Every unit's figures in a file; raises ``BadInput`` with a reason for unusable files."""
    path = Path(path)
    if not path.is_file():
        raise _bad(path, "không tìm thấy tệp số liệu.", "figures file not found.")
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml", ".json"):
        try:
            text = path.read_text(encoding="utf-8-sig")
            data = json.loads(text) if suffix == ".json" else yaml.safe_load(text)
        except (UnicodeDecodeError, json.JSONDecodeError, yaml.YAMLError) as exc:
            raise _bad(path, "không đọc được tệp (sai cú pháp YAML/JSON).", "cannot parse the file.") from exc
        return _from_mapping(path, data)
    if suffix == ".csv":
        try:
            rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
        except UnicodeDecodeError as exc:
            raise _bad(path, "tệp CSV không phải mã UTF-8.", "the CSV is not UTF-8.") from exc
        return _from_rows(path, rows)
    if suffix == ".xlsx":
        try:
            from openpyxl import load_workbook

            sheet = load_workbook(path, read_only=True, data_only=True).active
            rows = [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]
        except Exception as exc:
            raise _bad(path, "tệp Excel bị hỏng hoặc không đúng định dạng.", "the XLSX file is corrupt.") from exc
        return _from_rows(path, rows)
    raise _bad(path, "chỉ nhận tệp .yaml, .json, .csv, .xlsx.", "use a .yaml, .json, .csv or .xlsx file.")


def _from_mapping(path, data) -> list[UnitFigures]:
    if isinstance(data, dict) and isinstance(data.get("units"), list):
        return [u for item in data["units"] for u in _from_mapping(path, {**item, "period": item.get("period", data.get("period", ""))})]
    if not isinstance(data, dict):
        raise _bad(path, "cần các trường 'unit', 'period', 'figures'.", "expected 'unit', 'period' and 'figures'.")
    figures = data.get("figures", {k: v for k, v in data.items() if k not in ("unit", "period")})
    if not isinstance(figures, dict):
        raise _bad(path, "'figures' phải là danh sách khóa: giá trị.", "'figures' must map keys to values.")
    return [UnitFigures(str(data.get("unit") or ""), str(data.get("period") or ""), figures)]


def _from_rows(path, rows: list[list]) -> list[UnitFigures]:
    rows = [[("" if c is None else c) for c in row] for row in rows if any(str(c).strip() for c in row)]
    if not rows:
        raise _bad(path, "tệp không có dòng số liệu nào.", "the file has no rows.")
    header = [str(c).strip().lower() for c in rows[0]]
    if header[:2] == ["key", "value"]:
        return [UnitFigures("", "", {str(r[0]).strip(): (r[1] if len(r) > 1 else None) for r in rows[1:]})]
    if header[:3] == ["unit", "key", "value"]:
        units: dict[str, dict] = {}
        for r in rows[1:]:
            units.setdefault(str(r[0]).strip(), {})[str(r[1]).strip()] = r[2] if len(r) > 2 else None
        return [UnitFigures(u, "", f) for u, f in units.items()]
    if header and header[0] in ("unit", "don_vi", "đơn vị", "đơn_vị"):
        keys = [str(c).strip() for c in rows[0][1:]]
        return [UnitFigures(str(r[0]).strip(), "", {k: (r[i + 1] if i + 1 < len(r) else None) for i, k in enumerate(keys) if k})
                for r in rows[1:]]
    if len(header) >= 2 and all(len(r) >= 2 for r in rows):
        return [UnitFigures("", "", {str(r[0]).strip(): r[1] for r in rows})]
    raise _bad(path, "cần cột 'key,value', 'unit,key,value' hoặc một dòng mỗi đơn vị với cột 'unit'.",
               "expected columns 'key,value', 'unit,key,value', or one row per unit with a 'unit' column.")
