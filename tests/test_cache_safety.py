"""The table cache (normkit.buildcache) never runs code it finds on disk: it keeps JSON and never
unpickles, so a planted pickle whose ``__reduce__`` would make a marker directory is never executed,
whether the cache dir is writable by others, owned by someone else, or the user's own with a forged,
linked or foreign-owned file in it (nor would it be with pickle.loads made to fail); such a dir or
file is not trusted at all; valid JSON of the wrong type, shape, table or version is rebuilt; each
refusal is one warning line."""
from __future__ import annotations

import json
import logging
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from normkit import buildcache

OTHER_UID = 4242  # a uid that is not the test's (the tests that use it run as root)
as_root = pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                             reason="giving a file to another uid needs root (CI runs as root)")


class Plant:
    """Unpickling this makes the directory ``marker``: proof that foreign code ran."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, ...]:
        return (os.mkdir, (str(self.marker),))


class Builds:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> dict[str, int]:
        self.calls += 1
        return {"lines": 2}


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "table.tsv"
    path.write_text("a\nb\n", encoding="utf-8")
    return path


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(buildcache, "_warned", set())  # every test sees its own warnings
    path = tmp_path / "cache"
    monkeypatch.setenv(buildcache.ENV_CACHE_DIR, str(path))
    return path


COUNTS = buildcache.Codec[dict[str, int]](lambda table: table, lambda data: buildcache.check_dict(data, str, int))


def cached(source: Path, build: Builds, version: str = "1") -> dict[str, int]:
    return buildcache.cached("t", version, [source], build, COUNTS)


def kept_name(source: Path, version: str = "1") -> str:
    name = buildcache.table_file("t", version, [source])
    assert name is not None
    return name


def kept_json(file: str, data: object, table: object = ("t", "1"), form: object = buildcache.FORMAT) -> bytes:
    """A file as normkit writes it: the format, the table (name, version), its own name, the data."""
    return json.dumps({"format": form, "table": list(table) if isinstance(table, tuple) else table,
                       "file": file, "data": data}).encode()


@pytest.fixture
def no_unpickling(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any unpickling fails the test loudly (the cache must never unpickle)."""
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the table cache unpickled something")
    monkeypatch.setattr(pickle, "loads", refuse)
    monkeypatch.setattr(pickle, "load", refuse)
    monkeypatch.setattr(pickle, "Unpickler", refuse)


def warnings_of(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "normkit.cache"]


def test_the_plant_is_live(tmp_path: Path) -> None:
    """The poison the tests plant does run when unpickled plainly (so "no marker" means something)."""
    pickle.loads(pickle.dumps(Plant(tmp_path / "ran")))
    assert (tmp_path / "ran").is_dir()


def test_a_new_cache_dir_is_private_and_holds_json(source: Path, folder: Path) -> None:
    cached(source, Builds())
    assert folder.stat().st_mode & 0o777 == 0o700
    kept = folder / kept_name(source)
    assert kept.stat().st_mode & 0o077 == 0
    assert json.loads(kept.read_bytes()) == json.loads(kept_json(kept.name, {"lines": 2}))


def test_a_world_writable_dir_is_never_read_nor_written(source: Path, folder: Path, tmp_path: Path,
                                                         caplog: pytest.LogCaptureFixture) -> None:
    marker = tmp_path / "ran"
    folder.mkdir()
    folder.chmod(0o777)
    planted = [folder / kept_name(source), folder / kept_name(source).replace(".json", ".pickle")]
    for path in planted:
        path.write_bytes(pickle.dumps(Plant(marker)))
    build = Builds()
    assert cached(source, build) == {"lines": 2} and cached(source, build) == {"lines": 2}
    assert not marker.exists() and build.calls == 2
    assert sorted(folder.iterdir()) == sorted(planted)  # nothing kept there
    [warning] = warnings_of(caplog)  # once per process, not once per table
    assert str(folder) in warning and "0777" in warning and "\n" not in warning


def test_a_world_writable_dir_with_a_plausible_table_is_not_read(source: Path, folder: Path) -> None:
    """Not only code: data another user could write (a table sending names astray) is not taken."""
    folder.mkdir()
    folder.chmod(0o777)
    kept = folder / kept_name(source)
    kept.write_bytes(kept_json(kept.name, {"lines": 999}))
    assert cached(source, Builds()) == {"lines": 2}


def test_a_sticky_world_writable_dir_of_ones_own_is_not_used_either(source: Path, folder: Path,
                                                                     tmp_path: Path) -> None:
    folder.mkdir()
    folder.chmod(0o1777)  # like /tmp: others may still add files
    kept = folder / kept_name(source)
    kept.write_bytes(kept_json(kept.name, {"lines": 999}))
    assert cached(source, Builds()) == {"lines": 2}


@as_root
def test_a_dir_owned_by_another_uid_is_never_read(source: Path, folder: Path, tmp_path: Path,
                                                  caplog: pytest.LogCaptureFixture) -> None:
    marker = tmp_path / "ran"
    folder.mkdir(mode=0o700)
    (folder / kept_name(source)).write_bytes(pickle.dumps(Plant(marker)))
    (folder / kept_name(source, "2")).write_bytes(kept_json(kept_name(source, "2"), {"lines": 999}, ("t", "2")))
    os.chown(folder, OTHER_UID, OTHER_UID)
    build = Builds()
    assert cached(source, build) == {"lines": 2} and cached(source, build, "2") == {"lines": 2}
    assert not marker.exists() and build.calls == 2
    [warning] = warnings_of(caplog)
    assert f"uid {OTHER_UID}" in warning


@pytest.mark.usefixtures("no_unpickling")
def test_a_forged_file_in_ones_own_dir_is_never_unpickled(source: Path, folder: Path, tmp_path: Path,
                                                          caplog: pytest.LogCaptureFixture) -> None:
    marker = tmp_path / "ran"
    build = Builds()
    cached(source, build)  # a private dir with a good table
    kept = folder / kept_name(source)
    plant = pickle.dumps(Plant(marker))
    forgeries = [
        plant,                                                    # a bare pickle
        b'{"format": "normkit-table 3", "table": ["t", "1"], "file": "' + kept.name.encode() + b'", "data": ',
        kept_json(kept.name, {"py/reduce": [{"py/function": "os.mkdir"}, [str(marker)]]}),  # jsonpickle-style
        kept_json(kept.name, plant.decode("latin-1")),          # a pickle in a string
    ]
    for number, forged in enumerate(forgeries, start=2):
        kept.write_bytes(forged)
        assert cached(source, build) == {"lines": 2} and build.calls == number
        assert not marker.exists()
        assert json.loads(kept.read_bytes())["data"] == {"lines": 2}  # rebuilt and kept again
    warnings = warnings_of(caplog)  # one line per distinct reason, once per process
    assert 1 <= len(warnings) <= len(forgeries) and all("\n" not in w and "rebuilt" in w for w in warnings)


def test_a_file_renamed_from_another_table_is_not_accepted(source: Path, folder: Path) -> None:
    build = Builds()
    cached(source, build, version="1")
    cached(source, build, version="2")
    one, two = folder / kept_name(source, "1"), folder / kept_name(source, "2")
    two.write_bytes(kept_json(two.name, {"lines": 9}, ("t", "2")))
    one.write_bytes(two.read_bytes())  # the other fingerprint's file under this one's name
    assert cached(source, build, version="1") == {"lines": 2} and build.calls == 3


def test_a_link_at_the_tables_name_is_not_followed(source: Path, folder: Path, tmp_path: Path) -> None:
    build = Builds()
    cached(source, build)
    kept = folder / kept_name(source)
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_bytes(kept_json(kept.name, {"lines": 999}))
    kept.unlink()
    kept.symlink_to(elsewhere)
    assert cached(source, build) == {"lines": 2} and build.calls == 2
    assert not kept.is_symlink()  # replaced by a table of its own


@as_root
def test_a_file_owned_by_another_uid_in_ones_own_dir_is_not_read(source: Path, folder: Path) -> None:
    build = Builds()
    cached(source, build)
    kept = folder / kept_name(source)
    kept.write_bytes(kept_json(kept.name, {"lines": 999}))
    os.chown(kept, OTHER_UID, OTHER_UID)  # a well-formed table, but not the user's file
    assert cached(source, build) == {"lines": 2} and build.calls == 2
    assert kept.stat().st_uid == os.geteuid()


def test_a_group_writable_file_in_ones_own_dir_is_not_read(source: Path, folder: Path) -> None:
    build = Builds()
    cached(source, build)
    kept = folder / kept_name(source)
    kept.write_bytes(kept_json(kept.name, {"lines": 999}))
    kept.chmod(0o664)
    assert cached(source, build) == {"lines": 2} and build.calls == 2


@pytest.mark.parametrize("wrong", [
    ["lines", 2],                                       # another type
    {"lines": "2"},                                     # the right type, values of another type
    "lines",                                            # a scalar
    None,
])
def test_valid_json_of_the_wrong_shape_is_rebuilt(source: Path, folder: Path, wrong: object,
                                                  caplog: pytest.LogCaptureFixture) -> None:
    build = Builds()
    cached(source, build)
    kept = folder / kept_name(source)
    kept.write_bytes(kept_json(kept.name, wrong))
    assert cached(source, build) == {"lines": 2} and build.calls == 2
    assert cached(source, build) == {"lines": 2} and build.calls == 2  # the rebuilt table is kept
    [warning] = warnings_of(caplog)
    assert "is not a t 1 table" in warning and "\n" not in warning


@pytest.mark.parametrize(("table", "form"), [(("t", "0"), buildcache.FORMAT), (("u", "1"), buildcache.FORMAT),
                                             (("t", "1"), "normkit-table 2"), ("t", buildcache.FORMAT)])
def test_valid_json_of_another_table_version_or_format_is_rebuilt(source: Path, folder: Path, table: object,
                                                                  form: str) -> None:
    build = Builds()
    cached(source, build)
    kept = folder / kept_name(source)
    kept.write_bytes(kept_json(kept.name, {"lines": 9}, table, form))
    assert cached(source, build) == {"lines": 2} and build.calls == 2


@pytest.mark.parametrize("data", [b'{"format": "normkit-table 3", "data": {"lines": 2}', b"[" * 100000 + b"]" * 100000,
                                  b"\xff\xfe not utf-8", b""])
def test_a_file_cut_short_nested_deep_or_not_text_is_rebuilt(source: Path, folder: Path, data: bytes) -> None:
    build = Builds()
    cached(source, build)
    (folder / kept_name(source)).write_bytes(data)
    assert cached(source, build) == {"lines": 2} and build.calls == 2


def test_the_shipped_codecs_read_back_what_they_write_and_refuse_other_shapes() -> None:
    from normkit.gazetteer import Entry
    from normkit.gazetteer.index import ENTRIES
    from normkit.names import _KNOWN
    from normkit.names.candidates import _KEYS

    entries = {e.id: e for e in (Entry("geonames:1", "Кириши", "Kirishi", "town", ("r:1",), 52000, ("Kirishy",), "t"),
                                 Entry("x:2", "Глажево", "Glazhevo", "village", (), 0, (), "t"))}
    known = ({"кириши": frozenset({"toponym"}), "глажево": frozenset({"toponym", "village"})},
             {"moscow": frozenset({"city"})})
    keys = {"geonames:1": ("KRSH",), "x:2": ("GLZHV", "GLZHF")}
    for codec, value in ((ENTRIES, entries), (_KNOWN, known), (_KEYS, keys)):
        again = codec.decode(json.loads(json.dumps(codec.encode(value))))
        assert again == value and [list(t) for t in again] == [list(t) for t in value]  # order kept
        for wrong in (None, "x", [], {}, [[1, 2]], {"a": 1}, [{"sets": [], "words": ["a"], "index": [0]}] * 2):
            if wrong == {} and codec is _KEYS or wrong == [] and codec is ENTRIES:
                continue  # an empty table is a table
            with pytest.raises((TypeError, ValueError, KeyError, IndexError)):
                codec.decode(wrong)
    [entry] = [e for e in ENTRIES.decode(json.loads(json.dumps(ENTRIES.encode(entries)))).values() if e.population]
    assert entry.aliases == ("Kirishy",) and hash(entry) == hash(entries["geonames:1"])


def test_the_cli_says_one_line_and_cleans_as_usual(tmp_path: Path) -> None:
    """A world-writable cache dir under the whole CLI: several tables, one warning line, the same
    output as with the cache off, exit 0, and the planted pickle never runs."""
    marker = tmp_path / "ran"
    folder = tmp_path / "shared-cache"
    folder.mkdir()
    folder.chmod(0o777)
    for name in ("glossaries", "known-words", "skeleton-keys"):  # whatever names a table might get
        for suffix in (".pickle", ".json"):
            (folder / f"{name}-{'0' * 32}{suffix}").write_bytes(pickle.dumps(Plant(marker)))
    text = tmp_path / "in.txt"
    text.write_text("Debris fell near the Кириshi plant; Governor Boharev spoke.\n", encoding="utf-8")
    run = [sys.executable, "-m", "normkit", "clean", str(text)]
    shared = subprocess.run(run, capture_output=True, text=True,
                            env={**os.environ, buildcache.ENV_CACHE_DIR: str(folder)})
    off = subprocess.run(run, capture_output=True, text=True, env={**os.environ, buildcache.ENV_CACHE_DIR: "off"})
    assert shared.returncode == 0 and shared.stdout == off.stdout and not marker.exists()
    assert shared.stdout != text.read_text(encoding="utf-8")  # it did clean
    [line] = shared.stderr.splitlines()
    assert line.startswith("normkit: warning: table cache") and str(folder) in line


def test_a_library_caller_can_silence_the_warning(source: Path, folder: Path,
                                                  caplog: pytest.LogCaptureFixture) -> None:
    folder.mkdir()
    folder.chmod(0o777)
    logging.getLogger("normkit.cache").setLevel(logging.ERROR)
    try:
        assert cached(source, Builds()) == {"lines": 2}
    finally:
        logging.getLogger("normkit.cache").setLevel(logging.NOTSET)
    assert warnings_of(caplog) == []
