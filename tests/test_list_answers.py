"""List questions quote every item of the list the resolution gives, not only its best item.

Real model, real index. The questions are worded as officials ask them; each names a clause (its
heading, or one above it) and the answer quotes that clause's items, verbatim, at most
``max_list_items`` of them, then says how many more the clause holds.
"""

from __future__ import annotations

import shutil

from conftest import CORPUS

from assistant.service import Assistant
from assistant.settings import AnswerSettings, Settings


def _document_text(assistant: Assistant) -> str:
    (document,) = assistant.documents()
    return document.text


def test_the_viewpoints_are_quoted_one_by_one(corpus_assistant):
    answer, _ = corpus_assistant.ask("Nghị quyết nêu những quan điểm gì về xây dựng tỉnh đạt chuẩn nông thôn mới?")
    assert answer.status == "answered"
    assert {c.clause for c in answer.citations} == {"I.1"}
    quoted = " ".join(c.quote for c in answer.citations)
    # The first viewpoint and the last, four paragraphs apart.
    assert "nhiệm vụ chính trị trọng tâm" in quoted and "Đề cao trách nhiệm của người đứng đầu" in quoted
    assert "vùng sâu, vùng xa" in quoted
    text = _document_text(corpus_assistant)
    assert all(text[c.start : c.end] == c.quote for c in answer.citations)


def test_a_clause_with_parts_lists_each_part(corpus_assistant):
    answer, _ = corpus_assistant.ask("Về nâng cao năng lực lãnh đạo của tổ chức Đảng thì có những giải pháp gì?")
    assert answer.status == "answered"
    assert [c.clause for c in answer.citations] == ["II.3.1", "II.3.2", "II.3.3", "II.3.4"]
    assert not any(c.quote.startswith("3.") for c in answer.citations), "the numbering is not an item"


def test_every_basic_target_is_quoted(corpus_assistant):
    answer, _ = corpus_assistant.ask("Kể tên các chỉ tiêu cơ bản đến năm 2025.")
    quoted = " ".join(c.quote for c in answer.citations)
    for target in ("13/13 đơn vị cấp huyện", "60 triệu", "95%", "PCI"):
        assert target in quoted, target


def test_a_long_list_is_bounded_and_names_its_clause(built_corpus_index, own_index):
    shutil.copytree(built_corpus_index, own_index)
    short = Settings(index_dir=own_index, corpus_dir=CORPUS, answer=AnswerSettings(max_list_items=3))
    answer, _ = Assistant(short).ask("Nghị quyết nêu những quan điểm gì về xây dựng tỉnh đạt chuẩn nông thôn mới?")
    assert len(answer.citations) == 3
    assert "… (còn 4 nội dung nữa, xem Mục I.1)" in answer.answer


def test_the_causes_are_a_list_too(corpus_assistant):
    answer, _ = corpus_assistant.ask("Những nguyên nhân chính của tồn tại, hạn chế là gì?")
    quoted = " ".join(c.quote for c in answer.citations)
    for cause in ("thiếu sâu sát", "thiếu trọng tâm, trọng điểm", "trông chờ, ỷ lại", "hình thức, đối phó"):
        assert cause in quoted, cause


def test_a_list_written_as_one_sentences_clauses_is_quoted_clause_by_clause(corpus_assistant):
    """The causes are one sentence's clauses, split by semicolons: each is an item."""
    answer, _ = corpus_assistant.ask("nguyên nhân chính của mấy cái hạn chế đó là j v")
    quoted = " ".join(c.quote for c in answer.citations)
    for cause in ("thiếu sâu sát", "đầu tư thiếu trọng tâm", "trông chờ, ỷ lại"):
        assert cause in quoted, cause
    text = _document_text(corpus_assistant)
    assert all(text[c.start : c.end] == c.quote for c in answer.citations)


def test_the_bodies_a_part_assigns_include_those_after_its_last_number(corpus_assistant):
    """ "5. Trường Chính trị Trần Phú chủ trì …" is followed, unnumbered, by "Văn phòng Tỉnh ủy phối
    hợp …": asking which bodies the part assigns, every one is quoted."""
    answer, _ = corpus_assistant.ask("Phần tổ chức thực hiện giao việc cho những cơ quan, đơn vị nào?")
    assert answer.status == "answered"
    for body in ("Các cấp ủy", "Mặt trận Tổ quốc", "Ban Tuyên giáo", "Trường Chính trị Trần Phú", "Văn phòng Tỉnh ủy"):
        assert body in answer.answer, body
    assert "Nghị quyết này được quán triệt" not in answer.answer


def test_a_list_asked_by_its_clauses_name_is_answered_from_its_items(corpus_assistant):
    # "Quan điểm" is the heading of I.1: its items are what is asked, though none repeats the word
    answer, _ = corpus_assistant.ask("Quan điểm của nghị quyết gồm những gì?")
    assert answer.status == "answered" and "nhiệm vụ chính trị trọng tâm" in answer.answer
