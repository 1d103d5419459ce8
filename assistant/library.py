"""The document library: put uploaded files into the corpus folder, take them out again, list them."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

from assistant import errors
from assistant.ingest.document import META_SUFFIX, Document, doc_id_for, shared_meta_path
from assistant.ingest.loaders import SUPPORTED
from assistant.settings import Settings


def add_to_corpus(files: list[Path], settings: Settings) -> list[Path]:
    """Copy files into the corpus folder after checking type, size and name; the copies' paths.

    A file never replaces another document: a name already used, or one that gives the same
    document id once folded ("Quyết định 12.txt" beside "quyet-dinh-12.md"), is refused.
    """
    limit = settings.max_upload_mb * 1024 * 1024
    corpus = settings.corpus_dir
    existing = (
        {doc_id_for(p): p for p in corpus.glob("*") if p.is_file() and p.suffix.lower() in SUPPORTED}
        if corpus.exists()
        else {}
    )
    for source in files:
        source = Path(source)
        if source.suffix.lower() not in SUPPORTED:
            raise errors.unsupported_type(source.name)
        if source.stat().st_size > limit:
            raise errors.BadInput(
                f"{source.name}: tệp lớn hơn {settings.max_upload_mb} MB. Hãy chia nhỏ hoặc nén lại.",
                f"{source.name}: larger than {settings.max_upload_mb} MB; split or compress it.",
            )
        if source.stat().st_size == 0:
            raise errors.empty_file(source.name)
        clash = existing.get(doc_id_for(source))
        if (corpus / source.name).exists() or clash:
            other = clash.name if clash else source.name
            raise errors.BadInput(
                f"{source.name}: đã có văn bản {other} cùng tên. Hãy xóa văn bản cũ trước hoặc đổi tên tệp.",
                f"{source.name}: the document {other} has the same name; remove it first or rename the file.",
            )
        existing[doc_id_for(source)] = source
    corpus.mkdir(parents=True, exist_ok=True)
    copies: list[Path] = []
    try:
        for source in files:
            target = corpus / Path(source).name
            partial = target.with_name(f".{target.name}.part")  # hidden: never indexed half-copied
            shutil.copyfile(source, partial)
            partial.replace(target)
            copies.append(target)
    except BaseException:
        for copy in copies:
            copy.unlink(missing_ok=True)
        raise
    return copies


TRASH = ".trash"  # a hidden folder of the corpus: never indexed, emptied only on request


def trash_dir(settings: Settings) -> Path:
    return settings.corpus_dir / TRASH


def remove_from_corpus(path: Path, settings: Settings) -> Path:
    """Move a document and its own metadata file into ``corpus/.trash/`` (same relative path), where
    it can be restored until the trash is emptied; the path it now has.

    ``NAME.meta.yaml`` is shared by every ``NAME.*`` document in the folder: it goes along only
    when no other of them remains.
    """
    path = path.resolve()
    if settings.corpus_dir.resolve() not in path.parents or TRASH in path.parts:
        raise errors.BadInput(
            "Chỉ xóa được văn bản nằm trong thư mục văn bản.", "only documents inside the corpus folder can be removed."
        )
    folder = trash_dir(settings)
    relative = path.relative_to(settings.corpus_dir.resolve())
    target = folder / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    own_meta = path.with_name(path.name + META_SUFFIX)
    shared = shared_meta_path(path)
    stem = shared.name[: -len(META_SUFFIX)]
    siblings = [
        p
        for p in path.parent.glob(f"{_glob_escape(stem)}.*")
        if p.suffix.lower() in SUPPORTED and p.name[: -len(p.suffix)] == stem and p != path
    ]
    for item in [path, own_meta] + ([] if siblings else [shared]):
        if item.exists():
            shutil.move(str(item), target.parent / item.name)
    return target


def _glob_escape(text: str) -> str:
    return "".join(f"[{ch}]" if ch in "*?[]" else ch for ch in text)


def catalogue(documents: list[Document], chunk_doc_ids) -> list[dict]:
    """One row per indexed document, as the web library and ``ntm library`` show it: id, title,
    type, number, date, passages, and how the text was obtained (OCR, converted encoding)."""
    counts = Counter(chunk_doc_ids)
    rows = []
    for document in documents:
        meta = document.meta or {}
        rows.append(
            {
                "doc_id": document.doc_id,
                "title": document.title,
                "type": meta.get("type", ""),
                "number": meta.get("number", ""),
                "date": str(meta.get("date", "")),
                "passages": counts[document.doc_id],
                "source": Path(document.source).name,
                "ocr": document.ocr,
                "ocr_pages": list(document.ocr_pages),
                "encoding": document.encoding,
                "note": document.provenance(),
            }
        )
    return rows


def trashed(settings: Settings) -> list[Path]:
    """The documents in the trash (paths relative to it), newest first."""
    folder = trash_dir(settings)
    if not folder.is_dir():
        return []
    found = [
        p
        for p in folder.rglob("*")
        if p.is_file() and p.suffix.lower() in SUPPORTED and not p.name.endswith(META_SUFFIX)
    ]
    return [p.relative_to(folder) for p in sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)]


def restore_from_trash(name: str, settings: Settings) -> Path:
    """Move a document back from the trash to where it was in the corpus folder; its path there."""
    folder = trash_dir(settings)
    source = (folder / name).resolve()
    if folder.resolve() not in source.parents or not source.is_file():
        raise errors.BadInput(f"Không có '{name}' trong thùng rác.", f"'{name}' is not in the trash.")
    target = settings.corpus_dir / source.relative_to(folder.resolve())
    if target.exists():
        raise errors.BadInput(
            f"{source.name}: đã có văn bản cùng tên trong thư mục văn bản.",
            f"{source.name}: a document with this name is already in the corpus.",
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    for item in (source, source.with_name(source.name + META_SUFFIX), shared_meta_path(source)):
        if item.exists() and not (target.parent / item.name).exists():
            shutil.move(str(item), target.parent / item.name)
    return target


def empty_trash(settings: Settings) -> int:
    """Delete everything in the trash for good; how many documents were deleted."""
    count = len(trashed(settings))
    shutil.rmtree(trash_dir(settings), ignore_errors=True)
    return count
