"""Questions restricted to some documents (``ntm ask --doc``, ``ntm search --doc``, the chat's "Hỏi trong:")
and answers that name their documents when their quotes come from several: over a real index (the real
model) of the shipped resolution and a small district decision."""

from __future__ import annotations

import json

import pytest

from assistant import errors
from assistant.service import Assistant
from assistant.settings import Settings
from tests.conftest import index_beside_corpus, ntm

pytestmark = pytest.mark.slow

RESOLUTION = "nghi-quyet-tinh-uy-ha-tinh-ntm-2021-2025"
DECISION = "qd-123-can-loc"
CITED = "Quyết định số 123/QĐ-UBND ngày 12/3/2022 của UBND huyện Can Lộc"
DECISION_TEXT = [
    "ỦY BAN NHÂN DÂN",
    "HUYỆN CAN LỘC",
    "Số: 123/QĐ-UBND",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Can Lộc, ngày 12 tháng 3 năm 2022",
    "QUYẾT ĐỊNH",
    "Về việc phân công nhiệm vụ thực hiện Chương trình xây dựng nông thôn mới năm 2022",
    "CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN CAN LỘC",
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
    "Theo đề nghị của Trưởng phòng Nông nghiệp và Phát triển nông thôn.",
    "QUYẾT ĐỊNH:",
    "Điều 1. Giao Phòng Kinh tế - Hạ tầng chủ trì thực hiện tiêu chí giao thông; Phòng Tài chính - "
    "Kế hoạch bố trí vốn đối ứng cho các xã.",
    "Điều 2. Giao Trung tâm Y tế huyện chủ trì vận động người dân tham gia bảo hiểm y tế, phấn đấu tỷ lệ "
    "tham gia bảo hiểm y tế trên địa bàn huyện đạt trên 97% trong năm 2022.",
    "Điều 3. Quyết định này có hiệu lực kể từ ngày ký.",
]
BHYT = "Tỷ lệ tham gia bảo hiểm y tế mục tiêu là bao nhiêu?"


@pytest.fixture(scope="module")
def two_documents(tmp_path_factory):
    """(corpus folder, index folder): the resolution and the decision, indexed once for this module."""
    corpus, index, report = index_beside_corpus(
        tmp_path_factory.mktemp("two-documents"), {f"{DECISION}.txt": "\n".join(DECISION_TEXT) + "\n"}
    )
    assert sorted(report.added) == [RESOLUTION, DECISION]
    return corpus, index


@pytest.fixture
def assistant(two_documents):
    corpus, index = two_documents
    return Assistant(Settings(index_dir=index, corpus_dir=corpus))


def test_a_question_restricted_to_a_document_is_answered_from_it(assistant):
    by_number, _ = assistant.ask(BHYT, docs=["123/QĐ-UBND"])
    assert by_number.found and {c.doc_id for c in by_number.citations} == {DECISION}
    assert "97%" in by_number.citations[0].quote and by_number.citations[0].doc_title == CITED
    by_prefix, _ = assistant.ask(BHYT, docs=["nghi-quyet"])
    assert by_prefix.found and {c.doc_id for c in by_prefix.citations} == {RESOLUTION}
    assert "95%" in by_prefix.citations[0].quote
    # One document: the answer text is the quotes alone, as before; ``documents`` names it.
    assert by_prefix.answer.startswith("“") and "Theo " not in by_prefix.answer
    assert [d["doc_id"] for d in by_prefix.to_json()["documents"]] == [RESOLUTION]
    both, _ = assistant.ask(BHYT, docs=[RESOLUTION, DECISION])  # repeatable: both documents
    assert {c.doc_id for c in both.citations} <= {RESOLUTION, DECISION} and both.found
    passages = assistant.search("tiêu chí giao thông", 5, docs=["Can Lộc"])  # a part of the cited name
    assert passages and {p.doc_id for p in passages} == {DECISION}
    follow_up, _ = assistant.ask_in_conversation("còn nước sạch thì sao?", [BHYT], docs=[RESOLUTION])
    assert {c.doc_id for c in follow_up.citations} == {RESOLUTION}


def test_an_unknown_or_ambiguous_document_is_refused_with_the_list(assistant):
    with pytest.raises(errors.BadInput) as unknown:
        assistant.restrict(["Quyết định số 999"])
    assert DECISION in unknown.value.vi and RESOLUTION in unknown.value.en and "không có" in unknown.value.vi
    with pytest.raises(errors.BadInput) as several:
        assistant.restrict(["nông thôn mới"])  # in both titles
    assert "nhiều văn bản" in several.value.vi and "several" in several.value.en
    assert assistant.restrict([]) is None and assistant.restrict([DECISION]) == {DECISION}


def test_answers_from_two_documents_name_each(assistant):
    answer, _ = assistant.ask("Phòng nào chủ trì thực hiện tiêu chí giao thông, còn nước sạch mục tiêu là bao nhiêu?")
    assert {c.doc_id for c in answer.citations} == {RESOLUTION, DECISION}, answer.answer
    assert f"Theo {CITED}, Điều 1: “Giao Phòng Kinh tế - Hạ tầng" in answer.answer
    assert (
        "Theo Nghị quyết Tỉnh ủy Hà Tĩnh về tỉnh đạt chuẩn NTM 2021 - 2025, Mục I.3:" in answer.answer
    )  # its short title
    documents = answer.to_json()["documents"]
    assert [d["doc_id"] for d in documents] == [DECISION, RESOLUTION]
    assert documents[0] == {"doc_id": DECISION, "cited_as": CITED, "citations": [1]}
    assert [c.n for c in answer.citations] == [n for d in documents for n in d["citations"]]


def test_the_doc_option_of_ask_and_search(two_documents):
    corpus, index = two_documents
    where = ["--index", index, "--corpus", corpus]
    asked = ntm("ask", *where, "--doc", "qd-123", "--json", BHYT)
    assert asked.returncode == 0, asked.stderr
    answer = json.loads(asked.stdout)
    assert {c["doc_id"] for c in answer["citations"]} == {DECISION} and answer["documents"][0]["cited_as"] == CITED
    found = ntm("search", *where, "--doc", RESOLUTION, "--doc", "123/QĐ-UBND", "-k", "8", "--json", "giao thông")
    assert found.returncode == 0 and {p["doc_id"] for p in json.loads(found.stdout)} <= {RESOLUTION, DECISION}
    unknown = ntm("ask", *where, "--doc", "999/QĐ-UBND", BHYT)
    assert unknown.returncode == 2 and not unknown.stdout
    assert "Văn bản '999/QĐ-UBND' không có trong chỉ mục" in unknown.stderr and DECISION in unknown.stderr
    assert "Traceback" not in unknown.stderr


def test_a_library_answer_from_one_document_names_it(assistant):
    # two documents indexed, none chosen: which one says it, and its clause
    answer, _ = assistant.ask("Ai chủ trì thực hiện tiêu chí giao thông?")
    assert answer.found and {c.doc_id for c in answer.citations} == {DECISION}, answer.answer
    assert answer.answer.startswith(f"Theo {CITED}"), answer.answer
    assert answer.citations[0].label in answer.answer.split("“")[0]
    # a figure both set (the province's 95%, the district's 97%): side by side, each under its name
    answer, _ = assistant.ask(BHYT)
    assert {c.doc_id for c in answer.citations} == {RESOLUTION, DECISION}, answer.answer
    assert answer.answer.startswith("Theo ") and CITED in answer.answer and "95%" in answer.answer
    chosen, _ = assistant.ask(BHYT, docs=[RESOLUTION])  # chosen: the quotes alone
    assert chosen.answer.startswith("“")
