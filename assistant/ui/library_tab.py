"""The "Văn bản" tab: the indexed documents; adding and removing documents for administrators."""

from __future__ import annotations

import hmac
from pathlib import Path

import gradio as gr

from assistant import errors
from assistant.ingest.loaders import SUPPORTED
from assistant.ui.render import strings


def build(assistant) -> None:
    s = strings()["library"]
    table = gr.Dataframe(_rows(assistant), headers=s["columns"], interactive=False, wrap=True,
                         elem_id="ntm-library")
    enabled = bool(assistant.settings.admin_password)
    if not enabled:
        gr.Markdown(s["disabled"])
    password = gr.Textbox(label=s["admin_label"], type="password", interactive=enabled)
    files = gr.File(label=s["upload_label"], file_count="multiple", file_types=list(SUPPORTED),
                    interactive=enabled)
    upload = gr.Button(s["upload"], variant="primary", interactive=enabled)
    with gr.Row():
        chosen = gr.Dropdown(_ids(assistant), label=s["remove_label"], interactive=enabled)
        remove = gr.Button(s["remove"], variant="stop", interactive=enabled)
    status = gr.Markdown(elem_id="ntm-library-status")

    def check(given: str) -> None:
        expected = assistant.settings.admin_password or ""
        if not expected or not hmac.compare_digest((given or "").encode(), expected.encode()):
            raise gr.Error(s["wrong_password"])

    def add(given, uploaded, progress=gr.Progress(track_tqdm=True)):
        check(given)
        if not uploaded:
            raise gr.Error(s["upload_label"])
        try:
            report = assistant.add_documents([Path(f) for f in uploaded])
        except errors.AssistantError as exc:
            raise gr.Error(exc.vi) from exc
        lines = [s["added"].format(added=len(report.added), updated=len(report.updated), chunks=report.chunks)]
        lines += [s["failed"].format(message=f.vi) for f in report.failed]
        return _rows(assistant), gr.update(choices=_ids(assistant)), "\n\n".join(lines)

    def drop(given, doc_id):
        check(given)
        if not doc_id:
            raise gr.Error(s["remove_label"])
        try:
            report = assistant.remove_document(doc_id)
        except errors.AssistantError as exc:
            raise gr.Error(exc.vi) from exc
        return _rows(assistant), gr.update(choices=_ids(assistant), value=None), \
            s["removed"].format(doc_id=doc_id, chunks=report.chunks)

    upload.click(add, [password, files], [table, chosen, status], api_name=False)
    remove.click(drop, [password, chosen], [table, chosen, status], api_name=False)


def _rows(assistant) -> list[list]:
    return [[r["doc_id"], r["title"], r["type"], r["number"], r["date"], r["passages"], r["note"]]
            for r in assistant.library()]


def _ids(assistant) -> list[str]:
    return [d.doc_id for d in assistant.documents()]
