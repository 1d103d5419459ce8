"""Turn extracted pages into clean paragraphs: NFC, joined lines, no page numbers or running headers.

Quotes shown to users are always spans of the text this module produces.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from assistant.vietnamese import nfc

_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\ufeff"), None)
_PAGE_NUMBER = re.compile(r"^[-–—]?\s*(?:trang\s+)?\d{1,4}(?:\s*/\s*\d{1,4})?\s*[-–—]?$", re.IGNORECASE)
_SEPARATOR = re.compile(r"^[-_=*.…·•\s]{3,}$")
# A line that opens a new structural unit: Roman part, numbered item, bullet, legal heading.
STRUCTURAL_START = re.compile(
    r"^(?:[IVXLC]+\.\s|\d+(?:\.\d+)*\.\s|[-+•]\s|[a-zđ]\)\s|"
    r"(?:Phần|PHẦN|Chương|CHƯƠNG|Mục|MỤC|Điều|ĐIỀU)\s+[\wĐđ]+|Nơi nhận)"
)
_TERMINAL = re.compile(r"[.!?:;…][\"”’)\]]*$")
_FUNCTION_WORDS = {"của", "và", "với", "các", "về", "cho", "theo", "tại", "trong", "những", "là", "số", "ngày"}
HARD_BREAK = "\f"


@dataclass(frozen=True)
class Paragraph:
    """One cleaned paragraph and where it sits in the cleaned text."""

    text: str
    start: int
    end: int
    page: int = 0  # the 1-based page the paragraph starts on


def clean_pages(pages: list[str]) -> list[Paragraph]:
    """Paragraphs of the cleaned text, with character spans into ``join_paragraphs`` of them."""
    page_lines = [[_tidy(line) for line in nfc(page).splitlines()] for page in pages]
    repeated = _running_lines(page_lines)
    widths = sorted(len(line) for lines in page_lines for line in lines if len(line) > 20)
    short = 0.8 * widths[len(widths) // 2] if widths else 0
    paragraphs: list[tuple[str, int]] = []
    current: list[str] = []
    first_page = 0
    subject = False  # the current paragraph follows a type line ("QUYẾT ĐỊNH"): it is the subject

    def flush() -> None:
        nonlocal subject
        if current:
            paragraphs.append((" ".join(current), first_page))
            current.clear()
            subject = is_type_line(paragraphs[-1][0])

    for number, lines in enumerate(page_lines, start=1):
        for line in lines:
            if line == HARD_BREAK or _SEPARATOR.match(line):
                flush()
                continue
            if not line or _PAGE_NUMBER.match(line) or _shape(line) in repeated:
                continue
            # A subject line wrapped onto a capital is rare; a body sentence after it is not.
            if current and (_starts_paragraph(current[-1], line, short) or (subject and line[0].isupper())):
                flush()
            if not current:
                first_page = number
            current.append(line)
    flush()
    result = []
    offset = 0
    for text, page in paragraphs:
        result.append(Paragraph(text, offset, offset + len(text), page))
        offset += len(text) + 1
    return result


def join_paragraphs(paragraphs: list[Paragraph]) -> str:
    """The cleaned document text: paragraphs separated by newlines."""
    return "\n".join(p.text for p in paragraphs)


def is_type_line(text: str) -> bool:
    """Whether a paragraph is a document's type line ("QUYẾT ĐỊNH", "KẾ HOẠCH")."""
    from assistant.ingest.header import type_key  # the header module reads paragraphs made here

    return bool(type_key(text))


def _tidy(line: str) -> str:
    if line.strip() == HARD_BREAK:
        return HARD_BREAK
    line = line.translate(_INVISIBLE).replace("\u00a0", " ")
    line = re.sub(r"\s+", " ", line).strip()
    return line


def _shape(line: str) -> str:
    return re.sub(r"\d+", "#", line.lower())


def _running_lines(page_lines: list[list[str]]) -> set[str]:
    """Lines repeated at the top or bottom of most pages: running headers and footers."""
    if len(page_lines) < 3:
        return set()
    counts: Counter[str] = Counter()
    for lines in page_lines:
        content = [line for line in lines if line and line != HARD_BREAK]
        edges = set(map(_shape, content[:2] + content[-2:]))
        counts.update(edges)
    threshold = max(3, len(page_lines) // 2 + 1)
    return {shape for shape, n in counts.items() if n >= threshold and len(shape) > 3}


def _is_upper(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters)


def _starts_paragraph(previous: str, line: str, short: float) -> bool:
    """Whether ``line`` opens a new paragraph rather than continuing the one ending in ``previous``.

    ``short`` is the length under which a wrapped line must have ended early: a heading.
    """
    if STRUCTURAL_START.match(line):
        return True
    if _is_upper(previous) or _is_upper(line):
        return True
    first = line[0]
    opens = first.isupper() or first in '“"(«'
    if not opens:
        return False
    if _TERMINAL.search(previous):
        return True
    last_word = previous.rsplit(" ", 1)[-1].lower()
    return len(previous) < short and last_word not in _FUNCTION_WORDS
