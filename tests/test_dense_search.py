"""The dense search in the real (embedded) Chroma: exact on a library of this size, and as wide as the
setting says, also for a collection built before with a narrower search."""

from __future__ import annotations

import numpy as np

from assistant.index.embedders import HashEmbedding
from assistant.index.vectors import VectorIndex
from assistant.ingest.chunk import Chunk
from assistant.settings import Settings


def _chunks(n: int) -> list[Chunk]:
    return [Chunk(f"d:{i}", "d", "Luật", f"Điều {i}", "", [], f"đoạn {i}", i * 10, i * 10 + 8) for i in range(n)]


def test_the_nearest_passages_are_those_an_exact_search_finds(own_index):
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(600, 16)).astype("float32")
    index = VectorIndex(Settings(index_dir=own_index), HashEmbedding(16), "ntm-test-exact")
    index.add(_chunks(600), vectors.tolist())
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    for query in rng.normal(size=(5, 16)).astype("float32"):
        found = index.query(query.tolist(), 60)
        cosines = unit @ (query / np.linalg.norm(query))
        exact = [f"d:{i}" for i in np.argsort(-cosines)[:60]]
        assert [chunk_id for chunk_id, _ in found] == exact
        assert [round(score, 4) for _, score in found] == [round(float(cosines[int(c[2:])]), 4) for c in exact]


def test_a_collection_built_with_a_narrower_search_is_widened_when_opened(own_index):
    narrow = VectorIndex(Settings(index_dir=own_index, search_ef=50), HashEmbedding(16), "ntm-test-wide")
    narrow.add(_chunks(3), np.eye(3, 16, dtype="float32").tolist())
    assert narrow._collection.configuration_json["hnsw"]["ef_search"] == 50
    wide = VectorIndex(Settings(index_dir=own_index, search_ef=400), HashEmbedding(16), "ntm-test-wide", create=False)
    assert wide._collection.configuration_json["hnsw"]["ef_search"] == 400
    assert [c for c, _ in wide.query(np.eye(3, 16, dtype="float32")[1].tolist(), 1)] == ["d:1"]
