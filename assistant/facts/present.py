"""``ntm facts``: print the extracted targets, baselines and responsibilities (table, JSON or CSV)."""

from __future__ import annotations

import csv
import json
import sys

from rich.console import Console
from rich.table import Table

from assistant.ingest.structure import clause_label
from assistant.safe_text import csv_cell
from assistant.safe_text import terminal_markup as shown

CSV_COLUMNS = [
    "kind",
    "doc_id",
    "clause",
    "indicator",
    "operator",
    "value",
    "value_max",
    "total",
    "unit",
    "deadline",
    "scope",
    "agency",
    "role",
    "task",
    "partners",
    "quote",
]
_TITLES = {
    "targets": "Chỉ tiêu",
    "baselines": "Kết quả đã đạt (hiện trạng)",
    "responsibilities": "Phân công trách nhiệm",
}


def run(args, assistant) -> int:
    facts = assistant.facts()
    data = facts.to_json(args.kind)
    if args.json:
        print(json.dumps(data, ensure_ascii=False))
        return 0
    if args.csv:
        writer = csv.DictWriter(sys.stdout, CSV_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        for kind, items in data.items():
            for item in items:
                row = {**item, "kind": kind.rstrip("s"), "partners": "; ".join(item.get("partners", []))}
                writer.writerow({key: csv_cell(value) for key, value in row.items()})  # document text: no formulas
        return 0
    console = Console()
    for kind, items in data.items():
        table = Table(title=f"{_TITLES[kind]} ({len(items)})")
        if kind == "responsibilities":
            for column in ("Cơ quan", "Vai trò", "Nhiệm vụ", "Căn cứ"):
                table.add_column(column, overflow="fold")
            for r in getattr(facts, kind):
                table.add_row(*map(shown, (r.agency, r.role, r.task, clause_label(r.clause))))
        else:
            for column in ("Chỉ tiêu", "Giá trị", "Thời hạn", "Phạm vi", "Căn cứ"):
                table.add_column(column, overflow="fold")
            for t in getattr(facts, kind):
                table.add_row(
                    *map(shown, (t.indicator, t.display(), t.deadline or "đến nay", t.scope, clause_label(t.clause)))
                )
        console.print(table)
    return 0
