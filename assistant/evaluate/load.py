"""``ntm eval load`` (part of ``make bench``): indexing throughput and the web app under many users.

Indexing, for the resolution and for a long document (articles of the ALQAC laws, or the
resolution repeated, up to ``--chars`` characters): seconds until its words are searchable (the
first generation switched to), until it is fully indexed (every passage's vector), until its answer
sentences have their vectors too (embedded after the switch), characters per second, and the
embedder alone on the same passages (timed on a sample spread over the document, scaled to all its
text). Each is measured idle and again while the chat users below keep asking. Then the answer
latency of the questions asked right after indexing, before any answer sentence was embedded.

Load: ``ntm serve`` in its own process over the indexed resolution; ``--users`` people, each with
its own ``gradio_client`` connection, ask the dev questions back to back through the ``/ask``
endpoint; latency p50/p95/max, errors, questions per second, the server's memory.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from assistant.evaluate.metrics import percentile
from assistant.settings import Settings

ALQAC_CORPUS = Path("../shared/bench/alqac/corpus.jsonl")
SAMPLE = 256  # texts the embedder alone is timed on; its time is scaled to all the document's text
RESOLUTION_RUNS = 3  # the resolution indexes in seconds: its median of three, every run shown


def long_document(chars: int, resolution: Path, alqac: Path = ALQAC_CORPUS) -> str:
    """About ``chars`` characters of real Vietnamese legal text, as one document of articles."""
    parts, size = [], 0
    if alqac.exists():
        with open(alqac, encoding="utf-8") as handle:
            for n, line in enumerate(handle, start=1):
                text = json.loads(line)["text"]
                title, _, body = text.partition("\n\n")
                parts.append(f"Điều {n}. {title.strip()}\n\n{body.strip()}\n")
                size += len(parts[-1])
                if size >= chars:
                    break
    base = resolution.read_text(encoding="utf-8")
    copy = 1
    while size < chars:  # no ALQAC (or too short): the resolution, numbered copies
        parts.append(f"Phần {copy}\n\n{base}\n")
        size += len(parts[-1])
        copy += 1
    return "\n".join(parts)[:chars]


def index_throughput(settings: Settings, embedder, source: Path, workdir: Path) -> dict:
    """Index one document into a fresh folder: time to searchable, to fully indexed (every passage
    embedded), to its answer sentences embedded too, chars/s, and the embedder alone on the same
    passages (the model is loaded before the clock starts)."""
    from assistant.ingest.chunk import answer_units
    from assistant.ingest.document import read_document

    folder = workdir / source.stem
    assistant = _fresh_assistant(settings, embedder, source, folder)
    started, cpu = time.perf_counter(), _cpu_s()
    report = assistant.index([folder / "corpus"], progress=False)
    total, cpu = time.perf_counter() - started, _cpu_s() - cpu
    indexed = report.indexed_s or total

    document = read_document(folder / "corpus" / source.name, settings.max_chunk_chars)
    texts = [c.context_text for c in document.chunks]
    units = [document.text[a:b] for c in document.chunks for a, b in answer_units(c)]
    sample = texts[:: max(1, len(texts) // SAMPLE)]  # spread over the document, for time's sake
    with embedder.threads.use(settings.index_threads):
        clock = time.perf_counter()
        embedder.get_text_embedding_batch(sample)
        alone = (time.perf_counter() - clock) * sum(map(len, texts)) / max(1, sum(map(len, sample)))
    chars = len(document.text)
    return {
        "document": source.name,
        "chars": chars,
        "passages": len(texts),
        "sentences": len(units),
        "searchable_s": round(report.searchable_s or indexed, 2),
        "indexed_s": round(indexed, 2),
        "sentences_s": round(report.sentences_s or total, 2),
        "cpu_s": round(cpu, 1),
        "chars_per_s": round(chars / indexed),
        "embedder_alone_s": round(alone, 2),
        "embedder_chars_per_s": round(chars / alone),
    }


def median_run(measure, runs: int) -> dict:
    """``measure(n)`` for n in range(runs): the run with the median time to fully indexed, with every
    run's time beside it (a single short run can meet a hiccup of the machine)."""
    rows = sorted((measure(n) for n in range(runs)), key=lambda row: row["indexed_s"])
    return {**rows[len(rows) // 2], "runs_indexed_s": [row["indexed_s"] for row in rows]}


def _fresh_assistant(settings: Settings, embedder, source: Path, folder: Path):
    """An assistant over a new folder holding only ``source`` (its own local index, the given
    embedder already loaded)."""
    from assistant.service import Assistant

    (folder / "corpus").mkdir(parents=True)
    shutil.copy(source, folder / "corpus" / source.name)
    local = {"index_dir": folder / "index", "corpus_dir": folder / "corpus", "chroma_url": None}
    return Assistant(Settings(**{**settings.model_dump(), **local}), embedder=embedder)


def _cpu_s() -> float:
    """CPU seconds this process has used, all threads: on shared cores, what the work itself cost."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def first_questions(settings: Settings, embedder, source: Path, workdir: Path, questions: list[str]) -> dict:
    """Answer latency right after indexing, before any answer sentence is embedded (each question
    embeds those of the passages it retrieves, once), and the same questions again."""
    folder = workdir / source.stem
    assistant = _fresh_assistant(settings, embedder, source, folder)
    assistant.index([folder / "corpus"], progress=False, sentences=False)
    assistant.search("khởi động")  # the index in memory; the passages it touched have their sentences now
    figures = {"questions": len(questions)}
    for name in ("cold", "warm"):
        ms = []
        for question in questions:
            clock = time.perf_counter()
            assistant.ask(question)
            ms.append((time.perf_counter() - clock) * 1000)
        figures[name] = {
            "first_ms": round(ms[0]),
            "p50_ms": round(percentile(sorted(ms), 50)),
            "p95_ms": round(percentile(sorted(ms), 95)),
            "max_ms": round(max(ms)),
        }
    return figures


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``ntm serve`` over an index folder, in its own process."""

    def __init__(self, index_dir: Path, corpus_dir: Path):
        self.port = _free_port()
        env = {k: v for k, v in os.environ.items() if k != "OMP_NUM_THREADS"}  # the product's own setting
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "assistant.cli",
                "serve",
                "--index",
                str(index_dir),
                "--corpus",
                str(corpus_dir),
                "--port",
                str(self.port),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        self.url = f"http://127.0.0.1:{self.port}/"
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError("ntm serve exited before it listened") from None
                time.sleep(0.5)
        raise RuntimeError("ntm serve did not start")

    def cpu_s(self) -> float:
        """CPU seconds the server process has used, all threads."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def memory_mb(self) -> dict:
        """Resident and peak resident memory of the server process."""
        status = Path(f"/proc/{self.process.pid}/status")
        if not status.exists():
            return {}
        fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
        return {
            "rss_mb": round(int(fields["VmRSS"].split()[0]) / 1024),
            "peak_rss_mb": round(int(fields["VmHWM"].split()[0]) / 1024),
        }

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()


def chat_load(url: str, questions: list[str], users: int, per_user: int, until: threading.Event | None = None) -> dict:
    """``users`` simultaneous people asking ``per_user`` questions each (or until ``until`` is
    set) through gradio_client; latency percentiles, errors and throughput."""
    from gradio_client import Client

    # The app is served over plain HTTP here: without ``ssl_verify=False`` gradio_client loads the CA
    # bundle for every request (about 45 ms of CPU per question on these cores, twice what the server
    # spends answering it), a cost of the load generator that users' browsers do not put on the server.
    clients = [Client(url, verbose=False, ssl_verify=False) for _ in range(users)]
    clients[0].predict(questions[0], api_name="/ask")  # the server loads its index on first use
    latencies, errors, found = [], [], []
    lock = threading.Lock()

    def user(n: int) -> None:
        asked = 0
        while asked < per_user or (until is not None and not until.is_set()):
            question = questions[(n * per_user + asked) % len(questions)]
            clock = time.perf_counter()
            try:
                answer = clients[n].predict(question, api_name="/ask")
                ok = json.loads(answer) if isinstance(answer, str) else answer
                with lock:
                    latencies.append(time.perf_counter() - clock)
                    found.append(bool(ok.get("found")))
            except Exception as exc:  # noqa: BLE001 - every failure is counted and reported
                with lock:
                    errors.append(repr(exc)[:200])
            asked += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=user, args=(n,)) for n in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    ms = sorted(x * 1000 for x in latencies)
    return {
        "users": users,
        "questions": len(latencies) + len(errors),
        "errors": len(errors),
        "first_errors": errors[:3],
        "found": sum(found),
        "p50_ms": round(percentile(ms, 50)) if ms else None,
        "p95_ms": round(percentile(ms, 95)) if ms else None,
        "max_ms": round(ms[-1]) if ms else None,
        "questions_per_s": round(len(latencies) / wall, 1),
    }


def _chat_elsewhere(url: str, questions: list[str], users: int, per_user: int, until, results) -> None:
    results.put(chat_load(url, questions, users, per_user, until))


class ChatUsers:
    """``chat_load`` in a process of its own: the users' side of the load (20 gradio clients) does not
    hold the interpreter lock of the indexer being measured. It still takes its share of the same
    cores (at a lower priority it could not keep 20 users asking, and the load would not be applied)."""

    def __init__(self, url: str, questions: list[str], users: int, per_user: int, until_stopped: bool = False):
        context = multiprocessing.get_context("spawn")
        self.stop, self._results = (context.Event() if until_stopped else None), context.Queue()
        self._process = context.Process(
            target=_chat_elsewhere, args=(url, questions, users, per_user, self.stop, self._results), daemon=True
        )
        self._process.start()

    def result(self) -> dict:
        """The figures, once every user has asked (after ``stop`` is set, when it runs until stopped)."""
        if self.stop is not None:
            self.stop.set()
        figures = self._results.get(timeout=900)
        self._process.join(timeout=60)
        return figures


def run(
    settings: Settings, questions_path: Path, out: Path, chars: int = 250_000, users: int = 20, per_user: int = 10
) -> dict:
    """The whole measurement; writes ``<date>-load.md/.json`` under ``out`` and returns the figures."""
    import datetime as dt
    import platform

    from assistant.evaluate.metrics import read_jsonl
    from assistant.index.embedders import build_embedder
    from assistant.ingest.document import source_files

    resolution = next(p for p in source_files([settings.corpus_dir]))
    questions = [q["question"] for q in read_jsonl(questions_path)]
    embedder = build_embedder(settings.embedder, settings.serve_threads)
    figures: dict = {
        "date": dt.date.today().isoformat(),
        "machine": f"{platform.machine()}, {len(os.sched_getaffinity(0))} cores",
        "index_threads": settings.index_threads,
        "serve_threads": settings.serve_threads,
        "serve_nice": settings.serve_nice,
    }
    with tempfile.TemporaryDirectory(prefix="ntm-bench-load-") as tmp:
        work = Path(tmp)
        long_doc = work / f"van-ban-dai-{chars // 1000}k.txt"
        long_doc.write_text(long_document(chars, resolution), encoding="utf-8")

        def indexed(source: Path, when: str, runs: int = 1) -> dict:
            return _shown(
                median_run(lambda n: index_throughput(settings, embedder, source, work / when / str(n)), runs)
            )

        figures["idle"] = [indexed(resolution, "idle", RESOLUTION_RUNS), indexed(long_doc, "idle")]
        figures["first_questions"] = _shown(first_questions(settings, embedder, resolution, work / "cold", questions))
        served = work / "idle" / "0" / resolution.stem
        server = Server(served / "index", served / "corpus")
        try:
            cpu = server.cpu_s()
            figures["load"] = _shown(_served(ChatUsers(server.url, questions, users, per_user).result(), server, cpu))
            cpu = server.cpu_s()
            chatting = ChatUsers(server.url, questions, users, 1, until_stopped=True)
            try:
                figures["busy"] = [indexed(resolution, "busy", RESOLUTION_RUNS), indexed(long_doc, "busy")]
            finally:
                busy = chatting.result()
            figures["load_while_indexing"] = _served(busy, server, cpu)
        finally:
            server.stop()
    out.mkdir(parents=True, exist_ok=True)
    base = out / f"{figures['date']}-load"
    base.with_suffix(".json").write_text(json.dumps(figures, ensure_ascii=False, indent=1), encoding="utf-8")
    base.with_suffix(".md").write_text(report(figures), encoding="utf-8")
    return figures


def _served(figures: dict, server: Server, cpu_before: float) -> dict:
    """The users' figures with what the server spent on them: CPU per question, memory."""
    cpu_ms = (server.cpu_s() - cpu_before) * 1000
    return {**figures, "server_cpu_ms_per_q": round(cpu_ms / max(1, figures["questions"]), 1), **server.memory_mb()}


def _shown(figures: dict) -> dict:
    """Each measurement on stderr as soon as it is taken (the whole run takes minutes)."""
    print(json.dumps(figures, ensure_ascii=False), file=sys.stderr, flush=True)
    return figures


def _indexed(row: dict) -> str:
    runs = row.get("runs_indexed_s", [])
    return f"{row['indexed_s']} (runs {', '.join(map(str, runs))})" if len(runs) > 1 else str(row["indexed_s"])


def report(figures: dict) -> str:
    """The figures as Markdown tables."""
    lines = [
        f"# Indexing and load {figures['date']} ({figures['machine']})",
        "",
        "| document | chars | passages | sentences | when | searchable s | indexed s | sentences ready s "
        "| CPU s | chars/s | embedder alone s | embedder chars/s |",
        "|---" * 12 + "|",
    ]
    users = figures.get("load", {}).get("users")
    for when, label in (("idle", "idle"), ("busy", f"{users} users asking")):
        for row in figures.get(when, []):
            lines.append(
                f"| {row['document']} | {row['chars']} | {row['passages']} | {row['sentences']} | {label} | "
                f"{row['searchable_s']} | {_indexed(row)} | {row.get('sentences_s')} | "
                f"{row.get('cpu_s')} | {row['chars_per_s']} | {row['embedder_alone_s']} | "
                f"{row['embedder_chars_per_s']} |"
            )
    lines += [
        "",
        "| chat load | users | questions | errors | found | p50 ms | p95 ms | max ms | q/s | server CPU ms/q "
        "| RSS MB | peak MB |",
        "|---" * 12 + "|",
    ]
    for name in ("load", "load_while_indexing"):
        row = figures.get(name)
        if row:
            lines.append(
                f"| {name.replace('_', ' ')} | {row['users']} | {row['questions']} | {row['errors']} | "
                f"{row['found']} | {row['p50_ms']} | {row['p95_ms']} | {row['max_ms']} | "
                f"{row['questions_per_s']} | {row.get('server_cpu_ms_per_q', '')} | {row.get('rss_mb')} | "
                f"{row.get('peak_rss_mb')} |"
            )
    first = figures.get("first_questions")
    if first:
        lines += [
            "",
            f"| answers right after indexing ({first['questions']} questions) | first ms | p50 ms | p95 ms | max ms |",
            "|---|---|---|---|---|",
        ]
        for name, label in (("cold", "answer sentences not embedded yet"), ("warm", "the same questions again")):
            row = first[name]
            lines.append(f"| {label} | {row['first_ms']} | {row['p50_ms']} | {row['p95_ms']} | {row['max_ms']} |")
    return "\n".join(lines) + "\n"
