"""Tables kept between processes (normkit.buildcache): rebuilt when a source changes, never an
error when the cache is unreadable or unwritable, and the same cleaning either way."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import normkit
from normkit import buildcache


class Builds:
    """A build function that counts its calls."""

    def __init__(self, source: Path) -> None:
        self.source = source
        self.calls = 0

    def __call__(self) -> dict[str, int]:
        self.calls += 1
        return {"lines": len(self.source.read_text(encoding="utf-8").splitlines())}


def cached(name: str, version: str, sources: list[Path], build: Builds) -> dict[str, int]:
    return buildcache.cached(name, version, sources, build, check=buildcache.check_dict(str, int))


@pytest.fixture
def source(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(buildcache.ENV_CACHE_DIR, str(tmp_path / "cache"))
    path = tmp_path / "table.tsv"
    path.write_text("a\nb\n", encoding="utf-8")
    return path


def test_a_table_is_built_once_then_loaded(source: Path) -> None:
    build = Builds(source)
    first = cached("t", "1", [source], build)
    again = cached("t", "1", [source], build)
    assert first == again == {"lines": 2} and build.calls == 1


def test_a_changed_source_or_version_builds_afresh(source: Path) -> None:
    build = Builds(source)
    cached("t", "1", [source], build)
    source.write_text("a\nb\nc\n", encoding="utf-8")
    assert cached("t", "1", [source], build) == {"lines": 3} and build.calls == 2
    assert cached("t", "2", [source], build) == {"lines": 3} and build.calls == 3


def test_an_unreadable_cache_file_is_rebuilt(source: Path, tmp_path: Path) -> None:
    build = Builds(source)
    cached("t", "1", [source], build)
    [kept] = (tmp_path / "cache").glob("t-*.pickle")
    kept.write_bytes(b"\x80\x05 not a pickle")
    assert cached("t", "1", [source], build) == {"lines": 2} and build.calls == 2
    assert kept.read_bytes().startswith(buildcache.MAGIC)  # and written again
    assert cached("t", "1", [source], build) == {"lines": 2} and build.calls == 2


def test_an_unwritable_cache_or_off_only_costs_time(source: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    for setting in (str(blocker / "cache"), "off"):  # a folder that cannot be made; caching off
        monkeypatch.setenv(buildcache.ENV_CACHE_DIR, setting)
        build = Builds(source)
        assert cached("t", "1", [source], build) == {"lines": 2}
        assert cached("t", "1", [source], build) == {"lines": 2} and build.calls == 2
    assert not list(tmp_path.glob("**/*.tmp"))


def test_a_missing_source_is_not_cached(source: Path, tmp_path: Path) -> None:
    missing = tmp_path / "gone.tsv"
    assert buildcache.cached("t", "1", [missing], lambda: 7, check=lambda v: v == 7) == 7
    assert not list((tmp_path / "cache").glob("t-*.pickle"))


def test_only_the_newest_tables_of_a_name_are_kept(source: Path, tmp_path: Path) -> None:
    for version in range(buildcache.KEEP_PER_NAME + 3):
        cached("t", str(version), [source], Builds(source))
    assert len(list((tmp_path / "cache").glob("t-*.pickle"))) == buildcache.KEEP_PER_NAME


def test_cleaning_is_the_same_from_a_cold_and_a_warm_cache(tmp_path: Path) -> None:
    text = "Debris fell near Glazhev and the Кириshi plant; Governor Boharev spoke in Volgograd."
    script = ("import json, sys, normkit; r = normkit.clean(sys.argv[1]); "
              "print(json.dumps(r.to_dict(), ensure_ascii=False, sort_keys=True))")
    env = {**os.environ, buildcache.ENV_CACHE_DIR: str(tmp_path / "cache")}
    runs = [subprocess.run([sys.executable, "-c", script, text], capture_output=True, text=True, env=env,
                           check=True).stdout for _ in range(2)]
    assert {p.name.split("-")[0] for p in (tmp_path / "cache").glob("*.pickle")} >= {"glossaries", "known", "candidate"}
    off = subprocess.run([sys.executable, "-c", script, text], capture_output=True, text=True, check=True,
                         env={**env, buildcache.ENV_CACHE_DIR: "off"}).stdout
    assert runs[0] == runs[1] == off
    assert normkit.CleanResult.from_dict(json.loads(off)).text != text  # it did clean
