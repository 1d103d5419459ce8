"""Answer: decide from the evidence whether the documents answer, then quote, cite and compute gaps."""

from assistant.answer.model import NOT_FOUND, Answer, Citation

__all__ = ["NOT_FOUND", "Answer", "Citation"]
