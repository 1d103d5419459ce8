"""``ntm study``: the outline of the documents, or a quiz (JSON, or interactive in the terminal)."""

from __future__ import annotations

import json
import sys

from rich.console import Console
from rich.tree import Tree

from assistant.safe_text import terminal_markup as shown
from assistant.study.outline import outline
from assistant.study.quiz import _words, check_answer, make_quiz


def run(args, assistant) -> int:
    if args.what == "outline":
        return _outline(args, assistant)
    quiz = make_quiz(assistant.facts(), n=args.n, seed=args.seed, topic=args.topic, weights=assistant.term_weights())
    if args.json or not sys.stdin.isatty():
        print(json.dumps(quiz.to_json(), ensure_ascii=False))
        return 0
    return _interactive(quiz)


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


def _interactive(quiz) -> int:
    words = _words()["feedback"]
    console = Console()
    right = 0
    console.print(f"[dim]Mã đề (seed): {quiz.seed}[/]")
    for number, question in enumerate(quiz.questions, start=1):
        console.print(f"\n[bold]Câu {number}.[/] {shown(question.question)}")
        for letter, choice in zip("ABCDEFGH", question.choices):
            console.print(f"   {letter}. {shown(choice)}")
        try:
            typed = input("Trả lời: ")
        except EOFError:
            break
        if check_answer(question, typed):
            right += 1
            console.print(f"[green]{words['right']}[/]")
        else:
            console.print(f"[red]{words['wrong'].format(answer=shown(question.answer))}[/]")
        console.print(f"[dim]{shown(question.explanation)}[/]")
    console.print("\n" + words["score"].format(right=right, total=len(quiz.questions)))
    return 0
