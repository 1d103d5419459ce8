"""A draft as Markdown or as a Word document (headings, tables, numbered notes)."""

from __future__ import annotations

from pathlib import Path

from assistant.draft.compose import Draft, wording


def to_markdown(draft: Draft) -> str:
    """The draft in Markdown: sections, tables and a numbered list of notes with each quote."""
    words = wording()
    sections, columns = words["sections"], words["columns"]
    if not draft.found:
        return f"# {draft.title}\n\n{words['empty'].format(topic=draft.topic)}\n"
    lines = [f"# {draft.title}", "", draft.intro, "", f"## {sections['points']}", ""]
    lines += [f"- {p.text} [{p.n}]" for p in draft.points]
    if draft.figures:
        lines += ["", f"## {sections['figures']}", "", _md_row(columns["figures"]), _md_row(["---"] * 4)]
        lines += [_md_row([f["indicator"], f["value"], f["deadline"], f"[{f['n']}]"]) for f in draft.figures]
    if draft.roles:
        lines += ["", f"## {sections['roles']}", "", _md_row(columns["roles"]), _md_row(["---"] * 4)]
        lines += [_md_row([r["agency"], r["role"], r["task"], f"[{r['n']}]"]) for r in draft.roles]
    if draft.faq:
        lines += ["", f"## {sections['faq']}", ""]
        for item in draft.faq:
            lines += [f"**Hỏi:** {item['question']}", "", f"**Đáp:** {item['answer']}", ""]
    lines += ["", f"## {sections['sources']}", ""]
    lines += [f"- {label}" for label in _source_list(draft)]
    lines += ["", f"## {sections['notes']}", ""]
    lines += [f"{s.n}. {s.doc_title}, {s.label}: “{s.quote}”" for s in draft.sources]
    return "\n".join(lines) + "\n"


def to_docx(draft: Draft, path: Path) -> Path:
    """Write the draft as a .docx with real headings, tables and a notes list."""
    from docx import Document
    from docx.shared import Pt

    words = wording()
    sections, columns = words["sections"], words["columns"]
    doc = Document()
    doc.styles["Normal"].font.name = "Times New Roman"
    doc.styles["Normal"].font.size = Pt(13)
    doc.add_heading(draft.title, level=0)
    if not draft.found:
        doc.add_paragraph(words["empty"].format(topic=draft.topic))
        doc.save(path)
        return path
    doc.add_paragraph(draft.intro)
    doc.add_heading(sections["points"], level=1)
    for point in draft.points:
        paragraph = doc.add_paragraph(point.text, style="List Bullet")
        _note_mark(paragraph, point.n)
    if draft.figures:
        doc.add_heading(sections["figures"], level=1)
        _table(doc, columns["figures"], [[f["indicator"], f["value"], f["deadline"], f"[{f['n']}]"]
                                         for f in draft.figures])
    if draft.roles:
        doc.add_heading(sections["roles"], level=1)
        _table(doc, columns["roles"], [[r["agency"], r["role"], r["task"], f"[{r['n']}]"] for r in draft.roles])
    if draft.faq:
        doc.add_heading(sections["faq"], level=1)
        for item in draft.faq:
            question = doc.add_paragraph()
            question.add_run("Hỏi: ").bold = True
            question.add_run(item["question"]).bold = True
            answer = doc.add_paragraph()
            answer.add_run("Đáp: ").italic = True
            answer.add_run(item["answer"])
    doc.add_heading(sections["sources"], level=1)
    for label in _source_list(draft):
        doc.add_paragraph(label, style="List Bullet")
    doc.add_heading(sections["notes"], level=1)
    for source in draft.sources:
        note = doc.add_paragraph(style="List Number")
        note.add_run(f"{source.doc_title}, {source.label}: ").bold = True
        note.add_run(f"“{source.quote}”")
    doc.save(path)
    return path


def _md_row(cells: list[str]) -> str:
    return "| " + " | ".join(str(c).replace("|", "\\|").replace("\n", " ") for c in cells) + " |"


def _source_list(draft: Draft) -> list[str]:
    """Each cited clause once, in order of first citation."""
    seen = {}
    for source in draft.sources:
        seen.setdefault((source.doc_title, source.label), None)
    return [f"{title}, {label}" for title, label in seen]


def _note_mark(paragraph, n: int) -> None:
    run = paragraph.add_run(f"[{n}]")
    run.font.superscript = True


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
