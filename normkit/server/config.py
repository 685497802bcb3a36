"""What a server is told: :class:`ServerConfig`, its defaults, and the API-key file format."""
from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping

from normkit.errors import NormkitError

# --- the numbers that decide behaviour, kept together -----------------------------------------
DEFAULT_HOST = "127.0.0.1"        # loopback: nothing off this machine reaches the server unless told
DEFAULT_PORT = 5000               # LibreTranslate's port, so its clients' defaults work
MAX_BODY_BYTES = 2 << 20          # a request body larger than this is refused (413)
CHAR_LIMIT = 100_000              # characters of q (all items together) per request (413 beyond)
BATCH_LIMIT = 512                 # items in a q array (413 beyond)
REQUEST_TIMEOUT_S = 60.0          # reading a body, and waiting for its result (408 / 503 beyond)
REQ_LIMIT_PER_MINUTE = 0          # requests per minute per API key (or client address); 0: no limit
MAX_PENDING_CHARS = 2_000_000     # characters queued for work before new requests get 503
BATCH_WINDOW_S = 0.005            # how long the first request of a batch waits for others to join
BATCH_MAX_CHARS = 200_000         # characters in one translate_many call
BATCH_MAX_JOBS = 256              # requests in one translate_many call
MAX_CONNECTIONS = 1024            # open connections before uvicorn answers 503 itself
MAX_TRACKED_CLIENTS = 10_000      # rate-limit buckets kept; the least recently seen are dropped
FILE_KEEP_S = 600.0               # a translated file can be downloaded for this long
FILE_STORE_BYTES = 64 << 20       # translated files kept in memory, in all


@dataclass(frozen=True)
class ServerConfig:
    """Everything ``normkit serve`` decides. ``api_keys`` maps a key to its own per-minute limit
    (None: the server's ``req_limit``); when it is non-empty every API call needs a key."""

    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    api_keys: Mapping[str, int | None] = field(default_factory=dict)
    req_limit: int = REQ_LIMIT_PER_MINUTE
    max_body_bytes: int = MAX_BODY_BYTES
    char_limit: int = CHAR_LIMIT
    batch_limit: int = BATCH_LIMIT
    timeout: float = REQUEST_TIMEOUT_S
    max_pending_chars: int = MAX_PENDING_CHARS
    batch_window: float = BATCH_WINDOW_S
    batch_max_chars: int = BATCH_MAX_CHARS
    batch_max_jobs: int = BATCH_MAX_JOBS
    max_connections: int = MAX_CONNECTIONS
    clean: bool = True                          # translation cleans first, as normkit.translate does
    # normkit.load(...) options of the server's Normalizer, for /clean (translation cleans as
    # normkit.translate does, with the defaults).
    normalizer_options: Mapping[str, object] = field(default_factory=dict)
    allowed_hosts: tuple[str, ...] = ()         # Host headers accepted besides the loopback names
    cors_origins: tuple[str, ...] = ()          # browser origins allowed to call the API ("*": any)
    access_log: bool = False                    # off by default: query strings may carry api_key

    def __post_init__(self) -> None:
        for name in ("max_body_bytes", "char_limit", "batch_limit", "max_pending_chars",
                     "batch_max_chars", "batch_max_jobs", "max_connections"):
            if getattr(self, name) <= 0:
                raise NormkitError(f"{name.replace('_', '-')} must be positive")
        if self.req_limit < 0:
            raise NormkitError("req-limit must be 0 (no limit) or positive")
        if not self.timeout > 0:
            raise NormkitError("timeout must be positive")
        if not 0 <= self.port <= 65535:
            raise NormkitError(f"port must be between 0 and 65535, not {self.port}")

    @property
    def loopback_only(self) -> bool:
        """Bound to this machine only: then Host headers must name it (no DNS rebinding)."""
        return is_loopback(self.host)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def parse_api_keys(lines: Iterable[str], source: str) -> dict[str, int | None]:
    """API keys, one a line: ``KEY`` or ``KEY LIMIT`` (requests per minute); ``#`` starts a comment."""
    keys: dict[str, int | None] = {}
    for number, raw in enumerate(lines, start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        if len(parts) > 2:
            raise NormkitError(f"{source}:{number}: expected KEY or KEY LIMIT, found {len(parts)} fields")
        limit: int | None = None
        if len(parts) == 2:
            if not parts[1].isdigit():
                raise NormkitError(f"{source}:{number}: the limit must be a whole number of requests per minute")
            limit = int(parts[1])
        keys[parts[0]] = limit
    return keys


def load_api_keys(path: str | Path) -> dict[str, int | None]:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise NormkitError(f"{path}: cannot read the API key file ({exc})") from None
    keys = parse_api_keys(text.splitlines(), str(path))
    if not keys:
        raise NormkitError(f"{path}: no API keys in the file")
    return keys
