"""The lock: what `make test` installed is exactly requirements.lock, and the lock agrees with pyproject.toml."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
EXTRAS = ["st", "llm", "llm-test", "test"]


def _check_lock():
    spec = importlib.util.spec_from_file_location("check_lock", ROOT / ".ci" / "check_lock.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _pins(lines) -> dict[str, str]:
    pins = {}
    for line in lines:
        name, sep, version = line.strip().partition("==")
        if sep and not line.startswith((" ", "#")):
            pins[canonicalize_name(name)] = version
    return pins


def test_the_makefile_extras_are_the_locked_ones():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert f"LOCK_EXTRAS := {' '.join(EXTRAS)}\n" in makefile


def test_the_lock_agrees_with_pyproject():
    assert _check_lock().problems(ROOT / "requirements.lock", ROOT / "pyproject.toml", EXTRAS) == []


def test_a_requirement_missing_from_the_lock_or_out_of_its_range_is_named(tmp_path):
    shutil.copy(ROOT / "requirements.lock", tmp_path / "requirements.lock")
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    changed = pyproject.replace('"gradio>=6,<7",', '"gradio>=99",\n    "a-package-nobody-locked>=1",')
    (tmp_path / "pyproject.toml").write_text(changed, encoding="utf-8")
    found = _check_lock().problems(tmp_path / "requirements.lock", tmp_path / "pyproject.toml", EXTRAS)
    assert any("a-package-nobody-locked" in p and "not pinned" in p for p in found)
    assert any(p.startswith("gradio>=99") and "pins gradio==" in p for p in found)
    rc = subprocess.run(
        [sys.executable, str(ROOT / ".ci" / "check_lock.py"), str(tmp_path / "requirements.lock"), *EXTRAS],
        capture_output=True,
        text=True,
    )
    assert rc.returncode == 1 and "make lock" in rc.stderr


@pytest.mark.skipif(
    Path(sys.prefix).resolve() != (ROOT / ".venv").resolve(), reason="only the .venv that `make test` builds is locked"
)
def test_the_installed_packages_are_exactly_the_lock():
    frozen = subprocess.run(
        [sys.executable, "-m", "pip", "freeze", "--exclude-editable"], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    installed = _pins(frozen)
    locked = _pins((ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines())
    assert installed == locked
