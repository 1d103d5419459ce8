"""``ntm index``: bring the index in line with the source files, touching only what changed.

One run, in named steps, under the index folder's writer lock:

1. ``_plan``: compare the source files with the serving generation's manifest;
2. ``_read``: parse new and changed files into store entries (text, passages, answer units);
3. ``_publish`` (words): a generation where they are searchable by their words (BM25), while
4. ``_embed`` computes their passages' vectors (each distinct text once; an edited document only
   the passages the edit touched), saved per document as soon as they are done;
5. ``_publish`` (vectors): the complete generation, switched to atomically;
6. ``_sweep``: generations, store entries, Chroma collections and sentence vectors no longer used
   are removed.

Answer sentences are not embedded here: a question embeds those of the passages it retrieves the
first time it needs them (``assistant/index/sentences.py``), and ``warm_sentences``, run after the
switch, embeds the rest ahead of the questions.

A run killed at any step leaves the previous generation serving; the next run finds what the
killed one already stored (same content, same recipe) and completes it without doing it again.
"""

from __future__ import annotations

import errno
import logging
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from tqdm import tqdm

from assistant import errors
from assistant.index.lexical import LexicalIndex
from assistant.index.lock import writer_lock
from assistant.index.manifest import Manifest, file_hash
from assistant.index.sentences import SentenceVectors
from assistant.index.store import Generation, IndexFiles, collection_name, entry_key
from assistant.index.vectors import VectorIndex
from assistant.ingest.chunk import Chunk, answer_units
from assistant.ingest.document import (
    READER_VERSION,
    Document,
    assign_doc_ids,
    meta_path,
    read_document,
    source_files,
)
from assistant.settings import Settings

log = logging.getLogger(__name__)

BATCH = 64  # texts per embedder call: large enough to amortise the call, small enough to save often
COMPACT_FILES = 32  # sentence-vector files merged (and unused sentences dropped) past this many


@dataclass
class IndexReport:
    """What one indexing run did."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    completed: list[str] = field(default_factory=list)  # stored by a killed run, vectors finished now
    failed: list[errors.UnreadableDocument] = field(default_factory=list)
    chunks: int = 0
    notes: dict[str, str] = field(default_factory=dict)  # doc id → "OCR …" / "converted from …"
    embedded: int = 0  # passages embedded by this run
    generation: str = ""
    repaired: str = ""  # the damage found in the serving generation (or "--repair"), rebuilt by this run
    searchable_s: float | None = None  # seconds from the start until new documents were searchable by words
    indexed_s: float | None = None  # ... until every passage had its vector (the last switch)
    sentences_s: float | None = None  # ... until every answer sentence had its vector (``warm_sentences``)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed or self.completed)


@dataclass
class IndexProgress:
    """How far an indexing run is, read by another thread (the web app's library: "đang xử lý x/y").
    ``stage``: "" (nothing running), "read", "vectors" (searchable by words, passages being
    embedded), "sentences" (fully indexed, answer sentences being embedded)."""

    stage: str = ""
    searchable: bool = False  # the documents being processed can be found by their words
    documents: list[str] = field(default_factory=list)  # ids of the documents being processed
    done: int = 0
    total: int = 0  # texts to embed at this stage
    report: IndexReport | None = None

    def at(self, stage: str, total: int = 0) -> None:
        self.stage, self.done, self.total = stage, 0, total


@dataclass
class _Pending:
    """A source file whose store entry or vectors are still to be made."""

    key: str  # resolved path, the manifest's key
    path: Path
    digest: str
    known: dict | None  # its entry in the serving manifest
    doc_id: str = ""  # the id it is given: its old one, or a new unique one
    entry: str = ""
    document: Document | None = None
    chunks: list[Chunk] = field(default_factory=list)
    units: list[tuple[str, int, int]] = field(default_factory=list)

    def manifest_entry(self) -> dict:
        assert self.document is not None, "an entry is written only for a document read"
        return {"sha256": self.digest, "doc_id": self.document.doc_id, "chunks": len(self.chunks), "key": self.entry}


def build_index(
    settings: Settings,
    embedder,
    paths: list[Path] | None = None,
    rebuild: bool = False,
    progress: bool = True,
    with_units: bool = True,
    status: IndexProgress | None = None,
    repair: bool = False,
) -> IndexReport:
    """Index the given files or folders (default: the corpus folder) incrementally, into a new
    generation that replaces the serving one only once complete (answer sentences are embedded
    later: see ``warm_sentences``). A damaged serving generation (or ``repair``) is rebuilt from
    the source files and the store entries that are intact, their vectors reused."""
    roots = _roots(settings, paths)
    files = IndexFiles(settings.index_dir)
    status = status or IndexProgress()
    with writer_lock(settings.index_dir, settings.lock_wait_s), _disk_full(settings.index_dir):
        started = time.perf_counter()
        previous = files.current()
        report = IndexReport()
        report.repaired = _damage(settings, embedder, files, previous) or ("--repair" if repair else "")
        if report.repaired:
            previous = _repair(files, previous, report.repaired)
        status.report = report
        status.at("read")
        manifest, pending = _plan(settings, files, previous, roots, rebuild, report, progress)
        status.documents = [i.doc_id for i in pending]
        _read(settings, files, pending, rebuild, with_units, report, progress)
        for item in pending:
            manifest.files[item.key] = item.manifest_entry()
        if (
            previous is not None
            and not report.changed
            and not report.repaired
            and previous.manifest.files == manifest.files
        ):
            report.chunks = sum(e["chunks"] for e in manifest.files.values())
            report.generation = previous.name
            return report
        status.documents = [i.doc_id for i in pending]
        if settings.staged_index and any(not files.has_vectors(i.entry) for i in pending):
            _publish(settings, files, embedder, manifest, progress)
            report.searchable_s = time.perf_counter() - started
            status.searchable = True
        to_embed = [i for i in pending if rebuild or not files.has_vectors(i.entry)]
        report.embedded = _embed(files, embedder, to_embed, progress, reuse=not rebuild, status=status)
        generation = _publish(settings, files, embedder, manifest, progress)
        report.indexed_s = time.perf_counter() - started
        status.searchable = True
        report.searchable_s = report.searchable_s or report.indexed_s
        _sweep(settings, files, embedder)
        report.chunks = sum(e["chunks"] for e in manifest.files.values())
        report.generation = generation.name
        return report


def _damage(settings: Settings, embedder, files: IndexFiles, previous: Generation | None) -> str:
    """What is wrong with the serving generation ("" when nothing is): a file missing or not as
    written, or its Chroma collection gone."""
    if previous is None:
        name = files.current_name()
        return f"generations/{name}: missing" if name and files.generations.exists() else ""
    try:
        previous.verify()
        VectorIndex.open(settings, embedder, previous.collection, previous.manifest.vectors)
    except errors.IndexBroken as exc:
        return exc.what
    return ""


def _repair(files: IndexFiles, previous: Generation | None, damage: str) -> Generation | None:
    """Drop the store entries that do not read back whole, so the run makes them again; returns
    the serving generation when its manifest still reads (its documents keep their ids)."""
    log.warning(
        "Chỉ mục hỏng (%s): đang dựng lại từ văn bản gốc và kho lưu... / the index is damaged (%s): "
        "rebuilding it from the source files and the store...",
        damage,
        damage,
    )
    recorded: dict[str, list] = {}
    if previous is not None:
        try:
            recorded = previous.manifest.checksums
        except errors.IndexBroken:
            previous = None
    dropped = files.drop_damaged(recorded)
    if dropped:
        log.warning("Bỏ %d mục hỏng trong kho. / dropped %d damaged store entries.", len(dropped), len(dropped))
    return previous


def _readable(generation: Generation) -> bool:
    """Whether a generation's manifest reads (a damaged one being replaced does not)."""
    try:
        return generation.manifest is not None
    except errors.IndexBroken:
        return False


@contextmanager
def _disk_full(index_dir: Path):
    """A full disk (or quota) while writing, said in words: what was written so far is left
    unreferenced, the serving generation untouched."""
    try:
        yield
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise errors.DiskFull(index_dir) from exc
        raise
    except Exception as exc:
        if "disk is full" in str(exc) or "No space left" in str(exc):  # SQLite's, under Chroma
            raise errors.DiskFull(index_dir) from exc
        raise


def warm_sentences(
    settings: Settings,
    embedder,
    progress: bool = True,
    status: IndexProgress | None = None,
    report: IndexReport | None = None,
) -> int:
    """Embed the answer sentences of the serving generation that have no vector yet (they would
    otherwise be embedded by the first question reaching them), in batches kept as they are done:
    stopping at any moment loses nothing. Returns how many were embedded."""
    started = time.perf_counter()
    generation = IndexFiles(settings.index_dir).current()
    if generation is None:
        return 0
    sentences = SentenceVectors(settings.index_dir, generation.manifest.embedder or settings.embedder)
    missing = sentences.missing(_sentence_texts(generation))
    if status is not None:
        status.at("sentences", len(missing))
    bar = tqdm(total=len(missing), desc="Nhúng câu trả lời", unit="câu", disable=not progress or len(missing) < BATCH)
    for start in range(0, len(missing), BATCH):
        batch = missing[start : start + BATCH]
        sentences.add(batch, np.asarray(embedder.get_text_embedding_batch(batch), dtype="float32"))
        bar.update(len(batch))
        if status is not None:
            status.done += len(batch)
    bar.close()
    if report is not None:
        report.sentences_s = (report.indexed_s or 0.0) + time.perf_counter() - started
    return len(missing)


def _sentence_texts(generation: Generation) -> list[str]:
    """The answer sentences of a generation's documents, in document order."""
    texts = []
    for entry in generation.entries().values():
        if not generation.files.has_entry(entry):  # dropped as damaged by a repair of this older generation
            continue
        document, _, units = generation.files.load_entry(entry)
        texts += [document.text[a:b] for _, a, b in units]
    return texts


def _roots(settings: Settings, paths: list[Path] | None) -> list[Path]:
    roots = [Path(p) for p in (paths or [settings.corpus_dir])]
    for root in roots:
        if not root.exists():
            raise errors.BadInput(f"Không tìm thấy '{root}'.", f"'{root}' does not exist.")
    return roots


def _recipe(settings: Settings, with_units: bool) -> str:
    """What, besides a file's bytes, decides its store entry."""
    return f"{settings.embedder}|{settings.max_chunk_chars}|units={with_units}"


def _plan(
    settings: Settings,
    files: IndexFiles,
    previous: Generation | None,
    roots: list[Path],
    rebuild: bool,
    report: IndexReport,
    progress: bool,
) -> tuple[Manifest, list[_Pending]]:
    """The next manifest without the removed files, and the files to (re)read or finish."""
    old = previous.manifest if previous else Manifest()
    fresh = rebuild or old.embedder not in ("", settings.embedder)
    manifest = Manifest(embedder=settings.embedder, files={} if fresh else dict(old.files))
    current = {str(p.resolve()): p for p in source_files(roots)}
    held = {key: entry["doc_id"] for key, entry in old.files.items() if key in current}  # ids stay, --rebuild too
    resolved_roots = [r.resolve() for r in roots]
    for key in list(manifest.files):
        inside = any(Path(key) == r or r in Path(key).parents for r in resolved_roots)
        if inside and key not in current:
            report.removed.append(manifest.files.pop(key)["doc_id"])
    pending = []
    for key, path in tqdm(current.items(), desc="Đọc văn bản", unit="tệp", disable=not progress or len(current) < 50):
        meta = meta_path(path)
        # The reader's version is hashed in: a file read otherwise now is read again (vectors reused).
        digest = file_hash(path, (meta.read_bytes() if meta.exists() else b"") + f"|reader={READER_VERSION}".encode())
        known = manifest.files.get(key) or _moved(manifest, key, path, digest, current)
        if known and known["sha256"] == digest and files.has_entry(known["key"]) and files.has_vectors(known["key"]):
            report.unchanged.append(known["doc_id"])
            continue
        pending.append(_Pending(key, path, digest, known))
    ids = assign_doc_ids(current, roots, {**held, **{k: e["doc_id"] for k, e in manifest.files.items()}})
    for item in pending:
        item.doc_id = item.known["doc_id"] if item.known else ids[item.key]
    return manifest, pending


def _moved(manifest: Manifest, key: str, path: Path, digest: str, current: dict) -> dict | None:
    """The entry of the same file indexed from another place (the project folder moved or was
    copied): it is taken over instead of embedding the file again."""
    for old_key, entry in list(manifest.files.items()):
        if old_key not in current and Path(old_key).name == path.name and entry["sha256"] == digest:
            manifest.files[key] = manifest.files.pop(old_key)
            return manifest.files[key]
    return None


def _read(
    settings: Settings,
    files: IndexFiles,
    pending: list[_Pending],
    rebuild: bool,
    with_units: bool,
    report: IndexReport,
    progress: bool,
) -> None:
    """Parse each pending file into its store entry (or take the one a killed run left); a file
    that cannot be read is reported and dropped from ``pending``, its old passages kept."""
    recipe = _recipe(settings, with_units)
    kept = []
    for item in tqdm(pending, desc="Phân tích văn bản", unit="tệp", disable=not progress or len(pending) < 50):
        done = bool(item.known) and item.known["sha256"] == item.digest and files.has_entry(item.known["key"])
        if done and not rebuild:  # stored by a killed run: only its vectors are missing
            item.entry = item.known["key"]
        else:
            try:  # one bad file is named and skipped; the others are indexed
                document = read_document(item.path, settings.max_chunk_chars, item.doc_id, progress, settings.limits)
            except errors.UnreadableDocument as exc:
                report.failed.append(exc)
                continue
            except Exception as exc:  # noqa: BLE001 - any library's failure on one file
                report.failed.append(errors.read_failed(item.path, exc))
                continue
            item.entry = entry_key(document.doc_id, item.digest, recipe)
        if files.has_entry(item.entry) and not rebuild:
            item.document, item.chunks, item.units = files.load_entry(item.entry)
        else:
            item.document, item.chunks = document, document.chunks
            item.units = [(c.chunk_id, a, b) for c in document.chunks for a, b in answer_units(c)] if with_units else []
            files.save_entry(item.entry, document, item.units)
        (report.completed if done else report.updated if item.known else report.added).append(item.document.doc_id)
        if item.document.provenance():
            report.notes[item.document.doc_id] = item.document.provenance()
        kept.append(item)
    pending[:] = kept


def _texts(item: _Pending) -> list[str]:
    """What is embedded for one document: its passages, with their context."""
    return _texts_of(item.chunks)


def _earlier_vectors(files: IndexFiles, pending: list[_Pending]) -> dict[str, np.ndarray]:
    """Text → vector from the indexed versions of the changed documents: an edit re-embeds only the
    passages it touched."""
    known: dict[str, np.ndarray] = {}
    for item in pending:
        old = item.known["key"] if item.known else None
        if not old or old == item.entry or not files.has_vectors(old):
            continue
        _, chunks, _ = files.load_entry(old)
        vectors = files.load_vectors(old, "chunks")
        if vectors is not None and len(chunks) == len(vectors):
            known.update(zip(_texts_of(chunks), vectors))
    return known


def _texts_of(chunks: list[Chunk]) -> list[str]:
    return [c.context_text for c in chunks]


def _embed(
    files: IndexFiles,
    embedder,
    pending: list[_Pending],
    progress: bool,
    reuse: bool = True,
    status: IndexProgress | None = None,
) -> int:
    """Embed the passages of every pending document in shared batches (per-file batches cost more
    than the embedding on a corpus of short laws), each distinct text once and none that an earlier
    version of its document already had; a document's vectors are saved as soon as its last text is
    embedded, so a killed run loses at most one batch. Returns how many texts were embedded."""
    known = _earlier_vectors(files, pending) if reuse else {}
    wanted: dict[str, int] = {}  # text → its position among the texts to embed
    last = []  # per document, the position of its last text to embed (-1: none)
    for item in pending:
        positions = [wanted.setdefault(t, len(wanted)) for t in _texts(item) if t not in known]
        last.append(max(positions, default=-1))
    missing = list(wanted)
    order = sorted(range(len(pending)), key=last.__getitem__)
    saved = 0

    def save_finished(done: int) -> None:
        nonlocal saved
        while saved < len(order) and last[order[saved]] < done:
            item = pending[order[saved]]
            mine = np.asarray([known[t] for t in _texts(item)], dtype="float32").reshape(len(_texts(item)), -1)
            files.save_vectors(item.entry, "chunks", mine)  # marks the entry done
            saved += 1

    if status is not None:
        status.at("vectors", len(missing))
    bar = tqdm(total=len(missing), desc="Nhúng đoạn văn", unit="đoạn", disable=not progress or len(missing) < BATCH)
    save_finished(0)
    for start in range(0, len(missing), BATCH):
        batch = missing[start : start + BATCH]
        known.update(zip(batch, embedder.get_text_embedding_batch(batch)))
        bar.update(len(batch))
        if status is not None:
            status.done += len(batch)
        save_finished(start + len(batch))
    bar.close()
    return len(missing)


def _publish(settings: Settings, files: IndexFiles, embedder, manifest: Manifest, progress: bool) -> Generation:
    """Write a new generation (its Chroma collection, BM25 and manifest) from the store entries the
    manifest names, then switch to it; documents without vectors yet are searchable by words."""
    generation = files.new_generation()
    manifest.collection = collection_name(settings.collection, settings.index_dir, generation.name)
    vectors = VectorIndex(settings, embedder, manifest.collection, fresh=True)
    all_chunks = []
    manifest.vectors = 0
    for entry in sorted(manifest.files.values(), key=lambda e: e["doc_id"]):
        chunks = files.load_entry(entry["key"])[1]
        all_chunks += chunks
        chunk_vectors = files.load_vectors(entry["key"], "chunks")
        if chunk_vectors is not None and len(chunk_vectors) == len(chunks) and len(chunks):
            vectors.add(chunks, chunk_vectors.tolist())
            manifest.dim = chunk_vectors.shape[1]
            manifest.vectors += len(chunks)
    LexicalIndex.build([c.chunk_id for c in all_chunks], [c.context_text for c in all_chunks]).save(generation.bm25)
    manifest.checksums = files.checksums(generation.bm25, [e["key"] for e in manifest.files.values()])
    manifest.save(generation.manifest_path)
    files.switch(generation)
    if progress:
        log.info(
            "Thế hệ chỉ mục %s: %d/%d đoạn có vectơ. / index generation %s: %d/%d passages embedded.",
            generation.name,
            vectors.count(),
            len(all_chunks),
            generation.name,
            vectors.count(),
            len(all_chunks),
        )
    return generation


def _sweep(settings: Settings, files: IndexFiles, embedder) -> None:
    """Remove what no kept generation uses: older generations, store entries, Chroma collections,
    sentence vectors."""
    files.sweep()
    generations = [g for g in (Generation(files, name) for name in files.kept()) if _readable(g)]
    sentences = SentenceVectors(settings.index_dir, settings.embedder)
    if sentences.files() > COMPACT_FILES:
        sentences.compact(t for g in generations for t in _sentence_texts(g))
    kept = {g.collection for g in generations}
    current = files.current()
    assert current is not None, "swept only after a generation was made current"
    # An embedded Chroma belongs to this folder alone; on a server only this folder's collections go.
    prefix = "" if not settings.chroma_url else collection_name(settings.collection, settings.index_dir, "")
    VectorIndex(settings, embedder, current.collection).drop_others(kept, prefix)
