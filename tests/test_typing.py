"""The public API type-checks as a user calls it: ``mypy --strict`` on a user's script passes, and
on a script with mistakes it reports each of them (so the API is typed, not Any)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import REPO

TYPING = Path(__file__).resolve().parent / "typing"


def _mypy(script: Path, cache: Path) -> subprocess.CompletedProcess[str]:
    # follow-imports=silent: normkit's own modules are read for their types, and the script judged.
    return subprocess.run([sys.executable, "-m", "mypy", "--strict", "--follow-imports=silent",
                           "--cache-dir", str(cache), "--config-file", str(REPO / "pyproject.toml"),
                           str(script)], capture_output=True, text=True, cwd=REPO, timeout=600)


def test_a_user_script_passes_mypy_strict(tmp_path: Path) -> None:
    done = _mypy(TYPING / "user_script.py", tmp_path / "cache")
    assert done.returncode == 0, done.stdout + done.stderr


def test_mistakes_against_the_api_are_caught(tmp_path: Path) -> None:
    done = _mypy(TYPING / "wrong_use.py", tmp_path / "cache")
    lines = [line for line in done.stdout.splitlines() if ": error:" in line]
    assert done.returncode == 1
    assert [int(line.split(":")[1]) for line in lines] == [7, 8, 9, 11], done.stdout


def test_the_package_passes_mypy_strict(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / "cache"),
                           "--config-file", str(REPO / "pyproject.toml"), "normkit"],
                          capture_output=True, text=True, cwd=REPO, timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr
