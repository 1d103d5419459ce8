"""Real office files: scanned PDFs (OCR), encrypted PDFs, legacy encodings, .doc/.rtf/.html, name
clashes, and bad files that must never stop the others. Every file is made here."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from conftest import ROOT

from assistant import errors
from assistant.ingest import encoding
from assistant.ingest.document import read_document
from assistant.ingest.loaders import load
from assistant.service import Assistant
from assistant.settings import Settings

SAMPLE = (
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
    "Độc lập - Tự do - Hạnh phúc\n"
    "Tỷ lệ người dân tham gia bảo hiểm y tế đạt trên 95% vào năm 2025.\n"
    "Thu nhập bình quân đầu người khu vực nông thôn đạt tối thiểu 60 triệu đồng/người/năm.\n"
    "Ưu tiên nguồn lực cho các xã khó khăn; các cấp ủy chủ trì, phối hợp với các sở, ngành."
)
RESOLUTION_PAGE = [
    "NGHỊ QUYẾT",
    "Về xây dựng nông thôn mới",
    "I. MỤC TIÊU",
    "1. Chỉ tiêu cơ bản",
    "- Tỷ lệ người dân tham gia bảo hiểm",
    "y tế đạt trên 95% vào năm 2025.",
    "- Tỷ lệ hộ dân dùng nước sạch đạt 55%.",
]
SECOND_PAGE = [
    "II. NHIỆM VỤ",
    "1. Phát triển sản xuất",
    "Thu nhập bình quân đầu người khu vực",
    "nông thôn đạt tối thiểu 60 triệu đồng.",
]


def _font() -> Path:
    import matplotlib

    debian = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    return debian if debian.exists() else Path(matplotlib.get_data_path()) / "fonts/ttf/DejaVuSans.ttf"


def _text_pdf(path: Path, pages: list[list[str]]) -> Path:
    """A PDF with a real text layer in a Unicode font with Vietnamese glyphs (A5 pages)."""
    from reportlab.lib.pagesizes import A5
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("DejaVu", str(_font())))
    c = canvas.Canvas(str(path), pagesize=A5)
    for lines in pages:
        c.setFont("DejaVu", 13)
        y = 540
        for line in lines:
            c.drawString(40, y, line)
            y -= 22
        c.showPage()
    c.save()
    return path


def _scanned(source: Path, target: Path, dpi: int = 200, only: set[int] | None = None) -> Path:
    """The PDF as a scanner gives it: every page (or the pages in ``only``, 0-based) replaced by
    its picture, with no text layer; the other pages are kept as they are."""
    import pypdfium2 as pdfium
    from pypdf import PdfReader, PdfWriter

    document = pdfium.PdfDocument(str(source))
    originals = PdfReader(str(source))
    writer = PdfWriter()
    for number in range(len(document)):
        if only is not None and number not in only:
            writer.add_page(originals.pages[number])
            continue
        image = document[number].render(scale=dpi / 72, grayscale=True).to_pil()
        picture = target.with_suffix(f".{number}.pdf")
        image.save(picture, "PDF", resolution=dpi)
        writer.add_page(PdfReader(str(picture)).pages[0])
        picture.unlink()
    document.close()
    with open(target, "wb") as out:
        writer.write(out)
    return target


def _encrypted(source: Path, target: Path, user_password: str) -> Path:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(str(source)))
    writer.encrypt(user_password=user_password, owner_password="chu-so-huu", algorithm="AES-256")
    with open(target, "wb") as out:
        writer.write(out)
    return target


def _ocr_ready() -> bool:
    from assistant.ingest.ocr import available

    return available()


needs_ocr = pytest.mark.skipif(
    not _ocr_ready() and os.environ.get("CI") != "true",
    reason="Tesseract with Vietnamese (tesseract-ocr-vie) not installed: make system-deps",
)


def _assistant(folder: Path, index: Path) -> Assistant:
    return Assistant(Settings(index_dir=index, corpus_dir=folder))


def _folded(text: str) -> str:
    return " ".join(encoding.nfc(text).split())


# --- Scanned PDFs --------------------------------------------------------------------------
@pytest.mark.slow  # the real embedding model
@needs_ocr
def test_scanned_pdf_is_ocrd_and_answers_survive(tmp_path, own_index):
    folder = tmp_path / "docs"
    folder.mkdir()
    clean = _text_pdf(tmp_path / "goc.pdf", [RESOLUTION_PAGE])
    _scanned(clean, folder / "nghi-quyet-quet.pdf", dpi=300)
    assert load(folder / "nghi-quyet-quet.pdf").ocr_pages == [1]

    assistant = _assistant(folder, own_index)
    report = assistant.index(progress=False)
    assert report.added == ["nghi-quyet-quet"] and not report.failed
    assert "OCR" in report.notes["nghi-quyet-quet"]
    answer, _ = assistant.ask("Tỷ lệ người dân tham gia bảo hiểm y tế đạt bao nhiêu?")
    assert answer.found and "95%" in answer.answer
    citation = answer.citations[0]
    assert citation.ocr and "OCR" in citation.label and citation.clause == "I.1"
    assert answer.to_json()["citations"][0]["ocr"] is True
    row = assistant.library()[0]
    assert row["ocr"] and row["ocr_pages"] == [1] and "(OCR) 1/1 trang" in row["note"]


@needs_ocr
def test_mixed_pdf_ocrs_only_the_scanned_page(tmp_path):
    clean = _text_pdf(tmp_path / "goc.pdf", [RESOLUTION_PAGE, SECOND_PAGE])
    mixed = _scanned(clean, tmp_path / "mot-phan-quet.pdf", only={1})
    document = read_document(mixed)
    assert document.ocr_pages == [2] and document.page_count == 2
    assert "đạt trên 95% vào năm 2025." in document.text  # text layer, exact
    assert "60 triệu đồng" in _folded(document.text)  # recognised from the picture
    first = next(p for p in document.paragraphs if "95%" in p.text)
    last = next(p for p in document.paragraphs if "60 triệu" in p.text)
    assert not document.is_ocr_span(first.start, first.end) and document.is_ocr_span(last.start, last.end)


@needs_ocr
def test_blank_scan_is_named(tmp_path):
    from PIL import Image

    blank = tmp_path / "trang-trang.pdf"
    Image.new("L", (600, 800), 255).save(blank, "PDF", resolution=100)
    with pytest.raises(errors.UnreadableDocument, match="OCR found no text"):
        load(blank)


def test_scan_without_tesseract_names_the_install_command(tmp_path, monkeypatch):
    scan = _scanned(_text_pdf(tmp_path / "goc.pdf", [RESOLUTION_PAGE]), tmp_path / "quet.pdf", dpi=100)
    monkeypatch.setenv("PATH", str(tmp_path))  # no tesseract on this PATH
    with pytest.raises(errors.UnreadableDocument) as info:
        load(scan)
    assert "apt-get install tesseract-ocr tesseract-ocr-vie" in info.value.vi


def test_aes_encrypted_pdf_opens_without_password_and_is_named_with_one(tmp_path):
    clean = _text_pdf(tmp_path / "goc.pdf", [RESOLUTION_PAGE])
    open_one = _encrypted(clean, tmp_path / "ma-hoa.pdf", "")
    assert "bảo hiểm y tế" in read_document(open_one).text
    locked = _encrypted(clean, tmp_path / "co-mat-khau.pdf", "matkhau")
    with pytest.raises(errors.UnreadableDocument) as info:
        load(locked)
    assert "PDF có mật khẩu" in info.value.vi and "password" in info.value.en


# --- Legacy encodings ------------------------------------------------------------------------
def _windows_1258(text: str) -> bytes:
    """Windows-1258 spells a toned letter as its base letter plus a combining tone mark."""
    out = []
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in parts if c in "\u0300\u0301\u0303\u0309\u0323")
        out.append(unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones)) + tones)
    return "".join(out).encode("cp1258")


@pytest.mark.parametrize(
    "name, data, expected",
    [
        ("tcvn3", encoding.to_tcvn3(SAMPLE).encode("cp1252"), "tcvn3"),
        ("vni", encoding.to_vni(SAMPLE).encode("cp1252"), "vni"),
        ("cp1258", _windows_1258(SAMPLE), "windows-1258"),
        ("utf16-bom", SAMPLE.encode("utf-16"), "utf-16"),
        ("utf16-no-bom", SAMPLE.encode("utf-16-le"), "utf-16"),
        ("utf8-bom", SAMPLE.encode("utf-8-sig"), ""),
        ("utf8", SAMPLE.encode("utf-8"), ""),
    ],
)
def test_text_files_in_every_encoding_come_back_exactly(tmp_path, name, data, expected):
    path = tmp_path / f"{name}.txt"
    path.write_bytes(data)
    loaded = load(path)
    assert loaded.pages == [SAMPLE] and loaded.encoding == expected


def test_known_legacy_samples_convert_to_the_original():
    # As text extraction returns them from documents set in .VnTime and VNI-Times.
    assert encoding.repair("Céng hßa x· héi chñ nghÜa ViÖt Nam\n§éc lËp - Tù do - H¹nh phóc") == (
        "Cộng hòa xã hội chủ nghĩa Việt Nam\nĐộc lập - Tự do - Hạnh phúc",
        "tcvn3",
    )
    assert encoding.repair("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam\nÑoäc laäp - Töï do - Haïnh phuùc") == (
        "Cộng hòa xã hội chủ nghĩa Việt Nam\nĐộc lập - Tự do - Hạnh phúc",
        "vni",
    )
    assert encoding.repair(SAMPLE) == (SAMPLE, "")


def test_even_length_latin1_file_is_not_read_as_utf16(tmp_path):
    text = "Nhiet do trung binh nam 25°C; dien tich cay an qua 12 m² moi ho; xa Thach Kim dat chuan."
    data = text.encode("latin-1")
    assert len(data) % 2 == 0
    path = tmp_path / "latin1.txt"
    path.write_bytes(data)
    loaded = load(path)
    assert loaded.pages == [text] and loaded.encoding == "windows-1252"


def test_text_that_is_not_vietnamese_is_refused_with_a_reason(tmp_path):
    path = tmp_path / "english.txt"
    path.write_bytes(
        "The committee shall review the annual report on rural roads and water before "
        "the end of March; café budgets are excluded from the review.".encode("latin-1")
    )
    with pytest.raises(errors.UnreadableDocument) as info:
        load(path)
    assert "không giống văn bản tiếng Việt" in info.value.vi and "Vietnamese" in info.value.en


def test_docx_in_tcvn3_font_with_a_unicode_heading(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("QUYẾT ĐỊNH VỀ NÔNG THÔN MỚI")  # a heading typed in a Unicode font
    for line in SAMPLE.splitlines()[2:]:
        document.add_paragraph(encoding.to_tcvn3(line))  # the body in .VnTime
    path = tmp_path / "vntime.docx"
    document.save(path)
    read = read_document(path)
    assert read.encoding == "tcvn3" and "chuyển từ bảng mã TCVN3" in read.provenance()
    assert read.text.splitlines() == ["QUYẾT ĐỊNH VỀ NÔNG THÔN MỚI"] + SAMPLE.splitlines()[2:]


def test_pdf_text_layer_in_vni_font_is_converted(tmp_path):
    pdf = _text_pdf(tmp_path / "vni.pdf", [[encoding.to_vni(line) for line in RESOLUTION_PAGE]])
    document = read_document(pdf)
    assert document.encoding == "vni" and not document.ocr
    assert "Tỷ lệ người dân tham gia bảo hiểm y tế đạt trên 95% vào năm 2025." in document.text


# --- Other formats ---------------------------------------------------------------------------
def test_rtf_and_saved_html(tmp_path):
    rtf = tmp_path / "cong-van.rtf"
    body = "".join(f"\\u{ord(ch)}?" if ord(ch) > 127 else ch for ch in "Tỷ lệ hộ dùng nước sạch đạt 55%.")
    rtf.write_text(
        "{\\rtf1\\ansi\\ansicpg1258{\\fonttbl{\\f0 Times New Roman;}}\\uc1\\f0 I. M\\u7908?C TI\\u202?U\\par "
        f"1. Ch\\u7881? ti\\u234?u\\par {body}\\par}}",
        encoding="ascii",
    )
    document = read_document(rtf)
    assert document.text.splitlines() == ["I. MỤC TIÊU", "1. Chỉ tiêu", "Tỷ lệ hộ dùng nước sạch đạt 55%."]
    html = tmp_path / "trang.html"
    html.write_text(
        "<html><head><meta charset='utf-8'><title>Công văn</title><style>p{}</style></head><body>"
        "<h1>I. MỤC TIÊU</h1><p>1. Chỉ tiêu</p><p>Tỷ lệ hộ dùng <b>nước sạch</b> đạt 55%.</p>"
        "<script>var x = 1;</script></body></html>",
        encoding="utf-8",
    )
    assert read_document(html).text.splitlines() == ["I. MỤC TIÊU", "1. Chỉ tiêu", "Tỷ lệ hộ dùng nước sạch đạt 55%."]


# --- Names, ids and the library ----------------------------------------------------------------
def _note(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"Ghi chú\n\n{text}\n", encoding="utf-8")
    return path


@pytest.mark.slow  # the real embedding model
def test_same_names_and_folded_names_get_their_own_ids(tmp_path, own_index):
    folder = tmp_path / "docs"
    _note(folder / "a" / "x.txt", "Huyện Can Lộc trồng cam bù Hương Sơn.")
    _note(folder / "b" / "x.txt", "Huyện Kỳ Anh nuôi tôm trên cát.")
    _note(folder / "Quyết định 12.txt", "Xã Thạch Kim làm đường giao thông.")
    _note(folder / "quyet-dinh-12.md", "Xã Cẩm Nhượng xây nhà văn hóa.")
    assistant = _assistant(folder, own_index)
    report = assistant.index(progress=False)
    assert not report.failed
    assert sorted(report.added) == ["b-x", "quyet-dinh-12", "quyet-dinh-12-md", "x"]
    assert {p.doc_id for p in assistant.search("cam bù Hương Sơn", k=1)} == {"x"}
    assert {p.doc_id for p in assistant.search("nuôi tôm trên cát", k=1)} == {"b-x"}
    assert {p.doc_id for p in assistant.search("nhà văn hóa Cẩm Nhượng", k=1)} == {"quyet-dinh-12-md"}
    again = _assistant(folder, own_index).index(progress=False)
    assert not again.changed and len(again.unchanged) == 4
    rebuilt = _assistant(folder, own_index).index(progress=False, rebuild=True)
    assert sorted(rebuilt.added) == sorted(report.added)


@pytest.mark.slow  # the real embedding model
def test_a_file_added_later_never_replaces_one_with_the_same_name(tmp_path, own_index):
    folder = tmp_path / "docs"
    _note(folder / "b" / "x.txt", "Huyện Kỳ Anh nuôi tôm trên cát.")
    _note(folder / "quyet-dinh-12.md", "Xã Cẩm Nhượng xây nhà văn hóa.")
    assistant = _assistant(folder, own_index)
    assert sorted(assistant.index(progress=False).added) == ["quyet-dinh-12", "x"]
    _note(folder / "a" / "x.txt", "Huyện Can Lộc trồng cam bù Hương Sơn.")
    _note(folder / "Quyết định 12.txt", "Xã Thạch Kim làm đường giao thông.")
    later = assistant.index(progress=False)
    assert sorted(later.added) == ["a-x", "quyet-dinh-12-txt"] and sorted(later.unchanged) == ["quyet-dinh-12", "x"]
    for question, doc_id in [
        ("nuôi tôm trên cát", "x"),
        ("cam bù Hương Sơn", "a-x"),
        ("nhà văn hóa Cẩm Nhượng", "quyet-dinh-12"),
        ("đường giao thông Thạch Kim", "quyet-dinh-12-txt"),
    ]:
        assert assistant.search(question, k=1)[0].doc_id == doc_id


@pytest.mark.slow  # the real embedding model
def test_bad_files_are_named_and_the_rest_is_indexed(tmp_path, own_index):
    folder = tmp_path / "docs"
    _note(folder / "ghi-chu.txt", "Huyện Can Lộc trồng cam bù Hương Sơn.")
    clean = _text_pdf(tmp_path / "goc.pdf", [RESOLUTION_PAGE])
    _encrypted(clean, folder / "co-mat-khau.pdf", "matkhau")
    _encrypted(clean, folder / "aes-khong-mat-khau.pdf", "")
    (folder / "hong.docx").write_bytes(b"PK\x03\x04 not a real docx")
    (folder / "tieng-anh.txt").write_text(
        "The committee shall review the annual report on rural roads, "
        "schools and water before the end of March next year."
    )
    result = subprocess.run(
        [sys.executable, "-m", "assistant.cli", "index", "--index", str(own_index), "--corpus", str(folder)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 2, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith(str(folder))]
    assert len(lines) == 3
    assert any("co-mat-khau.pdf" in line and "PDF có mật khẩu" in line for line in lines)
    assert any("hong.docx" in line and "DOCX" in line for line in lines)
    assert any("tieng-anh.txt" in line and "tiếng Việt" in line for line in lines)
    assert "added 2" in result.stdout
    ids = {d.doc_id for d in _assistant(folder, own_index).documents()}
    assert ids == {"ghi-chu", "aes-khong-mat-khau"}


@pytest.mark.slow  # the real embedding model
def test_failed_upload_leaves_nothing_and_the_next_one_works(tmp_path, own_index):
    folder = tmp_path / "docs"
    _note(folder / "ghi-chu.txt", "Huyện Can Lộc trồng cam bù Hương Sơn.")
    assistant = _assistant(folder, own_index)
    assistant.index(progress=False)
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    locked = _encrypted(_text_pdf(tmp_path / "goc.pdf", [RESOLUTION_PAGE]), uploads / "khoa.pdf", "matkhau")
    report = assistant.add_documents([locked])
    assert [Path(f.path).name for f in report.failed] == ["khoa.pdf"] and not report.added
    assert sorted(p.name for p in folder.iterdir()) == ["ghi-chu.txt"]
    good = _note(uploads / "bien-ban.txt", "Xã Thạch Kim làm đường giao thông.")
    report = assistant.add_documents([good])
    assert report.added == ["bien-ban"] and not report.failed
    with pytest.raises(errors.BadInput, match="same name"):
        assistant.add_documents([_note(uploads / "Ghi Chú.md", "Một ghi chú khác.")])
    assert sorted(p.name for p in folder.iterdir()) == ["bien-ban.txt", "ghi-chu.txt"]


@pytest.mark.slow  # the real embedding model
def test_removing_a_document_keeps_the_other_documents_files(tmp_path, own_index):
    folder = tmp_path / "docs"
    _note(folder / "nghi-quyet.txt", "Tỷ lệ người dân tham gia bảo hiểm y tế đạt trên 95%.")
    (folder / "nghi-quyet.meta.yaml").write_text("title: Nghị quyết thử\ntype: Nghị quyết\n", encoding="utf-8")
    assistant = _assistant(folder, own_index)
    assistant.index(progress=False)
    _note(folder / "nghi-quyet.md", "Ghi chú của cán bộ về nghị quyết.")  # same stem, added later
    assert assistant.index(progress=False).added == ["nghi-quyet-md"]
    assert assistant.library()[0]["title"] == "Nghị quyết thử"
    assistant.remove_document("nghi-quyet-md")
    kept = sorted(p.name for p in folder.iterdir() if p.name != ".trash")
    assert kept == ["nghi-quyet.meta.yaml", "nghi-quyet.txt"]
    assert sorted(p.name for p in (folder / ".trash").iterdir()) == ["nghi-quyet.md"]  # recoverable
    assert [d.doc_id for d in assistant.documents()] == ["nghi-quyet"]
    assistant.remove_document("nghi-quyet")
    assert [p.name for p in folder.iterdir()] == [".trash"]
    assert sorted(p.name for p in (folder / ".trash").iterdir()) == [
        "nghi-quyet.md",
        "nghi-quyet.meta.yaml",
        "nghi-quyet.txt",
    ]


@pytest.mark.slow  # the real embedding model
def test_library_cli_lists_converted_documents(tmp_path, own_index):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "cong-van-cu.txt").write_bytes(encoding.to_tcvn3(SAMPLE).encode("cp1252"))
    _note(folder / "ghi-chu.txt", "Huyện Can Lộc trồng cam bù Hương Sơn.")
    _assistant(folder, own_index).index(progress=False)
    result = subprocess.run(
        [sys.executable, "-m", "assistant.cli", "library", "--index", str(own_index), "--corpus", str(folder)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    line = next(line for line in result.stdout.splitlines() if line.startswith("cong-van-cu"))
    assert "chuyển từ bảng mã TCVN3 (ABC)" in line
    assert "[" not in next(line for line in result.stdout.splitlines() if line.startswith("ghi-chu"))


@pytest.mark.skipif(
    not shutil.which("antiword") and os.environ.get("CI") != "true", reason="antiword not installed: make system-deps"
)
def test_word_97_doc(tmp_path):
    from word97 import write_doc

    path = write_doc(tmp_path / "quyet-dinh-cu.doc", ["I. MỤC TIÊU", "1. Chỉ tiêu", "Tỷ lệ hộ dùng nước sạch đạt 55%."])
    document = read_document(path)
    assert document.text.splitlines() == ["I. MỤC TIÊU", "1. Chỉ tiêu", "Tỷ lệ hộ dùng nước sạch đạt 55%."]
    assert any(c.clause == "I.1" and "55%" in c.text for c in document.chunks)
