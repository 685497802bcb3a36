"""Invisible characters (normkit.invisible): clean() removes bidi controls, zero-width characters and
soft hyphens where they hide in Latin/Cyrillic words, as explained edits of kind ``invisible``;
detect() flags them; joiners that a script needs (emoji, Indic, Persian) and bidi controls in
right-to-left lines stay; offsets map exactly both ways; cleaning is idempotent and deterministic."""
from __future__ import annotations

import timeit

import pytest
from hypothesis import given, settings, strategies as st

import normkit
from normkit import invisible
from normkit.scripts import mixed_tokens
from normkit.types import CleanResult, apply_edits

ZWSP, ZWNJ, ZWJ, WJ, BOM, SHY = "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"
LRE, RLE, PDF, LRO, RLO = "\u202a", "\u202b", "\u202c", "\u202d", "\u202e"
LRI, RLI, FSI, PDI = "\u2066", "\u2067", "\u2068", "\u2069"
LRM, RLM = "\u200e", "\u200f"

# (input, what clean() makes of it, how many removal edits) - the name stage off: these are the
# invisible stage's and script repair's own.
REMOVED = [
    (f"Flights to Mos{ZWSP}cow resumed.", "Flights to Moscow resumed.", 1),
    (f"Mos{ZWSP}{ZWSP}cow", "Moscow", 1),                             # one run, one edit
    (f"Завод в Кири{SHY}шах", "Завод в Киришах", 1),
    (f"Vol{SHY}go{SHY}grad", "Volgograd", 2),
    (f"Ki{WJ}rov", "Kirov", 1),
    (f"Ki{BOM}rov", "Kirov", 1),
    (f"Sa{ZWNJ}mara", "Samara", 1),                                   # ZWNJ between Latin letters
    (f"Са{ZWJ}мара", "Самара", 1),                                    # ZWJ between Cyrillic letters
    (f"Pe\u0301{ZWSP}trov", "Pe\u0301trov", 1),                        # a combining mark before it
    (f"Kir{RLO}ihsi{PDF} today", "Kirihsi today", 2),                 # shown as "Kirishi": stored Kirihsi
    (f"{RLO}evil{PDF} text", "evil text", 2),
    (f"the {RLI}word{PDI} here", "the word here", 2),
    (f"{LRE}a{PDF} {RLE}b{PDF} {LRO}c{PDF} {FSI}d{PDI} {LRI}e{PDI}", "a b c d e", 10),
    (f"Kir{RLO}ihsi{PDF} قال", f"Kirihsi{PDF} قال", 1),               # an override inside a word goes even in an RTL line
    (f"English {RLO}abc{PDF}\nعربي {RLI}x{PDI}", f"English abc\nعربي {RLI}x{PDI}", 2),  # each line its own context
    (f"Кири{ZWSP}shi plant", "Kirishi plant", 0),                     # the removal joins the script repair's edit
    (f"Mos{ZWSP}сow is big", "Moscow is big", 0),                     # ... and a look-alike fix
]

# Left exactly as they are (the name stage off).
KEPT = [
    f"family 👨{ZWJ}👩{ZWJ}👧 photo",                    # an emoji ZWJ sequence
    f"flag 🏳\ufe0f{ZWJ}🌈 and 👩🏽{ZWJ}💻",
    f"क्{ZWJ}ष and क्{ZWNJ}ष",                              # Devanagari conjunct forms
    f"ന്{ZWJ} chillu",                                    # Malayalam
    f"می{ZWNJ}خواهم و کتاب{ZWNJ}ها",                        # Persian
    f"قال {LRI}Vladimir Putin{PDI} إن",                    # an English name isolated in Arabic
    f"שלום {RLE}עולם{PDF} שלום",                           # Hebrew
    f"Kirishi{LRM} and {RLM}Moscow",                       # LRM/RLM are marks, not in the list
    f"{BOM}Text that starts with a byte-order mark",
    f"word{ZWSP} word and COVID{ZWSP}19",                  # not between two letters
    f"ภาษา{ZWSP}ไทย",                                      # Thai: zero-width spaces mark word breaks
    f"hyphen{SHY} and a{SHY}-b",
    "Plain text holds nothing to remove.",
]


def clean(text: str, **options: object) -> CleanResult:
    return normkit.clean(text, names=False, **options)  # type: ignore[arg-type]


def removals(result: CleanResult) -> list[normkit.Edit]:
    return [e for e in result.edits if e.kind == invisible.KIND]


def assert_offsets_round_trip(text: str, result: CleanResult) -> None:
    assert apply_edits(text, result.edits) == result.text
    for e in result.edits:
        start, end = result.output_span(e.start, e.end)
        assert result.text[start:end] == e.after
        assert result.input_span(start, end) == (e.start, e.end)
    inside = {i for e in result.edits for i in range(e.start, e.end)}
    for i, char in enumerate(text):  # every character no edit touched maps to itself and back
        if i not in inside:
            j = result.output_offset(i)
            assert result.text[j] == char and result.input_offset(j) == i
            assert result.input_span(*result.output_span(i, i + 1)) == (i, i + 1)


@pytest.mark.parametrize(("text", "expected", "count"), REMOVED)
def test_invisible_characters_in_words_are_removed(text: str, expected: str, count: int) -> None:
    result = clean(text)
    assert result.text == expected
    assert len(removals(result)) == count
    for e in result.edits:
        assert invisible.INVISIBLE_RE.search(e.reason) is None  # a reason names them, never holds them
        if invisible.INVISIBLE_RE.search(e.before):
            assert "U+" in e.reason
    for e in removals(result):
        assert e.after == "" and invisible.INVISIBLE_RE.fullmatch(e.before) and e.confidence == invisible.CONFIDENCE
    assert_offsets_round_trip(text, result)


@pytest.mark.parametrize(("text", "expected", "count"), REMOVED)
def test_cleaning_is_idempotent_and_deterministic(text: str, expected: str, count: int) -> None:
    first = clean(text)
    assert clean(first.text).edits == []
    assert clean(text).to_dict() == first.to_dict()


@pytest.mark.parametrize("text", KEPT)
def test_joiners_a_script_needs_and_rtl_bidi_controls_stay(text: str) -> None:
    result = clean(text)
    assert result.text == text and result.edits == [] and result.suggestions == []


@pytest.mark.parametrize(("text", "expected", "count"), REMOVED)
def test_detect_flags_every_removal(text: str, expected: str, count: int) -> None:
    found = normkit.detect(text)
    removed = [i for i, c in enumerate(text) if invisible.INVISIBLE_RE.match(c)
               and (expected.count(c) < text.count(c))]
    for i in removed:
        covering = [f for f in found if f.start <= i < f.end]
        assert covering, f"nothing flags {text[i]!r} at {i}"
        assert all(f.token == text[f.start:f.end] for f in covering)
        assert any(f.category == invisible.KIND or f"U+{ord(text[i]):04X}" in f.reason for f in covering)


def test_detect_suggests_the_word_without_its_invisible_characters() -> None:
    [finding] = normkit.detect(f"Flights to Mos{ZWSP}cow resumed.")
    assert (finding.token, finding.suggestion, finding.category) == (f"Mos{ZWSP}cow", "Moscow", "invisible")
    assert finding.scripts == {"Latin": 6} and "U+200B ZERO WIDTH SPACE" in finding.reason
    [finding] = normkit.detect(f"Kir{RLO}ihsi{PDF} today")
    assert (finding.token, finding.suggestion) == (f"Kir{RLO}ihsi{PDF}", "Kirihsi")
    assert "RIGHT-TO-LEFT OVERRIDE" in finding.reason and "POP DIRECTIONAL FORMATTING" in finding.reason


def test_detect_lists_bidi_controls_kept_in_rtl_lines_as_legitimate() -> None:
    text = f"قال {LRI}Vladimir Putin{PDI} إن"
    found = normkit.detect(text)
    assert [(f.start, f.token, f.category, f.suggestion) for f in found] == [
        (4, LRI, "legitimate", None), (19, PDI, "legitimate", None)]
    assert "right-to-left" in found[0].reason


@pytest.mark.parametrize("text", [t for t in KEPT if not any(c in t for c in invisible.BIDI_CONTROLS)])
def test_detect_leaves_needed_joiners_alone(text: str) -> None:
    assert normkit.detect(text) == []


def test_a_repair_of_a_word_that_lost_an_invisible_character_is_one_edit() -> None:
    text = f"near the Кири{SHY}shi plant"
    result = clean(text)
    [edit] = result.edits
    assert (edit.before, edit.after, edit.kind) == (f"Кири{SHY}shi", "Kirishi", "mixed_script")
    assert edit.reason.startswith("Removed U+00AD SOFT HYPHEN inside the word") and " Then: " in edit.reason
    [finding] = normkit.detect(text)
    assert (finding.token, finding.suggestion, finding.category) == (f"Кири{SHY}shi", "Kirishi", "mixed_script")


def test_removals_beside_a_repaired_word_stay_edits_of_their_own() -> None:
    text = f"{RLO}Москwa{PDF} is big"
    result = clean(text)
    assert result.text == "Moskva is big"  # the name stage off: romanised, not the gazetteer's Moscow
    assert [(e.start, e.end, e.kind) for e in result.edits] == [
        (0, 1, "invisible"), (1, 7, "mixed_script"), (7, 8, "invisible")]
    assert result.input_span(0, 6) == (1, 7)   # the word maps to its letters, not the controls
    assert result.input_span(0, 0) == (0, 1)   # the empty span where a control was: that control
    assert result.input_span(6, 6) == (7, 8)
    assert_offsets_round_trip(text, result)


def test_more_demanding_confidence_only_suggests_the_removals() -> None:
    text = f"Flights to Mos{ZWSP}cow resumed."
    result = clean(text, min_confidence=1.0)
    assert result.text == text and result.edits == []
    [suggestion] = result.suggestions
    assert (suggestion.before, suggestion.after, suggestion.kind) == (ZWSP, "", "invisible")


# -- the name stage sees the word as it is stored, without what hid in it

@pytest.mark.parametrize(("hidden", "plain"), [
    (f"Debris fell near Gla{ZWSP}zhev and the Кири{SHY}shi plant; officials in Mos{ZWSP}cow spoke.",
     "Debris fell near Glazhev and the Кириshi plant; officials in Moscow spoke."),
    (f"Debris fell near Kir{RLO}ihsi{PDF}, and near Gla{WJ}zhev.", "Debris fell near Kirihsi, and near Glazhev."),
])
def test_the_name_stage_reads_the_repaired_word(hidden: str, plain: str) -> None:
    got, want = normkit.clean(hidden, explain=True), normkit.clean(plain, explain=True)
    assert got.text == want.text and got.explanations == want.explanations
    assert [(e.after, e.kind) for e in got.edits if e.kind != "invisible"] == [(e.after, e.kind) for e in want.edits]
    assert normkit.clean(got.text).edits == []
    assert_offsets_round_trip(hidden, got)


def test_a_name_fix_of_a_split_word_is_one_edit_from_the_input() -> None:
    text = f"Debris fell near Vladi{ZWSP}vostock and the Кириshi plant."
    result = normkit.clean(text)
    assert result.text == "Debris fell near Vladivostok and the Kirishi plant."
    [name] = [e for e in result.edits if e.kind == "place_name"]
    assert (name.before, name.after) == (f"Vladi{ZWSP}vostock", "Vladivostok")
    assert "U+200B" in name.reason and " Then: 'Vladivostock' read as" in name.reason


def test_a_suggested_name_fix_spans_the_input_word() -> None:
    text = f"A plant in Tsim{ZWSP}lyansc."
    result = normkit.clean(text)
    assert result.text == "A plant in Tsimlyansc."
    [suggestion] = [s for s in result.suggestions if s.kind == "place_name"]
    assert (suggestion.start, suggestion.end, suggestion.before) == (11, 22, f"Tsim{ZWSP}lyansc")
    assert suggestion.after == "Tsimlyansk"


def test_cyrillic_words_with_soft_hyphens_are_whole_again() -> None:
    assert normkit.clean(f"Завод Кири{SHY}ши и Во{SHY}ро{SHY}неж.").text == "Завод Кириши и Воронеж."


# -- offsets, idempotence and determinism on any text

_ALPHABET = st.sampled_from(["a", "b", "K", "о", "к", "ш", "ب", "ש", " ", "\n", "-", "1", "👨", "क्",
                             ZWSP, ZWNJ, ZWJ, WJ, BOM, SHY, LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI, LRM])


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=24).map("".join))
def test_any_text_round_trips(text: str) -> None:
    result = clean(text)
    assert_offsets_round_trip(text, result)
    again = clean(result.text)
    assert removals(again) == [] and again.text.count(ZWSP) == result.text.count(ZWSP)
    assert clean(text) == result
    edits, _ = invisible.scan(result.text)
    assert edits == []


@pytest.mark.parametrize("line", [
    "The regional government announced new measures to support small businesses. ",
    "Правительство региона объявило о новых мерах поддержки малого бизнеса. ",
    "Le gouvernement régional a annoncé des mesures — “for small businesses”. ",
])
def test_text_without_invisible_characters_costs_nothing_measurable(line: str) -> None:
    """The stage's cost on ordinary text (one ``in`` per character it looks for) is below one regex
    search and a small fraction of the script stage's own fast path (the scan for mixed-script
    tokens; clean() itself skips both on text its one quick look finds nothing in)."""
    text = line * 2000
    clean(text)  # warm
    look = min(timeit.repeat(lambda: invisible.scan(text), number=5, repeat=5)) / 5
    whole = min(timeit.repeat(lambda: list(mixed_tokens(text)), number=1, repeat=5))
    assert invisible.scan(text) == ([], [])
    search = min(timeit.repeat(lambda: invisible.INVISIBLE_RE.search(text), number=5, repeat=5)) / 5
    assert look < search and look < whole / 5, (look, search, whole)


@pytest.mark.parametrize("unit", ["a\u200b", f"Kir{RLO}ihsi{PDF} ", f"x {LRI}y{PDI} ب "])
def test_hostile_text_made_of_invisible_characters_costs_linear_time(unit: str) -> None:
    """Every character is still dealt with (nothing may hide), at a cost per character that does
    not grow with the text (one word as long as the text, one line holding RTL letters)."""
    def cost(n: int) -> float:
        text = unit * n
        return min(timeit.repeat(lambda: (normkit.detect(text), clean(text)), number=1, repeat=3))

    small, large = cost(1000), cost(10000)
    assert large < 25 * small, (small, large)  # linear: ~10x; quadratic: ~100x
    result = clean(unit * 1000)
    assert clean(result.text).edits == []
    if unit == "a\u200b":
        assert result.text == "a" * 1000 + ZWSP  # the last one ends the text: not inside a word
