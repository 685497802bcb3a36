"""Transliteration-aware keys for romanised Russian names.

A key keeps a word's consonants, folded into classes that absorb the romanisation schemes'
differences (kh/h/x, ch/tsch/tch/č, sh/sch/š, zh/ž, ts/tz/z/c, w/v), drops the vowels (y/i/ï,
ye/e/je, yu/iu/ju, -iy/-y/-ii/-ij/-yy, a lost final vowel) and marks a leading vowel:
Kirishi, Kirischi, Kirichi and Kiriši all become ``KRC``; Glazhev and Glazhevo ``GLJV``.

The index files each name under its one canonical key; a query asks under every reading of its
ambiguous letters (``h`` may be х or a ч that lost its c: Boharev → BHRV and BCRV).
"""
from __future__ import annotations

import functools
import itertools
import re
import unicodedata

from unidecode import unidecode

from .transliteration import CYRILLIC_RE, romanize

# Longest first. Each grapheme's classes: the first is the canonical reading (the index's), the
# others are what a query also tries. "" drops the letter.
_GRAPHEMES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("tsch", ("C",)), ("shch", ("C",)), ("sch", ("C", "J")), ("tch", ("C",)),  # German sch: ш or ж
    ("ch", ("C", "H")),  # ч in English, ш in French, х in German
    ("sh", ("C",)), ("zh", ("J",)), ("kh", ("H",)), ("ts", ("Z",)), ("tz", ("Z",)), ("ck", ("K",)),
    ("tc", ("Z", "TK")),  # ц in some passport romanisations
    ("ph", ("F",)), ("ff", ("F", "V")),  # Iwanoff
    ("h", ("H", "C")),  # х, or ч/ш that lost its c/s (Boharev)
    ("x", ("KS", "H")), ("j", ("", "J")), ("c", ("K", "Z")), ("z", ("Z",)), ("w", ("V",)),
    ("v", ("V",)), ("q", ("K",)), ("k", ("K",)), ("g", ("G",)), ("b", ("B",)), ("p", ("P",)),
    ("d", ("D",)), ("t", ("T",)), ("s", ("S", "Z")), ("l", ("L",)), ("m", ("M",)), ("n", ("N",)),  # s: German з
    ("r", ("R",)), ("f", ("F",)),
)
_CLASSES = dict(_GRAPHEMES)
_GRAPHEME_RE = re.compile("|".join(re.escape(g) for g, _ in _GRAPHEMES) + "|[aeiouy]|.")
_LEADING_VOWEL_RE = re.compile(r"[jy]?[aeiouy]")
_DIGRAPHS = str.maketrans({"š": "sh", "č": "ch", "ž": "zh", "ŝ": "shch", "ć": "ch", "ś": "sh",
                           "ź": "zh", "ł": "l", "ß": "ss"})
_MARKS_RE = re.compile(r"['’ʹʺ”`´·\-\s]")
MAX_QUERY_KEYS = 64
MIN_KEY = 3  # shorter keys (Ufa, Oka) are too common to match loosely


@functools.lru_cache(maxsize=65536)
def normalise(word: str) -> str:
    """Lower-case ASCII Latin: Cyrillic romanised (BGN/PCGN), diacritics spelled out (š → sh),
    soft signs, apostrophes and hyphens dropped."""
    if CYRILLIC_RE.search(word):
        word = romanize(word)
    word = unicodedata.normalize("NFC", word.lower()).translate(_DIGRAPHS)
    return _MARKS_RE.sub("", unidecode(word))


def _readings(word: str) -> list[tuple[str, ...]]:
    """Per grapheme, the classes it may stand for."""
    text = normalise(word)
    out: list[tuple[str, ...]] = []
    lead = _LEADING_VOWEL_RE.match(text)
    if lead:
        out.append(("A",))
        text = text[lead.end():]
    for grapheme in _GRAPHEME_RE.findall(text):
        classes = _CLASSES.get(grapheme)
        if classes is not None:
            out.append(classes)
    return out


def _squeeze(classes: tuple[str, ...] | list[str]) -> str:
    out: list[str] = []
    for c in "".join(classes):
        if not out or out[-1] != c:  # doubled letters and sch+tsch collapse
            out.append(c)
    return "".join(out)


@functools.lru_cache(maxsize=65536)
def key(word: str) -> str:
    """The canonical key of one word (either script): what the index files it under."""
    return _squeeze([options[0] for options in _readings(word)])


@functools.lru_cache(maxsize=65536)
def query_keys(word: str) -> tuple[str, ...]:
    """Every key a possibly misspelt word may stand for, canonical first (at most MAX_QUERY_KEYS)."""
    options = _readings(word)
    keys = dict.fromkeys(_squeeze(combo) for combo in itertools.islice(itertools.product(*options), MAX_QUERY_KEYS))
    return tuple(keys)


_FINE = (
    (re.compile(r"(?:iy|yy|ij|ii|yj|iï|yi)$"), "y"), (re.compile(r"tsch"), "ch"), (re.compile(r"sch"), "sh"),
    (re.compile(r"chtch"), "shch"), (re.compile(r"gu(?=[ie])"), "g"),  # French
    (re.compile(r"tz|tc"), "ts"), (re.compile(r"kh"), "h"), (re.compile(r"ou"), "u"), (re.compile(r"zh"), "j"), (re.compile(r"x"), "ks"), (re.compile(r"w"), "v"),
    (re.compile(r"[jy]"), "i"), (re.compile(r"(.)\1"), r"\1"),
)


@functools.lru_cache(maxsize=65536)
def fine(word: str, x_as_kh: bool = False) -> str:
    """A finer form for ranking candidates that share a key: schemes folded, vowels kept.
    ``x_as_kh`` reads x as х (ISO's Čexov) rather than кс (Aleksandr written Alexander)."""
    text = normalise(word)
    if x_as_kh:
        text = text.replace("x", "kh")
    for pattern, replacement in _FINE:
        text = pattern.sub(replacement, text)
    return text
