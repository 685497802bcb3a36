"""Tables built from data files, kept between processes.

Reading the glossaries and gathering the name tables takes a second or two of Python work each
time a process first needs the name stage (every CLI run, every worker of ``--jobs``, Dask or
Spark). :func:`cached` keeps what a build returned in the user's cache directory, keyed by what it
was built from: the source files' paths, sizes and modification times, the table's own version and
normkit's version. Any change to a source builds afresh; a cache file that cannot be read is
rebuilt, and one that cannot be written is simply not kept (a read-only home works as before, only
slower).

``NORMKIT_CACHE_DIR`` names another directory; ``NORMKIT_CACHE_DIR=off`` turns caching off.

The files are JSON, written and read by each table's :class:`Codec`: reading one runs no code,
whatever it holds (a pickle runs what it says), and loads as fast as the pickles did
(``benchmarks/bench_table_cache.py``). A table is still data the name stage trusts, so a file is
read only when nobody else can have written it:

* the directory (opened once; every later step goes through that descriptor, so the path cannot
  be swapped midway) is owned by the user and not writable by group or others (it is created
  0700); otherwise it is not used at all, neither read nor written;
* the file is a regular file (not a link), owned by the user, not writable by group or others;
* it names the format, the table (name, version) and its own file name (a file renamed from
  another fingerprint is not taken), and its data decodes to the table's shape.

Anything else is set aside with a one-line warning (on the ``normkit.cache`` logger: bare on
stderr unless logging is configured) and the table is built afresh. Windows (no owners or
``dir_fd`` to check) does not cache.
"""
from __future__ import annotations

import gc
import hashlib
import json
import logging
import os
import re
import secrets
import stat
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any, Callable, Generic, Sequence, TypeVar

from ._version import __version__

T = TypeVar("T")
ENV_CACHE_DIR = "NORMKIT_CACHE_DIR"
OFF = "off"
KEEP_PER_NAME = 4  # tables kept for each name (other glossary sets, older versions): the newest
FORMAT = "normkit-table 3"  # the file layout below; part of every fingerprint, so files of another layout are never read
SUFFIX = ".json"
SAMPLE = 2  # items of a dict that check_dict looks at (first and last): decoding walked them all already
_PRIVATE_DIR = 0o700
_OTHERS_WRITE = stat.S_IWGRP | stat.S_IWOTH
_FLAGS = os.O_CLOEXEC | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)  # no link, no FIFO hang
_SUPPORTED = hasattr(os, "geteuid") and os.open in os.supports_dir_fd and hasattr(os, "O_DIRECTORY")

log = logging.getLogger("normkit.cache")
_warned: set[str] = set()


@dataclass(frozen=True)
class Codec(Generic[T]):
    """How a table is kept: ``encode`` makes JSON values of it, ``decode`` the table again, raising
    ValueError, TypeError, KeyError or IndexError when what it is given is not of the table's shape."""

    encode: Callable[[T], Any]
    decode: Callable[[Any], T]


def cache_dir() -> Path | None:
    """``$NORMKIT_CACHE_DIR``, else the platform's user cache dir for normkit; None when off."""
    value = os.environ.get(ENV_CACHE_DIR, "").strip()
    if value.lower() == OFF:
        return None
    if value:
        return Path(value).expanduser()
    import platformdirs  # only when the env var is unset

    return Path(platformdirs.user_cache_dir("normkit", appauthor=False))


def _fingerprint(name: str, version: str, sources: Sequence[Path]) -> str | None:
    """What the table was built from, hashed; None if a source cannot be looked at."""
    parts = [name, version, __version__, FORMAT]
    for path in sources:
        try:
            st = path.stat()
        except OSError:
            return None
        parts.append(f"{path.resolve()}\0{st.st_size}\0{st.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:32]


def table_file(name: str, version: str, sources: Sequence[Path]) -> str | None:
    """The file name a table of these sources is kept under (None: it is not kept)."""
    digest = _fingerprint(name, version, sources)
    return None if digest is None else f"{name}-{digest}{SUFFIX}"


def check_dict(value: Any, keys: type, values: type) -> dict[Any, Any]:
    """``value`` if it is a dict of ``keys`` to ``values`` (its first and last items looked at), else a
    TypeError: for a decoder's last step."""
    if not isinstance(value, dict):
        raise TypeError(f"a dict, not {type(value).__name__}")
    items = [*islice(value.items(), SAMPLE // 2), *islice(reversed(value.items()), SAMPLE - SAMPLE // 2)]
    if not all(isinstance(k, keys) and isinstance(v, values) for k, v in items):
        raise TypeError(f"a dict of {keys.__name__} to {values.__name__}")
    return value


def cached(name: str, version: str, sources: Sequence[Path], build: Callable[[], T], codec: Codec[T]) -> T:
    """``build()``, or what it returned before for these same ``sources`` (see the module's note).
    Bump ``version`` whenever the build's code changes what it returns."""
    folder = cache_dir()
    file = table_file(name, version, sources)
    if folder is None or file is None or not _SUPPORTED:
        return build()
    fd = _open_folder(folder)
    if fd is None:
        return build()
    try:
        found = _load(fd, folder, file, [name, version], codec)
        if found is not None:
            return found[0]  # what build() returned for this same fingerprint
        value = build()
        _store(fd, file, [name, version], codec, value)
        return value
    finally:
        os.close(fd)


def _warn(message: str) -> None:
    """One line, once per process for each distinct message."""
    if message not in _warned:
        _warned.add(message)
        log.warning("normkit: warning: %s", message)


def _mine(st: os.stat_result) -> bool:
    return st.st_uid == os.geteuid() and not st.st_mode & _OTHERS_WRITE


def _open_folder(folder: Path) -> int | None:
    """A descriptor of the cache directory, created 0700 if missing; None (warned when it is not
    private) when it cannot be used."""
    flags = os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC
    try:
        fd = os.open(folder, flags)
    except FileNotFoundError:
        try:
            folder.parent.mkdir(parents=True, exist_ok=True)
            os.mkdir(folder, _PRIVATE_DIR)
        except FileExistsError:
            pass  # another process made it first: checked below like any other
        except OSError:
            return None  # cannot be made (a read-only home): no caching
        try:
            fd = os.open(folder, flags)
        except OSError:
            return None
    except OSError:
        return None  # not a directory, not searchable: no caching
    st = os.fstat(fd)
    if not _mine(st):
        os.close(fd)
        whose = "you" if st.st_uid == os.geteuid() else f"uid {st.st_uid}"
        _warn(f"table cache {folder} not used (owned by {whose}, mode {stat.S_IMODE(st.st_mode):04o}; "
              f"it must be yours and not writable by others, e.g. mode 0700): tables rebuilt")
        return None
    return fd


def _load(fd: int, folder: Path, file: str, table: list[str], codec: Codec[T]) -> tuple[T] | None:
    """The table kept as ``file`` (in a 1-tuple), or None when there is none or it is not to be
    trusted or read (warned)."""
    try:
        ffd = os.open(file, os.O_RDONLY | _FLAGS, dir_fd=fd)
    except FileNotFoundError:
        return None
    except OSError:
        _warn(f"table cache file {folder / file} cannot be opened (a link?): rebuilt")
        return None
    try:
        st = os.fstat(ffd)
        if not stat.S_ISREG(st.st_mode) or not _mine(st):
            _warn(f"table cache file {folder / file} is not a regular file of yours: rebuilt")
            return None
        with os.fdopen(ffd, "rb", closefd=False) as opened:
            data = opened.read()
    except OSError:
        return None
    finally:
        os.close(ffd)
    collecting = gc.isenabled()
    gc.disable()  # parsing makes many small containers: the collector would walk them all, for nothing
    try:
        kept = json.loads(data)
        if not (isinstance(kept, dict) and kept.get("format") == FORMAT and kept.get("table") == table
                and kept.get("file") == file):
            raise KeyError("another table")
        return (codec.decode(kept["data"]),)
    except Exception as exc:  # not JSON, another table, or data of another shape: build afresh
        _warn(f"table cache file {folder / file} is not a {table[0]} {table[1]} table "
              f"({type(exc).__name__}): rebuilt")
        return None
    finally:
        if collecting:
            gc.enable()


def _store(fd: int, file: str, table: list[str], codec: Codec[T], value: T) -> None:
    """Keep ``value`` as ``file``: written to a temp file beside it, then renamed, so a reader never
    sees half a file; any failure leaves no file and is not an error."""
    try:
        data = json.dumps({"format": FORMAT, "table": table, "file": file, "data": codec.encode(value)},
                          ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    except Exception:  # a value the codec cannot write (a lone surrogate): not kept
        return
    temp = f".{file}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    try:
        tfd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _FLAGS, 0o600, dir_fd=fd)
    except OSError:
        return
    try:
        with os.fdopen(tfd, "wb") as out:
            out.write(data)
        os.replace(temp, file, src_dir_fd=fd, dst_dir_fd=fd)
    except OSError:
        try:
            os.unlink(temp, dir_fd=fd)
        except OSError:
            pass
        return
    _prune(fd, file)


def _prune(fd: int, kept: str) -> None:
    """Remove all but the KEEP_PER_NAME newest tables of the same name as ``kept``, and any pickle
    an older normkit kept under that name."""
    name = re.escape(kept.rsplit("-", 1)[0])
    current = re.compile(name + r"-[0-9a-f]{32}" + re.escape(SUFFIX))
    old = re.compile(name + r"-[0-9a-f]{32}\.pickle")
    try:
        names = os.listdir(fd)
        tables = [(os.stat(n, dir_fd=fd, follow_symlinks=False).st_mtime_ns, n) for n in names if current.fullmatch(n)]
        for _, gone in sorted(tables, reverse=True)[KEEP_PER_NAME:]:
            os.unlink(gone, dir_fd=fd)
        for gone in (n for n in names if old.fullmatch(n)):
            os.unlink(gone, dir_fd=fd)
    except OSError:
        pass  # another process pruned first
