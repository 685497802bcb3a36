"""The table cache (normkit.buildcache) never runs code it finds on disk: a planted pickle whose
``__reduce__`` would make a marker directory is never executed, whether the cache dir is writable by
others, owned by someone else, or the user's own with a forged, linked or foreign-owned file in it;
a valid payload of the wrong type, shape or version is rebuilt; each refusal is one warning line."""
from __future__ import annotations

import hashlib
import hmac
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


def cached(source: Path, build: Builds, version: str = "1") -> dict[str, int]:
    return buildcache.cached("t", version, [source], build, check=buildcache.check_dict(str, int))


def kept_name(source: Path, version: str = "1") -> str:
    name = buildcache.table_file("t", version, [source])
    assert name is not None
    return name


def signed(key: bytes, file: str, payload: bytes) -> bytes:
    """A file as normkit writes it: magic, HMAC-SHA256 over the file's name, NUL and the pickle."""
    tag = hmac.new(key, file.encode() + b"\0" + payload, hashlib.sha256).digest()
    return buildcache.MAGIC + tag + payload


def warnings_of(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "normkit.cache"]


def test_the_plant_is_live(tmp_path: Path) -> None:
    """The poison the tests plant does run when unpickled plainly (so "no marker" means something)."""
    pickle.loads(pickle.dumps(Plant(tmp_path / "ran")))
    assert (tmp_path / "ran").is_dir()


def test_a_new_cache_dir_and_key_are_private(source: Path, folder: Path) -> None:
    cached(source, Builds())
    assert folder.stat().st_mode & 0o777 == 0o700
    key = folder / buildcache.KEY_FILE
    assert key.stat().st_mode & 0o777 == 0o600 and len(key.read_bytes()) == buildcache.KEY_BYTES
    assert (folder / kept_name(source)).stat().st_mode & 0o077 == 0


def test_a_world_writable_dir_is_never_read_nor_written(source: Path, folder: Path, tmp_path: Path,
                                                         caplog: pytest.LogCaptureFixture) -> None:
    marker = tmp_path / "ran"
    folder.mkdir()
    folder.chmod(0o777)
    planted = folder / kept_name(source)
    planted.write_bytes(pickle.dumps(Plant(marker)))
    build = Builds()
    assert cached(source, build) == {"lines": 2} and cached(source, build) == {"lines": 2}
    assert not marker.exists() and build.calls == 2
    assert sorted(p.name for p in folder.iterdir()) == [planted.name]  # nothing kept there, no key
    [warning] = warnings_of(caplog)  # once per process, not once per table
    assert str(folder) in warning and "0777" in warning and "\n" not in warning


def test_a_sticky_world_writable_dir_of_ones_own_is_not_used_either(source: Path, folder: Path,
                                                                     tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    folder.mkdir()
    folder.chmod(0o1777)  # like /tmp: others may still add files
    (folder / kept_name(source)).write_bytes(pickle.dumps(Plant(marker)))
    assert cached(source, Builds()) == {"lines": 2} and not marker.exists()


@as_root
def test_a_dir_owned_by_another_uid_is_never_read(source: Path, folder: Path, tmp_path: Path,
                                                  caplog: pytest.LogCaptureFixture) -> None:
    marker = tmp_path / "ran"
    folder.mkdir(mode=0o700)
    (folder / kept_name(source)).write_bytes(pickle.dumps(Plant(marker)))
    os.chown(folder, OTHER_UID, OTHER_UID)
    build = Builds()
    assert cached(source, build) == {"lines": 2} and not marker.exists()
    [warning] = warnings_of(caplog)
    assert f"uid {OTHER_UID}" in warning and not (folder / buildcache.KEY_FILE).exists()


def test_a_forged_file_in_ones_own_dir_is_never_unpickled(source: Path, folder: Path, tmp_path: Path,
                                                          caplog: pytest.LogCaptureFixture) -> None:
    marker = tmp_path / "ran"
    build = Builds()
    cached(source, build)  # a private dir with its key and a good table
    kept = folder / kept_name(source)
    plant = pickle.dumps(Plant(marker))
    forgeries = [
        plant,                                                  # a bare pickle
        buildcache.MAGIC + b"\0" * buildcache.HMAC_BYTES + plant,  # the header, a made-up MAC
        signed(os.urandom(buildcache.KEY_BYTES), kept.name, plant),  # signed with another key
    ]
    for number, forged in enumerate(forgeries, start=2):
        kept.write_bytes(forged)
        assert cached(source, build) == {"lines": 2} and build.calls == number
        assert not marker.exists()
        assert kept.read_bytes().startswith(buildcache.MAGIC) and kept.read_bytes() != forged  # rebuilt
    assert len(warnings_of(caplog)) == 1  # the same message, once per process


def test_a_file_signed_for_another_name_is_not_accepted(source: Path, folder: Path, tmp_path: Path) -> None:
    build = Builds()
    cached(source, build, version="1")
    cached(source, build, version="2")
    one, two = folder / kept_name(source, "1"), folder / kept_name(source, "2")
    one.write_bytes(two.read_bytes())  # a good table renamed: its MAC names the other file
    assert cached(source, build, version="1") == {"lines": 2} and build.calls == 3


def test_even_a_correctly_signed_plant_names_no_foreign_class(source: Path, folder: Path, tmp_path: Path,
                                                              caplog: pytest.LogCaptureFixture) -> None:
    marker = tmp_path / "ran"
    build = Builds()
    cached(source, build)
    key = (folder / buildcache.KEY_FILE).read_bytes()  # as if the key had leaked
    kept = folder / kept_name(source)
    kept.write_bytes(signed(key, kept.name, pickle.dumps(Plant(marker))))
    assert cached(source, build) == {"lines": 2} and build.calls == 2 and not marker.exists()
    [warning] = warnings_of(caplog)
    assert "UnpicklingError" in warning


def test_a_link_at_the_tables_name_is_not_followed(source: Path, folder: Path, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    build = Builds()
    cached(source, build)
    elsewhere = tmp_path / "elsewhere.pickle"
    elsewhere.write_bytes(pickle.dumps(Plant(marker)))
    kept = folder / kept_name(source)
    kept.unlink()
    kept.symlink_to(elsewhere)
    assert cached(source, build) == {"lines": 2} and build.calls == 2 and not marker.exists()
    assert not kept.is_symlink()  # replaced by a table of its own


@as_root
def test_a_file_owned_by_another_uid_in_ones_own_dir_is_not_read(source: Path, folder: Path,
                                                                  tmp_path: Path) -> None:
    build = Builds()
    cached(source, build)
    kept = folder / kept_name(source)
    os.chown(kept, OTHER_UID, OTHER_UID)  # signed correctly, but not the user's file
    assert cached(source, build) == {"lines": 2} and build.calls == 2
    assert kept.stat().st_uid == os.geteuid()


@as_root
def test_a_key_not_private_to_the_user_is_replaced(source: Path, folder: Path,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    build = Builds()
    cached(source, build)
    key = folder / buildcache.KEY_FILE
    old = key.read_bytes()
    for spoil in (lambda: key.chmod(0o644), lambda: os.chown(key, OTHER_UID, OTHER_UID)):
        spoil()
        assert cached(source, build) == {"lines": 2}
        assert key.read_bytes() != old and key.stat().st_mode & 0o777 == 0o600
        assert key.stat().st_uid == os.geteuid()
        old = key.read_bytes()
    assert build.calls == 3  # each new key invalidates what the old one signed
    assert any("key" in w for w in warnings_of(caplog))


@pytest.mark.parametrize("wrong", [
    ["lines", 2],                                       # another type
    {"lines": "2"},                                     # the right type, values of another type
    {2: 2},                                             # keys of another type
])
def test_a_valid_payload_of_the_wrong_shape_is_rebuilt(source: Path, folder: Path, wrong: object,
                                                       caplog: pytest.LogCaptureFixture) -> None:
    build = Builds()
    cached(source, build)
    kept = folder / kept_name(source)
    key = (folder / buildcache.KEY_FILE).read_bytes()
    payload = pickle.dumps((("t", "1"), buildcache.FORMAT, wrong), protocol=buildcache.PICKLE_PROTOCOL)
    kept.write_bytes(signed(key, kept.name, payload))
    assert cached(source, build) == {"lines": 2} and build.calls == 2
    assert cached(source, build) == {"lines": 2} and build.calls == 2  # the rebuilt table is kept
    [warning] = warnings_of(caplog)
    assert "another table" in warning


@pytest.mark.parametrize("header", [(("t", "0"), buildcache.FORMAT), (("u", "1"), buildcache.FORMAT),
                                    (("t", "1"), "1"), ("t", "1")])
def test_a_valid_payload_of_another_table_or_version_is_rebuilt(source: Path, folder: Path,
                                                                header: tuple[object, ...]) -> None:
    build = Builds()
    cached(source, build)
    kept = folder / kept_name(source)
    key = (folder / buildcache.KEY_FILE).read_bytes()
    kept.write_bytes(signed(key, kept.name, pickle.dumps((*header, {"lines": 9}))))
    assert cached(source, build) == {"lines": 2} and build.calls == 2


def test_a_signed_file_cut_short_is_rebuilt(source: Path, folder: Path) -> None:
    build = Builds()
    cached(source, build)
    kept = folder / kept_name(source)
    key = (folder / buildcache.KEY_FILE).read_bytes()
    payload = pickle.dumps((("t", "1"), buildcache.FORMAT, {"lines": 2}))[:-3]
    kept.write_bytes(signed(key, kept.name, payload))  # signed, but not a whole pickle
    assert cached(source, build) == {"lines": 2} and build.calls == 2


def test_the_cli_says_one_line_and_cleans_as_usual(tmp_path: Path) -> None:
    """A world-writable cache dir under the whole CLI: several tables, one warning line, the same
    output as with the cache off, exit 0, and the planted pickle never runs."""
    marker = tmp_path / "ran"
    folder = tmp_path / "shared-cache"
    folder.mkdir()
    folder.chmod(0o777)
    for name in ("glossaries", "known-words", "skeleton-keys"):  # whatever names a table might get
        (folder / f"{name}-{'0' * 32}.pickle").write_bytes(pickle.dumps(Plant(marker)))
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
