"""The in-memory gazetteer: glossary entries indexed by name, optionally backed by a :class:`Store`."""
from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

from ..buildcache import cached, check_dict
from .entry import Entry, name_key
from .glossary import read_glossary
from .keyindex import KeySet
from .store import Store

GLOSSARY_TABLE_VERSION = "2"  # bump when reading a glossary gives other entries from the same file (2: shared values)
NAME_TABLE_VERSION = "2"      # bump when name_key() or what is indexed changes (2: a trie)

KeyFunction = Callable[[Entry], Iterable[str]]
_NAMES = "\0names"  # the store's own name index, beside those registered with add_index


def _ranked(entries: Iterable[Entry]) -> list[Entry]:
    """Unique entries, biggest first (a matcher's natural tie-break), then by id for determinism."""
    unique = {e.id: e for e in entries}
    return sorted(unique.values(), key=lambda e: (-e.population, e.id))


@dataclass(frozen=True)
class _Index:
    version: str
    keys: KeyFunction
    memory: dict[str, list[Entry]]  # key -> in-memory entries


class NameTrie:
    """name_key -> ids, read from a BytesTrie of each key's ids joined by NUL (the form the table
    cache keeps: :meth:`packed`)."""

    def __init__(self, data: bytes) -> None:
        import marisa_trie

        self._trie = marisa_trie.BytesTrie().frombytes(data)

    @staticmethod
    def packed(index: dict[str, tuple[str, ...]]) -> bytes:
        import marisa_trie

        if any("\0" in i for ids in index.values() for i in ids):
            return b""  # an id the format cannot hold (no shipped glossary has one): no trie
        return bytes(marisa_trie.BytesTrie((k, "\0".join(ids).encode("utf-8")) for k, ids in index.items()).tobytes())

    def get(self, key: str, default: tuple[str, ...] = ()) -> tuple[str, ...]:
        found = self._trie.get(key)
        return tuple(found[0].decode("utf-8").split("\0")) if found else default


class Gazetteer:
    """Entries from glossaries (in memory; a later entry with the same id replaces an earlier one),
    optionally backed by a :class:`~normkit.gazetteer.store.Store` whose entries are fetched on demand.
    A store entry whose id is also in memory is shadowed by the in-memory one.

    Safe to share between threads. An import into the store while it is in use is seen from the next
    query on (indexes are rebuilt for it). It pickles by its recipe when it has one (the glossary
    files of :meth:`from_files` and the store's path; the files are read again, on first use, in the
    process that unpickles it), else by its entries; registered indexes are not pickled (their key
    functions may be lambdas): register them again with :meth:`add_index`."""

    _entries: dict[str, Entry] | None  # None: to be read from _files on first use

    def __init__(self, entries: Iterable[Entry], store: Store | None = None) -> None:
        self._setup(store, files=None)
        self._entries = self._keyed(entries)

    @classmethod
    def from_files(cls, paths: Sequence[Path | str], store: Store | None = None, *,
                   lazy: bool = False) -> Gazetteer:
        """The entries of these glossary files (a malformed row raises here; with ``lazy``, the
        files are read on first use instead: for a gazetteer a process may never need to read)."""
        files = tuple(Path(p) for p in paths)
        gazetteer = cls.__new__(cls)
        gazetteer._setup(store, files)
        if not lazy:
            gazetteer._entries = gazetteer._read(files)
        return gazetteer

    def _setup(self, store: Store | None, files: tuple[Path, ...] | None) -> None:
        self._store = store
        self._files = files                  # the recipe, when built from glossary files
        self._entries = None
        self._names: dict[str, tuple[str, ...]] | NameTrie | None = None  # name_key -> ids, built on first lookup
        self._indexes: dict[str, _Index] = {}
        self._len: tuple[int, int] | None = None  # (store generation, length)
        # The store's name keys and index keys as hash filters, per generation: a name or key the
        # store does not hold (most of those a text asks about) costs no query.
        self._store_keys: dict[tuple[str, str], tuple[int, KeySet]] = {}
        self._lock = threading.Lock()

    @staticmethod
    def _keyed(entries: Iterable[Entry]) -> dict[str, Entry]:
        keyed: dict[str, Entry] = {}
        for entry in entries:
            keyed[entry.id] = entry
        return keyed

    @classmethod
    def _read(cls, files: Sequence[Path]) -> dict[str, Entry]:
        # Parsed once per set of files, then loaded from the user's cache (see normkit.buildcache).
        return cached("glossaries", GLOSSARY_TABLE_VERSION, files,
                      lambda: cls._keyed(entry for path in files for entry in read_glossary(path)),
                      check=check_dict(str, Entry), classes=(Entry,))

    def _memory(self) -> dict[str, Entry]:
        entries = self._entries
        if entries is None:
            with self._lock:
                if self._entries is None:
                    self._entries = self._read(self._files or ())
                entries = self._entries
        return entries

    # -- pickling: the recipe (or the entries), never the connection, the lock or the indexes

    def __getstate__(self) -> dict[str, Any]:
        if self._files is not None:
            return {"files": [str(p) for p in self._files], "store": self._store}
        return {"entries": list(self._memory().values()), "store": self._store}

    def __setstate__(self, state: dict[str, Any]) -> None:
        if "files" in state:
            self._setup(state["store"], tuple(Path(p) for p in state["files"]))
        else:
            self._setup(state["store"], None)
            self._entries = self._keyed(state["entries"])

    # -- entries

    @property
    def store(self) -> Store | None:
        return self._store

    @property
    def files(self) -> tuple[Path, ...] | None:
        """The glossary files it was read from (:meth:`from_files`), else None."""
        return self._files

    def __len__(self) -> int:
        entries = self._memory()
        if self._store is None:
            return len(entries)
        generation = self._store.generation()
        known = self._len
        if known is None or known[0] != generation:
            extra = self._store.count() - self._store.count_ids(entries)
            known = self._len = (generation, len(entries) + extra)
        return known[1]

    def __iter__(self) -> Iterator[Entry]:
        """In-memory entries in load order, then the store's (streamed; slow for a large store)."""
        entries = self._memory()
        yield from entries.values()
        if self._store is not None:
            for entry in self._store.iter_entries():
                if entry.id not in entries:
                    yield entry

    def __contains__(self, entry_id: object) -> bool:
        return isinstance(entry_id, str) and self.get(entry_id) is not None

    def get(self, entry_id: str) -> Entry | None:
        entry = self._memory().get(entry_id)
        if entry is None and self._store is not None:
            entry = self._store.get(entry_id)
        return entry

    def parents(self, entry: Entry) -> list[Entry]:
        """The entry's parents that resolve, nearest first."""
        return [p for p in map(self.get, entry.parents) if p is not None]

    def memory_entries(self) -> Iterator[Entry]:
        """Only the glossary entries (no store): cheap to scan in full."""
        return iter(self._memory().values())

    def counts(self) -> dict[str, int]:
        """Number of entries per type (store included), sorted by type."""
        entries = self._memory()
        counts: dict[str, int] = {}
        for entry in entries.values():
            counts[entry.type] = counts.get(entry.type, 0) + 1
        if self._store is not None:
            for type_, n in self._store.type_counts(exclude=entries).items():
                counts[type_] = counts.get(type_, 0) + n
        return dict(sorted(counts.items()))

    # -- lookups

    def _name_index(self) -> dict[str, tuple[str, ...]] | NameTrie:
        """name_key -> ids of the in-memory entries with that name: built once per set of glossary
        files and kept in the user's cache as a trie (tens of thousands of villages make it worth
        keeping, and a trie loads in a fraction of the time a dict of them unpickles in)."""
        names = self._names
        if names is None:
            entries = self._memory()
            with self._lock:
                if self._names is None:
                    def build() -> dict[str, tuple[str, ...]]:
                        built: dict[str, list[str]] = {}
                        for entry in entries.values():
                            for key in {name_key(n) for n in entry.names}:
                                built.setdefault(key, []).append(entry.id)
                        return {k: tuple(v) for k, v in built.items()}

                    files = self._files
                    packed = b"" if files is None else cached(
                        "glossary-names", f"{GLOSSARY_TABLE_VERSION}.{NAME_TABLE_VERSION}", files,
                        lambda: NameTrie.packed(build()), check=lambda value: isinstance(value, bytes))
                    self._names = NameTrie(packed) if packed else build()
                names = self._names
        return names

    def lookup(self, name: str) -> list[Entry]:
        """Entries whose canonical form, Latin form or alias equals ``name`` (case-insensitive;
        compared by :func:`name_key`), biggest population first."""
        key = name_key(name)
        entries = self._memory()
        found = [entries[i] for i in self._name_index().get(key, ())]
        if self._store is not None and self._store_may_hold(_NAMES, "", key):
            found.extend(e for e in self._store.lookup_key(key) if e.id not in entries)
        return _ranked(found)

    def add_index(self, name: str, keys: KeyFunction, version: str = "1",
                  memory: dict[str, list[Entry]] | None = None) -> None:
        """Index every entry under the strings ``keys(entry)`` returns (e.g. transliteration-folded
        skeletons), for :meth:`by_key`. In-memory entries are indexed now; the store's entries once per
        (name, version) and import, persisted in the store, so change ``version`` whenever ``keys``
        changes. ``memory``: the in-memory part already made (a caller's cached table), exactly what
        the loop here would make: each key's entries in :meth:`memory_entries` order, once each."""
        index: dict[str, list[Entry]] = {} if memory is None else memory
        if memory is None:
            for entry in self._memory().values():
                for key in dict.fromkeys(keys(entry)):
                    index.setdefault(key, []).append(entry)
        if self._store is not None:
            self._store.ensure_index(name, version, keys)
        self._indexes[name] = _Index(version, keys, index)

    def _store_may_hold(self, kind: str, version: str, key: str) -> bool:
        """Could the store hold ``key`` among its names (``kind`` _NAMES) or in index ``kind``?
        False only when it certainly does not."""
        store = self._store
        assert store is not None
        generation = store.generation()
        found = self._store_keys.get((kind, version))
        if found is None or found[0] != generation:
            if kind == _NAMES:
                keys = KeySet(store.name_keys())
            else:
                keys = KeySet(store.index_keys(kind, version, self._indexes[kind].keys))
            found = self._store_keys[kind, version] = (generation, keys)
        return not found[1].absent(key)

    def has_index(self, name: str, version: str = "1") -> bool:
        index = self._indexes.get(name)
        return index is not None and index.version == version

    def by_key(self, name: str, key: str) -> list[Entry]:
        """Entries the index ``name`` (see :meth:`add_index`) files under ``key``, biggest first."""
        index = self._indexes.get(name)
        if index is None:
            raise KeyError(f"no index {name!r}: call add_index() first")
        found = list(index.memory.get(key, ()))
        if self._store is not None and self._store_may_hold(name, index.version, key):
            entries = self._memory()
            found.extend(e for e in self._store.by_key(name, index.version, key, index.keys)
                         if e.id not in entries)
        return _ranked(found)

    def index_keys(self, name: str) -> Iterator[str]:
        """The in-memory keys of index ``name`` (the store's are not listed: there may be millions)."""
        return iter(self._indexes[name].memory)
