"""The "Soạn tài liệu" tab: topic and audience in, a draft shown as it will read, editable, and
DOCX/Markdown files built from the editor's text at the moment of the click."""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

import gradio as gr

from assistant import errors
from assistant.draft.compose import build_draft
from assistant.draft.export import markdown_to_docx, to_markdown
from assistant.ui.render import strings

log = logging.getLogger(__name__)

# After the file is built, the hidden download button is clicked to hand it to the browser.
DOWNLOAD = "() => { setTimeout(() => document.querySelector('#{id} button, button#{id}, #{id}')?.click(), 100); }"


def build(assistant) -> None:
    s = strings()["draft"]
    with gr.Row():
        topic = gr.Textbox(label=s["topic_label"], placeholder=s["topic_placeholder"], scale=3,
                           elem_id="ntm-draft-topic", min_width=240)
        audience = gr.Radio(list(s["audiences"].items()), value="can-bo", label=s["audience_label"], scale=1,
                            min_width=200)
    rewrite = gr.Checkbox(value=False, label=_llm_label(), visible=assistant.llm_configured,
                          elem_id="ntm-draft-rewrite")  # "viết lại dễ hiểu", only when a model is configured
    run = gr.Button(s["run"], variant="primary", elem_id="ntm-draft-run")
    with gr.Row():
        docx_button = gr.Button(s["download_docx"], elem_id="ntm-draft-docx", interactive=False)
        md_button = gr.Button(s["download_md"], elem_id="ntm-draft-md", interactive=False)
    docx_file = gr.DownloadButton(visible="hidden", elem_id="ntm-draft-docx-file")
    md_file = gr.DownloadButton(visible="hidden", elem_id="ntm-draft-md-file")
    preview = gr.Markdown(elem_id="ntm-draft-preview")
    with gr.Accordion(s["editor_label"], open=False, elem_id="ntm-draft-edit"):
        gr.Markdown(s["editor_help"])
        editor = gr.Textbox(show_label=False, lines=22, max_lines=60, elem_id="ntm-draft-editor")

    def make(text: str, who: str, plain: bool = False):
        if not (text or "").strip():
            raise gr.Error(errors.BadInput("Hãy nhập chủ đề.", "empty topic").vi)
        try:
            draft = build_draft(assistant, text, who)
            if plain and assistant.llm_configured:
                assistant.rewrite_draft(draft)  # a point whose rewrite fails a check stays verbatim
            markdown = to_markdown(draft)
        except errors.AssistantError as exc:
            log.warning("draft %r: %s", text, exc.en)
            raise gr.Error(exc.vi) from exc
        return markdown, markdown, gr.update(interactive=True), gr.update(interactive=True)

    def as_file(markdown: str, suffix: str) -> str:
        """The editor's text as it is now, written to a file for download."""
        if not (markdown or "").strip():
            raise gr.Error(s["nothing"])
        folder = Path(tempfile.mkdtemp(prefix="ntm-du-thao-"))
        path = folder / f"du-thao{suffix}"
        if suffix == ".docx":
            return str(markdown_to_docx(markdown, path))
        path.write_text(markdown, encoding="utf-8")
        return str(path)

    outputs = [editor, preview, docx_button, md_button]
    run.click(make, [topic, audience, rewrite], outputs, api_name="draft")
    topic.submit(make, [topic, audience, rewrite], outputs, api_name=False)
    editor.input(lambda markdown: markdown, editor, preview, api_name=False, trigger_mode="always_last",
                 show_progress="hidden")
    docx_button.click(lambda m: as_file(m, ".docx"), editor, docx_file, api_name=False).then(
        None, js=DOWNLOAD.replace("{id}", "ntm-draft-docx-file"))
    md_button.click(lambda m: as_file(m, ".md"), editor, md_file, api_name=False).then(
        None, js=DOWNLOAD.replace("{id}", "ntm-draft-md-file"))


def _llm_label() -> str:
    from assistant.answer.generate import prompts

    return prompts()["ui"]["draft"]
