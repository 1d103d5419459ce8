"""Does the retrieved text answer the question? Decided from evidence, not from wording alone.

The evidence: how close in meaning the best passages are (dense cosine), how much of the
question's content the best passage holds once everyday words are mapped to the documents'
(lexicon, abbreviations), which content words of the question the documents never use at
all (a province, a reward, a year they do not speak of), and whether the chosen sentences
hold the kind of thing asked for (a figure, an agency, a year).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from assistant.answer.checks import (
    NAMED_KINDS,
    asks_count,
    holds_figures,
    holds_kind,
    holds_subjects,
    names_another_place,
)
from assistant.answer.decision import shipped_model
from assistant.answer.model import ANSWERED, NOT_FOUND_STATUS, RELATED
from assistant.answer.vocabulary import YEAR, Vocabulary, writes
from assistant.retrieve.english import vietnamese_phrases
from assistant.retrieve.query import Query, time_frame
from assistant.retrieve.rerank import Coverage, TermWeights, Unit
from assistant.settings import AnswerSettings
from assistant.vietnamese import fold


@dataclass
class Evidence:
    """What retrieval and the candidate sentences show for one question."""

    coverage: float  # share of the question's content held by the best passage (idf-weighted)
    dense: float  # best dense cosine among the answer passages
    missing: list[str] = field(default_factory=list)  # content words the documents never use
    missing_share: float = 0.0  # their idf-weighted share of the question's content words
    kind_ok: bool = True  # the chosen sentences hold what was asked (figure, agency, year)
    frame_ok: bool = True  # they speak of the time asked about (today's figure, or the target)
    figures_ok: bool = True  # they hold the unit and the numbers the question names ("3 sao", "km")
    subjects_ok: bool = True  # they speak of the programme or body the question names ("BHYT", "UBND")
    quote_coverage: float = 0.0  # share of the question's content the chosen sentences hold
    sentence_score: float = 0.0  # the best chosen sentence's score in the sentence rerank
    english: bool = False  # for an English question, missing_share is the share the glossary did not know
    margin: float = 0.0  # the best chosen sentence's score over the best sentence of another passage
    lead_dense: float = 0.0  # the best chosen sentence's own cosine with the question
    lead_first: bool = False  # it lies in the first-ranked passage
    names_missing: bool = False  # the question names a place or body the documents never write
    asked: frozenset[str] = frozenset()  # what the question asks for (its kinds)
    unknown_share: float = 0.0  # share of all its content words the documents never use, verbs included
    gainsaid: bool = False  # a yes/no question naming a place the sentences replace with another
    pointer: bool = False  # the sentences only point at an attachment ("(Kèm theo Phụ lục …)")

    @property
    def consistent(self) -> bool:
        return self.kind_ok and self.frame_ok and self.figures_ok and self.subjects_ok

    def features(self) -> dict[str, float]:
        """The signals the decision model weighs (``decision.FEATURES``)."""
        return {
            "dense": self.dense,
            "coverage": self.coverage,
            "quote_coverage": self.quote_coverage,
            "sentence_score": self.sentence_score,
            "margin": self.margin,
            "lead_dense": self.lead_dense,
            "lead_first": float(self.lead_first),
            "missing_share": self.missing_share,
            "kind_ok": float(self.kind_ok),
            "frame_ok": float(self.frame_ok),
            "figures_ok": float(self.figures_ok),
            "subjects_ok": float(self.subjects_ok),
            "yes_no": float("yes_no" in self.asked),
            "quantity": float("quantity" in self.asked),
            "who": float("who" in self.asked),
            "list": float("list" in self.asked),
            "english": float(self.english),
        }

    def to_json(self) -> dict:
        return {
            "coverage": round(self.coverage, 3),
            "dense": round(self.dense, 3),
            "missing": self.missing,
            "missing_share": round(self.missing_share, 3),
            "kind_ok": self.kind_ok,
            "frame_ok": self.frame_ok,
            "figures_ok": self.figures_ok,
            "subjects_ok": self.subjects_ok,
            "quote_coverage": round(self.quote_coverage, 3),
            "sentence_score": round(self.sentence_score, 3),
            "margin": round(self.margin, 3),
            "lead_dense": round(self.lead_dense, 3),
        }


def _holding(query: Query, weights: TermWeights) -> Callable[[str], float]:
    """The share of the question a text holds: of all its words, or of those of the sentence that asks
    when the sentences before it say what the text does not ("Công an xã tôi kiểm tra xe chở lợn, có
    xe nhồi nhét rất chật. Luật Chăn nuôi đòi người chở vật nuôi phải bảo đảm gì?"); the terms'
    weights looked up once for every text."""
    whole = Coverage(query.terms(), weights)
    if query.asked_terms is query.terms():
        return whole
    asked = Coverage(query.asked_terms, weights)
    return lambda text: max(whole(text), asked(text))


def gather(
    query: Query,
    contexts: list[str],
    dense: float,
    units: list[Unit],
    weights: TermWeights,
    vocabulary: Vocabulary,
    candidates: list[Unit] | None = None,
    quoting: TermWeights | None = None,
    topics: str = "",
    elsewhere: str = "",
) -> Evidence:
    """The evidence for a question from its answer passages, chosen sentences and the other candidates
    (``quoting``: word rarities among the passages of the documents quoted, default ``weights``;
    ``topics``: their titles, what every sentence of them speaks of; ``elsewhere``: how the other
    documents are named, folded)."""
    terms = query.asked_terms
    held = _holding(query, weights)
    best = max((held(text) for text in contexts), default=0.0)
    if query.mode == "english":
        # The glossary knows only the domain's words: an English question is judged on the years
        # and names it gives, and on how much of it the glossary understood.
        missing = [m.group(0) for m in YEAR.finditer(query.text) if m.group(0) not in vocabulary.years]
        missing += vocabulary.unknown_names(query.text, english=True)
        # a Vietnamese phrase it quotes as its subject ("trained workers (lao động qua đào tạo)")
        quoted = vietnamese_phrases(query.text, lambda a, b: vocabulary.weights.known(f"{a}_{b}"))
        missing += [phrase for phrase in quoted if not vocabulary.writes(phrase)]
        # what the glossary understood but the documents never write ("paved roads": "bê tông hóa"),
        # nor those quoted ("forest cover": "rừng", which a law of the library writes, the resolution not)
        of_quoted = quoting or weights
        absent = [t for t in query.translated if not vocabulary.writes(t) or not writes(of_quoted, t)]
        share = unknown = 1.0 if missing else 1.0 - query.understood * (1 - len(absent) / max(len(query.translated), 1))
    else:
        missing, share, unknown = vocabulary.scan(query)
        # "thu nhập ở nông thôn cả nước": the country's figure, where the documents never say "cả nước"
        # (its syllables are common words: "nước" is water); a claim ("… dẫn đầu cả nước, đúng
        # không?") is checked by its verdict instead
        nation = [
            m
            for m in _NATION.finditer(fold(query.text))
            if not weights.known(m.group(0).replace(" ", "_")) and "yes_no" not in query.kinds
        ]
        missing += [query.text[m.start() : m.end()] for m in nation]
        share = 1.0 if nation else share
    places: list[str] = []
    if quoting is not None:
        # a year the quoted documents never write is missing though another document of the library
        # writes it ("thu nhập năm 2015" is not the resolution's 2025 target beside a law of 2015)
        # (not a year of the scene set before the question: "Kế hoạch của xã … đến 2025. Còn QĐ … năm 2023 …")
        missing += [
            y
            for y in dict.fromkeys(YEAR.findall(query.text))
            if y not in missing and y not in query.scene and not quoting.known(y)
        ]
        # so is a place another document is of ("huyện Can Lộc hỗ trợ bao nhiêu" is not the resolution's)
        # (not where the asker is: "Mình ở huyện Can Lộc nhưng muốn hỏi về xã Thạch Kim: …")
        folded = fold(query.text)
        places = [
            query.text[m.start(1) : m.end(2)]
            for m in _PLACE.finditer(folded)
            if f"{m.group(1)} {m.group(2)}" in elsewhere
            and not quoting.known(f"{m.group(1)}_{m.group(2)}")
            and not _ASKER_AT.search(folded, 0, m.start())
        ]
        missing += [p for p in places if p not in missing]
    names = bool(missing) and (share >= 1.0 or any(YEAR.fullmatch(word) for word in missing) or bool(places))
    text = " ".join(u.text for u in units)
    # an item of a point is read under the point's heading ("a) Đường giao thông bê tông xi măng: - Đường
    # trục thôn …"): what the item lists is of that; so are the items a list question asks for by their
    # clause's name ("quan điểm của nghị quyết gồm những gì" over the items of "1. Quan điểm")
    listed = query.asks("list")
    headings = " ".join(dict.fromkeys(u.heading for u in units if listed or u.heading.startswith("Điểm ")))
    lead = max(units, key=lambda u: u.score) if units else None
    frame = lead and (time_frame(lead.text) or time_frame(lead.context))
    frame_ok = not (query.frame and frame and frame != query.frame)
    # Where a count of something is asked ("mấy huyện"), a sentence with no count of it is no rival.
    counted = asks_count(query)
    others = [
        u.score
        for u in candidates or ()
        if (lead is None or u.chunk_id != lead.chunk_id) and (not counted or holds_figures(query, u.text))
    ]
    margin = (lead.score - max(others)) if lead and others else (lead.score if lead else 0.0)
    first = min((u.rank for u in candidates or units), default=0)
    return Evidence(
        best,
        dense,
        missing,
        share,
        bool(units) and holds_kind(query, text),
        frame_ok,
        holds_figures(query, text, topics),
        holds_subjects(terms, f"{text} {topics}", quoting or weights),
        # a question naming its document ("Kế hoạch NTM nâng cao của xã Thạch Kim …") says words of
        # its title ("nông thôn mới nâng cao"), which every sentence of it speaks of
        held(f"{text} {topics}" if query.held else f"{text} {headings}") if units else 0.0,
        lead.score if lead else 0.0,
        query.mode == "english",
        margin,
        lead.dense if lead else 0.0,
        lead is not None and lead.rank == first,
        names,
        query.kinds,
        unknown,
        "yes_no" in query.kinds and bool(units) and names_another_place(query.text, text),
        bool(units) and all(_POINTER.match(u.text) for u in units) and _asks_contents(query.asked_folded),
    )


# the whole country, folded
_NATION = re.compile(r"\b(?:ca nuoc|toan quoc)\b")
# where the asker lives or works, said just before a place ("mình ở", "tui đang công tác ở"), folded
_ASKER_AT = re.compile(
    r"\b(?:minh|toi|tui|em|e|chau|nha (?:em|toi|tui|minh))\s+(?:(?:dang|song|lam|cong tac)\s+)?o\s+$"
)
# a place named by its kind and its name, folded ("huyện Can Lộc", "xã Thạch Kim")
_PLACE = re.compile(r"\b(?:huyen|xa|tinh|thi xa|thanh pho|thon)\s+(\w+)\s+(\w+)")
# "(Kèm theo Phụ lục định hướng Bộ Tiêu chí …)": an attachment named, not its contents
_POINTER = re.compile(r"\(?\s*(?:Kèm theo|kèm theo|Có phụ lục kèm theo)\b")
# what an attachment holds ("gồm bao nhiêu tiêu chí", "cụ thể là những tiêu chí gì"), not whether
# there is one or which ("có kèm phụ lục gì không", "kèm theo nghị quyết là phụ lục gì")
_CONTENTS = re.compile(r"\b(?:gom|bao gom|cu the|noi dung|ke ten|liet ke|bao nhieu|may|nhung \w+ \w* ?(?:gi|j|nao))\b")
_ATTACHMENT = re.compile(r"\b(?:kem|phu luc (?:gi|j|nao)|annex|appendix|attach\w*|o dau)\b")


def _asks_contents(folded_question: str) -> bool:
    return bool(_CONTENTS.search(folded_question)) and not _ATTACHMENT.search(folded_question)


def ruled_out(evidence: Evidence, settings: AnswerSettings) -> bool:
    """Not answered outright, whatever else the evidence shows: a name asked for is not quoted; the
    figure quoted is not of the kind asked (unit, per one, level or change); the question names a
    place, body or year the documents never write ("Tỉnh Nghệ An", "2030"), or too
    much of what it names (its nouns; for an English question, the words the glossary does not know)."""
    max_missing = settings.max_unknown_english if evidence.english else settings.max_missing_share
    if not evidence.kind_ok and evidence.asked & NAMED_KINDS:
        return True  # a place, person, date or document number asked for and none quoted
    if not evidence.figures_ok and "yes_no" not in evidence.asked:
        # "còn lại bao nhiêu %" over "giảm mỗi năm 1,5%", "mỗi xã" over the province's total, "bao
        # nhiêu tiền" over no sum: a figure, but not the one asked (a yes/no question's figure is
        # checked by its verdict instead: "Không đúng, theo …")
        return True
    if not evidence.frame_ok and "yes_no" not in evidence.asked:
        return True  # today's figure asked, the target quoted (or the other way round)
    if evidence.english and not evidence.subjects_ok:
        # "the PCI index" answered by a sentence without it: an English question's words are the
        # glossary's, so what it names by abbreviation is the surest sign of its subject
        return True
    if evidence.english and not evidence.kind_ok and "quantity" in evidence.asked and "yes_no" not in evidence.asked:
        return True  # "how many OCOP products": a sentence on the programme without any figure
    if not evidence.kind_ok and "time" in evidence.asked and "yes_no" not in evidence.asked:
        return True  # "khi nào tổng kết": "tổng kết thực tiễn", no year
    if evidence.pointer and "yes_no" not in evidence.asked:
        return True  # "những tiêu chí gì" of an annex the documents name but do not hold
    if evidence.gainsaid and not any(YEAR.fullmatch(word) for word in evidence.missing):
        return False  # "huyện Can Lộc … đúng không?": the name the documents never write is what they gainsay
    return evidence.names_missing or evidence.missing_share >= max_missing


def answer_probability(evidence: Evidence, settings: AnswerSettings) -> float:
    """How likely the quoted sentences answer the question: the learned decision's probability
    (the rules' decision, 1 or 0, when ``settings.decision`` is not the learned one)."""
    if settings.decision == "learned":
        return shipped_model().probability(evidence.features())
    return 1.0 if decide(evidence, settings) == ANSWERED else 0.0


def decide(evidence: Evidence, settings: AnswerSettings) -> str:
    """``answered``, ``related`` or ``not_found``: relevance by rule, then the learned decision
    (``settings.decision``) or the threshold rules."""
    # Closeness in meaning alone does not make passages relevant to a question most of whose words the
    # documents never use ("công thức nấu phở bò"): the e5 cosines of unrelated Vietnamese texts run high.
    close = evidence.dense >= settings.related_dense and max(evidence.missing_share, evidence.unknown_share) < 0.5
    relevant = evidence.coverage >= settings.related_coverage or close
    if not relevant:
        return NOT_FOUND_STATUS
    if ruled_out(evidence, settings):
        return RELATED
    if settings.decision == "learned":
        return ANSWERED if answer_probability(evidence, settings) >= settings.answer_probability else RELATED
    if (
        evidence.consistent
        and evidence.coverage >= settings.min_coverage
        and evidence.dense >= settings.min_dense
        and evidence.sentence_score >= settings.min_sentence_score
    ):
        return ANSWERED
    return RELATED
