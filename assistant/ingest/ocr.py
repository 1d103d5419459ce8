"""Text of scanned PDF pages: pages rendered with pypdfium2, read by Tesseract's Vietnamese model.

Tesseract is a Debian package (``tesseract-ocr`` and ``tesseract-ocr-vie``) that the project's
set-up installs; it is run as a program, one page at a time, so memory stays flat.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from tqdm import tqdm

from assistant import errors

DPI = 300  # Tesseract's recommended resolution; lower loses Vietnamese tone marks
LANGUAGE = "vie"
_TIMEOUT_S = 300  # one page; a hung process must not hold the indexer forever


def available() -> bool:
    """Whether Tesseract and its Vietnamese model are installed."""
    if not shutil.which("tesseract"):
        return False
    try:
        listed = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return False
    return LANGUAGE in (listed.stdout + listed.stderr).split()


def ocr_pdf_pages(path: Path, pages: list[int], password: str = "", progress: bool = False) -> dict[int, str]:
    """The recognised text of the given pages (0-based) of a PDF, by page."""
    import pypdfium2 as pdfium

    if not available():
        raise errors.ocr_missing(path)
    env = {**os.environ, "OMP_THREAD_LIMIT": os.environ.get("OMP_THREAD_LIMIT", "1")}
    try:
        document = pdfium.PdfDocument(str(path), password=password or None)
    except pdfium.PdfiumError as exc:
        raise errors.corrupt_file(path, "PDF") from exc
    texts = {}
    try:
        with tempfile.TemporaryDirectory(prefix="ntm-ocr-") as folder:
            image = Path(folder) / "page.png"
            for number in tqdm(
                pages, desc=f"Nhận dạng chữ (OCR) {Path(path).name}", unit="trang", disable=not progress
            ):
                page = document[number]
                page.render(scale=DPI / 72, grayscale=True).to_pil().save(image, dpi=(DPI, DPI))
                page.close()
                texts[number] = _tesseract(image, env)
    finally:
        document.close()
    return texts


def _tesseract(image: Path, env: dict) -> str:
    try:
        result = subprocess.run(
            ["tesseract", str(image), "stdout", "-l", LANGUAGE, "--dpi", str(DPI)],
            capture_output=True,
            env=env,
            timeout=_TIMEOUT_S,
        )
    except subprocess.TimeoutExpired as exc:
        raise RuntimeError(f"tesseract took over {_TIMEOUT_S} s on one page") from exc
    if result.returncode != 0:
        raise RuntimeError(f"tesseract failed: {result.stderr.decode('utf-8', 'replace').strip()[-300:]}")
    return result.stdout.decode("utf-8", "replace")
