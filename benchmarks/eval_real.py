"""Real-text evaluation: what the cleaner does to hand-annotated news and to professional translations.

    python benchmarks/eval_real.py PATH [--split all|tune|held-out] [--mt DIR] [--show N] [--names-only]

PATH is a folder in the ``real_news`` format (``articles.jsonl`` and ``annotations.jsonl``; see the
README that comes with the data): every Russian name in the English articles is marked ok, error or
unsure. Each article is cleaned as one document and each applied edit is scored as that README says:

- FIX: the edit touches only ``error`` mentions and each reads, with every edit on it applied, as one
  of its accepted forms (counted once per mention repaired);
- HARM: it touches an ``ok`` mention, or no annotated mention, or leaves an error in a wrong form
  (counted once per edit); "ok → other accepted form" is listed apart and a lenient figure given;
- NEUTRAL: it touches only ``unsure`` mentions; MISS: an error mention no edit touches.
In the Russian articles every edit is a harm unless it repairs the annotated error.

``--split`` scores a deterministic half of the articles, chosen by a hash of the article id (``tune``
is the half thresholds may be fitted on, ``held-out`` the other; report on held-out). Suggestions
(fixes reported but not applied) are scored the same way for the reliability table: of the name
fixes reported at confidence c, the share that is right should be about c.

``--mt DIR`` also cleans the professional translations in DIR (the WMT/FLORES files): nearly every
name there is right, so every name edit is listed and counted as a harm unless it fixes one of the
few real slips in :data:`MT_SLIPS`; script edits are listed.
Nothing of the data is stored; the script prints figures and examples only.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

import normkit
from normkit import Edit

# The real slips in the WMT/FLORES English references (file, as written, fixed): an edit making one
# of these fixes is no harm. Found by reading every name edit any version of the cleaner made there,
# each checked against the Russian source line (Козак, Краснодар, Чебоксары, Азов, "Локомотив").
MT_SLIPS = frozenset({
    ("newstest2020.ru-en.en", "Chekoksary", "Cheboksary"),
    ("newstest2020.ru-en.en", "Karsnodar", "Krasnodar"),
    ("newstest2019.ru-en.en", "Asov", "Azov"),
    ("newstest2019.ru-en.en", "Locomotiv", "Lokomotiv"),  # the club; the same text also writes "Locomotive"
    ("newstest2019.ru-en.en", "Kozal", "Kozak"),  # Дмитрий Козак in the source
    ("newstest2020.ru-en.en", "Rospotrebnazor", "Rospotrebnadzor"),  # Роспотребнадзор in the source (line 538)
})
NAME_KINDS = frozenset({"place_name", "person_name", "name_variant"})
WORD_RE = re.compile(r"\w+")
BINS = (0.0, 0.3, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.01)


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    text: str
    status: str
    accepted: tuple[str, ...]


@dataclass
class Score:
    fixes: int = 0
    harms: int = 0
    neutral: int = 0
    errors: int = 0
    words: int = 0
    ok_to_accepted: int = 0
    crashes: list[str] = field(default_factory=list)
    harm_list: list[str] = field(default_factory=list)
    fix_list: list[str] = field(default_factory=list)
    miss_list: list[str] = field(default_factory=list)
    wrong_list: list[str] = field(default_factory=list)
    by_kind: Counter[tuple[str, str]] = field(default_factory=Counter)
    reliability: list[tuple[float, bool]] = field(default_factory=list)
    anatomy: Counter[tuple[str, str]] = field(default_factory=Counter)  # (error class, what went wrong)
    anatomy_list: list[str] = field(default_factory=list)
    repaired: set[int] = field(default_factory=set)  # one article's repaired error mentions (not added up)

    def add(self, other: "Score") -> None:
        for name in ("fixes", "harms", "neutral", "errors", "words", "ok_to_accepted"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for name in ("crashes", "harm_list", "fix_list", "miss_list", "wrong_list", "reliability", "anatomy_list"):
            getattr(self, name).extend(getattr(other, name))
        self.by_kind.update(other.by_kind)
        self.anatomy.update(other.anatomy)


def trim(edit: Edit) -> tuple[int, int, str, str]:
    """The edit cut to the characters it changes (common prefix and suffix dropped)."""
    before, after, start, end = edit.before, edit.after, edit.start, edit.end
    while before and after and before[0] == after[0]:
        before, after, start = before[1:], after[1:], start + 1
    while before and after and before[-1] == after[-1]:
        before, after, end = before[:-1], after[:-1], end - 1
    return start, end, before, after


def touches(span: tuple[int, int], mention: Mention) -> bool:
    start, end = span
    if start == end:  # an insertion: inside the mention or at either end
        return mention.start <= start <= mention.end
    return start < mention.end and mention.start < end


def _apply(text: str, start: int, end: int, edits: list[tuple[int, int, str, str]]) -> str:
    """text[start:end] with the (trimmed) edits inside it applied."""
    out, pos = [], start
    for a, b, _, after in sorted(edits):
        out.append(text[pos:a])
        out.append(after)
        pos = b
    out.append(text[pos:end])
    return "".join(out)


def _context(text: str, start: int, end: int, width: int = 40) -> str:
    left = text[max(0, start - width):start].replace("\n", " ")
    right = text[end:end + width].replace("\n", " ")
    return f"…{left}[{text[start:end]}]{right}…"


def score_edits(text: str, mentions: list[Mention], edits: list[Edit], russian: bool, label: str) -> Score:
    """Score one article's applied edits (see the module docstring)."""
    s = Score(words=len(WORD_RE.findall(text)), errors=sum(m.status == "error" for m in mentions))
    s.repaired = repaired_out = set()
    trimmed = [(e, trim(e)) for e in edits if e.before != e.after]
    repaired: set[int] = set()
    wrong: set[int] = set()
    for edit, t in trimmed:
        hit = [i for i, m in enumerate(mentions) if touches((t[0], t[1]), m)]
        statuses = {mentions[i].status for i in hit}
        what = f"{label}: {edit.before!r} -> {edit.after!r} [{edit.kind} {edit.confidence:.2f}] {_context(text, edit.start, edit.end)}"
        if hit and statuses == {"unsure"}:
            s.neutral += 1
            s.by_kind[(edit.kind, "neutral")] += 1
            continue
        good = bool(hit) and statuses <= {"error", "unsure"} and "error" in statuses
        if good:
            for i in hit:
                m = mentions[i]
                if m.status != "error":
                    continue
                on_it = [x for _, x in trimmed if touches((x[0], x[1]), m)]
                lo = min([m.start, *(x[0] for x in on_it)])
                hi = max([m.end, *(x[1] for x in on_it)])
                result = _apply(text, lo, hi, on_it)
                outer = (text[lo:m.start], text[m.end:hi])
                if not any(result == outer[0] + a + outer[1] or result == a for a in m.accepted):
                    good = False
                    wrong.add(i)
        if good:
            new = [i for i in hit if mentions[i].status == "error" and i not in repaired]
            repaired.update(new)
            repaired_out.update(new)
            s.fixes += len(new)
            s.by_kind[(edit.kind, "fix")] += 1
            s.fix_list.append(what)
        else:
            s.harms += 1
            s.by_kind[(edit.kind, "harm")] += 1
            oks = [mentions[i] for i in hit if mentions[i].status == "ok"]
            if oks and len(hit) == 1 and _apply(text, oks[0].start, oks[0].end, [t]) in oks[0].accepted[1:]:
                s.ok_to_accepted += 1
                what += "  (ok -> other accepted form)"
            elif not hit:
                what += "  (unannotated text)"
            s.harm_list.append(what)
    for i, m in enumerate(mentions):
        if m.status != "error" or i in repaired:
            continue
        where = f"{label}: {m.text!r} (accepted {', '.join(m.accepted[:3])}) {_context(text, m.start, m.end)}"
        if i in wrong:
            s.wrong_list.append(where)
        elif not any(touches((t[0], t[1]), m) for _, t in trimmed):
            s.miss_list.append(where)
    return s


# ------------------------------------------------------------ miss anatomy

ERROR_CLASSES = ("mixed script", "house case", "calque", "case ending", "ukrainian", "foreign letters",
                 "letter slip", "garbled")
OUTCOMES = ("right candidate rejected", "only suggested", "wrong candidate", "wrong candidate (right one ranked lower)",
            "no candidate: word known",
            "no candidate: not looked at", "no candidate: none found", "no candidate: not a mention")
# Ukrainian letters for Russian ones, as English copy translated from Ukrainian writes them.
_UKRAINIAN = ((r"h", "g"), (r"iv\b", "ov"), (r"iv\b", "ev"), (r"i", "o"), (r"i", "e"), (r"y", "i"),
              (r"yi", "ii"), (r"ne\b", "noye"), (r"ivsk", "ovsk"))


def _alike(a: str, b: str) -> float:
    from rapidfuzz.fuzz import ratio

    return ratio(a.lower(), b.lower()) / 100


def error_class(text: str, accepted: tuple[str, ...], english: frozenset[str]) -> str:
    """A rough class for an annotated error, read off its form and its accepted forms only."""
    from normkit import skeleton
    from normkit.transliteration import CYRILLIC_RE

    if CYRILLIC_RE.search(text) and re.search("[A-Za-z]", text):
        return "mixed script"
    words = re.findall(r"[^\W\d_]+", text)
    if not accepted or not words:
        return "garbled"
    if any(w.isupper() and len(w) > 1 for w in words) or text[:1].islower():
        return "house case"
    best = max(accepted, key=lambda a: _alike(text, a))
    if any(w.lower() in english for w in words) and _alike(text, best) < 0.7:
        return "calque"
    t, b = text.lower(), best.lower().replace("’", "").replace("'", "")
    foreign = re.search(r"w|j|sch|tz|ş|(?<![kzsc])h", t)
    if foreign and skeleton.key(text) == skeleton.key(best):
        return "foreign letters"
    common = len(os.path.commonprefix([t, b]))
    if t != b and common >= 4 and common >= len(t) - 3 and common >= len(b) - 4:
        return "case ending"  # only the end differs: an inflection or a wrong derived form
    base = _alike(t, b)
    for pattern, repl in _UKRAINIAN:
        if base < 0.95 and _alike(re.sub(pattern, repl, t), b) >= max(base + 0.05, 0.85):
            return "ukrainian"
    if foreign and skeleton.key(text) in skeleton.query_keys(best):
        return "foreign letters"
    return "letter slip" if base >= 0.75 else "garbled"


def _right_among(text: str, m: Mention, linker: Any) -> bool:
    """Is a right fix among the candidates the model weighed for the mention's words?"""
    from normkit.names.linker import MENTION_RE

    for match in MENTION_RE.finditer(m.text):
        start, end = m.start + match.start(), m.start + match.end()
        for candidate, _ in linker.evidence_at(text, start, end):
            after = linker._written(match.group(), candidate)
            result = text[m.start:start] + after + text[end:m.end]
            if any(result.lower() == a.lower() for a in m.accepted):
                return True
    return False


def miss_anatomy(text: str, mentions: list[Mention], repaired: set[int], decisions: list[Any],
                 linker: Any, label: str) -> tuple[Counter[tuple[str, str]], list[str]]:
    """For each error mention not repaired: its class, and where the stage lost it."""
    from normkit.lexicon import english_words
    from normkit.names.linker import CAPITALISED_RE, _stem

    english = english_words()
    counts: Counter[tuple[str, str]] = Counter()
    lines = []
    for i, m in enumerate(mentions):
        if m.status != "error" or i in repaired:
            continue
        cls = error_class(m.text, m.accepted, english)
        on = [d for d in decisions if d.start < m.end and m.start < d.end and d.after is not None]
        outcome = ""
        detail = ""
        for d in on:
            result = text[m.start:d.start] + d.after + text[d.end:m.end]
            right = result in m.accepted or any(result.lower() == a.lower() for a in m.accepted)
            detail = f"{d.word!r} -> {d.after!r} {d.outcome} {d.confidence:.2f}"
            if right:
                outcome = "right candidate rejected" if d.outcome == "rejected" else "only suggested"
                if d.outcome == "applied":
                    outcome = "wrong candidate"  # applied and right, yet not scored a fix: overlaps another edit
                break
            outcome = "wrong candidate"
        if outcome == "wrong candidate" and _right_among(text, m, linker):
            outcome = "wrong candidate (right one ranked lower)"
        if not outcome:
            words = [w for w in CAPITALISED_RE.findall(m.text)]
            if not words:
                outcome = "no candidate: not a mention"
            else:
                kinds = {linker._classify(_stem(w))[0] for w in words}
                detail = "/".join(sorted(kinds))
                outcome = ("no candidate: word known" if kinds & {"known", "exact"} else
                           "no candidate: none found" if "doubtful" in kinds else "no candidate: not looked at")
        counts[(cls, outcome)] += 1
        lines.append(f"{label}: [{cls} | {outcome}] {m.text!r} (accepted {', '.join(m.accepted[:2])}) {detail}")
    return counts, lines


def print_anatomy(total: Score, show: int) -> None:
    if not total.anatomy:
        return
    print("\nMISS ANATOMY (errors not fixed), by class: " + "; ".join(
        f"{o} = {sum(n for (_, oo), n in total.anatomy.items() if oo == o)}" for o in OUTCOMES
        if any(oo == o for _, oo in total.anatomy)))
    for cls in ERROR_CLASSES:
        row = {o: total.anatomy[(cls, o)] for o in OUTCOMES if total.anatomy[(cls, o)]}
        if row:
            print(f"  {cls:16s} {sum(row.values()):3d}: " + ", ".join(f"{o} {n}" for o, n in row.items()))
    for item in total.anatomy_list[:show]:
        print("  " + item)


def reliability(text: str, mentions: list[Mention], reported: Iterable[Edit], label: str) -> list[tuple[float, bool]]:
    """Each name fix reported (applied or suggested), scored alone: (confidence, right)."""
    out = []
    for edit in reported:
        if edit.kind not in NAME_KINDS:
            continue
        alone = score_edits(text, mentions, [edit], False, label)
        if alone.neutral:
            continue
        out.append((edit.confidence, alone.fixes > 0 and alone.harms == 0))
    return out


def in_split(article_id: str, split: str) -> bool:
    if split == "all":
        return True
    tune = hashlib.sha256(article_id.encode()).digest()[0] % 2 == 0
    return tune if split == "tune" else not tune


def load(path: Path) -> list[tuple[dict[str, Any], list[Mention]]]:
    articles = {a["id"]: a for a in map(json.loads, (path / "articles.jsonl").read_text(encoding="utf-8").splitlines())}
    out = []
    for line in (path / "annotations.jsonl").read_text(encoding="utf-8").splitlines():
        ann = json.loads(line)
        mentions = [Mention(m["start"], m["end"], m["text"], m["status"], tuple(m["accepted"]))
                    for m in ann["mentions"]]
        out.append((articles[ann["id"]], mentions))
    return out


def evaluate(path: Path, split: str, clean: Callable[[str], normkit.CleanResult],
             names_only: bool, anatomy: Any = None) -> tuple[dict[str, Score], float, float]:
    """Score each article; with ``anatomy`` (a NameLinker) also say where each unrepaired error was lost."""
    scores = {"en": Score(), "ru": Score()}
    seconds = 0.0
    chars = 0
    for article, mentions in load(path):
        if not in_split(article["id"], split):
            continue
        text, lang = article["text"], article["lang"]
        started = time.perf_counter()
        try:
            result = clean(text)
        except Exception as exc:  # noqa: BLE001 - a crash is scored, not raised
            s = Score(words=len(WORD_RE.findall(text)), errors=sum(m.status == "error" for m in mentions))
            s.crashes.append(f"{article['id']}: {type(exc).__name__}: {exc}")
            s.miss_list.extend(f"{article['id']}: {m.text!r} (crash)" for m in mentions if m.status == "error")
            scores[lang].add(s)
            continue
        seconds += time.perf_counter() - started
        chars += len(text)
        edits = [e for e in result.edits if not names_only or e.kind in NAME_KINDS]
        s = score_edits(text, mentions, edits, lang == "ru", article["id"])
        s.reliability = reliability(text, mentions, [*result.edits, *result.suggestions], article["id"])
        if anatomy is not None and s.errors > len(s.repaired):
            s.anatomy, s.anatomy_list = miss_anatomy(text, mentions, s.repaired, anatomy.decide(text), anatomy,
                                                     article["id"])
        scores[lang].add(s)
    return scores, seconds, chars


def _pct(a: int, b: int) -> str:
    return f"{100 * a / b:.1f}%" if b else "n/a"


def report(scores: dict[str, Score], show: int) -> Score:
    total = Score()
    for s in scores.values():
        total.add(s)
    for name, s in (("English", scores["en"]), ("Russian", scores["ru"]), ("all", total)):
        if not s.words:
            continue
        lenient = s.harms - s.ok_to_accepted
        print(f"{name:8s} precision {_pct(s.fixes, s.fixes + s.harms):>6s}  recall {_pct(s.fixes, s.errors):>6s} "
              f"({s.fixes}/{s.errors})  harms {s.harms} = {10000 * s.harms / s.words:.2f} per 10k words "
              f"({s.words} words)  lenient precision {_pct(s.fixes, s.fixes + lenient)}  neutral {s.neutral}  "
              f"crashes {len(s.crashes)}")
    kinds = sorted({k for k, _ in total.by_kind})
    if kinds:
        print("by kind: " + "; ".join(f"{k} fix {total.by_kind[(k, 'fix')]} harm {total.by_kind[(k, 'harm')]}"
                                       for k in kinds))
    if total.reliability:
        print("reliability of reported name fixes (applied and suggested), confidence bin: right / reported")
        for lo, hi in zip(BINS, BINS[1:]):
            got = [right for c, right in total.reliability if lo <= c < hi]
            if got:
                print(f"  [{lo:.2f}, {min(hi, 1.0):.2f}): {sum(got)}/{len(got)} = {_pct(sum(got), len(got))}")
    for title, items in (("CRASHES", total.crashes), ("HARMS", total.harm_list), ("FIXES", total.fix_list),
                         ("CHANGED TO A WRONG FORM", total.wrong_list), ("MISSES", total.miss_list)):
        if items and show:
            print(f"\n{title} ({len(items)}):")
            for item in items[:show]:
                print("  " + item)
    return total


def evaluate_mt(folder: Path, clean: Callable[[str], normkit.CleanResult], show: int) -> int:
    """Clean each professional translation file; every name edit is a harm. Returns the count."""
    name_edits: list[str] = []
    slips: list[str] = []
    script_edits: list[str] = []
    crashes: list[str] = []
    for path in sorted(folder.iterdir()):
        if path.suffix in (".md",) or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        for number, line in enumerate(text.splitlines(), start=1):
            pass
        try:
            result = clean(text)
        except Exception as exc:  # noqa: BLE001
            crashes.append(f"{path.name}: {type(exc).__name__}: {exc}")
            continue
        for e in result.edits:
            where = f"{path.name}:{text.count(chr(10), 0, e.start) + 1}: {e.before!r} -> {e.after!r} [{e.kind} {e.confidence:.2f}] {_context(text, e.start, e.end)}"
            if e.kind not in NAME_KINDS:
                script_edits.append(where)
            elif (path.name, e.before, e.after) in MT_SLIPS:
                slips.append(where)
            else:
                name_edits.append(where)
    print(f"\nMT references ({folder}): {len(name_edits)} harmful name edits, {len(slips)} real slips fixed, "
          f"{len(script_edits)} script edits, {len(crashes)} crashes")
    for title, items in (("harmful name edit", name_edits), ("slip fixed", slips), ("script edit", script_edits),
                         ("crash", crashes)):
        for item in items[:show]:
            print(f"  {title}: {item}")
    return len(name_edits) + len(crashes)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", type=Path, help="a folder in the real_news format")
    parser.add_argument("--split", choices=("all", "tune", "held-out"), default="all")
    parser.add_argument("--mt", type=Path, help="also clean the WMT/FLORES files in this folder")
    parser.add_argument("--show", type=int, default=30, help="examples listed per class")
    parser.add_argument("--names-only", action="store_true", help="score only name edits")
    parser.add_argument("--min-confidence", type=float, default=None)
    args = parser.parse_args(argv)
    options: dict[str, Any] = {}
    if args.min_confidence is not None:
        options["min_confidence"] = args.min_confidence
    normalizer = normkit.load(**options)
    linker = normalizer.name_linker() if normalizer.config.names else None
    scores, seconds, chars = evaluate(args.path, args.split, normalizer.clean, args.names_only, linker)
    print(f"{args.path} split={args.split}: {chars / 1e6 / seconds if seconds else 0:.2f} MB/s")
    total = report(scores, args.show)
    print_anatomy(total, args.show)
    if args.mt:
        evaluate_mt(args.mt, normalizer.clean, args.show)
    return 0


if __name__ == "__main__":
    sys.exit(main())
