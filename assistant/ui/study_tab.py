"""The "Ôn tập" tab: the outline (click a clause to read it) and a scored quiz with cited explanations."""

from __future__ import annotations

import gradio as gr

from assistant.ingest.structure import MO_DAU, NOI_NHAN, heading_title
from assistant.study.outline import clause_text, outline
from assistant.study.quiz import QuizQuestion, check_answer, make_quiz
from assistant.ui.render import display_title, md_escape, shorten, strings

# On a phone the text sits under the outline: bring it into view when a clause is clicked.
SHOW_TEXT = """() => { setTimeout(() => {
  const box = document.querySelector('#ntm-outline-text');
  if (box && box.getBoundingClientRect().top > window.innerHeight - 80) box.scrollIntoView({block: 'start'});
}, 50); }"""


def build(assistant):
    """Build the tab; returns (function, outputs) that refresh the outline from the index on page load."""
    s = strings()["study"]
    gr.Markdown(f"### {s['outline_title']}")
    with gr.Row(equal_height=False):
        with gr.Column(scale=2, min_width=280):
            clause = gr.Radio(outline_choices(assistant.documents()), label=s["outline_label"], elem_id="ntm-outline")
        with gr.Column(scale=3, min_width=280):
            reading = gr.Markdown(s["outline_empty"], elem_id="ntm-outline-text")
    with gr.Column():
        gr.Markdown(f"### {s['quiz_title']}")
        with gr.Row():
            count = gr.Dropdown([5, 10, 15, 20, 30], value=5, label=s["n_label"], min_width=100)
            topic = gr.Textbox(label=s["topic_label"], min_width=160)
            seed = gr.Textbox(label=s["seed_label"], elem_id="ntm-quiz-seed", min_width=160)
        start = gr.Button(s["start"], variant="primary", elem_id="ntm-quiz-start")
        progress = gr.Markdown(elem_id="ntm-quiz-progress")
        asked = gr.Markdown(elem_id="ntm-quiz-question")
        options = gr.Radio([], label=s["answer_label"], visible=False, elem_id="ntm-quiz-choices")
        typed = gr.Textbox(label=s["typed_label"], visible=False, elem_id="ntm-quiz-typed")
        with gr.Row():
            submit = gr.Button(s["submit"], elem_id="ntm-quiz-submit")
            following = gr.Button(s["next"], elem_id="ntm-quiz-next")
        feedback = gr.Markdown(elem_id="ntm-quiz-feedback")
    state = gr.State({"questions": [], "i": 0, "right": 0, "answered": False})

    def read(value: str | None) -> str:
        if not value:
            return ""
        doc_id, clause_id = value.split("|", 1)
        return md_escape(clause_text(assistant.documents(), doc_id, clause_id)).replace("\n", "\n\n")

    def begin(n, topic_text, seed_value):
        seed_text = str(seed_value or "").strip()
        if seed_text and not seed_text.isdigit():
            raise gr.Error(s["bad_seed"])
        quiz = make_quiz(
            assistant.facts(),
            n=int(n or 5),
            seed=int(seed_text) if seed_text else None,
            topic=(topic_text or "").strip() or None,
            weights=assistant.term_weights(),
        )
        memory = {
            "questions": [q.to_json() for q in quiz.questions],
            "i": 0,
            "right": 0,
            "answered": False,
            "seed": quiz.seed,
        }
        if not quiz.questions:
            return [memory, s["empty"], "", gr.update(visible=False), gr.update(visible=False), ""]
        return [memory] + _show(memory, s)

    def answer(choice, text, memory):
        if not memory["questions"] or memory["answered"]:
            return memory, gr.update(), gr.update()
        question = QuizQuestion(**memory["questions"][memory["i"]])
        given = choice if question.choices else text
        right = check_answer(question, given or "")
        memory = dict(memory, answered=True, right=memory["right"] + int(right))
        words = strings()["study"]
        verdict = words["right"] if right else words["wrong"].format(answer=md_escape(question.answer))
        note = f"{verdict}\n\n> {md_escape(question.explanation)}"
        return memory, note, _progress(memory, words)

    def advance(memory):
        if not memory["questions"]:
            return [memory, "", "", gr.update(visible=False), gr.update(visible=False), ""]
        if memory["i"] + 1 >= len(memory["questions"]):
            done = s["done"].format(right=memory["right"], n=len(memory["questions"]), seed=memory.get("seed", ""))
            return [memory, done, "", gr.update(visible=False), gr.update(visible=False), ""]
        memory = dict(memory, i=memory["i"] + 1, answered=False)
        return [memory] + _show(memory, s)

    clause.change(read, clause, reading, api_name=False).then(None, js=SHOW_TEXT)
    start.click(begin, [count, topic, seed], [state, progress, asked, options, typed, feedback], api_name="quiz")
    submit.click(answer, [options, typed, state], [state, feedback, progress], api_name=False)
    following.click(advance, state, [state, progress, asked, options, typed, feedback], api_name=False)
    return (lambda: gr.update(choices=outline_choices(assistant.documents()))), [clause]


def outline_choices(documents) -> list[tuple[str, str]]:
    """(label, value) per clause: "Mở đầu", "I.3. Các chỉ tiêu cơ bản", "Nơi nhận", indented by depth,
    the number written once and long headings cut between words."""
    documents = list(documents)
    many = len(documents) > 1
    choices = []
    for item in outline(documents):
        if item.clause == MO_DAU:
            label = strings()["study"]["opening"]
            if many:
                title = next((display_title(d) for d in documents if d.doc_id == item.doc_id), item.doc_id)
                label = f"{label} — {shorten(title, 60)}"
        elif item.clause == NOI_NHAN:
            label = strings()["study"]["recipients"]
        else:
            label = f"{item.clause}. {heading_title(item.heading)}"
        choices.append(("\u2003" * max(item.level - 1, 0) + shorten(label, 90), f"{item.doc_id}|{item.clause}"))
    return choices


def _show(memory: dict, s: dict) -> list:
    question = memory["questions"][memory["i"]]
    has_choices = bool(question["choices"])
    return [
        _progress(memory, s),
        f"**{md_escape(question['question'])}**",
        gr.update(choices=question["choices"], value=None, visible=has_choices),
        gr.update(value="", visible=not has_choices),
        "",
    ]


def _progress(memory: dict, s: dict) -> str:
    return s["progress"].format(
        i=memory["i"] + 1, n=len(memory["questions"]), right=memory["right"], seed=memory.get("seed", "")
    )
