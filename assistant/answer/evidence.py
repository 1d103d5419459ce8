"""Does the retrieved text answer the question? Decided from evidence, not from wording alone.

The evidence: how close in meaning the best passages are (dense cosine), how much of the
question's content the best passage holds once everyday words are mapped to the documents'
(lexicon, abbreviations), which content words of the question the documents never use at
all (a province, a reward, a year they do not speak of), and whether the chosen sentences
hold the kind of thing asked for (a figure, an agency, a year).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from assistant.answer.model import ANSWERED, NOT_FOUND_STATUS, RELATED
from assistant.data import load_yaml
from assistant.retrieve.query import Query, Term, abbreviations, content_words, question_words, time_frame
from assistant.retrieve.rerank import TermWeights, Unit, coverage, present_terms, term_present
from assistant.settings import AnswerSettings
from assistant.vietnamese import canonical_syllable, fold

_YEAR = re.compile(r"\b(19|20)\d{2}\b")
_FIGURE = re.compile(r"\bloại\s+\w+|%")
_NUMBER = re.compile(r"(?<![\w/.,-])\d+(?:[.,]\d+)*(?:/\d+)?(?![\w/-])")
_NOT_FIGURE = re.compile(r"(?:số|Số)\s+\d+[\w/.-]*|\d{1,2}/\d{1,2}/\d{4}|\b(?:19|20)\d{2}\b|(?:lần thứ|mức độ|khoản|Điều)\s+\d+")


def _has_figure(text: str) -> bool:
    """A measured figure: a percentage, a rating, or a number that is not a year, date or document number."""
    if _FIGURE.search(text):
        return True
    return bool(_NUMBER.search(_NOT_FIGURE.sub(" ", text)))
_DATE = re.compile(r"\b\d{1,2}/\d{1,2}/\d{4}\b|\bngày\s+\d{1,2}\b")
_PLACE = re.compile(r"\b(?:xã|huyện|tỉnh|thôn|thị xã|thành phố)\s+[A-ZĐÂ]\w+")


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

    @property
    def consistent(self) -> bool:
        return self.kind_ok and self.frame_ok and self.figures_ok and self.subjects_ok

    def to_json(self) -> dict:
        return {"coverage": round(self.coverage, 3), "dense": round(self.dense, 3), "missing": self.missing,
                "missing_share": round(self.missing_share, 3), "kind_ok": self.kind_ok,
                "frame_ok": self.frame_ok, "figures_ok": self.figures_ok, "subjects_ok": self.subjects_ok,
                "quote_coverage": round(self.quote_coverage, 3), "sentence_score": round(self.sentence_score, 3)}


class Vocabulary:
    """The words the indexed documents use: tone-canonical syllables, folded syllables and pairs, years."""

    def __init__(self, texts: list[str], weights: TermWeights):
        from assistant.vietnamese import syllables

        words = {s for text in texts for s in syllables(text)}
        self.accented = {canonical_syllable(w) for w in words}
        self.by_fold: dict[str, list[str]] = {}
        for word in words:
            self.by_fold.setdefault(fold(word), []).append(word)
        self.weights = weights
        self.years = {m.group(0) for text in texts for m in _YEAR.finditer(text)}

    def missing(self, query: Query) -> tuple[list[str], float]:
        """Content words of the question the documents never use, and their idf-weighted share."""
        words = content_words(query)
        names = self.unknown_names(query.text)
        if names:
            return names, 1.0  # a name the documents never write: the question is about something else
        if not words:
            return [], 0.0
        total = missing_weight = 0.0
        missing = []
        for i, (word, covered) in enumerate(words):
            folded = fold(word)
            weight = self.weights.idf(folded)
            total += weight
            known = covered or self._known(word, folded, [w for w, _ in words], i, query.mode)
            if known:
                continue
            missing.append(word)
            missing_weight += weight
        return missing, (missing_weight / total if total else 0.0)

    def _known(self, word: str, folded: str, words: list[str], i: int, mode: str) -> bool:
        if word.isdigit():
            return len(word) != 4 or not _YEAR.fullmatch(word) or word in self.years
        if _near_question_word(folded):
            return True  # "bao nhêu": a question word, mistyped
        if mode == "folded":
            return self.weights.known(folded)
        if canonical_syllable(word) in self.accented:
            return True
        if any(_fewer_marks(word, w) for w in self.by_fold.get(folded, ())):
            return True  # a mark left out while typing ("trưc tuyến" for "trực tuyến")
        # A slip of the tone mark ("thu nhâp"): the folded word makes a pair the documents write.
        neighbours = [words[j] for j in (i - 1, i + 1) if 0 <= j < len(words)]
        return any(self.weights.known(f"{fold(a)}_{fold(b)}") for a, b in
                   [(n, word) if j < i else (word, n) for j, n in zip((i - 1, i + 1), neighbours)])


    def unknown_names(self, text: str, english: bool = False) -> list[str]:
        """Names the documents never write ("Tỉnh Nghệ An", "Sở Nông"), as typed: capitalised words,
        two or more in a row, whose pairs never occur in the documents (a question's first word
        counts only when the next one is capitalised too)."""
        tokens = re.findall(r"\w+", text)
        names: list[str] = []
        run: list[str] = []
        for i, token in enumerate(tokens + [""]):
            opens_name = i > 0 or (len(tokens) > 1 and tokens[1][:1].isupper())  # a sentence starts with a capital
            if opens_name and token[:1].isupper() and not token.isupper():
                run.append(token)
                continue
            unknown = len(run) >= 2 and any(not self.weights.known(f"{fold(a)}_{fold(b)}") for a, b in zip(run, run[1:]))
            if unknown and not (english and any(w.lower() in _english_words() for w in run)):
                names.append(" ".join(run))  # an English name of a body ("Party Committee") is no place
            run = []
        return names


def _near_question_word(folded: str) -> bool:
    """A question word as typed, or with one letter left out ("nhieu" typed "nheu")."""
    words = question_words()
    return folded in words or (len(folded) >= 3 and any(
        folded == w[:i] + w[i + 1:] for w in words if len(w) == len(folded) + 1 for i in range(len(w))))


def _fewer_marks(typed: str, written: str) -> bool:
    """Whether ``typed`` is ``written`` with some of its marks left out (never one added or changed)."""
    if len(typed) != len(written):
        return False
    for a, b in zip(typed.lower(), written.lower()):
        da, db = unicodedata.normalize("NFD", a), unicodedata.normalize("NFD", b)
        if a == b or (a == "d" and b == "đ"):
            continue
        if da[0] != db[0] or not set(da[1:]) <= set(db[1:]):
            return False
    return True


@lru_cache(maxsize=1)
def _english_words() -> frozenset[str]:
    return frozenset(w for phrase in load_yaml("english_terms.yaml") for w in str(phrase).lower().split())


@lru_cache(maxsize=1)
def _agency_heads() -> list[str]:
    return load_yaml("facts.yaml")["agency_heads"]


def holds_kind(query: Query, text: str) -> bool:
    """Whether quoted text holds what the question asks for."""
    if query.asks("list") or query.asks("task"):
        return True
    if query.asks("who") and not any(head in text for head in _agency_heads()):
        return False
    if query.asks("place") and not _PLACE.search(text):
        return False
    if query.asks("date") and not _DATE.search(text):
        return False
    if query.asks("time") and not _YEAR.search(text):
        return False
    if query.asks("quantity") and not _has_figure(text):
        return False
    return True


def gather(query: Query, contexts: list[str], dense: float, units: list[Unit], weights: TermWeights,
           vocabulary: Vocabulary) -> Evidence:
    """The evidence for a question from its answer passages and chosen sentences."""
    terms = query.terms()
    best = max((coverage(terms, text, weights) for text in contexts), default=0.0)
    if query.mode == "english":
        # The glossary knows only the domain's words: an English question is judged on the years
        # and names it gives, and on how much of it the glossary understood.
        missing = [m.group(0) for m in _YEAR.finditer(query.text) if m.group(0) not in vocabulary.years]
        missing += vocabulary.unknown_names(query.text, english=True)
        share = 1.0 if missing else max(0.0, 0.5 - query.understood)
    else:
        missing, share = vocabulary.missing(query)
    text = " ".join(u.text for u in units)
    lead = max(units, key=lambda u: u.score) if units else None
    frame = lead and (time_frame(lead.text) or time_frame(lead.context))
    frame_ok = not (query.frame and frame and frame != query.frame)
    return Evidence(best, dense, missing, share, bool(units) and holds_kind(query, text), frame_ok,
                    holds_figures(query, text), holds_subjects(terms, text, weights),
                    coverage(terms, text, weights) if units else 0.0, lead.score if lead else 0.0)


_ASKED_UNITS = {
    "%": re.compile(r"\b(phan tram|percent|percentage)\b|%"),
    "đồng": re.compile(r"\b(trieu dong|ty dong|bao nhieu (tien|trieu|ty)|vnd|dong tien)\b"),
    "km": re.compile(r"\b(km|kilomet)\b"),
    "mét": re.compile(r"\b(bao nhieu met|met vuong|m2)\b"),
    "tấn": re.compile(r"\bbao nhieu tan\b"),
    "người": re.compile(r"\bbao nhieu nguoi\b"),
}
_QUESTION_NUMBER = re.compile(r"(?<![\d.,/])(\d{1,3})(?![\d.,/%])\s*(?!%|trieu|ty\b|dong)")


@lru_cache(maxsize=1)
def _counted() -> re.Pattern:
    units = sorted((fold(u) for u in load_yaml("facts.yaml")["count_units"]), key=len, reverse=True)
    return re.compile(r"\b(?:bao nhieu|may)\s+(" + "|".join(units) + r")\b")


def holds_figures(query: Query, text: str) -> bool:
    """Whether quoted text holds the unit a question asks in ("bao nhiêu tiền", "mấy km") and the
    small numbers it names ("OCOP 3 sao", "mức độ 4"); a question comparing figures is not checked."""
    if query.asks("compare"):
        return True
    folded_question, folded_text = fold(query.text), fold(text)
    for unit, pattern in _ASKED_UNITS.items():
        if pattern.search(folded_question) and not pattern.search(folded_text) and unit not in text:
            return False
    for m in _counted().finditer(folded_question):
        unit = m.group(1)
        if not re.search(rf"\d[\d.,/]*\s*(?:%\s*(?:so\s+)?)?(?:{unit})\b", folded_text):
            return False  # "mấy huyện" is not answered by a count of communes
    for m in _QUESTION_NUMBER.finditer(folded_question):
        number = m.group(1)
        if not re.search(rf"(?<![\d.,/]){number}(?![\d.,])|(?<![\d.,/])0{number}(?![\d.,])", text):
            return False
    return True


def holds_subjects(terms: list[Term], text: str, weights: TermWeights, common: float = 0.25) -> bool:
    """Whether quoted text speaks of what the question names by abbreviation ("BHYT" → "bảo hiểm
    y tế"), unless that is what nearly every passage speaks of ("NTM")."""
    present = present_terms(text)
    for term in terms:
        if not term.alternatives or term.token not in abbreviations():
            continue
        pairs = [f"{a}_{b}" for alt in term.alternatives for a, b in zip(alt, alt[1:])]
        share = max((weights.df.get(p, 0) for p in pairs), default=0) / weights.n
        if share < common and not term_present(term, present):
            return False
    return True


def decide(evidence: Evidence, settings: AnswerSettings) -> str:
    """``answered``, ``related`` or ``not_found``."""
    relevant = evidence.coverage >= settings.related_coverage or evidence.dense >= settings.related_dense
    if not relevant:
        return NOT_FOUND_STATUS
    if (evidence.missing_share < settings.max_missing_share and evidence.consistent
            and evidence.coverage >= settings.min_coverage and evidence.dense >= settings.min_dense
            and evidence.sentence_score >= settings.min_sentence_score):
        return ANSWERED
    return RELATED
