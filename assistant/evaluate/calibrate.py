"""``ntm eval calibrate``: how the answer step's thresholds trade false refusals for false answers.

Each single-part question is read once; its evidence is then judged again under every setting
of a small grid (the decision is the last step, so this costs no retrieval). A question whose
quotes hold its answer facts counts as answered right when the setting answers it. The grid is
that of the threshold rules (``NTM_ANSWER__DECISION=rules``); the learned decision is trained and
reported by ``ntm eval train-decision``.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from assistant.answer.evidence import Evidence, decide
from assistant.answer.model import ANSWERED
from assistant.settings import AnswerSettings

GRID = {
    "min_sentence_score": (1.2, 1.3, 1.35, 1.4, 1.5),
    "max_missing_share": (0.1, 0.15, 0.2, 0.3),
    "min_coverage": (0.35, 0.45, 0.55),
}


@dataclass
class Judged:
    """One question's evidence, and whether its quotes would answer it."""

    answerable: bool
    evidence: Evidence
    quotes_hold_facts: bool


def judge_questions(assistant, questions: list[dict]) -> list[Judged]:
    """The evidence of every single-part question (parts and gaps are left to ``ntm eval``)."""
    judged = []
    for q in questions:
        if int(q.get("parts", 1)) > 1:
            continue
        part = assistant.judge(q["question"])
        text = _squash(" ".join(quote.text for quote in part.quotes))
        holds = all(any(_squash(v) in text for v in group) for group in q.get("answer_facts", []))
        judged.append(Judged(q.get("answerable", True), part.evidence, bool(part.quotes) and holds))
    return judged


def sweep(judged: list[Judged], base: AnswerSettings) -> list[dict]:
    """False refusals, false answers and answer facts under every setting of the grid."""
    rows = []
    answerable = [j for j in judged if j.answerable]
    unanswerable = [j for j in judged if not j.answerable]
    for values in itertools.product(*GRID.values()):
        settings = base.model_copy(update=dict(zip(GRID, values)) | {"decision": "rules"})
        answered = [decide(j.evidence, settings) == ANSWERED for j in judged]
        by_id = dict(zip(map(id, judged), answered))
        rows.append(
            dict(zip(GRID, values))
            | {
                "answer_facts": _share(by_id[id(j)] and j.quotes_hold_facts for j in answerable),
                "not_answered": _share(not by_id[id(j)] for j in answerable),
                "false_answer": _share(by_id[id(j)] for j in unanswerable),
            }
        )
    return rows


def table(rows: list[dict], base: AnswerSettings) -> str:
    """The sweep as Markdown, the current setting in bold."""
    columns = list(GRID) + ["answer_facts", "not_answered", "false_answer"]
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for row in rows:
        current = all(row[k] == getattr(base, k) for k in GRID)
        cells = [f"**{row[c]}**" if current else str(row[c]) for c in columns]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _share(flags) -> float:
    flags = list(flags)
    return round(sum(flags) / len(flags), 3) if flags else 0.0


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()
