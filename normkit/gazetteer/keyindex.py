"""A symmetric-delete index over short string keys (SymSpell's idea, for edit distance one).

Each item is filed under its key and under every string its key becomes with one letter left out,
so two keys one edit apart (a letter added, left out or changed) meet in a hash probe: a lookup is
a handful of dictionary probes, never a loop over the items. The caller says which keys get a
neighbourhood at all (``deletions`` returns nothing for keys too short to match loosely).

The index holds positions (ints) into the caller's own item list, so it stores nothing but strings
and ints and costs a few dict probes per lookup whatever the number of items.
"""
from __future__ import annotations

from typing import Callable, Iterable, Sequence

Deletions = Callable[[str], Sequence[str]]
_EMPTY: tuple[int, ...] = ()


class KeyIndex:
    """Item positions by key (:meth:`exact`) and by the keys one letter shorter (:meth:`deleted`)."""

    def __init__(self, keys: Iterable[str], deletions: Deletions) -> None:
        exact: dict[str, list[int]] = {}
        deleted: dict[str, list[int]] = {}
        for position, key in enumerate(keys):
            exact.setdefault(key, []).append(position)
            for probe in dict.fromkeys(deletions(key)):
                deleted.setdefault(probe, []).append(position)
        self._exact = {k: tuple(v) for k, v in exact.items()}
        self._deleted = {k: tuple(v) for k, v in deleted.items()}
        self._deletions = deletions

    @classmethod
    def from_tables(cls, exact: dict[str, Sequence[int]], deleted: dict[str, Sequence[int]],
                    deletions: Deletions) -> "KeyIndex":
        """The index :meth:`tables` gave (read back from a cache: lists or tuples alike; tables of
        tuples, as :meth:`tables` gives them, are used as they are, not copied)."""
        index = cls.__new__(cls)
        index._exact = _of_tuples(exact)
        index._deleted = _of_tuples(deleted)
        index._deletions = deletions
        return index

    def tables(self) -> tuple[dict[str, tuple[int, ...]], dict[str, tuple[int, ...]]]:
        """The index as plain data: positions by key, positions by deletion."""
        return self._exact, self._deleted

    def exact(self, key: str) -> tuple[int, ...]:
        """Items whose key is ``key``, in item order."""
        return self._exact.get(key, _EMPTY)

    def deleted(self, probe: str) -> tuple[int, ...]:
        """Items whose key with one letter left out is ``probe``, in item order."""
        return self._deleted.get(probe, _EMPTY)

    def one_edit(self, key: str) -> set[int]:
        """Items whose key is one edit from ``key`` by the deletion neighbourhood: their key is one of
        ``key``'s deletions, ``key`` is one of theirs, or the two share one (a letter changed).
        ``key`` itself is not included unless one of these holds."""
        found: set[int] = set(self._deleted.get(key, _EMPTY))
        for probe in self._deletions(key):
            found.update(self._exact.get(probe, _EMPTY))
            found.update(self._deleted.get(probe, _EMPTY))
        return found


def _of_tuples(table: dict[str, Sequence[int]]) -> dict[str, tuple[int, ...]]:
    """``table`` itself when its values are tuples, else a copy whose values are."""
    if set(map(type, table.values())) <= {tuple}:  # one C-speed look at the values, no copy of 10^4 keys
        return table  # type: ignore[return-value]
    return {k: tuple(v) for k, v in table.items()}


class KeySet:
    """Which strings a large set holds, in 8 bytes a string: their hashes, sorted. ``absent`` is
    exact (a string whose hash is not there is not in the set); a present hash may, very rarely, be
    another string's, so a caller asks the real source then. Hashes are this process's own (str
    hashing is salted per process), so a KeySet is built where it is used, never stored."""

    def __init__(self, strings: Iterable[str]) -> None:
        from array import array

        self._hashes = array("q", sorted({hash(s) for s in strings}))

    def __len__(self) -> int:
        return len(self._hashes)

    def absent(self, string: str) -> bool:
        """True when ``string`` is certainly not in the set."""
        from bisect import bisect_left

        value = hash(string)
        i = bisect_left(self._hashes, value)
        return i == len(self._hashes) or self._hashes[i] != value
