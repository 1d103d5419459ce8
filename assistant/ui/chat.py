"""The "Hỏi đáp" tab: streamed cited answers, clickable sources, the cited passage highlighted."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import asdict

import gradio as gr

from assistant import errors
from assistant.ui.render import (
    answer_markdown,
    answer_text,
    citation_choices,
    criteria_markdown,
    criteria_text,
    failed,
    md_escape,
    passage_html,
    shorten,
    strings,
)

log = logging.getLogger(__name__)

# Scrolls the highlighted quote into view inside the passage panel, and the panel into view on a phone.
SCROLL_TO_QUOTE = """() => { setTimeout(() => {
  const mark = document.querySelector('#ntm-panel mark.ntm-quote');
  if (mark) mark.scrollIntoView({block: 'center', behavior: 'instant'});
}, 50); }"""
COPY = "(text) => { window.ntmCopy(text); }"


ALL = "*"  # the selector's "Tất cả văn bản": no document's id


def _scopes(assistant) -> list[tuple[str, str]]:
    """The choices of "Hỏi trong:": every document, then each indexed document by its cited name."""
    s = strings()["chat"]
    return [(s["scope_all"], ALL)] + [(d.cited_as, d.doc_id) for d in assistant.documents()]


def _empty() -> dict:
    return {"citations": [], "earlier": [], "choices": [], "plain": [], "turn": 0}


def build(assistant):
    """The tab; returns what a page load refreshes (the documents of "Hỏi trong:")."""
    s = strings()["chat"]
    state = gr.State(_empty())
    with gr.Row(elem_id="ntm-chat-row"):
        with gr.Column(scale=3, min_width=300):
            scope = gr.Dropdown(
                choices=_scopes(assistant), value=ALL, label=s["scope_label"], elem_id="ntm-scope", min_width=200
            )  # one document, or all of them (the default)
            chatbot = gr.Chatbot(height=480, buttons=[], elem_id="ntm-chat", feedback_options=None, show_label=False)
            with gr.Row():
                question = gr.Textbox(
                    placeholder=s["placeholder"],
                    show_label=False,
                    scale=5,
                    elem_id="ntm-question",
                    max_lines=4,
                    min_width=200,
                    max_length=assistant.settings.max_question_chars,  # the browser stops there; respond checks
                )
                send = gr.Button(s["send"], variant="primary", scale=1, elem_id="ntm-send", min_width=80)
            use_llm = gr.Checkbox(
                value=True, label=_llm_label("chat"), visible=assistant.llm_configured, elem_id="ntm-llm"
            )  # only when a model server is configured
            with gr.Row():
                copy_last = gr.Button(s["copy_last"], size="sm", elem_id="ntm-copy-last")
                copy_all = gr.Button(s["copy_all"], size="sm", elem_id="ntm-copy-all")
                clear = gr.Button(s["clear"], size="sm")
            last_text = gr.Textbox(visible="hidden", elem_id="ntm-copy-text")
            all_text = gr.Textbox(visible="hidden", elem_id="ntm-copy-all-text")
            gr.Examples([[e] for e in s["examples"]], inputs=question, label=s["examples_label"])
        with gr.Column(scale=2, min_width=300):
            citations = gr.Radio(choices=[], label=s["citations_label"], elem_id="ntm-citations")
            gr.Markdown(f"### {s['panel_title']}")
            panel = gr.HTML(f"<p>{s['panel_empty']}</p>", elem_id="ntm-panel")

    def respond(text: str, history: list, memory: dict, llm: bool = False, within: str | None = ALL):
        """Stream the answer into the conversation (from the document chosen in "Hỏi trong:", when
        one is); add its sources to the list at the end."""
        history = list(history or [])
        docs = [within] if within and within != ALL else []
        text = (text or "").strip()
        if not text:
            yield history, gr.update(), memory, "", gr.update(), gr.update()
            return
        try:
            assistant.check_question(text)  # before anything reads it: a pasted book is refused at once
        except errors.AssistantError as exc:
            history += [
                {"role": "user", "content": md_escape(shorten(text[:400], 200))},
                {"role": "assistant", "content": failed(md_escape(exc.vi))},
            ]
            yield history, gr.update(), memory, gr.update(), gr.update(), gr.update()  # the text stays, to shorten
            return
        history.append({"role": "user", "content": md_escape(text)})
        if llm and assistant.llm_configured and assistant.check_figures(text) is None:
            yield from _respond_with_model(assistant, text, history, memory, docs)
            return
        try:
            reply, cited, copied = _reply(assistant, text, memory["earlier"], docs)
        except errors.AssistantError as exc:
            log.warning("chat: %r answered with a message: %s", text, exc.en)
            reply, cited, copied = failed(md_escape(exc.vi)), [], exc.vi
        except Exception:  # the edge: a friendly message, never a traceback
            log.exception("chat: %r failed; the user was shown the generic message", text)
            reply, cited, copied = failed(strings()["errors"]["generic"]), [], strings()["errors"]["generic"]
        memory = _remember(memory, text, cited, copied)
        history.append({"role": "assistant", "content": ""})
        words = reply.split(" ")
        step = max(1, len(words) // 8)
        for end in range(step, len(words) + step, step):
            history[-1]["content"] = " ".join(words[:end])
            yield history, gr.update(), memory, "", gr.update(), gr.update()
        conversation = "\n\n".join(memory["plain"])
        yield history, gr.update(choices=memory["choices"], value=None), memory, "", copied, conversation

    def show(choice: str | None, memory: dict) -> str:
        turn, _, n = str(choice or "").partition(":")
        cited = next((c for c in memory["citations"] if str(c["turn"]) == turn and str(c["n"]) == n), None)
        if cited is None:
            return f"<p>{s['panel_empty']}</p>"
        document = next((d for d in assistant.documents() if d.doc_id == cited["doc_id"]), None)
        text = document.clause_text(cited["clause"]) if document else cited["quote"]
        return passage_html(cited["doc_title"], cited["label"], text, cited["quote"])

    def reset():
        return [], gr.update(choices=[], value=None), _empty(), f"<p>{s['panel_empty']}</p>", "", ""

    for trigger in (send.click, question.submit):
        trigger(
            respond,
            [question, chatbot, state, use_llm, scope],
            [chatbot, citations, state, question, last_text, all_text],
            api_name=False,
        )
    citations.change(show, [citations, state], panel, api_name=False).then(None, js=SCROLL_TO_QUOTE)
    clear.click(reset, None, [chatbot, citations, state, panel, last_text, all_text], api_name=False)
    copy_last.click(None, last_text, None, js=COPY)
    copy_all.click(None, all_text, None, js=COPY)

    # A plain endpoint for scripts and gradio_client: the cited answer as the CLI's JSON.
    api_question = gr.Textbox(visible=False)
    api_answer = gr.JSON(visible=False)
    api_question.submit(lambda q: _answer_json(assistant, q), api_question, api_answer, api_name="ask")

    def documents(within: str | None = ALL):
        """The selector with the documents indexed now; the choice kept while its document is."""
        choices = _scopes(assistant)
        return gr.update(choices=choices, value=within if within in {v for _, v in choices} else ALL)

    return documents, scope


def _reply(assistant, text: str, earlier: list[str], docs: Sequence[str] = ()):
    """The message for a question (a criteria table when it gives figures, else a cited answer from
    the documents ``docs`` names, or all), its citations, and the same reply as plain text with its
    sources, for copying."""
    checked = assistant.check_figures(text)
    if checked is not None:
        return criteria_markdown(checked), [], criteria_text(checked)
    answer, _ = assistant.ask_in_conversation(text, earlier, llm=False, docs=docs)  # the model: _respond_with_model
    return answer_markdown(answer), answer.citations, answer_text(answer)


def _answer_json(assistant, question: str) -> dict:
    try:
        answer, passages = assistant.ask(question, hits=5)
    except errors.AssistantError as exc:
        if isinstance(exc, errors.QuestionTooLong):  # not echoed back nor logged whole
            question = shorten(question[:400], 200)
        log.warning("api ask: %r answered with an error: %s", question, exc.en)
        return {"question": question, "found": False, "answer": "", "citations": [], "error": exc.vi}
    return answer.to_json(passages)


def _llm_label(where: str) -> str:
    from assistant.answer.generate import prompts

    return prompts()["ui"][where]


def _respond_with_model(assistant, text: str, history: list, memory: dict, docs: Sequence[str] = ()):
    """The model's answer as it is written, one checked sentence at a time: a sentence appears only
    once it has passed its checks, so no unchecked sentence is ever on screen; the final message adds
    the verbatim quotes (or, when the model's answer did not hold, is the extractive answer)."""
    from assistant.answer.model import Answer

    history.append({"role": "assistant", "content": "…"})
    final = None
    try:
        for item in assistant.ask_stream(text, memory["earlier"], llm=True, docs=docs):
            if isinstance(item, Answer):
                final = item
                break
            history[-1]["content"] = md_escape(item) + " …"
            yield history, gr.update(), memory, "", gr.update(), gr.update()
    except errors.AssistantError as exc:
        history[-1]["content"] = failed(md_escape(exc.vi))
    except Exception:  # the edge: a friendly message, never a traceback
        history[-1]["content"] = failed(strings()["errors"]["generic"])
    cited = final.citations if final else []
    copied = history[-1]["content"]
    if final is not None:
        note = f"*{md_escape(final.llm['note'])}*" if final.llm.get("note") else ""
        written = final.mode == "llm" and not (final.parts or final.notes)  # else answer_markdown shows it
        head = [md_escape(final.answer), note] if written else [note]
        history[-1]["content"] = "\n\n".join([p for p in head if p] + [answer_markdown(final)])
        said = [final.answer if written else "", final.llm.get("note", "")]  # what the screen shows above
        copied = "\n\n".join([p for p in said if p] + [answer_text(final)])
    memory = _remember(memory, text, cited, copied)
    yield history, gr.update(choices=memory["choices"], value=None), memory, "", copied, "\n\n".join(memory["plain"])


def _remember(memory: dict, text: str, cited, copied: str) -> dict:
    """The conversation after one more answer: its sources first in the list, its plain text kept."""
    turn = memory["turn"] + 1
    return {
        "citations": [dict(asdict(c), turn=turn) for c in cited] + memory["citations"],
        "earlier": (memory["earlier"] + [text])[-5:],
        "choices": citation_choices(cited, turn) + memory["choices"],
        "plain": memory["plain"] + [f"Hỏi: {text}\n{copied}"],
        "turn": turn,
    }
