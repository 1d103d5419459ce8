"""What is in the index: one content hash per source file, so re-indexing only touches changes."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

VERSION = 3  # 3: checksums of the generation's files and the count of passages in Chroma


@dataclass
class Manifest:
    """One generation's source files (by path) → their hash, document id and store entry; the
    embedder the vectors came from and the Chroma collection holding them, how many passages it
    holds, and the size and SHA-256 of every file the generation reads (by path under the index
    folder), checked when it is loaded."""

    embedder: str = ""
    version: int = VERSION
    collection: str = ""
    dim: int = 0
    vectors: int = -1  # passages in the Chroma collection; -1: not recorded (earlier versions)
    files: dict[str, dict] = field(default_factory=dict)
    checksums: dict[str, list] = field(default_factory=dict)  # path → [size, sha256]

    @classmethod
    def load(cls, path: Path) -> Manifest:
        """The manifest at ``path`` (an empty one when there is none); ``ValueError`` when the file
        is not a manifest (garbage, cut short, wrong shapes)."""
        if not path.exists():
            return cls()
        data = json.loads(path.read_text(encoding="utf-8"))  # JSONDecodeError is a ValueError
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        known = set(cls.__dataclass_fields__)
        manifest = cls(**{k: v for k, v in data.items() if k in known})
        entries = manifest.files.values() if isinstance(manifest.files, dict) else None
        if entries is None or not isinstance(manifest.checksums, dict):
            raise ValueError("files or checksums is not an object")
        for entry in entries:
            if not isinstance(entry, dict) or not all(isinstance(entry.get(k), str) for k in ENTRY_KEYS):
                raise ValueError(f"bad file entry {str(entry)[:80]}")
        return manifest

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(self), ensure_ascii=False, indent=1), encoding="utf-8")
        tmp.replace(path)


ENTRY_KEYS = ("sha256", "doc_id", "key")


def checksum(path: Path) -> list:
    """[size, SHA-256] of one file, as the manifest records it."""
    return [path.stat().st_size, file_hash(path)]


def file_hash(path: Path, extra: bytes = b"") -> str:
    """SHA-256 of a file's bytes (plus its metadata file's bytes, when given)."""
    with path.open("rb") as fh:  # in pieces: a file far past the read limit is hashed, then refused
        digest = hashlib.file_digest(fh, "sha256")
    digest.update(extra)
    return digest.hexdigest()
