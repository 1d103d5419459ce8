"""The answer step on questions worded as users speak: outcomes, parts, gaps, English, whole quotes.

Real model, real index. The floors on our user-worded set sit a little under what it measures
(`ntm eval`); the development floors are the issue's.
"""

from __future__ import annotations

import pytest
from conftest import ROOT

from assistant.evaluate.metrics import read_jsonl
from assistant.evaluate.qa import evaluate_questions, summarise

USER_QUESTIONS = ROOT / "eval" / "user_questions.jsonl"
# Measured 2026-11-29: facts 0.855, false refusals 0, false answers 0.109, two-part 0.885.
USER_FLOORS = {"answer_facts": 0.83, "multi_part_full": 0.80}
USER_CEILINGS = {"false_refusal": 0.05, "false_answer": 0.15}


def test_user_worded_questions_floors(corpus_assistant):
    questions = read_jsonl(USER_QUESTIONS)
    assert len(questions) >= 150 and sum(1 for q in questions if not q["answerable"]) >= 30
    overall = summarise(evaluate_questions(corpus_assistant, questions))["overall"]
    print("\nuser-worded", overall)
    for metric, floor in USER_FLOORS.items():
        assert overall[metric] >= floor, (metric, overall[metric])
    for metric, ceiling in USER_CEILINGS.items():
        assert overall[metric] <= ceiling, (metric, overall[metric])
    assert overall["citation_validity"] == 1.0


def test_three_outcomes(corpus_assistant):
    answered, _ = corpus_assistant.ask("Tới 2025 tỷ lệ người dân tham gia BHYT phải đạt bao nhiêu?")
    assert answered.status == "answered" and answered.found and "95%" in answered.answer
    assert answered.citations[0].clause == "I.3"

    related, _ = corpus_assistant.ask("Tỉnh Nghệ An có bao nhiêu xã đạt chuẩn nông thôn mới?")
    assert related.status == "related" and not related.found
    assert "không nêu trực tiếp" in related.answer and "Nghệ An" in related.lead
    assert related.citations, "the closest content is still quoted, with its clause"

    nothing, _ = corpus_assistant.ask("What is the speed limit on provincial roads?")
    assert nothing.status == "not_found" and not nothing.citations
    assert nothing.answer == "Not found in the available documents."


def test_a_figure_asked_for_today_where_only_the_target_is_stated(corpus_assistant):
    answer, _ = corpus_assistant.ask("Hiện nay tỷ lệ hộ dùng nước sạch đạt bao nhiêu?")
    assert answer.status == "related" and not answer.found
    both, _ = corpus_assistant.ask("Hiện nay tỷ lệ tham gia BHYT đạt bao nhiêu, so với mục tiêu 2025?")
    assert both.status == "related" and "95%" in both.answer  # the target, said to be only that
    assert both.answer.startswith("Các văn bản hiện có không nêu số liệu hiện nay về nội dung này")
    level, _ = corpus_assistant.ask("Tới 2025 tỷ lệ hộ nghèo đa chiều còn lại bao nhiêu phần trăm?")
    assert level.status == "related" and "1,5%" in level.answer  # a yearly fall is not the level


def test_baseline_against_target_with_the_computed_gap(corpus_assistant):
    answer, _ = corpus_assistant.ask("Hiện nay bao nhiêu xã đạt chuẩn NTM, còn thiếu bao nhiêu so với mục tiêu?")
    assert answer.status == "answered"
    assert [c.clause for c in answer.citations] == ["mo-dau", "I.3"]
    assert "171/182" in answer.citations[0].quote and "100%" in answer.citations[1].quote
    assert answer.notes[0] == "Còn thiếu 11 xã so với mục tiêu (tính từ [1] và [2])."
    # "Đến nay" is the resolution's own day, not today: the answer says so.
    assert answer.notes[1].startswith("(Số liệu «đến nay» là tại thời điểm ban hành Nghị quyết")
    assert "2021–2025" in answer.notes[1] and answer.answer.endswith(answer.notes[1])

    income, _ = corpus_assistant.ask("thu nhap nong thon hien tai va muc tieu 2025 chenh nhau bao nhieu")
    assert "35 triệu" in income.answer and "60 triệu" in income.answer and "25 triệu" in income.notes[0]

    # The figure the question states itself ("8/13") is no part of what is measured; a count of the
    # same whole gives the gap in its units.
    districts, _ = corpus_assistant.ask("hien nay 8/13 huyen r, toi 2025 thi phai bnhiu huyen")
    assert [c.clause for c in districts.citations] == ["mo-dau", "I.3"]
    assert districts.notes[0] == "Còn thiếu 5 huyện so với mục tiêu (tính từ [1] và [2])."


def test_a_rate_asked_how_it_stands_and_a_rate_asked_as_a_number(corpus_assistant):
    # "đánh giá thế nào" is answered in words ("đạt thấp"); "bao nhiêu" of a "tỷ lệ" asks no sum of money
    answer, _ = corpus_assistant.ask(
        "hiện nay tỷ lệ dân dùng nước sạch từ công trình tập trung NQ đánh giá thế nào, còn đến 2025 phải đạt bao nhiêu?"
    )
    assert [p["status"] for p in answer.parts] == ["answered", "answered"]
    assert "đạt thấp" in answer.answer and "55%" in answer.answer


def test_two_part_questions_answer_each_part(corpus_assistant):
    answer, _ = corpus_assistant.ask("Mục tiêu BHYT là bao nhiêu, còn nước sạch thì sao?")
    assert [p["status"] for p in answer.parts] == ["answered", "answered"]
    assert "95%" in answer.answer and "55%" in answer.answer

    who_when, _ = corpus_assistant.ask("Ai biên soạn tài liệu tập huấn và khi nào tỉnh phải đạt chuẩn NTM?")
    assert "Trường Chính trị Trần Phú" in who_when.answer and "2025" in who_when.answer


def test_tasks_are_quoted_whole(corpus_assistant):
    answer, _ = corpus_assistant.ask("Ai lo việc theo dõi, đôn đốc thực hiện nghị quyết?")
    assert answer.found
    quote = answer.citations[0].quote
    assert quote.startswith("Văn phòng Tỉnh ủy") and "định kỳ báo cáo" in quote


def test_list_questions_quote_every_item(corpus_assistant):
    answer, _ = corpus_assistant.ask("Các chỉ tiêu về môi trường đến 2025 gồm những gì?")
    text = " ".join(c.quote for c in answer.citations)
    assert answer.found and len(answer.citations) >= 3
    assert "chất thải rắn" in text and "nước sạch" in text


def test_english_questions_get_an_english_lead(corpus_assistant):
    answer, _ = corpus_assistant.ask("What is the health insurance target?")
    assert answer.language == "en" and answer.answer.startswith("The resolution says (Mục I.3):")
    assert "bảo hiểm y tế đạt trên 95%" in answer.citations[0].quote


@pytest.mark.parametrize(
    "question",
    [
        "What is the 2025 target for average farm-area income per person?",  # "farm-area", "per person"
        "How quickly is the poverty rate supposed to come down?",  # everyday verbs are no unknown subject
        "E-government: what share of procedures should be online at level 3 or level 4?",
        "Who picked Ha Tinh as the pilot province?",  # the text says "chọn thí điểm", not "tỉnh thí điểm"
        # who asks is no subject; "5 stars" is "5 sao"
        "Our partner NGO asks: among the provincial OCOP products targeted for 2025, what share should be 5 stars?",
    ],
)
def test_english_in_everyday_words_is_answered(corpus_assistant, question):
    answer, _ = corpus_assistant.ask(question)
    assert answer.status == "answered" and answer.language == "en", answer.answer


def test_an_english_subject_the_documents_never_write_is_not_answered(corpus_assistant):
    answer, _ = corpus_assistant.ask("What share of rural roads should be concreted or paved by 2025?")
    assert answer.status != "answered", answer.answer
    # what it names by abbreviation is not quoted
    answer, _ = corpus_assistant.ask("Where did Hà Tĩnh rank on the PCI index before the plan?")
    assert answer.status != "answered", answer.answer


def test_an_abbreviation_is_held_by_its_full_form():
    """ "OCOP" is held by "Chương trình Mỗi xã một sản phẩm", though the full form is listed with the
    abbreviation after it."""
    from assistant.answer.checks import holds_subjects
    from assistant.retrieve.query import analyse
    from assistant.retrieve.rerank import TermWeights

    terms = analyse("OCOP gắn với làng nghề thế nào?").terms()
    weights = TermWeights(["Chương trình Mỗi xã một sản phẩm", "làng nghề truyền thống"] + ["nông thôn mới"] * 8)
    assert holds_subjects(terms, "gắn với thực hiện Chương trình Mỗi xã một sản phẩm", weights)
    assert not holds_subjects(terms, "quan tâm khôi phục, phát triển các làng nghề truyền thống", weights)


@pytest.mark.parametrize(
    "question",
    [
        "chỉ tiu OCOP 4 sao la bn phần trăm",  # phone spellings
        "đạt NTM nâng cao bao nhiêu xã tới 2025",  # a word of the text's phrase left out
        "Ủy ban tỉnh được giao làm gì?",  # a body by its everyday name
    ],
)
def test_everyday_wording_is_answered(corpus_assistant, question):
    answer, _ = corpus_assistant.ask(question)
    assert answer.status == "answered", answer.answer


def test_every_quote_is_verbatim(corpus_assistant):
    for question in [
        "Mục tiêu BHYT là bao nhiêu, còn nước sạch thì sao?",
        "Tỉnh có thưởng tiền cho xã đạt chuẩn không?",
        "Hiện nay bao nhiêu xã đạt chuẩn NTM, còn thiếu bao nhiêu so với mục tiêu?",
    ]:
        answer, _ = corpus_assistant.ask(question)
        assert all(corpus_assistant.verify_quote(c.doc_id, c.start, c.end, c.quote) for c in answer.citations)


def test_structure_questions_are_answered_from_the_clause_tree(corpus_assistant):
    answer, _ = corpus_assistant.ask("Phần IV Tổ chức thực hiện có mấy điểm?")
    assert answer.status == "answered" and answer.answer.startswith("Mục IV gồm 5 phần:")
    assert [c.clause for c in answer.citations] == ["IV.1", "IV.2", "IV.3", "IV.4", "IV.5"]


@pytest.mark.parametrize(
    "question, start",
    [
        ("Nghị quyết gồm những phần lớn nào? Xin kể tên các phần.", "Nghị quyết gồm 4 phần:"),
        ("nq gom may phan z", "Nghị quyết gồm 4 phần:"),  # typed without accents, with a chat word
        ("nhiệm vụ, giải pháp trọng tâm gồm mấy nhóm, là những nhóm nào ạ", "Mục II gồm 3 phần:"),
        ("Phần II của nghị quyết chia thành mấy nhóm nhiệm vụ, giải pháp lớn?", "Mục II gồm 3 phần:"),
        ("Mục 2 phần II có bao nhiêu tiểu mục?", "Mục II.2 gồm 5 phần:"),  # "Mục 2 phần II" is II.2
        ("Phần I của NQ gồm những mục gì?", "Mục I gồm 3 phần:"),
        ("Những giải pháp chính trong phần Nhiệm vụ, giải pháp trọng tâm là gì? Xin kể tên các nhóm.", "Mục II gồm"),
    ],
)
def test_the_document_and_a_part_named_by_its_heading_are_outlined(corpus_assistant, question, start):
    answer, _ = corpus_assistant.ask(question)
    assert answer.status == "answered" and answer.answer.startswith(start), answer.answer


def test_the_outline_of_another_kind_of_document_is_not_the_resolutions(corpus_assistant):
    """A plan the resolution asks for ("Kế hoạch học tập, quán triệt NQ") is no resolution: its
    parts are not the resolution's."""
    answer, _ = corpus_assistant.ask("Kế hoạch học tập, quán triệt NQ của Ban Tuyên giáo gồm mấy nội dung?")
    assert not answer.answer.startswith("Nghị quyết gồm") and answer.status != "answered"


@pytest.mark.parametrize(
    "question, answered",
    [
        ("Đề án thí điểm được Thủ tướng phê duyệt bằng quyết định số mấy?", True),  # "số 2114/QĐ-TTg"
        ("Nghị quyết này cụ thể hóa Nghị quyết Đại hội Đảng bộ tỉnh lần thứ mấy?", True),  # "lần thứ XIX"
        ("Đồng chí Bí thư Tỉnh ủy ký nghị quyết này tên là gì?", False),  # no name is written
        ("What forest cover rate does Ha Tinh aim for by 2025?", False),  # forest: not in the documents
        ("How many OCOP products did Hà Tĩnh already have when the resolution was issued?", False),  # no count
        ("Khi nào thì tỉnh tổ chức tổng kết nq này, năm nào vậy?", False),  # "tổng kết thực tiễn": no year
        # another province's figure is not the gap between the resolution's own two figures
        ("Nghệ An hiện có bao nhiêu xã đạt chuẩn ntm vậy, chị muốn so với tỉnh mình?", False),
        ("Thu nhập bình quân ở nông thôn cả nước hiện nay là bao nhiêu?", False),  # the country's, never given
    ],
)
def test_what_is_asked_must_be_in_the_quote(corpus_assistant, question, answered):
    answer, _ = corpus_assistant.ask(question)
    assert (answer.status == "answered") == answered, answer.answer


def test_a_related_part_refers_to_a_quote_given_above_instead_of_repeating_it(corpus_assistant):
    answer, _ = corpus_assistant.ask("Tỷ lệ tham gia BHYT mục tiêu là bao nhiêu, còn BHXH thì sao?")
    assert answer.answer.count("“Tỷ lệ người dân tham gia bảo hiểm y tế đạt trên 95%”") == 1
    assert all(corpus_assistant.verify_quote(c.doc_id, c.start, c.end, c.quote) for c in answer.citations)


def test_a_task_sentence_keeps_the_score_of_its_best_clause(corpus_assistant):
    """Two clauses of one sentence become that sentence once, judged by the better clause: the tasks
    of the Front (Mục IV.3) are answered, not hedged as "không nêu trực tiếp"."""
    answer, _ = corpus_assistant.ask("Mặt trận Tổ quốc và các đoàn thể được giao những nhiệm vụ gì?")
    assert answer.status == "answered"
    assert answer.citations[0].clause == "IV.3"


def test_a_question_in_two_parts_shows_each_parts_best_passage(corpus_assistant):
    """The passages shown with a two-part answer are each part's best in turn (the parts' own
    searches, no third one for the whole question)."""
    question = "Tỷ lệ tham gia BHYT phải đạt bao nhiêu, và ai chủ trì biên soạn tài liệu tập huấn?"
    answer, passages = corpus_assistant.ask(question, hits=4)
    assert len(answer.parts) == 2
    first = corpus_assistant.search("Tỷ lệ tham gia BHYT phải đạt bao nhiêu", k=1)[0]
    second = corpus_assistant.search("ai chủ trì biên soạn tài liệu tập huấn", k=1)[0]
    assert [p.chunk_id for p in passages[:2]] == [first.chunk_id, second.chunk_id]
    assert [p.clause for p in passages[:2]] == ["I.3", "IV.5"]
    assert [p.rank for p in passages] == list(range(1, len(passages) + 1))


def test_a_part_named_by_its_heading_is_where_the_answer_comes_from(corpus_assistant):
    """ "trong phần tổ chức thực hiện": the Front's task under IV, not its role set out under II.3.2."""
    answer, _ = corpus_assistant.ask("Trong phần tổ chức thực hiện, MTTQ và các đoàn thể được giao việc gì?")
    assert answer.status == "answered" and {c.clause for c in answer.citations} == {"IV.3"}, answer.answer
    assert "giám sát, phản biện" in answer.answer


def test_a_count_asked_is_answered_when_no_other_sentence_counts_it(corpus_assistant):
    """ "mấy huyện": a sentence on districts without a count of them is no rival to "08/13 huyện"."""
    answer, _ = corpus_assistant.ask("Mấy huyện trong tỉnh về đích nông thôn mới rồi anh?")
    assert answer.status == "answered" and "08/13" in answer.answer, answer.answer


def test_two_subjects_joined_get_a_quote_each(corpus_assistant):
    """ "làng nghề … với du lịch": the clause on tourism beside the one on craft villages, though it
    scores well under it."""
    answer, _ = corpus_assistant.ask("làng nghề truyền thống với du lịch ở nông thôn thì nghị quyết nói răng")
    quoted = " ".join(c.quote for c in answer.citations)
    assert "làng nghề truyền thống" in quoted and "du lịch trải nghiệm" in quoted


def test_the_time_whose_figure_the_question_states_is_not_the_time_it_asks():
    from assistant.retrieve.query import stated_frame

    assert stated_frame("hien nay 8/13 huyen roi, toi 2025 thi phai bao nhieu huyen") == "baseline"
    assert stated_frame("What is the current coverage rate, i.e. the baseline for the 95% target?") == "target"
    assert stated_frame("BHYT hiện nay bao nhiêu, so với mục tiêu?") is None


def test_todays_figure_asked_beside_the_askers_target_is_not_answered_by_the_target(corpus_assistant):
    answer, _ = corpus_assistant.ask("BHYT đến 2025 phải 95%, hiện nay được bao nhiêu?")
    assert answer.status == "related" and "95%" in answer.answer
    assert answer.answer.startswith("Các văn bản hiện có không nêu số liệu hiện nay")


def test_where_a_thing_is_said_is_answered_with_its_clause(corpus_assistant):
    answer, _ = corpus_assistant.ask(
        "ad cho hỏi phần nào trong NQ nói về Chương trình Mỗi xã một sp (OCOP) z, mục mấy?"
    )
    assert answer.status == "answered" and answer.answer.startswith("Nội dung này ở Mục II.2.1:")
    # the sentence before says what "nội dung đó" is
    answer, _ = corpus_assistant.ask(
        "Em cần trích dẫn đoạn nói về nâng cao chất lượng y tế để báo cáo với xã. "
        "Nội dung đó nằm ở mục nào trong phần nhiệm vụ, giải pháp ạ?"
    )
    assert answer.answer.startswith("Nội dung này ở Mục II.2.3:")
    answer, _ = corpus_assistant.ask("Which section of the resolution deals with clean water?")
    assert answer.answer.startswith("This is in Mục I.3:")


def test_words_people_use_for_money_levels_and_parts(corpus_assistant):
    # where the money comes from is the capital sources, not a word the documents never write
    answer, _ = corpus_assistant.ask("ad ơi tiền làm ntm theo nq thì lấy từ những nguồn nào v?")
    assert answer.status == "answered" and "nguồn vốn ngân sách cấp tỉnh, huyện, xã" in answer.answer
    assert "«tiền»" not in answer.answer
    # a quiz claim giving a place the other level
    answer, _ = corpus_assistant.ask(
        "Câu hỏi kiểm tra: nghị quyết đặt mục tiêu huyện Nghi Xuân đạt chuẩn nông thôn mới nâng cao, đúng hay sai?"
    )
    assert answer.answer.startswith("Không đúng") and "kiểu mẫu" in answer.answer, answer.answer
    # "gồm mấy nhóm lớn, đó là những nhóm nào": counted, from the clause tree
    answer, _ = corpus_assistant.ask("Phần nhiệm vụ, giải pháp trọng tâm gồm mấy nhóm lớn, đó là những nhóm nào?")
    assert answer.answer.startswith("Mục II gồm 3 phần"), answer.answer
    # a polite opening names nothing the documents lack
    part = corpus_assistant.judge("Kính gửi ban biên tập, cho tôi hỏi chỉ tiêu tham gia bảo hiểm y tế là bao nhiêu?")
    assert part.evidence.missing == []
