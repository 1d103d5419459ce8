"""Who goes first on shared cores: indexing a document before answering questions.

``ntm serve`` answers at a lower priority than indexing (a Linux nice value, ``serve_nice``): while
many people ask back to back, an upload or an ``ntm index`` run still gets most of a core, and
answers are slower only while it runs. A thread's nice value is inherited by the threads it starts
and cannot be lowered again without privileges, so the thread that indexes the web app's uploads is
started before the app gives way (``IndexThread``)."""

from __future__ import annotations

import os
import threading
from concurrent.futures import Future, ThreadPoolExecutor

SENTENCES_NICE = 10  # answer sentences embedded in the background: after questions (``serve_nice`` < 10)


def give_way(nice: int) -> None:
    """Raise the calling thread's nice value to ``nice`` (Linux: per thread, inherited by the
    threads it starts; elsewhere nothing happens)."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), nice)
    except (AttributeError, OSError):
        pass


def nice(thread: threading.Thread | None = None) -> int | None:
    """A thread's nice value, the calling thread's by default (None where it cannot be read)."""
    try:
        return os.getpriority(os.PRIO_PROCESS, (thread.native_id if thread else None) or threading.get_native_id())
    except (AttributeError, OSError):
        return None


class IndexThread:
    """One thread, started now at the caller's priority, that runs indexing jobs one after another
    (uploads queue behind each other)."""

    def __init__(self):
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="ntm-index")
        self._pool.submit(lambda: None).result()  # the thread exists now, before anyone gives way

    def submit(self, job, *args) -> Future:
        return self._pool.submit(job, *args)
