"""Gazetteer: named entities (places, people) loaded from glossary TSV files and the local store.

INTERFACE STUB — implemented by the gazetteer work (issue 3). The names below are the contract
that matching.py and translation code rely on; keep them.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Sequence


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


class Gazetteer:
    """An in-memory index over entries."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        raise NotImplementedError

    @classmethod
    def from_files(cls, paths: Sequence[Path]) -> "Gazetteer":
        raise NotImplementedError

    def __len__(self) -> int:
        raise NotImplementedError

    def __iter__(self) -> Iterator[Entry]:
        raise NotImplementedError

    def get(self, entry_id: str) -> Entry | None:
        raise NotImplementedError

    def lookup(self, name: str) -> list[Entry]:
        """Entries whose canonical form, Latin form or alias equals ``name`` (case-insensitive)."""
        raise NotImplementedError


def default_gazetteer(extra: Sequence[Path] = ()) -> Gazetteer:
    """Shipped glossaries + NORMKIT_GLOSSARIES files + the local store, loaded once (cached)."""
    raise NotImplementedError
