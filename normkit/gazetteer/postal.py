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
from typing import Callable, Iterator, Sequence

from .._paths import glossaries_dir
from ..errors import GlossaryError
from .dumps import POSTAL_CSV_HEADER, POSTAL_TSV_COLUMNS, lines, open_text
from .entry import PLACE_TYPES, Entry, name_key
from .geonames import shipped_admin_codes, shipped_gazetteer
from .index import Gazetteer
from .naming import bgn, lower_type_words, place_aliases, plain, russian_names
from .store import ImportCounts, ImportReport, Store

# Post-office facilities, not places: sorting centres (МСЦ, АСЦ, УМСЦ), post offices (Почтамт, ОПС, ОП,
# ОПП, ГСП, ЦПП, ...), mobile offices (Передвижное), exchange offices (ММПО, АОПП).
_FACILITY_RE = re.compile(r"(?:^|[\s-])(?:Дти|Попс|Почтамт|Уч\.|Мсц|Асц|Цоп|Пв|Уфпс|Ппс|Гпс|Сц|Оспп|Спецзона|"
                          r"Экспедиция|Эоп|Опс|Ооп|Ап|Мрп|Пжд|Оп|Опп|Гсп|Цпп|Мрб|Пп|Пос|Ммпо|Аопп|Умсц|"
                          r"Передвижное)(?:$|[\s\-.\d])", re.IGNORECASE)
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


class _Known:
    """What a postal build may not add twice: the known gazetteer, and the store's or the build's own
    entries (``more``: name -> entries), looked up together."""

    def __init__(self, known: Gazetteer, more: Callable[[str], list[Entry]]) -> None:
        self.known, self.more = known, more

    def lookup(self, name: str) -> list[Entry]:
        return [*self.known.lookup(name), *self.more(name)]


def _district(known: _Known, region: str, district: str, state_code: str, made: dict[str, Entry]) -> str | None:
    """The id of the district ``district`` of ``region``: a known one, else a new entry put in ``made``."""
    if not district:
        return None
    for entry in known.lookup(district):
        if entry.type == "district" and (not region or region in entry.parents):
            return entry.id
    slug = re.sub(r"[^a-z0-9]+", "-", plain(bgn(district))).strip("-")
    entry_id = f"postal:{state_code or 'xx'}:{slug}"
    if entry_id not in made:
        made[entry_id] = _postal_entry(entry_id, district, "district", [region] if region else [], None)
    return entry_id


def _is_known_place(known: _Known, name: str, parents: Sequence[str], unique: bool) -> bool:
    """The same populated place is already known (glossaries, a GeoNames import, the shipped postal
    villages): same name, same region, and the same district, or none known while it is a town or
    the only place of that name the dump lists in the region (GeoNames cities500 rows lack districts;
    a same-named village elsewhere in the region is another place)."""
    region = parents[-1] if parents else None
    district = parents[0] if len(parents) > 1 else None
    for entry in known.lookup(name):
        if (entry.type not in PLACE_TYPES or name_key(entry.cyrillic) != name_key(name)
                or (region is not None and region not in entry.parents)):
            continue
        entry_district = entry.parents[0] if len(entry.parents) > 1 else None
        if entry_district == district or (entry_district is None
                                          and (district is None or unique or entry.type != "village")):
            return True
    return False


def read_postal(source: Path, known: Gazetteer, counts: ImportCounts,
                more: Callable[[str], list[Entry]] = lambda name: [],
                codes: dict[str, str] | None = None) -> list[Entry]:
    """The settlements of a GeoNames postal-code dump that ``known`` (and ``more``) lack, as entries:
    one per settlement (numbered post offices such as ``Кириши 1`` collapse into ``Кириши``, the
    lowest code naming it), type village, parents district and region from its columns; districts
    nobody knows come first, as entries of their region. Post-office facilities are skipped; rows
    read and skipped are counted in ``counts``; ``codes`` maps GeoNames admin codes to ids (default:
    the shipped table). Shared by the store import and the glossary build."""
    codes = shipped_admin_codes(glossaries_dir()) if codes is None else codes
    places: dict[tuple[str, str, str], tuple[str, str]] = {}  # (region id, district, place) -> (zip, state code)
    with open_text(source) as (stream, where):
        for _, fields in _postal_rows(stream, where):
            counts.rows += 1
            country, zipcode, place, state, state_code, province = fields[:6]
            if country != "RU":
                counts.skip("not RU")
                continue
            settlement = _postal_place(place)
            if settlement is None:
                counts.skip("post-office facilities")
                continue
            region = codes.get(f"RU.{state_code}") if state_code else _region_by_name(known, state)
            key = (region or "", _title_district(province) if province else "", settlement)
            if key in places:  # another post office of the same place: keep the lowest code as id
                counts.skip("numbered duplicates")
                if zipcode >= places[key][0]:
                    continue
            places[key] = (zipcode, state_code)
    made: dict[str, Entry] = {}
    by_name: dict[str, list[Entry]] = {}

    def lookup_made(name: str) -> list[Entry]:
        return [*more(name), *by_name.get(name_key(name), ())]

    lookup = _Known(known, lookup_made)
    in_region: dict[tuple[str, str], int] = {}
    for region, _, settlement in places:
        in_region[region, name_key(settlement)] = in_region.get((region, name_key(settlement)), 0) + 1
    villages: list[Entry] = []
    seen_districts: set[str] = set()
    for (region, district, settlement), (zipcode, state_code) in sorted(places.items()):
        district_id = _district(lookup, region, district, state_code, made)
        if district_id in made and district_id not in seen_districts:  # findable by the next rows
            seen_districts.add(district_id)
            by_name.setdefault(name_key(made[district_id].cyrillic), []).append(made[district_id])
        parents = [p for p in (district_id, region) if p]
        if _is_known_place(lookup, settlement, parents, in_region[region, name_key(settlement)] == 1):
            counts.skip("already known")
            continue
        villages.append(_postal_entry(f"postal:{zipcode}", settlement, "village", parents, source))
    return [*sorted(made.values(), key=lambda e: e.id), *villages]


def import_postal(store: Store, source: Path) -> ImportReport:
    """Import the GeoNames postal-code dump into ``store`` (:func:`read_postal`): the settlements
    and districts neither the shipped glossaries (the shipped postal villages included) nor the
    store's other imports hold."""
    started = time.perf_counter()
    source = Path(source)
    read = ImportCounts()

    def stored(name: str) -> list[Entry]:  # the store's own postal entries are replaced, not kept twice
        return [e for e in store.lookup(name) if not e.id.startswith("postal:")]

    entries = read_postal(source, shipped_gazetteer(), read, stored)
    with store.importing(source, "postal") as counts:
        counts.rows, counts.skipped = read.rows, read.skipped
        for entry in entries:
            store.write(entry)
            counts.added += 1
    return ImportReport.of(source, "postal", counts, started)
