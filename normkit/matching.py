"""Correcting romanised Russian names against the gazetteer, and finding names for translation.

In Latin text the candidates are capitalised words. Most are skipped at once (English words,
foreign places, forms the gazetteer already knows); the rest are looked up by their skeleton keys,
ranked by a finer similarity (rapidfuzz), the type word beside them (street, village, Governor),
names found elsewhere in the document, and population, and corrected only above a confidence.
"""
from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator

from rapidfuzz.fuzz import ratio

from . import lexicon, skeleton
from .gazetteer import Entry, Gazetteer, default_gazetteer
from .transliteration import CYRILLIC_RE, romanize
from .types import Edit

INDEX, INDEX_VERSION = "skeleton", "3"
# A capitalised Latin word; ALA-LC's i͡a ligature, ISO's ʹ and BGN's ’ may sit inside or end it.
_LATIN_CAPITALS = "".join(c for c in map(chr, range(0xC0, 0x250)) if c.isupper())  # Ė, Č, Š ...
_CAPITALISED_RE = re.compile(
    rf"(?<![\w’'-])[A-Z{_LATIN_CAPITALS}][A-Za-z\u00C0-\u024F\u0300-\u036F’'ʹʺ·-]*"
    r"[a-z\u00DF-\u024F\u0300-\u036Fʹʺ]"  # not ’: after a word it closes a quote
    r"(?:[’']s)?(?![\w-])")
_CYRILLIC_NAME_RE = re.compile(r"(?<![\w-])[А-ЯЁ][а-яёА-ЯЁ-]*[а-яё](?![\w-])")
_WORD_RE = re.compile(r"[\w’'-]+")
_TYPE_BEFORE_RE = re.compile(r"(?<![\w-])[a-zа-яё]+\.?\s+$")
_TYPE_AFTER_RE = re.compile(r"\s+[a-zа-яё]+(?![\w-])")
# Type words near a name, and the entry types each one supports.
_HINTS: dict[str, frozenset[str]] = {}
for _words, _types in (
    ("street st avenue ave prospekt prospect ulitsa ul lane pereulok boulevard bulvar embankment "
     "naberezhnaya highway shosse square ploshchad", "street"),
    ("village selo derevnya settlement posyolok poselok hamlet khutor stanitsa aul", "village"),
    ("city town", "city town"),
    ("district rayon raion okrug", "district city_district"),
    ("region oblast krai kray republic", "region"),
    ("governor mayor president minister mr mrs ms senator deputy head leader general colonel "
     "chairman premier spokesman spokeswoman ambassador", "person"),
):
    for _word in _words.split():
        _HINTS[_word] = frozenset(_types.split())
_TYPE_WORDS = frozenset(_HINTS) | {"of", "the", "saint", "sankt"}
_NEEDS_CONTEXT = frozenset({"village", "street", "city_district", "district"})  # people: see _score
_PLACES = frozenset({"village", "town", "city"})
_DISTRICTS = frozenset({"city_district", "district"})
_NOTABLE = frozenset({"town", "city", "region"})  # few enough to be named without a type word
# Ordinary words made from names (Tatars, Siberian, Muscovite): known, so left alone, but never a
# correction target, nor kept out of translation, where they must inflect.
_WORD_TYPES = frozenset({"adjective", "ethnonym", "demonym"})
# Before a word, these make it a place; the ambiguous ones only outweigh a surname's guessed ending
# (the train from Domodedov), not a surname the dictionary knows (spoke to Ivanov).
_PLACE_PREPOSITIONS = frozenset({"in", "near", "around", "outside", "across"})
_AMBIGUOUS_PREPOSITIONS = frozenset({"from", "to", "of", "at"})
# A word followed by one of these is someone speaking: a person, not a place.
_SPEECH_RE = re.compile(r"\s+(?:said|says|told|added|wrote|stated|explained|noted|replied|claimed)\b")
_PERSON_TRIGGERS = frozenset(w for w, t in _HINTS.items() if "person" in t)

MIN_SIMILARITY = 0.7
CONTEXT_FIX_CONFIDENCE = 0.6
LOST_ENDING = 0.06  # more than the 0.05 that makes two readings a tie


@dataclass(frozen=True)
class NameMatch:
    """A gazetteer name found in text (either script; inflected Russian forms included)."""

    start: int
    end: int
    text: str
    entry: Entry
    confidence: float


@dataclass
class _Context:
    """What the document says around the names: entries named exactly, and their parents."""

    mentioned: set[str] = field(default_factory=set)


# ---------------------------------------------------------------- the index


def _significant_words(name: str) -> list[str]:
    """The words that identify a name (not street, oblast, of ...); hyphenated names stay whole."""
    return [w for w in name.split() if w.lower().strip(".’'") not in _TYPE_WORDS
            and len(skeleton.key(w).lstrip("A")) >= 1] if name else []


def _entry_keys(entry: Entry) -> list[str]:
    return [skeleton.key(w) for w in _word_forms(entry)]


@functools.lru_cache(maxsize=65536)
def _word_forms(entry: Entry) -> tuple[str, ...]:
    """Latin words an entry may be written with, the preferred form's first. Its Cyrillic name is
    romanised only when no Latin form is given (glossaries carry the BGN form already; iuliia is
    slow enough that romanising 8,000 names would double start-up)."""
    names = [n for n in (entry.latin, *entry.aliases) if not CYRILLIC_RE.search(n)]
    if not names:
        names = [romanize(entry.cyrillic)]
    forms = [w for name in names for w in _significant_words(name)]
    return tuple(dict.fromkeys(forms))


@functools.lru_cache(maxsize=8)
def _known_words(gazetteer: Gazetteer) -> frozenset[str]:
    """Every Latin word of every in-memory entry, lower-cased: such words are already right."""
    words = {w.lower() for e in gazetteer.memory_entries() for w in _word_forms(e)}
    return frozenset(words | {w.rstrip("’'ʹ") for w in words})  # Roshal’ is also right as Roshal


def _prepare(gazetteer: Gazetteer) -> Gazetteer:
    if not gazetteer.has_index(INDEX, INDEX_VERSION):
        gazetteer.add_index(INDEX, _entry_keys, INDEX_VERSION)
    return gazetteer


@functools.lru_cache(maxsize=1)
def _foreign_places() -> frozenset[str]:
    from ._paths import glossaries_dir

    path = glossaries_dir() / "foreign_places.txt"
    if not path.is_file():
        return frozenset()
    return frozenset(line.lower() for line in path.read_text(encoding="utf-8").splitlines()
                     if line and not line.startswith("#"))


# ---------------------------------------------------------------- correcting Latin text


def _hint(text: str, start: int, end: int) -> tuple[frozenset[str], str | None, str | None]:
    """Entry types the words just around ``text[start:end]`` call for, and the words before and after it."""
    before = _WORD_RE.findall(text[max(0, start - 40):start])[-3:]
    after = _WORD_RE.findall(text[end:end + 30])[:2]
    types: set[str] = set()
    for word in (*before[-2:], *after):
        types |= _HINTS.get(word.lower().strip(".’'"), frozenset())
    if any(w.lower() in _PERSON_TRIGGERS for w in before):
        types.add("person")
    return frozenset(types), (before[-1] if before else None), (after[0] if after else None)


def _score(word: str, form: str, entry: Entry, hint: frozenset[str], previous: str | None,
           mentioned: frozenset[str], person_penalty: Callable[[], float]) -> tuple[float, list[str]]:
    target, readings = skeleton.fine(form), skeleton.fine_readings(word)
    similarity = max(ratio(r, target) for r in readings) / 100
    if similarity < MIN_SIMILARITY or similarity < 1 and _inflected(readings, target):
        return 0.0, []
    confidence = 0.9 - (1 - similarity) * 2.5  # 1.0 → 0.9, 0.9 → 0.65, 0.8 → 0.4
    why = [f"similarity {similarity:.2f}"]
    given = bool(previous and entry.type == "person" and previous.lower() in {w.lower() for w in _word_forms(entry)})
    if similarity < 1 and any(target.startswith(r) and len(target) - len(r) <= 2 for r in readings):
        # A lost ending (Glazhev, Salm) is the common slip: it beats a changed letter (Salym).
        confidence += LOST_ENDING
        why.append("a lost ending")
    if hint:
        if entry.type in hint:
            confidence += 0.1
            why.append(f"the {entry.type.replace('_', ' ')} word beside it")
        elif hint & _PLACES and entry.type in _PLACES:
            confidence += 0.05  # a town called a village, or the reverse
        else:
            confidence -= 0.2
    elif entry.type == "person" and not given:
        confidence -= 0.3  # a person only beside a title or their given name
    elif entry.type in _NEEDS_CONTEXT:
        confidence -= 0.2  # villages and streets are too many to match bare
    if entry.type != "person" and not (hint & (_PLACES | {"street", "district", "city_district", "region"})):
        penalty = person_penalty()
        if penalty:
            confidence -= penalty
            why.append("although it reads as a personal name")
    if given:
        confidence += 0.15
        why.append(f"with the given name {previous}")
    if entry.id in mentioned or mentioned.intersection(entry.parents):
        confidence += 0.1
        why.append("a place named nearby in the text")
    if entry.population >= 100_000:
        confidence += 0.05
    elif entry.population >= 10_000:
        confidence += 0.02
    return confidence, why  # not capped yet: the cap would make a tie of two good readings


# Case and adjective endings on a consonant-final name: Ostrovu, Norilsky (Norilsky Nickel) are
# other words made from the name, not misspellings of it.
_ENDINGS = ("u", "a", "e", "om", "oi", "i", "ii", "ogo", "omu", "aia", "oie", "ie")


def _inflected(readings: tuple[str, ...], target: str) -> bool:
    return target[-1:] not in "aeiouy" and any(
        r.startswith(target) and r[len(target):] in _ENDINGS for r in readings)


@functools.lru_cache(maxsize=65536)
def _reads_as_personal_name(word: str) -> int:
    """Does the word read back as a Russian given name, surname or patronymic? 2: one the dictionary
    knows as that only (Ivanov, Evgeny); 1: by its ending (Domodedov), or a town's name too (Tutayev);
    0: no."""
    from .transliteration import cyrillic_candidates

    readings = cyrillic_candidates(word, 1)  # the likeliest reading only: Znamenskoy is not Знаменськой
    if not readings:
        return 0
    cyrillic = readings[0][0]
    if lexicon.person_tags(cyrillic, likeliest=True) and not lexicon.is_place_word(cyrillic):
        return 2
    return 1 if lexicon.person_tags(cyrillic) else 0


def _same_name(a: str, b: str) -> bool:
    """Two spellings of one name, differing only in a glide (Alekseevka, Alekseyevka)?"""
    return _without_glides(a) == _without_glides(b)


@functools.lru_cache(maxsize=65536)
def _without_glides(word: str) -> str:
    return re.sub(r"(.)\1", r"\1", skeleton.fine(word).replace("i", ""))


def _whole_name(entry: Entry, form: str, neighbours: frozenset[str]) -> bool:
    """A word of a longer name stands for it only beside the name's other word (Naberezhniye
    Chelny; bare Naberezhniye is someone else). People may be named by their surname alone."""
    words = _significant_words(entry.latin)
    if len(words) < 2:
        return True
    form_key = skeleton.key(form)
    if entry.type == "person" and form_key == skeleton.key(words[-1]):
        return True
    return any(skeleton.key(w) in neighbours for w in words if skeleton.key(w) != form_key)


def _preferred_word(entry: Entry, form: str) -> str:
    """The word of the entry's preferred Latin form that ``form`` stands for (Kropachyovo → Kropachevo;
    not Kursk for the alias Kurskaya of Kursk Oblast: another word of the same consonants)."""
    for word in _significant_words(entry.latin):
        if skeleton.key(word) == skeleton.key(form) and ratio(*(skeleton.fine(w).replace("io", "e")
                                                                 for w in (word, form))) >= 80:  # ё: e, yo
            return word
    return form


def _describe(entry: Entry, gazetteer: Gazetteer) -> str:
    parents = gazetteer.parents(entry)
    where = f", {parents[0].latin}" if parents else ""
    return f"{entry.type.replace('_', ' ')} {entry.cyrillic} ({entry.latin}{where}; {entry.id})"


@functools.lru_cache(maxsize=65536)
def _candidates(gazetteer: Gazetteer, word: str) -> tuple[tuple[str, Entry, int], ...]:
    """(form, entry, key size) for every entry word the skeleton keys of ``word`` reach."""
    keys = skeleton.query_keys(word)
    found: list[tuple[str, Entry, int]] = []
    for k in keys:
        size = len(k.lstrip("A"))
        if size < 1:
            continue
        for entry in gazetteer.by_key(INDEX, k):
            if entry.type in _WORD_TYPES:
                continue
            for form in _word_forms(entry):
                if skeleton.key(form) in keys:
                    found.append((form, entry, size))
    return tuple(found)


def _best_fix(text: str, start: int, end: int, word: str, gazetteer: Gazetteer,
              context: _Context, scheme: str | None = None) -> Edit | None:
    candidates = _candidates(gazetteer, word)
    if not candidates:
        return None
    hint, previous, following = _hint(text, start, end)
    speaking = _SPEECH_RE.match(text, end) is not None
    relevant = _relevant_ids(gazetteer, word)
    neighbours = frozenset(skeleton.key(w) for w in (previous, following) if w and w[:1].isupper())
    decision = _decide(gazetteer, word, hint, (previous or "").lower(), speaking,
                       frozenset(context.mentioned & relevant), scheme, neighbours)
    if decision is None:
        return None
    form, kind, confidence, reason, soft_sign = decision
    if soft_sign and text[end:end + 1] in ("’", "'"):
        word, end = text[start:end + 1], end + 1  # the ’ is the name's ь: Usman' → Usman’, Stawropol’ → Stavropol
    return Edit(start, end, word, form, kind, confidence, reason)


@functools.lru_cache(maxsize=65536)
def _relevant_ids(gazetteer: Gazetteer, word: str) -> frozenset[str]:
    """The candidate entries of ``word`` and their parents: all of the document that can matter."""
    return frozenset(i for _, e, _ in _candidates(gazetteer, word) for i in (e.id, *e.parents))


@functools.lru_cache(maxsize=65536)
def _decide(gazetteer: Gazetteer, word: str, hint: frozenset[str], previous: str, speaking: bool,
            mentioned: frozenset[str], scheme: str | None,
            neighbours: frozenset[str] = frozenset()) -> tuple[str, str, float, str, bool] | None:
    """The best fix of ``word`` in this context: (form, kind, confidence, reason, whether the name
    ends in ь), or None.
    Cached on exactly what it depends on, since news repeats names in the same settings."""
    # Sotnikov said / Klimov: a person more likely than a place, less so after "in" (officials in
    # Taman' said) or, for a guessed surname, after "from", "of".
    @functools.cache
    def person() -> float:  # asked only of a close enough place: pymorphy3 is the slow part
        reads_as_person = _reads_as_personal_name(word)  # 0 no, 1 by its ending, 2 by the dictionary
        after_preposition = previous in _PLACE_PREPOSITIONS or (
            previous in _AMBIGUOUS_PREPOSITIONS and reads_as_person < 2)
        return 0.4 if (speaking or reads_as_person) and not after_preposition else (
            0.15 if reads_as_person else 0.0)
    scored: dict[str, tuple[float, str, Entry, list[str], bool]] = {}  # best per output word
    for form, entry, size in _candidates(gazetteer, word):
        # Short keys (Ufa, Orota) are shared by many words: a spelling that differs from the name by
        # its scheme alone is read bare as a town (Oufa), else only beside its type word (Orot village).
        exact = skeleton.fine(form) in skeleton.fine_readings(word)
        if size < skeleton.MIN_KEY and not (
                exact and (entry.type in hint or entry.type in _NOTABLE) or size >= 2 and entry.type in hint):
            continue
        if not _whole_name(entry, form, neighbours):
            continue
        confidence, why = _score(word, form, entry, hint, previous, mentioned, person)
        if size < skeleton.MIN_KEY:
            confidence -= 0.1
        output = _preferred_word(entry, form)
        best = scored.get(output.lower())
        if confidence > 0 and (best is None or (confidence, -entry.population) > (best[0], -best[2].population)):
            scored[output.lower()] = (confidence, output, entry, why, exact)
    if not scored:
        return None
    ranked = sorted(scored.values(), key=lambda s: (-s[0], -s[2].population, s[2].id))
    confidence, form, entry, why, exact = ranked[0]
    # Two different names that fit as well: report, do not pick. Spellings of one name (Alekseevka,
    # Alekseyevka) are no tie; nor is a spelling that only a scheme separates from the name
    # (Prawdinsk, Pravdinsk) tied by one it misses by a letter.
    others = [r for r in ranked[1:] if not _same_name(r[1], form)]
    if others and confidence - others[0][0] < 0.05 and not (exact and not others[0][4]):
        confidence = min(confidence, 0.45)
        why = [*why, f"but {others[0][1]} fits as well"]
    confidence = min(confidence, 0.97)
    cyrillic = [w for w in _significant_words(entry.cyrillic) if skeleton.key(w) == skeleton.key(form)]
    soft_sign = cyrillic[0].endswith(("ь", "ъ")) if cyrillic else form.endswith(("’", "'"))
    if scheme is not None and cyrillic:  # the Cyrillic word behind the form, in the asked-for scheme
        form = romanize(cyrillic[0], scheme)
    if word[:1].isupper():
        form = form[:1].upper() + form[1:]
    kind = "person_name" if entry.type == "person" else "place_name"
    reason = f"'{word}' is read as {_describe(entry, gazetteer)}: {', '.join(why)}."
    return form, kind, round(confidence, 3), reason, soft_sign


def _resolve_word(text: str, start: int, word: str, gazetteer: Gazetteer, context: _Context) -> Entry | None:
    """The entry a correctly spelled word of a longer name belongs to, if the context says which."""
    hint, _, _ = _hint(text, start, start + len(word))
    return _resolve(gazetteer, word, hint, frozenset(context.mentioned & _word_parents(gazetteer, word)))


@functools.lru_cache(maxsize=65536)
def _may_name_a_district(gazetteer: Gazetteer, word: str) -> bool:
    return any(e.type in _DISTRICTS for e in gazetteer.by_key(INDEX, skeleton.key(word)))


@functools.lru_cache(maxsize=65536)
def _word_parents(gazetteer: Gazetteer, word: str) -> frozenset[str]:
    return frozenset(p for e in gazetteer.by_key(INDEX, skeleton.key(word)) for p in e.parents)


@functools.lru_cache(maxsize=65536)
def _resolve(gazetteer: Gazetteer, word: str, hint: frozenset[str], mentioned: frozenset[str]) -> Entry | None:
    lower = word.lower()
    entries = [e for e in gazetteer.by_key(INDEX, skeleton.key(word))
               if lower in {w.lower() for w in _word_forms(e)} and (not hint or e.type in hint)]
    entries.sort(key=lambda e: (not mentioned.intersection(e.parents), -e.population, e.id))
    if len(entries) > 1 and not mentioned.intersection(entries[0].parents):
        return None  # two Traktorozavodsky districts and no city named: do not guess
    return entries[0] if entries else None


def _district_parent_fixes(text: str, found: dict[tuple[int, int], Entry],
                           gazetteer: Gazetteer) -> list[Edit]:
    """``<district> district of <Y>`` where the district's city is not Y: flag Y, suggest the city
    (Traktorozavodskiy district of Volga → Volgograd)."""
    edits = []
    for (start, end), entry in found.items():
        if entry.type not in _DISTRICTS:
            continue
        follow = re.match(r"\s+(?:district|rayon|raion|okrug)\s+(?:of|in)\s+([A-Z][\w’'-]+)", text[end:end + 60])
        if not follow:
            continue
        named = follow.group(1)
        parents = [p for p in gazetteer.parents(entry) if p.type in ("city", "town", "region")]
        if not parents or any(named.lower() == w.lower() for p in parents for w in _word_forms(p)):
            continue
        parent = parents[0]
        target = parent.latin.split()[0]
        short, full = skeleton.fine(named), skeleton.fine(target)
        if ratio(short, full[:len(short)]) < 75 and ratio(short, full) < 75:  # Volga ~ Volgo(grad)
            continue
        where = end + follow.start(1)
        other = gazetteer.lookup(named)
        what = f"'{named}' is the {other[0].type.replace('_', ' ')} {other[0].cyrillic}" if other else f"'{named}' names no place that contains it"
        reason = (f"{entry.cyrillic} ({entry.latin}) is a district of {parent.latin} "
                  f"({parent.cyrillic}); {what}. A context fix, made with lower confidence.")
        edits.append(Edit(where, where + len(named), named, target, "place_name", CONTEXT_FIX_CONFIDENCE, reason))
    return edits


def _occurrences(text: str, words: dict[str, object]) -> Iterator[tuple[int, str]]:
    """Where each of ``words`` stands in ``text``, in order. A few words: str.find each (no Python
    per other capitalised word); many: one regex pass."""
    if len(words) > 12:
        for match in _CAPITALISED_RE.finditer(text):
            if match.group() in words:
                yield match.start(), match.group()
        return
    found = []
    for word in words:
        pos = text.find(word)
        while pos >= 0:
            end = pos + len(word)
            # The boundaries of _CAPITALISED_RE: an apostrophe may follow a word (Anadyr’), not precede it.
            if (pos == 0 or not _joined(text[pos - 1], "’'-ʹʺ·")) and (end == len(text) or not _joined(text[end], "-ʹʺ·")):
                found.append((pos, word))
            pos = text.find(word, end)
    yield from sorted(found)


def _joined(char: str, marks: str) -> bool:
    return char.isalnum() or char in marks or "\u0300" <= char <= "\u036f"


def words_to_check(text: str) -> frozenset[str]:
    """The capitalised words of Latin text that are not plain English: the names to check."""
    # A set difference, in C. English words capitalised otherwise (McDonald) are _classify's to skip.
    return frozenset(set(_CAPITALISED_RE.findall(text)) - _english_capitalised())


@functools.lru_cache(maxsize=1)
def _english_capitalised() -> frozenset[str]:
    return frozenset(w.capitalize() for w in lexicon.english_words() if w not in _PLACE_WORDS_IN_ENGLISH)


# English words that are also names that give context (Volgograd Region, Moscow, Kirov).
_PLACE_WORDS_IN_ENGLISH = frozenset({"moscow", "russia", "volga", "kirov", "grozny", "siberia", "crimea",
                                     "leningrad", "stalingrad", "petersburg", "chechnya", "dagestan"})


def _stem(word: str) -> str:
    return word[:-2] if word[-2:-1] in ("’", "'") and word[-1] == "s" else word  # Kadyrov’s


@functools.lru_cache(maxsize=131072)
def _classify(gazetteer: Gazetteer, word: str) -> tuple[str, Entry | None]:
    """What a capitalised word is, whatever its context (cached: news repeats its words):
    ("exact", entry) a full name; "partial" a word of a longer name; "doubtful" worth a lookup;
    "skip" English, foreign or too short."""
    lower = word.lower()
    known = lower in _known_words(gazetteer)
    exact = gazetteer.lookup(word) if known or len(word) >= 4 else []
    if exact:
        return "exact", exact[0]
    if known:
        return "partial", None
    if len(word) >= 4 and not lexicon.is_english(word) and lower not in _foreign_places():
        return "doubtful", None
    return "skip", None


def correct_names(text: str, *, gazetteer: Gazetteer | None = None, scheme: str | None = None,
                  words: frozenset[str] | None = None) -> list[Edit]:
    """Proposed name corrections for Latin text (not applied; each with its confidence).
    ``scheme`` romanises the fix instead of using the entry's preferred Latin form; ``words`` is
    :func:`words_to_check` of the text, if known. (clean() merges fixes of words it repaired.)"""
    words = words_to_check(text) if words is None else words
    if not words:
        return []  # nothing to look up: the index is not even built
    gazetteer = _prepare(gazetteer or default_gazetteer())
    context = _Context()
    found: dict[tuple[int, int], Entry] = {}
    doubtful: list[tuple[int, str]] = []
    partial: list[tuple[int, str]] = []
    # Classify each distinct word once (cached across documents). Names already right only tell
    # what the document is about; positions matter only for words to fix and for districts.
    where: dict[str, tuple[str, Entry | None]] = {}
    for whole in words:
        kind, exact = classified = _classify(gazetteer, _stem(whole))
        if exact is not None:
            context.mentioned.add(exact.id)
            context.mentioned.update(exact.parents)
        if kind == "doubtful" or (exact.type in _DISTRICTS if exact is not None else
                                  kind == "partial" and _may_name_a_district(gazetteer, _stem(whole))):
            where[whole] = classified
    for start, whole in _occurrences(text, where):
        word, (kind, exact) = _stem(whole), where[whole]
        if exact is not None:
            found[(start, start + len(word))] = exact
        elif kind == "partial":
            partial.append((start, word))
        elif kind == "doubtful":
            doubtful.append((start, word))
    # Words of longer names (Traktorozavodskiy of Traktorozavodsky District): now that the document's
    # places are known, pick the entry they and the type word beside it point to.
    for start, word in partial:  # (only districts: _district_parent_fixes is what looks at them)
        entry = _resolve_word(text, start, word, gazetteer, context)
        if entry is not None:
            found[(start, start + len(word))] = entry
    edits = [e for e in (_best_fix(text, s, s + len(w), w, gazetteer, context, scheme) for s, w in doubtful) if e]
    edits = [e for e in edits if e.after.lower() != e.before.lower()]
    for edit in edits:
        entries = gazetteer.lookup(edit.after)
        if entries and edit.confidence >= 0.5:
            found[(edit.start, edit.end)] = entries[0]
    taken = {(e.start, e.end) for e in edits}
    edits += [e for e in _district_parent_fixes(text, found, gazetteer) if (e.start, e.end) not in taken]
    return sorted(edits, key=lambda e: e.start)


# ---------------------------------------------------------------- finding names (translation)


def find_names(text: str, *, gazetteer: Gazetteer | None = None) -> list[NameMatch]:
    """Gazetteer names in ``text``: exact forms in Latin text; in Cyrillic text also inflected forms
    (Бочарова, Волгограде) through their dictionary form. Longest match first, no overlaps."""
    gazetteer = gazetteer or default_gazetteer()
    matches: list[NameMatch] = []
    pattern = _CYRILLIC_NAME_RE if CYRILLIC_RE.search(text) else _CAPITALISED_RE
    words = list(pattern.finditer(text))
    taken = -1
    for i, first in enumerate(words):
        if first.start() < taken:
            continue
        for size in (3, 2, 1):  # Nizhny Novgorod, Andrei Bocharov, Kirishi
            group = words[i:i + size]
            if len(group) < size or any(not text[a.end():b.start()].isspace() for a, b in zip(group, group[1:])):
                continue
            start, end = group[0].start(), group[-1].end()
            match = _lookup(gazetteer, text[start:end])
            if match is not None and size == 1 and _common_word(text[start:end], match[0]):
                match = None  # Мама мыла раму: a word first, a village of Irkutsk Oblast second
            if match is None and size == 1:
                # улицу Лодыгина, деревня Глажево, Lodygina street: a lowercase type word that
                # belongs to the name, before or after it
                before = _TYPE_BEFORE_RE.search(text, max(0, start - 20), start)
                after = _TYPE_AFTER_RE.match(text, end)
                spans = [(before.start(), end)] if before else []
                spans += [(start, after.end())] if after else []
                for a, b in spans:
                    with_type = _lookup(gazetteer, text[a:b])
                    if with_type is not None:
                        match, start, end = with_type, a, b
                        break
            if match is not None:
                entry, confidence = match
                start, end = _with_type_word(text, start, end, entry)
                matches.append(NameMatch(start, end, text[start:end], entry, confidence))
                taken = end
                break
    return matches


def _common_word(word: str, entry: Entry) -> bool:
    """Is this single word likelier an ordinary word than the (small) place it also names?"""
    if entry.population >= 100_000 or entry.type in ("region", "person"):
        return False
    if CYRILLIC_RE.search(word):
        return not lexicon.is_name(word, dictionary_only=True)
    return lexicon.is_english(word)


def _lookup(gazetteer: Gazetteer, name: str) -> tuple[Entry, float] | None:
    def names(key: str) -> list[Entry]:
        return [e for e in gazetteer.lookup(key) if e.type not in _WORD_TYPES]

    entries = names(name.rstrip("’'s") if name.endswith(("’s", "'s")) else name)
    if entries:
        return entries[0], 1.0
    if CYRILLIC_RE.search(name):
        # An inflected Russian form: each word as written or in its dictionary form (улицу Лодыгина:
        # only the type word inflects; Андрея Бочарова: both do).
        words = name.split()
        for forms in itertools.islice(itertools.product(*[(w, lexicon.normal_form(w)) for w in words]), 1, None):
            entries = names(" ".join(forms))
            if entries:
                return entries[0], 0.9
    return None


def _with_type_word(text: str, start: int, end: int, entry: Entry) -> tuple[int, int]:
    """Take in a type word that belongs to the name (улица Лодыгина, Lodygina street)."""
    names = [n.lower() for n in entry.names]
    before = re.search(r"(\w+)\s+$", text[max(0, start - 30):start])
    after = re.match(r"\s+(\w+)", text[end:end + 30])
    if before and any(n.startswith(before.group(1).lower() + " ") for n in names):
        start -= len(before.group(0))
    if after and any(n.endswith(" " + after.group(1).lower()) for n in names):
        end += len(after.group(0))
    return start, end


def iter_names(gazetteer: Gazetteer) -> Iterable[str]:
    """The Cyrillic words of every in-memory entry: known words for the mixed-script repair."""
    for entry in gazetteer.memory_entries():
        for name in (entry.cyrillic, *entry.aliases):
            if CYRILLIC_RE.search(name):
                yield name
