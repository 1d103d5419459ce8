"""The bodies of the ``ntm`` verbs: call the ``Assistant`` service and print its results."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence

from assistant import errors
from assistant.safe_text import terminal
from assistant.service import Assistant
from assistant.settings import Settings


def _print_json(data) -> None:
    print(json.dumps(data, ensure_ascii=False))


def run(args, settings: Settings) -> int:
    handler = {
        "index": cmd_index,
        "search": cmd_search,
        "ask": cmd_ask,
        "criteria": cmd_criteria,
        "facts": cmd_facts,
        "draft": cmd_draft,
        "study": cmd_study,
        "trash": cmd_trash,
        "serve": cmd_serve,
        "eval": cmd_eval,
        "library": cmd_library,
    }[args.command]
    return handler(args, settings)


def cmd_index(args, settings: Settings) -> int:
    report = Assistant(settings).index(
        args.paths or None, rebuild=args.rebuild, progress=sys.stderr.isatty(), repair=getattr(args, "repair", False)
    )
    if report.repaired:
        print(terminal(f"Đã sửa chỉ mục ({report.repaired}). / index repaired ({report.repaired})."))
    print(
        f"Đã thêm {len(report.added)}, cập nhật {len(report.updated)}, xóa {len(report.removed)}, "
        f"giữ nguyên {len(report.unchanged)} văn bản; {report.chunks} đoạn trong chỉ mục. / "
        f"added {len(report.added)}, updated {len(report.updated)}, removed {len(report.removed)}, "
        f"unchanged {len(report.unchanged)}; {report.chunks} passages indexed."
    )
    for doc_id, note in report.notes.items():
        print(terminal(f"  {doc_id}: {note}"))
    for failure in report.failed:
        print(terminal(failure.message()), file=sys.stderr)
    return 2 if report.failed else 0


def cmd_library(args, settings: Settings) -> int:
    rows = Assistant(settings).library()
    if args.json:
        _print_json(rows)
        return 0
    for row in rows:
        note = f" [{row['note']}]" if row["note"] else ""
        print(terminal(f"{row['doc_id']}  {row['passages']} đoạn{note}"))
        what = " · ".join(x for x in (row["type"], row["number"] and f"số {row['number']}", _date(row["date"])) if x)
        print(terminal(f"    {what + ': ' if what else ''}{row['title'][:100]}"))
    return 0


def _date(iso: str) -> str:
    from assistant.ingest.header import short_date

    return short_date(iso) if iso else ""


def cmd_search(args, settings: Settings) -> int:
    passages = Assistant(settings).search(args.query, args.k, docs=args.doc)
    if args.json:
        _print_json([p.to_json() for p in passages])
        return 0
    for p in passages:
        print(terminal(f"{p.rank}. [{p.clause}] {p.doc_title} (điểm {p.score:.3f})\n   {p.text}\n"))
    return 0


def cmd_ask(args, settings: Settings) -> int:
    assistant = Assistant(settings)
    if args.jsonl:
        return _ask_jsonl(assistant, args.jsonl, args.llm, args.doc)
    if args.question is None:
        return _ask_loop(assistant, args.llm, args.doc)
    # empty or too long: refused before anything loads
    answer, _ = assistant.ask(args.question, llm=args.llm, docs=args.doc)
    if args.json:
        _print_json(answer.to_json())
        return 0
    _print_answer(answer)
    return 0


def _print_answer(answer) -> None:
    """The answer as text; what documents and the question put in it is cleared of terminal escapes."""
    lines = [answer.answer]
    if answer.llm.get("note"):  # the model's answer was checked, trimmed or not used
        lines.append(f"  ({answer.llm['note']})")
    for c in answer.citations:
        lines.append(f"  [{c.n}] {c.doc_title} — {c.label}")
    for row in answer.table:
        if "agency" in row:
            lines.append(f"    • {row['agency']} ({row['role']}): {row['task']} [{row['n']}]")
        else:
            lines.append(f"    • {row['indicator']}: {row['value']} ({row['deadline']}) [{row['n']}]")
    print(terminal("\n".join(lines)))


def _ask_loop(assistant: Assistant, llm: bool | None = None, docs: Sequence[str] = ()) -> int:
    """Questions from the keyboard (or piped lines) until an empty line or end of input; a question
    too long is refused with a message and the next one is read (exit code 2 at the end)."""
    interactive = sys.stdin.isatty()
    assistant.restrict(docs)  # an unknown --doc is refused before the first question
    if interactive:
        print("Trợ lý Nông thôn mới — nhập câu hỏi (Enter trống để thoát).")
    refused = False
    while True:
        try:
            question = input("❓ ") if interactive else _read_line(assistant.settings.max_question_chars)
        except EOFError:
            return 2 if refused else 0
        if not question.strip():
            return 2 if refused else 0
        try:
            answer, _ = assistant.ask(question, llm=llm, docs=docs)
        except errors.QuestionTooLong as exc:
            print(terminal(exc.message()), file=sys.stderr)
            refused = True
            continue
        _print_answer(answer)
        print()


def _read_line(limit: int) -> str:
    """One piped line, of which no more than ``limit`` + 1 characters are kept: the rest of a line
    too long is read and dropped in pieces (the question is then refused for its length)."""
    line = sys.stdin.readline(limit + 2)
    if not line:
        raise EOFError
    if line.endswith("\n"):
        return line.rstrip("\r\n")
    if len(line) > limit:
        while (rest := sys.stdin.readline(1 << 16)) and not rest.endswith("\n"):
            pass
    return line


def _ask_jsonl(assistant: Assistant, path, llm: bool | None = None, docs: Sequence[str] = ()) -> int:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise errors.BadInput(f"Không đọc được tệp {path}.", f"cannot read {path}.") from exc
    assistant.restrict(docs)  # an unknown --doc is refused before the first line
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            question = item["question"]
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise errors.BadInput(
                f"Dòng {number} của {path} không phải JSON có trường 'question'.",
                f"line {number} of {path} is not JSON with a 'question' field.",
            ) from exc
        try:
            answer, passages = assistant.ask(question, hits=10, llm=llm, docs=docs)
            _print_json(answer.to_json(passages, {"id": item.get("id")}))
        except (errors.EmptyQuestion, errors.QuestionTooLong) as exc:
            if isinstance(exc, errors.QuestionTooLong):  # not echoed back whole
                question = question[: exc.limit] + "…"
            _print_json(
                {
                    "id": item.get("id"),
                    "question": question,
                    "found": False,
                    "answer": "",
                    "citations": [],
                    "hits": [],
                    "error": exc.message(),
                }
            )
    return 0


def cmd_criteria(args, settings: Settings) -> int:
    from assistant.criteria import present

    return present.run(args, settings)


def cmd_facts(args, settings: Settings) -> int:
    from assistant.facts import present

    return present.run(args, Assistant(settings))


def cmd_draft(args, settings: Settings) -> int:
    from assistant.draft import present

    return present.run(args, Assistant(settings))


def cmd_study(args, settings: Settings) -> int:
    from assistant.study import present

    return present.run(args, Assistant(settings))


def cmd_trash(args, settings: Settings) -> int:
    """``ntm trash [list|restore NAME|empty]``: documents removed from the library."""
    from assistant.library import empty_trash, trashed

    if args.action == "restore":
        if not args.name:
            raise errors.BadInput(
                "Hãy nêu tên tệp cần khôi phục (xem: ntm trash list).",
                "name the file to restore (see: ntm trash list).",
            )
        report = Assistant(settings).restore_document(args.name)
        print(f"Đã khôi phục {args.name}; chỉ mục có {report.chunks} đoạn. / restored {args.name}.")
        return 0
    if args.action == "empty":
        print(f"Đã xóa hẳn {empty_trash(settings)} văn bản. / deleted for good.")
        return 0
    names = [str(p) for p in trashed(settings)]
    if args.json:
        _print_json({"trash": names})
    else:
        print(terminal("\n".join(names)) if names else "Thùng rác trống. / the trash is empty.")
    return 0


def cmd_serve(args, settings: Settings) -> int:
    from assistant.ui.app import serve

    return serve(Assistant(settings), args.host, args.port)


def cmd_eval(args, settings: Settings) -> int:
    from assistant.evaluate import report

    return report.run(args, settings)
