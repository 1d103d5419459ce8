"""One source file read end to end: metadata, cleaned text, clause tree and passages."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

import yaml

from assistant import errors
from assistant.ingest.chunk import Chunk, make_chunks
from assistant.ingest.clean import Paragraph, clean_pages, join_paragraphs
from assistant.ingest.loaders import SUPPORTED, load_pages
from assistant.ingest.structure import Clause, parse_structure
from assistant.vietnamese import fold

META_SUFFIX = ".meta.yaml"
SKIPPED_NAMES = {"readme.md", "readme.txt"}
SKIPPED_DIRS = {"criteria"}


@dataclass
class Document:
    """A document as the index keeps it: cleaned text plus its structure."""

    doc_id: str
    title: str
    source: str
    meta: dict
    text: str
    paragraphs: list[Paragraph]
    clauses: list[Clause]
    chunks: list[Chunk] = field(default_factory=list)

    def to_json(self) -> dict:
        data = asdict(self)
        for clause in data["clauses"]:
            clause["heading_only"] = sorted(clause["heading_only"])
        data.pop("chunks")
        return data

    @classmethod
    def from_json(cls, data: dict) -> "Document":
        paragraphs = [Paragraph(**p) for p in data["paragraphs"]]
        clauses = [Clause(**{**c, "heading_only": set(c["heading_only"])}) for c in data["clauses"]]
        return cls(data["doc_id"], data["title"], data["source"], data["meta"], data["text"], paragraphs, clauses)

    def clause(self, clause_id: str) -> Clause | None:
        return next((c for c in self.clauses if c.id == clause_id), None)

    def clause_text(self, clause_id: str) -> str:
        """The cleaned text of a clause's own paragraphs."""
        clause = self.clause(clause_id)
        if clause is None:
            return ""
        return "\n".join(self.paragraphs[i].text for i in clause.paragraphs)


def doc_id_for(path: Path) -> str:
    """A stable ASCII id from the file name: "Nghị quyết 01.pdf" → "nghi-quyet-01"."""
    stem = path.name[: -len(path.suffix)] if path.suffix else path.name
    return re.sub(r"[^a-z0-9]+", "-", fold(stem)).strip("-") or "tai-lieu"


def meta_path(path: Path) -> Path:
    return path.with_name(path.name[: -len(path.suffix)] + META_SUFFIX)


def read_meta(path: Path) -> dict:
    """The metadata file beside a document (title, type, issuing body, period), or {}."""
    mp = meta_path(path)
    if not mp.exists():
        return {}
    data = yaml.safe_load(mp.read_text(encoding="utf-8")) or {}
    return data if isinstance(data, dict) else {}


def source_files(roots: list[Path]) -> list[Path]:
    """Every indexable file under the given files or folders, sorted."""
    found: list[Path] = []
    for root in roots:
        if root.is_file():
            found.append(root)
            continue
        for path in sorted(root.rglob("*")):
            relative = path.relative_to(root)
            if not path.is_file() or any(part in SKIPPED_DIRS or part.startswith(".") for part in relative.parts):
                continue
            if path.name.lower() in SKIPPED_NAMES or path.name.endswith(META_SUFFIX):
                continue
            if path.suffix.lower() in SUPPORTED:
                found.append(path)
    return found


def read_document(path: Path, max_chunk_chars: int = 700) -> Document:
    """Load, clean, parse and chunk one file (raises ``UnreadableDocument`` for bad files)."""
    pages = load_pages(path)
    paragraphs = clean_pages(pages)
    if not paragraphs:
        raise errors.empty_file(path)
    text = join_paragraphs(paragraphs)
    clauses = parse_structure(paragraphs)
    meta = read_meta(path)
    doc_id = doc_id_for(path)
    title = str(meta.get("title") or _guess_title(paragraphs) or path.stem)
    document = Document(doc_id, title, str(path), meta, text, paragraphs, clauses)
    document.chunks = make_chunks(doc_id, title, text, paragraphs, clauses, max_chunk_chars)
    return document


def _guess_title(paragraphs: list[Paragraph]) -> str:
    """The first heading-like lines (a law's or resolution's title block)."""
    lines = []
    for para in paragraphs[:4]:
        if len(para.text) > 200:
            break
        lines.append(para.text)
    return " ".join(lines)[:200]
