"""Read figures as people write them: "95,3%", "171/182", "58.500.000 đồng", "Khá", "chưa đạt"."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from assistant.vietnamese import fold, nfc

_TRUE = {"dat", "co", "yes", "true", "x", "rồi", "roi", "da dat", "hoan thanh", "1"}
_FALSE = {"chua dat", "khong dat", "khong", "no", "false", "chua", "chua hoan thanh", "0"}
_NUMBER = re.compile(r"[-+−]?\d[\d.,  ]*")
_FRACTION = re.compile(r"^\s*([-+]?\d[\d.,]*)\s*/\s*([-+]?\d[\d.,]*)\s*(.*)$")
_MULTIPLIERS = {"nghin": 1e3, "ngan": 1e3, "trieu": 1e6, "ty": 1e9, "ti": 1e9}


@dataclass
class Reading:
    """A figure read from text: a number, a yes/no, a category, or why it could not be read."""

    value: float | bool | str | None
    error: str | None = None
    denominator: float | None = None


def parse_number(text: str) -> float | None:
    """A number in Vietnamese or international writing; None when it is not one.

    "," is the decimal mark and "." groups thousands ("7.244" = 7244); a "." followed
    by anything but exactly three digits is a decimal point ("95.3").
    """
    s = text.strip().replace(" ", "").replace("\u00a0", "").replace("−", "-")
    if not re.fullmatch(r"[-+]?\d[\d.,]*", s):
        return None
    if "," in s and "." in s:
        s = s.replace(".", "").replace(",", ".") if s.rfind(",") > s.rfind(".") else s.replace(",", "")
    elif "," in s:
        s = s.replace(",", "") if re.fullmatch(r"[-+]?\d{1,3}(,\d{3}){2,}", s) else s.replace(",", ".")
    elif "." in s and re.fullmatch(r"[-+]?\d{1,3}(\.\d{3})+", s):
        s = s.replace(".", "")
    try:
        value = float(s)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def read_value(raw, kind: str, unit: str = "", scale: list[str] | None = None) -> Reading:
    """Read one figure for a criterion of the given kind; never raises."""
    try:
        return _read(raw, kind, unit, scale or [])
    except Exception as exc:  # a last guard: any surprise becomes a clear "invalid"
        return Reading(None, f"không đọc được giá trị ({exc.__class__.__name__})")


def _read(raw, kind: str, unit: str, scale: list[str]) -> Reading:
    if raw is None:
        return Reading(None)
    if isinstance(raw, bool):
        return Reading(raw) if kind == "boolean" else Reading(None, "cần một con số, không phải có/không")
    if isinstance(raw, (int, float)):
        if not math.isfinite(raw):
            return Reading(None, "giá trị không phải số hữu hạn")
        return _check_number(float(raw), kind, unit, None)
    text = nfc(str(raw)).strip()
    if not text:
        return Reading(None)
    folded = " ".join(fold(text).replace(".", " ").split())
    if kind == "boolean":
        if folded in _TRUE:
            return Reading(True)
        if folded in _FALSE:
            return Reading(False)
        return Reading(None, f"'{text}' không phải đạt/chưa đạt; hãy ghi 'đạt' hoặc 'chưa đạt'")
    if kind in ("rank", "category"):
        for level in scale:
            if fold(level) == folded or fold(level) == folded.replace("loai ", "").replace("xep ", ""):
                return Reading(level)
        if kind == "category":
            return Reading(text)
        return Reading(None, f"'{text}' không phải một mức xếp loại ({', '.join(scale)})")
    fraction = _FRACTION.match(text)
    if fraction:
        top, bottom = parse_number(fraction.group(1)), parse_number(fraction.group(2))
        if top is None or bottom is None:
            return Reading(None, f"'{text}' không phải phân số hợp lệ")
        if bottom <= 0:
            return Reading(None, f"'{text}': mẫu số phải lớn hơn 0")
        if top < 0:
            return Reading(None, f"'{text}': tử số không được âm")
        if top > bottom:
            return Reading(None, f"'{text}': tử số lớn hơn mẫu số")
        if kind == "percent":
            return _check_number(round(top / bottom * 100, 2), kind, unit, bottom)
        return _check_number(top, kind, unit, bottom)
    m = _NUMBER.search(text)
    if not m or parse_number(m.group(0).strip()) is None:
        return Reading(None, f"'{text}' không phải một con số; hãy ghi ví dụ '95,3%' hoặc '60 triệu'")
    if text[: m.start()].strip() and not text[: m.start()].strip().endswith(("khoảng", "đạt", "~")):
        return Reading(None, f"'{text}' có chữ trước con số; hãy ghi chỉ con số và đơn vị")
    value = parse_number(m.group(0).strip())
    rest = fold(text[m.end():]).strip()
    multiplier = next((f for word, f in _MULTIPLIERS.items() if rest.startswith(word)), 1.0)
    value *= multiplier
    if kind == "amount" and "trieu" in fold(unit):
        value = value / 1e6 if (multiplier != 1.0 or "dong" in rest or value >= 100_000) else value
    return _check_number(value, kind, unit, None)


def _check_number(value: float, kind: str, unit: str, denominator: float | None) -> Reading:
    if kind == "boolean":
        return Reading(None, "cần 'đạt' hoặc 'chưa đạt', không phải một con số")
    if kind == "percent" and not 0 <= value <= 100:
        return Reading(None, f"tỷ lệ {_fmt(value)}% nằm ngoài khoảng 0–100%")
    if kind in ("count", "amount") and value < 0:
        return Reading(None, f"giá trị {_fmt(value)} không được âm")
    return Reading(value, None, denominator)


def _fmt(value: float) -> str:
    """A number the Vietnamese way: "1,5", "58,5", "13"."""
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


format_number = _fmt
