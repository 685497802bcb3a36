"""Cyrillic ⇄ Latin.

Forward: iuliia's schemes (data files), plus a guarantee iuliia lacks: the output holds no Cyrillic.
Backward: a small table (``schemes/reverse_ru.tsv``) read as a weighted grapheme lattice, giving the
n cheapest Cyrillic spellings of a romanised word; the lexicon later picks among them.
"""
from __future__ import annotations

import functools
import heapq
import re
from dataclasses import dataclass
from typing import Literal, overload

import iuliia
from unidecode import unidecode

from ._paths import schemes_dir

DEFAULT_SCHEME = "bgn_pcgn"
CYRILLIC_RE = re.compile("[\u0400-\u052F\u1C80-\u1C8F\u2DE0-\u2DFF\uA640-\uA69F]")


def scheme_names() -> list[str]:
    """The forward schemes on offer (iuliia's names: bgn_pcgn, wikipedia, gost_7034, ...)."""
    return sorted(iuliia.schemas.names())


@functools.lru_cache(maxsize=None)
def _scheme(name: str) -> iuliia.Schema:
    if not iuliia.schemas.has(name.lower()):
        raise ValueError(f"unknown transliteration scheme {name!r}; choose one of: {', '.join(scheme_names())}")
    return iuliia.schemas.get(name.lower())


@functools.lru_cache(maxsize=65536)
def romanize(text: str, scheme: str = DEFAULT_SCHEME) -> str:
    """Cyrillic → Latin with an iuliia scheme; the result never contains Cyrillic."""
    translator = _scheme(scheme)
    out: str = translator.translate(text)
    if CYRILLIC_RE.search(out):
        # Several iuliia schemes (bgn_pcgn among them) leave ё as it is: read it as е, which they cover.
        out = translator.translate(text.replace("ё", "е").replace("Ё", "Е"))
        # Letters no Russian scheme knows (Ukrainian і, ї, ґ, ...): unidecode's reading.
        out = CYRILLIC_RE.sub(lambda m: unidecode(m.group()), out)
    return out


@dataclass(frozen=True)
class _Reading:
    latin: str
    cyrillic: str
    cost: float
    where: str  # any | initial | final | medial


@functools.lru_cache(maxsize=None)
def _reverse_table(name: str = "reverse_ru") -> dict[str, list[_Reading]]:
    """Readings indexed by their first Latin character."""
    text = (schemes_dir() / f"{name}.tsv").read_text(encoding="utf-8")
    table: dict[str, list[_Reading]] = {}
    rows = [line for line in text.splitlines() if line and not line.startswith("#")]
    for lineno, line in enumerate(rows[1:], start=2):
        fields = line.split("\t")
        if len(fields) != 4:
            raise ValueError(f"{name}.tsv: bad row {lineno}: {line!r}")
        reading = _Reading(fields[0], fields[1], float(fields[2]), fields[3])
        table.setdefault(reading.latin[0], []).append(reading)
    return table


_VOWELS = frozenset("аеёиоуыэюя")
_SPLIT_PENALTY = 0.45  # a longer grapheme (ts, kh) usually is one letter: тс must beat ц on the dictionary
_MISSPELLING = 2.0
# News copy drops BGN's ’ for ь and ” for ъ (semya for sem’ya, izmenilas for izmenilas’): a reading
# may restore one where Russian spelling puts it, after a consonant before a consonant, before an
# iotated vowel (y...) or at the end of the word; the lexicon then decides whether it belongs.
_SOFT_SIGN_COST = 0.35
_HARD_SIGN_COST = 0.6
_TAKES_SIGN = frozenset("бвгджзклмнпрстфхчшщ")
_LATIN_CONSONANTS = frozenset("bcdfghjklmnpqrstvwxzšžčŝ")
MAX_READ = 40  # a romanised run longer than this is not read: no word is that long
_SEPARATOR_RE = re.compile(r"([\s\-‐‑–]+)")


def _spellable(base: str, nxt: str) -> bool:
    """Russian spelling: й starts a word or follows a vowel; ы, ь, ъ follow a consonant."""
    if not nxt:  # a reading that writes nothing (BGN's separator ·)
        return True
    if nxt == "й":
        return not base or base[-1] in _VOWELS
    if nxt in "ыьъ":
        return bool(base) and base[-1] not in _VOWELS
    if base[-1:] == "ы" and nxt in "аиоуыэ":  # ыи, ыа: no Russian word spells them
        return False
    if nxt == "ы" and base[-1:] in "гкхжшчщ":  # жи-ши: after these Russian writes и
        return False
    return True


def _fits(where: str, start: int, end: int, length: int) -> bool:
    if where == "any":
        return True
    if where == "initial":
        return start == 0
    if where == "final":
        return end == length
    return 0 < start and end < length  # medial


def _omitted_signs(cyrillic: str, next_latin: str, at_end: bool) -> tuple[tuple[str, float], ...]:
    """The ь or ъ a romanised word may have dropped after ``cyrillic``, with their costs."""
    if not cyrillic or cyrillic[-1] not in _TAKES_SIGN:
        return ()
    if at_end or next_latin in _LATIN_CONSONANTS:
        return (("ь", _SOFT_SIGN_COST),)
    if next_latin == "y":  # семья, объявление
        return (("ь", _SOFT_SIGN_COST), ("ъ", _HARD_SIGN_COST))
    return ()


@functools.lru_cache(maxsize=65536)
def cyrillic_candidates(word: str, n: int = 8, beam: int = 24, *, left: str = "",
                        at_end: bool = True) -> tuple[tuple[str, float], ...]:
    """The ``n`` cheapest Cyrillic readings of a romanised word, with their costs (cheapest first).

    ``left`` is the Cyrillic letter before it when ``word`` is the tail of a half-romanised word
    (``откр`` + ``yty``), ``at_end`` whether it ends the word: both steer spelling and endings.
    Characters the table does not know (Cyrillic letters already there, digits, hyphens) pass through.
    """
    if _SEPARATOR_RE.search(word):  # read each part of Yoshkar-Ola on its own
        parts = _SEPARATOR_RE.split(word)
        combos: list[tuple[str, float]] = [("", 0.0)]
        for k, part in enumerate(parts):
            options = ((part, 0.0),) if k % 2 or not part else cyrillic_candidates(
                part, n, beam, left=left if k == 0 else "", at_end=at_end or k < len(parts) - 1)
            combos = heapq.nsmallest(n, ((text + o, cost + c) for text, cost in combos for o, c in options),
                                     key=lambda tc: (tc[1], tc[0]))
        return tuple((text, round(cost, 3)) for text, cost in combos)
    lower = word.lower()
    length = len(lower)
    if length > MAX_READ:
        return ((word, float(length)),)
    offset = 1 if left else 0  # positions count from the word's start, not the run's
    whole = length + offset + (0 if at_end else 1)
    left = left.lower()
    table = _reverse_table()
    # hyps[i]: best partial readings covering lower[:i], as (cost, cyrillic)
    hyps: list[list[tuple[float, str]]] = [[] for _ in range(length + 1)]
    hyps[0] = [(0.0, "")]
    # the Cyrillic letter before a romanised tail may be the one that lost its ь (цел|yu: целью)
    hyps[0] += [(cost, sign) for sign, cost in _omitted_signs(left, lower[:1], False)]
    for i in range(length):
        if not hyps[i]:
            continue
        current = heapq.nsmallest(beam, set(hyps[i]))
        steps = [(r.latin, r.cyrillic, r.cost) for r in table.get(lower[i], ())
                 if lower.startswith(r.latin, i)
                 and _fits(r.where, i + offset, i + offset + len(r.latin), whole)]
        if any(len(latin) > 1 for latin, _, _ in steps):  # prefer the longest grapheme: ts is ц, not тс
            steps = [(lat, cyr, cost + (_SPLIT_PENALTY if len(lat) == 1 else 0.0)) for lat, cyr, cost in steps]
        if not steps:  # unknown character: keep it, at a price unless it is already Cyrillic
            steps = [(lower[i], lower[i], 0.0 if CYRILLIC_RE.match(lower[i]) else 1.0)]
        for latin, cyrillic, cost in steps:
            after = i + len(latin)
            nxt = hyps[after]
            signs = _omitted_signs(cyrillic, lower[after:after + 1], after == length and at_end)
            for base_cost, base in current:
                # Breaking Russian spelling costs, rather than being barred: a reading always exists.
                penalty = 0.0 if _spellable(base or left, cyrillic[:1]) else _MISSPELLING
                nxt.append((base_cost + cost + penalty, base + cyrillic))
                for sign, sign_cost in signs:
                    nxt.append((base_cost + cost + penalty + sign_cost, base + cyrillic + sign))
    best: dict[str, float] = {}
    for cost, cyr in sorted(hyps[length]):
        best.setdefault(cyr, cost)
    ranked = sorted(best.items(), key=lambda kv: (kv[1], kv[0]))[:n]
    return tuple((match_case(word, cyr), round(cost, 3)) for cyr, cost in ranked)


def match_case(model: str, word: str) -> str:
    """Give ``word`` the case pattern of ``model``: UPPER, Title or lower."""
    letters = [c for c in model if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return word.upper()
    if letters and letters[0].isupper():
        return word[:1].upper() + word[1:]
    return word


@overload
def transliterate(text: str, scheme: str = ..., *, reverse: Literal[False] = ..., n: int = ...) -> str: ...
@overload
def transliterate(text: str, scheme: str = ..., *, reverse: Literal[True], n: int = ...) -> list[str]: ...


def transliterate(text: str, scheme: str = DEFAULT_SCHEME, *, reverse: bool = False,
                  n: int = 5) -> str | list[str]:
    """Cyrillic → Latin with ``scheme`` (output free of Cyrillic), or with ``reverse=True`` the
    ``n`` likeliest Cyrillic spellings of a romanised word, best first.

    >>> transliterate("Щёлково")
    'Shchelkovo'
    >>> transliterate("Kirishi", reverse=True)[0]
    'Кириши'
    """
    if reverse:
        return [cyr for cyr, _ in cyrillic_candidates(text, n)]
    return romanize(text, scheme)
