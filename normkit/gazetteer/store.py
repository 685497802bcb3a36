"""The local gazetteer store: entries in SQLite in the user data dir, queried on demand.

Why SQLite and on-demand queries: a full GeoNames dump gives hundreds of thousands of entries, which
cannot be loaded in the 0.3 s the default gazetteer may take. A :class:`~normkit.gazetteer.Gazetteer`
keeps glossaries in memory and asks the store only for the names it meets (:meth:`Store.lookup_key`),
for ids (:meth:`Store.get`), or for keys of an index the matcher registers (:meth:`Store.ensure_index`
/ :meth:`Store.by_key`; the keys are computed once per index version and store generation, and
persisted here). The importers (:mod:`.geonames`, :mod:`.postal`) write through :meth:`Store.importing`.

Sharing: each thread gets its own SQLite connection, opened on first use; a store pickles as its path
and reconnects in the new process. The file is in WAL mode, so an import (one long write transaction,
possibly in another process) never blocks readers: they read the last committed data until the import
commits, then the new data; every import bumps :meth:`Store.generation`, and indexes built before it
are rebuilt on their next use.
"""
from __future__ import annotations

import os
import sqlite3
import threading
import time
import weakref
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

from ..errors import StoreError
from .entry import Entry, name_key

ENV_DATA_DIR = "NORMKIT_DATA_DIR"
STORE_FILE = "gazetteer.sqlite3"
SCHEMA_VERSION = 1
STORE_BUSY_TIMEOUT_S = 60.0         # wait this long for another import to finish
ENV_BUSY_TIMEOUT = "NORMKIT_STORE_TIMEOUT"  # seconds, overrides STORE_BUSY_TIMEOUT_S
WAL_SIZE_LIMIT = 64 << 20           # bytes of write-ahead log kept after an import's checkpoint
ID_BATCH = 500                      # ids per "id IN (...)" query (SQLite allows 999 parameters at least)
ENTRY_BATCH = 2000                  # entries per query when streaming the whole store

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS entries(
    id TEXT PRIMARY KEY, cyrillic TEXT NOT NULL, latin TEXT NOT NULL, type TEXT NOT NULL,
    parents TEXT NOT NULL, population INTEGER NOT NULL, aliases TEXT NOT NULL, source TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS names(key TEXT NOT NULL, id TEXT NOT NULL, PRIMARY KEY(key, id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS names_by_id ON names(id);
CREATE TABLE IF NOT EXISTS keys(ix TEXT NOT NULL, key TEXT NOT NULL, id TEXT NOT NULL,
    PRIMARY KEY(ix, key, id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS indexes(ix TEXT PRIMARY KEY, version TEXT NOT NULL, generation INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS imports(n INTEGER PRIMARY KEY, path TEXT NOT NULL, kind TEXT NOT NULL,
    rows INTEGER NOT NULL, added INTEGER NOT NULL, skipped INTEGER NOT NULL, at TEXT NOT NULL);
"""
_ENTRY_COLUMNS = "e.id, e.cyrillic, e.latin, e.type, e.parents, e.population, e.aliases, e.source"


def data_dir() -> Path:
    """``$NORMKIT_DATA_DIR``, else the platform's user data dir for normkit."""
    value = os.environ.get(ENV_DATA_DIR, "").strip()
    if value:
        return Path(value).expanduser()
    import platformdirs  # only when the env var is unset

    return Path(platformdirs.user_data_dir("normkit", appauthor=False))


def default_store_path() -> Path:
    return data_dir() / STORE_FILE


def busy_timeout() -> float:
    """Seconds to wait for a store another process is writing (``$NORMKIT_STORE_TIMEOUT``)."""
    value = os.environ.get(ENV_BUSY_TIMEOUT, "").strip()
    try:
        return float(value) if value else STORE_BUSY_TIMEOUT_S
    except ValueError:
        raise StoreError(f"{ENV_BUSY_TIMEOUT}={value!r}: not a number of seconds") from None


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    return "locked" in str(exc) or "busy" in str(exc)


def _busy_error(path: Path) -> StoreError:
    return StoreError(f"{path}: the store is busy (another import is writing it) and stayed busy for "
                      f"{busy_timeout():g} s; try again when it has finished")


def _row_to_entry(row: Sequence[Any]) -> Entry:
    id_, cyrillic, latin, type_, parents, population, aliases, source = row
    return Entry(id_, cyrillic, latin, type_, tuple(parents.split("|")) if parents else (), population,
                 tuple(aliases.split("|")) if aliases else (), source)


# ---------------------------------------------------------------- what the store says of itself

@dataclass
class ImportCounts:
    """What one import has done so far (filled in by the importer inside :meth:`Store.importing`)."""
    rows: int = 0                                         # data rows read
    added: int = 0                                        # entries written (new or replaced)
    skipped: dict[str, int] = field(default_factory=dict)  # reason -> rows not imported

    def skip(self, reason: str) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + 1


@dataclass(frozen=True)
class ImportReport:
    path: str
    kind: str                    # geonames | postal
    rows: int                    # data rows read
    added: int                   # entries written (new or replaced)
    skipped: dict[str, int]      # reason -> rows not imported
    seconds: float

    @classmethod
    def of(cls, source: Path, kind: str, counts: ImportCounts, started: float) -> ImportReport:
        return cls(str(source), kind, counts.rows, counts.added, dict(counts.skipped),
                   time.perf_counter() - started)

    def __str__(self) -> str:
        skipped = ", ".join(f"{n} {why}" for why, n in sorted(self.skipped.items()) if n) or "none"
        return (f"imported {self.added} entries from {self.path} ({self.kind}, {self.rows} rows, "
                f"{self.seconds:.1f} s); skipped: {skipped}")


@dataclass(frozen=True)
class StoreInfo:
    path: Path
    exists: bool
    size: int = 0
    entries: int = 0
    types: dict[str, int] = field(default_factory=dict)
    imports: list[tuple[str, str, int, str]] = field(default_factory=list)  # (path, kind, added, at)
    indexes: list[tuple[str, str]] = field(default_factory=list)            # (name, version)

    def __str__(self) -> str:
        if not self.exists:
            return f"store: {self.path} (none yet: normkit gazetteer import FILE creates it)"
        lines = [f"store: {self.path} ({self.size / 1e6:.1f} MB, {self.entries} entries)"]
        lines += [f"  {type_}: {n}" for type_, n in self.types.items()]
        lines += [f"import: {p} ({kind}, {n} entries, {at})" for p, kind, n, at in self.imports]
        lines += [f"index: {name} (version {version})" for name, version in self.indexes]
        return "\n".join(lines)


# ---------------------------------------------------------------- the store

class _Connection:
    """One thread's connection. A holder, so that :meth:`Store.close` can reach every thread's (a
    sqlite3 connection cannot be weakly referenced), while a thread that ends takes its own along."""
    __slots__ = ("db", "__weakref__")

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db: sqlite3.Connection | None = db


def _reopen(path: str) -> Store:
    """Unpickling: the store at ``path``, connected on first use."""
    return Store(Path(path), connect=False)


class Store:
    """One SQLite gazetteer store. ``create=False`` (the default) requires the file to exist.

    Safe to share between threads (one connection per thread) and to pickle (as its path). Closing
    it releases every thread's connection; using it again reconnects."""

    def __init__(self, path: Path, *, create: bool = False, connect: bool = True) -> None:
        self.path = Path(path)
        self._create = create
        self._local = threading.local()
        self._open: weakref.WeakSet[_Connection] = weakref.WeakSet()
        self._lock = threading.Lock()        # guards _open and _uri
        self._index_lock = threading.Lock()  # one index rebuild at a time in this process
        self._uri: str | None = None         # how to open the file, once found to be a store
        # index name -> (version, generation it is current for, keys -> ids if held in memory because
        # the store could not be written, else None: persisted in the file)
        self._indexes: dict[str, tuple[str, int, dict[str, list[str]] | None]] = {}
        self._count: tuple[int, int] | None = None  # (generation, count)
        if connect:
            if not create and not self.path.is_file():
                raise StoreError(f"{self.path}: no gazetteer store here")
            _ = self._db  # connect now, so that a bad file fails here and not at the first query

    def __reduce__(self) -> tuple[Callable[[str], Store], tuple[str]]:
        return _reopen, (str(self.path),)

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r})"

    # -- connections

    @property
    def _db(self) -> sqlite3.Connection:
        """This thread's connection, opened on first use."""
        holder: _Connection | None = getattr(self._local, "holder", None)
        if holder is not None and holder.db is not None:
            return holder.db
        db = self._connect()
        holder = _Connection(db)
        self._local.holder = holder
        with self._lock:
            self._open.add(holder)
        return db

    def _connect(self) -> sqlite3.Connection:
        try:
            if self._create:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            elif not self.path.is_file():
                raise StoreError(f"{self.path}: no gazetteer store here")
            with self._lock:
                uri = self._uri
            if uri is not None:  # another thread has checked the file
                return self._open_uri(uri)
            # mode=rw: never create a file by reading; rwc only when asked to create one.
            uri = self.path.absolute().as_uri() + ("?mode=rwc" if self._create else "?mode=rw")
            try:
                db = self._open_checked(uri)
            except sqlite3.OperationalError:
                if self._create or os.access(self.path.parent, os.W_OK):
                    raise
                # A WAL store in a folder nobody may write (a read-only mount): SQLite cannot make its
                # shared-memory file there, and nobody can be writing the store, so read it as it is.
                uri = self.path.absolute().as_uri() + "?mode=ro&immutable=1"
                db = self._open_checked(uri)
            with self._lock:
                self._uri = uri
            return db
        except sqlite3.OperationalError as exc:
            if _is_busy(exc):
                raise _busy_error(self.path) from None
            raise StoreError(f"{self.path}: not a usable gazetteer store: {exc}") from None
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: not a usable gazetteer store: {exc}") from None
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot create the store: {exc}") from None

    @staticmethod
    def _open_uri(uri: str) -> sqlite3.Connection:
        # Another import may hold the write lock: wait for it (SQLite's busy timeout), not fail.
        # check_same_thread=False only so that close() may close it from another thread.
        db = sqlite3.connect(uri, uri=True, check_same_thread=False, isolation_level=None, timeout=busy_timeout())
        db.execute(f"PRAGMA journal_size_limit={WAL_SIZE_LIMIT}")  # per connection, not persisted
        return db

    def _open_checked(self, uri: str) -> sqlite3.Connection:
        """A connection to a file found to be a store of this schema (made so with ``create``)."""
        db = self._open_uri(uri)
        try:
            if self._create:
                # WAL: readers keep reading while an import writes, and see its data once it commits.
                db.execute("PRAGMA journal_mode=WAL")
                db.executescript(_SCHEMA)
            row = db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
            if row is None and self._create:
                db.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
            elif row is None or row[0] != str(SCHEMA_VERSION):
                found = row[0] if row else "unknown"
                raise StoreError(f"{self.path}: store schema {found}, this normkit needs {SCHEMA_VERSION}; "
                                 "delete the file and import again")
        except BaseException:
            db.close()
            raise
        return db

    def close(self) -> None:
        """Close every thread's connection (call it when no other thread is querying). The store stays
        usable: the next query reconnects."""
        with self._lock:
            holders = list(self._open)
            self._open.clear()
        for holder in holders:
            db, holder.db = holder.db, None
            if db is not None:
                db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def generation(self) -> int:
        """Bumped by every import: indexes built before it are stale."""
        return int(self._meta("generation") or 0)

    # -- reading

    def count(self) -> int:
        generation = self.generation()
        known = self._count
        if known is None or known[0] != generation:
            known = self._count = (generation, self._db.execute("SELECT COUNT(*) FROM entries").fetchone()[0])
        return known[1]

    def _present(self, ids: Iterable[str]) -> Iterator[tuple[str, str]]:
        """(id, type) of those ``ids`` that are in the store."""
        batch: list[str] = []
        for entry_id in [*ids, None]:
            if entry_id is not None:
                batch.append(entry_id)
            if batch and (entry_id is None or len(batch) == ID_BATCH):
                marks = ",".join("?" * len(batch))
                yield from self._db.execute(f"SELECT id, type FROM entries WHERE id IN ({marks})",
                                            batch).fetchall()
                batch = []

    def count_ids(self, ids: Iterable[str]) -> int:
        """How many of ``ids`` the store holds (to discount entries a glossary shadows)."""
        return sum(1 for _ in self._present(ids))

    def type_counts(self, exclude: Iterable[str] = ()) -> dict[str, int]:
        counts = dict(self._db.execute("SELECT type, COUNT(*) FROM entries GROUP BY type ORDER BY type"))
        for _, type_ in self._present(exclude):
            counts[type_] -= 1
        return {t: n for t, n in counts.items() if n}

    def get(self, entry_id: str) -> Entry | None:
        row = self._db.execute(f"SELECT {_ENTRY_COLUMNS} FROM entries e WHERE e.id = ?", (entry_id,)).fetchone()
        return _row_to_entry(row) if row else None

    def lookup_key(self, key: str) -> list[Entry]:
        """Entries one of whose names has :func:`~normkit.gazetteer.name_key` ``key``."""
        rows = self._db.execute(f"SELECT {_ENTRY_COLUMNS} FROM names n JOIN entries e ON e.id = n.id "
                                "WHERE n.key = ? ORDER BY e.id", (key,)).fetchall()
        return [_row_to_entry(r) for r in rows]

    def lookup(self, name: str) -> list[Entry]:
        return self.lookup_key(name_key(name))

    def iter_entries(self, batch: int = ENTRY_BATCH) -> Iterator[Entry]:
        """Every entry, by id, fetched in batches (safe to interleave with other queries)."""
        last = ""
        while True:
            rows = self._db.execute(f"SELECT {_ENTRY_COLUMNS} FROM entries e WHERE e.id > ? "
                                    "ORDER BY e.id LIMIT ?", (last, batch)).fetchall()
            if not rows:
                return
            yield from map(_row_to_entry, rows)
            last = rows[-1][0]

    # -- indexes registered by the matcher

    def ensure_index(self, name: str, version: str, keys: Callable[[Entry], Iterable[str]]) -> None:
        """Make index ``name`` at ``version`` current for this generation: computed over all entries,
        then persisted (so once per import, whichever process comes first). A store we may not write
        gets an in-memory index instead."""
        with self._index_lock:
            generation = self.generation()
            state = self._indexes.get(name)
            if state is not None and state[:2] == (version, generation):
                return
            db = self._db
            try:
                if db.execute("SELECT version, generation FROM indexes WHERE ix = ?",
                              (name,)).fetchone() != (version, generation):
                    db.execute("BEGIN IMMEDIATE")
                    generation = self.generation()  # an import may have committed while we waited
                    if db.execute("SELECT version, generation FROM indexes WHERE ix = ?",
                                  (name,)).fetchone() != (version, generation):
                        db.execute("DELETE FROM keys WHERE ix = ?", (name,))
                        rows = ((name, key, e.id) for e in self.iter_entries() for key in dict.fromkeys(keys(e)))
                        db.executemany("INSERT OR IGNORE INTO keys VALUES (?, ?, ?)", rows)
                        db.execute("INSERT OR REPLACE INTO indexes VALUES (?, ?, ?)", (name, version, generation))
                    db.execute("COMMIT")
            except sqlite3.OperationalError:  # read-only file or folder, or an import holds the lock
                if db.in_transaction:
                    db.execute("ROLLBACK")
                generation = self.generation()
                index: dict[str, list[str]] = {}
                for entry in self.iter_entries():
                    for key in dict.fromkeys(keys(entry)):
                        index.setdefault(key, []).append(entry.id)
                self._indexes[name] = (version, generation, index)
                return
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
            self._indexes[name] = (version, generation, None)

    def name_keys(self) -> Iterator[str]:
        """Every distinct :func:`~normkit.gazetteer.name_key` of the store's names (streamed)."""
        cursor = self._db.execute("SELECT DISTINCT key FROM names")
        while rows := cursor.fetchmany(ENTRY_BATCH):
            yield from (r[0] for r in rows)

    def index_keys(self, name: str, version: str, keys: Callable[[Entry], Iterable[str]]) -> Iterator[str]:
        """Every distinct key index ``name`` files entries under (brought up to date first)."""
        self.ensure_index(name, version, keys)
        state = self._indexes.get(name)
        if state is not None and state[2] is not None:
            yield from list(state[2])
            return
        cursor = self._db.execute("SELECT DISTINCT key FROM keys WHERE ix = ?", (name,))
        while rows := cursor.fetchmany(ENTRY_BATCH):
            yield from (r[0] for r in rows)

    def by_key(self, name: str, version: str, key: str,
               keys: Callable[[Entry], Iterable[str]] | None = None) -> list[Entry]:
        """Entries that index ``name`` files under ``key``. Given ``keys``, the index is first brought
        up to date if an import has changed the store since it was built."""
        state = self._indexes.get(name)
        if keys is not None and (state is None or state[:2] != (version, self.generation())):
            self.ensure_index(name, version, keys)
            state = self._indexes.get(name)
        if state is not None and state[0] == version and state[2] is not None:
            return [e for e in map(self.get, state[2].get(key, ())) if e]
        rows = self._db.execute(f"SELECT {_ENTRY_COLUMNS} FROM keys k JOIN entries e ON e.id = k.id "
                                "WHERE k.ix = ? AND k.key = ? ORDER BY e.id", (name, key)).fetchall()
        return [_row_to_entry(r) for r in rows]

    # -- writing (the importers)

    @contextmanager
    def importing(self, source: Path, kind: str) -> Iterator[ImportCounts]:
        """One import, all or nothing: waits up to :func:`busy_timeout` for another import, bumps the
        generation and records itself on success, rolls back on any error. Readers (other threads and
        processes) see the old data until it commits."""
        counts = ImportCounts()
        db = self._db
        try:
            db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if _is_busy(exc):
                raise _busy_error(self.path) from None
            raise StoreError(f"{self.path}: cannot write the store: {exc}") from None
        try:
            yield counts
            db.execute("INSERT OR REPLACE INTO meta VALUES ('generation', ?)", (str(self.generation() + 1),))
            db.execute("INSERT INTO imports(path, kind, rows, added, skipped, at) VALUES (?,?,?,?,?,?)",
                       (str(source), kind, counts.rows, counts.added, sum(counts.skipped.values()),
                        time.strftime("%Y-%m-%d %H:%M:%S")))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        # Fold the log back into the file as far as readers allow, without waiting for them.
        db.execute("PRAGMA wal_checkpoint(PASSIVE)")

    def write(self, entry: Entry) -> None:
        """Add or replace one entry; only inside :meth:`importing`."""
        db = self._db
        if not db.in_transaction:
            raise RuntimeError("Store.write() outside Store.importing()")
        db.execute("DELETE FROM names WHERE id = ?", (entry.id,))
        db.execute("INSERT OR REPLACE INTO entries VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                   (entry.id, entry.cyrillic, entry.latin, entry.type, "|".join(entry.parents),
                    entry.population, "|".join(entry.aliases), entry.source))
        db.executemany("INSERT OR IGNORE INTO names VALUES (?, ?)",
                       ((key, entry.id) for key in {name_key(n) for n in entry.names}))

    # -- information

    def info(self) -> StoreInfo:
        db = self._db
        imports = [(str(p), str(k), int(n), str(at))
                   for p, k, n, at in db.execute("SELECT path, kind, added, at FROM imports ORDER BY n")]
        indexes = [(str(ix), str(v)) for ix, v in db.execute("SELECT ix, version FROM indexes ORDER BY ix")]
        wal = self.path.with_name(self.path.name + "-wal")  # data not yet folded into the file
        size = self.path.stat().st_size + (wal.stat().st_size if wal.is_file() else 0)
        return StoreInfo(self.path, True, size, self.count(), self.type_counts(), imports, indexes)


def open_store(path: Path | None = None) -> Store | None:
    """The store at ``path`` (default: the user data dir's), or None if there is none yet."""
    path = Path(path) if path else default_store_path()
    return Store(path) if path.is_file() else None


def info(store_path: Path | None = None) -> StoreInfo:
    path = Path(store_path) if store_path else default_store_path()
    store = open_store(path)
    if store is None:
        return StoreInfo(path, False)
    with store:
        return store.info()
