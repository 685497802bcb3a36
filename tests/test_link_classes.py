"""Linking mode finds names the way news writes them: nested in an organisation's name, after "the",
without a lake's type word, with a region's type word after it, opened by a quote, after "St.-",
and next to a name that took in its type word."""
from __future__ import annotations

from pathlib import Path

import normkit
from normkit.linking import Link


def _links(text: str) -> list[tuple[str, str, str]]:
    return [(x.text, x.entity_id, x.how) for x in normkit.link(text)]


def _by_text(text: str) -> dict[str, Link]:
    return {x.text: x for x in normkit.link(text)}


def test_places_inside_an_organisations_name_are_listed_after_it() -> None:
    text = "Zenit lost, A Just Russia thanked Ural Airlines, and Gazprom Neft paid."
    links = normkit.link(text)
    found = [(x.text, x.how) for x in links]
    assert {("Russia", "nested"), ("Ural", "nested")} <= set(found)
    for x in links:
        assert text[x.start:x.end] == x.text
        if x.how == "nested":
            outer = [y for y in links if y.how != "nested" and y.start <= x.start and x.end <= y.end]
            assert outer and outer[0].type in ("org", "thing") and outer[0].entity_id != x.entity_id
    country = next(x for x in links if x.text == "Russia")
    assert country.type == "place" and country.entity_id == "curated:country-russia"
    assert not any(x.how == "nested" for x in links if x.start >= text.index("Gazprom"))  # no place inside


GLOSSARY_HEADER = "# normkit-glossary 1\nid\tcyrillic\tlatin\ttype\tparents\tpopulation\taliases\tsource\n"


def _glossary(tmp_path: Path, rows: str) -> str:
    path = tmp_path / "mine.tsv"
    path.write_text(GLOSSARY_HEADER + rows, encoding="utf-8")
    return str(path)


def test_an_organisation_named_after_a_person_does_not_nest_a_city_in_the_given_name(tmp_path: Path) -> None:
    mine = _glossary(tmp_path, "curated:test-vysotsky-theatre\tТеатр Владимира Высоцкого\tVladimir Vysotsky "
                               "Theatre\ttheatre\t\t0\t\ttest\n")
    links = [(x.text, x.how) for x in normkit.link("Tickets for the Vladimir Vysotsky Theatre sold out.", glossaries=[mine])]
    assert links == [("Vladimir Vysotsky Theatre", "gazetteer")]


def test_nested_places_do_not_overlap_the_spacy_entities() -> None:
    import spacy

    import normkit.spacy  # noqa: F401  (registers the pipe)

    nlp = spacy.blank("en")
    nlp.add_pipe("normkit_linker")
    doc = nlp("Fans of Dynamo Moscow travelled to Omsk.")
    ents = [(e.text, e.label_) for e in doc.ents]
    assert ("Dynamo Moscow", "ORG") in ents and ("Omsk", "GPE") in ents
    assert not any(text == "Moscow" for text, _ in ents)


def test_after_the_a_river_is_the_river_not_the_town() -> None:
    by_text = _by_text("Barges sail down the Don past Rostov; Don itself is a small town too.")
    assert by_text["Don"].entry_type == "river"


def test_a_lake_is_found_without_its_type_word() -> None:
    links = _links("Fishermen on Peipsi reported ice.")
    assert ("Peipsi", "curated:lake-peipus", "gazetteer") in links


def test_an_english_word_is_not_taken_for_a_lake_core() -> None:
    assert all(text != "Black" for text, _, _ in _links("Black clouds gathered."))


def test_a_regions_type_word_written_after_it_is_part_of_its_span() -> None:
    by_text = _by_text("Officials in Kabardino-Balkaria Republic and Tver Oblast agreed.")
    assert by_text["Kabardino-Balkaria Republic"].entry_type == "region"
    assert by_text["Tver Oblast"].entry_type == "region"


def test_words_opened_by_a_quote_or_after_st_dot_hyphen_are_found() -> None:
    found = {text: entity for text, entity, _ in _links("The 'Omsk' tanker sailed from St.-Petersburg to 'Murmansk'.")}
    assert found.get("Omsk") == "geonames:1496153"
    assert found.get("St.-Petersburg") == "geonames:498817"
    assert "Murmansk" in found
    assert all(text != "Neill" for text, _, _ in _links("O'Neill flew to Omsk."))


def test_a_name_after_a_district_with_its_type_word_is_found() -> None:
    found = [text for text, _, _ in _links("Drones fell in the Kirishsky District of Leningrad Oblast overnight.")]
    assert "Leningrad Oblast" in found


def test_cyrillic_countries_and_headings_in_capitals_are_found() -> None:
    found = {text: entity for text, entity, _ in _links("Украина и Казахстан подписали. ТВЕРЬ: новости.")}
    assert found.get("Казахстан") == "curated:country-kazakhstan"
    assert found.get("Украина") == "curated:country-ukraine"
    assert found.get("ТВЕРЬ") == "geonames:480060"


def test_a_great_region_joined_by_hyphens_is_a_name_but_to_is_no_linking_o() -> None:
    assert ("Siberia", "curated:siberia", "gazetteer") in _links("The Siberia-to-Europe route reopened.")
    assert [text for text, _, _ in _links("The Rzhev-Vyazma operation.")] == ["Rzhev", "Vyazma"]


def test_a_historical_city_name_inside_a_companys_name_is_nested(tmp_path: Path) -> None:
    mine = _glossary(tmp_path, "curated:test-kalinin-works\tКалининский вагонный завод\tKalinin Carriage Works"
                               "\tcompany\t\t0\t\ttest\n")
    by_text = {x.text: x for x in normkit.link("Workers at Kalinin Carriage Works struck.", glossaries=[mine])}
    assert by_text["Kalinin Carriage Works"].type == "org"
    assert by_text["Kalinin"].how == "nested" and by_text["Kalinin"].entry_type == "historical_name"


def test_streets_are_found_by_pattern_with_a_resolvable_id() -> None:
    from normkit.entities import resolve
    from normkit.gazetteer import default_gazetteer, name_lexicon

    text = ("Shops on Sadovaya Street, a flat on ulitsa Chekhova, the Kirov Square rally, "
            "and Lenin Avenue closed; Tverskaya Street is listed.")
    by_text = _by_text(text)
    assert by_text["Sadovaya Street"].entity_id == "street:садовая+улица"
    assert by_text["Sadovaya Street"].canonical_cyrillic == "Садовая улица"
    assert by_text["ulitsa Chekhova"].canonical_cyrillic == "улица Чехова"
    assert by_text["Kirov Square"].canonical_cyrillic == "площадь Кирова"  # a surname, in the genitive
    assert by_text["Lenin Avenue"].canonical_cyrillic == "проспект Ленина"
    assert by_text["Tverskaya Street"].entity_id == "curated:moscow-tverskaya-ulitsa"  # listed: not by pattern
    for x in by_text.values():
        assert x.type == "place" and x.label == "LOC"
        entry = resolve(x.entity_id, default_gazetteer(), name_lexicon())
        assert entry is not None and entry.latin == x.canonical_latin
    lenin = resolve("street:проспект+ленина", default_gazetteer(), name_lexicon())
    assert lenin is not None and "Lenin Avenue" in lenin.aliases and "prospekt Lenina" in lenin.aliases


def test_gazetteer_lookup_resolves_a_street_id() -> None:
    from conftest import run_cli

    done = run_cli("gazetteer", "lookup", "street:улица+чехова")
    out = done.stdout.decode("utf-8")
    assert done.returncode == 0 and "улица Чехова" in out and "Chekhova Street" in out


def test_english_streets_are_not_russian_streets() -> None:
    text = "From Baker Street to Wall Street, Oxford Street and Franklin Street, then Main Street."
    assert _links(text) == []


def test_malformed_street_ids_resolve_to_nothing() -> None:
    from normkit.entities import resolve
    from normkit.gazetteer import default_gazetteer, name_lexicon

    for bad in ("street:", "street:улица", "street:ленина+улица", "street:улица+ленина+чехова", "street:road+x",
                "street:улица ленина"):
        assert resolve(bad, default_gazetteer(), name_lexicon()) is None


def test_names_listed_before_a_plural_regions_are_the_regions() -> None:
    links = normkit.link("Shelling hit the Tambov, Oryol and Kursk regions; Oryol itself was calm.")
    types = [(x.text, x.entry_type) for x in links]
    assert types[:3] == [("Tambov", "region"), ("Oryol", "region"), ("Kursk", "region")]
    assert types[3][1] != "region"  # the city alone
    found = {x.text: x.entry_type for x in normkit.link("Strikes on the Kharkiv and Sumy regions.")}
    assert found == {"Kharkiv": "region", "Sumy": "region"}  # the neighbours' regions too


def test_yakutia_uluses_are_districts_by_their_adjective() -> None:
    found = {x.text: x for x in normkit.link("Polling stations in the Zhigansky and Verkhoyansky districts.")}
    assert found["Zhigansky"].entry_type == "district" and found["Zhigansky"].canonical_cyrillic == "Жиганский улус"
    assert found["Verkhoyansky"].entry_type == "district" and found["Verkhoyansky"].canonical_cyrillic == "Верхоянский улус"
