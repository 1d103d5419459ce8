"""Evaluate: question-answer quality on a gold set, retrieval benchmarks on BEIR-style corpora."""
