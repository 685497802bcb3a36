"""The name stage: correcting misromanised Russian names in Latin text, as an entity linker.

:class:`NameLinker` (:mod:`.linker`) is the one entry point; :func:`build_linker` makes one from
the resources a :class:`normkit.Normalizer` owns (the gazetteer, the name lexicon, the dictionary).
"""
from __future__ import annotations

from typing import Any, Iterable, Iterator

from ..buildcache import Codec, cached, check_dict
from ..gazetteer import Entry, Gazetteer
from ..transliteration import CYRILLIC_RE
from .candidates import significant_words
from .known import KnownWords, name_classes
from .linker import NameDecision, NameLinker
from .model import NameModel, load_model

__all__ = ["NameDecision", "NameLinker", "NameModel", "KnownWords", "build_linker", "load_model"]

KNOWN_TABLE_VERSION = "2"  # bump when known_words builds other tables from the same files
# Feminine forms of surnames, which the lexicon lists in the masculine (Ivanov -> Ivanova).
_FEMININE = (("ский", "ская"), ("цкий", "цкая"), ("ской", "ская"), ("ов", "ова"), ("ев", "ева"), ("ёв", "ёва"),
             ("ин", "ина"), ("ын", "ына"))


def _cyrillic_words(entry: Entry) -> Iterator[str]:
    for name in (entry.cyrillic, *entry.aliases):
        if CYRILLIC_RE.search(name):
            for word in name.split():
                yield word
                if "-" in word:
                    yield from word.split("-")


def _latin_words(entry: Entry) -> Iterator[str]:
    for name in (entry.latin, *entry.aliases):
        if not CYRILLIC_RE.search(name):
            yield name
            yield from significant_words(name)


def _lexicon_words(lexicon: Iterable[Entry]) -> Iterator[tuple[str, str]]:
    for entry in lexicon:
        yield entry.cyrillic, entry.type
        if entry.type == "surname":
            lower = entry.cyrillic.lower()
            for masculine, feminine in _FEMININE:
                if lower.endswith(masculine):
                    yield lower[:len(lower) - len(masculine)] + feminine, "surname"
                    break


WordClasses = dict[str, frozenset[str]]  # a known-words table: word -> its classes


def _classes_to_json(tables: tuple[WordClasses, WordClasses]) -> list[dict[str, list[Any]]]:
    """Each table as its distinct class sets and, per word, the index of its set (a few hundred
    sets serve some hundred thousand words: shared again when read back)."""
    out: list[dict[str, list[Any]]] = []
    for table in tables:
        sets = sorted(set(table.values()), key=sorted)
        index = {classes: i for i, classes in enumerate(sets)}
        out.append({"sets": [sorted(classes) for classes in sets], "words": list(table),
                    "index": [index[classes] for classes in table.values()]})
    return out


def _classes_from_json(parts: Any) -> tuple[WordClasses, WordClasses]:
    if not isinstance(parts, list) or len(parts) != 2:
        raise TypeError("two known-word tables")
    tables = []
    for part in parts:
        sets = [frozenset(classes) for classes in part["sets"]]
        words, index = part["words"], part["index"]
        if len(words) != len(index):
            raise ValueError("words and their classes differ in number")
        tables.append(check_dict(dict(zip(words, map(sets.__getitem__, index))), str, frozenset))
    return tables[0], tables[1]


_KNOWN = Codec(_classes_to_json, _classes_from_json)


def known_words(gazetteer: Gazetteer, lexicon: Gazetteer, morph: Any) -> KnownWords:
    """The accepted-spelling check over these resources (its tables kept in the user's cache when
    both come from glossary files: see :mod:`normkit.buildcache`)."""
    def build() -> tuple[WordClasses, WordClasses]:
        entries = list(gazetteer.memory_entries())
        names = name_classes([*((w, e.type) for e in entries for w in _cyrillic_words(e)),
                              *_lexicon_words(lexicon.memory_entries())])
        latin = name_classes([*((w, e.type) for e in entries for w in _latin_words(e)),
                              *((e.latin, e.type) for e in lexicon.memory_entries())])
        return names, latin

    sources = (gazetteer.files, lexicon.files)
    names, latin = (build() if sources[0] is None or sources[1] is None else
                    cached("known-words", KNOWN_TABLE_VERSION, [*sources[0], *sources[1]], build, _KNOWN))
    return KnownWords(morph, names, latin)


def build_linker(gazetteer: Gazetteer, lexicon: Gazetteer, morph: Any, *, english: frozenset[str],
                 foreign: frozenset[str], scheme: str | None = None, normalize: bool = False,
                 model: NameModel | None = None) -> NameLinker:
    """A name linker over these resources (its caches are its own)."""
    return NameLinker(gazetteer, known_words(gazetteer, lexicon, morph), model or load_model(), english,
                      foreign, scheme=scheme, normalize=normalize)
