"""Write criteria results as Markdown, CSV, XLSX or a PNG progress chart (one or many units)."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Protocol

from assistant import errors
from assistant.criteria.evaluate import STATUS_LABELS, gap_text
from assistant.criteria.result import CriteriaResult, CriterionResult
from assistant.safe_text import csv_cell, markdown_text

COLUMNS = ["Đơn vị", "Mã", "Chỉ tiêu", "Yêu cầu", "Số liệu", "Trạng thái", "Khoảng cách", "Ghi chú", "Căn cứ"]
COLOURS = {"dat": "2E7D32", "chua_dat": "C62828", "thieu_so_lieu": "9E9E9E", "khong_hop_le": "EF6C00"}
SUFFIXES = (".csv", ".md", ".xlsx", ".png")
CHART_MATRIX = 40  # beyond this many units a unit × criterion matrix is unreadable: the chart counts statuses
STUB, MIN_BAR = 25.0, 1.5  # bar lengths (% of target) for a status without progress, and the shortest bar
HIDDEN_NOTE = "Không vẽ {n} chỉ tiêu chưa có số liệu ở đơn vị nào (xem bảng chi tiết)."


def rows(results: Iterable[CriteriaResult]) -> Iterator[list[str]]:
    """One row per unit and criterion, as every tabular export writes it (a generator: 270.000 rows
    for 10.000 units are written as they are made)."""
    for result in results:
        for r in result.results:
            yield [
                result.unit,
                r.key,
                r.name,
                r.rule,
                r.value_text,
                STATUS_LABELS[r.status],
                gap_text(r),
                r.note_text,
                r.source.label,
            ]


def export(results: list[CriteriaResult], path: Path) -> Path:
    """Write the results in the format the file name asks for."""
    with Exports([path]) as exports:
        for result in results:
            exports.add(result)
    return exports.paths[0]


class Exports:
    """Several export files written in one pass, one unit's result at a time: a 10.000-unit file is
    judged once and never held whole (``with Exports(paths) as e: e.add(result)``)."""

    def __init__(self, paths: Iterable[Path | str]):
        self.paths = [Path(p) for p in paths]
        for path in self.paths:
            suffix = path.suffix.lower()
            if suffix not in SUFFIXES:
                raise errors.BadInput(
                    f"Không xuất được định dạng '{suffix}' (dùng .md, .csv, .xlsx, .png).",
                    f"cannot export '{suffix}'; use .md, .csv, .xlsx or .png.",
                )
        self.writers: list[_Writer] = []
        writers: dict[str, Callable[[Path], _Writer]] = {".csv": _Csv, ".md": _Markdown, ".xlsx": _Xlsx, ".png": _Chart}
        try:
            for path in self.paths:
                path.parent.mkdir(parents=True, exist_ok=True)
                self.writers.append(writers[path.suffix.lower()](path))
        except BaseException:
            self.close()
            raise

    def add(self, result: CriteriaResult) -> None:
        """One unit's result, written to every file."""
        for writer in self.writers:
            writer.add(result)

    def close(self) -> None:
        """Finish every file."""
        for writer in self.writers:
            writer.close()
        self.writers = []

    def __enter__(self) -> Exports:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class _Writer(Protocol):
    """One export file, written a unit at a time."""

    def add(self, result: CriteriaResult) -> None: ...

    def close(self) -> None: ...


class _Csv:
    def __init__(self, path: Path):
        self.fh = path.open("w", newline="", encoding="utf-8-sig")
        self.writer = csv.writer(self.fh)
        self.writer.writerow(COLUMNS)

    def add(self, result: CriteriaResult) -> None:
        # A unit name or a note starting with "=" stays text in Excel (OWASP CSV injection).
        self.writer.writerows([csv_cell(cell) for cell in row] for row in rows([result]))

    def close(self) -> None:
        self.fh.close()


class _Markdown:
    def __init__(self, path: Path):
        self.fh = path.open("w", encoding="utf-8")

    def add(self, result: CriteriaResult) -> None:
        self.fh.writelines(markdown_blocks([result]))

    def close(self) -> None:
        self.fh.close()


class _Xlsx:
    def __init__(self, path: Path):
        from assistant.criteria.xlsx_writer import TableWriter

        self.table = TableWriter(
            path,
            "Tiêu chí",
            COLUMNS,
            [22, 30, 50, 14, 16, 14, 12, 50, 14],
            coloured_column=5,
            colours={STATUS_LABELS[k]: c for k, c in COLOURS.items()},
        )

    def add(self, result: CriteriaResult) -> None:
        for row in rows([result]):
            self.table.append(row)

    def close(self) -> None:
        self.table.close()


class _Chart:
    """Keeps the first units (one panel each) and, per criterion, how many units have each status."""

    def __init__(self, path: Path):
        self.path, self.units = path, 0
        self.first: list[CriteriaResult] = []
        self.names: list[str] = []
        self.counts: dict[str, list[int]] | None = None

    def add(self, result: CriteriaResult) -> None:
        self.units += 1
        if len(self.first) < CHART_MATRIX:
            self.first.append(result)
        if self.counts is None:
            self.names = [r.name for r in result.results]
            self.counts = {status: [0] * len(result.results) for status in COLOURS}
        counts = self.counts
        for i, r in enumerate(result.results):
            counts[r.status][i] += 1

    def close(self) -> None:
        if not self.units or self.counts is None:  # add() sets counts with the first unit
            return
        # Criteria no unit has a figure for are folded away (a 4-column file against a 27-criteria set).
        empty = self.counts["thieu_so_lieu"]
        shown = [i for i in range(len(self.names)) if empty[i] < self.units] or list(range(len(self.names)))
        first = None
        if self.units <= CHART_MATRIX:
            first = [_only(result, shown) for result in self.first]
        counts = {status: [c[i] for i in shown] for status, c in self.counts.items()}
        hidden = len(self.names) - len(shown)
        _draw(first, [self.names[i] for i in shown], counts, self.units, self.path, hidden)


def _only(result: CriteriaResult, shown: list[int]) -> CriteriaResult:
    """A unit's result with only the criteria at ``shown`` (for drawing)."""
    return CriteriaResult(result.set_id, result.unit, result.period, [result.results[i] for i in shown], [])


def markdown(results: list[CriteriaResult]) -> str:
    """The results as Markdown: a heading, the summary and a table per unit."""
    return "".join(markdown_blocks(results))


def markdown_blocks(results: Iterable[CriteriaResult]) -> Iterator[str]:
    """Markdown one unit at a time (so a 10.000-unit file is never one string in memory); unit names
    and every cell are escaped, so a ``<img>`` or ``[link](...)`` in a figures file shows as text."""
    header = "| " + " | ".join(COLUMNS[1:]) + " |\n" + "|" + "---|" * (len(COLUMNS) - 1) + "\n"
    for result in results:
        title = markdown_text(result.unit or "Đơn vị")
        s = result.summary
        lines = [
            f"## {title} ({markdown_text(result.period)})" if result.period else f"## {title}",
            "",
            f"Đạt {s['dat']} · Chưa đạt {s['chua_dat']} · Thiếu số liệu {s['thieu_so_lieu']} · "
            f"Không hợp lệ {s['khong_hop_le']}",
            "",
            header.rstrip("\n"),
        ]
        for row in rows([result]):
            lines.append("| " + " | ".join(markdown_text(c).replace("\n", " ") for c in row[1:]) + " |")
        lines.append("")
        yield "\n".join(lines) + "\n"


def progress(r: CriterionResult) -> float | None:
    """How far a numeric figure is toward its target, in % of the target (None when not numeric)."""
    value = r.value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        target = float(r.rule.split()[1].replace(",", "."))
    except (IndexError, ValueError):
        return None
    return 100.0 if target == 0 else max(0.0, min(value / target * 100, 150.0))


def chart(results: Iterable[CriteriaResult], path: Path) -> None:
    """Progress toward each target by the criteria's Vietnamese names, with a legend of statuses: bars
    for up to three units, a unit × criterion status matrix up to ``CHART_MATRIX`` units, and beyond
    that the share of units in each status per criterion (the units are read one at a time)."""
    drawing = _Chart(Path(path))
    for result in results:
        drawing.add(result)
    drawing.close()


def _draw(
    results: list[CriteriaResult] | None,
    criteria_names: list[str],
    counts: dict[str, list[int]],
    units: int,
    path: Path,
    hidden: int = 0,
) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    names = [_wrap(name) for name in criteria_names]
    legend = [Patch(color="#" + COLOURS[k], label=label) for k, label in STATUS_LABELS.items()]
    footnote = HIDDEN_NOTE.format(n=hidden) if hidden else ""
    if results is None:
        _status_chart(counts, names, legend, units, path, plt, footnote)
        return
    if len(results) > 3:
        _matrix_chart(plt, results, names, legend, path, footnote)
        return
    n = len(results)
    fig, axes = plt.subplots(1, n, figsize=(4.5 + 3.5 * n, 0.42 * len(names) + 1.8), sharey=True, squeeze=False)
    for ax, result in zip(axes[0], results):
        values, colours = [], []
        for y, r in enumerate(result.results):
            p = progress(r)
            if p is None:  # met or not, a level, no figure, a bad figure: a bar of its colour, labelled
                p = 100.0 if r.status == "dat" else STUB
                if r.status != "dat":
                    ax.text(p + 2, y, STATUS_LABELS[r.status], va="center", fontsize=7)
            values.append(max(p, MIN_BAR))
            colours.append("#" + COLOURS[r.status])
        ax.barh(range(len(names)), values, color=colours)
        ax.axvline(100, color="black", linewidth=0.8, linestyle="--")
        ax.set_title(result.unit or "Đơn vị", fontsize=10)
        ax.set_xlim(0, 150)
        ax.set_xlabel("% so với chỉ tiêu (vạch đứt: 100%)")
    axes[0][0].set_yticks(range(len(names)))
    axes[0][0].set_yticklabels(names, fontsize=8)
    axes[0][0].invert_yaxis()
    _finish(fig, legend, path, plt, footnote)


def _status_chart(
    counts: dict[str, list[int]], names: list[str], legend, units: int, path: Path, plt, footnote: str
) -> None:
    fig, ax = plt.subplots(figsize=(10, 0.42 * len(names) + 1.8))
    left = [0.0] * len(names)
    for status, colour in COLOURS.items():
        share = [c / units * 100 for c in counts[status]]
        ax.barh(range(len(names)), share, left=left, color="#" + colour)
        left = [a + b for a, b in zip(left, share)]
    ax.set_yticks(range(len(names)))
    ax.set_yticklabels(names, fontsize=7)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel(f"% số đơn vị ({units} đơn vị)")
    _finish(fig, legend, path, plt, footnote)


def _matrix_chart(plt, results: list[CriteriaResult], names: list[str], legend, path: Path, footnote: str) -> None:
    from matplotlib.colors import ListedColormap

    order = list(STATUS_LABELS)
    grid = [[order.index(r.status) for r in result.results] for result in results]
    units = [result.unit or f"Đơn vị {i}" for i, result in enumerate(results, 1)]
    fig, ax = plt.subplots(figsize=(3 + 0.42 * len(units), 0.36 * len(names) + 2.2))
    ax.imshow(
        [list(col) for col in zip(*grid)],
        cmap=ListedColormap(["#" + COLOURS[k] for k in order]),
        vmin=0,
        vmax=len(order) - 1,
        aspect="auto",
    )
    ax.set_xticks(range(len(units)))
    ax.set_xticklabels(units, rotation=60, ha="right", fontsize=8)
    ax.set_yticks(range(len(names)))
    ax.set_yticklabels(names, fontsize=7)
    ax.set_xticks([x - 0.5 for x in range(1, len(units))], minor=True)
    ax.set_yticks([y - 0.5 for y in range(1, len(names))], minor=True)
    ax.grid(which="minor", color="white", linewidth=1)
    ax.tick_params(which="minor", length=0)
    _finish(fig, legend, path, plt, footnote)


def _finish(fig, legend, path: Path, plt, footnote: str) -> None:
    """The legend above, the note on folded criteria below, and the file written."""
    fig.legend(handles=legend, loc="upper center", ncol=4, fontsize=8, frameon=False)
    bottom = 0.0
    if footnote:
        fig.text(0.01, 0.005, footnote, fontsize=7, va="bottom")
        bottom = 0.04
    fig.tight_layout(rect=(0, bottom, 1, 0.96))
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _wrap(name: str, width: int = 42) -> str:
    """A long criterion name over two lines, cut between words."""
    import textwrap

    lines = textwrap.wrap(name, width)
    return "\n".join(lines[:2]) + ("…" if len(lines) > 2 else "")
