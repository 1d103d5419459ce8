"""Turn the service's results into safe Markdown/HTML for the web app (presentation only).

User text and document text are always escaped: a question or a document cannot inject
HTML or script into the page.
"""

from __future__ import annotations

import html
import json
from functools import lru_cache

from assistant.criteria.evaluate import STATUS_LABELS
from assistant.criteria.result import CriteriaResult, with_data
from assistant.data import load_yaml
from assistant.ingest.structure import is_heading_text
from assistant.safe_text import markdown_text

STATUS_COLOURS = {"dat": "#1b7f3b", "chua_dat": "#b3261e", "thieu_so_lieu": "#6b6b6b", "khong_hop_le": "#9a6700"}


@lru_cache(maxsize=1)
def strings() -> dict:
    return load_yaml("ui.yaml")


def failed(message: str) -> str:
    """A refusal or an error as the page shows it, marked with a symbol the bundled fonts have."""
    return strings()["failed"].format(message=message)


def md_escape(text: str) -> str:
    """Text shown inside Markdown without being read as Markdown or HTML."""
    return markdown_text(text)


def answer_markdown(answer) -> str:
    """The chat message for an answer: quotes with [n], the sources, and a fact table when there is one."""
    s = strings()["chat"]
    if answer.status == "not_found" or not answer.citations:
        return s["not_found"] if _plainly_not_found(answer) else md_escape(answer.answer)
    if answer.parts or answer.notes:
        # Several parts, or figures compared: the answer's own wording keeps each quote with its part.
        parts = [md_escape(answer.answer)]
    else:
        parts = [_lead(answer)] if answer.lead else []
        parts.append(_quotes(answer))
    if answer.table:
        who = "agency" in answer.table[0]
        header = s["table_who"] if who else s["table_figures"]
        rows = [
            [r["agency"], r["role"], r["task"]] if who else [r["indicator"], r["value"], r["deadline"]]
            for r in answer.table
        ]
        parts.append(_table(header, [row + [f"[{r['n']}]"] for row, r in zip(rows, answer.table)]))
    parts.append("\n".join(f"[{c.n}] {md_escape(c.doc_title)} — **{md_escape(c.label)}**" for c in answer.citations))
    return "\n\n".join(parts)


def _lead(answer) -> str:
    """What the answer says before its quotes: marked as a note when the quotes only relate."""
    return f"*{md_escape(answer.lead)}*" if answer.status == "related" else md_escape(answer.lead)


def _quotes(answer) -> str:
    lines = []
    for c in answer.citations:
        lines.append(f"> “{md_escape(c.quote)}” **[{c.n}]**")
    return "\n>\n".join(lines)


def _table(header: list[str], rows: list[list[str]]) -> str:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(md_escape(c) for c in row) + " |" for row in rows]
    return "\n".join(out)


def _plainly_not_found(answer) -> bool:
    """A Vietnamese answer that only says nothing was found (the chat then suggests asking otherwise);
    one that says what is missing ("… không ghi ngày ban hành") is shown as it is."""
    from assistant.answer.model import texts

    return answer.language == "vi" and answer.answer.strip() in ("", texts()["vi"]["not_found"])


def answer_text(answer) -> str:
    """The answer as plain text for copying, as ``answer_markdown`` shows it: the lead, the quotes
    (each part's under its "Về «…»:" when there are several), then the sources with their clauses."""
    s = strings()["chat"]
    if answer.status == "not_found" or not answer.citations:
        return plain(s["not_found"]) if _plainly_not_found(answer) else answer.answer
    if answer.parts or answer.notes:
        lines = [answer.answer]
    else:
        lines = [answer.lead] if answer.lead else []
        lines += [f"“{c.quote}” [{c.n}]" for c in answer.citations]
    for r in answer.table or []:
        cells = [r["agency"], r["role"], r["task"]] if "agency" in r else [r["indicator"], r["value"], r["deadline"]]
        lines.append(" – ".join(str(c) for c in cells if c) + f" [{r['n']}]")
    lines += ["", s["sources_heading"]]
    previous = None
    for c in answer.citations:  # the document's title once while it stays the same
        lines.append(f"[{c.n}] {c.label}" + ("" if c.doc_title == previous else f" — {c.doc_title}"))
        previous = c.doc_title
    return "\n".join(lines)


def criteria_text(result: CriteriaResult) -> str:
    """Figures checked against the criteria, as plain text with the clause each rule comes from."""
    lines = [strings()["chat"]["criteria_intro"]]
    for r in result.results:
        source = f" (Mục {r.source.clause})" if r.source.clause else ""
        lines.append(f"- {r.name}: {r.value_text} / yêu cầu {r.rule} → {STATUS_LABELS[r.status]}. {r.message}{source}")
    return "\n".join(lines)


def plain(markdown: str) -> str:
    """Markdown emphasis and escapes taken out, for text copied to the clipboard."""
    text = markdown.replace("**", "")
    for ch in "\\`*_{}[]#|":
        text = text.replace("\\" + ch, ch)
    return html.unescape(text)


def shorten(text: str, limit: int) -> str:
    """At most ``limit`` characters, cut between words, with "…" when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def display_title(document) -> str:
    """A document's title: from its metadata, else its first heading-like line, never a cut paragraph."""
    meta = document.meta or {}
    if meta.get("title"):
        return str(meta["title"])
    first = next((p.text for p in document.paragraphs if p.text.strip()), "")
    if first and is_heading_text(first):
        return shorten(first, 160)
    return shorten(document.title, 160)


def citation_choices(citations, turn: int = 0) -> list[tuple[str, str]]:
    """(label shown, value) for each citation of an answer, for the clickable sources list; ``turn``
    (the answer's number in the conversation) keeps the sources of earlier answers apart."""
    prefix = f"Câu {turn} · " if turn else ""
    return [(f"{prefix}[{c.n}] {c.label} — {shorten(c.quote, 70)}", f"{turn}:{c.n}") for c in citations]


def passage_html(document_title: str, label: str, clause_text: str, quote: str) -> str:
    """The cited clause with the quoted span highlighted (everything escaped)."""
    body = html.escape(clause_text)
    marked = html.escape(quote)
    if marked and marked in body:
        body = body.replace(marked, f"<mark class='ntm-quote'>{marked}</mark>", 1)
    body = body.replace("\n", "<br>")
    return (
        f"<div class='ntm-passage'><div class='ntm-passage-title'>{html.escape(document_title)}</div>"
        f"<div class='ntm-passage-label'>{html.escape(label)}</div><p>{body}</p></div>"
    )


def criteria_markdown(result: CriteriaResult) -> str:
    """A chat message for figures checked against the criteria."""
    s = strings()["chat"]
    rows = []
    for r in result.results:
        rows.append(
            [
                r.name,
                r.value_text,
                r.rule,
                _status_word(r.status),
                r.message,
                f"Mục {r.source.clause}" if r.source.clause else "",
            ]
        )
    quotes = [
        f"> “{md_escape(r.source.quote)}” — Mục {md_escape(str(r.source.clause))}"
        for r in result.results
        if r.source.quote
    ]
    return "\n\n".join([s["criteria_intro"], _table(s["criteria_columns"], rows), "\n".join(quotes)])


def _status_word(status: str) -> str:
    return f"{_STATUS_MARKS[status]} {STATUS_LABELS[status]}"


def criteria_html(results: list[CriteriaResult]) -> str:
    """The coloured status table of the criteria tab: one block per unit, or, for several units, a
    unit × criterion status matrix followed by each unit's details (folded)."""
    s = strings()
    blocks = [legend_html()]
    if len(results) > 1:
        blocks.append(matrix_html(results))
    for result in results:
        rows = []
        for r in result.results:
            colour = STATUS_COLOURS[r.status]
            source = html.escape(f"Mục {r.source.clause}") if r.source.clause else ""
            quote = html.escape(r.source.quote or "")
            label = [html.escape(c) for c in s["chat"]["criteria_columns"]]
            rows.append(
                f"<tr data-key='{html.escape(r.key)}'><td>{html.escape(r.name)}</td>"
                f"<td data-label='{label[1]}'>{html.escape(r.value_text)}</td>"
                f"<td data-label='{label[2]}'>{html.escape(r.rule)}</td>"
                f"<td data-label='{label[3]}' style='color:{colour};font-weight:700'>"
                f"{html.escape(STATUS_LABELS[r.status])}</td>"
                f"<td data-label='{label[4]}'>{html.escape(r.message)}</td>"
                f"<td data-label='{label[5]}' title='{quote}'>{source}</td></tr>"
            )
        header = "".join(f"<th>{html.escape(h)}</th>" for h in s["chat"]["criteria_columns"])
        title = html.escape(" ".join(x for x in (result.unit, result.period) if x))
        summary = html.escape(s["criteria"]["summary"].format(**result.summary))
        table = (
            f"<div class='ntm-scroll ntm-cards'><table><thead><tr>{header}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table></div>"
        )
        if len(results) > 1:
            blocks.append(
                f"<details class='ntm-criteria'><summary><b>{title}</b> · {summary}</summary>{table}</details>"
            )
        else:
            blocks.append(
                f"<div class='ntm-criteria'><h3>{title}</h3><p class='ntm-summary'>{summary}</p>{table}</div>"
            )
    return "".join(blocks)


def library_html(rows: list[list]) -> str:
    """The documents as a table; on a phone each document becomes a card of labelled lines."""
    columns = strings()["library"]["columns"]
    header = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    body = "".join(
        "<tr>"
        + "".join(f"<td data-label='{html.escape(c)}'>{html.escape(str(v))}</td>" for c, v in zip(columns, row))
        + "</tr>"
        for row in rows
    )
    return (
        f"<div class='ntm-scroll ntm-cards ntm-library-table'><table><thead><tr>{header}</tr></thead>"
        f"<tbody>{body}</tbody></table></div>"
    )


def legend_html() -> str:
    """What each status colour means."""
    items = "".join(
        f"<span class='ntm-legend-item'><span class='ntm-dot' style='background:{STATUS_COLOURS[k]}'>"
        f"</span>{html.escape(label)}</span>"
        for k, label in STATUS_LABELS.items()
    )
    return f"<div class='ntm-legend'>{items}</div>"


def matrix_html(results: list[CriteriaResult]) -> str:
    """Units as rows, criteria as columns, each cell coloured by status (the overview for many units)."""
    shown = with_data(results)  # criteria no unit has a figure for are folded away, and named below
    names = [results[0].results[i].name for i in shown]
    header = "<th>Đơn vị</th>" + "".join(f"<th title='{html.escape(n)}'>{i}</th>" for i, n in enumerate(names, 1))
    rows = []
    for result in results:
        cells = "".join(
            f"<td class='ntm-cell' data-status='{r.status}' style='background:{STATUS_COLOURS[r.status]}' "
            f"title='{html.escape(r.name)}: {html.escape(r.value_text or '—')} ({STATUS_LABELS[r.status]})'>"
            f"{_STATUS_MARKS[r.status]}</td>"
            for r in (result.results[i] for i in shown)
        )
        rows.append(f"<tr><th>{html.escape(result.unit or 'Đơn vị')}</th>{cells}</tr>")
    key = "".join(f"<li>{i}. {html.escape(n)}</li>" for i, n in enumerate(names, 1))
    folded = [r.name for i, r in enumerate(results[0].results) if i not in frozenset(shown)]
    hidden = (
        f"<p class='ntm-hidden'>{html.escape(strings()['criteria']['matrix_hidden'].format(n=len(folded)))}: "
        f"{html.escape('; '.join(folded))}</p>"
        if folded
        else ""
    )
    return (
        f"<div class='ntm-matrix'>{hidden}<div class='ntm-scroll'><table><thead><tr>{header}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></div>"
        f"<details><summary>{html.escape(strings()['criteria']['matrix_key'])}</summary><ol class='ntm-key'>"
        f"{key}</ol></details></div>"
    )


_STATUS_MARKS = {"dat": "✓", "chua_dat": "✗", "thieu_so_lieu": "…", "khong_hop_le": "!"}


def head() -> str:
    """Script for the page's <head>: Gradio's own English words shown in Vietnamese (Gradio has no
    Vietnamese locale) and its symbols the bundled fonts lack replaced, and the clicked quote scrolled
    into view."""
    words = json.dumps(strings()["gradio_words"], ensure_ascii=False)
    symbols = json.dumps(strings()["gradio_symbols"], ensure_ascii=False)
    return f"<script>window.NTM_WORDS = {words}; window.NTM_SYMBOLS = {symbols};</script><script>{_HEAD_JS}</script>"


_HEAD_JS = """
window.ntmCopy = async (text) => {
  try { await navigator.clipboard.writeText(text); return; } catch (e) { /* older browsers: below */ }
  const area = document.createElement("textarea");
  area.value = text; area.style.position = "fixed"; area.style.left = "-9999px";
  document.body.appendChild(area); area.select(); document.execCommand("copy"); area.remove();
};
(() => {
  const words = window.NTM_WORDS || {};
  const symbols = Object.entries(window.NTM_SYMBOLS || {});
  const attrs = ["aria-label", "title", "placeholder"];
  const swap = (text) => {
    const key = text.trim();
    if (!key) return null;
    if (key in words) return text.replace(key, words[key]);
    const m = key.match(/^(.*?)(\\d+)(.*)$/);
    if (m && (m[1] + "{n}" + m[3]) in words) return text.replace(key, words[m[1] + "{n}" + m[3]].replace("{n}", m[2]));
    return null;
  };
  const visit = (node) => {
    if (node.nodeType === 3) {
      let t = swap(node.nodeValue) ?? node.nodeValue;
      for (const [from, to] of symbols) if (t.includes(from)) t = t.split(from).join(to);
      if (t !== node.nodeValue) node.nodeValue = t;
      return;
    }
    if (node.nodeType !== 1) return;
    for (const a of attrs) {
      const v = node.getAttribute(a);
      if (v) { const t = swap(v); if (t !== null && t !== v) node.setAttribute(a, t); }
    }
    for (const child of node.childNodes) visit(child);
  };
  const start = () => {
    visit(document.body);
    new MutationObserver((changes) => {
      for (const c of changes) {
        if (c.type === "characterData") visit(c.target);
        else if (c.type === "attributes") visit(c.target);
        else c.addedNodes.forEach(visit);
      }
    }).observe(document.body, {subtree: true, childList: true, characterData: true, attributes: true,
                               attributeFilter: attrs});
  };
  if (document.body) start(); else document.addEventListener("DOMContentLoaded", start);
})();
"""


CSS = """
.ntm-passage { font-size: 0.95rem; line-height: 1.5; max-height: 60vh; overflow-y: auto; }
.ntm-passage-title { font-weight: 700; }
.ntm-passage-label { color: #555; margin-bottom: 0.4rem; }
mark.ntm-quote { background: #fff1a8; padding: 0 2px; scroll-margin: 40px; }
/* Tables wrap between words and scroll sideways on narrow screens, never one letter per line. */
.ntm-scroll { overflow-x: auto; max-width: 100%; }
.ntm-criteria table, .ntm-matrix table { border-collapse: collapse; width: 100%; }
.ntm-criteria table { min-width: 720px; }
.ntm-criteria td, .ntm-criteria th, .ntm-matrix td, .ntm-matrix th { border: 1px solid #ddd; padding: 4px 6px;
  vertical-align: top; word-break: normal; overflow-wrap: normal; hyphens: none; }
.ntm-criteria td:first-child { min-width: 12em; }
.ntm-criteria td:nth-child(5) { min-width: 14em; }
.ntm-criteria td:nth-child(4), .ntm-criteria td:last-child { white-space: nowrap; }
.ntm-summary { font-weight: 700; }
.ntm-legend { display: flex; flex-wrap: wrap; gap: 0.4rem 1rem; margin: 0.3rem 0 0.6rem; }
.ntm-legend-item { display: inline-flex; align-items: center; gap: 0.3rem; }
.ntm-dot { display: inline-block; width: 0.9em; height: 0.9em; border-radius: 2px; }
.ntm-matrix td.ntm-cell { color: #fff; text-align: center; font-weight: 700; min-width: 1.8em; }
.ntm-matrix th { white-space: nowrap; text-align: left; }
#ntm-chat table, #ntm-draft-preview table { display: block; overflow-x: auto; max-width: 100%; }
#ntm-chat td, #ntm-chat th, #ntm-draft-preview td, #ntm-draft-preview th { word-break: normal !important;
  overflow-wrap: normal !important; }
#ntm-chat td, #ntm-draft-preview td { min-width: 7em; }
/* The draft's item buttons (↑ ↓ ×) sit at the end of their item, as wide as their words. */
.ntm-draft-tools { justify-content: flex-end; gap: 6px !important; padding: 4px 8px !important; flex-wrap: wrap;
  min-height: 0 !important; }
.ntm-draft-tools button { flex: 0 0 auto !important; width: auto !important; min-width: 0 !important;
  white-space: nowrap; border: 1px solid var(--border-color-primary) !important; border-radius: 6px !important; }
.ntm-draft-item { margin-bottom: 0.6rem; }
.ntm-draft-item .info-text { color: #3d5a80; }
#ntm-outline { max-height: 70vh; overflow-y: auto; }
/* One clause per row: "IV" and "IV.1", or "IV.5" and "Nơi nhận", never side by side. */
#ntm-outline label { flex: 1 1 100%; }
/* The sources of a long conversation scroll in their own box: the passage panel stays in view. */
#ntm-citations .wrap { max-height: 32vh; overflow-y: auto; }
.ntm-cards table { border-collapse: collapse; width: 100%; }
.ntm-cards td, .ntm-cards th { border-bottom: 1px solid #ddd; padding: 4px 6px; text-align: left; vertical-align: top;
  word-break: normal; overflow-wrap: normal; }
.ntm-cards td:first-child { font-weight: 700; min-width: 16em; }
/* the library's type, number and date stay on one line ("45/TB-UBND" is not cut at its hyphen) */
.ntm-library-table td:nth-child(n+3):nth-child(-n+5) { white-space: nowrap; }
@media (min-width: 641px) {  /* light rules between rows, like the other tables, not a dark grid */
  .ntm-cards table { border: none !important; }
  .ntm-cards td, .ntm-cards th { border: none !important; border-bottom: 1px solid #ddd !important; }
}
@media (max-width: 640px) {
  #ntm-draft-preview td, #ntm-draft-preview th { min-width: 0 !important; padding: 2px 4px; }
  .ntm-criteria table { min-width: 0; }
  .ntm-criteria td:empty { display: none; }
  #ntm-chat table, #ntm-chat tbody, #ntm-chat tr, #ntm-chat td { display: block; width: auto; min-width: 0 !important; }
  #ntm-chat thead { display: none; }
  #ntm-chat tr { border: 1px solid #ddd; border-radius: 6px; margin-bottom: 0.5rem; padding: 2px 4px; }
  #ntm-chat td { border: none !important; padding: 1px 4px; }
  #ntm-chat td:first-child { font-weight: 700; }
  .ntm-cards thead { display: none; }
  .ntm-cards tr { display: block; border: 1px solid #ddd; border-radius: 6px; margin-bottom: 0.6rem; padding: 4px; }
  .ntm-cards td { display: block; border: none; min-width: 0 !important; padding: 1px 6px; line-height: 1.4; }
  .ntm-library-table td { white-space: normal !important; }
  .ntm-cards td:not(:first-child)::before { content: attr(data-label) ": "; color: #666; }
  .ntm-cards td:empty { display: none; }
}
"""
