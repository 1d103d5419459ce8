"""The administrator password of the web app's documents tab: compared in constant time, and wrong
guesses slowed (a doubling wait) and then stopped (a lock-out, logged), per client and for all
clients together (docs/security.md, "The administrator password")."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import logging
import threading
import time
from dataclasses import dataclass

from assistant import errors
from assistant.settings import AdminThrottle, Settings
from assistant.ui.render import strings

log = logging.getLogger(__name__)

EVERYONE = "*"  # the key of the count over all clients
_MAX_CLIENTS = 10_000  # counts kept at most; past it, the ones not locked are forgotten


@dataclass
class _Count:
    failures: int = 0
    last: float = 0.0
    locked_until: float = 0.0


class AdminDoor:
    """Checks the administrator password for one running app (shared by all its sessions)."""

    def __init__(self, password: str | None, throttle: AdminThrottle, trusted_proxies: str = "", clock=time.monotonic):
        self._digest = hashlib.sha256(password.encode()).digest() if password else None
        self.throttle = throttle
        self.proxies = networks(trusted_proxies)
        self._clock = clock
        self._counts: dict[str, _Count] = {}
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Settings) -> AdminDoor:
        return cls(settings.admin_password, settings.admin_throttle, settings.trusted_proxies)

    @property
    def enabled(self) -> bool:
        return self._digest is not None

    def client(self, request) -> str:
        """The client's address (``client_address`` with this app's trusted proxies)."""
        return client_address(request, self.proxies)

    def refusal(self, given: str | None, request) -> errors.AssistantError | None:
        """None when ``given`` is the password and the client may try now; otherwise why not."""
        client = self.client(request)
        # Digests of equal length, compared in constant time: neither the password nor its length shows.
        guess = hashlib.sha256((given or "").encode()).digest()
        with self._lock:  # one guess at a time: parallel requests cannot slip past a wait
            now = self._clock()
            waiting = self._waiting(client, now) or self._waiting(EVERYONE, now)
            if waiting is not None:
                return waiting  # not even compared: a right password must wait too
            if self._digest is not None and hmac.compare_digest(guess, self._digest):
                self._counts.pop(client, None)
                return None
            self._failed(client, now, self.throttle.lock_after)
            self._failed(EVERYONE, now, self.throttle.global_lock_after)
        return _message("wrong_password", "wrong administrator password")

    def _waiting(self, key: str, now: float) -> errors.AssistantError | None:
        count = self._counts.get(key)
        if count is None:
            return None
        if count.locked_until > now:
            minutes = max(1, round((count.locked_until - now) / 60))
            name = "locked_all" if key == EVERYONE else "locked"
            return _message(name, f"administrator login locked for {minutes} min", minutes=minutes)
        if now - count.last > self.throttle.lock_minutes * 60:
            self._counts.pop(key)  # wrong passwords long ago are forgotten
            return None
        free = self.throttle.free_attempts if key != EVERYONE else self.throttle.global_free_attempts
        if count.failures >= free:
            ready = count.last + self.throttle.delay_s * 2 ** (count.failures - free)
            if ready > now:
                seconds = max(1, round(ready - now + 0.49))
                return _message("wait_password", f"too many wrong passwords; wait {seconds} s", seconds=seconds)
        return None

    def _failed(self, key: str, now: float, lock_after: int) -> None:
        if len(self._counts) >= _MAX_CLIENTS:
            self._counts = {k: c for k, c in self._counts.items() if c.locked_until > now or k == EVERYONE}
        count = self._counts.setdefault(key, _Count())
        count.failures += 1
        count.last = now
        if count.failures >= lock_after:
            count.locked_until = now + self.throttle.lock_minutes * 60  # then forgotten: a fresh count
            who = "all clients" if key == EVERYONE else key
            log.warning(
                "administrator login locked for %g min for %s after %d wrong passwords",
                self.throttle.lock_minutes,
                who,
                lock_after,
            )


def client_address(request, proxies: list) -> str:
    """The client's address: the connection's, or — only when that is a trusted proxy — the last
    address in X-Forwarded-For that is not itself a trusted proxy. ``request`` is a Gradio or
    Starlette request (anything with ``client.host`` and ``headers``)."""
    host = getattr(getattr(request, "client", None), "host", None) or "?"
    if not _trusted(host, proxies):
        return host
    headers = getattr(request, "headers", None) or {}
    hops = [h.strip() for h in (headers.get("x-forwarded-for") or "").split(",") if h.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, proxies):
            return hop
    return hops[0] if hops else host


def _trusted(address: str, proxies: list) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in proxies)


def networks(text: str) -> list:
    """The trusted proxies of the setting (``trusted_proxies``), as networks (a single address is a
    /32 or /128)."""
    networks = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        try:
            networks.append(ipaddress.ip_network(part, strict=False))
        except ValueError as exc:
            raise errors.BadInput(
                f"NTM_TRUSTED_PROXIES: '{part}' không phải địa chỉ IP hay mạng (ví dụ 127.0.0.1 hoặc 10.0.0.0/8).",
                f"NTM_TRUSTED_PROXIES: '{part}' is not an IP address or network (e.g. 127.0.0.1 or 10.0.0.0/8).",
            ) from exc
    return networks


def _message(name: str, english: str, **values) -> errors.AssistantError:
    return errors.AssistantError(strings()["library"][name].format(**values), english)
