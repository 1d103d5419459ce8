"""Several ``ntm serve`` replicas on one Chroma server and one shared index folder (docs/security.md,
"Nhiều máy chủ / Several replicas"): a document indexed while they run is answered by each within
seconds, killing one loses nothing, and two indexers of the folder take turns."""

from __future__ import annotations

import errno
import fcntl
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import ROOT
from test_index_and_cli import _free_port, chroma_server
from test_index_lifecycle import _locked

from assistant.index.store import IndexFiles
from assistant.index.vectors import chroma_client
from assistant.settings import Settings

DOCS = {
    "nuoc-sach.md": "# Nước sạch\n\nĐến năm 2025, 100% hộ dân nông thôn được sử dụng nước sạch hợp vệ sinh.\n",
    "bao-hiem.md": "# Bảo hiểm y tế\n\nTỷ lệ người dân tham gia bảo hiểm y tế đạt trên 95% dân số.\n",
}
NEW_NAME, NEW_ID = "buoi-phuc-trach.md", "buoi-phuc-trach"
NEW_TEXT = (
    "# Hợp tác xã bưởi Phúc Trạch\n\n"
    "Hợp tác xã bưởi Phúc Trạch ở huyện Hương Khê có 137 thành viên, trồng 250 ha bưởi đạt chuẩn VietGAP.\n"
)
QUESTION = "Hợp tác xã bưởi Phúc Trạch có bao nhiêu thành viên?"
SEEN_WITHIN_S = 20  # from the end of `ntm index` to the other replica answering from the new document


def _env(index: Path, corpus: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NTM_")}
    return {**env, "NTM_INDEX_DIR": str(index), "NTM_CORPUS_DIR": str(corpus), **extra}


def _ntm(env: dict[str, str], *args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "assistant.cli", *args], cwd=ROOT, env=env, text=True, **kwargs)


@contextmanager
def _replica(env: dict[str, str], log: Path):
    """``ntm serve`` in its own process on a free port; yields (process, URL) once it answers HTTP."""
    port = _free_port()
    with open(log, "w", encoding="utf-8") as out:
        process = _ntm(env, "serve", "--port", str(port), stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 180
        while True:
            assert process.poll() is None, log.read_text(encoding="utf-8")
            assert time.monotonic() < deadline, "ntm serve did not start:\n" + log.read_text(encoding="utf-8")
            try:
                urllib.request.urlopen(url, timeout=2).close()
                break
            except OSError:
                time.sleep(0.5)
        yield process, url
    finally:
        if process.poll() is None:
            process.terminate()
        process.wait(timeout=30)


def _ask(client) -> dict:
    return client.predict(QUESTION, api_name="/ask")


def _from_new_document(result: dict) -> bool:
    return any(hit["doc_id"] == NEW_ID for hit in result.get("hits", []))


@pytest.mark.slow  # a Chroma server, and the real embedding model in four processes
def test_a_document_indexed_by_one_is_answered_by_the_other_and_a_killed_replica_loses_nothing(tmp_path):
    from gradio_client import Client

    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    for name, text in DOCS.items():
        (corpus / name).write_text(text, encoding="utf-8")
    with chroma_server(tmp_path) as chroma_url:
        env = _env(index, corpus, NTM_CHROMA_URL=chroma_url)
        first = subprocess.run(
            [sys.executable, "-m", "assistant.cli", "index"], cwd=ROOT, env=env, capture_output=True, text=True
        )
        assert first.returncode == 0, first.stderr
        with _replica(env, tmp_path / "a.log") as (a, url_a), _replica(env, tmp_path / "b.log") as (b, url_b):
            client_a, client_b = Client(url_a, verbose=False), Client(url_b, verbose=False)
            assert not _from_new_document(_ask(client_a)) and not _from_new_document(_ask(client_b))

            # The administrator adds a file to the shared corpus and indexes it (what an upload in
            # replica A's library tab does in A's process, under the same folder lock).
            (corpus / NEW_NAME).write_text(NEW_TEXT, encoding="utf-8")
            added = subprocess.run(
                [sys.executable, "-m", "assistant.cli", "index"], cwd=ROOT, env=env, capture_output=True, text=True
            )
            assert added.returncode == 0, added.stderr
            assert "added 1, updated 0, removed 0, unchanged 2" in added.stdout, added.stdout
            indexed = time.monotonic()
            while not _from_new_document(answer := _ask(client_b)):
                assert time.monotonic() - indexed < SEEN_WITHIN_S, answer
                time.sleep(0.5)
            seen_s = time.monotonic() - indexed
            assert answer["found"] and "137 thành viên" in answer["answer"], answer
            print(f"replica B answered from the new document {seen_s:.1f} s after `ntm index` ended")

            os.kill(a.pid, signal.SIGKILL)
            a.wait(timeout=30)
            again = _ask(client_b)
            assert again["found"] and "137 thành viên" in again["answer"], again

        # Nothing was lost: the serving generation reads back whole, with its passages in Chroma,
        # and a process started afresh (a replica restarted) answers from the new document.
        settings = Settings(index_dir=index, corpus_dir=corpus, chroma_url=chroma_url)
        generation = IndexFiles(index).current()
        assert generation is not None
        generation.verify()
        manifest = generation.manifest
        assert sorted(entry["doc_id"] for entry in manifest.files.values()) == [
            "bao-hiem",
            NEW_ID,
            "nuoc-sach",
        ]
        assert chroma_client(settings).get_collection(manifest.collection).count() == manifest.vectors > 0
        fresh = subprocess.run(
            [sys.executable, "-m", "assistant.cli", "ask", "--json", QUESTION],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        assert fresh.returncode == 0, fresh.stderr
        assert "137 thành viên" in json.loads(fresh.stdout)["answer"]


@pytest.mark.slow  # three `ntm index` processes: 9-16 s on two shared cores
def test_two_indexers_of_one_folder_take_turns(tmp_path):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    for name, text in DOCS.items():
        (corpus / name).write_text(text, encoding="utf-8")
    env = _env(index, corpus, NTM_EMBEDDER="hash")  # the lock is the same whatever computes the vectors
    first = _ntm(env, "index", stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while not _locked(index):
        assert first.poll() is None, first.communicate()
        assert time.monotonic() < deadline, "the first indexer never took the lock"
        time.sleep(0.02)
    os.kill(first.pid, signal.SIGSTOP)  # a writer stalled with the lock held (as a slow one on a big upload)
    try:
        refused = subprocess.run(
            [sys.executable, "-m", "assistant.cli", "index"],
            cwd=ROOT,
            env={**env, "NTM_LOCK_WAIT_S": "0"},
            capture_output=True,
            text=True,
        )
        assert refused.returncode != 0
        assert f"Tiến trình {first.pid} đang lập chỉ mục" in refused.stderr, refused.stderr
        assert f"process {first.pid} is indexing" in refused.stderr and "Traceback" not in refused.stderr

        log = tmp_path / "waiting.log"
        with open(log, "w", encoding="utf-8") as err:
            waiting = _ntm(env, "index", stdout=subprocess.PIPE, stderr=err)
        while "waiting for it to finish" not in log.read_text(encoding="utf-8"):
            assert waiting.poll() is None, log.read_text(encoding="utf-8")
            assert time.monotonic() < deadline + 60, "the second indexer did not say it waits"
            time.sleep(0.1)
        assert f"process {first.pid} is indexing" in log.read_text(encoding="utf-8")
        assert waiting.poll() is None
    finally:
        os.kill(first.pid, signal.SIGCONT)
    first_out, first_err = first.communicate(timeout=300)
    out, _ = waiting.communicate(timeout=300)
    assert first.returncode == 0, first_err
    assert "added 2, updated 0, removed 0, unchanged 0" in first_out, first_out
    assert waiting.returncode == 0, log.read_text(encoding="utf-8")
    assert "added 0, updated 0, removed 0, unchanged 2" in out, out  # after the first, which indexed all

    generation = IndexFiles(index).current()
    assert generation is not None
    generation.verify()
    assert len(generation.manifest.files) == 2 and not _locked(index)


def test_an_smb_refusal_counts_as_a_lock_held_elsewhere(tmp_path, monkeypatch):
    """SMB (Linux 5.5 on) passes ``flock`` on as a mandatory byte-range lock: a refusal may come back
    as EACCES, and the holder's file does not read while it is held."""
    from assistant import errors
    from assistant.index import lock

    real = fcntl.flock

    def smb(handle, operation):
        if operation & fcntl.LOCK_EX:
            raise PermissionError(errno.EACCES, "Permission denied")
        real(handle, operation)

    monkeypatch.setattr(fcntl, "flock", smb)
    with pytest.raises(errors.IndexBusy, match="process . is indexing"):
        with lock.writer_lock(tmp_path / "index", wait_s=0):
            pass
    with pytest.raises(errors.IndexBusy):
        with lock.writer_lock(tmp_path / "index", wait_s=0.3):
            pass
