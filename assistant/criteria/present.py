"""``ntm criteria``: read a figures file, judge every unit, print a table or JSON, export."""

from __future__ import annotations

import json

from rich.console import Console
from rich.table import Table

from assistant.criteria.evaluate import STATUS_LABELS, evaluate
from assistant.criteria.export import export, rows
from assistant.criteria.inputs import read_figures
from assistant.criteria.sets_loader import all_sets, get_set

_STYLES = {"Đạt": "bold green", "Chưa đạt": "bold red", "Thiếu số liệu": "dim", "Không hợp lệ": "bold yellow"}


def evaluate_file(path, set_id: str, corpus_dir=None) -> list[dict]:
    """Results for every unit in a figures file."""
    criteria_set = get_set(set_id, corpus_dir)
    return [evaluate(criteria_set, u.figures, u.unit, u.period) for u in read_figures(path)]


def run(args, settings) -> int:
    if args.list:
        for s in all_sets(settings.corpus_dir).values():
            print(f"{s.id}\t{len(s.criteria)} tiêu chí\t{s.title}")
        return 0
    if args.figures is None:
        from assistant import errors

        raise errors.BadInput("Thiếu tệp số liệu (ví dụ: ntm criteria so-lieu.yaml).",
                              "missing figures file (e.g. ntm criteria figures.yaml).")
    results = evaluate_file(args.figures, args.set_id, settings.corpus_dir)
    for path in args.export:
        export(results, path)
    if args.json:
        print(json.dumps(results[0] if len(results) == 1 else results, ensure_ascii=False))
        return 0
    console = Console()
    for result in results:
        table = Table(title=f"{result['unit'] or 'Đơn vị'} {result['period']}".strip(), show_lines=False)
        for column in ("Chỉ tiêu", "Yêu cầu", "Số liệu", "Trạng thái", "Ghi chú", "Căn cứ"):
            table.add_column(column, overflow="fold")
        for row in rows([result]):
            table.add_row(row[2], row[3], row[4], f"[{_STYLES[row[5]]}]{row[5]}[/]", row[7], row[8])
        console.print(table)
        s = result["summary"]
        console.print(" · ".join(f"{STATUS_LABELS[k]}: {v}" for k, v in s.items()))
        for warning in result["warnings"]:
            console.print(f"[yellow]Cảnh báo / warning: {warning}[/]")
    return 0
