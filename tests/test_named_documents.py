"""A question that names a document ("NQ này", "Luật BVMT", "QĐ 1268", "kế hoạch của xã") or the
level it speaks of ("tỉnh", "xã Thạch Kim") is answered from those documents; one that names a
document the library lacks ("QĐ 2114/QĐ-TTg") or asks which one ("quyết định số mấy") is not
restricted."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.evaluate import library
from assistant.ingest.document import read_document
from assistant.retrieve.named import level, named_documents

ROOT = Path(__file__).resolve().parent.parent
ALQAC = ROOT / library.ALQAC


@pytest.fixture(scope="module")
def documents(tmp_path_factory):
    folder = tmp_path_factory.mktemp("library")
    paths = [*sorted((ROOT / "corpus").glob("*.txt")), *sorted((ROOT / library.OWN_DOCUMENTS).glob("*.txt"))]
    if (ALQAC / "corpus.jsonl").exists():
        for law, text in library.law_texts(ALQAC / "corpus.jsonl").items():
            if law in ("Luật Bảo vệ môi trường", "Luật Chăn nuôi"):
                paths.append(folder / library.law_file_name(law))
                paths[-1].write_text(text, encoding="utf-8")
    return [read_document(p) for p in paths]


RESOLUTION = "nghi-quyet-tinh-uy-ha-tinh-ntm-2021-2025"
PLAN = "ke-hoach-xa-thach-kim-ntm-nang-cao-2022-2025"
DECISION = "quyet-dinh-huyen-can-loc-muc-ho-tro-2023"
GUIDANCE = "huong-dan-so-nn-ptnt-tieu-chi-moi-truong-2024"


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Cơ quan nào ban hành NQ này?", {RESOLUTION}),
        ("nghi quyet nay phai quan triet den tan dau", {RESOLUTION}),
        ("What does the resolution say about clean water?", {RESOLUTION}),
        ("Theo kế hoạch của xã thì thu nhập bình quân năm 2025 là bao nhiêu?", {PLAN}),
        ("quyết định của huyện hỗ trợ bao nhiêu tiền 1 km đường", {DECISION}),
        ("QĐ 1268 hỗ trợ vườn mẫu bao nhiêu", {DECISION}),
        ("hướng dẫn của Sở về tiêu chí 17 hạn nộp hồ sơ khi nào", {GUIDANCE}),
        ("xã Thạch Kim phấn đấu thu nhập bao nhiêu", {PLAN}),
        # the province: its own documents, not a commune's plan or a district's decision
        ("Cái vụ OCOP á, tới 2025 tỉnh mình phải có ít nhất bao nhiêu sản phẩm?", {RESOLUTION, GUIDANCE}),
        # named nowhere in the library, or asked which: every document
        ("QĐ 2114/QĐ-TTg phê duyệt cái gì vậy?", None),
        ("quyet dinh 2114 cua thu tuong ban hanh ngay nao", None),
        ("Đề án thí điểm được Thủ tướng phê duyệt bằng quyết định số mấy?", None),
        ("các huyện phải xây dựng kế hoạch gì", None),  # "kế hoạch" as a word, not a document
        ("pháp luật về môi trường quy định gì", None),
        # a document named before, another in the sentence that asks: the one asked of
        ("kh xã Thạch Kim đòi 97% dân có bhyt. còn nq tỉnh thì chỉ tiêu bhyt là bn %?", {RESOLUTION}),
        ("Kế hoạch của xã Thạch Kim và nghị quyết tỉnh đặt thu nhập bao nhiêu?", {PLAN, RESOLUTION}),
    ],
)
def test_the_documents_a_question_names(documents, question, expected):
    found = named_documents(question, documents)
    assert (set(found.documents) if found is not None else None) == expected


@pytest.mark.skipif(not (ALQAC / "corpus.jsonl").exists(), reason="the shared ALQAC folder is not here")
def test_a_law_by_its_name_or_initials(documents):
    assert named_documents("Luật BVMT quy định gì về nước thải", documents).documents == {"luat-bao-ve-moi-truong"}
    assert named_documents("luật chăn nuôi cấm gì", documents).documents == {"luat-chan-nuoi"}
    assert named_documents("theo luật thì hộ chăn nuôi phải làm gì", documents).documents == {
        "luat-bao-ve-moi-truong",
        "luat-chan-nuoi",
    }
    # the law the sentence that asks names, though the tagger writes it as one word with its type
    context = "Nghị quyết tỉnh muốn trên 80% hộ có nước thải được xử lý bằng biện pháp phù hợp. "
    asked = named_documents(context + "Luật Bảo vệ môi trường yêu cầu hộ gia đình xử lý nước thải ra sao?", documents)
    assert asked.documents == {"luat-bao-ve-moi-truong"}


def test_named_as_a_document_or_by_its_place(documents):
    assert named_documents("QĐ 1268 hỗ trợ vườn mẫu bao nhiêu", documents).by_name
    assert named_documents("xã Thạch Kim phấn đấu thu nhập bao nhiêu", documents).by_name  # its issuer
    assert not named_documents("tỉnh mình phấn đấu thu nhập bao nhiêu", documents).by_name  # a level
    # its place only: its documents first, then the others; its place and its type: that document
    assert named_documents("xã Thạch Kim phấn đấu thu nhập bao nhiêu", documents).soft
    typed = named_documents("Kế hoạch NTM nâng cao của xã Thạch Kim đặt mục tiêu thu nhập bao nhiêu?", documents)
    assert typed.documents == {PLAN} and not typed.soft


def test_the_level_a_document_speaks_for(documents):
    levels = {d.doc_id: level(d) for d in documents}
    assert (levels[PLAN], levels[DECISION], levels[RESOLUTION], levels[GUIDANCE]) == (1, 2, 3, 3)


def test_one_document_is_never_restricted(documents):
    alone = [d for d in documents if d.doc_id == RESOLUTION]
    assert named_documents("Cơ quan nào ban hành NQ này?", alone) is None


def test_the_words_that_name_a_document_need_not_be_quoted(documents):
    from dataclasses import replace

    from assistant.retrieve.named import identity_phrases
    from assistant.retrieve.query import analyse

    plan = [d for d in documents if d.doc_id == PLAN]
    held = identity_phrases(plan)
    assert {"ke hoach", "kh", "xa thach kim"} <= held
    assert not any("nhan dan" in phrase for phrase in held)  # "Ủy ban nhân dân" is the kind of body, not its name

    def terms(question: str, phrases: frozenset[str]) -> set[str]:
        return {t.token for t in replace(analyse(question), held=phrases).terms()}

    assert not {"ke", "hoach", "thach", "kim"} & terms("Kế hoạch của xã Thạch Kim đặt thu nhập bao nhiêu?", held)
    # a syllable of the issuer's name that names something else here is still to be quoted
    resolution = identity_phrases([d for d in documents if d.doc_id == RESOLUTION])
    asked = terms("Ban cán sự đảng Bộ NN&PTNT có nằm trong nơi nhận nghị quyết không?", resolution)
    assert {"dang", "bo"} <= asked and not {"nghi", "quyet"} & asked


def test_a_figure_per_unit_and_a_number_of_the_documents_title():
    from assistant.answer.checks import holds_figures
    from assistant.retrieve.query import analyse, question_kinds

    query = analyse("huyện hỗ trợ bao nhiêu tiền 1 km đường trục thôn?")
    assert holds_figures(query, "Đường trục thôn: hỗ trợ 300 triệu đồng/km")  # "1 km": per km
    budget = analyse("What is the total budget in VND for the pilot scheme?")
    assert not holds_figures(budget, "phản ánh về Văn phòng Điều phối (đồng chí Nguyễn Thị Lan Anh, 0239.3 855 468)")
    assert holds_figures(budget, "hỗ trợ 500.000 đồng/hộ")
    # "vậy mọi người?" asks everyone, not a figure for each person ("mọi" folds onto "mỗi")
    date = analyse("bc tự đánh giá tiêu chí 17 phải gửi lên huyện trước ngày mấy vậy mọi người?")
    assert holds_figures(date, "báo cáo tự đánh giá tiêu chí số 17 … gửi Ủy ban nhân dân huyện trước ngày 15/8/2024.")
    # a number the asker says of himself in a sentence before the question is no figure asked
    income = analyse("tui năm nay 50 tuổi làm ruộng. chừ thu nhập một người ở nông thôn được bao nhiêu một năm")
    assert holds_figures(income, "thu nhập bình quân đầu người khu vực nông thôn đạt trên 35 triệu đồng/năm")
    query = analyse("tiêu chí 17: bao nhiêu % hộ có nhà tiêu tự hoại?")
    assert not holds_figures(query, "tối thiểu 85% số hộ có nhà tiêu tự hoại")
    assert holds_figures(query, "tối thiểu 85% số hộ có nhà tiêu tự hoại", "Hướng dẫn đánh giá tiêu chí số 17")
    stars = analyse("Con số nào nói về tỷ lệ sản phẩm OCOP đạt 3 sao?")
    assert not holds_figures(stars, "tăng trưởng đạt 3%/năm; 200 sản phẩm OCOP, trong đó có 20% số sản phẩm đạt 4 sao")
    assert holds_figures(stars, "có 50% số sản phẩm đạt 3 sao")
    # "của Sở: bao nhiêu" asks for a quantity, not for a number ("số bao nhiêu")
    assert "identifier" not in question_kinds("theo hướng dẫn của Sở: bao nhiêu % hộ có nhà tiêu tự hoại?")
    assert "identifier" in question_kinds("Quyết định số bao nhiêu phê duyệt đề án?")


def test_numbers_in_a_list_and_a_change_asked_in_english():
    from assistant.answer.checks import holds_figures
    from assistant.retrieve.query import analyse

    levels = analyse("What share of procedures should be online at level 3 or level 4?")
    assert holds_figures(levels, "Tối thiểu 80% thủ tục hành chính … dịch vụ công trực tuyến mức độ 3, mức độ 4")
    assert not holds_figures(levels, "mức độ 3,4% và mức độ 2")  # "3,4" is a decimal, not 3
    falling = analyse("How quickly is the poverty rate supposed to come down?")
    assert holds_figures(falling, "tỷ lệ hộ nghèo đa chiều giảm bình quân mỗi năm trên 1,5%")


def test_english_yes_no_questions():
    from assistant.retrieve.query import question_kinds

    for question in ("Does the plan aim to cut the poverty rate by 3% every year?", "So all 13 had met it, right?"):
        assert "yes_no" in question_kinds(question)
    assert "yes_no" not in question_kinds("Does the resolution say which agency leads this?")
    assert "yes_no" not in question_kinds("Can you name the five districts that had not met it?")


def test_english_names_dates_and_bodies_asked():
    from assistant.retrieve.query import analyse, question_kinds

    assert "place" in question_kinds("Can you name the five districts that had not met it?")
    assert "place" in question_kinds("Which three districts are expected to reach the advanced level?")
    assert "date" in question_kinds("On what exact date was it adopted?")
    assert "who" in question_kinds("Which central ministry is responsible for clean water?")
    assert analyse("What was coverage before these targets were set?", lambda w: False).frame == "baseline"
    assert analyse("What share is supposed to have clean water?", lambda w: False).frame == "target"


def test_a_figure_for_each_one_is_not_the_total():
    from assistant.answer.checks import holds_figures
    from assistant.retrieve.query import analyse

    each = analyse("mỗi xã phải có ít nhất mấy sản phẩm OCOP?")
    assert not holds_figures(each, "có ít nhất trên 200 sản phẩm, dịch vụ đạt chuẩn OCOP cấp tỉnh")
    assert holds_figures(each, "mỗi xã có ít nhất 01 sản phẩm OCOP")
    household = analyse("làm hố ủ rác thì 1 hộ được hỗ trợ bao nhiêu?")
    assert holds_figures(household, "hỗ trợ 500.000 đồng/hộ để mua thùng ủ")
    yearly = analyse("Mỗi năm tỉnh giao chỉ tiêu bao nhiêu xã lên NTMNC?")
    assert not holds_figures(yearly, "ít nhất 50% số xã đạt chuẩn nông thôn mới nâng cao")  # by 2025, not a year
    assert holds_figures(yearly, "hằng năm có thêm 15 xã đạt chuẩn nông thôn mới nâng cao")
    assert holds_figures(analyse("thu nhập mỗi năm bao nhiêu?"), "đạt tối thiểu 60 triệu đồng/người/năm")
    criteria = analyse("Xã NTMNC phải đạt tất cả bao nhiêu tiêu chí vậy?")
    assert not holds_figures(criteria, "ít nhất 50% số xã đạt chuẩn nông thôn mới nâng cao")  # a share of communes
    assert holds_figures(criteria, "xã đạt chuẩn phải đạt đủ 19 tiêu chí")
    areas = analyse("tới 2025 khu dân cư kiểu mẫu phải đạt bao nhiêu khu?")
    assert not holds_figures(areas, "có trên 10% số xã đạt chuẩn nông thôn mới kiểu mẫu")
    # the programme's name is no figure for each commune
    named = "có ít nhất trên 200 sản phẩm OCOP cấp tỉnh. Thực hiện Chương trình Mỗi xã một sản phẩm."
    assert not holds_figures(each, named)
    assert holds_figures(analyse("chương trình mỗi xã một sản phẩm gắn với phát triển gì?"), named)


def test_a_number_asked_is_not_answered_without_one():
    from assistant.answer.checks import holds_figures
    from assistant.retrieve.query import analyse

    training = "Trường Chính trị Trần Phú chủ trì, tổ chức các lớp tập huấn kiến thức về nông thôn mới."
    assert not holds_figures(analyse("hoc phi lop tap huan NTM o truong chinh tri tran phu la bao nhieu"), training)
    assert holds_figures(analyse("học phí lớp tập huấn là bao nhiêu?"), "học phí 2 triệu đồng/khóa")
    assert holds_figures(analyse("Nghị quyết cụ thể hóa đại hội lần thứ mấy?"), "Đại hội lần thứ XIX")  # an ordinal
    assert holds_figures(analyse("Mặt trận với mấy đoàn thể thì phải làm gì?"), "Mặt trận vận động hội viên")
    assert holds_figures(analyse("có bao nhiêu nhóm giải pháp?"), "gồm hai nhóm giải pháp")  # in words


def test_the_date_of_a_cited_document_answers_only_when_it_was_issued():
    from assistant.answer.checks import holds_kind
    from assistant.retrieve.query import analyse

    cited = "lộ trình xây dựng tỉnh theo Quyết định số 2114/QĐ-TTg, ngày 16/12/2020 của Thủ tướng Chính phủ"
    assert not holds_kind(analyse("Hà Tĩnh được Thủ tướng công nhận đạt chuẩn NTM vào ngày nào?"), cited)
    assert holds_kind(analyse("Thủ tướng phê duyệt đề án thí điểm vào ngày nào?"), cited)
    # a name asked is one the text sets in quotes
    movement = analyse("Phong trào thi đua của tỉnh về NTM tên đầy đủ là gì?")
    assert not holds_kind(movement, "triển khai hiệu quả các phong trào thi đua, các cuộc vận động của Trung ương")
    assert holds_kind(movement, "thực hiện hiệu quả phong trào thi đua “Cả tỉnh chung sức xây dựng nông thôn mới”")
    # nor the year a question asks, though it names the resolution
    assert not holds_kind(analyse("Nghị quyết sẽ được sơ kết vào năm nào?"), cited)
    assert holds_kind(analyse("Quyết định 2114 được ký năm nào?"), cited)


def test_a_level_is_not_a_yearly_change():
    from assistant.answer.checks import holds_figures
    from assistant.retrieve.query import analyse

    change = "tỷ lệ hộ nghèo đa chiều giảm bình quân mỗi năm trên 1,5%"
    assert not holds_figures(analyse("tới 2025 hộ nghèo đa chiều còn lại bao nhiêu phần trăm?"), change)
    assert holds_figures(analyse("mỗi năm tỷ lệ hộ nghèo đa chiều phải giảm bao nhiêu?"), change)
