"""Tables built from data files, kept between processes.

Reading the glossaries and gathering the name tables takes a second or two of Python work each
time a process first needs the name stage (every CLI run, every worker of ``--jobs``, Dask or
Spark). :func:`cached` keeps what a build returned as a pickle in the user's cache directory, keyed
by what it was built from: the source files' paths, sizes and modification times, the table's own
version and normkit's version. Any change to a source builds afresh; a cache file that cannot be
read is rebuilt, and one that cannot be written is simply not kept (a read-only home works as
before, only slower).

``NORMKIT_CACHE_DIR`` names another directory; ``NORMKIT_CACHE_DIR=off`` turns caching off. The
files are pickles, so the cache directory must be as private as the user's home (as it is by
default): whoever can write there can run code as the user.
"""
from __future__ import annotations

import gc
import hashlib
import os
import pickle
import tempfile
from pathlib import Path
from typing import Callable, Sequence, TypeVar, cast

from ._version import __version__

T = TypeVar("T")
ENV_CACHE_DIR = "NORMKIT_CACHE_DIR"
OFF = "off"
PICKLE_PROTOCOL = 5
KEEP_PER_NAME = 4  # tables kept for each name (other glossary sets, older versions): the newest


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
    parts = [name, version, __version__]
    for path in sources:
        try:
            stat = path.stat()
        except OSError:
            return None
        parts.append(f"{path.resolve()}\0{stat.st_size}\0{stat.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:32]


def cached(name: str, version: str, sources: Sequence[Path], build: Callable[[], T]) -> T:
    """``build()``, or what it returned before for these same ``sources`` (see the module's note).
    Bump ``version`` whenever the build's code changes what it returns."""
    folder = cache_dir()
    digest = _fingerprint(name, version, sources)
    if folder is None or digest is None:
        return build()
    path = folder / f"{name}-{digest}.pickle"
    found = _load(path)
    if found is not None:
        return cast(T, found[0])  # what build() returned for this same fingerprint
    value = build()
    _store(path, value)
    return value


def _load(path: Path) -> tuple[object] | None:
    """The value kept at ``path`` (in a 1-tuple), or None when there is none or it is unreadable."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    collecting = gc.isenabled()
    gc.disable()  # unpickling many small objects: the collector would walk them all, for nothing
    try:
        value = pickle.loads(data)
    except Exception:  # a truncated or foreign file: build afresh (and overwrite it)
        return None
    finally:
        if collecting:
            gc.enable()
    return (value,)


def _store(path: Path, value: object) -> None:
    """Keep ``value`` at ``path``: written to a temp file beside it, then renamed, so a reader never
    sees half a file; any failure leaves no file and is not an error."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as out:
            pickle.dump(value, out, protocol=PICKLE_PROTOCOL)
        os.replace(temp, path)
    except Exception:
        try:
            os.unlink(temp)
        except OSError:
            pass
        return
    _prune(path)


def _prune(kept: Path) -> None:
    """Remove all but the KEEP_PER_NAME newest tables of the same name as ``kept``."""
    name = kept.name.rsplit("-", 1)[0]
    try:
        tables = sorted(kept.parent.glob(f"{name}-*.pickle"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for old in tables[KEEP_PER_NAME:]:
            old.unlink()
    except OSError:
        pass  # another process pruned first, or the folder is not ours to tidy
