"""What the CLI prints to a terminal never obeys a bidi or zero-width character of the input, and
-q silences every library warning (a broken model folder, a cache it cannot trust)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from normkit.invisible import marked


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "normkit", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=120)


@pytest.mark.parametrize("raw, shown", [
    ("Kir\u202eihsi\u202c", "Kir⟨U+202E⟩ihsi⟨U+202C⟩"),
    ("Тве\u200bрь", "Тве⟨U+200B⟩рь"),
    ("Psk\u00adov", "Psk⟨U+00AD⟩ov"),
    ("a\u2066b\u2069", "a⟨U+2066⟩b⟨U+2069⟩"),
    ("plain Ярославль", "plain Ярославль"),
    ("tab\tkept", "tab⟨U+0009⟩kept"),
])
def test_marked_names_every_unprintable_character(raw: str, shown: str) -> None:
    assert marked(raw) == shown


def test_detect_text_shows_invisible_characters_by_their_code_points(tmp_path: Path) -> None:
    src = tmp_path / "in.txt"
    src.write_text("Flights to Sama\u202era\u202c and Вол\u200bгоград resumed.\n", encoding="utf-8")
    out = _run("detect", str(src))
    assert out.returncode == 0, out.stderr
    for char in ("\u202e", "\u202c", "\u200b"):
        assert char not in out.stdout
    assert "⟨U+202E⟩" in out.stdout and "⟨U+200B⟩" in out.stdout


def test_quiet_silences_the_cache_warning(tmp_path: Path) -> None:
    shared = tmp_path / "cache"
    shared.mkdir()
    shared.chmod(0o777)  # others may write here: the cache is not used, and a warning says so
    src = tmp_path / "in.txt"
    src.write_text("Governor Andrei Boharev visited Kirishi.\n", encoding="utf-8")
    loud = _run("clean", str(src), env={"NORMKIT_CACHE_DIR": str(shared)})
    assert loud.returncode == 0, loud.stderr
    warnings = [line for line in loud.stderr.splitlines() if "table cache" in line]
    assert len(warnings) == 1 and warnings[0].startswith("normkit: warning: table cache")
    assert "normkit: warning: normkit: warning:" not in loud.stderr
    quiet = _run("clean", "-q", str(src), env={"NORMKIT_CACHE_DIR": str(shared)})
    assert quiet.returncode == 0 and quiet.stderr == ""
    assert quiet.stdout == loud.stdout
