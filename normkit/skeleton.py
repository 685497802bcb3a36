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
from typing import Callable

from unidecode import unidecode

from .transliteration import CYRILLIC_RE, romanize

# Longest first. Each grapheme's classes: the first is the canonical reading (the index's), the
# others are what a query also tries. "" drops the letter.
_GRAPHEMES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("stsch", ("SC", "C")), ("ttsch", ("TC", "C")), ("tsch", ("C",)), ("shch", ("C",)),  # German сч, тч, ч, щ
    ("stch", ("SC", "C")), ("tch", ("C", "TC")),  # French ч, or BGN's т+ч (Detchino)
    ("sch", ("C", "J", "SC", "SH")),  # щ, German ш or ж, BGN's с+ч (Novopeschanoye), German с+х (Woschod)
    ("sc", ("SK", "C", "SZ")),  # ISO 9 without its hačeks writes щ as sc (Stolbisci)
    ("ch", ("C", "H")),  # ч in English, ш in French, х in German
    ("sh", ("C", "SH")),  # ш, or с+х that lost its k (Voshod)
    ("zh", ("J",)), ("kh", ("H",)), ("ts", ("Z",)), ("tz", ("Z",)), ("ck", ("K", "ZK")),  # ISO's c is ц (Emeck)
    ("tc", ("Z", "TK")),  # ц in some passport romanisations
    ("ph", ("F", "PH", "PC")),  # п+х, or п+ч that lost its c (Churapcha) ("ff", ("F", "V")),  # Iwanoff
    ("th", ("TH", "TC", "C")),  # т+х, or тч/ч that lost its c (Kethenery)
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
_VOWELS = frozenset("aeiouy")
_VOWEL = ("|",)  # marks a vowel between consonants; dropped from the finished key
MAX_QUERY_KEYS = 64
MIN_KEY = 3  # shorter keys (Ufa, Oka) are too common to match loosely


@functools.lru_cache(maxsize=65536)
def normalise(word: str) -> str:
    """Lower-case ASCII Latin: Cyrillic romanised (BGN/PCGN), diacritics spelled out (š → sh),
    soft signs, apostrophes and hyphens dropped."""
    if CYRILLIC_RE.search(word):
        word = romanize(word)
    word = _MARKS_RE.sub("", unicodedata.normalize("NFC", word.lower()).translate(_DIGRAPHS))
    return _MARKS_RE.sub("", unidecode(word))  # BGN's t·s (тс, not ц) before unidecode makes it t*s


def _readings(word: str) -> list[tuple[str, ...]]:
    """Per grapheme, the classes it may stand for."""
    text = normalise(word)
    out: list[tuple[str, ...]] = []
    lead = _LEADING_VOWEL_RE.match(text)
    if lead:
        out.append(("A", "J") if text[0] == "j" else ("A",))  # Jana: Яна, or Жана in English and French
        text = text[lead.end():]
    for grapheme in _GRAPHEME_RE.findall(text):
        classes = _CLASSES.get(grapheme)
        if classes is not None:
            out.append(classes)
        elif grapheme in _VOWELS and out and out[-1] != _VOWEL:
            out.append(_VOWEL)  # a boundary: Kokuy keeps both k's, Rossosh's ss collapse
    return out


def _squeeze(classes: tuple[str, ...] | list[str]) -> str:
    out: list[str] = []
    for c in "".join(classes):
        if not out or out[-1] != c:  # doubled letters and s+sch collapse; a vowel between keeps both
            out.append(c)
    return "".join(out).replace("|", "")


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
    (re.compile(r"(?:iy|yy|ij|ii|yj|iï|yi)$"), "y"), (re.compile(r"chtch"), "shch"),  # French щ
    (re.compile(r"tsch|tch"), "ch"), (re.compile(r"sch"), "sh"), (re.compile(r"gu(?=[ie])"), "g"),  # French
    (re.compile(r"tz|tc"), "ts"), (re.compile(r"kh"), "h"), (re.compile(r"ou"), "u"), (re.compile(r"zh"), "j"), (re.compile(r"x"), "ks"), (re.compile(r"w"), "v"),
    (re.compile(r"(?<=[aeiou])[jy]e"), "e"),  # е after a vowel: Krasnoye, Krasnoe, Krasnoje
    (re.compile(r"(?<=[aeiou])[jyi]$"), ""),  # a final й: Krasnoy (Krasnoye, its е lost), Vagai, Vagay
    (re.compile(r"[jy]"), "i"), (re.compile(r"(.)\1"), r"\1"),
)


def _rewriter(rules: dict[str, str], contextual: dict[str, str] | None = None) -> Callable[[str], str]:
    """One left-to-right pass of literal ``rules`` and ``contextual`` regex rules (tried first);
    a rewrite never feeds another: tsch → ch stays ch."""
    patterns = [*(contextual or {}), *map(re.escape, sorted(rules, key=len, reverse=True))]
    replacements = [*(contextual or {}).values(), *(rules[k] for k in sorted(rules, key=len, reverse=True))]
    pattern = re.compile("|".join(f"({p})" for p in patterns))
    return lambda text: pattern.sub(lambda m: replacements[(m.lastindex or 1) - 1], text)


# How a German or a French reader spells Russian (Schukow, Chouvalovo), read back as English.
_S_VOICED = {r"s(?=[aeiouy])": "z"}  # German s before a vowel is з (Sarinsk: Zarinsk, Pensa: Penza)
_GERMAN_RULES = {"dsch": "dzh", "schtsch": "shch", "tsch": "ch", "ch": "kh", "ck": "k", "z": "ts", "w": "v",
                 "j": "y", "ss": "s"}
_GERMAN = tuple(  # sch is ш or ж; s before a vowel з, or с where the writer did not double it
    _rewriter({**_GERMAN_RULES, "sch": sch}, _S_VOICED if voiced else None)
    for sch in ("sh", "zh") for voiced in (True, False))
_ISO = _rewriter({"c": "ts", "ch": "ch", "ck": "tsk"})  # ISO 9 without hačeks: c is ц (Klincy)
_FRENCH = _rewriter({"chtch": "shch", "tch": "ch", "dj": "dzh", "ch": "sh", "ou": "u", "j": "zh", "ss": "s"},
                    {r"(?<=[aeiouy])s(?=[aeiouy])": "z", r"ine$": "in", r"gu(?=[eiy])": "g"})


def _fold(text: str) -> str:
    for pattern, replacement in _FINE:
        text = pattern.sub(replacement, text)
    return text


@functools.lru_cache(maxsize=65536)
def fine(word: str) -> str:
    """A finer form for ranking candidates that share a key: schemes folded, vowels kept."""
    return _fold(normalise(word))


@functools.lru_cache(maxsize=65536)
def fine_readings(word: str) -> tuple[str, ...]:
    """The fine forms of a word read as English/BGN, ISO (x for х, not кс as in Alexander; c for ц),
    German and French spellings."""
    text = normalise(word)
    readings = [text, text.replace("x", "kh"), _ISO(text), *(german(text) for german in _GERMAN), _FRENCH(text)]
    return tuple(dict.fromkeys(_fold(r) for r in readings))
