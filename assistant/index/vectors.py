"""Dense passages in Chroma, embedded or a server, through llama-index's ``ChromaVectorStore``."""

from __future__ import annotations

import warnings

from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.schema import BaseNode, NodeRelationship, RelatedNodeInfo, TextNode

from assistant.ingest.chunk import Chunk
from assistant.settings import Settings


class _ChromaEmbeddingFunction:
    """Hands Chroma our embedder, so it never falls back to its own (which downloads a model)."""

    def __init__(self, embedder: BaseEmbedding | None):
        self._embedder = embedder

    def __call__(self, input):  # noqa: A002 - Chroma's protocol names it ``input``
        import numpy as np

        return [np.asarray(v, dtype="float32") for v in self._live().get_text_embedding_batch(list(input))]

    def embed_query(self, input):  # noqa: A002
        import numpy as np

        return [np.asarray(self._live().get_query_embedding(q), dtype="float32") for q in input]

    def _live(self) -> BaseEmbedding:
        if self._embedder is None:  # rebuilt by Chroma from its stored config: never meant to embed
            raise RuntimeError("Chroma's rebuilt embedding function has no embedder")
        return self._embedder

    @staticmethod
    def name() -> str:
        return "ntm-assistant"

    def is_legacy(self) -> bool:
        return False

    def get_config(self) -> dict:
        return {}

    @staticmethod
    def build_from_config(config: dict):
        # Chroma rebuilds the function from the collection's stored config when it reads that
        # config (changing the search breadth does): one without an embedder, never called, as we
        # always hand Chroma the live one.
        return _ChromaEmbeddingFunction(None)

    def default_space(self) -> str:
        return "cosine"

    def supported_spaces(self) -> list[str]:
        return ["cosine"]


def chroma_client(settings: Settings):
    """An embedded ``PersistentClient`` under the index folder, or an ``HttpClient`` when a URL is set."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from chromadb.utils.embedding_functions import known_embedding_functions, register_embedding_function

    if _ChromaEmbeddingFunction.name() not in known_embedding_functions:
        register_embedding_function(_ChromaEmbeddingFunction)
    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_url:
        from urllib.parse import urlparse

        url = urlparse(settings.chroma_url)
        return chromadb.HttpClient(
            host=url.hostname or "localhost", port=url.port or 8000, ssl=url.scheme == "https", settings=chroma_settings
        )
    settings.chroma_dir.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(settings.chroma_dir), settings=chroma_settings)


class VectorIndex:
    """The dense side of one index generation: add and query passages by embedding."""

    def __init__(
        self, settings: Settings, embedder: BaseEmbedding, collection: str, fresh: bool = False, create: bool = True
    ):
        from llama_index.vector_stores.chroma import ChromaVectorStore

        self.embedder = embedder
        self.name = collection
        self._client = chroma_client(settings)
        if fresh:  # a name a killed run may have used: start from nothing
            try:
                self._client.delete_collection(collection)
            except Exception:  # noqa: BLE001 - Chroma raises different errors for "no such collection"
                pass
        with warnings.catch_warnings():
            # Chroma cannot rebuild our (unregistered) embedding function from its stored
            # config and says so; we always hand it the live one, so the warning is noise.
            warnings.filterwarnings("ignore", message="Could not reconstruct embedding function")
            function = _ChromaEmbeddingFunction(embedder)
            if create:
                self._collection = self._client.get_or_create_collection(
                    collection,
                    embedding_function=function,
                    metadata={"hnsw:space": "cosine", "hnsw:search_ef": settings.search_ef},
                )
            else:  # a published generation's: never made empty in its place
                self._collection = self._client.get_collection(collection, embedding_function=function)
            self._search_breadth(settings.search_ef)
        self.store = ChromaVectorStore(chroma_collection=self._collection)
        self._count: int | None = None  # a published generation's collection never changes

    def _search_breadth(self, ef: int) -> None:
        """An index built with a narrower search (before ``search_ef``, or with another setting)
        searches as wide as the setting says from now on."""
        hnsw = (getattr(self._collection, "configuration_json", None) or {}).get("hnsw") or {}
        if hnsw.get("ef_search", ef) != ef:
            self._collection.modify(configuration={"hnsw": {"ef_search": ef}})

    @classmethod
    def open(cls, settings: Settings, embedder: BaseEmbedding, collection: str, expected: int = -1) -> VectorIndex:
        """A published generation's collection, which must be there with its ``expected`` passages
        (-1: not recorded): ``IndexBroken`` when Chroma's folder or the collection is gone, rather
        than answering from words alone without saying so."""
        from assistant import errors

        try:
            index = cls(settings, embedder, collection, create=False)
            count = index.count()
        except Exception as exc:  # noqa: BLE001 - Chroma raises different errors for "no such collection"
            if settings.chroma_url and type(exc).__name__ != "NotFoundError" and "does not exist" not in str(exc):
                raise  # a server not answering is not a damaged index
            raise errors.IndexBroken(settings.index_dir, f"Chroma {collection}: {type(exc).__name__}") from exc
        if expected >= 0 and count != expected:
            raise errors.IndexBroken(settings.index_dir, f"Chroma {collection}: {count}/{expected}")
        return index

    def add(self, chunks: list[Chunk], vectors: list[list[float]]) -> None:
        """Store passages with their precomputed embeddings."""
        nodes: list[BaseNode] = []
        for chunk, vector in zip(chunks, vectors):
            node = TextNode(
                id_=chunk.chunk_id,
                text=chunk.text,
                embedding=vector,
                metadata={"doc_id": chunk.doc_id, "clause": chunk.clause},
            )
            node.relationships[NodeRelationship.SOURCE] = RelatedNodeInfo(node_id=chunk.doc_id)
            nodes.append(node)
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="Could not reconstruct embedding function")
            for start in range(0, len(nodes), 1000):
                self.store.add(nodes[start : start + 1000])
        self._count = None

    def count(self) -> int:
        """Passages in the collection (asked once, not at every question)."""
        if self._count is None:
            self._count = self._collection.count()
        return self._count

    def query(self, vector: list[float], k: int) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity) of the ``k`` nearest passages."""
        k = min(k, self.count())
        if k <= 0:
            return []
        return self._nearest(vector, k, None)

    def query_in(self, vector: list[float], k: int, docs: frozenset[str]) -> list[tuple[str, float]]:
        """``query`` among the passages of the documents ``docs`` only (Chroma filters them: asking
        for more and dropping the others costs a long list when the documents are a small part)."""
        return self._nearest(vector, k, {"doc_id": {"$in": sorted(docs)}})

    def _nearest(self, vector: list[float], k: int, where: dict | None) -> list[tuple[str, float]]:
        # Ids and distances only: the passages' texts and metadata are ours already, and having
        # Chroma return them as llama-index nodes cost 9 ms a search against 1.4 ms.
        result = self._collection.query(query_embeddings=[vector], n_results=k, where=where, include=["distances"])
        ids = (result.get("ids") or [[]])[0]
        distances = (result.get("distances") or [[]])[0]
        # With the cosine space Chroma's distance is 1 - cos.
        return [(node_id, 1.0 - float(distance)) for node_id, distance in zip(ids, distances)]

    def drop_others(self, keep: set[str], prefix: str) -> None:
        """Delete this index folder's other collections (``prefix``...) except those in ``keep``:
        the generations swept away, and those of runs killed before they switched."""
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="Could not reconstruct embedding function")
            listed = self._client.list_collections()
        for collection in listed:
            name = getattr(collection, "name", collection)
            if name.startswith(prefix) and name not in keep | {self.name}:
                self._client.delete_collection(name)


class StoredVectors:
    """A generation's passage vectors read from its store entries and searched in memory: what a
    read-only index folder answers with, since embedded Chroma cannot open a database it may not
    write to. Same ``query``/``count`` as ``VectorIndex``."""

    def __init__(self, ids: list[str], matrix):
        import numpy as np

        self.ids = ids
        norms = np.linalg.norm(matrix, axis=1, keepdims=True) if len(matrix) else 1.0
        self._matrix = matrix / np.maximum(norms, 1e-12)

    def count(self) -> int:
        return len(self.ids)

    def query(self, vector: list[float], k: int) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity) of the ``k`` nearest passages."""
        import numpy as np

        k = min(k, self.count())
        if k <= 0:
            return []
        query = np.asarray(vector, dtype="float32")
        scores = self._matrix @ (query / max(float(np.linalg.norm(query)), 1e-12))
        top = np.argsort(-scores, kind="stable")[:k]
        return [(self.ids[i], float(scores[i])) for i in top]


def open_vectors(settings: Settings, embedder: BaseEmbedding, generation) -> VectorIndex | StoredVectors:
    """The dense side of a published generation for answering: its Chroma collection, checked to
    be whole, or, when the index folder is read-only (embedded Chroma only), its stored vectors."""
    import os

    import numpy as np

    manifest = generation.manifest
    if settings.chroma_url or os.access(settings.index_dir, os.W_OK):
        return VectorIndex.open(settings, embedder, manifest.collection, manifest.vectors)
    ids, rows = [], []
    for entry in generation.entries().values():
        with generation.reading():
            _, chunks, _ = generation.files.load_entry(entry)
            vectors = generation.files.load_vectors(entry, "chunks")
        if vectors is not None and len(vectors) == len(chunks) and len(chunks):
            ids += [c.chunk_id for c in chunks]
            rows.append(np.asarray(vectors, dtype="float32"))
    matrix = np.concatenate(rows) if rows else np.zeros((0, manifest.dim or 1), "float32")
    return StoredVectors(ids, matrix)
