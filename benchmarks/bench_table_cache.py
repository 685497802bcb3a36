"""Loading the name stage's kept tables: the verified pickle (normkit.buildcache) against a plain
``pickle.loads`` (what the cache did before it checked owners and an HMAC) and against JSON (the
safe format it could have used instead), side by side on the same tables.

    python benchmarks/bench_table_cache.py [--runs 9]

The tables are built once into a temporary cache (a ``clean`` with a name to check). Each way of
loading a table runs --runs times, interleaved; the minimum CPU seconds are printed, each timing
including the young-generation collection that follows re-enabling the garbage collector (every
process pays it, wherever it lands). JSON is given every advantage: entries as rows, built without
their dataclass ``__init__``, and the known-word classes as indexes into one list of shared sets.
These are the loads alone, which come out level; whole CLI runs with a name to check were 1.05-1.2x
slower with JSON tables (the README's cache note), which is why the cache keeps checked pickles.
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import pickle
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

FIELDS = ("id", "cyrillic", "latin", "type", "parents", "population", "aliases", "source")


def cpu(function: Callable[[], object]) -> float:
    start = time.process_time()
    value = function()
    gc.collect(0)  # the collection the loaded objects cause, in every way of loading alike
    gc.collect(1)
    elapsed = time.process_time() - start
    del value
    return elapsed


def json_codec(value: Any) -> tuple[bytes, Callable[[], object]]:
    """The table as JSON bytes, and a loader giving the same value back."""
    from normkit.gazetteer.entry import Entry

    if isinstance(value, dict) and value and isinstance(next(iter(value.values())), Entry):
        data = json.dumps([[getattr(e, f) for f in FIELDS] for e in value.values()], ensure_ascii=False).encode()

        def entries() -> object:
            out = {}
            new = object.__new__
            for row in json.loads(data):
                entry = new(Entry)
                row[4], row[6] = tuple(row[4]), tuple(row[6])
                entry.__dict__.update(zip(FIELDS, row))
                out[row[0]] = entry
            return out
        return data, entries
    if isinstance(value, tuple):  # known words: (names, latin), word -> frozenset of classes
        parts = []
        for table in value:
            sets = sorted(set(table.values()), key=sorted)
            index = {s: i for i, s in enumerate(sets)}
            parts.append({"sets": [sorted(s) for s in sets], "words": list(table), "index": [index[s] for s in table.values()]})
        data = json.dumps(parts, ensure_ascii=False).encode()

        def known() -> object:
            out = []
            for part in json.loads(data):
                sets = [frozenset(s) for s in part["sets"]]
                out.append(dict(zip(part["words"], map(sets.__getitem__, part["index"]))))
            return tuple(out)
        return data, known
    data = json.dumps(value, ensure_ascii=False).encode()  # skeleton keys: id -> tuple of keys
    return data, lambda: {k: tuple(v) for k, v in json.loads(data).items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="normkit-tables-") as tmp:
        folder = Path(tmp) / "cache"
        os.environ["NORMKIT_CACHE_DIR"] = str(folder)
        import normkit
        from normkit import buildcache
        from normkit.gazetteer.entry import Entry
        from normkit.gazetteer.index import GLOSSARY_TABLE_VERSION
        from normkit.names import KNOWN_TABLE_VERSION, _word_classes
        from normkit.names.candidates import INDEX_VERSION

        normkit.clean("Governor Boharev visited Kirishy and Glazhev on Monday.")  # fills the cache
        checks: dict[str, tuple[tuple[str, str], Callable[[object], bool], tuple[type, ...]]] = {
            "glossaries": (("glossaries", GLOSSARY_TABLE_VERSION), buildcache.check_dict(str, Entry), (Entry,)),
            "known-words": (("known-words", KNOWN_TABLE_VERSION),
                            lambda v: isinstance(v, tuple) and all(map(_word_classes, v)), ()),
            "skeleton-keys": (("skeleton-keys", INDEX_VERSION), buildcache.check_dict(str, tuple), ())}
        fd = buildcache._open_folder(folder)
        assert fd is not None
        key = buildcache._key(fd, folder)
        assert key is not None
        head = len(buildcache.MAGIC) + buildcache.HMAC_BYTES
        totals = {"plain pickle": 0.0, "verified pickle": 0.0, "JSON": 0.0}
        print(f"{'table':34}{'plain pickle':>14}{'verified':>10}{'JSON':>8}  (CPU ms, min of {args.runs})")
        for path in sorted(folder.glob("*.pickle")):
            table, check, classes = checks[path.name.rsplit("-", 1)[0]]
            payload = memoryview(path.read_bytes())[head:]
            _, _, value = pickle.loads(payload)
            data, from_json = json_codec(value)
            assert from_json() == value
            del value

            def plain(path: Path = path) -> object:
                raw = path.read_bytes()
                gc.disable()
                try:
                    return pickle.loads(memoryview(raw)[head:])
                finally:
                    gc.enable()

            def verified(name: str = path.name, table: tuple[str, str] = table,
                         check: Callable[[object], bool] = check, classes: tuple[type, ...] = classes) -> object:
                found = buildcache._load(fd, folder, name, key, table, check, classes)
                assert found is not None
                return found

            def json_load(from_json: Callable[[], object] = from_json) -> object:
                gc.disable()
                try:
                    return from_json()
                finally:
                    gc.enable()

            ways = {"plain pickle": plain, "verified pickle": verified, "JSON": json_load}
            best = {name: float("inf") for name in ways}
            for run in range(args.runs):
                for name, way in (list(ways.items()) if run % 2 else list(ways.items())[::-1]):
                    best[name] = min(best[name], cpu(way))
            for name in ways:
                totals[name] += best[name]
            print(f"{path.name[:32]:34}{best['plain pickle'] * 1000:14.1f}{best['verified pickle'] * 1000:10.1f}"
                  f"{best['JSON'] * 1000:8.1f}")
        os.close(fd)
        plain_total = totals["plain pickle"]
        print(f"{'all tables':34}{plain_total * 1000:14.1f}{totals['verified pickle'] * 1000:10.1f}"
              f"{totals['JSON'] * 1000:8.1f}")
        print(f"ratios to the plain pickle: verified {totals['verified pickle'] / plain_total:.3f}, "
              f"JSON {totals['JSON'] / plain_total:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
