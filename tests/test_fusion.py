"""The learned fusion: articles of legal documents, training, and ranking on a tiny corpus made here."""

from __future__ import annotations

import json
import subprocess
import sys
from types import SimpleNamespace

import numpy as np
import pytest
from conftest import ROOT

from assistant.retrieve import fusion


def _chunk(doc_id, heading_path, text="x"):
    return SimpleNamespace(doc_id=doc_id, heading_path=heading_path, text=text, chunk_id=f"{doc_id}-{text}")


def test_articles_follow_dieu_sections_short_documents_and_leave_long_ones_apart():
    chunks = [
        _chunk("law", ["Chương I", "Điều 1. Phạm vi điều chỉnh"], "a"),
        _chunk("law", ["Chương I", "Điều 1. Phạm vi điều chỉnh", "1."], "b"),
        _chunk("law", ["Chương I", "Điều 2. Đối tượng áp dụng"], "c"),
        _chunk("one", [], "Giải thích từ ngữ\nTrong Luật này"),
        _chunk("one", ["1."], "d"),
    ]
    chunks += [_chunk("long", ["I. Quan điểm"], f"p{i}") for i in range(fusion.WHOLE_DOCUMENT_ARTICLE + 1)]
    chunks += [_chunk("parts", ["I. Quan điểm"], "e"), _chunk("parts", ["II. Nhiệm vụ"], "f")]
    article_of, headings = fusion.articles(chunks)
    assert article_of[0] == article_of[1] != article_of[2]
    assert headings[article_of[0]] == "Điều 1. Phạm vi điều chỉnh"
    assert article_of[3] == article_of[4] and headings[article_of[3]] == "Giải thích từ ngữ"
    long = article_of[5:-2]
    assert len(set(long.tolist())) == len(long) and headings[long[0]] == ""
    assert article_of[-1] != article_of[-2]  # a short document with parts of its own is not one article


def test_features_take_the_article_best_and_next_best_passage():
    article_of = np.array([0, 0, 1])
    folded = np.array([4.0, 2.0, 1.0])
    signals = fusion.Signals(long=0.5, rare=0.5, agree=0.2, margin=0.3)
    positions, x = fusion.candidate_features([(2, 0.9), (0, 0.8)], None, folded, article_of, {0: 1.0}, signals)
    column = {f: x[:, i] for i, f in enumerate(fusion.FEATURES)}
    assert positions.tolist() == [0, 1, 2]
    assert column["s_folded"].tolist() == [1.0, 0.5, 0.25]
    assert column["a_folded"].tolist() == [1.0, 1.0, 0.25] and column["n_folded"].tolist() == [0.5, 0.5, 0.0]
    assert column["heading"].tolist() == [1.0, 1.0, 0.0]
    assert column["r_dense"][2] == 20 / 21 and column["r_dense"][1] == 0.0  # passage 1 is not in the dense top
    assert column["r_dense*agree"][2] == 0.2 * 20 / 21


def test_article_share_counts_the_question_pairs_anywhere_in_the_article():
    from assistant.vietnamese import folded_tokens

    passages = {
        0: ["Người lao động được nghỉ hằng năm.", "Số ngày nghỉ do hợp đồng lao động quy định."],
        1: ["Người sử dụng lao động trả lương."],
    }

    def terms(article):
        return frozenset(t for text in passages[article] for t in folded_tokens(text) if "_" in t)

    tokens = folded_tokens("Người lao động được nghỉ hằng năm theo hợp đồng lao động")
    shares = fusion.article_shares(tokens, np.array([0, 1, 1]), terms, lambda t: 1.0, lambda t: True)
    assert set(shares) == {0, 1} and shares[0] > shares[1] > 0.0
    # "nam theo" and "theo hop": the question's own pairs, in no passage; "nghi hang" "hang nam": in the first only
    assert shares[0] == 1.0 - 2 / len({t for t in tokens if "_" in t})
    assert fusion.article_shares(tokens, np.array([0]), terms, lambda t: 1.0, lambda t: False) == {}
    article_of = np.array([0, 0, 1])
    signals = fusion.Signals(long=0.5, rare=0.5, agree=0.2, margin=0.3)
    _, x = fusion.candidate_features([], None, np.array([4.0, 2.0, 1.0]), article_of, {}, signals, bigram_share=shares)
    assert x[:, fusion.FEATURES.index("a_bigrams")].tolist() == [shares[0], shares[0], shares[1]]
    # trusted more on a longer question: a share of many pairs says more than a share of two
    assert x[:, fusion.FEATURES.index("a_bigrams*long")].tolist() == [0.5 * shares[0], 0.5 * shares[0], 0.5 * shares[1]]


def test_heading_cover_is_how_much_of_the_heading_the_question_names():
    from assistant.vietnamese import folded_tokens

    headings = ["Điều 313. Nghĩa vụ của bên nhận cầm cố", "Điều 311. Nghĩa vụ của bên cầm cố", "Điều kiện kết hôn"]
    cover_tokens = [fusion.heading_cover_tokens(h) for h in headings]
    assert "dieu" not in cover_tokens[0] and "313" not in cover_tokens[0]  # the article's number is not its subject
    assert "dieu_kien" in cover_tokens[2]  # "Điều kiện" is a word, not a number
    tokens = folded_tokens("Điều nào sau đây không đúng về nghĩa vụ của bên nhận cầm cố?")
    covers = fusion.heading_covers(tokens, np.array([0, 1, 1, 2]), cover_tokens, lambda t: 1.0)
    assert covers[0] == (1.0, 1.0)  # every syllable and pair of the heading is in the question
    assert covers[1][0] == 1.0 and covers[1][1] < 1.0  # "của bên cầm cố": its pair "ben_cam" is not
    assert covers[2][0] < covers[1][0]
    article_of = np.array([0, 1, 1])
    signals = fusion.Signals(long=0.5, rare=0.5, agree=0.2, margin=0.3)
    _, x = fusion.candidate_features([], None, np.array([4.0, 2.0, 1.0]), article_of, {}, signals, cover=covers)
    assert x[:, fusion.FEATURES.index("h_cover")].tolist() == [1.0, 1.0, 1.0]
    assert x[:, fusion.FEATURES.index("h_cover_pairs")].tolist() == [1.0, covers[1][1], covers[1][1]]


def test_sentence_share_is_the_best_single_sentence():
    from assistant.vietnamese import folded_tokens

    share = fusion.sentence_scorer(folded_tokens("mức phạt tiền vượt đèn đỏ"), lambda t: 1.0, lambda t: True)
    one_sentence = "Phạt tiền người vượt đèn đỏ. Mức phạt do Chính phủ quy định."
    assert share(one_sentence) < 1.0  # no single sentence holds every term
    assert share("Mức phạt tiền vượt đèn đỏ là 4 triệu đồng.") == 1.0
    assert share("") == 0.0


def test_training_learns_which_feature_tells_and_is_reproducible():
    rng = np.random.default_rng(0)
    examples = []
    for _ in range(40):
        x = rng.normal(size=(20, len(fusion.FEATURES)))
        y = np.zeros(20)
        y[int(np.argmax(x[:, fusion.FEATURES.index("s_folded")]))] = 1.0
        examples.append((x, y))
    model = fusion.train(examples, steps=200)
    weights = dict(zip(fusion.FEATURES, model.vector))
    assert max(weights, key=weights.get) == "s_folded"
    assert np.allclose(fusion.train(examples, steps=200).vector, model.vector)
    assert fusion.softmax_loss(model, examples) < fusion.softmax_loss(fusion.FusionModel({}), examples)
    again = fusion.FusionModel.from_json(json.loads(json.dumps(model.to_json())))
    assert np.allclose(again.vector, model.vector, atol=1e-4)


def test_cross_validation_ranks_each_question_with_a_model_that_did_not_see_it():
    from assistant.evaluate.train_fusion import cross_validate

    rng = np.random.default_rng(1)
    examples, qrels = [], {}
    for q in range(30):
        x = rng.normal(size=(8, len(fusion.FEATURES)))
        gold = int(rng.integers(8))
        x[gold, fusion.FEATURES.index("a_folded")] += 4.0
        docs = [f"d{q}-{i}" for i in range(8)]
        examples.append((f"q{q}", docs, x, (np.arange(8) == gold).astype(float)))
        qrels[f"q{q}"] = {docs[gold]}
    figures = cross_validate(examples, qrels, l2=0.01)
    assert figures["n_queries"] == 30 and figures["mrr@10"] > 0.9
    assert cross_validate(examples, qrels, l2=0.01) == figures  # fixed folds: a rerun agrees


def test_shipped_weights_load():
    model = fusion.shipped_model()
    assert set(model.weights) <= set(fusion.FEATURES) and np.any(model.vector != 0)


CORPUS = [
    {"_id": "L|1", "text": "Nghỉ hằng năm\n\nNgười lao động được nghỉ hằng năm 12 ngày làm việc."},
    {"_id": "L|2", "text": "Thuế thu nhập\n\nThuế thu nhập cá nhân áp dụng với tiền lương, tiền công."},
    {"_id": "L|3", "text": "Bảo hiểm y tế\n\nTrẻ em dưới 6 tuổi được cấp thẻ bảo hiểm y tế miễn phí."},
    {"_id": "L|4", "text": "Mũ bảo hiểm\n\nNgười điều khiển xe mô tô phải đội mũ bảo hiểm."},
]
QUERIES = [
    {"_id": "q1", "text": "Người lao động được nghỉ hằng năm bao nhiêu ngày?"},
    {"_id": "q2", "text": "Trẻ em được cấp thẻ bảo hiểm y tế không?"},
    {"_id": "q3", "text": "Đi xe mô tô có phải đội mũ bảo hiểm?"},
]


@pytest.mark.slow  # the real embedding model
def test_train_fusion_command_and_learned_ranking(tmp_path):
    """``ntm eval train-fusion`` on a tiny BEIR corpus: index built once into --work, figures reported,
    and the product's search with the learned fusion finds each article first."""
    for name, rows in (("corpus.jsonl", CORPUS), ("queries_train.jsonl", QUERIES), ("queries_dev.jsonl", QUERIES)):
        (tmp_path / name).write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    qrels = "query-id\tcorpus-id\tscore\nq1\tL|1\t1\nq2\tL|3\t1\nq3\tL|4\t1\n"
    (tmp_path / "qrels_train.tsv").write_text(qrels, encoding="utf-8")
    (tmp_path / "qrels_dev.tsv").write_text(qrels, encoding="utf-8")
    work = tmp_path / "work"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "assistant.cli",
            "eval",
            "train-fusion",
            "--corpus",
            str(tmp_path / "corpus.jsonl"),
            "--work",
            str(work),
            "--json",
        ],
        check=False,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout.strip().splitlines()[-1])
    assert report["train learned"]["n_queries"] == 3 and report["dev learned"]["mrr@10"] == 1.0
    assert set(report["weights"]) == set(fusion.FEATURES) and "saved" not in report
    assert report["train cross-validated"]["n_queries"] == 3 and report["train cross-validated"]["folds"] == 5
    assert set(report["cross-validated mrr@10 by l2"]) == {"0.01", "0.03", "0.1"}
    assert (work / "names.json").exists() and (work / "index").is_dir()

    from assistant.service import Assistant
    from assistant.settings import Settings

    names = json.loads((work / "names.json").read_text(encoding="utf-8"))
    assistant = Assistant(Settings(index_dir=work / "index", chroma_url=None))
    assert assistant.loaded.retriever.learned is not None
    for query, gold in zip(QUERIES, ("L|1", "L|3", "L|4")):
        assert names[assistant.search(query["text"], k=3)[0].doc_id] == gold
    fixed = Assistant(Settings(index_dir=work / "index", chroma_url=None, fusion="rrf"))
    assert fixed.loaded.retriever.learned is None


def test_learned_fusion_leaves_an_index_without_articles_to_the_fixed_weights():
    from assistant.retrieve.hybrid import LearnedFusion
    from assistant.retrieve.query import Query
    from assistant.retrieve.rerank import TermWeights

    long = [_chunk("resolution", ["I. Quan điểm"], f"đoạn {i}") for i in range(fusion.WHOLE_DOCUMENT_ARTICLE + 5)]
    laws = long + [_chunk("law", ["Điều 3. Giải thích từ ngữ"], "Trong Luật này")]
    accented, folded = Query("Quan điểm là gì?", "accented"), Query("quan diem la gi", "folded")
    assert not LearnedFusion(long, TermWeights([c.text for c in long])).applies(accented)
    with_laws = LearnedFusion(laws, TermWeights([c.text for c in laws]))
    assert with_laws.applies(accented) and not with_laws.applies(folded)


@pytest.mark.slow  # the real embedding model
def test_sentence_reorder_leaves_the_learned_order_of_articles(tmp_path, monkeypatch):
    """Where the combiner ranks an article first, its order stands (it weighs the best sentence
    already); a question whose best passage is in a document without articles is still reordered
    by its best sentence, as the resolution was tuned."""
    import assistant.service as service
    from assistant.service import Assistant
    from assistant.settings import Settings

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "luat.txt").write_text(
        "LUẬT BẢO HIỂM Y TẾ\n\nĐiều 1. Phạm vi điều chỉnh\nLuật này quy định về chính sách bảo hiểm y tế.\n\n"
        "Điều 2. Đối tượng tham gia\nTrẻ em dưới 6 tuổi được cấp thẻ bảo hiểm y tế.\n\n"
        "Điều 3. Mức đóng\nMức đóng bảo hiểm y tế hằng tháng tối đa bằng 6% mức lương cơ sở.\n",
        encoding="utf-8",
    )
    (corpus / "nghi-quyet.txt").write_text(
        "NGHỊ QUYẾT\n\nI. MỤC TIÊU\n1. Mục tiêu chung\nĐến năm 2025 tỉnh đạt chuẩn nông thôn mới.\n"
        "2. Chỉ tiêu\nTỷ lệ hộ dân dùng nước sạch đạt 85%.\n\n"
        "II. NHIỆM VỤ\n1. Tuyên truyền\nĐẩy mạnh công tác tuyên truyền về xây dựng nông thôn mới.\n",
        encoding="utf-8",
    )
    settings = Settings(index_dir=tmp_path / "index", corpus_dir=corpus, chroma_url=None)
    Assistant(settings).index([corpus], progress=False)
    reordered = []
    monkeypatch.setattr(service, "rerank_by_sentence", lambda head, units: reordered.append(head[0].chunk_id) or head)
    assistant = Assistant(settings)
    assert assistant.loaded.retriever.learned is not None
    law = assistant.search("Mức đóng bảo hiểm y tế hằng tháng là bao nhiêu?", k=3)
    assert law[0].doc_id == "luat" and reordered == []
    resolution = assistant.search("Mục tiêu chung đến năm 2025 của nghị quyết là gì?", k=3)
    assert resolution[0].doc_id == "nghi-quyet" and len(reordered) == 1
