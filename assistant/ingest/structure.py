"""Parse cleaned paragraphs into a tree of clauses with citable ids.

Resolution style: Roman parts and Arabic numbers give ids such as ``I.3`` or ``II.2.1``;
text before the first part is ``mo-dau`` and the recipients' list is ``noi-nhan``.
Legal style (Chương, Mục, Điều, khoản ``1.``, điểm ``a)``) gives ids such as
``Điều 5 khoản 2 điểm a``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.ingest.clean import Paragraph

_ROMAN = re.compile(r"^([IVXLC]+)\.\s+(.*)$")
_NUMBERED = re.compile(r"^(\d+(?:\.\d+)*)\.\s+(.*)$")
_POINT = re.compile(r"^([a-zđ])\)\s+(.*)$")
_ARTICLE = re.compile(r"^(?:Điều|ĐIỀU)\s+(\d+[a-zđ]?)\s*[.:]?\s*(.*)$")
_CONTAINER = re.compile(r"^(Phần|PHẦN|Chương|CHƯƠNG|Mục|MỤC)\s+([\wĐđ]+)\s*[.:]?\s*(.*)$")
_RECIPIENTS = re.compile(r"^Nơi nhận\s*:?", re.IGNORECASE)
_NUMBERING = re.compile(r"^[\dIVXLC]+(\.\d+)*\.?\s*")
_TERMINAL = re.compile(r"[.!?;:][\"”’)\]]*$")

MO_DAU = "mo-dau"
NOI_NHAN = "noi-nhan"


@dataclass
class Clause:
    """A citable unit of a document and the paragraphs that belong to it."""

    id: str
    heading: str
    path: list[str]
    level: int
    parent: str | None
    paragraphs: list[int] = field(default_factory=list)
    heading_only: set[int] = field(default_factory=set)

    @property
    def label(self) -> str:
        """How the clause is cited to a reader: "Mục I.3", "Điều 5 khoản 2", "Phần mở đầu"."""
        return clause_label(self.id)


def clause_label(clause_id: str) -> str:
    """Human citation label of a clause id ("" for none: a header line, a signature block)."""
    if not clause_id:
        return ""
    if clause_id == MO_DAU:
        return "Phần mở đầu"
    if clause_id == NOI_NHAN:
        return "Nơi nhận"
    if clause_id.startswith(("Điều", "Chương", "Phần", "Mục")):
        return clause_id
    return f"Mục {clause_id}"


def heading_title(heading: str) -> str:
    """A heading without its numbering: "3. Các chỉ tiêu cơ bản" → "Các chỉ tiêu cơ bản"."""
    return _NUMBERING.sub("", heading)


def is_heading_text(text: str) -> bool:
    """A numbered paragraph that is only a title (short, no closing punctuation)."""
    return len(text) < 300 and not _TERMINAL.search(text)


def _short_heading(number: str, rest: str) -> str:
    if is_heading_text(rest):
        return f"{number} {rest}".strip()
    first = re.split(r"[,;:.]", rest, maxsplit=1)[0]
    words = first.split()
    title = " ".join(words[:12]) + ("…" if len(words) > 12 else "")
    return f"{number} {title}".strip()


def parse_structure(paragraphs: list[Paragraph]) -> list[Clause]:
    """Clauses in document order; every paragraph belongs to exactly one clause."""
    legal = any(_ARTICLE.match(p.text) for p in paragraphs)
    clauses: dict[str, Clause] = {}
    order: list[str] = []
    stack: list[Clause] = []  # open clauses, outermost first

    def open_clause(cid: str, heading: str, level: int) -> Clause:
        while stack and (stack[-1].level >= level or stack[-1].id == MO_DAU):
            stack.pop()
        parent = stack[-1] if stack else None
        path = (parent.path if parent else []) + [heading]
        cid = _unique(cid, clauses)
        clause = Clause(cid, heading, path, level, parent.id if parent else None)
        clauses[cid] = clause
        order.append(cid)
        stack.append(clause)
        return clause

    current = open_clause(MO_DAU, "Phần mở đầu", 0)
    in_recipients = False
    part = ""
    article = ""
    for index, para in enumerate(paragraphs):
        text = para.text
        heading_para = False
        if in_recipients:
            pass
        elif _RECIPIENTS.match(text):
            stack.clear()
            current = open_clause(NOI_NHAN, "Nơi nhận", 0)
            in_recipients = True
        elif legal:
            current, heading_para, article = _legal_step(text, current, article, open_clause)
        elif m := _ROMAN.match(text):
            part = m.group(1)
            current = open_clause(part, text, 1)
            heading_para = True
        elif m := _NUMBERED.match(text):
            number, rest = m.groups()
            cid = f"{part}.{number}" if part else number
            current = open_clause(cid, _short_heading(f"{number}.", rest), 1 + number.count(".") + 1)
            heading_para = is_heading_text(rest)
        current.paragraphs.append(index)
        if heading_para:
            current.heading_only.add(index)
    return [clauses[cid] for cid in order]


def _legal_step(text, current, article, open_clause):
    """One paragraph of a legal-style document: returns (clause, heading_only, article id)."""
    if m := _CONTAINER.match(text):
        kind, number, rest = m.groups()
        level = {"phần": 1, "chương": 2, "mục": 3}[kind.lower()]
        title = f"{kind.capitalize()} {number}"
        return open_clause(title, f"{title}. {rest}".strip(". "), level), True, ""
    if m := _ARTICLE.match(text):
        number, rest = m.groups()
        article = f"Điều {number}"
        return open_clause(article, f"{article}. {rest}".strip(". "), 4), is_heading_text(rest), article
    if article and (m := _NUMBERED.match(text)) and "." not in m.group(1):
        cid = f"{article} khoản {m.group(1)}"
        return open_clause(cid, _short_heading(f"Khoản {m.group(1)}.", m.group(2)), 5), False, article
    if article and (m := _POINT.match(text)):
        base = current.id if " khoản " in current.id else article
        base = base.split(" điểm ")[0]
        cid = f"{base} điểm {m.group(1)}"
        return open_clause(cid, _short_heading(f"Điểm {m.group(1)})", m.group(2)), 6), False, article
    return current, False, article


def _unique(cid: str, existing: dict) -> str:
    if cid not in existing:
        return cid
    n = 2
    while f"{cid}#{n}" in existing:
        n += 1
    return f"{cid}#{n}"
