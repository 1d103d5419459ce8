"""``ntm criteria``: read a figures file, judge every unit, print a table or JSON, export; or write a template."""

from __future__ import annotations

import json
import sys

from assistant import errors
from assistant.criteria.evaluate import STATUS_LABELS, STATUSES, evaluate
from assistant.criteria.export import export, note_text
from assistant.criteria.figures import clip
from assistant.criteria.inputs import read_file
from assistant.criteria.sets_loader import all_sets, get_set

_STYLES = {"Đạt": "bold green", "Chưa đạt": "bold red", "Thiếu số liệu": "dim", "Không hợp lệ": "bold yellow"}
DETAIL_UNITS = 20  # up to this many units, a table per unit; beyond, one summary line per unit


def evaluate_file(path, set_id: str, corpus_dir=None) -> list[dict]:
    """Results for every unit in a figures file; what the file itself got wrong (unrecognised columns
    or rows, a formula without its value...) is in the first result's ``warnings``."""
    criteria_set = get_set(set_id, corpus_dir)
    read = read_file(path, criteria_set)
    return [evaluate(criteria_set, u.figures, u.unit, u.period, (read.warnings if i == 0 else []) + u.warnings)
            for i, u in enumerate(read.units)]


def all_warnings(results: list[dict]) -> list[str]:
    """Every distinct warning of a file's results, in order (for the CLI and the web tab)."""
    return list(dict.fromkeys(w for result in results for w in result["warnings"]))


def run(args, settings) -> int:
    if args.list:
        for s in all_sets(settings.corpus_dir).values():
            print(f"{s.id}\t{len(s.criteria)} tiêu chí\t{s.title}")
        return 0
    if getattr(args, "template", False):
        return _template(args, settings)
    if args.figures is None:
        raise errors.BadInput("Thiếu tệp số liệu (ví dụ: ntm criteria so-lieu.yaml; mẫu: ntm criteria --template "
                              "-o mau.xlsx).", "missing figures file (e.g. ntm criteria figures.yaml; template: "
                              "ntm criteria --template -o template.xlsx).")
    results = evaluate_file(args.figures, args.set_id, settings.corpus_dir)
    for path in args.export:
        export(results, path)
    warnings = all_warnings(results)
    if args.json:
        write_json(results[0] if len(results) == 1 else results, sys.stdout)
        for warning in warnings:
            print(f"Cảnh báo / warning: {warning}", file=sys.stderr)
        return 0
    if len(results) <= DETAIL_UNITS:
        _tables(results)
    else:
        sys.stdout.write(summary_text(results))
    if warnings:
        from rich.console import Console

        console = Console(highlight=False)
        for warning in warnings:
            console.print(f"[yellow]Cảnh báo / warning: {warning}[/]", markup=True, soft_wrap=True)
    return 0


def write_json(data, out) -> None:
    """JSON written unit by unit: 10.000 units never become one huge string."""
    if not isinstance(data, list):
        out.write(json.dumps(data, ensure_ascii=False) + "\n")
        return
    out.write("[")
    for i, item in enumerate(data):
        out.write(("," if i else "") + json.dumps(item, ensure_ascii=False))
    out.write("]\n")


def _tables(results: list[dict]) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = Console()
    for result in results:
        table = Table(title=escape(f"{result['unit'] or 'Đơn vị'} {result['period']}".strip()), show_lines=False)
        for column in ("Chỉ tiêu", "Yêu cầu", "Số liệu", "Trạng thái", "Ghi chú", "Căn cứ"):
            table.add_column(column, overflow="fold")
        for r in result["results"]:
            label = STATUS_LABELS[r["status"]]
            clause = r["source"].get("clause")
            source = f"Mục {clause}" if clause else (r["source"].get("title") or "")
            table.add_row(escape(r["name"]), escape(r["rule"]), escape(r["value_text"]),
                          f"[{_STYLES[label]}]{label}[/]", escape(note_text(r)), escape(source))
        console.print(table)
        console.print(" · ".join(f"{STATUS_LABELS[k]}: {v}" for k, v in result["summary"].items()))


def summary_text(results: list[dict]) -> str:
    """One line per unit with its counts: a 10.000-unit file prints in a moment (details: --export/--json)."""
    width = min(40, max(len("Đơn vị"), *(len(f"{r['unit']} {r['period']}".strip()) for r in results)))
    heads = [STATUS_LABELS[s] for s in STATUSES]
    lines = [f"{'Đơn vị':<{width}}  " + "  ".join(heads) + "  Chưa đạt / không hợp lệ"]
    totals = dict.fromkeys(STATUSES, 0)
    for result in results:
        name = f"{result['unit']} {result['period']}".strip() or "Đơn vị"
        name = name if len(name) <= width else name[: width - 1] + "…"
        counts = "  ".join(f"{result['summary'][s]:>{len(h)}}" for s, h in zip(STATUSES, heads))
        failing = [r["key"] for r in result["results"] if r["status"] in ("chua_dat", "khong_hop_le")]
        for s in STATUSES:
            totals[s] += result["summary"][s]
        lines.append(f"{name:<{width}}  {counts}  {clip(', '.join(failing), 100)}")
    lines.append(f"{len(results)} đơn vị — " + " · ".join(f"{STATUS_LABELS[s]}: {totals[s]}" for s in STATUSES))
    lines.append("Chi tiết từng chỉ tiêu / details: --export ket-qua.xlsx (hoặc .csv, .md) hoặc --json")
    return "\n".join(lines) + "\n"


def _template(args, settings) -> int:
    from pathlib import Path

    from assistant.criteria.template import template_bytes, write_template

    criteria_set = get_set(args.set_id, settings.corpus_dir)
    output = getattr(args, "output", None)
    if output is None:
        sys.stdout.write(template_bytes(criteria_set, ".csv", args.units).decode("utf-8-sig"))
        return 0
    path = write_template(Path(output), criteria_set, args.units)
    print(f"Đã ghi mẫu {path} ({len(criteria_set.criteria)} chỉ tiêu, {args.units} đơn vị) / template written.")
    return 0
