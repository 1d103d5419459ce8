"""The upload route's quota (per client, and for the upload folder) and the PDF limits (bytes, pages):
what anyone who reaches the web app may send is bounded before it is stored (docs/security.md)."""

from __future__ import annotations

import os
import socket

import pytest

from assistant import errors
from assistant.ingest.loaders import load
from assistant.service import Assistant
from assistant.settings import DocumentLimits, Settings, UploadQuota

DOCS = {
    "nuoc-sach.md": "# Nước sạch\n\nĐến năm 2025, 100% hộ dân nông thôn được sử dụng nước sạch hợp vệ sinh.\n",
    "bao-hiem.md": "# Bảo hiểm y tế\n\nTỷ lệ người dân tham gia bảo hiểm y tế đạt trên 95% dân số.\n",
}
KB = 1024


@pytest.fixture(scope="module")
def indexed(tmp_path_factory):
    """A two-document index built with the hash embedder, shared by the server tests."""
    folder = tmp_path_factory.mktemp("quota")
    corpus = folder / "corpus"
    corpus.mkdir()
    for name, text in DOCS.items():
        (corpus / name).write_text(text, encoding="utf-8")
    Assistant(Settings(index_dir=folder / "index", corpus_dir=corpus, embedder="hash")).index(progress=False)
    return corpus, folder / "index"


@pytest.fixture
def served(indexed, tmp_path, monkeypatch):
    """Launch the real app with a quota; yields (url, upload folder). Clients are told apart by
    X-Forwarded-For, believed because the test's own address is a trusted proxy."""
    from assistant.ui.app import launch

    started = []
    upload_folder = tmp_path / "gradio"
    monkeypatch.setenv("GRADIO_TEMP_DIR", str(upload_folder))

    def start(**quota):
        corpus, index = indexed
        settings = Settings(
            index_dir=index,
            corpus_dir=corpus,
            embedder="hash",
            admin_password="mk",
            trusted_proxies="127.0.0.1",
            upload_quota=UploadQuota(**quota),
        )
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        started.append(launch(Assistant(settings), "127.0.0.1", port, block=False))
        return f"http://127.0.0.1:{port}", upload_folder

    yield start
    for app in started:
        app.close()


def _post(url: str, client: str, *files: bytes, **kwargs):
    import httpx

    parts = [("files", (f"tep-{i}.txt", data)) for i, data in enumerate(files)]
    headers = {"x-forwarded-for": client}
    return httpx.post(f"{url}/gradio_api/upload", files=parts, headers=headers, timeout=30, **kwargs)


def _stored(folder) -> list:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def _refused(response, minutes: int | None = None) -> None:
    assert response.status_code == 429
    body = response.json()
    assert "Đã vượt giới hạn tải lên, thử lại sau" in body["vi"] and "upload limit reached" in body["en"]
    if minutes is not None:
        assert f"sau {minutes} phút" in body["vi"] and int(response.headers["retry-after"]) == minutes * 60


def test_the_file_past_a_clients_quota_is_refused_and_not_stored_and_others_still_upload(served, caplog):
    url, folder = served(client_files=3, window_minutes=10)
    assert _post(url, "203.0.113.5", b"mot " * 100, b"hai " * 100).status_code == 200
    assert _post(url, "203.0.113.5", b"ba " * 100).status_code == 200
    before = _stored(folder)
    assert len(before) == 3
    with caplog.at_level("WARNING", logger="assistant.ui.upload_quota"):
        _refused(_post(url, "203.0.113.5", b"bon " * 100), minutes=10)
    assert _stored(folder) == before  # not even in part
    assert "upload refused for 203.0.113.5" in caplog.text
    taken = _post(url, "198.51.100.7", b"khac " * 100)  # another client
    assert taken.status_code == 200 and taken.json()[0].startswith(str(folder))


def test_one_request_carrying_more_files_than_the_quota_is_stopped_and_leaves_nothing(served):
    url, folder = served(client_files=3)
    _refused(_post(url, "203.0.113.5", *(b"tep %d " % i * 20_000 for i in range(5))))
    assert _stored(folder) == []
    assert _post(url, "203.0.113.5", b"mot").status_code == 200  # what was refused is not held against it


def test_the_bytes_of_a_client_are_counted_declared_and_streamed(served):
    url, folder = served(client_mb=1)
    assert _post(url, "203.0.113.5", b"a" * 600 * KB).status_code == 200
    _refused(_post(url, "203.0.113.5", b"b" * 600 * KB))  # refused on its Content-Length
    assert len(_stored(folder)) == 1

    # A chunked body declares no length: it is counted as it comes and stopped past the quota.
    boundary = "ranh-gioi"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="lon.txt"\r\n'
        "Content-Type: text/plain\r\n\r\n"
    ).encode()

    def chunked():
        yield head
        for _ in range(20):
            yield b"c" * 64 * KB  # 1.25 MB in all
        yield f"\r\n--{boundary}--\r\n".encode()

    import httpx

    refused = httpx.post(
        f"{url}/gradio_api/upload",
        content=chunked(),
        headers={"content-type": f"multipart/form-data; boundary={boundary}", "x-forwarded-for": "192.0.2.9"},
        timeout=30,
    )
    _refused(refused)
    assert len(_stored(folder)) == 1  # the part begun was deleted


def test_the_upload_folder_has_a_cap_for_all_clients(served):
    url, folder = served(folder_mb=1)
    assert _post(url, "203.0.113.5", b"a" * 700 * KB).status_code == 200
    _refused(_post(url, "198.51.100.7", b"b" * 400 * KB))
    assert _post(url, "192.0.2.9", b"c" * 100 * KB).status_code == 200
    assert len(_stored(folder)) == 2


def test_the_quota_is_a_setting_with_environment_overrides(monkeypatch):
    quota = Settings().upload_quota
    assert (quota.client_mb, quota.client_files, quota.window_minutes, quota.folder_mb) == (200, 50, 10, 2048)
    monkeypatch.setenv("NTM_UPLOAD_QUOTA__CLIENT_FILES", "7")
    monkeypatch.setenv("NTM_UPLOAD_QUOTA__FOLDER_MB", "512")
    monkeypatch.setenv("NTM_LIMITS__PAGES", "30")
    settings = Settings()
    assert (settings.upload_quota.client_files, settings.upload_quota.folder_mb, settings.limits.pages) == (7, 512, 30)


# -- PDF limits ---------------------------------------------------------------------------------------


def _blank_pdf(path, pages: int, padding: int = 0):
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    with path.open("wb") as fh:
        writer.write(fh)
        fh.write(b"%" + b"x" * padding + b"\n")  # a comment after the end: bytes, not pages
    return path


def test_a_pdf_past_the_read_limit_is_refused_before_it_is_parsed(tmp_path, monkeypatch):
    import pypdf

    opened = []
    monkeypatch.setattr(pypdf.PdfReader, "__init__", lambda self, *a, **k: opened.append(a))
    pdf = _blank_pdf(tmp_path / "lon.pdf", 1, padding=1100 * KB)
    with pytest.raises(errors.UnreadableDocument) as refused:
        load(pdf, limits=DocumentLimits(read_mb=1))
    assert "Tệp lớn quá: cần đọc hơn 1 MB" in refused.value.vi and "more than 1 MB to read" in refused.value.en
    assert opened == []


def test_a_pdf_with_more_pages_than_the_limit_is_refused_before_its_text_is_read(tmp_path, monkeypatch):
    from pypdf import PageObject

    read = []
    monkeypatch.setattr(PageObject, "extract_text", lambda self, *a, **k: read.append(self) or "")
    pdf = _blank_pdf(tmp_path / "dai.pdf", 5)
    with pytest.raises(errors.UnreadableDocument) as refused:
        load(pdf, limits=DocumentLimits(pages=3))
    assert "Văn bản dài quá: hơn 3 trang" in refused.value.vi and "more than 3 pages" in refused.value.en
    assert read == []  # neither text extraction nor OCR saw a page
    with pytest.raises(errors.UnreadableDocument) as empty:
        load(pdf, limits=DocumentLimits(pages=5))  # within the limit: read, and found blank
    assert "trang" not in empty.value.vi and len(read) == 5


def test_a_pdf_whose_page_tree_understates_its_count_is_still_refused(tmp_path):
    pdf = _blank_pdf(tmp_path / "doi.pdf", 5)
    data = pdf.read_bytes()
    assert data.count(b"/Count 5") == 1
    pdf.write_bytes(data.replace(b"/Count 5", b"/Count 1"))
    with pytest.raises(errors.UnreadableDocument, match="more than 3 pages"):
        load(pdf, limits=DocumentLimits(pages=3))


def test_ntm_index_names_a_pdf_past_the_page_limit_and_indexes_the_rest(tmp_path):
    from conftest import ntm

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, text in DOCS.items():
        (corpus / name).write_text(text, encoding="utf-8")
    _blank_pdf(corpus / "dai.pdf", 4)
    env = {"NTM_EMBEDDER": "hash", "NTM_CORPUS_DIR": str(corpus), "NTM_INDEX_DIR": str(tmp_path / "index")}
    run = ntm("index", env={**os.environ, **env, "NTM_LIMITS__PAGES": "3"})
    assert run.returncode == 2
    assert "Đã thêm 2" in run.stdout  # the other documents
    assert "dai.pdf: Văn bản dài quá: hơn 3 trang" in run.stderr and "more than 3 pages" in run.stderr
