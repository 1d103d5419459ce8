"""``ntm``: index documents, search, ask with citations, check criteria, facts, drafts, study, serve, evaluate.

Every command takes --index DIR and --corpus DIR (or NTM_INDEX_DIR / NTM_CORPUS_DIR).
Exit codes: 0 success, 2 unusable input, 1 internal failure.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from assistant import errors, logs
from assistant.safe_text import terminal
from assistant.settings import Settings


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line in both languages, exit 2
        print(f"Lỗi tham số: {message} / Usage error: {message}", file=sys.stderr)
        sys.exit(2)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--index", type=Path, help="thư mục chỉ mục / index folder (NTM_INDEX_DIR)")
    parser.add_argument("--corpus", type=Path, help="thư mục văn bản / corpus folder (NTM_CORPUS_DIR)")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")


def _doc_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--doc",
        action="append",
        default=[],
        metavar="ID",
        help="chỉ tìm trong văn bản này (lặp lại được): mã như ntm library in ra, hoặc một phần duy nhất của "
        "tên, số hiệu (123/QĐ-UBND) / only this document (repeatable): its id, or a unique part of its title "
        "or number",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="ntm", description="Trợ lý Nông thôn mới — hỏi đáp có trích dẫn về Nghị quyết.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("index", help="lập chỉ mục văn bản / index documents")
    p.add_argument("paths", nargs="*", type=Path)
    p.add_argument("--rebuild", action="store_true", help="rebuild from scratch")
    p.add_argument(
        "--repair",
        action="store_true",
        help="dựng lại chỉ mục hỏng, dùng lại vectơ còn nguyên / rebuild a damaged index, reusing intact vectors",
    )
    _common(p)

    p = sub.add_parser("library", help="danh sách văn bản (OCR, bảng mã) / indexed documents")
    p.add_argument("--json", action="store_true")
    _common(p)

    p = sub.add_parser("search", help="tìm đoạn văn / ranked passages")
    p.add_argument("query")
    p.add_argument("-k", type=int, default=5)
    p.add_argument("--json", action="store_true")
    _doc_option(p)
    _common(p)

    p = sub.add_parser("ask", help="hỏi đáp có trích dẫn / cited answer")
    p.add_argument("question", nargs="?")
    p.add_argument("--json", action="store_true")
    p.add_argument("--jsonl", type=Path, help="file of {id, question} lines")
    _doc_option(p)
    p.add_argument(
        "--llm",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="mô hình ngôn ngữ viết câu trả lời (đã đối chiếu) / model-worded, checked answer "
        "(default: on when NTM_LLM_URL is set)",
    )
    _common(p)

    p = sub.add_parser("criteria", help="đánh giá tiêu chí / criteria status")
    p.add_argument("figures", type=Path, nargs="?")
    p.add_argument("--set", dest="set_id", default="nq-ha-tinh-2025")
    p.add_argument("--json", action="store_true")
    p.add_argument("--list", action="store_true", help="list criteria sets")
    p.add_argument(
        "--export",
        type=Path,
        action="append",
        default=[],
        help="write results to .md, .csv, .xlsx or .png (repeatable)",
    )
    p.add_argument("--template", action="store_true", help="mẫu số liệu / write a figures template (-o .xlsx|.csv)")
    p.add_argument("--units", type=int, default=1, help="số dòng đơn vị trong mẫu / unit rows in the template")
    p.add_argument("-o", "--output", type=Path, help="tệp mẫu / template file (default: CSV on stdout)")
    _common(p)

    p = sub.add_parser("facts", help="chỉ tiêu và phân công trách nhiệm / targets and responsibilities")
    p.add_argument("--kind", choices=["targets", "baselines", "responsibilities"])
    form = p.add_mutually_exclusive_group()
    form.add_argument("--json", action="store_true")
    form.add_argument("--csv", action="store_true")
    _common(p)

    p = sub.add_parser("draft", help="soạn tài liệu tuyên truyền / explainer draft")
    p.add_argument("topic", help="chủ đề tự do hoặc mã mục (I.3) / free text or a clause id")
    p.add_argument("--audience", choices=["can-bo", "nhan-dan"], default="can-bo")
    p.add_argument(
        "--format",
        choices=["md", "docx", "pptx", "png"],
        default="md",
        help="md, docx, pptx (trình chiếu 16:9 / 16:9 slides) hoặc png (thẻ ảnh cho điện thoại, -o là thư mục / "
        "phone cards, -o is a folder)",
    )
    p.add_argument(
        "--rewrite",
        action="store_true",
        help="viết lại dễ hiểu bằng mô hình ngôn ngữ (đã đối chiếu) / plain-language rewrite (NTM_LLM_URL)",
    )
    p.add_argument("-o", "--output", type=Path, help="tệp kết quả (thư mục với png) / output file, a folder for png")
    p.add_argument("--json", action="store_true")
    _common(p)

    p = sub.add_parser("study", help="tự học: mục lục, trắc nghiệm, tiến bộ / self-study: outline, quiz, history")
    p.add_argument("what", choices=["outline", "quiz", "history"])
    p.add_argument("--n", type=int, default=10, help="số câu hỏi (history: số lượt) / number of questions (rounds)")
    p.add_argument("--name", help="tên người học: lưu câu trả lời / learner's name: answers are kept under it")
    p.add_argument("--review", action="store_true", help="hỏi lại các câu đã sai / ask the missed questions again")
    p.add_argument("--topic", help="chỉ hỏi về chủ đề này / only questions on this topic")
    p.add_argument("--seed", type=int, help="hạt giống ngẫu nhiên / random seed (same seed, same quiz)")
    p.add_argument("--json", action="store_true")
    _common(p)

    p = sub.add_parser("trash", help="thùng rác văn bản đã xóa / removed documents: list, restore, empty")
    p.add_argument("action", nargs="?", choices=["list", "restore", "empty"], default="list")
    p.add_argument("name", nargs="?", help="tên tệp cần khôi phục / file name to restore")
    p.add_argument("--json", action="store_true")
    _common(p)

    p = sub.add_parser("serve", help="mở ứng dụng web / start the web app")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=7860)
    _common(p)

    p = sub.add_parser("eval", help="đánh giá chất lượng / evaluation")
    p.add_argument(
        "what",
        nargs="?",
        choices=[
            "qa",
            "library",
            "beir",
            "bench",
            "criteria-bench",
            "calibrate",
            "load",
            "train-fusion",
            "train-decision",
            "train-documents",
        ],
        default="qa",
    )
    p.add_argument("--chars", type=int, default=250_000, help="load: size of the long document")
    p.add_argument("--users", type=int, default=20, help="load: simultaneous chat users")
    p.add_argument("--per-user", type=int, default=10, help="load: questions each user asks")
    p.add_argument(
        "--questions",
        type=Path,
        action="append",
        help="tệp câu hỏi (lặp lại được) / question file (repeatable); default: dev, user-worded, held-out",
    )
    p.add_argument("--out", type=Path, default=Path("eval/reports"))
    p.add_argument("--name", default="dev")
    p.add_argument(
        "--llm",
        action="store_true",
        help="đánh giá câu trả lời do mô hình viết / evaluate model-worded answers (NTM_LLM_URL)",
    )
    p.add_argument("--corpus-file", "--beir-corpus", dest="beir_corpus", type=Path)
    p.add_argument("--queries", type=Path)
    p.add_argument("--qrels", type=Path)
    p.add_argument("--json", action="store_true")
    p.add_argument(
        "--work",
        type=Path,
        help="train-fusion, train-documents, library: thư mục chỉ mục dùng lại / index folder to build once and reuse",
    )
    p.add_argument(
        "--save",
        action="store_true",
        help="train-fusion, train-decision, train-documents: ghi trọng số vào gói / write the package's weights",
    )
    p.add_argument("--l2", type=float, default=0.05, help="train-decision: L2 penalty / hệ số phạt L2")
    p.add_argument(
        "--library",
        action="store_true",
        help="train-decision: cả câu hỏi về các văn bản khác trong thư viện / also the library's other documents",
    )
    _common(p)
    return parser


def _settings(args) -> Settings:
    overrides = {}
    if getattr(args, "index", None):
        overrides["index_dir"] = args.index
    if getattr(args, "corpus", None):
        overrides["corpus_dir"] = args.corpus
    if getattr(args, "debug", False):
        overrides["debug"] = True
    return Settings(**overrides)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # ``ntm eval beir --corpus C`` names the BEIR corpus file, not the document folder.
    if argv[:2] in (["eval", "beir"], ["eval", "bench"], ["eval", "train-fusion"]):
        argv = argv[:2] + ["--beir-corpus" if a == "--corpus" else a for a in argv[2:]]
    args = build_parser().parse_args(argv)
    settings = _settings(args)
    debug = settings.debug or os.environ.get("NTM_DEBUG") == "1"
    logs.configure("DEBUG" if debug else settings.log_level)
    try:
        if args.command == "criteria":  # needs no index: skip loading the retrieval stack (1 s, 100 MB)
            from assistant.criteria import present

            return present.run(args, settings)
        from assistant import commands

        return commands.run(args, settings)
    except errors.AssistantError as exc:
        if debug:
            raise
        print(terminal(exc.message()), file=sys.stderr)  # a file's name or text may hold escapes
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into head and the like
        sys.stderr.close()
        return 0
    except Exception as exc:  # the edge: no traceback unless asked for
        if debug:
            raise
        print(
            terminal(f"Lỗi nội bộ: {exc} / Internal error: {exc} (chạy lại với --debug / rerun with --debug)"),
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
