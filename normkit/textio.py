"""Reading text safely in constant memory, and writing outputs atomically.

Input is read in binary chunks and decoded incrementally, so invalid UTF-8 is reported with its
byte offset and a binary file is refused before anything is written.
"""
from __future__ import annotations

import codecs
import os
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Callable, Iterator, TextIO

from .errors import InputError

CHUNK_BYTES = 1 << 16
CHUNK_CHARS = 1 << 18  # text cleaned together: names are matched with the chunk's context
MAX_CHUNK_CHARS = 1 << 20  # a paragraph longer than this is cleaned in pieces (at line ends)
_BINARY_SNIFF = 8192


def _open_binary(path: str) -> BinaryIO:
    if path == "-":
        return sys.stdin.buffer
    p = Path(path)
    if p.is_dir():
        raise InputError(f"{path}: is a directory, not a text file")
    try:
        return p.open("rb")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except PermissionError:
        raise InputError(f"{path}: permission denied") from None


def input_size(path: str) -> int | None:
    """Size in bytes, for a progress bar; None for stdin or a file that cannot be read."""
    try:
        return None if path == "-" else os.path.getsize(path)
    except OSError:
        return None  # iter_lines reports why, in one line


def iter_lines(path: str, *, errors: str = "strict",
               on_bytes: Callable[[int], None] | None = None) -> Iterator[str]:
    """The lines of a UTF-8 file (or ``-`` for stdin), each with its line ending, decoded lazily.

    Raises :class:`InputError` for a missing file, binary data (a NUL byte in the first 8 KiB) or
    invalid UTF-8 (unless ``errors="replace"``).
    """
    name = "<stdin>" if path == "-" else path
    stream = _open_binary(path)
    decoder = codecs.getincrementaldecoder("utf-8")(errors=errors)
    offset = 0
    pending = ""
    try:
        while True:
            chunk = stream.read(CHUNK_BYTES)
            if offset == 0 and b"\x00" in chunk[:_BINARY_SNIFF]:
                raise InputError(f"{name}: looks like binary data (NUL byte at offset "
                                 f"{chunk.index(0)}), not text")
            try:
                text = decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as exc:
                raise InputError(f"{name}: invalid UTF-8 at byte {offset + exc.start} "
                                 f"(use --errors replace to substitute U+FFFD)") from None
            offset += len(chunk)
            if on_bytes is not None:
                on_bytes(len(chunk))
            pending += text
            lines = pending.splitlines(keepends=True)
            # The last piece may be an unfinished line; keep it for the next chunk.
            pending = lines.pop() if lines and chunk and not lines[-1].endswith(("\n", "\r")) else ""
            yield from lines
            if not chunk:
                if pending:
                    yield pending
                return
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()


def iter_paragraphs(lines: Iterator[str], max_chars: int = MAX_CHUNK_CHARS) -> Iterator[str]:
    """Group lines into paragraphs (ending after a blank line); a longer one is cut at a line end."""
    return iter_chunks(lines, size=0, limit=max_chars)


def iter_chunks(lines: Iterator[str], size: int = CHUNK_CHARS, limit: int = MAX_CHUNK_CHARS) -> Iterator[str]:
    """Group lines into chunks of whole paragraphs of about ``size`` characters, so names are
    matched with their document's context while memory stays bounded (a chunk past ``limit`` is
    cut at a line end)."""
    buffer: list[str] = []
    total = 0
    for line in lines:
        buffer.append(line)
        total += len(line)
        if (total >= size and not line.strip()) or total >= limit:
            yield "".join(buffer)
            buffer, total = [], 0
    if buffer:
        yield "".join(buffer)


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


@contextmanager
def open_output(path: str | None, *, input_path: str | None = None) -> Iterator[TextIO]:
    """Stdout for ``None`` or ``-``; else a temp file beside ``path``, renamed over it on success
    (so a failed run never leaves half a file), and never the input itself."""
    if path is None or path == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    if input_path and input_path != "-" and _same_file(path, input_path):
        raise InputError(f"{path}: refusing to overwrite the input; choose another -o")
    target = Path(path)
    if not target.parent.is_dir():
        raise InputError(f"{path}: no such directory {target.parent}")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            yield handle
        os.replace(tmp, target)
    except BaseException:
        os.unlink(tmp)
        raise
