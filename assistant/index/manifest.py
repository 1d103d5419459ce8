"""What is in the index: one content hash per source file, so re-indexing only touches changes."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

VERSION = 2


@dataclass
class Manifest:
    """One generation's source files (by path) → their hash, document id and store entry; the
    embedder the vectors came from and the Chroma collection holding them."""

    embedder: str = ""
    version: int = VERSION
    collection: str = ""
    dim: int = 0
    files: dict[str, dict] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> Manifest:
        if not path.exists():
            return cls()
        data = json.loads(path.read_text(encoding="utf-8"))
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in data.items() if k in known})

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(self), ensure_ascii=False, indent=1), encoding="utf-8")
        tmp.replace(path)


def file_hash(path: Path, extra: bytes = b"") -> str:
    """SHA-256 of a file's bytes (plus its metadata file's bytes, when given)."""
    with path.open("rb") as fh:  # in pieces: a file far past the read limit is hashed, then refused
        digest = hashlib.file_digest(fh, "sha256")
    digest.update(extra)
    return digest.hexdigest()
