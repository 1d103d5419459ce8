"""BM25 (bm25s) over Vietnamese syllables and bigrams: an accented field and a diacritic-folded one."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from assistant.vietnamese import accented_tokens, folded_tokens

FIELDS = {"accented": accented_tokens, "folded": folded_tokens}


class LexicalIndex:
    """Two BM25 models over the same passages, persisted under ``index/bm25``."""

    def __init__(self, ids: list[str], models: dict):
        self.ids = ids
        self._models = models

    @classmethod
    def build(cls, ids: list[str], texts: list[str], k1: float = 1.2, b: float = 0.75) -> LexicalIndex:
        """Index passages (their context text) in both fields."""
        import bm25s

        models = {}
        for name, tokenize in FIELDS.items():
            model = bm25s.BM25(k1=k1, b=b)
            if texts:
                model.index([tokenize(t) or ["∅"] for t in texts], show_progress=False)
            models[name] = model
        return cls(ids, models)

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        for name, model in self._models.items():
            if self.ids:
                model.save(str(folder / name))
        (folder / "ids.json").write_text(json.dumps(self.ids), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex:
        import bm25s

        ids = json.loads((folder / "ids.json").read_text(encoding="utf-8"))
        models = {name: bm25s.BM25.load(str(folder / name)) for name in FIELDS} if ids else {}
        return cls(ids, models)

    def scores(
        self, query: str, field: str, extra_tokens: Sequence[str] = (), within: np.ndarray | None = None
    ) -> np.ndarray:
        """BM25 score of every passage (in ``ids`` order) for the query in one field; with ``within``
        (a mask of passages), scored as if those passages were the whole index (how rare a word is
        among them), the others 0."""
        if not self.ids:
            return np.zeros(0, dtype="float32")
        model = self._models[field]
        vocab = model.vocab_dict
        tokens = [t for t in FIELDS[field](query) + list(extra_tokens) if t in vocab]
        if not tokens:
            return np.zeros(len(self.ids), dtype="float32")
        if within is None:
            return model.get_scores(tokens)
        return np.where(within, _rescaled(model, [vocab[t] for t in tokens], within), 0.0)


def _idf(n: float, df: float) -> float:
    return float(np.log(1 + (n - df + 0.5) / (df + 0.5)))


def _rescaled(model, token_ids: list[int], within: np.ndarray) -> np.ndarray:
    """BM25 scores with each word's idf taken among the passages ``within`` holds (lucene's idf,
    as the index was built with): the stored per-passage scores are the global idf times the
    word's saturated frequency, so each is multiplied by the ratio of the two idfs."""
    data, indices, indptr = model.scores["data"], model.scores["indices"], model.scores["indptr"]
    total, kept = len(within), int(within.sum())
    scores = np.zeros(total, dtype="float32")
    for t in token_ids:
        rows = indices[indptr[t] : indptr[t + 1]]
        if not len(rows):
            continue
        ratio = _idf(kept, int(within[rows].sum())) / _idf(total, len(rows))
        scores[rows] += data[indptr[t] : indptr[t + 1]] * ratio
    return scores
