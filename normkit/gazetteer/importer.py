"""``normkit gazetteer import FILE``: tell the dump's format, open (or create) the store, run its importer.

Gazetteers already in use over the store see the new entries from their next query on (the store is
read in WAL mode and the import is one transaction), so nothing needs resetting afterwards.
"""
from __future__ import annotations

from pathlib import Path

from ..errors import StoreError
from ..dump_formats import FORMATS
from .dumps import detect_format
from .geonames import import_geonames
from .postal import import_postal
from .settlements import import_settlements
from .store import ImportReport, Store, default_store_path


def import_file(source: Path | str, kind: str | None = None, store_path: Path | str | None = None) -> ImportReport:
    """Import a GeoNames dump, postal file or settlements registry (``kind`` ``geonames``/``postal``/
    ``settlements``, detected if None) into the store at ``store_path`` (default: the user data
    dir's), creating it if need be."""
    source = Path(source)
    kind = kind or detect_format(source)
    if kind not in FORMATS:
        raise StoreError(f"unknown import kind {kind!r}: use {' or '.join(FORMATS)}")
    with Store(Path(store_path) if store_path else default_store_path(), create=True) as store:
        importers = {"geonames": import_geonames, "postal": import_postal, "settlements": import_settlements}
        return importers[kind](store, source)
