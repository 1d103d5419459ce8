"""Only words that name something are evidence the documents leave a subject out (underthesea's tags)."""

from __future__ import annotations

import pytest

from assistant.answer.vocabulary import Vocabulary
from assistant.retrieve.query import analyse
from assistant.retrieve.rerank import TermWeights
from assistant.retrieve.words import tag

TEXTS = [
    "Đến nay, toàn tỉnh đã có 171/182 xã đạt chuẩn nông thôn mới.",
    "Huyện Nghi Xuân đạt chuẩn nông thôn mới kiểu mẫu, điển hình về văn hóa.",
    "Mục tiêu đến năm 2025: thu nhập đạt 60 triệu đồng, các chỉ tiêu làm được; Hà Tĩnh được công nhận.",
    "Nguyên nhân chính của những tồn tại, hạn chế nêu trên do công tác lãnh đạo chưa thường xuyên.",
    "Xác định xây dựng nông thôn mới là nhiệm vụ chính trị quan trọng, thường xuyên, liên tục, có điểm khởi đầu nhưng không có điểm kết thúc.",
]


@pytest.fixture(scope="module")
def vocabulary():
    return Vocabulary(TEXTS, TermWeights(TEXTS))


def test_words_are_cut_and_tagged():
    words = {w.text: w for w in tag("Những điểm nổi bật của nghị quyết là gì?")}
    assert words["nổi bật"].tag == "A" and not words["nổi bật"].naming


@pytest.mark.parametrize(
    "question",
    [
        "nguyên nhân chính của những tồn tại hạn chế là j vậy ad",  # a chat word the tagger calls a number
        "xây dựng nông thôn mới tới 2025 là xong hả, có điểm kết thúc ko?",  # a verb the documents never write
        "Theo Nghị quyết, nguyên nhân chính của những tồn tại là gì?",  # "Theo Nghị" is no name
        "Để viết bài phát thanh, cho hỏi toàn tỉnh có bao nhiêu xã đạt chuẩn?",  # why one asks, not what
        "Họp huyện tuần tới, tỉnh đã có mấy xã đạt chuẩn nông thôn mới?",
        "Nguyên nhân chính của những tồn tại, hạn chế là chi rứa hè?",  # Hà Tĩnh's words for "gì", "thế"
        "Xây dựng nông thôn mới có điểm khởi đầu nhưng có điểm kết thúch không?",  # a letter mistyped
        "Nguyên nhân chính của những tồn tại là ở những khâu nào?",  # the kind asked ("khâu"), not its subject
        "Các xã chưa đạt chuẩn là nhữnng xã nào?",  # a key pressed twice
        "Nghị quyết có cho phép xây dựng nông thôn mới không có điểm kết thúc không?",  # how it speaks
        "huyện nghi xoan làm kiểu mẫu đó thì là điển hình về cái chi rứa",  # a name misheard by one letter
    ],
)
def test_words_that_name_nothing_are_not_missing(vocabulary, question):
    missing, share = vocabulary.missing(analyse(question))
    assert missing == [] and share == 0.0


@pytest.mark.parametrize(
    "question,word",
    [
        ("Tỉnh Nghệ An có bao nhiêu xã đạt chuẩn nông thôn mới?", "Tỉnh Nghệ An"),
        ("Mức hỗ trợ xi măng cho mỗi xã là bao nhiêu?", "xi măng"),  # named as the whole word
        ("Xi măng, mỗi xã được hỗ trợ bao nhiêu?", "Xi măng"),  # a subject set first is the subject
        ("Có thông tin cho rằng tỉnh thưởng xi măng cho xã đạt chuẩn, đúng không?", "xi măng"),  # the claim asked of
    ],
)
def test_names_and_nouns_the_documents_never_write_are_missing(vocabulary, question, word):
    missing, share = vocabulary.missing(analyse(question))
    assert word in missing and share > 0.2


def test_an_english_questions_first_word_is_no_part_of_a_name(vocabulary):
    texts = ["Sản phẩm của tỉnh Hà Tĩnh tiêu thụ trong phạm vi hẹp."]
    names = Vocabulary(texts, TermWeights(texts))
    assert names.unknown_names("Are Hà Tĩnh's products sold across wide markets?", english=True) == []
    assert names.unknown_names("Are Nghệ An's products sold widely?", english=True) == ["Nghệ An"]


def test_a_name_ends_at_a_mark(vocabulary):
    # "… ở xã Thạch Kim. Tỉnh đặt …": the sentence after starts with a capital, no part of the name
    texts = ["Hộ dân xã Thạch Kim tham gia bảo hiểm y tế."]
    names = Vocabulary(texts, TermWeights(texts))
    assert names.unknown_names("Tôi ở xã Thạch Kim. Tỉnh đặt chỉ tiêu bao nhiêu?") == []
    assert names.unknown_names("Tôi ở xã Thạch Kim. Tỉnh Nghệ An đặt bao nhiêu?") == ["Tỉnh Nghệ An"]


def test_a_documents_own_name_is_no_unknown_name():
    # the law's articles never write "Luật Chăn nuôi"; its title does
    texts = ["Sử dụng phương tiện vận chuyển vật nuôi phù hợp, bảo đảm không gian thông thoáng."]
    names = Vocabulary(texts, TermWeights(texts), titles=("Luật Chăn nuôi",))
    assert names.unknown_names("Luật Chăn nuôi đòi người chở vật nuôi phải bảo đảm gì?") == []
    assert names.unknown_names("Luật Đất đai đòi người chở vật nuôi phải bảo đảm gì?") == ["Luật Đất"]


def test_what_is_asked_is_the_sentence_that_asks():
    query = analyse(
        "Công an xã tôi phối hợp kiểm tra xe chở lợn đi qua địa bàn, có xe nhồi nhét rất chật. "
        "Luật Chăn nuôi đòi người chở vật nuôi phải bảo đảm điều gì về phương tiện, thiết bị?"
    )
    asked = {t.token for t in query.asked_terms}
    assert {"phuong", "thiet"} <= asked and not {"kiem", "lon", "xe"} & asked
    assert {"kiem", "lon"} <= {t.token for t in query.terms()}  # they still find the passage
    claim = analyse("Nghe nói luật cấm đốt pháo nổ. Có đúng vậy không?")
    assert claim.asked_terms == claim.terms()  # a yes/no claim may be said before


@pytest.mark.parametrize(
    "question",
    [
        "target thu nhap 2025?",  # an English word the glossary knows, in a Vietnamese question
        "list giup e het cac chi tieu xa dat chuan voi, e lam slide",  # chat English, "e" for "em"
        "đến nay có bnhiu xã đạt chuẩn r ạ",
        "mục tiêu là đến năm nào HT đc công nhận tỉnh đạt chuẩn ntm",  # "HT" is Hà Tĩnh
        "có bao nhiêu xã đạt chuẩn nàoo",  # a letter held
    ],
)
def test_chat_words_english_words_and_held_letters_are_not_missing(vocabulary, question):
    missing, share = vocabulary.missing(analyse(question))
    assert missing == [] and share == 0.0


def test_chat_spellings_keep_numbers_and_names():
    from assistant.retrieve.query import asked_words, normalise_spelling, question_kinds

    assert normalise_spelling("nhiềuuu quá, saoo") == "nhiều quá, sao"
    assert normalise_spelling("phần III, Mục VIII, too free") == "phần III, Mục VIII, too free"
    assert "chỉ tiêu" in analyse("target thu nhap 2025?").expansions
    # "còn mấy cuộc vận động nào" asks which, not how many; "gồm mấy nhóm, là những nhóm nào" both
    assert "quantity" not in question_kinds(normalise_spelling("ngoài phong trào thi đua ra còn mấy cuộc vận động nào"))
    assert " may " in asked_words("nhiem vu giai phap gom may nhom la nhung nhom nao")


def test_numbers_said_in_words_are_no_subject(vocabulary):
    missing, _ = vocabulary.missing(analyse("có phải 171 xã hay chỉ cần chín mươi mấy phần trăm thôi"))
    assert missing == []


def test_what_askers_say_of_themselves_is_no_subject_of_the_question():
    """ "…, e đang làm bài đăng fb": neither missing nor a term the quote must hold; "Để …, … gì?" and a
    subject set first keep theirs."""
    terms = {
        t.token
        for t in analyse("quan điểm về vai trò người dân trong nq là gì ạ, em cần trích cho bài đăng fb").terms()
    }
    assert "vai_tro" in terms and not terms & {"bai", "fb", "trich"}
    terms = {t.token for t in analyse("Để nâng cao trình độ cho người dân, Nghị quyết đưa ra giải pháp gì?").terms()}
    assert "trinh" in terms
    # before the question too; and "liệt kê giúp em" asks for a list, naming nothing
    terms = {
        t.token for t in analyse("em đang làm slide cho chi đoàn, nq nêu những hạn chế gì, liệt kê giúp em").terms()
    }
    assert "han_che" in terms and not terms & {"slide", "doan", "liet", "ke", "giup"}
    # an older asker speaks of himself as "chú"; what he heard is the claim, not an aside
    terms = {t.token for t in analyse("nghị quyết có mấy cái quan điểm chính, chú cần đọc cho bà con nghe").terms()}
    assert "quan_diem" in terms and not terms & {"doc", "ba_con"}
    terms = {t.token for t in analyse("chú nghe nói ruộng đất sẽ dồn lại, nghị quyết có nói rứa không em").terms()}
    assert "ruong" in terms
    # a whole sentence before the question tells the asker's situation: neither missing nor a term
    question = "nhà tui chừ còn xài giếng khoan nước phèn lắm. tỉnh tính tới 2025 bao nhiêu phần trăm hộ dùng nước sạch"
    terms = {t.token for t in analyse(question).terms()}
    assert "nuoc_sach" in terms and not terms & {"gieng", "khoan", "phen"}
    # unless the question asks whether it holds
    terms = {t.token for t in analyse("Thu nhập nông thôn năm 2025 là 70 triệu. Đúng không ạ?").terms()}
    assert "trieu" in terms
    # who a claim was heard from is not what it claims
    terms = {
        t.token
        for t in analyse(
            "ông bí thư chi bộ thôn tui nói tỉnh chỉ cần 80% người dân có bảo hiểm y tế phải không"
        ).terms()
    }
    assert "bao_hiem" in terms and not terms & {"bi_thu", "thon", "tui"}
    # "rửa", "hôi" typed with accents ask nothing, though they fold onto Hà Tĩnh's "rứa", "hỏi"
    question = (
        "ờ nước rửa chén nhà tui chảy ra cái rãnh hôi lắm. tỉnh muốn bao nhiêu phần trăm hộ có nước thải được xử lý"
    )
    terms = {t.token for t in analyse(question).terms()}
    assert "nuoc_thai" in terms and not terms & {"chen", "ranh"}


def test_a_sentence_that_tells_asks_nothing():
    # "mấy thanh niên" in a sentence ended by a full stop is "a few", not "how many"
    query = analyse(
        "Tết vừa rồi ở thôn có mấy thanh niên mua pháo nổ về đốt, công an xã phải vào cuộc. "
        "Có đúng là Luật Bảo vệ môi trường cấm cả việc buôn bán lẫn sử dụng pháo nổ không?"
    )
    assert query.kinds == {"yes_no"}
    assert "tet" in query.scene  # the scene: its words are no subject the documents must write
    assert "quantity" in analyse("Xã có 3 thôn. Còn mấy thôn chưa đạt?").kinds


def test_who_relays_a_question_is_no_subject_of_it(vocabulary):
    """ "Có bác ở thôn Trung gọi vô hỏi: …", "Anh Hùng ở xóm Hạ nhắn: …": the caller, the hamlet and
    the relaying verb are neither missing nor terms, for a claim too; what follows the colon is asked."""
    query = analyse("Có bác ở thôn Trung gọi vô hỏi: tỉnh đã có bao nhiêu xã đạt chuẩn nông thôn mới?")
    assert vocabulary.missing(query)[0] == []
    assert not {t.token for t in query.terms()} & {"bac", "trung", "goi", "vo"}
    claim = analyse("Anh Hùng ở xóm Hạ nhắn: nghe nói huyện Nghi Xuân đạt chuẩn kiểu mẫu, có phải rứa không?")
    terms = {t.token for t in claim.terms()}
    assert vocabulary.missing(claim)[0] == [] and "kieu" in terms and not terms & {"hung", "xom"}
    # a colon after words that relay nothing sets no relay frame
    assert not analyse("Mục tiêu về xi măng: mỗi xã được hỗ trợ bao nhiêu?").words.relay


def test_a_word_the_documents_never_write_weighs_as_a_rare_one(vocabulary):
    """ "mức phạt": a verb after "mức" is the thing measured; "phạt" folds onto the common "phát" but
    the documents never write it, so it weighs as a rare word."""
    texts = [*TEXTS, *(f"Phát triển sản xuất, phát huy vai trò số {i}." for i in range(20))]
    phat = Vocabulary(texts, TermWeights(texts))
    missing, share = phat.missing(analyse("Mức phạt tiền cho xã chưa đạt chuẩn nông thôn mới là bao nhiêu?"))
    assert "phạt" in missing and share >= 0.1  # weighed as "phát", about 0.02
    # who says a claim ("Có dư luận cho rằng …") is no part of it
    assert (
        vocabulary.missing(analyse("Có dư luận cho rằng xây dựng nông thôn mới có điểm kết thúc, đúng không?"))[0] == []
    )


def test_a_name_is_written_where_its_capitals_are():
    """ "Sở Y tế" is no name the documents write, though "cơ sở y tế" folds onto it; a sentence's first
    capital ("Người Hà Tĩnh …") says nothing."""
    texts = ["Nâng cấp cơ sở y tế xã.", "Phát huy nguồn lực của người Hà Tĩnh trong và ngoài nước."]
    names = Vocabulary(texts, TermWeights(texts))
    assert names.unknown_names("Trong nghị quyết, Sở Y tế được giao việc gì?") == ["Sở Y"]
    assert names.unknown_names("Người Hà Tĩnh ở nước ngoài có được kêu gọi không?") == []


def test_a_scene_with_its_own_figures_is_no_part_of_what_is_asked():
    """A sentence before the question gives another document's figures ("OCOP 3 sao", "68 triệu"): "sao"
    after a number rates, it asks nothing; the quote need not hold those figures."""
    from assistant.answer.checks import holds_figures

    query = analyse(
        "Xã Thạch Kim mới chỉ có một sản phẩm OCOP 3 sao là nước mắm. Vậy nghị quyết đặt mục tiêu "
        "đến năm 2025 toàn tỉnh có ít nhất bao nhiêu sản phẩm đạt chuẩn OCOP?"
    )
    assert "3" in query.scene
    assert holds_figures(query, "có ít nhất trên 200 sản phẩm, dịch vụ đạt chuẩn OCOP cấp tỉnh, 20% đạt 4 sao")
