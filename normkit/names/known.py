"""Is a Latin word already right? The accepted-spelling check that comes before any correction.

A word is known when it is an accepted spelling (:mod:`.spellings`) of a word one of these holds:
pymorphy3's dictionary (in a form English text may carry: nominative, or a word that does not
inflect), the Cyrillic names of the gazetteer's entries, or the lexicon of given names, surnames
and patronymics; or when the gazetteer or the lexicon lists it in Latin as it stands (the
established English forms: Tchaikovsky, Archangel, Moscow). What it is known as (a surname, a
given name, a toponym, a common word, an entry of some type) is evidence for the decision.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Protocol

from .readings import DawgVocabulary, SortedVocabulary, Vocabulary, may_continue, read_back
from .spellings import is_accepted
from .wordtable import WordClasses

# pymorphy3 grammemes -> the classes the decision knows.
_TAG_CLASSES = (("Surn", "surname"), ("Name", "given_name"), ("Patr", "patronymic"), ("Geox", "toponym"),
                ("Orgn", "organisation"), ("Trad", "trademark"))
_ENGLISH_CASES = frozenset({"nomn"})  # a case form left in English (Moskve) is a slip, not a spelling
# ...but a form shaped like a surname is one (Сотников: "of the centurions", and a surname).
_SURNAME_SHAPE = re.compile("(?:ов|ев|ёв|ин|ын|ова|ева|ёва|ина|ына|ский|цкий|ская|цкая)$")


class Verdicts(Protocol):
    """Precomputed answers: (cyrillic, source, classes) for each way a word is known, or None
    when the word is not tabled (:class:`.verdicts.VerdictTable`)."""

    def get(self, word: str) -> tuple[tuple[str, str, frozenset[str]], ...] | None: ...


@dataclass(frozen=True)
class KnownAs:
    """One way a Latin word is right: as ``cyrillic`` (lower case; "" for a Latin-only form),
    from ``source`` (dictionary, gazetteer or lexicon), in the given ``classes``."""

    cyrillic: str
    source: str
    classes: frozenset[str]


class KnownWords:
    """The accepted-spelling check over one set of resources (cached per word, per instance)."""

    def __init__(self, morph: Any, names: Mapping[str, frozenset[str]], latin: Mapping[str, frozenset[str]],
                 cache_size: int = 65536, verdicts: Verdicts | None = None) -> None:
        """``names``: lower-case Cyrillic words of the gazetteer and lexicon -> their classes;
        ``latin``: lower-case Latin forms listed as they stand -> their classes (dicts, or the
        tries of :mod:`.wordtable`, which :func:`normkit.names.known_words` loads)."""
        self._morph = morph
        self._dictionary = DawgVocabulary(morph)
        self._names = names
        self._name_words: Vocabulary = (
            names.vocabulary() if isinstance(names, WordClasses) else
            SortedVocabulary.of_sorted(names) if _is_sorted(names) else SortedVocabulary(names))
        self._latin = latin
        self.verdicts = verdicts  # precomputed answers for a vocabulary (see .verdicts): asked first
        self.known_as = functools.lru_cache(maxsize=cache_size)(self._known_as)
        self.may_begin = functools.lru_cache(maxsize=cache_size)(self._may_begin)

    def _known_as(self, word: str) -> tuple[KnownAs, ...]:
        if self.verdicts is not None:
            tabled = self.verdicts.get(word)
            if tabled is not None:
                return tuple(KnownAs(*answer) for answer in tabled)
        return self.check(word)

    def check(self, word: str) -> tuple[KnownAs, ...]:
        """The accepted-spelling check itself (what the verdict table is built from)."""
        lower = word.lower()
        found: list[KnownAs] = []
        if lower in self._latin:
            found.append(KnownAs("", "latin", self._latin[lower]))
        for cyrillic in read_back(word, self._name_words):
            if is_accepted(word, cyrillic):
                found.append(KnownAs(cyrillic, "names", self._names[cyrillic]))
        for cyrillic in read_back(word, self._dictionary):
            if is_accepted(word, cyrillic):
                classes = self._dictionary_classes(cyrillic)
                if classes:
                    found.append(KnownAs(cyrillic, "dictionary", classes))
        return tuple(found)

    def _dictionary_classes(self, cyrillic: str) -> frozenset[str]:
        """Classes of the dictionary's parses of a form English text may carry; empty if none."""
        classes: set[str] = set()
        for parse in self._morph.parse(cyrillic):
            if not parse.is_known:
                continue
            grammemes = parse.tag.grammemes
            case = parse.tag.case
            if case is not None and case not in _ENGLISH_CASES:
                if _SURNAME_SHAPE.search(cyrillic):
                    classes.add("surname")
                continue
            named = [name for tag, name in _TAG_CLASSES if tag in grammemes]
            classes.update(named or ["word"])
        return frozenset(classes)

    def _may_begin(self, stem: str) -> bool:
        """Could a word the dictionary or the names hold be read back from a longer word starting
        with ``stem``? A cheap no that spares reading back each word made from the stem."""
        return may_continue(stem, self._name_words) or may_continue(stem, self._dictionary)

    def is_listed(self, word: str) -> bool:
        """Is the word a Latin form the gazetteer or the lexicon lists as it stands?"""
        return word.lower() in self._latin

    def is_known(self, word: str) -> bool:
        return bool(self.known_as(word))

    def classes(self, word: str) -> frozenset[str]:
        out: set[str] = set()
        for known in self.known_as(word):
            out |= known.classes
        return frozenset(out)

    def is_given_name(self, word: str) -> bool:
        """A given name or patronymic (Pyotr Ilyich ___ is a person too)."""
        return bool({"given_name", "patronymic"} & self.classes(word))


def name_classes(words: Iterable[tuple[str, str]]) -> dict[str, frozenset[str]]:
    """(word, class) pairs gathered into word -> classes, words lower-cased."""
    out: dict[str, set[str]] = {}
    for word, cls in words:
        out.setdefault(word.lower(), set()).add(cls)
    shared: dict[frozenset[str], frozenset[str]] = {}  # a few hundred distinct sets for 10^5 words
    # In sorted order: the names' vocabulary bisects the keys as they are (no sort per process).
    return {w: shared.setdefault(frozenset(out[w]), frozenset(out[w])) for w in sorted(out)}


def _is_sorted(words: Mapping[str, frozenset[str]]) -> bool:
    keys = list(words)
    return all(a < b for a, b in zip(keys, keys[1:]))
