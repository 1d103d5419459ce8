"""``ntm draft``: build an explainer and print it or save it as Markdown, DOCX, a PowerPoint deck or
PNG cards."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from assistant import errors
from assistant.draft import sections
from assistant.draft.compose import build_draft
from assistant.draft.export import to_docx, to_markdown
from assistant.safe_text import terminal


def run(args, assistant) -> int:
    if not args.topic.strip():
        raise errors.BadInput(
            "Chủ đề trống: hãy nêu chủ đề hoặc mã mục (ví dụ: I.3).",
            "empty topic: give a topic or a clause id (e.g. I.3).",
        )
    draft = build_draft(assistant, args.topic, args.audience)
    rejected = assistant.rewrite_draft(draft) if getattr(args, "rewrite", False) else None
    if rejected:
        print(
            f"Giữ nguyên văn {len(rejected)} ý vì bản viết lại đổi số liệu hoặc cơ quan / "
            f"{len(rejected)} point(s) kept verbatim: the rewrite changed a figure or an agency.",
            file=sys.stderr,
        )
    if args.json:
        data = draft.to_json()
        if rejected is not None:
            data["rewrite"] = {"rejected": rejected}
        print(json.dumps(data, ensure_ascii=False))
        return 0
    if args.format == "docx":
        path = args.output or Path(f"du-thao-{_slug(args.topic)}.docx")
        with _saving(path):
            to_docx(draft, path)
        print(f"Đã lưu / saved: {path}")
        return 0
    if args.format == "pptx":
        from assistant.draft.slides import to_pptx

        path = args.output or Path(f"du-thao-{_slug(args.topic)}.pptx")
        with _saving(path):
            to_pptx(sections.from_draft(draft), path)
        print(f"Đã lưu / saved: {path}")
        return 0
    if args.format == "png":
        return _cards(draft, args.output or Path(f"the-{_slug(args.topic)}"))
    text = to_markdown(draft)
    if args.output:
        with _saving(args.output):
            args.output.write_text(text, encoding="utf-8")
        print(f"Đã lưu / saved: {args.output}")
    else:
        print(terminal(text))  # document text: no escape sequence reaches the terminal
    return 0


def _cards(draft, folder: Path) -> int:
    from assistant.draft.cards import write_cards

    if not draft.found:
        print(terminal(to_markdown(draft)))
        return 1
    if not draft.figures:
        raise errors.BadInput(
            "Bản thảo không có số liệu nào để làm thẻ ảnh; hãy chọn chủ đề có chỉ tiêu (ví dụ: I.3).",
            "the draft has no key figures to make cards of; pick a topic with targets (e.g. I.3).",
        )
    with _saving(folder, folder):
        paths = write_cards(sections.from_draft(draft), folder)
    print(f"Đã lưu {len(paths)} thẻ / saved {len(paths)} cards: {folder}")
    return 0


@contextmanager
def _saving(path: Path, folder: Path | None = None) -> Iterator[None]:
    """Make the output's folder if missing; a failure to write there becomes a message naming the path."""
    folder = path.parent if folder is None else folder
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise errors.CannotWrite(path, exc) from exc
    try:
        yield
    except OSError as exc:
        # only a failure to write the output itself: an unreadable font or template is not the person's to fix
        if exc.filename is not None and not Path(exc.filename).resolve().is_relative_to(folder.resolve()):
            raise
        raise errors.CannotWrite(path, exc) from exc


def _slug(text: str) -> str:
    import re

    from assistant.vietnamese import fold

    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")[:40] or "chu-de"
