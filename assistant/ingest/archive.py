"""Bounded reading of untrusted files: a zip archive (DOCX, XLSX) is checked before a parser opens
it, and a plain file is read no further than the limit (docs/security.md, "Document limits")."""

from __future__ import annotations

import zipfile
from pathlib import Path

from assistant import errors
from assistant.settings import DocumentLimits

MB = 1024 * 1024
_RATIO_FROM = MB  # small parts (styles, settings) compress far and harmlessly; a bomb is big
_MAX_MEMBERS = 10_000  # far more parts than any office file has; a listing of millions is an attack
_CHUNK = MB


def check_archive(path: Path, kind: str, limits: DocumentLimits) -> None:
    """Refuse a DOCX/XLSX that would grow past ``limits`` once uncompressed, before it is parsed.

    The sizes the zip declares are checked first (a bomb is refused without inflating a byte), then
    every part is inflated in pieces and counted, so a zip whose headers lie is stopped at the limit
    too; nothing is kept in memory but one piece.
    """
    cap = limits.read_mb * MB
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            if len(members) > _MAX_MEMBERS:
                raise errors.zip_bomb(path, kind, limits.compression_ratio)
            if sum(m.file_size for m in members) > cap:
                raise errors.too_large(path, limits.read_mb)
            for member in members:
                if member.file_size > _RATIO_FROM and member.file_size > limits.compression_ratio * max(
                    member.compress_size, 1
                ):
                    raise errors.zip_bomb(path, kind, limits.compression_ratio)
            read = 0
            for member in members:
                with archive.open(member) as part:
                    while piece := part.read(_CHUNK):
                        read += len(piece)
                        if read > cap:
                            raise errors.too_large(path, limits.read_mb)
    except errors.UnreadableDocument:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError, ValueError) as exc:
        raise errors.corrupt_file(path, kind) from exc


def read_capped(path: Path, limits: DocumentLimits) -> bytes:
    """A plain file's bytes, refused when it holds more than ``limits.read_mb``."""
    cap = limits.read_mb * MB
    with Path(path).open("rb") as fh:
        data = fh.read(cap + 1)
    if len(data) > cap:
        raise errors.too_large(path, limits.read_mb)
    return data
