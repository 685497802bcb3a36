"""Owning and sharing gazetteer data: pickling, threads, caches that close nothing, imports into a store
that live gazetteers are reading."""
from __future__ import annotations

import os
import pickle
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from normkit import gazetteer as gz
from normkit.errors import GlossaryError, StoreError
from normkit.gazetteer import Entry, Gazetteer, default_gazetteer, name_key
from normkit.gazetteer.importer import import_file
from normkit.gazetteer.sources import KEEP_LOADED
from normkit.gazetteer.store import Store
from test_store import GEONAMES_ROWS, geonames_row, write_geonames

HEADER = "# normkit-glossary 1\nid\tcyrillic\tlatin\ttype\tparents\tpopulation\taliases\tsource\n"
FIRST3 = "first3"


def first3(entry: Entry) -> set[str]:
    """A small index of the kind matching registers: the first three letters of each name."""
    return {name_key(n)[:3] for n in entry.names}


pytestmark = pytest.mark.usefixtures("fresh_gazetteers")  # see conftest


def store_path() -> Path:
    return Path(os.environ["NORMKIT_DATA_DIR"]) / "gazetteer.sqlite3"


def stored(entries: list[Entry]) -> set[str]:
    return {e.id for e in entries if e.id.startswith("test:")}


def hamlet(i: int) -> Entry:
    """An invented hamlet: names no glossary has (Zarechka 7 / Заречка 7)."""
    return Entry(f"test:{i}", f"Заречка {i}", f"Zarechka {i}", "village", ("geonames:536199",), i, (), "test")


def fill(store: Store, entries: list[Entry], source: str = "test.txt") -> None:
    with store.importing(Path(source), "test") as counts:
        for entry in entries:
            store.write(entry)
            counts.added += 1


def user_glossary(tmp_path: Path, rows: str, name: str = "mine.tsv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + rows, encoding="utf-8")
    return path


# ---------------------------------------------------------------- pickling

def test_a_gazetteer_pickles_as_its_recipe_and_works_when_unpickled(tmp_path: Path) -> None:
    store = Store(store_path(), create=True)
    fill(store, [hamlet(1), hamlet(2)])
    mine = user_glossary(tmp_path, "me:1\tулица Сосновая\tSosnovaya Street\tstreet\tgeonames:548442\t0\t\t\n")
    original = Gazetteer.from_files([*gz.shipped_glossary_paths(), mine], store)
    original.add_index(FIRST3, first3)
    data = pickle.dumps(original)
    assert len(data) < 2000  # file paths and the store's path, not thousands of entries
    copy = pickle.loads(data)
    assert copy.files == original.files and copy.store is not None and copy.store.path == store.path
    assert copy.lookup("Sosnovaya Street")[0].id == "me:1"
    assert [e.id for e in copy.lookup("Заречка 2")] == ["test:2"]
    assert copy.get("geonames:548442") == original.get("geonames:548442")
    assert len(copy) == len(original) and copy.counts() == original.counts()
    assert not copy.has_index(FIRST3)  # key functions are not pickled: register again
    copy.add_index(FIRST3, first3)
    found = {e.id for e in copy.by_key(FIRST3, "zar")}
    assert found == {e.id for e in original.by_key(FIRST3, "zar")} and {"test:1", "test:2"} < found
    # the two share no connection: closing one store leaves the other working
    store.close()
    assert copy.get("test:1") == hamlet(1)


def test_a_gazetteer_of_entries_pickles_its_entries() -> None:
    original = Gazetteer([hamlet(3), hamlet(4)])
    copy = pickle.loads(pickle.dumps(original))
    assert copy.files is None and copy.store is None
    assert list(copy) == list(original) and copy.lookup("Zarechka 4") == [hamlet(4)]


def test_the_default_gazetteer_unpickles_in_another_process() -> None:
    fill(Store(store_path(), create=True), [hamlet(5)])
    held = default_gazetteer()
    code = ("import pickle, sys; g = pickle.load(sys.stdin.buffer); "
            "print(g.lookup('Zarechka 5')[0].id, g.lookup('Kirishi')[0].id, len(g))")
    done = subprocess.run([sys.executable, "-c", code], input=pickle.dumps(held), capture_output=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout.decode().split() == ["test:5", "geonames:548442", str(len(held))]


def test_an_unpickled_gazetteer_reads_its_files_on_first_use(tmp_path: Path) -> None:
    mine = user_glossary(tmp_path, "me:2\tулица Луговая\tLugovaya Street\tstreet\t\t0\t\t\n")
    data = pickle.dumps(Gazetteer.from_files([mine]))
    mine.unlink()
    copy = pickle.loads(data)  # lazily: unpickling itself reads nothing
    with pytest.raises(GlossaryError, match="mine.tsv: cannot read glossary"):
        copy.lookup("Lugovaya Street")


def test_a_store_pickles_as_its_path_and_reconnects() -> None:
    store = Store(store_path(), create=True)
    fill(store, [hamlet(6)])
    copy = pickle.loads(pickle.dumps(store))
    assert copy.path == store.path and copy.get("test:6") == hamlet(6)
    store.close()
    store_path().rename(store_path().with_suffix(".gone"))
    with pytest.raises(StoreError, match="no gazetteer store here"):
        pickle.loads(pickle.dumps(store)).get("test:6")


def test_a_store_on_a_read_only_mount_is_read_and_indexed_in_memory(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(folder)], capture_output=True,
                             text=True)
    if mounted.returncode != 0:  # not root, or a container without the capability
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip() or mounted.returncode}")
    try:
        with Store(folder / "gazetteer.sqlite3", create=True) as store:
            fill(store, [hamlet(9)])
        remount = subprocess.run(["mount", "-o", "remount,ro", str(folder)], capture_output=True, text=True)
        assert remount.returncode == 0, remount.stderr
        # SQLite cannot make a WAL file's shared memory here; nobody can write it either
        gazetteer = Gazetteer([], Store(folder / "gazetteer.sqlite3"))
        gazetteer.add_index(FIRST3, first3)
        assert gazetteer.lookup("Заречка 9") == [hamlet(9)] and stored(gazetteer.by_key(FIRST3, "zar")) == {"test:9"}
        assert sorted(p.name for p in folder.iterdir()) == ["gazetteer.sqlite3"]
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


# ---------------------------------------------------------------- threads

def test_threads_share_a_store_and_a_gazetteer() -> None:
    store = Store(store_path(), create=True)
    fill(store, [hamlet(i) for i in range(40)])
    gazetteer = Gazetteer.from_files(gz.shipped_glossary_paths(), store)
    gazetteer.add_index(FIRST3, first3)
    expected = {i: [e.id for e in gazetteer.lookup(f"Zarechka {i}")] for i in range(40)}
    failures: list[BaseException] = []
    found: dict[int, list[str]] = {}

    def work(offset: int) -> None:
        try:
            for i in range(offset, 40, 4):
                found[i] = [e.id for e in gazetteer.lookup(f"Заречка {i}")]
                assert gazetteer.get(f"test:{i}") == hamlet(i)
                assert f"test:{i}" in {e.id for e in gazetteer.by_key(FIRST3, "zar")}
                assert [p.latin for p in gazetteer.parents(hamlet(i))] == ["Leningrad Oblast"]
        except BaseException as exc:  # noqa: BLE001 -- reported below
            failures.append(exc)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == [] and found == expected and all(expected[i] == [f"test:{i}"] for i in range(40))
    store.close()  # every thread's connection; the store reconnects when used again
    assert gazetteer.get("test:0") == hamlet(0)


# ---------------------------------------------------------------- caches never close what a caller holds

def test_reset_caches_leaves_a_held_gazetteer_working(tmp_path: Path) -> None:
    import_file(write_geonames(tmp_path), "geonames")
    held = default_gazetteer()
    assert held.store is not None and held.lookup("Pchevzhitsa")[0].id == "geonames:9000001"
    gz.reset_caches()
    assert held.lookup("Pchevzhitsa")[0].id == "geonames:9000001"
    assert default_gazetteer() is not held  # loaded afresh


def test_a_live_normalizer_survives_an_import_and_a_reset(tmp_path: Path) -> None:
    import normkit

    import_file(write_geonames(tmp_path), "geonames")
    live = normkit.Normalizer()
    text = "Residents of Pchevzhitse village and Glazhev village complained."

    def reported(result: normkit.CleanResult) -> list[tuple[str, str]]:
        return sorted((e.before, e.after) for e in (*result.edits, *result.suggestions))

    before = live.clean(text)
    assert reported(before) == [("Glazhev", "Glazhevo"), ("Pchevzhitse", "Pchevzhitsa")]
    more = write_geonames(tmp_path, [geonames_row(9000020, "Zarechka", "Zarechka,Заречка", admin2="548441")],
                          "more.txt")
    import_file(more, "geonames")  # the old store module closed the held gazetteer's store here
    gz.reset_caches()
    assert live.clean(text) == before
    held = live.gazetteer()
    assert [e.id for e in held.lookup("Заречка")] == ["geonames:9000020"]  # and it sees the import


def test_default_gazetteer_follows_its_files_and_drops_without_closing(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("normkit.gazetteer.sources.RECHECK_SECONDS", 0.0)
    fill(Store(store_path(), create=True), [hamlet(8)])
    mine = user_glossary(tmp_path, "me:3\tулица Полевая\tPolevaya Street\tstreet\t\t0\t\t\n")
    first = default_gazetteer([mine])
    assert default_gazetteer([mine]) is first  # cached by the inputs' values
    user_glossary(tmp_path, "me:3\tулица Полевая\tPolevaya Street\tstreet\t\t0\tPolevaya ulitsa\t\n")
    os.utime(mine, ns=(time.time_ns(), time.time_ns() + 10**9))  # a changed file, whatever the clock's grain
    changed = default_gazetteer([mine])
    assert changed is not first and changed.lookup("Polevaya ulitsa")[0].id == "me:3"
    others = [user_glossary(tmp_path, f"me:o{i}\tулица Новая {i}\tNovaya {i}\tstreet\t\t0\t\t\n", f"o{i}.tsv")
              for i in range(KEEP_LOADED + 1)]
    for other in others:
        default_gazetteer([other])  # pushes the first ones out of the cache
    assert default_gazetteer([mine]) is not changed
    assert first.get("test:8") == hamlet(8) and changed.lookup("Zarechka 8") == [hamlet(8)]


# ---------------------------------------------------------------- imports while gazetteers read the store

WRITER = """
import sys
from pathlib import Path
from normkit.gazetteer import Entry
from normkit.gazetteer.store import Store

store = Store(Path(sys.argv[1]))
with store.importing(Path("other-process.txt"), "test") as counts:
    for i in range(100, 100 + int(sys.argv[2])):
        store.write(Entry(f"test:{i}", f"Заречка {i}", f"Zarechka {i}", "village", (), i, (), "test"))
        counts.added += 1
    print("written", flush=True)
    sys.stdin.readline()  # hold the write transaction open until told
print("committed", flush=True)
"""


def test_another_process_importing_never_blocks_or_breaks_a_live_gazetteer() -> None:
    store = Store(store_path(), create=True)
    fill(store, [hamlet(1)])
    live = Gazetteer.from_files(gz.shipped_glossary_paths(), store)
    live.add_index(FIRST3, first3)
    size = len(live)
    writes = 20_000  # more than SQLite's page cache holds: the writer spills to the log mid-transaction
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(store_path()), str(writes)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert writer.stdout is not None and writer.stdin is not None
        assert writer.stdout.readline().strip() == "written", writer.stderr.read() if writer.stderr else ""
        started = time.monotonic()
        # the import is under way: the live gazetteer reads the old data, at once
        assert live.lookup("Zarechka 100") == [] and live.get("test:100") is None
        assert stored(live.by_key(FIRST3, "zar")) == {"test:1"}
        assert len(live) == size and live.lookup("Zarechka 1") == [hamlet(1)]
        assert time.monotonic() - started < 5  # not waiting for the writer (its busy timeout is 60 s)
        writer.stdin.write("\n")
        writer.stdin.flush()
        assert writer.stdout.readline().strip() == "committed"
        assert writer.wait(timeout=120) == 0
    finally:
        if writer.poll() is None:
            writer.kill()
    # committed: the same gazetteer sees the new data from its next query on, its index rebuilt
    assert [e.id for e in live.lookup("Заречка 100")] == ["test:100"]
    assert live.get(f"test:{100 + writes - 1}") is not None
    assert len(live) == size + writes
    assert len(stored(live.by_key(FIRST3, "zar"))) == 1 + writes


def invented_name(i: int) -> str:
    """A Russian-looking village name no glossary has, one per number (Заборвязово, ...)."""
    syllables = ("бор", "вяз", "гор", "дуб", "лес", "луг", "мох", "сос", "кле", "пес")
    return "За" + "".join(syllables[int(d)] for d in f"{i:03d}") + "ово"


def test_an_import_in_another_thread_while_this_one_queries(tmp_path: Path) -> None:
    import_file(write_geonames(tmp_path), "geonames")
    live = default_gazetteer()
    live.add_index(FIRST3, first3)
    rows = [geonames_row(9100000 + i, f"Village {i}", invented_name(i), admin2="548441") for i in range(300)]
    dump = write_geonames(tmp_path, [*GEONAMES_ROWS, *rows], "big.txt")
    last = invented_name(299)
    assert live.lookup(last) == []
    failures: list[BaseException] = []

    def run_import() -> None:
        try:
            import_file(dump, "geonames")
        except BaseException as exc:  # noqa: BLE001 -- reported below
            failures.append(exc)

    importer = threading.Thread(target=run_import)
    importer.start()
    seen: set[int] = set()
    while importer.is_alive():
        found = [e.id for e in live.lookup(last)]
        assert found in ([], ["geonames:9100299"])  # before or after the import, never an error
        assert live.lookup("Pchevzhitsa")[0].id == "geonames:9000001"  # the old data stays readable
        seen.add(len(found))
        time.sleep(0.01)
    importer.join()
    assert failures == []
    assert [e.id for e in live.lookup(last)] == ["geonames:9100299"]
    assert "geonames:9100007" in {e.id for e in live.by_key(FIRST3, "заб")}  # the index was rebuilt
    assert 0 in seen  # the loop did run while the import was under way
