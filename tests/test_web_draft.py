"""The "Soạn tài liệu" tab in a real browser: the draft read first, each section edited in plain-text
boxes (no Markdown), and the DOCX built from the boxes at the click, on a desktop and on a phone."""

from __future__ import annotations

import re

import pytest

# The web app's server, browser and screens, shared with the other browser tests.
from test_web_app import ARTIFACTS, _open, _tab, _text_in, app_url, browser, web  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.slow]

EDIT = "Xã Thạch Hà phấn đấu xử lý nước thải sinh hoạt cho 80% số hộ"


@pytest.fixture(scope="module")
def page(browser, app_url):  # noqa: F811
    page = _open(browser, app_url, 1400, 1000)
    yield page
    page.context.close()


@pytest.fixture(scope="module")
def phone(browser, app_url):  # noqa: F811
    page = _open(browser, app_url, 390, 844)
    yield page
    page.context.close()


def _draft(page, topic: str, audience: str, title: str) -> None:
    """Build a draft; each test builds one of its own, so its ``title`` tells when it is laid out."""
    _tab(page, "Soạn tài liệu")
    page.fill("#ntm-draft-topic textarea", topic)
    page.get_by_label(audience, exact=True).check()
    page.click("#ntm-draft-run")
    _text_in(page, "#ntm-draft-head", title)
    _text_in(page, "#ntm-draft-notes", "Chú thích")
    _laid_out(page)


def _laid_out(page) -> None:
    """Wait until the boxes are there and usable (after a build or an item's button)."""
    page.wait_for_function(
        "() => document.querySelector('#ntm-draft-edit-points .ntm-draft-box textarea')"
        " && !document.querySelector('#ntm-draft-preview textarea[disabled]')"
    )


def _open_section(page, key: str):
    """Open the "Sửa phần …" panel under a section (when closed); its boxes."""
    panel = page.locator(f"#ntm-draft-edit-{key}")
    boxes = panel.locator(".ntm-draft-box textarea, .ntm-draft-box input")
    if not boxes.first.is_visible():
        panel.locator("button, .label-wrap").first.click()
    boxes.first.wait_for(state="visible")
    return panel, boxes


def _points(page) -> list[str]:
    """The key points as the preview shows them, without their citation marks (renumbered on changes)."""
    return [re.sub(r"\s*\[\d+\]$", "", t.strip()) for t in page.locator("#ntm-draft-part-points li").all_inner_texts()]


def test_draft_is_read_first_and_its_boxes_hold_no_markdown(page):
    _draft(page, "môi trường", "Cán bộ", "Tài liệu giới thiệu: Môi trường")
    preview = page.inner_text("#ntm-draft-preview")
    assert "Căn cứ" in preview and "Mục I.3" in preview
    panel, boxes = _open_section(page, "points")
    texts = [boxes.nth(i).input_value() for i in range(boxes.count())]
    assert len(texts) == len(_points(page)) >= 3
    assert not any(re.search(r"\[\d+\]|\*\*|\||^[-#] ", t) for t in texts), texts
    # Each item shows its source as words next to the box, not as a mark to keep by hand: the
    # points come from every part of the resolution (its opening, its targets, its tasks).
    labels = re.findall(r"\(Nguồn: ([^)]+)\)", panel.inner_text())
    assert len(labels) == len(texts) and "Mục I.3" in labels and len(set(labels)) > 1, labels
    assert panel.get_by_text("Ý 1", exact=True).is_visible()
    page.wait_for_timeout(800)  # the loading veil fades out
    page.screenshot(path=str(ARTIFACTS / "3-soan-tai-lieu.png"))


def test_a_plain_text_edit_is_in_the_docx_downloaded_at_once(page, tmp_path):
    from docx import Document
    from docx.shared import Mm

    _draft(page, "môi trường", "Nhân dân", "Môi trường: những điều bà con cần biết")
    _, boxes = _open_section(page, "points")
    first = boxes.first
    original = first.input_value()
    first.click()
    first.press("Control+A")
    first.type(EDIT)  # plain words: no "-", no "[1]"
    with page.expect_download() as download:
        page.click("#ntm-draft-docx")  # at once: the box still has the focus
    path = tmp_path / "du-thao.docx"
    download.value.save_as(path)
    _text_in(page, "#ntm-draft-part-points", EDIT)  # the preview follows the box
    doc = Document(str(path))
    paragraph = next(p for p in doc.paragraphs if EDIT in p.text)
    assert paragraph.style.name == "List Bullet"
    mark = paragraph.runs[-1]
    assert mark.text == "[1]" and mark.font.superscript  # the edited point keeps its citation
    notes = [p.text for p in doc.paragraphs if p.style.name == "List Number"]
    # The edited point no longer shows what its source says: its note quotes it (word for word, as
    # the box held it before the edit); the other points still quote theirs, so their notes name
    # only the clause ("Mục I.3").
    title = "Nghị quyết của Ban Chấp hành Đảng bộ tỉnh"
    assert notes[0].startswith(title) and ": “" in notes[0], notes[0]
    quote = notes[0].split(": “", 1)[1].removesuffix("”")
    assert quote.casefold() == original.casefold(), (quote, original)
    assert len(notes) > 1 and not [n for n in notes[1:] if ": “" in n], notes
    assert "Mục I.3" in notes and sum(title in n for n in notes) == 1  # the title once, not in every note
    section = doc.sections[0]
    assert (round(section.page_width / Mm(1)), round(section.page_height / Mm(1))) == (210, 297)
    assert 20 <= round(section.top_margin / Mm(1)) <= 25 and 30 <= round(section.left_margin / Mm(1)) <= 35
    assert 15 <= round(section.right_margin / Mm(1)) <= 20 and 20 <= round(section.bottom_margin / Mm(1)) <= 25


def _press(page, button, done: str, arg) -> None:
    """Click an item's button and wait until ``done`` (a JS function of ``arg``) holds."""
    button.click()
    page.wait_for_function(done, arg=arg)
    _laid_out(page)


def test_items_are_removed_moved_and_added_with_buttons(page, tmp_path):
    _draft(page, "I.3", "Cán bộ", "Tài liệu giới thiệu: Mục I.3")
    panel, boxes = _open_section(page, "points")
    before = _points(page)
    count = boxes.count()
    _press(
        page,
        panel.locator(".ntm-draft-remove").nth(1),  # the second point goes
        "n => document.querySelectorAll('#ntm-draft-part-points li').length === n",
        len(before) - 1,
    )
    assert _points(page) == before[:1] + before[2:]
    panel, boxes = _open_section(page, "points")  # still open after the change
    _press(
        page,
        panel.locator(".ntm-draft-down").first,
        "t => document.querySelector('#ntm-draft-part-points li').innerText.startsWith(t)",
        before[2],
    )
    assert _points(page)[:2] == [before[2], before[0]]
    panel, boxes = _open_section(page, "points")
    _press(
        page,
        panel.locator(".ntm-draft-add"),
        "n => document.querySelectorAll('#ntm-draft-edit-points .ntm-draft-box textarea').length === n",
        count,
    )
    panel, boxes = _open_section(page, "points")
    assert boxes.count() == count and "(ý tự thêm, chưa có nguồn)" in panel.inner_text()
    boxes.last.fill("Mỗi hộ tự phân loại rác tại nhà")
    with page.expect_download() as download:
        page.click("#ntm-draft-md")
    path = tmp_path / "du-thao.md"
    download.value.save_as(path)
    text = path.read_text(encoding="utf-8")
    assert "- Mỗi hộ tự phân loại rác tại nhà\n" in text  # no source, no mark
    points = text.split("\n## ")[1]  # the first section, after the title and introduction
    assert f"\n- {before[1]}" not in points
    assert points.index(f"\n- {before[2]} [1]") < points.index(f"\n- {before[0]} [2]")


def test_phone_section_editor_fits_the_screen(phone):
    _draft(phone, "môi trường", "Nhân dân", "Môi trường: những điều bà con cần biết")
    panel, boxes = _open_section(phone, "figures")
    boxes.first.scroll_into_view_if_needed()
    for element in (boxes.first, panel.locator(".ntm-draft-remove").first, panel.locator(".ntm-draft-add")):
        element.scroll_into_view_if_needed()
        box = element.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390 + 1 and box["width"] > 40
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390 + 1  # nothing runs off sideways
    # the preview's figures table wraps its cells rather than hiding its "Nguồn" column past the edge
    tables = "Array.from(document.querySelectorAll('#ntm-draft-preview table'))"
    assert phone.evaluate(f"{tables}.length > 0 && {tables}.every(t => t.scrollWidth <= t.clientWidth + 1)")
    boxes.first.click()
    boxes.first.press("Control+A")
    boxes.first.type("Tỷ lệ chất thải rắn được phân loại")
    _text_in(phone, "#ntm-draft-part-figures", "Tỷ lệ chất thải rắn được phân loại")
    boxes.first.scroll_into_view_if_needed()
    phone.wait_for_timeout(500)
    phone.screenshot(path=str(ARTIFACTS / "8-dien-thoai-soan-tai-lieu.png"))


def test_gradio_client_draft_endpoint(app_url):  # noqa: F811
    from gradio_client import Client

    text = Client(app_url, verbose=False).predict("môi trường", "nhan-dan", api_name="/draft")
    assert text.startswith("# Môi trường: những điều bà con cần biết") and "\n## Chú thích\n\n1. " in text
