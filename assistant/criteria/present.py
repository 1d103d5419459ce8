"""``ntm criteria``: read a figures file, judge every unit, print a table or JSON, export; or write a template."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator

from assistant import errors
from assistant.criteria.evaluate import STATUS_LABELS, STATUSES, evaluate
from assistant.criteria.export import Exports
from assistant.criteria.figures import clip
from assistant.criteria.inputs import FiguresFile, read_file
from assistant.criteria.result import CriteriaResult
from assistant.criteria.sets_loader import all_sets, get_set
from assistant.safe_text import terminal, terminal_markup

_STYLES = {"Đạt": "bold green", "Chưa đạt": "bold red", "Thiếu số liệu": "dim", "Không hợp lệ": "bold yellow"}
DETAIL_UNITS = 20  # up to this many units, a table per unit; beyond, one summary line per unit


def judged(path, set_id: str, corpus_dir=None) -> tuple[FiguresFile, Iterator[CriteriaResult]]:
    """The figures file read, and its units' results judged one by one as they are asked for; what
    the file itself got wrong (unrecognised columns or rows, a formula without its value...) is in
    the first result's ``warnings``."""
    criteria_set = get_set(set_id, corpus_dir)
    read = read_file(path, criteria_set)

    def results() -> Iterator[CriteriaResult]:
        for i, u in enumerate(read.units):
            yield evaluate(criteria_set, u.figures, u.unit, u.period, (read.warnings if i == 0 else []) + u.warnings)

    return read, results()


def evaluate_file(path, set_id: str, corpus_dir=None) -> list[CriteriaResult]:
    """Results for every unit in a figures file (file warnings on the first, as ``judged``)."""
    return list(judged(path, set_id, corpus_dir)[1])


def all_warnings(results: Iterable[CriteriaResult]) -> list[str]:
    """Every distinct warning of a file's results, in order (for the CLI and the web tab)."""
    return list(dict.fromkeys(w for result in results for w in result.warnings))


def run(args, settings) -> int:
    if args.list:
        for s in all_sets(settings.corpus_dir).values():
            print(terminal(f"{s.id}\t{len(s.criteria)} tiêu chí\t{s.title}"))
        return 0
    if getattr(args, "template", False):
        return _template(args, settings)
    if args.figures is None:
        raise errors.BadInput(
            "Thiếu tệp số liệu (ví dụ: ntm criteria so-lieu.yaml; mẫu: ntm criteria --template -o mau.xlsx).",
            "missing figures file (e.g. ntm criteria figures.yaml; template: "
            "ntm criteria --template -o template.xlsx).",
        )
    read, results = judged(args.figures, args.set_id, settings.corpus_dir)
    try:
        warnings = check(read, results, sys.stdout, args.export, as_json=args.json)
    except OSError as exc:
        if (failure := _cannot_write(exc, args.export or (), "--export")) is None:
            raise
        raise failure from exc
    if args.json:
        for warning in warnings:
            print(terminal(f"Cảnh báo / warning: {warning}"), file=sys.stderr)
    elif warnings:
        from rich.console import Console

        console = Console(highlight=False)
        for warning in warnings:
            console.print(f"[yellow]Cảnh báo / warning: {terminal_markup(warning)}[/]", soft_wrap=True)
    return 0


def check(read: FiguresFile, results: Iterator[CriteriaResult], out, exports=(), as_json: bool = False) -> list[str]:
    """Write every unit's result as it is judged — JSON or a table to ``out``, and each export file —
    so memory stays that of the figures file, not of its 270.000 results. Returns the warnings."""
    count = len(read.units)
    detail = not as_json and count <= DETAIL_UNITS
    width = _summary_width(u.unit + " " + u.period for u in read.units)
    warnings: dict[str, None] = {}
    kept: list[CriteriaResult] = []
    totals = dict.fromkeys(STATUSES, 0)
    with Exports(exports) as files:
        if as_json and count > 1:
            out.write("[")
        elif not as_json and not detail:
            out.write(_summary_header(width))
        for i, result in enumerate(results):
            files.add(result)
            warnings.update(dict.fromkeys(result.warnings))
            if as_json:
                out.write(("," if i else "") + json.dumps(result.to_json(), ensure_ascii=False))
            elif detail:
                kept.append(result)
            else:
                summary = result.summary
                out.write(_summary_line(result, summary, width))
                for s in STATUSES:
                    totals[s] += summary[s]
        if as_json:
            out.write("]\n" if count > 1 else "\n")
        elif detail:
            _tables(kept, out)
        else:
            out.write(_summary_footer(count, totals))
    return list(warnings)


def _tables(results: list[CriteriaResult], out) -> None:
    from rich.console import Console
    from rich.table import Table

    escape = terminal_markup  # unit names and notes come from the figures file

    console = Console(file=out)
    for result in results:
        title = clip(f"{result.unit or 'Đơn vị'} {result.period}".strip())
        table = Table(title=escape(title), show_lines=False)
        for column in ("Chỉ tiêu", "Yêu cầu", "Số liệu", "Trạng thái", "Ghi chú", "Căn cứ"):
            table.add_column(column, overflow="fold")
        for r in result.results:
            label = STATUS_LABELS[r.status]
            table.add_row(
                escape(r.name),
                escape(r.rule),
                escape(r.value_text),
                f"[{_STYLES[label]}]{label}[/]",
                escape(r.note_text),
                escape(r.source.label),
            )
        console.print(table)
        console.print(" · ".join(f"{STATUS_LABELS[k]}: {v}" for k, v in result.summary.items()))


_HEADS = [STATUS_LABELS[s] for s in STATUSES]


def _summary_width(names) -> int:
    return min(40, max([len("Đơn vị")] + [len(name.strip()) for name in names]))


def _summary_header(width: int) -> str:
    return f"{'Đơn vị':<{width}}  " + "  ".join(_HEADS) + "  Chưa đạt / không hợp lệ\n"


def _summary_line(result: CriteriaResult, summary: dict[str, int], width: int) -> str:
    name = terminal(f"{result.unit} {result.period}").strip() or "Đơn vị"
    name = name if len(name) <= width else name[: width - 1] + "…"
    counts = "  ".join(f"{summary[s]:>{len(h)}}" for s, h in zip(STATUSES, _HEADS))
    failing = [r.key for r in result.results if r.status in ("chua_dat", "khong_hop_le")]
    return f"{name:<{width}}  {counts}  {clip(', '.join(failing), 100)}\n"


def _summary_footer(count: int, totals: dict) -> str:
    return (
        f"{count} đơn vị — " + " · ".join(f"{STATUS_LABELS[s]}: {totals[s]}" for s in STATUSES) + "\n"
        "Chi tiết từng chỉ tiêu / details: --export ket-qua.xlsx (hoặc .csv, .md) hoặc --json\n"
    )


def _template(args, settings) -> int:
    from pathlib import Path

    from assistant.criteria.template import template_bytes, write_template

    criteria_set = get_set(args.set_id, settings.corpus_dir)
    output = getattr(args, "output", None)
    if output is None:
        sys.stdout.write(template_bytes(criteria_set, ".csv", args.units).decode("utf-8-sig"))
        return 0
    try:
        path = write_template(Path(output), criteria_set, args.units)
    except OSError as exc:
        if (failure := _cannot_write(exc, [output], "-o")) is None:
            raise
        raise failure from exc
    print(f"Đã ghi mẫu {path} ({len(criteria_set.criteria)} chỉ tiêu, {args.units} đơn vị) / template written.")
    return 0


def _cannot_write(exc: OSError, paths, option: str) -> errors.CannotWrite | None:
    """A failure to make or write one of the output ``paths`` as a message naming it; anything else
    (the terminal closed, an unreadable set file) is not one: None."""
    from pathlib import Path

    if exc.filename is None:
        return None
    failed = Path(exc.filename).resolve()
    for path in map(Path, paths):
        if (
            failed == path.resolve()
            or path.resolve().is_relative_to(failed)
            or failed.is_relative_to(path.parent.resolve())
        ):
            return errors.CannotWrite(path, exc, option)
    return None
