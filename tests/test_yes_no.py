"""Yes/no questions that state a figure get a verdict before the quote."""

from __future__ import annotations

import pytest

from assistant.answer.checks import yes_no_verdict
from assistant.retrieve.query import analyse


@pytest.mark.parametrize(
    "question,quote,verdict",
    [
        (
            "Có phải hiện nay đã có 10/13 huyện đạt chuẩn NTM rồi không ạ?",
            "08/13 huyện, thành phố, thị xã đạt chuẩn",
            "no",
        ),
        ("chỉ tiêu OCOP là 300 sản phẩm đúng không ạ?", "có ít nhất trên 200 sản phẩm, dịch vụ đạt chuẩn OCOP", "no"),
        ("BHYT đạt trên 95% phải ko", "Tỷ lệ người dân tham gia bảo hiểm y tế đạt trên 95%", "yes"),
        ("Có đúng là đến năm 2025 có 7244 vườn mẫu không?", "7.244 vườn mẫu đạt chuẩn", "yes"),
        ("NQ có phê bình địa phương trông chờ, ỷ lại đúng không?", "một số địa phương còn có tư tưởng trông chờ", None),
        ("Mục tiêu BHYT là bao nhiêu?", "Tỷ lệ người dân tham gia bảo hiểm y tế đạt trên 95%", None),
        (  # a place the quote replaces with another
            "Có phải huyện Can Lộc phấn đấu đạt chuẩn kiểu mẫu không?",
            "huyện Nghi Xuân đạt chuẩn nông thôn mới kiểu mẫu",
            "no",
        ),
        ("Huyện Nghi Xuân đạt chuẩn kiểu mẫu đúng không?", "huyện Nghi Xuân đạt chuẩn nông thôn mới kiểu mẫu", None),
        # a claim of the whole over a part of it, and over the whole
        ("Có đúng là hiện nay toàn bộ 182/182 xã đã đạt chuẩn không?", "toàn tỉnh đã có 171/182 xã đạt chuẩn", "no"),
        ("Will every rural household have a septic toilet by 2025?", "tối thiểu 80% hộ gia đình ở nông thôn", "no"),
        ("Có đúng là mục tiêu 100% số xã đạt chuẩn không?", "100% số xã đạt chuẩn, ít nhất 50% số xã nâng cao", "yes"),
        # a claim the quote says is not so, and a question that itself speaks of the shortfall
        ("Has land-use planning been well coordinated up to now?", "công tác quy hoạch chưa đồng bộ", "no"),
        ("Is culture at risk of fading?", "Một số giá trị văn hóa truyền thống có nguy cơ bị mai một.", None),
        ("An ninh ở một số nơi còn tiềm ẩn phức tạp, đúng không?", "an ninh, trật tự còn tiềm ẩn phức tạp", None),
    ],
)
def test_a_stated_figure_is_checked_against_the_quote(question, quote, verdict):
    assert yes_no_verdict(analyse(question), quote) == verdict


def test_a_claim_about_a_place_the_resolution_never_names_is_gainsaid(corpus_assistant):
    answer, _ = corpus_assistant.ask(
        "Có thông tin cho rằng huyện Can Lộc được chọn đạt chuẩn nông thôn mới kiểu mẫu, đúng không?"
    )
    assert answer.status == "answered" and answer.answer.startswith("Không đúng, theo Mục I.3:")
    assert "huyện Nghi Xuân" in answer.answer
    answer, _ = corpus_assistant.ask(
        "Có phải tỉnh Nghệ An có 171 xã đạt chuẩn không?"
    )  # another province: not this one's
    assert answer.status == "related"


def test_a_claim_about_the_situation_so_far_is_answered_by_the_assessment(corpus_assistant):
    """ "… đã làm tốt rồi phải không?" asks about the situation so far: the assessment answers it
    ("chưa được quan tâm đúng mức"), not the task set for the years ahead."""
    answer, _ = corpus_assistant.ask(
        "ờ cái chuyện rác thải sinh hoạt ở nông thôn á nghị quyết đánh giá là đã làm tốt rồi phải không em"
    )
    assert answer.status == "answered" and "chưa được quan tâm đúng mức" in answer.answer


def test_a_year_followed_by_must_asks_the_target(corpus_assistant):
    # "thì 2025 phải …": the target, even with a chat "rồi" in the question
    answer, _ = corpus_assistant.ask("nha ve sinh tu hoai thi 2025 phai 100% ho nong thon co r dung hok")
    assert answer.status == "answered" and answer.answer.startswith("Không đúng, theo Mục I.3:")
    assert "80%" in answer.answer


def test_a_claim_on_today_and_the_target_is_checked_against_both(corpus_assistant):
    # the figure the question states ("171 xã") picks the baseline that gives it
    right, _ = corpus_assistant.ask("Hiện nay 171 xã đạt chuẩn rồi, đến 2025 phải 100% số xã đạt chuẩn đúng không?")
    assert right.answer.startswith("Đúng. Đến nay:") and "171/182" in right.answer and "100%" in right.answer
    wrong, _ = corpus_assistant.ask("Hiện nay 171 xã đạt chuẩn rồi, đến 2025 phải 90% số xã đạt chuẩn đúng không?")
    assert wrong.answer.startswith("Không đúng. Đến nay:")


def test_the_causes_of_the_shortcomings_are_not_the_shortcomings(corpus_assistant):
    # "nguyên nhân chính của những tồn tại, hạn chế nêu trên" points back: it does not list them
    answer, _ = corpus_assistant.ask("NQ chỉ ra những tồn tại, hạn chế gì trong xây dựng NTM của tỉnh?")
    assert "quy hoạch chưa đồng bộ" in answer.answer and "nguyên nhân chính" not in answer.answer


def test_a_claim_said_in_tens_and_a_year_no_document_speaks_of(corpus_assistant):
    seventy, _ = corpus_assistant.ask(
        "chú nghe nói tới hai không hai lăm thu nhập nông thôn phải được bảy chục triệu phải không em"
    )
    assert seventy.answer.startswith("Không đúng") and "60 triệu" in seventy.answer
    # "năm 2015 … rồi" asks a figure of a year the resolution never speaks of: no gap from today's
    earlier, _ = corpus_assistant.ask("hồi năm hai không mười lăm tỉnh mình có được mấy xã đạt nông thôn mới rồi em")
    assert earlier.status != "answered" and "2015" in earlier.answer


def test_a_claimed_date_and_bn_said_to_the_one_asked(corpus_assistant):
    # a date the question states is checked against the quoted one
    wrong, _ = corpus_assistant.ask("Quyết định 2114/QĐ-TTg phê duyệt đề án thí điểm ký ngày 16/12/2021 đúng không?")
    assert wrong.answer.startswith("Không đúng") and "16/12/2020" in wrong.answer
    right, _ = corpus_assistant.ask("Quyết định 2114/QĐ-TTg phê duyệt đề án thí điểm ký ngày 16/12/2020 phải không?")
    assert right.answer.startswith("Đúng")
    # "… đúng ko bn?": "bn" is "bạn" there, not "bao nhiêu"
    chat, _ = corpus_assistant.ask("nghe noi muc tieu thu nhap nong thon 2025 la 50 trieu/nguoi/nam, dung ko bn?")
    assert chat.answer.startswith("Không đúng") and "60 triệu" in chat.answer
