"""A district named in the wrong form before its type word: ``the Zubtsovo district`` for the
Zubtsovsky district, ``Kimovskaya, Venyovsky and Aleksinsky areas`` (the adjective left in the
gender of the Russian noun a translation dropped), ``the Kadujsky district`` (a slip) for Kaduysky.

Russian names a district by an adjective made from its town (Клинцы -> Клинцовский район); English
copy, translated or not, often writes the town's name or another form of the adjective instead. The
word right before ``district`` (or in a list closed by ``districts``) is read as a district's
adjective: its endings taken off, the stem must be exactly the stem of one district the gazetteer
holds. A stem alone proves little (many regions have a Kirovsky district): the fix is applied only
when the text names the district's region, or another district of the same region stands in the
same list; otherwise it is a suggestion. A word the gazetteer lists as written is never touched.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator, Mapping, Sequence

from rapidfuzz.distance import OSA

from ..gazetteer import Entry
from .spellings import spelling_key, variant_key

# The district word after the name (or after a list of names): English, and the romanised word.
_DISTRICT_WORD_RE = re.compile(r"(?<![\w-])(?i:districts?|areas?|rayons?|raions?)\b")
_ITEM = r"[A-Z][A-Za-z’'-]*[a-z]"
_SEPARATOR = r"(?:\s*,\s*(?:and\s+)?|\s+and\s+)"
# A name, or a list of names, ending right before a district word (Kimovsky and Venyovsky districts):
# looked for only in the LIST_WINDOW characters before each district word, so a text of many
# capitalised words and few district words costs no more than its district words.
_LIST_RE = re.compile(rf"(?<![\w’'-])((?:{_ITEM}{_SEPARATOR}){{0,15}}{_ITEM})\s+(?i:municipal\s+)?$")
_ITEM_RE = re.compile(_ITEM)
LIST_WINDOW = 400
# A district adjective's endings, longest first (Kimovskaya, Kirovskogo, Venyovskiy)...
_ADJECTIVE_ENDINGS = ("skaya", "skaia", "skoye", "skoe", "skogo", "skomu", "skom", "skoy", "skoi", "skiy",
                      "skii", "skyi", "sky", "ski")
# ... and the endings of a town's name the adjective drops, left on a form no place has (Zubtsovo
# for Zubtsov-sky, whose town is Zubtsov).
_TOWN_ENDINGS = ("o", "a", "e", "y", "i", "sk")
MIN_STEM = 4  # a shorter stem (Ust-, Kir-) names too many districts to mean one
APPLIED_CONFIDENCE = 0.8    # the district's region, or a sibling district, is named in the text
SUGGESTED_CONFIDENCE = 0.4  # only the stem says so
# A stem with a slip in it (Nizhneinshag-sky): only among the districts of a region the text names,
# one or (from LONG_STEM letters) two edits from exactly one of them, is it read as that district.
SLIPPED_CONFIDENCE = 0.75
MIN_SLIPPED_STEM = 5
LONG_STEM = 8


@dataclass(frozen=True)
class DistrictForm:
    """One word read as a district's adjective."""

    start: int
    end: int
    word: str
    after: str
    entry: Entry
    confidence: float
    reason: str


def district_stems(districts: Iterable[Entry], forms: Callable[[Entry], Sequence[str]]) -> dict[str, list[Entry]]:
    """Each district by the stem of its adjective (``zubtsov`` for Zubtsovsky)."""
    by_stem: dict[str, list[Entry]] = {}
    for entry in districts:
        seen: set[str] = set()
        for form in forms(entry):
            stem = _adjective_stem(spelling_key(form))
            if stem is not None and stem not in seen:
                seen.add(stem)
                by_stem.setdefault(stem, []).append(entry)
    return by_stem


def districts_by_region(by_stem: Mapping[str, list[Entry]]) -> dict[str, list[tuple[str, Entry]]]:
    """Each region's districts with their stems (a slipped stem is looked for only among these)."""
    by_region: dict[str, list[tuple[str, Entry]]] = {}
    for stem, entries in by_stem.items():
        for entry in entries:
            for parent in entry.parents:
                by_region.setdefault(parent, []).append((stem, entry))
    return by_region


def _slipped(word: str, regions: set[str], by_region: Mapping[str, list[tuple[str, Entry]]],
             forms: Callable[[Entry], Sequence[str]]) -> Entry | None:
    """The one district of these regions whose stem is a slip or two from the word's, if one is;
    none when the word is one's English variant (Kaduisky for Kaduysky: right as written)."""
    best: dict[str, Entry] = {}
    least = 3
    for stem in _stems(word):
        if len(stem) < MIN_SLIPPED_STEM:
            continue
        allowed = 2 if len(stem) >= LONG_STEM else 1
        for region in sorted(regions):
            for other, entry in by_region.get(region, ()):
                edits = OSA.distance(stem, other, score_cutoff=allowed)
                if edits > allowed or edits > least:
                    continue
                if edits < least:
                    least, best = edits, {}
                best[entry.id] = entry
    variant = variant_key(word)
    if any(variant_key(f) == variant for e in best.values() for f in forms(e)):
        return None
    return next(iter(best.values())) if len(best) == 1 else None


def _adjective_stem(key: str) -> str | None:
    for ending in _ADJECTIVE_ENDINGS:
        if key.endswith(ending) and len(key) - len(ending) >= MIN_STEM:
            return key[: len(key) - len(ending)]
    return None


def _stems(word: str) -> list[str]:
    """The stems a district adjective written as ``word`` could have."""
    key = spelling_key(word)
    adjective = _adjective_stem(key)
    if adjective is not None:
        return [adjective]
    # Not the word as it is: a district is as often named by its centre's name in English (Zubtsov
    # District for the Zubtsovsky district), right as written even where the gazetteer lacks the town.
    stems = []
    for ending in _TOWN_ENDINGS:
        if key.endswith(ending) and len(key) - len(ending) >= MIN_STEM:
            stems.append(key[: len(key) - len(ending)])
    return stems


def mentions_a_district(text: str) -> bool:
    """Does ``text`` hold a district word at all (else there is nothing for this rule to read)?"""
    return _DISTRICT_WORD_RE.search(text) is not None


def _lists(text: str) -> Iterator[list[tuple[int, str]]]:
    """The names (start, word) of each list that ends right before a district word."""
    for district in _DISTRICT_WORD_RE.finditer(text):
        window = max(0, district.start() - LIST_WINDOW)
        match = _LIST_RE.search(text, window, district.start())
        if match is not None:
            yield [(match.start(1) + item.start(), item.group()) for item in _ITEM_RE.finditer(match.group(1))]


def _preferred(entry: Entry, forms: Callable[[Entry], Sequence[str]]) -> str | None:
    """The district's adjective as the house writes it (-sky over -skiy)."""
    adjectives = [f for f in forms(entry) if _adjective_stem(spelling_key(f)) is not None and " " not in f]
    plain = [f for f in adjectives if f.lower().endswith("sky") and f.isascii()]
    best = plain or adjectives
    return best[0] if best else None


def district_form_fixes(text: str, by_stem: Mapping[str, list[Entry]], *, listed: Callable[[str], Sequence[Entry]],
                        is_english: Callable[[str], bool], mentioned: Callable[[int, int], set[str]],
                        forms: Callable[[Entry], Sequence[str]],
                        by_region: Mapping[str, list[tuple[str, Entry]]]) -> list[DistrictForm]:
    """The words before a district word in ``text`` that are a district's adjective in another form.

    ``listed``: the gazetteer's entries written so (a word that names something as written stays);
    ``mentioned(start, end)``: the ids the text names exactly near a span, with their parents (the
    region evidence); ``by_region`` (:func:`districts_by_region`): where a word with a slip in its
    stem is looked for, among the districts of a region the text names."""
    out: list[DistrictForm] = []
    for items in _lists(text):
        found: list[tuple[int, str, list[Entry]]] = []
        slipped: list[tuple[int, str]] = []
        exact_parents: set[str] = set()
        for start, word in items:
            key, variant = spelling_key(word), variant_key(word)
            by_id = {e.id: e for stem in _stems(word) for e in by_stem.get(stem, ())}
            right = [e for e in by_id.values() if any(spelling_key(f) == key or variant_key(f) == variant
                                                      for f in forms(e))]
            if right:  # a district written as it should be: its region backs its neighbours
                if len(right) == 1:
                    exact_parents.update(right[0].parents)
                continue
            if is_english(word) or listed(word):
                continue
            if by_id:
                found.append((start, word, list(by_id.values())))
            elif _adjective_stem(key) is not None:
                slipped.append((start, word))
        for start, word, entries in found:
            named = mentioned(start, start + len(word))
            siblings = exact_parents | {p for s, _, es in found if s != start and len(es) == 1 for p in es[0].parents}
            backed = [e for e in entries if named.intersection(e.parents) or siblings.intersection(e.parents)]
            chosen = backed if backed else entries
            if len(chosen) != 1:
                continue  # two regions' Kirovsky districts and nothing to choose between them
            entry = chosen[0]
            after = _preferred(entry, forms)
            if after is None:
                continue
            if word.isupper():
                after = after.upper()
            why = ("the text names its region" if named.intersection(entry.parents) else
                   "another district of its region is listed with it" if backed else
                   "only the stem says so")
            out.append(DistrictForm(start, start + len(word), word, after, entry,
                                    APPLIED_CONFIDENCE if backed else SUGGESTED_CONFIDENCE,
                                    f"'{word}' before a district word reads as the district {entry.cyrillic} "
                                    f"({after}): {why}."))
        for start, word in slipped:
            regions = mentioned(start, start + len(word)) | exact_parents
            near = _slipped(word, regions, by_region, forms)
            after = _preferred(near, forms) if near is not None else None
            if near is None or after is None:
                continue
            out.append(DistrictForm(start, start + len(word), word, after, near, SLIPPED_CONFIDENCE,
                                    f"'{word}' before a district word is a slip of the district {near.cyrillic} "
                                    f"({after}) of a region the text names."))
    return out
