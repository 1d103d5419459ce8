"""The Gradio app in a real browser (Debian's Chromium driven by Playwright) and through gradio_client."""

from __future__ import annotations

import os
import shutil
import socket
from pathlib import Path

import pytest

from conftest import CORPUS, ROOT

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PASSWORD = "mat-khau-thu"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def app_url(built_corpus_index, tmp_path_factory):
    from assistant.service import Assistant
    from assistant.settings import Settings
    from assistant.ui.app import launch

    folder = tmp_path_factory.mktemp("web")
    shutil.copytree(built_corpus_index, folder / "index")
    shutil.copytree(CORPUS, folder / "corpus")
    assistant = Assistant(Settings(index_dir=folder / "index", corpus_dir=folder / "corpus", admin_password=PASSWORD))
    port = _free_port()
    app = launch(assistant, "127.0.0.1", port, block=False)
    yield f"http://127.0.0.1:{port}/"
    app.close()


@pytest.fixture(scope="module")
def page(app_url):
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but /usr/bin/chromium is missing: .ci/run must install Debian's chromium")
        pytest.skip("no /usr/bin/chromium on this machine (apt-get install chromium); browser tests skipped")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(60_000)
        page.goto(app_url)
        page.wait_for_selector("#ntm-question textarea")
        yield page
        browser.close()


def _tab(page, name: str) -> None:
    page.get_by_role("tab", name=name).click()


def _text_in(page, selector: str, text: str) -> None:
    page.wait_for_function(
        "([s, t]) => { const e = document.querySelector(s); return e && e.innerText.includes(t); }", arg=[selector, text])


def _ask(page, question: str, expected: str) -> None:
    """Type a question in the chat, send it and wait for ``expected`` in the conversation."""
    _tab(page, "Hỏi đáp")
    page.fill("#ntm-question textarea", question)
    page.click("#ntm-send")
    _text_in(page, "#ntm-chat", expected)


def test_chat_answers_with_a_citation_and_opens_the_passage(page):
    _ask(page, "Tỷ lệ tham gia BHYT mục tiêu là bao nhiêu?", "Mục I.3")
    assert "95%" in page.inner_text("#ntm-chat")
    page.click("#ntm-citations label >> nth=0")
    page.wait_for_selector("#ntm-panel mark.ntm-quote")
    assert "bảo hiểm y tế đạt trên 95%" in page.inner_text("#ntm-panel mark.ntm-quote")
    page.screenshot(path=str(ARTIFACTS / "1-hoi-dap.png"))


def test_chat_is_safe_and_says_not_found(page):
    _ask(page, "<img src=x onerror=alert(1)> lương tối thiểu vùng là bao nhiêu?", "Không tìm thấy")
    assert page.locator("#ntm-chat img[src='x']").count() == 0
    assert "<img src=x" in page.inner_text("#ntm-chat")


def test_chat_checks_figures_against_the_criteria(page):
    _ask(page, "BHYT đạt 94%, thu nhập 58 triệu thì đã đạt chưa?", "Chưa đạt")
    assert "Thu nhập bình quân" in page.inner_text("#ntm-chat")


def test_criteria_form_flags_an_invalid_figure(page):
    _tab(page, "Đánh giá tiêu chí")
    page.fill("#crit-ty_le_bhyt textarea", "chín mươi")
    page.fill("#crit-thu_nhap_binh_quan_nong_thon textarea", "62 triệu")
    page.click("#ntm-criteria-run")
    _text_in(page, "#ntm-criteria-table", "Không hợp lệ")
    row = page.inner_text("#ntm-criteria-table tr[data-key='thu_nhap_binh_quan_nong_thon']")
    assert "Đạt" in row
    _text_in(page, "#crit-ty_le_bhyt", "⚠️")
    page.locator("#ntm-criteria-table").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "2-danh-gia-tieu-chi.png"))


def test_draft_is_generated_with_sources(page):
    _tab(page, "Soạn tài liệu")
    page.fill("#ntm-draft-topic textarea", "môi trường")
    page.click("#ntm-draft-run")
    _text_in(page, "#ntm-draft-preview", "Căn cứ")
    assert "Mục I.3" in page.inner_text("#ntm-draft-preview")
    page.screenshot(path=str(ARTIFACTS / "3-soan-tai-lieu.png"))


def test_outline_and_quiz(page):
    _tab(page, "Ôn tập")
    page.click("#ntm-outline label >> nth=4")
    _text_in(page, "#ntm-outline-text", "chỉ tiêu")
    page.click("#ntm-quiz-start")
    page.wait_for_function("document.querySelector('#ntm-quiz-question').innerText.length > 10")
    if page.locator("#ntm-quiz-choices label").count():
        page.click("#ntm-quiz-choices label >> nth=0")
    else:
        page.fill("#ntm-quiz-typed textarea", "95%")
    page.click("#ntm-quiz-submit")
    page.wait_for_function("/Đúng|Chưa đúng/.test(document.querySelector('#ntm-quiz-feedback').innerText)")
    assert "Mục" in page.inner_text("#ntm-quiz-feedback")
    page.screenshot(path=str(ARTIFACTS / "4-on-tap.png"))


def test_library_lists_and_adds_documents(page, tmp_path):
    _tab(page, "Văn bản")
    _text_in(page, "#ntm-library", "nghi-quyet-tinh-uy-ha-tinh-ntm-2021-2025")
    note = tmp_path / "ghi-chu-hoi-nghi.txt"
    note.write_text("Ghi chú hội nghị\n\nHuyện Can Lộc tổ chức hội thảo về cây bưởi Phúc Trạch.\n", encoding="utf-8")
    page.get_by_label("Mật khẩu quản trị").fill(PASSWORD)
    page.locator("input[type=file]").last.set_input_files(str(note))
    page.wait_for_selector("text=ghi-chu-hoi-nghi.txt")  # uploaded to the app before the click
    page.get_by_role("button", name="Tải lên và lập chỉ mục").click()
    _text_in(page, "#ntm-library-status", "Đã thêm 1")
    _text_in(page, "#ntm-library", "ghi-chu-hoi-nghi")
    page.screenshot(path=str(ARTIFACTS / "5-van-ban.png"))


def test_gradio_client_chat_endpoint(app_url):
    from gradio_client import Client

    result = Client(app_url, verbose=False).predict("Ai chủ trì biên soạn tài liệu tập huấn?", api_name="/ask")
    assert result["found"] and result["citations"][0]["clause"] == "IV.5"
    assert any(row["agency"] == "Trường Chính trị Trần Phú" for row in result["table"])
