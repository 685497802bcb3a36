"""Tables built from data files, kept between processes.

Reading the glossaries and gathering the name tables takes a second or two of Python work each
time a process first needs the name stage (every CLI run, every worker of ``--jobs``, Dask or
Spark). :func:`cached` keeps what a build returned in the user's cache directory, keyed by what it
was built from: the source files' paths, sizes and modification times, the table's own version and
normkit's version. Any change to a source builds afresh; a cache file that cannot be read is
rebuilt, and one that cannot be written is simply not kept (a read-only home works as before, only
slower).

``NORMKIT_CACHE_DIR`` names another directory; ``NORMKIT_CACHE_DIR=off`` turns caching off.

The files are pickles: JSON tables (each with a codec sharing what it can) made a whole CLI run
with a name to check 1.05-1.2x slower in CPU, and start-up time is what the cache is for
(``benchmarks/bench_table_cache.py`` times the loads alone). So nothing is unpickled unless it can
only have been written by this user's normkit:

* the directory (opened once; every later step goes through that descriptor, so the path cannot
  be swapped midway) is owned by the user and not writable by group or others (it is created
  0700); otherwise it is not used at all, neither read nor written;
* the file is a regular file (not a link), owned by the user, not writable by group or others;
* an HMAC-SHA256, keyed with a per-user secret (``.key`` in that directory, 0600) over the file's
  name and its pickle, matches the one stored in front of it (a file copied from elsewhere, or
  renamed from another fingerprint, does not);
* the unpickler may name no class but those the table's caller allows (``classes``);
* the value is the table asked for (name, version) and passes the caller's ``check``.

Anything else is set aside with a one-line warning (on the ``normkit.cache`` logger: bare on
stderr unless logging is configured) and the table is built afresh. Windows (no owners or
``dir_fd`` to check) does not cache.
"""
from __future__ import annotations

import gc
import hashlib
import hmac
import io
import logging
import os
import pickle
import re
import stat
from itertools import islice
from pathlib import Path
from typing import Callable, Sequence, TypeVar, cast

from ._version import __version__

T = TypeVar("T")
ENV_CACHE_DIR = "NORMKIT_CACHE_DIR"
OFF = "off"
PICKLE_PROTOCOL = 5
KEEP_PER_NAME = 4  # tables kept for each name (other glossary sets, older versions): the newest
FORMAT = "2"  # the file layout below; part of every fingerprint, so files of another layout are never read
MAGIC = b"normkit-table\0v2\0"  # a file starts with this, then the HMAC, then the pickle
HMAC_BYTES = 32  # SHA-256
KEY_FILE = ".key"
KEY_BYTES = 32
SUFFIX = ".pickle"
SAMPLE = 2  # items of a table's dict that check_dict looks at (first and last): the HMAC vouches for the rest
_PRIVATE_DIR = 0o700
_OTHERS_WRITE = stat.S_IWGRP | stat.S_IWOTH
_FLAGS = os.O_CLOEXEC | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)  # no link, no FIFO hang
_SUPPORTED = hasattr(os, "geteuid") and os.open in os.supports_dir_fd and hasattr(os, "O_DIRECTORY")

log = logging.getLogger("normkit.cache")
_warned: set[str] = set()


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


def check_dict(keys: type, values: type) -> Callable[[object], bool]:
    """A ``check`` for a dict of ``keys`` to ``values`` (its first and last items are looked at)."""
    def check(value: object) -> bool:
        if not isinstance(value, dict):
            return False
        items = [*islice(value.items(), SAMPLE // 2), *islice(reversed(value.items()), SAMPLE - SAMPLE // 2)]
        return all(isinstance(k, keys) and isinstance(v, values) for k, v in items)
    return check


def cached(name: str, version: str, sources: Sequence[Path], build: Callable[[], T], *,
           check: Callable[[object], bool], classes: Sequence[type] = ()) -> T:
    """``build()``, or what it returned before for these same ``sources`` (see the module's note).
    Bump ``version`` whenever the build's code changes what it returns. ``check`` says whether a
    loaded value is of the table's type and shape; ``classes`` are the only classes its pickle may
    name (builtin containers and scalars need none)."""
    folder = cache_dir()
    file = table_file(name, version, sources)
    if folder is None or file is None or not _SUPPORTED:
        return build()
    fd = _open_folder(folder)
    if fd is None:
        return build()
    try:
        key = _key(fd, folder)
        if key is None:
            return build()
        found = _load(fd, folder, file, key, (name, version), check, classes)
        if found is not None:
            return cast(T, found[0])  # what build() returned for this same fingerprint
        value = build()
        _store(fd, file, key, (name, version), value)
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


def private_file(folder: Path, name: str) -> bool:
    """Is ``folder/name`` a regular file of yours in a private cache directory (as :func:`cached`
    requires)? For tables other modules keep there in their own formats (not pickles), so that
    nobody else can plant or change what they say."""
    if not _SUPPORTED:
        return False
    fd = _open_folder(folder)
    if fd is None:
        return False
    try:
        st = os.stat(name, dir_fd=fd, follow_symlinks=False)
    except OSError:
        return False
    finally:
        os.close(fd)
    return stat.S_ISREG(st.st_mode) and _mine(st)


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


def _key(fd: int, folder: Path) -> bytes | None:
    """This user's secret for the directory, made on first use; None if it cannot be made."""
    try:
        kfd = os.open(KEY_FILE, os.O_RDONLY | _FLAGS, dir_fd=fd)
    except FileNotFoundError:
        return _new_key(fd, replace=False)
    except OSError:
        kfd = -1
    if kfd >= 0:
        try:
            st = os.fstat(kfd)
            if stat.S_ISREG(st.st_mode) and st.st_uid == os.geteuid() and not st.st_mode & 0o077:
                key = os.read(kfd, KEY_BYTES + 1)
                if len(key) == KEY_BYTES:
                    return key
        finally:
            os.close(kfd)
    _warn(f"table cache key {folder / KEY_FILE} is not a private file of yours: replaced, tables rebuilt")
    return _new_key(fd, replace=True)


def _new_key(fd: int, *, replace: bool) -> bytes | None:
    import secrets  # only when writing (and with it, random): a run that only reads never imports them

    key = secrets.token_bytes(KEY_BYTES)
    temp = _write_temp(fd, KEY_FILE, key)
    if temp is None:
        return None
    try:
        if replace:
            os.replace(temp, KEY_FILE, src_dir_fd=fd, dst_dir_fd=fd)
            return key
        try:
            os.link(temp, KEY_FILE, src_dir_fd=fd, dst_dir_fd=fd)  # never replaces a key another process made
        except FileExistsError:
            os.unlink(temp, dir_fd=fd)
            kfd = os.open(KEY_FILE, os.O_RDONLY | _FLAGS, dir_fd=fd)
            try:
                st = os.fstat(kfd)
                theirs = os.read(kfd, KEY_BYTES + 1)
            finally:
                os.close(kfd)
            ok = stat.S_ISREG(st.st_mode) and st.st_uid == os.geteuid() and not st.st_mode & 0o077
            return theirs if ok and len(theirs) == KEY_BYTES else None
        os.unlink(temp, dir_fd=fd)
        return key
    except OSError:
        _unlink_quietly(fd, temp)
        return None


def _unlink_quietly(fd: int, name: str) -> None:
    """Remove a temp file of ours from the directory, if it is there (a failed write's)."""
    try:
        os.unlink(name, dir_fd=fd)
    except OSError:
        pass


def _write_temp(fd: int, name: str, data: bytes) -> str | None:
    """``data`` in a new 0600 file of the directory, named after ``name``; None if it cannot be written."""
    import secrets

    temp = f".{name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    try:
        tfd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _FLAGS, 0o600, dir_fd=fd)
    except OSError:
        return None
    try:
        with os.fdopen(tfd, "wb") as out:
            out.write(data)
    except OSError:
        _unlink_quietly(fd, temp)
        return None
    return temp


def _sign(key: bytes, file: str, payload: bytes | memoryview) -> bytes:
    mac = hmac.new(key, file.encode("utf-8", "surrogatepass") + b"\0", hashlib.sha256)
    mac.update(payload)
    return mac.digest()


class _Unpickler(pickle.Unpickler):
    """Names no class but the table's own."""

    def __init__(self, data: io.BytesIO, classes: Sequence[type]) -> None:
        super().__init__(data)
        self._classes = {(c.__module__, c.__qualname__): c for c in classes}

    def find_class(self, module: str, name: str) -> type:
        found = self._classes.get((module, name))
        if found is None:
            raise pickle.UnpicklingError(f"{module}.{name} is not a class of this table")
        return found


def _load(fd: int, folder: Path, file: str, key: bytes, table: tuple[str, str],
          check: Callable[[object], bool], classes: Sequence[type]) -> tuple[object] | None:
    """The value kept as ``file`` (in a 1-tuple), or None when there is none or it is not to be
    trusted (warned)."""
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
    head = len(MAGIC) + HMAC_BYTES
    if not data.startswith(MAGIC) or len(data) < head or not hmac.compare_digest(
            data[len(MAGIC):head], _sign(key, file, memoryview(data)[head:])):
        _warn(f"table cache file {folder / file} was not written by your normkit (no valid signature): rebuilt")
        return None
    stream = io.BytesIO(data)
    stream.seek(head)
    collecting = gc.isenabled()
    gc.disable()  # unpickling many small objects: the collector would walk them all, for nothing
    try:
        value = _Unpickler(stream, classes).load()
    except Exception as exc:  # signed but unreadable (a class renamed since): build afresh
        _warn(f"table cache file {folder / file} cannot be read ({type(exc).__name__}): rebuilt")
        return None
    finally:
        if collecting:
            gc.enable()
    if not (isinstance(value, tuple) and len(value) == 3 and value[0] == table and value[1] == FORMAT
            and check(value[2])):
        _warn(f"table cache file {folder / file} holds another table than {table[0]} {table[1]}: rebuilt")
        return None
    return (value[2],)


def _store(fd: int, file: str, key: bytes, table: tuple[str, str], value: object) -> None:
    """Keep ``value`` as ``file``: written to a temp file beside it, then renamed, so a reader never
    sees half a file; any failure leaves no file and is not an error."""
    try:
        payload = pickle.dumps((table, FORMAT, value), protocol=PICKLE_PROTOCOL)
    except Exception:
        return
    temp = _write_temp(fd, file, MAGIC + _sign(key, file, payload) + payload)
    if temp is None:
        return
    try:
        os.replace(temp, file, src_dir_fd=fd, dst_dir_fd=fd)
    except OSError:
        try:
            os.unlink(temp, dir_fd=fd)
        except OSError:
            pass
        return
    _prune(fd, file)


def _prune(fd: int, kept: str) -> None:
    """Remove all but the KEEP_PER_NAME newest tables of the same name as ``kept``."""
    pattern = re.compile(re.escape(kept.rsplit("-", 1)[0]) + r"-[0-9a-f]{32}" + re.escape(SUFFIX))
    try:
        tables = [(os.stat(n, dir_fd=fd, follow_symlinks=False).st_mtime_ns, n)
                  for n in os.listdir(fd) if pattern.fullmatch(n)]
        for _, old in sorted(tables, reverse=True)[KEEP_PER_NAME:]:
            os.unlink(old, dir_fd=fd)
    except OSError:
        pass  # another process pruned first
