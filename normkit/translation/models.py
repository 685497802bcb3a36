"""Installed Argos packages: where they live, installing them safely, and choosing a route.

Packages are read through argostranslate's own objects (``argostranslate.package.Package``), in the
directory argostranslate's settings name (``ARGOS_PACKAGES_DIR`` or its settings.json), read afresh on
each call so a changed environment variable takes effect without re-importing argostranslate.
"""
from __future__ import annotations

import json
import shutil
import stat
import tempfile
import urllib.error
import urllib.request
import zipfile
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from .errors import InvalidPackageError, ModelNotFoundError, OfflineError, UnknownLanguageError
from .extra import require_translate_extra

if TYPE_CHECKING:
    from argostranslate.package import Package

PIVOT = "en"
FILE_ROUTE = "normkit models install PATH.argosmodel"
_DEFAULT_INDEX = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/"
# Argos language codes beyond lingua's ISO 639-1 list (zt: traditional Chinese, pb: Brazilian Portuguese).
_ARGOS_EXTRA_CODES = frozenset({"zt", "pb", "ga", "eo", "az", "ms", "ky", "eu", "gl", "be", "kk", "hy", "ka",
                                "ne", "tg", "mn", "ur"})
_packages_cache: dict[tuple[str, float], "Package"] = {}


def packages_dir() -> Path:
    """Where packages are installed: argostranslate's ``ARGOS_PACKAGES_DIR`` setting."""
    require_translate_extra()
    from argostranslate import settings

    path = Path(settings.get_setting("ARGOS_PACKAGES_DIR", default=settings.data_dir / "packages"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def _search_dirs() -> list[Path]:
    from argostranslate import settings

    # settings.package_dirs[0] is the import-time packages dir; the rest are snap bundles.
    return [packages_dir(), *[Path(p) for p in settings.package_dirs[1:]]]


def installed_packages() -> list["Package"]:
    """Installed translation packages, sorted by (from, to); folders without metadata are skipped."""
    require_translate_extra()
    from argostranslate.package import Package

    found = []
    for directory in _search_dirs():
        if not directory.is_dir():
            continue
        for sub in sorted(directory.iterdir()):
            meta = sub / "metadata.json"
            if not meta.is_file():
                continue
            key = (str(sub), meta.stat().st_mtime)
            if key not in _packages_cache:
                _packages_cache[key] = Package(sub)
            pkg = _packages_cache[key]
            if pkg.type == "translate" and pkg.from_code and pkg.to_code:
                found.append(pkg)
    return sorted(found, key=lambda p: (p.from_code, p.to_code, str(p.package_path)))


def installed_languages() -> set[str]:
    return {code for p in installed_packages() for code in (p.from_code, p.to_code)}


def install_hint(src: str, tgt: str) -> str:
    return f"install one with: normkit models install --from {src} --to {tgt} (offline: {FILE_ROUTE})"


def find_route(src: str, tgt: str, packages: list["Package"] | None = None) -> list["Package"]:
    """The packages that translate ``src`` → ``tgt``: one direct package, or two through English."""
    packages = installed_packages() if packages is None else packages
    direct = {(p.from_code, p.to_code): p for p in reversed(packages)}  # first listed wins
    if (src, tgt) in direct:
        return [direct[(src, tgt)]]
    if src != PIVOT and tgt != PIVOT and (src, PIVOT) in direct and (PIVOT, tgt) in direct:
        return [direct[(src, PIVOT)], direct[(PIVOT, tgt)]]
    check_language(src)
    check_language(tgt)
    raise ModelNotFoundError(f"no model translates {src} → {tgt}; {install_hint(src, tgt)}")


def known_languages() -> set[str]:
    """Codes lingua knows, Argos extras, and whatever installed packages declare."""
    from normkit.langid import lingua_codes

    return set(lingua_codes()) | _ARGOS_EXTRA_CODES | installed_languages()


def check_language(code: str) -> None:
    if code not in known_languages():
        raise UnknownLanguageError(f"unknown language code {code!r} (use ISO 639-1 codes such as ru, en, de)")


# --- installing -------------------------------------------------------------------------------

def _top_folder(zf: zipfile.ZipFile, name: str) -> str:
    """The single top-level folder of the archive; refuses members that would land outside it."""
    tops = set()
    for info in zf.infolist():
        member = info.filename
        path = PurePosixPath(member)
        if "\\" in member or path.is_absolute() or ".." in path.parts or member.startswith("/"):
            raise InvalidPackageError(f"{name}: member {member!r} escapes the package folder")
        if stat.S_ISLNK(info.external_attr >> 16):
            raise InvalidPackageError(f"{name}: member {member!r} is a symbolic link")
        if len(path.parts) == 1 and not info.is_dir():
            raise InvalidPackageError(f"{name}: file {member!r} lies outside a top-level folder")
        tops.add(path.parts[0])
    if len(tops) != 1 or next(iter(tops)) in (".", ""):
        raise InvalidPackageError(f"{name}: expected one top-level folder, found {sorted(tops) or 'none'}")
    return tops.pop()


def _check_contents(zf: zipfile.ZipFile, top: str, name: str) -> dict[str, Any]:
    names = set(zf.namelist())
    try:
        meta = json.loads(zf.read(f"{top}/metadata.json").decode("utf-8"))
    except KeyError:
        raise InvalidPackageError(f"{name}: no {top}/metadata.json") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidPackageError(f"{name}: metadata.json is not valid JSON ({exc})") from None
    if not isinstance(meta, dict) or not meta.get("from_code") or not meta.get("to_code"):
        raise InvalidPackageError(f"{name}: metadata.json lacks from_code/to_code")
    if f"{top}/model/model.bin" not in names:
        raise InvalidPackageError(f"{name}: no CTranslate2 model ({top}/model/model.bin)")
    if not names & {f"{top}/sentencepiece.model", f"{top}/bpe.model"}:
        raise InvalidPackageError(f"{name}: no sentencepiece.model or bpe.model")
    return meta


def install_file(path: str | Path) -> "Package":
    """Install a ``.argosmodel`` (a zip with one top folder) into :func:`packages_dir`; offline.

    The model and its tokenizer are loaded from the extracted copy before it replaces anything, so a
    corrupt package is refused and an installed one keeps working."""
    require_translate_extra()
    from argostranslate.package import Package

    path = Path(path)
    if not path.is_file():
        raise InvalidPackageError(f"{path}: no such file")
    if not zipfile.is_zipfile(path):
        raise InvalidPackageError(f"{path}: not an Argos package (not a zip archive)")
    dest_root = packages_dir()
    try:
        with zipfile.ZipFile(path) as zf:
            top = _top_folder(zf, path.name)
            _check_contents(zf, top, path.name)
            # Extract beside the target, then swap in, so a failed install leaves no half package.
            staging = Path(tempfile.mkdtemp(prefix=".installing-", dir=dest_root))
            try:
                zf.extractall(staging)
                _check_loads(staging / top, path.name)
                target = dest_root / top
                if target.exists():
                    shutil.rmtree(target)
                (staging / top).rename(target)
            finally:
                shutil.rmtree(staging, ignore_errors=True)
    except zipfile.BadZipFile as exc:
        raise InvalidPackageError(f"{path}: damaged zip archive ({exc})") from None
    _forget_caches()
    return Package(target)


def _check_loads(folder: Path, name: str) -> None:
    """Load the package's CTranslate2 model and SentencePiece tokenizer once; refuse it if they fail."""
    from .engine import load_failure

    reason = load_failure(folder)
    if reason is not None:
        raise InvalidPackageError(f"{name}: the model does not load ({reason}); not installed")


def _forget_caches() -> None:
    _packages_cache.clear()
    from . import engine

    engine.forget_translators()
    import sys

    argos_translate = sys.modules.get("argostranslate.translate")
    if argos_translate is not None:  # argostranslate caches languages per process
        argos_translate.get_installed_languages.cache_clear()


def _index_url() -> str:
    from argostranslate import settings

    base = str(settings.get_setting("ARGOS_PACKAGE_INDEX", default=_DEFAULT_INDEX))
    return base if base.endswith(".json") else base.rstrip("/") + "/index.json"


def _fetch(url: str, timeout: float) -> bytes:
    req = urllib.request.Request(url, headers={"User-Agent": "normkit"})
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        data: bytes = resp.read()
    return data


def install_from_index(src: str, tgt: str, *, timeout: float = 30.0) -> "Package":
    """Download the ``src`` → ``tgt`` package from the Argos index and install it."""
    require_translate_extra()
    from argostranslate.package import AvailablePackage

    url = _index_url()
    try:
        index = json.loads(_fetch(url, timeout))
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise OfflineError(f"cannot reach the Argos package index ({reason}); offline, install a "
                           f"downloaded file instead: {FILE_ROUTE}") from None
    matches = [AvailablePackage(m) for m in index if isinstance(m, dict)
               and m.get("from_code") == src and m.get("to_code") == tgt
               and m.get("type", "translate") == "translate"]
    if not matches:
        check_language(src)
        check_language(tgt)
        raise ModelNotFoundError(f"the Argos index has no {src} → {tgt} package")
    available = matches[0]
    errors = []
    with tempfile.TemporaryDirectory() as tmp:
        file = Path(tmp) / f"translate-{src}_{tgt}.argosmodel"
        for link in available.links:
            try:
                file.write_bytes(_fetch(link, timeout))
                return install_file(file)
            except (urllib.error.URLError, OSError) as exc:
                errors.append(str(getattr(exc, "reason", exc)))
    raise OfflineError(f"cannot download the {src} → {tgt} package ({'; '.join(errors) or 'no links'}); "
                       f"offline, install a downloaded file instead: {FILE_ROUTE}")
