"""The package's log: set up by the entry points only, progress plain, problems with their level."""

import io
import logging
import subprocess
import sys
from pathlib import Path

import pytest

from assistant import cli, logs

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _restore_logging():
    logger = logging.getLogger("assistant")
    before = (list(logger.handlers), logger.level, logger.propagate)
    yield
    logger.handlers[:] = before[0]
    logger.setLevel(before[1])
    logger.propagate = before[2]


def test_progress_is_plain_and_problems_carry_their_level_and_logger():
    stream = io.StringIO()
    logs.configure("INFO", stream)
    logging.getLogger("assistant.index.builder").info("Thế hệ chỉ mục %s: %d/%d đoạn có vectơ.", "g1", 3, 4)
    logging.getLogger("assistant.ui.chat").warning("chat: %r failed", "câu hỏi")
    logging.getLogger("assistant.ui.chat").debug("not shown at INFO")
    lines = stream.getvalue().splitlines()
    assert lines[0] == "Thế hệ chỉ mục g1: 3/4 đoạn có vectơ."
    assert lines[1].endswith("WARNING assistant.ui.chat: chat: 'câu hỏi' failed")
    assert len(lines) == 2


def test_configuring_twice_keeps_one_handler():
    logs.configure("INFO", io.StringIO())
    stream = io.StringIO()
    logs.configure("WARNING", stream)
    logging.getLogger("assistant.index.lock").info("hidden")
    logging.getLogger("assistant.index.lock").error("shown once")
    assert stream.getvalue().count("shown once") == 1 and "hidden" not in stream.getvalue()


def test_setting_and_debug_flag_choose_the_level(monkeypatch, capsys):
    monkeypatch.setenv("NTM_LOG_LEVEL", "error")
    assert cli.main(["criteria", "--list"]) == 0
    assert logging.getLogger("assistant").level == logging.ERROR
    assert cli.main(["criteria", "--list", "--debug"]) == 0
    assert logging.getLogger("assistant").level == logging.DEBUG


def test_importing_the_package_sets_up_no_logging():
    code = (
        "import logging, assistant.service, assistant.ui.app, assistant.index.builder; "
        "print(len(logging.getLogger('assistant').handlers), len(logging.getLogger().handlers))"
    )
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["0", "0"]
