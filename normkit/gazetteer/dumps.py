"""Reading dump files for import: plain, ``.gz`` or ``.zip``, streamed line by line and bounded, so a zip
or gzip bomb (or a file with no line breaks) fails fast in bounded memory; and telling their format.

Errors: :class:`~normkit.errors.StoreError` for a file that cannot be read at all,
:class:`~normkit.errors.GlossaryError` (``file:line:``) for a bad line.
"""
from __future__ import annotations

import csv
import gzip
import io
import zipfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Protocol

from ..errors import GlossaryError, StoreError

# The full GeoNames RU dump is about 0.1 GB, allCountries about 1.6 GB, and text compresses about 4:1.
MAX_IMPORT_BYTES = 8 << 30          # uncompressed bytes read from one file
MAX_COMPRESSION_RATIO = 100         # uncompressed : compressed, for .zip members and .gz files
MAX_ROW_CHARS = 1 << 20             # one row (GeoNames rows are under 20,000 characters)

GEONAMES_COLUMNS = 19               # the GeoNames country dump (RU.txt): tab-separated
POSTAL_TSV_COLUMNS = 12             # the GeoNames postal-code dump (RU.txt from the postal folder)
SETTLEMENTS_HEADER = ("id", "region", "municipality", "settlement", "type", "population", "children",
                      "latitude_dms", "longitude_dms", "latitude_dd", "longitude_dd", "oktmo", "dadata",
                      "rosstat")  # the settlements registry keyed by OKTMO (a CSV with this header)
POSTAL_CSV_HEADER = ("country_code", "zipcode", "place", "state", "state_code", "province",
                     "province_code", "community", "community_code", "latitude", "longitude")


class _Reader(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


class _Bounded(io.RawIOBase):
    """A binary stream that refuses to yield more than ``limit`` bytes (decompression bombs)."""

    def __init__(self, raw: _Reader, limit: int, where: str, why: str) -> None:
        self.raw, self.left, self.where, self.why = raw, limit, where, why

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview | bytearray) -> int:  # type: ignore[override]
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
def open_text(path: Path) -> Iterator[tuple[io.TextIOBase, str]]:
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


def lines(stream: io.TextIOBase, where: str) -> Iterator[tuple[int, str]]:
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
    """``"geonames"`` (19 tab-separated columns), ``"postal"`` (the CSV with its header, or the
    12-column postal TSV) or ``"settlements"`` (the OKTMO registry's CSV header), from the first line."""
    with open_text(path) as (stream, where):
        for _, line in lines(stream, where):
            if not line.strip():
                continue
            if line.startswith("country_code,"):
                return "postal"
            if tuple(next(csv.reader([line]))) == SETTLEMENTS_HEADER:
                return "settlements"
            tabs = line.count("\t")
            if tabs == GEONAMES_COLUMNS - 1:
                return "geonames"
            if tabs == POSTAL_TSV_COLUMNS - 1 or (
                    tabs == 0 and len(next(csv.reader([line]))) == len(POSTAL_CSV_HEADER)):
                return "postal"
            break
    raise StoreError(f"{path}: neither a GeoNames dump (19 tab-separated columns), "
                     "a GeoNames postal-code file (CSV or 12-column TSV) nor a settlements registry "
                     "(CSV with an oktmo column)")
