"""The known-word tables (lower-case word -> its classes) as MARISA tries (marisa-trie).

A dict of the 290,000 words of the glossaries and the name lexicon takes ~80 ms to unpickle on
every start (one str and one dict slot per word, made in Python); the same words as two tries are
a few hundred kilobytes of bytes, which the table cache (:mod:`normkit.buildcache`: owner and mode
checks, HMAC) hands back as they are and marisa-trie loads in a fraction of a millisecond. A lookup
costs about a microsecond instead of a quarter of one, and the few words a text reaches are all
that are ever looked up.
"""
from __future__ import annotations

from typing import Iterator, Mapping

import marisa_trie

from .readings import PrefixVocabulary

_FORMAT = "<H"  # one record per word: the index of its class set
Packed = tuple[bytes, list[list[str]]]  # the trie's bytes, the class sets by index (sorted names)


class WordClasses(Mapping[str, frozenset[str]]):
    """A read-only mapping of lower-case words to their classes, over a RecordTrie."""

    def __init__(self, trie: marisa_trie.RecordTrie, classes: list[frozenset[str]]) -> None:
        self._trie = trie
        self._classes = classes

    @classmethod
    def of(cls, table: Mapping[str, frozenset[str]]) -> WordClasses:
        """The words of ``table`` (any order)."""
        sets = list(dict.fromkeys(table.values()))
        code = {s: i for i, s in enumerate(sets)}
        return cls(marisa_trie.RecordTrie(_FORMAT, ((w, (code[c],)) for w, c in table.items())), sets)

    def packed(self) -> Packed:
        """As plain data, for the table cache."""
        return self._trie.tobytes(), [sorted(s) for s in self._classes]

    @classmethod
    def unpacked(cls, data: Packed) -> WordClasses:
        trie_bytes, classes = data
        return cls(marisa_trie.RecordTrie(_FORMAT).frombytes(trie_bytes), [frozenset(c) for c in classes])

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and word in self._trie

    def __getitem__(self, word: str) -> frozenset[str]:
        found = self._trie.get(word)
        if not found:
            raise KeyError(word)
        return self._classes[int(found[0][0])]

    def __iter__(self) -> Iterator[str]:
        return iter(self._trie.keys())

    def __len__(self) -> int:
        return len(self._trie)

    def vocabulary(self) -> TrieVocabulary:
        """The words as a vocabulary readings can walk (:class:`.readings.Vocabulary`)."""
        return TrieVocabulary(self._trie)


def is_packed(value: object) -> bool:
    """Is ``value`` what :meth:`WordClasses.packed` returns (the table cache's shape check)?"""
    return (isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], bytes)
            and isinstance(value[1], list) and all(isinstance(c, list) for c in value[1]))


class TrieVocabulary(PrefixVocabulary):
    """Words walked by prefix in the trie (the same answers as :class:`.readings.SortedVocabulary`
    over the same words)."""

    def __init__(self, trie: marisa_trie.RecordTrie) -> None:
        self._trie = trie
        self._live: dict[str, bool] = {}  # prefixes asked about: does a word begin so

    def begins(self, prefix: str) -> bool:
        return next(self._trie.iterkeys(prefix), None) is not None

    def is_word(self, state: str) -> bool:
        return state in self._trie
