"""Issue 27's hardening: CSV cells never run as formulas, questions have a length limit, document text
is escaped in Markdown and HTML, and terminal output carries no escape sequences (docs/security.md)."""

from __future__ import annotations

import csv
import io
import os
import sys
from argparse import Namespace

import pytest
from conftest import ntm

from assistant import errors
from assistant.safe_text import csv_cell, markdown_text, terminal, unescape_markdown
from assistant.service import Assistant
from assistant.settings import Settings

NQ = "nq-ha-tinh-2025"
ATTACK_HTML = "<img src=x onerror=alert(1)> <a href='http://evil.example'>bấm</a> <script>alert(2)</script>"
ESCAPES = "\x1b[2J\x1b[31m\x1b]0;tieu de\x07\x1bP+q\x1b\\\x9b6n\x07\x08\r"
DOCS = {
    "nuoc-sach.md": "# Nước sạch\n\nĐến năm 2025, 100% hộ dân nông thôn được sử dụng nước sạch hợp vệ sinh. "
    + ATTACK_HTML
    + ESCAPES
    + " Hết.\n",
    "bao-hiem.md": "# Bảo hiểm y tế\n\nTỷ lệ người dân tham gia bảo hiểm y tế đạt trên 95% dân số.\n",
}


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    """A two-document corpus (one with HTML and terminal escapes in its text), indexed with the hash embedder."""
    folder = tmp_path_factory.mktemp("hardening")
    corpus = folder / "corpus"
    corpus.mkdir()
    for name, text in DOCS.items():
        (corpus / name).write_text(text, encoding="utf-8")
    index = folder / "index"
    Assistant(Settings(index_dir=index, corpus_dir=corpus, embedder="hash")).index(progress=False)
    return corpus, index


def _assistant(tiny, **settings) -> Assistant:
    corpus, index = tiny
    return Assistant(Settings(index_dir=index, corpus_dir=corpus, embedder="hash", **settings))


def _env(tiny=None, **extra) -> dict:
    env = {**os.environ, "NTM_EMBEDDER": "hash", **extra}
    if tiny:
        env.update(NTM_CORPUS_DIR=str(tiny[0]), NTM_INDEX_DIR=str(tiny[1]))
    return env


# -- 1. CSV cells are never formulas ---------------------------------------------------------------


@pytest.mark.parametrize("cell", ["=1+1", "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(A1)", "\t=1", "\r=1"])
def test_a_text_cell_that_a_spreadsheet_would_run_gets_a_leading_quote(cell):
    assert csv_cell(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["-1,5", "+2.000", "-3 %", "-4,5%", "Huyện Can Lộc", "", "96,1%", 12, -1.5, None])
def test_figures_and_plain_text_stay_as_they_are(cell):
    assert csv_cell(cell) == cell


def _read_csv(path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def test_criteria_exports_keep_a_formula_in_a_unit_name_as_text(tmp_path):
    from openpyxl import load_workbook

    from assistant.criteria.export import export

    unit = '=HYPERLINK("http://evil.example","Bấm")'
    result = Assistant(Settings()).criteria({"ty_le_bhyt": "96,1%"}, NQ, unit=unit, period="2024")
    rows = _read_csv(export([result], tmp_path / "ket-qua.csv"))
    assert {row[0] for row in rows[1:]} == {"'" + unit}
    assert not any(cell.startswith(("=", "+", "@")) for row in rows for cell in row)
    sheet = load_workbook(export([result], tmp_path / "ket-qua.xlsx")).active
    assert sheet["A2"].value == unit and sheet["A2"].data_type == "s"  # XLSX: a text cell, never a formula


def test_ntm_criteria_export_csv_neutralises_formulas(tmp_path):
    figures = tmp_path / "so-lieu.yaml"
    figures.write_text('unit: "@SUM(1+1)*cmd"\nfigures:\n  ty_le_bhyt: "96,1%"\n', encoding="utf-8")
    out = tmp_path / "out.csv"
    run = ntm("criteria", figures, "--export", out)
    assert run.returncode == 0, run.stderr
    assert {row[0] for row in _read_csv(out)[1:]} == {"'@SUM(1+1)*cmd"}


def test_facts_csv_neutralises_formulas_from_documents(capsys):
    from assistant.facts import Facts, present
    from assistant.facts.responsibilities import Responsibility

    class _Documents:  # the one method ``ntm facts`` calls
        def facts(self):
            duty = Responsibility("=1+1 Sở Y tế", "chủ trì", "-cmd|' /C calc'!A0", "nq", "I.3", "câu", ["@x"])
            return Facts(responsibilities=[duty])

    present.run(Namespace(kind="responsibilities", json=False, csv=True), _Documents())
    row = next(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert (row["agency"], row["task"], row["partners"]) == ("'=1+1 Sở Y tế", "'-cmd|' /C calc'!A0", "'@x")


# -- 2. the question length limit ------------------------------------------------------------------


def test_the_limit_is_a_setting_with_an_environment_override(monkeypatch):
    assert Settings().max_question_chars == 2000
    monkeypatch.setenv("NTM_MAX_QUESTION_CHARS", "30")
    assert Settings().max_question_chars == 30


def test_a_question_too_long_is_refused_before_any_index_is_read(tmp_path):
    # No index in this folder: a question that got past the check would meet IndexMissing instead.
    assistant = Assistant(Settings(index_dir=tmp_path / "none", embedder="hash", max_question_chars=20))
    long = "bảo hiểm y tế " * 10
    for call in (
        lambda: assistant.ask(long),
        lambda: assistant.search(long),
        lambda: assistant.relevant(long),
        lambda: assistant.ask_in_conversation(long, []),
        lambda: list(assistant.ask_stream(long)),
        lambda: assistant.check_figures(long),
    ):
        with pytest.raises(errors.QuestionTooLong) as caught:
            call()
        assert "20 ký tự" in caught.value.vi and "20 characters" in caught.value.en
    with pytest.raises(errors.IndexMissing):
        assistant.ask("bảo hiểm y tế")  # at the limit: asked


def test_a_follow_up_read_with_the_previous_question_is_not_refused(tiny):
    assistant = _assistant(tiny, max_question_chars=40)
    earlier = "tỷ lệ tham gia bảo hiểm y tế bao nhiêu"  # 38 characters, the pair read together: 60
    answer, _ = assistant.ask_in_conversation("còn nước sạch thì sao?", [earlier])
    assert answer.question == "còn nước sạch thì sao?"


def test_ntm_ask_and_search_refuse_a_long_question_with_exit_code_2(tmp_path):
    long = "nước sạch " * 300  # 3000 characters
    for args in (("ask", long), ("search", long)):
        run = ntm(*args, "--index", tmp_path / "none", env=_env())
        assert run.returncode == 2, run.stderr
        assert "Câu hỏi dài quá 2000 ký tự" in run.stderr and "longer than 2000 characters" in run.stderr
        assert len(run.stderr) < 400  # the question is not repeated back


def test_ntm_ask_on_stdin_refuses_a_long_line_and_answers_the_next(tiny):
    lines = "x" * 100_000 + "\nbảo hiểm y tế\n"
    run = ntm("ask", input=lines, env=_env(tiny))
    assert run.returncode == 2
    assert run.stderr.count("Câu hỏi dài quá 2000 ký tự") == 1
    assert "95% dân số" in run.stdout  # the next question was answered


def test_a_piped_line_is_read_no_further_than_the_limit(monkeypatch):
    from assistant.commands import _read_line

    monkeypatch.setattr(sys, "stdin", io.StringIO("a" * 70_000 + "\nhỏi tiếp\r\nhết"))
    assert len(_read_line(10)) == 12  # refused for its length; the rest of the line was dropped
    assert _read_line(10) == "hỏi tiếp"
    assert _read_line(10) == "hết"
    with pytest.raises(EOFError):
        _read_line(10)


def test_the_web_chat_refuses_a_long_question_before_reading_it(tiny):
    import gradio as gr

    from assistant.ui import chat

    assistant = _assistant(tiny, max_question_chars=50)
    with gr.Blocks() as app:
        chat.build(assistant)
    respond = next(f.fn for f in app.fns.values() if getattr(f.fn, "__name__", "") == "respond")
    history, *_ = list(respond("bảo hiểm y tế " * 100, [], chat._empty(), False))[-1]
    assert "Câu hỏi dài quá 50 ký tự" in history[-1]["content"] and len(history[0]["content"]) < 250
    reply = chat._answer_json(assistant, "bảo hiểm y tế " * 100)
    assert "dài quá 50 ký tự" in reply["error"] and len(reply["question"]) < 250


# -- 3. Markdown and HTML escape what documents and people wrote ------------------------------------


def _html(markdown: str) -> str:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").render(markdown)


def _no_tags(html: str) -> None:
    for tag in ("<img", "<a ", "<script", "<b>"):
        assert tag not in html, tag


def test_the_draft_preview_and_its_markdown_show_html_as_text(tmp_path):
    from docx import Document

    from assistant.draft.export import markdown_to_docx
    from assistant.draft.sections import Item, Note, Section, Sections, to_markdown

    point = ATTACK_HTML + " [bấm đây](javascript:alert(3)) **đậm**"
    draft = Sections(
        "<script>alert(1)</script> Nước sạch",
        "Giới thiệu <b>in đậm</b>",
        [
            Section("points", "Những điểm chính", [Item([point], [1])]),
            Section("roles", "Phân công", [Item(["<b>Sở</b> | Y tế", "chủ trì", "<img src=y>"], [1])]),
        ],
        [Note(1, "<b>Nghị quyết</b>", "Mục I", "<a href='http://evil.example'>trích</a>")],
    )
    markdown = to_markdown(draft)
    _no_tags(markdown)
    page = _html(markdown)
    _no_tags(page)
    assert "&lt;img src=x onerror=alert(1)&gt;" in page and 'href="javascript' not in page
    docx = Document(markdown_to_docx(markdown, tmp_path / "du-thao.docx"))
    text = "\n".join(p.text for p in docx.paragraphs)
    assert point + " [1]" in text  # the Word file shows what the document says, as it says it
    assert docx.tables[0].rows[1].cells[0].text == "<b>Sở</b> | Y tế"


def test_the_criteria_markdown_export_escapes_unit_names(tmp_path):
    from assistant.criteria.export import export

    result = Assistant(Settings()).criteria({"ty_le_bhyt": "96,1%"}, NQ, unit=ATTACK_HTML, period="<b>2024</b>")
    markdown = export([result], tmp_path / "ket-qua.md").read_text(encoding="utf-8")
    _no_tags(markdown)
    _no_tags(_html(markdown))


def test_markdown_escaping_round_trips():
    text = "a\\b *c* _d_ [e](f) <g> & # | `h`"
    assert unescape_markdown(markdown_text(text)) == text


def test_the_chat_answer_escapes_the_document_it_quotes(tiny):
    from assistant.ui.render import answer_markdown

    answer, _ = _assistant(tiny).ask("hộ dân nông thôn được sử dụng nước sạch hợp vệ sinh")
    _no_tags(_html(answer_markdown(answer)))


# -- 4. no escape sequence reaches the terminal -------------------------------------------------------


def test_terminal_text_keeps_newlines_and_tabs_only():
    assert (
        terminal("đỏ\x1b[31m chữ\x1b[0m\x1b]0;title\x07\x1b[2J\ttab\r\nxuống\x00\x7f\x9b6n") == "đỏ chữ\ttab\nxuống6n"
    )


def test_cli_output_carries_no_escape_sequence(tiny, tmp_path):
    search = ntm("search", "nước sạch hợp vệ sinh", env=_env(tiny))
    asked = ntm("ask", "\x1b[2Jnước sạch hợp vệ sinh\x1b]0;x\x07", env=_env(tiny))
    missing = ntm("criteria", tmp_path / "\x1b[2Jso-lieu.yaml")
    assert search.returncode == 0 and asked.returncode == 0, search.stderr + asked.stderr
    assert "Hết." in search.stdout  # the passage with escapes in it was printed
    assert missing.returncode == 2 and "so-lieu.yaml" in missing.stderr
    for run in (search, asked, missing):
        for control in ("\x1b", "\x9b", "\x07", "\x08", "\r"):
            assert control not in run.stdout + run.stderr


# -- 5. document limits: zip bombs, characters, passages -------------------------------------------

PARAGRAPH = "<w:p><w:r><w:t>Tỷ lệ hộ dân nông thôn dùng nước sạch đạt 100%.</w:t></w:r></w:p>"
_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _docx(path, document_mb: float, declare_mb: float | None = None):
    """A DOCX whose document.xml inflates to ``document_mb`` (written in pieces: the test never holds
    it); with ``declare_mb`` its central directory lies about that size."""
    import zipfile

    from docx import Document

    Document().save(path)  # the other parts of a real DOCX
    with zipfile.ZipFile(path) as source:
        parts = {n: source.read(n) for n in source.namelist() if n != "word/document.xml"}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
        with archive.open("word/document.xml", "w", force_zip64=True) as out:
            out.write(f"<w:document {_W}><w:body>".encode())
            block = (PARAGRAPH * 1000).encode()
            for _ in range(int(document_mb * 1024 * 1024 / len(block)) + 1):
                out.write(block)
            out.write(b"</w:body></w:document>")
    if declare_mb is not None:
        data = bytearray(path.read_bytes())
        entry = data.find(b"PK\x01\x02", data.rfind(b"word/document.xml") - 60)
        size = int(declare_mb * 1024 * 1024).to_bytes(4, "little")
        data[entry + 24 : entry + 28] = size  # the central directory's uncompressed size
        path.write_bytes(bytes(data))
    return path


def _measured(call):
    import time
    import tracemalloc

    tracemalloc.start()
    start = time.perf_counter()
    try:
        with pytest.raises(errors.UnreadableDocument) as caught:
            call()
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return caught.value, time.perf_counter() - start, peak


def test_a_docx_zip_bomb_is_refused_before_it_is_parsed(tmp_path):
    from assistant.ingest.loaders import load

    bomb = _docx(tmp_path / "bom.docx", 30)  # 30 MB of XML in ~60 KB: a ratio of some 500
    assert bomb.stat().st_size < 200_000
    refused, seconds, peak = _measured(lambda: load(bomb))
    assert "nén bất thường" in refused.vi and "zip bomb" in refused.en
    assert seconds < 1 and peak < 2 * 1024 * 1024  # nothing was inflated


def test_a_docx_past_the_read_limit_is_refused_while_reading(tmp_path):
    from assistant.ingest.loaders import load
    from assistant.settings import DocumentLimits

    big = _docx(tmp_path / "lon.docx", 3)
    limits = DocumentLimits(read_mb=2, compression_ratio=10_000)
    refused, _, peak = _measured(lambda: load(big, limits=limits))
    assert "hơn 2 MB" in refused.vi and "more than 2 MB" in refused.en
    assert peak < 4 * 1024 * 1024
    # A zip that says its XML is small is stopped where it said it ends, and named as corrupt.
    liar = _docx(tmp_path / "doi.docx", 30, declare_mb=0.5)
    refused, seconds, peak = _measured(lambda: load(liar))
    assert "bị hỏng" in refused.vi and seconds < 2 and peak < 4 * 1024 * 1024


def test_an_xlsx_zip_bomb_is_refused_as_a_figures_file(tmp_path):
    import zipfile

    from assistant.criteria.readers import xlsx_rows

    bomb = tmp_path / "so-lieu.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("xl/worksheets/sheet1.xml", "w") as out:
            for _ in range(20):
                out.write(b"<row>" + b"<c><v>1</v></c>" * 70_000 + b"</row>")
    refused, seconds, _ = _measured(lambda: xlsx_rows(bomb))
    assert "XLSX" in refused.en and "zip bomb" in refused.en and seconds < 1


def test_limits_are_settings_with_environment_overrides(monkeypatch):
    limits = Settings().limits
    assert (limits.read_mb, limits.compression_ratio, limits.chars, limits.passages) == (100, 100, 3_000_000, 10_000)
    monkeypatch.setenv("NTM_LIMITS__CHARS", "500")
    monkeypatch.setenv("NTM_LIMITS__READ_MB", "2")
    assert (Settings().limits.chars, Settings().limits.read_mb) == (500, 2)


def test_a_document_past_a_limit_is_named_and_the_others_and_the_index_stay(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, text in DOCS.items():
        (corpus / name).write_text(text, encoding="utf-8")
    index = tmp_path / "index"
    assert ntm("index", env=_env((corpus, index))).returncode == 0
    # The water document grows past the character limit, the insurance one past the passage limit,
    # and a third past the bytes read; a fourth is new and fine.
    (corpus / "nuoc-sach.md").write_text(DOCS["nuoc-sach.md"] + "Nước sạch nông thôn. " * 100, encoding="utf-8")
    many = "\n".join(f"Điều {i}. BHYT mục {i}" for i in range(1, 31))  # 30 articles, 611 characters
    (corpus / "bao-hiem.md").write_text(many, encoding="utf-8")
    (corpus / "lon.txt").write_text("Thu nhập bình quân. " * 60_000, encoding="utf-8")  # 1.2 MB
    (corpus / "moi.md").write_text("# Giao thông\n\nĐường trục xã được cứng hóa 100%.\n", encoding="utf-8")
    limits = {"NTM_LIMITS__CHARS": "1000", "NTM_LIMITS__PASSAGES": "20", "NTM_LIMITS__READ_MB": "1"}
    run = ntm("index", env=_env((corpus, index), **limits))
    assert run.returncode == 2
    assert "Đã thêm 1" in run.stdout  # the new document
    assert "nuoc-sach.md: Văn bản dài quá: hơn 1.000 ký tự" in run.stderr
    assert "more than 1,000 characters" in run.stderr
    assert "bao-hiem.md: Văn bản dài quá: hơn 20 đoạn" in run.stderr and "more than 20 passages" in run.stderr
    assert "lon.txt: Tệp lớn quá: cần đọc hơn 1 MB" in run.stderr and "more than 1 MB to read" in run.stderr
    assistant = Assistant(Settings(index_dir=index, corpus_dir=corpus, embedder="hash"))
    ids = {d.doc_id for d in assistant.documents()}
    assert ids == {"nuoc-sach", "bao-hiem", "moi"}  # the refused edits kept their indexed versions
    assert "95% dân số" in assistant.search("bảo hiểm y tế")[0].text


# -- 6. uploads in the web app: a size cap before storing, nothing left behind ---------------------


def _small_corpus(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, text in DOCS.items():
        (corpus / name).write_text(text, encoding="utf-8")
    settings = Settings(index_dir=tmp_path / "index", corpus_dir=corpus, embedder="hash", admin_password="mk")
    assistant = Assistant(settings)
    assistant.index(progress=False)
    return assistant


def _launched(assistant):
    import socket

    from assistant.ui.app import launch

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return launch(assistant, "127.0.0.1", port, block=False), f"http://127.0.0.1:{port}"


def test_an_upload_past_the_limit_is_refused_before_it_is_stored(tmp_path, monkeypatch):
    import httpx

    monkeypatch.setenv("GRADIO_TEMP_DIR", str(tmp_path / "gradio"))
    assistant = _small_corpus(tmp_path)
    assistant.settings.max_upload_mb = 1
    app, url = _launched(assistant)
    try:
        assert app.max_file_size == 1024 * 1024
        big = ("Nước sạch nông thôn. " * 60_000).encode()  # 1.4 MB
        refused = httpx.post(f"{url}/gradio_api/upload", files={"files": ("lon.txt", big)}, timeout=30)
        assert refused.status_code == 413
        assert not [p for p in (tmp_path / "gradio").rglob("*") if p.is_file()]  # not even in part
        taken = httpx.post(f"{url}/gradio_api/upload", files={"files": ("nho.txt", big[:100_000])}, timeout=30)
        assert taken.status_code == 200 and taken.json()[0].startswith(str(tmp_path / "gradio"))
    finally:
        app.close()


def test_an_indexed_upload_leaves_no_file_in_the_upload_folder(tmp_path, monkeypatch):
    from assistant.priority import IndexThread
    from assistant.ui.library_tab import Upload

    monkeypatch.setenv("GRADIO_TEMP_DIR", str(tmp_path / "gradio"))
    assistant = _small_corpus(tmp_path)
    sent = []
    for folder, name, text in (
        ("a1", "giao-thong.md", "# Giao thông\n\nĐường xã cứng hóa 100%.\n"),
        ("b2", "x.exe", ""),
    ):
        (tmp_path / "gradio" / folder).mkdir(parents=True)
        sent.append(tmp_path / "gradio" / folder / name)
        sent[-1].write_text(text or "MZ", encoding="utf-8")
    elsewhere = tmp_path / "giu-lai.md"
    elsewhere.write_text("# Giữ lại\n\nTệp này không nằm trong thư mục tải lên.\n", encoding="utf-8")
    indexer = IndexThread()
    ok = Upload(assistant, [sent[0], elsewhere], indexer)
    refused = Upload(assistant, [sent[1]], indexer)
    assert ok.done.wait(60) and refused.done.wait(60)
    assert ok.error is None and refused.error is not None  # an .exe is refused, and removed too
    assert "giao-thong" in {d.doc_id for d in assistant.documents()}
    assert not [p for p in (tmp_path / "gradio").rglob("*")]  # files and their folders
    assert elsewhere.exists()  # only Gradio's upload folder is emptied


# -- 7. the administrator password: constant-time, slowed, then locked -----------------------------


class _Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _request(host: str, forwarded: str | None = None):
    import gradio as gr

    headers = {"x-forwarded-for": forwarded} if forwarded else {}
    return gr.Request(headers=headers, client={"host": host, "port": 5000}, session_hash="phien-thu")


def _door(clock, proxies: str = "", **throttle):
    from assistant.settings import AdminThrottle
    from assistant.ui.admin_door import AdminDoor

    return AdminDoor("mat-khau", AdminThrottle(**throttle), proxies, clock=clock)


def test_wrong_passwords_wait_longer_each_time_then_lock_the_client_out(caplog):
    clock = _Clock()
    door = _door(clock, free_attempts=2, delay_s=1, lock_after=5, lock_minutes=10)
    guest, other = _request("10.0.0.7"), _request("10.0.0.8")
    assert "Sai mật khẩu quản trị" in door.refusal("doan-bua", guest).vi
    assert door.refusal("doan-bua", guest).en == "wrong administrator password"  # two free attempts
    for wait in (1, 2, 4):
        refused = door.refusal("mat-khau", guest)  # not even compared: the right password waits too
        assert refused.en == f"too many wrong passwords; wait {wait} s"
        assert f"chờ {wait} giây" in refused.vi
        clock.now += wait
        if wait < 4:
            assert door.refusal("doan-bua", guest).en == "wrong administrator password"
    assert door.refusal("mat-khau", other) is None  # another client is not slowed
    with caplog.at_level("WARNING", logger="assistant.ui.admin_door"):
        door.refusal("sai", guest)  # the fifth wrong password
    assert "locked for 10 min for 10.0.0.7 after 5 wrong passwords" in caplog.text
    assert "10 phút" in door.refusal("mat-khau", guest).vi
    clock.now += 9 * 60
    locked = door.refusal("mat-khau", guest)
    assert "bị khóa" in locked.vi and "1 phút" in locked.vi
    clock.now += 61
    assert door.refusal("mat-khau", guest) is None  # the lock-out is over; success clears the count
    assert door.refusal("sai", guest).en == "wrong administrator password"


def test_wrong_passwords_from_many_clients_lock_the_door_for_all(caplog):
    clock = _Clock()
    door = _door(clock, global_free_attempts=5, global_lock_after=8, lock_minutes=15)
    with caplog.at_level("WARNING", logger="assistant.ui.admin_door"):
        for i in range(8):
            clock.now += 600  # slow enough for each client, and each from a new address
            assert door.refusal("sai", _request(f"192.0.2.{i}")) is not None
    assert "for all clients after 8 wrong passwords" in caplog.text
    refused = door.refusal("mat-khau", _request("198.51.100.1"))
    assert "tạm khóa 15 phút" in refused.vi


def test_forwarded_for_is_believed_only_from_a_trusted_proxy():
    door = _door(_Clock())
    assert door.client(_request("203.0.113.5", "1.2.3.4")) == "203.0.113.5"  # no proxy trusted by default
    door = _door(_Clock(), proxies="127.0.0.1, 10.0.0.0/8")
    assert door.client(_request("127.0.0.1", "1.2.3.4, 203.0.113.9, 10.1.1.1")) == "203.0.113.9"
    assert door.client(_request("127.0.0.1")) == "127.0.0.1"
    assert door.client(_request("203.0.113.5", "1.2.3.4")) == "203.0.113.5"  # not a proxy of ours
    with pytest.raises(errors.BadInput, match="not an IP address"):
        _door(_Clock(), proxies="localhost")
    # A client cannot dodge its count by sending a new X-Forwarded-For each time.
    clock = _Clock()
    door = _door(clock, lock_after=3)
    for i in range(3):
        door.refusal("sai", _request("203.0.113.5", f"1.1.1.{i}"))
    assert "bị khóa" in door.refusal("mat-khau", _request("203.0.113.5", "9.9.9.9")).vi


def test_the_password_is_compared_as_digests_in_constant_time():
    import inspect

    from assistant.ui import admin_door

    source = inspect.getsource(admin_door.AdminDoor.refusal)
    assert "hmac.compare_digest" in source and "sha256" in source
    assert _door(_Clock()).refusal("mat-khau", _request("10.0.0.1")) is None
    assert _door(_Clock()).refusal("mat-khau-", _request("10.0.0.1")) is not None
    assert not admin_door.AdminDoor(None, Settings().admin_throttle).enabled  # no password: shut


def test_admin_throttle_and_proxies_are_settings(monkeypatch):
    monkeypatch.setenv("NTM_ADMIN_THROTTLE__LOCK_AFTER", "4")
    monkeypatch.setenv("NTM_TRUSTED_PROXIES", "127.0.0.1")
    settings = Settings()
    assert settings.admin_throttle.lock_after == 4 and settings.trusted_proxies == "127.0.0.1"
    assert Settings.model_fields["trusted_proxies"].default == ""


# -- 8. an index that always repairs (docs/security.md, "Chỉ mục hỏng và sửa chữa") ------------------


def _built(tmp_path) -> Settings:
    """A two-document corpus indexed with the hash embedder, in this test's own folders."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, text in DOCS.items():
        (corpus / name).write_text(text, encoding="utf-8")
    settings = Settings(index_dir=tmp_path / "index", corpus_dir=corpus, embedder="hash")
    Assistant(settings).index(progress=False)
    return settings


def _generation(settings: Settings):
    from assistant.index.store import IndexFiles

    generation = IndexFiles(settings.index_dir).current()
    assert generation is not None
    return generation


def _answers(settings: Settings) -> bool:
    answer, _ = Assistant(settings).ask("Tỷ lệ tham gia bảo hiểm y tế là bao nhiêu?")
    return "95%" in answer.answer


def _cli(settings: Settings, *args: str, capsys=None) -> tuple[int, str]:
    """``ntm`` run in this process (the hash embedder), its exit code and what it wrote on stderr."""
    from assistant import cli

    code = cli.main([*args, "--index", str(settings.index_dir), "--corpus", str(settings.corpus_dir)])
    return code, capsys.readouterr().err if capsys else ""


@pytest.mark.parametrize("command", [["index"], ["index", "--rebuild"], ["index", "--repair"]])
def test_a_garbage_manifest_is_named_and_ntm_index_repairs_it(tmp_path, monkeypatch, capsys, command):
    settings = _built(tmp_path)
    monkeypatch.setenv("NTM_EMBEDDER", "hash")
    _generation(settings).manifest_path.write_text("garbage{", encoding="utf-8")
    with pytest.raises(errors.IndexBroken) as broken:
        Assistant(settings).ask("bảo hiểm y tế")
    assert "ntm index --repair" in broken.value.vi and "manifest.json" in broken.value.vi
    code, err = _cli(settings, "ask", "bảo hiểm y tế", capsys=capsys)
    assert code == 2 and "Chỉ mục hỏng" in err and "ntm index --repair" in err and "Lỗi nội bộ" not in err
    code, err = _cli(settings, *command, capsys=capsys)
    assert code == 0, err
    assert _answers(settings)


def test_repair_reuses_the_stored_vectors(tmp_path):
    settings = _built(tmp_path)
    _generation(settings).manifest_path.write_text("[1, 2", encoding="utf-8")
    report = Assistant(settings).index(progress=False)
    assert report.repaired and report.embedded == 0 and _answers(settings)
    before = _generation(settings).name
    report = Assistant(settings).index(progress=False, repair=True)  # forced: a new generation, nothing embedded
    assert report.repaired == "--repair" and report.embedded == 0 and _generation(settings).name != before


@pytest.mark.parametrize("target", ["bm25/ids.json", "bm25/accented/vocab.index.json", "store.json", "store.npy"])
def test_garbage_in_any_file_of_a_generation_is_found_on_load_and_repaired(tmp_path, target):
    settings = _built(tmp_path)
    generation = _generation(settings)
    store = sorted(generation.files.store.glob("nuoc-sach.*"))
    path = {
        "store.json": next(p for p in store if p.name.endswith(".json")),
        "store.npy": next(p for p in store if p.name.endswith(".chunks.npy")),
    }.get(target, generation.dir / target)
    size = path.stat().st_size
    path.write_bytes(b"\x93NUMPY garbage"[:size].ljust(size, b"x"))  # same size: only the hash tells
    with pytest.raises(errors.IndexBroken) as broken:
        Assistant(settings).ask("bảo hiểm y tế")
    assert path.name in broken.value.vi and "ntm index --repair" in broken.value.en
    report = Assistant(settings).index(progress=False)
    assert report.repaired and _answers(settings)
    assert report.embedded == (1 if target.startswith("store") else 0)  # only a damaged entry's passages


def test_a_missing_chroma_collection_is_named_not_answered_from_words_alone(tmp_path):
    from assistant.index.vectors import chroma_client

    settings = _built(tmp_path)
    chroma_client(settings).delete_collection(_generation(settings).collection)
    with pytest.raises(errors.IndexBroken, match="Chroma"):
        Assistant(settings).ask("bảo hiểm y tế")
    report = Assistant(settings).index(progress=False)
    assert report.repaired and report.embedded == 0 and _answers(settings)


def test_a_deleted_chroma_folder_is_named_by_ntm_ask_and_ntm_index_repairs_it(tmp_path):
    import shutil

    settings = _built(tmp_path)
    shutil.rmtree(settings.chroma_dir)
    env = {**os.environ, "NTM_EMBEDDER": "hash"}
    where = ["--index", settings.index_dir, "--corpus", settings.corpus_dir]
    asked = ntm("ask", "bảo hiểm y tế", *where, env=env)
    assert asked.returncode == 2 and "Chỉ mục hỏng (Chroma" in asked.stderr and "--repair" in asked.stderr
    indexed = ntm("index", *where, env=env)
    assert indexed.returncode == 0 and "Đã sửa chỉ mục" in indexed.stdout, indexed.stderr
    asked = ntm("ask", "Tỷ lệ tham gia bảo hiểm y tế là bao nhiêu?", *where, env=env)
    assert asked.returncode == 0 and "95%" in asked.stdout, asked.stderr


def _read_only(folder: str, command: list[str]) -> list[str]:
    """``command`` run with ``folder`` mounted read-only over itself (root is not stopped by modes)."""
    return ["unshare", "--mount", "sh", "-c", 'mount --bind -o ro "$0" "$0" && exec "$@"', folder, *command]


def test_a_read_only_index_folder_still_answers(tmp_path):
    import shutil
    import stat
    import subprocess

    settings = _built(tmp_path)
    shutil.rmtree(settings.index_dir / "sentences", ignore_errors=True)  # a question would write them
    index = str(settings.index_dir)
    ask = [sys.executable, "-m", "assistant.cli", "ask", "Tỷ lệ tham gia bảo hiểm y tế là bao nhiêu?"]
    ask += ["--index", index, "--corpus", str(settings.corpus_dir)]
    env = {**os.environ, "NTM_EMBEDDER": "hash"}
    if os.geteuid() == 0:
        if subprocess.run(_read_only(index, ["true"]), capture_output=True).returncode:
            pytest.skip("no mount namespace to make the folder read-only as root")
        asked = subprocess.run(_read_only(index, ask), capture_output=True, text=True, env=env)
    else:
        paths = [settings.index_dir, *settings.index_dir.rglob("*")]
        for path in paths:
            path.chmod(path.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
        try:
            asked = subprocess.run(ask, capture_output=True, text=True, env=env)
        finally:
            for path in paths:
                path.chmod(path.stat().st_mode | stat.S_IWUSR)
    assert asked.returncode == 0 and "95%" in asked.stdout, asked.stderr
    assert "WARNING" not in asked.stderr and "Lỗi" not in asked.stderr
    assert not (settings.index_dir / "sentences").exists()


@pytest.mark.parametrize(
    "seam",
    [
        "assistant.index.store._write_json",  # a document's store entry
        "assistant.index.store.IndexFiles.save_vectors",  # its passage vectors
        "assistant.index.lexical.LexicalIndex.save",  # the new generation's BM25
    ],
)
def test_a_full_disk_says_so_and_leaves_the_previous_generation_serving(tmp_path, monkeypatch, capsys, seam):
    import errno

    settings = _built(tmp_path)
    before = _generation(settings).name
    (settings.corpus_dir / "moi.md").write_text("# Mới\n\nVăn bản mới về giao thông nông thôn.\n", encoding="utf-8")

    def disk_full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(seam, disk_full)
    monkeypatch.setenv("NTM_EMBEDDER", "hash")
    code, err = _cli(settings, "index", capsys=capsys)
    assert code == 2 and "Ổ đĩa đầy" in err and "Lỗi nội bộ" not in err
    from assistant.index.store import Generation

    Generation(_generation(settings).files, before).verify()  # whole, and still there
    # Serving: the previous generation, or the one where the new document is searchable by its words.
    assert _generation(settings).name in (before, "g000003") and _answers(settings)
    _generation(settings).verify()
    monkeypatch.undo()
    report = Assistant(settings).index(progress=False)
    assert "moi" in report.added + report.completed and not report.repaired  # completed: searchable by words
