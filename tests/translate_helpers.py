"""Fixtures for the translation tests: tiny Argos packages built once per session, an isolated
ARGOS_PACKAGES_DIR per test, and a network that refuses every connection."""
from __future__ import annotations

import errno
import json
import os
import socket
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Iterator

import pytest

from normkit.translation.devmodels import copy_package

# Name-bearing text for the copy models; every character here is in their vocabulary.
NAMES_TEXT = "Андрей Бочаров приехал в Кириши. Потом он пошёл на улицу Лодыгина."


def real_models(from_code: str, to_code: str) -> list[Path]:
    """``.argosmodel`` files under $NORMKIT_TEST_MODELS for this pair (empty when unset)."""
    root = os.environ.get("NORMKIT_TEST_MODELS")
    if not root or not Path(root).is_dir():
        return []
    found = []
    for path in sorted(Path(root).rglob("*.argosmodel")):
        try:
            with zipfile.ZipFile(path) as zf:
                meta_name = next(n for n in zf.namelist() if n.count("/") == 1 and n.endswith("/metadata.json"))
                meta = json.loads(zf.read(meta_name))
        except (zipfile.BadZipFile, StopIteration, ValueError, KeyError):
            continue
        if meta.get("from_code") == from_code and meta.get("to_code") == to_code:
            found.append(path)
    return found


@pytest.fixture(scope="session")
def tiny_models(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Tiny packages: exact copiers, copiers with swapped letters (to see which leg ran), and a
    copier that turns the placeholder's X into Y (so placeholders get lost)."""
    root = tmp_path_factory.mktemp("argos-files")
    return {
        "ru_en": copy_package(root / "copy-ru_en.argosmodel", "ru", "en"),
        "ru_en_swap": copy_package(root / "swap-ru_en.argosmodel", "ru", "en", swaps={"а": "б"}),
        "en_de_swap": copy_package(root / "swap-en_de.argosmodel", "en", "de", swaps={"в": "г"}),
        "ru_en_lossy": copy_package(root / "lossy-ru_en.argosmodel", "ru", "en", swaps={"X": "Y"}),
        "en_ru": copy_package(root / "copy-en_ru.argosmodel", "en", "ru"),
    }


@pytest.fixture
def argos_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty packages directory that argostranslate's settings (and normkit) use."""
    path = tmp_path / "argos-packages"
    path.mkdir()
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(path))
    return path


def _cut_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Make every connect or name lookup fail as on a machine without network; record the attempts."""
    attempts: list[str] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(repr(args[1:] if len(args) > 1 else args))
        raise OSError(errno.ENETUNREACH, "Network is unreachable (cut by the test)")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """No network; the test may try (and must cope with the failure)."""
    return _cut_network(monkeypatch)


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """No network, and the test fails if anything even tried to connect."""
    attempts = _cut_network(monkeypatch)
    yield attempts
    assert attempts == [], f"network access attempted: {attempts}"


def run_normkit(*args: str, stdin: bytes | None = None, stderr_tty: bool = False,
                timeout: float = 120) -> "subprocess.CompletedProcess[bytes]":
    """The real console entry point in a subprocess (environment inherited, so ARGOS_PACKAGES_DIR too).
    With ``stderr_tty`` stderr is a pseudo-terminal, as when a person runs it."""
    cmd = [sys.executable, "-c", "from normkit.cli import main; main()", *args]
    if not stderr_tty:
        return subprocess.run(cmd, input=stdin, capture_output=True, timeout=timeout)
    import pty

    master, slave = pty.openpty()
    try:
        proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=slave)
        os.close(slave)
        out, _ = proc.communicate(stdin, timeout=timeout)
        err = b""
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:  # EIO: the child closed its end
                break
            if not chunk:
                break
            err += chunk
    finally:
        os.close(master)
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)
