"""Entity ids: what a name edit, a suggestion or a link points at, and how an id resolves.

Every gazetteer entry has an id (``glossaries/README.md``): ``geonames:<geonameid>`` (GeoNames),
``curated:<slug>`` (authored rows), ``postal:<...>`` (the store's postal places), ``oktmo:<code>``
(settlement registers a store may hold), and in the name lexicon ``given_name:``, ``patronymic:``,
``surname:<word>``. One more kind of id names no row: a person recognised by pattern, a given name
(and patronymic) followed by a surname the lexicon knows, is ``lexicon:<given>[+<patronymic>]+<surname>``
(the lexicon's Cyrillic words, lower case: ``lexicon:иван+петров``). It says "a Russian personal name
made of these lexicon words", not which person: :func:`resolve` builds its entry from the words.
A street recognised by pattern (a Russian street name with its type word: Sadovaya Street,
ulitsa Chekhova) is ``street:<canonical Russian name>`` (lower case, its two words joined by ``+``:
``street:улица+чехова``, ``street:садовая+улица``): a street of that name, not which town's;
:func:`resolve` builds its entry too.
"""
from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Sequence

from .gazetteer import Entry

if TYPE_CHECKING:
    from .gazetteer import Gazetteer

#: Glossaries of names linking recognises and ids resolve, but the name stage does not correct to
#: (see glossaries/README.md): the places of Russia's neighbours, and the countries of the former USSR.
LINK_FILES = ("geonames_neighbours.tsv", "curated_countries.tsv")
LEXICON_PREFIX = "lexicon:"
PATTERN_SOURCE = "name lexicon (pattern)"
STREET_PREFIX = "street:"
STREET_SOURCE = "street name (pattern)"
#: Russian street type words: (English words written after the name, the first the one curated streets
#: use (Lodygina Street); the gender an adjective naming the street agrees in; romanised forms written
#: before the name).
STREET_TYPES: dict[str, tuple[tuple[str, ...], str, tuple[str, ...]]] = {
    "улица": (("Street", "St.", "Str."), "femn", ("ulitsa", "ul.")), "площадь": (("Square",), "femn", ("ploshchad",)),
    "проспект": (("Prospekt", "Avenue", "Prospect"), "masc", ("prospekt",)), "переулок": (("Lane",), "masc", ("pereulok",)),
    "набережная": (("Embankment",), "femn", ("naberezhnaya",)), "бульвар": (("Boulevard",), "masc", ("bulvar",)),
    "шоссе": (("Highway",), "neut", ("shosse",)),
}
_ADJECTIVE_ENDINGS = ("ая", "яя", "ий", "ый", "ой", "ое", "ее")
_LEXICON_CLASSES = ("given_name", "patronymic", "surname")
# Feminine surname endings and the masculine the lexicon lists (Петрова -> Петров).
_FEMININE = (("ская", "ский"), ("цкая", "цкий"), ("ова", "ов"), ("ева", "ев"), ("ёва", "ёв"),
             ("ина", "ин"), ("ына", "ын"))

# Entry types -> what a link calls them (type) and the spaCy label (doc.ents).
_PLACES = frozenset({"country", "region", "federal_district", "district", "city_district", "city", "town", "village",
                     "historical_name", "admin_division", "settlement", "street", "square"})
_ORGS = frozenset({"company", "pipeline", "agency", "institution", "organisation", "media", "club", "party",
                   "theatre", "museum"})
_THINGS = frozenset({"ship", "rocket", "spacecraft", "missile", "aircraft"})
# Known words, not entities: never linked ("keep": a learned keep-as-written spelling, normkit.decisions).
WORD_TYPES = frozenset({"adjective", "ethnonym", "demonym", "keep"})
# The words that say what kind of feature an entry of a type is, written with its name (Olkhon Island,
# Lake Baikal, Plesetsk Cosmodrome): (before the name, after it). A linked feature's span takes them in.
FEATURE_WORDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "island": ((), ("island", "islands", "isl.")),
    "peninsula": ((), ("peninsula",)),
    "river": ((), ("river",)),
    "lake": (("lake",), ("lake",)),
    "reservoir": ((), ("reservoir",)),
    "sea": ((), ("sea",)),
    "bay": ((), ("bay", "gulf")),
    "range": ((), ("mountains", "range", "ridge")),
    "mountain": (("mount", "mt", "mt."), ("mountain",)),
    "volcano": (("volcano",), ("volcano",)),
    "park": ((), ("national park", "park")),
    "reserve": ((), ("nature reserve", "reserve", "zapovednik")),
    "cosmodrome": ((), ("cosmodrome", "spaceport")),
}


def feature_core(name: str, entry_type: str) -> str:
    """``name`` without the words :data:`FEATURE_WORDS` gives its type (Plesetsk Cosmodrome ->
    Plesetsk), or ``name`` when nothing is left or the type has none."""
    before, after = FEATURE_WORDS.get(entry_type, ((), ()))
    lower = name.lower()
    for word in sorted(after, key=len, reverse=True):
        if lower.endswith(" " + word):
            return name[:-len(word) - 1].rstrip()
    for word in before:
        if lower.startswith(word + " ") and len(name) > len(word) + 1:
            return name[len(word) + 1:].lstrip()
    return name


def category(entry_type: str) -> str:
    """What kind of entity an entry type is: place, person, org, thing, or feature (nature,
    landmarks, airports, economic zones: named places that are not settlements)."""
    if entry_type in _PLACES:
        return "place"
    if entry_type == "person":
        return "person"
    if entry_type in _ORGS:
        return "org"
    if entry_type in _THINGS:
        return "thing"
    return "feature"


def label(entry_type: str) -> str:
    """The spaCy entity label: GPE (settlements and divisions), PERSON, ORG, PRODUCT (ships,
    rockets, aircraft), LOC (everything else with a place: rivers, streets, landmarks)."""
    kind = category(entry_type)
    if kind == "place":
        return "LOC" if entry_type in ("street", "square") else "GPE"
    return {"person": "PERSON", "org": "ORG", "thing": "PRODUCT"}.get(kind, "LOC")


def pattern_id(words: Sequence[str]) -> str:
    """The id of a person recognised by pattern: their lexicon words (Cyrillic), in order."""
    return LEXICON_PREFIX + "+".join(w.lower() for w in words)


def resolve(entity_id: str, gazetteer: Gazetteer, lexicon: Gazetteer) -> Entry | None:
    """The entry an id names: a gazetteer entry, a lexicon word, or (``lexicon:`` ids) a person
    entry built from the lexicon words; None if the id names nothing these resources hold."""
    if entity_id.startswith(LEXICON_PREFIX):
        return _pattern_entry(entity_id, lexicon)
    if entity_id.startswith(STREET_PREFIX):
        return _street_entry(entity_id)
    return gazetteer.get(entity_id) or link_extras().get(entity_id) or lexicon.get(entity_id)


@functools.lru_cache(maxsize=1)
def link_extras() -> Gazetteer:
    """The glossaries of :data:`LINK_FILES` (read on first use)."""
    from ._paths import glossaries_dir
    from .gazetteer import Gazetteer

    return Gazetteer.from_files([glossaries_dir() / name for name in LINK_FILES], lazy=True)


def _lexicon_word(word: str, lexicon: Gazetteer) -> Entry | None:
    for cls in _LEXICON_CLASSES:
        entry = lexicon.get(f"{cls}:{word}")
        if entry is not None:
            return entry
    for feminine, masculine in _FEMININE:
        if word.endswith(feminine):
            entry = lexicon.get(f"surname:{word[:len(word) - len(feminine)]}{masculine}")
            if entry is not None:
                return entry
    return None


def _pattern_entry(entity_id: str, lexicon: Gazetteer) -> Entry | None:
    from .transliteration import romanize

    words = entity_id[len(LEXICON_PREFIX):].split("+")
    if len(words) < 2 or any(not w for w in words):
        return None
    cyrillic, latin, parts = [], [], []
    for word in words:
        entry = _lexicon_word(word, lexicon)
        if entry is None:
            return None
        exact = entry.cyrillic.lower() == word
        cyrillic.append(entry.cyrillic if exact else "-".join(p.capitalize() for p in word.split("-")))
        latin.append(entry.latin if exact else romanize(cyrillic[-1], "bgn_pcgn").replace("·", ""))
        parts.append(entry.id)
    if not parts[0].startswith("given_name:") or not parts[-1].startswith("surname:"):
        return None
    return Entry(entity_id, " ".join(cyrillic), " ".join(latin), "person", (), 0, (), PATTERN_SOURCE)


def street_id(type_word: str, name: str) -> str:
    """The id of a street recognised by pattern: ``type_word`` (a key of :data:`STREET_TYPES`) and
    its name in Russian, in Russian order (an adjective first: Садовая улица; a noun after:
    улица Чехова)."""
    words = (name, type_word) if name.lower().endswith(_ADJECTIVE_ENDINGS) else (type_word, name)
    return STREET_PREFIX + "+".join(words).lower()


def _street_entry(entity_id: str) -> Entry | None:
    from .gazetteer.naming import bgn
    from .transliteration import romanize

    words = entity_id[len(STREET_PREFIX):].split("+")
    if len(words) != 2:
        return None
    # Набережная улица: an adjective that is also a type word, so the id's own order decides.
    readings = [(t, n) for t, n in ((words[1], words[0]), (words[0], words[1]))
                if t in STREET_TYPES and street_id(t, n) == entity_id]
    if not readings:
        return None
    type_word, name = readings[0]
    name = "-".join(p.capitalize() for p in name.split("-"))
    english, _, before = STREET_TYPES[type_word]
    cyrillic = f"{name} {type_word}" if entity_id.endswith("+" + type_word) else f"{type_word} {name}"
    spellings = [*dict.fromkeys((bgn(name), romanize(name, "wikipedia")))]
    namesake = _nominative(name)  # улица Чехова: Chekhov Street in English, ulitsa Chekhova in Russian order
    english_only = [] if namesake is None else [
        x for x in dict.fromkeys((bgn(namesake), romanize(namesake, "wikipedia"))) if x not in spellings]
    aliases: list[str] = []
    for spelling in [*spellings, *english_only]:
        aliases += [f"{spelling} {word}" for word in english]
        if spelling in spellings:
            aliases += [f"{word} {spelling}" for word in before]
    latin = aliases[0]
    return Entry(entity_id, cyrillic, latin, "street", (), 0, tuple(dict.fromkeys(a for a in aliases if a != latin)),
                 STREET_SOURCE)


def _nominative(name: str) -> str | None:
    """The person a street's name in the genitive names (Чехова -> Чехов), or None."""
    from .lexicon import morph

    for parse in morph().parse(name.lower()):
        if parse.is_known and {"NOUN", "gent", "sing"} <= set(parse.tag.grammemes) and (
                "Surn" in parse.tag or "Name" in parse.tag):
            return str(parse.normal_form).capitalize()
    return None
