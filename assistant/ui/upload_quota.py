"""A quota on the web app's upload route, which anyone who reaches the app may call without a
password: per client, bytes and files in a window, and for all clients, the bytes in Gradio's upload
folder. Enforced while the request is read, before its files are stored (docs/security.md,
"Uploads in the web app")."""

from __future__ import annotations

import functools
import json
import logging
import math
import os
import time
from dataclasses import dataclass
from pathlib import Path

from assistant import errors
from assistant.settings import UploadQuota
from assistant.ui.admin_door import client_address, networks

log = logging.getLogger(__name__)

MB = 1024 * 1024
_MAX_CLIENTS = 10_000  # clients remembered at most; past it, those with nothing in the window are forgotten


@dataclass
class _Sent:
    """One upload request of one client: when it began and what it has sent so far."""

    at: float
    bytes: int = 0
    files: int = 1  # a request counts as one file at least, so empty ones cannot be sent without end


class _OverQuota(Exception):
    """Raised inside the request's body stream when the quota runs out part-way."""


class UploadQuotaMiddleware:
    """ASGI middleware counting POST requests to a path ending in ``/upload`` against ``quota``.

    A request whose declared length (Content-Length) already passes what is left is refused before a
    byte of it is read. Otherwise the body is counted as it streams — its bytes, and its files by the
    multipart boundaries that start them — and the request is stopped at the chunk that passes the
    quota: Gradio's parser then deletes the parts it had begun, and the client gets 429.
    """

    def __init__(self, app, quota: UploadQuota, trusted_proxies: str = "", clock=time.monotonic):
        self.app = app
        self.quota = quota
        self.proxies = networks(trusted_proxies)
        self._clock = clock
        self._sent: dict[str, list[_Sent]] = {}
        self._in_flight = 0  # bytes of requests being read, not all on disk yet

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "POST" or not scope["path"].rstrip("/").endswith("/upload"):
            await self.app(scope, receive, send)
            return
        import anyio.to_thread
        from starlette.requests import Request

        request = Request(scope)
        client = client_address(request, self.proxies)
        folder = Path(getattr(scope.get("app"), "uploaded_file_dir", None) or _gradio_folder())
        declared = _length(request.headers.get("content-length"))
        stored = await anyio.to_thread.run_sync(_folder_bytes, folder)  # a walk of the folder: off the loop
        refusal = self._admit(client, declared, stored)
        if refusal is not None:
            await _refuse(send, refusal)
            return
        sent = _Sent(self._clock())
        self._sent.setdefault(client, []).append(sent)
        counter = _Boundaries(request.headers.get("content-type", ""))
        over: list[errors.UploadQuotaExceeded] = []
        started = False

        async def counted():
            message = await receive()
            if message["type"] == "http.request":
                body = message.get("body", b"")
                sent.bytes += len(body)
                self._in_flight += len(body)
                sent.files = max(1, counter.feed(body) - 1)  # the last boundary closes the body
                stop = self._passed(client, stored)
                if stop is not None:
                    over.append(stop)
                    # Gradio's parser deletes the files it began on its own exception class.
                    raise _over_quota()("upload quota")
            return message

        async def guarded(message):
            nonlocal started
            if over:
                return  # Gradio's answer to the stopped request; ours is sent below
            started = True
            await send(message)

        try:
            await self.app(scope, counted, guarded)
        except _OverQuota:
            pass
        finally:
            self._in_flight -= sent.bytes
            if over:  # nothing of it was kept: not held against the client
                self._sent[client] = [s for s in self._sent.get(client, ()) if s is not sent]
        if over and not started:
            await _refuse(send, over[0])

    def _admit(self, client: str, declared: int, stored: int) -> errors.UploadQuotaExceeded | None:
        """Why a new request may not start (its declared length counted), or None; ``stored``: the
        bytes in the upload folder."""
        self._forget()
        used, files = self._used(client)
        if files >= self.quota.client_files or used + declared > self.quota.client_mb * MB:
            return self._refusal(client, f"{files} files, {used + declared} bytes in the window")
        # Bytes being read are counted twice (in flight and, in part, on disk): it errs on refusing.
        if stored + self._in_flight + declared > self.quota.folder_mb * MB:
            return self._refusal(None, f"the upload folder would pass {self.quota.folder_mb} MB")
        return None

    def _passed(self, client: str, stored: int) -> errors.UploadQuotaExceeded | None:
        """Why a request being read must stop now, or None."""
        used, files = self._used(client)
        if files > self.quota.client_files or used > self.quota.client_mb * MB:
            return self._refusal(client, f"{files} files, {used} bytes in the window")
        if stored + self._in_flight > self.quota.folder_mb * MB:
            return self._refusal(None, f"the upload folder would pass {self.quota.folder_mb} MB")
        return None

    def _used(self, client: str) -> tuple[int, int]:
        """Bytes and files ``client`` has sent in the window."""
        since = self._clock() - self.quota.window_minutes * 60
        recent = [s for s in self._sent.get(client, ()) if s.at > since]
        if recent:
            self._sent[client] = recent  # older requests are forgotten
        return sum(s.bytes for s in recent), sum(s.files for s in recent)

    def _refusal(self, client: str | None, why: str) -> errors.UploadQuotaExceeded:
        """The refusal for ``client`` (None: all clients, the folder is full), logged."""
        window = self.quota.window_minutes * 60
        now = self._clock()
        if client is None:
            wait = window  # the folder empties as uploads are indexed or grow an hour old
        else:
            oldest = min((s.at for s in self._sent.get(client, ()) if s.at > now - window), default=now - window)
            wait = oldest + window - now
        minutes = max(1, math.ceil(wait / 60))
        log.warning("upload refused for %s: %s (quota %s)", client or "all clients", why, self.quota)
        return errors.UploadQuotaExceeded(minutes)

    def _forget(self) -> None:
        """Drop requests older than the window, and clients with none left when there are too many."""
        since = self._clock() - self.quota.window_minutes * 60
        if len(self._sent) < _MAX_CLIENTS:
            return
        self._sent = {c: kept for c, sent in self._sent.items() if (kept := [s for s in sent if s.at > since])}


class _Boundaries:
    """Counts the multipart boundaries in a body fed piece by piece (one starts each part, one ends
    the body), a boundary cut between two pieces included."""

    def __init__(self, content_type: str):
        boundary = ""
        for param in content_type.split(";")[1:]:
            key, _, value = param.strip().partition("=")
            if key.lower() == "boundary":
                boundary = value.strip('"')
        self.mark = b"--" + boundary.encode("latin-1") if boundary else b""
        self.count = 0
        self._tail = b""

    def feed(self, body: bytes) -> int:
        """The boundaries seen so far, ``body`` included."""
        if not self.mark:
            return 0
        data = self._tail + body
        self.count += data.count(self.mark)
        keep = len(self.mark) - 1  # a boundary begun at the end of this piece ends in the next
        self._tail = data[-keep:] if keep else b""
        return self.count


@functools.cache
def _over_quota() -> type[Exception]:
    """An exception class Gradio's multipart parser catches and cleans up after (deleting the files
    it began), and that the middleware knows as its own."""
    try:
        from gradio.route_utils import MultiPartException
    except ImportError:  # pragma: no cover - another Gradio: the request still stops
        return _OverQuota
    return type("UploadOverQuota", (_OverQuota, MultiPartException), {})


async def _refuse(send, refusal: errors.UploadQuotaExceeded) -> None:
    body = json.dumps({"error": refusal.message(), "vi": refusal.vi, "en": refusal.en}, ensure_ascii=False)
    await send(
        {
            "type": "http.response.start",
            "status": 429,
            "headers": [
                (b"content-type", b"application/json; charset=utf-8"),
                (b"retry-after", str(refusal.minutes * 60).encode()),
                (b"connection", b"close"),  # the body not read is not waited for
            ],
        }
    )
    await send({"type": "http.response.body", "body": body.encode()})


def _length(value: str | None) -> int:
    try:
        return max(0, int(value or 0))
    except ValueError:
        return 0


def _folder_bytes(folder: Path) -> int:
    """Bytes of the files under ``folder`` (none when it does not exist)."""
    total = 0
    for root, _dirs, files in os.walk(folder):
        for name in files:
            try:
                total += os.stat(os.path.join(root, name)).st_size
            except OSError:
                continue  # deleted meanwhile (indexed, or grown an hour old)
    return total


def _gradio_folder() -> str:
    from gradio.utils import get_upload_folder

    return get_upload_folder()
