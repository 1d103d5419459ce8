"""One writer per index folder: an exclusive lock that other processes (and threads) wait for.

The lock is the operating system's (``flock`` on ``index/.lock``), so a writer killed with
``kill -9`` releases it at once and nothing stale is left to clean up. It holds between machines
where the filesystem passes ``flock`` on to its server (NFS, SMB from Linux 5.5); see
docs/security.md, "Nhiều máy chủ / Several replicas".
"""

from __future__ import annotations

import errno
import fcntl
import logging
import os
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from assistant import errors

log = logging.getLogger(__name__)

# A lock held elsewhere: EWOULDBLOCK locally and over NFS; EACCES as well, which SMB may answer (and
# flock never returns otherwise).
BUSY = (errno.EAGAIN, errno.EWOULDBLOCK, errno.EACCES)

_local = threading.local()  # the folders this thread already holds, so a nested call does not wait


@contextmanager
def writer_lock(index_dir: Path, wait_s: float | None = None):
    """Hold the index folder's writer lock; waits for another writer (saying so on stderr once),
    at most ``wait_s`` seconds when given, then raises ``IndexBusy``."""
    index_dir = Path(index_dir)
    key = str(index_dir.resolve())
    held: set[str] = getattr(_local, "held", set())
    if key in held:
        yield
        return
    index_dir.mkdir(parents=True, exist_ok=True)
    handle = open(index_dir / ".lock", "a+", encoding="utf-8")
    try:
        _acquire(handle, index_dir, wait_s)
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        _local.held = held | {key}
        try:
            yield
        finally:
            _local.held = held
            fcntl.flock(handle, fcntl.LOCK_UN)
    finally:
        handle.close()


def _acquire(handle, index_dir: Path, wait_s: float | None) -> None:
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return
    except OSError as exc:
        if exc.errno not in BUSY:
            raise
    try:
        handle.seek(0)
        holder = handle.read().strip() or "?"
    except OSError:  # SMB makes the lock mandatory: the holder's file does not read (EACCES) while held
        holder = "?"
    if wait_s is not None and wait_s <= 0:
        raise errors.IndexBusy(index_dir, holder)
    log.info(
        "Tiến trình %s đang lập chỉ mục %s; đang chờ nó xong... / process %s is indexing %s; "
        "waiting for it to finish...",
        holder,
        index_dir,
        holder,
        index_dir,
    )
    deadline = None if wait_s is None else time.monotonic() + wait_s
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (fcntl.LOCK_NB if deadline else 0))
            return
        except OSError as exc:
            if exc.errno not in BUSY:
                raise
            if deadline is not None and time.monotonic() > deadline:  # only a non-blocking try raises
                raise errors.IndexBusy(index_dir, holder) from None
            time.sleep(0.2)
