"""The known-word tables as tries (normkit.names.wordtable) answer exactly as the dicts they are
made from: membership, classes, and the prefix walks readings make over the names."""
from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from normkit.names.known import name_classes
from normkit.names.readings import SortedVocabulary, read_back
from normkit.names.wordtable import WordClasses, is_packed

PAIRS = [("кириши", "city"), ("кировск", "town"), ("киров", "city"), ("киров", "surname"), ("иванов", "surname"),
         ("иванова", "surname"), ("иван", "given_name"), ("ёлкино", "village"), ("", "word"), ("(долгано", "region")]


def test_a_trie_is_the_dict_it_was_made_from() -> None:
    table = name_classes(PAIRS)
    trie = WordClasses.unpacked(WordClasses.of(table).packed())
    assert is_packed(WordClasses.of(table).packed())
    assert len(trie) == len(table) and sorted(trie) == sorted(table)
    for word, classes in table.items():
        assert word in trie and trie[word] == classes and trie.get(word) == classes
    assert trie["киров"] == frozenset({"city", "surname"})
    for absent in ("кир", "кирово", "moscow", "Киров"):
        assert absent not in trie and trie.get(absent) is None
    assert 5 not in trie


def test_walks_and_read_backs_match_the_sorted_vocabulary() -> None:
    table = name_classes(PAIRS)
    trie, words = WordClasses.of(table).vocabulary(), SortedVocabulary.of_sorted(table)
    for state in ("", "к", "ки", "кир", "киров", "кировс", "ив", "ё", "я", "(д"):
        for letters in ("и", "р", "ов", "ск", "а", "ё", "х"):
            assert trie.step(state, letters) == words.step(state, letters)
        assert trie.is_word(state) == words.is_word(state)
    for latin in ("Kirishi", "Kirov", "Kirovsk", "Ivanova", "Yolkino", "Jolkino", "Kirishy", "Moscow"):
        assert read_back(latin, trie) == read_back(latin, words)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet="абвгкиорсё", min_size=1, max_size=6), min_size=1, max_size=30),
       st.integers(min_value=0, max_value=1000))
def test_any_words_walk_alike(vocabulary: list[str], seed: int) -> None:
    table = name_classes((w, "word") for w in vocabulary)
    trie, words = WordClasses.of(table).vocabulary(), SortedVocabulary.of_sorted(table)
    rng = random.Random(seed)
    for _ in range(40):
        state = "".join(rng.choice("абвгкиорсё") for _ in range(rng.randint(0, 4)))
        letters = rng.choice("абвгкиорсё")
        assert trie.step(state, letters) == words.step(state, letters)
        assert trie.is_word(state) == words.is_word(state)
