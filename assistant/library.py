"""The document library: put uploaded files into the corpus folder, take them out again."""

from __future__ import annotations

import shutil
from pathlib import Path

from assistant import errors
from assistant.ingest.document import META_SUFFIX, meta_path
from assistant.ingest.loaders import SUPPORTED
from assistant.settings import Settings


def add_to_corpus(files: list[Path], settings: Settings) -> list[Path]:
    """Copy files into the corpus folder after checking type and size; the copies' paths."""
    copies = []
    limit = settings.max_upload_mb * 1024 * 1024
    for source in files:
        source = Path(source)
        if source.suffix.lower() not in SUPPORTED:
            raise errors.unsupported_type(source.name)
        if source.stat().st_size > limit:
            raise errors.BadInput(
                f"{source.name}: tệp lớn hơn {settings.max_upload_mb} MB. Hãy chia nhỏ hoặc nén lại.",
                f"{source.name}: larger than {settings.max_upload_mb} MB; split or compress it.")
        if source.stat().st_size == 0:
            raise errors.empty_file(source.name)
        if (settings.corpus_dir / source.name).exists():
            raise errors.BadInput(
                f"{source.name}: đã có văn bản cùng tên. Hãy xóa văn bản cũ trước hoặc đổi tên tệp.",
                f"{source.name}: a document with this name exists; remove it first or rename the file.")
    settings.corpus_dir.mkdir(parents=True, exist_ok=True)
    for source in files:
        target = settings.corpus_dir / Path(source).name
        shutil.copyfile(source, target)
        copies.append(target)
    return copies


TRASH = ".trash"  # a hidden folder of the corpus: never indexed, emptied only on request


def trash_dir(settings: Settings) -> Path:
    return settings.corpus_dir / TRASH


def remove_from_corpus(path: Path, settings: Settings) -> Path:
    """Move a document (and its metadata file) from the corpus into ``corpus/.trash/``, where it can
    be restored until the trash is emptied; the path it now has."""
    path = path.resolve()
    if settings.corpus_dir.resolve() not in path.parents or TRASH in path.parts:
        raise errors.BadInput("Chỉ xóa được văn bản nằm trong thư mục văn bản.",
                              "only documents inside the corpus folder can be removed.")
    folder = trash_dir(settings)
    folder.mkdir(parents=True, exist_ok=True)
    for item in (path, meta_path(path)):
        if item.exists():
            shutil.move(str(item), folder / item.name)
    return folder / path.name


def trashed(settings: Settings) -> list[Path]:
    """The documents in the trash, newest first."""
    folder = trash_dir(settings)
    if not folder.is_dir():
        return []
    found = [p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in SUPPORTED
             and not p.name.endswith(META_SUFFIX)]
    return sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)


def restore_from_trash(name: str, settings: Settings) -> Path:
    """Move a document back from the trash into the corpus folder; its path there."""
    source = trash_dir(settings) / Path(name).name
    if not source.is_file():
        raise errors.BadInput(f"Không có '{name}' trong thùng rác.", f"'{name}' is not in the trash.")
    target = settings.corpus_dir / source.name
    if target.exists():
        raise errors.BadInput(f"{source.name}: đã có văn bản cùng tên trong thư mục văn bản.",
                              f"{source.name}: a document with this name is already in the corpus.")
    for item in (source, meta_path(source)):
        if item.exists():
            shutil.move(str(item), settings.corpus_dir / item.name)
    return target


def empty_trash(settings: Settings) -> int:
    """Delete everything in the trash for good; how many documents were deleted."""
    count = len(trashed(settings))
    shutil.rmtree(trash_dir(settings), ignore_errors=True)
    return count
