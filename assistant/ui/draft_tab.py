"""The "Soạn tài liệu" tab: topic and audience in, the draft shown as it will read, each section with
its own plain-text editor below it (no Markdown to learn; every item keeps its citation), and
DOCX, Markdown, PowerPoint and phone-card (.zip of PNGs) files built from the boxes' text at the
moment of the click."""

from __future__ import annotations

import logging
import tempfile
import time
from pathlib import Path

import gradio as gr

from assistant import errors
from assistant.draft import sections as layout
from assistant.draft.cards import cards_zip
from assistant.draft.compose import build_draft, wording
from assistant.draft.export import markdown_to_docx
from assistant.draft.slides import to_pptx
from assistant.ui.render import strings

log = logging.getLogger(__name__)

# After the file is built, the hidden download button is clicked to hand it to the browser.
DOWNLOAD = "() => { setTimeout(() => document.querySelector('#{id} button, button#{id}, #{id}')?.click(), 100); }"


def build(assistant) -> None:
    s = strings()["draft"]
    with gr.Row():
        topic = gr.Textbox(
            label=s["topic_label"],
            placeholder=s["topic_placeholder"],
            scale=3,
            elem_id="ntm-draft-topic",
            min_width=240,
        )
        audience = gr.Radio(
            list(s["audiences"].items()), value="can-bo", label=s["audience_label"], scale=1, min_width=200
        )
    rewrite = gr.Checkbox(
        value=False, label=_llm_label(), visible=assistant.llm_configured, elem_id="ntm-draft-rewrite"
    )  # "viết lại dễ hiểu", only when a model is configured
    run = gr.Button(s["run"], variant="primary", elem_id="ntm-draft-run")
    docx_file = gr.DownloadButton(visible="hidden", elem_id="ntm-draft-docx-file")
    md_file = gr.DownloadButton(visible="hidden", elem_id="ntm-draft-md-file")
    pptx_file = gr.DownloadButton(visible="hidden", elem_id="ntm-draft-pptx-file")
    cards_file = gr.DownloadButton(visible="hidden", elem_id="ntm-draft-cards-file")
    files = {".docx": docx_file, ".md": md_file, ".pptx": pptx_file, ".zip": cards_file}
    # (build number, the draft's sections as last laid out): a draft built again, though the same, is
    # a new value, so the boxes are laid out afresh and earlier edits are dropped.
    draft = gr.State(None)

    def make(text: str, who: str, plain: bool = False):
        if not (text or "").strip():
            raise gr.Error(errors.BadInput("Hãy nhập chủ đề.", "empty topic").vi)
        try:
            built = build_draft(assistant, text, who)
            if plain and assistant.llm_configured:
                assistant.rewrite_draft(built)  # a point whose rewrite fails a check stays verbatim
        except errors.AssistantError as exc:
            log.warning("draft %r: %s", text[:200], exc.en)  # a topic refused for its length is not logged whole
            raise gr.Error(exc.vi) from exc
        return time.monotonic_ns(), layout.from_draft(built)

    def draft_markdown(topic: str, audience: str = "can-bo") -> str:
        """The draft on a topic in Markdown, as "Tải Markdown" gives it before any edit."""
        return layout.to_markdown(make(topic, audience)[1])

    gr.api(draft_markdown, api_name="draft")  # for programs: the boxes' state is of no use to them
    run.click(make, [topic, audience, rewrite], draft, api_name=False)
    topic.submit(make, [topic, audience, rewrite], draft, api_name=False)

    with gr.Column(elem_id="ntm-draft-preview"):

        @gr.render(inputs=draft)
        def show(current):
            if current is None:
                return
            _editor(current[1], draft, files, s)


def _editor(current: layout.Sections, draft: gr.State, files: dict, s: dict) -> None:
    """The draft as it reads, each part followed by a closed "Sửa" panel of plain-text boxes."""
    if current.empty:
        gr.Markdown(layout.to_markdown(current))
        return
    deck = wording()["deck"]
    with gr.Row(elem_classes="ntm-draft-downloads"):
        docx_button = gr.Button(s["download_docx"], elem_id="ntm-draft-docx", min_width=120)
        md_button = gr.Button(s["download_md"], elem_id="ntm-draft-md", min_width=120)
        pptx_button = gr.Button(deck["download_pptx"], elem_id="ntm-draft-pptx", min_width=120)
        cards_button = gr.Button(deck["download_cards"], elem_id="ntm-draft-cards", min_width=120)
    gr.Markdown(s["editor_help"], elem_classes="ntm-draft-help")
    boxes: list[gr.Textbox] = []
    head = gr.Markdown(layout.head_markdown(current), elem_id="ntm-draft-head")
    with gr.Accordion(s["edit_head"], open=False, elem_classes="ntm-draft-edit", elem_id="ntm-draft-edit-head"):
        boxes.append(
            gr.Textbox(
                current.title, label=s["title_label"], max_lines=3, interactive=True, elem_classes="ntm-draft-box"
            )
        )
        boxes.append(
            gr.Textbox(
                current.intro,
                label=s["intro_label"],
                lines=2,
                max_lines=8,
                interactive=True,
                elem_classes="ntm-draft-box",
            )
        )
    previews, tools = [head], []
    numbers = current.numbers()
    for section in current.sections:
        previews.append(
            gr.Markdown(layout.section_markdown(current, section, numbers), elem_id=f"ntm-draft-part-{section.key}")
        )
        with gr.Accordion(
            s["edit_section"].format(heading=section.heading),
            open=section.key == current.open,
            elem_classes="ntm-draft-edit",
            elem_id=f"ntm-draft-edit-{section.key}",
        ):
            for index, item in enumerate(section.items):
                with gr.Group(elem_classes="ntm-draft-item"):
                    for k, (label, text) in enumerate(zip(s["fields"][section.key], item.fields)):
                        info = (current.label(item) or s["no_source"]) if k == 0 else None
                        boxes.append(
                            gr.Textbox(
                                text,
                                label=label.format(n=index + 1),
                                info=info,
                                max_lines=12,
                                lines=2 if len(text) > 60 else 1,
                                interactive=True,
                                elem_classes="ntm-draft-box",
                            )
                        )
                    with gr.Row(elem_classes="ntm-draft-tools"):
                        for op, name in ((("move", -1), "up"), (("move", 1), "down"), (("remove", 0), "remove")):
                            button = gr.Button(
                                s[name], size="sm", min_width=0, scale=0, elem_classes=f"ntm-draft-{name}"
                            )
                            tools.append((button, (op[0], section.key, index, op[1])))
            tools.append((gr.Button(s["add"], size="sm", elem_classes="ntm-draft-add"), ("add", section.key, 0, 0)))
    gr.Markdown(layout.notes_markdown(current, numbers), elem_id="ntm-draft-notes")

    def edited(texts) -> layout.Sections:
        return current.with_texts(list(texts))

    def refresh(*texts):
        now = edited(texts)
        return [layout.head_markdown(now)] + [layout.section_markdown(now, part, numbers) for part in now.sections]

    for box in boxes:
        box.input(refresh, boxes, previews, api_name=False, trigger_mode="always_last", show_progress="hidden")
    for button, (op, key, index, step) in tools:
        button.click(_change(edited, op, key, index, step), [draft] + boxes, draft, api_name=False)

    def as_file(suffix: str, *texts) -> str:
        """The boxes' text as it is now, written to a file for download."""
        now = edited(texts)
        path = Path(tempfile.mkdtemp(prefix="ntm-du-thao-")) / f"du-thao{suffix}"
        if suffix == ".pptx":
            return str(to_pptx(now, path))
        if suffix == ".zip":
            if not any(item.fields[1].strip() for part in now.sections if part.key == "figures" for item in part.items):
                raise gr.Error(deck["no_figures"])
            return str(cards_zip(now, path.with_name("the-so-lieu.zip")))
        text = layout.to_markdown(now)
        if suffix == ".docx":
            return str(markdown_to_docx(text, path))
        path.write_text(text, encoding="utf-8")
        return str(path)

    buttons = {".docx": docx_button, ".md": md_button, ".pptx": pptx_button, ".zip": cards_button}
    for suffix, button in buttons.items():
        target = files[suffix]
        button.click(lambda *texts, suffix=suffix: as_file(suffix, *texts), boxes, target, api_name=False).then(
            None, js=DOWNLOAD.replace("{id}", target.elem_id)
        )


def _change(edited, op: str, key: str, index: int, step: int):
    """The handler of an item's button: the current texts kept, then the item added, moved or removed."""

    def change(shown, *texts):
        now = edited(texts)
        if op == "add":
            return shown[0], layout.add_item(now, key)
        if op == "remove":
            return shown[0], layout.remove_item(now, key, index)
        return shown[0], layout.move_item(now, key, index, step)

    return change


def _llm_label() -> str:
    from assistant.answer.generate import prompts

    return prompts()["ui"]["draft"]
