"""The persisted index on disk, in generations that are switched atomically.

    index/CURRENT                  the serving generation's name (replaced atomically)
    index/generations/<name>/      its manifest.json and bm25/ (written once, never changed)
    index/store/<entry>.json       one parsed document (text, structure, passages, answer units),
    index/store/<entry>.chunks.npy its passage vectors; an entry is named after the file's content
                                   and the settings that shaped it, so generations share it and a
                                   run killed half-way reuses what it finished
    index/sentences/               answer-sentence vectors by text, embedded when first needed
                                   (``sentences.py``)
    index/chroma/                  embedded Chroma: one collection per generation (or a server's)

A build writes a new generation beside the serving one and then replaces ``CURRENT``: a killed
build leaves the previous generation serving, and what it wrote unreferenced until the next run
sweeps it away.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path

import numpy as np

from assistant import errors
from assistant.index.manifest import Manifest, checksum
from assistant.index.sentences import SentenceVectors
from assistant.ingest.chunk import Chunk
from assistant.ingest.document import Document

KEEP_GENERATIONS = 2  # the serving one and the one before it, still read by a server switching over
ENTRY_FILE = re.compile(r"^(.*\.[0-9a-f]{16})\.")  # an entry's files: <key>.json, <key>.units.npy...
LEGACY = ("docs", "bm25", "manifest.json")  # the single-generation layout of earlier versions


def entry_key(doc_id: str, digest: str, recipe: str) -> str:
    """The store entry of one file's content indexed with one recipe (embedder, passage size...)."""
    return f"{doc_id}.{hashlib.sha256(f'{digest}|{recipe}'.encode()).hexdigest()[:16]}"


def collection_name(base: str, index_dir: Path, generation: str) -> str:
    """A Chroma collection private to one index folder and one of its generations, so one Chroma
    server holds many index folders and a rebuild never touches the vectors being served."""
    folder = hashlib.sha256(str(Path(index_dir).resolve()).encode()).hexdigest()[:10]
    return f"{base}-{folder}-{generation}"


class Generation:
    """One complete, immutable state of the index: its manifest and BM25, read through the store."""

    def __init__(self, files: IndexFiles, name: str):
        self.files = files
        self.name = name
        self.dir = files.generations / name
        self.manifest_path = self.dir / "manifest.json"
        self.bm25 = self.dir / "bm25"
        self._manifest: Manifest | None = None

    @property
    def manifest(self) -> Manifest:
        """The generation's manifest; ``IndexBroken`` when it cannot be read."""
        if self._manifest is None:
            try:
                self._manifest = Manifest.load(self.manifest_path)
            except (OSError, ValueError, TypeError) as exc:
                raise errors.IndexBroken(self.files.root, f"{self.name}/manifest.json: {_reason(exc)}") from exc
        return self._manifest

    @contextmanager
    def reading(self):
        """Turn a file of this generation that does not read back (garbage, cut short) into
        ``IndexBroken``, as ``verify`` does for one that differs from its checksum."""
        try:
            yield
        except (OSError, ValueError, TypeError, KeyError, EOFError) as exc:
            raise errors.IndexBroken(self.files.root, f"{self.name}: {_reason(exc)}") from exc

    def verify(self) -> None:
        """Check that every file the manifest names is there with the size and hash it was written
        with (``IndexBroken`` naming the first that is not); manifests of earlier versions, without
        checksums, have their files' presence checked."""
        manifest = self.manifest
        expected: dict[str, list | None] = dict(manifest.checksums)
        if not expected:
            needed = [self.bm25 / "ids.json"] + [self.files.store / f"{k}.json" for k in self.entries().values()]
            expected = {self.files.relative(p): None for p in needed}
        for relative, recorded in expected.items():
            path = self.files.root / relative
            try:
                if recorded is None:
                    if not path.is_file():
                        raise FileNotFoundError(relative)
                elif path.stat().st_size != recorded[0] or checksum(path) != list(recorded):
                    raise errors.IndexBroken(self.files.root, f"{relative}: checksum mismatch")
            except OSError as exc:
                raise errors.IndexBroken(self.files.root, f"{relative}: {_reason(exc)}") from exc

    @property
    def collection(self) -> str:
        return self.manifest.collection

    def entries(self) -> dict[str, str]:
        """Document id → store entry, in document id order."""
        return dict(sorted((e["doc_id"], e["key"]) for e in self.manifest.files.values()))

    def doc_ids(self) -> list[str]:
        return list(self.entries())

    def load_document(
        self,
        doc_id: str,
        sentences: SentenceVectors | None = None,
    ) -> tuple[Document, list[Chunk], list[tuple[str, int, int]], np.ndarray]:
        """A document, its passages, its answer units and their vectors as far as known (a row of
        zeros for a sentence not embedded yet)."""
        document, chunks, units = self.files.load_entry(self.entries()[doc_id])
        vectors = self.files.load_vectors(self.entries()[doc_id], "units")  # made by earlier versions
        if vectors is not None and len(vectors) == len(units):
            return document, chunks, units, vectors
        if sentences is None:
            sentences = SentenceVectors(self.files.root, self.manifest.embedder)
            sentences.refresh()
        known = sentences.get([document.text[a:b] for _, a, b in units])
        dim = next((len(v) for v in known if v is not None), self.manifest.dim or 0)
        vectors = np.zeros((len(units), dim), dtype="float32")
        for row, vector in enumerate(known):
            if vector is not None:
                vectors[row] = vector
        return document, chunks, units, vectors


class IndexFiles:
    """Paths and plain-file storage under the index folder (Chroma keeps its own)."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.pointer = self.root / "CURRENT"
        self.generations = self.root / "generations"
        self.store = self.root / "store"
        self.lock = self.root / ".lock"

    # -- generations ----------------------------------------------------------------------------
    def current_name(self) -> str | None:
        """The serving generation's name, or None before the first build."""
        try:
            name = self.pointer.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        return name or None

    def checksums(self, bm25: Path, keys) -> dict[str, list]:
        """[size, SHA-256] of every file a generation reads: its BM25 and its store entries."""
        paths = [p for p in sorted(Path(bm25).rglob("*")) if p.is_file()]
        for key in keys:
            paths += [p for p in self.entry_paths(key) if p.exists()]
        return {self.relative(p): checksum(p) for p in paths}

    def relative(self, path: Path) -> str:
        """A path under the index folder as the manifest names it."""
        return Path(path).relative_to(self.root).as_posix()

    def current(self) -> Generation | None:
        """The serving generation (None before the first build or when its folder is gone)."""
        name = self.current_name()
        if name is None or not (self.generations / name / "manifest.json").exists():
            return None
        return Generation(self, name)

    def exists(self) -> bool:
        return self.current() is not None

    def new_generation(self) -> Generation:
        """A fresh, empty generation folder named after the next number."""
        self.generations.mkdir(parents=True, exist_ok=True)
        numbers = [int(p.name[1:]) for p in self.generations.glob("g*") if p.name[1:].isdigit()]
        current = self.current_name() or "g0"
        number = max(numbers + [int(current[1:]) if current[1:].isdigit() else 0]) + 1
        generation = Generation(self, f"g{number:06d}")
        shutil.rmtree(generation.dir, ignore_errors=True)
        generation.dir.mkdir(parents=True)
        return generation

    def switch(self, generation: Generation) -> None:
        """Make ``generation`` the serving one: a single atomic rename."""
        tmp = self.root / "CURRENT.tmp"
        with open(tmp, "w", encoding="utf-8") as handle:
            handle.write(generation.name + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        tmp.replace(self.pointer)

    def kept(self) -> list[str]:
        """Generations to keep: the newest ``KEEP_GENERATIONS`` up to the serving one."""
        current = self.current_name()
        names = sorted(p.name for p in self.generations.glob("g*")) if self.generations.exists() else []
        if current not in names:
            return []
        return names[: names.index(current) + 1][-KEEP_GENERATIONS:]

    def sweep(self) -> list[str]:
        """Delete generations and store entries no kept generation uses (left by older or killed
        runs) and the files of the old single-generation layout; the collections of the deleted
        generations are returned for the caller to drop."""
        kept = self.kept()
        used: set[str] = set()
        dropped = []
        for folder in sorted(self.generations.glob("g*")) if self.generations.exists() else []:
            generation = Generation(self, folder.name)
            try:
                if folder.name in kept:
                    used.update(generation.entries().values())
                    continue
                if generation.manifest_path.exists() and generation.collection:
                    dropped.append(generation.collection)
            except errors.IndexBroken:  # a damaged older generation: its entries are not kept for it
                if folder.name in kept:
                    continue
            shutil.rmtree(folder, ignore_errors=True)
        if self.store.exists():
            for path in self.store.iterdir():
                match = ENTRY_FILE.match(path.name)
                if not match or match.group(1) not in used or ".tmp" in path.name:
                    path.unlink(missing_ok=True)
        for name in LEGACY:
            path = self.root / name
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
        return dropped

    # -- store entries --------------------------------------------------------------------------
    def entry_paths(self, key: str) -> list[Path]:
        """The files of one store entry (its vector files may not exist yet)."""
        return [self.store / f"{key}.json", self.store / f"{key}.chunks.npy", self.store / f"{key}.units.npy"]

    def drop_damaged(self, recorded: dict[str, list]) -> list[str]:
        """Delete the store entries that do not read back whole or differ from the checksums a
        manifest ``recorded``, so that a repair makes them again (an entry's vectors go with its
        document); returns the entries dropped."""
        dropped = []
        for path in sorted(self.store.glob("*.json")) if self.store.exists() else []:
            key = path.name[: -len(".json")]
            if ".tmp" in key or not ENTRY_FILE.match(path.name):
                continue
            try:
                for file in self.entry_paths(key):
                    expected = recorded.get(self.relative(file))
                    if expected is not None and file.exists() and checksum(file) != list(expected):
                        raise ValueError(f"{file.name} changed")
                _, chunks, _ = self.load_entry(key)
            except (OSError, ValueError, TypeError, KeyError):
                for file in self.entry_paths(key):
                    file.unlink(missing_ok=True)
                dropped.append(key)
                continue
            for kind in ("chunks", "units"):
                try:
                    vectors = self.load_vectors(key, kind)
                    if vectors is not None and (
                        vectors.ndim != 2 or (kind == "chunks" and len(vectors) != len(chunks))
                    ):
                        raise ValueError("wrong shape")
                except (OSError, ValueError, TypeError, EOFError):
                    (self.store / f"{key}.{kind}.npy").unlink(missing_ok=True)
                    dropped.append(f"{key}.{kind}")
        return dropped

    def has_entry(self, key: str) -> bool:
        return (self.store / f"{key}.json").exists()

    def save_entry(self, key: str, document: Document, units: list[tuple[str, int, int]]) -> None:
        """Write one document's text, structure, passages and answer units."""
        self.store.mkdir(parents=True, exist_ok=True)
        data = document.to_json()
        data["chunks"] = [asdict(c) for c in document.chunks]
        data["units"] = [list(u) for u in units]
        _write_json(self.store / f"{key}.json", data)

    def load_entry(self, key: str) -> tuple[Document, list[Chunk], list[tuple[str, int, int]]]:
        data = json.loads((self.store / f"{key}.json").read_text(encoding="utf-8"))
        chunks = [Chunk(**c) for c in data["chunks"]]
        units = [tuple(u) for u in data["units"]]
        return Document.from_json(data), chunks, units

    def has_vectors(self, key: str) -> bool:
        return (self.store / f"{key}.chunks.npy").exists()

    def save_vectors(self, key: str, kind: str, vectors: np.ndarray) -> None:
        """Write the ``chunks`` or ``units`` vectors of an entry (atomically: a killed run leaves
        either the whole file or none)."""
        self.store.mkdir(parents=True, exist_ok=True)
        tmp = self.store / f"{key}.{kind}.tmp.npy"
        np.save(tmp, np.asarray(vectors, dtype="float32"))
        tmp.replace(self.store / f"{key}.{kind}.npy")

    def load_vectors(self, key: str, kind: str) -> np.ndarray | None:
        path = self.store / f"{key}.{kind}.npy"
        return np.load(path, allow_pickle=False) if path.exists() else None


def _reason(exc: BaseException) -> str:
    """The first line of an error, short enough for a message."""
    text = str(exc).strip().splitlines()[0][:120] if str(exc).strip() else ""
    return text or type(exc).__name__


def _write_json(path: Path, data) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)
