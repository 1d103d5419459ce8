"""Read document files into pages of raw Unicode text, with clear errors for bad files.

Formats: .txt/.md in any encoding offices use (see ``encoding.py``), .pdf (scanned pages are
OCR'd, see ``ocr.py``), .docx, Word 97 .doc (through antiword), .rtf and saved .html pages.
Text set in the legacy TCVN3/VNI fonts is converted to Unicode; text that still does not read
as Vietnamese is refused.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from assistant import errors
from assistant.ingest import encoding
from assistant.ingest.archive import MB, check_archive, read_capped
from assistant.ingest.markup import html_text, rtf_text
from assistant.settings import DocumentLimits

SUPPORTED = (".txt", ".md", ".pdf", ".docx", ".doc", ".rtf", ".html", ".htm")
_MIN_PAGE_LETTERS = 20  # a PDF page with fewer letters in its text layer is read by OCR


@dataclass
class Loaded:
    """A file's pages and how they were obtained."""

    pages: list[str]
    encoding: str = ""  # the encoding converted from ("" for Unicode): "tcvn3", "vni", "windows-1258", ...
    ocr_pages: list[int] = field(default_factory=list)  # 1-based pages read by OCR
    page_count: int = 0


def load_pages(path: Path) -> list[str]:
    """The file's text as a list of pages (one page for formats without pages)."""
    return load(path).pages


def load(path: Path, progress: bool = False, limits: DocumentLimits | None = None) -> Loaded:
    """The file's pages, converted to Unicode, with what was done to get them.

    DOCX paragraphs are real paragraphs: they come back separated by a form feed, which
    the cleaner takes as a hard paragraph break. A file past ``limits`` (bytes to read, characters)
    is refused before it fills memory.
    """
    path = Path(path)
    limits = limits or DocumentLimits()
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise errors.unsupported_type(path)
    if path.stat().st_size == 0:
        raise errors.empty_file(path)
    if suffix == ".pdf":
        loaded = _pdf(path, progress, limits)
    elif suffix == ".docx":
        check_archive(path, "DOCX", limits)
        loaded = Loaded([_docx_text(path)])
    elif suffix == ".doc":
        if path.stat().st_size > limits.read_mb * MB:
            raise errors.too_large(path, limits.read_mb)
        loaded = Loaded([_doc_text(path)])
    elif suffix == ".rtf":
        loaded = Loaded([rtf_text(read_capped(path, limits))])
    elif suffix in (".html", ".htm"):
        loaded = Loaded([html_text(read_capped(path, limits))])
    else:
        text, name = encoding.decode(read_capped(path, limits))
        loaded = Loaded([text], "" if name == "utf-8" else name)
    if sum(len(page) for page in loaded.pages) > limits.chars:
        raise errors.too_long(path, "ký tự", "characters", limits.chars)
    if not loaded.encoding:
        loaded.pages, loaded.encoding = encoding.repair_pages(loaded.pages)
    loaded.page_count = loaded.page_count or len(loaded.pages)
    if not any(page.strip() for page in loaded.pages):
        raise errors.empty_file(path)
    if not encoding.looks_vietnamese("\n".join(loaded.pages)):
        raise errors.not_vietnamese(path, encoding.vietnamese_share("\n".join(loaded.pages))[0])
    return loaded


def _pdf(path: Path, progress: bool, limits: DocumentLimits) -> Loaded:
    """A PDF's pages, refused past ``limits``: its bytes and its page count before any text is
    extracted (so OCR, too, reads no more pages than the limit), its characters page by page."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    if path.stat().st_size > limits.read_mb * MB:
        raise errors.too_large(path, limits.read_mb)
    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted and not reader.decrypt(""):
            raise errors.encrypted_pdf(path)
        # The count the page tree declares, then the pages it holds (walked, not parsed): a tree that
        # understates its count is caught by the second.
        if _declared_pages(reader) > limits.pages or len(reader.pages) > limits.pages:
            raise errors.too_long(path, "trang", "pages", limits.pages)
        pages, chars = [], 0
        for page in reader.pages:  # a page at a time: a text too long is refused before it is all read
            pages.append(page.extract_text() or "")
            chars += len(pages[-1])
            if chars > limits.chars:
                raise errors.too_long(path, "ký tự", "characters", limits.chars)
        pictured = [_has_image(page) for page in reader.pages]
    except errors.UnreadableDocument:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise errors.corrupt_file(path, "PDF") from exc
    # A text layer in a legacy font is converted before deciding which pages need OCR.
    pages, font = encoding.repair_pages(pages)
    scanned = [
        i for i, page in enumerate(pages) if pictured[i] and sum(ch.isalpha() for ch in page) < _MIN_PAGE_LETTERS
    ]
    if scanned:
        from assistant.ingest.ocr import ocr_pdf_pages

        for i, text in ocr_pdf_pages(path, scanned, progress=progress).items():
            pages[i] = text
        if not any(pages[i].strip() for i in scanned) and len(scanned) == len(pages):
            raise errors.scanned_pdf(path)
    return Loaded(pages, font, [i + 1 for i in scanned], len(pages))


def _declared_pages(reader) -> int:
    """The page count written in the PDF's page tree (0 when it does not say)."""
    try:
        count = reader.root_object["/Pages"].get_object().get("/Count", 0)
        return int(count)
    except (KeyError, TypeError, ValueError, AttributeError):
        return 0


def _has_image(page) -> bool:
    """Whether a PDF page draws a picture (a scan); when unsure, yes."""
    try:
        resources = page.get("/Resources")
        xobjects = resources.get_object().get("/XObject") if resources is not None else None
        if xobjects is None:
            return False
        return any(x.get_object().get("/Subtype") in ("/Image", "/Form") for x in xobjects.get_object().values())
    except Exception:  # noqa: BLE001 - a damaged resource dictionary: let OCR look
        return True


def _docx_text(path: Path) -> str:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        raise errors.corrupt_file(path, "DOCX") from exc
    except Exception as exc:  # zipfile.BadZipFile and lxml errors for damaged files
        raise errors.corrupt_file(path, "DOCX") from exc
    blocks: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = "".join(node.text or "" for node in child.iter() if node.tag.endswith("}t"))
            blocks.append(text)
        elif tag == "tbl":
            from docx.table import Table

            for row in Table(child, document).rows:
                cells = []
                for cell in row.cells:
                    value = " ".join(cell.text.split())
                    if value and (not cells or cells[-1] != value):
                        cells.append(value)
                if cells:
                    blocks.append(" | ".join(cells) + ".")
    return "\n\f\n".join(blocks)


def _doc_text(path: Path) -> str:
    """Word 97–2003 text through antiword (Debian package), paragraphs kept."""
    if not shutil.which("antiword"):
        raise errors.converter_missing(path, "antiword", "antiword")
    try:
        result = subprocess.run(["antiword", "-m", "UTF-8.txt", "-w", "0", str(path)], capture_output=True, timeout=120)
    except subprocess.TimeoutExpired as exc:
        raise errors.corrupt_file(path, "DOC") from exc
    if result.returncode != 0:
        raise errors.corrupt_file(path, "DOC")
    text = result.stdout.decode("utf-8", "replace")
    # With -w 0 antiword never wraps: every line is a whole paragraph.
    return "\n\f\n".join(line.strip() for line in text.splitlines() if line.strip())
