"""``ntm eval criteria-bench``: a province's figures at commune scale (10.000 rows × 27 criteria) read,
judged and exported, each step in its own process so its peak memory is its own.

The input is what a district office sends: a ';'-separated UTF-8-with-BOM CSV headed by the
criteria's Vietnamese names, figures written every way people write them (and the same rows as
XLSX). Reported: seconds to read the file, in all, and each process's peak resident memory, for the
list of results the web tab gets and for ``ntm criteria`` with each output (JSON, table, CSV, XLSX,
MD, PNG), which writes every unit as it is judged.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SET_ID = "nq-ha-tinh-2025"
ROWS = 10_000
OUTPUTS = ("json", "table", "csv", "xlsx", "md", "png")


def figures_rows(n: int, seed: int = 7) -> list[list]:
    """A header of Vietnamese names and ``n`` units of figures in the many ways offices write them."""
    from assistant.criteria.sets_loader import get_set

    criteria = get_set(SET_ID).criteria
    rng = random.Random(seed)
    rows = [["Đơn vị", "Kỳ báo cáo"] + [c.name for c in criteria]]
    for i in range(n):
        row = [f"Xã {i + 1:05d} (huyện {i % 13 + 1})", "2024"]
        for c in criteria:
            pick = rng.random()
            if pick < 0.05:
                row.append("")
            elif c.kind == "percent":
                share = rng.uniform(40, 100)
                row.append(
                    f"{share:.1f}".replace(".", ",") + "%"
                    if pick < 0.7
                    else f"{round(share * 1.82)}/182"
                    if pick < 0.85
                    else f"{share / 100:.3f}"
                )
            elif c.kind == "amount":
                income = rng.uniform(40, 80)
                row.append(f"{income:.1f} triệu".replace(".", ",") if pick < 0.6 else f"{round(income * 1e6):,}đ")
            elif c.kind == "boolean":
                row.append(rng.choice(["đạt", "chưa đạt", "có", "không"]))
            elif c.kind == "rank":
                row.append(rng.choice(c.scale).capitalize())
            elif c.kind == "rate":
                row.append(f"{rng.uniform(0, 5):.1f}".replace(".", ","))
            else:
                row.append(str(rng.randint(0, 300)) if pick < 0.97 else "không rõ")
        rows.append(row)
    return rows


def write_inputs(folder: Path, n: int = ROWS) -> tuple[Path, Path]:
    """The benchmark's CSV and XLSX inputs."""
    from assistant.criteria.xlsx_writer import write_table

    rows = figures_rows(n)
    csv_path = folder / f"so-lieu-{n}.csv"
    with csv_path.open("w", newline="", encoding="utf-8-sig") as fh:
        csv.writer(fh, delimiter=";").writerows(rows)
    xlsx_path = write_table(folder / f"so-lieu-{n}.xlsx", "Số liệu", rows[0], rows[1:], [20] * len(rows[0]))
    return csv_path, xlsx_path


def phase(path: str, output: str) -> dict:
    """One measured step in this process. ``none``: the file's results as a list (what the web tab
    and ``Assistant.criteria_file`` get); otherwise ``ntm criteria`` with that output, which judges
    and writes each unit in one pass."""
    from assistant.criteria.present import check, evaluate_file, judged

    start = time.perf_counter()
    if output == "none":
        results = evaluate_file(Path(path), SET_ID)
        return {"units": len(results), "read_s": None, "total_s": round(time.perf_counter() - start, 2)}
    read, results = judged(Path(path), SET_ID)
    read_s = time.perf_counter() - start
    with (
        tempfile.TemporaryDirectory(prefix="ntm-criteria-bench-") as tmp,
        open(os.devnull, "w", encoding="utf-8") as sink,
    ):
        exports = [] if output in ("json", "table") else [Path(tmp) / f"ket-qua.{output}"]
        check(read, results, sink, exports, as_json=output == "json")
    return {"units": len(read.units), "read_s": round(read_s, 2), "total_s": round(time.perf_counter() - start, 2)}


def peak_rss_mb() -> int:
    """This process's peak resident memory since it started its program (Linux VmHWM; getrusage
    elsewhere, which on Linux would also count the parent's pages it was forked with)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024)
    except OSError:
        pass
    import resource

    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def _measured(path: Path, output: str) -> dict:
    """Run ``phase`` in a child process, which reports its own times and peak memory."""
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "assistant.evaluate.criteria_bench", str(path), output],
        stdout=subprocess.PIPE,
        env=env,
        text=True,
    )
    out, _ = child.communicate()
    if child.returncode:
        raise RuntimeError(f"criteria bench step {output} failed ({child.returncode})")
    figures = json.loads(out.strip().splitlines()[-1])
    figures["process_s"] = round(time.perf_counter() - started, 2)
    return figures


def run(args, settings) -> int:
    """Measure every step on 10.000 rows and write a dated report."""
    n = ROWS
    steps = []
    with tempfile.TemporaryDirectory(prefix="ntm-criteria-bench-") as tmp:
        csv_path, xlsx_path = write_inputs(Path(tmp), n)
        size_mb = csv_path.stat().st_size / 1e6
        steps.append(("Python + imports only", _measured(csv_path, "imports")))
        steps.append(("CSV → list of results (web tab, Assistant.criteria_file)", _measured(csv_path, "none")))
        steps.append(("XLSX → list of results", _measured(xlsx_path, "none")))
        commands = {
            "json": "--json",
            "table": "(table)",
            "csv": "--export .csv",
            "xlsx": "--export .xlsx",
            "md": "--export .md",
            "png": "--export .png",
        }
        for output in OUTPUTS:
            steps.append((f"ntm criteria CSV {commands[output]}", _measured(csv_path, output)))
    stamp = dt.date.today().isoformat()
    machine = f"{platform.machine()}, {os.cpu_count()} cores"
    lines = [
        f"# Criteria benchmark {stamp} ({machine})",
        "",
        f"{n:,} units × 27 criteria of `{SET_ID}` from a {size_mb:.1f} MB ';' UTF-8-BOM CSV with Vietnamese "
        "headers (and the same rows as XLSX). Each step runs in its own process.",
        "",
        "| step | read file (s) | total (s) | process (s) | peak memory (MB) |",
        "|---|---|---|---|---|",
    ]
    for name, f in steps:
        read_s = "" if f.get("read_s") is None else f["read_s"]
        lines.append(f"| {name} | {read_s} | {f.get('total_s', '')} | {f['process_s']} | {f['peak_rss_mb']} |")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    base = out / f"{stamp}-criteria-bench"
    base.with_suffix(".md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    base.with_suffix(".json").write_text(
        json.dumps({"date": stamp, "machine": machine, "rows": n, "steps": dict(steps)}, ensure_ascii=False, indent=1),
        encoding="utf-8",
    )
    print("\n".join(lines))
    print(f"\nReport: {base}.md / .json")
    return 0


if __name__ == "__main__":
    if sys.argv[2] == "imports":
        import assistant.criteria.export  # noqa: F401
        import assistant.criteria.present  # noqa: F401

        print(json.dumps({"peak_rss_mb": peak_rss_mb()}))
    else:
        print(json.dumps({**phase(sys.argv[1], sys.argv[2]), "peak_rss_mb": peak_rss_mb()}))
