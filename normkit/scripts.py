"""Scripts of letters, the fast scan for tokens that change script, and look-alike folding.

One ``re`` search over the text finds letter pairs that change script (Latin/Cyrillic/Greek);
only the tokens around those hits get any further work, so ordinary text costs almost nothing.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import Iterator

from ._paths import schemes_dir

LATIN, CYRILLIC, GREEK = "Latin", "Cyrillic", "Greek"

_L = "A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F\u1E00-\u1EFF"
_C = "\u0400-\u0482\u048A-\u052F\u1C80-\u1C8F\uA640-\uA66E\uA680-\uA69D"
_G = "\u0370-\u0373\u0376-\u03FF\u1F00-\u1FFF"
_RANGES = {LATIN: _L, CYRILLIC: _C, GREEK: _G}
# A letter of one script right after a letter of another (a combining mark may sit between).
# Combining marks, and BGN's soft/hard signs and separator (Oktyabr’sk, t·s), may sit between
# two letters of different scripts.
_M = "\u0300-\u036F'\u2019\u02B9\u02BA\u201D\u00B7"
_JOINERS = re.compile(f"[{_M}]")
# The scan looks for runs of the text's rarer script (Cyrillic and Greek in English text, Latin and
# Greek in Russian): re finds those at hundreds of MB/s, and only their edges need a look.
_RARE_IN_LATIN = re.compile(f"[{_C}{_G}]+")
_RARE_IN_CYRILLIC = re.compile(f"[{_L}{_G}]+")
_SAMPLE = 4096
_LETTER_RE = {name: re.compile(f"[{chars}]") for name, chars in _RANGES.items()}
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


def _is_token_char(char: str) -> bool:
    return char.isalnum() or char in _SEPARATORS or unicodedata.category(char) == "Mn"


def mixed_tokens(text: str) -> Iterator[tuple[int, int]]:
    """Spans of the tokens that contain a change of script, in order."""
    sample = text[:_SAMPLE]
    # Cyrillic letters take two bytes in UTF-8: a cheap count of them, done in C.
    mostly_cyrillic = len(sample.encode("utf-8", "surrogatepass")) - len(sample) > len(sample) // 4
    rare = _RARE_IN_CYRILLIC if mostly_cyrillic else _RARE_IN_LATIN
    pos = 0
    for run in rare.finditer(text):
        start, end = run.span()
        if end <= pos or not _changes_script(text, start, end):
            continue
        while start > 0 and _is_token_char(text[start - 1]):
            start -= 1
        while end < len(text) and _is_token_char(text[end]):
            end += 1
        while text[start] in _SEPARATORS:  # a token does not begin or end with a hyphen or quote
            start += 1
        while text[end - 1] in _SEPARATORS:
            end -= 1
        if start < end:
            yield start, end
            pos = end


def _changes_script(text: str, start: int, end: int) -> bool:
    """Does the letter run ``text[start:end]`` mix scripts, or touch a letter of another script
    (with at most one joiner, such as ’ or a combining mark, in between)?"""
    own = script_of(text[start])
    if any(script_of(c) != own for c in text[start + 1:end]):
        return True
    for step, edge in ((-1, start - 1), (1, end)):
        if 0 <= edge < len(text) and _JOINERS.match(text[edge]):
            edge += step
        if 0 <= edge < len(text):
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
    to_latin: dict[str, str]
    to_cyrillic: dict[str, str]  # Russian letters only


@functools.lru_cache(maxsize=None)
def _folds() -> _Folds:
    to_latin: dict[str, str] = {}
    to_cyrillic: dict[str, str] = {}
    rows = (schemes_dir() / "homoglyphs.tsv").read_text(encoding="utf-8").splitlines()
    rows = [r for r in rows if r and not r.startswith("#")][1:]
    for row in rows:
        latin, cyrillic, greek, russian = row.split("\t")
        if cyrillic != "-":
            if len(cyrillic) == 1:  # а + stress mark folds letter by letter: the mark stays
                to_latin[cyrillic] = latin
            if russian == "yes":
                to_cyrillic[latin] = cyrillic
        if greek != "-":
            to_latin[greek] = latin
    return _Folds(to_latin, to_cyrillic)


def fold(text: str, script: str) -> str | None:
    """Replace every letter not in ``script`` by its look-alike in ``script``; None if one has none."""
    folds = _folds()
    table = folds.to_latin if script == LATIN else folds.to_cyrillic if script == CYRILLIC else None
    if table is None:
        return None
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
