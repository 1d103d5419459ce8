"""The "Ôn tập" tab: the outline (click a clause to read it) and a scored quiz with cited explanations,
its answers kept per learner (a name typed, else the browser) to ask the missed questions again."""

from __future__ import annotations

import random
import uuid
from datetime import datetime

import gradio as gr

from assistant.ingest.structure import MO_DAU, NOI_NHAN, heading_title
from assistant.study.history import Answered, QuizHistory, learner_key
from assistant.study.outline import clause_text, outline
from assistant.study.quiz import QuizQuestion, check_answer, make_quiz
from assistant.ui.render import display_title, md_escape, shorten, strings

# The history's words (to join the "study" strings of ui.yaml).
WORDS = {
    "name_label": "Tên của bạn (không bắt buộc)",
    "name_info": "Để trống: kết quả được lưu cho trình duyệt này.",
    "review": "Ôn lại câu sai",
    "no_missed": "Chưa có câu sai nào để ôn.",
    "review_progress": "Câu {i}/{n} · Đúng {right} · Ôn lại câu sai",
    "review_done": "Hoàn thành lượt ôn: đúng {right}/{n} câu.",
    "history_title": "Tiến bộ",
    "history_of": "Tiến bộ của {name}",
    "history_empty": "Chưa có lượt làm bài nào được lưu.",
    "columns": ["Ngày", "Điểm", "Tỷ lệ", "Ghi chú"],
    "review_note": "Ôn lại câu sai",
    "unfinished": "Làm {answered}/{asked} câu",
}
# The browser's own learner id, kept in its localStorage across visits; a fixed secret so that it
# survives a restart of the app (it only names a browser, it grants nothing).
LEARNER_KEY, LEARNER_SECRET = "ntm-quiz-learner", "ntm-quiz-learner-v1"

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
            name = gr.Textbox(
                label=WORDS["name_label"], info=WORDS["name_info"], elem_id="ntm-quiz-name", min_width=160
            )
        with gr.Row():
            start = gr.Button(s["start"], variant="primary", elem_id="ntm-quiz-start")
            review = gr.Button(WORDS["review"], elem_id="ntm-quiz-review")
        progress = gr.Markdown(elem_id="ntm-quiz-progress")
        asked = gr.Markdown(elem_id="ntm-quiz-question")
        options = gr.Radio([], label=s["answer_label"], visible=False, elem_id="ntm-quiz-choices")
        typed = gr.Textbox(label=s["typed_label"], visible=False, elem_id="ntm-quiz-typed")
        with gr.Row():
            submit = gr.Button(s["submit"], elem_id="ntm-quiz-submit")
            following = gr.Button(s["next"], elem_id="ntm-quiz-next")
        feedback = gr.Markdown(elem_id="ntm-quiz-feedback")
        history = gr.Markdown(elem_id="ntm-quiz-history")
    state = gr.State({"questions": [], "i": 0, "right": 0, "answered": False})
    browser = gr.BrowserState({}, storage_key=LEARNER_KEY, secret=LEARNER_SECRET)

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
        return _started(quiz.questions, s, seed=quiz.seed, empty=s["empty"])

    def again(n, name_text, kept):
        store = QuizHistory.from_settings(assistant.settings)
        missed = store.missed(_learner(name_text, kept), int(n or 5))
        known = {d.doc_id for d in assistant.documents()}  # a document removed since is not asked about
        missed = [_shuffled(q) for q in missed if q.doc_id in known]
        return _started(missed, s, review=True, empty=md_escape(store.off) if store.off else WORDS["no_missed"])

    def answer(choice, text, memory, name_text, kept):
        if not memory["questions"] or memory["answered"]:
            return memory, gr.update(), gr.update(), kept, gr.update()
        question = QuizQuestion.from_json(memory["questions"][memory["i"]])
        given = choice if question.choices else text
        right = check_answer(question, given or "")
        memory = dict(memory, answered=True, right=memory["right"] + int(right))
        words = strings()["study"]
        verdict = words["right"] if right else words["wrong"].format(answer=md_escape(question.answer))
        note = f"{verdict}\n\n> {md_escape(question.explanation)}"
        kept = _with_session(kept)
        learner = _learner(name_text, kept)
        store = QuizHistory.from_settings(assistant.settings)
        store.record(
            learner,
            memory["round"],
            [Answered(question, given or "", right)],
            len(memory["questions"]),
            review=memory.get("review", False),
        )
        return (
            memory,
            note,
            _progress(memory, words),
            dict(kept, name=(name_text or "").strip()),
            _history(store, learner),
        )

    def advance(memory):
        if not memory["questions"]:
            return [memory, "", "", gr.update(visible=False), gr.update(visible=False), ""]
        if memory["i"] + 1 >= len(memory["questions"]):
            n = len(memory["questions"])
            if memory.get("review"):
                done = WORDS["review_done"].format(right=memory["right"], n=n)
            else:
                done = s["done"].format(right=memory["right"], n=n, seed=memory.get("seed", ""))
            return [memory, done, "", gr.update(visible=False), gr.update(visible=False), ""]
        memory = dict(memory, i=memory["i"] + 1, answered=False)
        return [memory] + _show(memory, s)

    clause.change(read, clause, reading, api_name=False).then(None, js=SHOW_TEXT)

    def shown_history(name_text, kept):
        return _history(QuizHistory.from_settings(assistant.settings), _learner(name_text, kept))

    def on_load(kept):
        name_text = (kept or {}).get("name", "")
        return name_text, shown_history(name_text, kept)

    shown = [state, progress, asked, options, typed, feedback]
    start.click(begin, [count, topic, seed], shown, api_name="quiz")
    review.click(again, [count, name, browser], shown, api_name=False)
    submit.click(
        answer, [options, typed, state, name, browser], [state, feedback, progress, browser, history], api_name=False
    )
    following.click(advance, state, shown, api_name=False)
    gr.on([name.submit, name.blur], shown_history, [name, browser], history, api_name=False)
    gr.on(None, on_load, [browser], [name, history], api_name=False)  # the page's load and a new browser id
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


def _started(questions: list[QuizQuestion], s: dict, seed=None, review: bool = False, empty: str = "") -> list:
    """The outputs that begin a round: its memory (a new round key, under which its answers are kept)
    and the first question, or ``empty`` when there is none."""
    memory = {
        "questions": [q.to_json() for q in questions],
        "i": 0,
        "right": 0,
        "answered": False,
        "seed": seed,
        "review": review,
        "round": uuid.uuid4().hex,
    }
    if not questions:
        return [memory, empty, "", gr.update(visible=False), gr.update(visible=False), ""]
    return [memory] + _show(memory, s)


def _shuffled(question: QuizQuestion) -> QuizQuestion:
    """A missed question asked again with its choices in a new order (not answered by position)."""
    random.shuffle(question.choices)
    return question


def _with_session(kept) -> dict:
    """The browser's stored value, with a learner id made at its first answer."""
    kept = dict(kept or {})
    kept.setdefault("session", uuid.uuid4().hex)
    return kept


def _learner(name_text: str | None, kept) -> tuple[str, str] | None:
    return learner_key(name_text, (kept or {}).get("session"))


def _history(store: QuizHistory, learner) -> str:
    """The "Tiến bộ" block: the learner's last rounds (date, score, share), or why nothing is kept."""
    rounds = store.rounds(learner)
    title = WORDS["history_of"].format(name=md_escape(learner[1])) if learner and learner[1] else WORDS["history_title"]
    lines = [f"#### {title}"]
    if store.off:
        return "\n\n".join(lines + [md_escape(store.off)])
    if not rounds:
        return "\n\n".join(lines + [WORDS["history_empty"]])
    head = WORDS["columns"]
    lines += ["", "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rounds:
        note = WORDS["review_note"] if r.review else ""
        if r.answered < r.asked:
            note = " · ".join(filter(None, [note, WORDS["unfinished"].format(answered=r.answered, asked=r.asked)]))
        when = datetime.fromtimestamp(r.at).strftime("%d/%m/%Y %H:%M")
        lines.append(f"| {when} | {r.right}/{r.answered} | {r.percent}% | {note} |")
    return "\n".join(lines)


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
    template = WORDS["review_progress"] if memory.get("review") else s["progress"]
    return template.format(
        i=memory["i"] + 1, n=len(memory["questions"]), right=memory["right"], seed=memory.get("seed", "")
    )
