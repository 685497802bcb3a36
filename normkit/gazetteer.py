"""Gazetteer: named entities (places, people) loaded from glossary TSV files and the local store.

A glossary file (format documented in ``glossaries/README.md``) is a version line
``# normkit-glossary 1``, a header row naming :data:`COLUMNS`, then one entry per row; list fields
are ``|``-separated; lines starting with ``#`` are comments. Nothing is read at import time:
:func:`default_gazetteer` (places and curated people, small, fast) and :func:`name_lexicon` (given
names, surnames and patronymics, large) each load on first call and are cached.

The local SQLite store (:mod:`normkit.store`, filled by ``normkit gazetteer import``) can hold
hundreds of thousands of entries, far too many to load eagerly; a :class:`Gazetteer` therefore keeps
its glossary entries in memory and asks the store on demand (``get``, ``lookup``, ``by_key``).
"""
from __future__ import annotations

import gzip
import os
import re
import threading
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, Sequence

from ._paths import glossaries_dir
from .errors import GlossaryError

if TYPE_CHECKING:
    from .store import Store

FORMAT_VERSION = 1
COLUMNS = ("id", "cyrillic", "latin", "type", "parents", "population", "aliases", "source")
ENV_GLOSSARIES = "NORMKIT_GLOSSARIES"
# Shipped files, in load order (later files override earlier ones entry by entry, by id).
PLACE_FILES = ("geonames_ru.tsv", "curated_places.tsv", "curated_features.tsv", "curated_historical_names.tsv",
               "curated_adjectives.tsv", "curated_people.tsv", "curated_officials.tsv",
               "curated_notable_people.tsv")
NAMES_FILE = "names.tsv.gz"  # the person-name lexicon: loaded only by name_lexicon()
PLACE_TYPES = frozenset({"city", "town", "village"})  # populated places; the type is only a hint

_VERSION_RE = re.compile(r"#\s*normkit-glossary\s+(\d+)\s*$")
_TYPE_RE = re.compile(r"[a-z][a-z_]*\Z")
_FOLD = str.maketrans({"ё": "е", "’": "'", "ʼ": "'", "‘": "'", "ʹ": "'", "`": "'",
                       "‐": "-", "‑": "-", "–": "-", "—": "-",
                       "\u0301": None, "\u0300": None})  # stress marks from dictionaries


@dataclass(frozen=True)
class Entry:
    id: str                      # stable id, e.g. "geonames:548442", "curated:volgograd-traktorozavodsky"
    cyrillic: str                # canonical Cyrillic form, e.g. "Кириши", "улица Лодыгина", "Андрей Бочаров"
    latin: str                   # preferred Latin form: established English or BGN/PCGN ("Kirishi", "Grozny")
    type: str                    # region, district, city_district, city, town, village, street, person, ...
    parents: tuple[str, ...]     # ids of parent entries (region, district, city), nearest first
    population: int              # 0 when unknown
    aliases: tuple[str, ...]     # other accepted spellings, either script
    source: str                  # where the row came from (file name or package)

    @property
    def names(self) -> tuple[str, ...]:
        """Every accepted spelling: canonical Cyrillic, preferred Latin, then the aliases."""
        return (self.cyrillic, self.latin, *self.aliases)


def name_key(name: str) -> str:
    """The form :meth:`Gazetteer.lookup` compares: NFC, case-folded, ё as е, stress marks dropped,
    apostrophes and dashes unified, whitespace collapsed. Latin diacritics are kept (Kiriši ≠ Kirisi)."""
    return " ".join(unicodedata.normalize("NFC", name).casefold().translate(_FOLD).split())


# Words naming what kind of place a name is, not which: stripped by core_name(). Both scripts, lower case.
TYPE_WORDS = frozenset("""
район rayon raion district городской gorodskoy urban округ okrug административный
administrative автономный autonomous автономная область oblast region край krai kray territory
республика republic respublika улица ulitsa street ул. ul. проспект prospekt prospect avenue площадь
ploshchad square переулок pereulok lane шоссе shosse highway набережная naberezhnaya embankment
деревня derevnya village село selo посёлок поселок posyolok poselok settlement город gorod city town
г. д. с. пос. муниципальный municipal
""".split())


def core_name(name: str) -> str:
    """The name without leading or trailing type words: ``улица Лодыгина`` -> ``Лодыгина``,
    ``Kirishsky District`` -> ``Kirishsky``, ``Republic of Adygea`` -> ``Adygea``. Returns ``name``
    unchanged if nothing would be left."""
    words = name.split()
    start, end = 0, len(words)
    while start < end and (words[start].lower() in TYPE_WORDS or
                           (words[start].lower() == "of" and start > 0)):
        start += 1
    while end > start and words[end - 1].lower() in TYPE_WORDS:
        end -= 1
    return " ".join(words[start:end]) or name


# ---------------------------------------------------------------- reading and writing glossary files

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
        entries.append(Entry(entry_id, cyrillic, latin, type_, parent_ids, int(population or 0),
                             _split_list(aliases), source or default_source))
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


# ---------------------------------------------------------------- the index

def _ranked(entries: Iterable[Entry]) -> list[Entry]:
    """Unique entries, biggest first (a matcher's natural tie-break), then by id for determinism."""
    unique = {e.id: e for e in entries}
    return sorted(unique.values(), key=lambda e: (-e.population, e.id))


class Gazetteer:
    """Entries from glossaries (in memory; a later entry with the same id replaces an earlier one),
    optionally backed by a :class:`~normkit.store.Store` whose entries are fetched on demand. A store
    entry whose id is also in memory is shadowed by the in-memory one."""

    def __init__(self, entries: Iterable[Entry], store: Store | None = None) -> None:
        self._entries: dict[str, Entry] = {}
        for entry in entries:
            self._entries[entry.id] = entry
        self._store = store
        self._names: dict[str, list[Entry]] | None = None  # name_key -> entries, built on first lookup
        self._indexes: dict[str, tuple[str, dict[str, list[Entry]]]] = {}
        self._len: int | None = None
        self._lock = threading.Lock()

    @classmethod
    def from_files(cls, paths: Sequence[Path], store: Store | None = None) -> "Gazetteer":
        entries: list[Entry] = []
        for path in paths:
            entries.extend(read_glossary(path))
        return cls(entries, store)

    @property
    def store(self) -> Store | None:
        return self._store

    def __len__(self) -> int:
        if self._len is None:
            extra = 0
            if self._store is not None:
                extra = self._store.count() - self._store.count_ids(self._entries)
            self._len = len(self._entries) + extra
        return self._len

    def __iter__(self) -> Iterator[Entry]:
        """In-memory entries in load order, then the store's (streamed; slow for a large store)."""
        yield from self._entries.values()
        if self._store is not None:
            for entry in self._store.iter_entries():
                if entry.id not in self._entries:
                    yield entry

    def __contains__(self, entry_id: object) -> bool:
        return isinstance(entry_id, str) and self.get(entry_id) is not None

    def get(self, entry_id: str) -> Entry | None:
        entry = self._entries.get(entry_id)
        if entry is None and self._store is not None:
            entry = self._store.get(entry_id)
        return entry

    def parents(self, entry: Entry) -> list[Entry]:
        """The entry's parents that resolve, nearest first."""
        return [p for p in map(self.get, entry.parents) if p is not None]

    def memory_entries(self) -> Iterator[Entry]:
        """Only the glossary entries (no store): cheap to scan in full."""
        return iter(self._entries.values())

    def counts(self) -> dict[str, int]:
        """Number of entries per type (store included), sorted by type."""
        counts: dict[str, int] = {}
        for entry in self._entries.values():
            counts[entry.type] = counts.get(entry.type, 0) + 1
        if self._store is not None:
            for type_, n in self._store.type_counts(exclude=self._entries).items():
                counts[type_] = counts.get(type_, 0) + n
        return dict(sorted(counts.items()))

    def _name_index(self) -> dict[str, list[Entry]]:
        if self._names is None:
            with self._lock:
                if self._names is None:
                    names: dict[str, list[Entry]] = {}
                    for entry in self._entries.values():
                        for key in {name_key(n) for n in entry.names}:
                            names.setdefault(key, []).append(entry)
                    self._names = names
        return self._names

    def lookup(self, name: str) -> list[Entry]:
        """Entries whose canonical form, Latin form or alias equals ``name`` (case-insensitive;
        compared by :func:`name_key`), biggest population first."""
        key = name_key(name)
        found = list(self._name_index().get(key, ()))
        if self._store is not None:
            found.extend(e for e in self._store.lookup_key(key) if e.id not in self._entries)
        return _ranked(found)

    def add_index(self, name: str, keys: Callable[[Entry], Iterable[str]], version: str = "1") -> None:
        """Index every entry under the strings ``keys(entry)`` returns (e.g. transliteration-folded
        skeletons), for :meth:`by_key`. In-memory entries are indexed now; the store's entries once per
        (name, version), persisted in the store, so change ``version`` whenever ``keys`` changes."""
        index: dict[str, list[Entry]] = {}
        for entry in self._entries.values():
            for key in dict.fromkeys(keys(entry)):
                index.setdefault(key, []).append(entry)
        if self._store is not None:
            self._store.ensure_index(name, version, keys)
        self._indexes[name] = (version, index)

    def has_index(self, name: str, version: str = "1") -> bool:
        return name in self._indexes and self._indexes[name][0] == version

    def by_key(self, name: str, key: str) -> list[Entry]:
        """Entries the index ``name`` (see :meth:`add_index`) files under ``key``, biggest first."""
        if name not in self._indexes:
            raise KeyError(f"no index {name!r}: call add_index() first")
        version, index = self._indexes[name]
        found = list(index.get(key, ()))
        if self._store is not None:
            found.extend(e for e in self._store.by_key(name, version, key) if e.id not in self._entries)
        return _ranked(found)

    def index_keys(self, name: str) -> Iterator[str]:
        """The in-memory keys of index ``name`` (the store's are not listed: there may be millions)."""
        return iter(self._indexes[name][1])


# ---------------------------------------------------------------- defaults (cached)

def shipped_glossary_paths() -> list[Path]:
    folder = glossaries_dir()
    return [folder / name for name in PLACE_FILES if (folder / name).is_file()]


def _expand(path: Path) -> list[Path]:
    if path.is_dir():  # a folder of glossaries: its *.tsv and *.tsv.gz, sorted
        return sorted(p for p in path.iterdir() if p.name.endswith((".tsv", ".tsv.gz")))
    if not path.is_file():
        raise GlossaryError(f"{path}: no such glossary file")
    return [path]


def user_glossary_paths(extra: Sequence[Path | str] = ()) -> list[Path]:
    """Glossaries named by NORMKIT_GLOSSARIES (``os.pathsep``-separated files or folders), then ``extra``."""
    env = [p for p in os.environ.get(ENV_GLOSSARIES, "").split(os.pathsep) if p.strip()]
    paths: list[Path] = []
    for item in [*env, *extra]:
        paths.extend(_expand(Path(item).expanduser()))
    return paths


_cache: dict[tuple, Gazetteer] = {}
_recent: dict[tuple, tuple[float, Gazetteer]] = {}  # quick key -> (when checked, gazetteer)
_RECHECK_SECONDS = 1.0
_cache_lock = threading.Lock()


def default_gazetteer(extra: Sequence[Path] = ()) -> Gazetteer:
    """Shipped glossaries + NORMKIT_GLOSSARIES files + ``extra`` + the local store, loaded once (cached).

    Later sources override earlier ones by id. The person-name lexicon is not included (see
    :func:`name_lexicon`); the store is consulted on demand, not loaded.
    """
    from . import store as store_module

    # Called once per clean(): settle the common case without touching the file system, and look
    # again (glossary files, a store made meanwhile) at most once a second.
    quick = (os.environ.get(ENV_GLOSSARIES), os.environ.get(store_module.ENV_DATA_DIR), tuple(map(str, extra)))
    seen = _recent.get(quick)
    if seen is not None and time.monotonic() - seen[0] < _RECHECK_SECONDS:
        return seen[1]
    paths = [*shipped_glossary_paths(), *user_glossary_paths(extra)]
    store_path = store_module.default_store_path()
    has_store = store_path.is_file()
    key = (tuple(str(p) for p in paths), str(store_path), has_store)
    with _cache_lock:
        gazetteer = _cache.get(key)
        if gazetteer is None:
            store = store_module.Store(store_path) if has_store else None
            gazetteer = _cache[key] = Gazetteer.from_files(paths, store)
        _recent[quick] = (time.monotonic(), gazetteer)
        return gazetteer


_lexicon: Gazetteer | None = None


def name_lexicon() -> Gazetteer:
    """Given names, surnames and patronymics (types ``given_name``, ``surname``, ``patronymic``) from
    the shipped ``names.tsv.gz``: tens of thousands of entries, loaded on first call (~0.5 s)."""
    global _lexicon
    with _cache_lock:
        if _lexicon is None:
            path = glossaries_dir() / NAMES_FILE
            _lexicon = Gazetteer.from_files([path] if path.is_file() else [])
        return _lexicon


def reset_caches() -> None:
    """Forget loaded gazetteers (after a store import, or when glossary files changed)."""
    global _lexicon
    with _cache_lock:
        for gazetteer in _cache.values():
            if gazetteer.store is not None:
                gazetteer.store.close()
        _cache.clear()
        _recent.clear()
        _lexicon = None
