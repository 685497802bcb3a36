"""A district written in another form before its type word (the town's name, or the adjective in the
gender of a dropped Russian noun) is read as the district, and fixed only with evidence."""
from __future__ import annotations

import pytest

import normkit
from normkit import apply_edits


@pytest.fixture(scope="module")
def normalizer() -> normkit.Normalizer:
    return normkit.Normalizer()


@pytest.mark.parametrize("text, fixes", [
    # the adjective left feminine, the region named after the list
    ("Rain fell in the Kimovskaya, Venyovskaya and Bogoroditskaya districts of Tula region.",
     {"Kimovskaya": "Kimovsky", "Venyovskaya": "Venyovsky", "Bogoroditskaya": "Bogoroditsky"}),
    ("The Zheleznogorskaya district of Kursk region was shelled.", {"Zheleznogorskaya": "Zheleznogorsky"}),
    # the town's name in a form no place has, for its district
    ("A drone fell in the Zubtsovo district of Tver region.", {"Zubtsovo": "Zubtsovsky"}),
    # no region named, but a district of the same region written right in the same list
    ("Snow closed roads in the Suzdalskaya, Kovrovsky and Gorokhovetskaya areas.",
     {"Gorokhovetskaya": "Gorokhovetsky"}),
])
def test_district_form_fixed_with_evidence(normalizer: normkit.Normalizer, text: str, fixes: dict[str, str]) -> None:
    result = normalizer.clean(text)
    made = {e.before: e.after for e in result.edits}
    for before, after in fixes.items():
        assert made.get(before) == after, (before, made)
    assert apply_edits(text, result.edits) == result.text
    for e in result.edits:
        if e.before in fixes:
            assert text[e.start:e.end] == e.before
            assert e.kind == "place_name" and e.entity_id and "district" in e.reason


@pytest.mark.parametrize("text", [
    "Rain fell in the Kimovsky district of Tula region.",        # right as written
    "The Volosovo district of Leningrad region got snow.",       # a town the gazetteer lists: a usual English form
    "Rain fell in the Kirovskaya district.",                     # a Kirovsky district in many regions: which?
    "Central and Northern districts were hit by the storm.",     # English words
    "The Moscow district court ruled on Tuesday.",
])
def test_left_alone(normalizer: normkit.Normalizer, text: str) -> None:
    result = normalizer.clean(text)
    assert result.text == text
    assert not [e for e in result.edits if e.kind == "place_name"]


def test_without_evidence_only_suggested(normalizer: normkit.Normalizer) -> None:
    text = "Roads were closed in the Zubtsovo district after the storm."
    result = normalizer.clean(text)
    assert result.text == text
    assert [(s.before, s.after) for s in result.suggestions] == [("Zubtsovo", "Zubtsovsky")]
    assert result.suggestions[0].confidence < normalizer.name_linker().model.apply


def test_region_far_away_is_no_evidence(normalizer: normkit.Normalizer) -> None:
    """In a long file of unrelated lines, a region named thousands of characters away says nothing."""
    text = "Tver region reported a quiet week. " + "Nothing else happened that day. " * 80 + \
        "Roads were closed in the Zubtsovo district after the storm."
    result = normalizer.clean(text)
    assert "Zubtsovo" in result.text


def test_a_slipped_stem_is_read_among_the_named_regions_districts(normalizer: normkit.Normalizer) -> None:
    text = "Fires hit the Sheksninsky and Kadujsky districts of Vologda region."
    result = normalizer.clean(text)
    assert [(e.before, e.after) for e in result.edits] == [("Kadujsky", "Kaduysky")]
    assert "slip of the district" in result.edits[0].reason
    # the same word with no region named: the rule has no district to read it as (the model may
    # still weigh the word on its own evidence)
    alone = normalizer.clean("Fires hit the Kadujsky district.")
    assert all("slip of the district" not in e.reason for e in alone.edits + alone.suggestions)


def test_an_english_variant_of_a_district_is_right(normalizer: normkit.Normalizer) -> None:
    text = "Fires hit the Sheksninsky and Kaduisky districts of Vologda region."
    assert normalizer.clean(text).text == text
