"""The command line's standard streams when they are closed or break.

* A closed stream (``>&-``, ``2>&-``, ``<&-``) leaves its file descriptor free, so the next file
  opened (an ``-o`` temp file) would take number 1 or 2 and receive whatever is written to stdout or
  stderr; and Python sets ``sys.stderr`` to None, which makes ``print(file=sys.stderr)`` write to
  stdout. :func:`guard` puts ``/dev/null`` on each closed descriptor first. A closed stdout becomes
  :class:`ClosedStdout`, which fails with one line the first time something is written to it.
* Stderr only carries messages: trouble writing them (a reader that went away, ``2>&1 | head -1``;
  a full disk) must never stop the work. :class:`SafeStderr` drops what cannot be written.
"""
from __future__ import annotations

import io
import os
import sys
from typing import Any

from .errors import OutputError

STDIN, STDOUT, STDERR = 0, 1, 2


def _is_open(fd: int) -> bool:
    try:
        os.fstat(fd)
        return True
    except OSError:
        return False


def _devnull_on(fd: int) -> None:
    null = os.open(os.devnull, os.O_RDWR)
    if null != fd:
        os.dup2(null, fd)
        os.close(null)


class ClosedStdout(io.TextIOBase):
    """Stdout when it was closed: writing anything is a one-line error (exit 2), not a traceback."""

    def write(self, text: str, /) -> int:
        if not text:
            return 0
        raise OutputError("cannot write to stdout: it is closed (write to a file with -o FILE)")

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False


class SafeStderr(io.TextIOBase):
    """Stderr that never raises: after a failed write (broken pipe, full disk, closed stream) the
    rest is dropped and descriptor 2 goes to /dev/null (so child processes and the exit-time flush
    do not fail either)."""

    def __init__(self, inner: Any) -> None:
        super().__init__()
        self.inner = inner
        self.broken = False

    def write(self, text: str, /) -> int:
        if not self.broken:
            try:
                self.inner.write(text)
            except (OSError, ValueError):
                self._break()
        return len(text)

    def flush(self) -> None:
        if not self.broken:
            try:
                self.inner.flush()
            except (OSError, ValueError):
                self._break()

    def _break(self) -> None:
        self.broken = True
        try:
            _devnull_on(STDERR)
        except OSError:
            pass

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        try:
            return not self.broken and bool(self.inner.isatty())
        except (OSError, ValueError):
            return False

    def fileno(self) -> int:
        return int(self.inner.fileno())

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return str(getattr(self.inner, "encoding", "utf-8"))

    def __getattr__(self, name: str) -> Any:  # buffer, mode...: the real stream's
        if name == "inner":  # not set yet
            raise AttributeError(name)
        return getattr(self.inner, name)


def guard() -> None:
    """Make the standard streams safe for the CLI (see the module doc); call once, at start-up."""
    closed = [fd for fd in (STDIN, STDOUT, STDERR) if not _is_open(fd)]
    for fd in closed:  # lowest first: os.open takes the lowest free number
        _devnull_on(fd)
    if STDOUT in closed:
        sys.stdout = ClosedStdout()
    if STDERR in closed or sys.stderr is None:
        sys.stderr = open(STDERR, "w", encoding="utf-8", errors="backslashreplace", closefd=False)
    if not isinstance(sys.stderr, SafeStderr):
        sys.stderr = SafeStderr(sys.stderr)
    # A closed stdin stays None: the CLI then says there is no input, as for a terminal.
