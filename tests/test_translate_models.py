"""Installing, listing and routing Argos packages (offline, and from a local index over loopback)."""
from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import stat
import threading
import zipfile
from pathlib import Path

import pytest

from normkit.errors import NormkitError
from normkit.translation import models
from normkit.translation.errors import (InvalidPackageError, ModelNotFoundError, OfflineError,
                                         UnknownLanguageError)
from translate_helpers import argos_dir, no_network, offline, tiny_models  # noqa: F401  (fixtures)


def test_install_file_offline_and_seen_by_argostranslate(tiny_models, argos_dir, no_network) -> None:
    pkg = models.install_file(tiny_models["ru_en"])
    assert pkg.package_path.parent == argos_dir
    assert (pkg.package_path / "model" / "model.bin").is_file()
    assert [(p.from_code, p.to_code) for p in models.installed_packages()] == [("ru", "en")]
    # argostranslate's own package listing reads the same directory.
    from argostranslate.package import get_installed_packages

    assert [(p.from_code, p.to_code) for p in get_installed_packages(path=[argos_dir])] == [("ru", "en")]
    assert pkg.tokenizer.encode("Кириши")  # the package's SentencePiece model, via argostranslate


def test_reinstall_replaces_the_package(tiny_models, argos_dir) -> None:
    models.install_file(tiny_models["ru_en"])
    stray = next(argos_dir.iterdir()) / "stale.txt"
    stray.write_text("old")
    models.install_file(tiny_models["ru_en"], force=True)  # a second install of a pair needs force
    assert not stray.exists() and len(list(argos_dir.iterdir())) == 1


def _rezip(src: Path, dest: Path, rename=lambda n: n, extra: dict[str, bytes] | None = None,
           drop: str | None = None) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w") as zout:
        for info in zin.infolist():
            if drop and info.filename.endswith(drop):
                continue
            zout.writestr(rename(info.filename), zin.read(info))
        for name, data in (extra or {}).items():
            zout.writestr(name, data)
    return dest


@pytest.mark.parametrize("case, message", [
    ("escape", "escapes"), ("absolute", "escapes"), ("two_tops", "one top-level folder"),
    ("loose_file", "outside a top-level folder"), ("no_metadata", "metadata.json"),
    ("no_model", "model.bin"), ("not_zip", "not a zip"), ("symlink", "symbolic link"),
])
def test_bad_packages_are_refused(tiny_models, argos_dir, tmp_path, case, message) -> None:
    src = tiny_models["ru_en"]
    bad = tmp_path / f"{case}.argosmodel"
    if case == "escape":
        _rezip(src, bad, extra={"translate-ru_en-1_0/../../evil.txt": b"x"})
    elif case == "absolute":
        _rezip(src, bad, extra={"/tmp/evil.txt": b"x"})
    elif case == "two_tops":
        _rezip(src, bad, extra={"other/file.txt": b"x"})
    elif case == "loose_file":
        _rezip(src, bad, extra={"evil.txt": b"x"})
    elif case == "no_metadata":
        _rezip(src, bad, drop="metadata.json")
    elif case == "no_model":
        _rezip(src, bad, drop="model.bin")
    elif case == "not_zip":
        bad.write_bytes(b"not a zip at all")
    elif case == "symlink":
        _rezip(src, bad)
        with zipfile.ZipFile(bad, "a") as zf:
            link = zipfile.ZipInfo("translate-ru_en-1_0/link")
            link.external_attr = (stat.S_IFLNK | 0o777) << 16
            zf.writestr(link, "/etc/passwd")
    with pytest.raises(InvalidPackageError, match=message) as info:
        models.install_file(bad)
    assert isinstance(info.value, NormkitError) and "\n" not in str(info.value)
    assert list(argos_dir.iterdir()) == []  # nothing half-installed
    assert not (tmp_path.parent / "evil.txt").exists()


def test_routes_direct_pivot_and_missing(tiny_models, argos_dir) -> None:
    models.install_file(tiny_models["ru_en_swap"])
    models.install_file(tiny_models["en_de_swap"])
    assert [(p.from_code, p.to_code) for p in models.find_route("ru", "en")] == [("ru", "en")]
    assert [(p.from_code, p.to_code) for p in models.find_route("ru", "de")] == [("ru", "en"), ("en", "de")]
    with pytest.raises(ModelNotFoundError) as info:
        models.find_route("de", "ru")
    assert "normkit models install --from de --to ru" in str(info.value)
    with pytest.raises(UnknownLanguageError):
        models.find_route("ru", "xx")


def test_index_install_offline_says_so_in_one_line(argos_dir, offline) -> None:
    with pytest.raises(OfflineError) as info:
        models.install_from_index("ru", "en", timeout=2)
    assert offline  # it did try the index
    text = str(info.value)
    assert "\n" not in text and "normkit models install PATH.argosmodel" in text


def test_index_install_from_a_local_index(tiny_models, argos_dir, tmp_path, monkeypatch) -> None:
    """The online route, against an index served on loopback."""
    served = tmp_path / "served"
    served.mkdir()
    shutil.copy(tiny_models["ru_en"], served / "ru_en.argosmodel")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(served))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    handler.log_message = lambda *a: None  # type: ignore[attr-defined]
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    (served / "index.json").write_text(json.dumps([
        {"from_code": "ru", "to_code": "en", "from_name": "Russian", "to_name": "English",
         "package_version": "1.0", "argos_version": "1.9", "type": "translate",
         "links": [base + "ru_en.argosmodel"]}]))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        monkeypatch.setenv("ARGOS_PACKAGE_INDEX", base)
        pkg = models.install_from_index("ru", "en", timeout=10)
        assert (pkg.from_code, pkg.to_code) == ("ru", "en")
        with pytest.raises(ModelNotFoundError, match="no en → de package"):
            models.install_from_index("en", "de", timeout=10)
    finally:
        server.shutdown()
        server.server_close()
    assert [(p.from_code, p.to_code) for p in models.installed_packages()] == [("ru", "en")]


def test_packages_dir_follows_argos_setting(argos_dir, tmp_path, monkeypatch) -> None:
    assert models.packages_dir() == argos_dir
    other = tmp_path / "elsewhere"
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(other))
    assert models.packages_dir() == other and other.is_dir()
    assert os.environ["ARGOS_PACKAGES_DIR"] == str(other)
