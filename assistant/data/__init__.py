"""Data files of the assistant (abbreviations, question words, criteria sets, UI strings)."""

from __future__ import annotations

from functools import cache
from importlib import resources

import yaml


@cache
def load_yaml(name: str):
    """A YAML data file shipped in this package."""
    return yaml.safe_load(resources.files(__name__).joinpath(name).read_text(encoding="utf-8"))
