"""Linking mode: every Russian name recognised in a text, with its entity id and status.

:func:`link_text` (``Normalizer.link``, ``normkit.link``, ``normkit link FILE``) lists

- **fixed** and **suggested** names: the name edits and suggestions :meth:`Normalizer.clean`
  makes (and script repairs whose result is a gazetteer name: ``Москвa`` -> Moscow), with the
  entry the fix reads the word as;
- **ok** names, right as written: the longest run of up to :data:`MAX_WORDS` capitalised words
  (a type word such as ``region`` or ``Lake`` may come with it) that is an accepted spelling of a
  gazetteer entry, or of the linking-only glossaries (countries of the former USSR, the places of
  Russia's neighbours: :data:`normkit.entities.LINK_FILES`); a club named with its city is two
  names (Zenit | Saint Petersburg); names joined by a hyphen are each a name (Rzhev-Vyazma); a
  district adjective is its district where the sentence says districts (the districts of
  Gunibsky and Levashinsky); in Cyrillic text also inflected forms
  (:func:`normkit.names.finder.find_names`). A name in another romanisation than the lists'
  is its entry's (:func:`skeleton`: Viazma, Novorossiisk); a feature's span takes in a
  capitalised word giving its type (Kunashir Island), a district's a capitalised District; a
  region is found with its type word first (Oblast of Tver); a people's name used as a place
  is its republic (Governor of Komi); a hyphenated adjective is one word (Barun-Khemchiksky).
  A single English word naming a small place
  or a thing (Progress) is not taken for it, nor a small place's name inside a person's name.
  After "the", a name that is also a settlement's is the river, sea or mountains (the Don); a lake
  or river is also found by its name without the type word (Peipsi); a region's span takes in
  a type word written after it (Kabardino-Balkaria Republic); a word opened by a quote
  ('Omsk') or after "St.-" is a word like any other;
- **nested** places: after an organisation's link (or a federal district's), the countries,
  regions, cities and great natural regions named inside its name (A Just Russia, Ural Airlines),
  ``how="nested"``, their spans inside the organisation's;
- **persons** three more ways: a glossary person named by surname alone (``Putin``), when only
  one listed person has that surname or the text names one of them in full; a given name (and
  patronymic) followed by a surname the name lexicon knows (``Ivan Petrov``), linked by pattern
  to a ``lexicon:`` id (:mod:`normkit.entities`): a name, not a specific person; and that
  surname alone later in the same text, to the same id.

Spans are offsets into the input. Adjectives and ethnonyms (Siberian, Tatar) are words, not
entities, and are not listed.
"""
from __future__ import annotations

import functools
import re
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, Callable, Iterator

from .entities import (FEATURE_WORDS, STREET_TYPES, WORD_TYPES, category, feature_core, label, link_extras,
                       pattern_id, resolve, street_id)
from .types import NAME_KINDS

if TYPE_CHECKING:
    from .gazetteer import Entry, Gazetteer
    from .names.finder import NameMatch
    from .names.known import KnownWords
    from .normalizer import Normalizer
    from .types import CleanResult

STATUSES = ("ok", "fixed", "suggested")
MAX_WORDS = 4                # Saint Petersburg, Pyotr Ilyich Tchaikovsky, Republic of North Ossetia
COMMON_POPULATION = 100_000  # a single English-word name this big is its name (Mirny is not; Orel is)
# Between the words of one name: spaces, "of", "the", a line break, an abbreviation's dot (St. Petersburg).
_GAP_RE = re.compile(r"\.?[ \t]+(?:of[ \t]+|the[ \t]+)?|[ \t]*\n[ \t]*|\.-")
# "Kimovsky, Venyovsky and Aleksinsky districts": district adjectives whose type word comes later.
_DISTRICT_WORD_RE = re.compile(r"(?:sky|skiy|skii|skoy|tsky|sk)\Z")
_DISTRICT_NOUNS = r"(?:districts?|raions?|rayons?|areas|municipalities|municipal)"
_DISTRICT_NOUNS_AFTER = r"(?:districts?|raions?|rayons?|areas|municipalities|municipal|regions?)"
_DISTRICTS_LATER_RE = re.compile(rf"[^.;:!?\n]{{0,200}}?\b{_DISTRICT_NOUNS_AFTER}\b", re.IGNORECASE)
# "districts of A, B and C", and a table's "Districts | A, B, C" or "Districts: A, B".
_DISTRICTS_BEFORE_RE = re.compile(rf"\b{_DISTRICT_NOUNS}(?:\s+(?:of|in|such as|like|including)\b|\s*[|:])"
                                  rf"[^.;:!?\n|]{{0,300}}$", re.IGNORECASE)
# A hyphenated word that is one adjective: its last part has an adjective ending, or its first part
# the linking -o of a compound (Spaso-, Volgo-; not the English "to" of Siberia-to-Europe).
_COMPOUND_ADJECTIVE_RE = re.compile(r"(?:sk(?:y|iy|ii|ij|aya|aia|oye|oe|oy)|(?:\A|-)[A-Z][a-z]*o-[A-Z]\w*)\Z")
# The districts' own words in Tuva and Yakutia, which core_name keeps: dropped to index the adjective.
_LOCAL_DISTRICT_WORDS_RE = re.compile(r"(?:[ \t]+natsional[’']?nyy)?[ \t]+(?:kozhuun|ulus)\Z", re.IGNORECASE)
_DISTRICT_TYPE_RE = re.compile(r"(?:district|raion|rayon)", re.IGNORECASE)
_ADJECTIVE_END_RE = re.compile(r"(?:ski|skoi)\Z")  # on a skeleton: -sky, -skiy, -skii, -skoy
_CAPITALS_RE = re.compile(r"(?<![\w’'-])[A-Z][A-Z’'-]{2,}[A-Z](?![\w-])")
_TYPE_AFTER_RE = re.compile(r"[ \t]+([a-zA-Z]+)\b")
_TYPE_BEFORE_RE = re.compile(r"\b([A-Za-z]+)[ \t]+$")
_POSSESSIVE = ("’s", "'s")
_REGION_WORD_RE = re.compile(r"\b(?:oblast|krai|kray|republic|region|okrug|autonomous|territory)\b", re.IGNORECASE)
_LOWER_WORD_AFTER_RE = re.compile(r"[ \t]*(?:[a-z]|\d|\Z)")
_PREPOSITION_BEFORE_RE = re.compile(r"\b(?:of|in|from|to|into|across|throughout)[ \t]+\Z")
# A capitalised word the name stage's word pattern leaves out: opened by a quote (the 'Omsk' tanker:
# the quote not an elision, so not after a letter) or after an abbreviation's dot and hyphen (St.-).
_OPENED_WORD_RE = re.compile(r"(?:(?<=['’])(?<![\w.,;:!?)\]'’-]['’])|(?<=\w\.-))"
                             r"[A-Z][A-Za-z\u00C0-\u024F’'-]*[a-z\u00DF-\u024F](?:[’']s)?(?![\w-])")
# After "the", a name that is also a settlement's is the river, sea or mountains (the Don):
# English writes settlements without the article.
_THE_BEFORE_RE = re.compile(r"\bthe[ \t]+\Z", re.IGNORECASE)
_THE_TYPES = frozenset({"river", "sea", "lake", "reservoir", "canal", "strait", "bay", "range"})
# Lakes and rivers named without the word for their type (Peipsi of Lake Peipsi): looked up by that
# core. Not seas, islands or capes: their cores are often English words or surnames (Black Sea,
# Commander Islands, Laptev Sea).
_NATURE_TYPES = frozenset({"river", "lake", "reservoir"})
# "the Belgorod, Kursk and Bryansk regions": the names in a list before a plural "regions" are regions.
_REGIONS_LATER_RE = re.compile(r"(?:(?:[ \t]*,[ \t]*|[ \t]+(?:and|&)[ \t]+|,[ \t]+and[ \t]+)[A-Z][\w’'-]*)*"
                               r"[ \t]+(?:regions|oblasts)\b")
_REGION_TYPE_AFTER = frozenset({"republic", "oblast", "krai", "kray", "region", "okrug", "territory"})
# The places named inside an organisation's name (A Just Russia, Ural Airlines, a federal
# district) are listed too, nested in its span: the settlements big enough to be
# what such a name means, the divisions and countries, and the great natural regions.
_NESTING_TYPES = frozenset({"federal_district"})
_NESTED_TYPES = frozenset({"country", "region", "city", "historical_name", "area", "range"})
# Cyrillic words the finder (which reads the gazetteer) leaves to linking: a capitalised word naming
# an entry of the linking-only glossaries (Украина), and a word in capitals (ТВЕРЬ: headings).
_CYRILLIC_WORD_RE = re.compile(r"(?<![\w’'-])[А-ЯЁ][а-яёА-ЯЁ]*(?:-[А-ЯЁ][а-яёА-ЯЁ]*)*(?![\w-])")
# Names joined by a hyphen may be a great natural region's (Siberia-to-Europe): the types allowed.
_HYPHEN_PART_TYPES = frozenset({"area"})
# Streets by pattern: a Russian name with a street's type word, English after it (Sadovaya Street,
# Stroiteley Avenue) or romanised Russian before it (ulitsa Chekhova). English street words -> the
# Russian type word; the name must read back as Russian (normkit.linking._Scanner._street_name).
_STREET_WORDS = {word: russian for russian, (words, _, _) in STREET_TYPES.items() for word in words}
_ROMAN_STREET_WORDS = {word.rstrip("."): russian for russian, (_, _, words) in STREET_TYPES.items() for word in words}
_STREET_AFTER_RE = re.compile(r"(?<![\w’'.-])([A-Z][a-z]+)[ \t]+(" + "|".join(re.escape(w) for w in _STREET_WORDS)
                              + r")(?![\w-])")
_STREET_BEFORE_RE = re.compile(r"(?<![\w’'-])((?i:" + "|".join(_ROMAN_STREET_WORDS) + r"))\.?[ \t]+([A-Z][a-z]+)(?![\w’'-])")
_ENGLISH_STREET_NAMES = frozenset(w.rstrip(".") for w in _STREET_WORDS)  # a type word before "Str.": not "Str" the name
STREET_READINGS = 3          # the cheapest Cyrillic readings of a street's name tried
SKELETON_MIN = 5             # a romanisation variant is looked up only for names this long (not Ola, Uda)
# Romanisation variants read as one (Viazma/Vyazma, Novorossiisk/Novorossiysk, Nizhni/Nizhniy/Nizhny,
# Elabuga/Yelabuga, Novonikolaevsk/Novonikolayevsk, Zimniy/Zimnyi, Dalnij/Dalny): y as i, doubled i
# and an ending -ij as one i, "ie" after a vowel or at a word's start as e, soft signs dropped, and
# ё's "yo"/"io" after a consonant as e (Nyonoksa/Nenoksa, Pyotr/Petr).
_SKELETON_STEPS = ((re.compile(r"[’'`ʹʼ]"), ""), (re.compile(r"-"), " "), (re.compile(r"y"), "i"),
                   (re.compile(r"ij\b"), "i"), (re.compile(r"i+"), "i"),
                   (re.compile(r"(?:(?<=[aeiou])|(?<![a-z]))ie"), "e"), (re.compile(r"(?<=[b-df-hj-np-tv-z])io"), "e"))


@dataclass(frozen=True)
class Link:
    """One recognised name: ``text[start:end]`` of the input names the entry ``entity_id``."""

    start: int
    end: int
    text: str                  # as written in the input
    entity_id: str
    type: str                  # place, person, org, feature or thing (see normkit.entities.category)
    entry_type: str            # the gazetteer type: town, region, river, person, ...
    canonical_latin: str
    canonical_cyrillic: str
    status: str                # ok (right as written), fixed (an edit) or suggested (not applied)
    after: str | None = None   # the fix, for fixed and suggested names
    confidence: float = 1.0
    how: str = "gazetteer"     # gazetteer, surname (a listed person by surname), pattern (lexicon:), edit,
    #                            nested (a place inside an organisation's name, within its link's span)

    @property
    def label(self) -> str:
        """The spaCy entity label (GPE, LOC, PERSON, ORG, PRODUCT)."""
        return label(self.entry_type)

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "label": self.label}


def link_text(normalizer: Normalizer, text: str, result: CleanResult | None = None) -> list[Link]:
    """Every name recognised in ``text`` (see the module's docstring), in text order, no overlaps
    but the nested places (``how="nested"``), each listed after the name it lies in.
    ``result``: the text's :meth:`Normalizer.clean` result, when the caller has it."""
    from .pipeline import require_str

    require_str(text, "link")
    if result is None:
        result = normalizer.clean(text)
    gazetteer = normalizer.gazetteer()
    links = list(_edited(result, gazetteer))
    taken = [(x.start, x.end) for x in links]
    if normalizer.config.names:
        scanner = _Scanner(text, gazetteer, normalizer.name_linker().known, normalizer.find_names)
        kept = True  # the last name not nested: a nested place goes with the name it lies in
        for found in scanner.links():
            if found.how != "nested":
                kept = not any(a < found.end and found.start < b for a, b in taken)
            if kept and not any(a < found.end and found.start < b for a, b in taken):
                links.append(found)
    return sorted(links, key=lambda x: x.start)


def _make(start: int, end: int, text: str, entry: Entry, status: str, *, after: str | None = None,
          confidence: float = 1.0, how: str = "gazetteer") -> Link:
    return Link(start, end, text, entry.id, category(entry.type), entry.type, entry.latin, entry.cyrillic,
                status, after, confidence, how)


def _edited(result: CleanResult, gazetteer: Gazetteer) -> Iterator[Link]:
    """The names the cleaner fixed or suggested."""
    for status, edits in (("fixed", result.edits), ("suggested", result.suggestions)):
        for edit in edits:
            entry: Entry | None = None
            if edit.kind in NAME_KINDS and edit.entity_id:
                entry = gazetteer.get(edit.entity_id)
            elif edit.kind not in NAME_KINDS:  # a script repair that spells a name
                entry = next((e for e in gazetteer.lookup(edit.after) if e.type not in WORD_TYPES), None)
            if entry is not None:
                yield _make(edit.start, edit.end, edit.before, entry, status, after=edit.after,
                            confidence=edit.confidence, how="edit")


@functools.lru_cache(maxsize=4)
def _people_by_surname(gazetteer: Gazetteer) -> dict[str, tuple[Entry, ...]]:
    """The glossary's people under the last word of each Latin name (Putin, Tchaikovsky)."""
    from .gazetteer import name_key
    from .transliteration import CYRILLIC_RE

    out: dict[str, dict[str, Entry]] = {}
    for entry in gazetteer.memory_entries():
        if entry.type == "person":
            for name in (entry.latin, *entry.aliases):
                words = name.split()
                if len(words) > 1 and not CYRILLIC_RE.search(name):
                    out.setdefault(name_key(words[-1]), {})[entry.id] = entry
    return {k: tuple(v.values()) for k, v in out.items()}


def skeleton(name: str) -> str:
    """The key romanisation variants of one Russian name share (see :data:`_SKELETON_STEPS`)."""
    from .gazetteer import name_key

    key = name_key(name)
    for pattern, repl in _SKELETON_STEPS:
        key = pattern.sub(repl, key)
    return key


@functools.lru_cache(maxsize=4)
def _places_by_skeleton(gazetteer: Gazetteer) -> dict[str, tuple[Entry, ...]]:
    """The places and features of the glossaries (not the store) under the skeletons of their
    Latin names: the fallback when a name is written in a variant no list has."""
    from .transliteration import CYRILLIC_RE

    out: dict[str, dict[str, Entry]] = {}
    for source in (gazetteer, link_extras()):
        for entry in source.memory_entries():
            if entry.type in WORD_TYPES or category(entry.type) not in ("place", "feature"):
                continue
            for name in (entry.latin, *entry.aliases):
                if len(name) >= SKELETON_MIN and not CYRILLIC_RE.search(name):
                    out.setdefault(skeleton(name), {})[entry.id] = entry
    return {k: tuple(v.values()) for k, v in out.items()}


@functools.lru_cache(maxsize=4)
def _regions_by_core(gazetteer: Gazetteer) -> dict[str, tuple[Entry, ...]]:
    """The federal subjects (and the neighbours' regions) under their Latin names without type words
    (Komi of Komi Republic, Magadan of Magadan Oblast, Kharkiv of Kharkiv Oblast)."""
    from .gazetteer import core_name, name_key
    from .transliteration import CYRILLIC_RE

    out: dict[str, dict[str, Entry]] = {}
    for entry in (*gazetteer.memory_entries(), *link_extras().memory_entries()):
        if entry.type == "region":
            for name in (entry.latin, *entry.aliases):
                if not CYRILLIC_RE.search(name):
                    out.setdefault(name_key(core_name(name)), {})[entry.id] = entry
    return {k: tuple(v.values()) for k, v in out.items()}


@functools.lru_cache(maxsize=4)
def _nature_by_core(gazetteer: Gazetteer) -> dict[str, tuple[Entry, ...]]:
    """Lakes, reservoirs and rivers under their Latin names without the word for their type
    (Peipsi of Lake Peipsi, Yana of Yana River)."""
    from .gazetteer import name_key
    from .transliteration import CYRILLIC_RE

    out: dict[str, dict[str, Entry]] = {}
    for entry in gazetteer.memory_entries():
        if entry.type in _NATURE_TYPES:
            for name in (entry.latin, *entry.aliases):
                core = feature_core(name, entry.type)
                if core != name and not CYRILLIC_RE.search(core):
                    out.setdefault(name_key(core), {})[entry.id] = entry
    return {k: tuple(v.values()) for k, v in out.items()}


def _features_after_the(entries: list[Entry]) -> list[Entry]:
    """The entries a name after "the" means: its rivers, seas, lakes or mountains when it has
    some and names no division or country (the Kuban may be the region)."""
    features = [e for e in entries if e.type in _THE_TYPES]
    if features and not any(e.type in ("region", "country", "area", "federal_district") for e in entries):
        return features
    return entries


def _adjective_key(word: str) -> str:
    """Khasanskiy, Khasansky, Khasanskii, Mikhailovsky, Mikhaylovskiy: one key."""
    return _ADJECTIVE_END_RE.sub("ski", skeleton(word))


@functools.lru_cache(maxsize=4)
def _districts_by_adjective(gazetteer: Gazetteer) -> dict[str, tuple[Entry, ...]]:
    """The districts under the adjective that names them (Olginsky of Olginsky District, Ovyurskiy of
    Ovyurskiy Kozhuun, Tuva's word for a district, and Zhiganskiy of Zhiganskiy ulus, Yakutia's)."""
    from .gazetteer import core_name
    from .transliteration import CYRILLIC_RE

    out: dict[str, dict[str, Entry]] = {}
    for entry in gazetteer.memory_entries():
        if entry.type in ("district", "city_district"):
            for name in (entry.latin, *entry.aliases):
                core = core_name(_LOCAL_DISTRICT_WORDS_RE.sub("", name))
                if core != name and " " not in core and not CYRILLIC_RE.search(core):
                    out.setdefault(_adjective_key(core), {})[entry.id] = entry
    return {k: tuple(v.values()) for k, v in out.items()}


class _Scanner:
    """The names of one text, right as written."""

    def __init__(self, text: str, gazetteer: Gazetteer, known: KnownWords,
                 cyrillic_names: Callable[[str], list[NameMatch]]) -> None:
        from .gazetteer import name_lexicon
        from .lexicon import english_words
        from .names.linker import CAPITALISED_RE

        self.text = text
        self.cyrillic_names = cyrillic_names  # the finder, which reads inflected Russian forms
        self.lexicon = name_lexicon()
        self.gazetteer = gazetteer
        self.known = known
        self.english = english_words()
        # Capitalised words, words in capitals (MOSCOW, UDMURTIA: datelines, headings) and words
        # opened by a quote or after "St.-".
        self.words = sorted([*CAPITALISED_RE.finditer(text), *_CAPITALS_RE.finditer(text),
                             *_OPENED_WORD_RE.finditer(text)], key=lambda m: m.start())

    def lookup(self, name: str) -> list[Entry]:
        """The entries ``name`` is an accepted spelling of (a hyphen and a space alike): the
        gazetteer's, else those of the linking-only glossaries (neighbours, countries)."""
        forms = (name, name.replace("-", " ")) if "-" in name else (name, name.replace(" ", "-"))
        for gazetteer in (self.gazetteer, link_extras()):
            for form in forms:
                found = [e for e in gazetteer.lookup(form) if e.type not in WORD_TYPES]
                if found:
                    return found
        from .gazetteer import core_name, name_key

        core = core_name(name)
        if core != name and _REGION_WORD_RE.search(name):
            # Oblast of Magadan, Republic of Sakha: the region whose name has that core
            found = list(_regions_by_core(self.gazetteer).get(name_key(core), ()))
            if found:
                return found
        if core == name and name.lower() not in self.english:
            found = list(_nature_by_core(self.gazetteer).get(name_key(name), ()))
            if found:
                return found
        if len(name) >= SKELETON_MIN:
            found = list(_places_by_skeleton(self.gazetteer).get(skeleton(name), ()))
            # An English word (chicken Kiev aside) is read as a variant only of a big place's name.
            if name.lower() not in self.english or any(e.population >= COMMON_POPULATION for e in found):
                return found
        return []

    def links(self) -> list[Link]:
        from .transliteration import CYRILLIC_RE

        text = self.text
        found: list[tuple[int, int, list[Entry], str]] = []  # start, end, candidates, how
        pending: list[int] = []  # indexes of words left for the person passes
        streets = self._streets()
        i = 0
        everything = set(range(len(self.words)))
        while i < len(self.words):
            if any(x.start <= self.words[i].start() < x.end for x in streets):
                i += 1  # Kirov Square: a square, not the man; Sadovaya Street, not a village
                continue
            longest = self._longest(i)
            # A district adjective in a list of districts is the district (Kimovsky), not a village.
            match = self._district(i) if longest is None or (
                longest[0] == 1 and _ADJECTIVE_END_RE.search(_adjective_key(self.words[i].group()))) else None
            match = match or longest
            if match is None and "-" in self.words[i].group():
                parts = self._hyphenated(i)
                if parts:
                    found += parts
                    i += 1
                    continue
            given = self._given_run(i, everything)
            if given and (match is None or match[0] <= len(given)):
                # Oleg Mikhaylov: a person's name, not the village Mikhaylov (nor the city Vladimir).
                pending.extend(range(i, i + len(given) + 1))
                i += len(given) + 1
                continue
            if match is None:
                pending.append(i)
                i += 1
                continue
            size, start, end, entries = match
            found += self._split(i, size, start, end, entries)
            i += size
            while i < len(self.words) and self.words[i].start() < end:
                i += 1  # a type word the name took in (Kirishsky District | of Leningrad Oblast)
        mentioned = {e.id for _, _, entries, _ in found if len(entries) == 1 for e in entries}
        mentioned |= {p for _, _, entries, _ in found if len(entries) == 1 for p in entries[0].parents}
        links = [self._choose(s, e, entries, mentioned) for s, e, entries, _ in found] + streets
        links += self._people(pending, {x.entity_id for x in links})
        if CYRILLIC_RE.search(text):
            named = [_make(m.start, m.end, m.text, m.entry, "ok", confidence=m.confidence)
                     for m in self.cyrillic_names(text) if m.entry.type not in WORD_TYPES]
            links += named + self._cyrillic_extras([(x.start, x.end) for x in named])
        links.sort(key=lambda x: (x.start, -x.end))
        out: list[Link] = []
        for x in links:
            if not out or x.start >= out[-1].end:
                out.append(x)
        return self._with_nested(self._with_feature_words(out))

    def _with_nested(self, links: list[Link]) -> list[Link]:
        """Each link, and after an organisation's (or a federal district's) the places named inside
        its name (A Just Russia, Ural Airlines): :data:`_NESTED_TYPES`, and
        settlements of :data:`COMMON_POPULATION` or more. Their spans lie inside the
        organisation's (``how="nested"``)."""
        out: list[Link] = []
        for x in links:
            out.append(x)
            if category(x.entry_type) not in ("org", "thing") and x.entry_type not in _NESTING_TYPES:
                continue
            inside = [i for i, w in enumerate(self.words) if x.start <= w.start() and w.end() <= x.end]
            k = 0
            while k < len(inside):
                nested = self._nested_at(inside[k], inside[-1], x)
                if nested is None:
                    k += 1
                    continue
                out.append(nested)
                while k < len(inside) and self.words[inside[k]].start() < nested.end:
                    k += 1
        return out

    def _runs(self, i: int, most: int) -> Iterator[tuple[int, int, int, str]]:
        """The runs of up to ``most`` words from word ``i`` that only spaces or hyphens part, longest
        first: (words, start, end, name), a possessive's ’s left out of the name."""
        text, words = self.text, self.words
        for size in range(min(MAX_WORDS, most), 0, -1):
            group = words[i:i + size]
            if any(not _GAP_RE.fullmatch(text, a.end(), b.start()) for a, b in zip(group, group[1:])):
                continue
            start, end = group[0].start(), group[-1].end()
            name = text[start:end]
            if name.endswith(_POSSESSIVE):
                name, end = name[:-2], end - 2
            yield size, start, end, name

    def _nested_at(self, i: int, last: int, outer: Link) -> Link | None:
        """The longest place name starting at word ``i`` and ending by word ``last`` inside ``outer``."""
        for size, start, end, name in self._runs(i, last - i + 1):
            if (start, end) == (outer.start, outer.end):
                continue
            if size == 1 and i < last and "given_name" in self.known.classes(name):
                continue  # Vladimir Vysotsky Theatre: a man's name, not the city Vladimir
            entries = [e for e in self.lookup(" ".join(name.split())) if e.id != outer.entity_id and (
                e.type in _NESTED_TYPES or (category(e.type) == "place" and e.population >= COMMON_POPULATION))]
            if entries:
                best = min(entries, key=lambda e: (-e.population, e.id))
                return _make(start, end, name, best, "ok", how="nested")
        return None

    def _streets(self) -> list[Link]:
        """Streets named by pattern (see :data:`_STREET_AFTER_RE`) that the gazetteer does not list
        under that name (Tverskaya Street is a curated entry, found as such)."""
        out: list[Link] = []
        matches = [(m, m.group(1), _STREET_WORDS[m.group(2)]) for m in _STREET_AFTER_RE.finditer(self.text)]
        matches += [(m, m.group(2), _ROMAN_STREET_WORDS[m.group(1).lower()]) for m in _STREET_BEFORE_RE.finditer(self.text)
                    if m.group(2) not in _ENGLISH_STREET_NAMES]
        for m, word, type_word in sorted(matches, key=lambda x: x[0].start()):
            if (out and m.start() < out[-1].end) or self.lookup(" ".join(m.group().split())):
                continue
            name = self._street_name(word, STREET_TYPES[type_word][1])
            entry = resolve(street_id(type_word, name), self.gazetteer, self.lexicon) if name else None
            if entry is not None:
                out.append(_make(m.start(), m.end(), m.group(), entry, "ok", how="pattern"))
        return out

    def _street_name(self, word: str, gender: str) -> str | None:
        """The Russian name a romanised word gives a street of a type of ``gender``: an adjective
        agreeing with it (Sadovaya), a name in the genitive (Chekhova, Stroiteley), a place's
        name (Petrovka), or a surname, put in the genitive (Kirov -> Кирова). None for English and
        foreign words (Baker, Oxford) and words that read as no known Russian word."""
        from .lexicon import foreign_place_words, morph
        from .transliteration import cyrillic_candidates

        classes = self.known.classes(word)
        if word.lower() in foreign_place_words() and not classes & {"toponym", "surname"}:
            return None
        # An English word (Bond, Franklin; Pushkin is an English word too) only as the surname
        # of a person the gazetteer lists.
        english = word.lower() in self.english
        if english and not self.gazetteer_surname(word):
            return None
        for cyrillic, _ in cyrillic_candidates(word, n=STREET_READINGS):
            for parse in morph().parse(cyrillic.lower()):
                grammemes = set(parse.tag.grammemes)
                if not parse.is_known or "sing" not in grammemes and "plur" not in grammemes:
                    continue
                if english and "Surn" not in grammemes:
                    continue
                if {"ADJF", "nomn", "sing", gender} <= grammemes or {"Geox", "nomn", "sing", gender} <= grammemes:
                    return cyrillic
                if {"NOUN", "gent"} <= grammemes:  # Chekhova, Stroiteley, Pobedy
                    return cyrillic
                if {"NOUN", "nomn", "sing", "Surn"} <= grammemes:
                    genitive = parse.inflect({"gent"})
                    return str(genitive.word).capitalize() if genitive else None
        return None

    def _cyrillic_extras(self, taken: list[tuple[int, int]]) -> list[Link]:
        """The Cyrillic names the finder leaves (see :data:`_CYRILLIC_WORD_RE`), outside ``taken``."""
        out: list[Link] = []
        for m in _CYRILLIC_WORD_RE.finditer(self.text):
            word = m.group()
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            if word.isupper() and len(word) >= 4:
                entries = self.lookup(word.capitalize())
            elif not word.isupper():
                entries = [e for e in link_extras().lookup(word) if e.type not in WORD_TYPES]
            else:
                continue
            if entries:
                best = min(entries, key=lambda e: (-e.population, e.id))
                out.append(_make(m.start(), m.end(), word, best, "ok"))
        return out

    def _with_feature_words(self, links: list[Link]) -> list[Link]:
        """A feature's span with the word that says its type, written next to it (Olkhon Island,
        the Kamchatka Peninsula, Lake Syamozero), when that word is not part of another link."""
        text = self.text
        out: list[Link] = []
        for n, x in enumerate(links):
            before, after = FEATURE_WORDS.get(x.entry_type, ((), ()))
            start, end = x.start, x.end
            limit = links[n + 1].start if n + 1 < len(links) else len(text)
            floor = out[-1].end if out else 0
            for word in sorted(after, key=len, reverse=True):
                m = re.compile(rf"[ \t]+{re.escape(word)}(?![\w’'-])", re.IGNORECASE).match(text, end)
                if m and m.end() <= limit and text[end:m.end()].strip()[:1].isupper():
                    end = m.end()
                    break
            if end == x.end:
                for word in before:
                    m = re.compile(rf"(?<![\w’'-]){re.escape(word)}[ \t]+\Z", re.IGNORECASE).search(
                        text, max(floor, start - len(word) - 4), start)
                    if m and text[m.start()].isupper():
                        start = m.start()
                        break
            if (start, end) != (x.start, x.end):
                x = Link(start, end, text[start:end], x.entity_id, x.type, x.entry_type, x.canonical_latin,
                         x.canonical_cyrillic, x.status, x.after, x.confidence, x.how)
            out.append(x)
        return out

    def _longest(self, i: int) -> tuple[int, int, int, list[Entry]] | None:
        """The longest name starting at word ``i``: (words, start, end, entries)."""
        from .gazetteer import name_key

        text = self.text
        for size, start, end, name in self._runs(i, len(self.words) - i):
            entries = self.lookup(" ".join(name.split()))
            after_the = bool(_THE_BEFORE_RE.search(text, max(0, start - 8), start))
            if after_the:
                entries = _features_after_the(entries)
            if size == 1 and entries and _REGIONS_LATER_RE.match(text, end):
                entries = list(_regions_by_core(self.gazetteer).get(name_key(name), ())) or entries
            if size == 1:
                typed = self._with_type_word(start, end)
                if typed is not None:
                    start, end, entries = typed
                elif entries and self._common_word(name, entries) and not (
                        after_the and entries[0].type in _THE_TYPES):
                    entries = []
            if entries and size == 1 and self._in_a_persons_name(i, entries):
                entries = []
            if not entries and size == 1:
                entries = self._people_as_region(name, start, end)
            if entries:
                return size, start, self._region_type_after(end, entries), entries
        return None

    def _region_type_after(self, end: int, entries: list[Entry]) -> int:
        """The end of a region's name with the type word written after it (Kabardino-Balkaria
        Republic, Tver Oblast): the word is part of the name the text gives the region."""
        after = _TYPE_AFTER_RE.match(self.text, end)
        if after and after.group(1).lower() in _REGION_TYPE_AFTER and all(e.type == "region" for e in entries):
            return after.end()
        return end

    def _people_as_region(self, name: str, start: int, end: int) -> list[Entry]:
        """A people's name used as a place is the republic named after it: after a preposition
        (Governor of Komi, in Komi) or before a capitalised word or punctuation (Komi Governor);
        not before a lower-case word (the Komi language, Komi head)."""
        from .gazetteer import name_key

        if not any(e.type in WORD_TYPES for e in self.gazetteer.lookup(name)):
            return []
        if not _PREPOSITION_BEFORE_RE.search(self.text, max(0, start - 12), start) and \
                _LOWER_WORD_AFTER_RE.match(self.text, end):
            return []
        return list(_regions_by_core(self.gazetteer).get(name_key(name), ()))

    def _in_a_persons_name(self, i: int, entries: list[Entry]) -> bool:
        """Is this small place's name here part of a person's name: a given name before another
        capitalised word (Nadezhda Batoeva), or a patronymic after a given name (Pyotr Ilyich)?"""
        if entries[0].population >= COMMON_POPULATION or category(entries[0].type) != "place":
            return False
        words, text = self.words, self.text
        word = words[i].group()

        def adjacent(a: int, b: int) -> bool:
            return 0 <= a and b < len(words) and text[words[a].end():words[b].start()] == " "

        if adjacent(i, i + 1) and "given_name" in self.known.classes(word):
            return True
        return adjacent(i - 1, i) and "patronymic" in self.known.classes(word) and \
            self.known.is_given_name(words[i - 1].group())

    def _hyphenated(self, i: int) -> list[tuple[int, int, list[Entry], str]]:
        """The names joined by hyphens into one word: Rzhev-Vyazma (two places), Samara-based."""
        word = self.words[i]
        out: list[tuple[int, int, list[Entry], str]] = []
        start = word.start()
        if _COMPOUND_ADJECTIVE_RE.search(word.group()):
            return out  # Barun-Khemchiksky, Pskovo-Pechersky: one adjective, not a village Barun
        for part in word.group().split("-"):
            if len(part) >= 3 and part[:1].isupper():
                entries = [e for e in self.lookup(part) if category(e.type) == "place" or e.type in _HYPHEN_PART_TYPES]
                if entries and not self._common_word(part, entries):
                    out.append((start, start + len(part), entries, "gazetteer"))
            start += len(part) + 1
        return out

    def _district(self, i: int) -> tuple[int, int, int, list[Entry]] | None:
        """A district adjective named in a list before its type word (Olginsky, ... districts)."""
        word = self.words[i]
        if not _DISTRICT_WORD_RE.search(word.group()) or not (
                _DISTRICTS_LATER_RE.match(self.text, word.end()) or
                _DISTRICTS_BEFORE_RE.search(self.text, max(0, word.start() - 400), word.start())):
            return None
        entries = list(_districts_by_adjective(self.gazetteer).get(_adjective_key(word.group()), ()))
        after = _TYPE_AFTER_RE.match(self.text, word.end())
        end = after.end() if after and _DISTRICT_TYPE_RE.fullmatch(after.group(1)) and after.group(1)[0].isupper() \
            else word.end()  # Levashinsky District: the type word capitalised is part of the name
        return (1, word.start(), end, entries) if entries else None

    def _split(self, i: int, size: int, start: int, end: int,
               entries: list[Entry]) -> list[tuple[int, int, list[Entry], str]]:
        """An organisation named with its city (Zenit Saint Petersburg, FC Krasnodar) is two names:
        the organisation, then the place."""
        whole = [(start, end, entries, "gazetteer")]
        if size < 2 or category(entries[0].type) != "org":
            return whole
        words = self.words[i:i + size]
        for k in range(1, size):
            if k == 1 and words[0].group().lower() in self.english:
                break  # United Russia: one name, not "United" and a country
            places = [e for e in self.lookup(" ".join(self.text[words[k].start():end].split()))
                      if category(e.type) == "place" and e.type != "country"]
            if places:
                return [(start, words[k - 1].end(), entries[:1], "gazetteer"), (words[k].start(), end, places, "gazetteer")]
        return whole

    def _with_type_word(self, start: int, end: int) -> tuple[int, int, list[Entry]] | None:
        """The word with a type word that belongs to the name: Sverdlovsk region, Lake Baikal."""
        text = self.text
        after = _TYPE_AFTER_RE.match(text, end)
        if after:
            entries = self.lookup(f"{text[start:end]} {after.group(1)}")
            if entries:
                return start, after.end(), entries
            if _DISTRICT_TYPE_RE.fullmatch(after.group(1)) and after.group(1)[0].isupper():
                # Kirensk District: the district, named as a proper name (its type word capitalised)
                entries = self._district_named(text[start:end])
                if entries:
                    return start, after.end(), entries
        before = _TYPE_BEFORE_RE.search(text, max(0, start - 20), start)
        if before:
            entries = self.lookup(f"{before.group(1)} {text[start:end]}")
            if entries:
                return before.start(), end, entries
        return None

    def _district_named(self, word: str) -> list[Entry]:
        """The districts a word before "district" names: its adjective (Levashinsky District) or
        its town's (Kirensk District is Kirensky, Kingisepp Kingiseppsky, Pechora Pechorsky)."""
        by_adjective = _districts_by_adjective(self.gazetteer)
        if _ADJECTIVE_END_RE.search(_adjective_key(word)):
            return list(by_adjective.get(_adjective_key(word), ()))
        stem = word[:-1] if word[-1:] in "aeiouy" else word
        return list(by_adjective.get(_adjective_key(stem + ("y" if stem.endswith("sk") else "sky")), ()))

    def _common_word(self, word: str, entries: list[Entry]) -> bool:
        """Is this single word likelier an English word than the (small) place it also names?"""
        top = entries[0]  # nature keeps its name (the Urals, the Lena); Progress the spacecraft does not
        return word.lower() in self.english and top.population < COMMON_POPULATION and top.type not in (
            "country", "region", "person", "federal_district") and category(top.type) != "feature"

    def _choose(self, start: int, end: int, entries: list[Entry], mentioned: set[str]) -> Link:
        """The entry a name means: one whose parents the text names, else the biggest, else one that
        spells the name as written (its type word aside: a district of Tuva listed twice, as
        "...sky rayon" and as "...skiy Kozhuun", is the one spelt as the text spells it)."""
        from .gazetteer import core_name, name_key

        written = name_key(self.text[start:end])

        def spelled(entry: Entry) -> bool:
            return any(written in (name_key(n), name_key(core_name(n))) for n in (entry.latin, *entry.aliases))

        best = min(entries, key=lambda e: (not (e.id in mentioned or mentioned.intersection(e.parents)),
                                           -e.population, not spelled(e), e.id))
        return _make(start, end, self.text[start:end], best, "ok")

    def _people(self, pending: list[int], linked: set[str]) -> list[Link]:
        """People the gazetteer lookup did not find: by surname, and by lexicon pattern."""
        from .gazetteer import name_key

        text, words = self.text, self.words
        by_surname = _people_by_surname(self.gazetteer)
        out: list[Link] = []
        patterns: dict[str, str] = {}  # surname as written -> its lexicon: id
        lone: list[int] = []
        queue = set(pending)
        for i in pending:
            if i not in queue:
                continue
            given = self._given_run(i, queue)
            if given:
                surname = words[i + len(given)]
                key = name_key(_strip(surname.group()))
                people = [e for e in by_surname.get(key, ()) if _given_matches(e, words[i].group())]
                start, end = words[i].start(), surname.start() + len(_strip(surname.group()))
                if people:
                    out.append(_make(start, end, text[start:end], people[0], "ok", how="surname"))
                else:
                    forms = [self._cyrillic_of(words[j].group(), cls) for j, cls in
                             zip(range(i, i + len(given) + 1), [*given, "surname"])]
                    if all(forms):
                        entity = pattern_id([f for f in forms if f])
                        patterns[key] = entity
                        out += self._pattern(start, end, entity)
                for j in range(i, i + len(given) + 1):
                    queue.discard(j)
            else:
                lone.append(i)
        for i in lone:
            word = _strip(words[i].group())
            key = name_key(word)
            start, end = words[i].start(), words[i].start() + len(word)
            candidates = by_surname.get(key, ())
            named = [e for e in candidates if e.id in linked]
            if len(named) == 1 or len(candidates) == 1:
                out.append(_make(start, end, word, (named or list(candidates))[0], "ok", how="surname"))
            elif key in patterns:
                out += self._pattern(start, end, patterns[key])
        return out

    def _given_run(self, i: int, queue: set[int]) -> list[str]:
        """The classes of the given name (and patronymic) starting at word ``i`` when a surname the
        lexicon knows follows (Ivan Petrov, Pyotr Ilyich Tchaikovsky); empty otherwise."""
        text, words = self.text, self.words
        if not self.known.is_given_name(words[i].group()) or "given_name" not in self.known.classes(words[i].group()):
            return []
        run = ["given_name"]
        j = i + 1
        while j < len(words) and j in queue and _GAP_RE.fullmatch(text, words[j - 1].end(), words[j].start()) \
                and " " in text[words[j - 1].end():words[j].start()].replace("\n", " ") and len(run) <= 2:
            word = _strip(words[j].group())
            classes = self.known.classes(word)
            if "surname" in classes or self.gazetteer_surname(word):
                return run
            if "patronymic" not in classes:
                return []
            run.append("patronymic")
            j += 1
        return []

    def gazetteer_surname(self, word: str) -> bool:
        from .gazetteer import name_key

        return name_key(word) in _people_by_surname(self.gazetteer)

    def _cyrillic_of(self, word: str, cls: str) -> str | None:
        """The lexicon's Cyrillic word this Latin word is an accepted spelling of, as ``cls``."""
        word = _strip(word)
        forms = sorted(k.cyrillic for k in self.known.known_as(word) if k.cyrillic and cls in k.classes)
        return forms[0] if forms else None

    def _pattern(self, start: int, end: int, entity: str) -> list[Link]:
        """A person recognised by pattern, when the id resolves (as `gazetteer lookup` would)."""
        entry = resolve(entity, self.gazetteer, self.lexicon)
        return [_make(start, end, self.text[start:end], entry, "ok", how="pattern")] if entry else []


def _strip(word: str) -> str:
    return word[:-2] if word.endswith(_POSSESSIVE) else word


def _given_matches(entry: Entry, given: str) -> bool:
    """Does the person's listed name start with this given name (any of their Latin forms)?"""
    given = given.lower()
    return any(n.split()[0].lower() == given for n in (entry.latin, *entry.aliases) if " " in n)
