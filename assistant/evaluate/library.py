"""``ntm eval library``: the resolution alone, and in a library such as a commune keeps.

The library is the corpus (the resolution) beside six whole laws a commune keeps (environment
protection, crops, livestock, tourism, education, youth: ALQAC's article texts, read from the shared
benchmark folder at run time and written as one file per law with its administrative header) and the
NTM-field documents of ``eval/library/`` (a commune plan, a district decision, a provincial guidance,
written for this benchmark in the form real ones take). It is indexed once into a work folder and
reused while its files are unchanged.

Every question file is asked of both indexes; the report puts them side by side: R@5, MRR, answer
facts, false answers, and how many answers to a resolution question quote another document. The
library's own questions (``eval/library/questions.jsonl``, each naming its document) are asked only
in the library, with the share of answers quoting the right document. ALQAC's dev questions on the
six laws measure retrieval of the law article (the passage of the right law and ``Điều``).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from dataclasses import dataclass
from pathlib import Path

from assistant import errors
from assistant.evaluate.metrics import percentile, rank_figures, read_jsonl
from assistant.evaluate.qa import QuestionResult, evaluate_questions, summarise
from assistant.settings import Settings

ALQAC = Path("../shared/bench/alqac")
OWN_DOCUMENTS = Path("eval/library")
LIBRARY_QUESTIONS = OWN_DOCUMENTS / "questions.jsonl"
# A second writer's questions over the whole library, never looked at while the answer step changed.
HELDOUT_QUESTIONS = OWN_DOCUMENTS / "heldout" / "questions.jsonl"
# Later writers' questions over the whole library (sessions 19–24), design files since they arrived.
DESIGN_QUESTIONS = {
    "library, session 19 writer": OWN_DOCUMENTS / "design_s19" / "questions.jsonl",
    "library, session 20 writer": OWN_DOCUMENTS / "design_s20" / "questions.jsonl",
    "library, session 21 writer": OWN_DOCUMENTS / "design_s21" / "questions.jsonl",
    "library, session 22 writer": OWN_DOCUMENTS / "design_s22" / "questions.jsonl",
    "library, session 23 writer": OWN_DOCUMENTS / "design_s23" / "questions.jsonl",
    "library, session 24 writer": OWN_DOCUMENTS / "design_s24" / "questions.jsonl",
}
DEFAULT_WORK = Path("~/.cache/tro-ly-ntm/library-bench").expanduser()

# The laws a commune keeps, with the number and date printed in their header (public facts).
LAWS = {
    "Luật Bảo vệ môi trường": ("72/2020/QH14", "17 tháng 11 năm 2020"),
    "Luật Trồng trọt": ("31/2018/QH14", "19 tháng 11 năm 2018"),
    "Luật Chăn nuôi": ("32/2018/QH14", "19 tháng 11 năm 2018"),
    "Luật Du lịch": ("09/2017/QH14", "19 tháng 6 năm 2017"),
    "Luật Giáo dục": ("43/2019/QH14", "14 tháng 6 năm 2019"),
    "Luật Thanh niên": ("57/2020/QH14", "16 tháng 6 năm 2020"),
}


def law_file_name(law: str) -> str:
    from assistant.ingest.document import doc_id_for

    return doc_id_for(Path(f"{law}.txt")) + ".txt"


def law_texts(corpus: Path) -> dict[str, str]:
    """Each law of ``LAWS`` as one document: its header, then "Điều N. <title>" and the body of each
    article in order."""
    articles: dict[str, list[tuple[int, str]]] = {law: [] for law in LAWS}
    for row in read_jsonl(corpus):
        if row["law_id"] in articles:
            articles[row["law_id"]].append((int(row["article_id"]), row["text"]))
    texts = {}
    for law, items in articles.items():
        if not items:
            continue
        number, date = LAWS[law]
        name = law.removeprefix("Luật ").upper()
        lines = [
            "QUỐC HỘI",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            f"Luật số: {number}",
            f"Hà Nội, ngày {date}",
            "",
            "LUẬT",
            name,
            "",
        ]
        for n, text in sorted(items):
            title, _, body = text.partition("\n\n")
            lines += [f"Điều {n}. {title.strip()}", body.strip(), ""]
        texts[law] = "\n".join(lines)
    return texts


def build_corpus(settings: Settings, folder: Path, alqac: Path = ALQAC) -> list[Path]:
    """Fill ``folder`` with the library's files (only those that changed are rewritten, so the index
    of an earlier run stays valid); returns them."""
    folder.mkdir(parents=True, exist_ok=True)
    wanted: dict[str, bytes] = {}
    for source in sorted(Path(settings.corpus_dir).iterdir()):
        if source.is_file() and not source.name.startswith("."):
            wanted[source.name] = source.read_bytes()
    if not (alqac / "corpus.jsonl").exists():
        raise errors.BadInput(f"Không tìm thấy bộ luật ALQAC ở {alqac}.", f"the ALQAC laws were not found in {alqac}.")
    for law, text in law_texts(alqac / "corpus.jsonl").items():
        wanted[law_file_name(law)] = text.encode("utf-8")
    for source in sorted(OWN_DOCUMENTS.glob("*.txt")):
        wanted[source.name] = source.read_bytes()
    for old in folder.iterdir():
        if old.is_file() and old.name not in wanted:
            old.unlink()
    for name, data in wanted.items():
        path = folder / name
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)
    return [folder / name for name in wanted]


def _doc_ids(assistant, stems: set[str]) -> dict[str, str]:
    """The index's document id of each file stem."""
    return {Path(d.source).stem: d.doc_id for d in assistant.documents() if Path(d.source).stem in stems}


@dataclass
class SetFigures:
    """One question file asked of one index."""

    summary: dict
    other_document: int  # answers quoting a document the question is not about
    results: list[QuestionResult]
    # false answers quoting only other documents than the question's own: each such answer names
    # the document it quotes ("Theo Kế hoạch số 45/KH-UBND …"), which may well say it (the labels
    # say only that the question's own document does not)
    answered_elsewhere: int = 0


def _ask(assistant, questions: list[dict], home: dict[str, str], default_doc: str | None) -> SetFigures:
    """Ask every question; count the answers that quote a document other than the question's own
    (``doc`` of the question, else ``default_doc``: the resolution)."""
    results = evaluate_questions(assistant, questions)
    other = elsewhere = 0
    for q, r in zip(questions, results, strict=True):
        own = home.get(q.get("doc") or "", default_doc)
        if own is None or r.status != "answered":
            continue
        if not q.get("answerable", True):
            elsewhere += own not in r.documents
        elif any(doc != own for doc in r.documents):
            other += 1
    return SetFigures(summarise(results), other, results, elsewhere)


def _law_retrieval(assistant, alqac: Path, law_ids: dict[str, str]) -> dict:
    """ALQAC dev questions whose gold article is in one of the laws: rank of the first passage of
    that law whose clause names the article ("Điều 79")."""
    queries = {q["_id"]: q["text"] for q in read_jsonl(alqac / "queries_dev.jsonl")}
    gold: dict[str, list[tuple[str, str]]] = {}
    for line in (alqac / "qrels_dev.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        qid, cid, _ = line.split("\t")
        law, _, article = cid.partition("|")
        if law in law_ids and qid in queries:
            gold.setdefault(qid, []).append((law_ids[law], article))
    ranks, ms = [], []
    for qid, wanted in gold.items():
        started = time.perf_counter()
        passages = assistant.search(queries[qid], k=10)
        ms.append((time.perf_counter() - started) * 1000)
        hit = next(
            (
                p.rank
                for p in passages
                if any(p.doc_id == doc and re.search(rf"\bĐiều {article}\b", p.clause) for doc, article in wanted)
            ),
            None,
        )
        ranks.append(([hit] if hit else [], 1))
    figures = rank_figures(ranks, at=(1, 5), digits=3, empty=None)
    return {"n": len(gold), **figures, "search_ms_p95": round(percentile(ms, 95), 1) if ms else None}


def open_library(settings: Settings, work: Path, progress: bool = True):
    """(the resolution alone, the library) as two assistants sharing one embedder: the library is
    written to ``work``/corpus and indexed in ``work``/index (only what changed), both warmed up."""
    from assistant.index.store import IndexFiles
    from assistant.service import Assistant

    alone = Assistant(settings)
    if not IndexFiles(settings.index_dir).exists():
        alone.index(progress=False)
    corpus = work / "corpus"
    build_corpus(settings, corpus)
    library_settings = Settings(
        **{**settings.model_dump(), "index_dir": work / "index", "corpus_dir": corpus, "chroma_url": None}
    )
    library = Assistant(library_settings, embedder=alone.embedder)
    print(f"Thư viện / library: {corpus} → {work / 'index'}", flush=True)
    library.index([corpus], progress=progress)
    alone.search("khởi động")
    library.search("khởi động")
    return alone, library


def library_documents(library, settings: Settings) -> dict[str, str]:
    """The library's document id of each file stem: the corpus's, the laws' and our own documents'."""
    stems = {p.stem for p in Path(settings.corpus_dir).glob("*.txt")}
    stems |= {p.stem for p in OWN_DOCUMENTS.glob("*.txt")} | {Path(law_file_name(law)).stem for law in LAWS}
    return _doc_ids(library, stems)


def run(args, settings: Settings) -> int:
    from assistant.evaluate.report import DEFAULT_QUESTIONS

    work = Path(args.work or DEFAULT_WORK)
    resolution_files = args.questions or [
        p
        for p in (
            next((p for p in DEFAULT_QUESTIONS if p.exists()), None),
            Path("eval/user_questions.jsonl"),
            Path("eval/heldout_user_questions.jsonl"),
            Path("eval/writers/trainee.jsonl"),
        )
        if p is not None and p.exists()
    ]
    started = time.perf_counter()
    alone, library = open_library(settings, work, progress=not args.json)
    index_s = time.perf_counter() - started
    resolution_stems = {p.stem for p in Path(settings.corpus_dir).glob("*.txt")}
    alone_ids = _doc_ids(alone, resolution_stems)
    library_ids = library_documents(library, settings)
    resolution_alone = next(iter(alone_ids.values()), None)
    resolution_library = next((library_ids[s] for s in resolution_stems if s in library_ids), None)

    stamp = dt.date.today().isoformat()
    data: dict = {"date": stamp, "library": {"documents": len(library.documents()), "index_s": round(index_s, 1)}}
    data["library"]["passages"] = len(library.chunks())
    rows = []
    for path in resolution_files:
        questions = read_jsonl(path)
        a = _ask(alone, questions, alone_ids, resolution_alone)
        b = _ask(library, questions, library_ids, resolution_library)
        rows.append((Path(path).stem, a, b))
        data[Path(path).stem] = {"alone": _json(a), "library": _json(b)}
    for path, name in (
        (LIBRARY_QUESTIONS, "library documents"),
        *((path, name) for name, path in DESIGN_QUESTIONS.items()),
        (HELDOUT_QUESTIONS, "library, held out"),
    ):
        if path.exists():
            b = _ask(library, read_jsonl(path), library_ids, None)
            rows.append((f"{path.parent.name}/{path.stem} ({name})", None, b))
            data[f"{path.parent.name}/{path.stem}"] = {"library": _json(b)}
    laws = _law_retrieval(library, ALQAC, {law: library_ids.get(Path(law_file_name(law)).stem, "") for law in LAWS})
    data["alqac_law_articles"] = laws

    text = _report(stamp, data, rows, laws, library.library())
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    base = out / f"{stamp}-library"
    base.with_suffix(".json").write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    base.with_suffix(".md").write_text(text, encoding="utf-8")
    print(text)
    print(f"Report: {base}.md / .json")
    return 0


def _json(figures: SetFigures) -> dict:
    return {
        "summary": figures.summary["overall"],
        "other_document": figures.other_document,
        "answered_elsewhere": figures.answered_elsewhere,
        "results": [r.__dict__ for r in figures.results],
    }


def _cells(figures: SetFigures | None) -> list[str]:
    if figures is None:
        return ["—"] * 6
    o = figures.summary["overall"]

    def show(value):
        return "" if value is None else f"{value:.2f}" if isinstance(value, float) else str(value)

    return [
        show(o["recall@5"]),
        show(o["mrr@10"]),
        show(o["answer_facts"]),
        show(o["false_answer"]) + (f" ({figures.answered_elsewhere} elsewhere)" if figures.answered_elsewhere else ""),
        str(figures.other_document),
        show(o["latency_ms_p95"]),
    ]


def _report(stamp: str, data: dict, rows, laws: dict, documents: list[dict]) -> str:
    head = ["R@5", "MRR", "facts", "false answers", "quotes another doc", "p95 ms"]
    lines = [
        f"# The resolution alone and in a library ({stamp})",
        "",
        f"Library: {data['library']['documents']} documents, {data['library']['passages']} passages "
        f"(indexed or checked in {data['library']['index_s']} s).",
        "",
        "| question set | n | alone: " + " / ".join(head) + " | library: " + " / ".join(head) + " |",
        "|---|---|---|---|",
    ]
    for name, a, b in rows:
        n = b.summary["overall"]["n"]
        lines.append(f"| {name} | {n} | " + " / ".join(_cells(a)) + " | " + " / ".join(_cells(b)) + " |")
    lines += [
        "",
        f"ALQAC dev questions on the six laws (the right law's article retrieved): n {laws['n']}, "
        f"R@1 {laws['recall@1']}, R@5 {laws['recall@5']}, MRR {laws['mrr@10']}, "
        f"search p95 {laws['search_ms_p95']} ms.",
        "",
        'False answers: answers to questions the question\'s own document does not answer; "(n elsewhere)": '
        "n of them quote only other documents, under their names (a commune's plan may well state it).",
        "",
        "## Documents as the library reads them",
        "",
        "| document | type | number | date | title |",
        "|---|---|---|---|---|",
    ]
    for doc in documents:
        lines.append(f"| {doc['doc_id']} | {doc['type']} | {doc['number']} | {doc['date']} | {doc['title']} |")
    return "\n".join(lines) + "\n"
