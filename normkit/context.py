"""What the text around a token says: the script its sentence (else paragraph) is written in,
whether letters of other Cyrillic alphabets are nearby, and whether the text writes ё.

The questions are asked for the few tokens that mix scripts, in text of any length and any shape (a
100 MB line without a newline, a line of 20,000 mixed tokens). Every answer looks at a bounded window
around the token, and the window's pieces are cached per block of text, so the total work stays
linear in the input however dense the tokens are.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from .scripts import CYRILLIC, LATIN, OTHER_CYRILLIC_LETTERS

_SENTENCE_END_RE = re.compile(r"[.!?…]\s|\n")
_PARAGRAPH_END_RE = re.compile(r"\n\s*\n")
BLOCK = 1024  # characters per cached block; a context reaches at most two blocks past its token
DECISIVE = 12  # letters of context needed before a sentence alone decides the script
_LATIN_RE = re.compile("[A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F\u1E00-\u1EFF]+")
_CYRILLIC_RE = re.compile("[\u0400-\u0482\u048A-\u052F\u1C80-\u1C8F\uA640-\uA66E\uA680-\uA69D]+")
_OTHER_CYRILLIC_RE = re.compile(f"[{''.join(sorted(OTHER_CYRILLIC_LETTERS))}]")
_MAX_CACHED_SPANS = 4096


@dataclass(frozen=True)
class Counts:
    latin: int
    cyrillic: int
    other_cyrillic: bool  # a letter of another Cyrillic alphabet (Ukrainian і, Yakut һ, ...)

    def __sub__(self, other: "Counts") -> "Counts":
        return Counts(self.latin - other.latin, self.cyrillic - other.cyrillic, self.other_cyrillic)


class TextContext:
    """Context questions about one text, asked token by token."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._ends: dict[tuple[int, int], list[int]] = {}  # (kind, block) -> boundary ends in block
        self._starts: dict[tuple[int, int], list[int]] = {}  # (kind, block) -> boundary starts
        self._counts: dict[tuple[int, int], Counts] = {}
        self._writes_yo: bool | None = None

    @property
    def writes_yo(self) -> bool:
        """Does the text write ё anywhere? (Most Russian news writes е.)"""
        if self._writes_yo is None:
            self._writes_yo = "ё" in self.text or "Ё" in self.text
        return self._writes_yo

    def script(self, start: int, end: int, fallback: str) -> str:
        """The script the sentence around ``text[start:end]`` is written in, else its paragraph's,
        else ``fallback``. The token itself does not count."""
        own = self.counts(start, end)
        latin = cyrillic = 0
        for kind in (0, 1):
            left, right = self._span(kind, start, end)
            around = self.counts(left, right) - own
            latin, cyrillic = around.latin, around.cyrillic
            if latin + cyrillic >= DECISIVE and max(latin, cyrillic) >= 2 * min(latin, cyrillic):
                return LATIN if latin > cyrillic else CYRILLIC
        # too little context to be sure: a clear majority of it still beats the token's own letters
        # ("The jокe was old." is English, though the token is half Cyrillic)
        if max(latin, cyrillic) >= 2 * min(latin, cyrillic) and latin != cyrillic:
            return LATIN if latin > cyrillic else CYRILLIC
        return fallback

    def other_cyrillic_nearby(self, start: int, end: int) -> bool:
        """Are letters of other Cyrillic alphabets in the paragraph around the token (or the token)?"""
        left, right = self._span(1, start, end)
        return self.counts(left, right).other_cyrillic

    def counts(self, left: int, right: int) -> Counts:
        """Latin and Cyrillic letters in ``text[left:right]`` (cached: tokens of one sentence share it)."""
        key = (left, right)
        found = self._counts.get(key)
        if found is None:
            if len(self._counts) >= _MAX_CACHED_SPANS:
                self._counts.clear()  # tokens come in order: old spans are not asked again
            text = self.text
            found = Counts(sum(map(len, _LATIN_RE.findall(text, left, right))),
                           sum(map(len, _CYRILLIC_RE.findall(text, left, right))),
                           _OTHER_CYRILLIC_RE.search(text, left, right) is not None)
            self._counts[key] = found
        return found

    def _span(self, kind: int, start: int, end: int) -> tuple[int, int]:
        """The sentence (kind 0) or paragraph (kind 1) around the token, cut to the blocks next to
        it: a line with no boundary for megabytes gives each token a window of one to two blocks
        on each side, shared by all the tokens of its block."""
        first, last = start // BLOCK, end // BLOCK
        floor = max(0, (first - 1) * BLOCK)
        ceiling = min(len(self.text), (last + 2) * BLOCK)
        ends = self._boundaries(kind, first - 1, self._ends) + self._boundaries(kind, first, self._ends)
        i = bisect.bisect_right(ends, start)
        left = max(floor, ends[i - 1]) if i else floor
        starts = self._boundaries(kind, last, self._starts) + self._boundaries(kind, last + 1, self._starts)
        j = bisect.bisect_left(starts, end)
        right = min(ceiling, starts[j] + 1) if j < len(starts) else ceiling
        return left, right

    def _boundaries(self, kind: int, block: int, cache: dict[tuple[int, int], list[int]]) -> list[int]:
        """Where sentence or paragraph ends (their end offsets, or start offsets) lie in one block."""
        if block < 0 or block * BLOCK > len(self.text):
            return []
        key = (kind, block)
        found = cache.get(key)
        if found is None:
            if len(self._ends) + len(self._starts) >= _MAX_CACHED_SPANS:
                self._ends.clear()
                self._starts.clear()
            pattern = _PARAGRAPH_END_RE if kind else _SENTENCE_END_RE
            lo = block * BLOCK
            matches = [m for m in pattern.finditer(self.text, lo, lo + BLOCK + 64) if m.start() < lo + BLOCK]
            self._ends[key] = [m.end() for m in matches]
            self._starts[key] = [m.start() for m in matches]
            found = cache[key]
        return found
