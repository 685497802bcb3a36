"""The deletion index behind candidate search returns exactly what the loop over entries returned."""
from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from normkit.gazetteer import Entry, Gazetteer
from normkit.gazetteer.keyindex import KeyIndex, KeySet
from normkit.gazetteer.store import Store
from normkit.names.candidates import CandidateIndex, _one_off

KEYS = st.text(alphabet="ABCDGHJKLMNPRSTVZ", min_size=0, max_size=7)


def _one_edit_by_brute_force(keys: list[str], key: str) -> set[int]:
    mine = set(_one_off(key))
    out = set()
    for i, other in enumerate(keys):
        theirs = set(_one_off(other))
        if other in mine or key in theirs or mine & theirs:
            out.add(i)
    return out


@settings(max_examples=200, deadline=None)
@given(st.lists(KEYS, max_size=40), KEYS)
def test_one_edit_is_the_brute_force_neighbourhood(keys: list[str], key: str) -> None:
    index = KeyIndex(keys, _one_off)
    assert index.one_edit(key) == _one_edit_by_brute_force(keys, key)
    assert index.exact(key) == tuple(i for i, k in enumerate(keys) if k == key)


@pytest.fixture(scope="module")
def shipped_index() -> CandidateIndex:
    import normkit

    return normkit.load().name_linker().index


@pytest.fixture(scope="module")
def gazetteer_words(shipped_index: CandidateIndex) -> list[str]:
    entries = sorted(shipped_index.gazetteer.memory_entries(), key=lambda e: e.id)
    return sorted({w for e in entries for name in (e.latin, *e.aliases) for w in name.split()
                   if w.isascii() and len(w) > 2})


def _slip(rng: random.Random, word: str) -> str:
    """One letter changed, left out, added or doubled, or two swapped: how copy misspells names."""
    i = rng.randrange(len(word))
    letter = rng.choice("aeiouykhzscvtjwx")
    return rng.choice((word[:i] + letter + word[i + 1:], word[:i] + word[i + 1:], word[:i] + letter + word[i:],
                       word[:i] + word[i] + word[i:], word[:i] + word[i + 1:i + 2] + word[i:i + 1] + word[i + 2:]))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_the_index_returns_what_the_scan_returned(shipped_index: CandidateIndex, gazetteer_words: list[str],
                                                   data: st.DataObject) -> None:
    word = data.draw(st.sampled_from(gazetteer_words))
    rng = random.Random(data.draw(st.integers(0, 2**32)))
    for query in (word, _slip(rng, word), _slip(rng, _slip(rng, word)), word.upper(), word + "s"):
        assert shipped_index.candidates(query) == shipped_index.scan_candidates(query), query


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet="abcdeghijklmnoprstuvyzkhszčšž'-", min_size=1, max_size=14))
def test_the_index_equals_the_scan_on_any_latin_word(shipped_index: CandidateIndex, tail: str) -> None:
    query = "K" + tail
    assert shipped_index.candidates(query) == shipped_index.scan_candidates(query)


def test_news_words_and_known_slips_give_the_same_candidates(shipped_index: CandidateIndex) -> None:
    words = ("Kirishy", "Glazhev", "Boharev", "Volgograd", "Sankt-Peterburg", "Tchaikovsky", "Schukina",
             "Novosibirks", "Yekaterinburg", "Ekaterinburg", "Kirovgrat", "Washington", "Berlin", "Monday")
    for word in words:
        assert shipped_index.candidates(word) == shipped_index.scan_candidates(word)
    assert any(c.output == "Kirishi" for c in shipped_index.candidates("Kirishy"))


def _hamlet(i: int, latin: str, cyrillic: str) -> Entry:
    return Entry(f"test:{i}", cyrillic, latin, "village", (), 10 + i, (), "test")


def test_store_entries_come_in_their_ranked_place(tmp_path: Path) -> None:
    """With a store, phase one ranks its entries among the in-memory ones, as Gazetteer.by_key does."""
    store = Store(tmp_path / "g.sqlite3", create=True)
    hamlets = [_hamlet(1, "Kirishki", "Киришки"), _hamlet(2, "Kirishy", "Кирищи"), _hamlet(3, "Glazhevka", "Глажевка"),
               _hamlet(4, "Boharevo", "Бохарево")]
    with store.importing(Path("test.txt"), "test") as counts:
        for entry in hamlets:
            store.write(entry)
            counts.added += 1
    memory = [Entry("m:1", "Кириши", "Kirishi", "town", (), 50000, ("Kirishy",), "test"),
              Entry("m:2", "Глажево", "Glazhevo", "village", (), 700, (), "test"),
              Entry("m:3", "Бахарево", "Bakharevo", "village", (), 5, (), "test")]
    index = CandidateIndex(Gazetteer(memory, store))
    for word in ("Kirishi", "Kirishy", "Kirishki", "Glazhev", "Glajevka", "Boharev", "Bakharev"):
        found = index.candidates(word)
        assert found == index.scan_candidates(word)
    # A store's entries are reached under their exact keys (the near lists hold in-memory entries).
    assert {c.entry.id for c in index.candidates("Glazhevka")} >= {"m:2", "test:3"}
    assert {c.entry.id for c in index.candidates("Kirishki")} >= {"m:1", "test:1"}


@settings(max_examples=200, deadline=None)
@given(st.sets(st.text(max_size=12), max_size=60), st.text(max_size=12))
def test_a_key_set_never_calls_a_held_string_absent(held: set[str], other: str) -> None:
    keys = KeySet(held)
    assert not any(keys.absent(s) for s in held)
    if other not in held:
        assert keys.absent(other) or hash(other) in {hash(s) for s in held}  # only a hash collision


def test_a_name_imported_later_is_found_from_the_next_lookup(tmp_path: Path) -> None:
    store = Store(tmp_path / "g.sqlite3", create=True)
    gazetteer = Gazetteer([], store)
    gazetteer.add_index("skeleton-test", lambda e: [e.latin[:3].lower()])
    assert gazetteer.lookup("Kirishki") == [] and gazetteer.by_key("skeleton-test", "kir") == []
    with store.importing(Path("test.txt"), "test") as counts:
        store.write(_hamlet(1, "Kirishki", "Киришки"))
        counts.added += 1
    assert [e.id for e in gazetteer.lookup("Kirishki")] == ["test:1"]
    assert [e.id for e in gazetteer.by_key("skeleton-test", "kir")] == ["test:1"]
