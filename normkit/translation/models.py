"""Installed Argos packages: where they live, installing them safely, and choosing a route.

Packages are read through argostranslate's own objects (``argostranslate.package.Package``), in the
directory argostranslate's settings name (``ARGOS_PACKAGES_DIR`` or its settings.json), read afresh on
each call so a changed environment variable takes effect without re-importing argostranslate.
"""
from __future__ import annotations

import json
import logging
import shutil
import stat
import tempfile
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from .errors import (InvalidPackageError, ModelNotFoundError, OfflineError, PackageExistsError,
                     UnknownLanguageError)
from .extra import require_translate_extra

if TYPE_CHECKING:
    from argostranslate.package import Package

PIVOT = "en"
FILE_ROUTE = "normkit models install PATH.argosmodel"
_DEFAULT_INDEX = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/"
# Argos language codes beyond lingua's ISO 639-1 list (zt: traditional Chinese, pb: Brazilian Portuguese).
_ARGOS_EXTRA_CODES = frozenset({"zt", "pb", "ga", "eo", "az", "ms", "ky", "eu", "gl", "be", "kk", "hy", "ka",
                                "ne", "tg", "mn", "ur"})
# Installing. An Argos package is 0.1-0.5 GB unpacked and barely compresses (a CTranslate2 model about
# 1.1:1), so these caps refuse decompression bombs, first by the sizes the zip declares, then while
# unpacking (a header can lie).
MAX_PACKAGE_BYTES = 2 << 30        # unpacked bytes of one package
MAX_PACKAGE_RATIO = 100            # unpacked : archive bytes (the gazetteer importer's cap too)
RATIO_FREE_BYTES = 16 << 20        # a package may unpack to this much whatever its ratio
MAX_PACKAGE_MEMBERS = 10_000       # files and folders in one archive
MAX_METADATA_BYTES = 1 << 20       # metadata.json (read into memory before unpacking)
COPY_BYTES = 1 << 20               # unpacked in pieces of this size
_packages_cache: dict[tuple[str, float], "Package"] = {}
_warned: set[tuple[str, str]] = set()  # (folder, reason) already reported: once per process each
log = logging.getLogger(__name__)  # the CLI prints its warnings as "normkit: warning: ..."


@dataclass(frozen=True)
class BrokenPackage:
    """A folder in a packages directory that cannot be used as a package, and why (one line)."""

    path: Path
    reason: str


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


def scan_packages() -> tuple[list["Package"], list[BrokenPackage]]:
    """Installed translation packages, sorted by (from, to), and the folders that are broken (no
    or unreadable metadata.json, no model or tokenizer). Hidden folders (an install in progress)
    and plain files are not packages; packages of other types (sentence splitters) are left out."""
    require_translate_extra()
    found: list[Package] = []
    broken: list[BrokenPackage] = []
    for directory in _search_dirs():
        try:
            subs = sorted(directory.iterdir()) if directory.is_dir() else []
        except OSError as exc:
            broken.append(BrokenPackage(directory, f"cannot list the folder ({exc.strerror})"))
            continue
        for sub in subs:
            if sub.name.startswith(".") or not sub.is_dir():
                continue
            try:
                key = (str(sub), (sub / "metadata.json").stat().st_mtime)
            except OSError:
                key = None
            pkg = _packages_cache.get(key) if key else None
            if pkg is None:
                pkg = _load_package(sub)
                if key and not isinstance(pkg, BrokenPackage):  # a broken one is looked at again
                    _packages_cache[key] = pkg                  # next time: it may have been mended
            if isinstance(pkg, BrokenPackage):
                broken.append(pkg)
            elif pkg.type == "translate":
                found.append(pkg)
    return sorted(found, key=lambda p: (p.from_code, p.to_code, str(p.package_path))), broken


def installed_packages() -> list["Package"]:
    """Installed translation packages, sorted by (from, to). A broken folder is skipped with a
    warning (logged once per process), so one bad folder does not stop translation."""
    found, broken = scan_packages()
    for bad in broken:
        if (str(bad.path), bad.reason) not in _warned:
            _warned.add((str(bad.path), bad.reason))
            log.warning("skipping the broken model folder %s: %s (reinstall it, or remove the folder)",
                        bad.path, bad.reason)
    return found


def _load_package(folder: Path) -> "Package | BrokenPackage":
    """The package in ``folder``, or why it is broken. The metadata is checked here first:
    argostranslate's Package raises JSONDecodeError, AttributeError... on a bad one."""
    from argostranslate.package import Package

    meta_path = folder / "metadata.json"
    if not meta_path.exists():
        return BrokenPackage(folder, "no metadata.json")
    if not meta_path.is_file():  # a directory, or a FIFO that would block the reader
        return BrokenPackage(folder, "metadata.json is not a regular file")
    try:
        with meta_path.open("rb") as handle:
            data = handle.read(MAX_METADATA_BYTES + 1)
    except OSError as exc:
        return BrokenPackage(folder, f"cannot read metadata.json ({exc.strerror})")
    if len(data) > MAX_METADATA_BYTES:
        return BrokenPackage(folder, f"metadata.json is larger than {_size(MAX_METADATA_BYTES)}")
    try:
        meta = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        return BrokenPackage(folder, f"metadata.json is not valid JSON ({_one_line(exc)})")
    if not isinstance(meta, dict):
        return BrokenPackage(folder, "metadata.json is not a JSON object")
    if meta.get("type", "translate") == "translate":
        codes = (meta.get("from_code"), meta.get("to_code"))
        if not all(isinstance(c, str) and c for c in codes):
            return BrokenPackage(folder, "metadata.json lacks from_code/to_code")
        if not (folder / "model" / "model.bin").is_file():
            return BrokenPackage(folder, "no CTranslate2 model (model/model.bin)")
        if not any((folder / name).is_file() for name in _TOKENIZERS):
            return BrokenPackage(folder, f"no {' or '.join(_TOKENIZERS)}")
    try:
        return Package(folder)
    except Exception as exc:  # noqa: BLE001 - argostranslate fails on odd metadata in many ways
        return BrokenPackage(folder, f"argostranslate cannot read it ({_one_line(exc)})")


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:200]


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


_TOKENIZERS = ("sentencepiece.model", "bpe.model")


def _size(n: float) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1000
    return f"{n:.1f} GB"  # not reached


def _unpack_limit(archive_bytes: int) -> tuple[int, str]:
    """How many bytes the archive may unpack to, and what is said when it goes past that."""
    by_ratio = max(archive_bytes * MAX_PACKAGE_RATIO, RATIO_FREE_BYTES)
    if by_ratio < MAX_PACKAGE_BYTES:
        return by_ratio, f"more than {MAX_PACKAGE_RATIO}:1, a decompression bomb?"
    return MAX_PACKAGE_BYTES, f"more than {_size(MAX_PACKAGE_BYTES)}"


def _check_sizes(zf: zipfile.ZipFile, archive_bytes: int, name: str) -> int:
    """Refuse an archive whose declared contents are too many or too large; the byte limit."""
    members = zf.infolist()
    if len(members) > MAX_PACKAGE_MEMBERS:
        raise InvalidPackageError(f"{name}: {len(members)} files (more than {MAX_PACKAGE_MEMBERS}); "
                                  "not an Argos package, not unpacked")
    limit, why = _unpack_limit(archive_bytes)
    declared = sum(m.file_size for m in members)
    if declared > limit:
        raise InvalidPackageError(f"{name}: would unpack {_size(archive_bytes)} into {_size(declared)} "
                                  f"({why}); not unpacked")
    return limit


def _extract(zf: zipfile.ZipFile, dest: Path, limit: int, name: str) -> None:
    """Unpack (members already checked by :func:`_top_folder`), counting bytes as they come: a
    member that yields more than its header declares, or a total past ``limit``, stops it."""
    written = 0
    for info in zf.infolist():
        path = dest / info.filename
        if info.is_dir():
            path.mkdir(parents=True, exist_ok=True)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        left = info.file_size
        with zf.open(info) as source, open(path, "wb") as out:
            while chunk := source.read(COPY_BYTES):
                left -= len(chunk)
                written += len(chunk)
                if left < 0 or written > limit:
                    raise InvalidPackageError(f"{name}: {info.filename} unpacks to more than its header "
                                              "declares (a decompression bomb?); not installed")
                out.write(chunk)


def _read_metadata(zf: zipfile.ZipFile, member: str) -> bytes:
    info = zf.getinfo(member)  # KeyError: no such member
    with zf.open(info) as source:
        data: bytes = source.read(MAX_METADATA_BYTES + 1)
    if len(data) > MAX_METADATA_BYTES:
        raise ValueError(f"larger than {_size(MAX_METADATA_BYTES)}")
    return data


def _check_contents(zf: zipfile.ZipFile, top: str, name: str) -> dict[str, Any]:
    names = set(zf.namelist())
    try:
        meta = json.loads(_read_metadata(zf, f"{top}/metadata.json").decode("utf-8"))
    except KeyError:
        raise InvalidPackageError(f"{name}: no {top}/metadata.json") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidPackageError(f"{name}: metadata.json is not valid JSON ({exc})") from None
    if not isinstance(meta, dict) or not meta.get("from_code") or not meta.get("to_code"):
        raise InvalidPackageError(f"{name}: metadata.json lacks from_code/to_code")
    if f"{top}/model/model.bin" not in names:
        raise InvalidPackageError(f"{name}: no CTranslate2 model ({top}/model/model.bin)")
    if not names & {f"{top}/{t}" for t in _TOKENIZERS}:
        raise InvalidPackageError(f"{name}: no {' or '.join(_TOKENIZERS)}")
    return meta


def installed_pair(src: str, tgt: str) -> list[Path]:
    """The folders of installed packages that translate ``src`` → ``tgt``."""
    return [p.package_path for p in installed_packages() if (p.from_code, p.to_code) == (src, tgt)]


def _refuse_existing(src: str, tgt: str, target: Path | None = None) -> list[Path]:
    """Without --force: refuse when the pair (or the target folder) is installed already."""
    existing = installed_pair(src, tgt)
    if existing:
        raise PackageExistsError(f"a {src} → {tgt} model is already installed ({existing[0]}); "
                                 "add --force to replace it")
    if target is not None and (target.exists() or target.is_symlink()):
        raise PackageExistsError(f"{target} already exists; add --force to replace it")
    return existing


def install_file(path: str | Path, *, force: bool = False) -> "Package":
    """Install a ``.argosmodel`` (a zip with one top folder) into :func:`packages_dir`; offline.

    An archive that would unpack past the caps (:data:`MAX_PACKAGE_BYTES`, :data:`MAX_PACKAGE_RATIO`)
    is refused before anything is unpacked. A package for a pair already installed is refused unless
    ``force``; then it replaces the installed ones (in this packages directory). The model and its
    tokenizer are loaded from the extracted copy before it replaces anything, so a corrupt package is
    refused and an installed one keeps working."""
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
            limit = _check_sizes(zf, path.stat().st_size, path.name)
            meta = _check_contents(zf, top, path.name)
            target = dest_root / top
            pair = (str(meta["from_code"]), str(meta["to_code"]))
            if not force:
                _refuse_existing(*pair, target)
            # Extract beside the target, then swap in, so a failed install leaves no half package.
            staging = Path(tempfile.mkdtemp(prefix=".installing-", dir=dest_root))
            try:
                _extract(zf, staging, limit, path.name)
                _check_loads(staging / top, path.name)
                replaced = [p for p in installed_pair(*pair) if p.parent == dest_root]
                if (target.exists() or target.is_symlink()) and target not in replaced:
                    replaced.append(target)
                _swap_in(staging / top, target, replaced, staging)
            finally:
                shutil.rmtree(staging, ignore_errors=True)
    except zipfile.BadZipFile as exc:
        raise InvalidPackageError(f"{path}: damaged zip archive ({exc})") from None
    _forget_caches()
    return Package(target)


def _swap_in(new: Path, target: Path, replaced: list[Path], staging: Path) -> None:
    """Move the ``replaced`` folders into ``staging`` (deleted with it), then ``new`` to ``target``;
    if that last step fails, the replaced folders go back where they were."""
    aside = staging / ".replaced"
    aside.mkdir()
    moved: list[tuple[Path, Path]] = []
    try:
        for i, old in enumerate(replaced):
            old.rename(aside / str(i))
            moved.append((aside / str(i), old))
        new.rename(target)
    except BaseException:
        for there, home in reversed(moved):
            there.rename(home)
        raise


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


def install_from_index(src: str, tgt: str, *, timeout: float = 30.0, force: bool = False) -> "Package":
    """Download the ``src`` → ``tgt`` package from the Argos index and install it (an installed
    pair is refused before anything is downloaded, unless ``force``)."""
    require_translate_extra()
    from argostranslate.package import AvailablePackage

    if not force:
        _refuse_existing(src, tgt)
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
                return install_file(file, force=force)
            except (urllib.error.URLError, OSError) as exc:
                errors.append(str(getattr(exc, "reason", exc)))
    raise OfflineError(f"cannot download the {src} → {tgt} package ({'; '.join(errors) or 'no links'}); "
                       f"offline, install a downloaded file instead: {FILE_ROUTE}")
