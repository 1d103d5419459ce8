"""File bytes to rows of cells: CSV in any delimiter and the encodings Excel writes in Vietnam, XLSX with
cached formula values and percentage formats. What the rows mean is ``inputs``' business."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import unicodedata
from pathlib import Path

from assistant import errors
from assistant.criteria.figures import NoCachedValue
from assistant.settings import DocumentLimits
from assistant.vietnamese import nfc


def bad(path, vi: str, en: str) -> errors.BadInput:
    """An unusable-file error naming the file, in Vietnamese and English."""
    return errors.BadInput(f"{path}: {vi}", f"{path}: {en}")


# -- CSV -----------------------------------------------------------------------------------------


_VIETNAMESE = set(
    nfc(
        "".join(
            v + tone
            for v in "aăâeêioôơuưyAĂÂEÊIOÔƠUƯY"
            for tone in ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")
        )
    )
) | set("đĐ")
_ONLY_VIETNAMESE = {ch for ch in _VIETNAMESE if ch not in bytes(range(128, 256)).decode("latin-1")}


def decode(data: bytes, path) -> tuple[str, str]:
    """Text of a file in UTF-8 (with or without BOM), UTF-16 (Excel "Unicode text"), Windows-1258 or
    Windows-1252, NFC-normalised (Windows-1258 writes tone marks as separate characters)."""
    if data.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8"]
    for encoding in candidates:
        try:
            return nfc(data.decode(encoding)), encoding
        except UnicodeDecodeError:
            pass
    texts = {}
    for encoding in ("cp1258", "cp1252"):
        try:
            texts[encoding] = nfc(data.decode(encoding))
        except UnicodeDecodeError:
            continue
    if not texts:
        raise bad(
            path,
            "không nhận ra bảng mã của tệp; hãy lưu lại dạng CSV UTF-8.",
            "unknown text encoding; save the file as CSV UTF-8.",
        )
    encoding = max(texts, key=lambda e: (_vietnamese_score(texts[e]), e == "cp1252"))
    return texts[encoding], encoding


def _vietnamese_score(text: str) -> int:
    """Letters only Vietnamese writes, less three for each character no Vietnamese text has."""
    score = 0
    for ch in set(text):
        if ord(ch) < 128:
            continue
        count = text.count(ch)
        if ch in _ONLY_VIETNAMESE:
            score += count
        elif ch not in _VIETNAMESE and (unicodedata.combining(ch) or unicodedata.category(ch).startswith("L")):
            score -= 3 * count
    return score


def csv_rows(path: Path) -> tuple[list[tuple[int, list]], str, str]:
    text, encoding = decode(path.read_bytes(), path)
    first_line, _, rest = text.partition("\n")
    if first_line.strip().lower().startswith("sep=") and len(first_line.strip()) == 5:
        delimiter, text = first_line.strip()[4], rest  # Excel's own delimiter hint
    else:
        delimiter = detect_delimiter(text)
    previous = csv.field_size_limit()
    csv.field_size_limit(max(previous, len(text) + 1))
    try:
        reader = csv.reader(io.StringIO(text), delimiter=delimiter)
        rows = [(reader.line_num, row) for row in reader]
    except csv.Error as exc:
        raise bad(path, f"tệp CSV hỏng: {exc}.", f"malformed CSV: {exc}.") from exc
    finally:
        csv.field_size_limit(previous)
    return rows, encoding, delimiter


def detect_delimiter(text: str) -> str:
    """``,`` ``;`` or tab: the one that splits the first lines into the same number (>1) of columns."""
    sample = text[:20_000].splitlines()[:30]
    best, best_score = ",", None
    for delimiter in ("\t", ";", ","):
        counts = [len(row) for row in csv.reader(sample, delimiter=delimiter) if any(c.strip() for c in row)]
        if not counts:
            continue
        width = counts[0]
        agree = sum(1 for c in counts if c == width) / len(counts)
        score = (width > 1, agree, width)
        if best_score is None or score > best_score:
            best, best_score = delimiter, score
    return best


# -- XLSX ----------------------------------------------------------------------------------------


def xlsx_rows(path: Path, limits: DocumentLimits | None = None) -> tuple[list[tuple[int, list]], list[str]]:
    """The active sheet's rows (cached values of formulas, percentage cells as "96,1%") and a warning
    naming the formula cells saved without a value. A workbook that would grow past ``limits`` once
    uncompressed (a zip bomb) is refused before it is parsed."""
    from assistant.criteria.xlsx_reader import read_sheet
    from assistant.ingest.archive import check_archive

    check_archive(path, "XLSX", limits or DocumentLimits())

    try:
        rows, missing = read_sheet(path, is_percent_format, percent_text)
    except Exception:  # something the fast reader does not know: openpyxl reads every valid file
        rows, missing = _openpyxl_rows(path)
    warnings = []
    if missing:
        cells = ", ".join(missing[:8]) + (" …" if len(missing) > 8 else "")
        warnings.append(
            f"{len(missing)} ô công thức chưa có giá trị đã tính ({cells}): hãy mở tệp bằng Excel và "
            f"lưu lại / {len(missing)} formula cells have no saved value: open and save the file in Excel"
        )
    return rows, warnings


def _openpyxl_rows(path: Path) -> tuple[list[tuple[int, list]], list[str]]:
    try:
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True, data_only=True)
        sheet = book.active
        formulas = _formulas(path, sheet.title)
        rows, missing = [], []
        for r, row in enumerate(sheet.iter_rows(), start=1):
            values = []
            for c, cell in enumerate(row, start=1):
                value = cell.value
                if value is None:
                    if (r, c) in formulas:
                        value = NoCachedValue(formulas[(r, c)])
                        missing.append(formulas[(r, c)])
                elif isinstance(value, (int, float)) and not isinstance(value, bool):
                    if is_percent_format(cell.number_format):
                        value = percent_text(value)
                elif isinstance(value, (dt.datetime, dt.date, dt.time)):
                    value = value.isoformat()
                values.append(value)
            rows.append((r, values))
        book.close()
    except Exception as exc:
        raise bad(
            path, "tệp Excel bị hỏng hoặc không đúng định dạng .xlsx.", "the XLSX file is corrupt or not .xlsx."
        ) from exc
    return rows, missing


def is_percent_format(number_format: str | None) -> bool:
    """Whether Excel shows the cell as a percentage (a "%" outside quoted text: 0.0% yes, 0.0"%" no)."""
    if not number_format or "%" not in number_format:
        return False
    return "%" in re.sub(r'"[^"]*"|\\.', "", number_format)


def percent_text(value: float) -> str:
    """A percentage-formatted cell as Excel shows it: 0.961 → "96,1%"."""
    shown = f"{value * 100:.10f}".rstrip("0").rstrip(".")
    return shown.replace(".", ",") + "%"


def _formulas(path: Path, title: str) -> dict[tuple[int, int], str]:
    """Cells of the sheet that hold a formula, by (row, column): only read when the file has formulas."""
    import zipfile

    with zipfile.ZipFile(path) as archive:
        if not any(b"<f" in archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/")):
            return {}
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    book = load_workbook(path, read_only=True, data_only=False)
    found = {}
    for r, row in enumerate(book[title].iter_rows(values_only=True), start=1):
        for c, value in enumerate(row, start=1):
            if (isinstance(value, str) and value.startswith("=")) or type(value).__name__.endswith("Formula"):
                found[(r, c)] = f"{get_column_letter(c)}{r}"
    book.close()
    return found
