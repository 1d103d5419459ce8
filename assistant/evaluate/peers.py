"""``make bench``: our retrieval side by side with what a user would otherwise pick, in one run.

Pipelines, each built once per benchmark and asked every query:
1. llama-index's default pipeline: ``SentenceSplitter`` (its defaults) + ``VectorStoreIndex``
   with the same embedder;  2. llama-index's ``BM25Retriever`` with its defaults;
3. a plain BM25 (k1 1.2, b 0.75) over diacritic-folded syllables + bigrams, the simplest method,
   which every change must beat: over each whole document of a BEIR benchmark (an article), over
   our passages where a hit is a passage holding the evidence (a whole resolution would hold all);
4. ours, dense only;  5. ours, BM25 only;
6. ours, hybrid with the fixed RRF weights of before;  7. ours, full hybrid (learned fusion for
questions typed with accents, with the sentence rerank).
Ours 3–5 share one index. The same run also times the embedder alone on the same text,
the yardstick for index build time.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from assistant.evaluate.beir import read_qrels, score_rankings
from assistant.evaluate.metrics import percentile, rank_figures, read_jsonl
from assistant.settings import Settings

OURS = "ours (hybrid)"
FIXED = "ours (hybrid, fixed RRF)"
PLAIN = "plain BM25 (folded + bigrams)"
PIPELINES = [
    "llama-index default",
    "llama-index BM25Retriever",
    PLAIN,
    "ours (dense only)",
    "ours (BM25 only)",
    FIXED,
    OURS,
]
DEPTH = 50


@dataclass
class Run:
    """One pipeline on one benchmark split."""

    pipeline: str
    split: str
    figures: dict = field(default_factory=dict)


def build_pipelines(
    collection: list[tuple[str, str]], folder: Path, settings: Settings, progress: bool = True, with_units: bool = False
) -> tuple[dict, float]:
    """The seven pipelines over one collection of (id, text), and the embedder-alone seconds.

    ``with_units``: the questions are judged by evidence in the passages (the resolution), so the
    plain BM25 ranks our passages, not whole documents.
    """
    ours = _OurIndex(collection, folder, settings, progress, with_units)
    embed_alone = _embedder_alone(ours.embedder, ours.chunk_texts)
    pipelines = {
        "llama-index default": _LlamaDefault(collection, ours.embedder),
        "llama-index BM25Retriever": _LlamaBM25(collection),
        PLAIN: _PlainBM25(ours.passages if with_units else collection),
        "ours (dense only)": ours.variant("dense", rerank=False),
        "ours (BM25 only)": ours.variant("bm25", rerank=False),
        FIXED: ours.variant("hybrid", rerank=True, fusion="rrf"),
        OURS: ours.variant("hybrid", rerank=True),
    }
    return pipelines, embed_alone


def run_beir_peers(pipelines: dict, splits: dict[str, tuple[dict, dict]], embed_alone: float) -> list[Run]:
    """Every pipeline on every split of a BEIR benchmark (documents judged by id)."""
    runs = []
    for name, pipeline in pipelines.items():
        for split, (queries, qrels) in splits.items():
            rankings, latencies = {}, []
            for qid, text in queries.items():
                started = time.perf_counter()
                rankings[qid] = list(dict.fromkeys(doc for doc, _ in pipeline.passages(text)))[:10]
                latencies.append((time.perf_counter() - started) * 1000)
            figures = score_rankings(rankings, {q: r for q, r in qrels.items() if q in queries})
            runs.append(Run(name, split, figures | _timing(pipeline, latencies, embed_alone)))
    return runs


def run_evidence_peers(pipelines: dict, questions: list[dict], split: str, embed_alone: float) -> list[Run]:
    """Every pipeline on gold questions judged by evidence strings (the resolution's dev set)."""
    from assistant.evaluate.qa import first_evidence_rank

    judged = [q for q in questions if q.get("answerable", True) and q.get("evidence")]
    runs = []
    for name, pipeline in pipelines.items():
        hits, latencies = [], []
        for q in judged:
            started = time.perf_counter()
            texts = [text for _, text in pipeline.passages(q["question"])][:10]
            latencies.append((time.perf_counter() - started) * 1000)
            hits.append(first_evidence_rank(q["evidence"], texts))
        runs.append(Run(name, split, _first_hit_figures(hits) | _timing(pipeline, latencies, embed_alone)))
    return runs


def _first_hit_figures(first_hits: list[int | None]) -> dict:
    """R@k and MRR@10 where a question counts as found at its first passage holding the evidence."""
    return rank_figures([([r] if r else [], 1) for r in first_hits]) | {"n_queries": len(first_hits)}


def _timing(pipeline, latencies: list[float], embed_alone: float) -> dict:
    return {
        "index_s": round(pipeline.index_s, 1),
        "embedder_alone_s": round(embed_alone, 1),
        "query_ms_p50": round(percentile(latencies, 50), 1),
        "query_ms_p95": round(percentile(latencies, 95), 1),
    }


def table(
    runs: list[Run],
    metrics=("recall@1", "recall@5", "recall@10", "mrr@10", "ndcg@10", "index_s", "query_ms_p50", "query_ms_p95"),
) -> str:
    """A Markdown table: each figure, and each peer's ratio to ours on the same split."""
    ours = {r.split: r.figures for r in runs if r.pipeline == OURS}
    lines = ["| split | pipeline | " + " | ".join(metrics) + " |", "|---|---|" + "---|" * len(metrics)]
    for run in runs:
        cells = []
        for metric in metrics:
            value = run.figures.get(metric)
            base = ours.get(run.split, {}).get(metric)
            ratio = f" ({value / base:.2f}×)" if run.pipeline != OURS and value is not None and base else ""
            cells.append("" if value is None else f"{value}{ratio}")
        lines.append(f"| {run.split} | {run.pipeline} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


# The targets for our pipeline: (split prefix, metric, at least). Index time is
# checked separately against 1.2 × the embedder alone.
TARGETS = [
    ("resolution dev", "recall@5", 0.97),
    ("resolution dev", "mrr@10", 0.90),
    ("alqac dev", "mrr@10", 0.92),
    ("alqac train", "mrr@10", 0.92),
    ("alqac dev", "recall@10", 0.99),
]


def target_lines(runs: list[Run]) -> list[str]:
    """One line per target: measured, and met or missed by how much."""
    lines = []
    for run in (r for r in runs if r.pipeline == OURS):
        for split, metric, floor in TARGETS:
            if run.split == split and metric in run.figures:
                value = run.figures[metric]
                verdict = "met" if value >= floor else f"missed by {floor - value:.3f}"
                lines.append(f"- {split} {metric} ≥ {floor}: {value} — {verdict}")
        plain = next((r.figures for r in runs if r.pipeline == PLAIN and r.split == run.split), None)
        if plain and "mrr@10" in plain and "mrr@10" in run.figures:
            lead = run.figures["mrr@10"] - plain["mrr@10"]
            lines.append(
                f"- {run.split} mrr@10 ahead of the {PLAIN}: {run.figures['mrr@10']} vs {plain['mrr@10']} ({lead:+.3f})"
            )
        alone = run.figures.get("embedder_alone_s")
        if alone and run.split.endswith("dev"):
            limit = 1.2 * alone
            verdict = "met" if run.figures["index_s"] <= limit else f"missed by {run.figures['index_s'] - limit:.1f} s"
            lines.append(
                f"- {run.split} index build ≤ 1.2 × embedder alone ({limit:.1f} s): "
                f"{run.figures['index_s']} s — {verdict}"
            )
    return lines


class _OurIndex:
    """The product's own index of the collection, built once; variants differ in retrieval only."""

    def __init__(self, collection, folder: Path, settings: Settings, progress: bool, with_units: bool):
        from assistant.service import Assistant

        source = folder / "corpus"
        source.mkdir()
        self.names = {}
        for i, (doc_id, text) in enumerate(collection):
            name = f"a{i:06d}"
            (source / f"{name}.txt").write_text(text or " ", encoding="utf-8")
            self.names[name] = doc_id
        self.settings = Settings(**{**settings.model_dump(), "index_dir": folder / "index", "chroma_url": None})
        builder = Assistant(self.settings)
        started = time.perf_counter()
        builder.index([source], progress=progress, with_units=with_units)
        self.index_s = time.perf_counter() - started
        self.embedder = builder.embedder
        chunks = builder.chunks()
        self.chunk_texts = [c.context_text for c in chunks]
        self.passages = [(self.names.get(c.doc_id, c.doc_id), c.text) for c in chunks]

    def variant(self, retrieval: str, rerank: bool, fusion: str = "learned"):
        from assistant.service import Assistant

        settings = Settings(
            **{
                **self.settings.model_dump(),
                "retrieval": retrieval,
                "fusion": fusion,
                "rerank_depth": self.settings.rerank_depth if rerank else 0,
            }
        )
        assistant = Assistant(settings, embedder=self.embedder)  # one model in memory for every variant
        names, index_s = self.names, self.index_s

        class _Variant:
            def passages(self, text: str) -> list[tuple[str, str]]:
                return [(names.get(p.doc_id, p.doc_id), p.text) for p in assistant.search(text, k=DEPTH)]

        variant = _Variant()
        variant.index_s = index_s
        return variant


def _nodes(collection):
    from llama_index.core import Document
    from llama_index.core.node_parser import SentenceSplitter

    documents = [Document(text=text or " ", metadata={"article": doc_id}) for doc_id, text in collection]
    return SentenceSplitter().get_nodes_from_documents(documents)


class _LlamaDefault:
    """What a llama-index user gets by default, with the same embedder as ours."""

    def __init__(self, collection, embedder):
        from llama_index.core import VectorStoreIndex

        started = time.perf_counter()
        index = VectorStoreIndex(_nodes(collection), embed_model=embedder)
        self.retriever = index.as_retriever(similarity_top_k=DEPTH)
        self.index_s = time.perf_counter() - started

    def passages(self, text: str) -> list[tuple[str, str]]:
        return [(n.node.metadata["article"], n.node.get_content()) for n in self.retriever.retrieve(text)]


class _LlamaBM25:
    """llama-index's BM25Retriever with its defaults (English stemmer and stop words)."""

    def __init__(self, collection):
        from llama_index.retrievers.bm25 import BM25Retriever

        started = time.perf_counter()
        self.retriever = BM25Retriever.from_defaults(nodes=_nodes(collection), similarity_top_k=DEPTH)
        self.index_s = time.perf_counter() - started

    def passages(self, text: str) -> list[tuple[str, str]]:
        return [(n.node.metadata["article"], n.node.get_content()) for n in self.retriever.retrieve(text)]


class _PlainBM25:
    """The baseline: one BM25 document per (id, text) item, over folded syllables and their bigrams."""

    def __init__(self, collection):
        import bm25s

        from assistant.vietnamese import folded_tokens

        started = time.perf_counter()
        self.collection = collection
        self.tokenize = folded_tokens
        self.model = bm25s.BM25(k1=1.2, b=0.75)
        self.model.index([folded_tokens(text or "") or ["∅"] for _, text in collection], show_progress=False)
        self.index_s = time.perf_counter() - started

    def passages(self, text: str) -> list[tuple[str, str]]:
        import numpy as np

        tokens = [t for t in self.tokenize(text) if t in self.model.vocab_dict]
        if not tokens:
            return []
        scores = self.model.get_scores(tokens)
        best = np.argsort(-scores)[:DEPTH]
        return [self.collection[i] for i in best if scores[i] > 0]


def _embedder_alone(embedder, texts: list[str]) -> float:
    """Seconds the embedder needs for the passages our index embeds, with nothing else around it."""
    started = time.perf_counter()
    for start in range(0, len(texts), 32):
        embedder.get_text_embedding_batch(texts[start : start + 32])
    return time.perf_counter() - started


def beir_collection(corpus: Path) -> list[tuple[str, str]]:
    """(article id, title + text) of a BEIR corpus file."""
    return [(a["_id"], "\n\n".join(x for x in (a.get("title"), a.get("text")) if x)) for a in read_jsonl(corpus)]


def beir_split(queries: Path, qrels: Path) -> tuple[dict, dict]:
    judged = read_qrels(qrels)
    return {q["_id"]: q["text"] for q in read_jsonl(queries) if q["_id"] in judged}, judged
