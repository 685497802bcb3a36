"""Importing the GeoNames postal-code dump (the CSV with its header, or the 12-column TSV) into a store.

The dump has Cyrillic names only (romanised here with BGN/PCGN) and one row per post office: numbered
offices (``Кириши 1``) collapse into their settlement, post-office facilities are skipped, and places
already in the glossaries or a GeoNames import are not added twice. Districts the glossaries lack
become store entries of their region.
"""
from __future__ import annotations

import csv
import io
import re
import time
from pathlib import Path
from typing import Iterator, Sequence

from .._paths import glossaries_dir
from ..errors import GlossaryError
from .dumps import POSTAL_CSV_HEADER, POSTAL_TSV_COLUMNS, lines, open_text
from .entry import PLACE_TYPES, Entry, name_key
from .geonames import shipped_admin_codes, shipped_gazetteer
from .index import Gazetteer
from .naming import bgn, lower_type_words, place_aliases, plain, russian_names
from .store import ImportCounts, ImportReport, Store

# Post-office facilities, not places: sorting centres (МСЦ, АСЦ), post offices (Почтамт, ОПС, ...).
_FACILITY_RE = re.compile(r"(?:^|[\s-])(?:Дти|Попс|Почтамт|Уч\.|Мсц|Асц|Цоп|Пв|Уфпс|Ппс|Гпс|Сц|Оспп|Спецзона|"
                          r"Экспедиция|Эоп|Опс|Ооп|Ап|Мрп|Пжд)(?:$|[\s\-.\d])", re.IGNORECASE)
_NUMBERED_RE = re.compile(r"\s*-?\s*\d+$")
_SMALL_WORDS = {"и", "на", "над", "под", "в", "во", "с", "со", "у", "при", "за", "до", "по", "из", "им.", "имени"}


def _postal_rows(stream: io.TextIOBase, where: str) -> Iterator[tuple[int, list[str]]]:
    """(line, fields) of a postal CSV (header required or not) or the GeoNames 12-column postal TSV."""
    header_checked = False
    for lineno, line in lines(stream, where):
        if not line.strip():
            continue
        if "\t" in line:
            fields = line.split("\t")
            if len(fields) != POSTAL_TSV_COLUMNS:
                raise GlossaryError(f"{where}:{lineno}: expected {POSTAL_TSV_COLUMNS} tab-separated columns "
                                    f"(GeoNames postal dump), got {len(fields)}")
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


def _district(store: Store, known: Gazetteer, region: str, district: str, state_code: str,
              counts: ImportCounts) -> str | None:
    """The id of the district ``district`` of ``region``: a shipped or stored one, else a new entry."""
    if not district:
        return None
    for entry in [*known.lookup(district), *store.lookup(district)]:
        if entry.type == "district" and (not region or region in entry.parents):
            return entry.id
    slug = re.sub(r"[^a-z0-9]+", "-", plain(bgn(district))).strip("-")
    entry_id = f"postal:{state_code or 'xx'}:{slug}"
    if store.get(entry_id) is None:
        store.write(_postal_entry(entry_id, district, "district", [region] if region else [], None))
        counts.added += 1
    return entry_id


def _is_known_place(store: Store, known: Gazetteer, name: str, parents: Sequence[str]) -> bool:
    """The same populated place is already in the glossaries or a GeoNames import: same name, same
    region, and the same district, or none known while it is a town (GeoNames cities500 rows lack
    districts; a same-named village elsewhere in the region is another place)."""
    region = parents[-1] if parents else None
    district = parents[0] if len(parents) > 1 else None
    for entry in [*known.lookup(name), *store.lookup(name)]:
        if (entry.type not in PLACE_TYPES or entry.id.startswith("postal:")
                or name_key(entry.cyrillic) != name_key(name)
                or (region is not None and region not in entry.parents)):
            continue
        entry_district = entry.parents[0] if len(entry.parents) > 1 else None
        if entry_district == district or (entry_district is None
                                          and (district is None or entry.type != "village")):
            return True
    return False


def import_postal(store: Store, source: Path) -> ImportReport:
    """Import the GeoNames postal-code dump into ``store``: one entry per settlement (numbered post
    offices such as ``Кириши 1`` collapse into ``Кириши``), type village, parents district and region
    from its columns; post-office facilities and places already known are skipped."""
    started = time.perf_counter()
    source = Path(source)
    known = shipped_gazetteer()
    codes = shipped_admin_codes(glossaries_dir())
    places: dict[tuple[str, str, str], tuple[str, str]] = {}  # (region id, district, place) -> (zip, state code)
    read = ImportCounts()
    with open_text(source) as (stream, where):
        for _, fields in _postal_rows(stream, where):
            read.rows += 1
            country, zipcode, place, state, state_code, province = fields[:6]
            if country != "RU":
                read.skip("not RU")
                continue
            settlement = _postal_place(place)
            if settlement is None:
                read.skip("post-office facilities")
                continue
            region = codes.get(f"RU.{state_code}") if state_code else _region_by_name(known, state)
            key = (region or "", _title_district(province) if province else "", settlement)
            if key in places:  # another post office of the same place: keep the lowest code as id
                read.skip("numbered duplicates")
                if zipcode >= places[key][0]:
                    continue
            places[key] = (zipcode, state_code)
    with store.importing(source, "postal") as counts:
        counts.rows, counts.skipped = read.rows, read.skipped
        for (region, district, settlement), (zipcode, state_code) in sorted(places.items()):
            parents = [p for p in (_district(store, known, region, district, state_code, counts), region) if p]
            if _is_known_place(store, known, settlement, parents):
                counts.skip("already known")
                continue
            store.write(_postal_entry(f"postal:{zipcode}", settlement, "village", parents, source))
            counts.added += 1
    return ImportReport.of(source, "postal", counts, started)
