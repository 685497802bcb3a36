"""The glossary file format (``glossaries/README.md``): reading, validating and writing it.

A glossary file is a version line ``# normkit-glossary 1``, a header row naming :data:`COLUMNS`, then
one entry per row; list fields are ``|``-separated; lines starting with ``#`` are comments. A
malformed row raises :class:`~normkit.errors.GlossaryError` whose message starts with ``file:line:``.
"""
from __future__ import annotations

import gzip
import re
from pathlib import Path
from typing import Any, Iterable, Sequence

from ..errors import GlossaryError
from .entry import Entry

FORMAT_VERSION = 1
COLUMNS = ("id", "cyrillic", "latin", "type", "parents", "population", "aliases", "source")

_VERSION_RE = re.compile(r"#\s*normkit-glossary\s+(\d+)\s*$")
_TYPE_RE = re.compile(r"[a-z][a-z_]*\Z")


def _read_text(path: Path) -> str:
    try:
        data = gzip.decompress(path.read_bytes()) if path.name.endswith(".gz") else path.read_bytes()
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise GlossaryError(f"{path}: cannot read glossary: {getattr(exc, 'strerror', None) or exc}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise GlossaryError(f"{path}:{line}: not UTF-8 text") from None


def _split_list(value: str) -> tuple[str, ...]:
    if not value:
        return ()
    items = value.split("|")
    if " " in value:  # tolerate "a | b"
        items = [item.strip() for item in items]
    return tuple(dict.fromkeys(item for item in items if item))


def read_glossary(path: Path | str) -> list[Entry]:
    """Parse one glossary file (``.tsv`` or ``.tsv.gz``); a malformed row raises :class:`GlossaryError`
    whose message starts with ``file:line:``."""
    path = Path(path)
    lines = _read_text(path).split("\n")
    marker = _VERSION_RE.match(lines[0].rstrip("\r")) if lines else None
    if marker is None:
        raise GlossaryError(f"{path}:1: expected the version line '# normkit-glossary {FORMAT_VERSION}'")
    if int(marker.group(1)) != FORMAT_VERSION:
        raise GlossaryError(f"{path}:1: glossary format version {marker.group(1)} is not supported "
                            f"(this normkit reads version {FORMAT_VERSION})")
    entries: list[Entry] = []
    first_line: dict[str, int] = {}
    known_types: set[str] = set()
    header_seen = False
    default_source = path.name.removesuffix(".gz")
    # One object for each repeated value (types, sources, parent ids and lists): less memory, and
    # the table cache's pickle refers to it again instead of writing, then making, a copy per entry.
    shared: dict[object, Any] = {}
    for lineno, line in enumerate(lines[1:], start=2):
        line = line.rstrip("\r")
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if not header_seen:
            if tuple(f.strip() for f in fields) != COLUMNS:
                raise GlossaryError(f"{path}:{lineno}: expected the header row {' '.join(COLUMNS)!r} "
                                    "(tab-separated)")
            header_seen = True
            continue
        if len(fields) != len(COLUMNS):
            raise GlossaryError(f"{path}:{lineno}: expected {len(COLUMNS)} columns, got {len(fields)}")
        entry_id, cyrillic, latin, type_, parents, population, aliases, source = [f.strip() for f in fields]
        if not entry_id or " " in entry_id:
            raise GlossaryError(f"{path}:{lineno}: the id must be non-empty and without spaces, got {entry_id!r}")
        if entry_id in first_line:
            raise GlossaryError(f"{path}:{lineno}: duplicate id {entry_id!r} (first on line {first_line[entry_id]})")
        if not cyrillic or not latin:
            raise GlossaryError(f"{path}:{lineno}: both the cyrillic and the latin name are required")
        if type_ not in known_types:
            if not _TYPE_RE.match(type_):
                raise GlossaryError(f"{path}:{lineno}: the type must be a lower-case word such as city, "
                                    f"got {type_!r}")
            known_types.add(type_)
        if population and not population.isdigit():
            raise GlossaryError(f"{path}:{lineno}: population must be a whole number, got {population!r}")
        parent_ids = _split_list(parents)
        if " " in parents and any(" " in p for p in parent_ids):
            raise GlossaryError(f"{path}:{lineno}: parents are '|'-separated ids without spaces, got {parents!r}")
        first_line[entry_id] = lineno
        parent_ids = shared.setdefault(parent_ids, tuple(shared.setdefault(p, p) for p in parent_ids))
        entries.append(Entry(entry_id, cyrillic, latin, shared.setdefault(type_, type_), parent_ids,
                             int(population or 0), _split_list(aliases), shared.setdefault(source, source)
                             if source else default_source))
    if not header_seen:
        raise GlossaryError(f"{path}:{len(lines)}: no header row")
    return entries


def format_row(entry: Entry) -> str:
    """One glossary row (no newline); raises ValueError if a field cannot be written."""
    fields = (entry.id, entry.cyrillic, entry.latin, entry.type, "|".join(entry.parents),
              str(entry.population), "|".join(entry.aliases), entry.source)
    for value in (*fields, *entry.parents, *entry.aliases):
        if "\t" in value or "\n" in value or "\r" in value:
            raise ValueError(f"{entry.id}: a field contains a tab or newline: {value!r}")
    if any("|" in v for v in (*entry.parents, *entry.aliases)):
        raise ValueError(f"{entry.id}: an alias or parent contains '|'")
    return "\t".join(fields)


def write_glossary(path: Path | str, entries: Iterable[Entry], comments: Sequence[str] = ()) -> int:
    """Write entries (in the order given) as a glossary file, gzipped (reproducibly) for ``.gz``.
    Returns the number of rows."""
    path = Path(path)
    rows = [format_row(e) for e in entries]
    text = "\n".join([f"# normkit-glossary {FORMAT_VERSION}", *(f"# {c}" for c in comments),
                      "\t".join(COLUMNS), *rows]) + "\n"
    data = text.encode("utf-8")
    path.write_bytes(gzip.compress(data, compresslevel=9, mtime=0) if path.name.endswith(".gz") else data)
    return len(rows)
