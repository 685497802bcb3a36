"""Entity ids on name edits, linking mode (normkit.link, `normkit link`, the spaCy pipe), id lookup."""
from __future__ import annotations

import json

import pytest

import normkit
from normkit import CleanResult, Edit
from normkit.entities import category, label, pattern_id, resolve
from normkit.gazetteer import default_gazetteer, name_lexicon
from normkit.types import NAME_KINDS

from conftest import run_cli

TEXT = ("President Vladimir Putin met Ivan Petrov in Kirishy and Saint Petersburg on Monday. "
        "Putin said Petrov would visit Lake Baikal and the Sverdlovsk region.")


def _ids_resolve(edits: list[Edit]) -> None:
    for e in edits:
        if e.kind in NAME_KINDS:
            entry = resolve(e.entity_id or "", default_gazetteer(), name_lexicon())
            assert entry is not None, e
            assert (entry.latin, entry.cyrillic) == (e.canonical_latin, e.canonical_cyrillic)


@pytest.mark.parametrize("text, before, entity", [
    ("Further north, near the Кириshi industrial zone.", "Кириshi", None),  # a script repair: no entity
    ("The plant in Kirishy was closed.", "Kirishy", "geonames:548442"),
    ("Governor Andrei Boharev said so.", "Boharev", "curated:person-andrei-bocharov"),
])
def test_name_edits_carry_the_entry_they_read_the_word_as(text: str, before: str, entity: str | None) -> None:
    result = normkit.clean(text)
    found = [e for e in (*result.edits, *result.suggestions) if e.before == before]
    assert found, result
    assert found[0].entity_id == entity
    if entity is None:
        assert found[0].canonical_latin is None and found[0].kind not in NAME_KINDS
    _ids_resolve([*result.edits, *result.suggestions])


def test_edit_keeps_positional_construction_and_json_reads_both_schemas() -> None:
    edit = Edit(0, 7, "Kirishy", "Kirishi", "place_name", 0.8, "why")
    assert edit.entity_id is None and edit.canonical_latin is None and edit.canonical_cyrillic is None
    result = normkit.clean("The plant in Kirishy and Novosibrisk was closed.")
    data = json.loads(json.dumps(result.to_dict()))
    assert data["schema"] == "normkit-clean 2"
    assert all("entity_id" in e for e in data["edits"] + data["suggestions"])
    assert CleanResult.from_dict(data) == result
    old = {**data, "schema": "normkit-clean 1",
           "edits": [{k: v for k, v in e.items() if k not in ("entity_id", "canonical_latin", "canonical_cyrillic")}
                     for e in data["edits"]],
           "suggestions": []}
    again = CleanResult.from_dict(old)
    assert again.text == result.text and all(e.entity_id is None for e in again.edits)
    with pytest.raises(ValueError, match="edit"):
        CleanResult.from_dict({**data, "edits": [{**data["edits"][0], "entity_id": 5}]} if data["edits"] else
                              {**data, "edits": [{"start": 0, "end": 1, "before": "a", "after": "b", "kind": "x",
                                                  "confidence": 1, "reason": "", "entity_id": 5}]})


@pytest.mark.parametrize("entry_type, kind, spacy_label", [
    ("town", "place", "GPE"), ("region", "place", "GPE"), ("city_district", "place", "GPE"),
    ("street", "place", "LOC"), ("river", "feature", "LOC"), ("lake", "feature", "LOC"),
    ("person", "person", "PERSON"), ("club", "org", "ORG"), ("company", "org", "ORG"),
    ("ship", "thing", "PRODUCT"), ("cosmodrome", "feature", "LOC"),
])
def test_entry_types_map_to_link_types_and_spacy_labels(entry_type: str, kind: str, spacy_label: str) -> None:
    assert category(entry_type) == kind and label(entry_type) == spacy_label


def test_link_lists_names_as_written_fixed_and_suggested_with_spans_into_the_input() -> None:
    links = normkit.link(TEXT)
    by_text = {x.text: x for x in links}
    for x in links:
        assert TEXT[x.start:x.end] == x.text
        assert x.status in ("ok", "fixed", "suggested")
        assert resolve(x.entity_id, default_gazetteer(), name_lexicon()) is not None
    assert by_text["Vladimir Putin"].entity_id == "curated:person-vladimir-putin"
    assert by_text["Putin"].entity_id == "curated:person-vladimir-putin"  # the surname, after the full name
    assert by_text["Saint Petersburg"].status == "ok" and by_text["Saint Petersburg"].type == "place"
    assert by_text["Kirishy"].status in ("fixed", "suggested") and by_text["Kirishy"].after == "Kirishi"
    assert by_text["Kirishy"].canonical_cyrillic == "Кириши"
    assert by_text["Lake Baikal"].type == "feature"
    assert by_text["Sverdlovsk region"].entry_type == "region"
    # A given name and a surname the lexicon knows: a name linked by pattern, not a listed person.
    assert by_text["Ivan Petrov"].entity_id == pattern_id(["иван", "петров"]) == "lexicon:иван+петров"
    assert by_text["Ivan Petrov"].how == "pattern" and by_text["Ivan Petrov"].canonical_cyrillic == "Иван Петров"
    assert by_text["Petrov"].entity_id == "lexicon:иван+петров"


@pytest.mark.parametrize("text, expected", [
    ("Zenit Saint Petersburg won.", [("Zenit", "org"), ("Saint Petersburg", "place")]),
    ("We flew to St. Petersburg.", [("St. Petersburg", "place")]),
    ("MOSCOW (Reuters) - Nothing.", [("MOSCOW", "place")]),
    ("Oleg Mikhaylov spoke.", [("Oleg Mikhaylov", "person")]),
    ("Я живу в Москве и Волгограде.", [("Москве", "place"), ("Волгограде", "place")]),
    ("The Siberian and Tatar cuisine.", []),  # adjectives and ethnonyms are words, not entities
    ("Nothing Russian here at all.", []),
    ("Officials in Russia and Kazakhstan, once the Soviet Union.",
     [("Russia", "place"), ("Kazakhstan", "place"), ("Soviet Union", "place")]),
    # the party, not "United" + a country; the country its name names is listed after it, nested
    ("The United Russia party won.", [("United Russia", "org"), ("Russia", "place")]),
    ("The Rzhev-Vyazma operation.", [("Rzhev", "place"), ("Vyazma", "place")]),
    ("Floods in the districts of Gunibsky and Kurakhsky.", [("Gunibsky", "place"), ("Kurakhsky", "place")]),
    ("Mr Gunibsky said so.", []),  # an adjective without a district named near it
    ("Nadezhda Batoeva danced.", []),  # a given name before a surname: not the village Nadezhda
])
def test_link_behaviour(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(x.text, x.type) for x in normkit.link(text)] == expected


def test_link_needs_a_str() -> None:
    with pytest.raises(TypeError, match="str"):
        normkit.link(b"Kirishi")  # type: ignore[arg-type]


def test_resolve_pattern_ids_only_from_lexicon_words() -> None:
    lexicon = name_lexicon()
    entry = resolve("lexicon:иван+петрова", default_gazetteer(), lexicon)  # feminine of a listed surname
    assert entry is not None and entry.cyrillic == "Иван Петрова" and entry.type == "person"
    assert resolve("lexicon:петров+иван", default_gazetteer(), lexicon) is None  # a surname first
    assert resolve("lexicon:иван", default_gazetteer(), lexicon) is None
    assert resolve("lexicon:иван+qqqq", default_gazetteer(), lexicon) is None
    assert resolve("curated:no-such-entry", default_gazetteer(), lexicon) is None


def test_cli_link_and_lookup_by_id(tmp_path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(TEXT + "\n", encoding="utf-8")
    done = run_cli("link", str(path), "--format", "jsonl")
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert {r["entity_id"] for r in rows} >= {"curated:person-vladimir-putin", "geonames:548442"}
    assert all(TEXT[r["start"]:r["end"]] == r["text"] for r in rows)
    text_out = run_cli("link", str(path))
    assert text_out.returncode == 0 and "geonames:548442" in text_out.stdout.decode()
    for entity in {r["entity_id"] for r in rows}:
        found = run_cli("gazetteer", "lookup", entity)
        assert found.returncode == 0 and found.stdout.decode().startswith(entity + "\t"), entity
    missing = run_cli("gazetteer", "lookup", "geonames:0")
    assert missing.returncode == 1 and len(missing.stderr.decode().splitlines()) == 1
    assert run_cli("link", str(tmp_path / "none.txt")).returncode == 2


def test_spacy_pipe_sets_ents_with_kb_ids_on_both_tokenizers() -> None:
    spacy = pytest.importorskip("spacy")
    import normkit.spacy  # noqa: F401  (registers the factory)

    text = "President Vladimir Putin visited Kirishy and Черепoвец on Monday."
    plain = spacy.blank("en")
    plain.add_pipe("normkit_linker")
    doc = plain(text)
    assert [(e.text, e.label_, e.kb_id_) for e in doc.ents] == [
        ("Vladimir Putin", "PERSON", "curated:person-vladimir-putin"), ("Kirishy", "GPE", "geonames:548442"),
        ("Черепoвец", "GPE", "geonames:569223")]
    cleaning = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": "normkit.Tokenizer.v1"}}})
    cleaning.add_pipe("normkit_linker")
    doc = cleaning(text)
    ents = {e.text: e for e in doc.ents}
    assert ents["Cherepovets"].kb_id_ == "geonames:569223"
    start, end = ents["Cherepovets"]._.original_offsets
    assert text[start:end] == "Черепoвец"
    name_edits = [e for e in doc._.normkit_edits + doc._.normkit_suggestions if e.kind in NAME_KINDS]
    assert name_edits and all(e.entity_id for e in name_edits)  # kept on the Doc


def test_a_saved_pipeline_with_the_linker_loads_in_a_fresh_process(tmp_path) -> None:
    import subprocess
    import sys

    spacy = pytest.importorskip("spacy")
    import normkit.spacy  # noqa: F401

    nlp = spacy.blank("en")
    nlp.add_pipe("normkit_linker", config={"min_confidence": 0.6})
    nlp.to_disk(tmp_path / "pipe")
    code = ("import spacy, sys; nlp = spacy.load(sys.argv[1]); "
            "print([(e.text, e.label_, e.kb_id_) for e in nlp('Officials in Kirishi met Sergei Shoigu.').ents])")
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path / "pipe")], capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode().strip() == ("[('Kirishi', 'GPE', 'geonames:548442'), "
                                            "('Sergei Shoigu', 'PERSON', 'curated:person-sergei-shoigu')]")
