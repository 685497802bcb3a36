"""The evidence for one reading of a doubtful word as one candidate, as named numbers.

Each feature is a number (mostly 0 or 1) with a name; the model (:mod:`.model`) weighs them. The
list :data:`FEATURES` is the model file's column order: change it and retrain.
"""
from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass

from rapidfuzz.distance import OSA
from rapidfuzz.fuzz import ratio

from .. import skeleton
from .candidates import Candidate, word_forms
from .context import PLACE_TYPES, Cues
from .readings import RULE_TABLES, rule_readings
from .spellings import accepted_keys, spelling_key

FEATURES = (
    "similarity",          # best ratio (0..1) of the word's readings to the candidate, schemes folded
    "one_edit",            # one letter added, dropped, changed, or two swapped, from an accepted spelling
    "two_edits",           # two such edits
    "lost_ending",         # an accepted spelling without its last one or two letters (Glazhev)
    "added_ending",        # an accepted spelling with one or two letters more at the end (Filimonovo, Filimonov)
    "foreign_reading",     # it fits only read as German, French or ISO spelling (Schelechow)
    "short",               # five letters or fewer
    "type_word_agrees",    # a type word beside it names the candidate's type (Lodigina street)
    "type_word_disagrees", # a type word beside it names another type
    "person_cue_person",   # a title, given name or speech verb beside it, and a person candidate
                           # (with such a cue no place is weighed at all: person context wins)
    "given_name_matches",  # the given name before it is the candidate person's own
    "title_person",        # a title or role before it (Governor, Minister), and a person candidate
    "official",            # an office and a given name both, the given name the candidate's (Governor Andrei ___)
    "bare_district_or_street",  # a district or street candidate with no district or street word beside it
    "foreign_form_of_person",  # a person's name in another scheme's spelling (German, French: the
                               # same name once schemes are folded, no letter slipped), and no office
                               # with the given name beside it: famous names have such established
                               # forms (Tschaikovsky), officials' do not (Governor Alexander Beglow)
    "given_name_differs",  # a given name before it that is not the candidate person's (someone else)
    "english_neighbour",   # a capitalised English word beside it (Roshel Defence Solutions): part of
                           # a name that is not Russian
    "foreign_name_beside", # a capitalised word beside it that is no English, Russian or known name
                           # (Lyupko Petkovsky, Wojtek Wolski): part of a foreign name
    "name_after_person",   # a person candidate, but a capitalised word follows (Sachin Tendulkar):
                           # it stands where a given name stands
    "people_list_place",   # it stands in a comma-separated line-up, and the candidate is a place
    "preposition_place",   # in, near, from ... before it, and a place candidate
    "mentioned",           # the candidate or its region or district is named elsewhere in the text
    "rest_of_name_beside", # the other word of the candidate's name stands beside it (Verkhnaya Salda)
    "population",          # log10(1 + population) / 7
    "is_person", "is_city", "is_village", "is_district", "is_street", "is_region", "is_feature",
    "surname_ending_place",  # it ends like a surname (-ov, -in, -sky, -enko) and the candidate is a place
    "capitalised_neighbour",  # a capitalised word right beside it (First Last, or a longer name)
    "rivals",              # other names that fit as well: 0, one (0.5), more (1)
    "margin",              # the similarity lead over the best other name, up to 0.3
    "short_key",           # the shared skeleton key has fewer than three consonants
    "all_caps",
    "first_letter_differs",  # its first letter is not the candidate's (Alabuga, Elabuga)
    "rule_letters",        # a reading by the German/MT letters table is an accepted spelling (Tscheljabinsk)
    "rule_ukrainian",      # ... by the Ukrainian-mediated table (Bilhorod: Belgorod)
    "rule_endings",        # ... by the case-endings table (Samare: Samara; Peskova: Peskov)
    "english_singular",    # the candidate's word is this word plus an English plural s (Nenet, Kuril:
                           # Nenets, Kurils): the English singular or attribute, not a lost letter
    "vowel_variant",       # it differs from an accepted spelling only by the y of й, я, ю, е, ё written
                           # i, or a leading Ye written E (Karachai, Kuivashev, Viazma): an English
                           # variant, not a slip (y for ы written i is one: Lodigina)
)
# Evidence that a reading is a variant, not an error: however likely the model finds the fix, it
# is only suggested. A person's name in another scheme's established form, no letter slipped and no
# office with the given name beside it (Tschaikowsky, Gogol's German spelling): English copy keeps
# such forms on purpose, and a reviewer, not the model, decides whether the house wants them changed.
SUGGEST_ONLY = ("foreign_form_of_person",)


def suggest_only(values: dict[str, float]) -> bool:
    """Does the evidence say the fix may only be suggested (:data:`SUGGEST_ONLY`)?"""
    return any(values.get(f) for f in SUGGEST_ONLY)


_SURNAME_ENDING_RE = re.compile(r"(?:ov|ev|yov|in|yn|sky|skiy|ski|skii|enko|chuk|uk|ich|vich|ova|eva|ina|aya)$", re.I)
SCHEME_VARIANT = 0.999  # a similarity this high: the same name once the schemes are folded
_CITY = frozenset({"city", "town"})
_NEEDS_TYPE_WORD = frozenset({"district", "city_district", "street", "square"})  # named with their type word
_DISTRICTS = frozenset({"district", "city_district"})
# Settlements, their divisions and people are typed above; every other entry names a thing:
# a lake, a river, a theatre, a company, a club, a ship.
_TYPED = frozenset({"city", "town", "village", "district", "city_district", "street", "square", "region",
                    "person", "historical_name"})


@dataclass(frozen=True)
class Rivalry:
    """How the candidate's name compares with the other names the word could be."""

    rivals: int       # other names within a hair of its similarity
    margin: float     # its similarity minus the best other name's (0 when it is not the best)


@functools.lru_cache(maxsize=65536)
def _rule_keys(word: str, table: str) -> frozenset[str]:
    """The spelling keys of the word's readings under one rule table."""
    return frozenset(spelling_key(r) for r in rule_readings(word, table))


@functools.lru_cache(maxsize=65536)
def _accepted(candidate: Candidate) -> frozenset[str]:
    keys = set(accepted_keys(candidate.cyrillic)) if candidate.cyrillic else set()
    return frozenset(keys | {spelling_key(f) for f in word_forms(candidate.entry)})


def distance(word: str, candidate: Candidate) -> tuple[int, bool, bool]:
    """(fewest edits from an accepted spelling of the candidate, whether the word is one of them
    that lost its last one or two letters, whether it is one with one or two letters added)."""
    key = spelling_key(word)
    accepted = _accepted(candidate)
    best = min((OSA.distance(key, a, score_cutoff=4) for a in accepted), default=5)
    lost = any(a.startswith(key) and 1 <= len(a) - len(key) <= 2 for a in accepted)
    added = any(key.startswith(a) and 1 <= len(key) - len(a) <= 2 for a in accepted)
    return best, lost, added


_SOFT_Y_RE = re.compile(r"(?<=[aeiou])y|y(?=[aeiou])")  # й after a vowel; я, ю, е, ё as ya, yu, ye, yo


@functools.lru_cache(maxsize=65536)
def _vowel_fold(key: str) -> str:
    """The key with й and the iotated vowels' y written i (Kuivashev, Viazma), and a leading Ye as
    E; y for ы (Lodygina) stays: Lodigina is a slip, not a variant."""
    key = key[1:] if key.startswith("ye") else key
    return _SOFT_Y_RE.sub("i", key)


def vowel_variant(word: str, candidate: Candidate) -> bool:
    """Does the word differ from an accepted spelling of the candidate only by y/i, one letter for
    one (Karachai, Kuivashev), or by a leading Ye written E? (Novorossisk, which drops a letter of
    every accepted form, does not.)"""
    key = spelling_key(word)
    accepted = _accepted(candidate)
    if key in accepted:
        return False
    folded = _vowel_fold(key)
    return any(_vowel_fold(a) == folded for a in accepted)


def rest_of_name_beside(candidate: Candidate, cues: Cues) -> bool:
    """Does a word beside it spell another word of the candidate's name (as the skeleton sees it:
    Sergiev beside Possad, for Sergiyev Posad)?"""
    if not cues.names_beside:
        return False
    own = skeleton.key(candidate.form)
    others = {skeleton.key(w) for w in word_forms(candidate.entry)} - {own}
    return any(skeleton.key(w) in others for w in cues.names_beside)


def first_letter_differs(word: str, candidate: Candidate) -> bool:
    """Do the word and every accepted spelling of the candidate start differently?"""
    first = spelling_key(word)[:1]
    return all(not a.startswith(first) for a in _accepted(candidate))


# The features read from the candidate's accepted spellings: the dear part of the evidence (a
# first sight of a Cyrillic word romanises it in every scheme), each 0 or 1. one_edit and
# two_edits never hold together. The linker may bound a candidate's chance without them first.
DEAR_FEATURES = ("one_edit", "two_edits", "lost_ending", "added_ending", "first_letter_differs",
                 "vowel_variant", *(f"rule_{table}" for table in RULE_TABLES))
EXCLUSIVE_FEATURES = (("one_edit", "two_edits"),)


def dear_features(word: str, candidate: Candidate) -> dict[str, float]:
    """The :data:`DEAR_FEATURES` of reading ``word`` as ``candidate`` (no context needed)."""
    edits, lost, added = distance(word, candidate)
    return {
        "one_edit": float(edits == 1),
        "two_edits": float(edits == 2),
        "lost_ending": float(lost),
        "added_ending": float(added),
        "first_letter_differs": float(first_letter_differs(word, candidate)),
        "vowel_variant": float(vowel_variant(word, candidate)),
        **{f"rule_{table}": float(bool(_rule_keys(word, table) & _accepted(candidate))) for table in RULE_TABLES},
    }


def features(word: str, candidate: Candidate, cues: Cues, *, mentioned: bool, rivalry: Rivalry,
             people_list: bool, foreign_name_beside: bool, dear: bool = True) -> dict[str, float]:
    """The named evidence for reading ``word`` as ``candidate`` here (``dear=False``: the
    :data:`DEAR_FEATURES` left at 0, for a bound; :func:`dear_features` fills them in)."""
    entry = candidate.entry
    kind = entry.type
    place = kind != "person"
    sim, foreign = candidate.similarity, candidate.foreign
    hint = cues.type_hint
    given = not place and bool(cues.given_names & {w.lower() for w in word_forms(entry)})
    agrees = bool(hint) and (kind in hint or (kind in PLACE_TYPES and bool(hint & PLACE_TYPES)))
    values = {
        "similarity": sim,
        "foreign_reading": float(foreign),
        "short": float(len(word) <= 5),
        "type_word_agrees": float(agrees),
        "type_word_disagrees": float(bool(hint) and not agrees),
        "person_cue_person": float(cues.person and not place),
        "given_name_matches": float(given),
        "title_person": float(cues.title_before and not place),
        "official": float(cues.office_before and given),
        "bare_district_or_street": float(kind in _NEEDS_TYPE_WORD and not agrees),
        "foreign_form_of_person": float(not place and (foreign or sim >= SCHEME_VARIANT)
                                        and not (cues.office_before and given)),
        "given_name_differs": float(not place and cues.given_name_before and not given),
        "english_neighbour": float(cues.english_neighbour),
        "foreign_name_beside": float(foreign_name_beside),
        "name_after_person": float(cues.name_after and not place),
        "people_list_place": float(people_list and place),
        "preposition_place": float(cues.place_preposition and place),
        "mentioned": float(mentioned),
        "rest_of_name_beside": float(rest_of_name_beside(candidate, cues)),
        "population": math.log10(1 + entry.population) / 7,
        "is_person": float(not place),
        "is_city": float(kind in _CITY),
        "is_village": float(kind == "village"),
        "is_district": float(kind in _DISTRICTS),
        "is_street": float(kind in ("street", "square")),
        "is_region": float(kind == "region"),
        "is_feature": float(kind not in _TYPED),
        "surname_ending_place": float(place and _SURNAME_ENDING_RE.search(word) is not None),
        "capitalised_neighbour": float(cues.capitalised_neighbour),
        "rivals": min(rivalry.rivals, 2) / 2,
        "margin": min(max(rivalry.margin, 0.0), 0.3),
        "short_key": float(candidate.key_size < skeleton.MIN_KEY),
        "all_caps": float(len(word) > 1 and word.isupper()),
        "english_singular": float(candidate.form.lower() == word.lower() + "s"),
    }
    values.update(dear_features(word, candidate) if dear else dict.fromkeys(DEAR_FEATURES, 0.0))
    return values
