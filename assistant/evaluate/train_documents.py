"""``ntm eval train-documents``: fit the document ranking on questions whose document is known,
and report it leave-one-file-out.

In the library ``ntm eval library`` builds, every answerable question of our labelled files is
ranked as the answer step ranks it, and each document gets its features (``retrieve/documents.py``).
The resolution's question files are labelled with the resolution; the library's files name each
question's document; ALQAC's training questions on the six laws name their law. Per file, the
model trained on all the other files is scored beside the document of the best passage (what a
passage ranking alone would answer from). The held-out files (eval/writers/trainee.jsonl,
eval/library/heldout/) never train it.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np

from assistant.evaluate.library import ALQAC, DEFAULT_WORK, LAWS, law_file_name, library_documents, open_library
from assistant.evaluate.metrics import read_jsonl
from assistant.evaluate.train_decision import LIBRARY_FILES, TRAINING_FILES
from assistant.retrieve import documents
from assistant.retrieve.query import analyse
from assistant.settings import Settings

WEIGHTS_FILE = Path(__file__).resolve().parents[1] / "data" / "documents.json"
RESOLUTION_FILES = (
    *TRAINING_FILES,
    Path("../shared/eval/dev_questions.jsonl"),
    Path("eval/heldout_questions.jsonl"),
)
ALQAC_QUESTIONS = 250  # ALQAC training questions on the six laws at most (a fixed shuffle)


def labelled(settings: Settings, ids: dict[str, str], alqac: Path = ALQAC) -> dict[str, list[tuple[str, str]]]:
    """(question, its document id) per file, answerable questions only."""
    resolution = next(ids[p.stem] for p in Path(settings.corpus_dir).glob("*.txt") if p.stem in ids)
    files: dict[str, list[tuple[str, str]]] = {}
    for path in (*RESOLUTION_FILES, *LIBRARY_FILES):
        if path.exists():
            rows = [q for q in read_jsonl(path) if q.get("answerable", True)]
            files[str(path)] = [(q["question"], ids.get(q.get("doc") or "", resolution)) for q in rows]
    law_ids = {law: ids.get(Path(law_file_name(law)).stem) for law in LAWS}
    if (alqac / "queries_train.jsonl").exists():
        queries = {q["_id"]: q["text"] for q in read_jsonl(alqac / "queries_train.jsonl")}
        gold = {}
        for line in (alqac / "qrels_train.tsv").read_text(encoding="utf-8").splitlines()[1:]:
            qid, cid, _ = line.split("\t")
            law = law_ids.get(cid.partition("|")[0])
            if law and qid in queries:
                gold[qid] = law
        items = sorted(gold.items())
        random.Random(0).shuffle(items)
        files["alqac/queries_train"] = [(queries[q], d) for q, d in items[:ALQAC_QUESTIONS]]
    return files


def features(library, questions: list[tuple[str, str]]) -> list[tuple[np.ndarray, np.ndarray, bool]]:
    """(feature matrix, 1 for the question's document, whether the question names a document)."""
    index = library.loaded
    ranker = index.ranker
    rows = []
    for text, doc in questions:
        query = analyse(text, index.vocabulary, index.restorer.restore)
        vector = library._query_vector(query.expanded)
        ranked = index.retriever.rank(query, documents.DEPTH, vector.tolist(), None)
        x = ranker.features(
            query.text, vector, ranked, lambda cid: index.chunks[cid].doc_id, documents.question_wording(query)
        )
        rows.append((x, (np.array(ranker.doc_ids) == doc).astype(float), library.named_in(text) is not None))
    return rows


def _hits(model: documents.DocumentModel, rows) -> tuple[int, int]:
    """(questions whose best document the model ranks first, those whose best passage's document is it)."""
    learned = sum(int(y[np.argmax(x @ model.vector)] > 0) for x, y, _ in rows)
    passage = sum(int(y[np.argmax(x[:, 0])] > 0) for x, y, _ in rows)
    return learned, passage


def run_training(args, settings: Settings) -> int:
    _, library = open_library(settings, Path(args.work or DEFAULT_WORK), progress=not args.json)
    files = labelled(settings, library_documents(library, settings))
    data = {name: features(library, questions) for name, questions in files.items()}
    lines = [
        "| file | n | learned, trained on the others | document of the best passage "
        "| names none: n / learned / passage |",
        "|---|---|---|---|---|",
    ]
    for name, rows in data.items():
        model = documents.train([(x, y) for other, r in data.items() if other != name for x, y, _ in r])
        learned, passage = _hits(model, rows)
        unnamed = [r for r in rows if not r[2]]
        u_learned, u_passage = _hits(model, unnamed)
        n, m = max(len(rows), 1), max(len(unnamed), 1)
        lines.append(
            f"| {name} | {len(rows)} | {learned / n:.3f} | {passage / n:.3f} | "
            f"{len(unnamed)} / {u_learned / m:.3f} / {u_passage / m:.3f} |"
        )
    model = documents.train([(x, y) for rows in data.values() for x, y, _ in rows])
    model.meta["trained_on"] = sorted(data)
    print("\n".join(lines))
    print(json.dumps(model.to_json(), ensure_ascii=False))
    if args.save:
        WEIGHTS_FILE.write_text(json.dumps(model.to_json(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"Saved: {WEIGHTS_FILE}")
    return 0
