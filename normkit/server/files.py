"""Translated files waiting to be downloaded (``/translate_file`` then ``/download_file/NAME``).

Kept in memory for a while, the oldest dropped first when they take too much room; a name is
random, so knowing it is what lets one download the file (as in LibreTranslate).
"""
from __future__ import annotations

import re
import secrets
import unicodedata
from urllib.parse import quote
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Callable

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_MAX_NAME_CHARS = 100


@dataclass(frozen=True)
class StoredFile:
    filename: str   # what the client called it, without folders or control characters
    data: bytes
    media_type: str
    expires: float

    def content_disposition(self) -> str:
        """An ASCII name for old clients, the real one (RFC 6266 ``filename*``) for the rest."""
        return f"attachment; filename=\"{safe_filename(self.filename)}\"; filename*=UTF-8''{quote(self.filename, safe='')}"


def base_name(name: str) -> str:
    """The last path component, without control characters."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")[-_MAX_NAME_CHARS:] or "file"


def safe_filename(name: str) -> str:
    """An ASCII file name, safe in a URL and a quoted header value."""
    stem, dot, ext = base_name(name).rpartition(".")
    if not dot:
        stem, ext = ext, ""
    stem = _UNSAFE.sub("_", stem).strip("._") or "file"
    ext = _UNSAFE.sub("", ext)
    return f"{stem}.{ext}" if ext else stem


class FileStore:
    def __init__(self, max_bytes: int, keep_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._files: OrderedDict[str, StoredFile] = OrderedDict()
        self._max_bytes, self._keep_s, self._clock = max_bytes, keep_s, clock
        self._bytes = 0
        self._lock = threading.Lock()

    def put(self, filename: str, data: bytes, media_type: str) -> str:
        name = f"{secrets.token_hex(16)}.{safe_filename(filename)}"
        with self._lock:
            self._expire()
            self._files[name] = StoredFile(base_name(filename), data, media_type, self._clock() + self._keep_s)
            self._bytes += len(data)
            while self._bytes > self._max_bytes and len(self._files) > 1:
                _, old = self._files.popitem(last=False)
                self._bytes -= len(old.data)
        return name

    def get(self, name: str) -> StoredFile | None:
        with self._lock:
            self._expire()
            return self._files.get(name)

    def _expire(self) -> None:
        now = self._clock()
        while self._files:
            name, oldest = next(iter(self._files.items()))
            if oldest.expires > now:
                break
            del self._files[name]
            self._bytes -= len(oldest.data)
