"""Is a word Russian, English, a place? pymorphy3's dictionary, the shipped word lists, and the
words of a gazetteer, behind one owned object.

The package's data (pymorphy3's dictionary, the English and Russian word lists, the place-name
lists) are read once per process by the loaders below: they are constants. What depends on a
gazetteer (its Cyrillic names count as known words) and every cache over it belong to a
:class:`Lexicon`, which a :class:`normkit.Normalizer` owns.
"""
from __future__ import annotations

import functools
import re
from typing import Any, Callable, Iterable

UNSEEN_ZIPF = 2.5  # a form missing from the frequency list is rarer than one in a million words
# Places outside Russia (Crimea, Sevastopol, Ukraine's towns), with their Russian names: known words
# for the look-alike check, and right as written for the name stage (never a correction target).
NEIGHBOURS_FILE = "geonames_neighbours.tsv"
_NAME_TAGS = frozenset({"Geox", "Name", "Surn", "Patr"})
_BACKING_TAGS = frozenset({"Name", "Surn", "Patr", "Geox"})
_OBLIQUE_CASES = frozenset({"gent", "datv", "accs", "ablt", "loct"})


# ---------------------------------------------------------------- the package's data (constants)


@functools.lru_cache(maxsize=1)
def morph() -> Any:
    """pymorphy3's analyzer (~60 ms to load: only when a suspicious token needs checking)."""
    import pymorphy3

    try:
        import pymorphy3_dicts_ru
    except ImportError:  # another package registers the Russian dictionary: pymorphy3 finds it
        return pymorphy3.MorphAnalyzer()
    # The dictionary normkit depends on, named: without a path pymorphy3 scans every installed
    # package's entry points for one (importlib.metadata; tens of milliseconds on every start).
    return pymorphy3.MorphAnalyzer(path=pymorphy3_dicts_ru.get_path(), lang="ru")


def in_dictionary(word: str) -> bool:
    """True if pymorphy3's dictionary itself knows ``word``."""
    return bool(morph().word_is_known(word.lower()))


WORD_LISTS_VERSION = "1"  # bump when the word-list tables below are built otherwise from the same files


def _frozensets_of_str(count: int) -> Callable[[object], bool]:
    """A table cache ``check``: a tuple of ``count`` frozensets of str (one item of each looked at)."""
    def check(value: object) -> bool:
        return (isinstance(value, tuple) and len(value) == count and all(isinstance(s, frozenset) for s in value)
                and all(isinstance(next(iter(s), ""), str) for s in value))
    return check


def _cached_lists(name: str, files: tuple[str, ...], build: Callable[[], tuple[frozenset[str], ...]],
                  count: int) -> tuple[frozenset[str], ...]:
    """``build()`` (``count`` sets), kept in the user's table cache (normkit.buildcache) keyed by
    these shipped files: reading and splitting the lists on every start costs several times
    unpickling them (tens of milliseconds, on every CLI run)."""
    from ._paths import glossaries_dir
    from .buildcache import cached

    folder = glossaries_dir()
    return cached(name, WORD_LISTS_VERSION, [folder / f for f in files], build, check=_frozensets_of_str(count))


def _read_english() -> tuple[frozenset[str], frozenset[str]]:
    """glossaries/english_words.txt: its words, and the same capitalised (as a name stands)."""
    from ._paths import glossaries_dir

    lines = (glossaries_dir() / "english_words.txt").read_text(encoding="utf-8").splitlines()
    words = frozenset(line for line in lines if line and not line.startswith("#"))
    return words, frozenset(w.capitalize() for w in words)


@functools.lru_cache(maxsize=1)
def _english_lists() -> tuple[frozenset[str], ...]:
    return _cached_lists("english-words", ("english_words.txt",), _read_english, 2)


def english_words() -> frozenset[str]:
    """The common English words of glossaries/english_words.txt, lower-case."""
    return _english_lists()[0]


def capitalised(words: frozenset[str]) -> frozenset[str]:
    """``words``, each capitalised (the shipped English list's made once, kept in the table cache)."""
    if words is english_words():
        return _english_lists()[1]
    return frozenset(w.capitalize() for w in words)


def is_english(word: str) -> bool:
    """True for a common English word (any case), from glossaries/english_words.txt."""
    return word.lower() in english_words()


@functools.lru_cache(maxsize=1)
def _place_lists() -> tuple[frozenset[str], ...]:
    return _cached_lists("place-words", ("foreign_places.txt", NEIGHBOURS_FILE),
                         lambda: (_read_foreign_places(), _read_neighbour_places()), 2)


def foreign_place_words() -> frozenset[str]:
    """glossaries/foreign_places.txt, lower-cased: towns abroad (15,000+), countries, US states."""
    return _place_lists()[0]


def _read_foreign_places() -> frozenset[str]:
    from ._paths import glossaries_dir

    path = glossaries_dir() / "foreign_places.txt"
    if not path.is_file():
        return frozenset()
    return frozenset(line.lower() for line in path.read_text(encoding="utf-8").splitlines()
                     if line and not line.startswith("#"))


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
            word, zipf_value = line.split("\t")
            out[word] = float(zipf_value)
    return out


def zipf(word: str) -> float:
    """How common a Russian word form is: log10 of its uses per billion words (семья 5.0, семя
    3.5), :data:`UNSEEN_ZIPF` for a form the list does not have."""
    return _russian_frequencies().get(word.lower().replace("ё", "е"), UNSEEN_ZIPF)


@functools.lru_cache(maxsize=1)
def _latin_place_words() -> frozenset[str]:
    """Lower-cased Latin words of place names: the foreign place list, and the Latin names and
    aliases of the shipped place glossaries and of the neighbours' places (Belgorod, Simferopol)."""
    from ._paths import glossaries_dir
    from .gazetteer import PLACE_FILES

    folder = glossaries_dir()
    words: set[str] = set(foreign_place_words())
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


def is_latin_place_word(word: str) -> bool:
    """True for a word of a place name in Latin script that normkit ships (any case)."""
    return word.lower() in _latin_place_words()


def neighbour_place_words() -> frozenset[str]:
    """Lower-cased Latin names (and their words) of the neighbours' places (Simferopol, Kharkiv,
    Vinnytsia): right as written, never a misspelt Russian place."""
    return _place_lists()[1]


def _read_neighbour_places() -> frozenset[str]:
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


# ---------------------------------------------------------------- the owned object


class Lexicon:
    """Word knowledge over pymorphy3 and, lazily, the words ``extra_words()`` gives (a gazetteer's
    Cyrillic names). Safe to share between threads; its caches are its own."""

    def __init__(self, extra_words: Callable[[], Iterable[str]] | None = None, cache_size: int = 65536) -> None:
        self._source = extra_words
        self._extra: frozenset[str] | None = None
        self.parses = functools.lru_cache(maxsize=cache_size)(self._parses)
        self.is_known = functools.lru_cache(maxsize=cache_size)(self._is_known)

    def _parses(self, lower: str) -> tuple[Any, ...]:
        """pymorphy3's parses of a lower-case word (the checks ask about one word several times)."""
        return tuple(morph().parse(lower))

    def extra_words(self) -> frozenset[str]:
        """The extra known words, lower-case, ё as е (read on first use)."""
        if self._extra is None:
            words: set[str] = set()
            for phrase in self._source() if self._source is not None else ():
                words.update(phrase.lower().replace("ё", "е").split())
            self._extra = frozenset(words)
        return self._extra

    def _is_known(self, word: str) -> bool:
        """True if pymorphy3's dictionary or the extra words know ``word`` (any case, ё or е)."""
        lower = word.lower()
        return bool(morph().word_is_known(lower)) or lower.replace("ё", "е") in self.extra_words()

    def is_name(self, word: str, *, dictionary_only: bool = False) -> bool:
        """True for a place or person name: tagged so by pymorphy3, or (unless ``dictionary_only``)
        one of the extra words."""
        lower = word.lower()
        if not dictionary_only and lower.replace("ё", "е") in self.extra_words():
            return True
        return any(_NAME_TAGS & p.tag.grammemes for p in self.parses(lower) if p.is_known)

    def is_place_word(self, word: str) -> bool:
        """True when pymorphy3's dictionary tags ``word`` as a place name (Geox) in any parse."""
        return any("Geox" in p.tag.grammemes for p in self.parses(word.lower()) if p.is_known)

    def spelling(self, word: str) -> str:
        """The dictionary's spelling of a known word, restoring ё (растет → растёт), in ``word``'s case."""
        lower = word.lower()
        best = self.parses(lower)[0]  # only the likeliest parse: весны stays весны, not вёсны
        if best.is_known and best.word != lower and best.word.replace("ё", "е") == lower.replace("ё", "е"):
            return "".join(d.upper() if w.isupper() else d for w, d in zip(word, best.word))
        return word

    def normal_form(self, word: str) -> str:
        """The dictionary form of a Russian word (Бочарова → Бочаров), in ``word``'s case pattern."""
        base = str(self.parses(word.lower())[0].normal_form)
        return base.capitalize() if word[:1].isupper() else base

    def inflects_as_name(self, word: str) -> bool:
        """Does pymorphy3's guesser read an unknown word as a name (Шольц: Surn), or as a case form
        of a noun (Шольцем: ablt of Шольц)? Either backs a reading no dictionary confirms."""
        for parse in self.parses(word.lower())[:3]:
            grammemes = parse.tag.grammemes
            if _BACKING_TAGS & grammemes:
                return True
            if "NOUN" in grammemes and _OBLIQUE_CASES & grammemes and "Fixd" not in grammemes:
                return True
        return False

    @staticmethod
    def is_english(word: str) -> bool:
        return is_english(word)

    @staticmethod
    def is_latin_place_word(word: str) -> bool:
        return is_latin_place_word(word)

    @staticmethod
    def zipf(word: str) -> float:
        return zipf(word)
