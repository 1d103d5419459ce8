"""Index: embeddings in Chroma (through llama-index), BM25 over Vietnamese syllables, a manifest."""
