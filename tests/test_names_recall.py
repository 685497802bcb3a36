"""Behaviour of the readings the name stage gained (issue 19): rule-table readings, calques and
given-name equivalents, on sentences written for these tests (none from any evaluation set)."""
from __future__ import annotations

import pytest

import normkit
from normkit.names.context import cues_at


@pytest.fixture(scope="module")
def normalizer() -> normkit.Normalizer:
    return normkit.load()


def _reported(result: normkit.CleanResult) -> dict[str, str]:
    return {e.before: e.after for e in [*result.edits, *result.suggestions]}


@pytest.mark.parametrize("text, before, after", [
    ("Officials in Samare said the drones were intercepted.", "Samare", "Samara"),        # locative left on
    ("Flights to Kalininhrad were cancelled on Friday.", "Kalininhrad", "Kaliningrad"),  # Ukrainian h for g
    ("Heavy rain flooded the streets of Lypetsk.", "Lypetsk", "Lipetsk"),                # Ukrainian y for i
    ("The Nowosibirsk zoo opened a new enclosure.", "Nowosibirsk", "Novosibirsk"),       # German w for v
    ("A bridge near Astrachan will open next year.", "Astrachan", "Astrakhan"),          # German ch for kh
])
def test_rule_table_readings_are_fixed_or_suggested(normalizer: normkit.Normalizer, text: str, before: str,
                                                    after: str) -> None:
    assert _reported(normalizer.clean(text)).get(before) == after


@pytest.mark.parametrize("text, before, after", [
    ("He was born in Lower Tagil in 1950.", "Lower Tagil", "Nizhny Tagil"),
    ("The Old Oskol plant and the spa of Old Russa reopened.", "Old Russa", "Staraya Russa"),  # feminine
])
def test_calques_are_suggested_with_the_whole_span_and_gender(normalizer: normkit.Normalizer, text: str,
                                                              before: str, after: str) -> None:
    result = normalizer.clean(text)
    assert result.text == text  # only suggested: an English form may be established
    assert _reported(result).get(before) == after


def test_no_calque_where_no_russian_name_is_behind_it(normalizer: normkit.Normalizer) -> None:
    text = "New York and Big Ben were on the Old Street poster."
    result = normalizer.clean(text)
    assert result.text == text and not result.suggestions


def test_english_and_ukrainian_given_names_count_as_the_russian_one() -> None:
    text = "Governor Andrew Bocharov and Deputy Mykola Smirnov spoke."
    never = lambda w: False  # noqa: E731 - no lexicon: the equivalents alone make the cue
    andrew = cues_at(text, text.index("Bocharov"), text.index("Bocharov") + 8, never, never)
    assert {"andrew", "andrei"} <= andrew.given_names and andrew.office_before
    mykola = cues_at(text, text.index("Smirnov"), text.index("Smirnov") + 7, never, never)
    assert "nikolai" in mykola.given_names


def test_right_names_stay(normalizer: normkit.Normalizer) -> None:
    text = ("Samara, Kaliningrad and Lipetsk reported no damage. Mr Ivanova? No: Yelena Ivanova, "
            "the mayor of Omsk, met Andrew Wilson in Novosibirsk.")
    assert normalizer.clean(text).text == text


def test_capitals_are_mentions_and_keep_their_case(normalizer: normkit.Normalizer) -> None:
    result = normalizer.clean("DRONES DOWNED OVER KIRISH, THE GOVERNOR SAID")
    assert _reported(result).get("KIRISH") == "KIRISHI"
    acronyms = "The USOC, the FSB and NATO met in Moscow."
    assert normalizer.clean(acronyms).text == acronyms  # short capitals are acronyms, not names


def test_normalize_names_rewrites_other_schemes_spellings() -> None:
    from normkit.names.readings import in_some_scheme

    assert in_some_scheme("Nerexta", "нерехта") and in_some_scheme("Luxovicy", "луховицы")  # GOST 7.79, scientific
    assert not in_some_scheme("Nerekta", "нерехта")  # a slip is no scheme's spelling
    house = normkit.load(normalize_names=True)
    for written, preferred in (("Nerexta", "Nerekhta"), ("Luxovicy", "Lukhovitsy")):
        sentence = f"Officials in {written} said the roads were clear."
        assert house.clean(sentence).text == sentence.replace(written, preferred)
        assert normkit.load().clean(sentence).text == sentence  # by default such spellings are left alone
