"""Where gazetteer data comes from, and loading it: the shipped glossaries, the user's
(``NORMKIT_GLOSSARIES``), the local store; :func:`default_gazetteer` and :func:`name_lexicon`.

Nothing is read at import time. Both loaders cache what they load by the value of its inputs (file
paths, sizes and modification times, the store's path), never by object identity, and never close
anything: a gazetteer a caller holds stays usable however the caches change.
"""
from __future__ import annotations

import os
import threading
import time
from collections import OrderedDict
from pathlib import Path
from typing import Sequence

from .._paths import glossaries_dir
from ..errors import GlossaryError
from .index import Gazetteer
from .store import ENV_DATA_DIR, Store, data_dir, default_store_path

ENV_GLOSSARIES = "NORMKIT_GLOSSARIES"
LEARNED_FILE = "learned_glossary.tsv"  # in the user data dir: normkit.decisions writes it
# Shipped files, in load order (later files override earlier ones entry by entry, by id).
PLACE_FILES = ("geonames_ru.tsv", "geonames_postal_ru.tsv.gz", "curated_places.tsv", "curated_features.tsv",
               "curated_historical_names.tsv", "curated_adjectives.tsv", "curated_people.tsv", "curated_officials.tsv",
               "curated_notable_people.tsv")
NAMES_FILE = "names.tsv.gz"  # the person-name lexicon: loaded only by name_lexicon()

RECHECK_SECONDS = 1.0   # default_gazetteer() looks at the file system at most this often per set of inputs
KEEP_LOADED = 8         # gazetteers default_gazetteer() keeps loaded (distinct inputs), least recent dropped


def shipped_glossary_paths() -> list[Path]:
    folder = glossaries_dir()
    return [folder / name for name in PLACE_FILES if (folder / name).is_file()]


def _expand(path: Path) -> list[Path]:
    if path.is_dir():  # a folder of glossaries: its *.tsv and *.tsv.gz, sorted
        return sorted(p for p in path.iterdir() if p.name.endswith((".tsv", ".tsv.gz")))
    if not path.is_file():
        raise GlossaryError(f"{path}: no such glossary file")
    return [path]


def user_glossary_paths(extra: Sequence[Path | str] = ()) -> list[Path]:
    """Glossaries named by NORMKIT_GLOSSARIES (``os.pathsep``-separated files or folders), then ``extra``."""
    env = [p for p in os.environ.get(ENV_GLOSSARIES, "").split(os.pathsep) if p.strip()]
    paths: list[Path] = []
    learned = data_dir() / LEARNED_FILE  # what `normkit gazetteer learn` wrote from review decisions
    if learned.is_file():
        paths.append(learned)
    for item in [*env, *extra]:
        paths.extend(_expand(Path(item).expanduser()))
    return paths


def _fingerprint(path: Path) -> tuple[str, int, int]:
    try:
        stat = path.stat()
    except OSError as exc:
        raise GlossaryError(f"{path}: cannot read glossary: {exc.strerror or exc}") from None
    return str(path), stat.st_size, stat.st_mtime_ns


_InputsKey = tuple[tuple[tuple[str, int, int], ...], str, bool]  # glossary files, store path, store exists
_QuickKey = tuple[str | None, str | None, tuple[str, ...]]       # env vars and the extra paths as given


class _Loaded:
    """What default_gazetteer() has loaded, by the value of its inputs (a few, least recent dropped)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.by_inputs: OrderedDict[_InputsKey, Gazetteer] = OrderedDict()
        # inputs as given -> (when the file system was last looked at, what it gave, the store path)
        self.recent: dict[_QuickKey, tuple[float, Gazetteer, Path]] = {}
        self.lexicon: dict[str, Gazetteer] = {}

    def clear(self) -> None:
        with self.lock:
            self.by_inputs.clear()
            self.recent.clear()
            self.lexicon.clear()


_loaded = _Loaded()


def default_gazetteer(extra: Sequence[Path | str] = ()) -> Gazetteer:
    """Shipped glossaries + NORMKIT_GLOSSARIES files + ``extra`` + the local store, loaded once (cached).

    Later sources override earlier ones by id. The person-name lexicon is not included (see
    :func:`name_lexicon`); the store is consulted on demand, not loaded. A glossary file that changes,
    or a store that appears, gives a new gazetteer within :data:`RECHECK_SECONDS`; an import into an
    existing store is seen by the same gazetteer.
    """
    # Called once per clean(): settle the common case without touching the file system, and look
    # again (glossary files changed, a store made meanwhile) at most once a second.
    quick: _QuickKey = (os.environ.get(ENV_GLOSSARIES), os.environ.get(ENV_DATA_DIR), tuple(map(str, extra)))
    seen = _loaded.recent.get(quick)
    if seen is not None and time.monotonic() - seen[0] < RECHECK_SECONDS:
        _, gazetteer, store_path = seen
        if gazetteer.store is not None or not store_path.is_file():  # no store yet: one stat, made now?
            return gazetteer
    paths = [*shipped_glossary_paths(), *user_glossary_paths(extra)]
    store_path = default_store_path()
    has_store = store_path.is_file()
    key: _InputsKey = (tuple(map(_fingerprint, paths)), str(store_path), has_store)
    with _loaded.lock:
        loaded = _loaded.by_inputs.get(key)
        if loaded is None:
            loaded = Gazetteer.from_files(paths, Store(store_path) if has_store else None)
            _loaded.by_inputs[key] = loaded
            while len(_loaded.by_inputs) > KEEP_LOADED:
                _loaded.by_inputs.popitem(last=False)  # dropped, not closed: a caller may hold it
        _loaded.by_inputs.move_to_end(key)
        if len(_loaded.recent) > KEEP_LOADED * 4:
            _loaded.recent.clear()
        _loaded.recent[quick] = (time.monotonic(), loaded, store_path)
        return loaded


def name_lexicon() -> Gazetteer:
    """Given names, surnames and patronymics (types ``given_name``, ``surname``, ``patronymic``) from
    the shipped ``names.tsv.gz``: tens of thousands of entries, read when first needed (~0.5 s; the
name stage's tables made from it are kept in normkit's cache, so it is rarely read)."""
    path = glossaries_dir() / NAMES_FILE
    with _loaded.lock:
        lexicon = _loaded.lexicon.get(str(path))
        if lexicon is None:
            # Read on first use: the name stage's tables made from it usually come from the cache.
            lexicon = _loaded.lexicon[str(path)] = Gazetteer.from_files([path] if path.is_file() else [], lazy=True)
        return lexicon


def reset_caches() -> None:
    """Forget loaded gazetteers, so the next call loads afresh. Closes nothing: a gazetteer a caller
    still holds keeps working."""
    _loaded.clear()


def loaded_count() -> int:
    """How many gazetteers and lexicons the loaders hold now (0 until something asks for one)."""
    with _loaded.lock:
        return len(_loaded.by_inputs) + len(_loaded.lexicon)
