"""Does the retrieved text answer the question? Decided from evidence, not from wording alone.

The evidence: how close in meaning the best passages are (dense cosine), how much of the
question's content the best passage holds once everyday words are mapped to the documents'
(lexicon, abbreviations), which content words of the question the documents never use at
all (a province, a reward, a year they do not speak of), and whether the chosen sentences
hold the kind of thing asked for (a figure, an agency, a year).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.answer.checks import holds_figures, holds_kind, holds_subjects
from assistant.answer.model import ANSWERED, NOT_FOUND_STATUS, RELATED
from assistant.answer.vocabulary import YEAR, Vocabulary
from assistant.retrieve.query import Query, time_frame
from assistant.retrieve.rerank import TermWeights, Unit, coverage
from assistant.settings import AnswerSettings


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

    @property
    def consistent(self) -> bool:
        return self.kind_ok and self.frame_ok and self.figures_ok and self.subjects_ok

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
        }


def gather(
    query: Query, contexts: list[str], dense: float, units: list[Unit], weights: TermWeights, vocabulary: Vocabulary
) -> Evidence:
    """The evidence for a question from its answer passages and chosen sentences."""
    terms = query.terms()
    best = max((coverage(terms, text, weights) for text in contexts), default=0.0)
    if query.mode == "english":
        # The glossary knows only the domain's words: an English question is judged on the years
        # and names it gives, and on how much of it the glossary understood.
        missing = [m.group(0) for m in YEAR.finditer(query.text) if m.group(0) not in vocabulary.years]
        missing += vocabulary.unknown_names(query.text, english=True)
        share = 1.0 if missing else 1.0 - query.understood
    else:
        missing, share = vocabulary.missing(query)
    text = " ".join(u.text for u in units)
    lead = max(units, key=lambda u: u.score) if units else None
    frame = lead and (time_frame(lead.text) or time_frame(lead.context))
    frame_ok = not (query.frame and frame and frame != query.frame)
    return Evidence(
        best,
        dense,
        missing,
        share,
        bool(units) and holds_kind(query, text),
        frame_ok,
        holds_figures(query, text),
        holds_subjects(terms, text, weights),
        coverage(terms, text, weights) if units else 0.0,
        lead.score if lead else 0.0,
        query.mode == "english",
    )


def decide(evidence: Evidence, settings: AnswerSettings) -> str:
    """``answered``, ``related`` or ``not_found``."""
    # Closeness in meaning alone does not make passages relevant to a question most of whose words the
    # documents never use ("công thức nấu phở bò"): the e5 cosines of unrelated Vietnamese texts run high.
    close = evidence.dense >= settings.related_dense and evidence.missing_share < 0.5
    relevant = evidence.coverage >= settings.related_coverage or close
    if not relevant:
        return NOT_FOUND_STATUS
    max_missing = settings.max_unknown_english if evidence.english else settings.max_missing_share
    if (
        evidence.missing_share < max_missing
        and evidence.consistent
        and evidence.coverage >= settings.min_coverage
        and evidence.dense >= settings.min_dense
        and evidence.sentence_score >= settings.min_sentence_score
    ):
        return ANSWERED
    return RELATED
