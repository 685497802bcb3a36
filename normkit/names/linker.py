"""The name stage as an entity linker: mentions, a knowledge check, candidates, evidence, a decision.

1. **Mentions**: the capitalised words of Latin text that are not plain English (one set
   difference), each distinct word looked at once.
2. **Known?** (:mod:`.known`): a word that is an accepted spelling of a real name or word stays as
   written. Only a person named with their given name may still be corrected, by the people glossary.
3. **Candidates** (:mod:`.candidates`): gazetteer entries under the word's skeleton keys.
4. **Evidence** (:mod:`.features`): named features of the word, the candidate and the cues around
   each occurrence (:mod:`.context`).
5. **Decision** (:mod:`.model`): a fitted logistic model gives each candidate a probability; the
   best one is applied at the model's ``apply`` threshold, suggested at its ``suggest`` threshold,
   and otherwise only explained.
Every decision carries its evidence, so ``clean(..., explain=True)`` can say why.
"""
from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, field, replace
from typing import Callable, Container, Iterable, Iterator, Mapping

from rapidfuzz.fuzz import ratio

from .. import skeleton
from ..gazetteer import Entry, Gazetteer
from ..context import TextContext
from ..scripts import LATIN
from ..transliteration import CYRILLIC_RE, romanize
from ..types import Edit
from .candidates import WORD_TYPES, Candidate, CandidateIndex, significant_words, word_forms
from .context import Cues, cues_at, pooled
from .district_forms import district_form_fixes, district_stems, districts_by_region, mentions_a_district
from .features import DEAR_FEATURES, EXCLUSIVE_FEATURES, Rivalry, dear_features, features, suggest_only
from .known import KnownWords
from .spellings import is_accepted, variant_key
from .model import Evidence, NameModel
from .readings import RULE_TABLES, calque_readings, calque_words, in_some_scheme, rule_readings

# A capitalised Latin word; ALA-LC's i͡a ligature, ISO's ʹ and BGN's ’ may sit inside or end it.
_LATIN_CAPITALS = "".join(c for c in map(chr, range(0xC0, 0x250)) if c.isupper())
# The capital first, then the look-behind over it (not a word's inner capital): the same matches as
# a look-behind first, found about three times as fast, since most positions fail at the first class.
CAPITALISED_RE = re.compile(
    rf"[A-Z{_LATIN_CAPITALS}](?<![\w’'-].)[A-Za-z\u00C0-\u024F\u0300-\u036F’'ʹʺ·-]*"
    r"[a-z\u00DF-\u024F\u0300-\u036Fʹʺ]"  # not ’: after a word it closes a quote
    r"(?:[’']s)?(?![\w-])")
# House styles write names in capitals (KIRISHI): a word of six or more capitals is a mention too
# (shorter ones are mostly acronyms: USOC, FSB); a fix keeps the capitals.
MIN_CAPITALS = 6
_CAPITALS_RE = re.compile(rf"[A-Z](?<![\w’'-].)[A-Z]{{{MIN_CAPITALS - 1},}}(?![\w’'-])")
_CAPITALS_RUN_RE = re.compile(f"[A-Z]{{{MIN_CAPITALS}}}")  # a cheap first look: most texts have none
MENTION_RE = re.compile(CAPITALISED_RE.pattern + "|" + _CAPITALS_RE.pattern)  # either kind, in one pass
MIN_LENGTH = 4          # shorter capitalised words (Zim, Oka) are too often something else
MIN_SIMILARITY = 0.7    # candidates less alike than this are not weighed at all
SPELLING_MIN_SIMILARITY = 0.85  # an accepted spelling of a name is at least this alike to a listed one
RIVAL_GAP = 0.03        # two names this close in similarity are rivals
RULE_MIN_SIMILARITY = 0.5    # a candidate a rule table's reading names exactly may be this far off as written
PERSON_MIN_SIMILARITY = 0.6  # with the person's own given name before it, a surname may be further off
VARIANT_CONFIDENCE = 0.95    # a known spelling rewritten into the house spelling (normalize=True)
CALQUE_CONFIDENCE = 0.5      # "Lower Tagil" for Nizhny Tagil: suggested, never applied by default
CONTEXT_FIX_CONFIDENCE = 0.6  # "<district> district of <Y>" with the wrong city named
_DISTRICTS = frozenset({"district", "city_district"})
# English endings that make a name into an adjective, a people or a plural (Karelia-n, Turk-ic).
# "" stands for the name minus its -ia: Kalmyk (Kalmykia), Kabardino-Balkar (Kabardino-Balkaria).
_DERIVATIONS = ("ians", "ian", "ans", "an", "ns", "n", "ese", "ics", "ic", "ites", "ite", "s", "i", "")
_CONTRACTION_RE = re.compile(r"[’'](?:re|ll|ve|d|t|m)$")  # We’re, It’ll: English
_SURNAME_FORM_RE = re.compile(r"(?:ova|eva|yova|ina|yna|oy|omu|ym|om)$")  # Kuyvasheva, Kuyvashevu
_DISTRICT_WORD_RE = re.compile(r"(?:sky|skiy|skii|ski|skoy|sk)$")  # adjectives that name districts
_CALQUE_RE = re.compile(r"\b(?:" + "|".join(w.capitalize() for w in calque_words()) + r")\s+[A-Z][a-z’'-]+(?:\s+[A-Z][a-z’'-]+)?")
CONTEXT_CHARS = 1500  # a word's context: what the text names this close to it
# Floating-point room for the bound on a candidate's chance (sums in another order): a bound this
# close below the best chance found still has its dear features worked out.
BOUND_SLACK = 1e-6
_DISTRICT_AFTER_RE = re.compile(r"\s+(?:district|rayon|raion)\b", re.IGNORECASE)


@dataclass(frozen=True)
class NameDecision:
    """What the name stage decided about one occurrence of one word."""

    start: int
    end: int
    word: str
    after: str | None      # the fix proposed (None: none)
    kind: str              # place_name, person_name or name_variant
    outcome: str           # applied, suggested, rejected
    confidence: float      # the model's probability that the fix is right
    reason: str
    evidence: tuple[Evidence, ...] = ()
    entry: Entry | None = None  # the gazetteer entry the fix reads the word as (its id goes on the Edit)

    def edit(self) -> Edit:
        """The fix as an edit of the text the stage read (a fix proposed: ``after`` is set), with
        its entry's id and canonical forms."""
        assert self.after is not None, "a decision without a fix is no edit"
        entry = self.entry
        return Edit(self.start, self.end, self.word, self.after, self.kind, self.confidence, self.reason,
                    *((entry.id, entry.latin, entry.cyrillic) if entry is not None else ()))

    def explain(self) -> str:
        """One line: the outcome, and the evidence for and against."""
        pro = [f"{e.feature}{'' if e.value == 1 else f'={e.value:.2f}'} {e.contribution:+.1f}"
               for e in self.evidence]
        return f"{self.word!r} -> {self.after!r}: {self.outcome} at {self.confidence:.2f}. {self.reason}" + (
            f" Evidence: {', '.join(pro)}." if pro else "")


@dataclass
class _Document:
    """What the text around a word says: the entries it names exactly (and their parents)."""

    mentioned: set[str] = field(default_factory=set)


class _Mentions:
    """The exact names of a text by position, to ask what is named near a span."""

    def __init__(self, mentions: list[tuple[int, Entry]]) -> None:
        self._starts = [s for s, _ in mentions]
        self._entries = [e for _, e in mentions]

    def near(self, start: int, end: int) -> set[str]:
        """Ids (and parents) of the entries named within CONTEXT_CHARS of text[start:end]."""
        lo = bisect.bisect_left(self._starts, start - CONTEXT_CHARS)
        hi = bisect.bisect_right(self._starts, end + CONTEXT_CHARS)
        out: set[str] = set()
        for entry in self._entries[lo:hi]:
            out.add(entry.id)
            out.update(entry.parents)
        return out

def _runs(starts: list[int]) -> Iterator[list[int]]:
    """Occurrences grouped into runs whose neighbours are at most CONTEXT_CHARS apart."""
    run = [starts[0]]
    for s in starts[1:]:
        if s - run[-1] > CONTEXT_CHARS:
            yield run
            run = []
        run.append(s)
    yield run


class NameLinker:
    """Finds and decides name fixes in Latin text. Owns its caches; built from its resources."""

    def __init__(self, gazetteer: Gazetteer, known: KnownWords, model: NameModel,
                 english: frozenset[str], foreign: frozenset[str], *, scheme: str | None = None,
                 normalize: bool = False, cache_size: int = 65536) -> None:
        self.gazetteer = gazetteer
        self.known = known
        self.model = model
        self.index = CandidateIndex(gazetteer, english, cache_size)
        self._english = english
        self._english_capitalised = _capitalised(english)
        self._foreign = foreign
        self._scheme = scheme
        self._normalize = normalize
        self._classify = functools.lru_cache(maxsize=cache_size)(self._classify_word)
        self._district_words: dict[str, list[Entry]] | None = None
        self._district_stems: dict[str, list[Entry]] | None = None
        self._districts_by_region: dict[str, list[tuple[str, Entry]]] = {}

    # ------------------------------------------------------------ 1-2: mentions, known words

    def words_to_check(self, text: str) -> frozenset[str]:
        """The capitalised words of ``text`` that are not plain English."""
        return words_to_check(text, self._english_capitalised)

    def _classify_word(self, word: str) -> tuple[str, Entry | None]:
        """("exact", entry) a name the gazetteer lists as written; ("known", None) an accepted
        spelling of some real word; ("doubtful", None) worth a lookup; ("skip", None)."""
        exact = self.gazetteer.lookup(word) or ("-" in word and self.gazetteer.lookup(word.replace("-", " ")))
        if exact:
            return "exact", exact[0]
        lower = word.lower()
        if lower in self._english or lower in self._foreign or _CONTRACTION_RE.search(lower):
            return "skip", None
        # A word no gazetteer name is near can be neither corrected nor corrected to: no need to ask
        # whether it is right (the dear part), and no known form of an official's name to read.
        if not self.index.has_neighbours(word):
            return "skip", None
        if self.known.is_known(word) or self._derived(word):
            return "known", None
        if len(word) < MIN_LENGTH:
            return "skip", None
        if self._spells_an_entry(word):  # the candidates a doubtful word needs anyway
            return "known", None
        return "doubtful", None

    def _spells_an_entry(self, word: str) -> bool:
        """Is the word an accepted spelling of a gazetteer name its candidates reach, a store's
        village included (the known-word tables hold only the glossaries' names)? A right name is
        not a misspelling of its neighbour. Unless names are normalised, an English variant of a
        listed spelling (Karachai-Cherkess for Karachay-Cherkess: :func:`variant_key`) is right too."""
        parts = None if self._normalize else [variant_key(p) for p in word.split("-")]
        for c in self.index.weighable(word, min(MIN_SIMILARITY, SPELLING_MIN_SIMILARITY))[0]:
            if c.similarity < SPELLING_MIN_SIMILARITY:
                continue
            if c.cyrillic and is_accepted(word, c.cyrillic):
                return True
            if parts is not None and _variant_of(parts, c.entry):
                return True
        return False

    def _derived(self, word: str) -> bool:
        """Is the word an English derivative of a known name or word: Karelian (Karelia), Crimean,
        Kalmyk (Kalmykia), Turkic (Turk), or the plural of a surname (the Sakharovs)?"""
        lower = word.lower()
        if any(e.type in WORD_TYPES for e in self.gazetteer.lookup(word + "s")):
            return True  # a singular English makes of a people's name in -s (Nenet, of Nenets)
        for suffix in _DERIVATIONS:
            if not lower.endswith(suffix) or len(lower) - len(suffix) < 3:
                continue
            stem = word[:len(word) - len(suffix)]
            if suffix == "s":  # a plural: of an English word or a family name, not of a place
                if stem.lower() in self._english or "surname" in self.known.classes(stem) or any(
                        e.type == "person" for e in self.gazetteer.lookup(stem)):
                    return True
                continue
            readable = self.known.may_begin(stem)  # else no base made from the stem reads back
            for base in ((stem, stem + "a", stem + "ia") if suffix else (stem + "ia", stem + "iya")):
                if base.lower() in self._english or self.gazetteer.lookup(base) or self.known.is_listed(base) or (
                        readable and self.known.is_known(base)):
                    return True
        return False

    # ------------------------------------------------------------ the whole stage

    def decide(self, text: str, *, rejected: bool = True) -> list[NameDecision]:
        """Every decision about the doubtful (and, with normalize, the variant) names of ``text``.

        What the text names within CONTEXT_CHARS of a word is its context; a word is decided once
        for each run of its occurrences (no two further apart than CONTEXT_CHARS), on the cues of
        all of them (one sense per discourse; a file of unrelated lines is no discourse).

        ``rejected=False``: the caller drops rejected decisions (cleaning without explain or review
        decisions), so none is returned, and they need not be found: a candidate whose chance, bounded with the dear
        features at their most favourable, stays below the ``suggest`` threshold is not weighed
        (:meth:`evidence`'s ``least``). The applied and suggested decisions are the same either way."""
        words = self.words_to_check(text)
        if not words:
            return []
        # The chance below which a decision is not wanted (None: every decision is).
        least = None if rejected or self._normalize else self.model.suggest
        look_at: dict[str, tuple[str, Entry | None]] = {}
        for whole in words:
            word = _stem(whole)
            kind, exact = self._classify(word)
            if exact is not None or kind == "doubtful" or (kind == "known" and (
                    self._normalize or self._may_be_a_form(word) or _DISTRICT_WORD_RE.search(word))):
                look_at[whole] = (kind, exact)
        if not look_at:
            return [d for d in self._calques(text) if rejected or d.outcome != "rejected"]
        mentions: list[tuple[int, Entry]] = []
        districts: list[tuple[int, int, Entry]] = []
        spots: dict[str, list[int]] = {}
        for start, whole in _occurrences(text, look_at):
            kind, exact = look_at[whole]
            if exact is not None:
                mentions.append((start, exact))
                if exact.type in _DISTRICTS:
                    districts.append((start, start + len(_stem(whole)), exact))
            else:
                spots.setdefault(_stem(whole), []).append(start)
        mentioned_at = _Mentions(mentions)
        # A decision, rejected ones included, keeps a calque out of its span (see below): a word
        # standing in one is decided in full.
        calques = [m.span() for m in _CALQUE_RE.finditer(text)] if least is not None else []
        decisions: list[NameDecision] = []
        for word, starts in spots.items():
            kind = self._classify(word)[0]
            if kind == "known":
                for s in starts:
                    district = self._district(text, s + len(word), word, mentioned_at.near(s, s))
                    if district is not None:
                        districts.append((s, s + len(word), district))
                if not (self._normalize or self._may_be_a_form(word)):
                    continue
            for run in _runs(starts):
                # One sense per discourse: decided once, on the cues of all occurrences in the run.
                document = _Document(mentioned_at.near(run[0], run[-1]))
                cues = pooled([self.cues(text, s, s + len(word)) for s in run])
                wanted = None if any(a <= s < b for s in run for a, b in calques) else least
                decided = self._decide_word(word, cues, document, known=kind == "known", least=wanted)
                if decided is not None:
                    decisions.extend(replace(decided, start=s, end=s + len(word)) for s in run)
        decisions += self._district_parent_fixes(text, districts)
        decisions = self._with_district_forms(text, decisions, mentions)
        taken = {d.start for d in decisions}
        decisions += [d for d in self._calques(text) if not taken.intersection(range(d.start, d.end))]
        return sorted((d for d in decisions if rejected or d.outcome != "rejected"), key=lambda d: d.start)

    def _calques(self, text: str) -> list[NameDecision]:
        """``Lower Tagil``: an English word for the Russian part of a name the gazetteer holds
        (Nizhny Tagil), the whole span replaced, in the gender the name has. Only suggested: an
        English form can be established (Big Taganay), and nothing here tells which."""
        out = []
        for match in _CALQUE_RE.finditer(text):
            words = match.group().split()
            for reading in calque_readings(words):
                entries = [e for e in self.gazetteer.lookup(reading) if e.type not in WORD_TYPES]
                if entries and not self.gazetteer.lookup(match.group()):
                    entry = entries[0]
                    out.append(NameDecision(match.start(), match.end(), match.group(), reading, "place_name",
                                            "suggested" if CALQUE_CONFIDENCE >= self.model.suggest else "rejected",
                                            CALQUE_CONFIDENCE, f"'{words[0]}' is English for the Russian part of "
                                            f"{_describe(entry, self.gazetteer)}: a calque.", entry=entry))
                    break
        return out

    def _may_be_a_form(self, word: str) -> bool:
        """Could this accepted spelling be an inflected form of a person's surname (Kuyvasheva)?"""
        return _SURNAME_FORM_RE.search(word) is not None and "surname" in self.known.classes(word)

    def cues(self, text: str, start: int, end: int) -> Cues:
        """The cues around one occurrence."""
        return cues_at(text, start, end, self.known.is_given_name, self._is_english)

    def _is_english(self, word: str) -> bool:
        """An English word that is not also a name the gazetteer holds (Moscow, Volga)."""
        return word.lower() in self._english and not self.gazetteer.lookup(word)

    # ------------------------------------------------------------ 3-5: one occurrence

    def _decide_word(self, word: str, cues: Cues, document: _Document, *, known: bool,
                     least: float | None = None) -> NameDecision | None:
        """The decision about ``word`` in this text (its span is the caller's to set). ``least``:
        candidates whose chance cannot reach it are not weighed (a decision below it is not
        wanted: the one made then may be another rejected one, or none)."""
        candidates = self.candidates_for(word, cues, known=known)
        if not candidates:
            return self._variant(0, len(word), word) if known and self._normalize else None
        scored = self._score(word, candidates, cues, document, least=least)
        if not scored:
            return None
        probability, candidate, values = scored[0]
        evidence = tuple(self.model.evidence(values))
        after = self._written(word, candidate)
        if after == word:
            return None
        kind = "person_name" if candidate.entry.type == "person" else "place_name"
        if self._normalize and candidate.entry.type != "person" and candidate.cyrillic and (
                is_accepted(word, candidate.cyrillic) or in_some_scheme(word, candidate.cyrillic)):
            # normalize_names: another scheme's spelling of this very name (GOST's Pervomajskij),
            # no slip in it: written in the house form, as a known variant is
            return NameDecision(0, len(word), word, after, "name_variant", "applied", VARIANT_CONFIDENCE,
                                f"'{word}' is another scheme's spelling of {candidate.entry.cyrillic}; written in "
                                f"its house form {after} (normalize).", evidence)
        outcome = self.model.outcome(probability)
        reason = f"'{word}' read as {_describe(candidate.entry, self.gazetteer)}."
        if outcome == "applied" and suggest_only(values):
            outcome = "suggested"
            reason += " Another scheme's established form of the name: suggested, not applied."
        return NameDecision(0, len(word), word, after, kind, outcome, round(probability, 3), reason, evidence,
                            candidate.entry)

    def _score(self, word: str, candidates: Iterable[Candidate], cues: Cues, document: _Document, *,
               least: float | None = None) -> list[tuple[float, Candidate, dict[str, float]]]:
        """Each candidate's probability, best first (one per output word)."""
        scored: dict[str, tuple[float, Candidate, dict[str, float]]] = {}
        for candidate, values in self.evidence(word, candidates, cues, document, bound=True, least=least):
            name = _name_key(candidate.output)
            probability = self.model.probability(values)
            best = scored.get(name)
            if best is None or (probability, -candidate.entry.population) > (best[0], -best[1].entry.population):
                scored[name] = (probability, candidate, values)
        return sorted(scored.values(), key=lambda s: (-s[0], -s[1].entry.population, s[1].entry.id))

    def evidence(self, word: str, candidates: Iterable[Candidate], cues: Cues, document: _Document,
                 *, bound: bool = False, least: float | None = None) -> list[tuple[Candidate, dict[str, float]]]:
        """The features of each candidate close enough to weigh.

        ``bound``: only the candidates that may be the best one: a candidate whose chance, with the
        dear features (:data:`DEAR_FEATURES`) at their most favourable, stays below the chance of a
        candidate already weighed in full is left out before they are worked out. The best
        candidate, its chance and its evidence are what weighing all of them gives (the decision
        uses only the best); most candidates of a word are far behind it. ``least`` (with ``bound``):
        a candidate whose best possible chance is below it is left out too."""
        sims: dict[Candidate, float] = {}
        for candidate in candidates:
            sim = candidate.similarity
            floor = PERSON_MIN_SIMILARITY if candidate.entry.type == "person" else MIN_SIMILARITY
            if sim >= floor or (candidate.reading and sim >= RULE_MIN_SIMILARITY):
                sims[candidate] = sim
        if not sims:
            return []
        people_list = bool(cues.list_items) and any(
            {"surname", "given_name"} & self.known.classes(item) for item in cues.list_items)
        by_name: dict[str, float] = {}
        for candidate, sim in sims.items():
            name = _name_key(candidate.output)
            by_name[name] = max(by_name.get(name, 0.0), sim)
        foreign_beside = any(not self._is_english(w) and not self.known.is_known(w) and not self.gazetteer.lookup(w)
                             and self._classify(w)[0] != "known" for w in cues.names_beside)
        headroom = _dear_headroom(self.model, word) if bound else None
        rows: list[tuple[Candidate, dict[str, float]]] = []
        for candidate, sim in sims.items():
            name = _name_key(candidate.output)
            others = [s for n, s in by_name.items() if n != name]
            rivalry = Rivalry(sum(1 for s in others if s >= sim - RIVAL_GAP),
                              sim - max(others, default=MIN_SIMILARITY))
            mentioned = candidate.entry.id in document.mentioned or bool(
                document.mentioned.intersection(candidate.entry.parents))
            rows.append((candidate, features(word, candidate, cues, mentioned=mentioned, rivalry=rivalry,
                                             people_list=people_list, foreign_name_beside=foreign_beside,
                                             dear=headroom is None)))
        if headroom is None:
            return rows
        # Branch and bound: candidates by their best possible chance, the dear features worked out
        # until no candidate left could beat (or tie) the best one found.
        most = [self.model.chance(self.model.log_odds(values) + self.model.scale * headroom) for _, values in rows]
        best = -1.0 if least is None else least
        weighed: list[int] = []
        for i in sorted(range(len(rows)), key=lambda i: -most[i]):
            if most[i] < best - BOUND_SLACK:
                break
            candidate, values = rows[i]
            values.update(dear_features(word, candidate))
            best = max(best, self.model.probability(values))
            weighed.append(i)
        return [rows[i] for i in sorted(weighed)]

    def candidates_for(self, word: str, cues: Cues, *, known: bool) -> tuple[Candidate, ...]:
        """The candidates the policy lets the model weigh for ``word`` with these cues."""
        # Places less alike than evidence() weighs are left out here (never weighed, never built);
        # the entries they name still keep a rule table's reading of the same entry out.
        found, have = self.index.weighable(word, MIN_SIMILARITY)
        if not known:  # a rule table's reading naming an entry the keys missed (Samare: Samara)
            found = found + tuple(c for c in self.index.rule_candidates(word) if c.entry.id not in have)
        # Many candidates share an output word (villages share names): each asked about once.
        adjectives = {output: _adjective_of(output, word) for output in {c.output for c in found}}
        candidates = tuple(c for c in found
                           if (c.entry.type != "person" or _is_surname(c))  # Vassili is no Vasily Anokhin
                           and not adjectives[c.output])  # Ust-Kut is no misspelt Ust-Kutsky
        if known:
            # An accepted spelling stays, unless it is a form of the surname of a person named by
            # their given name, whom the people glossary knows (Yevgeny Kuyvasheva: Kuyvashev).
            forms = [k.cyrillic for k in self.known.known_as(word) if k.cyrillic]
            return tuple(c for c in candidates if c.entry.type == "person" and _given_name_of(c.entry, cues)
                         and c.cyrillic and not is_accepted(word, c.cyrillic)
                         and any(f != c.cyrillic and f.startswith(c.cyrillic) for f in forms))
        if cues.person:
            # Person context wins: only the people glossary may correct a person's name.
            return tuple(c for c in candidates if c.entry.type == "person")
        if cues.names_beside and not cues.place_preposition and not cues.type_hint & _SETTLEMENT_TYPES:
            # Beside another name and with no sign of a place, a surname (Glazhev) is no lost
            # ending of the village named after the family (Glazhevo, Glazhevka).
            return tuple(c for c in candidates if c.entry.type == "person" or not _village_of_surname(word, c.output))
        return candidates

    def evidence_at(self, text: str, start: int, end: int) -> list[tuple[Candidate, dict[str, float]]]:
        """The candidates the model would weigh for ``text[start:end]`` and their features (for
        training and inspection); empty when the word is English, foreign, short or already right."""
        word = text[start:end]
        kind, _ = self._classify(word)
        if kind not in ("doubtful", "known"):
            return []
        document = self.document(text)
        cues = self.cues(text, start, end)
        candidates = self.candidates_for(word, cues, known=kind == "known")
        return self.evidence(word, candidates, cues, document)

    def document(self, text: str) -> _Document:
        """What a (short) text names exactly: the context of every word in it."""
        document = _Document()
        for whole in self.words_to_check(text):
            _, exact = self._classify(_stem(whole))
            if exact is not None:
                document.mentioned.add(exact.id)
                document.mentioned.update(exact.parents)
        return document

    def _written(self, word: str, candidate: Candidate) -> str:
        """The fix as written: the preferred form (or the asked-for scheme), in the word's case."""
        form = candidate.output
        if self._scheme is not None and candidate.cyrillic:
            form = romanize(candidate.cyrillic, self._scheme)
        if len(word) > 1 and word.isupper():
            return form.upper()
        return form[:1].upper() + form[1:] if word[:1].isupper() else form

    def _variant(self, start: int, end: int, word: str) -> NameDecision | None:
        """normalize=True: an accepted spelling of a gazetteer name, rewritten in its house form."""
        for known in self.known.known_as(word):
            if not known.cyrillic:
                continue
            for entry in self.gazetteer.lookup(known.cyrillic):
                words = significant_words(entry.latin)
                if len(words) != 1 or words[0].lower() == word.lower():
                    continue
                after = words[0].upper() if word.isupper() else words[0]
                return NameDecision(start, end, word, after, "name_variant", "applied", VARIANT_CONFIDENCE,
                                    f"'{word}' is an accepted spelling of {entry.cyrillic}; written in "
                                    f"its house form {words[0]} (normalize).", entry=entry)
        return None

    def _district(self, text: str, end: int, word: str, mentioned: set[str]) -> Entry | None:
        """The district a correctly written word followed by "district" names, when the text says
        which (two Traktorozavodsky districts and no city named: none)."""
        if not _DISTRICT_AFTER_RE.match(text, end):
            return None
        if self._district_words is None:  # each district by the words of its names, built once
            by_word: dict[str, list[Entry]] = {}
            for entry in self.gazetteer.memory_entries():
                if entry.type in _DISTRICTS:
                    for w in word_forms(entry):
                        by_word.setdefault(w.lower(), []).append(entry)
            self._district_words = by_word
        entries = list({e.id: e for e in self._district_words.get(word.lower(), ())}.values())
        entries.sort(key=lambda e: (not mentioned.intersection(e.parents), -e.population, e.id))
        if len(entries) > 1 and not mentioned.intersection(entries[0].parents):
            return None
        return entries[0] if entries else None

    def _with_district_forms(self, text: str, decisions: list[NameDecision],
                             mentions: list[tuple[int, Entry]]) -> list[NameDecision]:
        """``decisions`` with the words before a district word that are a district's adjective in
        another form (:mod:`.district_forms`) decided as such, unless already fixed otherwise."""
        if not mentions_a_district(text):
            return decisions  # nothing to read (and the districts' stems are not made: ~30 ms)
        if self._district_stems is None:
            self._district_stems = district_stems(
                (e for e in self.gazetteer.memory_entries() if e.type in _DISTRICTS), word_forms)
            self._districts_by_region = districts_by_region(self._district_stems)
        near = _Mentions(mentions).near  # what the text names within CONTEXT_CHARS of a word
        found = district_form_fixes(text, self._district_stems, listed=self.gazetteer.lookup,
                                    is_english=self._is_english, mentioned=near, forms=word_forms,
                                    by_region=self._districts_by_region)
        if not found:
            return decisions
        applied = {d.start for d in decisions if d.outcome == "applied"}
        found = [f for f in found if f.start not in applied]
        replaced = {f.start for f in found}
        out = [d for d in decisions if d.start not in replaced]
        out += [NameDecision(f.start, f.end, f.word, f.after, "place_name", self.model.outcome(f.confidence),
                             f.confidence, f.reason, entry=f.entry) for f in found]
        return out

    def _district_parent_fixes(self, text: str, found: list[tuple[int, int, Entry]]) -> list[NameDecision]:
        """``<district> district of <Y>`` where the district's city is not Y: flag Y, fix it to the
        city (Traktorozavodskiy district of Volga -> Volgograd)."""
        out = []
        for start, end, entry in found:
            follow = re.match(r"\s+(?:district|rayon|raion|okrug)\s+(?:of|in)\s+([A-Z][\w’'-]+)", text[end:end + 60])
            if not follow:
                continue
            named = _stem(follow.group(1))  # the possessive stays: Region’s
            parents = [p for p in self.gazetteer.parents(entry) if p.type in ("city", "town", "region")]
            if not parents or any(named.lower() == w.lower() for p in parents for w in word_forms(p)):
                continue
            parent = parents[0]
            target = parent.latin.split()[0]
            short, full = skeleton.fine(named), skeleton.fine(target)
            if ratio(short, full[:len(short)]) < 75 and ratio(short, full) < 75:  # Volga ~ Volgo(grad)
                continue
            where = end + follow.start(1)
            other = self.gazetteer.lookup(named)
            what = (f"'{named}' is the {other[0].type.replace('_', ' ')} {other[0].cyrillic}" if other
                    else f"'{named}' names no place that contains it")
            reason = (f"{entry.cyrillic} ({entry.latin}) is a district of {parent.latin} ({parent.cyrillic}); "
                      f"{what}. A context fix, made with lower confidence.")
            outcome = "applied" if CONTEXT_FIX_CONFIDENCE >= self.model.suggest else "rejected"
            out.append(NameDecision(where, where + len(named), named, target, "place_name", outcome,
                                    CONTEXT_FIX_CONFIDENCE, reason, entry=parent))
        return out


# What Russian adds to a place's name to make its adjective, as English writes it: Кириши ->
# Киришский (Kirishi, Kirishsky), Усть-Кут -> Усть-Кутский, Бирилюссы -> Бирилюсский.
_ADJECTIVE_TAIL_RE = re.compile(r"(?:s?k(?:iy|ii|yy|yi|y|i|oy|oi|aya|aia|oye|oe|oie)|n(?:yy|yi|iy|y|aya|oye))$")


def _dear_headroom(model: NameModel, word: str) -> float | None:
    """The most the :data:`DEAR_FEATURES` (each 0 or 1) can add to the model's raw log-odds for
    ``word``: each positive weight, the best of each group that never holds together, and a rule
    table's feature only where the table reads the word some way. None when the bound would not be
    one (a model whose calibration turns the scale round)."""
    if model.scale <= 0:
        return None
    weights = dict(zip(model.features, model.weights))
    grouped = {f for group in EXCLUSIVE_FEATURES for f in group}
    silent = {f"rule_{table}" for table in RULE_TABLES if not rule_readings(word, table)}  # always 0 here
    headroom = sum(max(weights.get(f, 0.0), 0.0) for f in DEAR_FEATURES if f not in grouped and f not in silent)
    headroom += sum(max(0.0, *(weights.get(f, 0.0) for f in group)) for group in EXCLUSIVE_FEATURES)
    return headroom


def _adjective_of(target: str, word: str) -> bool:
    """Is ``target`` the adjective made from the place name ``word`` (the word whole, without its last
    vowel or without its -sk, then -sky/-skaya/-skoye...: Ust-Yansk, Ust-Yansky)? Then the word is the place a district or an
    estate is named after, not a misspelling of it."""
    t, w = target.lower(), word.lower()
    if len(w) < 3 or not t.startswith(w[:-1]):
        return False
    for stem in (w, w[:-1] if w[-1] in "aeiouy" else None, w[:-2] if w.endswith("sk") else None):
        if stem and t.startswith(stem) and len(t) > len(stem) and _ADJECTIVE_TAIL_RE.fullmatch(t[len(stem):]):
            return True
    return False


_SURNAME_END_RE = re.compile(r"(?:ov|ev|yov|ëv|in|yn)$")
_SETTLEMENT_TYPES = frozenset({"village", "city", "town"})


def _village_of_surname(word: str, target: str) -> bool:
    """Is ``target`` the village named after the family ``word`` (Glazhev: Glazhevo, Glazhevka)?"""
    w, t = word.lower(), target.lower()
    return _SURNAME_END_RE.search(w) is not None and t in (w + "o", w + "ka")


def _variant_of(parts: list[str], entry: Entry) -> bool:
    """Does each hyphen-separated part (as :func:`variant_key`s) match the same part of one of the
    entry's listed spellings (Karachaevo-Cherkessia: Karachayevo-Cherkesiya's first part,
    Karachay-Cherkessia's second)?"""
    forms = [[variant_key(p) for p in form.split("-")] for form in word_forms(entry)]
    forms = [f for f in forms if len(f) == len(parts)]
    return bool(forms) and all(any(f[i] == part for f in forms) for i, part in enumerate(parts))


def _given_name_of(entry: Entry, cues: Cues) -> bool:
    """Is a word right before the word this person's given name?"""
    return bool(cues.given_names & {n.split()[0].lower() for n in (entry.latin, *entry.aliases) if " " in n})


def _is_surname(candidate: Candidate) -> bool:
    """Is the candidate word a person's surname (the last word of their name), not a given name?"""
    words = significant_words(candidate.entry.latin)
    return not words or skeleton.key(candidate.form) == skeleton.key(words[-1]) or candidate.form not in {
        w for name in (candidate.entry.latin, *candidate.entry.aliases) for w in name.split()[:-1]}


def _name_key(word: str) -> str:
    return skeleton.fine(word)


def _stem(word: str) -> str:
    return word[:-2] if word[-2:-1] in ("’", "'") and word[-1] == "s" else word  # Kadyrov’s


def _describe(entry: Entry, gazetteer: Gazetteer) -> str:
    parents = gazetteer.parents(entry)
    where = f", {parents[0].latin}" if parents else ""
    return f"the {entry.type.replace('_', ' ')} {entry.cyrillic} ({entry.latin}{where}; {entry.id})"


def _occurrences(text: str, words: Container[str]) -> Iterator[tuple[int, str]]:
    """Where each of ``words`` stands in ``text``, in order."""
    matches = (MENTION_RE if _CAPITALS_RUN_RE.search(text) else CAPITALISED_RE).finditer(text)
    for match in matches:
        if match.group() in words:
            yield match.start(), match.group()


def words_to_check(text: str, english_capitalised: frozenset[str]) -> frozenset[str]:
    """The capitalised words of ``text`` that are not plain English (one scan and a set difference,
    both in C) and stand in Latin text at least once: the only words the name stage looks at.

    In Cyrillic text a Latin word is a foreign name or a brand (Roshel, Karbach), written as its
    owner writes it, not a misromanised Russian name: Russian copy writes Russian names in Cyrillic.
    So where the sentence (else paragraph) around every occurrence is Cyrillic, the word is left to
    the script stage."""
    found = CAPITALISED_RE.findall(text)
    if _CAPITALS_RUN_RE.search(text):
        found += _CAPITALS_RE.findall(text)
    words: set[str] = set(found) - english_capitalised
    if not words or CYRILLIC_RE.search(text) is None:
        return frozenset(words)  # no Cyrillic: all of it is Latin text
    context = TextContext(text)
    in_latin: set[str] = set()
    for start, word in _occurrences(text, words):
        if word not in in_latin and context.script(start, start + len(word), LATIN) == LATIN:
            in_latin.add(word)
    return frozenset(in_latin)


def shipped_english_capitalised() -> frozenset[str]:
    """The shipped English word list, capitalised (for a look before any resource is built)."""
    from ..lexicon import english_words

    return _capitalised(english_words())


@functools.lru_cache(maxsize=4)
def _capitalised(words: frozenset[str]) -> frozenset[str]:
    """The words capitalised: made once per word list (the look before the name stage is built and
    the linker share it; the shipped list's comes from the table cache)."""
    from ..lexicon import capitalised

    return capitalised(words)


KnownCheck = Callable[[str], bool]
