"""Throughput of cleaning ~50 MB of news in one process, with `normkit clean --jobs 2`, on Dask and
on Spark, as ratios to one process; and the peak memory (RSS) of each worker.

    python benchmarks/bench_parallel.py [--data DIR] [--mb 50] [--runs 3] [--engines jobs1,jobs2,lines1,dask,spark]

Text: the news of DIR/mt (WMT newstest 2019/2020 and FLORES-200, English and Russian) and DIR/real_news
(DIR: --data or NORMKIT_SHARED_DATA), in paragraphs, repeated until --mb megabytes. So that the
copies are distinct text and not a cache's warm re-run, every copy varies them: sentences are
shuffled into new paragraphs, each number gets new digits, about one capitalised word in four
becomes a place or person drawn from the whole gazetteer (9,000 names; Cyrillic in Russian
sentences, Latin in English ones), and about one word in 1,000 gets a script slip (a look-alike
letter, or a half-romanised Russian word). The text is written to a temp file and removed.

Engines (each run starts fresh processes, so no engine inherits another's caches):
  jobs1   `normkit clean FILE -o OUT --jobs 1`: the CLI, one process (the reference)
  jobs2   the same with `--jobs 2`; its output must be byte for byte jobs1's
  lines1  one process cleaning the file line by line (what the Dask and Spark runs clean)
  dask    normkit.dask.clean_bag on db.read_text(FILE) (lines), LocalCluster(2 worker processes,
          1 thread each); the timed part is the computation (the cluster is started before)
  spark   normkit.spark.clean_column on spark.read.text(FILE) (lines), local[2], written to Spark's
          noop sink; the timed part is the job (the session is started before)
Prints the median wall time of --runs runs, MB/s of UTF-8 input, the ratio to jobs1 (and, for Dask
and Spark, to lines1: the same work), peak RSS per process, and the load average around each run
(the ratio a second core can give depends on how idle it is).
"""
from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Callable

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

MT_FILES = ("newstest2019.ru-en.en", "newstest2019.ru-en.ru", "newstest2020.ru-en.en",
            "newstest2020.ru-en.ru", "flores200.devtest.eng_Latn", "flores200.devtest.rus_Cyrl")
NAME_SWAP_RATE = 0.25     # capitalised words replaced by a gazetteer name
SLIP_EVERY_WORDS = 1000   # about one script slip per this many words
POLL_S = 0.2              # how often the process tree's memory and CPU time are read
ENGINES = ("jobs1", "jobs2", "lines1", "dask", "spark")

_NUMBER = re.compile(r"\d+")
_EN_NAME = re.compile(r"(?<=[a-z,] )[A-Z][a-z]{3,}\b")
_RU_NAME = re.compile(r"(?<=[а-яё,] )[А-ЯЁ][а-яё]{3,}\b")


# ---------------------------------------------------------------- the text

def _units(data: Path) -> list[list[str]]:
    """Paragraphs as lists of sentences (lines): the test sets in runs of consecutive lines,
    the articles paragraph by paragraph."""
    rng = random.Random(0)
    units: list[list[str]] = []
    for name in MT_FILES:
        path = data / "mt" / name
        if not path.exists():
            continue
        lines = [s for s in path.read_text(encoding="utf-8").splitlines() if s.strip()]
        i = 0
        while i < len(lines):
            n = rng.randint(4, 10)
            units.append(lines[i:i + n])
            i += n
    articles = data / "real_news" / "articles.jsonl"
    if articles.exists():
        for line in articles.read_text(encoding="utf-8").splitlines():
            for paragraph in json.loads(line)["text"].split("\n\n"):
                if paragraph.strip():
                    units.append([paragraph.replace("\n", " ")])
    if not units:
        raise SystemExit(f"no news text under {data} (expected mt/ and real_news/)")
    return units


def _names() -> tuple[list[str], list[str]]:
    from normkit.gazetteer import default_gazetteer

    entries = sorted(default_gazetteer().memory_entries(), key=lambda e: e.id)
    latin = [e.latin for e in entries if e.latin and e.type in ("city", "town", "village", "person")]
    cyrillic = [e.cyrillic for e in entries if e.cyrillic and e.type in ("city", "town", "village", "person")]
    return latin, cyrillic


def _slip(rng: random.Random, sentence: str) -> str:
    from eval_mixed_script import _CYRILLIC_FOR_LATIN, _LATIN_FOR_CYRILLIC, _half_romanised, _homoglyph

    tokens = sentence.split(" ")
    i = rng.randrange(len(tokens))
    word = tokens[i]
    if len(word) < 5 or not word.isalpha():
        return sentence
    cyrillic = any("а" <= c.lower() <= "я" for c in word)
    if cyrillic:
        damaged = _half_romanised(rng, word) if rng.random() < 0.5 else _homoglyph(rng, word, _LATIN_FOR_CYRILLIC)
    else:
        damaged = _homoglyph(rng, word, _CYRILLIC_FOR_LATIN)
    tokens[i] = damaged or word
    return " ".join(tokens)


def build_corpus(data: Path, megabytes: float, out: Path, seed: int = 1) -> int:
    """Write the varied news to ``out``; returns its size in bytes."""
    units = _units(data)
    latin, cyrillic = _names()
    rng = random.Random(seed)
    size = words = 0
    with out.open("w", encoding="utf-8") as f:
        while size < megabytes * 1e6:
            sentences = [s for unit in units for s in unit]
            rng.shuffle(sentences)
            i = 0
            while i < len(sentences) and size < megabytes * 1e6:
                n = rng.randint(3, 9)
                paragraph = []
                for s in sentences[i:i + n]:
                    s = _NUMBER.sub(lambda m: str(rng.randrange(10 ** (len(m.group()) - 1), 10 ** len(m.group()))), s)
                    s = _EN_NAME.sub(lambda m: rng.choice(latin) if rng.random() < NAME_SWAP_RATE else m.group(), s)
                    s = _RU_NAME.sub(lambda m: rng.choice(cyrillic) if rng.random() < NAME_SWAP_RATE else m.group(), s)
                    words += s.count(" ") + 1
                    if words >= SLIP_EVERY_WORDS:
                        words = 0
                        s = _slip(rng, s)
                    paragraph.append(s)
                i += n
                text = " ".join(paragraph) + "\n\n"
                f.write(text)
                size += len(text.encode("utf-8"))
    return size


# ---------------------------------------------------------------- measuring

def _load() -> str:
    return "/".join(f"{x:.2f}" for x in os.getloadavg())


def _descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                stat = Path(f"/proc/{entry.name}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo += children.get(pid, [])
    return out


@dataclass
class Seen:
    """One process as last seen: its command line, peak RSS (MB) and CPU seconds so far."""

    cmdline: str
    peak_mb: int
    cpu_s: float


def _seen(pid: int) -> Seen | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
        stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return None
    peak = next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:")), 0)
    cpu = (int(stat[11]) + int(stat[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime
    return Seen(cmdline, peak // 1024, cpu)


class Tree:
    """Every process under ``root``, polled from /proc while it runs: peak RSS and CPU time."""

    def __init__(self, root: int) -> None:
        self.root = root
        self.seen: dict[int, Seen] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def __enter__(self) -> "Tree":
        self.poll_once()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def poll_once(self) -> None:
        for pid in _descendants(self.root):
            now = _seen(pid)
            if now is not None:
                old = self.seen.get(pid)
                # An exiting process has no command line left: keep the one seen before.
                self.seen[pid] = Seen(now.cmdline or (old.cmdline if old else ""),
                                      max(now.peak_mb, old.peak_mb if old else 0), now.cpu_s)

    def _poll(self) -> None:
        while not self._stop.wait(POLL_S):
            self.poll_once()


@dataclass
class Run:
    """One engine's run: wall seconds and, per process (a label), peak RSS in MB and CPU seconds."""

    seconds: float
    processes: list[tuple[str, int, float]]

    def busiest_cpu(self) -> float:
        return max((cpu for _, _, cpu in self.processes), default=0.0)

    def total_cpu(self) -> float:
        return sum(cpu for _, _, cpu in self.processes)


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, (str(REPO), env.get("PYTHONPATH"))))
    return env


def _role(pid: int, root: int, cmdline: str) -> str:
    if pid == root:
        return "main"
    if "resource_tracker" in cmdline:
        return "tracker"
    return "worker" if "spawn_main" in cmdline else cmdline.split(" ", 1)[0].rsplit("/", 1)[-1]


def run_command(argv: list[str]) -> Run:
    """A command's wall time; its processes by role (main, worker, tracker)."""
    def children_cpu() -> float:
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return usage.ru_utime + usage.ru_stime

    cpu_before = children_cpu()
    start = time.perf_counter()
    proc = subprocess.Popen(argv, env=_env(), stdout=subprocess.DEVNULL)
    with Tree(proc.pid) as tree:
        code = proc.wait()
    seconds = time.perf_counter() - start
    if code:
        raise SystemExit(f"{' '.join(argv)} exited {code}")
    # The kernel's total for the command (its workers were reaped by it) is exact; polling saw each
    # worker up to POLL_S before it ended, and the rest is the main process's.
    total = children_cpu() - cpu_before
    others = [(_role(pid, proc.pid, s.cmdline), s.peak_mb, s.cpu_s) for pid, s in sorted(tree.seen.items())
              if pid != proc.pid]
    main_peak = tree.seen[proc.pid].peak_mb if proc.pid in tree.seen else 0
    return Run(seconds, [("main", main_peak, total - sum(cpu for _, _, cpu in others)), *others])


def _worker_usage() -> tuple[int, float]:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_maxrss // 1024, usage.ru_utime + usage.ru_stime


def run_dask(path: Path) -> Run:
    import dask.bag as db
    from dask.distributed import Client, LocalCluster

    import normkit.dask

    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1, host="127.0.0.1",
                      dashboard_address=None) as cluster, Client(cluster) as client:
        before = client.run(_worker_usage)
        start = time.perf_counter()
        bag = db.read_text(str(path), blocksize="2MB", encoding="utf-8")
        normkit.dask.clean_bag(bag).map(lambda r: len(r.text)).sum().compute()
        seconds = time.perf_counter() - start
        after = client.run(_worker_usage)
    return Run(seconds, [("worker", after[w][0], after[w][1] - before[w][1]) for w in sorted(after)])


def run_spark(path: Path) -> Run:
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    from pyspark.sql import SparkSession

    import normkit.spark

    spark = (SparkSession.builder.master("local[2]").appName("normkit-bench")
             .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
             .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
             .config("spark.sql.files.maxPartitionBytes", str(2 << 20)).getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    try:
        with Tree(os.getpid()) as tree:
            start_cpu = {pid: s.cpu_s for pid, s in tree.seen.items()}
            start = time.perf_counter()
            frame = spark.read.text(str(path))
            normkit.spark.clean_column(frame, "value").write.format("noop").mode("overwrite").save()
            seconds = time.perf_counter() - start
    finally:
        spark.stop()
    # The JVM is this process's child; its Python daemon and the workers it forks are the JVM's.
    processes = []
    for pid, s in sorted(tree.seen.items()):
        program = s.cmdline.split(" ", 1)[0]
        if pid != os.getpid() and ("java" in program or "pyspark" in s.cmdline):
            processes.append(("JVM" if "java" in program else "python", s.peak_mb, s.cpu_s - start_cpu.get(pid, 0.0)))
    return Run(seconds, processes)


def _table(runs: dict[str, list[Run]], size: int) -> None:
    """Medians over the runs. 'idle est.' divides one process's CPU time by the busiest process's:
    the ratio the engine would reach on idle cores if nothing but CPU limited it. On a shared machine
    the wall-clock ratio says how much CPU the other users left."""
    def median(engine: str, figure: Callable[[Run], float]) -> float:
        return statistics.median(figure(r) for r in runs[engine])

    print(f"\n{'engine':8}{'wall s':>8}{'MB/s':>7}{'÷ jobs1':>9}{'÷ lines1':>10}{'CPU s':>8}{'busiest':>9}"
          f"{'idle est.':>11}  peak RSS MB (CPU s) per process")
    for engine in runs:
        wall = median(engine, lambda r: r.seconds)
        ratio = {base: f"{median(base, lambda r: r.seconds) / wall:.2f}x" if base in runs else "-"
                 for base in ("jobs1", "lines1")}
        base = "lines1" if engine in ("dask", "spark", "lines1") else "jobs1"
        idle = (f"{median(base, Run.total_cpu) / median(engine, Run.busiest_cpu):.2f}x" if base in runs else "-")
        processes = ", ".join(f"{label} {mb} ({cpu:.1f})" for label, mb, cpu in runs[engine][-1].processes)
        print(f"{engine:8}{wall:8.1f}{size / 1e6 / wall:7.2f}{ratio['jobs1']:>9}"
              f"{ratio['lines1'] if base == 'lines1' else '':>10}{median(engine, Run.total_cpu):8.1f}"
              f"{median(engine, Run.busiest_cpu):9.1f}{idle:>11}  {processes}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=os.environ.get("NORMKIT_SHARED_DATA"))
    parser.add_argument("--mb", type=float, default=50.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--engines", default=",".join(ENGINES))
    parser.add_argument("--keep", type=Path, default=None, metavar="FILE",
                        help="also write the text here (outside the repository: it is derived from the shared data)")
    args = parser.parse_args(argv)
    if args.data is None:
        parser.error("name the shared data folder with --data or NORMKIT_SHARED_DATA")
    engines = [e for e in args.engines.split(",") if e]
    unknown = set(engines) - set(ENGINES)
    if unknown:
        parser.error(f"unknown engine(s) {', '.join(sorted(unknown))}; known: {', '.join(ENGINES)}")

    with tempfile.TemporaryDirectory(prefix="normkit-bench-parallel-") as tmp:
        corpus = Path(tmp) / "news.txt"
        size = build_corpus(Path(args.data), args.mb, corpus)
        if args.keep is not None:
            args.keep.write_bytes(corpus.read_bytes())
        print(f"text: {size / 1e6:.1f} MB, {os.cpu_count()} cores, load average {_load()} (1/5/15 min)")
        python = sys.executable
        runners: dict[str, Callable[[], tuple[float, list[str]]]] = {
            "jobs1": lambda: run_command([python, "-m", "normkit", "clean", str(corpus), "-o", f"{tmp}/out1", "--jobs", "1"]),
            "jobs2": lambda: run_command([python, "-m", "normkit", "clean", str(corpus), "-o", f"{tmp}/out2", "--jobs", "2"]),
            "lines1": lambda: run_command([python, "-c", "import sys, normkit\nn = normkit.load()\n"
                                           "for line in open(sys.argv[1], encoding='utf-8'): n.clean(line)", str(corpus)]),
            "dask": lambda: run_dask(corpus),
            "spark": lambda: run_spark(corpus),
        }
        runs: dict[str, list[Run]] = {}
        for engine in engines:
            for _ in range(args.runs):
                before = _load()
                run = runners[engine]()
                runs.setdefault(engine, []).append(run)
                print(f"  {engine}: {run.seconds:.1f} s, {run.total_cpu():.1f} s CPU (load {before} -> {_load()})",
                      flush=True)
        if "jobs1" in runs and "jobs2" in runs:
            same = Path(f"{tmp}/out1").read_bytes() == Path(f"{tmp}/out2").read_bytes()
            print(f"--jobs 2 output {'identical to' if same else 'DIFFERS from'} --jobs 1")
        _table(runs, size)
        print(f"load average at the end {_load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
