"""The name stage: correcting misromanised Russian names in Latin text, as an entity linker.

:class:`NameLinker` (:mod:`.linker`) is the one entry point; :func:`build_linker` makes one from
the resources a :class:`normkit.Normalizer` owns (the gazetteer, the name lexicon, the dictionary).
"""
from __future__ import annotations

from typing import Any, Iterable, Iterator

from pathlib import Path

from ..buildcache import cache_dir, cached
from ..gazetteer import Entry, Gazetteer
from ..transliteration import CYRILLIC_RE
from .candidates import significant_words
from .known import KnownWords, name_classes
from .linker import NameDecision, NameLinker
from .model import NameModel, load_model
from .wordtable import Packed, WordClasses, is_packed
from . import verdicts

__all__ = ["NameDecision", "NameLinker", "NameModel", "KnownWords", "build_linker", "load_model"]

KNOWN_TABLE_VERSION = "3"  # bump when known_words builds other tables from the same files (3: tries)
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




def known_words(gazetteer: Gazetteer, lexicon: Gazetteer, morph: Any) -> KnownWords:
    """The accepted-spelling check over these resources (its tables kept in the user's cache when
    both come from glossary files: see :mod:`normkit.buildcache`)."""
    def build() -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
        entries = list(gazetteer.memory_entries())
        names = name_classes([*((w, e.type) for e in entries for w in _cyrillic_words(e)),
                              *_lexicon_words(lexicon.memory_entries())])
        latin = name_classes([*((w, e.type) for e in entries for w in _latin_words(e)),
                              *((e.latin, e.type) for e in lexicon.memory_entries())])
        return names, latin

    def packed() -> tuple[Packed, Packed]:
        names, latin = build()
        return WordClasses.of(names).packed(), WordClasses.of(latin).packed()

    def check(value: object) -> bool:
        return isinstance(value, tuple) and len(value) == 2 and all(map(is_packed, value))

    sources = (gazetteer.files, lexicon.files)
    if sources[0] is None or sources[1] is None:
        names, latin = (WordClasses.of(table) for table in build())
    else:  # tries, kept in the table cache as bytes: loaded in a fraction of a millisecond (.wordtable)
        names, latin = (WordClasses.unpacked(p) for p in cached(
            "known-words", KNOWN_TABLE_VERSION, [*sources[0], *sources[1]], packed, check=check))
    table_sources = verdict_sources(gazetteer, lexicon, morph)
    table = verdicts.open_table(cache_dir(), table_sources) if table_sources is not None else None
    return KnownWords(morph, names, latin, verdicts=table)


def verdict_sources(gazetteer: Gazetteer, lexicon: Gazetteer, morph: Any) -> list[Path] | None:
    """The files a table of known-word verdicts is keyed by (None: not all are files)."""
    if gazetteer.files is None or lexicon.files is None:
        return None
    folder = getattr(getattr(morph, "dictionary", None), "path", None)
    if folder is None:
        return None
    dictionary = sorted(p for p in Path(folder).iterdir() if p.is_file())
    return [*gazetteer.files, *lexicon.files, *dictionary]


def build_verdicts(gazetteer: Gazetteer, lexicon: Gazetteer, morph: Any, known: KnownWords, *,
                   limit: int | None = None) -> Path | None:
    """Run the accepted-spelling check over the vocabulary (see :mod:`.verdicts`) and write the
    table to the cache directory, where :func:`known_words` finds it; returns its path (None: no
    cache directory, or the sources are not all files)."""
    from .spellings import ASCII_SCHEMES, scheme

    sources = verdict_sources(gazetteer, lexicon, morph)
    folder = cache_dir()
    digest = verdicts.fingerprint(sources) if sources is not None else None
    if folder is None or digest is None:
        return None
    entries = sorted(gazetteer.memory_entries(), key=lambda e: e.id)
    people = sorted(lexicon.memory_entries(), key=lambda e: e.id)
    latin_names = [n for e in [*entries, *people] for n in (e.latin, *e.aliases) if n and not CYRILLIC_RE.search(n)]
    cyrillic = sorted({w for e in entries for w in _cyrillic_words(e)} | {e.cyrillic for e in people})
    words = list(verdicts.vocabulary(latin_names, cyrillic, [scheme(name).romanise for name in ASCII_SCHEMES]))
    if limit is not None:
        words = words[:limit]
    path = verdicts.table_path(folder, digest)
    verdicts.write(path, ((w, [(k.cyrillic, k.source, k.classes) for k in known.check(w)]) for w in words))
    return path


def build_linker(gazetteer: Gazetteer, lexicon: Gazetteer, morph: Any, *, english: frozenset[str],
                 foreign: frozenset[str], scheme: str | None = None, normalize: bool = False,
                 model: NameModel | None = None) -> NameLinker:
    """A name linker over these resources (its caches are its own)."""
    return NameLinker(gazetteer, known_words(gazetteer, lexicon, morph), model or load_model(), english,
                      foreign, scheme=scheme, normalize=normalize)
