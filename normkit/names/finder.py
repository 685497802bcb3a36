"""Finding gazetteer names in text, for translation to keep them out of the model's hands.

In Latin text a name is found as written (one to three capitalised words); in Cyrillic text also
inflected (Бочарова, Волгограде) through each word's dictionary form. A lower-case type word that
belongs to the name comes with it (улица Лодыгина, Lodygina street). Longest match first, no overlaps.
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Iterator

from ..gazetteer import Entry, Gazetteer
from ..lexicon import Lexicon
from ..transliteration import CYRILLIC_RE
from .candidates import WORD_TYPES
from .linker import CAPITALISED_RE

_CYRILLIC_NAME_RE = re.compile(r"(?<![\w-])[А-ЯЁ][а-яёА-ЯЁ-]*[а-яё](?![\w-])")
_TYPE_BEFORE_RE = re.compile(r"(?<![\w-])[a-zа-яё]+\.?\s+$")
_TYPE_AFTER_RE = re.compile(r"\s+[a-zа-яё]+(?![\w-])")
_COMMON_POPULATION = 100_000  # a place this big is its name, even where a word of that spelling exists
MAX_WORDS = 3                 # Nizhny Novgorod, Andrei Bocharov, Kirishi


@dataclass(frozen=True)
class NameMatch:
    """A gazetteer name found in text (either script; inflected Russian forms included)."""

    start: int
    end: int
    text: str
    entry: Entry
    confidence: float


def find_names(text: str, gazetteer: Gazetteer, lexicon: Lexicon) -> list[NameMatch]:
    """The gazetteer's names in ``text`` (see the module's docstring)."""
    matches: list[NameMatch] = []
    pattern = _CYRILLIC_NAME_RE if CYRILLIC_RE.search(text) else CAPITALISED_RE
    words = list(pattern.finditer(text))
    taken = -1
    for i, first in enumerate(words):
        if first.start() < taken:
            continue
        for size in range(MAX_WORDS, 0, -1):
            group = words[i:i + size]
            if len(group) < size or any(not text[a.end():b.start()].isspace() for a, b in zip(group, group[1:])):
                continue
            start, end = group[0].start(), group[-1].end()
            match = _lookup(gazetteer, lexicon, text[start:end])
            if match is not None and size == 1 and _common_word(lexicon, text[start:end], match[0]):
                match = None  # Мама мыла раму: a word first, a village of Irkutsk Oblast second
            if match is None and size == 1:
                for a, b in _with_type_spans(text, start, end):
                    with_type = _lookup(gazetteer, lexicon, text[a:b])
                    if with_type is not None:
                        match, start, end = with_type, a, b
                        break
            if match is not None:
                entry, confidence = match
                start, end = _with_type_word(text, start, end, entry)
                matches.append(NameMatch(start, end, text[start:end], entry, confidence))
                taken = end
                break
    return matches


def _with_type_spans(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """The word with a lower-case word before or after it (улицу Лодыгина, Lodygina street)."""
    before = _TYPE_BEFORE_RE.search(text, max(0, start - 20), start)
    if before:
        yield before.start(), end
    after = _TYPE_AFTER_RE.match(text, end)
    if after:
        yield start, after.end()


def _common_word(lexicon: Lexicon, word: str, entry: Entry) -> bool:
    """Is this single word likelier an ordinary word than the (small) place it also names?"""
    if entry.population >= _COMMON_POPULATION or entry.type in ("region", "person"):
        return False
    if CYRILLIC_RE.search(word):
        return not lexicon.is_name(word, dictionary_only=True)
    return lexicon.is_english(word)


def _lookup(gazetteer: Gazetteer, lexicon: Lexicon, name: str) -> tuple[Entry, float] | None:
    def names(key: str) -> list[Entry]:  # adjectives and ethnonyms inflect: not kept out of MT
        return [e for e in gazetteer.lookup(key) if e.type not in WORD_TYPES]

    entries = names(name[:-2] if name.endswith(("’s", "'s")) else name)
    if entries:
        return entries[0], 1.0
    if CYRILLIC_RE.search(name):
        # An inflected Russian form: each word as written or in its dictionary form (улицу Лодыгина:
        # only the type word inflects; Андрея Бочарова: both do).
        words = name.split()
        for forms in itertools.islice(itertools.product(*[(w, lexicon.normal_form(w)) for w in words]), 1, None):
            entries = names(" ".join(forms))
            if entries:
                return entries[0], 0.9
    return None


def _with_type_word(text: str, start: int, end: int, entry: Entry) -> tuple[int, int]:
    """Take in a type word that belongs to the name (улица Лодыгина, Lodygina street)."""
    names = [n.lower() for n in entry.names]
    before = re.search(r"(\w+)\s+$", text[max(0, start - 30):start])
    after = re.match(r"\s+(\w+)", text[end:end + 30])
    if before and any(n.startswith(before.group(1).lower() + " ") for n in names):
        start -= len(before.group(0))
    if after and any(n.endswith(" " + after.group(1).lower()) for n in names):
        end += len(after.group(0))
    return start, end
