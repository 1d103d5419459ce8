"""``ntm draft``: build an explainer and print it or save it as Markdown or DOCX."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from assistant import errors
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
        to_docx(draft, path)
        print(f"Đã lưu / saved: {path}")
        return 0
    text = to_markdown(draft)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
        print(f"Đã lưu / saved: {args.output}")
    else:
        print(terminal(text))  # document text: no escape sequence reaches the terminal
    return 0


def _slug(text: str) -> str:
    import re

    from assistant.vietnamese import fold

    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")[:40] or "chu-de"
