"""The glossary file format: shipped files are valid and consistent; malformed rows fail with file:line."""
from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest

from normkit._paths import glossaries_dir
from normkit.errors import GlossaryError, NormkitError
from normkit.gazetteer import (COLUMNS, NAMES_FILE, PLACE_FILES, Entry, format_row, read_glossary,
                               write_glossary)

CYRILLIC = re.compile("[а-яёА-ЯЁ]")
HEADER = "\t".join(COLUMNS)
REPO = Path(__file__).resolve().parent.parent


def write(path: Path, *rows: str, marker: str = "# normkit-glossary 1", header: str = HEADER) -> Path:
    path.write_text("\n".join([marker, header, *rows]) + "\n", encoding="utf-8")
    return path


def error_of(path: Path) -> str:
    with pytest.raises(GlossaryError) as caught:
        read_glossary(path)
    assert isinstance(caught.value, NormkitError)
    return str(caught.value)


# ---------------------------------------------------------------- shipped files

@pytest.fixture(scope="module")
def shipped() -> dict[str, list[Entry]]:
    folder = glossaries_dir()
    return {name: read_glossary(folder / name) for name in (*PLACE_FILES, NAMES_FILE)}


def test_shipped_files_have_version_line_and_header(shipped: dict[str, list[Entry]]) -> None:
    for name in PLACE_FILES:
        path = glossaries_dir() / name
        data = gzip.decompress(path.read_bytes()) if name.endswith(".gz") else path.read_bytes()
        lines = data.decode("utf-8").splitlines()
        assert lines[0] == "# normkit-glossary 1"
        assert HEADER in lines
    with gzip.open(glossaries_dir() / NAMES_FILE, "rt", encoding="utf-8") as f:
        assert f.readline().rstrip("\n") == "# normkit-glossary 1"


def test_shipped_entries_are_well_formed(shipped: dict[str, list[Entry]]) -> None:
    all_ids: set[str] = set()
    for name, entries in shipped.items():
        assert entries, name
        ids = {e.id for e in entries}
        assert not ids & all_ids, f"{name} reuses ids of another shipped file"
        all_ids |= ids
        for entry in entries:
            assert CYRILLIC.search(entry.cyrillic), entry
            assert not CYRILLIC.search(entry.latin), entry
            assert entry.population >= 0
            assert entry.latin not in entry.aliases and entry.cyrillic not in entry.aliases, entry


def test_shipped_parents_resolve_and_types_are_known(shipped: dict[str, list[Entry]]) -> None:
    places = {e.id: e for name in PLACE_FILES for e in shipped[name]}
    for entry in places.values():
        for parent in entry.parents:
            assert parent in places, f"{entry.id}: parent {parent} is not shipped"
        assert re.fullmatch(r"[a-z][a-z_]*", entry.type), entry  # the documented list: test_curated_data.py
    # the nearest parent comes first: a street's first parent is its city district
    street = places["curated:volgograd-ulitsa-lodygina"]
    assert [places[p].type for p in street.parents] == ["city_district", "city", "region"]


def test_shipped_sizes_stay_compact() -> None:
    mine = [glossaries_dir() / n for n in (*PLACE_FILES, NAMES_FILE, "admin_codes.tsv", "README.md")]
    assert sum(p.stat().st_size for p in mine) < 4_000_000


def test_lexicon_types(shipped: dict[str, list[Entry]]) -> None:
    types = {e.type for e in shipped[NAMES_FILE]}
    assert types == {"given_name", "surname", "patronymic"}


def test_readme_documents_every_column() -> None:
    readme = (glossaries_dir() / "README.md").read_text(encoding="utf-8")
    assert "# normkit-glossary 1" in readme
    for column in COLUMNS:
        assert f"`{column}`" in readme


def test_build_script_reproduces_geonames_file(rebuilt_glossaries: Path) -> None:
    for name in ("geonames_ru.tsv", "admin_codes.tsv"):
        assert (rebuilt_glossaries / name).read_bytes() == (glossaries_dir() / name).read_bytes(), name


# ---------------------------------------------------------------- parsing and errors

ROW = "x:1\tКириши\tKirishi\ttown\tgeonames:536199\t56190\tKiriši|Кірышы\ttest"


def test_parse_a_row(tmp_path: Path) -> None:
    [entry] = read_glossary(write(tmp_path / "g.tsv", "# a comment", "", ROW))
    assert entry == Entry("x:1", "Кириши", "Kirishi", "town", ("geonames:536199",), 56190,
                          ("Kiriši", "Кірышы"), "test")


def test_empty_fields_take_defaults(tmp_path: Path) -> None:
    [entry] = read_glossary(write(tmp_path / "mine.tsv", "x:1\tГлажево\tGlazhevo\tvillage\t\t\t\t"))
    assert (entry.parents, entry.population, entry.aliases, entry.source) == ((), 0, (), "mine.tsv")


def test_wrong_column_count_names_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path / "x.tsv", ROW, "# comment", "a\tb\tc\td\te")
    assert error_of(path) == f"{path}:5: expected 8 columns, got 5"


@pytest.mark.parametrize("row, message", [
    ("x:2\tКириши\tKirishi\ttown\t\tmany\t\t", "population must be a whole number"),
    ("x:2\tКириши\tKirishi\tTown\t\t0\t\t", "the type must be a lower-case word"),
    ("x 2\tКириши\tKirishi\ttown\t\t0\t\t", "the id must be non-empty and without spaces"),
    ("x:2\t\tKirishi\ttown\t\t0\t\t", "both the cyrillic and the latin name are required"),
    ("x:1\tКириши\tKirishi\ttown\t\t0\t\t", "duplicate id 'x:1' (first on line 3)"),
    ("x:2\tКириши\tKirishi\ttown\tgeonames:1 | a b\t0\t\t", "parents are '|'-separated ids"),
])
def test_bad_values_name_file_and_line(tmp_path: Path, row: str, message: str) -> None:
    path = write(tmp_path / "x.tsv", ROW, row)
    error = error_of(path)
    assert error.startswith(f"{path}:4: ") and message in error


def test_version_line_is_required_and_checked(tmp_path: Path) -> None:
    assert error_of(write(tmp_path / "a.tsv", ROW, marker="# something else")).endswith(
        "a.tsv:1: expected the version line '# normkit-glossary 1'")
    assert "version 2 is not supported" in error_of(write(tmp_path / "b.tsv", ROW, marker="# normkit-glossary 2"))


def test_header_row_is_required(tmp_path: Path) -> None:
    error = error_of(write(tmp_path / "h.tsv", ROW, header="id\tname"))
    assert error.startswith(f"{tmp_path / 'h.tsv'}:2: expected the header row")


def test_invalid_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.tsv"
    path.write_bytes(f"# normkit-glossary 1\n{HEADER}\n".encode() + b"x:1\t\xff\n")
    assert error_of(path) == f"{path}:3: not UTF-8 text"


def test_missing_file(tmp_path: Path) -> None:
    assert error_of(tmp_path / "nope.tsv").startswith(f"{tmp_path / 'nope.tsv'}: cannot read glossary")


def test_write_then_read_round_trip_plain_and_gzip(tmp_path: Path) -> None:
    entries = [Entry("a", "Андрей", "Andrei", "given_name", (), 0, ("Andrey",), "t"),
               Entry("b", "улица Лодыгина", "Lodygina Street", "street", ("p1", "p2"), 0, (), "t")]
    for name in ("g.tsv", "g.tsv.gz"):
        write_glossary(tmp_path / name, entries, ["a comment"])
        assert read_glossary(tmp_path / name) == entries
    # reproducible gzip: no timestamp in the header
    first = (tmp_path / "g.tsv.gz").read_bytes()
    write_glossary(tmp_path / "g.tsv.gz", entries, ["a comment"])
    assert (tmp_path / "g.tsv.gz").read_bytes() == first


def test_format_row_refuses_separators_inside_fields() -> None:
    with pytest.raises(ValueError):
        format_row(Entry("a", "А\tБ", "A", "city", (), 0, (), "t"))
    with pytest.raises(ValueError):
        format_row(Entry("a", "А", "A", "city", (), 0, ("x|y",), "t"))
