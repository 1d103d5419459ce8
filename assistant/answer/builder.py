"""The answer step: for each part of a question, judge the evidence, choose quotes, compose.

Retrieval hands over the analysed question, its ranked passages and their scored sentences;
this step decides ``answered`` / ``related`` / ``not_found``, chooses whole quotes, computes
a baseline-to-target gap when one is asked, and writes the answer with verified citations.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from assistant.answer.checks import year_gainsaid, yes_no_verdict
from assistant.answer.claims import body_verdict
from assistant.answer.evidence import Evidence, answer_probability, decide, gather
from assistant.answer.gap import Gap, find_gap
from assistant.answer.identity import (
    about_identity,
    asks_identity,
    asks_name,
    identity_spans,
    names_a_person,
    other_number,
)
from assistant.answer.items import clause_run, list_items
from assistant.answer.model import (
    ANSWERED,
    NOT_FOUND_STATUS,
    RELATED,
    Answer,
    Citation,
    texts,
)
from assistant.answer.outline import Outline, find_outline
from assistant.answer.sections import named_sections
from assistant.answer.select import choose
from assistant.answer.vocabulary import YEAR
from assistant.ingest.structure import clause_label
from assistant.retrieve.named import first_type
from assistant.retrieve.parts import split_parts
from assistant.retrieve.query import (
    Query,
    analyse,
    cue_words,
    normalise_spelling,
    question_kinds,
    question_words,
    stated_frame,
    time_frame,
    time_frames,
)
from assistant.retrieve.rerank import Unit
from assistant.settings import AnswerSettings
from assistant.vietnamese import fold


@dataclass
class Quote:
    """A span to quote: a chosen sentence, or the sentence stating a baseline or target."""

    doc_id: str
    chunk_id: str
    start: int
    end: int
    text: str


@dataclass
class PartAnswer:
    """What one part of a question got."""

    question: str
    query: Query
    status: str
    evidence: Evidence
    quotes: list[Quote] = field(default_factory=list)
    gap: Gap | None = None
    searched: list[str] = field(default_factory=list)  # the documents asked one by one, when several
    more: tuple[int, str] = (0, "")  # a list quoted in part: how many items are left out, and where
    lacks: str | None = None  # asked today's figure and the target, the quotes hold only one: the other


class AnswerBuilder:
    """Answers a question from an index's passages; every quote is verified verbatim before use."""

    def __init__(
        self,
        index,
        settings: AnswerSettings,
        rank: Callable,
        facts: Callable,
        verify: Callable,
        rank_in: Callable | None = None,
        scope: Sequence[str] = (),
        documents_for: Callable | None = None,
        name_documents: bool = False,
        analysed: Callable[[str], Query] | None = None,
    ):
        self.index = index  # chunks, documents, weights and words of the loaded index
        self.settings = settings
        self.rank = rank  # question -> (query, ranked passages, scored sentences)
        self.rank_in = rank_in  # (question, documents) -> the same, within those documents only
        self.scope = list(scope)  # the documents the question is asked of, when it is restricted
        self.documents_for = documents_for  # question -> its DocumentRanking (documents, most likely first)
        # A library asked as a whole: every answer says which document it quotes, even just one.
        self.name_documents = name_documents
        self.facts = facts
        self.verify = verify
        # question -> its Query, read once (the service's cache, which ranking reads too)
        self.analysed = analysed or (lambda text: analyse(text, index.vocabulary))

    def answer(self, question: str, follows: str = "") -> Answer:
        """The cited answer to a question, in as many parts as it asks; ``follows``: the earlier
        question a follow-up was read with ("… bao nhiêu? còn BHYT thì sao?"), whose own part is
        not answered again."""
        typed = normalise_spelling(question)
        kinds = question_kinds(typed)
        if "structure" in kinds:
            query = self.analysed(typed)
            outline = find_outline(query, self.index.documents.values(), self.index.weights)
            if outline is not None:
                return self._compose_outline(question, query, outline)
        identity = asks_identity(typed)
        # "Ai ký nghị quyết này, tên là gì?" is one question; "Ai ký NQ và mục tiêu BHYT là bao nhiêu?" two
        asked = split_parts(typed) if identity else []
        if identity and all(about_identity(p.typed) for p in asked):
            found = self._identity(identity, self.analysed(typed), single=len(asked) == 1)
            if found is not None:
                return found
        if "compare" in kinds or (len(time_frames(typed)) == 2 and kinds & {"quantity", "compare", "yes_no"}):
            # Today's figure against the target: one answer with both figures and the gap.
            whole = self._part(typed, gap=True)
            if whole.gap is None and whole.status == ANSWERED and len(time_frames(typed)) == 2:
                # "BHYT hiện nay bao nhiêu, so với mục tiêu?" with only the target stated: not answered
                said = {self._frame_of(q) for q in whole.quotes} - {None}
                if len(said) == 1:
                    whole.status, whole.lacks = RELATED, ({"baseline", "target"} - said).pop()
                    if stated_frame(typed) == said.pop():
                        # "the current rate, i.e. the baseline for the 95% target?": the target is
                        # the asker's own figure, today's is asked, and only the target is quoted
                        return self._compose(question, [whole])
            if whole.gap is not None or "compare" in kinds:
                return self._compose(question, [whole])
        parts = split_parts(typed)
        asking = ""
        if follows:
            earlier = _plain(normalise_spelling(follows))
            new = [p for p in parts if _plain(p.typed) != earlier]
            parts = new if 0 < len(new) < len(parts) else parts
            asking = _asking(normalise_spelling(follows))
        return self._compose(
            question,
            [self._part(_with_asking(p.asked, asking), shown=p.typed) for p in parts],
        )

    def _frame_of(self, quote: Quote) -> str | None:
        """Whether a quote speaks of today's figure or of the target (its passage says so else)."""
        chunk = self.index.chunks.get(quote.chunk_id)
        return time_frame(quote.text) or (time_frame(chunk.context_text) if chunk else None)

    def judge(self, question: str) -> PartAnswer:
        """One question read as a single part: its evidence, outcome and quotes (for calibration)."""
        return self._part(normalise_spelling(question))

    # -- one part ---------------------------------------------------------------------------------
    def _part(self, question: str, gap: bool = False, shown: str = "") -> PartAnswer:
        if self.rank_in is None or self.documents_for is None:
            return self._part_from(self.rank(question), question, gap, shown)
        # Several documents, none chosen: a law's article on the same words may outrank the
        # resolution's target. The best-ranked documents are each asked alone, and the answer is
        # the one most likely both of the right document and answering (document probability times
        # answer probability); a figure other documents also give is quoted beside it, and so is any
        # answer of theirs when the ranking leaves open which document is meant ("nhiệm vụ tuyên
        # truyền" in the resolution beside laws that each have an article on it).
        ranking = self.documents_for(question)
        checked = list(zip(ranking.documents, ranking.probabilities))[: self.settings.documents_checked]
        answered = []
        for doc_id, likely in checked:
            alone = self._part_from(self.rank_in(question, frozenset({doc_id})), question, gap, shown)
            if alone.status == ANSWERED:
                surely = answer_probability(alone.evidence, self.settings)
                answered.append((likely * surely, likely, surely, alone))
        if answered:
            answered.sort(key=lambda found: -found[0])
            (best, likely, surely, first), others = answered[0], answered[1:]
            if first.gap is None and (first.query.asks("quantity") or likely < self.settings.beside_unsure):
                for joint, _, other_surely, other in others:
                    # a figure another document states as surely, however less likely it is the one meant
                    states = first.query.asks("quantity") and other_surely >= max(surely, self.settings.beside_answer)
                    if joint >= self.settings.beside_share * best or states:
                        first.quotes += other.quotes[:2]
            return first
        result = self._part_from(self.rank(question), question, gap, shown)
        if result.status != ANSWERED:
            result.searched = [doc_id for doc_id, _ in checked]
        return result

    def _part_from(self, ranking, question: str, gap: bool, shown: str) -> PartAnswer:
        query, ranked, units = ranking
        index, s = self.index, self.settings
        top = ranked[: s.passages]
        allowed = {r.chunk_id for r in top}
        candidates = self._in_named_sections(query, [u for u in units if u.chunk_id in allowed])
        chosen = choose(query, candidates, index.weights, s)
        if query.asks("who") or query.asks("task") or query.asks("title"):
            chosen = [self._whole_sentence(u) for u in chosen]
            # two clauses of one sentence become that sentence once, with the better clause's score
            best: dict[tuple[int, int], Unit] = {}
            for u in chosen:
                if (u.start, u.end) not in best or u.score > best[(u.start, u.end)].score:
                    best[(u.start, u.end)] = u
            chosen = list(best.values())
        contexts = [index.chunks[r.chunk_id].context_text for r in ranked[: max(s.passages, 1)]]
        dense = max((r.dense for r in top), default=0.0)
        quoting = frozenset(u.doc_id for u in chosen)
        titles = " ".join(index.documents[d].title for d in quoting if d in index.documents)
        elsewhere = " ".join(d.names_folded for i, d in index.documents.items() if i not in quoting)
        evidence = gather(
            query,
            contexts,
            dense,
            chosen,
            index.weights,
            index.words,
            candidates,
            index.weights_of(quoting),
            titles,
            elsewhere,
        )
        status = decide(evidence, s)
        result = PartAnswer(shown or question, query, status, evidence)
        if status == NOT_FOUND_STATUS:
            return result
        # "hồi năm 2015 … mấy xã … rồi": a year the documents never write has no figure to compare;
        # nor has "Nghệ An hiện có bao nhiêu xã đạt chuẩn, chị muốn so với tỉnh mình"
        if (
            (gap or query.asks("compare"))
            and not evidence.names_missing
            and not any(YEAR.fullmatch(w) for w in evidence.missing)
        ):
            found = find_gap(query.terms(), self.facts(), index.weights)
            if found is not None:
                result.status, result.gap = ANSWERED, found
                result.quotes = [self._fact_quote(found.baseline), self._fact_quote(found.target)]
                return result
        result.quotes = [Quote(u.doc_id, u.chunk_id, u.start, u.end, u.text) for u in chosen]
        if query.asks("list") and chosen:
            # The list whose clause the question names is quoted item by item, not only its best item.
            leading = max(chosen, key=lambda u: u.score)
            listed = list_items(index, query, leading, index.weights, s.list_heading_match, s.max_list_items)
            # a list written as one sentence's clauses, from the best quote's on
            listed = listed or clause_run(index, leading, s.max_list_items)
            if listed is not None:
                text = index.documents[leading.doc_id].text
                result.quotes = [Quote(d, c, a, b, text[a:b]) for d, c, a, b in listed.spans]
                result.more = (listed.more, listed.label)
        return result

    def _in_named_sections(self, query: Query, units: list[Unit]) -> list[Unit]:
        """The sentences under the heading a question names ("trong phần tổ chức thực hiện"), when
        some of them were retrieved; else all."""
        documents = {u.doc_id for u in units}
        sections = {
            (doc_id, clause)
            for doc_id in documents
            if doc_id in self.index.documents
            for clause in named_sections(query, self.index.documents[doc_id])
        }
        within = [u for u in units if (u.doc_id, self.index.chunks[u.chunk_id].clause) in sections]
        return within or units

    def _whole_sentence(self, unit: Unit) -> Unit:
        """The whole sentence around a clause-sized unit (a task keeps its subject and both halves)."""
        from assistant.ingest.chunk import sentence_spans

        chunk = self.index.chunks[unit.chunk_id]
        text = self.index.documents[unit.doc_id].text
        for start, end in sentence_spans(chunk.text, chunk.start):
            if start <= unit.start and unit.end <= end:
                piece = text[start:end]
                stripped = piece.strip().lstrip("-+• ")
                start += piece.index(stripped) if stripped else 0
                return Unit(
                    unit.chunk_id,
                    unit.doc_id,
                    start,
                    start + len(stripped),
                    stripped,
                    unit.rank,
                    unit.vector,
                    unit.score,
                    unit.context,
                    unit.heading,
                    unit.dense,
                    unit.lexical,
                )
        return unit

    def _periods(self, numbers: list[int], citations: list[Citation], say: dict) -> str:
        """ "Nghị quyết … nói về giai đoạn 2021–2025": the periods of the documents quoted."""
        shown = []
        for doc_id in dict.fromkeys(citations[n - 1].doc_id for n in numbers):
            document = self.index.documents.get(doc_id)
            if document is None or not document.period:
                continue
            first, _, last = document.period.partition("–")
            years = say["years"].format(first=first, last=last) if last else say["year"].format(year=first)
            shown.append(say["period"].format(document=document.short_name, years=years))
        return "; ".join(shown)

    def _searched(self, part: PartAnswer, say: dict) -> str:
        """Who says they do not state it: "Các văn bản hiện có", or over several documents the
        ones asked alone ("Các văn bản đã xem (Nghị quyết …; Quyết định số 1268/QĐ-UBND …)")."""
        named = [self.index.documents[d] for d in part.searched or self.scope if d in self.index.documents]
        if not named:
            return say["docs"]
        return say["searched"].format(documents="; ".join(d.short_name for d in named))

    def _fact_quote(self, fact) -> Quote:
        text = self.index.documents[fact.doc_id].text
        piece = text[fact.start : fact.end]
        stripped = piece.strip().lstrip("-+• ").rstrip(" ,")
        start = fact.start + piece.index(stripped)
        return self._quote_at(fact.doc_id, start, start + len(stripped))

    def _quote_at(self, doc_id: str, start: int, end: int) -> Quote:
        """A span of a document as a quote, with the passage it lies in (for its clause)."""
        chunk_id = next(
            (c.chunk_id for c in self.index.chunks.values() if c.doc_id == doc_id and c.start <= start < c.end), ""
        )
        return Quote(doc_id, chunk_id, start, end, self.index.documents[doc_id].text[start:end])

    def _compose_outline(self, question: str, query: Query, outline: Outline) -> Answer:
        """ "Mục IV gồm 5 mục: “1. …” [1] …": the parts of a clause, each heading quoted."""
        language = "en" if query.mode == "english" else "vi"
        citations: list[Citation] = []
        numbers = [self._cite(self._quote_at(d, a, b), citations) for d, a, b, _ in outline.headings]
        quoted = " ".join(f"“{citations[n - 1].quote}” [{n}]" for n in numbers if n)
        lead = texts()[language]["outline"].format(clause=outline.label, n=len(outline.headings))
        return Answer(
            question, bool(citations), f"{lead} {quoted}", citations, status=ANSWERED, lead=lead, language=language
        )

    def _identity(self, kind: str, query: Query, single: bool) -> Answer | None:
        """ "Cơ quan ban hành, theo phần đầu Nghị quyết …: “CỦA BAN CHẤP HÀNH ĐẢNG BỘ TỈNH” [1]": who
        issued or signed the one document the question is asked of, when, or its number (its heading
        lines or signature block, quoted); None when it is not one document or it has no such lines
        (a date or number its heading does not give is said plainly, when ``single``: the question
        asks nothing else)."""
        question = query.text
        named = first_type(question)  # None for "văn bản này", "the document"
        documents = [d for d in self.index.documents.values() if named is None or (d.meta or {}).get("type") == named]
        if len(documents) != 1 or other_number(question, documents[0]):
            return None
        document = documents[0]
        citations: list[Citation] = []
        # a signature block lies after the recipients' list, but is none of it: cited without a clause
        quotes = [self._quote_at(document.doc_id, a, b) for a, b in identity_spans(kind, document)]
        numbers = [
            self._cite(q if kind in ("issuer", "archive") else replace(q, chunk_id=""), citations) for q in quotes
        ]
        language = "en" if query.mode == "english" else "vi"
        if not any(numbers):
            if kind in ("date", "number") and single:
                # "Nghị quyết ban hành ngày nào?" of a text whose heading gives no date: said plainly
                said = texts()[language][f"{kind}_missing"].format(document=document.short_name)
                return Answer(question, False, said, [], status=NOT_FOUND_STATUS, lead=said, language=language)
            return None
        # a name asked of a block that gives only a title: the block, said to hold no name
        nameless = kind == "signer" and asks_name(question) and not names_a_person([q.text for q in quotes])
        key = "signer_nameless" if nameless else kind
        lead = texts()[language][key].format(document=document.short_name)
        quoted = " ".join(f"“{citations[n - 1].quote}” [{n}]" for n in numbers if n)
        status = RELATED if nameless else ANSWERED
        return Answer(
            question, not nameless, f"{lead} {quoted}", citations, status=status, lead=lead, language=language
        )

    # -- the whole answer ---------------------------------------------------------------------------
    def _compose(self, question: str, parts: list[PartAnswer]) -> Answer:
        language = "en" if parts[0].query.mode == "english" else "vi"
        say = texts()[language]
        citations: list[Citation] = []
        lines: list[str] = []
        notes: list[str] = []
        several = len(parts) > 1
        cited = [[n for n in (self._cite(q, citations) for q in part.quotes) if n] for part in parts]
        # Quotes from two documents or more: each group of quotes says which document it is from.
        grouped = len({c.doc_id for c in citations}) > 1 or (self.name_documents and bool(citations))
        short_names = {c.doc_id: d.short_name for c in citations if (d := self.index.documents.get(c.doc_id))}
        shown: set[int] = set()
        for part, numbers in zip(parts, cited):
            if part.status == NOT_FOUND_STATUS or not numbers:
                if several:
                    lines.append(say["part_not_found"].format(part=part.question))
                part.status = NOT_FOUND_STATUS
                continue
            quoted = _per_document(numbers, citations, say, short_names) if grouped else _quoted(numbers, citations)
            if part.status == RELATED and not grouped and shown & set(numbers):
                # Closest content quoted above already is referred to, not quoted again.
                fresh = [n for n in numbers if n not in shown]
                quoted = " ".join([_quoted(fresh, citations)] * bool(fresh) + [f"[{n}]" for n in numbers if n in shown])
            shown.update(numbers)
            if part.more[0]:
                quoted += " " + say["more"].format(n=part.more[0], clause=part.more[1])
            clause = citations[numbers[0] - 1].label
            head = say["part"].format(part=part.question) + " " if several else ""
            if part.gap is not None:
                line, note = self._gap_lines(part.gap, numbers, citations, say)
                # "chừ mới 8 huyện, tới 2025 phải đủ 13 huyện phải không?": the claim checked against both
                verdict = _verdict(part)
                lines.append(head + (f"{say[f'{verdict}_named']} " if verdict else "") + line)
                notes.append(note)
                continue
            if part.status == RELATED and part.query.asks("yes_no") and _gainsaid(part):
                part.status = ANSWERED  # the body the claim names is missing: another one does the task
            if part.status == RELATED:
                topic = ", ".join(dict.fromkeys(part.evidence.missing))
                docs = self._searched(part, say)
                key = _related_key(part)
                periods = ""
                if key == "related_missing" and all(YEAR.fullmatch(w) for w in part.evidence.missing):
                    # "2030": the years the documents speak for, said plainly
                    periods = self._periods(numbers, citations, say)
                    if periods:
                        key, topic = "related_period", _years(part.evidence.missing, say)
                line = say[key].format(topic=topic, clause=clause, docs=docs, periods=periods)
                if grouped:  # each group of quotes names its document and clause: not said twice
                    line = line.replace(f" ({clause}):", ":")
                lines.append(f"{head}{line} {quoted}")
            elif verdict := _verdict(part):
                # grouped: each group names its document and clause ("Đúng. Theo Kế hoạch …, Mục III.2: …")
                said = say[f"{verdict}_named"] if grouped else say[verdict].format(clause=clause)
                lines.append(f"{head}{said} {quoted}")
            elif part.query.asks("location") and not grouped:  # "phần nào nói về OCOP, mục mấy?": the clause first
                lines.append(f"{head}{say['location'].format(clause=clause)} {quoted}")
            elif language == "en" and not grouped:  # grouped: each group names its document
                document = self.index.documents.get(citations[numbers[0] - 1].doc_id)
                kind = (document.meta or {}).get("type", "") if document else ""
                names: dict = say["documents"]  # type: ignore[assignment]  # the one mapping in answer_texts
                named = names.get(kind, names["document"])
                lines.append(f"{head}{say['lead'].format(clause=clause, document=named)} {quoted}")
            else:
                lines.append(head + quoted)
        statuses = [p.status for p in parts]
        status = ANSWERED if ANSWERED in statuses else RELATED if RELATED in statuses else NOT_FOUND_STATUS
        if status == NOT_FOUND_STATUS:
            return Answer(
                question,
                False,
                say["not_found"],
                status=status,
                language=language,
                parts=self._parts_json(parts) if several else [],
            )
        # What is said before the quotes: why they are only related, or an English answer's lead.
        said = lines[0].split(say["by_document"].split("{")[0])[0] if grouped else lines[0]
        lead = said.split("“")[0].strip() if status == RELATED or (language == "en" and not notes) else ""
        notes += self._as_of(parts, cited, citations, say)
        return Answer(
            question,
            status == ANSWERED,
            " ".join(lines + notes),
            citations,
            confidence=max(p.evidence.coverage for p in parts),
            status=status,
            lead=lead,
            notes=notes,
            parts=self._parts_json(parts) if several else [],
            language=language,
        )

    def _as_of(
        self, parts: list[PartAnswer], cited: list[list[int]], citations: list[Citation], say: dict
    ) -> list[str]:
        """ "Today's" figures are the document's: a question on the situation now, answered from a
        document, says of which time the figures are (the resolution's "đến nay" is its own day)."""
        documents = {
            citations[n - 1].doc_id
            for part, numbers in zip(parts, cited)
            if part.status != NOT_FOUND_STATUS and (part.query.frame == "baseline" or part.gap is not None)
            for n in numbers
        }
        notes = []
        for doc_id in sorted(documents):
            document = self.index.documents[doc_id]
            meta = document.meta or {}
            name = meta.get("short_title") or document.title
            if meta.get("date"):
                notes.append(say["as_of_date"].format(document=name, date=meta["date"]))
            elif meta.get("period"):
                notes.append(say["as_of_period"].format(document=name, period=meta["period"]))
        return notes

    def _cite(self, quote: Quote, citations: list[Citation]) -> int:
        """The citation number of a quote (an already cited span keeps its number); 0 if not verbatim."""
        for c in citations:
            if (c.doc_id, c.start, c.end) == (quote.doc_id, quote.start, quote.end):
                return c.n
        if not self.verify(quote.doc_id, quote.start, quote.end, quote.text):
            return 0
        clause = self.index.chunks[quote.chunk_id].clause if quote.chunk_id else ""
        document = self.index.documents[quote.doc_id]
        label = clause_label(clause)
        ocr = document.is_ocr_span(quote.start, quote.end)  # text read from a scan may hold recognition errors
        if ocr:
            label += " · chữ nhận dạng từ bản quét (OCR)"
        citations.append(
            Citation(
                n=len(citations) + 1,
                doc_id=quote.doc_id,
                doc_title=document.cited_as,  # "Quyết định số 123/QĐ-UBND ngày 12/3/2022 của UBND …"
                clause=clause,
                quote=quote.text,
                label=label,
                start=quote.start,
                end=quote.end,
                ocr=ocr,
            )
        )
        return len(citations)

    def _gap_lines(self, gap: Gap, numbers: list[int], citations: list[Citation], say: dict) -> tuple[str, str]:
        from assistant.criteria.figures import format_number

        b, t = numbers[0], numbers[-1]
        deadline = f" đến năm {gap.target.deadline}" if gap.target.deadline else ""
        line = (
            f"{say['baseline']} “{citations[b - 1].quote}” [{b}] "
            f"{say['target'].format(deadline=deadline)} “{citations[t - 1].quote}” [{t}]"
        )
        if gap.amount is None:
            return line, say["gap_unknown"].format(b=b, t=t)
        if gap.met:
            return line, say["gap_met"].format(b=b, t=t)
        amount = f"{format_number(round(gap.amount, 2))} {gap.unit}".strip()
        key = "gap_strict" if gap.strict else "gap"
        return line, say[key].format(gap=amount, target=gap.target.display(), b=b, t=t)

    @staticmethod
    def _parts_json(parts: list[PartAnswer]) -> list[dict]:
        return [{"question": p.question, "status": p.status, "evidence": p.evidence.to_json()} for p in parts]


def _quoted(numbers: list[int], citations: list[Citation]) -> str:
    """ "“…” [1] “…” [2]": the quotes of a part, numbered."""
    return " ".join(f"“{citations[n - 1].quote}” [{n}]" for n in numbers)


def said_elsewhere(answer: Answer, absent: list, first: Answer, names: dict | None = None) -> Answer:
    """An answer from other documents than the one the question is surely about (``absent``), whose
    own answer (``first``) did not answer it: that answer as it is ("Các văn bản đã xem (Nghị quyết
    …) không nêu trực tiếp …: “…” [1]", or when nothing of it is relevant "Nghị quyết … không nêu
    nội dung này; văn bản khác có nêu."), then the others' quotes, each under its document's name:
    "Theo Kế hoạch số 45/KH-UBND …: “…” [2]" (``related``: the others speak for themselves), each
    named by ``names`` (doc_id → short name) where given."""
    say = texts()[answer.language]
    citations = list(first.citations)
    at = {(c.doc_id, c.start, c.end): c.n for c in citations}
    numbers = []
    for citation in answer.citations:
        key = (citation.doc_id, citation.start, citation.end)
        if key not in at:
            at[key] = len(citations) + 1
            citations.append(replace(citation, n=at[key]))
        numbers.append(at[key])
    if first.citations:
        lead, opening = first.lead, first.answer
    else:
        lead = opening = say["elsewhere"].format(documents="; ".join(d.short_name for d in absent))
    text = " ".join([opening, _per_document(numbers, citations, say, names) + ".", *answer.notes])
    return replace(answer, found=False, answer=text, citations=citations, status=RELATED, lead=lead)


def _per_document(numbers: list[int], citations: list[Citation], say: dict, names: dict | None = None) -> str:
    """ "Theo Nghị quyết …, Mục I.3: “…” [1]. Theo Quyết định số 123/QĐ-UBND …, Điều 2: “…” [2]": a
    part's quotes grouped by the document they come from, in the order first cited; each named by
    ``names`` (its short name) where given, else as its citation names it."""
    groups: dict[str, list[int]] = {}
    for n in numbers:
        groups.setdefault(citations[n - 1].doc_id, []).append(n)
    said = []
    for members in groups.values():
        first = citations[members[0] - 1]
        clause = f", {clause_label(first.clause)}" if first.clause else ""
        lead = say["by_document"].format(document=(names or {}).get(first.doc_id, first.doc_title), clause=clause)
        said.append(f"{lead} {_quoted(members, citations)}")
    return ". ".join(said)


def _asking(question: str) -> str:
    """How a question asks, without what it asks about: "Mục tiêu … là bao nhiêu?" → "mục tiêu là bao
    nhiêu" (its cue and question words, in order)."""
    cues = cue_words() | question_words()
    return " ".join(w for w in re.findall(r"\w+", question) if fold(w).lower() in cues)


def _with_asking(asked: str, asking: str) -> str:
    """A follow-up part that asks nothing of its own ("thế còn nước sạch") asked the way the earlier
    question was ("thế còn nước sạch mục tiêu là bao nhiêu")."""
    if not asking or question_kinds(asked):
        return asked
    return f"{asked} {asking}"


def _plain(text: str) -> str:
    """A question as words only, for telling whether two are the same ("…?" and "…")."""
    return " ".join(re.findall(r"\w+", text.lower()))


def _years(years: list[str], say: dict) -> str:
    """ "năm 2030", "giai đoạn 2026–2030": the years a question asks about."""
    ordered = sorted(set(years))
    if len(ordered) > 1:
        return say["years"].format(first=ordered[0], last=ordered[-1])
    return say["year"].format(year=ordered[0])


def _related_key(part: PartAnswer) -> str:
    """Which "not said directly" sentence fits: a topic the documents never name, today's figure
    asked where only the target is stated (or back), a figure that is not given, or plainly."""
    evidence = part.evidence
    if evidence.missing:
        return "related_missing"
    if part.lacks:
        return f"related_no_{part.lacks}"
    if not evidence.frame_ok and part.query.frame in ("baseline", "target"):
        return f"related_no_{part.query.frame}"
    if not (evidence.figures_ok and evidence.kind_ok) and part.query.asks("quantity"):
        return "related_no_figure"
    return "related"


def _verdict(part: PartAnswer) -> str | None:
    """``checks.yes_no_verdict`` for a part's claim over its quotes."""
    evidence = part.evidence
    return yes_no_verdict(part.query, [q.text for q in part.quotes], evidence.quote_coverage, evidence.missing)


def _gainsaid(part: PartAnswer) -> bool:
    """A yes/no claim whose doer the documents never name ("Sở Nông nghiệp chủ trì soạn tài liệu …?")
    while the quoted sentence on that task names another, or of a year they never write ("… tới năm
    2030 mới được công nhận?") while the quote states its own: the quote answers it, "Không đúng"."""
    missing, quoted = part.evidence.missing, [q.text for q in part.quotes]
    if all(YEAR.fullmatch(word) for word in missing) and year_gainsaid(missing, quoted):
        return True
    return body_verdict(part.query.text, quoted) == "no"
