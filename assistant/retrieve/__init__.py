"""Retrieve: read the question, rank passages by dense and lexical evidence, fuse."""
