"""``ntm eval train-fusion``: fit the learned fusion on a BEIR training split (ALQAC train), check it on dev.

The index of the corpus is built once into ``--work`` (or a temporary folder) and reused on later
runs; every question's features come from the same code the product ranks with
(``LearnedFusion.features``), so what is trained is what runs. The L2 is chosen by 5-fold
cross-validation on train, whose figures are reported beside the in-sample and dev ones. The
resolution's questions are never used here.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np

from assistant.evaluate.beir import score_rankings
from assistant.retrieve import fusion
from assistant.settings import Settings

WEIGHTS_FILE = Path(__file__).resolve().parent.parent / "data" / "fusion.json"
L2_GRID = (0.01, 0.03, 0.1)  # the L2 is the one of these that cross-validates best on train
FOLDS = 5


class BenchIndex:
    """The product's index of a BEIR corpus in a folder: ``corpus/`` (one file an article), ``index/``,
    ``names.json`` (file name → article id); built when missing, reused when present."""

    def __init__(self, corpus: Path, folder: Path, settings: Settings, progress: bool = True):
        from assistant.evaluate.peers import beir_collection
        from assistant.service import Assistant

        self.settings = Settings(
            **{
                **settings.model_dump(),
                "index_dir": folder / "index",
                "chroma_url": None,
                "retrieval": "hybrid",
                "fusion": "learned",
            }
        )
        names_file = folder / "names.json"
        if not names_file.exists():
            source = folder / "corpus"
            source.mkdir(parents=True, exist_ok=True)
            names = {}
            for i, (doc_id, text) in enumerate(beir_collection(corpus)):
                name = f"a{i:06d}"
                (source / f"{name}.txt").write_text(text or " ", encoding="utf-8")
                names[name] = doc_id
            Assistant(self.settings).index([source], progress=progress, with_units=False)
            names_file.write_text(json.dumps(names, ensure_ascii=False), encoding="utf-8")
        self.names = json.loads(names_file.read_text(encoding="utf-8"))
        self.assistant = Assistant(self.settings)

    def examples(self, questions: dict[str, str], qrels: dict[str, set[str]]) -> list[tuple]:
        """Per question: (candidate article ids, feature matrix, 0/1 relevance)."""
        out = []
        for qid, text in questions.items():
            chunks, features = self.assistant.fusion_features(text)
            docs = [self.names.get(chunk.doc_id) for chunk in chunks]
            relevance = np.array([1.0 if d in qrels.get(qid, ()) else 0.0 for d in docs])
            out.append((qid, docs, features, relevance))
        return out


def figures(model: fusion.FusionModel, examples: list[tuple], qrels: dict[str, set[str]]) -> dict:
    """Article-level figures of a model: candidates ordered by score, each article at its best passage."""
    return score_rankings(_rankings(model, examples), {q: qrels[q] for q, *_ in examples})


def cross_validate(examples: list[tuple], qrels: dict[str, set[str]], l2: float, folds: int = FOLDS) -> dict:
    """Figures on train of models that never saw the question they rank: ``folds`` folds, each ranked by
    a model trained on the others (fixed fold assignment, so reruns agree)."""
    order = np.random.default_rng(0).permutation(len(examples))
    fold_of = np.empty(len(examples), dtype=int)
    fold_of[order] = np.arange(len(examples)) % folds
    rankings: dict[str, list[str]] = {}
    for k in range(min(folds, len(examples))):
        model = fusion.train([(x, y) for (_, _, x, y), f in zip(examples, fold_of) if f != k], l2=l2)
        held = [e for e, f in zip(examples, fold_of) if f == k]
        rankings |= _rankings(model, held)
    return score_rankings(rankings, {q: qrels[q] for q, *_ in examples})


def _rankings(model: fusion.FusionModel, examples: list[tuple]) -> dict[str, list[str]]:
    rankings = {}
    for qid, docs, features, _ in examples:
        order = np.argsort(-model.score(features), kind="stable")
        rankings[qid] = list(dict.fromkeys(docs[i] for i in order))[:10]
    return rankings


def run_training(args, settings: Settings, default_folder: Path) -> int:
    import tempfile

    from assistant.evaluate.peers import beir_split
    from assistant.retrieve.hybrid import ROUTES

    corpus = args.beir_corpus or default_folder / "corpus.jsonl"
    train_q = args.queries or corpus.parent / "queries_train.jsonl"
    train_r = args.qrels or corpus.parent / "qrels_train.tsv"
    dev_q, dev_r = corpus.parent / "queries_dev.jsonl", corpus.parent / "qrels_dev.tsv"
    for path in (corpus, train_q, train_r):
        if not Path(path).exists():
            from assistant import errors

            raise errors.BadInput(f"Không tìm thấy tệp {path}.", f"file not found: {path}.")
    with tempfile.TemporaryDirectory(prefix="ntm-fusion-") as tmp:
        folder = args.work or Path(tmp)
        bench = BenchIndex(corpus, folder, settings, progress=not args.json)
        started = time.perf_counter()
        splits = {"train": beir_split(train_q, train_r)}
        if dev_q.exists() and dev_r.exists() and not args.queries:
            splits["dev"] = beir_split(dev_q, dev_r)
        examples = {name: bench.examples(*split) for name, split in splits.items()}
        crossed = {l2: cross_validate(examples["train"], splits["train"][1], l2) for l2 in L2_GRID}
        l2 = max(L2_GRID, key=lambda v: crossed[v]["mrr@10"])  # ties: the smaller L2, first in the grid
        model = fusion.train([(x, y) for _, _, x, y in examples["train"]], l2=l2)
        baseline = fusion.rrf_model(ROUTES["accented"])
        report = {
            "trained_on": f"{corpus.parent.name} train ({len(examples['train'])} questions)",
            "seconds": round(time.perf_counter() - started, 1),
            "train cross-validated": crossed[l2] | {"folds": FOLDS, "l2": l2},
            "cross-validated mrr@10 by l2": {str(v): crossed[v]["mrr@10"] for v in L2_GRID},
        }
        for name, split in splits.items():
            report[f"{name} learned"] = figures(model, examples[name], split[1])
            report[f"{name} fixed RRF"] = figures(baseline, examples[name], split[1])
    model.meta.update(
        {"trained_on": report["trained_on"]}
        | {f"{k} mrr@10": v["mrr@10"] for k, v in report.items() if isinstance(v, dict) and "mrr@10" in v}
    )
    if args.save:
        WEIGHTS_FILE.write_text(json.dumps(model.to_json(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        report["saved"] = str(WEIGHTS_FILE)
    report["weights"] = model.to_json()["features"]
    print(json.dumps(report, ensure_ascii=False, indent=None if args.json else 1))
    return 0
