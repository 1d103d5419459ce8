"""Explainer drafts for propaganda staff: key points, figures, who does what, FAQ and sources.

Nothing is written that the documents do not say: points are verbatim sentences, figures
and roles come from the extracted facts (each with its sentence), and FAQ answers are the
assistant's own cited answers. Every statement carries a numbered citation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import ClassVar

from assistant.answer.span import CitedSpan
from assistant.data import load_yaml
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
        return bool(self.points)

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


# A topic's best sentence scores about 1.9 when the documents speak of it ("môi trường", "OCOP")
# and under 0.7 when they do not ("giá vàng hôm nay trên thị trường thế giới").
MIN_TOPIC_SCORE = 1.0


def build_draft(assistant, topic: str, audience: str = "can-bo", max_points: int = 6) -> Draft:
    """An explainer on a free-text topic ("môi trường") or a clause id ("I.3")."""
    topic = " ".join(topic.split())
    words = wording()
    shown = _clause_title(assistant, topic) if _CLAUSE_ID.match(topic) else topic
    draft = Draft(
        topic,
        audience,
        words["titles"][audience].format(topic=capitalised(shown)),
        words["intro"][audience].format(topic=shown),
    )
    cites = _Citations(assistant)
    spans = _topic_spans(assistant, topic, max_points)
    if not spans:
        return draft
    public = audience == "nhan-dan"
    for doc_id, clause, start, end, text in spans[: max_points + (1 if _CLAUSE_ID.match(topic) else 0)]:
        n = cites.cite(doc_id, clause, start, end, text)
        shown_text = unbulleted(text)
        draft.points.append(Point(capitalised(plain(shown_text) if public else shown_text), n))
    regions = [(doc_id, start, end) for doc_id, _, start, end, _ in spans]
    facts = assistant.facts()
    within = _facts_within(facts, regions) if not _CLAUSE_ID.match(topic) else _facts_in_clauses(facts, spans)
    for figure in within["figures"]:
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
    for duty in within["roles"]:
        n = cites.cite(duty.doc_id, duty.clause, duty.start, duty.end, duty.quote)
        draft.roles.append(
            {"agency": duty.agency, "role": duty.role, "task": plain(duty.task) if public else duty.task, "n": n}
        )
    draft.faq = _faq(assistant, topic, within, cites, words)
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


def _topic_spans(assistant, topic: str, max_points: int) -> list[tuple]:
    """(doc_id, clause, start, end, text) of the sentences a draft is built on, most relevant first."""
    if _CLAUSE_ID.match(topic):
        return _clause_spans(assistant, topic)
    _, units = assistant.relevant(topic, k=8)
    if not units or units[0].score < MIN_TOPIC_SCORE:
        return []
    spans, seen = [], set()
    for unit in units:
        if unit.score < 0.6 * units[0].score or len(spans) >= max_points + 2:
            break
        key = (unit.doc_id, unit.start)
        if key not in seen and len(unit.text.split()) >= 5:
            seen.add(key)
            spans.append((unit.doc_id, assistant.chunk(unit.chunk_id).clause, unit.start, unit.end, unit.text))
    return spans


def _clause_spans(assistant, clause_id: str) -> list[tuple]:
    """The sentences of a clause and of the clauses under it, in reading order."""
    from assistant.ingest.chunk import sentence_spans

    spans = []
    for document in assistant.documents():
        for clause in document.clauses:
            if clause.id != clause_id and not clause.id.startswith(clause_id + "."):
                continue
            for index in clause.paragraphs:
                if index in clause.heading_only:
                    continue
                paragraph = document.paragraphs[index]
                for start, end in sentence_spans(paragraph.text, paragraph.start):
                    spans.append((document.doc_id, clause.id, start, end, document.text[start:end]))
    return spans


def _facts_within(facts, regions) -> dict:
    def inside(item):
        return any(item.doc_id == d and item.start < e and s < item.end for d, s, e in regions)

    return {
        "figures": [f for f in facts.targets + facts.baselines if inside(f)],
        "roles": [r for r in facts.responsibilities if inside(r)],
    }


def _facts_in_clauses(facts, spans) -> dict:
    clauses = {(doc_id, clause) for doc_id, clause, *_ in spans}
    return {
        "figures": [f for f in facts.targets + facts.baselines if (f.doc_id, f.clause) in clauses],
        "roles": [r for r in facts.responsibilities if (r.doc_id, r.clause) in clauses],
    }


def _faq(assistant, topic: str, within: dict, cites: _Citations, words: dict, limit: int = 4) -> list[dict]:
    """Questions a reader would ask, answered by the assistant itself (kept only when answered outright)."""
    templates = words["questions"]
    questions = []
    for figure in within["figures"][:3]:
        key = "target" if figure.kind == "target" else "baseline"
        questions.append(templates[key].format(indicator=capitalised(figure.indicator), deadline=figure.deadline or ""))
    for duty in within["roles"][:2]:
        if duty.role != "phối hợp":
            questions.append(templates["responsibility"].format(role=duty.role, task=_short(duty.task)))
    if not questions:
        questions.append(templates["topic"].format(topic=capitalised(topic)))
    faq = []
    answered: set[tuple[int, ...]] = set()
    for question in dict.fromkeys(questions):
        answer, _ = assistant.ask(question, llm=False)  # the model words only what is asked of it
        if answer.status != "answered":
            continue  # published material carries only answers the documents give outright
        numbers = [cites.cite(c.doc_id, c.clause, c.start, c.end, c.quote) for c in answer.citations]
        if tuple(numbers) in answered:  # two questions, one answer: keep the first
            continue
        answered.add(tuple(numbers))
        text = answer.answer
        for c, n in zip(answer.citations, numbers):
            text = text.replace(f"[{c.n}]", f"[#{n}]")
        faq.append({"question": question, "answer": text.replace("[#", "["), "n": numbers})
        if len(faq) >= limit:
            break
    return faq


def _short(task: str, words: int = 10) -> str:
    first = re.split(r"[;,]", task)[0].split()
    return " ".join(first[:words])
