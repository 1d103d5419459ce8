"""The facts a cited answer states, as rows for a small table beside it."""

from __future__ import annotations


def fact_rows(question_kind: str, facts, citations) -> list[dict]:
    """Rows of the facts stated by the cited spans: agencies for "who", figures for "how much"."""
    rows = []
    for citation in citations:
        inside = facts.overlapping(citation.doc_id, citation.start, citation.end)
        if question_kind == "who":
            rows += [
                {"agency": r.agency, "role": r.role, "task": r.task, "clause": r.clause, "n": citation.n}
                for r in inside.responsibilities
            ]
        else:
            rows += [
                {
                    "indicator": t.indicator,
                    "value": t.display(),
                    "deadline": t.deadline or "đến nay",
                    "kind": t.kind,
                    "clause": t.clause,
                    "n": citation.n,
                }
                for t in inside.targets + inside.baselines
            ]
    return rows
