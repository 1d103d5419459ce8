"""The "Soạn tài liệu" tab: topic and audience in, an editable draft out, DOCX and Markdown downloads."""

from __future__ import annotations

import tempfile
from pathlib import Path

import gradio as gr

from assistant import errors
from assistant.draft.compose import build_draft
from assistant.draft.export import markdown_to_docx, to_markdown
from assistant.ui.render import strings


def build(assistant) -> None:
    s = strings()["draft"]
    with gr.Row():
        topic = gr.Textbox(label=s["topic_label"], placeholder=s["topic_placeholder"], scale=3,
                           elem_id="ntm-draft-topic")
        audience = gr.Radio(list(s["audiences"].items()), value="can-bo", label=s["audience_label"], scale=1)
    rewrite = gr.Checkbox(value=False, label=_llm_label(), visible=assistant.llm_configured,
                          elem_id="ntm-draft-rewrite")  # "viết lại dễ hiểu", only when a model is configured
    run = gr.Button(s["run"], variant="primary", elem_id="ntm-draft-run")
    with gr.Row():
        editor = gr.Textbox(label=s["editor_label"], lines=22, max_lines=40, elem_id="ntm-draft-editor")
        preview = gr.Markdown(elem_id="ntm-draft-preview")
    with gr.Row():
        docx_file = gr.DownloadButton(s["download_docx"], visible=False)
        md_file = gr.DownloadButton(s["download_md"], visible=False)

    def make(text: str, who: str, plain: bool = False):
        if not (text or "").strip():
            raise gr.Error(errors.BadInput("Hãy nhập chủ đề.", "empty topic").vi)
        try:
            draft = build_draft(assistant, text, who)
            if plain and assistant.llm_configured:
                assistant.rewrite_draft(draft)  # a point whose rewrite fails a check stays verbatim
            markdown = to_markdown(draft)
        except errors.AssistantError as exc:
            raise gr.Error(exc.vi) from exc
        return [markdown, markdown] + _files(markdown)

    def edited(markdown: str):
        return [markdown] + _files(markdown)

    run.click(make, [topic, audience, rewrite], [editor, preview, docx_file, md_file], api_name="draft")
    topic.submit(make, [topic, audience, rewrite], [editor, preview, docx_file, md_file], api_name=False)
    editor.blur(edited, editor, [preview, docx_file, md_file], api_name=False)


def _files(markdown: str) -> list:
    """The draft (as edited) written as DOCX and Markdown for download."""
    folder = Path(tempfile.mkdtemp(prefix="ntm-du-thao-"))
    md_path = folder / "du-thao.md"
    md_path.write_text(markdown, encoding="utf-8")
    docx_path = markdown_to_docx(markdown, folder / "du-thao.docx")
    return [gr.update(value=str(docx_path), visible=True), gr.update(value=str(md_path), visible=True)]


def _llm_label() -> str:
    from assistant.answer.generate import prompts

    return prompts()["ui"]["draft"]
