"""Figures written into a question ("BHYT đạt 94%, thu nhập 58 triệu thì đã đạt chưa?") matched to criteria.

Each figure is matched to the criterion whose name, key and quote share the most words
with the phrase around it (abbreviations spelt out), so the chat can answer with a
status table instead of a passage.
"""

from __future__ import annotations

import re
from functools import lru_cache

from assistant.criteria.sets_loader import CriteriaSet
from assistant.data import load_yaml
from assistant.retrieve.query import abbreviations, question_words
from assistant.vietnamese import fold, syllables, with_bigrams

_FIGURE = re.compile(
    r"\d+(?:[.,]\d+)*(?:/\d+)?\s*(?:%|phần trăm|triệu(?: đồng)?|tỷ(?: đồng)?|sản phẩm|huyện|xã|điểm)?", re.IGNORECASE
)
_SEGMENT_BREAK = re.compile(r"[,;]|\s(?:và|còn|với|thì)\s", re.IGNORECASE)


@lru_cache(maxsize=1)
def _cues() -> re.Pattern:
    cues = load_yaml("check_cues.yaml")["cues"]
    return re.compile(r"\b(?:" + "|".join(cues) + r")\b")


def asks_for_status(question: str) -> bool:
    """A question that gives figures and asks whether they meet the targets."""
    return bool(_FIGURE.search(question)) and bool(_cues().search(fold(question)))


def figures_in(question: str, criteria_set: CriteriaSet) -> dict[str, str]:
    """{criterion key: the figure as written} for every figure the question ties to a criterion."""
    found: dict[str, str] = {}
    for segment in _SEGMENT_BREAK.split(question):
        figure = _FIGURE.search(segment)
        if not figure:
            continue
        words = _terms(segment[: figure.start()] + " " + segment[figure.end() :])
        best, best_score = None, 0.0
        for criterion in criteria_set.criteria:
            if criterion.key in found:
                continue
            score = len(words & _criterion_terms(criterion.key, criterion.name, criterion.quote or ""))
            if score > best_score:
                best, best_score = criterion, score
        if best is not None and best_score >= 2:
            found[best.key] = figure.group(0).strip()
    return found


def _terms(text: str) -> set[str]:
    table = abbreviations()
    words = []
    for word in syllables(text):
        folded = fold(word)
        full = table.get(folded)
        words += [fold(w) for w in syllables(full)] if full else [folded]
    stop = question_words() | {"dat", "chua", "roi"}
    return {t for t in with_bigrams([w for w in words if w not in stop])}


@lru_cache(maxsize=512)
def _criterion_terms(key: str, name: str, quote: str) -> frozenset[str]:
    return frozenset(_terms(f"{name} {quote}") | _terms(key.replace("_", " ")))
