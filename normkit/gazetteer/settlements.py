"""Importing a settlements registry keyed by OKTMO (the census list of every Russian settlement:
``id, region, municipality, settlement, type, population, ..., oktmo, dadata, rosstat``) into a store.

A registry the user brings, like GeoNames ``RU.zip``: it names about 156,000 settlements, far more
than the shipped postal villages. Each becomes an entry ``oktmo:<code>`` (a second settlement under
the same code ``oktmo:<code>.2``, ...; one without a code ``oktmo:na.<row id>``), Cyrillic as given, BGN/PCGN Latin and accepted spellings
(:mod:`.naming`), type by population, parents its municipality and region. A municipality is the
district adjective (``Киришский``) or an urban okrug's name; one the glossaries do not hold becomes
an entry ``oktmo:<5 digits>`` of its region. Settlements already known (same name, region and
district) are not added twice.
"""
from __future__ import annotations

import csv
import re
import time
from pathlib import Path
from typing import Iterator

from ..errors import GlossaryError
from .dumps import SETTLEMENTS_HEADER, lines, open_text
from .entry import PLACE_TYPES, TYPE_WORDS, Entry, name_key
from .geonames import shipped_gazetteer
from .index import Gazetteer
from .naming import bgn, place_aliases, settlement_type
from .store import ImportReport, Store

SOURCE = "settlements"
_OKTMO_RE = re.compile(r"\d{1,11}")
_NO_CODE = ("", "NA")  # a settlement without a code: id oktmo:na.<the registry's row id>
_LOSSY_RE = re.compile(r"\d(?:\.\d+)?e\+\d{1,2}")  # a code a spreadsheet wrote as a float (6.5e+07): digits lost
# OKTMO codes written as numbers lose a leading zero: 11-digit settlement and 8-digit municipality codes.
_PADDED = {10: 11, 7: 8}
_DISTRICT_DIGITS = 5  # region (2) + municipal district or okrug (3)
_ADJECTIVE_RE = re.compile(r"(?:ский|цкий|ской|цкой|ный|ний|ий|ый|ой)$")
# Words of a municipality's name that say what kind it is (МР: муниципальный район, ГО: городской
# округ, МО: муниципальное образование; кожуун, улус: Tuva's and Yakutia's districts).
_KIND_WORDS = frozenset({"муниципальный", "мр", "го", "мо", "муниципальное", "образование", "город", "кожуун",
                         "улус", "муниципальный"})


def _rows(source: Path) -> Iterator[tuple[int, dict[str, str]]]:
    with open_text(source) as (stream, where):
        header: tuple[str, ...] | None = None
        for lineno, line in lines(stream, where):
            if not line.strip():
                continue
            fields = next(csv.reader([line]))
            if header is None:
                if tuple(fields) != SETTLEMENTS_HEADER:
                    raise GlossaryError(f"{where}:{lineno}: expected the settlements header "
                                        f"{','.join(SETTLEMENTS_HEADER)}")
                header = SETTLEMENTS_HEADER
                continue
            if len(fields) != len(header):
                raise GlossaryError(f"{where}:{lineno}: expected {len(header)} comma-separated columns "
                                    f"(settlements registry), got {len(fields)}")
            row = dict(zip(header, (f.strip() for f in fields)))
            if row["oktmo"] in _NO_CODE:
                row["oktmo"] = ""
            elif not _OKTMO_RE.fullmatch(row["oktmo"]) and not _LOSSY_RE.fullmatch(row["oktmo"]):
                raise GlossaryError(f"{where}:{lineno}: the OKTMO code must be digits, got {row['oktmo']!r}")
            if row["population"] and not row["population"].isdigit():
                raise GlossaryError(f"{where}:{lineno}: population must be a whole number, "
                                    f"got {row['population']!r}")
            yield lineno, row


def _oktmo(code: str) -> str:
    """The code with the leading zero a number lost put back; a float's digits (6.5e+07 -> 65000000)."""
    if _LOSSY_RE.fullmatch(code):
        return str(int(float(code)))
    return code.zfill(_PADDED.get(len(code), len(code)))


class _Places:
    """Regions and districts by name, from the known gazetteer (and the store), and the districts
    this import adds."""

    def __init__(self, known: Gazetteer, store: Store) -> None:
        self.known, self.store = known, store
        self.regions: dict[str, str | None] = {}
        self.districts: dict[tuple[str, str], str] = {}
        self.new: dict[str, Entry] = {}

    def lookup(self, name: str) -> list[Entry]:
        return [*self.known.lookup(name), *self.store.lookup(name)]

    def region(self, name: str) -> str | None:
        if name not in self.regions:
            found = None
            core = re.sub(r"(?i)\s*\bреспублика\b\s*", " ", name).strip()
            for form in (name, core, re.sub(r"\s*\(.*\)", "", core), *re.findall(r"\((.+)\)", name)):
                found = next((e.id for e in self.lookup(form) if e.type == "region"), None) if form else None
                if found:
                    break
            self.regions[name] = found
        return self.regions[name]

    def district(self, municipality: str, region: str | None, code: str) -> str | None:
        """The id of ``municipality`` of ``region``: a known district, else a new entry."""
        if not municipality:
            return None
        key = (region or "", municipality)
        if key in self.districts:
            return self.districts[key]
        words = municipality.split()
        bare = " ".join(w for w in words if w.lower() not in TYPE_WORDS and w.lower() not in _KIND_WORDS)
        town = any(e.type in PLACE_TYPES and e.type != "village" and (region is None or region in e.parents)
                   for e in self.lookup(bare)) if bare else False  # Грозный, Донской: urban okrugs
        if bare and _ADJECTIVE_RE.search(bare.split()[-1]) and not town:
            forms = [municipality, f"{bare} район", f"{bare} муниципальный округ", f"{bare} городской округ"]
            cyrillic = f"{bare} район"
        else:
            forms = [municipality, f"городской округ {bare}", f"{bare} городской округ"]
            cyrillic = f"городской округ {bare}"
        found = None
        for form in forms:
            found = next((e.id for e in self.lookup(form) if e.type == "district"
                          and (region is None or region in e.parents)), None)
            if found:
                break
        if found is None:
            found = f"oktmo:{code[:_DISTRICT_DIGITS]}" if len(code) == 11 and not code.endswith("000000") else \
                f"oktmo:{region or 'xx'}:{re.sub(r'[^a-z0-9]+', '-', bgn(bare).lower()).strip('-')}"
            if found not in self.new:
                latin = bgn(cyrillic)
                self.new[found] = Entry(found, cyrillic, latin, "district", (region,) if region else (), 0,
                                        place_aliases(cyrillic, latin), SOURCE)
        self.districts[key] = found
        return found


def _is_known(places: _Places, name: str, parents: tuple[str, ...]) -> bool:
    """The same settlement is known already: same name, region and district (or, for an entry with
    no district, such as a cities500 place, a town or city)."""
    region = parents[-1] if parents else None
    district = parents[0] if len(parents) > 1 else None
    for entry in places.lookup(name):
        if (entry.type not in PLACE_TYPES or entry.id.startswith("oktmo:") or name_key(entry.cyrillic) != name_key(name)
                or (region is not None and region not in entry.parents)):
            continue
        entry_district = entry.parents[0] if len(entry.parents) > 1 else None
        if entry_district == district or (entry_district is None and entry.type != "village"):
            return True
    return False


def import_settlements(store: Store, source: Path) -> ImportReport:
    """Import the settlements registry into ``store`` (see the module's note); one transaction."""
    started = time.perf_counter()
    source = Path(source)
    places = _Places(shipped_gazetteer(), store)
    used: dict[str, int] = {}
    settlements: list[Entry] = []
    with store.importing(source, SOURCE) as counts:
        for _, row in _rows(source):
            counts.rows += 1
            name = row["settlement"]
            if not name:
                counts.skip("no name")
                continue
            code = _oktmo(row["oktmo"])
            region = places.region(row["region"])
            district = places.district(row["municipality"], region, code)
            parents = tuple(p for p in (district, region) if p)
            if _is_known(places, name, parents):
                counts.skip("already known")
                continue
            if not code:
                code = f"na.{row['id']}"
            used[code] = used.get(code, 0) + 1
            entry_id = f"oktmo:{code}" + (f".{used[code]}" if used[code] > 1 else "")
            population = int(row["population"] or 0)
            latin = bgn(name)
            type_ = "village" if row["type"] != "г" else settlement_type(population)
            settlements.append(Entry(entry_id, name, latin, type_, parents, population,
                                     place_aliases(name, latin), SOURCE))
        for entry in [*places.new.values(), *settlements]:
            store.write(entry)
            counts.added += 1
    return ImportReport.of(source, SOURCE, counts, started)
