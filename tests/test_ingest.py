"""Loaders, cleaning, clause structure and chunks on real files."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CORPUS

from assistant import errors
from assistant.ingest.chunk import answer_units
from assistant.ingest.document import read_document
from assistant.ingest.loaders import load_pages

RESOLUTION = CORPUS / "nghi-quyet-tinh-uy-ha-tinh-ntm-2021-2025.txt"
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


@pytest.fixture(scope="module")
def resolution():
    return read_document(RESOLUTION)


def test_cleaning_joins_lines_and_drops_page_number(resolution):
    assert "du lịch sinh thái" in resolution.text
    assert "\n5\n" not in resolution.text
    assert "  " not in resolution.text


def test_clause_ids_follow_the_contract(resolution):
    ids = [c.id for c in resolution.clauses]
    for expected in ["mo-dau", "I.1", "I.3", "II.2.1", "II.2.3", "II.3.4", "IV.2", "IV.5", "noi-nhan"]:
        assert expected in ids
    assert not any(i.startswith("III") for i in ids)
    assert resolution.clause("I.3").heading == "3. Các chỉ tiêu cơ bản"


def test_chunks_are_verbatim_spans_with_heading_context(resolution):
    for chunk in resolution.chunks:
        assert resolution.text[chunk.start : chunk.end] == chunk.text
        for start, end in answer_units(chunk):
            assert resolution.text[start:end].strip() == resolution.text[start:end]
    bhyt = next(c for c in resolution.chunks if "bảo hiểm y tế đạt trên 95%" in c.text)
    assert bhyt.clause == "I.3"
    assert "3. Các chỉ tiêu cơ bản" in bhyt.context_text


def test_metadata_file_gives_title(resolution):
    assert resolution.meta["type"] == "Nghị quyết"
    assert resolution.title.startswith("Nghị quyết")


def test_legal_style_clauses(tmp_path):
    law = tmp_path / "luat-mau.txt"
    law.write_text(
        "LUẬT MẪU\n\nChương I\n\nQUY ĐỊNH CHUNG\n\nĐiều 1. Phạm vi điều chỉnh\n\nLuật này quy định về thử nghiệm.\n\n"
        "Điều 5. Trách nhiệm\n\n1. Ủy ban nhân dân các cấp có trách nhiệm sau đây:\n\n"
        "a) Bố trí nguồn lực thực hiện;\n\nb) Kiểm tra, giám sát việc thực hiện.\n\n"
        "2. Hội đồng nhân dân giám sát việc thi hành.\n",
        encoding="utf-8",
    )
    doc = read_document(law)
    ids = [c.id for c in doc.clauses]
    assert "Điều 1" in ids and "Điều 5 khoản 1 điểm a" in ids and "Điều 5 khoản 2" in ids
    chunk = next(c for c in doc.chunks if "Kiểm tra, giám sát" in c.text)
    assert chunk.clause == "Điều 5 khoản 1 điểm b"


def _pdf(path: Path, pages: list[str], encrypt: str | None = None, image_only: bool = False) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("DejaVu", str(FONT)))
    c = canvas.Canvas(str(path), pagesize=A4, encrypt=encrypt)
    for number, text in enumerate(pages, start=1):
        if image_only:
            c.rect(100, 400, 300, 200, fill=1)
        else:
            c.setFont("DejaVu", 11)
            c.drawString(72, 800, "NGHỊ QUYẾT THỬ NGHIỆM - BẢN SAO")
            y = 760
            for line in text.splitlines():
                c.drawString(72, y, line)
                y -= 16
            c.drawString(290, 40, str(number))
        c.showPage()
    c.save()
    return path


@pytest.mark.skipif(not FONT.exists(), reason="DejaVu font not installed")
def test_pdf_is_cleaned_of_page_numbers_and_running_headers(tmp_path):
    pages = [
        "I. MỤC TIÊU\n1. Chỉ tiêu\n- Tỷ lệ người dân tham gia bảo hiểm y tế đạt trên\n95% vào năm 2025.",
        "- Thu nhập bình quân đầu người khu vực nông thôn đạt tối\nthiểu 60 triệu đồng/người/năm.",
        "II. NHIỆM VỤ\n1. Phát triển du lịch\nChú trọng phát triển du lịch\nsinh thái, du lịch trải nghiệm.",
    ]
    doc = read_document(_pdf(tmp_path / "nq.pdf", pages))
    assert "BẢN SAO" not in doc.text
    assert "đạt trên 95% vào năm 2025." in doc.text
    assert "du lịch sinh thái" in doc.text
    assert {"I.1", "II.1"} <= {c.id for c in doc.clauses}


@pytest.mark.skipif(not FONT.exists(), reason="DejaVu font not installed")
def test_bad_pdfs_are_named(tmp_path):
    with pytest.raises(errors.UnreadableDocument, match="encrypted"):
        load_pages(_pdf(tmp_path / "secret.pdf", ["Mật"], encrypt="matkhau"))
    with pytest.raises(errors.UnreadableDocument, match="empty"):  # a drawing, no text and no picture to OCR
        load_pages(_pdf(tmp_path / "scan.pdf", ["x"], image_only=True))
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\nnot really a pdf\n")
    with pytest.raises(errors.UnreadableDocument, match="corrupt"):
        load_pages(broken)


def test_other_bad_files(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    with pytest.raises(errors.UnreadableDocument, match="empty"):
        load_pages(empty)
    image = tmp_path / "anh.png"
    image.write_bytes(b"\x89PNG")
    with pytest.raises(errors.UnreadableDocument, match="unsupported"):
        load_pages(image)
    fake_docx = tmp_path / "fake.docx"
    fake_docx.write_text("plain text")
    with pytest.raises(errors.UnreadableDocument) as info:
        load_pages(fake_docx)
    assert "DOCX" in info.value.vi


def test_docx_paragraphs_and_tables(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("I. MỤC TIÊU")
    document.add_paragraph("1. Chỉ tiêu")
    document.add_paragraph("Tỷ lệ hộ dùng nước sạch đạt 55%.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Chỉ tiêu"
    table.cell(0, 1).text = "Giá trị"
    table.cell(1, 0).text = "Nhà vệ sinh tự hoại"
    table.cell(1, 1).text = "80%"
    path = tmp_path / "bang.docx"
    document.save(path)
    doc = read_document(path)
    assert "Nhà vệ sinh tự hoại | 80%." in doc.text
    assert any(c.clause == "I.1" and "55%" in c.text for c in doc.chunks)


def test_vietnamese_syllables_and_the_shipped_text_reads_as_vietnamese():
    from assistant.ingest.encoding import is_syllable, vietnamese_share

    for word in ["người", "nghiêng", "gìn", "giữ", "quốc", "khuya", "hoà", "hòa", "kênh", "Đảng", "ưu"]:
        assert is_syllable(word), word
    for word in ["céng", "héi", "hßa", "tẽc", "ngiêng", "kang", "quu"]:
        assert not is_syllable(word), word
    share, words = vietnamese_share(RESOLUTION.read_text(encoding="utf-8"))
    assert share > 0.95 and words > 1000  # never refused as "not Vietnamese"


def test_document_ids_are_unique_and_keep_what_the_index_holds(tmp_path):
    from assistant.ingest.document import assign_doc_ids

    names = ["a/x.txt", "b/x.txt", "Quyết định 12.txt", "quyet-dinh-12.md", "Hồ sơ/X.TXT"]
    paths = {str(tmp_path / n): tmp_path / n for n in names}
    ids = assign_doc_ids(paths, [tmp_path], {})
    assert len(set(ids.values())) == len(names)
    assert ids == assign_doc_ids(paths, [tmp_path], {})  # the same files give the same ids
    assert ids[str(tmp_path / "a/x.txt")] == "x" and ids[str(tmp_path / "quyet-dinh-12.md")] == "quyet-dinh-12-md"
    held = {str(tmp_path / "b/x.txt"): "x"}  # b/x.txt was indexed first: it keeps "x"
    later = assign_doc_ids(paths, [tmp_path], held)
    assert later[str(tmp_path / "b/x.txt")] == "x" and later[str(tmp_path / "a/x.txt")] == "a-x"
    assert len(set(later.values())) == len(names)


def test_paragraphs_know_their_page():
    from assistant.ingest.clean import clean_pages

    paragraphs = clean_pages(["I. MỤC TIÊU\nNội dung trang một.", "II. NHIỆM VỤ\nNội dung trang hai."])
    assert [(p.text, p.page) for p in paragraphs] == [
        ("I. MỤC TIÊU", 1),
        ("Nội dung trang một.", 1),
        ("II. NHIỆM VỤ", 2),
        ("Nội dung trang hai.", 2),
    ]
