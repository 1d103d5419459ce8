"""What the documents say about a draft's topic, and where each piece belongs in the explainer.

Every clause that names the topic is gathered, from every part of a document (its opening, its
targets, its tasks and solutions, its organisation), not only the best one. A clause names the topic
when it holds, as a whole word sequence, the topic itself, what its abbreviation stands for ("OCOP"
→ "Chương trình Mỗi xã một sản phẩm"), the abbreviation of a topic spelt out, or a wording the
lexicon gives for the whole topic ("môi trường" → "chất thải", "nước thải"): one syllable of the
topic ("nước" of "nước sạch") or of a wording ("dịch vụ" and "công" apart, for "chuyển đổi số" →
"dịch vụ công") is not enough. Beside those, a clause the retrieval ranks near the topic is gathered
when it lies in a clause of the document that names it. Each is then placed once: a clause that
holds a figure is a row of the figures table, one that holds a duty a row of the duties table, and
any other is a point: a clause that names the topic quoted as its whole sentence when that sentence
holds no figure or duty of its own, a clause ranked near the topic as it is (and left out when its
sentence is a figure's or a duty's).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.data import load_yaml
from assistant.ingest.chunk import answer_units, sentence_spans
from assistant.ingest.structure import heading_title
from assistant.retrieve.query import abbreviations
from assistant.vietnamese import fold

# A topic's best clause scores about 1.9 when the documents speak of it ("môi trường", "OCOP")
# and under 0.7 when they do not ("giá vàng hôm nay trên thị trường thế giới").
MIN_TOPIC_SCORE = 1.0
# A clause the retrieval ranks near the topic (a fifth of the best clause's score, in the same
# clause of the document as one that names it) is gathered beside those that name it: the tasks
# around "Chương trình Mỗi xã một sản phẩm" in an OCOP draft. The share of the topic's syllables a
# clause holds is no sign: "con em … trong và ngoài nước" holds half of "nước sạch".
RELATED_SHARE = 0.2
# A point quotes its clause's whole sentence up to this length (a task sentence of the resolution
# runs to 70 words; the opening's lists of shortcomings run longer and are quoted by the clause).
SENTENCE_WORDS = 80


@dataclass
class Span:
    """A verbatim span of a document: a clause or a sentence."""

    doc_id: str
    clause: str
    start: int
    end: int
    text: str
    named: bool = False  # the span names the topic (rather than being ranked near it)


@dataclass
class Gathered:
    """What a draft is built on: points (spans, most relevant first), and figures and duties (facts)."""

    points: list[Span] = field(default_factory=list)
    figures: list = field(default_factory=list)  # targets and baselines, in reading order
    roles: list = field(default_factory=list)  # responsibilities, in reading order
    named: list[Span] = field(default_factory=list)  # the clauses that name the topic, best first


def gather_topic(assistant, topic: str) -> Gathered:
    """The clauses about a free-text topic, placed (empty when the documents do not speak of it)."""
    _, units = assistant.relevant(topic, k=10)
    if not units or units[0].score < MIN_TOPIC_SCORE:
        return Gathered()
    phrases = topic_phrases(topic)
    clause_of = {c.chunk_id: c.clause for c in assistant.chunks()}
    named: dict[tuple, Span] = {}
    for unit in units:  # best first
        if _names(unit.text, phrases):
            key = (unit.doc_id, unit.start)
            named.setdefault(key, Span(unit.doc_id, clause_of[unit.chunk_id], unit.start, unit.end, unit.text, True))
    for span in all_clauses(assistant):  # those the retrieval did not reach
        if _names(span.text, phrases):
            span.named = True
            named.setdefault((span.doc_id, span.start), span)
    named_clauses = {(s.doc_id, s.clause) for s in named.values()}
    bar = RELATED_SHARE * units[0].score
    related = [
        Span(u.doc_id, clause_of[u.chunk_id], u.start, u.end, u.text)
        for u in units
        if (u.doc_id, u.start) not in named and u.score >= bar and (u.doc_id, clause_of[u.chunk_id]) in named_clauses
    ]
    return place(assistant, list(named.values()), related)


def gather_clauses(assistant, clause_id: str) -> Gathered:
    """Everything a clause (and the clauses under it) says, placed, in reading order."""
    spans = [s for s in all_clauses(assistant) if s.clause == clause_id or s.clause.startswith(clause_id + ".")]
    for span in spans:
        span.named = True
    return place(assistant, spans, [])


def place(assistant, named: list[Span], related: list[Span]) -> Gathered:
    """Each clause once where it belongs: its figures in the table, its duties in the duties table,
    else a point (its sentence when the sentence holds no fact of its own)."""
    facts = assistant.facts()
    figures = facts.targets + facts.baselines
    gathered = Gathered(named=list(named))
    seen_figures, seen_roles, taken = set(), set(), []
    for span in named + related:
        held_figures = [f for f in figures if overlaps(f, span)]
        held_roles = [r for r in facts.responsibilities if overlaps(r, span)]
        if held_figures or held_roles:
            if not span.named:  # "tăng trưởng ngành nông, lâm, thủy sản 3%/năm" is no OCOP target
                continue  # because it shares a sentence with one: a neighbour's figure is not the topic's
            for figure in held_figures:
                key = (figure.doc_id, figure.start, figure.end, figure.indicator, figure.display())
                if key not in seen_figures:
                    seen_figures.add(key)
                    gathered.figures.append(figure)
            for duty in held_roles:
                key = (duty.doc_id, duty.start, duty.end, duty.agency, duty.role)
                if key not in seen_roles:
                    seen_roles.add(key)
                    gathered.roles.append(duty)
            continue
        sentence = _sentence(assistant, span)
        sentence_facts = sentence is not None and any(overlaps(f, sentence) for f in figures + facts.responsibilities)
        if not span.named and sentence_facts:
            continue  # a neighbour of a figure or duty: its sentence is the tables'
        whole = span.named and sentence is not None and not sentence_facts
        point = sentence if whole and len(sentence.text.split()) <= SENTENCE_WORDS else span
        if any(p.doc_id == point.doc_id and p.start < point.end and point.start < p.end for p in taken):
            continue  # a clause of a sentence already quoted
        taken.append(point)
        gathered.points.append(point)
    gathered.figures.sort(key=lambda f: (f.doc_id, f.start))
    gathered.roles.sort(key=lambda r: (r.doc_id, r.start))
    return gathered


def all_clauses(assistant) -> list[Span]:
    """Every quotable clause of the indexed documents, in reading order (headings and the recipients'
    list left out)."""
    documents = {d.doc_id: d for d in assistant.documents()}
    headings = {
        doc_id: [(d.paragraphs[i].start, d.paragraphs[i].end) for c in d.clauses for i in c.heading_only]
        for doc_id, d in documents.items()
    }
    spans = []
    for chunk in assistant.chunks():
        if chunk.clause == "noi-nhan":
            continue
        for start, end in answer_units(chunk):
            text = documents[chunk.doc_id].text[start:end]
            if any(a <= start and end <= b for a, b in headings[chunk.doc_id]):
                continue  # a heading names a subject; it says nothing of it
            if any(ch.isalpha() for ch in text) and len(text.split()) >= 3:
                spans.append(Span(chunk.doc_id, chunk.clause, start, end, text))
    return spans


def topic_phrases(topic: str) -> list[str]:
    """The folded phrases that name a topic in a text: the topic itself, what its abbreviations stand
    for ("OCOP" → "chuong trinh moi xa mot san pham"), the abbreviation of a topic spelt out, and the
    lexicon's wordings of the whole topic (not of one word of it: "y tế" in "giáo dục y tế")."""
    table = abbreviations()
    folded = " ".join(fold(topic).split())
    phrases = [folded] if folded else []
    for key, wordings in load_yaml("lexicon.yaml").items():
        if fold(key) == folded:
            phrases += [fold(w) for w in wordings]
    for word in topic.split():
        full = table.get(fold(word))
        if full:
            phrases.append(fold(re.sub(rf"\b{re.escape(word)}\b", "", full, flags=re.IGNORECASE)).strip())
    for short, full in table.items():
        spelt = fold(re.sub(rf"\b{re.escape(short)}\b", "", full, flags=re.IGNORECASE)).strip()
        if spelt and spelt == folded:
            phrases.append(short)
    return [p for p in dict.fromkeys(phrases) if len(p) >= 3]


def part_of(document, clause_id: str, groups: list[dict]) -> str:
    """The heading of the group a clause's part belongs to ("Nhiệm vụ, giải pháp chủ yếu"), read from
    the headings above it, the nearest first; "" when none says."""
    parts = clause_id.split(".")
    for depth in range(len(parts), 0, -1):
        clause = document.clause(".".join(parts[:depth]))
        title = fold(heading_title(clause.heading) if clause and clause.heading else "")
        if not title:
            continue
        for group in groups:
            if any(re.search(rf"\b{re.escape(fold(word))}\b", title) for word in group["match"]):
                return group["heading"]
    return ""


def _names(text: str, phrases: list[str]) -> bool:
    folded = fold(text)
    return any(re.search(rf"\b{re.escape(p)}\b", folded) for p in phrases)


def overlaps(fact, span: Span) -> bool:
    """Whether a fact (a figure or a duty, with its sentence's span) lies across a span."""
    return fact.doc_id == span.doc_id and fact.start < span.end and span.start < fact.end


def _sentence(assistant, span: Span) -> Span | None:
    """The whole sentence a clause belongs to (without its list dash)."""
    chunk = next(
        (c for c in assistant.chunks() if c.doc_id == span.doc_id and c.start <= span.start and span.end <= c.end),
        None,
    )
    if chunk is None:
        return None
    text = next(d.text for d in assistant.documents() if d.doc_id == span.doc_id)
    for start, end in sentence_spans(chunk.text, chunk.start):
        if start <= span.start and span.end <= end:
            piece = text[start:end]
            stripped = piece.strip().lstrip("-+• ").rstrip()
            start += piece.index(stripped)
            return Span(span.doc_id, span.clause, start, start + len(stripped), stripped, span.named)
    return None
