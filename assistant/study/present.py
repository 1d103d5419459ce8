"""``ntm study``: the outline of the documents, a quiz (JSON, or interactive in the terminal, its answers
kept under ``--name``), the missed questions again (``--review``) or a learner's rounds (``history``)."""

from __future__ import annotations

import json
import sys
import uuid
from datetime import datetime

from rich.console import Console
from rich.tree import Tree

from assistant import errors
from assistant.safe_text import terminal_markup as shown
from assistant.study.history import Answered, QuizHistory, learner_key
from assistant.study.outline import outline
from assistant.study.quiz import Quiz, _words, check_answer, make_quiz


def run(args, assistant) -> int:
    if args.what == "outline":
        return _outline(args, assistant)
    store = QuizHistory.from_settings(assistant.settings)
    learner = learner_key(getattr(args, "name", None))
    if args.what == "history":
        return _history(args, store, _named(learner, "history"))
    if getattr(args, "review", False):
        known = {d.doc_id for d in assistant.documents()}
        missed = [q for q in store.missed(_named(learner, "quiz --review"), args.n) if q.doc_id in known]
        if not missed:
            print(store.off or "Chưa có câu sai nào để ôn. / no missed question to review.")
            return 0
        quiz = Quiz(0, missed)
    else:
        quiz = make_quiz(
            assistant.facts(), n=args.n, seed=args.seed, topic=args.topic, weights=assistant.term_weights()
        )
    if args.json or not sys.stdin.isatty():
        print(json.dumps(quiz.to_json(), ensure_ascii=False))
        return 0
    keep = (store, learner, bool(getattr(args, "review", False))) if learner else None
    return _interactive(quiz, keep)


def _named(learner, verb: str):
    if learner is None:
        raise errors.BadInput(
            f'Hãy nêu tên người học, ví dụ: ntm study {verb} --name "Nguyễn Văn An".',
            f'name the learner, e.g. ntm study {verb} --name "Nguyen Van An".',
        )
    return learner


def _history(args, store: QuizHistory, learner) -> int:
    """The learner's last rounds, newest first: date, score, share."""
    rounds = store.rounds(learner, limit=args.n)
    if args.json:
        print(json.dumps([r.to_json() for r in rounds], ensure_ascii=False))
        return 0
    if store.off or not rounds:
        print(store.off or "Chưa có lượt làm bài nào được lưu. / no round kept yet.")
        return 0
    for r in rounds:
        when = datetime.fromtimestamp(r.at).strftime("%d/%m/%Y %H:%M")
        note = "  (ôn lại câu sai)" if r.review else ""
        if r.answered < r.asked:
            note += f"  (làm {r.answered}/{r.asked} câu)"
        print(f"{when}  {r.right}/{r.answered}  {r.percent}%{note}")
    return 0


def _outline(args, assistant) -> int:
    items = outline(assistant.documents())
    if args.json:
        print(json.dumps([i.to_json() for i in items], ensure_ascii=False))
        return 0
    console = Console()
    titles = {d.doc_id: d.title for d in assistant.documents()}
    for doc_id in dict.fromkeys(i.doc_id for i in items):
        tree = Tree(f"[bold]{shown(titles[doc_id])}[/]")
        branches = {}
        for item in (i for i in items if i.doc_id == doc_id):
            parent = branches.get(item.parent, tree)
            branches[item.clause] = parent.add(f"[cyan]{shown(item.clause)}[/]  {shown(item.heading)}")
        console.print(tree)
    return 0


def _interactive(quiz, keep=None) -> int:
    """Ask each question in the terminal; with ``keep`` (store, learner, review), each answer is kept."""
    words = _words()["feedback"]
    console = Console()
    right = 0
    round_key = uuid.uuid4().hex
    if not (keep and keep[2]):
        console.print(f"[dim]Mã đề (seed): {quiz.seed}[/]")
    for number, question in enumerate(quiz.questions, start=1):
        console.print(f"\n[bold]Câu {number}.[/] {shown(question.question)}")
        for letter, choice in zip("ABCDEFGH", question.choices):
            console.print(f"   {letter}. {shown(choice)}")
        try:
            typed = input("Trả lời: ")
        except EOFError:
            break
        correct = check_answer(question, typed)
        if keep:
            store, learner, review = keep
            store.record(learner, round_key, [Answered(question, typed, correct)], len(quiz.questions), review)
        if correct:
            right += 1
            console.print(f"[green]{words['right']}[/]")
        else:
            console.print(f"[red]{words['wrong'].format(answer=shown(question.answer))}[/]")
        console.print(f"[dim]{shown(question.explanation)}[/]")
    console.print("\n" + words["score"].format(right=right, total=len(quiz.questions)))
    if keep and keep[0].off:
        console.print(f"[yellow]{shown(keep[0].off)}[/]")
    return 0
