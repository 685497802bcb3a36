"""Reading text in bounded memory, and writing outputs without damaging what is there.

Reading: input is read in binary blocks and decoded incrementally (UTF-8 by default; a UTF-16 or
UTF-32 byte-order mark is honoured; ``encoding="auto"`` detects cp1251, KOI8-R and the like with
charset-normalizer, and UTF-16/32 without a mark by its shape), so invalid data is reported with its
byte offset, and a binary file (a NUL byte in any block) is refused. Lines end at ``\\n``, ``\\r\\n`` or ``\\r`` only (not at the form feed,
U+2028, U+0085 or the other characters ``str.splitlines`` splits on). A line longer than
:data:`MAX_LINE_CHARS` comes out in pieces cut at a safe boundary (whitespace, else between two
characters that are not letters or digits), so memory stays bounded for any line length and reading
is linear.

Writing (:func:`open_output`): stdout, or a regular file replaced atomically through a temp file in
its directory (keeping its mode and owner; a new file gets the umask's mode); a writable file in a
directory that refuses new files is overwritten in place once the output is complete, its old
content kept aside until then (see :func:`_in_place`). A symbolic link is
followed and its target replaced (the link stays a link); a character device or a FIFO is written
through; a directory, a block device or a socket is refused, as is the file the input comes from.
"""
from __future__ import annotations

import codecs
import errno
import io
import os
import re
import select
import signal
import stat
import sys
import tempfile
import threading
import unicodedata
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterable, Iterator, NamedTuple, Protocol

from .errors import InputError, OutputError

READ_BYTES = 1 << 16
SNIFF_BYTES = 1 << 16      # bytes looked at to detect an encoding (--encoding auto)
# BOM-less UTF-16/32 (--encoding auto): its code units' high parts fall in one or two 256-character
# blocks (ASCII and, say, Cyrillic) for at least this share of the characters, and few are controls.
WIDE_MIN_BLOCK_SHARE = 0.9
WIDE_MAX_CONTROL_SHARE = 0.01
WIDE_MIN_CHARS = 4          # fewer characters than this tell nothing
MAX_LINE_CHARS = 1 << 18   # longer lines are cut into pieces of at most this many characters
CHUNK_CHARS = 1 << 18      # text cleaned together: names are matched with the chunk's context
MAX_CHUNK_CHARS = 1 << 20  # a paragraph longer than this is cleaned in pieces (at line ends)
SIGNAL_POLL_S = 0.25       # a wait for piped input wakes this often, so signal handlers run
AUTO = "auto"
# What --encoding auto chooses among (besides UTF-8 and byte-order marks): the Cyrillic code pages
# Russian files come in, and Western ones. Fewer candidates make short texts come out right.
AUTO_ENCODINGS = ("cp1251", "koi8_r", "koi8_u", "cp866", "mac_cyrillic", "iso8859_5", "cp1252", "iso8859_15")
DEFAULT_ENCODING = "utf-8"

_LINE_END = re.compile(r"\r\n|\r|\n")
_SPACE = re.compile(r"\s")
_BETWEEN_NON_WORDS = re.compile(r"(?<=\W)(?=\W)")
# Byte-order marks, longest first (the UTF-32-LE mark starts with the UTF-16-LE one).
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_WIDE = ("utf-16", "utf-32")  # encodings in which NUL bytes are normal
# Write errors that mean "the output cannot be written", not a bug: one line, exit 2.
_OUTPUT_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EROFS, errno.EPERM,
                  errno.EACCES}


class Piece(NamedTuple):
    """Part of a line: the whole line (with its ending) unless the line was too long."""

    text: str       # with the line ending when ``ends_line`` and the line had one
    line: int       # 1-based line number
    column: int     # characters of the same line before this piece
    ends_line: bool


def line_body(text: str) -> str:
    """``text`` without its line ending (``\\r\\n``, ``\\r`` or ``\\n``)."""
    if text.endswith("\r\n"):
        return text[:-2]
    return text[:-1] if text.endswith(("\n", "\r")) else text


def _display(path: str) -> str:
    return "<stdin>" if path == "-" else path


class _Source(Protocol):
    def read(self, size: int, /) -> bytes: ...


class _PipeReader:
    """Stdin when it is a pipe or a terminal, read so that SIGTERM/SIGHUP handlers always get to run.

    Python runs a signal handler between bytecodes; a signal that lands just before a blocking
    ``read`` starts would wait until data comes (forever, if the writer waits for us). So wait in
    ``select`` for at most :data:`SIGNAL_POLL_S` at a time, then read what is there.
    """

    def __init__(self, fd: int) -> None:
        self.fd = fd

    def read(self, size: int, /) -> bytes:
        while not select.select([self.fd], [], [], SIGNAL_POLL_S)[0]:
            pass
        return os.read(self.fd, size)


def _open_binary(path: str) -> tuple[_Source, Callable[[], None]]:
    """The input as a byte source, and how to close it (stdin stays open)."""
    if path == "-":
        try:
            fd = sys.stdin.fileno()
            regular = stat.S_ISREG(os.fstat(fd).st_mode)
        except (AttributeError, ValueError, OSError):  # stdin replaced (tests) or closed
            return sys.stdin.buffer, lambda: None
        return (sys.stdin.buffer if regular else _PipeReader(fd)), lambda: None
    p = Path(path)
    if p.is_dir():
        raise InputError(f"{path}: is a directory, not a text file")
    try:
        handle = p.open("rb")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except PermissionError:
        raise InputError(f"{path}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None
    return handle, handle.close


def input_size(path: str) -> int | None:
    """Size in bytes, for a progress bar; None for stdin or a file that cannot be read."""
    try:
        return None if path == "-" else os.path.getsize(path)
    except OSError:
        return None  # iter_lines reports why, in one line


def check_encoding(name: str) -> str:
    """``name`` if Python can decode text in it (or ``auto``); else :class:`InputError` in one line.
    Codecs that are not text encodings (rot13, base64, hex, zlib...) are refused here."""
    if name == AUTO:
        return name
    hint = "(try utf-8, cp1251, koi8-r, utf-16 or auto)"
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        raise InputError(f"unknown encoding {name!r} {hint}") from None
    try:
        b"a".decode(codec)  # bytes.decode refuses a codec that is not bytes -> str with LookupError
    except LookupError:
        raise InputError(f"--encoding {name}: not a text encoding {hint}") from None
    except (UnicodeError, ValueError):
        pass  # a text encoding that cannot decode one byte alone (utf-16)
    return codec


def _pretty(codec: str) -> str:
    return codec.upper() if codec.startswith("utf") else codec


def _read_at_least(stream: _Source, size: int) -> bytes:
    """Up to ``size`` bytes (fewer only at the end): a pipe may deliver less per read."""
    parts, total = [], 0
    while total < size:
        block = stream.read(size - total)
        if not block:
            break
        parts.append(block)
        total += len(block)
    return b"".join(parts)


def _is_utf8(sample: bytes, at_end: bool) -> bool:
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=at_end)
        return True
    except UnicodeDecodeError:
        return False


def _looks_wide(text: str) -> bool:
    """Whether ``text`` (the sample decoded as UTF-16/32) reads as text: no NUL, hardly any control
    characters, and nearly all characters in one or two 256-character blocks (a language's letters
    plus ASCII). Bytes decoded in the wrong width or byte order scatter over many blocks."""
    if len(text) < WIDE_MIN_CHARS or "\x00" in text:
        return False
    controls = sum(1 for c in text if c < " " and c not in "\t\n\r\f\v")
    if controls > WIDE_MAX_CONTROL_SHARE * len(text):
        return False
    blocks = Counter(ord(c) >> 8 for c in text).most_common(2)
    return sum(n for _, n in blocks) >= WIDE_MIN_BLOCK_SHARE * len(text)


def _wide_without_bom(sample: bytes) -> str | None:
    """UTF-32 or UTF-16 (LE or BE) without a byte-order mark, when the sample reads as text in it."""
    for codec in ("utf-32-le", "utf-32-be", "utf-16-le", "utf-16-be"):
        try:  # not final: the sample may end inside a character
            text = codecs.getincrementaldecoder(codec)().decode(sample, final=False)
        except UnicodeDecodeError:
            continue
        if _looks_wide(text):
            return codec
    return None


def _detect(sample: bytes, at_end: bool) -> str:
    """The encoding of ``sample`` (the start of the input): BOM-less UTF-16/32 when it has NUL bytes
    (or is not UTF-8) and reads as text in one of them, UTF-8 if it decodes, else
    charset-normalizer's best guess."""
    utf8 = _is_utf8(sample, at_end)
    if b"\x00" in sample or not utf8:
        wide = _wide_without_bom(sample)
        if wide is not None:
            return wide
    if utf8 or b"\x00" in sample:
        return "utf-8"  # with NUL bytes (not UTF-16/32): refused as binary data by the caller
    from charset_normalizer import from_bytes  # only when the input is not UTF-8

    best = from_bytes(sample, cp_isolation=list(AUTO_ENCODINGS)).best()
    if best is None:
        raise InputError("cannot tell the text's encoding; name it with --encoding (e.g. cp1251)")
    return codecs.lookup(best.encoding).name


def _choose_encoding(first: bytes, requested: str, at_end: bool) -> str:
    for bom, name in _BOMS:
        if first.startswith(bom) and (requested == AUTO or name in _WIDE):
            return name  # a byte-order mark is unambiguous; UTF-8 keeps its BOM unless auto
    return _detect(first, at_end) if requested == AUTO else requested


def iter_pieces(path: str, *, errors: str = "strict", encoding: str = DEFAULT_ENCODING,
                on_bytes: Callable[[int], None] | None = None,
                on_encoding: Callable[[str], None] | None = None,
                max_line_chars: int = MAX_LINE_CHARS) -> Iterator[Piece]:
    """The lines of a text file (or ``-`` for stdin), decoded lazily, a too-long line in pieces.

    Raises :class:`InputError` for a missing file, binary data (a NUL byte anywhere, outside UTF-16/32),
    or undecodable bytes (unless ``errors="replace"``), with the byte offset.
    ``on_encoding`` is told the encoding used (``auto`` resolved).
    """
    name = _display(path)
    requested = check_encoding(encoding)
    stream, close = _open_binary(path)
    try:
        first = _read_at_least(stream, SNIFF_BYTES if requested == AUTO else READ_BYTES)
        codec = _choose_encoding(first, requested, len(first) < SNIFF_BYTES)
        if on_encoding is not None:
            on_encoding(codec)
        narrow = not codec.startswith(_WIDE)  # NUL bytes are normal in UTF-16/32 only
        decoder = codecs.getincrementaldecoder(codec)(errors=errors)
        lines = _Lines(max_line_chars)
        offset = 0  # bytes handed to the decoder so far
        block = first
        while True:
            if narrow and b"\x00" in block:  # in any block, not only the first: binary data
                raise InputError(f"{name}: looks like binary data (NUL byte at offset "
                                 f"{offset + block.index(0)}), not text")
            try:
                text = decoder.decode(block, final=not block)
            except UnicodeDecodeError as exc:
                buffered = len(decoder.getstate()[0])
                where = offset - buffered + exc.start
                raise InputError(f"{name}: invalid {_pretty(codec)} at byte {max(where, 0)} (name the encoding "
                                 f"with --encoding, try --encoding auto, or --errors replace)") from None
            offset += len(block)
            if on_bytes is not None and block:
                on_bytes(len(block))
            yield from lines.feed(text, final=not block)
            if not block:
                return
            block = stream.read(READ_BYTES)
    except OSError as exc:
        raise InputError(f"{name}: cannot read: {exc.strerror}") from None
    finally:
        close()


class _Lines:
    """Splits decoded text into :class:`Piece` s; holds at most one unfinished line (bounded)."""

    def __init__(self, max_chars: int) -> None:
        self.max_chars = max_chars
        self.pending: list[str] = []  # the unfinished line, in parts
        self.pending_len = 0
        self.line = 1
        self.column = 0
        self.carry = ""  # a "\r" held back until the next text shows whether "\n" follows

    def feed(self, text: str, final: bool) -> Iterator[Piece]:
        text, self.carry = self.carry + text, ""
        if text.endswith("\r") and not final:
            # "\r" may be the first half of "\r\n": decide when the next text comes.
            text, self.carry = text[:-1], "\r"
        pos = 0
        for m in _LINE_END.finditer(text):
            self._add(text[pos:m.start()])
            yield from self._cut()
            line = "".join(self.pending) + m.group()
            yield Piece(line, self.line, self.column, True)
            self.pending, self.pending_len = [], 0
            self.line, self.column = self.line + 1, 0
            pos = m.end()
        self._add(text[pos:])
        yield from self._cut()
        if final and self.pending_len:
            yield Piece("".join(self.pending), self.line, self.column, True)
            self.pending, self.pending_len = [], 0

    def _add(self, part: str) -> None:
        if part:
            self.pending.append(part)
            self.pending_len += len(part)

    def _cut(self) -> Iterator[Piece]:
        while self.pending_len > self.max_chars:
            joined = "".join(self.pending)
            cut = safe_cut(joined, self.max_chars)
            yield Piece(joined[:cut], self.line, self.column, False)
            self.column += cut
            rest = joined[cut:]
            self.pending, self.pending_len = ([rest] if rest else []), len(rest)


def safe_cut(text: str, limit: int) -> int:
    """Where to cut ``text`` (longer than ``limit``) so the first piece has at most ``limit``
    characters and no word is split: after the last whitespace in the second half of the window,
    else between two characters that are not letters or digits, else before ``limit`` (never
    before a combining mark)."""
    lo = limit // 2
    last = None
    for last in _SPACE.finditer(text, lo, limit):
        pass
    if last is not None:
        return last.end()
    for last in _BETWEEN_NON_WORDS.finditer(text, lo, limit):
        pass
    if last is not None and last.start() > 0:
        return last.start()
    cut = limit
    while cut > 1 and unicodedata.combining(text[cut]):
        cut -= 1
    return cut


def iter_lines(path: str, *, errors: str = "strict", encoding: str = DEFAULT_ENCODING,
               on_bytes: Callable[[int], None] | None = None,
               on_encoding: Callable[[str], None] | None = None) -> Iterator[str]:
    """The lines of a text file, each with its line ending; a very long line in several pieces
    (see :func:`iter_pieces`)."""
    for piece in iter_pieces(path, errors=errors, encoding=encoding, on_bytes=on_bytes,
                             on_encoding=on_encoding):
        yield piece.text


def iter_paragraphs(lines: Iterable[str], max_chars: int = MAX_CHUNK_CHARS) -> Iterator[str]:
    """Group lines into paragraphs (ending after a blank line); a longer one is cut at a line end."""
    return iter_chunks(lines, size=0, limit=max_chars)


def iter_chunks(lines: Iterable[str], size: int = CHUNK_CHARS, limit: int = MAX_CHUNK_CHARS) -> Iterator[str]:
    """Group lines into chunks of whole paragraphs of about ``size`` characters, so names are
    matched with their document's context while memory stays bounded (a chunk past ``limit`` is
    cut at a line end, or where :func:`iter_pieces` cut a long line)."""
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


# ---------------------------------------------------------------- output


class TextSink(Protocol):
    """Where a command writes its output: stdout or the file of :func:`open_output`."""

    def write(self, text: str, /) -> int: ...


class _Counting:
    """Stdout that remembers whether anything went out (to say so when the input fails later)."""

    def __init__(self) -> None:
        self.written = 0

    def write(self, text: str, /) -> int:
        self.written += len(text)
        return sys.stdout.write(text)


def _stdout_utf8() -> None:
    """Output is UTF-8 whatever the locale or PYTHONIOENCODING says (Cyrillic in latin-1 would fail)."""
    stream = sys.stdout
    if isinstance(stream, io.TextIOWrapper) and codecs.lookup(stream.encoding).name != "utf-8":
        stream.reconfigure(encoding="utf-8")


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _same_inode(a: os.stat_result, b: os.stat_result) -> bool:
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def _stat(path: str | Path, *, fd: int | None = None) -> os.stat_result | None:
    try:
        return os.fstat(fd) if fd is not None else os.stat(path)
    except OSError:
        return None


def _refuse_input(path: str, target: os.stat_result | None, input_path: str | None,
                  option: str = "-o") -> None:
    if target is None or input_path is None:
        return
    if input_path == "-":
        try:
            source = _stat("", fd=sys.stdin.fileno())
        except (AttributeError, ValueError, OSError):  # stdin replaced or closed
            source = None
        if source is not None and stat.S_ISREG(source.st_mode) and _same_inode(source, target):
            raise InputError(f"{option} {path}: refusing to overwrite the input (stdin reads this file); "
                             f"choose another {option} file")
        return
    source = _stat(input_path)
    if source is not None and _same_inode(source, target):
        raise InputError(f"{option} {path}: refusing to overwrite the input; choose another {option} file")


def refuse_input(path: str | None, input_path: str, option: str) -> None:
    """Raise :class:`InputError` naming ``option`` when ``path`` is the input file (``-``/None: stdout)."""
    if path is None or path == "-":
        return
    _refuse_input(path, _stat(os.path.realpath(path)), input_path, option)


@contextmanager
def open_output(path: str | None, *, input_path: str | None = None) -> Iterator[TextSink]:
    """Stdout for ``None`` or ``-``; otherwise the file ``path``, written so that a failed run
    leaves what was there untouched (see the module doc). Never the input itself."""
    if path is None or path == "-":
        _stdout_utf8()
        sink = _Counting()
        try:
            yield sink
            sys.stdout.flush()
        except InputError as exc:
            if sink.written:  # the text before the bad input already went out
                raise InputError(f"{exc}; the output before it was already written to stdout "
                                 f"(with -o FILE nothing is written on an error)") from None
            raise
        return
    target = Path(os.path.realpath(path))  # through symbolic links: the link itself stays
    info = _stat(target)
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise OutputError(f"{path}: is a directory; -o needs a file name")
    _refuse_input(path, info, input_path)
    if info is not None and not stat.S_ISREG(info.st_mode):
        if stat.S_ISCHR(info.st_mode) or stat.S_ISFIFO(info.st_mode):
            with _write_errors(path, kept=False), open(target, "w", encoding="utf-8", newline="") as through:
                yield through
            return
        raise OutputError(f"{path}: is a block device or a socket; refusing to write to it")
    if not target.parent.is_dir():
        raise OutputError(f"{path}: no such directory {target.parent}")
    beside = _temp_beside(path, target, info)
    if beside is None:  # the directory refuses new files, the file itself is writable
        with _in_place(path, target) as handle:
            yield handle
        return
    fd, tmp = beside
    try:
        with _write_errors(path, kept=info is not None):
            _copy_mode(fd, info)
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
                yield handle
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, target)
    except BaseException:
        _unlink(tmp)
        raise
    finally:
        _live_temp_files.discard(tmp)


def _temp_beside(path: str, target: Path, info: os.stat_result | None) -> tuple[int, str] | None:
    """A new temp file in the target's directory (fd, name); None when the directory refuses it
    (permissions) but the target exists: then :func:`_in_place` may still write it."""
    with _write_errors(path, kept=info is not None):
        try:
            with _fatal_signals_held():
                fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
                _live_temp_files.add(tmp)
            return fd, tmp
        except PermissionError:
            if info is None:
                raise
            return None


@contextmanager
def _in_place(path: str, target: Path) -> Iterator[TextSink]:
    """Write an existing file whose directory is not writable (no temp file can go beside it, so no
    atomic rename). Refusing would fail a command any editor manages; truncating and writing as we go
    would destroy the file if the run failed halfway. So: the output goes to a temp file in the
    system temp dir, and only when it is complete is it copied over the target (same inode: mode,
    owner and hard links kept), the target's old content saved to a second temp file first. If that
    copy fails (disk full...), the old content is written back; if even that fails, the message says
    where the saved copy is, so nothing is lost either way."""
    with _write_errors(path, kept=True):
        fd = os.open(target, os.O_RDWR)  # fails now (permission) if the file is not writable
    try:
        with _write_errors(path, kept=True):
            staged = tempfile.TemporaryFile(mode="w+", encoding="utf-8", newline="")
        with staged:
            with _write_errors(path, kept=True):
                yield staged
                staged.flush()
            # SIGTERM/SIGHUP wait: the target must never be left half written, nor the copy of
            # its old content left behind.
            with _fatal_signals_held():
                with _write_errors(path, kept=True):
                    saved = _save_copy(fd)  # before the target is touched
                try:
                    _copy_fd(staged.buffer.fileno(), fd, close_source=False)
                except BaseException as exc:
                    try:
                        _copy_fd(os.open(saved, os.O_RDONLY), fd)
                    except OSError:
                        raise OutputError(f"{path}: cannot write: {_reason(exc)}; its previous content "
                                          f"is saved in {saved}") from None
                    _unlink(saved)
                    if isinstance(exc, OSError):
                        raise OutputError(f"{path}: cannot write: {_reason(exc)}; the existing file "
                                          "is unchanged") from None
                    raise
                _unlink(saved)
    finally:
        os.close(fd)


def _reason(exc: BaseException) -> str:
    return (exc.strerror if isinstance(exc, OSError) else None) or str(exc) or type(exc).__name__


def _save_copy(fd: int) -> str:
    """Copy the file open as ``fd`` into a new temp file in the system temp dir; its name."""
    handle, name = tempfile.mkstemp(prefix="normkit-saved-", suffix=".tmp")
    try:
        _copy_fd(fd, handle, close_source=False)
    except BaseException:
        _unlink(name)
        raise
    finally:
        os.close(handle)
    return name


def _copy_fd(source: int, dest: int, *, close_source: bool = True) -> None:
    """``dest`` becomes a copy of ``source`` (both from the start), synced to disk; ``source`` is
    closed afterwards when ``close_source``, ``dest`` never."""
    try:
        os.lseek(source, 0, os.SEEK_SET)
        os.lseek(dest, 0, os.SEEK_SET)
        size = 0
        while block := os.read(source, READ_BYTES):
            view = memoryview(block)
            while view:
                view = view[os.write(dest, view):]
            size += len(block)
        os.ftruncate(dest, size)
        os.fsync(dest)
    finally:
        if close_source:
            os.close(source)


# Temp files open_output is writing now: a signal handler removes them before the process dies
# (unwinding with an exception could be swallowed by a finaliser running at that moment).
_live_temp_files: set[str] = set()


@contextmanager
def _fatal_signals_held() -> Iterator[None]:
    """SIGTERM/SIGHUP wait while a temp file is created and registered (no moment it is unknown)."""
    held = {getattr(signal, n) for n in ("SIGTERM", "SIGHUP") if hasattr(signal, n)}
    if not hasattr(signal, "pthread_sigmask") or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def remove_temp_files() -> None:
    """Delete the temp files of outputs still being written (for a fatal signal's handler)."""
    for path in list(_live_temp_files):
        _unlink(path)
        _live_temp_files.discard(path)


def _copy_mode(fd: int, old: os.stat_result | None) -> None:
    """The replaced file's mode and owner (owner only where allowed); a new file: the umask's."""
    if old is None:
        os.fchmod(fd, 0o666 & ~_umask())
        return
    if (old.st_uid, old.st_gid) != (os.geteuid(), os.getegid()):
        try:
            os.fchown(fd, old.st_uid, old.st_gid)
        except PermissionError:
            pass  # not root: the file becomes ours, as any editor's save would
    os.fchmod(fd, stat.S_IMODE(old.st_mode))


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


@contextmanager
def _write_errors(path: str, *, kept: bool) -> Iterator[None]:
    """Turn a failed write (full disk, read-only directory, ...) into one line."""
    try:
        yield
    except OSError as exc:
        if exc.errno not in _OUTPUT_ERRNOS or isinstance(exc, (BrokenPipeError,)):
            raise
        reason = exc.strerror or str(exc)
        note = "; the existing file is unchanged" if kept else ""
        raise OutputError(f"{path}: cannot write: {reason}{note}") from None
