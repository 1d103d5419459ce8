"""The answer-sentence vectors kept by text (``index/sentences/``): shared between processes
without a lock, read back by another instance, merged and pruned by ``compact``. Hash embedder."""

import numpy as np

from assistant.index.embedders import build_embedder
from assistant.index.sentences import SentenceVectors


class _Counting:
    def __init__(self):
        self.real = build_embedder("hash")
        self.texts: list[str] = []

    def get_text_embedding_batch(self, texts):
        self.texts += texts
        return self.real.get_text_embedding_batch(texts)


def test_a_sentence_is_embedded_once_and_read_by_others(tmp_path):
    embedder = _Counting()
    mine = SentenceVectors(tmp_path, "hash")
    first = mine.vectors(["Xã Kỳ Anh nuôi tôm.", "Huyện Hương Sơn trồng cam.", "Xã Kỳ Anh nuôi tôm."], embedder)
    assert embedder.texts == ["Xã Kỳ Anh nuôi tôm.", "Huyện Hương Sơn trồng cam."]  # each text once
    assert np.array_equal(first[0], first[2])
    other = SentenceVectors(tmp_path, "hash")  # another process, later
    again = other.vectors(["Huyện Hương Sơn trồng cam."], embedder)
    assert len(embedder.texts) == 2 and np.array_equal(again[0], first[1])
    assert SentenceVectors(tmp_path, "other-model").missing(["Huyện Hương Sơn trồng cam."]) == [
        "Huyện Hương Sơn trồng cam."
    ]  # filed under the embedder too


def test_compact_merges_and_keeps_only_what_is_used(tmp_path):
    embedder = _Counting()
    store = SentenceVectors(tmp_path, "hash")
    for text in ("một", "hai", "ba"):
        store.vectors([text], embedder)
    assert store.files() == 3
    store.compact(["hai", "ba"])
    assert store.files() == 1
    fresh = SentenceVectors(tmp_path, "hash")
    assert fresh.missing(["một", "hai", "ba"]) == ["một"]
    late = SentenceVectors(tmp_path, "hash")
    late.vectors(["bốn"], embedder)  # written by another process after the merge: kept
    store.compact(["hai", "ba", "bốn"])
    assert SentenceVectors(tmp_path, "hash").missing(["hai", "ba", "bốn"]) == []
