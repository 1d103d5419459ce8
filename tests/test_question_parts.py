"""Question analysis without an index: parts, kinds, phone spellings, the lexicon, gaps."""

from __future__ import annotations

import itertools

import pytest
from conftest import CORPUS

from assistant.answer.gap import _compare
from assistant.data import load_yaml
from assistant.facts.targets import Target
from assistant.retrieve.english import translate
from assistant.retrieve.parts import split_parts
from assistant.retrieve.query import analyse, normalise_spelling, question_kinds
from assistant.vietnamese import fold, syllables


@pytest.mark.parametrize(
    "question, parts",
    [
        ("Mục tiêu BHYT là bao nhiêu, còn nước sạch thì sao?", ["Mục tiêu BHYT là bao nhiêu", "nước sạch thì sao"]),
        (
            "Ai biên soạn tài liệu tập huấn và khi nào tỉnh phải đạt chuẩn?",
            ["Ai biên soạn tài liệu tập huấn", "khi nào tỉnh phải đạt chuẩn"],
        ),
        (
            "Thu nhập nông thôn phải đạt bao nhiêu và ngành nông, lâm, thủy sản tăng trưởng bao nhiêu?",
            ["Thu nhập nông thôn phải đạt bao nhiêu", "ngành nông, lâm, thủy sản tăng trưởng bao nhiêu"],
        ),
        ("Mặt trận với mấy đoàn thể thì phải làm gì để bà con hăng hái tham gia?", None),  # "bà con" is no break
        ("Tỷ lệ hộ dùng nước sạch, nhà vệ sinh tự hoại là bao nhiêu?", None),  # one question, two subjects
        ("ha tang nong thon hien con yeu o cho nao", None),  # "còn" without a comma
        # a reason after the question asks nothing of its own; a new subject or a request does
        ("What was the poverty rate at baseline? I need the starting value for the indicator.", None),
        ("Mục tiêu BHYT bao nhiêu? còn nước sạch", ["Mục tiêu BHYT bao nhiêu", "còn nước sạch"]),
        ("Gửi lên những cơ quan nào? Kể tên một số cơ quan.", ["Gửi lên những cơ quan nào", "Kể tên một số cơ quan"]),
        (
            "Huyện ủy phải ban hành đề án cho giai đoạn nào, và bao lâu thì đánh giá một lần?",
            ["Huyện ủy phải ban hành đề án cho giai đoạn nào", "bao lâu thì đánh giá một lần"],
        ),
        # "với lại" (and also) said aloud between two questions
        (
            "đến 2025 ít nhất bao nhiêu phần trăm xã đạt nâng cao với lại bao nhiêu phần trăm xã là kiểu mẫu",
            ["đến 2025 ít nhất bao nhiêu phần trăm xã đạt nâng cao", "bao nhiêu phần trăm xã là kiểu mẫu"],
        ),
        # asking again what was asked, naming nothing new, is one question
        ("Khi nào thì tỉnh tổ chức tổng kết nq này, năm nào vậy?", None),
        # a bare "có đúng không" after a claim is that claim's question
        ("Nghe nói tới 2025 Hà Tĩnh không còn hộ nghèo nào nữa, có đúng không?", None),
        ("tinh minh dat 171 xa roi? phai ko ad?", None),
        # "mấy bên HTX" says "some", not "how many": the claim before "đúng k ad" is asked
        ("nghe mấy bên HTX nói tỉnh yêu cầu 30% sp OCOP phải đạt 4 sao, đúng k ad?", None),
        # the clause asked again
        ("ad cho hỏi phần nào trong NQ nói về Chương trình Mỗi xã một sp (OCOP) z, mục mấy?", None),
    ],
)
def test_parts(question, parts):
    found = split_parts(question)
    assert [p.typed for p in found] == (parts or [question])


def test_a_part_pointing_back_borrows_the_subject():
    parts = split_parts("What must district party committees draw up, and how often should they review progress?")
    assert len(parts) == 2 and "district party committees" in parts[1].asked


def test_a_follow_up_part_borrows_what_was_asked():
    parts = split_parts("Mục tiêu BHYT là bao nhiêu, còn nước sạch thì sao?")
    assert parts[1].asked.startswith("Mục tiêu bao nhiêu") and "nước sạch" in parts[1].asked

    # "huyện" is the kind of thing asked for, not a subject: the part is asked of the communes before it
    parts = split_parts("11 xã chưa đạt chuẩn là những xã nào, thuộc huyện nào?")
    assert parts[1].typed == "thuộc huyện nào" and "xã chưa đạt chuẩn" in parts[1].asked

    # a figure asked without saying when is asked of the time the part before says
    parts = split_parts("hiện nay tỉnh có bao nhiêu sản phẩm OCOP rồi ạ, bao nhiêu sản phẩm 4 sao?")
    assert parts[1].asked.startswith("hiện nay ")
    parts = split_parts("hiện nay có bao nhiêu xã đạt chuẩn, đến 2025 phải bao nhiêu?")
    assert parts[1].asked.startswith("đến 2025")  # its own time kept
    # an abbreviation names a subject of its own words: nothing borrowed
    assert split_parts("Tới 2025 thu nhập bao nhiêu, tỷ lệ BHYT bao nhiêu?")[1].asked == "Tới 2025 tỷ lệ BHYT bao nhiêu"


def test_kinds():
    assert question_kinds("Ai chủ trì biên soạn tài liệu?") >= {"who"}
    assert "quantity" in question_kinds("Tỷ lệ BHYT là bao nhiêu?")
    assert "quantity" not in question_kinds("Nội dung cốt lõi của mục tiêu là gì?")  # "mục tiêu" is no "mức"
    assert "compare" in question_kinds("còn thiếu bao nhiêu so với mục tiêu")
    assert "compare" in question_kinds("thiếu bao nhiêu xã nữa")
    assert "compare" not in question_kinds("chỉ số hài lòng phải đạt tối thiểu bao nhiêu?")  # "at least", no gap
    assert "time" in question_kinds("Khi nào tỉnh phải đạt chuẩn?")
    assert "time" not in question_kinds("Which localities get priority when allocating resources?")
    # dialect "mấy … chi/mô" asks which, not how many ("mấy loại hạ tầng chi": which kinds)
    assert "quantity" not in question_kinds("ưu tiên nhất là mấy loại hạ tầng chi")
    assert "quantity" not in question_kinds("ưu tiên đỡ đầu mấy nơi mô")
    assert "quantity" in question_kinds("có mấy nhiệm vụ gì")
    # where a document says something: the clause, not a figure
    assert question_kinds("phần nào trong NQ nói về OCOP, mục mấy?") == {"location"}
    assert "location" in question_kinds("Which section of the resolution deals with clean water?")
    assert "location" in question_kinds("Nội dung đó nằm ở mục nào?")
    assert "location" not in question_kinds("phần I gồm mấy nội dung")
    assert "location" not in question_kinds("mục 3 có mấy chỉ tiêu")


def test_phone_spellings():
    assert normalise_spelling("Trường chinh trị đc giao lm j") == "Trường chinh trị được giao làm gì"
    assert normalise_spelling("bn % hộ") == "bao nhiêu % hộ"
    # "kg" after a number or "bao nhiêu" is a unit, elsewhere "không"
    assert (
        normalise_spelling("1 đơn vị vật nuôi quy ra bao nhiêu kg hơi?") == "1 đơn vị vật nuôi quy ra bao nhiêu kg hơi?"
    )
    assert normalise_spelling("co dc ho tro kg") == "co duoc ho tro khong"
    assert normalise_spelling("Mục tiêu BHYT bn vậy bn?") == "Mục tiêu BHYT bao nhiêu vậy bạn?"
    assert normalise_spelling("Phong trào tên là j v bn?") == "Phong trào tên là gì vậy bạn?"
    # a remark in brackets after the question, where the asker speaks of herself, is no part of it
    assert normalise_spelling("Theo hướng nào? (chị nhớ mang máng 3 vế)") == "Theo hướng nào?"
    assert "quantity" in question_kinds("What is the total estimated budget of the plan?")
    assert "list" in question_kinds("được khuyến khích cung cấp những dịch vụ gì?")  # "những X Y gì"


def test_the_glossary_knows_the_laws_everyday_words():
    words, understood = translate(
        "Under the Tourism Law, does a place need clearly defined boundaries to be a tourist spot?"
    )
    assert {"ranh giới", "điểm du lịch"} <= set(words) and understood >= 0.7


def test_lexicon_entries_map_to_the_documents_wording():
    """Every wording the lexicon maps to is one the shipped documents use."""
    corpus = " ".join(fold(w) for w in syllables(" ".join(p.read_text(encoding="utf-8") for p in CORPUS.glob("*.txt"))))
    for key, alternatives in load_yaml("lexicon.yaml").items():
        for alternative in alternatives:
            if alternative == "%":
                continue
            words = " ".join(fold(w) for w in syllables(alternative))
            assert f" {words} " in f" {corpus} ", (key, alternative)


def test_lexicon_is_used_for_answerability_and_search():
    query = analyse("Mấy huyện về đích NTM?")
    assert "đạt chuẩn" in query.expansions
    assert any(("dat", "chuan") in t.alternatives for t in query.terms() if t.token == "dich")
    # the everyday name of a septic tank is the documents' "tự hoại"
    assert "tự hoại" in analyse("bao nhiêu % nhà có nhà vệ sinh xây bể phốt?").expansions
    # work said to be over is searched where the documents say it never is ("không có điểm kết thúc")
    assert "kết thúc" in analyse("tới 2025 là xong nông thôn mới hết việc rồi đúng không").expansions


def _fact(value, unit, operator="=", total=None, kind="baseline"):
    return Target("x", operator, value, unit, None, "tỉnh", "d", "I.3", "", kind, total=total)


def test_gap_arithmetic():
    communes = _compare(_fact(171, "xã", total=182), _fact(100, "%", ">=", kind="target"))
    assert (communes.amount, communes.unit, communes.met) == (11, "xã", False)
    income = _compare(_fact(35, "triệu đồng/năm", ">"), _fact(60, "triệu đồng/người/năm", ">=", kind="target"))
    assert income.amount == 25 and income.unit.startswith("triệu đồng")
    strict = _compare(_fact(95, "%"), _fact(95, "%", ">", kind="target"))
    assert strict.strict and not strict.met
    unknown = _compare(_fact(19, "xã"), _fact(3, "huyện", ">=", kind="target"))
    assert unknown.amount is None


def test_calibration_sweep_counts_refusals_and_false_answers():
    from assistant.answer.evidence import Evidence
    from assistant.evaluate.calibrate import GRID, Judged, sweep
    from assistant.settings import AnswerSettings

    strong = Evidence(coverage=0.9, dense=0.9, sentence_score=2.0)
    weak = Evidence(coverage=0.9, dense=0.9, sentence_score=1.25)
    judged = [Judged(True, strong, True), Judged(True, weak, True), Judged(False, weak, False)]
    rows = sweep(judged, AnswerSettings())
    assert len(rows) == len(list(itertools.product(*GRID.values())))
    lenient = next(r for r in rows if r["min_sentence_score"] == 1.2 and r["max_missing_share"] == 0.2)
    strict = next(r for r in rows if r["min_sentence_score"] == 1.3 and r["max_missing_share"] == 0.2)
    assert (lenient["answer_facts"], lenient["false_answer"]) == (1.0, 1.0)
    assert (strict["answer_facts"], strict["not_answered"], strict["false_answer"]) == (0.5, 0.5, 0.0)
