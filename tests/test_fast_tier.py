"""The fast tier: a tiny corpus indexed with the deterministic ``hash`` embedder (no model), real Chroma
and BM25, so ranking, moved files and removal are tested in seconds with the same results everywhere."""

import math
import shutil

import pytest

from assistant import errors
from assistant.index.embedders import HashEmbedding, build_embedder
from assistant.index.store import IndexFiles
from assistant.service import Assistant
from assistant.settings import Settings

DOCS = {
    "nuoc-sach.md": "# Nước sạch\n\nĐến năm 2025, 100% hộ dân nông thôn được sử dụng nước sạch hợp vệ sinh.\n",
    "bao-hiem.md": "# Bảo hiểm y tế\n\nTỷ lệ người dân tham gia bảo hiểm y tế đạt trên 95% dân số.\n",
    "giao-thong.md": "# Giao thông\n\nĐường giao thông nông thôn được cứng hóa, bê tông hóa toàn bộ.\n",
}
QUESTIONS = {
    "tỷ lệ tham gia bảo hiểm y tế": "bao-hiem.md",
    "hộ dân dùng nước sạch hợp vệ sinh": "nuoc-sach.md",
    "đường bê tông hóa": "giao-thong.md",
}


def _cos(a: list[float], b: list[float]) -> float:
    return sum(x * y for x, y in zip(a, b))


def _write_corpus(folder):
    folder.mkdir(parents=True)
    for name, text in DOCS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _assistant(corpus, index, **settings) -> Assistant:
    return Assistant(Settings(index_dir=index, corpus_dir=corpus, embedder="hash", **settings))


def _source_names(assistant: Assistant) -> dict[str, str]:
    """doc id → its file's name."""
    return {d.doc_id: str(d.source).rsplit("/", 1)[-1] for d in assistant.documents()}


def test_hash_embedder_is_registered_deterministic_and_normalised():
    embedder = build_embedder("hash")
    assert isinstance(embedder, HashEmbedding) and embedder.dim == 256
    vector = embedder.get_text_embedding("Nước sạch nông thôn")
    assert vector == HashEmbedding().get_text_embedding("Nước sạch nông thôn")
    assert math.isclose(_cos(vector, vector), 1.0)
    assert _cos(embedder.get_query_embedding("nước sạch"), vector) > _cos(
        embedder.get_query_embedding("bảo hiểm y tế"), vector
    )
    assert len(build_embedder("hash:64").get_query_embedding("x")) == 64
    with embedder.threads.use(2):
        assert embedder.threads.get() == 2
    for bad in ("hash:0", "hash:x", "hashish"):
        with pytest.raises(errors.BadInput):
            build_embedder(bad)


@pytest.mark.parametrize("retrieval", ["hybrid", "dense", "bm25"])
def test_each_retrieval_ranks_the_matching_document_first(tmp_path, own_index, retrieval):
    corpus = _write_corpus(tmp_path / "docs")
    _assistant(corpus, own_index).index(progress=False)
    assistant = _assistant(corpus, own_index, retrieval=retrieval)
    names = _source_names(assistant)
    for question, name in QUESTIONS.items():
        passages = assistant.search(question, 3)
        assert names[passages[0].doc_id] == name, (retrieval, question, [p.doc_id for p in passages])
        assert [p.rank for p in passages] == list(range(1, len(passages) + 1))


def test_a_moved_corpus_keeps_its_ids_and_embeds_nothing_again(tmp_path, own_index):
    corpus = _write_corpus(tmp_path / "docs")
    first = _assistant(corpus, own_index).index(progress=False)
    assert len(first.added) == 3 and first.embedded > 0
    moved = tmp_path / "elsewhere" / "docs"
    moved.parent.mkdir()
    shutil.move(corpus, moved)
    again = _assistant(moved, own_index).index(progress=False)
    assert sorted(again.unchanged) == sorted(first.added)
    assert again.added == [] and again.removed == [] and again.embedded == 0
    current = IndexFiles(own_index).current()
    assert current is not None
    files = current.manifest.files
    assert sorted(files) == sorted(str((moved / name).resolve()) for name in DOCS)  # the entries moved along
    assert sorted(e["doc_id"] for e in files.values()) == sorted(first.added)
    assistant = _assistant(moved, own_index)
    doc_id = assistant.search("bảo hiểm y tế", 1)[0].doc_id
    assert _source_names(assistant)[doc_id] == "bao-hiem.md"
    assistant.remove_document(doc_id)  # the file is found where the corpus is now
    assert not (moved / "bao-hiem.md").exists() and (moved / ".trash" / "bao-hiem.md").exists()


def test_a_removed_document_leaves_the_index_and_comes_back_from_the_trash(tmp_path, own_index):
    corpus = _write_corpus(tmp_path / "docs")
    _assistant(corpus, own_index).index(progress=False)
    assistant = _assistant(corpus, own_index)
    doc_id = next(d for d, name in _source_names(assistant).items() if name == "bao-hiem.md")
    chunks_before = len(assistant.search("bảo hiểm y tế", 10))

    report = assistant.remove_document(doc_id)
    assert report.removed == [doc_id] and not (corpus / "bao-hiem.md").exists()
    assert doc_id not in [p.doc_id for p in assistant.search("bảo hiểm y tế", 10)]
    assert doc_id not in _source_names(assistant)

    restored = assistant.restore_document(next(p.name for p in (corpus / ".trash").iterdir()))
    assert (corpus / "bao-hiem.md").exists() and restored.added
    assert _source_names(assistant)[assistant.search("bảo hiểm y tế", 1)[0].doc_id] == "bao-hiem.md"
    assert len(assistant.search("bảo hiểm y tế", 10)) == chunks_before
