"""Sentence vectors, computed when first needed and kept by their text.

An answer unit's vector only serves to score the sentences of the passages retrieval returns, so
indexing embeds the passages alone and a sentence is embedded the first time a question (or the
warm-up after indexing) reaches its passage. Vectors are kept on disk under ``index/sentences/``,
named by a hash of the embedder and the sentence's text: a sentence is embedded once, whatever the
generation, the document or the edit it comes back in.

    index/sentences/<time>-<pid>-<n>.npz   keys (hashes) and vectors of the sentences one process
                                           embedded at one time: written whole, then renamed

Any process may add a file at any moment (the server, ``ntm ask``, ``ntm index``) and no file is
ever changed, so readers and writers need no lock; ``compact`` (run by the indexer, under its
lock) merges the files into one and drops what no kept generation uses.
"""

from __future__ import annotations

import errno
import hashlib
import itertools
import logging
import os
import threading
import time
from collections.abc import Iterable
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

KEY_BYTES = 16
_counter = itertools.count()


def sentence_key(embedder: str, text: str) -> bytes:
    """What a sentence's vector is filed under: the embedder's name and the exact text."""
    return hashlib.blake2b(f"{embedder}\n{text}".encode(), digest_size=KEY_BYTES).digest()


class SentenceVectors:
    """The sentence vectors of one index folder for one embedder (shared by every generation)."""

    def __init__(self, index_dir: Path, embedder: str):
        self.folder = Path(index_dir) / "sentences"
        self.embedder = embedder
        self._vectors: dict[bytes, np.ndarray] = {}
        self._read: set[str] = set()  # files already read
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._vectors)

    def files(self) -> int:
        """How many files hold the vectors on disk."""
        return len(list(self.folder.glob("*.npz"))) if self.folder.exists() else 0

    def refresh(self) -> None:
        """Read the files other processes added since the last look."""
        try:
            names = sorted(p.name for p in self.folder.glob("*.npz"))
        except FileNotFoundError:
            return
        for name in names:
            if name in self._read:
                continue
            try:
                with np.load(self.folder / name) as data:
                    keys, vectors = data["keys"], data["vectors"]
            except (FileNotFoundError, OSError, ValueError, KeyError):  # compacted meanwhile, or half-written
                continue
            with self._lock:
                for key, vector in zip(keys, vectors):
                    self._vectors.setdefault(key.tobytes(), vector)
                self._read.add(name)

    def get(self, texts: list[str]) -> list[np.ndarray | None]:
        """The known vector of each text (None where none is known yet), without embedding."""
        return [self._vectors.get(sentence_key(self.embedder, t)) for t in texts]

    def vectors(self, texts: list[str], embedder) -> np.ndarray:
        """A vector per text: those known, the others embedded now (in one call) and kept."""
        found = self.get(texts)
        if any(v is None for v in found):
            self.refresh()  # another process may have embedded them meanwhile
            found = self.get(texts)
        missing = list(dict.fromkeys(t for t, v in zip(texts, found) if v is None))
        if missing:
            self.add(missing, np.asarray(embedder.get_text_embedding_batch(missing), dtype="float32"))
            found = self.get(texts)
        return np.asarray(found, dtype="float32").reshape(len(texts), -1)

    def add(self, texts: list[str], vectors: np.ndarray) -> None:
        """Keep vectors in memory and on disk (one new file, renamed into place when whole)."""
        keys = [sentence_key(self.embedder, t) for t in texts]
        with self._lock:
            for key, vector in zip(keys, vectors):
                self._vectors[key] = vector
        name = self._write(keys, vectors)
        if name:
            self._read.add(name)

    def _write(self, keys: list[bytes], vectors: np.ndarray) -> str | None:
        if not keys:
            return None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            name = f"{time.time_ns():020d}-{os.getpid()}-{next(_counter)}.npz"
            tmp = self.folder / f".{name}.tmp"
            with open(tmp, "wb") as handle:
                np.savez(
                    handle,
                    keys=np.frombuffer(b"".join(keys), dtype=np.uint8).reshape(len(keys), KEY_BYTES),
                    vectors=np.asarray(vectors, dtype="float32"),
                )
            tmp.replace(self.folder / name)
            return name
        except OSError as exc:  # a read-only index still answers; the vectors stay in memory
            if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
                log.debug("read-only index folder: sentence vectors kept in memory only (%s)", exc)
            else:
                log.warning("sentence vectors not saved: %s", exc)
            return None

    def missing(self, texts: Iterable[str]) -> list[str]:
        """The distinct texts without a vector yet."""
        self.refresh()
        return [t for t in dict.fromkeys(texts) if sentence_key(self.embedder, t) not in self._vectors]

    def compact(self, keep: Iterable[str]) -> None:
        """Merge the files into one holding only the sentences in ``keep`` (the texts of the kept
        generations); files added while this runs are left as they are."""
        self.refresh()
        wanted = {sentence_key(self.embedder, t) for t in keep}
        old = set(self._read)
        if len(old) <= 1 and len(wanted) == len(self._vectors):
            return
        keys = [k for k in self._vectors if k in wanted]
        name = self._write(keys, np.asarray([self._vectors[k] for k in keys], dtype="float32"))
        for stale in old:
            (self.folder / stale).unlink(missing_ok=True)
        with self._lock:
            self._vectors = {k: self._vectors[k] for k in keys}
            self._read = {name} if name else set()
