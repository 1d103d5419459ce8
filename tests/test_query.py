"""Question analysis: diacritics put back, time frame, synonyms, English glossary coverage."""

from __future__ import annotations

from assistant.retrieve.query import analyse, question_kinds, question_phrases, time_frame
from assistant.retrieve.restore import DiacriticRestorer


def test_restorer_uses_the_documents_pairs():
    restorer = DiacriticRestorer(
        [
            "ưu tiên phát triển các hạ tầng trọng yếu",
            "trong đó",
            "trong giai đoạn mới",
            "Hà Tĩnh",
            "Hà Tĩnh",
        ]
    )
    assert restorer.restore("ha tang trong yeu nao duoc uu tien").startswith("hạ tầng trọng yếu")
    assert restorer.restore("trong giai doan moi") == "trong giai đoạn mới"
    assert restorer.restore("xyz") == "xyz"
    # a comma still sets off a clause
    assert restorer.restore("ha tang trong yeu, trong giai doan moi?") == "hạ tầng trọng yếu, trong giai đoạn mới?"


def test_restorer_weighs_what_follows_a_syllable_not_how_often_it_is_written():
    # A library's laws write "máy" (machines) far more often than a question's "mấy", but "máy"
    # is followed by "móc", "thiết bị", never by "xã": the question asks how many communes.
    laws = ["sử dụng máy móc, thiết bị"] * 40 + ["toàn tỉnh có 171 xã đạt chuẩn"]
    restorer = DiacriticRestorer(laws, question_phrases())
    assert restorer.restore("toan tinh co may xa dat chuan roi") == "toàn tỉnh có mấy xã đạt chuẩn rồi"
    assert restorer.restore("co bao nhieu xa") == "có bao nhiêu xã"


def test_frame_words_are_judged_on_their_accented_spelling():
    tokens = {t.token for t in analyse("hạ tầng trọng yếu nào được ưu tiên").terms()}
    assert {"ha", "tang", "ha_tang", "trong", "yeu", "trong_yeu"} <= tokens
    assert "nao" not in tokens
    assert "trong" not in {t.token for t in analyse("trong giai đoạn mới").terms()}


def test_time_frame_of_questions_and_passages():
    assert time_frame("Tỷ lệ xã đạt chuẩn đến 2025 là bao nhiêu?", "question") == "target"
    assert time_frame("Hiện có bao nhiêu xã đạt chuẩn?", "question") == "baseline"
    assert time_frame("What income level has rural Ha Tinh reached so far?", "question") == "baseline"
    english = "How many districts had met the standard when the resolution was issued?"
    assert time_frame(english, "question") == "baseline" and "time" not in question_kinds(english)
    assert analyse(english).understood == 1.0  # "when … was issued" says when, it is no subject
    assert time_frame("Thu nhập ở nông thôn lúc ban hành NQ là bao nhiêu?", "question") == "baseline"
    assert time_frame("NQ có nói hạn chế gì về rác thải với nước sạch không?", "question") == "baseline"
    assert time_frame("Đến nay, toàn tỉnh đã có 171/182 xã") == "baseline"
    # an assessment's shortfalls are the situation so far
    assert time_frame("tỷ lệ người dân sử dụng nước sạch từ các công trình cấp nước tập trung đạt thấp.") == "baseline"
    assert time_frame("Tiếp tục khơi dậy khát vọng") is None


def test_synonyms_count_as_coverage():
    terms = {t.token: t for t in analyse("Những hạn chế về kinh tế nông thôn là gì?").terms()}
    assert ("chua",) in terms["han_che"].alternatives
    assert ("%",) in {t.token: t for t in analyse("tỷ lệ hộ nghèo").terms()}["ty_le"].alternatives


def test_english_questions_report_what_the_glossary_understood():
    known = analyse("What income level has rural Ha Tinh reached so far?", lambda w: False)
    assert known.mode == "english" and known.understood >= 0.99 and "thu nhập" in known.wording
    unknown = analyse("What is the speed limit on provincial roads?", lambda w: False)
    assert unknown.understood < 0.6


def test_an_english_possessive_is_no_unknown_word():
    from assistant.retrieve.query import _translate

    terms, understood = _translate("What happens to a commune's recognition?")
    assert "xã" in terms and "công nhận" in terms
    assert understood > 0.5  # "s" is not counted as a word the glossary does not know


def test_english_everyday_verbs_and_vietnamese_names_are_understood():
    """Only the subject words the glossary lacks count as not understood: "supposed", "roughly",
    "becoming" say nothing of a subject, and "Hà Tĩnh" is the documents' own name."""
    from assistant.retrieve.query import _translate

    _, understood = _translate("How much is Hà Tĩnh's income supposed to be by 2021-2025, roughly?")
    assert understood == 1.0
    _, understood = _translate("What is the tonnage of cargo ships in the budget?")
    assert understood < 0.5


def test_english_words_are_found_as_people_write_them():
    """Plural and past forms, the parts of a compound, a slip of one letter, the programme's English
    abbreviation, and Vietnamese typed without its marks are all understood."""
    from assistant.retrieve.english import translate

    terms, understood = translate("How many 4-star products and sponsors for NRD communes?")
    assert {"sao", "đỡ đầu", "nông thôn mới", "xã"} <= set(terms) and understood == 1.0
    terms, _ = translate("What about helth insurance coverage?")
    assert "bảo hiểm y tế" in terms or "y tế" in terms

    def known(syllable: str) -> bool:
        return syllable in {"long", "ghep", "nang", "cao"}

    terms, understood = translate("Which funds are pooled ('long ghep')?", known=known, restore=lambda t: "lồng ghép")
    assert "lồng ghép" in terms and understood == 1.0


def test_an_english_abbreviation_nobody_writes_is_a_missing_name():
    from assistant.answer.vocabulary import Vocabulary
    from assistant.retrieve.rerank import TermWeights

    texts = ["Chỉ số năng lực cạnh tranh cấp tỉnh (PCI) đạt loại khá."]
    vocabulary = Vocabulary(texts, TermWeights(texts))
    assert vocabulary.unknown_names("What is the GRDP growth target?", english=True) == ["GRDP"]
    assert vocabulary.unknown_names("What PCI rank for NRD provinces?", english=True) == []


def test_an_english_question_quoting_a_vietnamese_name_is_english():
    """A few marked words ("NTM nâng cao") among many the documents do not hold: still English."""
    from assistant.vietnamese import fold, syllables

    written = "đến năm 2025 ít nhất 50% số xã đạt chuẩn nông thôn mới nâng cao, tỷ lệ bao nhiêu, có phải không"
    known = {fold(w) for w in syllables(written)}
    question = "By 2025, what percentage of communes must reach the advanced new rural standard (NTM nâng cao)?"
    assert analyse(question, known.__contains__).mode == "english"
    assert analyse("Mục tiêu BHYT là bao nhiêu?", known.__contains__).mode == "accented"
    assert analyse("OCOP bao nhiêu sao?", known.__contains__).mode == "accented"


def test_a_question_typed_without_diacritics_stays_so_when_a_chat_word_is_read_with_them():
    """ "bn" is read as "bao nhieu" in a question typed without diacritics: it is still one (restored)."""
    from assistant.vietnamese import fold, syllables

    known = {fold(w) for w in syllables("vườn mẫu đạt chuẩn cả tỉnh được bao nhiêu rồi ạ")}
    query = analyse("vuon mau dat chuan ca tinh duoc bn vuon roi a", known.__contains__, lambda text: text)
    assert query.mode == "folded" and "bao nhieu" in query.text


def test_the_time_of_issue_is_a_baseline_not_a_time_asked_for():
    question = "Đến thời điểm ban hành Nghị quyết, tỉnh đã có mấy xã nông thôn mới kiểu mẫu?"
    assert time_frame(question, "question") == "baseline"
    assert "time" not in question_kinds(question) and "quantity" in question_kinds(question)
    assert "time" in question_kinds("Đến thời điểm nào thì tỉnh phải đạt chuẩn?")
    # how the time is said is no subject a passage must hold
    terms = {
        t.token for t in analyse("Số xã đạt chuẩn đến thời điểm ra nghị quyết là bao nhiêu trên tổng số xã?").terms()
    }
    assert not terms & {"thoi", "diem", "tong"}


def test_the_abbreviations_of_the_standards_levels_are_read():
    terms = {t.token: t for t in analyse("Chỉ tiêu xã NTMNC đến năm 2025?").terms()}
    assert ("nong", "thon", "moi", "nang", "cao") in terms["ntmnc"].alternatives
    assert ("binh", "quan") in {t.token: t for t in analyse("Thu nhập BQ đầu người?").terms()}["bq"].alternatives


def test_percent_is_no_part_and_bà_con_no_subject():
    """ "bao nhiêu phần trăm" asks a share, not the document's parts; "bà con" is whom one asks for."""
    assert "structure" not in question_kinds("tỉnh giao đến 2025 phải có bao nhiêu phần trăm xã lên chuẩn?")
    assert "structure" in question_kinds("Nghị quyết có bao nhiêu phần?")
    tokens = {t.token for t in analyse("Tới 2025 thu nhập bà con nông thôn phải lên được bao nhiêu?").terms()}
    assert "thu_nhap" in tokens and not {"ba", "ba_con", "con"} & tokens


def test_chat_spellings_leave_english_abbreviations_alone():
    from assistant.retrieve.query import normalise_spelling

    assert (
        normalise_spelling("i.e. the baseline, e.g. this; e hỏi bn xã")
        == "i.e. the baseline, e.g. this; em hỏi bao nhiêu xã"
    )
    # "vc", "hk", "hông": a task and a "không" typed short
    assert normalise_spelling("đoàn xã làm những vc j, đúng hk") == "đoàn xã làm những việc gì, đúng không"


def test_an_english_question_quoting_vietnamese_is_judged_on_that_phrase():
    from assistant.retrieve.english import vietnamese_phrases
    from assistant.retrieve.query import question_kinds

    pairs = {("lao", "dong"), ("dao", "tao"), ("nang", "cao")}
    written = lambda a, b: (a, b) in pairs  # noqa: E731
    quoted = vietnamese_phrases("What share of trained workers (lao động qua đào tạo) by 2025?", written)
    assert quoted == ["lao động qua đào tạo"]
    assert vietnamese_phrases("Where did Hà Tĩnh rank already?", written) == ["Hà Tĩnh"]
    assert "time" in question_kinds("by which year should Ha Tinh be recognised?")


def test_what_is_still_left_to_do_asks_about_today():
    assert analyse("vậy là còn mấy xã chưa đạt ntm nữa á").frame == "baseline"


def test_chat_spellings_spelt_out_do_not_make_a_question_accented():
    """ "dc", "j", "ko" become "được", "gì", "không": marks the writer did not type, so the rest of
    the question is still read as typed without diacritics (and restored)."""
    assert analyse("can bo co so thi sao, co dc boi duong j ko").mode == "folded"
    assert analyse("Cán bộ cơ sở có dc bồi dưỡng j ko").mode == "accented"


def test_a_date_or_a_length_of_time_asked_in_chat_words():
    # "ngày mấy" asks a date; "thời hạn mấy năm" a length of time, not a year
    assert "date" in question_kinds("báo cáo gửi lên huyện trước ngày mấy vậy mn?")
    assert "time" not in question_kinds("Giấy chứng nhận có thời hạn mấy năm?")
    assert "time" in question_kinds("thời hạn đến năm nào?")
    # "… hả?" at the end states a claim to confirm, unless it asks something ("bao nhiêu … hả?")
    assert "yes_no" in question_kinds("vườn mẫu được hỗ trợ 30 triệu/vườn hả?")
    assert "yes_no" not in question_kinds("hỗ trợ bao nhiêu tiền hả?")
    # "ngày, tháng nào" asks a date; a sum "in US dollars" a figure
    assert "date" in question_kinds("Đến ngày, tháng nào thì các huyện phải ban hành Đề án?")
    assert "quantity" in question_kinds("What export target, in US dollars, does it set?")
    # who heads a body asks a person's name
    assert "person" in question_kinds("trưởng ban chỉ đạo ntm tỉnh là ai ạ")


def test_a_total_asked_is_no_document_number():
    assert "identifier" not in question_kinds("toàn tỉnh chừ được mấy xã rồi trên tổng số bao nhiêu xã")
    assert "identifier" in question_kinds("quyết định số bao nhiêu")


def test_the_campaigns_asked_by_the_many_are_their_names():
    question = "các phong trào thi đua, cuộc vận động mà Mặt trận, đoàn thể tiếp tục làm, gồm những cái nào hả chị?"
    assert "title" in question_kinds(question)
    assert "title" in question_kinds("phải tiếp tục làm mấy cái phong trào với cuộc vận động chi")
    assert "title" not in question_kinds("Về văn hóa - xã hội, Nghị quyết yêu cầu đẩy mạnh phong trào nào?")
