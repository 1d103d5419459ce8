"""Explainer drafts for propaganda staff: key points, figures, who does what, FAQ and sources.

Nothing is written that the documents do not say: points are verbatim sentences, figures and
roles come from the extracted facts (each with its sentence), and FAQ answers are a quoted clause
or a pointer to the table row that states the fact. Every statement carries a numbered citation,
and each fact is stated once (see ``gather``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import ClassVar

from assistant.answer.span import CitedSpan
from assistant.data import load_yaml
from assistant.draft.gather import gather_clauses, gather_topic, overlaps, part_of
from assistant.facts.text import capitalised, unbulleted
from assistant.ingest.structure import clause_label, heading_title
from assistant.retrieve.query import abbreviations
from assistant.vietnamese import fold

AUDIENCES = ("can-bo", "nhan-dan")
_CLAUSE_ID = re.compile(r"^(?:[IVXLC]+(?:\.\d+)*|mo-dau|noi-nhan|Điều \d+.*|(?:Chương|Phần|Mục) \S+)$")


@dataclass(kw_only=True)
class Source(CitedSpan):
    """A cited span: numbered once per draft."""

    n: int
    label: str  # the clause as shown ("Mục I.3")
    quote: str  # the span's text, verbatim

    json_fields: ClassVar[tuple[str, ...]] = (
        "n",
        "doc_id",
        "doc_title",
        "clause",
        "label",
        "quote",
        "start",
        "end",
    )  # the draft's source shape (``ntm draft --json``)


@dataclass
class Point:
    text: str  # what the reader sees (the quote, abbreviations spelt out for the public)
    n: int
    group: str = ""  # the part of the document it comes from ("Nhiệm vụ, giải pháp chủ yếu"; "" unknown)


@dataclass
class Draft:
    """An editable explainer, every statement tied to a source."""

    topic: str
    audience: str
    title: str
    intro: str
    points: list[Point] = field(default_factory=list)
    figures: list[dict] = field(default_factory=list)  # indicator, value, deadline, n
    roles: list[dict] = field(default_factory=list)  # agency, role, task, n
    faq: list[dict] = field(default_factory=list)  # question, answer, n (list of citation numbers)
    sources: list[Source] = field(default_factory=list)
    documents: list[dict] = field(default_factory=list)  # the cited documents' metadata (see ``document_info``)

    @property
    def found(self) -> bool:
        return bool(self.points or self.figures or self.roles)

    def to_json(self) -> dict:
        from dataclasses import asdict

        data = asdict(self)
        data["sources"] = [source.to_json() for source in self.sources]  # each in its own key order
        return data


def wording() -> dict:
    return load_yaml("draft.yaml")


class _Citations:
    def __init__(self, assistant):
        self.assistant = assistant
        self.sources: list[Source] = []

    def cite(self, doc_id: str, clause: str, start: int, end: int, quote: str) -> int:
        """The number of a verbatim span (the same span keeps its number); refuses anything not verbatim."""
        if not self.assistant.verify_quote(doc_id, start, end, quote):
            raise ValueError(f"not a verbatim span: {quote[:60]}")
        for source in self.sources:
            # The same sentence reached twice (as a point and as a figure's sentence) keeps one number.
            if source.doc_id == doc_id and (
                source.start <= start < end <= source.end or start <= source.start < source.end <= end
            ):
                return source.n
        document = next(d for d in self.assistant.documents() if d.doc_id == doc_id)
        source = Source(
            n=len(self.sources) + 1,
            doc_id=doc_id,
            doc_title=document.title,
            clause=clause,
            label=clause_label(clause),
            quote=quote,
            start=start,
            end=end,
        )
        self.sources.append(source)
        return source.n


def build_draft(assistant, topic: str, audience: str = "can-bo", max_points: int = 6) -> Draft:
    """An explainer on a free-text topic ("môi trường") or a clause id ("I.3"), laid out like an
    "đề cương tuyên truyền": the points (why, goals, tasks and solutions, each once, grouped by the
    part of the document they come from), the figures table (the only place a figure is stated),
    who does what, and questions people ask (a figure's answer points at its row of the table)."""
    topic = " ".join(topic.split())
    words = wording()
    by_clause = bool(_CLAUSE_ID.match(topic))
    shown = _clause_title(assistant, topic) if by_clause else topic
    draft = Draft(
        topic,
        audience,
        words["titles"][audience].format(topic=capitalised(shown)),
        words["intro"][audience].format(topic=shown),
    )
    gathered = gather_clauses(assistant, topic) if by_clause else gather_topic(assistant, topic)
    if not (gathered.points or gathered.figures or gathered.roles):
        return draft
    cites = _Citations(assistant)
    public = audience == "nhan-dan"
    documents = {d.doc_id: d for d in assistant.documents()}
    groups = words["groups"]
    order = {group["heading"]: i for i, group in enumerate(groups)}
    chosen = gathered.points[: max_points + (1 if by_clause else 0)]
    placed = [(part_of(documents[s.doc_id], s.clause, groups), s) for s in chosen]
    if not by_clause:  # a topic's points by part, most relevant first in each; a clause's as it reads
        placed.sort(key=lambda gs: order.get(gs[0], len(order)))
    for group, span in placed:
        n = cites.cite(span.doc_id, span.clause, span.start, span.end, span.text)
        text = unbulleted(span.text)
        draft.points.append(Point(capitalised(plain(text) if public else text), n, group))
    for figure in gathered.figures:
        n = cites.cite(figure.doc_id, figure.clause, figure.start, figure.end, figure.quote)
        indicator = plain(figure.indicator) if public else figure.indicator
        draft.figures.append(
            {
                "indicator": capitalised(indicator),
                "value": figure.display(),
                "deadline": figure.deadline or "đến nay",
                "n": n,
            }
        )
    for duty in gathered.roles:
        n = cites.cite(duty.doc_id, duty.clause, duty.start, duty.end, duty.quote)
        draft.roles.append(
            {"agency": duty.agency, "role": duty.role, "task": plain(duty.task) if public else duty.task, "n": n}
        )
    draft.faq = _faq(assistant, draft, shown, gathered, cites, words)
    draft.sources = cites.sources
    cited = dict.fromkeys(source.doc_id for source in draft.sources)
    draft.documents = [document_info(d) for d in assistant.documents() if d.doc_id in cited]
    return draft


DOCUMENT_KEYS = ("type", "number", "date", "period", "issuer", "short_title")


def document_info(document) -> dict:
    """What a title slide or a card names of a document: its title and the metadata its file gives
    (type, number, date, period, issuer, short title; "" where the file says nothing)."""
    meta = document.meta or {}
    return {"doc_id": document.doc_id, "title": document.title} | {
        key: str(meta.get(key) or "") for key in DOCUMENT_KEYS
    }


def plain(text: str) -> str:
    """Abbreviations spelt out the first time for readers outside the administration ("BHYT (bảo hiểm y tế)")."""
    table = abbreviations()

    def expand(match: re.Match) -> str:
        word = match.group(0)
        full = table.get(fold(word))
        return f"{word} ({full})" if full and word.isupper() and len(word) > 1 else word

    return re.sub(r"\b[A-ZĐ][A-ZĐ-]+\b", expand, text, count=3)


def _clause_title(assistant, clause_id: str) -> str:
    """ "Mục I.3 – Các chỉ tiêu cơ bản" for a clause id topic."""
    for document in assistant.documents():
        clause = document.clause(clause_id)
        if clause:
            heading = heading_title(clause.heading)
            return f"{clause_label(clause_id)} – {heading}" if heading else clause_label(clause_id)
    return clause_id


def _faq(assistant, draft: Draft, topic: str, gathered, cites: _Citations, words: dict, limit: int = 4) -> list[dict]:
    """Questions a reader would ask. A figure's answer points at its row of the figures table and a
    duty's names the agency and its row of the duties table, instead of stating them again; a
    question on the tasks is answered by the clause that names the topic, quoted once."""
    templates, headings = words["questions"], words["sections"]
    faq = []
    for row, (figure, shown) in enumerate(zip(gathered.figures, draft.figures), start=1):
        if len(faq) >= 2:
            break
        key = "target" if figure.kind == "target" else "baseline"
        question = templates[key].format(indicator=shown["indicator"], deadline=figure.deadline or "")
        answer = words["answers"]["figure"].format(table=headings["figures"], row=row, indicator=shown["indicator"])
        faq.append({"question": question, "answer": f"{answer} [{shown['n']}]", "n": [shown["n"]]})
    for row, (duty, shown) in enumerate(zip(gathered.roles, draft.roles), start=1):
        if len(faq) >= limit - 1 or duty.role == "phối hợp":
            continue
        question = templates["responsibility"].format(role=duty.role, task=_short(duty.task))
        answer = words["answers"]["duty"].format(
            agency=shown["agency"], role=shown["role"], table=headings["roles"], row=row
        )
        if question not in (q["question"] for q in faq):
            faq.append({"question": question, "answer": f"{answer} [{shown['n']}]", "n": [shown["n"]]})
    # A question on the tasks: the clause that names the topic in the tasks part, quoted once: where
    # a point quotes it already, the answer points at that point.
    documents = {d.doc_id: d for d in assistant.documents()}
    groups = words["groups"]
    tasks = groups[words["task_group"]]["heading"]
    task = next(
        (
            s
            for s in gathered.named
            if not _holds_fact(s, gathered) and part_of(documents[s.doc_id], s.clause, groups) == tasks
        ),
        None,
    )
    if task is not None and len(faq) < limit:
        n = cites.cite(task.doc_id, task.clause, task.start, task.end, task.text)
        in_group = [p for p in draft.points if p.group == tasks]
        row = next((i for i, p in enumerate(in_group, start=1) if p.n == n), 0)
        answer = (
            words["answers"]["point"].format(section=headings["points"], group=tasks, row=row)
            if row
            else f"“{capitalised(unbulleted(task.text))}”"
        )
        faq.append({"question": templates["tasks"].format(topic=topic), "answer": f"{answer} [{n}]", "n": [n]})
    return faq


def _holds_fact(span, gathered) -> bool:
    return any(overlaps(fact, span) for fact in gathered.figures + gathered.roles)


def _short(task: str, words: int = 10) -> str:
    first = re.split(r"[;,]", task)[0].split()
    return " ".join(first[:words])
