"""Who issued or signed a document is answered from its own header and signature block, quoted line
by line — not from a sentence of its body that says "ban hành" or "theo dõi"."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answer.identity import (
    about_identity,
    asks_identity,
    asks_name,
    identity_spans,
    names_a_person,
    other_number,
)
from assistant.evaluate import library
from assistant.ingest.document import read_document

ROOT = Path(__file__).resolve().parent.parent
RESOLUTION = ROOT / "corpus" / "nghi-quyet-tinh-uy-ha-tinh-ntm-2021-2025.txt"
DECISION = ROOT / library.OWN_DOCUMENTS / "quyet-dinh-huyen-can-loc-muc-ho-tro-2023.txt"
GUIDANCE = ROOT / library.OWN_DOCUMENTS / "huong-dan-so-nn-ptnt-tieu-chi-moi-truong-2024.txt"


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("NQ này do cơ quan nào ban hành vậy ạ, Tỉnh ủy hay HĐND tỉnh?", "issuer"),
        ("Cơ quan nào ban hành Nghị quyết này?", "issuer"),
        ("NQ nay cua co quan nao", "issuer"),
        ("Which body issued the resolution?", "issuer"),
        ("Ai ký nghị quyết này?", "signer"),
        ("quyết định số 1268 do ai ký vậy", "signer"),
        ("Người ký Nghị quyết thay mặt Tỉnh ủy giữ chức danh gì?", "signer"),
        ("Who signs the resolution, in what capacity?", "signer"),
        ("NQ được ký thay mặt Tỉnh ủy với chức danh gì?", "signer"),
        ("chức vụ của người ký nghị quyết", "signer"),
        ("Nghị quyết được ký thay mặt cơ quan nào?", "signer"),  # "T/M TỈNH ỦY"
        ("quyết định của huyện Can Lộc ban hành ngày nào", "date"),
        ("When was the resolution issued?", "date"),
        ("kế hoạch của xã Thạch Kim số hiệu là gì", "number"),
        ("ban NQ goc luu o dau vay", "archive"),
        ("Bản lưu của Nghị quyết được giữ tại cơ quan nào?", "archive"),
        ("Where is the original of the resolution filed?", "archive"),
        ("Who actually issued this resolution?", "issuer"),
        ("In what capacity is the document signed — who puts their signature on it?", "signer"),
        ("What is the official number of this resolution?", "number"),
        ("Who signed it - in what capacity?", "signer"),
        ("nq nay la cua hdnd tinh ban hanh dung ko", "issuer"),  # a claim: the header says who did
        ("Nghị quyết giao HĐND tỉnh ban hành cơ chế đúng không?", None),
        ("nghị quyết ni ai đứng ra ký thay mặt tỉnh ủy chức vụ chi đó", "signer"),
        # who issues what the resolution asks for, not the resolution itself
        ("Cơ quan nào ban hành cơ chế, chính sách?", None),
        ("Nghị quyết giao cơ quan nào ban hành cơ chế?", None),
        ("Tỷ lệ dịch vụ công trực tuyến tại thời điểm ban hành Nghị quyết là bao nhiêu?", None),  # "tại" holds no "ai"
        # what the whole document is about: its title lines
        ("Nghị quyết này nói về chuyện chi, em cần một câu tóm tắt để mở đầu bài phát thanh?", "subject"),
        ("ad ơi cho e hỏi nq nay noi ve j vay", "subject"),
        ("What is this resolution about?", "subject"),
        ("Nội dung chính của nghị quyết là gì?", "subject"),
        # what it says of a thing, of one of its parts, or a name it gives, is no question of its title
        ("nghị quyết nói gì về nước sạch?", None),
        ("quy che dan chu o co so nq noi gi", None),
        ("phần III của NQ nói về nội dung gì vậy ạ?", None),
        ("Tên phong trào thi đua trong nghị quyết là gì?", None),
        ("nghị quyết nói cái chi là cốt lõi là trọng tâm của việc xây dựng tỉnh nông thôn mới em", None),
    ],
)
def test_questions_about_the_document_itself(question, kind):
    assert asks_identity(question) == kind


def test_a_second_part_may_ask_more_of_the_signer_but_not_of_another_subject():
    assert about_identity("in what capacity") and about_identity("tên là gì")
    assert not about_identity("mục tiêu BHYT là bao nhiêu")


def _lines(kind: str, path: Path) -> list[str]:
    document = read_document(path)
    return [document.text[a:b] for a, b in identity_spans(kind, document)]


def test_the_issuer_is_read_from_the_header_lines():
    assert _lines("issuer", RESOLUTION) == ["CỦA BAN CHẤP HÀNH ĐẢNG BỘ TỈNH"]
    assert _lines("issuer", DECISION) == ["ỦY BAN NHÂN DÂN HUYỆN CAN LỘC"]  # the line that names it whole
    assert _lines("issuer", GUIDANCE) == ["SỞ NÔNG NGHIỆP VÀ", "PHÁT TRIỂN NÔNG THÔN"]  # over two lines


def test_what_a_document_is_about_is_read_from_its_title_lines():
    assert _lines("subject", RESOLUTION) == [
        "Về tập trung lãnh đạo, chỉ đạo thực hiện Đề án “Thí điểm xây dựng tỉnh Hà Tĩnh đạt chuẩn nông thôn mới, "
        "giai đoạn 2021 - 2025”"
    ]
    assert _lines("subject", DECISION) == [
        "Về việc quy định mức hỗ trợ thực hiện một số nội dung xây dựng nông thôn mới trên địa bàn huyện Can Lộc năm 2023"
    ]


def test_where_the_original_is_filed_is_read_from_the_recipients_list():
    assert _lines("archive", RESOLUTION) == ["Lưu Văn phòng Tỉnh ủy."]


def test_the_date_and_number_are_read_from_the_header():
    assert _lines("date", DECISION) == ["Can Lộc, ngày 15 tháng 5 năm 2023"]
    assert _lines("number", DECISION) == ["Số: 1268/QĐ-UBND"]
    assert _lines("date", RESOLUTION) == [] and _lines("number", RESOLUTION) == []  # its heading gives neither


def test_another_documents_number_is_not_this_ones():
    decision = read_document(DECISION)
    assert other_number("QĐ 2114 do ai ký", decision) and not other_number("QĐ 1268 ký ngày nào năm 2023", decision)


def test_the_signer_is_read_from_the_signature_block():
    assert _lines("signer", RESOLUTION) == ["T/M TỈNH ỦY", "BÍ THƯ"]
    decision = _lines("signer", DECISION)
    assert decision[:3] == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"] and "Trần Đình Hưng" in decision
    assert names_a_person(decision) and not names_a_person(_lines("signer", RESOLUTION))
    assert asks_name("Ai ký nghị quyết này, tên là gì?") and not asks_name("Ai ký nghị quyết này?")


def test_the_answer_quotes_the_header_and_says_when_no_name_is_written(corpus_assistant):
    answer, _ = corpus_assistant.ask("NQ này do cơ quan nào ban hành vậy ạ, Tỉnh ủy hay HĐND tỉnh?")
    assert answer.status == "answered" and [c.quote for c in answer.citations] == ["CỦA BAN CHẤP HÀNH ĐẢNG BỘ TỈNH"]
    signed, _ = corpus_assistant.ask("Ai ký nghị quyết này?")
    assert signed.status == "answered" and [c.quote for c in signed.citations] == ["T/M TỈNH ỦY", "BÍ THƯ"]
    named, _ = corpus_assistant.ask("Ai ký nghị quyết này, tên là gì?")
    assert named.status == "related" and "không ghi tên người ký" in named.answer
    english, _ = corpus_assistant.ask("Who signs the resolution, in what capacity?")
    assert english.answer.startswith("The signature block of")
    undated, _ = corpus_assistant.ask("Nghị quyết ban hành ngày nào?")
    assert undated.status == "not_found" and "không ghi ngày ban hành" in undated.answer
    # a document the library does not hold is not answered for with the resolution's block
    other, _ = corpus_assistant.ask("quyết định của huyện Can Lộc do ai ký")
    assert "T/M TỈNH ỦY" not in [c.quote for c in other.citations]


def test_the_chat_shows_what_is_missing_rather_than_the_plain_not_found():
    from assistant.answer.model import Answer, texts
    from assistant.ui.render import answer_markdown, answer_text

    said = "Không tìm thấy: phần đầu Nghị quyết … (bản trong thư viện) không ghi ngày ban hành."
    missing = Answer("Nghị quyết ban hành ngày nào?", False, said, [], status="not_found", language="vi")
    assert answer_markdown(missing) == said and answer_text(missing) == said
    plain = Answer("Công thức nấu phở bò?", False, texts()["vi"]["not_found"], [], status="not_found", language="vi")
    assert "Hãy thử diễn đạt khác" in answer_markdown(plain)
