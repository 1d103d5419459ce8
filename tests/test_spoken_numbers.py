"""Numbers said in words, as a phone's speech-to-text writes a spoken question, are put in digits."""

from __future__ import annotations

import pytest

from assistant.retrieve.query import analyse
from assistant.retrieve.spoken_numbers import digits_for_spoken_numbers


@pytest.mark.parametrize(
    ("spoken", "written"),
    [
        ("năm mươi lăm phần trăm hộ dân", "55 phần trăm hộ dân"),
        ("đến năm hai không hai lăm thì", "đến năm 2025 thì"),
        ("năm hai nghìn không trăm hai mươi lăm", "năm 2025"),
        ("giảm một phẩy năm phần trăm", "giảm 1,5 phần trăm"),
        ("mười ba huyện", "13 huyện"),
        ("hai mươi mốt, hai mươi tư", "21, 24"),
        ("ba mươi lăm triệu", "35 triệu"),
        ("một trăm tám mươi hai xã", "182 xã"),
        ("hai trăm linh năm", "205"),
        ("ô cốp bốn sao, trên năm phần trăm", "ô cốp 4 sao, trên 5 phần trăm"),
        ("có gửi đảng ủy quân khu bốn không em", "có gửi đảng ủy quân khu 4 không em"),
        # not numbers: a lone word, a year word, ten years
        ("một số sản phẩm", "một số sản phẩm"),
        ("năm nay ba huyện", "năm nay ba huyện"),
        ("mười năm", "10 năm"),
        ("có phải ba hai không", "có phải ba hai không"),
        # a year said by its last two digits after a word of time; 25 said short
        ("tới hai lăm ít nhất", "tới 2025 ít nhất"),
        ("giai đoạn hai mốt hai lăm", "giai đoạn 2021 2025"),
        ("tới năm hai không ba mươi", "tới năm 2030"),
        ("hai lăm phần trăm", "25 phần trăm"),
        ("chỉ cần chín mươi mấy phần trăm thôi", "chỉ cần chín mươi mấy phần trăm thôi"),  # ninety-odd: no figure
        ("phải được bảy chục triệu một năm", "phải được 70 triệu một năm"),  # "chục": tens, as said aloud
        ("mấy chục xã", "mấy chục xã"),
        # thousands of a thing counted are written as the documents write them, no year
        ("nhà tôi nuôi hai nghìn con gà", "nhà tôi nuôi 2.000 con gà"),
        ("hai nghìn hộ dân", "2.000 hộ dân"),
    ],
)
def test_spoken_numbers_are_written_in_digits(spoken, written):
    assert digits_for_spoken_numbers(spoken) == written


def test_a_spoken_question_is_read_with_its_figures():
    query = analyse("ờ cho tôi hỏi tới năm hai không hai lăm thì bảo hiểm y tế phải chín mươi lăm phần trăm à")
    assert "2025" in query.text and "95 phần trăm" in query.text and query.frame == "target"


def test_abbreviations_said_letter_by_letter():
    from assistant.retrieve.query import normalise_spelling

    assert normalise_spelling("ô cốp bốn sao, en tê em nâng cao") == "OCOP 4 sao, NTM nâng cao"
    assert normalise_spelling("cốp") == "cốp"  # a word of its own is left alone
    # any abbreviation of abbreviations.yaml, said by its letters' Vietnamese names
    assert normalise_spelling("chỉ số pê xê i phải đạt loại chi") == "chỉ số PCI phải đạt loại chi"
    assert normalise_spelling("bê hát y tê với u bê en đê xã") == "BHYT với UBND xã"
    assert normalise_spelling("em a ơi, ô tô tê") == "em a ơi, ô tô tê"  # letters of no abbreviation


def test_hà_tĩnh_words_for_now_and_people():
    from assistant.retrieve.query import normalise_spelling

    query = analyse("hiện chừ thu nhập bình quân đầu ngài được bao nhiêu")
    assert "hiện giờ" in query.text and "đầu người" in query.text and query.frame == "baseline"
    assert normalise_spelling("chừ đã có mấy xã") == "bây giờ đã có mấy xã"


def test_mấy_said_as_some_asks_no_number():
    from assistant.retrieve.query import question_kinds

    assert "quantity" not in question_kinds("nghị quyết có nhắc tới mấy cái phong tục truyền thống không em")
    assert "quantity" not in question_kinds("có kêu gọi ai đỡ đầu cho mấy xã còn khó khăn không em")
    assert "quantity" in question_kinds("có mấy xã đạt chuẩn không em")
    assert "quantity" in question_kinds("mấy huyện đạt chuẩn rồi")


def test_the_whole_of_a_count_is_held_by_its_fraction():
    from assistant.answer.checks import holds_figures

    query = analyse("mười ba huyện thành phố thị xã thì đã có mấy nơi xong nông thôn mới rồi em")
    assert holds_figures(query, "08/13 huyện, thành phố, thị xã đạt chuẩn")
    units = analyse("mười ba huyện thành phố thị xã đó chừ đã có mấy đơn vị hoàn thành rồi")
    assert holds_figures(units, "08/13 huyện, thành phố, thị xã đạt chuẩn")  # "đơn vị" counts whatever the units are
    assert not holds_figures(analyse("ngày 12 có mấy việc?"), "ngày 16/12/2020")  # a date's month is no count


def test_hà_tĩnh_dialect_asks_which():
    from assistant.answer.identity import asks_identity
    from assistant.retrieve.query import question_kinds

    assert asks_identity("cái nghị quyết ni là do cơ quan mô ban hành rứa em") == "issuer"
    assert "time" in question_kinds("đề án ni làm trong giai đoạn từ năm mô đến năm mô")
    assert "quantity" not in question_kinds("nước từ mấy trạm cấp nước tập trung đó thì bà con dùng nhiều chưa em")


def test_a_missing_word_is_named_as_the_question_wrote_it():
    from assistant.retrieve.words import Word, WordRoles

    roles = WordRoles.of((Word("ưu tiên", "V"), Word("tiền bạc", "N")))
    assert roles.word_of("tiền") == "tiền bạc" and roles.word_of("tiên") == "ưu tiên"


def test_a_yes_no_question_said_aloud_then_another_is_two_parts():
    from assistant.retrieve.parts import split_parts
    from assistant.retrieve.query import normalise_spelling

    spoken = (
        "năm mươi lăm phần trăm hộ dùng nước sạch phải không em rồi trong đó nước từ công trình tập trung là bao nhiêu"
    )
    parts = split_parts(normalise_spelling(spoken))
    assert [p.typed for p in parts] == [
        "55 phần trăm hộ dùng nước sạch phải không",
        "rồi trong đó nước từ công trình tập trung là bao nhiêu",
    ]


def test_an_example_given_in_passing_is_not_the_subject():
    from assistant.answer.vocabulary import _example_words

    assert {"chen", "giat"} <= _example_words("nước thải trong nhà như nước rửa chén tắm giặt đó thì bao nhiêu hộ")
    assert not _example_words("xử lý như thế nào")


def test_hà_tĩnh_question_words_are_no_subject():
    tokens = {
        t.token for t in analyse("cái đề án tỉnh nông thôn mới ni làm trong giai đoạn từ năm mô đến năm mô").terms()
    }
    assert "giai_doan" in tokens and not {"mo", "ni"} & tokens
    assert "mo" in {t.token for t in analyse("mô hình xã thông minh là gì").terms()}  # "mô hình" is a subject
    assert "mo" in {t.token for t in analyse("mở rộng mô hình sản xuất thế nào").terms()}
