"""Documents know what they are: type, number, date, issuer and title read from their administrative
header (TXT, DOCX, PDF, HTML), the header and its grounds kept out of the passages, citations naming
the document by its number and date, and a ``.meta.yaml`` winning where it says something."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.ingest.document import read_document
from assistant.ingest.header import short_date
from assistant.service import Assistant
from assistant.settings import Settings
from assistant.ui.library_tab import _named, _rows
from tests.test_bad_files import _text_pdf

TITLE = "Quyết định về việc phân công nhiệm vụ thực hiện Chương trình xây dựng nông thôn mới năm 2022"
CITED = "Quyết định số 123/QĐ-UBND ngày 12/3/2022 của UBND huyện Can Lộc"
MOTTO = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]

DECISION_BODY = [
    "QUYẾT ĐỊNH",
    "Về việc phân công nhiệm vụ thực hiện Chương trình xây dựng nông thôn mới năm 2022",
    "CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN CAN LỘC",
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
    "Căn cứ Quyết định số 05/2022/QĐ-UBND ngày 10/01/2022 của Ủy ban nhân dân tỉnh Hà Tĩnh;",
    "Theo đề nghị của Trưởng phòng Nông nghiệp và Phát triển nông thôn.",
    "QUYẾT ĐỊNH:",
    "Điều 1. Giao Phòng Kinh tế - Hạ tầng chủ trì thực hiện tiêu chí giao thông; Phòng Tài chính - "
    "Kế hoạch bố trí vốn đối ứng cho các xã.",
    "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.",
]

PLAN = [
    "ỦY BAN NHÂN DÂN",
    "XÃ THƯỜNG NGA",
    "Số: 30/KH-UBND",
    *MOTTO,
    "Thường Nga, ngày 20 tháng 2 năm 2023",
    "KẾ HOẠCH",
    "Thực hiện xây dựng xã đạt chuẩn nông thôn mới nâng cao năm 2023",
    "Thực hiện Quyết định số 15/QĐ-UBND của UBND huyện Can Lộc, UBND xã xây dựng kế hoạch như sau:",
    "I. MỤC ĐÍCH, YÊU CẦU",
    "1. Mục đích",
    "Huy động cả hệ thống chính trị vào cuộc, phấn đấu đạt 19/19 tiêu chí nâng cao trong năm 2023.",
]

LAW = [
    "QUỐC HỘI",
    "Luật số: 45/2013/QH13",
    *MOTTO,
    "LUẬT",
    "ĐẤT ĐAI",
    "Căn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam;",
    "Quốc hội ban hành Luật đất đai.",
    "Chương I",
    "QUY ĐỊNH CHUNG",
    "Điều 1. Phạm vi điều chỉnh",
    "Luật này quy định về chế độ sở hữu đất đai, quyền hạn và trách nhiệm của Nhà nước.",
]


def _docx_decision(path: Path) -> Path:
    """A decision as Word templates lay it out: issuer and number opposite the motto and date in a
    two-column table, then the type, subject and grounds as paragraphs."""
    import docx

    document = docx.Document()
    table = document.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    left.text = "ỦY BAN NHÂN DÂN"
    for line in ["HUYỆN CAN LỘC", "-------", "Số: 123/QĐ-UBND"]:
        left.add_paragraph(line)
    right.text = MOTTO[0]
    for line in [MOTTO[1], "---------------", "Can Lộc, ngày 12 tháng 3 năm 2022"]:
        right.add_paragraph(line)
    for line in DECISION_BODY:
        document.add_paragraph(line)
    document.save(path)
    return path


def _html_letter(path: Path) -> Path:
    """A guidance letter (công văn) saved from a web page: "V/v" under its number, no type line."""
    path.write_text(
        "<html><head><meta charset='utf-8'><title>Công văn 45</title></head><body><table><tr>"
        "<td><p>UBND HUYỆN CAN LỘC</p><p>PHÒNG NÔNG NGHIỆP VÀ PTNT</p><p>Số: 45/NN-PTNT</p>"
        "<p>V/v hướng dẫn đánh giá tiêu chí môi trường</p></td>"
        f"<td><p>{MOTTO[0]}</p><p>{MOTTO[1]}</p><p>Can Lộc, ngày 5 tháng 4 năm 2023</p></td>"
        "</tr></table><p>Kính gửi: Ủy ban nhân dân các xã, thị trấn.</p>"
        "<p>Để đạt tiêu chí môi trường, các xã tổ chức thu gom rác thải sinh hoạt tối thiểu hai lần mỗi tuần.</p>"
        "<p>Phòng Nông nghiệp và PTNT đề nghị các xã báo cáo kết quả trước ngày 30 tháng 6.</p>"
        "</body></html>",
        encoding="utf-8",
    )
    return path


def _passages(document) -> str:
    return "\n".join(c.text for c in document.chunks)


def test_a_docx_decision_knows_its_number_date_issuer_and_title(tmp_path):
    document = read_document(_docx_decision(tmp_path / "qd-123.docx"))
    meta = document.meta
    assert (meta["type"], meta["number"], meta["date"]) == ("Quyết định", "123/QĐ-UBND", "2022-03-12")
    assert meta["issuer"] == "Ủy ban nhân dân huyện Can Lộc" and meta["place"] == "Can Lộc"
    assert document.title == TITLE and document.cited_as == CITED
    passages = _passages(document)
    for header in ["ỦY BAN NHÂN DÂN", "Số: 123", "Can Lộc, ngày", "Về việc", "CHỦ TỊCH", "Căn cứ", "đề nghị"]:
        assert header not in passages, header
    assert [c.clause for c in document.chunks] == ["Điều 1", "Điều 2"]
    assert "Phòng Kinh tế - Hạ tầng chủ trì" in document.chunks[0].text


def test_a_txt_plan_and_a_pdf_law(tmp_path):
    plan = tmp_path / "ke-hoach-30.txt"
    plan.write_text("\n".join(PLAN) + "\n", encoding="utf-8")
    document = read_document(plan)
    assert document.title == "Kế hoạch thực hiện xây dựng xã đạt chuẩn nông thôn mới nâng cao năm 2023"
    assert (document.meta["number"], document.meta["date"]) == ("30/KH-UBND", "2023-02-20")
    assert document.cited_as == "Kế hoạch số 30/KH-UBND ngày 20/2/2023 của UBND xã Thường Nga"
    passages = _passages(document)
    assert (
        "Số: 30" not in passages
        and "KẾ HOẠCH" not in passages
        and "đạt chuẩn nông thôn mới nâng cao năm 2023\n" not in passages
    )
    assert "Thực hiện Quyết định số 15/QĐ-UBND" in passages  # the body's opening stays

    law = read_document(_text_pdf(tmp_path / "luat-dat-dai.pdf", [LAW]))
    assert (law.meta["type"], law.meta["number"], law.meta["issuer"]) == ("Luật", "45/2013/QH13", "Quốc hội")
    assert law.title == "Luật Đất đai" and law.cited_as == "Luật Đất đai số 45/2013/QH13"
    assert "Căn cứ Hiến pháp" not in _passages(law) and "ban hành Luật" not in _passages(law)
    assert law.chunks[0].clause.startswith(("Chương I", "Điều 1"))


def test_an_html_letter_has_no_type_line(tmp_path):
    document = read_document(_html_letter(tmp_path / "cong-van-45.html"))
    assert (document.meta["type"], document.meta["number"]) == ("Công văn", "45/NN-PTNT")
    assert document.meta["issuer"] == "Phòng Nông nghiệp và PTNT"
    assert document.title == "Công văn về việc hướng dẫn đánh giá tiêu chí môi trường"
    assert document.cited_as == "Công văn số 45/NN-PTNT ngày 5/4/2023 của Phòng Nông nghiệp và PTNT"
    passages = _passages(document)
    assert "Kính gửi" not in passages and "Số: 45" not in passages and "CỘNG HÒA" not in passages
    assert "thu gom rác thải sinh hoạt tối thiểu hai lần mỗi tuần" in passages


def test_meta_yaml_wins_and_a_title_block_without_a_header_stays(tmp_path):
    plan = tmp_path / "ke-hoach-30.txt"
    plan.write_text("\n".join(PLAN) + "\n", encoding="utf-8")
    (tmp_path / "ke-hoach-30.meta.yaml").write_text("title: Kế hoạch NTM nâng cao\nnumber: 30b/KH-UBND\n", "utf-8")
    document = read_document(plan)
    assert document.title == "Kế hoạch NTM nâng cao" and document.meta["number"] == "30b/KH-UBND"
    assert document.meta["date"] == "2023-02-20"  # what the file does not say is still read
    assert document.cited_as == "Kế hoạch NTM nâng cao"  # a given title names the document
    shipped = read_document(Path(__file__).resolve().parents[1] / "corpus/nghi-quyet-tinh-uy-ha-tinh-ntm-2021-2025.txt")
    assert shipped.cited_as == shipped.title and shipped.title.startswith("Nghị quyết của Ban Chấp hành")
    assert shipped.header == [] and shipped.chunks[0].text.startswith("NGHỊ QUYẾT\nCỦA BAN CHẤP HÀNH ĐẢNG BỘ TỈNH")
    assert short_date("2022-03-12") == "12/3/2022"


@pytest.mark.slow
def test_answers_cite_the_decision_by_number_and_never_quote_its_header(tmp_path, monkeypatch):
    folder = tmp_path / "corpus"
    folder.mkdir()
    _docx_decision(folder / "qd-123.docx")
    assistant = Assistant(Settings(index_dir=tmp_path / "index", corpus_dir=folder))
    report = assistant.index(progress=False)
    assert report.added == ["qd-123"]
    row = assistant.library()[0]
    assert (row["type"], row["number"], row["date"]) == ("Quyết định", "123/QĐ-UBND", "2022-03-12")
    table = _rows(assistant)[0]  # the library tab's row and its removal question
    assert table[:5] == [TITLE, "qd-123", "Quyết định", "123/QĐ-UBND", "12/3/2022"]
    assert _named(assistant.documents()[0]) == f"{CITED} — {TITLE}"
    answer, _ = assistant.ask("Ai chủ trì thực hiện tiêu chí giao thông?")
    assert answer.citations, answer.answer
    cited = answer.citations[0]
    assert cited.doc_title == CITED
    assert cited.clause == "Điều 1" and "ỦY BAN" not in cited.quote and "Căn cứ" not in answer.answer
    again = assistant.index(progress=False)  # nothing changed: nothing read again
    assert again.unchanged == ["qd-123"] and not again.changed
    monkeypatch.setattr("assistant.index.builder.READER_VERSION", 99)  # an index made by an earlier reader
    upgraded = assistant.index(progress=False)
    assert upgraded.updated == ["qd-123"] and upgraded.embedded == 0  # read again, its vectors reused
