"""The document library: put uploaded files into the corpus folder, take them out again."""

from __future__ import annotations

import shutil
from pathlib import Path

from assistant import errors
from assistant.ingest.document import meta_path
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


def remove_from_corpus(path: Path, settings: Settings) -> None:
    """Delete a document (and its metadata file) if it lies inside the corpus folder."""
    path = path.resolve()
    if settings.corpus_dir.resolve() not in path.parents:
        raise errors.BadInput("Chỉ xóa được văn bản nằm trong thư mục văn bản.",
                              "only documents inside the corpus folder can be removed.")
    path.unlink(missing_ok=True)
    meta_path(path).unlink(missing_ok=True)
