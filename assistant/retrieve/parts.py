"""A question in several parts ("BHYT bao nhiêu, còn nước sạch thì sao?") cut into its parts.

Cuts fall where ``data/question_kinds.yaml`` says parts meet (a second question word after
"và", ", còn", ";", "?"). A part that only names its subject borrows the asking words of the
part before it ("… còn nước sạch?" asks what the first part asked, about clean water).
"""

from __future__ import annotations

import re
from functools import lru_cache

from assistant.data import load_yaml
from assistant.vietnamese import fold


@lru_cache(maxsize=1)
def _rules() -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    data = load_yaml("question_kinds.yaml")
    breaks = re.compile("|".join(f"(?:{b})" for b in data["part_breaks"]))
    asking = re.compile(r"\b(?:" + "|".join(data["part_question_words"]) + r")\b")
    carried = re.compile(r"\b(?:" + "|".join(data["carried_words"]) + r")\b")
    return breaks, asking, carried


def split_parts(question: str, max_parts: int = 3) -> list[str]:
    """The parts of a question, each one a question of its own; one part when it is not split."""
    text = " ".join(question.split()).strip()
    folded = fold(text)  # same length as the text: cut positions carry over
    if len(folded) != len(text):
        return [text]
    breaks, asking, carried = _rules()
    cuts = [(m.start(), m.end()) for m in breaks.finditer(folded)]
    pieces, cursor = [], 0
    for start, end in cuts:
        pieces.append((cursor, start))
        cursor = end
    pieces.append((cursor, len(text)))
    parts = [(text[a:b].strip(" ,;?."), folded[a:b].strip(" ,;?.")) for a, b in pieces]
    parts = [(p, f) for p, f in parts if len(f.split()) >= 2]
    if len(parts) < 2:
        return [text]
    merged: list[str] = []
    for i, (part, part_folded) in enumerate(parts):
        if asking.search(part_folded) or i == 0:
            merged.append(part)
            continue
        borrowed = [m.group(0) for m in carried.finditer(fold(merged[-1]))]
        if not borrowed:
            merged[-1] = f"{merged[-1]}, {part}"  # not a question of its own: keep it with the one before
            continue
        words = [_accented(merged[-1], b) for b in borrowed]
        merged.append(f"{' '.join(words)} {part}")
    merged = [m for m in merged if m]
    return merged[:max_parts] if len(merged) > 1 else [text]


def _accented(text: str, folded_phrase: str) -> str:
    """The words of ``text`` that fold to ``folded_phrase``, as written."""
    folded = fold(text)
    at = folded.find(folded_phrase)
    return text[at:at + len(folded_phrase)] if at >= 0 else folded_phrase
