"""The owned cleaner: :class:`Config` says what to do, :class:`Normalizer` holds what it needs.

A Normalizer is built from a Config (paths and options only), so it pickles as that recipe and
rebuilds on a worker; :func:`normkit.clean` is a thin wrapper over a default instance per Config.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Iterable, Iterator

from .types import CleanResult, Finding


@dataclass(frozen=True)
class Config:
    """Everything that decides what :meth:`Normalizer.clean` does (hashable; compared by value).

    ``lang`` or ``target_script`` ("latin"/"cyrillic") fix the script of repairs (otherwise each
    token's sentence, then paragraph, decides). ``min_confidence``: repairs less sure than this are
    suggestions, not edits. ``scheme`` (an iuliia name such as ``"bgn_pcgn"``) writes fixes in that
    romanisation. ``names=False`` repairs scripts only. ``glossaries`` adds glossary files.
    """

    lang: str | None = None
    target_script: str | None = None
    min_confidence: float = 0.5
    scheme: str | None = None
    names: bool = True
    glossaries: tuple[str, ...] = field(default=())

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


class Normalizer:
    """Cleans text with one Config. Thread-safe; pickles as its Config and rebuilds lazily."""

    def __init__(self, config: Config | None = None, **options: Any) -> None:
        self._config = (config or Config()).with_options(**options)

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
        return _clean(text, lang=c.lang, target_script=c.target_script, min_confidence=c.min_confidence,
                      scheme=c.scheme, names=c.names, glossaries=c.glossaries)

    def clean_many(self, texts: Iterable[str], *, n_process: int = 1,
                   batch_size: int = 64) -> Iterator[CleanResult]:
        """Clean each text, results in input order."""
        for text in texts:
            yield self.clean(text)

    def detect(self, text: str) -> list[Finding]:
        """Suspicious tokens of ``text``; nothing is changed."""
        from .clean import detect as _detect

        return _detect(text, lang=self._config.lang, target_script=self._config.target_script)


_DEFAULTS: OrderedDict[Config, Normalizer] = OrderedDict()
_DEFAULTS_SIZE = 8
_defaults_lock = threading.Lock()


def load(config: Config | None = None, **options: Any) -> Normalizer:
    """The shared Normalizer for this Config (built on first use, then reused; a few are kept)."""
    key = (config or Config()).with_options(**options)
    with _defaults_lock:
        normalizer = _DEFAULTS.get(key)
        if normalizer is None:
            normalizer = _DEFAULTS[key] = Normalizer(key)
            while len(_DEFAULTS) > _DEFAULTS_SIZE:
                _DEFAULTS.popitem(last=False)
        else:
            _DEFAULTS.move_to_end(key)
        return normalizer
