"""Text we did not write — documents, questions, unit names — made harmless where it is written out:
a spreadsheet cell, Markdown or HTML, a terminal. docs/security.md says what each rule guards against."""

from __future__ import annotations

import html
import re

# OWASP "CSV injection": a cell starting with one of these is read as a formula by Excel, LibreOffice
# and Google Sheets (``=HYPERLINK(...)``, ``@SUM(...)``, ``+cmd|' /C calc'!A0``).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A plain figure ("-1,5", "+2.000", "-3 %") is left as it is: a spreadsheet reads it as a number,
# never as a formula, and people expect negative gaps to stay negative numbers.
_NUMBER = re.compile(r"[+-]?\d[\d.,]*(?:\s?%)?")

_MARKDOWN_SPECIAL = "\\`*_{}[]#|"

# ESC sequences (CSI "ESC [ ... final", OSC "ESC ] ... BEL/ST", and two-byte ones), then every other
# C0 control but tab and newline, DEL and the C1 controls (U+0080–U+009F: U+009B is a one-character CSI).
_ESCAPE_SEQUENCE = re.compile(
    r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[PX^_][^\x1b]*(?:\x1b\\)?|[ -/]*[0-~])?"
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def csv_cell(value: object) -> object:
    """A CSV cell that a spreadsheet shows as text, never runs as a formula: text starting with
    ``= + - @``, tab or carriage return gets a leading ``'`` (numbers, and text that is only a
    figure, are left as they are)."""
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS) or _NUMBER.fullmatch(value):
        return value
    return "'" + value


def markdown_text(text: object) -> str:
    """Text shown inside Markdown as itself: HTML tags become visible text (``&lt;img&gt;``) and the
    characters Markdown reads (emphasis, links, tables, headings) are backslash-escaped."""
    escaped = html.escape(str(text), quote=False)
    for ch in _MARKDOWN_SPECIAL:
        escaped = escaped.replace(ch, "\\" + ch)
    return escaped


def unescape_markdown(text: str) -> str:
    """The text ``markdown_text`` escaped, as it was (for formats that are not Markdown: DOCX)."""
    return html.unescape(re.sub(r"\\([\\`*_{}\[\]#|])", r"\1", text))


def terminal(text: object) -> str:
    """Text safe to print on a terminal: escape sequences and control characters (but newline and
    tab) removed, so a document cannot move the cursor, recolour, retitle or clear the screen."""
    return _CONTROL.sub("", _ESCAPE_SEQUENCE.sub("", str(text)))


def terminal_markup(text: object) -> str:
    """``terminal`` text put inside Rich markup as itself: a ``[link=...]`` or ``[bold]`` in a document
    is printed, not obeyed."""
    from rich.markup import escape

    return escape(terminal(text))
