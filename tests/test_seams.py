"""The service's public seams (an embedder given to it, passages, the answer step, the fusion's
features) and the one cited-span type, on a tiny corpus indexed with the ``hash`` embedder."""

import dataclasses

import pytest

from assistant import errors
from assistant.answer.model import Citation
from assistant.answer.span import CitedSpan
from assistant.draft.compose import Source, build_draft
from assistant.index.embedders import build_embedder
from assistant.service import Assistant, Passage
from assistant.settings import Settings

DOCS = {
    "nuoc-sach.md": "# Nước sạch\n\nĐến năm 2025, 100% hộ dân nông thôn được sử dụng nước sạch hợp vệ sinh.\n",
    "bao-hiem.md": "# Bảo hiểm y tế\n\nTỷ lệ người dân tham gia bảo hiểm y tế đạt trên 95% dân số.\n",
}
QUESTION = "tỷ lệ người dân tham gia bảo hiểm y tế"


class _CountingEmbedder:
    """The hash embedder, counting the questions it embeds."""

    def __init__(self, real):
        self.real = real
        self.queries: list[str] = []

    def get_query_embedding(self, text):
        self.queries.append(text)
        return self.real.get_query_embedding(text)

    def __getattr__(self, name):
        return getattr(self.real, name)


@pytest.fixture
def settings(tmp_path, own_index) -> Settings:
    corpus = tmp_path / "docs"
    corpus.mkdir()
    for name, text in DOCS.items():
        (corpus / name).write_text(text, encoding="utf-8")
    settings = Settings(index_dir=own_index, corpus_dir=corpus, embedder="hash")
    Assistant(settings).index(progress=False)
    return settings


def test_an_assistant_uses_the_embedder_it_is_given(settings):
    given = _CountingEmbedder(build_embedder("hash"))
    assistant = Assistant(settings, embedder=given)
    assert assistant.embedder is given
    assert assistant.search(QUESTION, 1)[0].doc_id == "bao-hiem"
    assert given.queries, "the search embedded its question with another embedder"


def test_passages_by_id_match_what_search_returns(settings):
    assistant = Assistant(settings)
    chunks = assistant.chunks()
    assert {c.doc_id for c in chunks} == {"nuoc-sach", "bao-hiem"}
    best = assistant.search(QUESTION, 1)[0]
    chunk = assistant.chunk(best.chunk_id)
    assert (chunk.doc_id, chunk.clause, chunk.text, chunk.start, chunk.end) == (
        best.doc_id,
        best.clause,
        best.text,
        best.start,
        best.end,
    )
    with pytest.raises(KeyError):
        assistant.chunk("no-such-passage")


def test_the_answer_step_is_the_one_ask_uses(settings):
    assistant = Assistant(settings)
    answer, _ = assistant.ask(QUESTION)
    judged = assistant.answer_builder().answer(QUESTION)
    assert answer.found and "95%" in answer.answer
    assert (judged.status, judged.answer, judged.citations) == (answer.status, answer.answer, answer.citations)


def test_fusion_features_are_one_row_per_candidate(settings):
    chunks, features = Assistant(settings).fusion_features(QUESTION)
    assert chunks and features.shape[0] == len(chunks)
    assert "bao-hiem" in {c.doc_id for c in chunks}
    with pytest.raises(errors.BadInput):
        Assistant(Settings(**{**settings.model_dump(), "fusion": "rrf"})).fusion_features(QUESTION)


def test_citations_passages_and_sources_are_one_cited_span(settings):
    assistant = Assistant(settings)
    answer, passages = assistant.ask(QUESTION, hits=1)
    draft = build_draft(assistant, "bảo hiểm y tế")
    spans = [answer.citations[0], passages[0], draft.sources[0]]
    assert [type(s) for s in spans] == [Citation, Passage, Source]
    for span in spans:
        assert isinstance(span, CitedSpan)
        text = getattr(span, "quote", None) or span.text
        assert assistant.verify_quote(span.doc_id, span.start, span.end, text)
    # The JSON shapes keep the contract's key order.
    assert list(answer.to_json()["citations"][0]) == [
        "n",
        "doc_id",
        "doc_title",
        "clause",
        "quote",
        "label",
        "start",
        "end",
        "ocr",
    ]
    assert list(passages[0].to_json()) == [
        "rank",
        "doc_id",
        "doc_title",
        "clause",
        "heading",
        "text",
        "score",
        "start",
        "end",
    ]
    assert list(draft.to_json()["sources"][0]) == [
        "n",
        "doc_id",
        "doc_title",
        "clause",
        "label",
        "quote",
        "start",
        "end",
    ]
    # Keyword-only: a field added to the shared shape can never shift another's value.
    with pytest.raises(TypeError):
        Citation(1, "d", "t", "I.3", "quote")
    copy = dataclasses.replace(answer.citations[0], n=7)
    assert copy.n == 7 and copy.doc_id == answer.citations[0].doc_id
