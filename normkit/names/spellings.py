"""Accepted Latin spellings of a Russian word: the romanisations English copy really uses.

A Latin word is an accepted spelling of a Cyrillic word when one of the schemes below writes it so,
allowing the liberties English text takes everywhere: soft signs dropped or written ``i`` before a
vowel (Vasiliev), ё written e or yo, кс written x (Maxim), and the adjective endings -iy/-y/-ii/-i.

Schemes come from iuliia's data files (each a letter map with context and ending rules) and are
compiled here into plain dictionaries. Schemes with diacritics (ISO 9, GOST 7.79, scholarly) count
only for a word that shows a diacritic: a bare ``Beluha`` is an h-for-kh slip in English text, even
though ISO 9 writes Белуха so; a ``Beluha`` beside ``Čerskij`` would be ISO's. A word is compared by
:func:`spelling_key` (case, apostrophes and hyphens do not matter).
"""
from __future__ import annotations

import functools
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

#: Schemes whose plain-ASCII output English text uses: BGN/PCGN, Wikipedia's, ALA-LC without its
#: ligatures, British Standard, the Russian passport (ICAO 9303, MVD) and GOST R 52535/52290
#: passport and road-sign tables. Not Yandex's or the Moscow metro's, which write щ as sch: in
#: English text that is the German reading, a slip (Schukina for Shchukina).
ASCII_SCHEMES = ("bgn_pcgn", "wikipedia", "ala_lc_alt", "bs_2979_alt", "icao_doc_9303", "mvd_310",
                 "mvd_782", "gost_52535", "gost_52290")
#: Schemes that write diacritics or modifier letters (ALA-LC with ligatures, ISO 9 and GOST 7.79,
#: the scholarly system, UNGEGN): accepted as written, only for words that show such a letter.
MARKED_SCHEMES = ("ala_lc", "bs_2979", "iso_9_1954", "iso_9_1968", "iso_9_1968_alt", "gost_779",
                  "gost_16876", "scientific", "ungegn_1987")

_APOSTROPHES_RE = re.compile("['’ʹʺʼ”`´\\-\u0361\u00b7]")
_CONSONANTS = frozenset("бвгджзйклмнпрстфхцчшщ")
_SOFT_VOWELS = frozenset("еёюяи")
# Endings English writes several ways: -ий Veliky, Velikiy, Velikii, Veliki; -ой Bolshoy, Bolshoi.
# Plural -ые, -ие: Naberezhnye, Naberezhnyye, Naberezhniye.
_ADJECTIVE_ENDINGS = {"ий": ("iy", "y", "ii", "i", "ij", "yi"), "ый": ("yy", "y", "iy", "yi", "ii", "i"),
                      "ой": ("oy", "oi", "oj"), "ые": ("ye", "yye", "iye", "ie", "yie"),
                      "ие": ("iye", "ie", "iie", "ije")}


@dataclass(frozen=True)
class Scheme:
    """One iuliia scheme, lower-case, as plain dictionaries (iuliia's own engine, without its
    per-call overhead)."""

    name: str
    letters: dict[str, str]
    after: dict[str, str]     # "previous letter + letter" -> Latin for the letter
    before: dict[str, str]    # "letter + next letter" -> Latin for the letter
    endings: dict[str, str]   # the last two letters -> Latin

    def __post_init__(self) -> None:
        # The letters no context rule touches are romanised by one str.translate (in C); only the
        # letters some rule may apply to are looked at one by one, as romanise_slowly does.
        object.__setattr__(self, "_table", str.maketrans(self.letters) if all(len(k) == 1 for k in self.letters)
                           else None)
        contextual = {k[-1] for k in self.after if k} | {k[0] for k in self.before if k}
        object.__setattr__(self, "_contextual", re.compile("[" + re.escape("".join(sorted(contextual))) + "]")
                           if contextual else None)

    def romanise(self, word: str) -> str:
        """``word`` (lower-case Cyrillic, one word) in this scheme; other characters pass through."""
        table: dict[int, str] | None = self.__dict__["_table"]
        if table is None:
            return self.romanise_slowly(word)
        stem, ending = (word[:-2], word[-2:]) if len(word) > 2 else (word, "")
        tail = self.endings.get(ending) if ending else None
        letters = stem if tail is not None else word
        contextual: re.Pattern[str] | None = self.__dict__["_contextual"]
        if contextual is None:
            out = letters.translate(table)
        else:
            pieces = []
            last = 0
            for match in contextual.finditer(letters):
                i = match.start()
                pieces.append(letters[last:i].translate(table))
                pieces.append(self._letter(word, i))
                last = i + 1
            pieces.append(letters[last:].translate(table))
            out = "".join(pieces)
        return out + tail if tail is not None else out

    def _letter(self, word: str, i: int) -> str:
        """The romanisation of ``word[i]``, its neighbours' context rules first."""
        char = word[i]
        latin = self.after.get((word[i - 1] if i else "") + char)
        if latin is None:
            latin = self.before.get(char + (word[i + 1] if i + 1 < len(word) else ""))
        return self.letters.get(char, char) if latin is None else latin

    def romanise_slowly(self, word: str) -> str:
        """:meth:`romanise` letter by letter (the reference the fast path is tested against)."""
        stem, ending = (word[:-2], word[-2:]) if len(word) > 2 else (word, "")
        tail = self.endings.get(ending) if ending else None
        letters = stem if tail is not None else word
        out = [self._letter(word, i) for i in range(len(letters))]
        if tail is not None:
            out.append(tail)
        return "".join(out)


@functools.lru_cache(maxsize=None)
def scheme(name: str) -> Scheme:
    """The compiled iuliia scheme ``name``."""
    import iuliia

    path = Path(iuliia.schemas.get(name).path)
    data = json.loads(path.read_text(encoding="utf-8"))
    return Scheme(name, dict(data["mapping"]), dict(data.get("prev_mapping") or {}),
                  dict(data.get("next_mapping") or {}), dict(data.get("ending_mapping") or {}))


def spelling_key(latin: str) -> str:
    """What two spellings must share to be the same: NFC, lower case, no apostrophes or hyphens."""
    return _APOSTROPHES_RE.sub("", unicodedata.normalize("NFC", latin).lower())


def is_marked(latin: str) -> bool:
    """Does the word show a letter beyond ASCII (a diacritic, ISO's ʹ)?"""
    return any(ord(c) > 127 and c.isalpha() or c in "ʹʺ" for c in latin)


def _cyrillic_variants(word: str) -> set[str]:
    """The word with ё as е, and with ь before a vowel as и (Васильев is also written Vasiliev)."""
    forms = {word, word.replace("ё", "е")}
    for form in list(forms):
        soft = "".join("и" if c == "ь" and form[i + 1:i + 2] in _SOFT_VOWELS and form[i + 1:i + 2] else c
                       for i, c in enumerate(form))
        forms.add(soft)
    return forms


def _with_endings(cyrillic: str, latin: str, romanised_ending: str) -> set[str]:
    for ending, spellings in _ADJECTIVE_ENDINGS.items():
        if cyrillic.endswith(ending) and latin.endswith(romanised_ending):
            stem = latin[:len(latin) - len(romanised_ending)]
            return {stem + s for s in spellings}
    return set()


@functools.lru_cache(maxsize=65536)
def accepted_keys(cyrillic: str, *, marked: bool = False) -> frozenset[str]:
    """:func:`spelling_key` of every accepted Latin spelling of the Cyrillic word (one word, any
    case). ``marked``: of a Latin word that shows diacritics, so the marked schemes count too."""
    word = cyrillic.lower()
    keys: set[str] = set()
    for form in _cyrillic_variants(word):
        for name in ASCII_SCHEMES:
            latin = scheme(name).romanise(form)
            spellings = {latin, latin.replace("ks", "x")}
            for ending in _ADJECTIVE_ENDINGS:
                if form.endswith(ending):
                    tail = scheme(name).romanise(form[-2:]) if len(form) > 2 else ""
                    spellings |= _with_endings(form, latin, scheme(name).endings.get(ending, tail))
            keys.update(spelling_key(s) for s in spellings)
        if marked:
            keys.update(spelling_key(scheme(name).romanise(form)) for name in MARKED_SCHEMES)
    return frozenset(keys)


def is_accepted(latin: str, cyrillic: str) -> bool:
    """Is ``latin`` an accepted spelling of the Cyrillic word ``cyrillic``?"""
    return spelling_key(latin) in accepted_keys(cyrillic, marked=is_marked(latin))


# English variants of one romanisation, letter by letter: й after a vowel written y or i (Karachay,
# Karachai; Bolshoy, Bolshoi), е after a vowel or first written ye or e (Karachayevo, Karachaevo;
# Yelabuga, Elabuga), a soft sign before a vowel written y or i (Natalya, Natalia; Vasilyev,
# Vasiliev), and the adjective endings -sky/-skiy/-skii/-ski, -ny/-nyy/-nyi. Not kh/h, zh/j, ts/z,
# shch/sch or w/v: in English text those are another language's letters, slips to fix.
_VARIANT_RULES = (
    (re.compile(r"(?<=[aeiouy])y(?![aeiou])"), "i"),   # й after a vowel
    (re.compile(r"(?:(?<=[aeiou])|^)ye"), "e"),         # е after a vowel or first
    (re.compile(r"(?<=[^aeiouy])y(?=[aeu])"), "i"),    # ь or a soft vowel after a consonant
    (re.compile(r"(?<=[kn])(?:ii|yi|iy|y|i)$"), "y"),  # adjective endings
)


@functools.lru_cache(maxsize=65536)
def variant_key(latin: str) -> str:
    """What two English spellings of one Russian name share when they differ only in the liberties
    English copy takes (see :data:`_VARIANT_RULES`): ``Karachai-Cherkess`` and ``Karachay-Cherkess``."""
    key = spelling_key(latin)
    for pattern, replacement in _VARIANT_RULES:
        key = pattern.sub(replacement, key)
    return key
