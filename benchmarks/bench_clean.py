"""Throughput of normkit.clean() beside ftfy and two detectors, on real text, one core.

    python benchmarks/bench_clean.py [--data DIR] [--real-news DIR] [--mb 5] [--runs 5]
                                     [--corpora en,ru,names-varied] [--layout lines|file] [--no-cli]
    python benchmarks/bench_clean.py --profile en|ru|names-varied [--profile-pass first|warm]
                                     [--profile-contender normkit-scripts] [--profile-save FILE]

What it measures, and how (issue 13):
- Text. "en": the English news of DIR/mt (newstest2019/2020 ru-en references, FLORES-200 devtest)
  plus the English real_news articles when present; "ru": the Russian side of the same sets plus
  the Russian real_news articles. Each distinct line is used once (no sentence is drawn twice): a
  corpus smaller than --mb is used whole, and its size is printed. About one word in 1,000
  (--damage) gets a mixed-script slip of the kind normkit repairs (a Cyrillic look-alike in an
  English word, a Russian word half romanised), so the repair path runs. "names-varied": English
  sentences, generated here, each naming 2-3 Russian places and people taken in turn from the
  whole gazetteer, so that every name occurs about once; one place name in 20 misromanised.
- Layout. The same for every contender: one call per line of the corpus (--layout lines), or one
  call on the whole corpus (--layout file).
- Contenders. ftfy.fix_text; a plain `re` scan for Cyrillic<->Latin transitions (the floor of any
  cleaner that looks at every character); confusable_homoglyphs (is_mixed_script per line, then
  is_dangerous per word on the lines it flags); normkit.clean(names=False) ("normkit scripts");
  normkit.clean() ("normkit full").
- Passes. Each contender runs in a fresh subprocess: it imports, warms up on text of its own
  (the authored sentences in benchmarks/data and a few slips and names: this loads normkit's
  gazetteer, lexicon and pymorphy3, whose cost bench_startup.py measures), then makes a first
  pass over the corpus (text it has never seen: cold caches) and a warm pass (the same text again
  in the same process). Runs are interleaved (run 1 of every contender, then run 2, ...); the
  figure is the median of --runs runs. Time is the process's CPU time (--clock wall for wall
  time): the machine is shared, and waiting for a core is not work.
- Checks. Where a line has no Cyrillic<->Latin transition and no slip was put in, normkit
  scripts must return it unchanged (failures are listed); slips repaired exactly are counted; the
  lines ftfy and normkit full change are counted; the warm pass must give the first pass's output.
- CLI. `normkit clean FILE` with --format text and --format jsonl on the English corpus as a
  file, whole processes, minus the same command on a one-line file (start-up and loading). The
  cost of a call per line shows better in the API figures: --layout lines against --layout file.
Prints MB/s (UTF-8 bytes of input per second) and the ratios, then the issue's targets.
With --profile, one first (or warm) pass of normkit full (or --profile-contender) under cProfile,
in the same kind of worker after the same warm-up; the top functions are printed.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

HERE = Path(__file__).resolve().parent

CONTENDERS = ("ftfy", "re-scan", "confusables", "normkit-scripts", "normkit")
LABELS = {"ftfy": "ftfy.fix_text", "re-scan": "re scan (floor)", "confusables": "confusable_homoglyphs",
          "normkit-scripts": "normkit names=False", "normkit": "normkit full"}
DETECTORS = frozenset({"re-scan", "confusables"})  # they flag lines; the others return text
CORPORA = ("en", "ru", "names-varied")
DAMAGE_PER_1000_WORDS = 1.0
MISROMANISED_NAMES = 0.05  # share of the place names in names-varied written wrong
TRANSITION_RE = re.compile(r"[\u0400-\u04FF][A-Za-z]|[A-Za-z][\u0400-\u04FF]")
# Slips of every kind the repairs know and names to check, so that the warm-up loads every table.
WARMUP_EXTRA = ("Further north, near the Кириshi industrial zone, in Москвa.",
                "Тhe gоvernor met residents of Вelgorod and the Ореn Society.",
                "Governor Boharev visited Kirishy and Glazhev on Monday.",
                "Власти Белгородской области сообщили o новых ограничениях.",
                "Представители следственноgo комитета и учитеlя школы встретились в Мoskве.",
                "Его сеmya живёт в Тулe.")
MT_FILES = {"en": ("newstest2019.ru-en.en", "newstest2020.ru-en.en", "flores200.devtest.eng_Latn"),
            "ru": ("newstest2019.ru-en.ru", "newstest2020.ru-en.ru", "flores200.devtest.rus_Cyrl")}
# The targets (one core): (corpus, pass, MB/s at least).
TARGETS = (("en", "first", 20.0), ("en", "warm", 40.0), ("ru", "first", 40.0), ("names-varied", "first", 8.0))
TARGET_FTFY_RATIO = 4.0   # English news first pass, normkit full / ftfy
TARGET_JSONL_RATIO = 0.8  # CLI --format jsonl / --format text


# ---------------------------------------------------------------- corpora (parent process only)

@dataclass
class Corpus:
    name: str
    title: str
    lines: list[str]
    sources: list[str]
    originals: dict[int, str] = field(default_factory=dict)  # line index -> the line before its slip
    note: str = ""

    @property
    def mb(self) -> float:
        return sum(len(line.encode("utf-8")) for line in self.lines) / 1e6


def _distinct(lines: Iterable[str], seen: set[str]) -> list[str]:
    out = []
    for line in lines:
        if line.strip() and line not in seen:
            seen.add(line)
            out.append(line)
    return out


def news_corpus(lang: str, data: Path | None, real_news: Path | None, mb: float, damage: float,
                seed: int) -> Corpus:
    """The news lines of one language, each once, shuffled (so a cut samples every source) and
    cut to ``mb``; about ``damage`` slips per 1,000 words."""
    seen: set[str] = set()
    lines: list[str] = []
    sources = []
    for name in MT_FILES[lang]:
        path = data / "mt" / name if data else None
        if path and path.exists():
            got = _distinct(path.read_text(encoding="utf-8").splitlines(), seen)
            sources.append(f"{name} {len(got)}")
            lines += got
    articles = real_news / "articles.jsonl" if real_news else None
    if articles and articles.exists():
        got = []
        for row in map(json.loads, articles.read_text(encoding="utf-8").splitlines()):
            if row.get("lang") == lang:
                got += _distinct(row["text"].split("\n"), seen)
        sources.append(f"real_news {lang} {len(got)}")
        lines += got
    if not lines:  # no shared data: the authored sentences, so the script still runs
        got = _distinct(_authored(lang), seen)
        sources.append(f"benchmarks/data/sentences.{lang}.txt {len(got)} (no --data: the warm-up's own text, "
                       f"so the first pass is not on unseen text)")
        lines += got
    random.Random(seed).shuffle(lines)
    total = sum(len(line.encode("utf-8")) for line in lines) / 1e6
    note = ""
    if total > mb:
        lines, size = _cut(lines, mb)
    else:
        note = f"asked for {mb:g} MB, only {total:.2f} MB of distinct lines exist: all used, none repeated"
    corpus = Corpus(lang, "English news" if lang == "en" else "Russian news", lines, sources, note=note)
    _damage(corpus, lang, damage, seed)
    return corpus


def _cut(lines: list[str], mb: float) -> tuple[list[str], float]:
    out, size = [], 0
    for line in lines:
        if size >= mb * 1e6:
            break
        out.append(line)
        size += len(line.encode("utf-8"))
    return out, size / 1e6


def _authored(lang: str) -> list[str]:
    text = (HERE / "data" / f"sentences.{lang}.txt").read_text(encoding="utf-8")
    return [s for s in text.splitlines() if s and not s.startswith("#")]


def _damage(corpus: Corpus, lang: str, per_1000_words: float, seed: int) -> None:
    """Put a slip in one word of a line about every 1,000/``per_1000_words`` words."""
    if per_1000_words <= 0:
        return
    sys.path.insert(0, str(HERE))
    from eval_mixed_script import _CYRILLIC_FOR_LATIN, _half_romanised, _homoglyph

    rng = random.Random(seed + 1)
    word_re = re.compile(r"\b[A-Za-z]{5,}\b" if lang == "en" else r"\b[а-яА-ЯёЁ]{5,}\b")
    every, words = 1000 / per_1000_words, 0
    for i, line in enumerate(corpus.lines):
        words += line.count(" ") + 1
        if words < every or TRANSITION_RE.search(line):
            continue
        spots = list(word_re.finditer(line))
        if not spots:
            continue
        m = rng.choice(spots)
        slip = _homoglyph(rng, m.group(), _CYRILLIC_FOR_LATIN) if lang == "en" else _half_romanised(rng, m.group())
        if slip and slip != m.group():
            corpus.originals[i] = line
            corpus.lines[i] = line[:m.start()] + slip + line[m.end():]
            words = 0


_NAME_TEMPLATES = (
    "Officials in {L} and {L} said the drones were intercepted overnight.",
    "Governor {P} visited {L} on Monday, the regional press service said.",
    "The train from {L} to {L} arrived four hours late because of the snow.",
    "Residents of {L}, {L} and {L} reported power cuts on Tuesday.",
    "{P} told reporters in {L} that the bridge would reopen in the spring.",
    "A delegation led by {P} travelled from {L} to {L} for the talks.",
    "Floods cut off the roads between {L} and {L} after days of rain.",
    "{P} and {P} met in {L} to sign the agreement.",
    "Schools in {L} and {L} closed early as temperatures fell.",
    "The court in {L} fined a company registered in {L}.",
)
_SLOT_RE = re.compile(r"\{([PL])\}")
_PLACE_TYPES = frozenset({"city", "town", "village", "district", "city_district", "region", "river", "lake",
                          "island", "sea", "bay", "peninsula", "mountain", "range", "volcano", "park",
                          "reserve", "landmark", "area", "historical_name"})


def names_varied_corpus(mb: float, seed: int) -> Corpus:
    """English sentences naming 2-3 Russian places and people each, the names taken in turn from
    the whole gazetteer (each about once); one place name in 20 misromanised."""
    sys.path.insert(0, str(HERE))
    from eval_names import damage

    from normkit.gazetteer import default_gazetteer

    rng = random.Random(seed)
    people: dict[str, str] = {}
    places: dict[str, str] = {}
    for e in sorted(default_gazetteer().memory_entries(), key=lambda e: e.id):
        if TRANSITION_RE.search(e.latin) or re.search("[\u0400-\u04FF]", e.latin):
            continue
        if e.type == "person":
            people.setdefault(e.latin, e.cyrillic)
        elif e.type in _PLACE_TYPES:
            places.setdefault(e.latin, e.cyrillic)
    queues = {"P": list(people.items()), "L": list(places.items())}
    for queue in queues.values():
        rng.shuffle(queue)
    lines: list[str] = []
    size, misromanised = 0, 0
    while size < mb * 1e6:
        fits = [t for t in _NAME_TEMPLATES
                if all(len(queues[k]) >= _SLOT_RE.findall(t).count(k) for k in "PL")]
        if not fits:
            break
        template = rng.choice(fits)
        names = []
        for kind in _SLOT_RE.findall(template):
            latin, cyrillic = queues[kind].pop()
            if kind == "L" and " " not in latin and rng.random() < MISROMANISED_NAMES:
                latin, misromanised = damage(latin, cyrillic, rng), misromanised + 1
            names.append(latin)
        fill = iter(names)
        line = _SLOT_RE.sub(lambda _m: next(fill), template)
        lines.append(line)
        size += len(line.encode("utf-8"))
    used = len(people) - len(queues["P"]), len(places) - len(queues["L"])
    note = (f"{used[0]} of {len(people)} people and {used[1]} of {len(places)} place names of the gazetteer, "
            f"each once; {misromanised} misromanised")
    if size < mb * 1e6:
        note += f"; the names ran out at {size / 1e6:.2f} MB (asked for {mb:g} MB)"
    return Corpus("names-varied", "names-varied English", lines, ["generated"], note=note)


def warmup_lines() -> list[str]:
    return _authored("en") + _authored("ru") + list(WARMUP_EXTRA)


# ---------------------------------------------------------------- the contenders (worker process)

def contender(name: str) -> Callable[[str], Any]:
    """The function one contender applies to a unit of text (imported here, in the worker)."""
    if name == "ftfy":
        import ftfy

        return ftfy.fix_text
    if name == "re-scan":
        return TRANSITION_RE.findall
    if name == "confusables":
        from confusable_homoglyphs import confusables

        def dangerous_words(text: str) -> list[str]:
            if not confusables.is_mixed_script(text):
                return []
            return [w for w in text.split() if confusables.is_dangerous(w)]
        return dangerous_words
    if name == "normkit-scripts":
        import normkit

        return lambda text: normkit.clean(text, names=False).text
    if name == "normkit":
        import normkit

        return lambda text: normkit.clean(text).text
    raise ValueError(name)


def _clock(kind: str) -> Callable[[], float]:
    return time.process_time if kind == "cpu" else time.perf_counter


def worker(args: argparse.Namespace) -> int:
    """One contender, one corpus: import, warm up, first pass, warm pass; the figures to --result."""
    clock = _clock(args.clock)
    lines: list[str] = json.loads(Path(args.corpus).read_text(encoding="utf-8"))
    warm: list[str] = json.loads(Path(args.warmup).read_text(encoding="utf-8"))
    units = lines if args.layout == "lines" else ["\n".join(lines)]
    start = clock()
    fn = contender(args.worker)
    imported = clock()
    for unit in warm if args.layout == "lines" else ["\n".join(warm)]:
        fn(unit)
    warmed = clock()

    def one_pass(profiled: bool) -> tuple[list[Any], float]:
        import cProfile

        profiler = cProfile.Profile() if profiled else None
        begin = clock()
        if profiler is not None:
            profiler.enable()
        out = [fn(unit) for unit in units]
        if profiler is not None:
            profiler.disable()
        seconds = clock() - begin
        if profiler is not None:
            profiler.dump_stats(args.profile_out)
        return out, seconds

    first, first_s = one_pass(bool(args.profile_out) and args.profile_pass == "first")
    again, warm_s = one_pass(bool(args.profile_out) and args.profile_pass == "warm")
    if args.layout == "file" and args.worker not in DETECTORS:
        first = first[0].split("\n")
        again = again[0].split("\n")
    result: dict[str, Any] = {
        "import": imported - start, "warmup": warmed - imported, "first": first_s, "warm": warm_s,
        "deterministic": first == again,
    }
    if args.worker in DETECTORS:
        result["flagged"] = [i for i, found in enumerate(first) if found] if args.layout == "lines" else None
        result["found"] = sum(len(found) for found in first)
    elif len(first) == len(lines):
        result["changed"] = {i: out for i, (out, line) in enumerate(zip(first, lines)) if out != line}
    else:
        result["changed"] = None  # the output no longer has the input's lines
    Path(args.result).write_text(json.dumps(result), encoding="utf-8")
    return 0


# ---------------------------------------------------------------- running and reporting (parent)

def _run_worker(name: str, corpus_path: Path, warmup_path: Path, args: argparse.Namespace,
                profile_out: str = "") -> dict[str, Any] | str:
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        out = Path(handle.name)
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", name, "--corpus", str(corpus_path),
               "--warmup", str(warmup_path), "--result", str(out), "--layout", args.layout, "--clock", args.clock]
    if profile_out:
        command += ["--profile-out", profile_out, "--profile-pass", args.profile_pass]
    try:
        done = subprocess.run(command, capture_output=True, text=True, env=child_env())
        if done.returncode != 0:
            last = (done.stderr.strip().splitlines() or ["no message"])[-1]
            return last
        return dict(json.loads(out.read_text(encoding="utf-8")))
    finally:
        out.unlink(missing_ok=True)


def child_env() -> dict[str, str]:
    """The environment of the children: they import the normkit next to this script."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(HERE.parent), env.get("PYTHONPATH", "")) if p)
    return env


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def _fmt(value: float, digits: int = 1) -> str:
    return "-" if value != value else f"{value:.{digits}f}"


def bench_api(corpora: list[Corpus], args: argparse.Namespace, tmp: Path) -> dict[str, dict[str, dict[str, float]]]:
    """Every contender on every corpus, --runs interleaved runs; prints the tables and checks.
    Returns corpus -> contender -> {"first": MB/s, "warm": MB/s} (medians)."""
    warmup_path = tmp / "warmup.json"
    warmup_path.write_text(json.dumps(warmup_lines()), encoding="utf-8")
    paths = {}
    for corpus in corpora:
        paths[corpus.name] = tmp / f"{corpus.name}.json"
        paths[corpus.name].write_text(json.dumps(corpus.lines), encoding="utf-8")
    runs: dict[tuple[str, str], list[dict[str, Any]]] = {}
    failed: dict[str, str] = {}
    chosen = tuple(args.contenders)
    for run in range(args.runs):
        order = chosen[run % len(chosen):] + chosen[:run % len(chosen)]
        for corpus in corpora:
            for name in order:
                if name in failed:
                    continue
                got = _run_worker(name, paths[corpus.name], warmup_path, args)
                if isinstance(got, str):
                    failed[name] = got
                    continue
                runs.setdefault((corpus.name, name), []).append(got)
        print(f"  run {run + 1}/{args.runs} done", file=sys.stderr, flush=True)
    for name, why in failed.items():
        print(f"{LABELS[name]}: not measured ({why}); `pip install -e \".[bench]\"` installs the baselines")
    clock = "CPU" if args.clock == "cpu" else "wall"
    summary: dict[str, dict[str, dict[str, float]]] = {}
    for corpus in corpora:
        mb = corpus.mb
        print(f"\n{corpus.title} ({corpus.name}): {mb:.2f} MB, {len(corpus.lines):,} lines "
              f"(distinct lines available: {', '.join(corpus.sources)}); {len(corpus.originals)} slips put in")
        if corpus.note:
            print(f"  {corpus.note}")
        rows = summary.setdefault(corpus.name, {})
        for name in CONTENDERS:
            measured = runs.get((corpus.name, name))
            if measured:
                firsts = [mb / r["first"] for r in measured]
                rows[name] = {"first": _median(firsts), "warm": _median([mb / r["warm"] for r in measured]),
                              "spread": max(firsts) / min(firsts),
                              "load": _median([r["import"] + r["warmup"] for r in measured])}
        ftfy = rows.get("ftfy", {})
        floor = rows.get("re-scan", {})
        print(f"  MB/s by {clock} time, median of {args.runs} runs; layout: {args.layout}")
        print(f"  {'contender':24}{'first':>8}{'warm':>8}{'first/ftfy':>12}{'warm/ftfy':>11}"
              f"{'first/floor':>13}{'spread':>8}{'load s':>8}")
        for name in CONTENDERS:
            row = rows.get(name)
            if not row:
                continue
            def ratio(pass_: str, base: dict[str, float], row: dict[str, float] = row) -> float:
                return row[pass_] / base[pass_] if base else float("nan")
            print(f"  {LABELS[name]:24}{_fmt(row['first']):>8}{_fmt(row['warm']):>8}"
                  f"{_fmt(ratio('first', ftfy), 2) + 'x':>12}{_fmt(ratio('warm', ftfy), 2) + 'x':>11}"
                  f"{_fmt(ratio('first', floor), 3) + 'x':>13}{row['spread'] - 1:8.0%}{row['load']:8.2f}")
        _checks(corpus, {name: got[0] for (c, name), got in runs.items() if c == corpus.name},
                {name: all(r["deterministic"] for r in got) for (c, name), got in runs.items() if c == corpus.name})
    if args.save_outputs:
        saved = {c.name: {name: got[0].get("changed") for (corpus_name, name), got in runs.items()
                          if corpus_name == c.name and name not in DETECTORS} for c in corpora}
        Path(args.save_outputs).write_text(json.dumps(saved, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    return summary


def _checks(corpus: Corpus, first: dict[str, dict[str, Any]], deterministic: dict[str, bool]) -> None:
    suspicious = {i for i, line in enumerate(corpus.lines) if TRANSITION_RE.search(line)} | set(corpus.originals)
    print(f"  checks: {len(suspicious)} lines hold a Cyrillic<->Latin transition or a slip")
    for name in CONTENDERS:
        result = first.get(name)
        if result is None:
            continue
        label = LABELS[name]
        if not deterministic.get(name, True):
            print(f"    {label}: the warm pass gave other output than the first pass")
        if name in DETECTORS:
            flagged = result.get("flagged")
            if flagged is not None:
                hits = sum(1 for i in corpus.originals if i in set(flagged))
                print(f"    {label}: flags {len(flagged)} lines ({result['found']} hits), "
                      f"{hits}/{len(corpus.originals)} of the slipped lines")
            continue
        changed = result.get("changed")
        if changed is None:
            print(f"    {label}: its output has another number of lines than its input")
            continue
        changed = {int(i): out for i, out in changed.items()}
        repaired = sum(1 for i, line in corpus.originals.items() if changed.get(i) == line)
        quiet = sorted(i for i in changed if i not in suspicious)
        print(f"    {label}: changes {len(changed)} lines, {len(quiet)} of them with nothing suspicious; "
              f"repairs {repaired}/{len(corpus.originals)} slips exactly")
        if name == "normkit-scripts":
            verdict = "OK" if not quiet else f"FAILED on {len(quiet)} lines"
            print(f"      output == input where nothing is suspicious: {verdict}")
            for i in quiet[:5]:
                print(f"      line {i}: {_diff(corpus.lines[i], changed[i])}")


def _diff(before: str, after: str) -> str:
    """The changed span of a line only (the corpus text itself is not reprinted)."""
    from normkit.types import kept_ends  # imported where needed, as the contenders import theirs

    head, tail = kept_ends(before, after)
    return f"{before[head:len(before) - tail]!r} -> {after[head:len(after) - tail]!r} at column {head}"


def _normkit_command() -> list[str]:
    """The installed `normkit` script of this interpreter (what a user runs; no pyenv shim), else -m."""
    import sysconfig

    script = Path(sysconfig.get_path("scripts")) / "normkit"
    return [str(script)] if script.exists() else [sys.executable, "-m", "normkit"]


def _child_cpu(command: list[str]) -> tuple[float, float, int]:
    """(CPU seconds, wall seconds, exit code) of one whole child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    code = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=child_env()).returncode
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime, wall, code


def bench_cli(corpus: Corpus, args: argparse.Namespace, tmp: Path, options: tuple[str, ...] = ()) -> float | None:
    """`normkit clean FILE --format text|jsonl [OPTIONS]` on the corpus as a file; returns jsonl / text."""
    big = tmp / f"cli-{corpus.name}.txt"
    big.write_text("\n".join(corpus.lines) + "\n", encoding="utf-8")
    small = tmp / "cli-one-line.txt"
    small.write_text(" ".join(WARMUP_EXTRA) + "\n", encoding="utf-8")  # one line that loads every table
    out = tmp / "cli-out"
    base = _normkit_command() + ["clean"]
    times: dict[tuple[str, str], list[float]] = {}
    codes = set()
    for _ in range(args.runs):
        for fmt in ("text", "jsonl"):
            for which, path in (("file", big), ("one line", small)):
                cpu, wall, code = _child_cpu(base + [str(path), "--format", fmt, *options, "-o", str(out)])
                times.setdefault((fmt, which), []).append(cpu if args.clock == "cpu" else wall)
                codes.add(code)
    shown = " ".join(["normkit clean FILE --format F", *options, "-o OUT"])
    if codes != {0}:
        print(f"\nCLI `{shown}`: exited with {sorted(codes)}; figures not printed")
        return None
    mb = big.stat().st_size / 1e6
    print(f"\nCLI `{shown}` on the {corpus.title} file ({mb:.2f} MB), whole processes, {args.clock} time, "
          f"median of {args.runs}; 'without start-up' takes off the same command on a one-line file:")
    speed = {}
    for fmt in ("text", "jsonl"):
        whole, one = _median(times[(fmt, "file")]), _median(times[(fmt, "one line")])
        if whole - one < 0.1 * one:
            print(f"  --format {fmt}: the file takes too little time beside start-up to measure")
            return None
        speed[fmt] = mb / max(whole - one, 1e-9)
        print(f"  --format {fmt:6} {whole:6.2f} s for the file, {one:5.2f} s for one line: "
              f"{mb / whole:5.1f} MB/s whole process, {speed[fmt]:5.1f} MB/s without start-up")
    ratio = speed["jsonl"] / speed["text"]
    print(f"  jsonl / text: {ratio:.3f}x (without start-up)")
    return ratio


def report_targets(summary: dict[str, dict[str, dict[str, float]]], jsonl_ratio: float | None) -> None:
    print("\nThe issue's targets (normkit full, one core):")
    for corpus, pass_, floor in TARGETS:
        got = summary.get(corpus, {}).get("normkit", {}).get(pass_)
        if got is not None:
            print(f"  {corpus} {pass_} pass >= {floor:g} MB/s: {got:.1f} MB/s, {'met' if got >= floor else 'not met'}")
    en = summary.get("en", {})
    if "normkit" in en and "ftfy" in en:
        ratio = en["normkit"]["first"] / en["ftfy"]["first"]
        print(f"  en first pass >= {TARGET_FTFY_RATIO:g}x ftfy: {ratio:.2f}x, "
              f"{'met' if ratio >= TARGET_FTFY_RATIO else 'not met'}")
    if jsonl_ratio is not None:
        print(f"  --format jsonl >= {TARGET_JSONL_RATIO:g}x text (English news): {jsonl_ratio:.3f}x, "
              f"{'met' if jsonl_ratio >= TARGET_JSONL_RATIO else 'not met'}")


def profile(corpus: Corpus, args: argparse.Namespace, tmp: Path) -> int:
    """One pass of a contender (normkit full by default) under cProfile in a fresh worker."""
    import pstats

    warmup_path = tmp / "warmup.json"
    warmup_path.write_text(json.dumps(warmup_lines()), encoding="utf-8")
    path = tmp / "corpus.json"
    path.write_text(json.dumps(corpus.lines), encoding="utf-8")
    out = args.profile_save or str(tmp / "pass.prof")
    got = _run_worker(args.profile_contender, path, warmup_path, args, profile_out=out)
    if isinstance(got, str):
        print(f"error: the profiled worker failed: {got}", file=sys.stderr)
        return 1
    print(f"{LABELS[args.profile_contender]} on {corpus.title}: {corpus.mb:.2f} MB, {args.profile_pass} pass {got[args.profile_pass]:.2f} s "
          f"{args.clock} time under the profiler ({corpus.mb / got[args.profile_pass]:.2f} MB/s)")
    stats = pstats.Stats(out)
    stats.sort_stats("cumulative").print_stats(args.profile_top)
    stats.sort_stats("tottime").print_stats(args.profile_top)
    if args.profile_save:
        print(f"profile saved to {args.profile_save} (python -m pstats, snakeviz, ...)")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--data", type=Path, default=os.environ.get("NORMKIT_SHARED_DATA"),
                        help="the shared data folder (its mt/ test sets); default $NORMKIT_SHARED_DATA")
    parser.add_argument("--real-news", type=Path, default=None,
                        help="the real_news folder (default DATA/real_news when it exists)")
    parser.add_argument("--mb", type=float, default=5.0, help="megabytes of text per corpus, at most")
    parser.add_argument("--runs", type=int, default=5, help="interleaved runs; the median is printed")
    parser.add_argument("--corpora", default=",".join(CORPORA), help=f"some of {','.join(CORPORA)}")
    parser.add_argument("--contenders", default=",".join(CONTENDERS), help=f"some of {','.join(CONTENDERS)}")
    parser.add_argument("--layout", choices=("lines", "file"), default="lines",
                        help="one call per line, or one call on the whole corpus")
    parser.add_argument("--damage", type=float, default=DAMAGE_PER_1000_WORDS,
                        help="mixed-script slips put in per 1,000 words of news (0: none)")
    parser.add_argument("--clock", choices=("cpu", "wall"), default="cpu")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-cli", action="store_true", help="skip the normkit clean CLI comparison")
    parser.add_argument("--save-outputs", default="",
                        help="write each contender's changed lines (first run, first pass) per corpus to this "
                             "JSON file, to compare two versions' outputs line by line")
    parser.add_argument("--profile", choices=CORPORA, help="profile normkit full on this corpus instead")
    parser.add_argument("--profile-pass", choices=("first", "warm"), default="first")
    parser.add_argument("--profile-contender", choices=CONTENDERS, default="normkit")
    parser.add_argument("--profile-top", type=int, default=40)
    parser.add_argument("--profile-save", default="", help="keep the cProfile file here")
    # The worker's own options (this script runs itself once per contender and run).
    parser.add_argument("--worker", choices=CONTENDERS, help=argparse.SUPPRESS)
    parser.add_argument("--corpus", help=argparse.SUPPRESS)
    parser.add_argument("--warmup", help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    parser.add_argument("--profile-out", default="", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        return worker(args)
    if args.runs < 1 or args.mb <= 0:
        parser.error("--runs and --mb must be positive")
    args.contenders = [c.strip() for c in args.contenders.split(",") if c.strip()]
    if not args.contenders or set(args.contenders) - set(CONTENDERS):
        parser.error(f"--contenders: some of {','.join(CONTENDERS)}")
    wanted = [c.strip() for c in ([args.profile] if args.profile else args.corpora.split(",")) if c.strip()]
    unknown = sorted(set(wanted) - set(CORPORA))
    if unknown:
        parser.error(f"unknown corpus {', '.join(unknown)}; known: {', '.join(CORPORA)}")
    data = Path(args.data) if args.data else None
    real_news = args.real_news or (data / "real_news" if data and (data / "real_news").exists() else None)
    sys.path.insert(0, str(HERE.parent))  # the normkit next to this script, as the workers import it
    corpora = []
    for name in wanted:
        seed = args.seed + 10 * CORPORA.index(name)  # the same text whichever corpora are asked for
        if name == "names-varied":
            corpora.append(names_varied_corpus(args.mb, seed))
        else:
            corpora.append(news_corpus(name, data, real_news, args.mb, args.damage, seed))
    with tempfile.TemporaryDirectory(prefix="normkit-bench-") as tmpdir:
        tmp = Path(tmpdir)
        if args.profile:
            return profile(corpora[0], args, tmp)
        print(f"normkit clean() throughput, {len(args.contenders)} contenders x {len(corpora)} corpora x {args.runs} runs "
              f"(each a fresh process: import, warm-up on other text, first pass, warm pass)")
        summary = bench_api(corpora, args, tmp)
        jsonl_ratio = None
        by_name = {c.name: c for c in corpora}
        if not args.no_cli and "en" in by_name:
            jsonl_ratio = bench_cli(by_name["en"], args, tmp)
        report_targets(summary, jsonl_ratio)
    return 0


if __name__ == "__main__":
    sys.exit(main())
