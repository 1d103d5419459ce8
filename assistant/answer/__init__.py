"""Answer: decide from the evidence whether the documents answer, then quote, cite and compute gaps."""

from assistant.answer.model import Answer, Citation

__all__ = ["Answer", "Citation"]
