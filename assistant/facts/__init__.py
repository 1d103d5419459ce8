"""Structured facts read out of the documents: targets, baselines and responsibilities."""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.facts.responsibilities import Responsibility, extract_responsibilities
from assistant.facts.targets import Target, extract_targets

KINDS = ("targets", "baselines", "responsibilities")


@dataclass
class Facts:
    """Every fact of a set of documents, each with its clause and verbatim sentence."""

    targets: list[Target] = field(default_factory=list)
    baselines: list[Target] = field(default_factory=list)
    responsibilities: list[Responsibility] = field(default_factory=list)

    def to_json(self, kind: str | None = None) -> dict:
        """The contract's facts shape (``targets`` and ``responsibilities``), plus ``baselines``."""
        kinds = [kind] if kind else list(KINDS)
        return {k: [item.to_json() for item in getattr(self, k)] for k in kinds}

    def overlapping(self, doc_id: str, start: int, end: int) -> Facts:
        """The facts stated inside a span of a document (what a quoted sentence holds)."""

        def inside(item):
            return item.doc_id == doc_id and item.start < end and start < item.end

        return Facts(
            [t for t in self.targets if inside(t)],
            [b for b in self.baselines if inside(b)],
            [r for r in self.responsibilities if inside(r)],
        )


def extract_facts(documents) -> Facts:
    """The facts of every document, in document order."""
    facts = Facts()
    for document in documents:
        for figure in extract_targets(document):
            (facts.baselines if figure.kind == "baseline" else facts.targets).append(figure)
        facts.responsibilities.extend(extract_responsibilities(document))
    return facts
