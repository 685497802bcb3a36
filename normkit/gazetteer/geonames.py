"""Importing the GeoNames country dump (``RU.txt`` / ``RU.zip``: 19 tab-separated columns) into a store.

Populated places and ADM1/ADM2 divisions by default; each gets its Russian name chosen among the
alternates, BGN/PCGN Latin, accepted other spellings and parents from its admin codes
(:mod:`.naming`). The file is streamed twice (admin codes first, so a district only the dump defines
can still be a parent), never read whole; a malformed row raises
:class:`~normkit.errors.GlossaryError` naming the file and line, and rolls the import back.
"""
from __future__ import annotations

import functools
import time
from pathlib import Path

from .._paths import glossaries_dir
from ..errors import GlossaryError
from .dumps import GEONAMES_COLUMNS, lines, open_text
from .entry import Entry
from .index import Gazetteer
from .naming import bgn, choose_cyrillic, lower_type_words, place_aliases, settlement_type
from .sources import shipped_glossary_paths
from .store import ImportReport, Store

ADMIN_CODES_FILE = "admin_codes.tsv"  # GeoNames admin codes (RU.42, RU.42.548441) -> shipped entry ids
FEATURE_CLASSES = "PA"                # populated places and administrative divisions
_FEATURE_TYPES = {"ADM1": "region", "ADM2": "district", "ADMD": "admin_division", "PPLX": "city_district",
                  "STM": "river", "LK": "lake", "RSV": "reservoir", "MT": "mountain", "ISL": "island"}
_SKIPPED_FEATURES = {"PPLH", "PPLQ", "PPLW", "ADM1H", "ADM2H", "PCLI"}  # historical, abandoned, country
_ADMIN_FEATURES = ("ADM1", "ADM2", "ADMD")  # the administrative divisions (class A) imported


@functools.lru_cache(maxsize=4)
def shipped_admin_codes(folder: Path) -> dict[str, str]:
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


def shipped_gazetteer() -> Gazetteer:
    """The shipped glossaries alone: what an import need not add again."""
    return Gazetteer.from_files(shipped_glossary_paths())


def _admin_codes(source: Path) -> dict[str, str]:
    """Admin code -> entry id: the shipped table, plus ADM1/ADM2 rows of the dump itself."""
    codes = dict(shipped_admin_codes(glossaries_dir()))
    with open_text(source) as (stream, where):
        for _, line in lines(stream, where):
            fields = line.split("\t")
            if len(fields) == GEONAMES_COLUMNS and fields[7] in ("ADM1", "ADM2") and fields[10]:
                code = f"{fields[8]}.{fields[10]}" + (f".{fields[11]}" if fields[7] == "ADM2" else "")
                codes.setdefault(code, f"geonames:{fields[0]}")
    return codes


def import_geonames(store: Store, source: Path, *, feature_classes: str = FEATURE_CLASSES) -> ImportReport:
    """Import a GeoNames dump (``RU.txt``, ``RU.zip``, ``.gz``; also ``cities500``-style extracts) into
    ``store``: populated places and ADM1/ADM2 divisions by default (``feature_classes`` adds e.g. ``H``
    for rivers). Rows without a Russian name, or already shipped in the glossaries, are skipped."""
    started = time.perf_counter()
    source = Path(source)
    known = shipped_gazetteer()
    codes = _admin_codes(source)
    with store.importing(source, "geonames") as counts, open_text(source) as (stream, where):
        for lineno, line in lines(stream, where):
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
            counts.rows += 1
            if fclass not in feature_classes or fcode in _SKIPPED_FEATURES or (
                    fclass == "A" and fcode not in _ADMIN_FEATURES):
                counts.skip("other features")
                continue
            entry_id = f"geonames:{gid}"
            if known.get(entry_id) is not None:
                counts.skip("already shipped")
                continue
            names = alternates.split(",") if alternates else []
            cyrillic = choose_cyrillic([name, asciiname], names)
            if cyrillic is None:
                counts.skip("no Russian name")
                continue
            population = max(int(fields[14] or 0), 0)
            type_ = (settlement_type(population, fcode) if fclass == "P" and fcode != "PPLX"
                     else _FEATURE_TYPES.get(fcode, "feature"))
            parents = [codes[c] for c in (f"{country}.{admin1}.{admin2}", f"{country}.{admin1}")
                       if admin1 and c in codes and codes[c] != entry_id and not c.endswith(".")]
            if fclass == "A":
                cyrillic = lower_type_words(cyrillic)
            latin = bgn(cyrillic)
            store.write(Entry(entry_id, cyrillic, latin, type_, tuple(dict.fromkeys(parents)), population,
                              place_aliases(cyrillic, latin, [name, asciiname], names),
                              f"geonames:{source.name}"))
            counts.added += 1
    return ImportReport.of(source, "geonames", counts, started)
