"""Is a Cyrillic word Russian? pymorphy3's dictionary (inflected words, given names, surnames,
toponyms), loaded on first use, plus extra words such as the gazetteer's names."""
from __future__ import annotations

import functools
import re
from typing import Any, Callable, Iterable

_extra_sources: list[Callable[[], Iterable[str]]] = []


@functools.lru_cache(maxsize=1)
def _morph() -> Any:
    import pymorphy3  # ~80 ms: only when a suspicious token needs checking

    return pymorphy3.MorphAnalyzer()


@functools.lru_cache(maxsize=65536)
def _parses(lower: str) -> tuple[Any, ...]:
    """pymorphy3's parses of a lower-case word (cached: the name checks ask about one word thrice)."""
    return tuple(_morph().parse(lower))


@functools.lru_cache(maxsize=1)
def _extra_words() -> frozenset[str]:
    words: set[str] = set()
    for source in _extra_sources:
        for phrase in source():
            words.update(phrase.lower().replace("ё", "е").split())
    return frozenset(words)


_registered: set[int] = set()


def add_names(gazetteer: object) -> None:
    """Count a gazetteer's Cyrillic names as known words (once per gazetteer, read lazily)."""
    if id(gazetteer) in _registered:
        return
    _registered.add(id(gazetteer))
    from .matching import iter_names

    add_source(lambda: iter_names(gazetteer))  # type: ignore[arg-type]


def add_source(source: Callable[[], Iterable[str]]) -> None:
    """Register a lazy source of known words (called once, at the first lookup)."""
    _extra_sources.append(source)
    _extra_words.cache_clear()
    is_known.cache_clear()


def in_dictionary(word: str) -> bool:
    """True if pymorphy3's dictionary itself knows ``word`` (no registered sources)."""
    return bool(_morph().word_is_known(word.lower()))


@functools.lru_cache(maxsize=65536)
def is_known(word: str) -> bool:
    """True if pymorphy3's dictionary or a registered source knows ``word`` (any case, ё or е)."""
    lower = word.lower()
    return bool(_morph().word_is_known(lower)) or lower.replace("ё", "е") in _extra_words()


_NAME_TAGS = frozenset({"Geox", "Name", "Surn", "Patr"})


def is_name(word: str, *, dictionary_only: bool = False) -> bool:
    """True for a place or person name: tagged so by pymorphy3, or (unless ``dictionary_only``)
    one of the registered words."""
    lower = word.lower()
    if not dictionary_only and lower.replace("ё", "е") in _extra_words():
        return True
    return any(_NAME_TAGS & p.tag.grammemes for p in _parses(lower) if p.is_known)


def is_place_word(word: str) -> bool:
    """True when pymorphy3's dictionary tags ``word`` as a place name (Geox) in any parse."""
    return any("Geox" in p.tag.grammemes for p in _parses(word.lower()) if p.is_known)


def spelling(word: str) -> str:
    """The dictionary's spelling of a known word, restoring ё (растет → растёт), in ``word``'s case."""
    lower = word.lower()
    best = _parses(lower)[0]  # only the likeliest parse: весны stays весны, not вёсны
    if best.is_known and best.word != lower and best.word.replace("ё", "е") == lower.replace("ё", "е"):
        return "".join(d.upper() if w.isupper() else d for w, d in zip(word, best.word))
    return word


@functools.lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """The common English words of glossaries/english_words.txt, lower-case."""
    from ._paths import glossaries_dir

    lines = (glossaries_dir() / "english_words.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


def is_english(word: str) -> bool:
    """True for a common English word (any case), from glossaries/english_words.txt."""
    return word.lower() in english_words()


def normal_form(word: str) -> str:
    """The dictionary form of a Russian word (Бочарова → Бочаров), in ``word``'s case pattern."""
    base = _parses(word.lower())[0].normal_form
    return base.capitalize() if word[:1].isupper() else base


_PERSON_TAGS = frozenset({"Name", "Surn", "Patr"})
_SURNAME_ENDING_RE = re.compile("(?:ов|ев|ёв|ин|ын|ович|евич|овна|евна|ична)$")


def person_tags(word: str, *, likeliest: bool = False) -> frozenset[str]:
    """Name, Surn or Patr when pymorphy3 reads ``word`` as a personal name in any of its dictionary
    parses (only its likeliest, if ``likeliest``); for an unknown word (unless ``likeliest``), Surn
    when it ends like a surname or patronymic (-ов, -ин, -ович)."""
    parses = _parses(word.lower())
    known = [p for p in parses if p.is_known]
    if likeliest:
        return frozenset(_PERSON_TAGS & known[0].tag.grammemes) if known and known[0] is parses[0] else frozenset()
    if not known:  # pymorphy3's guesses are loose (Киричи); only telltale endings count
        return frozenset({"Surn"}) if _SURNAME_ENDING_RE.search(word.lower()) else frozenset()
    # any dictionary reading: Котов is "of cats" first, and a surname too
    return frozenset().union(*(_PERSON_TAGS & p.tag.grammemes for p in known))


# ---------------------------------------------------------------- for the mixed-script repair

UNSEEN_ZIPF = 2.5
# Places outside Russia (Crimea, Sevastopol, Ukraine's towns), with their Russian names: known words
# for the look-alike check. The names stage does not match against them (yet): see glossaries/README.md.
NEIGHBOURS_FILE = "geonames_neighbours.tsv"  # a form missing from the frequency list is rarer than one in a million words


@functools.lru_cache(maxsize=1)
def _russian_frequencies() -> dict[str, float]:
    """glossaries/russian_words.tsv.gz: Russian word forms (ё written е) and their Zipf frequency."""
    import gzip

    from ._paths import glossaries_dir

    path = glossaries_dir() / "russian_words.tsv.gz"
    if not path.is_file():
        return {}
    out: dict[str, float] = {}
    for line in gzip.decompress(path.read_bytes()).decode("utf-8").splitlines():
        if line and not line.startswith("#"):
            word, zipf = line.split("\t")
            out[word] = float(zipf)
    return out


def zipf(word: str) -> float:
    """How common a Russian word form is: log10 of its uses per billion words (семья 5.0, семя
    3.5), :data:`UNSEEN_ZIPF` for a form the list does not have."""
    return _russian_frequencies().get(word.lower().replace("ё", "е"), UNSEEN_ZIPF)


_BACKING_TAGS = frozenset({"Name", "Surn", "Patr", "Geox"})
_OBLIQUE_CASES = frozenset({"gent", "datv", "accs", "ablt", "loct"})


def inflects_as_name(word: str) -> bool:
    """Does pymorphy3's guesser read an unknown word as a name (Шольц: Surn), or as a case form of
    a noun (Шольцем: ablt of Шольц)? Either backs a reading no dictionary confirms."""
    for parse in _parses(word.lower())[:3]:
        grammemes = parse.tag.grammemes
        if _BACKING_TAGS & grammemes:
            return True
        if "NOUN" in grammemes and _OBLIQUE_CASES & grammemes and "Fixd" not in grammemes:
            return True
    return False


@functools.lru_cache(maxsize=1)
def _latin_place_words() -> frozenset[str]:
    """Lower-cased Latin words of place names: the foreign place list, and the Latin names and
    aliases of the shipped place glossaries and of the neighbours' places (Belgorod, Simferopol)."""
    from ._paths import glossaries_dir
    from .gazetteer import PLACE_FILES

    folder = glossaries_dir()
    words: set[str] = set()
    path = folder / "foreign_places.txt"
    if path.is_file():
        words.update(line.lower() for line in path.read_text(encoding="utf-8").splitlines()
                     if line and not line.startswith("#"))
    for name in (*PLACE_FILES, NEIGHBOURS_FILE):
        path = folder / name
        if not path.is_file() or not name.endswith(".tsv"):
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            fields = line.split("\t")
            if line.startswith("#") or len(fields) < 7 or fields[0] == "id":
                continue
            for name_text in (fields[2], *fields[6].split("|")):
                for part in re.split(r"[\s\-]+", name_text.strip()):
                    if part.isascii() and part.isalpha():
                        words.add(part.lower())
    return frozenset(words)


@functools.lru_cache(maxsize=1)
def neighbour_place_words() -> frozenset[str]:
    """Lower-cased Latin names (and their words) of the neighbours' places (Simferopol, Kharkiv,
    Vinnytsia): right as written, never a misspelt Russian place."""
    from ._paths import glossaries_dir
    from .gazetteer import read_glossary

    path = glossaries_dir() / NEIGHBOURS_FILE
    if not path.is_file():
        return frozenset()
    words: set[str] = set()
    for entry in read_glossary(path):
        for name in (entry.latin, *entry.aliases):
            if name.isascii():
                words.add(name.lower())
                words.update(part.lower() for part in re.split(r"[\s\-]+", name) if part)
    return frozenset(words)


def is_latin_place_word(word: str) -> bool:
    """True for a word of a place name in Latin script that normkit ships (any case)."""
    return word.lower() in _latin_place_words()
