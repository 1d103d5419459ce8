"""The web chat's conversation: which questions lean on the previous one, and what is read with it."""

from __future__ import annotations

import pytest

from assistant.retrieve.query import analyse, is_follow_up


def _english(question: str):
    return analyse(question, lambda w: False)  # no word of it is the documents': read as English


@pytest.mark.parametrize(
    "question",
    [
        "còn nước sạch thì sao?",
        "Còn BHYT?",
        "thế còn nước sạch?",
        "Vậy còn thu nhập?",
        "con nuoc sach thi sao",  # typed without accents
        "Hộ nghèo thì thế nào?",
        "Việc đó do ai chủ trì?",
        "Cơ quan đó phải xong khi nào?",
        "Như vậy đã đạt chưa?",
        "Trong đó có bao nhiêu xã kiểu mẫu?",
        "Đến năm 2030 thì sao?",
        "Ai chủ trì?",  # no subject of its own
        "Cơ quan nào chủ trì?",
        "Tỷ lệ là bao nhiêu?",
        "Khi nào phải hoàn thành?",
        "nước sạch?",  # no question word of its own
    ],
)
def test_a_question_that_leans_on_the_previous_one_is_a_follow_up(question):
    assert is_follow_up(analyse(question))


@pytest.mark.parametrize("question", ["What about clean water?", "Who is in charge of it?", "And by when?"])
def test_an_english_follow_up_is_recognised(question):
    assert is_follow_up(_english(question))


@pytest.mark.parametrize(
    "question",
    [
        "Mục tiêu BHYT là bao nhiêu?",
        "Tỉnh Nghệ An có bao nhiêu xã đạt chuẩn nông thôn mới?",
        "Ai chủ trì biên soạn tài liệu tập huấn về nông thôn mới?",
        "Hiện nay tỷ lệ hộ dùng nước sạch đạt bao nhiêu?",
        "Con số hộ nghèo hiện nay là bao nhiêu?",  # "Con số", not "Còn"
        "Thu nhập bình quân đầu người đến năm 2025 là bao nhiêu?",
        "Nghị quyết này do ai ký?",
        "Liệt kê các nhiệm vụ về giao thông",
        "muc tieu bhyt la bao nhieu",
    ],
)
def test_a_question_with_its_own_subject_and_question_word_stands_alone(question):
    assert not is_follow_up(analyse(question))


@pytest.mark.parametrize(
    "question", ["What is the health insurance target?", "What is the speed limit on provincial roads?"]
)
def test_an_english_question_with_its_own_subject_stands_alone(question):
    assert not is_follow_up(_english(question))


# -- the service, on the corpus indexed with the real model -------------------------------------------
EARLIER = "Mục tiêu BHYT là bao nhiêu?"


@pytest.mark.parametrize(
    "question",
    [
        "Tỉnh Nghệ An có bao nhiêu xã đạt chuẩn nông thôn mới?",  # alone: related, never the pair read
        "Hiện nay tỷ lệ hộ dùng nước sạch đạt bao nhiêu?",
        "Ai chủ trì biên soạn tài liệu tập huấn về nông thôn mới?",
    ],
)
def test_a_new_question_after_another_is_answered_alone(corpus_assistant, question):
    alone, _ = corpus_assistant.ask(question, llm=False)
    answer, _ = corpus_assistant.ask_in_conversation(question, [EARLIER], llm=False)
    assert answer.answer == alone.answer and answer.status == alone.status
    assert "Về «" not in answer.answer and not answer.parts
    assert not any("bảo hiểm y tế" in c.quote for c in answer.citations)


def test_a_follow_up_is_read_with_the_previous_question(corpus_assistant):
    answer, _ = corpus_assistant.ask_in_conversation("thế còn nước sạch?", [EARLIER], llm=False)
    assert answer.found and answer.question == "thế còn nước sạch?"
    assert any("nước sạch" in c.quote for c in answer.citations)
    assert any("bảo hiểm y tế" in c.quote for c in answer.citations)  # read with "Mục tiêu BHYT …"
