"""Yes/no questions that state a figure get a verdict before the quote."""

from __future__ import annotations

import pytest

from assistant.answer.checks import yes_no_verdict
from assistant.retrieve.query import analyse

_OCOP = "trong đó có 20% số sản phẩm đạt 4 sao, trên 5% số sản phẩm đạt 5 sao."


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
        (  # the figure stated for another thing ("30 triệu đồng/sản phẩm") is not the one claimed
            "vườn mẫu dc huyện công nhận thì dc hỗ trợ 30 triệu/vườn hả?",
            "Vườn mẫu được công nhận: hỗ trợ 20 triệu đồng/vườn; Sản phẩm đạt 3 sao: hỗ trợ 30 triệu đồng/sản phẩm",
            "no",
        ),
        ("vườn mẫu được hỗ trợ 20 triệu/vườn hả?", "Vườn mẫu được công nhận: hỗ trợ 20 triệu đồng/vườn", "yes"),
        ("Huyện Nghi Xuân đạt chuẩn kiểu mẫu đúng không?", "huyện Nghi Xuân đạt chuẩn nông thôn mới kiểu mẫu", None),
        (  # the level the quote gives the place named is another one
            "Câu hỏi kiểm tra: nghị quyết đặt mục tiêu huyện Nghi Xuân đạt chuẩn nông thôn mới nâng cao, đúng hay sai?",
            "huyện Nghi Xuân đạt chuẩn nông thôn mới kiểu mẫu, điển hình về văn hóa gắn với phát triển du lịch.",
            "no",
        ),
        # a claim of the whole over a part of it, and over the whole
        ("Có đúng là hiện nay toàn bộ 182/182 xã đã đạt chuẩn không?", "toàn tỉnh đã có 171/182 xã đạt chuẩn", "no"),
        ("Will every rural household have a septic toilet by 2025?", "tối thiểu 80% hộ gia đình ở nông thôn", "no"),
        ("Có đúng là mục tiêu 100% số xã đạt chuẩn không?", "100% số xã đạt chuẩn, ít nhất 50% số xã nâng cao", "yes"),
        # a claim the quote says is not so, and a question that itself speaks of the shortfall
        ("Has land-use planning been well coordinated up to now?", "công tác quy hoạch chưa đồng bộ", "no"),
        ("Is culture at risk of fading?", "Một số giá trị văn hóa truyền thống có nguy cơ bị mai một.", None),
        ("An ninh ở một số nơi còn tiềm ẩn phức tạp, đúng không?", "an ninh, trật tự còn tiềm ẩn phức tạp", None),
        # a share claimed for one star rating over a quote giving it for another
        ("Is it true that 20% of OCOP products are supposed to reach 5 stars?", _OCOP, "no"),
        ("Có phải 20% sản phẩm OCOP đạt 4 sao không?", _OCOP, "yes"),
    ],
)
def test_a_stated_figure_is_checked_against_the_quote(question, quote, verdict):
    assert yes_no_verdict(analyse(question), [quote]) == verdict


_TRAINING = (
    "Trường Chính trị Trần Phú chủ trì, phối hợp với Văn phòng Điều phối Nông thôn mới tỉnh biên soạn tài liệu, "
    "tổ chức các lớp tập huấn kiến thức về nông thôn mới cho đội ngũ cán bộ các cấp"
)
_FRONT = (
    "Mặt trận Tổ quốc, các tổ chức chính trị - xã hội đẩy mạnh tuyên truyền, vận động hội viên; thực hiện tốt "
    "chức năng giám sát, phản biện trong xây dựng nông thôn mới."
)


@pytest.mark.parametrize(
    "question,quote,verdict",
    [
        # another body does the task the claim gives
        ("Có phải Sở Nông nghiệp được giao chủ trì soạn tài liệu tập huấn ntm cho cán bộ không?", _TRAINING, "no"),
        ("Văn phòng Điều phối NTM tỉnh chủ trì biên soạn tài liệu tập huấn đúng ko ạ?", _TRAINING, "no"),
        (
            "Nghe nói đề án ntm của mỗi huyện là do ub xã chỉ đạo ban hành, đúng không?",
            "Các huyện, thành, thị ủy chỉ đạo xây dựng, bổ sung, ban hành Đề án xây dựng nông thôn mới",
            "no",
        ),
        (  # the task said in other words ("bám sát, nhắc nhở" for "theo dõi, đôn đốc")
            "Có phải Ban Tuyên giáo Tỉnh ủy là nơi bám sát, nhắc nhở tiến độ và định kỳ báo cáo Ban Thường vụ không?",
            "Văn phòng Tỉnh ủy phối hợp với các ban Đảng theo dõi, đôn đốc việc thực hiện Nghị quyết, định kỳ báo cáo "
            "Ban Thường vụ Tỉnh ủy",
            "no",
        ),
        # the body named does it (or takes part, as the claim says)
        ("mttq bọn chị có nhiệm vụ giám sát, phản biện trong làm ntm đúng ko ạ?", _FRONT, "yes"),
        ("Văn phòng Điều phối có phối hợp biên soạn tài liệu tập huấn không?", _TRAINING, None),
        # a body named, but not as the one doing the task
        (
            "nq nay la cua hdnd tinh ban hanh dung ko",
            "Đảng đoàn Hội đồng nhân dân tỉnh chỉ đạo xây dựng kế hoạch thực hiện, ban hành cơ chế, chính sách",
            None,
        ),
    ],
)
def test_a_claim_is_checked_for_who_does_the_task(question, quote, verdict):
    assert yes_no_verdict(analyse(question), [quote], coverage=1.0) == verdict


@pytest.mark.parametrize(
    "question,coverage,verdict",
    [
        ("nq nói làm ntm là việc thường xuyên, ko có điểm kết thúc, phải ko a?", 0.95, "yes"),
        ("nq nói làm ntm là việc thường xuyên, ko có điểm kết thúc, phải ko a?", 0.8, None),  # not all of it held
        ("nq nói làm ntm là việc thường xuyên, ko cần làm nữa, phải ko a?", 0.95, None),  # a negation not quoted
        ("nq nói làm ntm là việc thường xuyên hay là việc có thời hạn?", 0.95, None),  # an alternative
        ("làm ntm là việc thường xuyên thì ra sao?", 0.95, None),  # asks more than yes or no
    ],
)
def test_a_claim_without_figures_is_confirmed_only_when_all_of_it_is_quoted(question, coverage, verdict):
    quote = "xác định xây dựng nông thôn mới là nhiệm vụ chính trị quan trọng, thường xuyên, liên tục, không có điểm kết thúc."
    assert yes_no_verdict(analyse(question), [quote], coverage) == verdict


def test_a_claim_giving_a_task_to_a_body_the_documents_never_name_is_gainsaid(corpus_assistant):
    answer, _ = corpus_assistant.ask(
        "Có phải Sở Nông nghiệp được giao chủ trì soạn tài liệu, mở lớp tập huấn ntm cho cán bộ không?"
    )
    assert answer.status == "answered" and answer.answer.startswith("Không đúng, theo Mục")
    assert "Trường Chính trị Trần Phú" in answer.answer
    answer, _ = corpus_assistant.ask("nq nói làm ntm là việc thường xuyên, ko có điểm kết thúc, phải ko a?")
    assert answer.answer.startswith("Đúng, theo Mục") and "không có điểm kết thúc" in answer.answer


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


def test_a_chat_abbreviation_no_list_has_is_not_a_missing_subject(corpus_assistant):
    # "bc" (báo cáo), "mn" (mọi người): what they stand for is unknown, not absent from the documents
    answer, _ = corpus_assistant.ask("bc giúp e: hiện nay có bao nhiêu xã đạt chuẩn ntm vậy mn?")
    assert answer.status == "answered" and "171/182" in answer.answer
    answer, _ = corpus_assistant.ask("Tốc độ tăng trưởng GRDP của tỉnh đến 2025 đặt mục tiêu bao nhiêu?")
    assert answer.status != "answered"  # "GRDP", typed in capitals, names what the documents never write


def test_a_farmer_speaking_of_people_and_himself_is_answered(corpus_assistant):
    # "ông …" spoken of, "eng" (anh) called, the asker's age said first: none of it is missing
    answer, _ = corpus_assistant.ask(
        "ông bí thư chi bộ thôn tui nói tỉnh chỉ cần tám mươi phần trăm người dân có thẻ bảo hiểm y tế là đạt phải không hè"
    )
    assert answer.status == "answered" and answer.answer.startswith("Không đúng") and "95%" in answer.answer
    answer, _ = corpus_assistant.ask(
        "huyện Nghi Xuân được chọn làm kiểu mẫu về văn hóa với du lịch có đúng rứa không eng"
    )
    assert answer.status == "answered" and "«eng»" not in answer.answer


def test_a_claim_of_a_year_the_documents_never_write_does_not_hold():
    question = "Có đúng là Hà Tĩnh hẹn tới năm 2030 mới được công nhận là tỉnh đạt chuẩn nông thôn mới không?"
    quote = "Phấn đấu đến năm 2025, Hà Tĩnh được công nhận “Tỉnh đạt chuẩn nông thôn mới”."
    assert yes_no_verdict(analyse(question), [quote], 1.0, unwritten=["2030"]) == "no"
    assert yes_no_verdict(analyse(question), ["Hà Tĩnh được công nhận tỉnh đạt chuẩn"], 1.0, ["2030"]) is None


def test_a_claimed_figure_the_quote_replaces_is_answered_not_hedged():
    # "2 lần một tuần thôi phải không?" over "03 lần/tuần": the quote answers, and says no
    from assistant.answer.checks import holds_figures

    query = analyse("Ở Thạch Kim theo kế hoạch thì rác chỉ được thu gom 2 lần một tuần thôi phải không?")
    quote = "a) Duy trì thu gom rác 03 lần/tuần tại tất cả các thôn"
    assert holds_figures(query, quote) and yes_no_verdict(query, [quote]) == "no"
    assert not holds_figures(analyse("Rác được thu gom mấy lần trong 2 tuần?"), quote)


_CORE = "phát triển kinh tế, nâng cao đời sống vật chất, tinh thần cho Nhân dân là nội dung cốt lõi, trọng tâm"
_CAUSE = "nguyên nhân chính của những tồn tại, hạn chế nêu trên do công tác lãnh đạo, chỉ đạo, kiểm tra, giám sát"
_OTHER = "Ngoài những nguyên nhân khách quan do thường xuyên chịu ảnh hưởng nặng nề của thiên tai, dịch bệnh"


@pytest.mark.parametrize(
    "question,quotes,verdict",
    [
        ("Nghe nói nghị quyết coi phát triển du lịch là phần cốt lõi, phải không?", [_CORE], "no"),
        ("phát triển kinh tế là nội dung cốt lõi đúng không", [_CORE], None),
        ("Có đúng là nghị quyết đổ cho thiên tai, dịch bệnh là nguyên nhân chính?", [_OTHER, _CAUSE], "no"),
        ("nguyen nhan chinh la do thien tai dung ko", [_OTHER, _CAUSE], "no"),
        ("nguyên nhân chính là do lãnh đạo, chỉ đạo chưa sâu sát đúng ko", [_OTHER, _CAUSE], None),
        ("thiên tai là nguyên nhân khách quan đúng không", [_OTHER], None),  # no main one claimed
    ],
)
def test_a_claim_of_the_main_one_is_checked_against_the_one_the_quote_names(question, quotes, verdict):
    from assistant.answer.claims import ranked_verdict

    assert ranked_verdict(question, quotes) == verdict
    if verdict == "no":
        assert yes_no_verdict(analyse(question), quotes) == "no"


@pytest.mark.slow
def test_a_claim_that_the_work_ends_is_answered_from_the_sentence_saying_it_never_does(corpus_assistant):
    answer, _ = corpus_assistant.ask(
        "tui nghe mấy ông trong thôn nói tới 2025 là xong nông thôn mới hết việc rồi đúng không"
    )
    assert answer.answer.startswith("Không đúng") and "không có điểm kết thúc" in answer.answer, answer.answer


@pytest.mark.parametrize(
    "question,yes_no",
    [
        ("Đúng hay sai: Ban Tuyên giáo Tỉnh ủy chủ trì xây dựng kế hoạch học tập nghị quyết.", True),
        ("Nghi Xuân đạt chuẩn nông thôn mới kiểu mẫu, đúng hay sai?", True),
        ("True or false: the resolution sets a target of 200 OCOP products.", True),
        ("nq co noi keu goi doanh nghiep bo von dau tu vao nong nghiep nong thon ko ad", True),
        ("qđ của huyện làm đường bê tông thì dân góp tối thiểu 10% thôi đúng hk?", True),
        ("Nghị quyết có nhắc tới việc phát triển giáo dục thông minh không?", True),
        ("xã đạt chuẩn ntm r mà sau này tiêu chí tụt thì có bị thu hồi bằng công nhận hk ad?", True),
        ("Luật Giáo dục có cho học sinh được miễn, giảm giá vé khi tham quan di tích không?", True),
        # a report checked against the resolution
        ("Xã báo cáo là PCI phải đạt loại tốt. Có đúng với nghị quyết không?", True),
        ("The provincial press says farm output grows 3% a year. Is that accurate?", True),
        # asking what it says, or whether it says a figure at all, is not a claim
        ("xã có được hỗ trợ gì không?", False),
        ("NQ có ghi ko", False),
        ("Nghị quyết có nêu tỷ lệ tham gia BHYT hiện nay là bao nhiêu không ạ?", False),
    ],
)
def test_quiz_and_does_it_say_questions_are_yes_no(question, yes_no):
    assert analyse(question).asks("yes_no") is yes_no


def test_who_a_report_comes_from_is_not_the_claim():
    """ "Xã báo cáo là …": the reporting commune is neither asked about nor held by the quote."""
    terms = {
        t.token for t in analyse("Xã báo cáo là tỉnh thu hồi bằng công nhận, có đúng với nghị quyết không?").terms()
    }
    assert "thu_hoi" in terms and not terms & {"bao_cao", "cao", "dung"}


@pytest.mark.parametrize(
    "question,verdict",
    [
        ("Xã báo cáo là PCI phải đạt loại tốt. Có đúng với nghị quyết không?", "no"),
        ("Is it right that the PCI is to be rated 'good'?", "no"),
        ("PCI đạt loại khá, đúng không?", None),  # the same grade: no "no" (a "yes" needs all of the claim)
    ],
)
def test_a_claimed_grade_is_checked_against_the_quoted_one(question, verdict):
    quote = "chỉ số năng lực cạnh tranh cấp tỉnh (PCI) đạt loại khá"
    assert yes_no_verdict(analyse(question), [quote]) == verdict
