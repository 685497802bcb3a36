"""Reading a romanised word back into the Cyrillic words a vocabulary holds.

The Latin word is read grapheme by grapheme with every Cyrillic letter some romanisation scheme
writes that way (the inverse of the schemes in :mod:`.spellings`, plus the soft and hard signs most
schemes drop), and each partial reading is walked in the vocabulary's trie at once: a branch no
word of the vocabulary continues dies there. So the search finds every vocabulary word the Latin
word can spell, however many readings its letters have, in time bounded by :data:`MAX_STATES`.
A found word is then checked the other way (:func:`.spellings.is_accepted`): readings only propose.
"""
from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from pathlib import Path
from typing import Any, Collection, Hashable, Iterable, Mapping, Protocol, Sequence

from .spellings import ASCII_SCHEMES, MARKED_SCHEMES, scheme

MAX_WORD = 40      # longer "words" are not names: not read at all
MAX_STATES = 4000  # partial readings explored per word, at most (bounds hostile input)
_SIGNS = ("ь", "ъ")
_CONSONANTS = frozenset("бвгджзклмнпрстфхцчшщ")
# Readings English copy adds to the schemes' own: ь written i (Vasiliev), кс written x (Maxim),
# ё written e, io or jo, and the endings -ий/-ый/-ой as -y, -i, -ii, -oi.
_EXTRA = (("i", "ь"), ("x", "кс"), ("e", "ё"), ("io", "ё"), ("jo", "ё"), ("yo", "ё"), ("y", "ий"),
          ("y", "ый"), ("i", "ий"), ("ii", "ий"), ("iy", "ий"), ("iy", "ый"), ("yy", "ый"), ("yi", "ый"),
          ("yi", "ий"), ("oi", "ой"), ("oj", "ой"), ("ie", "ье"), ("iye", "ые"), ("ie", "ые"))


class Vocabulary(Protocol):
    """A set of lower-case Cyrillic words that can be walked letter by letter."""

    def root(self) -> Hashable: ...
    def step(self, state: Any, letters: str) -> Hashable | None: ...
    def is_word(self, state: Any) -> bool: ...


class PrefixVocabulary:
    """Words walked by prefix: a state is the prefix read so far, live while some word begins so.
    Each prefix asked about is answered once (:meth:`begins`) and remembered (see _remember)."""

    _live: dict[str, bool]

    def root(self) -> str:
        return ""

    def step(self, state: str, letters: str) -> str | None:
        prefix = state + letters
        live = self._live.get(prefix)
        if live is None:
            live = self.begins(prefix)
            _remember(self._live, prefix, live)
        return prefix if live else None

    def begins(self, prefix: str) -> bool:
        """Does some word begin with ``prefix``?"""
        raise NotImplementedError


class SortedVocabulary(PrefixVocabulary):
    """A vocabulary over a sorted list (prefix checks by bisection): for the gazetteer's names."""

    def __init__(self, words: Iterable[str]) -> None:
        self._words: Sequence[str] = sorted({w.lower() for w in words if w})
        self._set: Collection[str] = frozenset(self._words)
        self._live: dict[str, bool] = {}  # prefixes asked about: does a word begin so (see _remember)

    @classmethod
    def of_sorted(cls, words: Mapping[str, object]) -> "SortedVocabulary":
        """Over the keys of ``words``, already lower case and in sorted order (as
        :func:`.known.name_classes` makes them): no sorting, and the mapping answers membership."""
        vocabulary = cls.__new__(cls)
        vocabulary._words = list(words)
        vocabulary._set = words.keys()
        vocabulary._live = {}
        return vocabulary

    def __len__(self) -> int:
        return len(self._words)

    def begins(self, prefix: str) -> bool:
        i = bisect.bisect_left(self._words, prefix)
        return i < len(self._words) and self._words[i].startswith(prefix)

    def is_word(self, state: str) -> bool:
        return state in self._set


# Walks of different words cross the same trie transitions (the first letters of every reading of
# Ko-, Kr-, ...): about one step in four is new on a first pass over news, so each vocabulary
# remembers the transitions it has answered, up to this many (then it starts afresh).
MAX_REMEMBERED_STEPS = 1 << 18  # ~40 MB at most


def _remember(memo: dict[Any, Any], key: Any, value: Any) -> None:
    if len(memo) >= MAX_REMEMBERED_STEPS:
        memo.clear()
    memo[key] = value


_WORDS_FORMAT = ">HH"  # pymorphy3's words.dawg records (paradigm id, form index)


class DawgVocabulary:
    """pymorphy3's dictionary of word forms, walked in its DAWG (one byte step per letter)."""

    _SEPARATOR = b"\x01"  # dawg_python's payload separator: a key ends where it follows

    def __init__(self, morph: Any) -> None:
        words = morph.dictionary.words
        dct = getattr(words, "dct", None)  # pymorphy3 on dawg_python, its default
        if dct is None:
            # pymorphy3 on the C DAWG (the DAWG2 package, pymorphy3[fast]) offers no walk: read the
            # same file with dawg_python, which pymorphy3 always installs.
            import dawg_python

            dct = dawg_python.RecordDAWG(_WORDS_FORMAT).load(str(Path(morph.dictionary.path) / "words.dawg")).dct
        self._dawg = dct
        self._steps: dict[tuple[int, str], int | None] = {}  # transitions met before (see _remember)

    def root(self) -> int:
        return int(self._dawg.ROOT)

    def step(self, state: int, letters: str) -> int | None:
        steps = self._steps
        key = (state, letters)
        if key in steps:
            return steps[key]
        found = self._dawg.follow_bytes(letters.encode("utf-8"), state)
        found = None if found is None else int(found)
        _remember(steps, key, found)
        return found

    def is_word(self, state: int) -> bool:
        return self._dawg.follow_bytes(self._SEPARATOR, state) is not None


@functools.lru_cache(maxsize=1)
def reading_table() -> dict[str, tuple[str, ...]]:
    """Latin grapheme -> the Cyrillic letters it may write, from the schemes' own tables."""
    table: dict[str, set[str]] = {}
    for name in (*ASCII_SCHEMES, *MARKED_SCHEMES):
        compiled = scheme(name)
        pairs = [(lat, cyr) for cyr, lat in compiled.letters.items()]
        pairs += [(lat, key[-1]) for key, lat in compiled.after.items()]
        pairs += [(lat, key[0]) for key, lat in compiled.before.items()]
        pairs += [(lat, key) for key, lat in compiled.endings.items()]
        for latin, cyrillic in pairs:
            latin = unicodedata.normalize("NFC", latin.lower())
            if latin:
                table.setdefault(latin, set()).add(cyrillic)
    for latin, cyrillic in _EXTRA:
        table.setdefault(latin, set()).add(cyrillic)
    table["-"] = {"-"}  # Ростов-на-Дону
    for mark in "'’ʹʺ”`ʼ":  # a written soft or hard sign
        table.setdefault(mark, set()).update(_SIGNS)
    return {latin: tuple(sorted(options)) for latin, options in table.items()}


@functools.lru_cache(maxsize=1)
def longest_grapheme() -> int:
    """The most Latin letters one reading takes (shch: 4)."""
    return max(map(len, reading_table()))


def read_back(latin: str, vocabulary: Vocabulary) -> list[str]:
    """Every word of ``vocabulary`` the Latin word can be read as (lower case, sorted)."""
    return _walk(latin, vocabulary)[0]


def may_continue(latin: str, vocabulary: Vocabulary) -> bool:
    """Could a longer Latin word that starts with these letters be read back into ``vocabulary``?
    (False: none can, so it need not be read.) Any reading of the longer word has a grapheme
    boundary among the last ``longest_grapheme() - 1`` positions of these letters, and its reading
    up to there must already be a prefix of some word of the vocabulary."""
    word = unicodedata.normalize("NFC", latin.lower())
    return _walk(latin, vocabulary)[1] >= len(word) - (longest_grapheme() - 1)


def _walk(latin: str, vocabulary: Vocabulary) -> tuple[list[str], int]:
    """The words the Latin word reads back to, and how far some reading stayed a prefix of a
    vocabulary word (the furthest position with a live reading; the whole word when the walk was
    cut short)."""
    word = unicodedata.normalize("NFC", latin.lower())
    if not word or len(word) > MAX_WORD:
        return [], len(word)
    table, longest = reading_table(), longest_grapheme()
    found: set[str] = set()
    # frontier[i]: partial readings covering word[:i], as {cyrillic: vocabulary state}
    frontier: list[dict[str, Any]] = [{} for _ in range(len(word) + 1)]
    frontier[0][""] = vocabulary.root()
    explored = reach = 0
    for i in range(len(word) + 1):
        if frontier[i]:
            reach = i
        pending = list(frontier[i].items())
        while pending:  # a dropped soft sign may follow any consonant: read it without a letter
            cyrillic, state = pending.pop()
            if cyrillic and cyrillic[-1] in _CONSONANTS:
                for sign in _SIGNS:
                    nxt = vocabulary.step(state, sign)
                    if nxt is not None and cyrillic + sign not in frontier[i]:
                        frontier[i][cyrillic + sign] = nxt
                        pending.append((cyrillic + sign, nxt))
        if i == len(word):
            break
        for size in range(1, min(longest, len(word) - i) + 1):
            options = table.get(word[i:i + size])
            if not options:
                continue
            for cyrillic, state in frontier[i].items():
                for letters in options:
                    explored += 1
                    if explored > MAX_STATES:
                        return sorted(found | {c for c, s in frontier[len(word)].items() if vocabulary.is_word(s)}), len(word)
                    nxt = vocabulary.step(state, letters)
                    if nxt is not None:
                        frontier[i + size].setdefault(cyrillic + letters, nxt)
        frontier[i] = {}  # done with it: keep memory to the live positions
    found.update(c for c, s in frontier[len(word)].items() if vocabulary.is_word(s))
    return sorted(found), reach


# ------------------------------------------------------------ rule tables (reading_rules.json)

RULES_FILE = Path(__file__).with_name("reading_rules.json")
RULES_FORMAT = "normkit-reading-rules 1"
MAX_RULE_STEPS = 3     # rule applications per reading (Tscheljabinsk: tsch, j)
MAX_RULE_FORMS = 96    # readings per word and table, at most (bounds the work per word)
RULE_TABLES = ("letters", "ukrainian", "endings")


@functools.lru_cache(maxsize=1)
def _rules_data() -> dict[str, Any]:
    import json

    data: dict[str, Any] = json.loads(RULES_FILE.read_text(encoding="utf-8"))
    if data.get("format") != RULES_FORMAT:
        raise ValueError(f"{RULES_FILE.name}: not a {RULES_FORMAT!r} file")
    return data


@functools.lru_cache(maxsize=None)
def rule_table(name: str) -> tuple[tuple["re.Pattern[str]", str], ...]:
    """One table's rules, compiled: (pattern, replacement) pairs."""
    return tuple((re.compile(pattern), repl) for pattern, repl in _rules_data()["tables"][name]["rules"])


def rule_samples(name: str) -> list[tuple[str, str]]:
    """The table's samples: (as copy writes it, the reading the table must give)."""
    if name == "calques":
        return [(a, b) for a, b in _rules_data()["calques"]["samples"]]
    return [(a, b) for a, b in _rules_data()["tables"][name]["samples"]]


@functools.lru_cache(maxsize=1)
def calque_words() -> dict[str, tuple[str, ...]]:
    """English word (lower case) -> the Russian word it translates, in each gender."""
    return {w: tuple(forms) for w, forms in _rules_data()["calques"]["words"].items()}


@functools.lru_cache(maxsize=65536)
def rule_readings(word: str, table: str) -> tuple[str, ...]:
    """What ``word`` reads as under one rule table: every form up to MAX_RULE_STEPS rule
    applications away (each application rewrites one match), lower case, the word itself left out."""
    start = word.lower()
    rules = rule_table(table)
    seen = {start}
    frontier = [start]
    for _ in range(MAX_RULE_STEPS):
        nxt: list[str] = []
        for form in frontier:
            for pattern, repl in rules:
                for match in pattern.finditer(form):
                    new = form[:match.start()] + repl + form[match.end():]
                    if new not in seen and len(seen) < MAX_RULE_FORMS:
                        seen.add(new)
                        nxt.append(new)
        frontier = nxt
    seen.discard(start)
    return tuple(sorted(seen))


def calque_readings(words: Sequence[str]) -> list[str]:
    """``Lower Tagil`` -> ``Nizhny Tagil``, ``Nizhnyaya Tagil`` ...: the multi-word name with its
    English first word put back in each gender (the caller keeps the one a gazetteer holds)."""
    forms = calque_words().get(words[0].lower()) if len(words) >= 2 else None
    if not forms:
        return []
    rest = " ".join(words[1:])
    return [f"{form}-{rest}" if form.endswith("o") else f"{form} {rest}" for form in forms]


@functools.lru_cache(maxsize=1)
def given_name_equivalents() -> dict[str, tuple[str, ...]]:
    """English or Ukrainian given name (lower case) -> the Russian given names it stands for."""
    return {w: tuple(forms) for w, forms in _rules_data()["given_names"]["names"].items()}


# Every romanisation scheme iuliia ships that writes Russian (for normalize_names: a word written in
# any of them is a variant of the name, not a slip).
EVERY_SCHEME = ("ala_lc", "ala_lc_alt", "bgn_pcgn", "bgn_pcgn_alt", "bs_2979", "bs_2979_alt", "gost_16876",
                "gost_16876_alt", "gost_52290", "gost_52535", "gost_7034", "gost_779", "gost_779_alt",
                "icao_doc_9303", "iso_9_1954", "iso_9_1968", "iso_9_1968_alt", "mosmetro", "mvd_310", "mvd_310_fr",
                "mvd_782", "scientific", "telegram", "ungegn_1987", "wikipedia", "yandex_maps", "yandex_money")


@functools.lru_cache(maxsize=65536)
def _every_scheme_keys(cyrillic: str) -> frozenset[str]:
    from ..transliteration import romanize
    from .spellings import spelling_key

    return frozenset(spelling_key(romanize(cyrillic, name)) for name in EVERY_SCHEME)


def in_some_scheme(latin: str, cyrillic: str) -> bool:
    """Is ``latin`` the Cyrillic word as some romanisation scheme writes it (GOST's Pervomajskij)?"""
    from .spellings import spelling_key

    return spelling_key(latin) in _every_scheme_keys(cyrillic.lower())
