"""``ntm eval``: run the evaluations and write dated Markdown/JSON reports with a chart."""

from __future__ import annotations

import datetime as dt
import json
import platform
from pathlib import Path

from assistant import errors
from assistant.index.store import IndexFiles
from assistant.settings import Settings

DEFAULT_QUESTIONS = (Path("../shared/eval/dev_questions.jsonl"), Path("eval/dev_questions.jsonl"))
# Our own question sets, run beside the development questions: worded as users speak, and held out.
USER_QUESTIONS = Path("eval/user_questions.jsonl")
OWN_QUESTIONS = (USER_QUESTIONS, Path("eval/heldout_questions.jsonl"))
COLUMNS = [
    "recall@1",
    "recall@5",
    "mrr@10",
    "answer_facts",
    "answered",
    "related",
    "not_found",
    "false_refusal",
    "false_hedge",
    "false_answer",
    "multi_part_full",
    "citation_validity",
    "latency_ms_p50",
    "latency_ms_p95",
]

LLM_COLUMNS = ["llm_dropped_share", "llm_fallback_rate"]  # ``ntm eval --llm``

ALQAC = Path("../shared/bench/alqac")


def run(args, settings: Settings) -> int:
    if args.what == "beir":
        return _beir(args, settings)
    if args.what == "bench":
        return _bench(args, settings)
    if args.what == "library":
        from assistant.evaluate import library

        return library.run(args, settings)
    if args.what == "calibrate":
        return _calibrate(args, settings)
    if args.what == "criteria-bench":
        from assistant.evaluate import criteria_bench

        return criteria_bench.run(args, settings)
    if args.what == "load":
        return _load(args, settings)
    if args.what == "train-decision":
        from assistant.evaluate.train_decision import run_training as train_decision

        return train_decision(args, settings)
    if args.what == "train-documents":
        from assistant.evaluate.train_documents import run_training as train_documents

        return train_documents(args, settings)
    if args.what == "train-fusion":
        from assistant.evaluate.train_fusion import run_training

        return run_training(args, settings, ALQAC)
    return _qa(args, settings)


def _qa(args, settings: Settings) -> int:
    from assistant.evaluate.metrics import read_jsonl
    from assistant.evaluate.qa import evaluate_questions, summarise, without_diacritics
    from assistant.service import Assistant

    paths = args.questions or [
        p
        for p in (next((p for p in DEFAULT_QUESTIONS if p.exists()), None), *OWN_QUESTIONS)
        if p is not None and p.exists()
    ]
    missing = [p for p in paths if not Path(p).exists()]
    if not paths or missing:
        raise errors.BadInput("Không tìm thấy tệp câu hỏi đánh giá.", "no questions file found.")
    assistant = Assistant(settings)
    if not IndexFiles(settings.index_dir).exists():
        assistant.index(progress=False)
    assistant.search("khởi động")
    stamp = dt.date.today().isoformat()
    machine = f"{platform.machine()}, {_cores()} cores"
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    base = out / f"{stamp}-{args.name}"
    data = {"date": stamp, "machine": machine, "sets": {}}
    text = [f"# Evaluation {stamp} ({machine})", ""]
    charts = {}
    llm = bool(getattr(args, "llm", False))
    for path in paths:
        questions = read_jsonl(path)
        results = evaluate_questions(assistant, questions + without_diacritics(questions), llm=llm)
        summary = summarise(results)
        name = Path(path).stem
        data["sets"][name] = {"questions": str(path), "summary": summary, "results": [r.__dict__ for r in results]}
        text += [f"## {name} ({path})", "", _table(summary, LLM_COLUMNS if llm else []), ""]
        charts[name] = summary["overall"]
    base.with_suffix(".json").write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    base.with_suffix(".md").write_text("\n".join(text), encoding="utf-8")
    _chart(charts, base.with_suffix(".png"))
    print("\n".join(text))
    print(f"Report: {base}.md / .json / .png")
    return 0


def _calibrate(args, settings: Settings) -> int:
    """The answer thresholds swept on question files (default: our user-worded set)."""
    from assistant.evaluate import calibrate
    from assistant.evaluate.metrics import read_jsonl
    from assistant.service import Assistant

    paths = args.questions or [OWN_QUESTIONS[0]]
    assistant = Assistant(settings)
    if not IndexFiles(settings.index_dir).exists():
        assistant.index(progress=False)
    questions = [q for path in paths for q in read_jsonl(path)]
    rows = calibrate.sweep(calibrate.judge_questions(assistant, questions), settings.answer)
    print(calibrate.table(rows, settings.answer))
    return 0


def _cores() -> int:
    import os

    return os.cpu_count() or 1


def _table(summary: dict, extra: list[str] = ()) -> str:
    columns = COLUMNS + list(extra)
    lines = ["| tag | n | " + " | ".join(columns) + " |", "|---|---|" + "---|" * len(columns)]
    for tag, figures in summary.items():
        cells = ["" if figures[c] is None else str(figures[c]) for c in columns]
        lines.append(f"| {tag} | {figures['n']} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _chart(summary: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    tags = list(summary)
    metrics = ["recall@5", "mrr@10", "answer_facts", "false_refusal", "false_answer"]
    fig, ax = plt.subplots(figsize=(max(6, len(tags) * 0.9), 3.5))
    width = 0.8 / len(metrics)
    for i, metric in enumerate(metrics):
        values = [summary[t][metric] or 0 for t in tags]
        ax.bar([x + i * width for x in range(len(tags))], values, width, label=metric)
    ax.set_xticks([x + 0.4 - width / 2 for x in range(len(tags))])
    ax.set_xticklabels(tags, rotation=30, ha="right", fontsize=8)
    ax.set_ylim(0, 1.05)
    ax.legend(fontsize=7, ncol=4, loc="lower left")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def _beir(args, settings: Settings) -> int:
    from assistant.evaluate.beir import run_beir

    for name in ("beir_corpus", "queries", "qrels"):
        value = getattr(args, name)
        if value is None or not Path(value).exists():
            raise errors.BadInput(
                f"Thiếu hoặc không tìm thấy tệp --{name.replace('beir_', '')}.",
                f"missing or unreadable --{name.replace('beir_', '')} file.",
            )
    result = run_beir(args.beir_corpus, args.queries, args.qrels, settings, progress=not args.json)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        for key, value in result.items():
            print(f"{key:>14}: {value}")
    return 0


def _load(args, settings: Settings) -> int:
    """Indexing throughput (idle and under chat load) and many chat users through the web app."""
    from assistant.evaluate import load

    path = (args.questions or [None])[0] or next((p for p in DEFAULT_QUESTIONS if p.exists()), None)
    if path is None:
        raise errors.BadInput("Không tìm thấy tệp câu hỏi đánh giá.", "no questions file found.")
    out = Path(args.out)
    figures = load.run(settings, Path(path), out, args.chars, args.users, args.per_user)
    print(load.report(figures))
    print(f"Report: {out / figures['date']}-load.md / .json")
    return 0


def _bench(args, settings: Settings) -> int:
    """Peers side by side on the resolution's dev questions and on a BEIR benchmark (default: ALQAC)."""
    import tempfile

    from assistant.evaluate import peers
    from assistant.evaluate.metrics import read_jsonl
    from assistant.ingest.document import read_document, source_files

    stamp = dt.date.today().isoformat()
    machine = f"{platform.machine()}, {_cores()} cores"
    sections, data = [], {"date": stamp, "machine": machine}
    questions_path = (args.questions or [None])[0] or next((p for p in DEFAULT_QUESTIONS if p.exists()), None)
    if questions_path:
        documents = [read_document(p) for p in source_files([settings.corpus_dir])]
        with tempfile.TemporaryDirectory(prefix="ntm-bench-dev-") as tmp:
            pipelines, alone = peers.build_pipelines(
                [(d.doc_id, d.text) for d in documents], Path(tmp), settings, progress=False, with_units=True
            )
            runs = peers.run_evidence_peers(pipelines, read_jsonl(questions_path), "resolution dev", alone)
            if USER_QUESTIONS.exists():  # worded the way users speak: what a change must win on
                runs += peers.run_evidence_peers(pipelines, read_jsonl(USER_QUESTIONS), "resolution user-worded", alone)
        sections.append(("Resolution dev and user-worded questions (a hit: a passage holding the evidence)", runs))
    corpus = args.beir_corpus or ALQAC / "corpus.jsonl"
    if corpus.exists():
        splits = {}
        for name in ("dev", "train"):
            queries = args.queries if (name == "dev" and args.queries) else corpus.parent / f"queries_{name}.jsonl"
            qrels = args.qrels if (name == "dev" and args.qrels) else corpus.parent / f"qrels_{name}.tsv"
            if queries.exists() and qrels.exists():
                splits[f"{corpus.parent.name} {name}"] = peers.beir_split(queries, qrels)
        with tempfile.TemporaryDirectory(prefix="ntm-bench-beir-") as tmp:
            pipelines, alone = peers.build_pipelines(
                peers.beir_collection(corpus), Path(tmp), settings, progress=True, with_units=False
            )
            runs = peers.run_beir_peers(pipelines, splits, alone)
        sections.append((f"{corpus.parent.name}: {len(splits)} split(s), articles ranked by their best passage", runs))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    base = out / f"{stamp}-bench"
    text = [f"# Benchmark {stamp} ({machine})", ""]
    for title, runs in sections:
        alone = runs[0].figures.get("embedder_alone_s")
        text += (
            [
                f"## {title}",
                "",
                f"Embedder alone on the same passages: {alone} s.",
                "",
                peers.table(runs),
                "",
                "Targets:",
                "",
            ]
            + peers.target_lines(runs)
            + [""]
        )
        data[title] = [r.__dict__ for r in runs]
    base.with_suffix(".md").write_text("\n".join(text), encoding="utf-8")
    base.with_suffix(".json").write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    print("\n".join(text))
    print(f"Report: {base}.md / .json")
    return 0
