"""Is a Cyrillic word Russian? pymorphy3's dictionary (inflected words, given names, surnames,
toponyms), loaded on first use, plus extra words such as the gazetteer's names."""
from __future__ import annotations

import functools
from typing import Any, Callable, Iterable

_extra_sources: list[Callable[[], Iterable[str]]] = []


@functools.lru_cache(maxsize=1)
def _morph() -> Any:
    import pymorphy3  # ~80 ms: only when a suspicious token needs checking

    return pymorphy3.MorphAnalyzer()


@functools.lru_cache(maxsize=1)
def _extra_words() -> frozenset[str]:
    words: set[str] = set()
    for source in _extra_sources:
        for phrase in source():
            words.update(phrase.lower().replace("ё", "е").split())
    return frozenset(words)


def add_source(source: Callable[[], Iterable[str]]) -> None:
    """Register a lazy source of known words (called once, at the first lookup)."""
    _extra_sources.append(source)
    _extra_words.cache_clear()
    is_known.cache_clear()


@functools.lru_cache(maxsize=65536)
def is_known(word: str) -> bool:
    """True if pymorphy3's dictionary or a registered source knows ``word`` (any case, ё or е)."""
    lower = word.lower()
    return bool(_morph().word_is_known(lower)) or lower.replace("ё", "е") in _extra_words()
