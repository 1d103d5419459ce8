"""``ntm index``: bring the index in line with the source files, touching only what changed."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from tqdm import tqdm

from assistant import errors
from assistant.index.lexical import LexicalIndex
from assistant.index.manifest import Manifest, file_hash
from assistant.index.store import IndexFiles
from assistant.index.vectors import VectorIndex
from assistant.ingest.chunk import answer_units
from assistant.ingest.document import assign_doc_ids, meta_path, read_document, source_files
from assistant.settings import Settings


@dataclass
class IndexReport:
    """What one indexing run did."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[errors.UnreadableDocument] = field(default_factory=list)
    chunks: int = 0
    notes: dict[str, str] = field(default_factory=dict)  # doc id → "OCR …" / "converted from …"

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)


def _embed(embedder, texts: list[str], progress: bool, label: str) -> np.ndarray:
    vectors = []
    batch = 64
    bar = tqdm(total=len(texts), desc=label, unit="đoạn", disable=not progress or len(texts) < batch)
    for start in range(0, len(texts), batch):
        vectors.extend(embedder.get_text_embedding_batch(texts[start:start + batch]))
        bar.update(len(texts[start:start + batch]))
    bar.close()
    return np.asarray(vectors, dtype="float32").reshape(len(texts), -1) if texts else np.zeros((0, 0), "float32")


def _moved(manifest: Manifest, key: str, path: Path, digest: str, current: dict) -> dict | None:
    """The entry of the same file indexed from another place (the project folder moved or was
    copied): it is taken over instead of embedding the file again."""
    for old_key, entry in list(manifest.files.items()):
        if old_key not in current and Path(old_key).name == path.name and entry["sha256"] == digest:
            manifest.files[key] = manifest.files.pop(old_key)
            return manifest.files[key]
    return None


def build_index(settings: Settings, embedder, paths: list[Path] | None = None, rebuild: bool = False,
                progress: bool = True, with_units: bool = True) -> IndexReport:
    """Index the given files or folders (default: the corpus folder) incrementally."""
    roots = [Path(p) for p in (paths or [settings.corpus_dir])]
    for root in roots:
        if not root.exists():
            raise errors.BadInput(f"Không tìm thấy '{root}'.", f"'{root}' does not exist.")
    files = IndexFiles(settings.index_dir)
    manifest = Manifest.load(files.manifest)
    held = {key: entry["doc_id"] for key, entry in manifest.files.items()}  # ids stay across rebuilds
    vectors = VectorIndex(settings, embedder)
    if rebuild or manifest.embedder not in ("", settings.embedder):
        vectors.reset(settings)
        for doc_id in files.doc_ids():
            files.remove_document(doc_id)
        manifest = Manifest()
    manifest.embedder = settings.embedder
    report = IndexReport()

    current = {str(p.resolve()): p for p in source_files(roots)}
    resolved_roots = [r.resolve() for r in roots]
    for key in list(manifest.files):
        inside = any(Path(key) == r or r in Path(key).parents for r in resolved_roots)
        if inside and key not in current:
            doc_id = manifest.files.pop(key)["doc_id"]
            vectors.delete_document(doc_id)
            files.remove_document(doc_id)
            report.removed.append(doc_id)

    # Read every new or changed file first, then embed all their passages in shared batches:
    # per-file batches and per-file writes cost more than the embedding on a corpus of short laws.
    pending = []  # (key, known entry, digest, document)
    ids = assign_doc_ids(current, roots, {**{k: v for k, v in held.items() if k in current},
                                          **{k: entry["doc_id"] for k, entry in manifest.files.items()}})
    for key, path in tqdm(current.items(), desc="Đọc văn bản", unit="tệp", disable=not progress or len(current) < 50):
        meta = meta_path(path)
        digest = file_hash(path, meta.read_bytes() if meta.exists() else b"")
        known = manifest.files.get(key) or _moved(manifest, key, path, digest, current)
        if known and known["sha256"] == digest:
            report.unchanged.append(known["doc_id"])
            continue
        try:  # one bad file is named and skipped; the others are indexed
            pending.append((key, known, digest, read_document(path, settings.max_chunk_chars,
                                                              known["doc_id"] if known else ids[key], progress)))
        except errors.UnreadableDocument as exc:
            report.failed.append(exc)
        except Exception as exc:  # noqa: BLE001 - any library's failure on one file
            report.failed.append(errors.read_failed(path, exc))
    chunks = [c for *_, document in pending for c in document.chunks]
    chunk_vectors = _embed(embedder, [c.context_text for c in chunks], progress, "Nhúng đoạn văn")
    units = {document.doc_id: [(c.chunk_id, a, b) for c in document.chunks for a, b in answer_units(c)]
             for *_, document in pending} if with_units else {}
    unit_texts = [document.text[a:b] for *_, document in pending for _, a, b in units.get(document.doc_id, [])]
    unit_vectors = _embed(embedder, unit_texts, progress, "Nhúng câu")
    existing = set(files.doc_ids())
    for _, known, _, document in pending:
        for doc_id in {known["doc_id"] if known else None, document.doc_id} & existing:
            vectors.delete_document(doc_id)
    vectors.add(chunks, chunk_vectors.tolist())
    offset = 0
    for key, known, digest, document in pending:
        mine = units.get(document.doc_id, [])
        files.save_document(document, mine, unit_vectors[offset:offset + len(mine)] if mine else
                            np.zeros((0, 0), "float32"))
        offset += len(mine)
        manifest.files[key] = {"sha256": digest, "doc_id": document.doc_id, "chunks": len(document.chunks)}
        (report.updated if known else report.added).append(document.doc_id)
        if document.provenance():
            report.notes[document.doc_id] = document.provenance()

    if report.changed or not (files.bm25 / "ids.json").exists():
        all_chunks = [c for doc_id in files.doc_ids() for c in files.load_document(doc_id)[1]]
        LexicalIndex.build([c.chunk_id for c in all_chunks], [c.context_text for c in all_chunks]).save(files.bm25)
    report.chunks = vectors.count()
    manifest.save(files.manifest)
    return report
