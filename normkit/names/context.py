"""What the words around a name say about it: the cues the name decision weighs.

Every cue is read from a small window of plain text around one occurrence (no parser): a type
word beside it (``Lodygina street``, ``village of``), a title or a given name before it
(``Governor``, ``Andrei``), a speech verb after it, a preposition of place before it, a list of
people it stands in. Word lists are data here, in one place, lower case.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Sequence

from .readings import given_name_equivalents

# Type words near a name, and the entry types each one supports.
TYPE_WORDS: dict[str, frozenset[str]] = {}
for _words, _types in (
    ("street st avenue ave prospekt prospect ulitsa ul lane pereulok boulevard bulvar embankment "
     "naberezhnaya highway shosse square ploshchad", "street square"),
    ("village selo derevnya settlement posyolok poselok hamlet khutor stanitsa aul", "village"),
    ("city town", "city town"),
    ("district rayon raion okrug", "district city_district"),
    ("region oblast krai kray republic", "region"),
    ("lake lakes ozero", "lake"),
    ("river rivers reka", "river"),
    ("mountain mount mt peak volcano ridge range mountains plateau", "mountain range volcano"),
    ("island islands peninsula bay cape", "island peninsula bay"),
    ("reserve park zapovednik", "reserve"),
    ("theatre theater museum cathedral monastery kremlin gallery", "landmark theatre museum"),
    ("company plant factory group airline bank", "company"),
    ("club team fc hc", "club"),
):
    for _word in _words.split():
        TYPE_WORDS[_word] = TYPE_WORDS.get(_word, frozenset()) | frozenset(_types.split())
PLACE_TYPES = frozenset({"village", "town", "city"})
#: Titles and roles: the word after one (or after one and a given name) is a person.
TITLES = frozenset("""
governor mayor president minister mr mrs ms dr prof professor senator deputy head leader general
colonel major captain lieutenant chairman chairwoman premier spokesman spokeswoman ambassador
director coach manager player defender midfielder forward striker goalkeeper keeper goalie winger
captain composer writer poet painter artist novelist author singer actor actress dancer conductor
pianist violinist scientist academician cosmonaut astronaut patriarch archbishop bishop father
priest saint tsar czar emperor empress prince princess count countess duke grand son daughter wife
husband brother sister mother journalist correspondent editor analyst economist lawyer judge
prosecutor investigator officer soldier commander marshal admiral sergeant pilot champion
""".split())
#: Offices whose holders the people glossary lists: with the given name, a surname after one is the
#: official's even when further off.
OFFICES = frozenset("""
governor mayor president minister premier senator deputy head chairman chairwoman ambassador
spokesman spokeswoman prosecutor director envoy speaker
""".split())
SPEECH_VERBS = frozenset("""
said says told added wrote writes stated explained noted replied claimed announced reported
insisted warned stressed argued recalled admitted asked commented confirmed denied
""".split())
# Things named after a place (the Primyore Hotel, Irkutsk Airport): beside a name, no sign that it
# is not Russian.
NAMED_AFTER_PLACES = frozenset("""
hotel airport station railway university institute academy stadium arena port harbour bridge
cathedral church monastery theatre theater museum gallery hospital school park plant factory
mine refinery dam highway road avenue street square embankment district region republic oblast
krai okrug territory city town village lake river mountains mountain ridge range island bay
""".split())
# Capitalised only because a sentence or title starts with them: no part of a name.
FUNCTION_WORDS = frozenset("""
the a an of and or in on at to for from by with near into over under about after before this that
these those his her its their our my your we they he she it i but if as so not no yes new old
""".split())
PLACE_PREPOSITIONS = frozenset({"in", "near", "around", "outside", "across", "into", "at", "to", "from",
                                "of", "towards", "through", "via", "between"})
_WORD_RE = re.compile(r"\w[\w’'.-]*")
_POSSESSIVE_RE = re.compile(r"[’']s\b")
# ", political scientist", ", the coach of": a role given after the name.
_ROLE_AFTER_RE = re.compile(r"\s*,\s*(?:the\s+|a\s+|an\s+)?(?:[a-z-]+\s+)?(?:" + "|".join(sorted(TITLES)) + r")\b")
_SPEECH_RE = re.compile(r"\s*(?:,\s*)?(?:[\w-]+\s+)?(?:" + "|".join(sorted(SPEECH_VERBS)) + r")\b")
_INITIAL_RE = re.compile(r"[A-Z]\.$")


@dataclass(frozen=True)
class Cues:
    """The cues around one occurrence of a word, or pooled over all its occurrences in a text
    (one sense per discourse: a name a text once calls Alexei Minyailo is a person throughout)."""

    type_hint: frozenset[str]     # entry types the type words beside it call for
    given_names: frozenset[str]   # given names (lower case) or initials right before it: Andrei ___
    title_before: bool            # Governor ___, coach ___
    office_before: bool           # Governor ___, Minister ___ (an office the glossary's people hold)
    speech_after: bool            # ___ said
    place_preposition: bool       # in ___, near ___
    capitalised_neighbour: bool   # another capitalised word right beside it (no punctuation between)
    english_neighbour: bool       # ... and it is an English word (Roshel Defence Solutions)
    list_items: tuple[str, ...]   # ___, X, Y: the other items of a comma-separated run it stands in
    names_beside: frozenset[str] = frozenset()  # the capitalised words right beside it, as written
    name_after: bool = False      # a capitalised word follows it (Sachin Tendulkar): a given name?

    @property
    def given_name_before(self) -> bool:
        return bool(self.given_names)

    @property
    def person(self) -> bool:
        """Does the context make it a person's name?"""
        return self.title_before or self.given_name_before or self.speech_after


def pooled(cues: Sequence[Cues]) -> Cues:
    """The cues of every occurrence of one word, taken together."""
    return Cues(frozenset().union(*(c.type_hint for c in cues)),
                frozenset().union(*(c.given_names for c in cues)),
                any(c.title_before for c in cues), any(c.office_before for c in cues),
                any(c.speech_after for c in cues),
                any(c.place_preposition for c in cues), any(c.capitalised_neighbour for c in cues),
                any(c.english_neighbour for c in cues),
                tuple(dict.fromkeys(i for c in cues for i in c.list_items)),
                frozenset().union(*(c.names_beside for c in cues)), any(c.name_after for c in cues))


def cues_at(text: str, start: int, end: int, is_given_name: Callable[[str], bool],
            is_english: Callable[[str], bool]) -> Cues:
    """The cues around ``text[start:end]``."""
    before_text = text[max(0, start - 60):start]
    after_text = text[end:end + 40]
    before = _WORD_RE.findall(before_text)[-3:]
    # after a possessive the words after the name are those after its ’s (Petrov's Chess Notes: the
    # neighbour is Chess, not s; the role and speech cues read on from there too)
    possessive = _POSSESSIVE_RE.match(after_text)
    after_text = after_text[possessive.end():] if possessive else after_text
    after = _WORD_RE.findall(after_text)[:2]
    previous = before[-1] if before else ""
    following = after[0] if after else ""
    hint: set[str] = set()
    for word in (*before[-2:], *after):
        hint |= TYPE_WORDS.get(word.lower().strip(".’'"), frozenset())
    gap_before = before_text[len(before_text.rstrip()):] if before_text else ""
    # a hard-wrapped line may part a given name from its surname; a blank line (a new paragraph) may not
    joined_before = bool(previous) and before_text.rstrip().endswith(previous) and gap_before.count("\n") <= 1
    # a hyphenated title is read by its head (Prime-Minister, Vice-Governor)
    lower_before = [w.lower().strip(".’'").rsplit("-", 1)[-1] for w in before]
    initials = bool(previous) and _INITIAL_RE.match(previous) is not None and joined_before
    bare = previous.lower().strip(".’'")
    equivalents = given_name_equivalents().get(bare, ()) if joined_before and previous[:1].isupper() else ()
    given = joined_before and previous[:1].isupper() and (bool(equivalents) or is_given_name(previous.strip(".’'")))
    # Andrew, Andriy: the Russian official Andrei, whose glossary entry gives the Russian form
    given_names = frozenset({bare, *equivalents} if given or initials else ())
    title = any(w in TITLES for w in lower_before[-2:]) and (
        lower_before[-1] in TITLES or given or initials) or _ROLE_AFTER_RE.match(after_text) is not None
    preposition = bool(lower_before) and lower_before[-1] in PLACE_PREPOSITIONS
    speech = not preposition and _SPEECH_RE.match(after_text) is not None  # not "officials in X said"
    stripped = before_text.rstrip()
    sentence_start = not stripped or stripped[-1] in ".!?:;\n\"“”«»"
    beside = [w for w, joined in ((previous, joined_before and not sentence_start),
                                  (following, after_text.startswith(" " + following)))
              if joined and w[:1].isupper()]
    english = any(is_english(w) and w.lower() not in TYPE_WORDS and w.lower() not in TITLES
                  and w.lower() not in FUNCTION_WORDS and w.lower() not in NAMED_AFTER_PLACES
                  and not is_given_name(w) for w in beside)
    names = frozenset(w for w in beside if w.lower() not in FUNCTION_WORDS and w.lower() not in TYPE_WORDS
                      and w.lower() not in TITLES and w.lower() not in NAMED_AFTER_PLACES)
    name_after = bool(following) and following in names
    office = any(w in OFFICES for w in lower_before[-2:]) and (given or initials or lower_before[-1] in OFFICES)
    return Cues(frozenset(hint), given_names, title, office, speech, preposition, bool(beside), english,
                _list_items(text, start, end), names, name_after)


_LIST_ITEM = r"[A-Z][\w’'-]+"
_LIST_BEFORE_RE = re.compile(rf"(?:{_LIST_ITEM},\s)+(?:and\s)?$")
_LIST_AFTER_RE = re.compile(rf"(?:,\s(?:and\s)?{_LIST_ITEM})+")
_ITEM_RE = re.compile(_LIST_ITEM)


def _list_items(text: str, start: int, end: int) -> tuple[str, ...]:
    """The other items when the word is one of three or more single capitalised words in a
    comma-separated run (a line-up: ``Gigolaev, Tchaikovsky, Ponce``); else none."""
    before = _LIST_BEFORE_RE.search(text[max(0, start - 80):start])
    after = _LIST_AFTER_RE.match(text, end, min(len(text), end + 80))
    items = [*(_ITEM_RE.findall(before.group()) if before else ()),
             *(_ITEM_RE.findall(after.group()) if after else ())]
    return tuple(items) if len(items) >= 2 else ()
