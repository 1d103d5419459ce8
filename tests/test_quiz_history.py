"""A trainee's quiz answers kept in SQLite: missed questions asked again, the score of each round shown."""

from __future__ import annotations

import json
import os
import re
import sqlite3

import pytest
from conftest import ntm
from test_web_app import ARTIFACTS, _open, _tab, _text_in, app_url, browser, web  # noqa: F401  (the app and Chromium)

from assistant.study.history import Answered, QuizHistory, learner_key
from assistant.study.quiz import Quiz, QuizQuestion

AN = learner_key("Nguyễn Văn An")


def _question(n: int, answer: str = "95%") -> QuizQuestion:
    return QuizQuestion(
        question=f"Theo Mục I.3, chỉ tiêu số {n} là bao nhiêu?",
        choices=["90%", "95%", "85%"],
        answer=answer,
        explanation="Mục I.3: “…”",
        doc_id="nghi-quyet",
        clause="I.3",
        quote=f"chỉ tiêu số {n} đạt {answer}",
    )


def _round(store, key: str, *answers: tuple[QuizQuestion, str], learner=AN, review: bool = False) -> bool:
    given = [Answered(q, chosen, chosen == q.answer) for q, chosen in answers]
    return store.record(learner, key, given, len(given), review)


def test_a_round_is_kept_with_its_missed_questions(own_index):
    store = QuizHistory(own_index)
    assert not store.path.exists() and store.missed(AN) == [] and store.rounds(AN) == []  # nothing made to read
    assert _round(store, "r1", (_question(1), "90%"), (_question(2), "95%"), (_question(3), "85%"))
    assert store.path == own_index / "study" / "history.sqlite3" and store.off is None
    assert [q.question for q in store.missed(AN)] == [_question(3).question, _question(1).question]
    assert store.missed(AN)[0].to_json() == _question(3).to_json()  # asked again exactly as it was
    (kept,) = store.rounds(AN)
    assert (kept.right, kept.answered, kept.asked, kept.percent, kept.review) == (1, 3, 3, 33, False)
    with sqlite3.connect(store.path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("SELECT chosen, correct, right FROM answers ORDER BY id").fetchall() == [
            ("90%", "95%", 0),
            ("95%", "95%", 1),
            ("85%", "95%", 0),
        ]


def test_a_question_answered_right_since_leaves_the_missed_list(own_index):
    store = QuizHistory(own_index)
    _round(store, "r1", (_question(1), "90%"), (_question(2), "90%"))
    # Asked again in another round, worded and ordered differently: the same fact, the same key.
    again = _question(1)
    again.question, again.choices = "Chỉ tiêu số 1 đến năm 2025?", ["95%", "85%", "90%"]
    assert again.key() == _question(1).key() and again.key() != _question(2).key()
    _round(store, "r2", (again, "95%"), review=True)
    assert [q.key() for q in store.missed(AN)] == [_question(2).key()]
    _round(store, "r3", (_question(1), "85%"))  # wrong once more: missed again
    assert [q.key() for q in store.missed(AN)] == [_question(1).key(), _question(2).key()]
    assert [q.key() for q in store.missed(AN, limit=1)] == [_question(1).key()]


def test_rounds_newest_first_and_answers_added_to_the_round_they_belong_to(own_index):
    store = QuizHistory(own_index)
    _round(store, "r1", (_question(1), "95%"))
    _round(store, "r2", (_question(2), "90%"))
    _round(store, "r1", (_question(3), "95%"))  # the web app keeps each answer as it is given
    assert [(r.right, r.answered) for r in store.rounds(AN)] == [(0, 1), (2, 2)]
    assert store.rounds(AN, limit=1)[0].answered == 1


def test_learners_are_kept_apart_and_a_name_is_one_person_however_typed(own_index):
    store = QuizHistory(own_index)
    browser_learner = learner_key("", "b1f2")
    assert (
        learner_key("  nguyen   van AN ") == ("name:nguyen van an", "nguyen van AN")
        and browser_learner[0] == "session:b1f2"
    )
    assert learner_key(None, None) is None and store.missed(None) == [] and store.rounds(None) == []
    _round(store, "r1", (_question(1), "90%"))
    _round(store, "r2", (_question(2), "90%"), learner=browser_learner)
    _round(store, "r3", (_question(3), "90%"), learner=learner_key("nguyen van an"))
    assert {q.key() for q in store.missed(AN)} == {_question(1).key(), _question(3).key()}
    assert [q.key() for q in store.missed(browser_learner)] == [_question(2).key()]
    assert not _round(store, "r2", (_question(4), "90%"))  # another learner's round key is never joined


def test_only_the_last_rounds_are_kept(own_index):
    store = QuizHistory(own_index, max_rounds=3)
    for n in range(1, 6):
        _round(store, f"r{n}", (_question(n), "90%"))
    assert len(store.rounds(AN, limit=10)) == 3
    assert {q.key() for q in store.missed(AN)} == {_question(n).key() for n in (3, 4, 5)}  # with their answers
    with sqlite3.connect(store.path) as db:
        assert db.execute("SELECT COUNT(*) FROM answers").fetchone()[0] == 3
    off = QuizHistory(own_index, max_rounds=0)
    assert not _round(off, "r6", (_question(6), "90%")) and off.off and off.rounds(AN) == []


def test_an_index_folder_that_cannot_be_written_leaves_the_quiz_working(own_index, monkeypatch, capsys):
    from assistant.study import present

    own_index.mkdir(parents=True)
    own_index.chmod(0o555)
    try:
        if os.access(own_index, os.W_OK):  # root writes anyway: a file where the folder must go
            own_index.chmod(0o755)
            (own_index / "study").write_text("")
        store = QuizHistory(own_index)
        assert not _round(store, "r1", (_question(1), "90%"))
        assert "Không lưu được kết quả ôn tập" in store.off and store.missed(AN) == [] and store.rounds(AN) == []
        # The terminal quiz still asks, judges and scores; it says why nothing was kept.
        answers = iter(["B"])
        monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))
        assert present._interactive(Quiz(1, [_question(1)]), (QuizHistory(own_index), AN, False)) == 0
        out = capsys.readouterr().out
        assert "1/1" in out and "Không lưu được kết quả ôn tập" in out
    finally:
        own_index.chmod(0o755)


def test_the_terminal_quiz_keeps_answers_under_a_name_and_history_prints_them(own_index, monkeypatch):
    from assistant.study import present

    answers = iter(["A", "95%"])
    monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))
    fill = _question(2)
    fill.choices, fill.kind = [], "fill"
    assert present._interactive(Quiz(7, [_question(1), fill]), (QuizHistory(own_index), AN, False)) == 0
    assert [q.key() for q in QuizHistory(own_index).missed(AN)] == [_question(1).key()]
    shown = ntm("study", "history", "--name", "nguyen van an", "--json")
    assert shown.returncode == 0, shown.stderr
    assert [(r["right"], r["answered"], r["percent"]) for r in json.loads(shown.stdout)] == [(1, 2, 50)]
    text = ntm("study", "history", "--name", "Nguyễn Văn An").stdout
    assert "1/2  50%" in text
    nameless = ntm("study", "history")
    assert nameless.returncode == 2 and "--name" in nameless.stderr


@pytest.mark.browser
@pytest.mark.slow
def test_missed_questions_are_asked_again_and_progress_is_shown(browser, app_url, web):  # noqa: F811
    from assistant.study.quiz import make_quiz

    _, assistant, _ = web
    seed = next(
        seed
        for seed in range(200)
        if (q := make_quiz(assistant.facts(), n=5, seed=seed, weights=assistant.term_weights()).questions)
        and q[0].kind == "choice"
    )
    first = make_quiz(assistant.facts(), n=5, seed=seed, weights=assistant.term_weights()).questions[0]
    wrong = next(c for c in first.choices if c != first.answer)
    page = _open(browser, app_url, 1400, 1000)  # a browser of its own: a learner with no history
    try:
        _tab(page, "Ôn tập")
        page.click("#ntm-quiz-review")
        _text_in(page, "#ntm-quiz-progress", "Chưa có câu sai nào để ôn.")
        page.fill("#ntm-quiz-seed textarea", str(seed))
        page.click("#ntm-quiz-start")
        _text_in(page, "#ntm-quiz-progress", f"Mã đề {seed}")
        _choose(page, wrong)
        page.click("#ntm-quiz-submit")
        _text_in(page, "#ntm-quiz-feedback", "Chưa đúng")
        _text_in(page, "#ntm-quiz-history", "0/1")
        assert "0%" in page.inner_text("#ntm-quiz-history") and "Làm 1/5 câu" in page.inner_text("#ntm-quiz-history")

        page.click("#ntm-quiz-review")
        _text_in(page, "#ntm-quiz-progress", "Ôn lại câu sai")
        # the question shown is exactly the one missed, once Gradio's "processing" overlay has gone
        page.wait_for_function(
            "([s, t]) => { const e = document.querySelector(s); return e && e.innerText.trim() === t; }",
            arg=["#ntm-quiz-question", first.question],
            timeout=60_000,
        )
        _choose(page, first.answer)
        page.click("#ntm-quiz-submit")
        _text_in(page, "#ntm-quiz-feedback", "Đúng")
        _text_in(page, "#ntm-quiz-history", "1/1")
        page.locator("#ntm-quiz-history").scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / "4b-on-lai-cau-sai.png"))

        page.reload()  # the browser is the same learner on its next visit
        _tab(page, "Ôn tập")
        _text_in(page, "#ntm-quiz-history", "0/1")
        assert "1/1" in page.inner_text("#ntm-quiz-history")
        page.click("#ntm-quiz-review")
        _text_in(page, "#ntm-quiz-progress", "Chưa có câu sai nào để ôn.")
    finally:
        page.context.close()


def _choose(page, choice: str) -> None:
    """Click the choice written exactly so ("95%", not "> 95%")."""
    page.locator("#ntm-quiz-choices label").filter(has_text=re.compile(rf"^\s*{re.escape(choice)}\s*$")).click()
