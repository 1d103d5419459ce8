"""Questions that only a name answers — which communes or districts, which document number — are
not answered by a sentence that gives a count or another document's number ("Hai xã kiểu mẫu là xã
nào?" over "02 xã nông thôn mới kiểu mẫu")."""

from __future__ import annotations

import pytest

from assistant.answer.checks import names_number, names_place
from assistant.retrieve.query import question_kinds


@pytest.mark.parametrize(
    "question,quote,named",
    [
        ("Hai xã nông thôn mới kiểu mẫu hiện nay là xã nào?", "02 xã nông thôn mới kiểu mẫu, 747 khu dân cư", False),
        ("huyện nào đạt chuẩn NTM kiểu mẫu?", "huyện Nghi Xuân đạt chuẩn nông thôn mới kiểu mẫu", True),
        ("ngoài Nghi Xuân thì những huyện nào?", "huyện Nghi Xuân đạt chuẩn nông thôn mới kiểu mẫu", False),
        ("Ngoài Hà Tĩnh còn tỉnh nào được chọn thí điểm?", "tỉnh Hà Tĩnh được Thủ tướng chọn thí điểm", False),
        ("Xin kể tên 08 huyện đã đạt chuẩn.", "toàn tỉnh đã có 171/182 xã đạt chuẩn", False),
        ("Nguồn lực ưu tiên cho những xã, huyện nào?", "ưu tiên nguồn lực ở các xã, huyện chưa đạt chuẩn", True),
        ("Những huyện nào chưa đạt chuẩn, kể tên giúp tôi?", "nâng cao chất lượng ở các huyện, thị xã", False),
        ("Which district is a model district?", "huyện Nghi Xuân đạt chuẩn nông thôn mới kiểu mẫu", True),
        ("list cac xa chua dat chuan ntm la nhung xa nao", "ưu tiên nguồn lực ở các xã, huyện chưa đạt chuẩn", False),
        # so many places asked for: their names, not the places described as a group
        ("Which three districts reach the advanced standard?", "Các huyện, xã chủ động soát xét tiêu chí", False),
        # a place given another level than the one asked is not one asked for
        ("3 huyện đạt NTMNC là huyện nào?", "huyện Nghi Xuân đạt chuẩn nông thôn mới kiểu mẫu", False),
        ("ba huyện nâng cao là những huyện mô?", "huyện Nghi Xuân đạt chuẩn nông thôn mới kiểu mẫu", False),
        (
            "Nghị quyết có chỉ rõ những huyện nào sẽ đạt chuẩn?",
            "ưu tiên nguồn lực ở các xã, huyện chưa đạt chuẩn",
            False,
        ),
    ],
)
def test_a_place_asked_for_is_named(question, quote, named):
    assert names_place(question, quote) is named


@pytest.mark.parametrize(
    "question,quote,named",
    [
        ("NQ này số mấy?", "Nghị quyết và Quyết định số 2114/QĐ-TTg, ngày 16/12/2020", False),
        ("Quyết định của Thủ tướng số mấy?", "Quyết định số 2114/QĐ-TTg, ngày 16/12/2020", True),
        ("Đại hội Đảng bộ tỉnh lần thứ mấy?", "Nghị quyết Đại hội Đảng bộ tỉnh lần thứ XIX", True),
        ("số hiệu văn bản là gì?", "Quyết định số 2114/QĐ-TTg", True),
    ],
)
def test_a_number_asked_for_is_of_the_document_named(question, quote, named):
    assert names_number(question, quote) is named


@pytest.mark.slow
def test_a_count_does_not_answer_which_places(corpus_assistant):
    answer, _ = corpus_assistant.ask("Hai xã nông thôn mới kiểu mẫu hiện nay là xã nào?")
    assert answer.status != "answered"
    answer, _ = corpus_assistant.ask("Ngoài Hà Tĩnh còn tỉnh nào được chọn thí điểm tỉnh nông thôn mới?")
    assert answer.status != "answered"
    answer, _ = corpus_assistant.ask("Nguồn lực được Nghị quyết ưu tiên dành cho những xã, huyện nào?")
    assert answer.status == "answered" and "chưa đạt chuẩn" in answer.answer


@pytest.mark.parametrize(
    "question,quote,defined",
    [
        (
            "Theo Nghị quyết, thế nào là hộ nghèo đa chiều?",
            "tỷ lệ hộ nghèo đa chiều giảm bình quân mỗi năm trên 1,5%",
            False,
        ),
        ("thế nào là hộ nghèo đa chiều?", "Hộ nghèo đa chiều là hộ gia đình có thu nhập bình quân thấp", True),
        ("Khái niệm kinh doanh du lịch được hiểu như thế nào?", "Kinh doanh du lịch là việc thực hiện dịch vụ", True),
    ],
)
def test_a_meaning_asked_for_is_a_sentence_that_gives_it(question, quote, defined):
    from assistant.answer.checks import defines
    from assistant.retrieve.query import question_kinds

    assert "definition" in question_kinds(question)
    assert defines(question, quote) is defined


@pytest.mark.parametrize(
    "question,quote,held",
    [
        ("huyện ủy phải đánh giá định kỳ bao lâu 1 lần?", "định kỳ hằng quý, sáu tháng và hằng năm đánh giá", True),
        ("How often must district committees review progress?", "Thường xuyên rà soát, củng cố các tiêu chí", False),
        ("đánh giá mấy lần một năm", "Các huyện, thành, thị ủy chỉ đạo xây dựng Đề án giai đoạn 2021 - 2025", False),
    ],
)
def test_how_often_is_answered_by_a_period(question, quote, held):
    """ "bao lâu một lần", "mấy lần", "how often" ask a period ("hằng quý"), neither a figure nor a
    year, and a vague "thường xuyên" is none."""
    from assistant.answer.checks import holds_figures, holds_kind
    from assistant.retrieve.query import analyse, question_kinds

    assert "frequency" in question_kinds(question) and not question_kinds(question) & {"quantity", "time"}
    assert holds_kind(analyse(question), quote) is held
    assert holds_figures(analyse(question), "định kỳ hằng quý, sáu tháng và hằng năm đánh giá")
    assert "frequency" not in question_kinds("thu nhập tăng gấp mấy lần so với năm 2020?")


@pytest.mark.slow
def test_how_often_quotes_the_period(corpus_assistant):
    answer, _ = corpus_assistant.ask("cac huyen thanh thi uy phai danh gia dinh ky bao lau 1 lan")
    assert answer.status == "answered" and "hằng quý" in answer.answer
    # the period is a clause of its own, well under the task it times, in the same passage
    answer, _ = corpus_assistant.ask("How often do district party committees have to review progress?")
    assert "hằng quý, sáu tháng" in answer.answer


@pytest.mark.slow
def test_which_campaigns_quotes_their_names(corpus_assistant):
    """ "những cuộc vận động nào": the sentence that names them in quotes, not the one that only says
    "các phong trào thi đua, các cuộc vận động của Trung ương, của tỉnh" (a movement asked without
    "thi đua" may be named without quotes: "phong trào toàn dân đoàn kết …")."""
    answer, _ = corpus_assistant.ask("NQ nhắc tới những cuộc vận động nào vậy?")
    assert answer.status == "answered" and "“Toàn dân đoàn kết" in answer.answer, answer.answer
    # the whole sentence that names them, not the clause holding the first two
    answer, _ = corpus_assistant.ask(
        "mặt trận với đoàn thể thì phải tiếp tục làm mấy cái phong trào với cuộc vận động chi"
    )
    assert "Người Việt Nam ưu tiên dùng hàng Việt Nam" in answer.answer, answer.answer
    assert "title" not in question_kinds("Về văn hóa - xã hội, Nghị quyết yêu cầu đẩy mạnh phong trào nào?")


@pytest.mark.slow
def test_a_slogan_is_the_phrase_in_quotes(corpus_assistant):
    """ "4 từ nào … làm slogan": the countryside "trù phú, hòa thuận, văn minh, an toàn", set in quotes."""
    assert "title" in question_kinds("Khẩu hiệu về vùng quê mà Nghị quyết hướng tới là gì?")
    answer, _ = corpus_assistant.ask("vung que trong nq dc mo ta bang 4 tu nao ay, e muon lay lam slogan cho bai dang")
    assert answer.status == "answered" and "“trù phú, hòa thuận, văn minh, an toàn”" in answer.answer


def test_how_long_the_answer_should_be_is_no_subject_nor_figure():
    """ "tóm tắt 1 câu thôi", "trong 2-3 ý" say how long the answer should be: their numbers are no
    figure a quote must hold, their words no subject; "phần" only points at a part of the text."""
    from assistant.answer.checks import holds_figures
    from assistant.retrieve.query import analyse

    question = analyse("phan an ninh quoc phong noi j, tom tat 1 cau thoi")
    assert not {t.token for t in question.terms()} & {"1", "cau", "thoi"}
    assert "phan" not in {t.token for t in analyse("Phần an ninh quốc phòng nói gì?").terms()}
    assert holds_figures(question, "Củng cố thế trận an ninh nhân dân gắn với thế trận quốc phòng toàn dân")
    assert not {t.token for t in analyse("tóm tắt mục tiêu chung trong 2-3 ý thôi").terms()} & {"2", "3", "y"}
    assert "3" in {t.token for t in analyse("OCOP 3 sao có bao nhiêu sản phẩm?").terms()}


@pytest.mark.slow
def test_a_part_asked_in_one_sentence_is_answered_from_it(corpus_assistant):
    answer, _ = corpus_assistant.ask("phan an ninh quoc phong noi j, tom tat 1 cau thoi")
    assert answer.status == "answered" and "an ninh" in answer.answer and "Mục II.2.5" in str(answer.to_json())


def test_a_measure_is_held_by_a_range_in_its_unit():
    from assistant.answer.checks import within_range
    from assistant.vietnamese import fold

    lane = fold("Đường ngõ xóm có mặt đường rộng từ 2,5 m đến dưới 3,5 m, dày tối thiểu 16 cm")
    assert within_range(3, "m", lane) and not within_range(3.5, "m", lane) and not within_range(2, "m", lane)
    assert within_range(4, "m", fold("rộng từ 3,5 m trở lên")) and not within_range(3, "m", fold("từ 3,5 m trở lên"))
    assert not within_range(11, "m", fold("có trên 10% số xã"))  # a count of communes is no measure in a range


@pytest.mark.slow
def test_an_annex_named_but_not_held_does_not_answer_what_it_holds(corpus_assistant):
    """ "(Kèm theo Phụ lục …)" answers which annex is attached, not how many criteria it lists."""
    contents, _ = corpus_assistant.ask("phụ lục bộ tiêu chí tỉnh gồm mấy tiêu chí, kể tên từng cái đc ko ạ")
    assert contents.status == "related" and "Phụ lục định hướng" in contents.answer
    which, _ = corpus_assistant.ask("nq có kèm phụ lục gì không")
    assert which.status == "answered" and "Phụ lục định hướng Bộ Tiêu chí" in which.answer


def test_where_something_is_sited_asks_a_place_and_a_factory_asks_no_number():
    assert "place" in question_kinds("Where will the new waste treatment plants be located?")
    assert "place" in question_kinds("nhà máy xử lý rác sẽ xây ở đâu")
    assert "quantity" not in question_kinds("nhà máy xử lý rác sẽ xây ở đâu")
    assert "quantity" in question_kinds("tỉnh có mấy nhà máy xử lý rác")
