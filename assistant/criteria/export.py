"""Write criteria results as Markdown, CSV, XLSX or a PNG progress chart (one or many units)."""

from __future__ import annotations

import csv
from pathlib import Path

from assistant import errors
from assistant.criteria.evaluate import STATUS_LABELS, gap_text
from assistant.criteria.figures import format_number

COLUMNS = ["Đơn vị", "Mã", "Chỉ tiêu", "Yêu cầu", "Số liệu", "Trạng thái", "Khoảng cách", "Ghi chú", "Căn cứ"]
COLOURS = {"dat": "2E7D32", "chua_dat": "C62828", "thieu_so_lieu": "9E9E9E", "khong_hop_le": "EF6C00"}


def rows(results: list[dict]) -> list[list]:
    """One row per unit and criterion, as every tabular export writes it."""
    out = []
    for result in results:
        for r in result["results"]:
            gap = gap_text(r)
            source = r["source"].get("clause") or r["source"].get("title") or ""
            label = f"Mục {source}" if r["source"].get("clause") else source
            out.append([result["unit"], r["key"], r["name"], r["rule"], r["value_text"],
                        STATUS_LABELS[r["status"]], gap, r["message"], label])
    return out


def export(results: list[dict], path: Path) -> Path:
    """Write the results in the format the file name asks for."""
    path = Path(path)
    suffix = path.suffix.lower()
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".csv":
        with path.open("w", newline="", encoding="utf-8-sig") as fh:
            writer = csv.writer(fh)
            writer.writerow(COLUMNS)
            writer.writerows(rows(results))
    elif suffix == ".md":
        path.write_text(markdown(results), encoding="utf-8")
    elif suffix == ".xlsx":
        _xlsx(results, path)
    elif suffix == ".png":
        chart(results, path)
    else:
        raise errors.BadInput(f"Không xuất được định dạng '{suffix}' (dùng .md, .csv, .xlsx, .png).",
                              f"cannot export '{suffix}'; use .md, .csv, .xlsx or .png.")
    return path


def markdown(results: list[dict]) -> str:
    lines = []
    for result in results:
        title = result["unit"] or "Đơn vị"
        s = result["summary"]
        lines += [f"## {title} ({result['period']})" if result["period"] else f"## {title}", "",
                  f"Đạt {s['dat']} · Chưa đạt {s['chua_dat']} · Thiếu số liệu {s['thieu_so_lieu']} · "
                  f"Không hợp lệ {s['khong_hop_le']}", "",
                  "| " + " | ".join(COLUMNS[1:]) + " |", "|" + "---|" * (len(COLUMNS) - 1)]
        for row in rows([result]):
            lines.append("| " + " | ".join(str(c).replace("|", "\\|") for c in row[1:]) + " |")
        lines.append("")
    return "\n".join(lines)


def _xlsx(results: list[dict], path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    book = Workbook()
    sheet = book.active
    sheet.title = "Tiêu chí"
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    status_by_label = {v: k for k, v in STATUS_LABELS.items()}
    for row in rows(results):
        sheet.append(row)
        colour = COLOURS[status_by_label[row[5]]]
        sheet.cell(sheet.max_row, 6).fill = PatternFill("solid", fgColor=colour)
        sheet.cell(sheet.max_row, 6).font = Font(color="FFFFFF", bold=True)
    for column, width in zip("ABCDEFGHI", (22, 30, 50, 14, 16, 14, 12, 50, 14)):
        sheet.column_dimensions[column].width = width
    book.save(path)


def progress(r: dict) -> float | None:
    """How far a numeric figure is toward its target, in % of the target (None when not numeric)."""
    value = r["value"]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        target = float(r["rule"].split()[1].replace(",", "."))
    except (IndexError, ValueError):
        return None
    return 100.0 if target == 0 else max(0.0, min(value / target * 100, 150.0))


def chart(results: list[dict], path: Path) -> None:
    """Progress toward each target by the criteria's Vietnamese names, with a legend of statuses: bars
    for up to three units, a unit × criterion status matrix for more."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    names = [_wrap(r["name"]) for r in results[0]["results"]]
    legend = [Patch(color="#" + COLOURS[k], label=label) for k, label in STATUS_LABELS.items()]
    if len(results) > 3:
        _matrix_chart(plt, results, names, legend, path)
        return
    n = len(results)
    fig, axes = plt.subplots(1, n, figsize=(4.5 + 3.5 * n, 0.42 * len(names) + 1.8), sharey=True, squeeze=False)
    for ax, result in zip(axes[0], results):
        values, colours = [], []
        for r in result["results"]:
            p = progress(r)
            if p is None:
                p = 100.0 if r["status"] == "dat" else 0.0
            values.append(p)
            colours.append("#" + COLOURS[r["status"]])
        ax.barh(range(len(names)), values, color=colours)
        ax.axvline(100, color="black", linewidth=0.8, linestyle="--")
        ax.set_title(result["unit"] or "Đơn vị", fontsize=10)
        ax.set_xlim(0, 150)
        ax.set_xlabel("% so với chỉ tiêu (vạch đứt: 100%)")
    axes[0][0].set_yticks(range(len(names)))
    axes[0][0].set_yticklabels(names, fontsize=8)
    axes[0][0].invert_yaxis()
    fig.legend(handles=legend, loc="upper center", ncol=4, fontsize=8, frameon=False)
    fig.tight_layout(rect=(0, 0, 1, 0.96))
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _matrix_chart(plt, results, names, legend, path) -> None:
    from matplotlib.colors import ListedColormap

    order = list(STATUS_LABELS)
    grid = [[order.index(r["status"]) for r in result["results"]] for result in results]
    units = [result["unit"] or f"Đơn vị {i}" for i, result in enumerate(results, 1)]
    fig, ax = plt.subplots(figsize=(3 + 0.42 * len(units), 0.36 * len(names) + 2.2))
    ax.imshow([list(col) for col in zip(*grid)], cmap=ListedColormap(["#" + COLOURS[k] for k in order]),
              vmin=0, vmax=len(order) - 1, aspect="auto")
    ax.set_xticks(range(len(units)))
    ax.set_xticklabels(units, rotation=60, ha="right", fontsize=8)
    ax.set_yticks(range(len(names)))
    ax.set_yticklabels(names, fontsize=7)
    ax.set_xticks([x - 0.5 for x in range(1, len(units))], minor=True)
    ax.set_yticks([y - 0.5 for y in range(1, len(names))], minor=True)
    ax.grid(which="minor", color="white", linewidth=1)
    ax.tick_params(which="minor", length=0)
    fig.legend(handles=legend, loc="upper center", ncol=4, fontsize=8, frameon=False)
    fig.tight_layout(rect=(0, 0, 1, 0.96))
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _wrap(name: str, width: int = 42) -> str:
    """A long criterion name over two lines, cut between words."""
    import textwrap

    lines = textwrap.wrap(name, width)
    return "\n".join(lines[:2]) + ("…" if len(lines) > 2 else "")
