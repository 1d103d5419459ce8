"""Criteria: figures in, status against a set's targets (đạt / chưa đạt / thiếu số liệu / không hợp lệ) out."""
