"""`ntm eval beir` on a tiny corpus made here, with metrics checked against hand computation."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import pytest
from conftest import ROOT

from assistant.evaluate.beir import score_rankings
from assistant.evaluate.metrics import rank_figures, read_jsonl


def test_metric_arithmetic():
    qrels = {"q1": {"d1"}, "q2": {"d2"}, "q3": {"d3"}}
    rankings = {"q1": ["d1", "x"], "q2": ["x", "y", "d2"], "q3": ["x"]}
    figures = score_rankings(rankings, qrels)
    assert figures["recall@1"] == pytest.approx(1 / 3, abs=1e-4)
    assert figures["recall@5"] == pytest.approx(2 / 3, abs=1e-4)
    assert figures["mrr@10"] == pytest.approx((1 + 1 / 3) / 3, abs=1e-4)
    assert figures["ndcg@10"] == pytest.approx((1 + 1 / math.log2(4)) / 3, abs=1e-4)


def test_one_aggregation_for_every_evaluation():
    # (ranks of the relevant items retrieved, how many are relevant) per query
    queries = [([1], 1), ([3], 1), ([], 1), ([2, 7], 2)]
    figures = rank_figures(queries, at=(1, 3, 5), digits=3)
    assert figures == {
        "recall@1": 0.25,
        "recall@3": 0.625,
        "recall@5": 0.625,
        "mrr@10": round((1 + 1 / 3 + 1 / 2) / 4, 3),
    }
    with_ndcg = rank_figures(queries, ndcg=True)
    assert list(with_ndcg) == ["recall@1", "recall@5", "recall@10", "mrr@10", "ndcg@10"]
    assert with_ndcg["recall@10"] == 0.75
    assert rank_figures([]) == {"recall@1": 0.0, "recall@5": 0.0, "recall@10": 0.0, "mrr@10": 0.0}
    assert rank_figures([], at=(1,), empty=None) == {"recall@1": None, "mrr@10": None}


def test_one_jsonl_reader(tmp_path):
    path = tmp_path / "q.jsonl"
    path.write_text(
        '{"_id": "q1", "text": "bảo hiểm y tế"}\n\n  \n{"_id": "q2", "text": "nước sạch"}\n', encoding="utf-8"
    )
    assert read_jsonl(path) == [{"_id": "q1", "text": "bảo hiểm y tế"}, {"_id": "q2", "text": "nước sạch"}]
    assert read_jsonl(str(path)) == read_jsonl(path)


CORPUS = [
    {"_id": "L|1", "title": "Điều 1", "text": "Người lao động được nghỉ hằng năm 12 ngày làm việc."},
    {"_id": "L|2", "text": "Thuế thu nhập cá nhân áp dụng với tiền lương, tiền công."},
    {"_id": "L|3", "text": "Trẻ em dưới 6 tuổi được cấp thẻ bảo hiểm y tế miễn phí."},
    {"_id": "L|4", "text": "Người điều khiển xe mô tô phải đội mũ bảo hiểm."},
]
QUERIES = [
    {"_id": "q1", "text": "nghỉ hằng năm bao nhiêu ngày"},
    {"_id": "q2", "text": "thẻ bảo hiểm y tế cho trẻ em"},
    {"_id": "q3", "text": "doi mu bao hiem khi di xe may"},
]


@pytest.mark.slow  # the real embedding model
def test_eval_beir_end_to_end(tmp_path):
    corpus, queries = CORPUS, QUERIES
    (tmp_path / "c.jsonl").write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in corpus), encoding="utf-8")
    (tmp_path / "q.jsonl").write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in queries), encoding="utf-8")
    (tmp_path / "r.tsv").write_text(
        "query-id\tcorpus-id\tscore\nq1\tL|1\t1\nq2\tL|3\t1\nq3\tL|4\t1\n", encoding="utf-8"
    )
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "assistant.cli",
            "eval",
            "beir",
            "--corpus",
            str(tmp_path / "c.jsonl"),
            "--queries",
            str(tmp_path / "q.jsonl"),
            "--qrels",
            str(tmp_path / "r.tsv"),
            "--json",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout.strip().splitlines()[-1])
    for key in (
        "recall@1",
        "recall@5",
        "recall@10",
        "mrr@10",
        "ndcg@10",
        "n_queries",
        "index_s",
        "query_ms_p50",
        "query_ms_p95",
        "rss_mb",
    ):
        assert key in result
    assert result["n_queries"] == 3 and result["recall@1"] == 1.0 and result["mrr@10"] == 1.0


@pytest.mark.slow  # the real embedding model
def test_peers_side_by_side(tmp_path):
    """The seven pipelines of ``make bench`` on the tiny corpus: every figure present, ratios to ours."""
    from assistant.evaluate import peers
    from assistant.settings import Settings

    collection = [(a["_id"], a["text"]) for a in CORPUS]
    splits = {"tiny": ({q["_id"]: q["text"] for q in QUERIES}, {"q1": {"L|1"}, "q2": {"L|3"}, "q3": {"L|4"}})}
    pipelines, alone = peers.build_pipelines(
        collection, tmp_path, Settings(index_dir=tmp_path / "unused"), progress=False
    )
    runs = peers.run_beir_peers(pipelines, splits, alone)
    assert [r.pipeline for r in runs] == peers.PIPELINES
    ours = runs[-1].figures
    assert ours["recall@1"] == 1.0 and ours["embedder_alone_s"] > 0 and ours["index_s"] > 0
    text = peers.table(runs)
    assert "ours (hybrid)" in text and "×)" in text
    plain = next(r for r in runs if r.pipeline == peers.PLAIN)
    assert plain.figures["recall@1"] == 1.0  # the baseline row: whole documents, folded syllables + bigrams
    assert any("ahead of the plain BM25" in line for line in peers.target_lines(runs))
    questions = [
        {"id": "d1", "question": "trẻ em được cấp thẻ gì", "evidence": ["thẻ bảo hiểm y tế"], "answerable": True}
    ]
    evidence_runs = peers.run_evidence_peers(pipelines, questions, "tiny-dev", alone)
    assert evidence_runs[-1].figures["recall@5"] == 1.0


@pytest.mark.slow  # the real embedding model
def test_plain_baseline_ranks_passages_when_judged_by_evidence(tmp_path):
    """On one long document judged by evidence (the resolution), the plain BM25 ranks our passages:
    a whole document holds every evidence, so ranking documents would score it perfect."""
    from assistant.evaluate import peers
    from assistant.settings import Settings

    sections = [a["text"] for a in CORPUS]
    text = "NGHỊ QUYẾT\n" + "\n".join(f"{n}. Mục {n}\n{body}" for n, body in enumerate(sections, start=1))
    pipelines, _ = peers.build_pipelines(
        [("nq", text)], tmp_path, Settings(index_dir=tmp_path / "unused"), progress=False, with_units=True
    )
    found = pipelines[peers.PLAIN].passages("thẻ bảo hiểm y tế cho trẻ em")
    assert len(found) > 1 and "thẻ bảo hiểm y tế" in found[0][1] and "mũ bảo hiểm" not in found[0][1]
