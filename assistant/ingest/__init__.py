"""Ingest: files → cleaned text → clause tree → chunks."""
