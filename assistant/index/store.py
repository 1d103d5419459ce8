"""The persisted index on disk: documents, passages, answer units, BM25 and the manifest."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import numpy as np

from assistant.ingest.chunk import Chunk
from assistant.ingest.document import Document


class IndexFiles:
    """Paths and plain-file storage under the index folder (Chroma keeps its own)."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.manifest = self.root / "manifest.json"
        self.docs = self.root / "docs"
        self.bm25 = self.root / "bm25"

    def exists(self) -> bool:
        return self.manifest.exists()

    def save_document(self, document: Document, units: list[tuple[str, int, int]], vectors: np.ndarray) -> None:
        """Write one document's text, structure, passages, answer units and their vectors."""
        self.docs.mkdir(parents=True, exist_ok=True)
        data = document.to_json()
        data["chunks"] = [asdict(c) for c in document.chunks]
        data["units"] = [list(u) for u in units]
        _write_json(self.docs / f"{document.doc_id}.json", data)
        np.save(self.docs / f"{document.doc_id}.units.npy", vectors.astype("float32"))

    def remove_document(self, doc_id: str) -> None:
        for path in (self.docs / f"{doc_id}.json", self.docs / f"{doc_id}.units.npy"):
            path.unlink(missing_ok=True)

    def doc_ids(self) -> list[str]:
        if not self.docs.exists():
            return []
        return sorted(p.name[:-5] for p in self.docs.glob("*.json"))

    def load_document(self, doc_id: str) -> tuple[Document, list[Chunk], list[tuple[str, int, int]], np.ndarray]:
        data = json.loads((self.docs / f"{doc_id}.json").read_text(encoding="utf-8"))
        chunks = [Chunk(**c) for c in data["chunks"]]
        units = [tuple(u) for u in data["units"]]
        vectors_path = self.docs / f"{doc_id}.units.npy"
        vectors = np.load(vectors_path) if vectors_path.exists() else np.zeros((0, 0), dtype="float32")
        return Document.from_json(data), chunks, units, vectors


def _write_json(path: Path, data) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)
