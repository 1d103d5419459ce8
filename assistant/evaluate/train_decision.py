"""``ntm eval train-decision``: fit the answer decision on labelled questions, report it leave-one-writer-out.

Each question file is one writer. Every single-part question (and its copy typed without
accents) is judged once; a question is a positive example when it is answerable and the chosen
sentences hold its answer facts, a negative one otherwise (a near-miss, or quotes that miss
the answer: better said "not directly" than answered wrong). Questions whose passages are not
relevant (``not_found`` by rule), or that name what the documents never write, are left to the
rules (``evidence.ruled_out``). The report gives, per writer, the
model trained on all the other writers beside the threshold rules and the model trained on all.
"""

from __future__ import annotations

import json
from pathlib import Path

from assistant.answer import decision
from assistant.answer.evidence import decide, ruled_out
from assistant.answer.model import ANSWERED, NOT_FOUND_STATUS
from assistant.evaluate.calibrate import Judged, judge_questions
from assistant.evaluate.metrics import read_jsonl
from assistant.evaluate.qa import without_diacritics
from assistant.settings import Settings

WEIGHTS_FILE = Path(__file__).resolve().parents[1] / "data" / "decision.json"
# Our labelled sets, one writer (or one round of writing) each; eval/writers/trainee.jsonl is held out.
TRAINING_FILES = (
    Path("eval/user_questions.jsonl"),
    Path("eval/heldout_user_questions.jsonl"),
    Path("eval/blind_questions.jsonl"),
    Path("eval/writers/cadre.jsonl"),
    Path("eval/writers/propaganda.jsonl"),
)
# Questions on the other documents of a library (a commune's plan, a district's decision, a
# provincial guidance; everyday questions on six laws), judged in the library ``ntm eval library``
# builds: one writer each. eval/library/heldout/ is held out.
LIBRARY_FILES = (Path("eval/library/questions.jsonl"), Path("eval/library/laws/questions.jsonl"))
THRESHOLDS = (0.4, 0.5, 0.6, 0.7)


def label(j: Judged) -> int:
    return int(j.answerable and j.quotes_hold_facts)


def figures(judged: list[Judged], answered: list[bool]) -> dict:
    """Answer facts, false hedges (right quote, not answered outright) and false answers."""
    answerable = [(j, a) for j, a in zip(judged, answered) if j.answerable]
    near = [a for j, a in zip(judged, answered) if not j.answerable]

    def share(flags) -> float | None:
        flags = list(flags)
        return round(sum(flags) / len(flags), 3) if flags else None

    return {
        "n": len(judged),
        "answer_facts": share(a and j.quotes_hold_facts for j, a in answerable),
        "false_hedge": share(not a and j.quotes_hold_facts for j, a in answerable),
        "wrong_quote_answered": share(a and not j.quotes_hold_facts for j, a in answerable),
        "false_answer": share(near),
    }


def run_training(args, settings: Settings) -> int:
    from assistant.service import Assistant

    paths = [Path(p) for p in (args.questions or TRAINING_FILES)]
    rules = settings.answer.model_copy(update={"decision": "rules"})
    assistant = Assistant(settings.model_copy(update={"answer": rules}))
    sources = [(path, assistant) for path in paths]
    if getattr(args, "library", False):
        sources += [(path, _library_assistant(assistant, args)) for path in LIBRARY_FILES if path.exists()]
    writers: dict[str, list[Judged]] = {}
    for path, asked in sources:
        questions = read_jsonl(path)
        judged = judge_questions(asked, questions + without_diacritics(questions))
        name = f"{path.parent.name}/{path.stem}" if path.parent.name in ("library", "laws") else path.stem
        writers[name] = [j for j in judged if decide(j.evidence, rules) != NOT_FOUND_STATUS]
    # What the rules that stand before the model (names, years, nouns the documents never write) rule
    # out is not the model's to learn; it is counted, as not answered, in every figure.
    trainable = {w: [j for j in js if not ruled_out(j.evidence, rules)] for w, js in writers.items()}

    def fit(groups: list[str]) -> decision.DecisionModel:
        rows = [j for g in groups for j in trainable[g]]
        return decision.train([j.evidence.features() for j in rows], [label(j) for j in rows], l2=args.l2)

    def answered_by(model: decision.DecisionModel, judged: list[Judged], at: float | None = None) -> list[bool]:
        threshold = settings.answer.answer_probability if at is None else at
        return [
            not ruled_out(j.evidence, rules) and model.probability(j.evidence.features()) >= threshold for j in judged
        ]

    report: dict = {"l2": args.l2, "leave one writer out": {}}
    held_out_all: list[tuple[Judged, bool]] = []
    by_threshold: dict[float, list[tuple[Judged, bool]]] = {t: [] for t in THRESHOLDS}
    for writer, judged in writers.items():
        model = fit([w for w in writers if w != writer])
        answered = answered_by(model, judged)
        held_out_all += list(zip(judged, answered))
        for t in THRESHOLDS:
            by_threshold[t] += list(zip(judged, answered_by(model, judged, t)))
        report["leave one writer out"][writer] = {
            "learned (trained on the others)": figures(judged, answered),
            "rules": figures(judged, [decide(j.evidence, rules) == ANSWERED for j in judged]),
        }
    everyone = fit(list(writers))
    every = [j for js in writers.values() for j in js]
    report["all writers"] = {
        "learned, left-out writer": figures([j for j, _ in held_out_all], [a for _, a in held_out_all]),
        "learned, in-sample": figures(every, answered_by(everyone, every)),
        "rules": figures(every, [decide(j.evidence, rules) == ANSWERED for j in every]),
    }
    report["left-out writer by probability threshold"] = {
        str(t): figures([j for j, _ in pairs], [a for _, a in pairs]) for t, pairs in by_threshold.items()
    }
    everyone.meta.update({"trained_on": [str(p) for p, _ in sources]})
    if args.save:
        WEIGHTS_FILE.write_text(json.dumps(everyone.to_json(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        report["saved"] = str(WEIGHTS_FILE)
    report["weights"] = {k: round(v, 3) for k, v in everyone.weights.items()}
    print(json.dumps(report, ensure_ascii=False, indent=None if args.json else 1))
    return 0


def _library_assistant(assistant, args):
    """An assistant over the library ``ntm eval library`` builds (indexed here when missing)."""
    from assistant.evaluate import library
    from assistant.service import Assistant

    settings = assistant.settings
    work = Path(getattr(args, "work", None) or library.DEFAULT_WORK)
    corpus = work / "corpus"
    library.build_corpus(settings, corpus)
    local = {"index_dir": work / "index", "corpus_dir": corpus, "chroma_url": None}
    shelf = Assistant(settings.model_copy(update=local), embedder=assistant.embedder)
    shelf.index([corpus], progress=False)
    return shelf
