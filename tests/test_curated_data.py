"""The authored glossaries: well-formed, consistent with each other, and what name correction and
translation make of them (accepted spellings left alone, no new correction targets from English words)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

import normkit
from normkit import lexicon
from normkit._paths import glossaries_dir
from normkit.gazetteer import NAMES_FILE, PLACE_FILES, Entry, default_gazetteer, read_glossary
from normkit.names.candidates import significant_words as _significant_words, word_forms as _word_forms

CURATED = [name for name in PLACE_FILES if name.startswith("curated_")]
NEW_FILES = ["curated_features.tsv", "curated_historical_names.tsv", "curated_adjectives.tsv",
             "curated_officials.tsv", "curated_notable_people.tsv"]
CYRILLIC = re.compile("[\u0400-\u04ff]")
LATIN = re.compile("[A-Za-z\u00c0-\u024f]")
ROMAN_NUMERAL = re.compile(r"[IVXLC]+")  # Николай II: a numeral, in no script
WORD_SPLIT = re.compile(r"[\s\-–—/.,()«»!]+")


def words(name: str) -> list[str]:
    return [w for w in WORD_SPLIT.split(name) if w]


def documented_types() -> set[str]:
    """Every type the README's table of types names (backticked words of its rows)."""
    readme = (glossaries_dir() / "README.md").read_text(encoding="utf-8")
    table = readme.split("Types of the shipped files:", 1)[1].split("\n\n", 2)[1]
    return {t for row in table.splitlines()[2:] for t in re.findall(r"`([a-z_]+)`", row.split("|")[2])}


@pytest.fixture(scope="module")
def files() -> dict[str, list[Entry]]:
    return {name: read_glossary(glossaries_dir() / name) for name in (*PLACE_FILES, NAMES_FILE)}


@pytest.fixture(scope="module")
def by_id(files: dict[str, list[Entry]]) -> dict[str, Entry]:
    return {e.id: e for name in PLACE_FILES for e in files[name]}


# ---------------------------------------------------------------- the files


def test_new_files_are_shipped_parsed_and_say_what_they_are(files: dict[str, list[Entry]]) -> None:
    for name in NEW_FILES:
        assert name in PLACE_FILES
        head = (glossaries_dir() / name).read_text(encoding="utf-8").split("\nid\t", 1)[0]
        assert head.startswith("# normkit-glossary 1\n")
        assert "normkit developers" in head and "CC0" in head, name
        assert len(files[name]) >= 20, name
        assert all(e.id.startswith("curated:") and e.source == "curated" for e in files[name]), name


def test_ids_are_unique_across_all_shipped_glossaries(files: dict[str, list[Entry]]) -> None:
    seen: dict[str, str] = {}
    for name, entries in files.items():
        for entry in entries:
            assert entry.id not in seen, f"{entry.id} is in {seen.get(entry.id)} and {name}"
            seen[entry.id] = name


def test_parents_resolve_and_types_are_documented(files: dict[str, list[Entry]], by_id: dict[str, Entry]) -> None:
    documented = documented_types()
    for name in PLACE_FILES:
        for entry in files[name]:
            assert entry.type in documented, f"{name}: {entry.id} has the undocumented type {entry.type}"
            for parent in entry.parents:
                assert parent in by_id, f"{entry.id}: parent {parent} is not shipped"
    assert {e.type for e in files[NAMES_FILE]} <= documented


def test_scripts_are_not_mixed(files: dict[str, list[Entry]]) -> None:
    for name in CURATED:
        for entry in files[name]:
            assert all(CYRILLIC.search(w) and not LATIN.search(w) or ROMAN_NUMERAL.fullmatch(w)
                       for w in words(entry.cyrillic) if LATIN.search(w) or CYRILLIC.search(w)), entry
            assert not CYRILLIC.search(entry.latin), entry
            for alias in entry.aliases:
                assert not any(CYRILLIC.search(w) and LATIN.search(w) for w in words(alias)), (entry.id, alias)


def test_people_are_named_in_full(files: dict[str, list[Entry]]) -> None:
    people = [e for name in CURATED for e in files[name] if e.type == "person"]
    assert len(people) > 600
    for person in people:
        assert len(person.cyrillic.split()) >= 2 and len(person.latin.split()) >= 2, person
        assert all(len(alias.split()) >= 2 for alias in person.aliases), person  # never the surname alone


def test_every_federal_subject_has_a_head(files: dict[str, list[Entry]]) -> None:
    regions = {e.id for e in files["geonames_ru.tsv"] if e.type == "region"}
    headed = {p for e in files["curated_officials.tsv"] for p in e.parents}
    assert len(regions) == 83 and regions <= headed


def test_historical_names_point_to_the_present_city(files: dict[str, list[Entry]], by_id: dict[str, Entry]) -> None:
    for entry in files["curated_historical_names.tsv"]:
        city, region = (by_id[p] for p in entry.parents)
        assert city.type in ("city", "town") and region.type == "region" and region.id in city.parents, entry


def test_no_english_word_of_a_name_is_a_correction_target(files: dict[str, list[Entry]]) -> None:
    """The name stage corrects to the words of entries' names; an ordinary English word among them
    (the River of Volga River, the Bank of VTB Bank, the Inlet of Kola Inlet) must never be offered
    as one, and a person's surname (the target for people) must not be a plain English word."""
    index = normkit.load().name_linker().index
    for name in NEW_FILES:
        for entry in files[name]:
            significant = _significant_words(entry.latin)
            if entry.type == "person":
                assert not lexicon.is_english(significant[-1]) or significant[-1] in ENGLISH_SURNAMES, entry
    for word in GENERIC_WORDS:  # a slip of one is never corrected to the word
        slip = word[:-1] + ("a" if word[-1] != "a" else "e")
        offered = {w.lower() for c in index.candidates(slip) for w in (c.output, c.form)}
        assert word.lower() not in offered, word


GENERIC_WORDS = ("River", "Bank", "Company", "Inlet", "Bay", "Lake", "Island", "Great", "Oil", "Group", "Gas",
                 "Sea", "Theatre", "Museum", "Zone", "Park", "Reserve", "Canal", "Port", "Airport")


# Surnames that happen to be English words: correcting to them corrects to the person.
ENGLISH_SURNAMES = {"Miller", "Moor", "Berg", "Putin", "Men", "Richter", "Lenin", "Stalin", "Molotov", "Ernst"}


# ---------------------------------------------------------------- lookups


@pytest.mark.parametrize("name, type_, latin", [
    ("Baikal", "lake", "Lake Baikal"),
    ("ozero Baykal", "lake", "Lake Baikal"),
    ("Yenisey", "river", "Yenisei River"),
    ("Klyuchevskoy", "volcano", "Klyuchevskaya Sopka"),
    ("Solovki", "island", "Solovetsky Islands"),
    ("Nornickel", "company", "Norilsk Nickel"),
    ("Норникель", "company", "Norilsk Nickel"),
    ("Ak Bars", "club", "Ak Bars Kazan"),
    ("Yabloko", "party", "Yabloko"),
    ("Bolshoi", "theatre", "Bolshoi Theatre"),
    ("Koenigsberg", "historical_name", "Königsberg"),
    ("Kalmucks", "ethnonym", "Kalmyk"),
    ("Muscovites", "demonym", "Muscovite"),
    ("Sergei Rachmaninov", "person", "Sergei Rachmaninoff"),
    ("Fyodor Dostoyevsky", "person", "Fyodor Dostoevsky"),
    ("Aleksandr Drozdenko", "person", "Alexander Drozdenko"),
    ("Yevgeniy Solntsev", "person", "Yevgeny Solntsev"),
])
def test_lookup_finds_accepted_forms(name: str, type_: str, latin: str) -> None:
    found = [e for e in default_gazetteer().lookup(name) if e.type == type_]
    assert [e.latin for e in found] == [latin]


def test_lookup_of_officials_gives_their_region() -> None:
    gazetteer = default_gazetteer()
    [head] = gazetteer.lookup("Ilya Seredyuk")
    assert [p.latin for p in gazetteer.parents(head)] == ["Kemerovo Oblast"]
    [mayor] = gazetteer.lookup("Ilsur Metshin")
    assert [p.type for p in gazetteer.parents(mayor)] == ["city", "region"]
    assert [e.type for e in gazetteer.lookup("Kuibyshev")][:1] == ["historical_name"]
    assert gazetteer.parents(gazetteer.lookup("Kuibyshev")[0])[0].latin == "Samara"


# ---------------------------------------------------------------- what name correction makes of them


@pytest.mark.parametrize("text", [
    "Pyotr Tchaikovsky and Sergei Rachmaninoff were played at the Bolshoi and the Mariinsky.",
    "Rachmaninov, Dostoyevsky and Wassily Kandinsky; Prokofieff in the old programmes.",
    "The Yenisei and the Irtysh flow north; the Angara drains Lake Baikal.",
    "Klyuchevskoy and Shiveluch erupted on Kamchatka; Elbrus is the highest peak.",
    "The Solovetsky Islands, Kizhi and Valaam lie on the White Sea and Lake Onega.",
    "Roscosmos launched a Soyuz from Baikonur; Nornickel and Severstal shares rose.",
    "Tatars, Bashkirs, Udmurts, Buryats and Kalmucks; Muscovites and Siberians.",
    "In Kuibyshev, Gorky and Königsberg before the war; Tsaritsyn and Simbirsk earlier.",
    "Governor Ilya Seredyuk met Alexei Besprozvannykh and Yevgeny Pervyshov.",
])
def test_accepted_spellings_are_left_alone(text: str) -> None:
    result = normkit.clean(text)
    assert result.text == text and result.edits == []


@pytest.mark.parametrize("written", [
    "Compani", "Rockett", "Businesss", "Securit", "Mobilee", "Instituto", "Volcan", "Strem",  # English typos
    "Buriats", "Tartaro", "Sarrians",  # foreign words near an ethnonym: ethnonyms are no target
])
def test_typos_of_english_words_and_ethnonyms_are_no_name_fix(written: str) -> None:
    for template in ("He travelled to {} last week.", "{} said the talks would resume."):
        text = template.format(written)
        assert normkit.clean(text).edits == []


@pytest.mark.parametrize("written, right", [
    ("Governor Ilya Seredyk", "Governor Ilya Seredyuk"),  # a lost letter of a new head's surname
    ("Governor Alexei Besprozvanykh", "Governor Alexei Besprozvannykh"),
    ("Minister Sergei Tsivlev", "Minister Sergei Tsivilev"),  # (Tsivilyov is an accepted spelling: ё as yo)
])
def test_new_officials_are_corrected_beside_title_and_given_name(written: str, right: str) -> None:
    text = f"{written} visited the plant on Monday."
    assert normkit.clean(text).text == f"{right} visited the plant on Monday."


# ---------------------------------------------------------------- what translation protects


def test_translation_protects_names_but_not_words_that_inflect() -> None:
    text = "Tatars and Muscovites visited the Hermitage Museum and Lake Baikal with Sergei Rachmaninoff."
    found = {m.text: m.entry.type for m in normkit.load().find_names(text)}
    assert found == {"Hermitage Museum": "museum", "Lake Baikal": "lake", "Sergei Rachmaninoff": "person"}


def test_a_region_outranks_a_word_of_the_same_spelling_in_translation() -> None:
    [match] = normkit.load().find_names("Власти Коми сообщили об этом.")
    assert match.entry.type == "region" and match.entry.latin == "Komi Republic"


def test_readme_lists_each_new_file() -> None:
    readme = (glossaries_dir() / "README.md").read_text(encoding="utf-8")
    for name in NEW_FILES:
        assert f"`{name}`" in readme
    assert Path(glossaries_dir() / "curated_officials.tsv").read_text(encoding="utf-8").count("as of") >= 5
