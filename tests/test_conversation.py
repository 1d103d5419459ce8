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
    assert "55%" in answer.answer  # asked the way the earlier question asked: the target
    # read with "Mục tiêu BHYT …", whose own part is not answered again
    assert not any("bảo hiểm y tế" in c.quote for c in answer.citations) and "Về «" not in answer.answer


# -- what the chat shows and what its copy buttons copy ----------------------------------------------
def _citation(n: int, quote: str, clause: str = "I.3"):
    from assistant.answer.model import Citation

    title = "Nghị quyết số 06-NQ/TU"
    return Citation(
        n=n, doc_id="nq", doc_title=title, clause=clause, start=0, end=len(quote), quote=quote, label=f"Mục {clause}"
    )


BHYT = "Tỷ lệ người dân tham gia bảo hiểm y tế đạt trên 95%"
WATER = "55% hộ dân sử dụng nước sạch đạt quy chuẩn"


def test_copy_of_a_related_answer_keeps_its_lead_and_quotes():
    from assistant.answer.model import Answer
    from assistant.ui.render import answer_markdown, answer_text

    lead = "Các văn bản hiện có không nêu trực tiếp về «Tỉnh Nghệ An»; nội dung liên quan nhất:"
    related = Answer("Nghệ An?", False, f"{lead} “{BHYT}” [1]", [_citation(1, BHYT)], status="related", lead=lead)
    copied = answer_text(related)
    assert copied.startswith(lead) and f"“{BHYT}” [1]" in copied and "Mục I.3" in copied
    assert "Không tìm thấy" not in copied
    assert "Tỉnh Nghệ An" in answer_markdown(related)


def test_copy_of_a_two_part_answer_keeps_each_part_with_its_label():
    from assistant.answer.model import Answer
    from assistant.ui.render import answer_text

    text = f"Về «Mục tiêu BHYT là bao nhiêu»: “{BHYT}” [1] Về «còn nước sạch thì sao»: “{WATER}” [2]"
    parts = [{"question": "Mục tiêu BHYT là bao nhiêu"}, {"question": "còn nước sạch thì sao"}]
    answer = Answer(
        "Mục tiêu BHYT là bao nhiêu, còn nước sạch thì sao?",
        True,
        text,
        [_citation(1, BHYT), _citation(2, WATER)],
        status="answered",
        parts=parts,
    )
    copied = answer_text(answer)
    assert copied.startswith(text)
    assert copied.index("Về «còn nước sạch thì sao»") < copied.index(WATER)
    assert "[1] Mục I.3 — Nghị quyết số 06-NQ/TU" in copied and "[2] Mục I.3" in copied


def test_an_english_answer_shows_and_copies_its_english_lead():
    from assistant.answer.model import Answer
    from assistant.ui.render import answer_markdown, answer_text

    lead = "The resolution says (Mục I.3):"
    answer = Answer("What is the health insurance target?", True, f"{lead} “{BHYT}” [1]", [_citation(1, BHYT)])
    answer.status, answer.lead, answer.language = "answered", lead, "en"
    assert answer_markdown(answer).startswith(lead)
    assert answer_text(answer).startswith(f"{lead}\n“{BHYT}” [1]")
    missing = Answer("What is the speed limit?", False, "Not found in the available documents.", language="en")
    assert answer_text(missing) == answer_markdown(missing) == "Not found in the available documents."


def test_the_chat_shows_and_copies_what_the_cli_prints(corpus_assistant):
    from assistant.ui.chat import _reply

    english, _ = corpus_assistant.ask("What is the health insurance target?", llm=False)
    assert english.lead == "The resolution says (Mục I.3):" and english.answer.startswith(english.lead)
    shown, _, copied = _reply(corpus_assistant, "What is the health insurance target?", [])
    assert shown.startswith(english.lead) and copied.startswith(english.lead)
    shown, _, copied = _reply(corpus_assistant, "Tỉnh Nghệ An có bao nhiêu xã đạt chuẩn nông thôn mới?", [])
    assert "không nêu trực tiếp về «Tỉnh Nghệ An»" in shown and "không nêu trực tiếp về «Tỉnh Nghệ An»" in copied
    assert "Không tìm thấy" not in copied and "171/182 xã" in copied
    shown, _, copied = _reply(corpus_assistant, "thế còn nước sạch?", [EARLIER])
    assert "nước sạch" in shown and "nước sạch" in copied and "Nguồn" in copied
    assert "Về «" not in shown and "Về «" not in copied  # the previous question is not answered again
    shown, _, copied = _reply(corpus_assistant, "Mục tiêu BHYT là bao nhiêu, còn nước sạch thì sao?", [])
    assert shown.count("Về «") == 2 and copied.count("Về «") == 2  # a two-part question keeps its labels
