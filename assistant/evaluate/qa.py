"""Question-answer evaluation on a gold file (``dev_questions.jsonl`` format)."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

from assistant.evaluate.metrics import percentile, rank_figures


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def first_evidence_rank(evidence: list[str], texts: list[str]) -> int | None:
    """1-based rank of the first text holding one of the evidence strings (whitespace/case-insensitive)."""
    wanted = [_squash(e) for e in evidence]
    return next((i for i, t in enumerate(texts, start=1) if any(e in _squash(t) for e in wanted)), None)


FOLDED_TAG = "all-without-diacritics"


def without_diacritics(questions: list[dict]) -> list[dict]:
    """Every question written with accents, typed again without them (tagged ``all-without-diacritics``).

    The gold file has few questions typed without accents; this variant of all of them
    measures how well the folded path holds up.
    """
    from assistant.vietnamese import fold, has_diacritics

    return [
        dict(q, id=f"{q['id']}-f", question=fold(q["question"]), tags=[FOLDED_TAG])
        for q in questions
        if has_diacritics(q["question"])
    ]


@dataclass
class QuestionResult:
    """What happened to one question."""

    id: str
    tags: list[str]
    answerable: bool
    found: bool
    rank: int | None  # first passage holding the evidence, 1-based
    facts_ok: bool | None
    citations_ok: bool
    latency_ms: float
    answer: str = ""
    clauses: list[str] = field(default_factory=list)
    status: str = ""  # answered / related / not_found
    parts: int = 1
    mode: str = "extractive"  # "llm" when the model's checked answer was shown
    generated: int = 0  # sentences the model wrote (0: the model was not asked)
    dropped: int = 0  # of those, sentences the checks did not let through
    model_asked: bool = False
    hedged: bool = False  # the facts are quoted, under a "not said directly" lead (a false hedge)
    documents: list[str] = field(default_factory=list)  # the documents the answer quotes


def evaluate_questions(assistant, questions: list[dict], llm: bool | None = False) -> list[QuestionResult]:
    """Ask every question once and judge retrieval, answer facts, refusals and citations
    (``llm``: the model's checked answers, with how many of its sentences were dropped)."""
    results = []
    for q in questions:
        started = time.perf_counter()
        answer, passages = assistant.ask(q["question"], hits=10, llm=llm)
        latency = (time.perf_counter() - started) * 1000
        rank = first_evidence_rank(q.get("evidence", []), [p.text for p in passages])
        facts_ok = hedged = None
        if q.get("answerable", True):
            text = _squash(answer.answer)
            groups = q.get("answer_facts", [])
            quoted = all(any(_squash(v) in text for v in group) for group in groups)
            facts_ok = answer.found and quoted
            hedged = answer.status == "related" and quoted
        citations_ok = all(assistant.verify_quote(c.doc_id, c.start, c.end, c.quote) for c in answer.citations)
        results.append(
            QuestionResult(
                q["id"],
                q.get("tags", []),
                q.get("answerable", True),
                answer.found,
                rank,
                facts_ok,
                citations_ok,
                latency,
                answer.answer,
                [c.clause for c in answer.citations],
                answer.status,
                int(q.get("parts", 1)),
                answer.mode,
                answer.llm.get("generated", 0),
                len(answer.dropped),
                bool(answer.llm),
                bool(hedged),
                list(dict.fromkeys(c.doc_id for c in answer.citations)),
            )
        )
    return results


def summarise(results: list[QuestionResult]) -> dict:
    """Overall and per-tag figures."""
    groups: dict[str, list[QuestionResult]] = {"overall": [r for r in results if FOLDED_TAG not in r.tags]}
    for r in results:
        for tag in r.tags:
            groups.setdefault(tag, []).append(r)
    return {name: _figures(items) for name, items in groups.items()}


def _figures(items: list[QuestionResult]) -> dict:
    answerable = [r for r in items if r.answerable]
    n = len(answerable)

    def mean(values):
        return round(sum(values) / len(values), 3) if values else None

    return {
        "n": len(items),
        **rank_figures([([r.rank] if r.rank else [], 1) for r in answerable], at=(1, 3, 5), digits=3, empty=None),
        "answer_facts": mean([1.0 if r.facts_ok else 0.0 for r in answerable]),
        "no_answer_accuracy": mean([1.0 if r.found == r.answerable else 0.0 for r in items]),
        "answered": sum(1 for r in items if r.status == "answered"),
        "related": sum(1 for r in items if r.status == "related"),
        "not_found": sum(1 for r in items if r.status == "not_found"),
        # An answerable question told "not found"; one answered only as "related" is counted apart.
        "false_refusal": mean([1.0 if r.status == "not_found" else 0.0 for r in answerable]),
        # The right quote under a "not said directly" lead: read as "the resolution says nothing about it".
        "false_hedge": mean([1.0 if r.hedged else 0.0 for r in answerable]),
        "related_on_answerable": mean([1.0 if r.status == "related" else 0.0 for r in answerable]),
        # A question the documents do not answer, answered outright (with a quote as if it did).
        "false_answer": mean([1.0 if r.status == "answered" else 0.0 for r in items if not r.answerable]),
        "multi_part_full": mean([1.0 if r.facts_ok else 0.0 for r in answerable if r.parts > 1]),
        "citation_validity": mean([1.0 if r.citations_ok else 0.0 for r in items]),
        "latency_ms_p50": round(percentile([r.latency_ms for r in items], 50), 1),
        "latency_ms_p95": round(percentile([r.latency_ms for r in items], 95), 1),
        "n_answerable": n,
        # With the language model: the share of its sentences the checks dropped, and how often the
        # extractive answer stood in for it (None when the model was not asked).
        "llm_dropped_share": _share(sum(r.dropped for r in items), sum(r.generated for r in items)),
        "llm_fallback_rate": _share(
            sum(1 for r in items if r.model_asked and r.mode != "llm"), sum(1 for r in items if r.model_asked)
        ),
    }


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None
