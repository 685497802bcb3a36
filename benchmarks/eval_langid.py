"""Paragraph language ID as translation uses it: normkit.langid against langdetect.

Prints accuracy on
* short sentences (at most 8 words) in Russian, Ukrainian, Bulgarian, Belarusian, Serbian and
  Macedonian written for normkit (``benchmarks/data/langid_short.tsv``), and where the Russian ones
  were routed;
* the Russian and English sides of the FLORES-200 devtest and WMT newstest 2019/2020 files in
  ``$NORMKIT_SHARED_DATA/mt`` (one paragraph a line), when that folder is there.

Each with candidate sets as translation builds them: the installed models' languages, the target,
and English and Russian. The baseline is langdetect, seeded (what normkit used before): plain top
answer, and its best-ranked candidate (normkit's old rule).

    python benchmarks/eval_langid.py [--shared-data DIR] [--limit N]
"""
from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from pathlib import Path
from typing import Callable, Collection, Iterable

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from normkit.langid import detect_language  # noqa: E402

SHORT = REPO / "benchmarks" / "data" / "langid_short.tsv"
MT_FILES = {"flores200.devtest.rus_Cyrl": "ru", "flores200.devtest.eng_Latn": "en",
            "newstest2019.ru-en.ru": "ru", "newstest2019.ru-en.en": "en",
            "newstest2020.ru-en.ru": "ru", "newstest2020.ru-en.en": "en"}
CYRILLIC_SIX = ("ru", "uk", "bg", "be", "sr", "mk")
CANDIDATE_SETS: dict[str, frozenset[str] | None] = {
    "ru+en (a ru→en model)": frozenset({"ru", "en"}),
    "ru,uk,bg,be,sr,mk+en": frozenset({*CYRILLIC_SIX, "en"}),
    "ru,uk,bg,be,sr,mk,de,fr,es+en": frozenset({*CYRILLIC_SIX, "de", "fr", "es", "en"}),
}

Detector = Callable[[str, "Collection[str] | None"], str]


def langdetect_top(text: str, candidates: Collection[str] | None) -> str:
    from langdetect import DetectorFactory, detect_langs
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0
    try:
        return str(detect_langs(text)[0].lang)
    except LangDetectException:
        return "und"


def langdetect_candidates(text: str, candidates: Collection[str] | None) -> str:
    """normkit's old rule: langdetect's best-ranked candidate, else its top answer."""
    from langdetect import DetectorFactory, detect_langs
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0
    try:
        ranked = [str(r.lang) for r in detect_langs(text)]
    except LangDetectException:
        return "und"
    return next((lang for lang in ranked if candidates and lang in candidates), ranked[0])


def short_sentences() -> list[tuple[str, str]]:
    rows = []
    for line in SHORT.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            lang, sentence = line.split("\t")
            rows.append((lang, sentence))
    return rows


def accuracy(detector: Detector, rows: Iterable[tuple[str, str]],
             candidates: Collection[str] | None) -> tuple[float, Counter[str], int]:
    """Share right, where the wrong ones went (``ru->bg``), and the count."""
    right, total, wrong = 0, 0, Counter[str]()
    for lang, text in rows:
        found = detector(text, candidates)
        total += 1
        if found == lang:
            right += 1
        else:
            wrong[f"{lang}->{found}"] += 1
    return right / total if total else 0.0, wrong, total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared-data", type=Path, default=os.environ.get("NORMKIT_SHARED_DATA"))
    parser.add_argument("--limit", type=int, default=0, help="At most N lines per test file (0: all).")
    args = parser.parse_args()
    detectors: dict[str, Detector] = {"normkit (lingua)": detect_language,
                                      "langdetect top": langdetect_top,
                                      "langdetect, best candidate": langdetect_candidates}
    rows = short_sentences()
    print(f"short sentences: {len(rows)} ({', '.join(f'{n} {l}' for l, n in Counter(l for l, _ in rows).items())})")
    candidates = CANDIDATE_SETS["ru,uk,bg,be,sr,mk+en"]
    for name, detector in detectors.items():
        share, wrong, total = accuracy(detector, rows, candidates)
        per_lang = []
        for lang in CYRILLIC_SIX:
            lang_share, _, _ = accuracy(detector, [r for r in rows if r[0] == lang], candidates)
            per_lang.append(f"{lang} {lang_share:.0%}")
        russian_away = sum(n for k, n in wrong.items() if k.startswith("ru->"))
        print(f"  {name:28s} {share:6.1%} of {total} ({', '.join(per_lang)}); Russian routed elsewhere: "
              f"{russian_away}; errors: {dict(wrong.most_common(6))}")
    mt = args.shared_data / "mt" if args.shared_data else None
    if mt is None or not mt.is_dir():
        print("(no $NORMKIT_SHARED_DATA/mt: the FLORES/WMT figures need it)")
        return
    for set_name, candidates in CANDIDATE_SETS.items():
        print(f"FLORES/WMT paragraphs, candidates {set_name}:")
        for file_name, lang in MT_FILES.items():
            lines = [line for line in (mt / file_name).read_text(encoding="utf-8").splitlines() if line.strip()]
            if args.limit:
                lines = lines[:args.limit]
            figures = []
            for name, detector in detectors.items():
                share, wrong, total = accuracy(detector, ((lang, line) for line in lines), candidates)
                figures.append(f"{name} {share:.2%}" + (f" {dict(wrong.most_common(3))}" if wrong else ""))
            print(f"  {file_name:28s} ({len(lines)}): " + "; ".join(figures))


if __name__ == "__main__":
    main()
