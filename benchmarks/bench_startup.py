"""Start-up time of normkit as whole processes: import, --version, `normkit clean` on one line.

    python benchmarks/bench_startup.py [--runs 9] [--importtime]

Each command runs --runs times after one untimed round (the files are then in the page cache and
the bytecode compiled, in a temporary cache, as pip leaves it for an installed package),
the commands interleaved (round 1 of every command, then round 2, ...); the median, minimum and
maximum wall seconds are printed, with the CPU seconds (user + system) of the median. The
`normkit` command is this interpreter's installed script (no shell shim), importing the normkit
next to this file. "one line, a name to check" holds a misromanised name, so the name stage loads
the gazetteer, the name lexicon and pymorphy3 (their tables from normkit's cache, which the untimed
round fills, as a machine's first run does; the row after it times the same run with the cache
off); the plain line needs none of them. `python -c pass`
is the interpreter's own floor, and `ftfy FILE` (when installed) a cleaner to compare with.
With --importtime, `python -X importtime` lists the slowest imports of `normkit clean`.
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PLAIN_LINE = "The regional government announced new measures to support small businesses.\n"
NAME_LINE = "Governor Boharev visited Kirishy and Glazhev on Monday.\n"
# The targets, wall seconds (one core).
TARGETS = {"python -c 'import normkit'": 0.1, "normkit clean (one line)": 0.2,
           "normkit clean (one line, a name to check)": 0.2}


def child_env(pycache: Path) -> dict[str, str]:
    """The children import the normkit next to this file, with their bytecode cached (in
    ``pycache``, written by the untimed round) as an installed package has it, even where
    PYTHONDONTWRITEBYTECODE is set: compiling the sources on every start is no part of start-up."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(HERE.parent), env.get("PYTHONPATH", "")) if p)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(pycache)
    # normkit's tables kept between processes (normkit.buildcache): made by the untimed round, as
    # the first run on a machine makes them; the "tables not cached" row times a run without them.
    env["NORMKIT_CACHE_DIR"] = str(pycache.parent / "tables")
    return env


def script(name: str) -> list[str] | None:
    """This interpreter's installed console script ``name`` (not a pyenv or shell shim); in a venv
    made with --system-site-packages, the base interpreter's when the venv has none."""
    for folder in (Path(sysconfig.get_path("scripts")), Path(sys.base_prefix) / "bin"):
        if (folder / name).exists():
            return [str(folder / name)]
    return None


def commands(tmp: Path) -> dict[str, list[str]]:
    plain, named = tmp / "plain.txt", tmp / "name.txt"
    plain.write_text(PLAIN_LINE, encoding="utf-8")
    named.write_text(NAME_LINE, encoding="utf-8")
    normkit = script("normkit") or [sys.executable, "-m", "normkit"]
    out = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "python -c 'import normkit'": [sys.executable, "-c", "import normkit"],
        "normkit --version": normkit + ["--version"],
        "normkit clean (one line)": normkit + ["clean", str(plain)],
        "normkit clean (one line, a name to check)": normkit + ["clean", str(named)],
        "  the same, tables not cached (a first run)": ["env", "NORMKIT_CACHE_DIR=off", *normkit, "clean", str(named)],
    }
    ftfy = script("ftfy")
    if ftfy:
        out["ftfy (one line)"] = ftfy + [str(plain)]
    return out


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, exit code) of one run of ``command``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    code = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env).returncode
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime, code


def import_times(arguments: list[str], env: dict[str, str], top: int) -> None:
    """The slowest imports (cumulative) of one run of ``python -X importtime -m normkit ARGUMENTS``."""
    argv = [sys.executable, "-X", "importtime", "-m", "normkit", *arguments]
    done = subprocess.run(argv, capture_output=True, text=True, env=env)
    rows = []
    for line in done.stderr.splitlines():  # "import time: self [us] | cumulative | imported package"
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        own, total, module = (part.strip() for part in line.split(":", 1)[1].split("|"))
        rows.append((int(total), int(own), module))
    print(f"\nslowest imports of `python -X importtime -m normkit {' '.join(arguments)}` "
          f"(cumulative ms, self ms; one run):")
    for cumulative, self_us, name in sorted(rows, reverse=True)[:top]:
        print(f"  {cumulative / 1000:8.1f} {self_us / 1000:8.1f}  {name}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="timed runs of each command (median printed)")
    parser.add_argument("--importtime", action="store_true", help="also list the slowest imports")
    parser.add_argument("--top", type=int, default=25, help="imports listed with --importtime")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    with tempfile.TemporaryDirectory(prefix="normkit-startup-") as tmpdir:
        env = child_env(Path(tmpdir) / "pycache")
        todo = commands(Path(tmpdir))
        walls: dict[str, list[float]] = {name: [] for name in todo}
        cpus: dict[str, list[float]] = {name: [] for name in todo}
        codes: dict[str, set[int]] = {name: set() for name in todo}
        for round_ in range(args.runs + 1):
            for name, command in todo.items():
                wall, cpu, code = timed(command, env)
                codes[name].add(code)
                if round_:  # round 0 only fills the page cache
                    walls[name].append(wall)
                    cpus[name].append(cpu)
        print(f"start-up, whole processes, {args.runs} runs each (interleaved, after one untimed round); "
              f"on a busy machine wall time includes waiting for a core, CPU time does not:")
        print(f"  {'command':44}{'median s':>9}{'min':>7}{'max':>7}{'CPU s':>7}  target")
        for name in todo:
            median, cpu = statistics.median(walls[name]), statistics.median(cpus[name])
            target = TARGETS.get(name)
            verdict = "" if target is None else (
                f"<= {target:g} s: wall {'met' if median <= target else 'not met'}, "
                f"CPU {'met' if cpu <= target else 'not met'}")
            failed = "" if codes[name] == {0} else f"  (exit codes {sorted(codes[name])})"
            print(f"  {name:44}{median:9.3f}{min(walls[name]):7.3f}{max(walls[name]):7.3f}"
                  f"{cpu:7.3f}  {verdict}{failed}")
        if args.importtime:
            import_times(todo["normkit clean (one line, a name to check)"][-2:], env, args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
