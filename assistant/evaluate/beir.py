"""``ntm eval beir``: index a BEIR-style corpus with the product's own pipeline and score retrieval."""

from __future__ import annotations

import resource
import tempfile
import time
from pathlib import Path

from assistant.evaluate.metrics import percentile, rank_figures, read_jsonl
from assistant.settings import Settings


def read_qrels(path: Path) -> dict[str, set[str]]:
    qrels: dict[str, set[str]] = {}
    for i, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines()):
        parts = line.split("\t")
        if len(parts) < 2 or (i == 0 and parts[0] == "query-id"):
            continue
        if len(parts) < 3 or float(parts[2]) > 0:
            qrels.setdefault(parts[0], set()).add(parts[1])
    return qrels


def score_rankings(rankings: dict[str, list[str]], qrels: dict[str, set[str]]) -> dict:
    """Recall@1/5/10, MRR@10 and nDCG@10 averaged over the judged queries."""
    judged = [
        ([i for i, doc in enumerate(rankings.get(qid, []), start=1) if doc in relevant], len(relevant))
        for qid, relevant in qrels.items()
    ]
    return rank_figures(judged, ndcg=True) | {"n_queries": len(qrels)}


def run_beir(corpus: Path, queries: Path, qrels_path: Path, settings: Settings, progress: bool = False) -> dict:
    """Index the corpus into a fresh temporary index, run every judged query, report the figures."""
    from assistant.service import Assistant

    qrels = read_qrels(qrels_path)
    questions = {q["_id"]: q["text"] for q in read_jsonl(queries) if q["_id"] in qrels}
    with tempfile.TemporaryDirectory(prefix="ntm-beir-") as tmp:
        source = Path(tmp) / "corpus"
        source.mkdir()
        id_of = {}
        for i, article in enumerate(read_jsonl(corpus)):
            name = f"a{i:06d}"
            text = "\n\n".join(x for x in (article.get("title"), article.get("text")) if x)
            (source / f"{name}.txt").write_text(text or " ", encoding="utf-8")
            id_of[name] = article["_id"]
        bench = Settings(**{**settings.model_dump(), "index_dir": Path(tmp) / "index", "chroma_url": None})
        assistant = Assistant(bench)
        started = time.perf_counter()
        report = assistant.index([source], progress=progress, with_units=False)
        index_s = time.perf_counter() - started
        assistant.search("khởi động")  # load the index before timing queries
        rankings, latencies = {}, []
        for qid, text in questions.items():
            t0 = time.perf_counter()
            passages = assistant.search(text, k=50)
            latencies.append((time.perf_counter() - t0) * 1000)
            ranked = list(dict.fromkeys(id_of.get(p.doc_id, p.doc_id) for p in passages))
            rankings[qid] = ranked[:10]
    result = score_rankings(rankings, {q: r for q, r in qrels.items() if q in questions})
    result.update(
        {
            "index_s": round(index_s, 1),
            "query_ms_p50": round(percentile(latencies, 50), 1),
            "query_ms_p95": round(percentile(latencies, 95), 1),
            "rss_mb": int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            "passages_per_s": round(report.chunks / index_s, 1) if index_s else None,
        }
    )
    return result
