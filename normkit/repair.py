"""Choosing the repair of one mixed-script token.

Candidates come from two readings of the foreign letters: as look-alikes (``a`` drawn for ``а``) and
as romanisation (``shi`` written for ``ши``). The Russian lexicon picks the reading it knows; the
context's script decides what the repaired word is written in.
"""
from __future__ import annotations

import heapq
from dataclasses import dataclass
from typing import Callable

from . import lexicon
from .scripts import CYRILLIC, GREEK, LATIN, fold, runs, script_profile, segments
from .transliteration import cyrillic_candidates, romanize

# Confidences: a known word is near-certain; a pure look-alike swap is safe even when the word is
# unknown (the letters are visually the same); a guessed reading of foreign letters is not.
KNOWN_FOLD, KNOWN_READING, UNKNOWN_FOLD, AMBIGUOUS, GUESS = 0.97, 0.9, 0.85, 0.5, 0.4
_READING_COST = 0.1  # a look-alike swap beats a romanisation reading at equal cost
_MAX_COMBINATIONS = 64


@dataclass(frozen=True)
class Repair:
    category: str  # homoglyph | mixed_script | legitimate
    suggestion: str | None
    confidence: float
    reason: str


#: How a repaired Cyrillic word is written in Latin text; the names layer swaps in the gazetteer's form.
LatinForm = Callable[[str, str], str]


def _default_latin_form(word: str, scheme: str) -> str:
    return romanize(word, scheme)


def repair_token(token: str, target: str, *, scheme: str = "bgn_pcgn",
                 latin_form: LatinForm = _default_latin_form) -> Repair:
    """Repair each mixed segment of ``token`` (``Mоscow-based``: only ``Mоscow``) for ``target`` script."""
    pieces: list[str] = []
    repairs: list[Repair] = []
    pos = 0
    for start, end in segments(token):
        segment = token[start:end]
        pieces.append(token[pos:start])
        pos = end
        if len(script_profile(segment)) < 2:
            pieces.append(segment)
            continue
        repair = _repair_segment(segment, target, scheme, latin_form)
        repairs.append(repair)
        pieces.append(repair.suggestion or segment)
    pieces.append(token[pos:])
    fixes = [r for r in repairs if r.category != "legitimate"]
    if not fixes:
        reason = repairs[0].reason if repairs else "No segment mixes scripts."
        return Repair("legitimate", None, 1.0, reason)
    suggestion = "".join(pieces)
    if any(len(script_profile(r.suggestion)) > 1 for r in fixes if r.suggestion):
        return Repair("mixed_script", None, GUESS, "No reading makes it one script.")  # keep as is
    category = "homoglyph" if all(r.category == "homoglyph" for r in fixes) else "mixed_script"
    confidence = min(r.confidence for r in fixes)
    reason = " ".join(r.reason for r in fixes)
    return Repair(category, suggestion if suggestion != token else None, confidence, reason)


def _repair_segment(segment: str, target: str, scheme: str, latin_form: LatinForm) -> Repair:
    profile = script_profile(segment)
    if GREEK in profile:
        return _repair_greek(segment, profile)
    if _is_acronym_with_ending(segment):
        return Repair("legitimate", None, 1.0,
                      f"'{segment}' is a Latin abbreviation with a Russian case ending, a usual mix.")
    latin, cyrillic = profile.get(LATIN, 0), profile.get(CYRILLIC, 0)
    majority = CYRILLIC if cyrillic > latin else LATIN if latin > cyrillic else target
    if majority == LATIN:
        return _repair_latin_word(segment, target, scheme)
    word, confidence, how = _best_cyrillic(segment)
    category = "homoglyph" if how == "look-alike" else "mixed_script"
    if target == CYRILLIC:
        return Repair(category, word, confidence, f"'{segment}' mixes scripts; {how} reading gives {word}.")
    written = latin_form(word, scheme)
    return Repair(category, written, confidence,
                  f"'{segment}' mixes scripts; {how} reading gives {word}, written {written} for Latin text.")


def _repair_latin_word(segment: str, target: str, scheme: str) -> Repair:
    """A mostly Latin segment: a Latin word with look-alikes, or a Russian word half romanised."""
    if target == CYRILLIC:
        word, confidence, how = _best_cyrillic(segment)
        if confidence >= KNOWN_READING:
            return Repair("mixed_script", word, confidence,
                          f"'{segment}' mixes scripts; {how} reading gives the Russian word {word}.")
    folded = fold(segment, LATIN)
    if folded is not None:
        return Repair("homoglyph", folded, 0.9,
                      f"'{segment}' is a Latin word with Cyrillic look-alike letters: {folded}.")
    written = "".join(romanize(run, scheme) if script == CYRILLIC else run for script, run in runs(segment))
    confidence = 0.6 if target == LATIN else GUESS
    return Repair("mixed_script", written, confidence,
                  f"'{segment}' is mostly Latin; its Cyrillic letters romanised give {written}.")


def _best_cyrillic(segment: str) -> tuple[str, float, str]:
    """The Cyrillic word ``segment`` most likely stands for, its confidence, and how it was read."""
    options = _cyrillic_readings(segment)
    known = [(cost, word, swap) for cost, word, swap in options if lexicon.is_known(word)]
    if known:
        cost, word, swap = known[0]
        rivals = {w.lower() for c, w, _ in known[1:] if c - cost < 0.05}
        if rivals - {word.lower()}:
            return word, AMBIGUOUS, "an ambiguous"
        return word, KNOWN_FOLD if swap else KNOWN_READING, "look-alike" if swap else "transliteration"
    cost, word, swap = options[0]
    return word, UNKNOWN_FOLD if swap else GUESS, "look-alike" if swap else "a guessed"


def _cyrillic_readings(segment: str) -> list[tuple[float, str, bool]]:
    """Cyrillic spellings of ``segment``, cheapest first: (cost, word, only look-alikes swapped)."""
    combos: list[tuple[float, str, bool]] = [(0.0, "", True)]
    for script, run in runs(segment):
        if script == LATIN:
            options = [(cost + _READING_COST, cyr, False) for cyr, cost in cyrillic_candidates(run, 6)]
            swapped = fold(run, CYRILLIC)
            if swapped is not None:
                options.insert(0, (0.0, swapped, True))
        else:
            options = [(0.0, run, True)]
        combos = heapq.nsmallest(_MAX_COMBINATIONS, (
            (cost + c, text + o, swap and s) for cost, text, swap in combos for c, o, s in options))
    return combos


def _repair_greek(segment: str, profile: dict[str, int]) -> Repair:
    others = {k: v for k, v in profile.items() if k != GREEK}
    majority = max(sorted(others), key=lambda k: others[k])
    folded = fold(segment, majority) if profile[GREEK] < others[majority] else None
    if folded is None:
        return Repair("legitimate", None, 1.0, f"'{segment}' mixes Greek letters into a formula or symbol.")
    return Repair("homoglyph", folded, 0.9, f"'{segment}' has Greek look-alike letters: {folded}.")


def _is_acronym_with_ending(segment: str) -> bool:
    """``SMSки``, ``iPhoneом``: a Latin abbreviation or brand, then a short lowercase Russian ending."""
    parts = runs(segment)
    if len(parts) != 2 or parts[0][0] != LATIN or parts[1][0] != CYRILLIC:
        return False
    head, tail = parts[0][1], parts[1][1]
    shouted = len(head) >= 2 and head.isupper()
    camel = any(a.islower() and b.isupper() for a, b in zip(head, head[1:]))
    return (shouted or camel) and tail.islower() and len(tail) <= 4 and fold(head, CYRILLIC) is None
