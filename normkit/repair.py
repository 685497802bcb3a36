"""Choosing the repair of one mixed-script token.

Candidates come from readings of the foreign letters: as look-alikes (``a`` drawn for ``а``, ``h``
for Yakut ``һ``), and as romanisation (``shi`` written for ``ши``, ``mya`` for ``мья`` with BGN's ’
left out). How such slips arise weighs the readings: a lone Latin ``c`` in a Russian word is the
look-alike (and the key) of ``с``, whatever the dictionary says of the ``к`` reading. The Russian
lexicon and a frequency list pick among the romanised readings; the context's script decides what
the repaired word is written in. Two whole words glued across scripts (``ВоронежThe``) get a space.
"""
from __future__ import annotations

import heapq
import re
from dataclasses import dataclass, replace
from typing import Callable

from .lexicon import Lexicon
from .scripts import CYRILLIC, GREEK, LATIN, OTHER_CYRILLIC_LETTERS, fold, runs, script_profile, segments
from .transliteration import cyrillic_candidates, romanize

# Confidences. A known word is near-certain; a look-alike swap is safe even when the word is unknown
# (the letters are visually the same); the only plausible reading of foreign letters is likely when
# pymorphy3's guesser inflects it as a name, less so otherwise; a guessed reading is not safe.
# A guessed reading whose Latin part round-trips is safe to romanise: the guess does not matter.
KNOWN_FOLD, KNOWN_READING, SPLIT, UNKNOWN_FOLD = 0.97, 0.9, 0.9, 0.85
UNIQUE_BACKED, ROUND_TRIP, UNIQUE, AMBIGUOUS, GUESS = 0.75, 0.7, 0.6, 0.5, 0.4
_RUSSIAN_RE = re.compile("[А-Яа-яЁё\u0301'’ʹʺ”·-]+")
_READING_COST = 0.1  # a look-alike swap beats a romanisation reading at equal cost
_MAX_COMBINATIONS = 64
_READINGS_PER_RUN = 12
_ROUND_TRIP_CHECKS = 4
_KNOWN_CHECKS = 12  # the dictionary is asked about the cheapest readings only
# Bounds that keep any one token cheap: longer segments are no word, and a word that changes script
# more often than this is not a slip of a few letters (only its look-alike reading is tried).
MAX_WORD = 40
MAX_RUNS = 8
_LONE_RUN = 1  # Latin runs this short inside a Cyrillic word are look-alike slips, not romanisation
_UNIQUE_MARGIN = 0.3  # a romanised reading is the only plausible one when the next costs this more
_FREQUENCY_WEIGHT = 0.3  # per Zipf unit: семья (5.0) over семя (3.5) outweighs the restored ь (0.35)
_AMBIGUITY_MARGIN = 0.05
_SEPARATOR_DOTS = str.maketrans("", "", "·")
_SIGN_MARKS = str.maketrans("", "", "’'ʹʺ”")
_ROMANISED_Y_RE = re.compile("[aeiouаеиоу][yY]|[yY][aeiouаеоу]")


@dataclass(frozen=True)
class Repair:
    category: str  # homoglyph | mixed_script | split | legitimate
    suggestion: str | None
    confidence: float
    reason: str


@dataclass(frozen=True)
class Hints:
    """What the text around a token says about its repair."""

    writes_yo: bool = False  # the text writes ё somewhere: a dictionary's ё may be restored
    other_cyrillic: bool = False  # letters of other Cyrillic alphabets (і, һ, ә, ...) are nearby


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


@dataclass(frozen=True)
class Knowledge:
    """What a repair consults: known words (a :class:`Lexicon`, with a gazetteer's names when a
    Normalizer built it), and how a repaired Russian word is written in Latin text."""

    lexicon: Lexicon
    latin_form: LatinForm = _default_latin_form


#: Without a gazetteer: pymorphy3 and the shipped word lists only, BGN/PCGN for Latin text.
PLAIN = Knowledge(Lexicon())


def repair_token(token: str, target: str, *, scheme: str = "bgn_pcgn",
                 knowledge: Knowledge = PLAIN, hints: Hints = Hints()) -> Repair:
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
        repair = _repair_segment(segment, target, scheme, knowledge, hints)
        repairs.append(repair)
        pieces.append(repair.suggestion or segment)
    pieces.append(token[pos:])
    fixes = [r for r in repairs if r.category != "legitimate"]
    if not fixes:
        reason = repairs[0].reason if repairs else "No segment mixes scripts."
        return Repair("legitimate", None, 1.0, reason)
    suggestion = "".join(pieces)
    if any(len(script_profile(word)) > 1 for r in fixes if r.suggestion for word in r.suggestion.split()):
        return Repair("mixed_script", None, GUESS, "No reading makes it one script.")  # keep as is
    categories = {r.category for r in fixes}
    category = categories.pop() if len(categories) == 1 else "mixed_script"
    confidence = min(r.confidence for r in fixes)
    reason = " ".join(r.reason for r in fixes)
    return Repair(category, suggestion if suggestion != token else None, confidence, reason)


def _repair_segment(segment: str, target: str, scheme: str, knowledge: Knowledge, hints: Hints) -> Repair:
    if len(segment) > MAX_WORD:
        return Repair("legitimate", None, 1.0, f"'{segment[:20]}...' is too long to be one word.")
    profile = script_profile(segment)
    if GREEK in profile:
        return _repair_greek(segment, profile)
    glued = _split_glued(segment, knowledge.lexicon)
    if glued is not None:
        return glued
    if _is_acronym_with_ending(segment):
        return Repair("legitimate", None, 1.0,
                      f"'{segment}' is a Latin abbreviation with a Russian case ending, a usual mix.")
    if target == LATIN:
        return _to_latin(segment, scheme, knowledge, hints)
    return _to_cyrillic(segment, profile, hints, knowledge.lexicon)


def _to_latin(segment: str, scheme: str, knowledge: Knowledge, hints: Hints) -> Repair:
    """For Latin text: a Latin word with look-alikes (Тhе, Вelgorod), or a Russian word half written
    in each script (Кириshi), read in Cyrillic first and then romanised as a whole."""
    lexicon = knowledge.lexicon
    known = _known_latin_fold(segment, lexicon)
    if known is not None:  # a look-alike reading that makes an English word or a known name wins
        return Repair("homoglyph", known, 0.9,
                      f"'{segment}' is a Latin word with Cyrillic look-alike letters: {known}.")
    folded = fold(segment, LATIN)
    reading, confidence, how = _best_cyrillic(segment, hints, lexicon, swap_unknown=False)
    word = reading.word
    written = knowledge.latin_form(word, scheme).translate(_SEPARATOR_DOTS)  # BGN's t·s dot is optional
    agrees = reading.round_trips or _spells_out(segment, written)
    # Cyrillic letters that all have Latin twins: an English word with look-alikes (Тhе, wаs, Kyіv),
    # unless the letters spell a Russian word the dictionary knows (Крasnozerskoye: Краснозерское)
    # or a capitalised Russian name (Урitsk → Uritsk, not Ypitsk).
    russian_name = segment[:1].isupper() and _RUSSIAN_RE.fullmatch(word) is not None
    if folded is not None and not (agrees and (confidence >= KNOWN_READING or russian_name)):
        return Repair("homoglyph", folded, 0.9,
                      f"'{segment}' is a Latin word with Cyrillic look-alike letters: {folded}.")
    if confidence < KNOWN_READING and agrees:
        confidence = ROUND_TRIP
    category = "homoglyph" if how == "look-alike" else "mixed_script"
    return Repair(category, written, confidence,
                  f"'{segment}' mixes scripts; read as {how} Russian {word}, written {written} in Latin text.")


def _known_latin_fold(segment: str, lexicon: Lexicon) -> str | None:
    """The segment with its Cyrillic look-alikes folded to Latin, if that is an English word, a place
    normkit knows (Helsinki, Sevastopol), or a Russian name the dictionary knows, as romanised
    (Belgorod: Белгород)."""
    folded = fold(segment, LATIN, weak=True)
    if folded is None or not folded.isalpha():
        return None
    if lexicon.is_english(folded):
        return folded
    if not folded[:1].isupper():
        return None
    if lexicon.is_latin_place_word(folded):
        return folded
    for cyrillic, _ in cyrillic_candidates(folded, 4):
        if (lexicon.is_name(cyrillic, dictionary_only=True)
                and romanize(cyrillic).translate(_SEPARATOR_DOTS).lower() == folded.lower()):
            return folded
    return None


def _to_cyrillic(segment: str, profile: dict[str, int], hints: Hints, lexicon: Lexicon) -> Repair:
    """For Cyrillic text: a Russian word with look-alikes or romanised parts, or a Latin word
    (Mоscow) that stays Latin when no Russian reading is known."""
    reading, confidence, how = _best_cyrillic(segment, hints, lexicon)
    word = reading.word
    if confidence == ROUND_TRIP:  # е and э both romanise as e: in Cyrillic the guess is visible
        confidence, how = GUESS, "a guessed"
    category = "homoglyph" if how == "look-alike" else "mixed_script"
    if how == "look-alike" and any(c in OTHER_CYRILLIC_LETTERS for c in word):
        return Repair(category, word, confidence, f"'{segment}' mixes scripts; with the look-alikes of "
                      f"another Cyrillic alphabet, written nearby, it reads {word}.")
    if confidence >= KNOWN_READING or how == "look-alike":
        return Repair(category, word, confidence, f"'{segment}' mixes scripts; it reads as {how} Russian {word}.")
    folded = fold(segment, LATIN)
    # Mostly Latin: a Latin word with Cyrillic look-alikes (Officе), unless only a Russian reading
    # fits (Маsani: the one plausible reading of "sani", inflected as a name, is Масани).
    latin_word = _known_latin_fold(segment, lexicon) is not None or (
        profile.get(LATIN, 0) > profile.get(CYRILLIC, 0) and confidence < UNIQUE_BACKED)
    if folded is not None and (confidence <= GUESS or latin_word):
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
        expected = romanize(run).translate(_SEPARATOR_DOTS).lower()
        if got.lower() not in (expected, expected[1:] if expected[:1] == "y" else expected):
            return False
    return True


def _best_cyrillic(segment: str, hints: Hints, lexicon: Lexicon, *,
                   swap_unknown: bool = True) -> tuple[_Reading, float, str]:
    """The Cyrillic word ``segment`` most likely stands for, its confidence, and how it was read.

    ``swap_unknown``: in Cyrillic text a look-alike swap stands even when the word is unknown (in
    Latin text, Latin letters stay what they are).
    """
    parts = _marks_to_latin(runs(segment))
    swapped = fold(segment, CYRILLIC)
    # A lone Latin c/e/o/p/x/y in a Russian word is the look-alike (and on a Russian keyboard с sits
    # on the C key), rarely a romanisation: the look-alike stands whatever the dictionary says.
    lone = all(len(run) <= _LONE_RUN for script, run in parts if script == LATIN)
    if swapped is not None and lone:
        known = lexicon.is_known(swapped)
        return _Reading(0.0, swapped, True, False), KNOWN_FOLD if known else UNKNOWN_FOLD, "look-alike"
    other = fold(segment, CYRILLIC, russian=False) if swapped is None and lone else None
    if other is not None and hints.other_cyrillic and swap_unknown:
        # Ukrainian, Kazakh or Yakut nearby: Latin i, h stand for і, һ (улууhа is улууһа)
        return _Reading(0.0, other, True, False), UNKNOWN_FOLD, "look-alike"
    if len(parts) > MAX_RUNS:
        return _Reading(0.0, swapped or segment, swapped is not None, False), GUESS, "a guessed"
    options = _cyrillic_readings(parts)
    known_readings = [r for r in options[:_KNOWN_CHECKS] if lexicon.is_known(r.word)]
    if known_readings:
        # frequencies only rank rival words (the list loads on first use)
        rival_words = len({r.word.lower() for r in known_readings}) > 1
        ranked = sorted(known_readings, key=lambda r: (_plausibility(r, lexicon), r.word)) if rival_words else known_readings
        best = ranked[0]
        close = {r.word.lower() for r in ranked[1:] if rival_words
                 and _plausibility(r, lexicon) - _plausibility(best, lexicon) < _AMBIGUITY_MARGIN}
        if close - {best.word.lower()}:
            return best, AMBIGUOUS, "an ambiguous"
        if best.swapped:  # the writer typed е: a look-alike swap keeps it (no ё restored)
            return best, KNOWN_FOLD, "look-alike"
        word = lexicon.spelling(best.word) if hints.writes_yo else best.word
        return replace(best, word=word), KNOWN_READING, "romanised"
    # in Latin text, Latin letters stay what they are; and a y beside a vowel is romanised й, я, ю
    # (Костанay is Костанай), not the look-alike у
    if options[0].swapped and swap_unknown and not _ROMANISED_Y_RE.search(segment):
        return options[0], UNKNOWN_FOLD, "look-alike"
    if other is not None and swap_unknown:  # улууhа: a non-Russian look-alike, but no sign of its alphabet
        return _Reading(0.0, other, True, False), GUESS, "a guessed look-alike"
    romanised = [r for r in options if not r.swapped]
    if romanised and swap_unknown:  # in Latin text the reading is romanised again: round trips decide
        best = romanised[0]
        others = [r for r in romanised[1:] if r.word.lower() != best.word.lower()]
        if not others or others[0].cost - best.cost >= _UNIQUE_MARGIN - 1e-9:
            if lexicon.inflects_as_name(best.word):
                return best, UNIQUE_BACKED, "the only plausible reading, inflected as a name,"
            return best, UNIQUE, "the only plausible"
    for reading in options:
        if reading.round_trips:
            return reading, ROUND_TRIP, "a round-tripping"
    return options[0], GUESS, "a guessed"


def _plausibility(reading: _Reading, lexicon: Lexicon) -> float:
    """Lower is likelier: the reading's cost, less the word's frequency (семья beats семя)."""
    return reading.cost - _FREQUENCY_WEIGHT * lexicon.zipf(reading.word)


def _cyrillic_readings(parts: list[tuple[str | None, str]]) -> list[_Reading]:
    """Cyrillic spellings of a segment split into script runs, cheapest first."""
    combos = [_Reading(0.0, "", True, True)]
    for k, (script, run) in enumerate(parts):
        if script == LATIN:
            left = parts[k - 1][1][-1:] if k else ""
            readings = cyrillic_candidates(run, _READINGS_PER_RUN, left=left, at_end=k == len(parts) - 1)
            # romanising back is dear (iuliia): only the likeliest few readings are asked
            options = [_Reading(cost + _READING_COST, cyr, False,
                                rank < _ROUND_TRIP_CHECKS and romanize(cyr).lower() == run.lower())
                       for rank, (cyr, cost) in enumerate(readings)]
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


def _split_glued(segment: str, lexicon: Lexicon) -> Repair | None:
    """Two whole words glued across scripts (ВоронежVoronezh, версияEnglish, VoronezhВоронеж): a
    lower-case letter, then a capitalised word of the other script, each side a word normkit knows."""
    parts = runs(segment)
    if len(parts) != 2 or {parts[0][0], parts[1][0]} != {LATIN, CYRILLIC}:
        return None
    (left_script, left), (_, right) = parts
    if len(left) < 2 or len(right) < 2 or not left[-1].islower():
        return None
    def is_word(part: str) -> bool:  # letters, and the ’ of a romanised soft sign (Tal’menka)
        return part.translate(_SIGN_MARKS).isalpha()

    if not (right[0].isupper() and right[1:].islower() and is_word(right) and is_word(left)):
        return None
    # a lower-case letter then a capital across scripts never happens inside one word: one side known
    # as a word settles it, and so does a Latin side that romanises the Cyrillic (ВатутиноVatutino)
    cyrillic, latin = (left, right) if left_script == CYRILLIC else (right, left)
    gloss = _plain(romanize(cyrillic)) == _plain(latin)
    if not gloss and not any(_is_whole_word(word, script, lexicon) for word, script in
                             ((left, left_script), (right, parts[1][0]))):
        return None
    return Repair("split", f"{left} {right}", SPLIT,
                  f"'{segment}' is two words glued across scripts: {left} and {right}.")


def _plain(word: str) -> str:
    return re.sub("[’'ʹʺ”·]", "", word).lower()


def _is_whole_word(word: str, script: str | None, lexicon: Lexicon) -> bool:
    if script == CYRILLIC:
        return lexicon.is_known(word)
    return (lexicon.is_english(word) or lexicon.is_latin_place_word(word)
            or _known_latin_fold(word, lexicon) is not None)


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
