"""Baseline against target: today's figure, the target's, and the gap computed from both.

The facts engine already reads both kinds of figure out of the documents (``ntm facts``):
"Đến nay … 171/182 xã (tỷ lệ 94%) đạt chuẩn" is a baseline, "100% số xã đạt chuẩn" a target.
The pair is the baseline and the target that best match the question and measure the same
thing in the same unit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import cast

from assistant.facts.targets import Target
from assistant.retrieve.query import Term
from assistant.retrieve.rerank import TermWeights, coverage, present_terms, term_present


@dataclass
class Gap:
    """A baseline, a target and how far apart they are."""

    baseline: Target
    target: Target
    amount: float | None  # in ``unit``; None when the two are not in the same unit
    unit: str
    strict: bool  # the target is "more than": reaching it exactly is not enough
    met: bool


def find_gap(terms: list[Term], facts, weights: TermWeights, min_match: float = 0.4) -> Gap | None:
    """The best matching baseline and target for the question, and their gap."""
    from assistant.retrieve.query import cue_words

    # What is measured, not when or how much: cue words and the figures the question itself states
    # ("hiện nay 8/13 huyện rồi, tới 2025 phải bao nhiêu huyện" measures districts) are dropped.
    subject = [
        t
        for t in terms
        if not set(t.token.split("_")) & cue_words() and not any(w.isdigit() for w in t.token.split("_"))
    ] or terms

    def match(fact: Target) -> float:
        return coverage(subject, f"{fact.indicator} {fact.unit}", weights)

    # The question's rarest subject word names what is measured ("BHYT" in "tỷ lệ tham gia BHYT"):
    # a figure whose indicator lacks it measures something else (the communes' 94%).
    # A word no figure measures is no key ("chừ mới tám huyện": "tám" folds onto "tâm").
    measured = [present_terms(f"{f.indicator} {f.unit}") for f in [*facts.baselines, *facts.targets]]
    words = [
        t
        for t in subject
        if "_" not in t.token
        and (weights.known(t.token) or t.alternatives)
        and any(term_present(t, present) for present in measured)
    ]
    key = max(words, key=lambda t: weights.idf(t.token), default=None)

    def measures(fact: Target) -> bool:
        return key is None or term_present(key, present_terms(f"{fact.indicator} {fact.unit}"))

    # A figure the question states ("có 171 xã rồi", "8/13 huyện") points at the fact that gives it.
    stated = {float(w) for t in terms for w in t.token.split("_") if w.isdigit()}

    def states(fact: Target) -> bool:
        return isinstance(fact.value, float | int) and float(fact.value) in stated

    baselines = sorted((b for b in facts.baselines if isinstance(b.value, float | int)), key=match, reverse=True)
    targets = sorted((t for t in facts.targets if isinstance(t.value, float | int)), key=match, reverse=True)
    best: tuple[float, Gap] | None = None
    for baseline in [b for b in baselines if measures(b)][:6]:
        for target in [t for t in targets if measures(t)][:6]:
            gap = _compare(baseline, target)
            score = match(baseline) + match(target) + (0.3 if gap.amount is not None else 0.0)
            score += 0.3 * (states(baseline) + states(target))
            if best is None or score > best[0]:
                best = (score, gap)
    if best is None or min(match(best[1].baseline), match(best[1].target)) < min_match:
        return None
    return best[1]


def _compare(baseline: Target, target: Target) -> Gap:
    strict = target.operator == ">"
    if baseline.total and baseline.total == target.total:
        # "8/13 huyện" against "13/13 đơn vị cấp huyện": the gap in units of the same whole.
        amount = float(target.value) - float(baseline.value)
        met = amount <= 0 if not strict else amount < 0
        return Gap(baseline, target, amount, baseline.unit or target.unit or "đơn vị", strict, met)
    b_pct = _percent(baseline)
    t_pct = _percent(target)
    if b_pct is not None and t_pct is not None:
        amount, unit = t_pct - b_pct, "điểm %"
        if baseline.total and target.unit == "%" and baseline.unit != "%":
            # "171/182 xã" against "100% số xã": the gap also in communes.
            # Both are numbers: find_gap passes only figures with a numeric value.
            target_value, baseline_value = cast(float, target.value), cast(float, baseline.value)
            needed = math.ceil(target_value * baseline.total / 100 - 1e-9) - baseline_value
            return Gap(baseline, target, needed, baseline.unit or "đơn vị", strict, needed <= 0 and not strict)
        return Gap(baseline, target, amount, unit, strict, amount <= 0 if not strict else amount < 0)
    if _same_unit(baseline.unit, target.unit):
        amount = float(target.value) - float(baseline.value)
        return Gap(baseline, target, amount, target.unit, strict, amount <= 0 if not strict else amount < 0)
    return Gap(baseline, target, None, "", strict, False)


def _percent(fact: Target) -> float | None:
    if fact.unit == "%" or fact.unit.startswith("%"):
        return float(fact.value)
    if fact.total:
        return 100.0 * float(fact.value) / float(fact.total)
    return None


def _same_unit(a: str, b: str) -> bool:
    return bool(a) and bool(b) and a.split()[0] == b.split()[0]
