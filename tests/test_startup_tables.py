"""What a process loads at start: the shipped word lists come from the table cache exactly as the
files read, a run without --report or --jobs imports neither the report writer nor the process
pool, pymorphy3's dictionary is the one normkit depends on, and glossary rows share repeated values."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from normkit import lexicon
from normkit._paths import glossaries_dir
from normkit.gazetteer import read_glossary


def _clear_word_lists() -> None:
    lexicon._english_lists.cache_clear()
    lexicon._place_lists.cache_clear()


def test_word_lists_from_a_cold_and_a_warm_cache_are_the_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NORMKIT_CACHE_DIR", str(tmp_path / "cache"))
    english, capitals = lexicon._read_english()
    foreign, neighbours = lexicon._read_foreign_places(), lexicon._read_neighbour_places()
    assert "kirishi" not in english and "the" in english and "The" in capitals
    try:
        for _ in range(2):  # built and kept, then loaded
            _clear_word_lists()
            assert lexicon.english_words() == english
            assert lexicon.capitalised(lexicon.english_words()) == capitals
            assert lexicon.foreign_place_words() == foreign
            assert lexicon.neighbour_place_words() == neighbours
        kept = sorted(p.name.split("-")[0] for p in (tmp_path / "cache").glob("*.pickle"))
        assert kept == ["english", "place"]
    finally:
        _clear_word_lists()


def test_capitalised_any_other_list() -> None:
    assert lexicon.capitalised(frozenset({"kirishi", "moscow"})) == frozenset({"Kirishi", "Moscow"})


def test_a_plain_clean_imports_no_report_writer_and_no_pool(tmp_path: Path) -> None:
    text = tmp_path / "in.txt"
    text.write_text("Near the Кириshi plant, drones fell today.\n", encoding="utf-8")
    code = ("import sys\nfrom normkit.cli import main\ntry:\n    main(['clean', sys.argv[1]])\n"
            "except SystemExit:\n    pass\n"
            "print(sorted(m for m in ('normkit.report', 'multiprocessing', 'concurrent.futures.process')"
            " if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code, str(text)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    out = done.stdout.splitlines()
    assert out[0] == "Near the Kirishi plant, drones fell today."
    assert out[-1] == "[]"


def test_a_report_is_still_written(tmp_path: Path) -> None:
    text, page = tmp_path / "in.txt", tmp_path / "report.html"
    text.write_text("Near the Кириshi plant.\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "normkit", "clean", str(text), "--report", str(page)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "Kirishi" in page.read_text(encoding="utf-8")


def test_pymorphy3_reads_the_dictionary_normkit_depends_on() -> None:
    import pymorphy3_dicts_ru

    morph = lexicon.morph()
    assert Path(morph.dictionary.path) == Path(pymorphy3_dicts_ru.get_path())
    assert morph.lang == "ru" and morph.word_is_known("москва")


def test_glossary_rows_share_repeated_values() -> None:
    entries = read_glossary(glossaries_dir() / "curated_places.tsv")
    by_type: dict[str, list[str]] = {}
    for entry in entries:
        by_type.setdefault(entry.type, []).append(entry.type)
    repeated = [types for types in by_type.values() if len(types) > 1]
    assert repeated and all(all(t is types[0] for t in types) for types in repeated)
    with_parents = [e for e in entries if e.parents]
    parents = {}
    for entry in with_parents:
        assert parents.setdefault(entry.parents, entry.parents) is entry.parents


def test_a_large_load_goes_to_the_oldest_generation_in_one_walk() -> None:
    import gc

    from normkit import gcpause

    assert gc.isenabled()
    with gcpause.loading_tables():
        table = [[i] for i in range(gcpause.LARGE_LOAD + 10)]
    assert gc.isenabled() and gc.get_freeze_count() == 0
    assert gc.get_count()[0] < gcpause.LARGE_LOAD  # nothing left for the young collections to walk
    assert any(o is table for o in gc.get_objects(generation=2))


def test_the_name_trie_answers_as_the_dict(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from normkit.gazetteer import Gazetteer, shipped_glossary_paths
    from normkit.gazetteer.index import NameTrie

    monkeypatch.setenv("NORMKIT_CACHE_DIR", str(tmp_path / "cache"))
    files = shipped_glossary_paths()
    for _ in range(2):  # the trie built and kept, then loaded
        from_files = Gazetteer.from_files(files)
        in_memory = Gazetteer(list(from_files.memory_entries()))  # no files: its index is a dict
        assert isinstance(from_files._name_index(), NameTrie) and isinstance(in_memory._name_index(), dict)
        names = [n for e in list(from_files.memory_entries())[::97] for n in e.names]
        for name in [*names, "Kirishi", "Кириши", "Moscow", "no such place", ""]:
            assert [e.id for e in from_files.lookup(name)] == [e.id for e in in_memory.lookup(name)]
    assert NameTrie(NameTrie.packed({"a": ("x:1", "y:2"), "b": ("z:3",)})).get("a") == ("x:1", "y:2")
    assert NameTrie.packed({"a": ("bad\0id",)}) == b""
