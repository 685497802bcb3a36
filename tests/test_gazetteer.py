"""The default gazetteer: the seed's entities, lookups, user glossaries, the name lexicon."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from normkit import gazetteer as gz
from normkit.errors import GlossaryError
from normkit.gazetteer import Entry, Gazetteer, core_name, default_gazetteer, name_key, name_lexicon

HEADER = "# normkit-glossary 1\nid\tcyrillic\tlatin\ttype\tparents\tpopulation\taliases\tsource\n"


pytestmark = pytest.mark.usefixtures("fresh_gazetteers")  # see conftest


def one(name: str, type_: str | None = None, gazetteer: Gazetteer | None = None) -> Entry:
    found = [e for e in (gazetteer or default_gazetteer()).lookup(name) if type_ in (None, e.type)]
    assert found, f"nothing for {name!r}"
    return found[0]


def parent_names(entry: Entry) -> list[str]:
    return [p.latin for p in default_gazetteer().parents(entry)]


# ---------------------------------------------------------------- the seed's entities

def test_kirishi() -> None:
    kirishi = one("Кириши")
    assert (kirishi.id, kirishi.latin, kirishi.type) == ("geonames:548442", "Kirishi", "town")
    assert parent_names(kirishi) == ["Leningrad Oblast"]
    assert one("kirishi") == kirishi  # any case
    assert one("Киришский район").latin == "Kirishsky District"


def test_glazhevo_village_of_kirishsky_district() -> None:
    village = one("Глажево")
    assert (village.latin, village.type) == ("Glazhevo", "village")
    assert parent_names(village) == ["Kirishsky District", "Leningrad Oblast"]
    assert one("Glazhevo") == village


def test_lodygina_street_in_traktorozavodsky_district_of_volgograd() -> None:
    street = one("улица Лодыгина")
    assert (street.latin, street.type) == ("Lodygina Street", "street")
    assert parent_names(street) == ["Traktorozavodsky District", "Volgograd", "Volgograd Oblast"]
    assert one("ulitsa Lodygina") == street


def test_traktorozavodsky_district_has_parent_volgograd() -> None:
    districts = default_gazetteer().lookup("Тракторозаводский район")
    by_city = {parent_names(d)[0]: d for d in districts}
    assert set(by_city) == {"Volgograd", "Chelyabinsk"}  # namesakes, told apart by parent
    volgograd = by_city["Volgograd"]
    assert volgograd.type == "city_district" and volgograd.parents[0] == one("Volgograd").id
    assert "Traktorozavodskiy District" in volgograd.aliases  # the seed's BGN form is accepted
    volgograd_districts = [e for e in default_gazetteer().memory_entries()
                           if e.type == "city_district" and e.parents[0] == "geonames:472757"]
    assert len(volgograd_districts) == 8


def test_people_of_the_seed() -> None:
    bocharov = one("Андрей Бочаров")
    assert (bocharov.latin, bocharov.type) == ("Andrei Bocharov", "person")
    assert parent_names(bocharov) == ["Volgograd Oblast"]
    assert one("Andrey Bocharov") == bocharov
    kadyrov = one("Рамзан Кадыров")
    assert kadyrov.latin == "Ramzan Kadyrov" and parent_names(kadyrov) == ["Chechnya"]
    assert one("Сергей Собянин").latin == "Sergei Sobyanin"


def test_established_english_forms() -> None:
    grozny = one("Grozny")
    assert (grozny.cyrillic, grozny.latin, grozny.type) == ("Грозный", "Grozny", "city")
    assert "Groznyy" in grozny.aliases  # BGN/PCGN accepted too
    assert one("Москва", "city").latin == "Moscow"
    assert one("Saint Petersburg", "city").cyrillic == "Санкт-Петербург"
    assert one("Nizhny Novgorod", "city").cyrillic == "Нижний Новгород"
    assert one("Volgograd").type == "city"
    assert one("Chechnya").cyrillic == "Чеченская Республика"
    for region in ("Volgograd Region", "Leningrad Region", "Volgogradskaya oblast'", "Волгоградская область"):
        assert one(region).type == "region", region


def test_foreign_exonyms_and_other_schemes_are_not_aliases() -> None:
    # these are what matching corrects, so they must not look "accepted"
    for wrong in ("Kirischi", "Kirichi", "Kiriši", "Moskau"):
        assert default_gazetteer().lookup(wrong) == [], wrong


def test_historic_name_kept_but_not_when_another_place_bears_it() -> None:
    assert one("Stalingrad").cyrillic == "Волгоград"
    assert [e.cyrillic for e in default_gazetteer().lookup("Stavropol")] == ["Ставрополь"]  # not Tolyatti


# ---------------------------------------------------------------- lookup behaviour

def test_name_key_folds_case_yo_stress_and_apostrophes() -> None:
    assert name_key("Орёл") == name_key("ОРЕЛ") == "орел"
    assert name_key("Палла́совский  райо́н") == "палласовский район"
    assert name_key("Tol’yatti") == name_key("Tol'yatti")
    assert name_key("Kiriši") != name_key("Kirisi")


def test_lookup_folds_yo_and_ranks_by_population() -> None:
    assert one("Орел", "city").latin == "Oryol"
    found = default_gazetteer().lookup("Sovetsky District")
    assert len(found) > 1
    populations = [e.population for e in found]
    assert populations == sorted(populations, reverse=True)


def test_get_parents_len_iter_counts() -> None:
    gazetteer = default_gazetteer()
    assert gazetteer.get("geonames:472757").latin == "Volgograd"
    assert gazetteer.get("no:such") is None and "no:such" not in gazetteer
    assert len(gazetteer) == len(list(gazetteer)) > 7000
    counts = gazetteer.counts()
    assert counts["region"] == 83 and counts["person"] > 100 and counts["city_district"] > 100
    assert default_gazetteer() is gazetteer  # cached


def test_add_index_and_by_key() -> None:
    gazetteer = default_gazetteer()
    gazetteer.add_index("first3", lambda e: {name_key(n)[:3] for n in e.names})
    assert gazetteer.has_index("first3") and not gazetteer.has_index("first3", "2")
    assert "geonames:548442" in {e.id for e in gazetteer.by_key("first3", "kir")}
    assert gazetteer.by_key("first3", "zzq") == []
    with pytest.raises(KeyError):
        gazetteer.by_key("missing", "x")


def test_core_name() -> None:
    assert core_name("улица Лодыгина") == "Лодыгина"
    assert core_name("Traktorozavodsky District") == "Traktorozavodsky"
    assert core_name("Republic of Adygea") == "Adygea"
    assert core_name("Volgograd Oblast") == "Volgograd"
    assert core_name("District") == "District"


# ---------------------------------------------------------------- user glossaries

def user_file(tmp_path: Path, name: str, rows: str) -> Path:
    path = tmp_path / name
    path.write_text(HEADER + rows, encoding="utf-8")
    return path


def test_user_glossary_by_option(tmp_path: Path) -> None:
    mine = user_file(tmp_path, "mine.tsv", "me:1\tулица Мира\tMira Street\tstreet\tgeonames:548442\t0\t\t\n")
    gazetteer = default_gazetteer([mine])
    street = one("Mira Street", gazetteer=gazetteer)
    assert street.source == "mine.tsv" and gazetteer.parents(street)[0].latin == "Kirishi"
    assert default_gazetteer().lookup("Mira Street") == []  # the default is unchanged


def test_user_glossaries_by_env_var_files_and_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    a = user_file(tmp_path, "a.tsv", "me:a\tАльфа\tAlfa\tvillage\t\t0\t\t\n")
    folder = tmp_path / "more"
    folder.mkdir()
    user_file(folder, "b.tsv", "me:b\tБета\tBeta\tvillage\t\t0\t\t\n")
    monkeypatch.setenv(gz.ENV_GLOSSARIES, f"{a}{__import__('os').pathsep}{folder}")
    gazetteer = default_gazetteer()
    assert one("Alfa", gazetteer=gazetteer).id == "me:a" and one("Бета", gazetteer=gazetteer).id == "me:b"


def test_user_entry_overrides_shipped_by_id(tmp_path: Path) -> None:
    mine = user_file(tmp_path, "fix.tsv",
                     "geonames:548442\tКириши\tKirishi\ttown\tgeonames:536199\t60000\tKirishi town\tme\n")
    gazetteer = default_gazetteer([mine])
    kirishi = gazetteer.get("geonames:548442")
    assert (kirishi.population, kirishi.source) == (60000, "me")
    assert one("Kirishi town", gazetteer=gazetteer) == kirishi


def test_malformed_user_glossary_names_file_and_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = user_file(tmp_path, "bad.tsv", "me:1\tАльфа\tAlfa\tvillage\t\t0\t\t\nme:2\tБета\tBeta\n")
    with pytest.raises(GlossaryError, match=rf"^{bad}:4: expected 8 columns, got 3$"):
        default_gazetteer([bad])
    monkeypatch.setenv(gz.ENV_GLOSSARIES, str(tmp_path / "absent.tsv"))
    with pytest.raises(GlossaryError, match="absent.tsv: no such glossary file"):
        default_gazetteer()


# ---------------------------------------------------------------- the person-name lexicon

def test_name_lexicon() -> None:
    lexicon = name_lexicon()
    assert lexicon is name_lexicon()
    assert {e.type for e in lexicon.lookup("Бочаров")} == {"surname"}
    assert one("Lodygin", gazetteer=lexicon).cyrillic == "Лодыгин"
    andrei = one("Андрей", gazetteer=lexicon)
    assert (andrei.type, andrei.latin) == ("given_name", "Andrei") and "Andrey" in andrei.aliases
    patronymic = one("Ахматович", gazetteer=lexicon)
    assert patronymic.type == "patronymic" and "Ахматовна" in patronymic.aliases
    assert lexicon.counts()["surname"] > 50_000


def test_lexicon_is_not_part_of_the_default_gazetteer() -> None:
    assert default_gazetteer().lookup("Лодыгин") == []


def test_importing_normkit_loads_no_glossary() -> None:
    code = "import normkit, normkit.gazetteer.sources as s; print(s.loaded_count())"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["0"]
