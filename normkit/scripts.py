"""Scripts of letters, the fast scan for tokens that change script, and look-alike folding.

One ``re`` search over the text finds letter pairs that change script (Latin/Cyrillic/Greek);
only the tokens around those hits get any further work, so ordinary text costs almost nothing.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Iterator

from ._paths import schemes_dir

LATIN, CYRILLIC, GREEK = "Latin", "Cyrillic", "Greek"

_L = "A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F\u0259\u0275\u1E00-\u1EFF"  # with Turkic ə ɵ
_C = "\u0400-\u0482\u048A-\u052F\u1C80-\u1C8F\uA640-\uA66E\uA680-\uA69D"
_G = "\u0370-\u0373\u0376-\u03FF\u1F00-\u1FFF"
_RANGES = {LATIN: _L, CYRILLIC: _C, GREEK: _G}
LATIN_CYRILLIC_LETTERS = _L + _C  # a regex class body: the letters whose words normkit repairs
COMBINING_MARKS = "\u0300-\u036F\u0483-\u0489\u1AB0-\u1AFF\u1DC0-\u1DFF\u20D0-\u20FF\uFE20-\uFE2F"  # a class body
# A letter of one script right after a letter of another (a combining mark may sit between).
# Combining marks, and BGN's soft/hard signs and separator (Oktyabr’sk, t·s), may sit between
# two letters of different scripts.
_M = "\u0300-\u036F'\u2019\u02B9\u02BA\u201D\u00B7"
_JOINERS = re.compile(f"[{_M}]")
_SAMPLE = 4096
_LETTER_RE = {name: re.compile(f"[{chars}]") for name, chars in _RANGES.items()}
_OTHER_LETTER_RE: dict[str | None, re.Pattern[str]] = {
    name: re.compile("[" + "".join(c for n, c in _RANGES.items() if n != name) + "]") for name in _RANGES}
# Inside a token: hyphens, apostrophes and BGN's marks (ʹ ” ʺ for ь ъ, · in t·s).
_SEPARATORS = "-\u2010\u2011_'\u2019\u02BC\u02B9\u02BA\u201D\u00B7"
APOSTROPHES = "'\u2019\u02BC\u02B9"


def script_of(char: str) -> str | None:
    """``Latin``, ``Cyrillic``, ``Greek`` or None (not a letter of these)."""
    for name, pattern in _LETTER_RE.items():
        if pattern.match(char):
            return name
    return None


def script_profile(text: str) -> dict[str, int]:
    """Letters per script, e.g. ``{"Cyrillic": 4, "Latin": 3}`` (scripts with no letters left out)."""
    counts = {name: len(pattern.findall(text)) for name, pattern in _LETTER_RE.items()}
    return {name: n for name, n in counts.items() if n}


# Characters a token is made of: letters, digits, combining marks and the separators above.
_TOKEN_CHARS = "\\w" + COMBINING_MARKS + re.escape(_SEPARATORS)
_TOKEN_TAIL_RE = re.compile(f"[{_TOKEN_CHARS}]*")
_TOKEN_CHAR_RE = re.compile(f"[{_TOKEN_CHARS}]")
# A token longer than this is no word (a URL, base64, text with its spaces lost): it is left alone,
# which also bounds the work any one token can cost.
MAX_TOKEN = 64


def _is_token_char(char: str) -> bool:
    return _TOKEN_CHAR_RE.match(char) is not None


def mostly_cyrillic(text: str) -> bool:
    """Is ``text`` (its first few kB) mostly Cyrillic? Then Latin and Greek letters are its rarer
    scripts, else Cyrillic and Greek."""
    if text.isascii():
        return False
    sample = text[:_SAMPLE]
    # Cyrillic letters take two bytes in UTF-8: a cheap count of them, done in C.
    return len(sample.encode("utf-8", "surrogatepass")) - len(sample) > len(sample) // 4


def rare_letters(cyrillic: bool) -> str:
    """The letters of the rarer scripts of text that is (not) :func:`mostly_cyrillic`, as a regex
    class body: a token changes script only where one of them stands."""
    return _L + _G if cyrillic else _C + _G


# The scan looks for runs of the text's rarer script (Cyrillic and Greek in English text, Latin and
# Greek in Russian): re finds those at hundreds of MB/s, and only their edges need a look.
_RARE_IN_LATIN = re.compile(f"[{rare_letters(False)}]+")
_RARE_IN_CYRILLIC = re.compile(f"[{rare_letters(True)}]+")


def mixed_tokens(text: str) -> Iterator[tuple[int, int]]:
    """Spans of the tokens that contain a change of script, in order. Tokens longer than
    :data:`MAX_TOKEN` characters are skipped whole; the scan never looks at a character twice."""
    rare = _RARE_IN_CYRILLIC if mostly_cyrillic(text) else _RARE_IN_LATIN
    pos = 0
    while True:
        run = rare.search(text, pos)
        if run is None:
            return
        start, end = run.span()
        tail = _TOKEN_TAIL_RE.match(text, end)
        token_end = tail.end() if tail else end
        pos = max(token_end, end)
        if not _changes_script(text, start, end):
            pos = end
            continue
        floor = max(0, start - MAX_TOKEN - 1)
        while start > floor and _is_token_char(text[start - 1]):
            start -= 1
        end = token_end
        if end - start > MAX_TOKEN or (start > 0 and _is_token_char(text[start - 1])):
            continue  # no word is this long
        while start < end and text[start] in _SEPARATORS:  # a token does not begin or end with a hyphen or quote
            start += 1
        while end > start and text[end - 1] in _SEPARATORS:
            end -= 1
        if start < end:
            yield start, end


def _changes_script(text: str, start: int, end: int) -> bool:
    """Does the letter run ``text[start:end]`` mix scripts, or touch a letter of another script
    (with at most one joiner, such as ’ or a combining mark, in between)?"""
    own = script_of(text[start])
    if _OTHER_LETTER_RE[own].search(text, start + 1, end):  # one C-speed look inside the run
        return True
    for step, edge in ((-1, start - 1), (1, end)):
        if 0 <= edge < len(text) and _JOINERS.match(text[edge]):
            edge += step
        # most runs are whole words between spaces: str.isalpha settles them without a regex
        if 0 <= edge < len(text) and text[edge].isalpha():
            other = script_of(text[edge])
            if other is not None and other != own:
                return True
    return False


_SEGMENT_RE = re.compile("[^\\d\\-\u2010\u2011_]+")


def segments(token: str) -> Iterator[tuple[int, int]]:
    """Spans of a token's parts between hyphens and digits (``IT-компания`` has two). Apostrophes
    stay inside: in romanised Russian they are soft signs (``zamenit’``)."""
    for match in _SEGMENT_RE.finditer(token):
        yield match.span()


@dataclass(frozen=True)
class _Folds:
    # script -> {letter of another script: its look-alike in this script}, best twin first
    strong: dict[str, dict[str, str]]
    weak: dict[str, dict[str, str]]  # strong and weak pairs together
    russian: dict[str, str]  # Latin and Greek letters -> their Russian Cyrillic twin (strong only)
    alphabets: dict[str, str]  # the same, with the twins of other living Cyrillic alphabets (h -> һ)


@functools.lru_cache(maxsize=None)
def _folds() -> _Folds:
    """Read schemes/homoglyphs.tsv (generated from Unicode's confusables data)."""
    strong: dict[str, dict[str, str]] = {LATIN: {}, CYRILLIC: {}, GREEK: {}}
    weak: dict[str, dict[str, str]] = {LATIN: {}, CYRILLIC: {}, GREEK: {}}
    russian: dict[str, str] = {}
    alphabets: dict[str, str] = {}
    rows = (schemes_dir() / "homoglyphs.tsv").read_text(encoding="utf-8").splitlines()
    rows = [r for r in rows if r and not r.startswith("#")][1:]
    # Strong pairs before weak ones, Russian twins before others: the first twin found is kept.
    # (and ASCII twins before others: Cyrillic к folds to k, not to the small capital ĸ)
    parsed = sorted((row.split("\t") for row in rows),
                    key=lambda f: (f[4] != "strong", f[5] != "yes", not any(c.isascii() for c in f[0] + f[2])))
    for letter, script, twin, twin_script, tier, is_russian in parsed:
        for a, sa, b, sb in ((letter, script, twin, twin_script), (twin, twin_script, letter, script)):
            if len(a) != 1:  # а + stress mark folds letter by letter: the mark stays
                continue
            weak[sb].setdefault(a, b)
            if tier == "strong":
                strong[sb].setdefault(a, b)
                if sb == CYRILLIC and is_russian == "yes" and b[0] in RUSSIAN_LETTERS:
                    russian.setdefault(a, b)
                if sb == CYRILLIC and (b[0] in RUSSIAN_LETTERS or b[0] in OTHER_CYRILLIC_LETTERS):
                    alphabets.setdefault(a, b)
    return _Folds(strong, weak, russian, alphabets)


RUSSIAN_LETTERS = frozenset("абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ")
# Letters of other Cyrillic alphabets (Ukrainian, Belarusian, Kazakh, Yakut, Bashkir, Tatar, ...):
# not damage, and evidence that a Latin look-alike in the same text stands for one of them.
OTHER_CYRILLIC_LETTERS = frozenset("іїєґўәөүұқғңһҥҕҙҫҡҗӊӘӨҮҰҚҒҢҺҤҔҘҪҠҖІЇЄҐЎ")


def fold(text: str, script: str, *, weak: bool = False, russian: bool = True) -> str | None:
    """Replace every letter not in ``script`` by its look-alike in ``script``; None if one has none.

    Only look-alikes drawn the same in ordinary fonts are used unless ``weak``. Folding to Cyrillic
    uses Russian letters only unless ``russian`` is false (then Ukrainian і, Yakut һ, Kazakh ә too).
    """
    folds = _folds()
    if script == CYRILLIC:
        table = folds.russian if russian else folds.alphabets
    else:
        table = (folds.weak if weak else folds.strong).get(script, {})
    out = []
    for char in text:
        other = script_of(char)
        if other is None or other == script:
            out.append(char)
        elif char in table:
            out.append(table[char])
        else:
            return None
    return "".join(out)


def runs(text: str) -> list[tuple[str | None, str]]:
    """Split into maximal runs of one script: ``Кириshi`` → [("Cyrillic", "Кири"), ("Latin", "shi")].
    Combining marks and non-letters join the run before them."""
    out: list[tuple[str | None, str]] = []
    for char in text:
        script = script_of(char)
        if out and (script is None or script == out[-1][0]):
            out[-1] = (out[-1][0], out[-1][1] + char)
        else:
            out.append((script, char))
    return out
