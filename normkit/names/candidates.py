"""Candidates for a doubtful word: gazetteer entries whose names share a skeleton key with it.

The skeleton key (:mod:`normkit.skeleton`) folds the romanisation schemes' differences and drops
vowels, so ``Glazhev``, ``Glazhevo`` and ``Glajevo`` meet under one key; a query asks under every
reading of its ambiguous letters. Each candidate is one word of one entry's name: the word it
matched, the word of the preferred Latin form it becomes, and the Cyrillic word behind both.
"""
from __future__ import annotations

import functools
import re
import weakref
from dataclasses import dataclass
from typing import Any, Callable

from rapidfuzz.fuzz import ratio
from rapidfuzz.process import extract

from .. import skeleton
from ..buildcache import cached, check_dict
from ..gazetteer import Entry, Gazetteer
from ..gazetteer.keyindex import KeyIndex
from ..transliteration import CYRILLIC_RE, romanize
from .readings import RULE_TABLES, rule_readings

INDEX, INDEX_VERSION = "skeleton", "3"
FORMS_VERSION = "1.3"  # bump when _Tables.build gives other tables for the same entries (1.3: shared strings)
# Ordinary words made from names (Tatars, Siberian, Muscovite): known, so left alone, but never a
# correction target (nor kept out of translation, where they must inflect). "keep": a spelling a
# reviewer kept as written (normkit.decisions), right where it stands but no target either.
WORD_TYPES = frozenset({"adjective", "ethnonym", "demonym", "keep"})
MIN_SIMILARITY = 0.6   # a candidate less alike than this is not weighed (people: 0.6; places: the linker's 0.7)
FOREIGN_MARGIN = 0.05  # a reading as English/BGN this much worse than the best one: a foreign reading
_CUTOFF_SLACK = 0.5  # ratio points below the floor that the compiled search still returns
_OTHER_SCHEME_LETTERS = re.compile("[jxqJXQ]")
MIN_NEAR_KEY = 3  # keys this long are also looked up one consonant off (Kirovgrat, Kirovgrad)
# Words naming what kind of thing a name is, not which (street, oblast, of ...): not matched.
_TYPE_WORDS = frozenset("""
street st avenue ave prospekt prospect ulitsa ul lane pereulok boulevard bulvar embankment
naberezhnaya highway shosse square ploshchad village selo derevnya settlement posyolok poselok
hamlet khutor stanitsa aul city town district rayon raion okrug region oblast krai kray republic
governor mayor president minister mr mrs ms senator deputy head leader general colonel chairman
premier spokesman spokeswoman ambassador of the saint sankt lake river mount mountain ridge range
island islands peninsula bay inlet gulf strait sea canal reservoir cape volcano valley plateau
glacier falls reserve national park theatre theater museum
""".split())


@dataclass(frozen=True)
class Candidate:
    """One word of an entry's name that a doubtful word may stand for."""

    entry: Entry
    form: str       # the entry's Latin word the query reached (preferred form or alias)
    output: str     # the word of the entry's preferred Latin form that replaces the query
    cyrillic: str   # the Cyrillic word behind it, lower case ("" if the entry has none to align)
    key_size: int   # consonants in the key the two share: short keys are shared by many words
    similarity: float = 1.0  # best ratio (0..1) of the query's readings to the form, schemes folded
    foreign: bool = False    # the best ratio needs a German, French or ISO reading of the query
    reading: str = ""        # found by a rule table's reading of the query (readings.RULE_TABLES), not by its key


@dataclass(frozen=True)
class _Form:
    """One Latin word an entry may be written with, and its skeleton key: all a lookup compares.
    What the word becomes (:meth:`CandidateIndex._target`) is worked out only for the forms alike
    enough to weigh."""

    form: str
    key: str


def significant_words(name: str) -> list[str]:
    """The words that identify a name (not street, oblast, of ...); hyphenated names stay whole."""
    return list(_significant_words(name)) if name else []


@functools.lru_cache(maxsize=65536)
def _significant_words(name: str) -> tuple[str, ...]:
    return tuple(w for w in name.split() if w.lower().strip(".’'") not in _TYPE_WORDS
                 and len(skeleton.key(w).lstrip("A")) >= 1)


# The words of the in-memory entries, as the candidate tables hold them: word_forms answers these
# from the newest tables (each keeps what it was asked, so it is freed with them) instead of hashing
# the entry into its cache; read on first ask for an entry, not copied out of them for every entry at
# start (tens of milliseconds of each start, for the few entries a text reaches).
_TABLES: list[weakref.ref[_Tables]] = []  # the tables word_forms reads, newest first
MAX_TABLES_READ = 4  # of several gazetteers' tables (a process with several configurations), the newest


def word_forms(entry: Entry) -> tuple[str, ...]:
    """Latin words an entry may be written with, the preferred form's first. Its Cyrillic name is
    romanised only when no Latin form is given."""
    for ref in _TABLES:
        tables = ref()
        forms = tables.forms(entry) if tables is not None else None
        if forms is not None:
            return forms
    return _word_forms(entry)


@functools.lru_cache(maxsize=65536)
def _word_forms(entry: Entry) -> tuple[str, ...]:
    names = [n for n in (entry.latin, *entry.aliases) if not CYRILLIC_RE.search(n)]
    if not names:
        names = [romanize(entry.cyrillic)]
    forms = [w for name in names for w in significant_words(name)]
    return tuple(dict.fromkeys(forms))


def entry_keys(entry: Entry) -> list[str]:
    return [skeleton.key(w) for w in word_forms(entry)]


@functools.lru_cache(maxsize=65536)
def _preferred_word(latin: str, form: str) -> str:
    """The word of an entry's preferred Latin form ``latin`` that ``form`` stands for (Kropachyovo ->
    Kropachevo; not Kursk for the alias Kurskaya of Kursk Oblast: another word of the same consonants).
    By the strings it reads: villages share names, so each is worked out once."""
    for word in significant_words(latin):
        if skeleton.key(word) == skeleton.key(form) and ratio(*(skeleton.fine(w).replace("io", "e")
                                                                 for w in (word, form))) >= 80:  # ё: e, yo
            return word
    return form


@functools.lru_cache(maxsize=65536)
def _cyrillic_word(cyrillic: str, aliases: tuple[str, ...], form: str) -> str:
    """The Cyrillic word (lower case) of an entry's name, else of its Cyrillic aliases, behind ``form``."""
    words = [w for w in significant_words(cyrillic) if skeleton.key(w) == skeleton.key(form)]
    if not words:
        words = [w for name in aliases if CYRILLIC_RE.search(name)
                 for w in significant_words(name) if skeleton.key(w) == skeleton.key(form)]
    return words[0].lower() if words else ""


def _one_off(key: str) -> list[str]:
    """The key with one letter left out (a symmetric-delete neighbourhood: two keys one edit
    apart share one of these)."""
    return [key[:i] + key[i + 1:] for i in range(len(key))] if len(key.lstrip("A")) >= MIN_NEAR_KEY else []


@functools.lru_cache(maxsize=65536)
def _deletes(key: str) -> frozenset[str]:
    return frozenset(_one_off(key))


Row = tuple[str, str, str, str, str]  # form, key, fine form, output word, Cyrillic word


class _Tables:
    """Every Latin word of every in-memory entry, flat, with a deletion index over their keys: what
    a lookup probes instead of looping over entries. The rows and the index depend on the glossary
    files only (kept in the table cache); which rows are targets (not an English word, not an
    adjective's) is worked out per CandidateIndex."""

    def __init__(self, entries: list[Entry], table: dict[str, Any], english: frozenset[str]) -> None:
        self.entries = entries
        self.position = {e.id: i for i, e in enumerate(entries)}
        self.flat: list[Row] = [tuple(row) for row in table["rows"]]
        self.fines: list[str] = [row[2] for row in self.flat]  # each row's fine form, for the compiled search
        self.flat_pos: list[int] = list(table["pos"])
        self.first: list[int] = list(table["first"])
        self.last: list[int] = list(table["last"])
        self.index = KeyIndex.from_tables(table["exact"], table["deleted"], _one_off)
        self.by_key_positions: dict[str, list[int]] = table["by_key"]
        self.excluded = frozenset(t for t, row in enumerate(self.flat)
                                  if entries[self.flat_pos[t]].type in WORD_TYPES or row[0].lower() in english)
        self._near: dict[int, frozenset[str]] = {}
        self._by_key: dict[str, tuple[int, ...]] = {}
        self._forms: dict[int, tuple[str, ...]] = {}  # the entries' tabled words asked for so far
        _TABLES[:] = [weakref.ref(self), *(r for r in _TABLES if r() is not None)][:MAX_TABLES_READ]

    @staticmethod
    def build(entries: list[Entry]) -> dict[str, Any]:
        """The rows and their deletion index for these entries, as plain data (for the cache)."""
        rows: list[Row] = []
        pos: list[int] = []
        first: list[int] = []
        last: list[int] = []
        for i, entry in enumerate(entries):
            first.append(len(rows))
            for row in _form_rows(entry):
                rows.append(row)
                pos.append(i)
            last.append(len(rows))
        index = KeyIndex((row[1] for row in rows), _one_off)
        exact, deleted = index.tables()
        by_key: dict[str, list[int]] = {}  # the gazetteer's skeleton index, by position (Gazetteer.add_index)
        for i in range(len(entries)):
            for key in dict.fromkeys(row[1] for row in rows[first[i]:last[i]]):
                by_key.setdefault(key, []).append(i)
        # One object for each distinct string and position list (a third of the rows' 280,000
        # strings are distinct): the cached pickle refers to it again rather than making a copy.
        shared: dict[Any, Any] = {}
        rows = [tuple(shared.setdefault(s, s) for s in row) for row in rows]
        exact, deleted = ({shared.setdefault(k, k): shared.setdefault(v, v) for k, v in table.items()}
                          for table in (exact, deleted))
        by_key = {shared.setdefault(k, k): v for k, v in by_key.items()}
        return {"ids": [e.id for e in entries], "rows": rows, "pos": pos, "first": first, "last": last,
                "exact": exact, "deleted": deleted, "by_key": by_key}

    def forms(self, entry: Entry) -> tuple[str, ...] | None:
        """The entry's words as tabled (the same words word_forms would work out again), or None
        when the entry is not one of these tables' own."""
        i = self.position.get(entry.id)
        if i is None or self.entries[i] is not entry:
            return None
        forms = self._forms.get(i)
        if forms is None:
            forms = self._forms[i] = tuple(row[0] for row in self.flat[self.first[i]:self.last[i]])
        return forms

    def keys(self, position: int) -> list[str]:
        """The entry's skeleton keys (its words', in order: entry_keys)."""
        return [row[1] for row in self.flat[self.first[position]:self.last[position]]]

    def is_near(self, probe: str) -> bool:
        """Would the near lists file an entry under ``probe``: some key of at least MIN_NEAR_KEY
        consonants that is ``probe`` or has it as a deletion?"""
        if self.index.deleted(probe):
            return True
        return len(probe.lstrip("A")) >= MIN_NEAR_KEY and bool(self.index.exact(probe))

    def by_key(self, gazetteer: Gazetteer, key: str) -> tuple[int, ...]:
        """Positions of the in-memory entries filed under ``key``, ranked as Gazetteer.by_key ranks
        them (asked of it once per key: without a store its answer never changes)."""
        found = self._by_key.get(key)
        if found is None:
            found = self._by_key[key] = tuple(self.position[e.id] for e in gazetteer.by_key(INDEX, key))
        return found

    def near(self, position: int) -> frozenset[str]:
        """The probes under which the near index files this entry (its keys and their deletions)."""
        found = self._near.get(position)
        if found is None:
            probes: set[str] = set()
            for key in dict.fromkeys(self.keys(position)):
                deletes = _one_off(key)
                if deletes:
                    probes.add(key)
                    probes.update(deletes)
            found = self._near[position] = frozenset(probes)
        return found


def _form_rows(entry: Entry) -> tuple[Row, ...]:
    """Each Latin word of the entry: form, key, fine form, output word, Cyrillic word."""
    return tuple((form, skeleton.key(form), skeleton.fine(form), _preferred_word(entry.latin, form),
                  _cyrillic_word(entry.cyrillic, entry.aliases, form)) for form in word_forms(entry))


_TABLES_DATA_KEYS = frozenset({"ids", "rows", "pos", "first", "last", "exact", "deleted", "by_key"})


def _is_tables_data(value: object) -> bool:
    """Is ``value`` what :meth:`_Tables.build` returns (the cache's shape check)?"""
    return (isinstance(value, dict) and value.keys() == _TABLES_DATA_KEYS
            and isinstance(value["ids"], list) and isinstance(value["rows"], list))


class CandidateIndex:
    """The gazetteer's entries by skeleton key, and by keys one consonant off (built on first
    use; the near index covers the in-memory entries; caches are this object's).

    A lookup probes a deletion index (:class:`normkit.gazetteer.keyindex.KeyIndex`) over the
    in-memory entries' words, whose targets are worked out once per set of glossary files and kept
    in the table cache; :meth:`scan_candidates` is the same search as a loop over the entries the
    keys reach (the reference the index is tested against)."""

    def __init__(self, gazetteer: Gazetteer, english: frozenset[str] = frozenset(),
                 cache_size: int = 65536) -> None:
        self.gazetteer = gazetteer
        self._english = english  # an English word of a name (Rosneft Oil Company) is no target
        self.candidates = functools.lru_cache(maxsize=cache_size)(self._candidates)
        self.weighable = functools.lru_cache(maxsize=cache_size)(self._weighable)
        self.rule_candidates = functools.lru_cache(maxsize=cache_size)(self._rule_candidates)
        self._near: dict[str, list[Entry]] | None = None
        self._tables: _Tables | None = None
        self._forms: dict[str, tuple[_Form, ...]] = {}  # by entry id: computed once per entry
        self._targets: dict[tuple[str, str], tuple[str, str]] = {}  # by (entry id, form): once, when weighed

    def _entry_words(self, entry: Entry) -> tuple[_Form, ...]:
        """The entry's target words with their keys (once per entry)."""
        forms = self._forms.get(entry.id)
        if forms is None:
            forms = () if entry.type in WORD_TYPES else tuple(
                _Form(form, skeleton.key(form)) for form in word_forms(entry) if form.lower() not in self._english)
            self._forms[entry.id] = forms
        return forms

    def _target(self, entry: Entry, form: str) -> tuple[str, str]:
        """The word of the entry's preferred Latin form that ``form`` stands for, and the Cyrillic
        word behind both."""
        target = self._targets.get((entry.id, form))
        if target is None:
            target = self._targets[entry.id, form] = (_preferred_word(entry.latin, form),
                                                      _cyrillic_word(entry.cyrillic, entry.aliases, form))
        return target

    def _tables_data(self, entries: list[Entry]) -> dict[str, Any]:
        """:meth:`_Tables.build` for the in-memory entries: once per set of glossary files, then
        from the user's cache (see normkit.buildcache); built afresh if the cached one was made
        for other entries."""
        files = self.gazetteer.files
        if files is None:
            return _Tables.build(entries)
        table: dict[str, Any] = cached("candidate-tables", FORMS_VERSION, files, lambda: _Tables.build(entries),
                                        check=_is_tables_data)
        if list(table.get("ids", ())) != [e.id for e in entries]:
            table = _Tables.build(entries)
        return table

    def _prepare(self) -> _Tables:
        """The tables, and the gazetteer's skeleton index registered (once; again after it was
        dropped)."""
        tables = self._tables
        if tables is not None and self.gazetteer.has_index(INDEX, INDEX_VERSION):
            return tables
        if tables is None:
            entries = list(self.gazetteer.memory_entries())
            tables = self._tables = _Tables(entries, self._tables_data(entries), self._english)
        memory = tables

        def keys(entry: Entry) -> list[str]:  # a store's entries are not in the tables
            i = memory.position.get(entry.id)
            return memory.keys(i) if i is not None and memory.entries[i] is entry else entry_keys(entry)

        if not self.gazetteer.has_index(INDEX, INDEX_VERSION):
            entries = memory.entries
            current = list(self.gazetteer.memory_entries())
            prebuilt = None
            if len(current) == len(entries) and all(a is b for a, b in zip(current, entries)):
                # the in-memory part from the tables: no entry's keys worked out again
                prebuilt = {key: [entries[i] for i in found] for key, found in memory.by_key_positions.items()}
            self.gazetteer.add_index(INDEX, keys, INDEX_VERSION, memory=prebuilt)
        return tables

    def prepare(self) -> None:
        """Load (or build) the candidate tables now rather than on the first lookup."""
        self._prepare()

    def _near_lists(self) -> dict[str, list[Entry]]:
        """The in-memory entries by their keys of at least MIN_NEAR_KEY consonants and those keys'
        deletions (for :meth:`scan_candidates` only)."""
        if self._near is None:
            tables = self._prepare()
            near: dict[str, list[Entry]] = {}
            for i, entry in enumerate(tables.entries):
                for key in dict.fromkeys(tables.keys(i)):
                    for k in (key, *_one_off(key)) if _one_off(key) else ():
                        near.setdefault(k, []).append(entry)
            self._near = near
        return self._near

    def has_neighbours(self, word: str) -> bool:
        """A cheap first look: does any entry's key equal the word's canonical key, or lie one
        consonant off it? (No reading of its ambiguous letters, no candidate built.)"""
        tables = self._prepare()
        key = skeleton.key(word)
        if self.gazetteer.by_key(INDEX, key):
            return True
        if any(tables.is_near(probe) for probe in (key, *_one_off(key))):
            return True
        # Letters other schemes use (GOST's x and j, German j): their other readings'
        # keys, exactly (Pervomajskij, Nerexta). Most words have none of these letters.
        return bool(_OTHER_SCHEME_LETTERS.search(word)) and any(
            self.gazetteer.by_key(INDEX, k) for k in skeleton.query_keys(word)[1:])

    def _candidates(self, word: str) -> tuple[Candidate, ...]:
        """Every entry word the skeleton keys of ``word`` reach (see :meth:`_search`)."""
        return self._search(word, None)[0]

    def _weighable(self, word: str, least: float) -> tuple[tuple[Candidate, ...], frozenset[str]]:
        """:meth:`candidates` without those a decision never weighs (not a person and less than
        ``least`` alike), in the same order, and the ids of the entries every candidate names.
        Most candidates of a short key are such far places: none of them is built."""
        return self._search(word, least)

    def _search(self, word: str, least: float | None) -> tuple[tuple[Candidate, ...], frozenset[str]]:
        """Every entry word the skeleton keys of ``word`` reach, exactly or one consonant off, and
        alike enough to weigh (its similarity at least MIN_SIMILARITY): the same candidates, in
        the same order, as :meth:`scan_candidates`, found by hash probes and weighed in one
        compiled call per reading."""
        tables = self._prepare()
        keys = skeleton.query_keys(word)
        readings = skeleton.fine_readings(word)
        flat, flat_pos, entries = tables.flat, tables.flat_pos, tables.entries
        key_set = set(keys)
        # 1. Entries filed under one of the word's keys, ranked; each word of theirs whose key is
        # one of the word's, once: in-memory words by flat position, a store's words as candidates.
        events: list[tuple[int, int] | Candidate] = []
        seen: set[int] = set()
        stored = self.gazetteer.store is not None
        seen_stored: set[tuple[str, str]] = set()
        for k in keys:
            size = len(k.lstrip("A"))
            if size < 1:
                continue
            if stored:
                reached: list[int] = []
                for entry in self.gazetteer.by_key(INDEX, k):
                    i = tables.position.get(entry.id)
                    if i is not None and entries[i] is entry:
                        reached.append(i)
                    else:  # a store's entry: its words weighed here
                        found_here: list[Candidate] = []
                        self._scan_entry(entry, lambda w: w.key in key_set, size, readings, seen_stored, found_here)
                        events.extend(found_here)
                        continue
                    self._reach(tables, i, key_set, size, seen, events)
            else:
                for i in tables.by_key(self.gazetteer, k):
                    self._reach(tables, i, key_set, size, seen, events)
        # 2. In-memory words one consonant off a key (by the deletion index), for each key in turn.
        near_keys = [(k, deletes) for k in keys for deletes in (_one_off(k),) if deletes]
        # Excluded rows (no target) are dropped with the few alike enough, not from these hundreds.
        hits_by_key = [tables.index.one_edit(k) for k, _ in near_keys]
        looked = list(seen.union(*hits_by_key))  # in any order: the similarities are by row
        # By row, the similarities near the floor or above (the rest are not weighed: 0.0).
        similarity = self._similarities(readings, tables.fines, looked)
        # Words too unlike to weigh give no candidate wherever they are reached: left out here.
        alike = {t for t, sim in similarity.items() if sim >= MIN_SIMILARITY} - tables.excluded
        for (k, deletes), hits in zip(near_keys, hits_by_key):
            hits &= alike
            hits -= seen
            if not hits:
                continue
            probes: dict[str, int] = {}
            for r, probe in enumerate((k, *deletes)):
                probes.setdefault(probe, r)
            order = []
            ranked = list(probes.items())  # in rank order: the first the entry is filed under is its rank
            for t in hits:
                filed = tables.near(flat_pos[t])
                # the entry is in one of the near lists the key probes, the first at this rank (a
                # walk over the key's few probes, not over the entry's many)
                rank = next((r for p, r in ranked if p in filed), None)
                if rank is not None:
                    order.append((rank, flat_pos[t], t))
            order.sort()
            size = len(k.lstrip("A"))
            for _, _, t in order:
                seen.add(t)
                events.append((t, size))
        found: list[Candidate] = []
        ids: set[str] = set()
        for event in events:
            if isinstance(event, Candidate):
                ids.add(event.entry.id)
                if least is None or event.similarity >= least or event.entry.type == "person":
                    found.append(event)
                continue
            t, size = event
            sim = similarity.get(t, 0.0)
            if sim >= MIN_SIMILARITY:
                entry = entries[flat_pos[t]]
                ids.add(entry.id)
                if least is not None and sim < least and entry.type != "person":
                    continue
                form, _, fine, output, cyrillic = flat[t]
                found.append(Candidate(entry, form, output, cyrillic, size, sim,
                                       ratio(readings[0], fine) / 100 < sim - FOREIGN_MARGIN))
        return tuple(found), frozenset(ids)

    @staticmethod
    def _reach(tables: _Tables, i: int, key_set: set[str], size: int, seen: set[int],
               events: list[tuple[int, int] | Candidate]) -> None:
        """The entry's words whose key is one of the word's, not looked at yet, in its form order."""
        flat, excluded = tables.flat, tables.excluded
        for t in range(tables.first[i], tables.last[i]):
            if t not in seen and flat[t][1] in key_set and t not in excluded:
                seen.add(t)
                events.append((t, size))

    @staticmethod
    def _similarities(readings: tuple[str, ...], fines: list[str], rows: list[int]) -> dict[int, float]:
        """The best ratio (0..1) of each row's fine form to the readings, the max of ``ratio(r,
        fine) / 100`` over the readings, exactly, for the rows where it comes near MIN_SIMILARITY;
        rows left out are too unlike to weigh (0.0). Rows reached number hundreds for a short key:
        their forms are picked and compared in C, and only the few alike enough come back."""
        best: dict[int, float] = {}
        if not rows:
            return best
        choices = list(map(fines.__getitem__, rows))
        # The cutoff only drops scores that cannot reach the floor; the floor itself is applied
        # afterwards, on the same division the loop in scan_candidates does.
        cutoff = MIN_SIMILARITY * 100 - _CUTOFF_SLACK
        for reading in readings:
            for _, score, index in extract(reading, choices, scorer=ratio, limit=None, score_cutoff=cutoff):
                value = score / 100
                row = rows[index]
                if value > best.get(row, 0.0):
                    best[row] = value
        return best

    def _scan_entry(self, entry: Entry, accepts: Callable[[_Form], bool], size: int, readings: tuple[str, ...],
                    seen: set[tuple[str, str]], found: list[Candidate]) -> None:
        """One entry's words that ``accepts`` takes, weighed (the loop :meth:`scan_candidates` runs)."""
        for w in self._entry_words(entry):
            if (entry.id, w.form) in seen or not accepts(w):
                continue
            seen.add((entry.id, w.form))
            fine = skeleton.fine(w.form)
            scores = [ratio(r, fine) / 100 for r in readings]
            best = max(scores)
            if best >= MIN_SIMILARITY:
                output, cyrillic = self._target(entry, w.form)
                found.append(Candidate(entry, w.form, output, cyrillic, size, best,
                                       scores[0] < best - FOREIGN_MARGIN))

    def scan_candidates(self, word: str) -> tuple[Candidate, ...]:
        """:meth:`candidates` as a loop over every entry the word's keys reach (exactly, then
        through the near lists) and each of its words: the reference the index must equal."""
        near = self._near_lists()
        keys = skeleton.query_keys(word)
        readings = skeleton.fine_readings(word)
        found: list[Candidate] = []
        seen: set[tuple[str, str]] = set()
        scored: dict[str, tuple[float, bool]] = {}  # by form: many villages share a name

        def add(entries: list[Entry], accepts: Callable[[_Form], bool], size: int) -> None:
            for entry in entries:
                self._scan_entry(entry, accepts, size, readings, seen, found)

        key_set = set(keys)
        for k in keys:
            size = len(k.lstrip("A"))
            if size >= 1:
                add(self.gazetteer.by_key(INDEX, k), lambda w: w.key in key_set, size)
        for k in keys:
            deletes = _one_off(k)
            if not deletes:
                continue
            own = frozenset(deletes)

            def one_off(w: _Form, k: str = k, own: frozenset[str] = own) -> bool:
                """Is the entry's key k with a letter added, left out, changed, or k itself?"""
                if w.key in key_set or w.key in own:
                    return True
                theirs = _deletes(w.key)
                return k in theirs or not own.isdisjoint(theirs)

            for probe in (k, *deletes):  # k itself: the entry's key is k plus one letter
                add(near.get(probe, []), one_off, len(k.lstrip("A")))
        return tuple(found)

    def _rule_candidates(self, word: str) -> tuple[Candidate, ...]:
        """Entries a rule table's reading of ``word`` names exactly (Samare -> Samara, Bilhorod ->
        Belgorod): exact lookups only, so a reading costs a hash probe."""
        found: list[Candidate] = []
        seen: set[str] = set()
        readings = skeleton.fine_readings(word)
        for table in RULE_TABLES:
            for form in rule_readings(word, table):
                for entry in self.gazetteer.lookup(form):
                    if entry.id in seen or entry.type in WORD_TYPES:
                        continue
                    words = [w for w in self._entry_words(entry) if w.form.lower() == form]
                    if not words:
                        continue
                    seen.add(entry.id)
                    fine = skeleton.fine(words[0].form)
                    best = max(ratio(r, fine) / 100 for r in readings)
                    output, cyrillic = self._target(entry, words[0].form)
                    found.append(Candidate(entry, words[0].form, output, cyrillic, len(words[0].key.lstrip("A")),
                                           best, False, table))
        return tuple(found)
