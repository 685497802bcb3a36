"""Invisible characters that hide inside words or reorder them: found, and removed where they have no job.

A zero-width space in ``Mos\u200bcow`` or a soft hyphen in ``Кири\u00adши`` is not seen, but search,
matching and the name stage see two pieces; a bidi override in ``Kir\u202eihsi\u202c`` shows the
stored letters Kirihsi as "Kirishi" (Trojan Source; UTS #39 §3). What clean() removes, as edits of
kind ``invisible`` (:func:`scan`):

* zero-width characters (U+200B ZWSP, U+200C ZWNJ, U+200D ZWJ, U+2060 word joiner, U+FEFF) and soft
  hyphens (U+00AD) between two Latin or Cyrillic letters (combining marks may follow the first).
  Anywhere else they stay: ZWJ in emoji sequences (👨‍👩‍👧), ZWJ/ZWNJ in Indic scripts and in
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

import re
import unicodedata
from dataclasses import dataclass

from .scripts import CYRILLIC, LATIN, script_of
from .types import Edit

KIND = "invisible"
CONFIDENCE = 0.99  # the letters a reader sees are the same with and without them
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"  # soft hyphen with them: removed only inside a word
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_ALL = ZERO_WIDTH + BIDI_CONTROLS
INVISIBLE_RE = re.compile(f"[{_ALL}]+")
# Letters of right-to-left scripts (bidi classes R and AL): Hebrew to Arabic Extended-A, the
# Hebrew and Arabic presentation forms, and the right-to-left blocks beyond the BMP.
_RTL_RE = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\U00010800-\U00010fff\U0001e800-\U0001efff]")
_PARAGRAPH_ENDS = "\n\r\x1c\x1d\x1e\x85\u2029"  # where a bidi control's effect ends (UAX #9, class B)
_PARAGRAPH_END_RE = re.compile(f"[{re.escape(_PARAGRAPH_ENDS)}]")
_WORD_REACH = 64  # letters looked at around a removal to name its word in the reason (scripts.MAX_TOKEN)


@dataclass(frozen=True)
class Kept:
    """A bidi control left in place: its line holds right-to-left letters."""

    start: int
    char: str


def contains_any(text: str) -> bool:
    """Does ``text`` hold one of the characters of :data:`INVISIBLE_RE`? One ``in`` per character:
    str's own search, free when the character is beyond the text's widest one (U+2066 in Latin-1
    text), and 30-500 times faster than a regex class on 150 kB of English or Russian."""
    return any(char in text for char in _ALL)


def _is_letter(char: str) -> bool:
    return script_of(char) in (LATIN, CYRILLIC)


def _letter_before(text: str, pos: int) -> bool:
    """Is there a Latin or Cyrillic letter just before ``pos`` (combining marks skipped)?"""
    floor = max(0, pos - _WORD_REACH)
    while pos > floor and unicodedata.category(text[pos - 1]).startswith("M"):
        pos -= 1
    return pos > 0 and _is_letter(text[pos - 1])


def _names(chars: str) -> str:
    """``U+200B ZERO WIDTH SPACE``, each distinct character once, in order."""
    return ", ".join(f"U+{ord(c):04X} {unicodedata.name(c, 'FORMAT CHARACTER')}" for c in dict.fromkeys(chars))


def word_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The span of the word holding ``text[start:end]``: Latin/Cyrillic letters, combining marks and
    the characters of :data:`INVISIBLE_RE` on either side (at most :data:`_WORD_REACH` each way)."""
    def part_of_word(char: str) -> bool:
        return INVISIBLE_RE.match(char) is not None or _is_letter(char) or unicodedata.category(char).startswith("M")

    floor, ceiling = max(0, start - _WORD_REACH), min(len(text), end + _WORD_REACH)
    while start > floor and part_of_word(text[start - 1]):
        start -= 1
    while end < ceiling and part_of_word(text[end]):
        end += 1
    return start, end


def visible(text: str) -> str:
    """``text`` without the characters of :data:`INVISIBLE_RE` (for naming a word in a reason)."""
    return INVISIBLE_RE.sub("", text)


def scan(text: str) -> tuple[list[Edit], list[Kept]]:
    """The removals clean() makes (edits of kind ``invisible``, offsets into ``text``, each a run of
    adjacent characters becoming ""), and the bidi controls kept in right-to-left lines."""
    if not contains_any(text):  # the usual case
        return [], []
    first = INVISIBLE_RE.search(text)
    if first is None:
        return [], []
    edits: list[Edit] = []
    kept: list[Kept] = []
    rtl_text = _RTL_RE.search(text) is not None
    line = [-1, -1, 0]  # the line last looked at: start, end (a paragraph end or len(text)), holds RTL

    def rtl_line(pos: int) -> bool:
        """Does the line of ``pos`` hold a right-to-left letter? (``pos`` only grows: each line is
        searched once, and the text between lines once, so the scan stays linear.)"""
        if not rtl_text:
            return False
        if pos >= line[1]:
            start = max(line[1], 0)
            for end_of_line in _PARAGRAPH_END_RE.finditer(text, start, pos):
                start = end_of_line.end()
            following = _PARAGRAPH_END_RE.search(text, pos)
            line[0], line[1] = start, following.start() if following else len(text)
            line[2] = _RTL_RE.search(text, line[0], line[1]) is not None
        return bool(line[2])

    match: re.Match[str] | None = first
    while match is not None:
        start, end = match.span()
        inside = _letter_before(text, start) and end < len(text) and _is_letter(text[end])
        removed: list[int] = []
        for pos in range(start, end):
            char = text[pos]
            if inside or (char in BIDI_CONTROLS and not rtl_line(pos)):
                removed.append(pos)
            elif char in BIDI_CONTROLS:
                kept.append(Kept(pos, char))
        for run_start, run_end in _runs(removed):
            edits.append(_removal(text, run_start, run_end, inside))
        match = INVISIBLE_RE.search(text, end)
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


def _removal(text: str, start: int, end: int, inside: bool) -> Edit:
    chars = text[start:end]
    names = _names(chars)
    word = visible(text[slice(*word_around(text, start, end))])
    if inside and any(c in BIDI_CONTROLS for c in chars):
        why = (f"Removed {names} inside the word '{word}': a direction control inside a word only "
               f"changes the order its letters are shown in (the stored letters are '{word}').")
    elif inside:
        why = (f"Removed {names} inside the word '{word}': unseen, it splits the word for search, "
               f"matching and the name stage.")
    else:
        where = f" beside '{word}'" if word else ""
        why = (f"Removed {names}{where}: its line holds no right-to-left letter, so it can only "
               f"reorder how left-to-right text is shown.")
    return Edit(start, end, chars, "", KIND, CONFIDENCE, why)


def kept_reason(char: str) -> str:
    return (f"Kept {_names(char)}: its line holds right-to-left letters, whose order with the rest "
            f"it may be setting.")
