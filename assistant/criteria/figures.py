"""Read figures as people write them: "95,3%", "171/182", "58.500.000 đồng", "Khá", "chưa đạt", 0.961, 5e7.

Text and plain numbers (a YAML number, a numeric spreadsheet cell) follow the same scale rules:

- an amount whose target is in "triệu đồng" (or "tỷ đồng") is read in đồng when it says "đồng",
  carries a multiplier ("58,5 triệu", "1,2 tỷ") or is a bare number of at least 100.000
  (50000000 → 50 triệu); smaller bare numbers are already in the target's unit (62 → 62 triệu);
- a share ("percent" criterion) written without "%" and strictly between 0 and 1 is a ratio:
  0.961 → 96,1 %. Write "0,5%" for half a percent. A spreadsheet cell formatted as a
  percentage is read as the percentage it shows (inputs turn it into "96,1%");
- scientific notation is read whole ("1e2" = 100, "6e1 triệu" = 60 triệu); a number that
  overflows ("1e309") or runs into letters ("12abc", "1e") is invalid, never half-read.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from assistant.vietnamese import fold, nfc

_TRUE = {"dat", "co", "yes", "true", "x", "rồi", "roi", "da dat", "hoan thanh", "1"}
_FALSE = {"chua dat", "khong dat", "khong", "no", "false", "chua", "chua hoan thanh", "0"}
# A whole number token: digits with Vietnamese/international grouping, then an optional exponent.
_NUMBER = re.compile(r"[-+−]?\d(?:[\d.,\u00a0 ]*\d)?(?:[eE][-+]?\d+)?")
_EXPONENT = re.compile(r"(.*\d)[eE]([-+]?\d+)")
_DIGITS = re.compile(r"[-+]?\d[\d.,]*")
_COMMA_GROUPS = re.compile(r"[-+]?\d{1,3}(,\d{3}){2,}")
_DOT_GROUPS = re.compile(r"[-+]?\d{1,3}(\.\d{3})+")
_FRACTION = re.compile(r"^\s*([-+]?\d[\d.,]*)\s*/\s*([-+]?\d[\d.,]*)\s*(.*)$")
_MULTIPLIERS = (("nghin", 1e3), ("ngan", 1e3), ("trieu", 1e6), ("tr", 1e6), ("ty", 1e9), ("ti", 1e9))
# Words a number may be glued to ("62triệu"); any other letter glued to it means it is not a number.
_GLUED_OK = ("trieu", "tr", "ty", "ti", "nghin", "ngan", "dong", "d", "vnd", "phan tram")
_PERCENT_WORDS = ("%", "phan tram")
# What offices write in a cell they have no figure for: missing data (thieu_so_lieu), not a bad value.
_NO_FIGURE = {
    "-",
    "--",
    "---",
    "—",
    "–",
    "...",
    "…",
    "n/a",
    "na",
    "chua co",
    "chua co so lieu",
    "chua bao cao",
    "chua cap nhat",
    "khong co so lieu",
}
MESSAGE_LIMIT = 80
AS_DONG_FROM = 100_000  # a bare figure this large, for a target in triệu/tỷ đồng, is in đồng


@dataclass
class Reading:
    """A figure read from text: a number, a yes/no, a category, or why it could not be read.

    ``note`` says how an ambiguous figure was understood (0,961 → 96,1 %) or why it is missing.
    """

    value: float | bool | str | None
    error: str | None = None
    denominator: float | None = None
    note: str | None = None


@dataclass(frozen=True)
class NoCachedValue:
    """A spreadsheet formula saved without its computed value (the file was written by a program, not Excel)."""

    cell: str

    def __str__(self) -> str:
        return f"(công thức ô {self.cell} chưa có giá trị)"


def clip(text: str, limit: int = MESSAGE_LIMIT) -> str:
    """Text cut to ``limit`` characters with "…", so a huge value cannot flood a message."""
    text = str(text)
    return text if len(text) <= limit else text[:limit] + "…"


def parse_number(text: str) -> float | None:
    """A number in Vietnamese or international writing; None when it is not one.

    "," is the decimal mark and "." groups thousands ("7.244" = 7244); a "." followed
    by anything but exactly three digits is a decimal point ("95.3"). An exponent is
    read whole ("1e2" = 100, "1,5e3" = 1500); an infinite result is not a number.
    """
    s = text.strip().replace(" ", "").replace("\u00a0", "").replace("−", "-")
    exponent = ""
    if "e" in s or "E" in s:
        m = _EXPONENT.fullmatch(s)
        if m:
            s, exponent = m.group(1), "e" + m.group(2)
    if not _DIGITS.fullmatch(s):
        return None
    if "," in s and "." in s:
        s = s.replace(".", "").replace(",", ".") if s.rfind(",") > s.rfind(".") else s.replace(",", "")
    elif "," in s:
        s = s.replace(",", "") if _COMMA_GROUPS.fullmatch(s) else s.replace(",", ".")
    elif "." in s and _DOT_GROUPS.fullmatch(s):
        s = s.replace(".", "")
    try:
        value = float(s + exponent)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def read_value(raw, kind: str, unit: str = "", scale: list[str] | None = None) -> Reading:
    """Read one figure for a criterion of the given kind; never raises. Treat the reading as read-only:
    short texts are read once and the same reading is returned again (a district file repeats figures)."""
    if type(raw) is str and len(raw) <= 64:
        return _read_text(raw, kind, unit, tuple(scale or ()))
    return _guarded(raw, kind, unit, list(scale or ()))


@lru_cache(maxsize=65_536)
def _read_text(raw: str, kind: str, unit: str, scale: tuple[str, ...]) -> Reading:
    return _guarded(raw, kind, unit, list(scale))


def _guarded(raw, kind: str, unit: str, scale: list[str]) -> Reading:
    try:
        return _read(raw, kind, unit, scale)
    except Exception as exc:  # a last guard: any surprise becomes a clear "invalid"
        return Reading(None, f"không đọc được giá trị ({exc.__class__.__name__})")


@lru_cache(maxsize=256)
def unit_multiplier(unit: str) -> float:
    """How many đồng (or plain units) one unit of the target is: "triệu đồng/người/năm" → 1e6."""
    words = fold(unit).replace("/", " ").split()
    if not words:
        return 1.0
    return next((f for word, f in _MULTIPLIERS if words[0] == word), 1.0)


def _read(raw, kind: str, unit: str, scale: list[str]) -> Reading:
    if raw is None:
        return Reading(None)
    if isinstance(raw, NoCachedValue):
        return Reading(
            None,
            note=f"Ô {raw.cell} là công thức chưa có giá trị đã tính: "
            "hãy mở tệp bằng Excel và lưu lại (Excel lưu kèm kết quả công thức).",
        )
    if isinstance(raw, bool):
        return Reading(raw) if kind == "boolean" else Reading(None, "cần một con số, không phải có/không")
    if isinstance(raw, (int, float)):
        if kind == "category":  # a numeric cell holding a category's code
            return _read(str(int(raw)) if float(raw).is_integer() else str(raw), kind, unit, scale)
        if kind == "rank":  # a numeric cell or a bare YAML number where a level is asked
            return Reading(None, f"cần một mức xếp loại ({', '.join(scale)}), không phải con số {clip(str(raw))}")
        return _plain_number(float(raw), kind, unit)
    if isinstance(raw, (list, dict, tuple, set)):
        return Reading(None, f"cần một giá trị, không phải danh sách '{clip(str(raw))}'")
    text = nfc(str(raw)).strip()
    if not text:
        return Reading(None)
    if " ".join(fold(text).rstrip(".").split()) in _NO_FIGURE or text.strip(".…-–— ") == "":
        return Reading(None, note=f"'{clip(text)}' được hiểu là chưa có số liệu.")
    if kind == "boolean":
        folded = " ".join(fold(text).replace(".", " ").split())
        if folded in _TRUE:
            return Reading(True)
        if folded in _FALSE:
            return Reading(False)
        return Reading(None, f"'{clip(text)}' không phải đạt/chưa đạt; hãy ghi 'đạt' hoặc 'chưa đạt'")
    if kind in ("rank", "category"):
        folded = " ".join(fold(text).replace(".", " ").split())
        for level in scale:
            if fold(level) == folded or fold(level) == folded.replace("loai ", "").replace("xep ", ""):
                return Reading(level)
        if kind == "category":
            return Reading(text)
        return Reading(None, f"'{clip(text)}' không phải một mức xếp loại ({', '.join(scale)})")
    if "/" in text:
        fraction = _FRACTION.match(text)
        if fraction:
            return _fraction(text, fraction, kind, unit)
    return _text_number(text, kind, unit)


def _fraction(text: str, fraction: re.Match, kind: str, unit: str) -> Reading:
    top, bottom = parse_number(fraction.group(1)), parse_number(fraction.group(2))
    if top is None or bottom is None:
        return Reading(None, f"'{clip(text)}' không phải phân số hợp lệ")
    if bottom <= 0:
        return Reading(None, f"'{clip(text)}': mẫu số phải lớn hơn 0")
    if top < 0:
        return Reading(None, f"'{clip(text)}': tử số không được âm")
    if top > bottom:
        return Reading(None, f"'{clip(text)}': tử số lớn hơn mẫu số")
    if kind == "percent":
        return _check_number(round(top / bottom * 100, 2), kind, unit, bottom)
    return _check_number(top, kind, unit, bottom)


def _text_number(text: str, kind: str, unit: str) -> Reading:
    m = _NUMBER.search(text)
    if not m:
        return Reading(None, f"'{clip(text)}' không phải một con số; hãy ghi ví dụ '95,3%' hoặc '60 triệu'")
    before = text[: m.start()].strip()
    if before and not before.endswith(("khoảng", "đạt", "~")):
        return Reading(None, f"'{clip(text)}' có chữ trước con số; hãy ghi chỉ con số và đơn vị")
    token = m.group(0)
    rest = fold(text[m.end() :]).strip()
    glued = m.end() < len(text) and text[m.end()].isalnum()
    if glued and not rest.startswith(_GLUED_OK):
        return Reading(None, f"'{clip(text)}' không phải một con số; hãy ghi ví dụ '95,3%' hoặc '60 triệu'")
    value = parse_number(token)
    if value is None:
        if re.search(r"\d[eE][-+]?\d", token):
            return Reading(None, f"'{clip(text)}': số quá lớn, không hợp lệ")
        return Reading(None, f"'{clip(text)}' không phải một con số; hãy ghi ví dụ '95,3%' hoặc '60 triệu'")
    rest_words = rest.replace("/", " ").split()
    multiplier = next((f for word, f in _MULTIPLIERS if rest_words and rest_words[0] == word), 1.0)
    if multiplier == 1.0 and glued:  # "62triệu", "1,2tỷđồng"
        multiplier = next((f for word, f in _MULTIPLIERS if rest.startswith(word) and word != "tr"), 1.0)
    in_dong = multiplier != 1.0 or (bool(rest_words) and rest_words[0] in ("dong", "d", "vnd"))
    has_percent = rest.startswith(_PERCENT_WORDS)
    return _scaled(value * multiplier, kind, unit, in_dong, has_percent, token)


def _plain_number(value: float, kind: str, unit: str) -> Reading:
    if not math.isfinite(value):
        return Reading(None, "giá trị không phải số hữu hạn")
    if kind == "boolean":
        if value in (0, 1):
            return Reading(bool(value))
        return Reading(None, "cần 'đạt' hoặc 'chưa đạt', không phải một con số")
    written = str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value).replace(".", ",")
    return _scaled(value, kind, unit, False, False, written)


def _scaled(value: float, kind: str, unit: str, in_dong: bool, has_percent: bool, written: str) -> Reading:
    """The figure in the target's unit, with a note when a scale rule was applied to a bare number."""
    note = None
    per_unit = unit_multiplier(unit) if kind in ("amount", "count", "rate") else 1.0
    if per_unit > 1:
        if in_dong:
            value = value / per_unit
        elif abs(value) >= AS_DONG_FROM:
            value = value / per_unit
            note = f"{written} được hiểu là đồng = {_fmt(value)} {unit}"
    if kind == "percent" and not has_percent and 0 < value < 1:
        value = round(value * 100, 10)
        note = f"{written} được hiểu là tỷ lệ {_fmt(value)}% (nếu là {written}% hãy ghi kèm dấu %)"
    reading = _check_number(value, kind, unit, None)
    reading.note = note if reading.error is None else None
    return reading


def _check_number(value: float, kind: str, unit: str, denominator: float | None) -> Reading:
    if kind == "boolean":
        return Reading(None, "cần 'đạt' hoặc 'chưa đạt', không phải một con số")
    if kind == "percent" and not 0 <= value <= 100:
        return Reading(None, f"tỷ lệ {_fmt(value)}% nằm ngoài khoảng 0–100%")
    if kind in ("count", "amount") and value < 0:
        return Reading(None, f"giá trị {_fmt(value)} không được âm")
    return Reading(value, None, denominator)


_SWAP_MARKS = str.maketrans({",": ".", ".": ","})


def _fmt(value: float) -> str:
    """A number the Vietnamese way: "1,5", "58,5", "13", "1.234.567"."""
    if abs(value) >= 1e15:
        return f"{value:.4g}".replace(".", ",")
    if value == int(value):
        return f"{int(value):,}".translate(_SWAP_MARKS)
    return f"{value:,.2f}".rstrip("0").rstrip(".").translate(_SWAP_MARKS)


format_number = _fmt
