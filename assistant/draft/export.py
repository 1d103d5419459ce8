"""A draft as Markdown or as a Word document (headings, tables, numbered notes)."""

from __future__ import annotations

import re
from pathlib import Path

from assistant.draft import sections
from assistant.draft.compose import Draft
from assistant.safe_text import unescape_markdown


def to_markdown(draft: Draft) -> str:
    """The draft in Markdown: sections, tables and a numbered list of notes with each quote."""
    return sections.to_markdown(sections.from_draft(draft))


def to_docx(draft: Draft, path: Path) -> Path:
    """Write the draft as a .docx (headings, tables, numbered notes)."""
    return markdown_to_docx(to_markdown(draft), path)


def markdown_to_docx(text: str, path: Path) -> Path:
    """A .docx from the Markdown of a draft, edits included: "#"/"##" headings, "-" bullets,
    "1." notes, "|" tables, **bold**, and [n] citation marks set as superscript."""
    from docx import Document
    from docx.shared import Pt

    doc = Document()
    _a4_page(doc)
    doc.styles["Normal"].font.name = "Times New Roman"
    doc.styles["Normal"].font.size = Pt(13)
    table_rows: list[list[str]] = []
    for line in text.splitlines() + [""]:
        stripped = line.strip()
        if stripped.startswith("|"):
            cells = [unescape_markdown(c.strip()) for c in re.split(r"(?<!\\)\|", stripped.strip("|"))]
            if not all(set(c) <= set("-: ") for c in cells):
                table_rows.append(cells)
            continue
        if table_rows:
            _table(doc, table_rows[0], table_rows[1:])
            table_rows = []
        if not stripped:
            continue
        if stripped.startswith("# "):
            doc.add_heading(unescape_markdown(stripped[2:]), level=0)
        elif stripped.startswith("## "):
            doc.add_heading(unescape_markdown(stripped[3:]), level=1)
        elif stripped.startswith("### "):
            doc.add_heading(unescape_markdown(stripped[4:]), level=2)
        elif stripped.startswith(("- ", "* ")):
            _runs(doc.add_paragraph(style="List Bullet"), stripped[2:])
        elif re.match(r"^\d+\.\s", stripped):
            _runs(doc.add_paragraph(style="List Number"), re.sub(r"^\d+\.\s", "", stripped))
        else:
            _runs(doc.add_paragraph(), stripped)
    doc.save(path)
    return path


# A4 with the margins of Vietnamese administrative documents (Nghị định 30/2020/NĐ-CP: top and
# bottom 20–25 mm, left 30–35 mm, right 15–20 mm).
PAGE_MM = {"width": 210, "height": 297, "top": 20, "bottom": 20, "left": 30, "right": 15}


def _a4_page(doc) -> None:
    from docx.shared import Mm

    for section in doc.sections:
        section.page_width, section.page_height = Mm(PAGE_MM["width"]), Mm(PAGE_MM["height"])
        section.top_margin, section.bottom_margin = Mm(PAGE_MM["top"]), Mm(PAGE_MM["bottom"])
        section.left_margin, section.right_margin = Mm(PAGE_MM["left"]), Mm(PAGE_MM["right"])


def _runs(paragraph, text: str) -> None:
    """**bold** as bold runs and [n] as superscript citation marks; the escaped text as it was written
    (an escaped ``\\*`` or ``\\[`` is never one of these marks)."""
    for piece in re.split(r"(\*\*[^*]+\*\*|(?<!\\)\[\d+\])", text):
        if not piece:
            continue
        if piece.startswith("**") and piece.endswith("**"):
            paragraph.add_run(unescape_markdown(piece[2:-2])).bold = True
        elif re.fullmatch(r"\[\d+\]", piece):
            paragraph.add_run(piece).font.superscript = True
        else:
            paragraph.add_run(unescape_markdown(piece))


def _table(doc, header: list[str], rows: list[list[str]]) -> None:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row):
            cell.text = str(text)
