"""Read .txt, .md, .pdf and .docx files into pages of raw text, with clear errors for bad files."""

from __future__ import annotations

from pathlib import Path

from assistant import errors

SUPPORTED = (".txt", ".md", ".pdf", ".docx")


def load_pages(path: Path) -> list[str]:
    """The file's text as a list of pages (one page for formats without pages).

    DOCX paragraphs are real paragraphs: they come back separated by a form feed, which
    the cleaner takes as a hard paragraph break.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise errors.unsupported_type(path)
    if path.stat().st_size == 0:
        raise errors.empty_file(path)
    if suffix == ".pdf":
        pages = _pdf_pages(path)
    elif suffix == ".docx":
        pages = [_docx_text(path)]
    else:
        pages = [_plain_text(path)]
    if not any(page.strip() for page in pages):
        raise errors.empty_file(path)
    return pages


def _plain_text(path: Path) -> str:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise errors.UnreadableDocument(
        path,
        "Tệp văn bản không phải mã UTF-8. Hãy lưu lại tệp với bảng mã UTF-8.",
        "the text file is not UTF-8; save it again as UTF-8.",
    )


def _pdf_pages(path: Path) -> list[str]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):
                    raise errors.encrypted_pdf(path)
            except errors.UnreadableDocument:
                raise
            except Exception as exc:
                raise errors.encrypted_pdf(path) from exc
        pages = [page.extract_text() or "" for page in reader.pages]
    except errors.UnreadableDocument:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise errors.corrupt_file(path, "PDF") from exc
    if pages and not any(page.strip() for page in pages):
        raise errors.scanned_pdf(path)
    return pages


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
