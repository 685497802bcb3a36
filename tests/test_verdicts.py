"""The table of known-word verdicts answers exactly as the accepted-spelling check does."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from normkit.names import verdicts
from normkit.names.known import KnownWords
from normkit.names.verdicts import VerdictTable

CLASSES = st.frozensets(st.sampled_from(["surname", "given_name", "town", "word", "toponym"]), min_size=1)
ANSWER = st.tuples(st.text("абвгдеёжзийклмнопрстуфхцчшщъыьэюя", max_size=8),
                   st.sampled_from(["latin", "names", "dictionary"]), CLASSES)
WORD = st.text(st.characters(blacklist_characters="\t\n|;,", blacklist_categories=("Cs",)), min_size=1, max_size=12)


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(WORD, st.lists(ANSWER, max_size=3), max_size=40), WORD)
def test_a_written_table_gives_back_what_was_written(tmp_path_factory: pytest.TempPathFactory,
                                                     answers: dict[str, list[tuple[str, str, frozenset[str]]]],
                                                     other: str) -> None:
    path = tmp_path_factory.mktemp("verdicts") / "verdicts-x.tsv"
    assert verdicts.write(path, answers.items()) == len(answers)
    table = VerdictTable(path)
    for word, written in answers.items():
        assert table.get(word) == tuple(written)
    if other not in answers:
        assert table.get(other) is None


def test_words_holding_a_separator_are_left_out(tmp_path: Path) -> None:
    path = tmp_path / "verdicts-x.tsv"
    assert verdicts.write(path, [("Ki|rishi", []), ("Kirishi", [("кириши", "names", frozenset({"town"}))])]) == 1
    assert VerdictTable(path).get("Ki|rishi") is None


@pytest.fixture(scope="module")
def known() -> KnownWords:
    import normkit

    return normkit.load().name_linker().known


def test_the_built_table_answers_as_the_check(known: KnownWords, tmp_path_factory: pytest.TempPathFactory,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from normkit import lexicon
    from normkit.gazetteer import default_gazetteer, name_lexicon
    from normkit.names import build_verdicts, known_words

    folder = tmp_path_factory.mktemp("verdict-cache")
    monkeypatch.setenv("NORMKIT_CACHE_DIR", str(folder))
    gazetteer, names = default_gazetteer(), name_lexicon()
    path = build_verdicts(gazetteer, names, lexicon.morph(), known, limit=1500)
    assert path is not None and path.parent == folder
    rebuilt = known_words(gazetteer, names, lexicon.morph())  # finds the table by the same sources
    assert rebuilt.verdicts is not None and len(rebuilt.verdicts) >= 1400  # 1,500 less a few separators
    table = VerdictTable(path)
    tabled = [table._line(i).decode("utf-8").split("\t")[0] for i in range(0, len(table), 7)]
    assert any(rebuilt.known_as(w) for w in tabled) and any(not rebuilt.known_as(w) for w in tabled)
    for word in [*tabled, "Kirishi", "Kirishy", "Moscow", "Zzyzx"]:
        assert rebuilt.known_as(word) == known.check(word), word


def test_a_table_for_other_sources_is_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "glossary.tsv"
    source.write_text("one", encoding="utf-8")
    digest = verdicts.fingerprint([source])
    assert digest is not None
    verdicts.write(verdicts.table_path(tmp_path, digest), [("Kirishi", [])])
    assert verdicts.open_table(tmp_path, [source]) is not None
    source.write_text("two, longer", encoding="utf-8")  # the data changed: another key
    assert verdicts.open_table(tmp_path, [source]) is None
