"""Linking mode: names in another romanisation, features with their type word, regions named with
their type word in another order or by their people, district adjectives in lists and tables."""
from __future__ import annotations

import pytest

import normkit
from normkit.entities import feature_core
from normkit.linking import Link, skeleton


def _links(text: str) -> list[tuple[str, str]]:
    return [(x.text, x.entity_id) for x in normkit.link(text)]


def _one(text: str, name: str) -> Link:
    found = [x for x in normkit.link(text) if x.text == name]
    assert len(found) == 1, normkit.link(text)
    return found[0]


@pytest.mark.parametrize("a, b", [
    ("Vyazma", "Viazma"), ("Novorossiysk", "Novorossiisk"), ("Nizhny Novgorod", "Nizhni-Novgorod"),
    ("Yelabuga", "Elabuga"), ("Novonikolayevsk", "Novonikolaevsk"), ("Zimny", "Zimniy"),
    ("Lyuban’", "Liuban"), ("Pyotr", "Petr"), ("Dalnij", "Dalny"),
])
def test_romanisation_variants_share_a_skeleton(a: str, b: str) -> None:
    assert skeleton(a) == skeleton(b)


@pytest.mark.parametrize("a, b", [("Kirov", "Kirovsk"), ("Orel", "Orsk"), ("Mirny", "Mirnoye")])
def test_different_names_keep_different_skeletons(a: str, b: str) -> None:
    assert skeleton(a) != skeleton(b)


def test_a_place_written_in_another_romanisation_is_linked_to_its_entry() -> None:
    x = _one("Trains from Tyumen reach Tobolsk and Iaroslavl daily.", "Iaroslavl")
    assert x.canonical_latin == "Yaroslavl" and x.status == "ok"


def test_a_short_english_word_is_not_read_as_a_variant() -> None:
    assert _links("The Mari language and the dive site.") == []


@pytest.mark.parametrize("text, name, entity", [
    ("Ferries run to Kunashir Island in summer.", "Kunashir Island", "curated:kunashir"),
    ("Whalers crossed the Kola Peninsula.", "Kola Peninsula", "curated:kola-peninsula"),
])
def test_a_feature_span_takes_its_capitalised_type_word(text: str, name: str, entity: str) -> None:
    x = _one(text, name)
    assert x.entity_id == entity and text[x.start:x.end] == name


def test_a_lower_case_type_word_stays_outside_the_name() -> None:
    x = _one("Ferries run to Kunashir island in summer.", "Kunashir")
    assert x.entity_id == "curated:kunashir"


def test_feature_core_strips_only_the_words_of_its_type() -> None:
    assert feature_core("Vostochny Cosmodrome", "cosmodrome") == "Vostochny"
    assert feature_core("Zeya Nature Reserve", "reserve") == "Zeya"
    assert feature_core("Lake Onega", "lake") == "Onega"
    assert feature_core("Onega River", "lake") == "Onega River"
    assert feature_core("Island", "island") == "Island"


@pytest.mark.parametrize("text, name, latin", [
    ("Snow closed roads in the Oblast of Tver on Monday.", "Oblast of Tver", "Tver Oblast"),
    ("Floods reached the Krai of Khabarovsk in May.", "Krai of Khabarovsk", "Khabarovsk Krai"),
])
def test_a_region_named_with_its_type_word_first(text: str, name: str, latin: str) -> None:
    x = _one(text, name)
    assert x.entry_type == "region" and x.canonical_latin == latin


def test_a_type_word_that_is_not_a_region_word_does_not_make_a_region() -> None:
    x = _one("Roads in the Tver district were closed.", "Tver")
    assert x.entry_type != "region"


@pytest.mark.parametrize("text", ["The head of Chuvash said so.", "Floods hit roads in Udmurt, officials said."])
def test_a_peoples_name_after_a_preposition_is_its_republic(text: str) -> None:
    links = normkit.link(text)
    assert [x.entry_type for x in links] == ["region"], links


@pytest.mark.parametrize("text", ["The Chuvash language is taught here.", "Udmurt songs were sung."])
def test_a_peoples_name_qualifying_a_word_is_not_a_place(text: str) -> None:
    assert _links(text) == []


def test_district_adjectives_in_a_table_are_districts() -> None:
    text = "Districts: Vsevolozhsky, Tosnensky, Kirishsky and Volkhovsky."
    links = normkit.link(text)
    assert [x.text for x in links] == ["Vsevolozhsky", "Tosnensky", "Kirishsky", "Volkhovsky"]
    assert {x.entry_type for x in links} == {"district"}


def test_a_district_adjective_far_before_its_type_word_is_a_district() -> None:
    text = ("Water cut off the roads of Vsevolozhsky, Tosnensky, Kirishsky, Volkhovsky, Priozersky, "
            "Kingiseppsky and Lomonosovsky municipal districts.")
    links = normkit.link(text)
    assert len(links) == 7 and {x.entry_type for x in links} == {"district"}, links


def test_a_hyphenated_adjective_is_not_split_into_places() -> None:
    assert _links("Tourists love the Spaso-Kazansky and Pskovo-Kirovsky routes.") == []


def test_a_district_named_with_a_capitalised_type_word_takes_it_in() -> None:
    x = _one("Storms hit Kirishsky District overnight.", "Kirishsky District")
    assert x.entry_type == "district"


def test_a_towns_name_before_district_is_its_district_only_as_a_proper_name() -> None:
    x = _one("Storms hit Kirishi District overnight.", "Kirishi District")
    assert (x.entry_type, x.canonical_latin) == ("district", "Kirishsky District")
    assert _one("Storms hit the Kirishi district overnight.", "Kirishi").entry_type != "district"
