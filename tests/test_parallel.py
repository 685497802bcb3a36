"""clean_many and `normkit clean --jobs`: input order, results identical to one process, streaming."""
from __future__ import annotations

import itertools
import json
import multiprocessing
import os
import pickle
import subprocess
import sys
from pathlib import Path
from typing import Iterator

import pytest

import normkit
from normkit import parallel
from conftest import run_cli
from parallel_helpers import document, readme_block, sentences


def _as_dicts(results: "list[normkit.CleanResult]") -> list[dict[str, object]]:
    return [r.to_dict() for r in results]


@pytest.mark.parametrize("n_process", [1, 2])
def test_clean_many_is_serial_clean_in_input_order(n_process: int) -> None:
    texts = sentences(150, seed=3) + ["x " * 5000 + "near the Кириshi plant"]  # one long text
    normalizer = normkit.Normalizer(normkit.Config(min_confidence=0.6))
    serial = [normalizer.clean(t) for t in texts]
    assert sum(len(r.edits) for r in serial) >= 20 and any(r.suggestions for r in serial)
    shipped = pickle.loads(pickle.dumps(normalizer))  # as a worker gets it: its Config
    assert shipped.config == normalizer.config
    others = set(multiprocessing.active_children())  # another test's processes, if any
    results = shipped.clean_many(iter(texts), n_process=n_process, batch_size=7)
    first = next(results)
    workers = set(multiprocessing.active_children()) - others
    assert len(workers) == (2 if n_process == 2 else 0)  # really in worker processes, not here
    got = [first, *results]
    assert got == serial
    assert _as_dicts(got) == _as_dicts(serial)
    assert not workers & set(multiprocessing.active_children())  # the pool is gone once the results are


def test_clean_many_streams_an_endless_input_with_bounded_read_ahead() -> None:
    consumed = 0
    batch_size = 5
    others = set(multiprocessing.active_children())

    def endless() -> Iterator[str]:
        nonlocal consumed
        for i in itertools.count():
            consumed += 1
            yield f"Вчера в Москвa шёл снег, сообщение {i}."

    results = normkit.load().clean_many(endless(), n_process=2, batch_size=batch_size)
    taken = list(itertools.islice(results, 30))
    assert [r.text for r in taken] == [f"Вчера в Москва шёл снег, сообщение {i}." for i in range(30)]
    in_flight = 2 * parallel.BATCHES_IN_FLIGHT_PER_WORKER
    assert consumed <= 30 + (in_flight + 1) * batch_size  # read ahead by a bounded number of batches
    results.close()  # a consumer that stops early leaves no workers behind
    assert set(multiprocessing.active_children()) <= others


def test_clean_many_arguments_are_checked_at_the_call() -> None:
    normalizer = normkit.load()
    with pytest.raises(ValueError, match="n_process"):
        normalizer.clean_many(["a"], n_process=-1)
    with pytest.raises(ValueError, match="batch_size"):
        normalizer.clean_many(["a"], batch_size=0)
    with pytest.raises(TypeError, match="str texts, not NoneType"):
        list(normalizer.clean_many(["fine", None], n_process=1))  # type: ignore[list-item]
    assert list(normalizer.clean_many([], n_process=2)) == []


def test_zero_processes_means_every_core_this_process_may_use() -> None:
    assert parallel.worker_count(0) == len(os.sched_getaffinity(0))
    assert parallel.worker_count(3) == 3


# ---------------------------------------------------------------- the CLI

@pytest.fixture(scope="module")
def long_input(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Several chunks of the CLI (textio.CHUNK_CHARS each), and a line longer than
    textio.MAX_LINE_CHARS (read in pieces) with slips at both of its ends."""
    from normkit import textio

    long_line = "Кириshi " + "and the river froze again " * (textio.MAX_LINE_CHARS // 24) + "near Черепoвец.\n"
    text = document(textio.CHUNK_CHARS + 1000, seed=1) + long_line + "\n" + document(20_000, seed=2)
    assert len(text) > 2 * textio.CHUNK_CHARS and len(long_line) > textio.MAX_LINE_CHARS
    path = tmp_path_factory.mktemp("jobs") / "news.txt"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("options", [["--format", "text", "--explain"], ["--format", "json"],
                                     ["--format", "jsonl"]], ids=["text", "json", "jsonl"])
def test_jobs_output_is_byte_for_byte_that_of_one_job(long_input: Path, tmp_path: Path, options: list[str]) -> None:
    runs = {}
    for jobs in ("1", "2"):
        report = tmp_path / f"report{jobs}.html"
        extra = ["--report", str(report)] if options[1] != "json" else []
        proc = run_cli("clean", str(long_input), *options, *extra, "--jobs", jobs)
        assert proc.returncode == 0, proc.stderr.decode()
        runs[jobs] = (proc.stdout, proc.stderr, report.read_bytes() if extra else b"")
    for what, one, two in zip(("stdout", "stderr (--explain)", "review page"), runs["1"], runs["2"]):
        assert one == two, f"{what} differs: {_first_difference(one, two)}"
    out = runs["1"][0].decode()
    if options[1] == "text":
        cleaned = out
    else:
        cleaned = "".join(json.loads(line)["text"] for line in out.splitlines())
    assert cleaned.count("Kirishi") >= 2 and "Кириshi" not in cleaned  # the long line's slip too


def _first_difference(a: bytes, b: bytes) -> str:
    # The outputs are megabytes: say where they part, not the whole diff.
    at = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    return f"at byte {at} of {len(a)}/{len(b)}: {a[at - 40:at + 40]!r} vs {b[at - 40:at + 40]!r}"


def test_jobs_must_be_a_whole_number_of_zero_or_more() -> None:
    for bad, says in (("-1", "must be 0 (all cores) or more"), ("two", "not a whole number")):
        proc = run_cli("clean", "-", "--jobs", bad, stdin=b"text\n")
        assert proc.returncode == 2
        assert says in proc.stderr.decode() and "Traceback" not in proc.stderr.decode()
    proc = run_cli("clean", "-", "--jobs", "0", stdin="В Москвa.\n".encode())
    assert proc.returncode == 0 and proc.stdout.decode() == "В Москва.\n"


def test_the_readme_batch_example_runs_as_a_script(tmp_path: Path) -> None:
    script = tmp_path / "batch.py"
    script.write_text(readme_block("**Batches.**"), encoding="utf-8")
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, timeout=300)
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stdout.decode().splitlines() == ["Near the Kirishi plant.", "В Москва дождь.", "Nothing to fix."] * 100
