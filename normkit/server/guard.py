"""Who may call, and how often: API keys and a token-bucket rate limit per key or client."""
from __future__ import annotations

import hashlib
import math
import threading
import time
from collections import OrderedDict
from typing import Callable, Mapping

_NOT_FOUND = object()


def _digest(key: str) -> bytes:
    # Keys are looked up by digest, so comparing a guess takes no longer when it shares a prefix.
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).digest()


class KeyRing:
    """The accepted API keys, each with its own per-minute limit or None for the server's."""

    def __init__(self, keys: Mapping[str, int | None]) -> None:
        self._limits = {_digest(k): v for k, v in keys.items()}

    def __bool__(self) -> bool:
        return bool(self._limits)

    def check(self, key: str) -> tuple[bool, int | None]:
        """(known, its own limit)."""
        found = self._limits.get(_digest(key), _NOT_FOUND)
        if found is _NOT_FOUND:
            return False, None
        assert found is None or isinstance(found, int)
        return True, found

    @staticmethod
    def client_id(key: str) -> str:
        """A name for rate limiting that does not keep the key itself in memory."""
        return "key:" + _digest(key).hex()[:32]


class RateLimiter:
    """``limit`` requests per minute per client, refilled continuously (a token bucket)."""

    def __init__(self, max_clients: int, clock: Callable[[], float] = time.monotonic) -> None:
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # client -> (tokens, when)
        self._max_clients = max_clients
        self._clock = clock
        self._lock = threading.Lock()

    def take(self, client: str, limit: int) -> float:
        """0 when the request may go on, else the seconds until it could. ``limit`` 0: no limit."""
        if limit <= 0:
            return 0.0
        now = self._clock()
        rate = limit / 60.0
        with self._lock:
            tokens, when = self._buckets.pop(client, (float(limit), now))
            tokens = min(float(limit), tokens + (now - when) * rate)
            wait = 0.0
            if tokens >= 1.0:
                tokens -= 1.0
            else:
                wait = (1.0 - tokens) / rate
            self._buckets[client] = (tokens, now)  # most recently seen last
            while len(self._buckets) > self._max_clients:
                self._buckets.popitem(last=False)
            return wait


def retry_after(wait: float) -> str:
    return str(max(1, math.ceil(wait)))
