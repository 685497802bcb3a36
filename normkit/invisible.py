"""Invisible characters that hide inside words or reorder them: found, and removed where they have no job.

A zero-width space in ``Mos\\u200bcow`` or a soft hyphen in ``Кири\\u00adши`` is not seen, but search,
matching and the name stage see two pieces; a bidi override in ``Kir\\u202eihsi\\u202c`` shows the
stored letters Kirihsi as "Kirishi" (Trojan Source; UTS #39 §3). What clean() removes, as edits of
kind ``invisible`` (:func:`scan`):

* zero-width characters (U+200B ZWSP, U+200C ZWNJ, U+200D ZWJ, U+2060 word joiner, U+FEFF) and soft
  hyphens (U+00AD) between two Latin or Cyrillic letters (combining marks may follow the first).
  Anywhere else they stay: ZWJ in emoji sequences (man, ZWJ, woman, ZWJ, girl), ZWJ/ZWNJ in Indic scripts and in
  Persian, a byte-order mark at the start, a zero-width space between words or in Thai.
* bidi embeddings, overrides and isolates (U+202A-202E, U+2066-2069) inside a Latin or Cyrillic
  word, always: no script needs its direction changed mid-word. Elsewhere, when their line holds no
  right-to-left letter (Hebrew, Arabic, Syriac, Thaana, N'Ko, ...): a control's effect ends with its
  line (a bidi paragraph), and a line of left-to-right text has nothing for it to do but reorder.
  In a line with right-to-left letters a control may be doing honest work (an English name isolated
  in Arabic text), so it is kept, and :func:`scan` lists it as kept for detect().
* The marks U+200E LRM, U+200F RLM and U+061C ALM are not in either list: they only give a
  direction to the neutral characters beside them, and right-to-left text needs them.

Text holding none of these characters costs one quick look (:func:`contains_any`).
"""
from __future__ import annotations

import functools
import re
import unicodedata
from typing import NamedTuple

from .scripts import COMBINING_MARKS, LATIN_CYRILLIC_LETTERS, MAX_TOKEN
from .types import Edit

KIND = "invisible"
CONFIDENCE = 0.99  # the letters a reader sees are the same with and without them
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"  # soft hyphen with them: removed only inside a word
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_ALL = ZERO_WIDTH + BIDI_CONTROLS
INVISIBLE_RE = re.compile(f"[{_ALL}]+")
_PARAGRAPH_ENDS = "\n\r\x1c\x1d\x1e\x85\u2029"  # where a bidi control's effect ends (UAX #9, class B)


class _Patterns(NamedTuple):
    letter: re.Pattern[str]
    mark: re.Pattern[str]
    word: re.Pattern[str]  # a word, for naming it in a reason: letters, combining marks, invisible characters
    rtl: re.Pattern[str]
    paragraph_end: re.Pattern[str]


@functools.lru_cache(maxsize=1)
def _patterns() -> _Patterns:
    """The stage's other regexes, compiled on first need: text without invisible characters never
    needs them, so a run on such text does not pay the milliseconds."""
    return _Patterns(
        letter=re.compile(f"[{LATIN_CYRILLIC_LETTERS}]"),
        mark=re.compile(f"[{COMBINING_MARKS}]"),
        word=re.compile(f"[{LATIN_CYRILLIC_LETTERS}{COMBINING_MARKS}{_ALL}]+"),
        # Letters of right-to-left scripts (bidi classes R and AL): Hebrew to Arabic Extended-A,
        # the Hebrew and Arabic presentation forms, and the right-to-left blocks beyond the BMP.
        rtl=re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\U00010800-\U00010fff\U0001e800-\U0001efff]"),
        paragraph_end=re.compile(f"[{re.escape(_PARAGRAPH_ENDS)}]"))


MAX_MARKS = 8  # combining marks looked past for the letter before a removal (more is no writing)
MAX_WORD_SHOWN = MAX_TOKEN  # a longer "word" (hostile text) is named by its start in a reason


class Kept(NamedTuple):
    """A bidi control left in place: its line holds right-to-left letters."""

    start: int
    char: str


def contains_any(text: str) -> bool:
    """Does ``text`` hold one of the characters of :data:`INVISIBLE_RE`? One ``in`` per character:
    str's own search, free when the character is beyond the text's widest one (U+2066 in Latin-1
    text), and 30-500 times faster than a regex class on 150 kB of English or Russian."""
    return any(char in text for char in _ALL)


def _letter_before(text: str, pos: int) -> bool:
    """Is there a Latin or Cyrillic letter just before ``pos`` (combining marks skipped)?"""
    patterns = _patterns()
    floor = max(0, pos - MAX_MARKS)
    while pos > floor and patterns.mark.match(text, pos - 1):
        pos -= 1
    return pos > 0 and patterns.letter.match(text, pos - 1) is not None


def _names(chars: str) -> str:
    """``U+200B ZERO WIDTH SPACE``, each distinct character once, in order."""
    return ", ".join(f"U+{ord(c):04X} {unicodedata.name(c, 'FORMAT CHARACTER')}" for c in dict.fromkeys(chars))


def visible(text: str) -> str:
    """``text`` without the characters of :data:`INVISIBLE_RE` (for naming a word in a reason)."""
    return INVISIBLE_RE.sub("", text)


def marked(text: str) -> str:
    """``text`` with every character Python does not call printable (format and control
    characters: bidi controls, zero-width characters, soft hyphens...) written as ``⟨U+202E⟩``,
    for a line on a terminal, where the raw character would reorder or hide what is shown."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else f"\u27e8U+{ord(c):04X}\u27e9" for c in text)


class _Words:
    """The word around each removal, in text order: one regex pass over the text, however many
    removals there are (hostile text made of them stays linear)."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._found = _patterns().word.finditer(text)
        self._word: re.Match[str] | None = None
        self._shown: tuple[int, str] = (-1, "")  # (start of the word, as shown): once per word

    def around(self, start: int) -> tuple[int, int]:
        """The span of the word holding ``text[start]`` (an invisible character: always in one)."""
        while self._word is None or self._word.end() <= start:
            self._word = next(self._found)
        return self._word.span()

    def shown(self, start: int) -> str:
        """The word holding ``text[start]`` as a reason names it: without its invisible characters."""
        word_start, word_end = self.around(start)
        if self._shown[0] != word_start:
            word = visible(self._text[word_start:word_end])
            self._shown = (word_start, word if len(word) <= MAX_WORD_SHOWN else word[:MAX_WORD_SHOWN] + "…")
        return self._shown[1]


def word_spans(text: str, starts: list[int]) -> list[tuple[int, int]]:
    """The span of the word holding each of ``starts`` (ascending positions of invisible characters)."""
    words = _Words(text)
    return [words.around(start) for start in starts]


def scan(text: str) -> tuple[list[Edit], list[Kept]]:
    """The removals clean() makes (edits of kind ``invisible``, offsets into ``text``, each a run of
    adjacent characters becoming ""), and the bidi controls kept in right-to-left lines."""
    if not contains_any(text):  # the usual case
        return [], []
    edits: list[Edit] = []
    kept: list[Kept] = []
    words = _Words(text)
    patterns = _patterns()
    rtl_text = patterns.rtl.search(text) is not None
    line = [-1, -1, 0]  # the line last looked at: start, end (a paragraph end or len(text)), holds RTL

    def rtl_line(pos: int) -> bool:
        """Does the line of ``pos`` hold a right-to-left letter? (``pos`` only grows: each line is
        searched once, and the text between lines once, so the scan stays linear.)"""
        if not rtl_text:
            return False
        if pos >= line[1]:
            start = max(line[1], 0)
            for end_of_line in patterns.paragraph_end.finditer(text, start, pos):
                start = end_of_line.end()
            following = patterns.paragraph_end.search(text, pos)
            line[0], line[1] = start, following.start() if following else len(text)
            line[2] = patterns.rtl.search(text, line[0], line[1]) is not None
        return bool(line[2])

    for match in INVISIBLE_RE.finditer(text):
        start, end = match.span()
        inside = _letter_before(text, start) and patterns.letter.match(text, end) is not None
        if inside:  # all of the run goes
            edits.append(_removal(match.group(), start, words.shown(start), True))
            continue
        removed: list[int] = []
        for pos in range(start, end):
            char = text[pos]
            if char in BIDI_CONTROLS:
                if rtl_line(pos):
                    kept.append(Kept(pos, char))
                else:
                    removed.append(pos)
        for run_start, run_end in _runs(removed):
            edits.append(_removal(text[run_start:run_end], run_start, words.shown(run_start), False))
    return edits, kept


def _runs(positions: list[int]) -> list[tuple[int, int]]:
    """Consecutive positions as spans: [3, 4, 7] -> [(3, 5), (7, 8)]."""
    spans: list[tuple[int, int]] = []
    for pos in positions:
        if spans and spans[-1][1] == pos:
            spans[-1] = (spans[-1][0], pos + 1)
        else:
            spans.append((pos, pos + 1))
    return spans


def _removal(chars: str, start: int, word: str, inside: bool) -> Edit:
    return Edit(start, start + len(chars), chars, "", KIND, CONFIDENCE, _reason(chars, word, inside))


@functools.lru_cache(maxsize=1024)  # text that repeats a removal (hostile text) pays for its reason once
def _reason(chars: str, word: str, inside: bool) -> str:
    names = _names(chars)
    if inside and any(c in BIDI_CONTROLS for c in chars):
        return (f"Removed {names} inside the word '{word}': a direction control inside a word only "
                f"changes the order its letters are shown in (the stored letters are '{word}').")
    if inside:
        return (f"Removed {names} inside the word '{word}': unseen, it splits the word for search, "
                f"matching and the name stage.")
    where = f" beside '{word}'" if word else ""
    return (f"Removed {names}{where}: its line holds no right-to-left letter, so it can only "
            f"reorder how left-to-right text is shown.")


def kept_reason(char: str) -> str:
    return (f"Kept {_names(char)}: its line holds right-to-left letters, whose order with the rest "
            f"it may be setting.")
