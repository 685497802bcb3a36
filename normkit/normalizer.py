"""The owned cleaner: :class:`Config` says what to do, :class:`Normalizer` holds what it needs.

A Normalizer is built from a Config (paths and options only), so it pickles as that recipe and
rebuilds on a worker; :func:`normkit.clean` is a thin wrapper over a default instance per Config.
"""
from __future__ import annotations

import os
import threading
from collections import OrderedDict
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Sequence, TypedDict

from .types import CleanResult, Finding

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from .names import NameDecision, NameLinker


@dataclass(frozen=True)
class Config:
    """Everything that decides what :meth:`Normalizer.clean` does (hashable; compared by value).

    ``lang`` or ``target_script`` ("latin"/"cyrillic") fix the script of repairs (otherwise each
    token's sentence, then paragraph, decides). ``min_confidence``: repairs less sure than this are
    suggestions, not edits. ``scheme`` (an iuliia name such as ``"bgn_pcgn"``) writes fixes in that
    romanisation. ``names=False`` repairs scripts only. ``glossaries`` adds glossary files.
    ``normalize_names`` also rewrites accepted variants of a name into its house spelling (kind
    ``name_variant``). ``explain`` lists every name decision, with its evidence, in the result.
    """

    lang: str | None = None
    target_script: str | None = None
    min_confidence: float = 0.5
    scheme: str | None = None
    names: bool = True
    glossaries: tuple[str, ...] = field(default=())
    normalize_names: bool = False
    explain: bool = False

    def __post_init__(self) -> None:
        # Paths as strings: the Config is the recipe a worker rebuilds from, so it must pickle and hash.
        object.__setattr__(self, "glossaries", tuple(str(Path(p)) for p in self.glossaries))

    def with_options(self, **options: Any) -> "Config":
        """A copy with some options changed; unknown names raise TypeError."""
        known = {f.name for f in fields(self)}
        unknown = sorted(set(options) - known)
        if unknown:
            raise TypeError(f"unknown option(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
        return replace(self, **options) if options else self


class Options(TypedDict, total=False):
    """The keyword options of :func:`clean` and :func:`load`: :class:`Config`'s fields."""

    lang: str | None
    target_script: str | None
    min_confidence: float
    scheme: str | None
    names: bool
    glossaries: Sequence[str | Path]
    normalize_names: bool
    explain: bool


class Normalizer:
    """Cleans text with one Config. Thread-safe; pickles as its Config and rebuilds lazily."""

    def __init__(self, config: Config | None = None, **options: Any) -> None:
        self._config = (config or Config()).with_options(**options)
        self._linker: NameLinker | None = None
        self._lock = threading.Lock()

    @property
    def config(self) -> Config:
        return self._config

    def __repr__(self) -> str:
        return f"Normalizer({self._config!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (Normalizer, (self._config,))

    def clean(self, text: str) -> CleanResult:
        """Repair mixed-script tokens and misromanised names in ``text``; every edit explained."""
        from .clean import clean as _clean

        c = self._config
        stage = self._name_stage if c.names else None
        return _clean(text, lang=c.lang, target_script=c.target_script, min_confidence=c.min_confidence,
                      scheme=c.scheme, names=c.names, glossaries=c.glossaries, name_stage=stage,
                      explain=c.explain)

    def _name_stage(self, text: str) -> list[NameDecision]:
        return self.name_linker().decide(text)

    def name_linker(self) -> NameLinker:
        """The name stage over this Normalizer's resources (built on first use)."""
        if self._linker is None:
            with self._lock:
                if self._linker is None:
                    self._linker = _build_linker(self._config)
        return self._linker

    def clean_many(self, texts: Iterable[str], *, n_process: int = 1,
                   batch_size: int = 64) -> Iterator[CleanResult]:
        """Clean each text, results in input order (streamed); ``n_process`` > 1 uses that many
        worker processes (0: one per core), each rebuilding this Normalizer once from its Config
        (see :func:`normkit.parallel.clean_many`)."""
        from .parallel import clean_many

        return clean_many(self, texts, n_process=n_process, batch_size=batch_size)

    def detect(self, text: str) -> list[Finding]:
        """Suspicious tokens of ``text``; nothing is changed."""
        from .clean import detect as _detect

        return _detect(text, lang=self._config.lang, target_script=self._config.target_script)


def _build_linker(config: Config) -> "NameLinker":
    from . import lexicon
    from .gazetteer import default_gazetteer, name_lexicon
    from .matching import _foreign_places
    from .names import build_linker

    gazetteer = default_gazetteer(tuple(Path(p) for p in config.glossaries))
    return build_linker(gazetteer, name_lexicon(), lexicon._morph(), english=lexicon.english_words(),
                        foreign=_foreign_places() | lexicon.neighbour_place_words(), scheme=config.scheme,
                        normalize=config.normalize_names)


_DEFAULTS: OrderedDict[tuple[Config, str | None, str | None], Normalizer] = OrderedDict()
_DEFAULTS_SIZE = 8
_defaults_lock = threading.Lock()


def clean(text: str, config: Config | None = None, **options: Unpack[Options]) -> CleanResult:
    """Repair mixed-script tokens and misromanised Russian names in ``text``; every edit explained.

    ``config`` or keyword options (see :class:`Config`) say how; the work is done by the shared
    :class:`Normalizer` for that configuration (:func:`load`).

    >>> clean("Further north, near the Кириshi industrial zone.").text
    'Further north, near the Kirishi industrial zone.'
    """
    return load(config, **options).clean(text)


def load(config: Config | None = None, **options: Unpack[Options]) -> Normalizer:
    """The shared Normalizer for this Config (built on first use, then reused; a few are kept).
    The environment that names data (NORMKIT_GLOSSARIES, NORMKIT_DATA_DIR) is part of the key:
    change it and the next call builds a Normalizer that reads the new data."""
    config = (config or Config()).with_options(**dict(options))
    key = (config, os.environ.get("NORMKIT_GLOSSARIES"), os.environ.get("NORMKIT_DATA_DIR"))
    with _defaults_lock:
        normalizer = _DEFAULTS.get(key)
        if normalizer is None:
            normalizer = _DEFAULTS[key] = Normalizer(config)
            while len(_DEFAULTS) > _DEFAULTS_SIZE:
                _DEFAULTS.popitem(last=False)
        else:
            _DEFAULTS.move_to_end(key)
        return normalizer
