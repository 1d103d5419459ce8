"""A draft as a 16:9 PowerPoint deck and as PNG cards for a phone: re-opened with python-pptx and
looked at as images, from a draft laid out the way the editor holds it (no model needed)."""

from __future__ import annotations

import os
import shutil
import subprocess
import unicodedata
import zipfile

import pytest
from conftest import ntm as run_ntm

TITLE = "Nghị quyết của Ban Chấp hành Đảng bộ tỉnh về tập trung lãnh đạo, chỉ đạo thực hiện Đề án nông thôn mới"
SHORT = "Nghị quyết Tỉnh ủy Hà Tĩnh về tỉnh đạt chuẩn NTM 2021 - 2025"
BHYT = "Tỷ lệ người dân tham gia bảo hiểm y tế"


def _draft():
    """A draft as ``build_draft`` returns one: points, figures and a duty, each with its source."""
    from assistant.draft.compose import Draft, Point, Source

    def source(n, clause, quote):
        return Source(
            n=n, doc_id="nq", doc_title=TITLE, clause=clause, label=f"Mục {clause}", quote=quote, start=0, end=1
        )

    return Draft(
        topic="bảo hiểm y tế",
        audience="nhan-dan",
        title="Bảo hiểm y tế: những điều bà con cần biết",
        intro="Dưới đây là những điểm chính.",
        points=[Point("Tỷ lệ người dân tham gia bảo hiểm y tế trên 95%", 1)],
        figures=[
            {"indicator": BHYT, "value": "> 95%", "deadline": "2025", "n": 1},
            {"indicator": "Hộ dân sử dụng nước sạch đạt quy chuẩn", "value": "≥ 55%", "deadline": "2025", "n": 2},
            {
                "indicator": "Thu nhập bình quân đầu người",
                "value": "≥ 60 triệu đồng/người/năm",
                "deadline": "2025",
                "n": 1,
            },
            {"indicator": "Chỉ số năng lực cạnh tranh cấp tỉnh", "value": "loại khá", "deadline": "2025", "n": 1},
        ],
        roles=[{"agency": "Sở Y tế", "role": "chủ trì", "task": "vận động người dân tham gia bảo hiểm y tế", "n": 3}],
        sources=[
            source(1, "I.3", "tỷ lệ người dân tham gia bảo hiểm y tế trên 95%"),
            source(2, "I.3", "55% hộ dân sử dụng nước sạch đạt quy chuẩn"),
            source(3, "IV.2", "Sở Y tế chủ trì vận động"),
        ],
        documents=[{"doc_id": "nq", "title": TITLE, "short_title": SHORT, "period": "2021–2025", "date": ""}],
    )


@pytest.fixture
def sections():
    from assistant.draft.sections import from_draft

    return from_draft(_draft())


def _texts(slide) -> list[str]:
    return [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]


def test_the_deck_has_a_title_a_slide_per_figure_and_task_a_chart_and_the_sources(sections, tmp_path):
    from pptx import Presentation
    from pptx.util import Inches

    from assistant.draft.slides import FOOTER, to_pptx

    deck = Presentation(str(to_pptx(sections, tmp_path / "du-thao.pptx")))
    assert (deck.slide_width, deck.slide_height) == (Inches(13.333), Inches(7.5))  # 16:9
    slides = list(deck.slides)
    title = "\n".join(_texts(slides[0]))
    assert "Bảo hiểm y tế: những điều bà con cần biết" in title
    assert "Dành cho nhân dân" in title and TITLE in title and "Giai đoạn 2021–2025" in title

    def footer(slide) -> str:
        return next((shape.text_frame.text for shape in slide.shapes if shape.name == FOOTER), "")

    by_value = {}
    for slide in slides:
        for text in _texts(slide):
            by_value.setdefault(text, slide)
    for value, clause in (("> 95%", "I.3"), ("≥ 55%", "I.3"), ("loại khá", "I.3")):
        slide = by_value[value]
        assert footer(slide) == f"Nguồn: {SHORT} — Mục {clause}"
        assert "Thời hạn: năm 2025" in _texts(slide)
    assert BHYT in _texts(by_value["> 95%"])
    duty = by_value["Sở Y tế"]
    assert "chủ trì" in _texts(duty) and footer(duty) == f"Nguồn: {SHORT} — Mục IV.2"

    charts = [shape.chart for slide in slides for shape in slide.shapes if shape.has_chart]
    assert len(charts) == 1  # the three shares: one unit, one axis; "60 triệu" and "loại khá" have no bar here
    plot = charts[0].plots[0]
    assert list(plot.series[0].values) == [95.0, 55.0]  # the figures in %, in the draft's order
    assert plot.categories[0] == f"{BHYT} (2025)"
    assert "Các chỉ tiêu tính bằng %" in _texts(next(s for s in slides if any(sh.has_chart for sh in s.shapes)))

    sources = _texts(slides[-1])
    assert sources[0] == "Nguồn" and f"• {TITLE}, Mục I.3" in sources[1] and "Mục IV.2" in sources[1]
    everything = [t for slide in slides for t in _texts(slide)]
    assert all(t == unicodedata.normalize("NFC", t) for t in everything)


def test_the_deck_is_built_from_the_edited_boxes(sections, tmp_path):
    from pptx import Presentation

    from assistant.draft.sections import add_item
    from assistant.draft.slides import FOOTER, to_pptx

    texts = sections.texts()
    decomposed = unicodedata.normalize("NFD", "Tỷ lệ hộ gia đình dùng nước sạch")  # as some keyboards type it
    texts[texts.index("Hộ dân sử dụng nước sạch đạt quy chuẩn")] = decomposed
    edited = add_item(sections.with_texts(texts), "figures")  # a row added by hand, left as it is
    texts = edited.texts()
    texts[-6:-3] = ["Số xã tự đề ra", "12 xã", "2026"]  # the new row, just before the duty's three boxes
    edited = edited.with_texts(texts)
    deck = Presentation(str(to_pptx(edited, tmp_path / "sua.pptx")))
    slides = {text: slide for slide in deck.slides for text in _texts(slide)}
    assert "Tỷ lệ hộ gia đình dùng nước sạch" in slides  # NFC on the slide
    own = slides["12 xã"]
    assert not any(shape.name == FOOTER for shape in own.shapes)  # no source, no footer
    assert "Thời hạn: năm 2026" in _texts(own)


def test_a_figure_value_as_a_number_and_its_unit():
    from assistant.draft.figures import numeric

    assert numeric("≥ 95%") == (95.0, "%")
    assert numeric("> 1,5%") == (1.5, "%")
    assert numeric("13/13 đơn vị") == (13.0, "đơn vị")
    assert numeric("≥ 60 triệu đồng/người/năm") == (60.0, "triệu đồng/người/năm")
    assert numeric("7.244 vườn") == (7244.0, "vườn")
    assert numeric("1 – 2 di sản") == (None, "") and numeric("loại khá") == (None, "")


def test_cards_are_phone_sized_images_with_the_figure_drawn(sections, tmp_path):
    from PIL import Image, ImageChops

    from assistant.draft.cards import SIZE, TOP, cards_zip, write_cards

    paths = write_cards(sections, tmp_path / "the")
    assert [p.name for p in paths][0] == "the-01-ty-le-nguoi-dan-tham-gia-bao-hiem-y-te.png"
    assert len(paths) == 4
    for path in paths:
        image = Image.open(path).convert("RGB")
        assert image.size == SIZE == (1080, 1350)
        # The figure's area (under the title band, above the source band) is drawn on, not blank.
        area = image.crop((0, TOP + 20, SIZE[0], SIZE[1] - 300))
        blank = Image.new("RGB", area.size, "white")
        box = ImageChops.difference(area, blank).getbbox()
        assert box and box[2] - box[0] > 200 and box[3] - box[1] > 300
        dark = sum(area.convert("L").histogram()[:134])
        assert dark > 20_000, path.name  # large type, not a stray mark
    # Cards differ: each draws its own figure.
    first, second = (Image.open(p).convert("RGB") for p in paths[:2])
    assert ImageChops.difference(first, second).getbbox()

    archive = cards_zip(sections, tmp_path / "the.zip")
    with zipfile.ZipFile(archive) as zipped:
        assert zipped.namelist() == [p.name for p in paths]
        assert zipped.read(paths[0].name)[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_card_font_draws_every_vietnamese_letter(sections):
    from fontTools.ttLib import TTFont
    from matplotlib import font_manager

    from assistant.draft.cards import font_path, missing_glyphs
    from assistant.draft.figures import figures

    assert font_path().exists() and font_path(bold=True).exists()  # shipped with matplotlib, offline
    assert font_manager.FontProperties(fname=str(font_path())).get_name() == "DejaVu Sans"
    alphabet = "ăâđêôơưĂÂĐÊÔƠƯ" + "".join(
        unicodedata.normalize("NFC", v + t)
        for v in "aăâeêioôơuưyAĂÂEÊIOÔƠUƯY"
        for t in "\u0300\u0301\u0303\u0309\u0323"
    )
    for bold in (False, True):
        assert missing_glyphs(BHYT + alphabet + "≥≤–—…“”", bold=bold) == []
        cmap = TTFont(str(font_path(bold))).getBestCmap()
        for figure in figures(sections):
            shown = figure.value + figure.indicator + figure.deadline + figure.clause + figure.document
            assert all(ord(c) in cmap for c in shown if not c.isspace())
    assert missing_glyphs("🌾") == ["🌾"]


def _deck_texts(slide) -> list[str]:
    """What a slide says: its text boxes, one per paragraph, and its chart's category labels."""
    texts = [p.text for shape in slide.shapes if shape.has_text_frame for p in shape.text_frame.paragraphs]
    charts = [shape.chart for shape in slide.shapes if shape.has_chart]
    return [t for t in texts if t.strip()] + [c for chart in charts for c in chart.plots[0].categories]


@pytest.mark.slow
@pytest.mark.skipif(
    shutil.which("soffice") is None and os.environ.get("CI") != "true",
    reason="LibreOffice (soffice) not installed: make system-deps",
)
def test_libreoffice_draws_every_slide_of_a_real_draft(corpus_assistant, own_index, tmp_path):
    """`ntm draft OCOP --format pptx` opened by a real renderer: a page per slide, every Vietnamese
    letter drawn in the deck's own font (no fallback face, no box), no text under the footer."""
    import numpy as np
    import pypdfium2 as pdfium
    from pptx import Presentation
    from pypdf import PdfReader

    from assistant.draft.slides import FONT, FOOTER

    deck = tmp_path / "ocop.pptx"
    done = run_ntm("draft", "OCOP", "--format", "pptx", "-o", deck, "--index", own_index)
    assert done.returncode == 0, done.stderr
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(deck)],
        check=True,
        capture_output=True,
        timeout=120,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin:/usr/local/bin"},
    )
    presentation = Presentation(str(deck))
    slides = list(presentation.slides)
    pages = PdfReader(str(tmp_path / "ocop.pdf")).pages
    assert len(pages) == len(slides) >= 5

    def flat(text: str) -> str:
        return " ".join(unicodedata.normalize("NFC", text).split())

    everything = ""
    for number, (slide, page) in enumerate(zip(slides, pages), start=1):
        lines = []  # (baseline from the page's foot, type size, text), in points

        def seen(t, cm, tm, font, size, lines=lines):
            lines.append((cm[3] * tm[5] + cm[5], size, t))

        text = flat(page.extract_text(visitor_text=seen))
        everything += text + " "
        for said in _deck_texts(slide):
            assert flat(said) in text, f"slide {number}: {said!r} not drawn as written"
        fonts = {f.get_object()["/BaseFont"].split("+")[-1] for f in page["/Resources"]["/Font"].values()}
        assert fonts <= {FONT.replace(" ", ""), FONT.replace(" ", "") + "-Bold"}, (number, fonts)
        drawn = [(y, size) for y, size, t in lines if t.strip()]
        assert all(0 < y and y + size < float(page.mediabox.height) for y, size in drawn), number
        footer = next((shape for shape in slide.shapes if shape.name == FOOTER), None)
        if footer is not None:  # the lowest line's descenders stay above the footer's box
            top = (presentation.slide_height - footer.top) / 12700  # points from the page's foot
            above = [y - 0.25 * size for y, size, t in lines if t.strip() and not t.startswith("Nguồn: ")]
            assert min(above) > top, f"slide {number}: text runs into the footer"
    assert "Tài liệu giới thiệu: OCOP" in everything and "Số liệu, chỉ tiêu chủ yếu" in everything
    assert "nông thôn mới" in everything and "\ufffd" not in everything

    document = pdfium.PdfDocument(str(tmp_path / "ocop.pdf"))
    title = document[0].render(scale=1280 / document[0].get_width()).to_pil().convert("L")
    pixels = np.asarray(title, dtype=float)
    assert title.width == 1280 and pixels.std() > 10 and (pixels < 128).sum() > 5_000  # type, not a blank page


def test_ntm_draft_writes_slides_and_cards(corpus_assistant, own_index, tmp_path):
    """The commands the guide gives, on the shipped resolution (a real draft, the real index)."""
    from PIL import Image
    from pptx import Presentation

    deck = tmp_path / "i3.pptx"
    done = run_ntm("draft", "I.3", "--format", "pptx", "-o", deck, "--index", own_index)
    assert done.returncode == 0, done.stderr
    slides = list(Presentation(str(deck)).slides)
    assert "Tài liệu giới thiệu: Mục I.3" in slides[0].shapes.title.text_frame.text
    assert "Giai đoạn 2021–2025" in "\n".join(_texts(slides[0]))
    assert any(shape.has_chart for slide in slides for shape in slide.shapes)
    footers = {shape.text_frame.text for slide in slides for shape in slide.shapes if shape.name == "Nguồn"}
    assert "Nguồn: Nghị quyết Tỉnh ủy Hà Tĩnh về tỉnh đạt chuẩn NTM 2021 - 2025 — Mục I.3" in footers

    folder = tmp_path / "the"
    done = run_ntm("draft", "I.3", "--format", "png", "-o", folder, "--index", own_index)
    assert done.returncode == 0, done.stderr
    cards = sorted(folder.glob("*.png"))
    assert len(cards) >= 20 and any("bao-hiem-y-te" in p.name for p in cards)
    assert Image.open(cards[0]).size == (1080, 1350)
    refused = run_ntm(
        "draft", "giá vàng hôm nay trên thị trường thế giới", "--format", "png", "-o", folder, "--index", own_index
    )
    assert refused.returncode != 0 and len(list(folder.glob("*.png"))) == len(cards)
