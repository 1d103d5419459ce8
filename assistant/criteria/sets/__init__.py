"""Criteria sets shipped with the assistant (YAML)."""
