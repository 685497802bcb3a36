"""Candidates for a doubtful word: gazetteer entries whose names share a skeleton key with it.

The skeleton key (:mod:`normkit.skeleton`) folds the romanisation schemes' differences and drops
vowels, so ``Glazhev``, ``Glazhevo`` and ``Glajevo`` meet under one key; a query asks under every
reading of its ambiguous letters. Each candidate is one word of one entry's name: the word it
matched, the word of the preferred Latin form it becomes, and the Cyrillic word behind both.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Callable

from rapidfuzz.fuzz import ratio

from .. import skeleton
from ..buildcache import cached
from ..gazetteer import Entry, Gazetteer
from ..transliteration import CYRILLIC_RE, romanize
from .readings import RULE_TABLES, rule_readings

INDEX, INDEX_VERSION = "skeleton", "3"
# Ordinary words made from names (Tatars, Siberian, Muscovite): known, so left alone, but never a
# correction target (nor kept out of translation, where they must inflect).
WORD_TYPES = frozenset({"adjective", "ethnonym", "demonym"})
MIN_SIMILARITY = 0.6   # a candidate less alike than this is not weighed (people: 0.6; places: the linker's 0.7)
FOREIGN_MARGIN = 0.05  # a reading as English/BGN this much worse than the best one: a foreign reading
_OTHER_SCHEME_LETTERS = re.compile("[jxqJXQ]")
MIN_NEAR_KEY = 3  # keys this long are also looked up one consonant off (Kirovgrat, Kirovgrad)
# Words naming what kind of thing a name is, not which (street, oblast, of ...): not matched.
_TYPE_WORDS = frozenset("""
street st avenue ave prospekt prospect ulitsa ul lane pereulok boulevard bulvar embankment
naberezhnaya highway shosse square ploshchad village selo derevnya settlement posyolok poselok
hamlet khutor stanitsa aul city town district rayon raion okrug region oblast krai kray republic
governor mayor president minister mr mrs ms senator deputy head leader general colonel chairman
premier spokesman spokeswoman ambassador of the saint sankt lake river mount mountain ridge range
island islands peninsula bay inlet gulf strait sea canal reservoir cape volcano valley plateau
glacier falls reserve national park theatre theater museum
""".split())


@dataclass(frozen=True)
class Candidate:
    """One word of an entry's name that a doubtful word may stand for."""

    entry: Entry
    form: str       # the entry's Latin word the query reached (preferred form or alias)
    output: str     # the word of the entry's preferred Latin form that replaces the query
    cyrillic: str   # the Cyrillic word behind it, lower case ("" if the entry has none to align)
    key_size: int   # consonants in the key the two share: short keys are shared by many words
    similarity: float = 1.0  # best ratio (0..1) of the query's readings to the form, schemes folded
    foreign: bool = False    # the best ratio needs a German, French or ISO reading of the query
    reading: str = ""        # found by a rule table's reading of the query (readings.RULE_TABLES), not by its key


@dataclass(frozen=True)
class _Form:
    """One Latin word an entry may be written with, and its skeleton key: all a lookup compares.
    What the word becomes (:meth:`CandidateIndex._target`) is worked out only for the forms alike
    enough to weigh."""

    form: str
    key: str


def significant_words(name: str) -> list[str]:
    """The words that identify a name (not street, oblast, of ...); hyphenated names stay whole."""
    return [w for w in name.split() if w.lower().strip(".’'") not in _TYPE_WORDS
            and len(skeleton.key(w).lstrip("A")) >= 1] if name else []


@functools.lru_cache(maxsize=65536)
def word_forms(entry: Entry) -> tuple[str, ...]:
    """Latin words an entry may be written with, the preferred form's first. Its Cyrillic name is
    romanised only when no Latin form is given."""
    names = [n for n in (entry.latin, *entry.aliases) if not CYRILLIC_RE.search(n)]
    if not names:
        names = [romanize(entry.cyrillic)]
    forms = [w for name in names for w in significant_words(name)]
    return tuple(dict.fromkeys(forms))


def entry_keys(entry: Entry) -> list[str]:
    return [skeleton.key(w) for w in word_forms(entry)]


def _preferred_word(entry: Entry, form: str) -> str:
    """The word of the entry's preferred Latin form that ``form`` stands for (Kropachyovo ->
    Kropachevo; not Kursk for the alias Kurskaya of Kursk Oblast: another word of the same consonants)."""
    for word in significant_words(entry.latin):
        if skeleton.key(word) == skeleton.key(form) and ratio(*(skeleton.fine(w).replace("io", "e")
                                                                 for w in (word, form))) >= 80:  # ё: e, yo
            return word
    return form


def _cyrillic_word(entry: Entry, form: str) -> str:
    words = [w for w in significant_words(entry.cyrillic) if skeleton.key(w) == skeleton.key(form)]
    if not words:
        words = [w for name in entry.aliases if CYRILLIC_RE.search(name)
                 for w in significant_words(name) if skeleton.key(w) == skeleton.key(form)]
    return words[0].lower() if words else ""


def _one_off(key: str) -> list[str]:
    """The key with one letter left out (a symmetric-delete neighbourhood: two keys one edit
    apart share one of these)."""
    return [key[:i] + key[i + 1:] for i in range(len(key))] if len(key.lstrip("A")) >= MIN_NEAR_KEY else []


@functools.lru_cache(maxsize=65536)
def _deletes(key: str) -> frozenset[str]:
    return frozenset(_one_off(key))


class CandidateIndex:
    """The gazetteer's entries by skeleton key, and by keys one consonant off (built on first
    use; the near index covers the in-memory entries; caches are this object's)."""

    def __init__(self, gazetteer: Gazetteer, english: frozenset[str] = frozenset(),
                 cache_size: int = 65536) -> None:
        self.gazetteer = gazetteer
        self._english = english  # an English word of a name (Rosneft Oil Company) is no target
        self.candidates = functools.lru_cache(maxsize=cache_size)(self._candidates)
        self.rule_candidates = functools.lru_cache(maxsize=cache_size)(self._rule_candidates)
        self._near: dict[str, list[Entry]] | None = None
        self._forms: dict[str, tuple[_Form, ...]] = {}  # by entry id: computed once per entry
        self._targets: dict[tuple[str, str], tuple[str, str]] = {}  # by (entry id, form): once, when weighed

    def _entry_words(self, entry: Entry) -> tuple[_Form, ...]:
        """The entry's target words with their keys (once per entry)."""
        forms = self._forms.get(entry.id)
        if forms is None:
            forms = () if entry.type in WORD_TYPES else tuple(
                _Form(form, skeleton.key(form)) for form in word_forms(entry) if form.lower() not in self._english)
            self._forms[entry.id] = forms
        return forms

    def _target(self, entry: Entry, form: str) -> tuple[str, str]:
        """The word of the entry's preferred Latin form that ``form`` stands for, and the Cyrillic
        word behind both."""
        target = self._targets.get((entry.id, form))
        if target is None:
            target = self._targets[entry.id, form] = (_preferred_word(entry, form), _cyrillic_word(entry, form))
        return target

    def _keys_table(self) -> dict[str, tuple[str, ...]]:
        """The skeleton keys of every in-memory entry, by id: computed once per set of glossary
        files and then kept in the user's cache (see normkit.buildcache)."""
        files = self.gazetteer.files

        def build() -> dict[str, tuple[str, ...]]:
            return {e.id: tuple(entry_keys(e)) for e in self.gazetteer.memory_entries()}

        return build() if files is None else cached("skeleton-keys", INDEX_VERSION, files, build)

    def _prepare(self) -> dict[str, list[Entry]]:
        if self._near is not None and self.gazetteer.has_index(INDEX, INDEX_VERSION):
            return self._near
        table = self._keys_table()

        def keys(entry: Entry) -> list[str]:  # a store's entries are not in the table
            found = table.get(entry.id)
            return list(found) if found is not None else entry_keys(entry)

        if not self.gazetteer.has_index(INDEX, INDEX_VERSION):
            self.gazetteer.add_index(INDEX, keys, INDEX_VERSION)
        if self._near is None:
            near: dict[str, list[Entry]] = {}
            for entry in self.gazetteer.memory_entries():
                for key in dict.fromkeys(keys(entry)):
                    for k in (key, *_one_off(key)) if _one_off(key) else ():
                        near.setdefault(k, []).append(entry)
            self._near = near
        return self._near

    def has_neighbours(self, word: str) -> bool:
        """A cheap first look: does any entry's key equal the word's canonical key, or lie one
        consonant off it? (No reading of its ambiguous letters, no candidate built.)"""
        near = self._prepare()
        key = skeleton.key(word)
        if self.gazetteer.by_key(INDEX, key):
            return True
        if any(probe in near for probe in (key, *_one_off(key))):
            return True
        # Letters other schemes use (GOST's x and j, German j): their other readings'
        # keys, exactly (Pervomajskij, Nerexta). Most words have none of these letters.
        return bool(_OTHER_SCHEME_LETTERS.search(word)) and any(
            self.gazetteer.by_key(INDEX, k) for k in skeleton.query_keys(word)[1:])

    def _candidates(self, word: str) -> tuple[Candidate, ...]:
        """Every entry word the skeleton keys of ``word`` reach, exactly or one consonant off, and
        alike enough to weigh (its similarity at least MIN_SIMILARITY)."""
        near = self._prepare()
        keys = skeleton.query_keys(word)
        readings = skeleton.fine_readings(word)
        found: list[Candidate] = []
        seen: set[tuple[str, str]] = set()

        def add(entries: list[Entry], accepts: Callable[[_Form], bool], size: int) -> None:
            for entry in entries:
                for w in self._entry_words(entry):
                    if (entry.id, w.form) in seen or not accepts(w):
                        continue
                    seen.add((entry.id, w.form))
                    fine = skeleton.fine(w.form)
                    scores = [ratio(r, fine) / 100 for r in readings]
                    best = max(scores)
                    if best >= MIN_SIMILARITY:
                        output, cyrillic = self._target(entry, w.form)
                        found.append(Candidate(entry, w.form, output, cyrillic, size, best,
                                               scores[0] < best - FOREIGN_MARGIN))

        key_set = set(keys)
        for k in keys:
            size = len(k.lstrip("A"))
            if size >= 1:
                add(self.gazetteer.by_key(INDEX, k), lambda w: w.key in key_set, size)
        for k in keys:
            deletes = _one_off(k)
            if not deletes:
                continue
            own = frozenset(deletes)

            def one_off(w: _Form, k: str = k, own: frozenset[str] = own) -> bool:
                """Is the entry's key k with a letter added, left out, changed, or k itself?"""
                if w.key in key_set or w.key in own:
                    return True
                theirs = _deletes(w.key)
                return k in theirs or not own.isdisjoint(theirs)

            for probe in (k, *deletes):  # k itself: the entry's key is k plus one letter
                add(near.get(probe, []), one_off, len(k.lstrip("A")))
        return tuple(found)

    def _rule_candidates(self, word: str) -> tuple[Candidate, ...]:
        """Entries a rule table's reading of ``word`` names exactly (Samare -> Samara, Bilhorod ->
        Belgorod): exact lookups only, so a reading costs a hash probe."""
        found: list[Candidate] = []
        seen: set[str] = set()
        readings = skeleton.fine_readings(word)
        for table in RULE_TABLES:
            for form in rule_readings(word, table):
                for entry in self.gazetteer.lookup(form):
                    if entry.id in seen or entry.type in WORD_TYPES:
                        continue
                    words = [w for w in self._entry_words(entry) if w.form.lower() == form]
                    if not words:
                        continue
                    seen.add(entry.id)
                    fine = skeleton.fine(words[0].form)
                    best = max(ratio(r, fine) / 100 for r in readings)
                    output, cyrillic = self._target(entry, words[0].form)
                    found.append(Candidate(entry, words[0].form, output, cyrillic, len(words[0].key.lstrip("A")),
                                           best, False, table))
        return tuple(found)
