"""Turn the service's results into safe Markdown/HTML for the web app (presentation only).

User text and document text are always escaped: a question or a document cannot inject
HTML or script into the page.
"""

from __future__ import annotations

import html
from functools import lru_cache

from assistant.criteria.evaluate import STATUS_LABELS
from assistant.data import load_yaml

STATUS_COLOURS = {"dat": "#1b7f3b", "chua_dat": "#b3261e", "thieu_so_lieu": "#6b6b6b", "khong_hop_le": "#9a6700"}


@lru_cache(maxsize=1)
def strings() -> dict:
    return load_yaml("ui.yaml")


def md_escape(text: str) -> str:
    """Text shown inside Markdown without being read as Markdown or HTML."""
    escaped = html.escape(str(text), quote=False)
    for ch in "\\`*_{}[]#|":
        escaped = escaped.replace(ch, "\\" + ch)
    return escaped


def answer_markdown(answer) -> str:
    """The chat message for an answer: quotes with [n], the sources, and a fact table when there is one."""
    s = strings()["chat"]
    if answer.status == "not_found" or not answer.citations:
        return s["not_found"] if answer.language == "vi" else md_escape(answer.answer)
    if answer.parts or answer.notes:
        # Several parts, or figures compared: the answer's own wording keeps each quote with its part.
        parts = [md_escape(answer.answer)]
    else:
        parts = [f"ℹ️ *{md_escape(answer.lead)}*"] if answer.status == "related" else []
        parts.append(_quotes(answer))
    if answer.table:
        who = "agency" in answer.table[0]
        header = s["table_who"] if who else s["table_figures"]
        rows = [[r["agency"], r["role"], r["task"]] if who else [r["indicator"], r["value"], r["deadline"]]
                for r in answer.table]
        parts.append(_table(header, [row + [f"[{r['n']}]"] for row, r in zip(rows, answer.table)]))
    parts.append("\n".join(f"[{c.n}] {md_escape(c.doc_title)} — **{md_escape(c.label)}**" for c in answer.citations))
    return "\n\n".join(parts)


def _quotes(answer) -> str:
    lines = []
    for c in answer.citations:
        lines.append(f"> “{md_escape(c.quote)}” **[{c.n}]**")
    return "\n>\n".join(lines)


def _table(header: list[str], rows: list[list[str]]) -> str:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(md_escape(c) for c in row) + " |" for row in rows]
    return "\n".join(out)


def citation_choices(citations) -> list[tuple[str, str]]:
    """(label shown, value) for each citation of an answer, for the clickable sources list."""
    return [(f"[{c.n}] {c.label} — {c.quote[:70]}{'…' if len(c.quote) > 70 else ''}", str(c.n))
            for c in citations]


def passage_html(document_title: str, label: str, clause_text: str, quote: str) -> str:
    """The cited clause with the quoted span highlighted (everything escaped)."""
    body = html.escape(clause_text)
    marked = html.escape(quote)
    if marked and marked in body:
        body = body.replace(marked, f"<mark class='ntm-quote'>{marked}</mark>", 1)
    body = body.replace("\n", "<br>")
    return (f"<div class='ntm-passage'><div class='ntm-passage-title'>{html.escape(document_title)}</div>"
            f"<div class='ntm-passage-label'>{html.escape(label)}</div><p>{body}</p></div>")


def criteria_markdown(result: dict) -> str:
    """A chat message for figures checked against the criteria."""
    s = strings()["chat"]
    rows = []
    for r in result["results"]:
        rows.append([r["name"], r["value_text"], r["rule"], _status_word(r["status"]), r["message"],
                     f"Mục {r['source']['clause']}" if r["source"].get("clause") else ""])
    quotes = [f"> “{md_escape(r['source']['quote'])}” — Mục {md_escape(r['source']['clause'])}"
              for r in result["results"] if r["source"].get("quote")]
    return "\n\n".join([s["criteria_intro"], _table(s["criteria_columns"], rows), "\n".join(quotes)])


def _status_word(status: str) -> str:
    icon = {"dat": "✅", "chua_dat": "❌", "thieu_so_lieu": "…", "khong_hop_le": "⚠️"}[status]
    return f"{icon} {STATUS_LABELS[status]}"


def criteria_html(results: list[dict]) -> str:
    """The coloured status table of the criteria tab (one block per unit)."""
    s = strings()
    blocks = []
    for result in results:
        rows = []
        for r in result["results"]:
            colour = STATUS_COLOURS[r["status"]]
            source = html.escape(f"Mục {r['source']['clause']}") if r["source"].get("clause") else ""
            quote = html.escape(r["source"].get("quote") or "")
            rows.append(
                f"<tr data-key='{html.escape(r['key'])}'><td>{html.escape(r['name'])}</td>"
                f"<td>{html.escape(r['value_text'])}</td><td>{html.escape(r['rule'])}</td>"
                f"<td style='color:{colour};font-weight:600'>{html.escape(STATUS_LABELS[r['status']])}</td>"
                f"<td>{html.escape(r['message'])}</td><td title='{quote}'>{source}</td></tr>")
        header = "".join(f"<th>{html.escape(h)}</th>" for h in s["chat"]["criteria_columns"])
        title = html.escape(" ".join(x for x in (result.get("unit"), result.get("period")) if x))
        summary = html.escape(s["criteria"]["summary"].format(**result["summary"]))
        blocks.append(f"<div class='ntm-criteria'><h3>{title}</h3><p class='ntm-summary'>{summary}</p>"
                      f"<table><thead><tr>{header}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>")
    return "".join(blocks)


CSS = """
.ntm-passage { font-size: 0.95rem; line-height: 1.5; }
.ntm-passage-title { font-weight: 600; }
.ntm-passage-label { color: #555; margin-bottom: 0.4rem; }
mark.ntm-quote { background: #fff1a8; padding: 0 2px; }
.ntm-criteria table { border-collapse: collapse; width: 100%; }
.ntm-criteria td, .ntm-criteria th { border: 1px solid #ddd; padding: 4px 6px; vertical-align: top; }
.ntm-summary { font-weight: 600; }
"""
