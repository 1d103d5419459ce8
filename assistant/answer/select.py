"""Which sentences to quote: the best one, then whatever the question asks that it leaves out.

A question about two indicators gets both halves of a bullet, a question about a task gets
the whole sentence (its subject and both halves), a list question gets every item of the
list (bounded).
"""

from __future__ import annotations

from assistant.answer.checks import NAMED_KINDS, holds_kind
from assistant.retrieve.query import Query, time_frame
from assistant.retrieve.rerank import TermWeights, Unit, present_terms, term_present
from assistant.settings import AnswerSettings


def choose(query: Query, units: list[Unit], weights: TermWeights, settings: AnswerSettings) -> list[Unit]:
    """The quotes for a question, in document order."""
    if not units:
        return []
    ranked = sorted(units, key=lambda u: u.score, reverse=True)
    first = _first(query, ranked, settings)
    if query.asks("list"):
        return _list_items(first, units, settings)
    chosen = [first]
    terms = query.terms()
    covered = {t for t in terms if term_present(t, present_terms(first.text))}
    total = sum(weights.idf(t.token) for t in terms) or 1.0
    for unit in ranked:
        if len(chosen) >= settings.max_quotes or unit.score < first.score - settings.complement_margin:
            break
        if unit in chosen or _clashes(query, unit):
            continue
        near = unit.score >= first.score - settings.extra_margin
        same_passage = unit.chunk_id == first.chunk_id and unit.score >= first.score - settings.same_passage_margin
        adds = {t for t in terms if t not in covered and term_present(t, present_terms(unit.text))}
        gain = sum(weights.idf(t.token) for t in adds) / total
        # further down, only a sentence of the best one's passage that holds what the others lack
        # ("làng nghề truyền thống với du lịch": the clause on tourism beside the one on craft villages)
        if not near and not (unit.chunk_id == first.chunk_id and gain >= settings.min_gain):
            continue
        if same_passage or gain >= settings.min_gain:
            chosen.append(unit)
            covered |= adds
    return sorted(chosen, key=lambda u: (u.rank, u.start))


def _first(query: Query, ranked: list[Unit], settings: AnswerSettings) -> Unit:
    """The best sentence, or a nearly as good one that holds what was asked (a figure, an agency);
    for a yes/no question on one time, one that speaks of it (the situation so far: "đã làm tốt rồi
    phải không?" is answered by the assessment "chưa được quan tâm đúng mức", not by the task set)."""
    best = ranked[0]
    if query.frame and query.asks("yes_no"):
        timed = _near(
            ranked,
            best.score - settings.frame_margin,
            lambda u: holds_kind(query, u.text) and _of_the_time_asked(query, u),
        )
        if timed is not None:
            return timed
    chosen = _near(ranked, best.score - settings.kind_margin, lambda u: holds_kind(query, u.text))
    if chosen is None and not query.kinds & NAMED_KINDS:
        # further down, a clause of the best sentence's own passage that holds it: "định kỳ hằng quý,
        # sáu tháng …" after the task it times; or any that gives the names of the campaigns asked
        # for ("phong trào thi đua “Cả tỉnh chung sức …”"). A place or person asked for is not looked
        # for that far.
        chosen = _near(
            ranked,
            best.score - settings.passage_kind_margin,
            lambda u: (u.chunk_id == best.chunk_id or query.asks("title")) and holds_kind(query, u.text),
        )
    return chosen or best


def _near(ranked: list[Unit], floor: float, fits) -> Unit | None:
    """The best-scored sentence down to ``floor`` that ``fits``."""
    return next((u for u in ranked if u.score >= floor and fits(u)), None)


def _of_the_time_asked(query: Query, unit: Unit) -> bool:
    """The sentence (or its passage) speaks of the time the question asks about."""
    return (time_frame(unit.text) or time_frame(unit.context)) == query.frame


def _list_items(first: Unit, units: list[Unit], settings: AnswerSettings) -> list[Unit]:
    """Every item of the passage holding the best sentence, in order, at most ``max_list_items``."""
    items = sorted((u for u in units if u.chunk_id == first.chunk_id), key=lambda u: u.start)
    return items[: settings.max_list_items]


def _clashes(query: Query, unit: Unit) -> bool:
    """A sentence about the other time (today's figure for a question on the target, or back)."""
    frame = time_frame(unit.text) or time_frame(unit.context)
    return bool(query.frame and frame and frame != query.frame)
