"""Choosing the repair of one mixed-script token.

Candidates come from two readings of the foreign letters: as look-alikes (``a`` drawn for ``а``) and
as romanisation (``shi`` written for ``ши``). The Russian lexicon picks the reading it knows; the
context's script decides what the repaired word is written in.
"""
from __future__ import annotations

import heapq
import re
from dataclasses import dataclass, replace
from typing import Callable

from . import lexicon
from .scripts import CYRILLIC, GREEK, LATIN, fold, runs, script_profile, segments
from .transliteration import cyrillic_candidates, romanize

# Confidences: a known word is near-certain; a pure look-alike swap is safe even when the word is
# unknown (the letters are visually the same); a guessed reading of foreign letters is not.
# A guessed reading whose Latin part round-trips is safe to romanise: the guess does not matter.
KNOWN_FOLD, KNOWN_READING, UNKNOWN_FOLD, ROUND_TRIP, AMBIGUOUS, GUESS = 0.97, 0.9, 0.85, 0.7, 0.5, 0.4
_RUSSIAN_RE = re.compile("[А-Яа-яЁё\u0301'’ʹʺ”·-]+")
_READING_COST = 0.1  # a look-alike swap beats a romanisation reading at equal cost
_MAX_COMBINATIONS = 64


@dataclass(frozen=True)
class Repair:
    category: str  # homoglyph | mixed_script | legitimate
    suggestion: str | None
    confidence: float
    reason: str


@dataclass(frozen=True, order=True)
class _Reading:
    cost: float
    word: str
    swapped: bool  # only look-alikes were swapped
    round_trips: bool  # each romanised part romanises back to itself


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
    if target == LATIN:
        return _to_latin(segment, scheme, latin_form)
    return _to_cyrillic(segment, profile)


def _to_latin(segment: str, scheme: str, latin_form: LatinForm) -> Repair:
    """For Latin text: a Latin word with look-alikes (Тhе), or a Russian word half written in each
    script (Кириshi), read in Cyrillic first and then romanised as a whole."""
    folded = fold(segment, LATIN)
    reading, confidence, how = _best_cyrillic(segment, swap_unknown=False)
    word = reading.word
    written = latin_form(word, scheme)
    agrees = reading.round_trips or _spells_out(segment, written)
    # Cyrillic letters that all have Latin twins: an English word with look-alikes (Тhе, wаs, Kyіv),
    # unless it is a capitalised Russian name its Latin letters spell (Урitsk → Uritsk, not Ypitsk).
    russian_name = (agrees and segment[:1].isupper() and _RUSSIAN_RE.fullmatch(word) is not None
                    and (confidence < KNOWN_READING or lexicon.is_name(word)))
    if folded is not None and (lexicon.is_english(folded) or not russian_name):
        return Repair("homoglyph", folded, 0.9,
                      f"'{segment}' is a Latin word with Cyrillic look-alike letters: {folded}.")
    if confidence < KNOWN_READING and agrees:
        confidence = ROUND_TRIP
    category = "homoglyph" if how == "look-alike" else "mixed_script"
    return Repair(category, written, confidence,
                  f"'{segment}' mixes scripts; read as {how} Russian {word}, written {written} in Latin text.")


def _to_cyrillic(segment: str, profile: dict[str, int]) -> Repair:
    """For Cyrillic text: a Russian word with look-alikes or romanised parts, or a Latin word
    (Mоscow) that stays Latin when no Russian reading is known."""
    reading, confidence, how = _best_cyrillic(segment)
    word = reading.word
    if confidence == ROUND_TRIP:  # е and э both romanise as e: in Cyrillic the guess is visible
        confidence, how = GUESS, "a guessed"
    category = "homoglyph" if how == "look-alike" else "mixed_script"
    if confidence >= KNOWN_READING:
        return Repair(category, word, confidence, f"'{segment}' mixes scripts; it reads as {how} Russian {word}.")
    folded = fold(segment, LATIN)
    if folded is not None and (confidence == GUESS or profile.get(LATIN, 0) > profile.get(CYRILLIC, 0)):
        return Repair("homoglyph", folded, UNKNOWN_FOLD,
                      f"'{segment}' reads as no Russian word; as Latin with look-alikes it is {folded}.")
    return Repair(category, word, confidence, f"'{segment}' mixes scripts; {how} reading gives {word}.")


def _spells_out(segment: str, written: str) -> bool:
    """Is ``written`` the segment with its Cyrillic parts romanised and its Latin parts as they are?
    (Istра ~ Istra, Кириshi ~ Kirishi; not Сhukotkа ~ Skhukotka.) A part may lose the y that е, ю, я
    take at the start of a word (Volgor|еченск ~ Volgorechensk)."""
    parts = runs(segment)
    pattern = "".join(re.escape(run) if script == LATIN else "(.+?)" for script, run in parts)
    match = re.fullmatch(pattern, written, re.IGNORECASE)
    if match is None:
        return False
    cyrillic = [run for script, run in parts if script != LATIN]
    for run, got in zip(cyrillic, match.groups()):
        expected = romanize(run).lower()
        if got.lower() not in (expected, expected[1:] if expected[:1] == "y" else expected):
            return False
    return True


def _best_cyrillic(segment: str, *, swap_unknown: bool = True) -> tuple[_Reading, float, str]:
    """The Cyrillic word ``segment`` most likely stands for, its confidence, and how it was read.

    Unknown to the lexicon, the cheapest reading whose every romanised part reads back as written
    (``yevo`` → ево → yevo) wins, with ROUND_TRIP confidence: the Latin text fixes it.
    """
    options = _cyrillic_readings(segment)
    known = [r for r in options if lexicon.is_known(r.word)]
    if known:
        best = known[0]
        rivals = {r.word.lower() for r in known[1:] if r.cost - best.cost < 0.05}
        if rivals - {best.word.lower()}:
            return best, AMBIGUOUS, "an ambiguous"
        if best.swapped:  # the writer typed е: a look-alike swap keeps it (no ё restored)
            return best, KNOWN_FOLD, "look-alike"
        return replace(best, word=lexicon.spelling(best.word)), KNOWN_READING, "romanised"
    if options[0].swapped and swap_unknown:  # in Latin text, Latin letters stay what they are
        return options[0], UNKNOWN_FOLD, "look-alike"
    for reading in options:
        if reading.round_trips:
            return reading, ROUND_TRIP, "a round-tripping"
    return options[0], GUESS, "a guessed"


def _cyrillic_readings(segment: str) -> list[_Reading]:
    """Cyrillic spellings of ``segment``, cheapest first."""
    combos = [_Reading(0.0, "", True, True)]
    parts = _marks_to_latin(runs(segment))
    for k, (script, run) in enumerate(parts):
        if script == LATIN:
            left = parts[k - 1][1][-1:] if k else ""
            readings = cyrillic_candidates(run, 8, left=left, at_end=k == len(parts) - 1)
            options = [_Reading(cost + _READING_COST, cyr, False, romanize(cyr).lower() == run.lower())
                       for cyr, cost in readings]
            swapped = fold(run, CYRILLIC)
            if swapped is not None:
                options.insert(0, _Reading(0.0, swapped, True, False))
        else:
            options = [_Reading(0.0, run, True, True)]
        combos = heapq.nsmallest(_MAX_COMBINATIONS, (
            _Reading(a.cost + b.cost, a.word + b.word, a.swapped and b.swapped, a.round_trips and b.round_trips)
            for a in combos for b in options))
    return combos


def _marks_to_latin(parts: list[tuple[str | None, str]]) -> list[tuple[str | None, str]]:
    """BGN's ’ and ” belong to the romanised run they precede (нескол|’ko is несколь|ко)."""
    out = list(parts)
    for k in range(len(out) - 1):
        script, run = out[k]
        stripped = run.rstrip("’'ʹʺ”")
        if script == CYRILLIC and out[k + 1][0] == LATIN and stripped != run and stripped:
            out[k] = (script, stripped)
            out[k + 1] = (LATIN, run[len(stripped):] + out[k + 1][1])
    return out


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
