"""The package's log: one handler on the ``assistant`` logger, set up by the entry points (``ntm``,
``ntm serve``) and never at import, so a program that imports the package keeps its own logging."""

from __future__ import annotations

import logging
import sys

LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


class _Formatter(logging.Formatter):
    """Progress (INFO) as the plain line people read, e.g. ``ntm index``'s; the rest with its level,
    logger and time, for whoever reads a server's log."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        if record.levelno == logging.INFO:
            return record.getMessage()
        return super().format(record)


def configure(level: str = "INFO", stream=None) -> None:
    """Send the package's records at ``level`` and above to ``stream`` (stderr); calling it again
    replaces the handler instead of adding a second one."""
    logger = logging.getLogger("assistant")
    for handler in [h for h in logger.handlers if getattr(h, "_ntm", False)]:
        logger.removeHandler(handler)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler._ntm = True  # type: ignore[attr-defined]
    handler.setFormatter(_Formatter())
    logger.addHandler(handler)
    logger.setLevel(level.upper())
    logger.propagate = False
