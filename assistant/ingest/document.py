"""One source file read end to end: metadata, cleaned text, clause tree and passages."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from functools import cached_property
from pathlib import Path

import yaml

from assistant import errors
from assistant.ingest.chunk import Chunk, make_chunks
from assistant.ingest.clean import Paragraph, clean_pages, join_paragraphs
from assistant.ingest.encoding import LABELS
from assistant.ingest.header import Header, read_header
from assistant.ingest.loaders import SUPPORTED, load
from assistant.ingest.structure import Clause, parse_structure
from assistant.settings import DocumentLimits
from assistant.vietnamese import fold

META_SUFFIX = ".meta.yaml"
# Bumped whenever reading a file gives a different document (header read, passages cut otherwise):
# it is part of what ``ntm index`` compares, so every file is read again once, reusing its vectors.
READER_VERSION = 3
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
    encoding: str = ""  # the legacy encoding the text was converted from ("" for Unicode)
    ocr_pages: list[int] = field(default_factory=list)  # 1-based pages whose text came from OCR
    page_count: int = 0
    header: list[int] = field(default_factory=list)  # paragraphs of the header and grounds: no passages

    @property
    def cited_as(self) -> str:
        """How citations name the document: "Quyết định số 123/QĐ-UBND ngày 12/3/2022 của UBND huyện
        Can Lộc" when its type and number are known and no title was given, else its title."""
        return str((self.meta or {}).get("cite_as") or self.title)

    @cached_property
    def names_folded(self) -> str:
        """Its title and how citations name it, folded: the places and bodies it is of ("huyện Can Lộc")."""
        return fold(f"{self.title} {self.cited_as}")

    @property
    def short_name(self) -> str:
        """The document named briefly (a lead that lists documents): its short title when given,
        else how citations name it."""
        return str((self.meta or {}).get("short_title") or self.cited_as)

    @property
    def period(self) -> str:
        """The years the document speaks for: its metadata's ``period``, else the "giai đoạn 2022 -
        2025" of its title, else the year it was issued ("" when none is known)."""
        meta = self.meta or {}
        if meta.get("period"):
            return str(meta["period"])
        if m := re.search(r"(?:19|20)\d{2}\s*[-–]\s*(?:19|20)\d{2}", self.title):
            return re.sub(r"\s*[-–]\s*", "–", m.group(0))
        return str(meta.get("date", ""))[:4]

    @property
    def ocr(self) -> bool:
        """Whether some of the text was recognised from scanned images."""
        return bool(self.ocr_pages)

    def provenance(self) -> str:
        """How the text was obtained, in Vietnamese, for the library ("" for a plain Unicode file)."""
        notes = []
        if self.ocr_pages:
            notes.append(f"nhận dạng chữ (OCR) {len(self.ocr_pages)}/{self.page_count or len(self.ocr_pages)} trang")
        if self.encoding:
            notes.append(f"chuyển từ bảng mã {LABELS.get(self.encoding, self.encoding)}")
        return "; ".join(notes)

    def is_ocr_span(self, start: int, end: int) -> bool:
        """Whether any of the text between these offsets came from an OCR'd page."""
        if not self.ocr_pages:
            return False
        pages = set(self.ocr_pages)
        return any(p.page in pages for p in self.paragraphs if p.start < end and p.end > start)

    def to_json(self) -> dict:
        data = asdict(self)
        for clause in data["clauses"]:
            clause["heading_only"] = sorted(clause["heading_only"])
        data.pop("chunks")
        return data

    @classmethod
    def from_json(cls, data: dict) -> Document:
        paragraphs = [Paragraph(**p) for p in data["paragraphs"]]
        clauses = [Clause(**{**c, "heading_only": set(c["heading_only"])}) for c in data["clauses"]]
        return cls(
            data["doc_id"],
            data["title"],
            data["source"],
            data["meta"],
            data["text"],
            paragraphs,
            clauses,
            encoding=data.get("encoding", ""),
            ocr_pages=data.get("ocr_pages", []),
            page_count=data.get("page_count", 0),
            header=data.get("header", []),
        )

    def clause(self, clause_id: str) -> Clause | None:
        return next((c for c in self.clauses if c.id == clause_id), None)

    def clause_text(self, clause_id: str) -> str:
        """The cleaned text of a clause's own paragraphs."""
        clause = self.clause(clause_id)
        if clause is None:
            return ""
        return "\n".join(self.paragraphs[i].text for i in clause.paragraphs)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


def doc_id_for(path: Path) -> str:
    """The preferred ASCII id from the file name: "Nghị quyết 01.pdf" → "nghi-quyet-01"."""
    stem = path.name[: -len(path.suffix)] if path.suffix else path.name
    return _slug(stem) or "tai-lieu"


def assign_doc_ids(paths: dict[str, Path], roots: list[Path], held: dict[str, str]) -> dict[str, str]:
    """A unique document id for every file (by key), stable across runs.

    ``held`` maps the keys already indexed to their ids: they keep them, and no other file gets
    one of them. A new file gets its name's id; when that is taken (same name in another folder,
    or names equal once diacritics, case and punctuation are folded: "Quyết định 12.txt" and
    "quyet-dinh-12.md") it gets its folders, then its extension, then a number added.
    """
    ids: dict[str, str] = {}
    taken = set()
    for key in sorted(held):
        if key in paths and held[key] not in taken:
            ids[key] = held[key]
        taken.add(held[key])
    # Files nearer the top of the tree first, then in diacritic-folded order: "x.txt" keeps "x".
    for key in sorted(set(paths) - set(ids), key=lambda k: (len(Path(k).parts), fold(k), k)):
        path = paths[key]
        candidates = _id_candidates(path, roots)
        chosen = next((c for c in candidates if c not in taken), None)
        n = 2
        while chosen is None:
            numbered = f"{candidates[-1]}-{n}"
            chosen = None if numbered in taken else numbered
            n += 1
        ids[key] = chosen
        taken.add(chosen)
    return ids


def _id_candidates(path: Path, roots: list[Path]) -> list[str]:
    resolved = Path(path).resolve()
    relative = Path(path.name)
    for root in roots:
        root = Path(root).resolve()
        if root in resolved.parents:
            relative = resolved.relative_to(root)
            break
    base = doc_id_for(path)
    folders = _slug(" ".join(relative.parts[:-1]))
    with_folders = f"{folders}-{base}" if folders else base
    extension = _slug(path.suffix)
    candidates = [base, with_folders, f"{with_folders}-{extension}" if extension else with_folders]
    return list(dict.fromkeys(candidates))


def meta_path(path: Path) -> Path:
    """The metadata file of a document: ``NAME.EXT.meta.yaml`` when there is one (two documents
    sharing a stem), else ``NAME.meta.yaml``."""
    own = path.with_name(path.name + META_SUFFIX)
    return own if own.exists() else shared_meta_path(path)


def shared_meta_path(path: Path) -> Path:
    """``NAME.meta.yaml``: the metadata file every document named ``NAME.*`` in the folder reads."""
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


def read_document(
    path: Path,
    max_chunk_chars: int = 700,
    doc_id: str | None = None,
    progress: bool = False,
    limits: DocumentLimits | None = None,
) -> Document:
    """Load, clean, parse and chunk one file (raises ``UnreadableDocument`` for bad files and for
    files past ``limits``).

    ``doc_id`` is the id ``assign_doc_ids`` gave the file (default: from its name alone).
    """
    limits = limits or DocumentLimits()
    loaded = load(path, progress, limits)
    paragraphs = clean_pages(loaded.pages)
    if not paragraphs:
        raise errors.empty_file(path)
    text = join_paragraphs(paragraphs)
    clauses = parse_structure(paragraphs)
    header = read_header(paragraphs)
    meta = describe(header, read_meta(path))
    doc_id = doc_id or doc_id_for(path)
    title = str(meta.get("title") or _guess_title(paragraphs) or path.stem)
    document = Document(
        doc_id,
        title,
        str(path),
        meta,
        text,
        paragraphs,
        clauses,
        encoding=loaded.encoding,
        ocr_pages=loaded.ocr_pages,
        page_count=loaded.page_count,
        header=header.paragraphs,
    )
    document.chunks = make_chunks(doc_id, title, text, paragraphs, clauses, max_chunk_chars, set(header.paragraphs))
    if len(document.chunks) > limits.passages:
        raise errors.too_long(path, "đoạn", "passages", limits.passages)
    return document


def describe(header: Header, given: dict) -> dict:
    """A document's metadata: what its header says, overridden by its ``.meta.yaml`` (``given``),
    with ``cite_as``, the name citations give it, made from the result."""
    meta = {**header.fields(), **given}
    meta.pop("cite_as", None)
    if given.get("cite_as"):
        meta["cite_as"] = str(given["cite_as"])
    elif not given.get("title") and meta.get("type") and meta.get("number"):
        issuer = given.get("issuer") or header.issuer_short
        named = Header(
            str(meta["type"]), str(meta["number"]), str(meta.get("date") or ""), issuer_short=str(issuer or "")
        )
        meta["cite_as"] = named.citation(str(meta.get("title") or ""))
    return meta


def _guess_title(paragraphs: list[Paragraph]) -> str:
    """The first heading-like lines (a law's or resolution's title block), cut between words."""
    lines = []
    for para in paragraphs[:4]:
        if len(para.text) > 200:
            break
        lines.append(para.text)
    title = " ".join(lines)
    return title if len(title) <= 200 else title[:200].rsplit(" ", 1)[0].rstrip(",;:") + "…"
