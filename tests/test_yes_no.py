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
