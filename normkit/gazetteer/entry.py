"""One gazetteer entry, and the name forms lookups compare: :func:`name_key` and :func:`core_name`."""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass

PLACE_TYPES = frozenset({"city", "town", "village"})  # populated places; the type is only a hint

_FOLD = str.maketrans({"ё": "е", "’": "'", "ʼ": "'", "‘": "'", "ʹ": "'", "`": "'",
                       "‐": "-", "‑": "-", "–": "-", "—": "-",
                       "\u0301": None, "\u0300": None})  # stress marks from dictionaries


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

    @property
    def names(self) -> tuple[str, ...]:
        """Every accepted spelling: canonical Cyrillic, preferred Latin, then the aliases."""
        return (self.cyrillic, self.latin, *self.aliases)


def name_key(name: str) -> str:
    """The form :meth:`Gazetteer.lookup` compares: NFC, case-folded, ё as е, stress marks dropped,
    apostrophes and dashes unified, whitespace collapsed. Latin diacritics are kept (Kiriši ≠ Kirisi)."""
    return " ".join(unicodedata.normalize("NFC", name).casefold().translate(_FOLD).split())


# Words naming what kind of place a name is, not which: stripped by core_name(). Both scripts, lower case.
TYPE_WORDS = frozenset("""
район rayon raion district городской gorodskoy urban округ okrug административный
administrative автономный autonomous автономная область oblast region край krai kray territory
республика republic respublika улица ulitsa street ул. ul. проспект prospekt prospect avenue площадь
ploshchad square переулок pereulok lane шоссе shosse highway набережная naberezhnaya embankment
деревня derevnya village село selo посёлок поселок posyolok poselok settlement город gorod city town
г. д. с. пос. муниципальный municipal
""".split())


def core_name(name: str) -> str:
    """The name without leading or trailing type words: ``улица Лодыгина`` -> ``Лодыгина``,
    ``Kirishsky District`` -> ``Kirishsky``, ``Republic of Adygea`` -> ``Adygea``. Returns ``name``
    unchanged if nothing would be left."""
    words = name.split()
    start, end = 0, len(words)
    while start < end and (words[start].lower() in TYPE_WORDS or
                           (words[start].lower() == "of" and start > 0)):
        start += 1
    while end > start and words[end - 1].lower() in TYPE_WORDS:
        end -= 1
    return " ".join(words[start:end]) or name
