"""The local store: GeoNames dump and postal imports into SQLite, queried by the default gazetteer."""
from __future__ import annotations

import gzip
import os
import zipfile
from pathlib import Path

import pytest

from conftest import run_cli
from normkit import gazetteer as gz
from normkit.errors import GlossaryError, StoreError
from normkit.gazetteer import default_gazetteer, store
from normkit.gazetteer.dumps import detect_format
from normkit.gazetteer.importer import import_file


@pytest.fixture(autouse=True)
def _fresh_caches() -> None:
    gz.reset_caches()
    yield
    gz.reset_caches()


def geonames_row(gid: int, name: str, alternates: str, fclass: str = "P", fcode: str = "PPL",
                 admin1: str = "42", admin2: str = "", population: int = 0) -> str:
    columns = [str(gid), name, name, alternates, "59.6", "32.1", fclass, fcode, "RU", "", admin1, admin2,
               "", "", str(population), "", "", "Europe/Moscow", "2024-01-01"]
    assert len(columns) == 19
    return "\t".join(columns)


GEONAMES_ROWS = [
    geonames_row(9000001, "Pchevzhitsa", "Pchevzhitsa,Pchewshitza,Пчевжица", admin2="548441", population=1200),
    geonames_row(548442, "Kirishi", "Kirishi,Кириши", population=56190),              # shipped already
    geonames_row(9000002, "Nowhere", "Nowhere,Nirgendwo"),                             # no Russian name
    geonames_row(9000003, "Pchevzhitsa River", "Пчевжица", fclass="H", fcode="STM"),        # not a place
    geonames_row(9000010, "Novyy Rayon", "Новый Район", fclass="A", fcode="ADM2", admin2="9000010"),
    geonames_row(9000011, "Novosyolki", "Novoselki,Новосёлки", admin2="9000010", population=30),
]

POSTAL_ROWS = [
    "country_code,zipcode,place,state,state_code,province,province_code,community,community_code,latitude,longitude",
    "RU,187110,Кириши,Ленинградская Область,42,,,,,59.45,32.0211",
    "RU,187111,Кириши 1,Ленинградская Область,42,,,,,59.45,32.0211",
    "RU,187126,Глажево,Ленинградская Область,42,КИРИШСКИЙ РАЙОН,,,,59.6733,32.1178",
    "RU,999122,Пчевжица,Ленинградская Область,42,КИРИШСКИЙ РАЙОН,,,,59.6,32.1",
    "RU,999121,Пчевжица 2,Ленинградская Область,42,КИРИШСКИЙ РАЙОН,,,,59.6,32.1",
    "RU,187199,Кириши Почтамт,Ленинградская Область,42,,,,,59.45,32.0211",
    "RU,404999,Серп И Молот,Волгоградская Область,84,НОВЫЙ РАЙОН,,,,48.7,44.5",
    "RU,672000,Чита,Читинская Область,,,,,,52.0333,113.55",
]


def write_geonames(tmp_path: Path, rows: list[str] = GEONAMES_ROWS, name: str = "RU.txt") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def write_postal(tmp_path: Path, rows: list[str] = POSTAL_ROWS, name: str = "postal.csv.gz") -> Path:
    path = tmp_path / name
    data = ("\n".join(rows) + "\n").encode("utf-8")
    path.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    return path


def store_path() -> Path:
    return Path(os.environ["NORMKIT_DATA_DIR"]) / "gazetteer.sqlite3"


def import_geonames(path: Path) -> store.ImportReport:
    return import_file(path, "geonames")


def import_postal(path: Path) -> store.ImportReport:
    return import_file(path, "postal")


# ---------------------------------------------------------------- format detection

def test_detect_format(tmp_path: Path) -> None:
    assert detect_format(write_geonames(tmp_path)) == "geonames"
    assert detect_format(write_postal(tmp_path)) == "postal"
    assert detect_format(write_postal(tmp_path, name="postal.csv")) == "postal"
    tsv = tmp_path / "RU_postal.txt"
    tsv.write_text("RU\t187126\tГлажево\tЛенинградская Область\t42\tКИРИШСКИЙ РАЙОН\t\t\t\t59.6\t32.1\t1\n",
                   encoding="utf-8")
    assert detect_format(tsv) == "postal"
    archive = tmp_path / "RU.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("readme.txt", "GeoNames readme\n")
        z.writestr("RU.txt", "\n".join(GEONAMES_ROWS) + "\n")
    assert detect_format(archive) == "geonames"
    other = tmp_path / "notes.txt"
    other.write_text("just some text\n", encoding="utf-8")
    with pytest.raises(StoreError, match="neither a GeoNames dump"):
        detect_format(other)
    with pytest.raises(StoreError, match="no such file"):
        detect_format(tmp_path / "missing.zip")


# ---------------------------------------------------------------- GeoNames dump

def test_import_geonames_dump(tmp_path: Path) -> None:
    assert not store.info().exists
    report = import_geonames(write_geonames(tmp_path))
    assert (report.rows, report.added) == (6, 3)
    assert report.skipped == {"already shipped": 1, "no Russian name": 1, "other features": 1}
    db = store.Store(store_path())
    village = db.get("geonames:9000001")
    assert (village.cyrillic, village.latin, village.type, village.population) == ("Пчевжица", "Pchevzhitsa",
                                                                                    "village", 1200)
    assert village.parents == ("geonames:548441", "geonames:536199")  # Kirishsky District, Leningrad Oblast
    assert "Pchewshitza" not in village.aliases  # a German transcription is not an accepted spelling
    # a district that only the dump defines still becomes a parent (two passes over the file)
    district = db.get("geonames:9000010")
    assert (district.cyrillic, district.type) == ("Новый район", "district")
    assert db.get("geonames:9000011").parents == ("geonames:9000010", "geonames:536199")
    db.close()


def test_import_zip_and_reimport_replaces(tmp_path: Path) -> None:
    archive = tmp_path / "RU.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("readme.txt", "GeoNames readme\n")
        z.writestr("RU.txt", "\n".join(GEONAMES_ROWS) + "\n")
    assert import_file(archive).added == 3
    assert import_file(archive).added == 3
    info = store.info()
    assert info.entries == 3 and len(info.imports) == 2


def test_geonames_entries_reach_the_default_gazetteer(tmp_path: Path) -> None:
    assert default_gazetteer().lookup("Pchevzhitsa") == []
    import_geonames(write_geonames(tmp_path))
    gazetteer = default_gazetteer()
    [village] = gazetteer.lookup("pchevzhitsa")
    assert village.id == "geonames:9000001"
    assert [p.latin for p in gazetteer.parents(village)] == ["Kirishsky District", "Leningrad Oblast"]
    assert gazetteer.get("geonames:9000011").cyrillic == "Новосёлки"
    assert len(gazetteer) == len(list(gazetteer))
    assert gazetteer.counts()["village"] >= 3732
    # an index registered by matching covers the store too, and is persisted there
    gazetteer.add_index("prefix", lambda e: {gz.name_key(n)[:4] for n in e.names})
    assert "geonames:9000001" in {e.id for e in gazetteer.by_key("prefix", "pche")}
    assert ("prefix", "1") in store.info().indexes


def test_glossary_entry_shadows_store_entry(tmp_path: Path) -> None:
    import_geonames(write_geonames(tmp_path))
    mine = tmp_path / "mine.tsv"
    mine.write_text("# normkit-glossary 1\nid\tcyrillic\tlatin\ttype\tparents\tpopulation\taliases\tsource\n"
                    "geonames:9000001\tПчевжица\tPchevzhitsa\tvillage\tgeonames:548441\t1300\t\tme\n", encoding="utf-8")
    gazetteer = default_gazetteer([mine])
    assert [e.source for e in gazetteer.lookup("Пчевжица")] == ["me"]
    assert sum(1 for e in gazetteer if e.id == "geonames:9000001") == 1


def test_malformed_geonames_row_names_file_and_line_and_changes_nothing(tmp_path: Path) -> None:
    import_geonames(write_geonames(tmp_path))
    before = store.info()
    bad = write_geonames(tmp_path, [*GEONAMES_ROWS[:2], "548443\tKirishi\tonly four columns"], "bad.txt")
    with pytest.raises(GlossaryError, match=rf"^{bad}:3: expected 19 tab-separated columns .*got 3$"):
        import_geonames(bad)
    after = store.info()
    assert (after.entries, after.imports) == (before.entries, before.imports)
    bad_id = write_geonames(tmp_path, [GEONAMES_ROWS[0].replace("9000001", "x9", 1)], "bad_id.txt")
    with pytest.raises(GlossaryError, match=rf"^{bad_id}:1: geonameid must be a number"):
        import_geonames(bad_id)


# ---------------------------------------------------------------- postal dump

def test_import_postal(tmp_path: Path) -> None:
    report = import_postal(write_postal(tmp_path))
    assert report.rows == 8
    assert report.skipped == {"numbered duplicates": 2, "post-office facilities": 1, "already known": 3}
    db = store.Store(store_path())
    [village] = db.lookup("Пчевжица")
    # numbered duplicates collapse; the lowest code names the place
    assert (village.id, village.latin, village.type) == ("postal:999121", "Pchevzhitsa", "village")
    assert village.parents == ("geonames:548441", "geonames:536199")
    [serp] = db.lookup("Серп и Молот")
    assert serp.latin == "Serp i Molot"
    # a district the glossaries lack becomes a store entry of its region
    district = db.get(serp.parents[0])
    assert (district.cyrillic, district.type, district.parents) == ("Новый район", "district", ("geonames:472755",))
    db.close()
    # Кириши, Глажево and Чита (under its pre-2008 region name) are known already: one entry each
    gazetteer = default_gazetteer()
    [glazhevo] = gazetteer.lookup("Глажево")
    assert glazhevo.latin == "Glazhevo" and gazetteer.parents(glazhevo)[0].latin == "Kirishsky District"
    assert len(gazetteer.lookup("Кириши")) == 1
    assert [e.id for e in gazetteer.lookup("Чита") if e.type == "city" or e.id.startswith("postal:6")] == [
        "geonames:2025339"]  # (a village Чита of another region is another place)


def test_postal_tsv_variant_and_bad_rows(tmp_path: Path) -> None:
    tsv = tmp_path / "RU_postal.txt"
    tsv.write_text("RU\t999122\tПчевжица\tЛенинградская Область\t42\tКИРИШСКИЙ РАЙОН\t\t\t\t59.6\t32.1\t1\n",
                   encoding="utf-8")
    assert import_file(tsv).added == 1
    bad = write_postal(tmp_path, [*POSTAL_ROWS[:3], "RU,187126,Глажево,Ленинградская Область"], "bad.csv")
    with pytest.raises(GlossaryError, match=rf"^{bad}:4: expected 11 comma-separated columns"):
        import_postal(bad)


def test_info_describes_the_store(tmp_path: Path) -> None:
    assert "none yet" in str(store.info())
    import_postal(write_postal(tmp_path))
    info = store.info()
    assert info.exists and info.path == store_path() and info.types == {"district": 1, "village": 2}
    text = str(info)
    assert str(store_path()) in text and "postal" in text and "village: 2" in text


def test_data_dir_follows_env_var(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NORMKIT_DATA_DIR", str(tmp_path / "elsewhere"))
    assert store.default_store_path() == tmp_path / "elsewhere" / "gazetteer.sqlite3"


def test_not_a_store(tmp_path: Path) -> None:
    junk = tmp_path / "junk.sqlite3"
    junk.write_text("not sqlite", encoding="utf-8")
    with pytest.raises(StoreError, match="not a usable gazetteer store"):
        store.Store(junk)


# ---------------------------------------------------------------- CLI

def test_cli_import_info_lookup(tmp_path: Path) -> None:
    done = run_cli("gazetteer", "import", str(write_postal(tmp_path)))
    assert done.returncode == 0, done.stderr
    assert b"imported 3 entries" in done.stdout
    info = run_cli("gazetteer", "info")
    assert info.returncode == 0 and str(store_path()).encode() in info.stdout
    found = run_cli("gazetteer", "lookup", "Pchevzhitsa")
    assert found.returncode == 0 and b"postal:999121\tvillage\t\xd0\x9f" in found.stdout
    assert run_cli("gazetteer", "lookup", "Nowhereville").returncode == 1


def test_cli_errors_are_one_line_exit_2(tmp_path: Path) -> None:
    bad = write_geonames(tmp_path, ["1\t2\t3"], "bad.txt")
    done = run_cli("gazetteer", "import", "--kind", "geonames", str(bad))
    assert done.returncode == 2
    assert done.stderr.decode().strip().count("\n") == 0 and f"{bad}:1:" in done.stderr.decode()
    glossary = tmp_path / "g.tsv"
    glossary.write_text("# normkit-glossary 1\nid\n", encoding="utf-8")
    done = run_cli("gazetteer", "check", str(glossary))
    assert done.returncode == 2 and f"{glossary}:2:" in done.stderr.decode()


# ---------------------------------------------------------------- the real files (CI: NORMKIT_SHARED_DATA)

def test_real_geonames_and_postal_files(shared_data_dir: Path) -> None:
    cities = shared_data_dir / "gazetteer" / "geonames" / "RU_cities500.txt"
    postal = shared_data_dir / "gazetteer" / "postal" / "RU_postal_codes.csv.gz"
    assert detect_format(cities) == "geonames" and detect_format(postal) == "postal"
    report = import_file(cities)
    assert report.rows == 5309 and report.added + sum(report.skipped.values()) == report.rows
    report = import_file(postal)
    # the shipped glossaries hold the file's villages already (geonames_postal_ru.tsv.gz): nothing twice
    assert report.rows == 43538 and report.skipped["already known"] > 25_000 and report.added < 1_000
    gazetteer = default_gazetteer()
    [glazhevo] = gazetteer.lookup("Глажево")
    assert glazhevo.latin == "Glazhevo"
    assert [p.latin for p in gazetteer.parents(glazhevo)] == ["Kirishsky District", "Leningrad Oblast"]
    # a village only the postal file knows: Cyrillic in, BGN/PCGN Latin out, parents from its columns
    [village] = gazetteer.lookup("Pchevzha")
    assert village.cyrillic == "Пчевжа" and village.id.startswith("postal:")
    assert [p.cyrillic for p in gazetteer.parents(village)] == ["Киришский район", "Ленинградская область"]
    assert gazetteer.counts()["village"] > 30_000
