"""The owned cleaner: :class:`Config` says what to do, :class:`Normalizer` holds what it needs.

A Normalizer is built from a Config (paths and options only), so it pickles as that recipe and
rebuilds on a worker; :func:`normkit.clean` is a thin wrapper over a default instance per Config.
"""
from __future__ import annotations

import functools
import os
import threading
from collections import OrderedDict
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Sequence, TypedDict

from .types import CleanResult, Finding

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from .decisions import Decisions
    from .gazetteer import Gazetteer
    from .lexicon import Lexicon
    from .linking import Link
    from .names import NameDecision, NameLinker
    from .names.finder import NameMatch
    from .repair import Knowledge


@dataclass(frozen=True)
class Config:
    """Everything that decides what :meth:`Normalizer.clean` does (hashable; compared by value).

    ``lang`` or ``target_script`` ("latin"/"cyrillic") fix the script of repairs (otherwise each
    token's sentence, then paragraph, decides). ``min_confidence``: repairs less sure than this are
    suggestions, not edits. ``scheme`` (an iuliia name such as ``"bgn_pcgn"``) writes fixes in that
    romanisation. ``names=False`` repairs scripts only. ``glossaries`` adds glossary files.
    ``normalize_names`` also rewrites accepted variants of a name into its house spelling (kind
    ``name_variant``). ``explain`` lists every name decision, with its evidence, in the result.
    ``decisions``: review decisions files (:mod:`normkit.decisions`): a rejected change is never
    made again, an accepted one is applied even below ``min_confidence``.
    """

    lang: str | None = None
    target_script: str | None = None
    min_confidence: float = 0.5
    scheme: str | None = None
    names: bool = True
    glossaries: tuple[str, ...] = field(default=())
    normalize_names: bool = False
    explain: bool = False
    decisions: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        # Paths as strings: the Config is the recipe a worker rebuilds from, so it must pickle and hash.
        object.__setattr__(self, "glossaries", tuple(str(Path(p)) for p in self.glossaries))
        object.__setattr__(self, "decisions", tuple(str(Path(p)) for p in self.decisions))

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
    decisions: Sequence[str | Path]


class Normalizer:
    """Cleans text with one Config. It owns what cleaning consults (the gazetteer, the lexicon, the
    name stage and their caches), each built on first need; it is thread-safe, and it pickles as
    its Config (a worker rebuilds the rest lazily)."""

    def __init__(self, config: Config | None = None, **options: Any) -> None:
        self._config = (config or Config()).with_options(**options)
        self._resources = _Resources(self._config)
        # The engine's call with this Config's arguments bound, made on the first clean: a short
        # line costs a few microseconds, so nothing is looked up again per call.
        self._run: Callable[[str], CleanResult] | None = None

    @property
    def config(self) -> Config:
        return self._config

    def __repr__(self) -> str:
        return f"Normalizer({self._config!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (Normalizer, (self._config,))

    def clean(self, text: str) -> CleanResult:
        """Repair mixed-script tokens and misromanised names in ``text``; every edit explained."""
        run = self._run
        if run is None:
            run = self._run = self._bind()
        result = run(text)
        if self._config.decisions:
            result = self._resources.decisions().apply(text, result)
        return result

    def _bind(self) -> Callable[[str], CleanResult]:
        """The engine's clean with this Config's arguments and resources bound (once)."""
        c = self._config
        engine = _engine()
        return functools.partial(
            engine.clean, forced=engine.forced_script(c.lang, c.target_script), min_confidence=c.min_confidence,
            scheme=c.scheme, knowledge=self._resources.knowledge(), name_stage=self._name_stage if c.names else None,
            explain=c.explain)

    def _name_stage(self, text: str) -> list[NameDecision]:
        linker = self._resources.built("linker")
        if linker is None:
            from .names.linker import shipped_english_capitalised, words_to_check

            if not words_to_check(text, shipped_english_capitalised()):
                return []  # no word to look at: the name stage (seconds to build) is not built for it
            linker = self.name_linker()
        # Rejected decisions are wanted only to be explained or turned into suggestions by review
        # decisions; otherwise the linker may skip what could only be rejected.
        wanted = bool(self._config.explain or self._config.decisions)
        decisions: list[NameDecision] = linker.decide(text, rejected=wanted)
        if self._config.decisions:  # an accepted fix the model would not even suggest: reported, then applied
            review = self._resources.decisions()
            decisions = [replace(d, outcome="suggested") if d.outcome == "rejected" and d.after is not None and
                         review.verdict(d.edit()) == "accept" else d
                         for d in decisions]
        return decisions

    def name_linker(self) -> NameLinker:
        """The name stage over this Normalizer's resources (built on first use)."""
        return self._resources.linker()

    def gazetteer(self) -> Gazetteer:
        """The gazetteer this Normalizer reads: shipped glossaries, NORMKIT_GLOSSARIES, the
        Config's glossaries and the local store (loaded on first use)."""
        return self._resources.gazetteer()

    def warm(self) -> "Normalizer":
        """Load now what cleaning would load on first need (the gazetteer, the lexicon, the name
        stage): for a server or a worker that should answer its first request as fast as the next."""
        lexicon = self._resources.knowledge().lexicon
        lexicon.is_known("москва")
        lexicon.is_latin_place_word("Moscow")
        lexicon.zipf("москва")
        if self._config.names:
            self.name_linker().decide("Warm up in Kirishy.")
        return self

    def clean_many(self, texts: Iterable[str], *, n_process: int = 1,
                   batch_size: int = 64) -> Iterator[CleanResult]:
        """Clean each text, results in input order (streamed); ``n_process`` > 1 uses that many
        worker processes (0: one per core), each rebuilding this Normalizer once from its Config
        (see :func:`normkit.parallel.clean_many`)."""
        from .parallel import clean_many

        return clean_many(self, texts, n_process=n_process, batch_size=batch_size)

    def detect(self, text: str) -> list[Finding]:
        """Suspicious tokens of ``text``; nothing is changed."""
        from .pipeline import detect as _detect, forced_script

        c = self._config
        return _detect(text, forced=forced_script(c.lang, c.target_script), scheme=c.scheme or "bgn_pcgn",
                       knowledge=self._resources.knowledge())

    def link(self, text: str) -> list[Link]:
        """Every Russian name recognised in ``text`` (right as written, fixed or suggested), with
        its span in ``text``, entity id, type, canonical forms and status (see :mod:`normkit.linking`)."""
        from .linking import link_text

        return link_text(self, text)

    def find_names(self, text: str) -> list[NameMatch]:
        """The gazetteer's names in ``text`` (inflected Russian forms included), for translation."""
        from .names.finder import find_names

        return find_names(text, self.gazetteer(), self._resources.lexicon())


@functools.lru_cache(maxsize=1)
def _engine() -> ModuleType:
    """normkit.pipeline, imported on the first clean (not by ``import normkit``)."""
    from . import pipeline

    return pipeline


class _Resources:
    """What one Normalizer consults, each built once, on first need, from its Config (and the
    environment that names data: NORMKIT_GLOSSARIES, NORMKIT_DATA_DIR)."""

    def __init__(self, config: Config) -> None:
        self._config = config
        self._lock = threading.RLock()
        self._built: dict[str, Any] = {}

    def built(self, name: str) -> Any:
        """The resource ``name`` if it is built already, else None (nothing is built)."""
        return self._built.get(name)

    def _once(self, name: str, build: Callable[[], Any]) -> Any:
        value = self._built.get(name)  # one dict lookup on every call after the first
        if value is None:
            from .gcpause import loading_tables

            with self._lock:
                value = self._built.get(name)
                if value is None:
                    with loading_tables():  # long-lived tables: no collector walking them as they load
                        value = self._built[name] = build()
        return value

    def gazetteer(self) -> Gazetteer:
        from .gazetteer import default_gazetteer

        return self._once("gazetteer", lambda: default_gazetteer(tuple(Path(p) for p in self._config.glossaries)))  # type: ignore[no-any-return]

    def lexicon(self) -> Lexicon:
        from .lexicon import Lexicon

        # A Russian word is known when pymorphy3 or (names on) the gazetteer knows it.
        source = (lambda: _cyrillic_names(self.gazetteer())) if self._config.names else None
        return self._once("lexicon", lambda: Lexicon(source))  # type: ignore[no-any-return]

    def knowledge(self) -> Knowledge:
        from .repair import Knowledge

        return self._once("knowledge", lambda: Knowledge(self.lexicon(), self._latin_form))  # type: ignore[no-any-return]

    def _latin_form(self, word: str, default_scheme: str) -> str:
        """How a repaired Russian word is written in Latin text: the gazetteer's preferred form when
        it knows the word (Москва → Moscow) and no scheme was asked for, else the scheme's."""
        from .transliteration import CYRILLIC_RE, romanize

        if self._config.names and self._config.scheme is None:
            entries = self.gazetteer().lookup(word)
            if entries and not CYRILLIC_RE.search(entries[0].latin):
                return entries[0].latin
        return romanize(word, self._config.scheme or default_scheme)

    def decisions(self) -> Decisions:
        from .decisions import load_decisions

        return self._once("decisions", lambda: load_decisions(self._config.decisions))  # type: ignore[no-any-return]

    def linker(self) -> NameLinker:
        def build() -> NameLinker:
            from . import lexicon
            from .gazetteer import name_lexicon
            from .names import build_linker

            linker = build_linker(self.gazetteer(), name_lexicon(), lexicon.morph(), english=lexicon.english_words(),
                                  foreign=lexicon.foreign_place_words() | lexicon.neighbour_place_words(),
                                  scheme=self._config.scheme, normalize=self._config.normalize_names)
            # Its candidate tables too (the linker is built for a word to check: nearly always needed),
            # while the collector is paused.
            linker.index.prepare()
            return linker
        return self._once("linker", build)  # type: ignore[no-any-return]


def _cyrillic_names(gazetteer: Gazetteer) -> Iterator[str]:
    """The Cyrillic names (and aliases) of the gazetteer's in-memory entries."""
    from .transliteration import CYRILLIC_RE

    for entry in gazetteer.memory_entries():
        for name in (entry.cyrillic, *entry.aliases):
            if CYRILLIC_RE.search(name):
                yield name


# The process environment as CPython keeps it (bytes on POSIX): reading the two variables there
# costs a fraction of os.environ.get's encode-and-wrap, on every normkit.clean call. os.environ
# writes go through this same dict, so a change is seen on the next call.
_ENVIRON_DATA = getattr(os.environ, "_data", None) if os.name == "posix" else None
_ENV_KEYS = ("NORMKIT_GLOSSARIES", "NORMKIT_DATA_DIR")
_ENV_BYTES = tuple(os.fsencode(k) for k in _ENV_KEYS)


def _environment() -> tuple[Any, Any]:
    """The environment that names data (NORMKIT_GLOSSARIES, NORMKIT_DATA_DIR), as a cache key."""
    data = _ENVIRON_DATA
    if isinstance(data, dict):
        return data.get(_ENV_BYTES[0]), data.get(_ENV_BYTES[1])
    return os.environ.get(_ENV_KEYS[0]), os.environ.get(_ENV_KEYS[1])


_DEFAULTS: OrderedDict[tuple[Any, ...], Normalizer] = OrderedDict()
_DEFAULTS_SIZE = 8
_QUICK: dict[tuple[Any, ...], Normalizer] = {}  # (config, options, environment) -> the Normalizer for them
_defaults_lock = threading.Lock()


def clean(text: str, config: Config | None = None, **options: Unpack[Options]) -> CleanResult:
    """Repair mixed-script tokens and misromanised Russian names in ``text``; every edit explained.

    ``config`` or keyword options (see :class:`Config`) say how; the work is done by the shared
    :class:`Normalizer` for that configuration (:func:`load`).

    >>> clean("Further north, near the Кириshi industrial zone.").text
    'Further north, near the Kirishi industrial zone.'
    """
    return load(config, **options).clean(text)


def link(text: str, config: Config | None = None, **options: Unpack[Options]) -> list[Link]:
    """Every Russian name recognised in ``text``, with span, entity id, type, canonical forms and
    status ok/fixed/suggested (see :meth:`Normalizer.link`)."""
    return load(config, **options).link(text)


def detect(text: str, config: Config | None = None, **options: Unpack[Options]) -> list[Finding]:
    """The tokens of ``text`` that mix scripts, with their script profile, class and the repair
    :func:`clean` would make; nothing is changed (``lang``/``target_script`` as for :func:`clean`)."""
    return load(config, **options).detect(text)


def load(config: Config | None = None, **options: Unpack[Options]) -> Normalizer:
    """The shared Normalizer for this Config (built on first use, then reused; a few are kept).
    The environment that names data (NORMKIT_GLOSSARIES, NORMKIT_DATA_DIR) is part of the key:
    change it and the next call builds a Normalizer that reads the new data."""
    environment = _environment()
    # The common call, normkit.clean(text) with a few hashable options, finds its Normalizer by
    # them directly: building a Config per call would cost more than cleaning a short line.
    quick: tuple[Any, ...] | None = (config, tuple(sorted(options.items())), environment)
    try:
        found = _QUICK.get(quick) if quick is not None else None
    except TypeError:  # an unhashable option value (a list of glossaries)
        quick, found = None, None
    if found is not None:
        return found
    config = (config or Config()).with_options(**dict(options))
    key = (config, *environment)
    with _defaults_lock:
        normalizer = _DEFAULTS.get(key)
        if normalizer is None:
            normalizer = _DEFAULTS[key] = Normalizer(config)
            while len(_DEFAULTS) > _DEFAULTS_SIZE:
                _DEFAULTS.popitem(last=False)
        else:
            _DEFAULTS.move_to_end(key)
        if quick is not None:
            if len(_QUICK) >= 4 * _DEFAULTS_SIZE:
                _QUICK.clear()
            _QUICK[quick] = normalizer
        return normalizer
