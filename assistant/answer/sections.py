"""The part of a document a question names by its heading ("Trong phần tổ chức thực hiện, …").

A question that says a heading whole is asked of that part: "MTTQ được giao việc gì trong phần tổ
chức thực hiện?" is answered from "IV. TỔ CHỨC THỰC HIỆN", not from a task of the Front's set out
under another heading.
"""

from __future__ import annotations

from assistant.answer.items import heading_words, said_together
from assistant.retrieve.query import Query
from assistant.vietnamese import fold, syllables

# A heading of fewer words ("Mục tiêu", "Quan điểm") is said in questions about anything.
MIN_WORDS = 3


def named_sections(query: Query, document) -> frozenset[str]:
    """The clauses of ``document`` whose own heading (a heading line, not the start of a numbered
    paragraph) the question says whole, in order, with every clause under them."""
    asked = [fold(w).lower() for w in syllables(query.vietnamese)]
    named = {
        clause.id
        for clause in document.clauses
        if clause.heading_only
        and not clause.heading.rstrip().endswith("…")
        and len(words := heading_words(clause.heading)) >= MIN_WORDS
        and said_together(words, asked) == len(words)
    }
    if not named:
        return frozenset()
    under = {c.id for c in document.clauses if any(c.id.startswith(f"{n}.") for n in named)}
    return frozenset(named | under)
