"""What a question's answer reuses instead of computing again gives what computing it again would: the
word weights of several documents from each document's own, and a shallow ranking from a deeper one."""

from __future__ import annotations

import numpy as np

from assistant.index.lexical import LexicalIndex
from assistant.index.vectors import StoredVectors
from assistant.retrieve.hybrid import HybridRetriever
from assistant.retrieve.query import Term, analyse
from assistant.retrieve.rerank import Coverage, TermWeights

PLAN = [
    "Phấn đấu đến năm 2025 xã đạt chuẩn nông thôn mới nâng cao.",
    "Tỷ lệ hộ nghèo giảm còn dưới 2%.",
    "Tỷ lệ người dân tham gia bảo hiểm y tế đạt trên 95%.",
]
DECISION = [
    "Hỗ trợ 500 triệu đồng mỗi km đường giao thông nông thôn.",
    "Hộ nghèo được hỗ trợ xây nhà vệ sinh.",
]


def test_the_weights_of_several_documents_are_those_of_their_passages_counted_together():
    together = TermWeights(PLAN + DECISION)
    combined = TermWeights.combined([TermWeights(PLAN), TermWeights(DECISION)])
    assert combined.n == together.n
    assert dict(combined.df) == together.df
    for token in [*together.df, "khong_co", "xyz"]:
        assert combined.idf(token) == together.idf(token)
        assert combined.known(token) == together.known(token)
        assert combined.df.get(token, 0) == together.df.get(token, 0)
    assert TermWeights.combined([]).n == TermWeights([]).n == 1


def test_coverage_weighs_the_question_once_for_every_text():
    weights = TermWeights(PLAN + DECISION)
    covered = Coverage([Term("ho"), Term("ngheo"), Term("ho_ngheo"), Term("bhyt", (("bao", "hiem"),))], weights)
    assert covered("Hộ nghèo được hỗ trợ") > covered("Hộ dân được hỗ trợ") > 0.0
    assert covered("bảo hiểm y tế") > 0.0  # an abbreviation is present through its full form
    assert Coverage([], weights)("Hộ nghèo") == 0.0


def test_a_shallow_ranking_is_the_head_of_a_deeper_one():
    texts = PLAN + DECISION + [f"Nội dung số {i} về hộ nghèo và nông thôn mới" for i in range(20)]
    ids = [f"p{i}" for i in range(len(texts))]
    rng = np.random.default_rng(0)
    retriever = HybridRetriever(
        LexicalIndex.build(ids, texts), StoredVectors(ids, rng.normal(size=(len(ids), 8)).astype("float32"))
    )
    query, vector = analyse("tỷ lệ hộ nghèo ở nông thôn"), rng.normal(size=8).tolist()
    assert retriever.rank(query, 20, vector)[:5] == retriever.rank(query, 5, vector)
