"""Precomputed answers of the accepted-spelling check (:class:`.known.KnownWords`) for a large
vocabulary: every Latin word of the gazetteer's entries and aliases, and every Cyrillic word of
the gazetteer and the name lexicon in each ASCII romanisation English copy uses.

Reading a word back through pymorphy3's dictionary costs about half a millisecond; most of the
names a text holds are such spellings, and their answer is the same in every process. The table is
made by running the real check over the vocabulary (one named step: ``python
scripts/build_verdicts.py``, or :func:`normkit.names.build_verdicts`), so it holds exactly what the
check answers. It is
keyed by what the answers came from: the glossary and lexicon files, pymorphy3's dictionary, the
source of the modules that decide (``known.py``, ``readings.py``, ``spellings.py``, this one) and
normkit's version. A table for other data or code is not used; a word the table lacks is checked
as before.

The file is sorted text (``word\\tanswer``) read through ``mmap`` with a sidecar of line offsets:
opening it costs nothing, a lookup is a binary search of ~17 probes, and processes share its pages.
"""
from __future__ import annotations

import hashlib
import mmap
import os
import sys
import tempfile
from array import array
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

from .._version import __version__
from ..buildcache import private_file

VERSION = "1"  # bump when the file format or the vocabulary's meaning changes
_DECIDING = ("known.py", "readings.py", "spellings.py", "verdicts.py")
_FORBIDDEN = frozenset("\t\n|;,")  # the format's separators: words holding one are not tabled

#: One answer: (cyrillic, source, classes), as :class:`.known.KnownAs` holds it.
Answer = tuple[str, str, frozenset[str]]


def fingerprint(sources: Sequence[Path]) -> str | None:
    """What a table's answers came from, hashed; None when a source cannot be looked at."""
    here = Path(__file__).resolve().parent
    parts = [VERSION, __version__]
    try:
        for name in _DECIDING:
            parts.append(hashlib.sha256((here / name).read_bytes()).hexdigest())
        for path in sources:
            stat = path.stat()
            parts.append(f"{path.resolve()}\0{stat.st_size}\0{stat.st_mtime_ns}")
    except OSError:
        return None
    return hashlib.sha256("\n".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:32]


def table_path(folder: Path, digest: str) -> Path:
    return folder / f"verdicts-{digest}.tsv"


def _encode(answers: Iterable[Answer]) -> str:
    return ";".join(f"{c}|{s}|{','.join(sorted(classes))}" for c, s, classes in answers)


def _decode(payload: str) -> tuple[Answer, ...]:
    out = []
    for part in payload.split(";") if payload else ():
        cyrillic, source, classes = part.split("|")
        out.append((cyrillic, source, frozenset(classes.split(",")) if classes else frozenset()))
    return tuple(out)


def _tabled(word: str, answers: Sequence[Answer]) -> bool:
    texts = [word, *(c for c, _, _ in answers), *(s for _, s, _ in answers),
             *(k for _, _, classes in answers for k in classes)]
    return not any(_FORBIDDEN.intersection(t) for t in texts)


def write(path: Path, answers: Iterable[tuple[str, Sequence[Answer]]]) -> int:
    """Write the table (and its offsets) atomically; returns the number of words written."""
    # Sorted as the bytes a lookup compares (a word's characters below \t sort after its end).
    rows = sorted(f"{w}\t{_encode(a)}\n".encode("utf-8") for w, a in answers if _tabled(w, a))
    data = bytearray()
    offsets = array("Q")
    for line in rows:
        offsets.append(len(data))
        data += line
    path.parent.mkdir(parents=True, exist_ok=True)
    for target, blob in ((path.with_suffix(".offsets"), offsets.tobytes()), (path, bytes(data))):
        fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        with os.fdopen(fd, "wb") as out:
            out.write(blob)
        os.replace(temp, target)  # the offsets first: a reader opens the table only once it exists
    return len(rows)


class VerdictTable:
    """A written table, memory-mapped. ``get(word)`` is the answers, or None when not tabled."""

    def __init__(self, path: Path) -> None:
        offsets = array("Q")
        offsets.frombytes(path.with_suffix(".offsets").read_bytes())
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            self._data = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) if size else b""
        if offsets and (offsets[-1] >= size or size and self._data[size - 1:size] != b"\n"):
            raise ValueError(f"{path}: its offsets do not match it")
        self._offsets = offsets
        self._size = size

    def __len__(self) -> int:
        return len(self._offsets)

    def _line(self, i: int) -> bytes:
        start = self._offsets[i]
        end = self._offsets[i + 1] if i + 1 < len(self._offsets) else self._size
        return bytes(self._data[start:end - 1])

    def get(self, word: str) -> tuple[Answer, ...] | None:
        key = word.encode("utf-8") + b"\t"
        lo, hi = 0, len(self._offsets)
        while lo < hi:  # the first line not below key: the word's own line, if it has one
            mid = (lo + hi) // 2
            if self._line(mid) < key:
                lo = mid + 1
            else:
                hi = mid
        if lo < len(self._offsets):
            line = self._line(lo)
            if line.startswith(key):
                return _decode(line[len(key):].decode("utf-8"))
        return None


def open_table(folder: Path | None, sources: Sequence[Path]) -> VerdictTable | None:
    """The table for these sources in ``folder``, when one was built; else None."""
    digest = fingerprint(sources)
    if folder is None or digest is None:
        return None
    path = table_path(folder, digest)
    if not private_file(folder, path.name):  # absent, or where others could have written it
        return None
    try:
        return VerdictTable(path)
    except (OSError, ValueError):
        return None


def vocabulary(latin_names: Iterable[str], cyrillic_words: Iterable[str],
               romanisers: Sequence[Callable[[str], str]]) -> Iterator[str]:
    """The words to table: each word of the Latin names as written, and each Cyrillic word in each
    romanisation, capitalised as a name stands in English text."""
    seen: set[str] = set()
    for name in latin_names:
        for word in name.split():
            if word not in seen:
                seen.add(word)
                yield word
    for cyrillic in cyrillic_words:
        for romanise in romanisers:
            latin = romanise(cyrillic.lower())
            word = latin[:1].upper() + latin[1:]
            if word and word not in seen:
                seen.add(word)
                yield word


def main(argv: Sequence[str] | None = None) -> int:
    """Build the table for the default resources (scripts/build_verdicts.py)."""
    import argparse
    import time

    parser = argparse.ArgumentParser(description="Build the name stage's table of known-word verdicts.")
    parser.add_argument("--limit", type=int, default=0, help="table only the first N words (for a test)")
    args = parser.parse_args(argv)
    import normkit

    from .. import lexicon
    from ..gazetteer import name_lexicon
    from . import build_verdicts

    start = time.process_time()
    normalizer = normkit.load()
    known = normalizer.name_linker().known
    path = build_verdicts(normalizer.gazetteer(), name_lexicon(), lexicon.morph(), known, limit=args.limit or None)
    if path is None:
        print("error: no cache directory (NORMKIT_CACHE_DIR=off?) or a source file cannot be read", file=sys.stderr)
        return 1
    print(f"wrote {path} ({time.process_time() - start:.0f} s of CPU)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
