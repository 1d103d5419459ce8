"""The ``Assistant`` service: the one object the CLI, the web app and the evaluation call."""

from __future__ import annotations

import functools
import logging
import re
import threading
from collections.abc import Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, replace
from itertools import zip_longest
from pathlib import Path
from typing import ClassVar

import numpy as np

from assistant import errors
from assistant.answer.builder import AnswerBuilder, said_elsewhere
from assistant.answer.model import ANSWERED, Answer
from assistant.answer.span import CitedSpan
from assistant.answer.table import fact_rows
from assistant.answer.vocabulary import Vocabulary
from assistant.criteria.result import CriteriaResult
from assistant.facts import Facts, extract_facts
from assistant.index.builder import IndexProgress, IndexReport, build_index, warm_sentences
from assistant.index.lexical import LexicalIndex
from assistant.index.sentences import SentenceVectors
from assistant.index.store import IndexFiles
from assistant.ingest.chunk import Chunk
from assistant.ingest.document import Document
from assistant.priority import SENTENCES_NICE, give_way
from assistant.retrieve.documents import DEPTH as DOCUMENT_DEPTH
from assistant.retrieve.documents import DocumentRanker, DocumentRanking, question_wording
from assistant.retrieve.hybrid import HybridRetriever, LearnedFusion, Ranked, routes_for
from assistant.retrieve.named import Scope, identity_phrases, local_places, named_documents
from assistant.retrieve.query import Query, analyse, asks_about_recipients, is_follow_up, question_phrases
from assistant.retrieve.rerank import SentenceScorer, TermWeights, Unit, coverage, rerank_by_sentence
from assistant.retrieve.restore import DiacriticRestorer
from assistant.retrieve.words import warm as warm_tagger
from assistant.settings import Settings
from assistant.vietnamese import fold

log = logging.getLogger(__name__)


@dataclass(kw_only=True)
class Passage(CitedSpan):
    """A ranked passage as ``ntm search`` and the app show it."""

    rank: int
    heading: str
    text: str  # the whole passage (``document.text[start:end]``)
    score: float
    chunk_id: str = ""

    json_fields: ClassVar[tuple[str, ...]] = (
        "rank",
        "doc_id",
        "doc_title",
        "clause",
        "heading",
        "text",
        "score",
        "start",
        "end",
    )  # the search result's shape

    def to_json(self) -> dict:
        return {**super().to_json(), "score": round(self.score, 4)}


class _LoadedIndex:
    """Everything read from one generation of an index folder, held in memory for fast questions."""

    def __init__(self, settings: Settings, embedder):
        from assistant.index.vectors import open_vectors

        files = IndexFiles(settings.index_dir)
        generation = files.current()
        if generation is None:
            if files.current_name() and files.generations.exists():  # CURRENT names a generation gone
                raise errors.IndexBroken(settings.index_dir, f"generations/{files.current_name()}: missing")
            raise errors.IndexMissing(settings.index_dir)
        generation.verify()  # every file as written, or a message naming the repair
        self.generation = generation.name
        self.documents: dict[str, Document] = {}
        self.chunks: dict[str, Chunk] = {}
        self.units: dict[str, list[tuple[int, int, int]]] = {}
        self.sentences = SentenceVectors(settings.index_dir, generation.manifest.embedder or settings.embedder)
        self.sentences.refresh()
        self.unit_texts: list[str] = []  # row → the sentence's text
        vectors = []
        for doc_id in generation.doc_ids():
            with generation.reading():
                document, chunks, units, unit_vectors = generation.load_document(doc_id, self.sentences)
            self.documents[doc_id] = document
            self.chunks.update({c.chunk_id: c for c in chunks})
            for chunk_id, start, end in units:
                self.units.setdefault(chunk_id, []).append((start, end, len(self.unit_texts)))
                self.unit_texts.append(document.text[start:end])
            if len(units):
                vectors.append(unit_vectors)
        dim = max((v.shape[1] for v in vectors), default=0)
        self.unit_vectors = (
            np.concatenate([v if v.shape[1] == dim else np.zeros((len(v), dim), "float32") for v in vectors])
            if vectors
            else np.zeros((0, 0), "float32")
        )
        self.unit_known = self.unit_vectors.any(axis=1) if dim else np.zeros(len(self.unit_texts), bool)
        self._sentence_lock = threading.Lock()
        with generation.reading():
            self.lexical = LexicalIndex.load(generation.bm25)
        self.vectors = open_vectors(settings, embedder, generation)  # Chroma, or the store's when read-only
        self.weights = TermWeights([c.context_text for c in self.chunks.values()])
        # Each document's own, counted once: a question asked of some documents weighs words among them.
        self._document_weights: dict[str, TermWeights] = {}
        if len(self.documents) > 1:
            passages: dict[str, list[str]] = {}
            for chunk in self.chunks.values():
                passages.setdefault(chunk.doc_id, []).append(chunk.context_text)
            self._document_weights = {doc_id: TermWeights(texts) for doc_id, texts in passages.items()}
        self._doc_weights: dict[frozenset[str], TermWeights] = {}
        self.vocabulary = {token for token in self.weights.df if "_" not in token}.__contains__
        titles = tuple(name for d in self.documents.values() for name in (d.title, d.short_name))
        self.words = Vocabulary([c.text for c in self.chunks.values()], self.weights, titles)
        warm_tagger()  # underthesea's models, once per process, before the first question
        self.restorer = DiacriticRestorer([c.text for c in self.chunks.values()], question_phrases())
        # Targets, baselines and responsibilities (a second over a library): read now rather than by the
        # first question on a figure or an agency.
        self.facts: Facts = extract_facts(self.documents.values())
        learned = None
        if settings.fusion == "learned" and settings.retrieval == "hybrid" and self.lexical.ids:
            learned = LearnedFusion([self.chunks[cid] for cid in self.lexical.ids], self.weights)
        self.ranker = (
            DocumentRanker(
                list(self.chunks.values()),
                _passage_vectors(generation),
                self.weights,
                facts=self.facts,
                names={d: str((doc.meta or {}).get("issuer", "")) for d, doc in self.documents.items()},
            )
            if len(self.documents) > 1
            else None
        )
        self.retriever = HybridRetriever(
            self.lexical,
            self.vectors,
            rrf_k=settings.rrf_k,
            routes=routes_for(settings.retrieval),
            clause_of=lambda cid: self.chunks[cid].clause,
            learned=learned,
            doc_of=lambda cid: self.chunks[cid].doc_id,
        )

    def weights_of(self, doc_ids: frozenset[str]) -> TermWeights:
        """How rare each word is among the passages of these documents only: what nearly every
        passage of the quoting document speaks of ("NTM" in the resolution) needs no saying in its
        quote, however rare it is among the laws beside it."""
        if len(doc_ids) == 0 or set(doc_ids) >= set(self.documents):
            return self.weights
        weights = self._doc_weights.get(doc_ids)
        if weights is None:
            parts = [self._document_weights[d] for d in sorted(doc_ids) if d in self._document_weights]
            weights = parts[0] if len(parts) == 1 else TermWeights.combined(parts)
            self._doc_weights = {**dict(list(self._doc_weights.items())[-15:]), doc_ids: weights}
        return weights

    def embed_units(self, rows: list[int], embedder) -> None:
        """Make sure the given answer units have their vectors: those not embedded yet (indexing
        leaves them to the first question that needs them) are embedded now and kept on disk."""
        missing = [r for r in dict.fromkeys(rows) if not self.unit_known[r]]
        if not missing:
            return
        vectors = self.sentences.vectors([self.unit_texts[r] for r in missing], embedder)
        with self._sentence_lock:
            if self.unit_vectors.shape[1] != vectors.shape[1]:  # the first vector known: now the size is
                self.unit_vectors = np.zeros((len(self.unit_texts), vectors.shape[1]), "float32")
                self.unit_known = np.zeros(len(self.unit_texts), bool)
            self.unit_vectors[missing] = vectors
            self.unit_known[missing] = True


def _passage_vectors(generation) -> dict[str, np.ndarray]:
    """Each document's passage vectors, as stored beside its passages (none for an entry without)."""
    vectors = {}
    for doc_id, entry in generation.entries().items():
        with generation.reading():
            found = generation.files.load_vectors(entry, "chunks")
        if found is not None:
            vectors[doc_id] = found
    return vectors


class _Within:
    """The index in memory as the answer step sees it for a question restricted to some documents:
    only their documents are outlined and quoted (passages are restricted by the retriever)."""

    def __init__(self, index: _LoadedIndex, only: frozenset[str]):
        self._index = index
        self.documents = {doc_id: d for doc_id, d in index.documents.items() if doc_id in only}
        self.weights = index.weights_of(only)

    def __getattr__(self, name: str):
        return getattr(self._index, name)


# where a sentence of a question typed in English ends
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def _place_names(english: str, places: set[str]) -> str:
    """The names of ``places`` (folded) an English sentence writes ("the Thạch Kim commune plan")."""
    words = " " + " ".join(re.findall(r"\w+", fold(english).lower())) + " "
    return " ".join(place for place in sorted(places) if f" {place} " in words)


SKIPPED_FOR_ANSWERS = {"noi-nhan"}  # the recipients' list answers only questions about it


def _is_heading_only(chunk: Chunk) -> bool:
    words = chunk.text.split()
    return words[1:] == chunk.heading.split() or words == chunk.heading.split()


class Assistant:
    """Index documents, search them and answer questions with citations."""

    def __init__(self, settings: Settings | None = None, embedder=None):
        """``embedder``: one already in memory (benchmarks share one between assistants); by default
        the one ``settings.embedder`` names, built on first use."""
        self.settings = settings or Settings()
        self._embedder = embedder
        self._index: _LoadedIndex | None = None
        self._llm_writer = None  # the language model's writer, built on first use when one is configured
        self._lock = threading.RLock()  # the web app serves several people at once
        self._query_vectors: dict[str, np.ndarray] = {}
        self._document_rankings: dict[tuple[str, str], DocumentRanking] = {}
        self._queries: dict[tuple[str, str], Query] = {}
        self._retrieved: dict[tuple, tuple[int, list[Ranked]]] = {}  # (depth asked, passages) per question
        self._writer = threading.RLock()  # one indexing at a time: the web app's uploads queue here
        self._loading = threading.Lock()  # one thread loads a new generation, the others keep answering
        self._request = threading.local()  # the generation a request in progress reads
        self._progress = IndexProgress()  # the indexing in progress, for the library's "đang xử lý x/y"

    # -- parts, built on first use ---------------------------------------------------------
    @property
    def embedder(self):
        with self._lock:
            if self._embedder is None:
                from assistant.index.embedders import build_embedder

                self._embedder = build_embedder(self.settings.embedder, self.settings.serve_threads)
            return self._embedder

    @property
    def loaded(self) -> _LoadedIndex:
        """The index in memory: the generation a request began with, else the newest one. When
        another process (``ntm index``) switches generations, the next request notices and the new
        generation is loaded in the background while the previous one keeps answering."""
        pinned = getattr(self._request, "index", None)
        if pinned is not None:
            return pinned
        index = self._index
        files = IndexFiles(self.settings.index_dir)
        name = files.current_name()
        if index is not None and (name is None or name == index.generation):
            return index
        if index is None or not (files.generations / index.generation).exists():
            return self._load()  # nothing to answer from meanwhile
        if self._loading.acquire(blocking=False):
            threading.Thread(target=self._load, args=(True,), daemon=True, name="ntm-load-index").start()
        return index

    def _load(self, locked: bool = False) -> _LoadedIndex:
        """Read the newest generation into memory and serve it from now on."""
        if not locked:
            self._loading.acquire()
        try:
            files = IndexFiles(self.settings.index_dir)
            if self._index is None or self._index.generation != files.current_name():
                self._index = _LoadedIndex(self.settings, self.embedder)
            return self._index
        except Exception:
            if locked and self._index is not None:
                return self._index  # swept while loading: the next request tries the newer one
            raise
        finally:
            self._loading.release()

    @contextmanager
    def _one_generation(self):
        """Every step of one request reads the same generation, even if a new one is switched to
        meanwhile (its passages may differ)."""
        if getattr(self._request, "index", None) is not None:
            yield
            return
        self._request.index = self.loaded
        try:
            yield
        finally:
            self._request.index = None

    # -- indexing ----------------------------------------------------------------------------
    def index(
        self,
        paths: list[Path] | None = None,
        rebuild: bool = False,
        progress: bool = True,
        with_units: bool = True,
        threads: int | None = None,
        sentences: bool = True,
        repair: bool = False,
    ) -> IndexReport:
        """Bring the index up to date with the given files or folders (default: the corpus), into a
        new generation; ``threads`` embedder threads (default: ``index_threads``); then, with
        ``sentences``, embed the answer sentences ahead of the questions (else the first question
        reaching them does); ``repair``: a new generation even when nothing changed (a damaged one is
        rebuilt anyway). ``indexing()`` tells how far it is meanwhile."""
        with self._writer:
            threads = self.settings.index_threads if threads is None else threads
            embedder = self.embedder
            status = self._progress = IndexProgress()
            try:
                with embedder.threads.use(threads) if hasattr(embedder, "threads") else nullcontext():
                    report = build_index(self.settings, embedder, paths, rebuild, progress, with_units, status, repair)
                    if self._index is not None:  # serving: the next question already reads what was added
                        self._load()
                    if sentences and with_units:  # also after a killed warm-up: only what is missing
                        warm_sentences(self.settings, embedder, progress, status, report)
            finally:
                status.at("")
            return report

    def indexing(self) -> IndexProgress:
        """How far the indexing in progress is (``stage`` "" when none runs)."""
        return self._progress

    def add_documents(self, files: list[Path]) -> IndexReport:
        """Copy uploaded files into the corpus and index them (one upload after another, with the
        web app's thread count); a file that cannot be read is reported and not kept, and the index
        stays as it was for it."""
        from assistant.library import add_to_corpus

        with self._writer:
            copies = add_to_corpus(files, self.settings)
            try:
                report = self._index_served()
            except BaseException:
                for copy in copies:  # a failed upload leaves nothing behind
                    copy.unlink(missing_ok=True)
                raise
            failed = {Path(failure.path).resolve() for failure in report.failed}
            for copy in copies:
                if copy.resolve() in failed:
                    copy.unlink(missing_ok=True)
            return report

    def remove_document(self, doc_id: str) -> IndexReport:
        """Move a document's file to the corpus trash and take its passages out of the index."""
        from assistant.library import remove_from_corpus

        with self._writer:
            document = self.loaded.documents.get(doc_id)
            if document is None:
                raise errors.BadInput(f"Không có văn bản '{doc_id}'.", f"no document '{doc_id}'.")
            remove_from_corpus(self._source_file(doc_id, Path(document.source)), self.settings)
            return self._index_served()

    def _source_file(self, doc_id: str, recorded: Path) -> Path:
        """Where a document's file is now: the manifest follows a moved corpus folder, while the
        stored document keeps the path it was first read from."""
        generation = IndexFiles(self.settings.index_dir).current()
        files = generation.manifest.files if generation else {}
        return next((Path(key) for key, entry in files.items() if entry["doc_id"] == doc_id), recorded)

    def restore_document(self, name: str) -> IndexReport:
        """Put a removed document back from the trash (``corpus/.trash/``) and index it again."""
        from assistant.library import restore_from_trash

        with self._writer:
            restore_from_trash(name, self.settings)
            return self._index_served()

    def _index_served(self) -> IndexReport:
        """Index the corpus from the web app: with its thread count, and the answer sentences
        embedded afterwards in a background thread of low priority (people's questions first)."""
        report = self.index(
            [self.settings.corpus_dir], progress=False, threads=self.settings.serve_threads, sentences=False
        )
        status = self._progress

        def warm() -> None:
            give_way(SENTENCES_NICE)
            try:
                with self.embedder.threads.use(self.settings.serve_threads):
                    warm_sentences(self.settings, self.embedder, False, status, report)
            except Exception:  # noqa: BLE001 - questions embed what is left when they need it
                log.exception("embedding the answer sentences in the background failed")
            finally:
                status.at("")

        threading.Thread(target=warm, daemon=True, name="ntm-warm-sentences").start()
        return report

    def documents(self) -> list[Document]:
        """The indexed documents."""
        return list(self.loaded.documents.values())

    def chunks(self) -> list[Chunk]:
        """Every indexed passage, in index order."""
        return list(self.loaded.chunks.values())

    def chunk(self, chunk_id: str) -> Chunk:
        """One indexed passage by id (a ``Unit``'s or ``Passage``'s ``chunk_id``)."""
        return self.loaded.chunks[chunk_id]

    def library(self) -> list[dict]:
        """One row per indexed document, with whether its text was OCR'd or converted."""
        from assistant.library import catalogue

        return catalogue(self.documents(), (c.doc_id for c in self.loaded.chunks.values()))

    def restrict(self, names: Sequence[str] | None) -> frozenset[str] | None:
        """The ids of the documents a question is restricted to (``--doc``, the chat's "Hỏi trong:"),
        each named by its id, or a unique prefix of it, or a unique part of its title, cited name or
        number ("123/QĐ-UBND"); None for every document. A name that matches none, or several, is
        refused with the list of indexed documents."""
        names = [n.strip() for n in names or () if n and n.strip()]
        if not names:
            return None
        documents = list(self.loaded.documents.values())
        chosen = set()
        for name in names:
            found = _matching(name, documents)
            if len(found) != 1:
                listing = [f"{d.doc_id} ({d.cited_as})" for d in (found or documents)]
                why = ("khớp với nhiều văn bản", "matches several documents") if found else ("không có", "is not")
                shown = "; ".join(listing) or "—"
                raise errors.BadInput(
                    f"Văn bản '{name}' {why[0]} trong chỉ mục. Hãy dùng mã hoặc số hiệu của một trong: {shown}",
                    f"document '{name}' {why[1]} in the index; use the id or number of one of: {shown}",
                )
            chosen.add(found[0].doc_id)
        return frozenset(chosen)

    def named_in(self, question: str) -> Scope | None:
        """The documents a question names ("nghị quyết này", "Luật BVMT", "kế hoạch của xã", "tỉnh"):
        it is answered from them; None when it names none of the library's (or all of them)."""
        index = self.loaded
        if len(index.documents) < 2:
            return None
        query = self._analysed(question)
        wording = query.vietnamese
        documents = list(index.documents.values())
        if query.mode == "english":
            # each sentence's glossary wording in turn, so that the one that asks is known ("The
            # resolution calls for … . Under the Law on Crop Production, which …?"), with the names
            # of the documents' places it writes ("the Thạch Kim commune plan")
            places = local_places(documents)
            wording = " . ".join(
                f"{self._analysed(sentence).vietnamese} {_place_names(sentence, places)}"
                for sentence in _SENTENCE_END.split(question.strip())
            )
        return named_documents(wording, documents)

    def _scope(self, question: str, only: frozenset[str] | None, likely: bool = False) -> Scope | None:
        """The documents a question is asked of: ``only``, chosen by the user, else those it names,
        else — for an answer, ``likely`` — the one it is surely about; None: all of them. A search
        lists passages of every document it does not name."""
        if only is not None:
            return Scope(only)
        return self.named_in(question) or (self._likely_document(question) if likely else None)

    def _likely_document(self, question: str) -> Scope | None:
        """The document a question that names none is most likely about, when the document ranking
        is sure enough (``document_confidence``): asked first, all of them when it does not answer."""
        if self.loaded.ranker is None or self.settings.document_confidence >= 1:
            return None
        ranking = self.ranked_documents(question)
        # a figure several documents may give (the province's target, a commune's, a guidance's
        # requirement) is shown side by side unless the ranking is sure which document is meant
        kinds = self._analysed(question).kinds
        asks_figure = "quantity" in kinds and "structure" not in kinds  # "Phần IV có mấy điểm?" is the document's
        needed = self.settings.document_sure if asks_figure else self.settings.document_confidence
        if ranking.best is None or ranking.confidence < needed:
            return None
        sure = ranking.confidence >= self.settings.document_sure
        return Scope(frozenset([ranking.best]), by_name=False, soft=True, likely=sure)

    # -- search and answers -----------------------------------------------------------------------
    def check_question(self, question: str | None) -> str:
        """The question, when it can be asked: not empty and no longer than ``max_question_chars``
        (checked before anything reads it, so a pasted book costs nothing); else the domain error."""
        if question is not None and len(question) > self.settings.max_question_chars:
            raise errors.QuestionTooLong(self.settings.max_question_chars)
        if not question or not question.strip():
            raise errors.EmptyQuestion()
        return question

    def _rank(self, question: str, k: int, only: frozenset[str] | None = None, named: bool = True):
        """Retrieve (from the documents ``only`` names, when given), then rerank the best passages
        by their best sentence for the question.

        Not where the learned combiner put an article first: it weighs the best sentence already,
        beside the article's evidence, and a reorder by the sentence alone undoes what it learned."""
        if not question or not question.strip():
            raise errors.EmptyQuestion()
        index = self.loaded
        query = self._analysed(question)
        if only and named:  # "theo kế hoạch của xã Thạch Kim": the document answers for those words
            query = replace(query, held=identity_phrases(index.documents[d] for d in only if d in index.documents))
        vector = self._query_vector(query.expanded)
        depth = max(self.settings.rerank_depth, self.settings.answer.passages)
        ranked = self._retrieve(question, query, vector, max(k, depth), only)
        head, tail = ranked[:depth], ranked[depth:]
        units = self._units(query, head)
        weights = index.weights_of(only) if only else index.weights  # how rare a word is where it is asked
        SentenceScorer(weights, self.settings.sentence_weights).score(query, units, vector)
        if self.settings.rerank_depth <= 0 or index.retriever.learned_article_first(query, head):
            return query, ranked, units
        return query, rerank_by_sentence(head, units) + tail, units

    def _analysed(self, question: str) -> Query:
        """The question as the index in memory reads it (``analyse``), read once: naming its documents,
        ranking them and ranking passages in each set of documents read the same question."""
        index = self.loaded
        key = (index.generation, question)
        query = self._queries.get(key)
        if query is None:
            query = analyse(question, index.vocabulary, index.restorer.restore)
            if len(self._queries) >= 64:
                self._queries.pop(next(iter(self._queries)))
            self._queries[key] = query
        return query

    def _retrieve(
        self, question: str, query: Query, vector: np.ndarray, k: int, only: frozenset[str] | None
    ) -> list[Ranked]:
        """The ``k`` best passages for a question (``query``, as read from ``question``) by the
        retriever. A deeper ranking of the same question already made gives its first ``k`` (the
        document ranking looks 60 passages deep, the answer 10: the same ranking serves both)."""
        index = self.loaded
        key = (index.generation, question, only, query.held)
        depth, ranked = self._retrieved.get(key, (0, []))
        if k > depth and len(ranked) >= depth:  # not made this deep yet, and there may be more
            # Over the whole library as deep as the document ranking looks: it may be asked next.
            depth = max(k, DOCUMENT_DEPTH) if only is None and index.ranker is not None else k
            ranked = index.retriever.rank(query, depth, vector.tolist(), only)
            if len(self._retrieved) >= 64:
                self._retrieved.pop(next(iter(self._retrieved)))
            self._retrieved[key] = (depth, ranked)
        return ranked[:k]

    def _query_vector(self, text: str) -> np.ndarray:
        """The query's embedding; the last few hundred are kept (people ask the same things)."""
        vector = self._query_vectors.get(text)
        if vector is None:
            vector = np.asarray(self.embedder.get_query_embedding(text), dtype="float32")
            if len(self._query_vectors) >= 512:
                self._query_vectors.pop(next(iter(self._query_vectors)))
            self._query_vectors[text] = vector
        return vector

    def search(self, question: str, k: int | None = None, docs: Sequence[str] = ()) -> list[Passage]:
        """Ranked passages for a question (of the documents ``docs`` names, when given: see ``restrict``)."""
        self.check_question(question)
        k = k or self.settings.top_k
        with self._one_generation():
            scope = self._scope(question, self.restrict(docs) if docs else None)
            only, named = (scope.documents, scope.by_name) if scope else (None, False)
            _, ranked, _ = self._rank(question, k, only, named)
            return [self._passage(i, r.chunk_id, r.score) for i, r in enumerate(ranked[:k], start=1)]

    def relevant(self, text: str, k: int = 8) -> tuple[list[Passage], list[Unit]]:
        """The passages about a topic and their sentences, best first (for drafts and quizzes)."""
        self.check_question(text)
        with self._one_generation():
            _, ranked, units = self._rank(text, k)
            passages = [self._passage(i, r.chunk_id, r.score) for i, r in enumerate(ranked[:k], start=1)]
        kept = {p.chunk_id for p in passages}
        return passages, sorted((u for u in units if u.chunk_id in kept), key=lambda u: u.score, reverse=True)

    def ask(
        self, question: str, hits: int = 0, llm: bool | None = None, docs: Sequence[str] = ()
    ) -> tuple[Answer, list[Passage]]:
        """A cited answer and (when ``hits`` > 0) the passages retrieved for the whole question;
        worded by the language model when one is configured and ``llm`` is not False; from the
        documents ``docs`` names only, when given (see ``restrict``)."""
        self.check_question(question)
        with self._one_generation():
            return self._ask(question, hits, llm, self.restrict(docs))

    def _ask(
        self,
        question: str,
        hits: int = 0,
        llm: bool | None = None,
        only: frozenset[str] | None = None,
        follows: str = "",
    ) -> tuple[Answer, list[Passage]]:
        """``ask`` without the length check: a follow-up read with the previous question (``follows``)
        may be longer."""
        if not question.strip():
            raise errors.EmptyQuestion()
        asked = self._scope(question, only, likely=True)
        scope, named = (asked.documents, asked.by_name) if asked else (None, False)
        k = max(hits, self.settings.answer.passages)
        ranked: dict[tuple, tuple] = {}  # each part ranked once in each set of documents it is asked of

        def ranker(within: frozenset[str] | None, held: bool):
            def rank(text: str):
                if (text, within, held) not in ranked:
                    ranked[(text, within, held)] = self._rank(text, k, within, held)
                return ranked[(text, within, held)]

            return rank

        def rank_in(text: str, documents: frozenset[str]):
            # one of the documents the question names: its naming words still need no quoting
            return ranker(documents, named and scope is not None and documents <= scope)(text)

        rank = ranker(scope, named)
        # A library not narrowed by the user or the question: the answer names the document it quotes.
        name = only is None and not named and len(self.loaded.documents) > 1
        answer = self.answer_builder(rank, scope, k, name, rank_in).answer(question, follows)
        if asked and asked.soft and not _whole(answer):  # "ở Thạch Kim": its plan first, then every document
            rank = ranker(None, False)
            wider = self.answer_builder(rank, None, k, name, rank_in).answer(question, follows)
            elsewhere = not {c.doc_id for c in wider.citations} & asked.documents
            if asked.likely and wider.status == ANSWERED and not wider.parts and elsewhere:
                # The document the question is surely about does not say it; another does: said so.
                absent = [self.loaded.documents[d] for d in sorted(asked.documents)]
                short = {d.doc_id: d.short_name for d in self.loaded.documents.values()}
                wider = said_elsewhere(wider, absent, answer, short)
            answer = wider
        order = self._shown(question, rank, ranked, scope, named, hits) if hits else []
        passages = [self._passage(i, r.chunk_id, r.score) for i, r in enumerate(order, start=1)]
        query = self._analysed(question)
        kind = "who" if query.asks("who") else "figure" if query.asks("quantity") or query.asks("compare") else ""
        if kind and answer.found:
            answer.table = fact_rows(kind, self.facts(), answer.citations)
        writer = self._writer_for(llm)
        return (writer.write(answer, self._computed(question)) if writer else answer), passages

    @staticmethod
    def _shown(question: str, rank, ranked: dict, scope, named: bool, hits: int) -> list:
        """The passages shown with an answer: for a question answered in parts, each part's best in
        turn (ranked already: no third search and embedding for the whole question); else the
        question's own ranking."""
        parts = [found[1] for (text, within, held), found in ranked.items() if (within, held) == (scope, named)]
        if len(parts) < 2 or any(text == question for text, _, _ in ranked):
            return rank(question)[1][:hits]
        order: dict[str, object] = {}
        for row in zip_longest(*parts):
            for r in row:
                if r is not None:
                    order.setdefault(r.chunk_id, r)
        return list(order.values())[:hits]

    def judge(self, question: str):
        """One question read as a single part, asked of the documents it names as ``ask`` would:
        its evidence, outcome and quotes (``ntm eval calibrate`` and ``train-decision``)."""
        self.check_question(question)
        with self._one_generation():
            scope = self._scope(question, None, likely=True)
            only, named = (scope.documents, scope.by_name) if scope else (None, False)
            k = self.settings.answer.passages
            return self.answer_builder(lambda text: self._rank(text, k, only, named), only, k).judge(question)

    def answer_builder(
        self, rank=None, only: frozenset[str] | None = None, k: int = 0, name: bool | None = None, rank_in=None
    ) -> AnswerBuilder:
        """The answer step over the index in memory (the documents ``only`` names, when given);
        ``rank(text)`` retrieves for it (by default ``answer.passages`` passages, as ``ask`` does).
        Over several documents, a question they do not answer together is asked of each of the
        best-ranked ones alone (``rank_in(text, documents)``) before it is said that they do not
        answer it; ``name``: the answer names the document it quotes, even one (by default over
        several documents, none chosen).
        ``ntm eval calibrate`` judges evidence with it."""
        k = k or self.settings.answer.passages
        if name is None:  # as ``ask`` has it for a question naming no document
            name = not only and len(self.loaded.documents) > 1
        rank = rank or (lambda text: self._rank(text, k, only))
        rank_in = rank_in or (lambda text, docs: self._rank(text, k, docs, named=False))
        if not only:
            several = len(self.loaded.documents) > 1
            return AnswerBuilder(
                self.loaded,
                self.settings.answer,
                rank=rank,
                facts=self.facts,
                verify=self.verify_quote,
                rank_in=rank_in if several else None,
                documents_for=self.ranked_documents if several else None,
                name_documents=name,
                analysed=self._analysed,
            )
        index = _Within(self.loaded, only)
        several = len(only) > 1  # each asked alone, as over the whole library: judged on its own words
        return AnswerBuilder(
            index,
            self.settings.answer,
            rank=rank,
            facts=lambda: self._facts_of(only),
            verify=self.verify_quote,
            rank_in=rank_in if several else None,
            scope=sorted(only),
            documents_for=(lambda text: self.ranked_documents(text).within(only)) if several else None,
            name_documents=name,
            analysed=self._analysed,
        )

    def ranked_documents(self, question: str) -> DocumentRanking:
        """The library's documents for a question, most likely first: ranked as whole documents
        (``retrieve/documents.py``) from a deeper passage ranking than the answer's (a law's twenty
        articles on waste may fill the answer's passages)."""
        index = self.loaded
        if index.ranker is None:
            return DocumentRanking(list(index.documents), [1.0] * len(index.documents))
        key = (index.generation, question)
        ranking = self._document_rankings.get(key)
        if ranking is None:
            query = self._analysed(question)
            vector = self._query_vector(query.expanded)
            ranked = self._retrieve(question, query, vector, DOCUMENT_DEPTH, None)
            ranking = index.ranker.rank(
                query.text, vector, ranked, lambda cid: index.chunks[cid].doc_id, question_wording(query)
            )
            if len(self._document_rankings) >= 256:
                self._document_rankings.pop(next(iter(self._document_rankings)))
            self._document_rankings[key] = ranking
        return ranking

    def fusion_features(self, question: str) -> tuple[list[Chunk], np.ndarray]:
        """The learned fusion's candidate passages for a question and their feature rows, computed as
        ranking computes them (``ntm eval train-fusion`` fits the fusion on these)."""
        index = self.loaded
        retriever = index.retriever
        if retriever.learned is None:
            raise errors.BadInput(
                "Chưa bật kết hợp học được: hãy đặt NTM_FUSION=learned, NTM_RETRIEVAL=hybrid.",
                "learned fusion is off: set NTM_FUSION=learned and NTM_RETRIEVAL=hybrid.",
            )
        query = analyse(question, index.vocabulary, index.restorer.restore)
        vector = self.embedder.get_query_embedding(query.expanded)
        positions, features, _ = retriever.learned.features(retriever, query, vector)
        return [index.chunks[retriever.lexical.ids[p]] for p in positions], features

    # -- the optional language model ----------------------------------------------------------------
    @property
    def llm_configured(self) -> bool:
        """Whether a model server is set (NTM_LLM_URL): the app then offers the model's wording."""
        return bool(self.settings.llm_url)

    def _writer_for(self, llm: bool | None):
        """The model's writer when it is to be used: configured and not turned off."""
        if llm is False or (llm is None and not self.llm_configured):
            return None
        if not self.llm_configured:
            raise errors.BadInput(
                "Chưa cấu hình mô hình ngôn ngữ: hãy đặt NTM_LLM_URL và NTM_LLM_MODEL.",
                "no language model configured: set NTM_LLM_URL and NTM_LLM_MODEL.",
            )
        with self._lock:
            if self._llm_writer is None:
                from assistant.answer.generate import GroundedWriter

                self._llm_writer = GroundedWriter.from_settings(self.settings)
            return self._llm_writer

    def _computed(self, question: str) -> list[str]:
        """The criteria engine's result for figures the question gives, as evidence for the model."""
        from assistant.answer.generate import criteria_lines

        return criteria_lines(self.check_figures(question))

    def ask_stream(self, question: str, earlier: list[str] = (), llm: bool | None = None, docs: Sequence[str] = ()):
        """A conversation's answer as the model writes it: the verified text each time a sentence
        passes its checks, then the final ``Answer`` (at once when no model is used)."""
        self.check_question(question)
        with self._one_generation():
            answer, _ = self._in_conversation(question, list(earlier), self.restrict(docs))
        writer = self._writer_for(llm)
        if writer is None:
            yield answer
            return
        yield from writer.stream(answer, self._computed(question))

    def rewrite_draft(self, draft) -> list[dict]:
        """Each key point of a draft in plain words for its audience, where the rewrite keeps every
        figure and agency of the point; returns the points kept verbatim, with the failed check."""
        from assistant.answer.generate import rewrite_points

        return rewrite_points(self._writer_for(True), draft)

    # -- facts ------------------------------------------------------------------------------------
    def facts(self) -> Facts:
        """Targets, baselines and responsibilities of every indexed document (read once per index)."""
        return self.loaded.facts

    def _facts_of(self, only: frozenset[str]) -> Facts:
        """The facts of the documents ``only`` names."""
        facts = self.facts()
        return Facts(
            [t for t in facts.targets if t.doc_id in only],
            [b for b in facts.baselines if b.doc_id in only],
            [r for r in facts.responsibilities if r.doc_id in only],
        )

    def term_weights(self) -> TermWeights:
        """How rare each folded word is in the indexed passages (for topic matching in quizzes)."""
        return self.loaded.weights

    def _units(self, query, ranked) -> list[Unit]:
        """The quotable sentences of the ranked passages (the recipients' list only when asked about)."""
        index = self.loaded
        quotable = []
        for rank, r in enumerate(ranked, start=1):
            chunk = index.chunks[r.chunk_id]
            if chunk.clause in SKIPPED_FOR_ANSWERS and not asks_about_recipients(query):
                continue
            if _is_heading_only(chunk):
                continue  # a heading names a subject; it answers nothing
            document = index.documents[chunk.doc_id]
            for start, end, row in index.units.get(r.chunk_id, []):
                if not any(ch.isalpha() for ch in document.text[start:end]):
                    continue  # a clause number ("2.1.") answers nothing
                quotable.append((rank, chunk, document, start, end, row))
        index.embed_units([row for *_, row in quotable], self.embedder)
        return [
            Unit(
                chunk.chunk_id,
                chunk.doc_id,
                start,
                end,
                document.text[start:end],
                rank,
                index.unit_vectors[row] if index.unit_vectors.size else None,
                context=chunk.context_text,
                heading=chunk.heading,
            )
            for rank, chunk, document, start, end, row in quotable
        ]

    def ask_in_conversation(
        self, question: str, earlier: list[str], llm: bool | None = None, docs: Sequence[str] = ()
    ) -> tuple[Answer, list[Passage]]:
        """A follow-up ("còn BHYT thì sao?", "việc đó", "Ai chủ trì?") is read together with the previous
        question; a question with a subject and a question word of its own is answered alone. From
        the documents ``docs`` names only, when given (see ``restrict``)."""
        self.check_question(question)
        with self._one_generation():
            answer, passages = self._in_conversation(question, earlier, self.restrict(docs))
            writer = self._writer_for(llm)
            return (writer.write(answer, self._computed(question)) if writer else answer), passages

    def _in_conversation(
        self, question: str, earlier: list[str], only: frozenset[str] | None = None
    ) -> tuple[Answer, list[Passage]]:
        answer, passages = self._ask(question, hits=5, llm=False, only=only)
        index = self.loaded
        query = analyse(question, index.vocabulary, index.restorer.restore)
        if not earlier or not is_follow_up(query):
            return answer, passages
        combined, combined_passages = self._ask(
            f"{earlier[-1]} {question}", hits=5, llm=False, only=only, follows=earlier[-1]
        )
        if not combined.found:
            return answer, passages
        combined.question = question
        if not answer.found:
            return combined, combined_passages
        # Both read: keep the one whose quotes speak of what this question names; a tie goes to the
        # conversation ("còn phối hợp thì sao?" after a question on training is about training).
        terms = query.terms()
        weights = index.weights
        own = coverage(terms, " ".join(c.quote for c in answer.citations), weights)
        joint = coverage(terms, " ".join(c.quote for c in combined.citations), weights)
        return (answer, passages) if own > joint else (combined, combined_passages)

    # -- criteria -----------------------------------------------------------------------------------
    def criteria(
        self, figures: dict, set_id: str = "nq-ha-tinh-2025", unit: str = "", period: str = ""
    ) -> CriteriaResult:
        """Criteria status for one unit's figures (the contract's criteria JSON shape)."""
        from assistant.criteria.evaluate import evaluate
        from assistant.criteria.sets_loader import get_set

        return evaluate(get_set(set_id, self.settings.corpus_dir), figures, unit, period)

    def check_figures(self, question: str, set_id: str = "nq-ha-tinh-2025") -> CriteriaResult | None:
        """Criteria status of the figures a question gives ("BHYT đạt 94% đã đạt chưa?"), or None."""
        if len(question) > self.settings.max_question_chars:
            raise errors.QuestionTooLong(self.settings.max_question_chars)
        from assistant.criteria.evaluate import evaluate
        from assistant.criteria.from_text import asks_for_status, figures_in
        from assistant.criteria.sets_loader import get_set

        if not asks_for_status(question):
            return None
        criteria_set = get_set(set_id, self.settings.corpus_dir)
        figures = figures_in(question, criteria_set)
        if not figures:
            return None
        result = evaluate(criteria_set, figures)
        result.results = [r for r in result.results if r.key in figures]
        return result

    def criteria_file(self, path: Path, set_id: str = "nq-ha-tinh-2025") -> list[CriteriaResult]:
        """Criteria status for every unit of a figures file (YAML, JSON, CSV, XLSX)."""
        from assistant.criteria.present import evaluate_file

        return evaluate_file(path, set_id, self.settings.corpus_dir)

    def verify_quote(self, doc_id: str, start: int, end: int, quote: str) -> bool:
        """Whether ``quote`` is exactly the cleaned text of that span of the document."""
        document = self.loaded.documents.get(doc_id)
        return bool(document) and document.text[start:end] == quote and bool(quote.strip())

    def _passage(self, rank: int, chunk_id: str, score: float) -> Passage:
        chunk = self.loaded.chunks[chunk_id]
        return Passage(
            rank=rank,
            doc_id=chunk.doc_id,
            doc_title=chunk.doc_title,
            clause=chunk.clause,
            heading=chunk.heading,
            text=chunk.text,
            score=score,
            chunk_id=chunk_id,
            start=chunk.start,
            end=chunk.end,
        )


def _whole(answer: Answer) -> bool:
    """Whether every part of an answer is answered."""
    return answer.status == ANSWERED and all(p.get("status", ANSWERED) == ANSWERED for p in answer.parts)


def _matching(name: str, documents: list[Document]) -> list[Document]:
    """The documents a ``--doc`` name picks: the one of that id, else those whose id starts with it,
    else those whose title, cited name or number holds it (letter case and accents aside)."""
    exact = [d for d in documents if d.doc_id == name]
    if exact:
        return exact
    wanted = _folded(name)
    by_id = [d for d in documents if _folded(d.doc_id).startswith(wanted)]
    if by_id:
        return by_id
    return [
        d
        for d in documents
        if any(wanted in _folded(str(t)) for t in (d.title, d.cited_as, (d.meta or {}).get("number", "")))
    ]


def _folded(text: str) -> str:
    from assistant.vietnamese import fold

    return " ".join(fold(text).lower().split())


def _reads_one_generation(method):
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        with self._one_generation():
            return method(self, *args, **kwargs)

    return wrapper


# What a person asks is answered from one generation of the index throughout (see ``loaded``);
# ``search``, ``relevant``, ``ask`` and ``ask_in_conversation`` first check the question's length,
# so a question too long is refused before an index is loaded for it.
for _name in (
    "_ask",
    "facts",
    "documents",
    "verify_quote",
    "library",
    "term_weights",
    "chunks",
    "chunk",
    "fusion_features",
):
    setattr(Assistant, _name, _reads_one_generation(getattr(Assistant, _name)))
