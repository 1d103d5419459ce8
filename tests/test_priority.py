"""Indexing goes first on shared cores: the web app's answering threads give way (a higher nice
value), the thread that indexes uploads does not (Linux; elsewhere nothing is changed)."""

import socket
import sys
import threading

import pytest

from assistant import priority
from assistant.service import Assistant
from assistant.settings import Settings

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread nice values are Linux's")


def _in_own_thread(job):
    """Run ``job`` in a new thread (the test's own thread keeps its priority) and return its result."""
    out = {}
    thread = threading.Thread(target=lambda: out.update(value=job()))
    thread.start()
    thread.join()
    return out["value"]


def test_the_index_thread_keeps_the_priority_it_was_started_with():
    def job():
        base = priority.nice()
        indexer = priority.IndexThread()
        priority.give_way(base + 5)
        started_after = _in_own_thread(priority.nice)
        return base, started_after, indexer.submit(priority.nice).result()

    base, started_after, indexing = _in_own_thread(job)
    assert started_after == base + 5  # threads started after giving way inherit it
    assert indexing == base  # the index thread was started before


class Observed(Assistant):
    """The real assistant, noting at what priority each question is answered."""

    asked_at: list = []

    def ask(self, question, *args, **kwargs):
        Observed.asked_at.append(priority.nice())
        return super().ask(question, *args, **kwargs)


def test_the_served_app_answers_below_its_upload_thread(tmp_path):
    from gradio_client import Client

    from assistant.ui.app import launch

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "bao-hiem.md").write_text("# Bảo hiểm y tế\n\nTỷ lệ tham gia bảo hiểm y tế đạt trên 95%.\n", "utf-8")
    assistant = Observed(Settings(index_dir=tmp_path / "index", corpus_dir=corpus, embedder="hash"))
    assistant.index(progress=False)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    base = priority.nice()
    app = _in_own_thread(lambda: launch(assistant, "127.0.0.1", port, block=False, give_way=base + 5))
    try:
        Client(f"http://127.0.0.1:{port}/", verbose=False, ssl_verify=False).predict("bảo hiểm y tế", api_name="/ask")
        assert Observed.asked_at and set(Observed.asked_at) == {base + 5}
        indexers = [t for t in threading.enumerate() if t.name.startswith("ntm-index")]
        assert indexers, "the web app starts its upload thread when it is built"
        assert {priority.nice(t) for t in indexers} == {base}
    finally:
        app.close()
