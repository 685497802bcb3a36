"""Build glossaries/english_words.txt: common English words, most frequent first.

normkit uses it to tell English words from Russian names (a capitalised "Mark" is English; "Horlat"
is not), so cleaning never rewrites an English word. Source: pyspellchecker's English frequency
dictionary (package MIT; frequencies from the OpenSubtitles FrequencyWords lists, CC BY-SA 4.0).

    pip install pyspellchecker==0.9.1 && python scripts/build_english_words.py
"""
from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import spellchecker

MIN_COUNT = 100  # below this the list is mostly typos and rare inflections
OUT = Path(__file__).resolve().parent.parent / "glossaries" / "english_words.txt"


def main() -> None:
    source = Path(spellchecker.__file__).parent / "resources" / "en.json.gz"
    counts: dict[str, int] = json.loads(gzip.open(source).read())
    words = sorted((w for w, n in counts.items() if n >= MIN_COUNT and re.fullmatch(r"[a-z]+(?:'[a-z]+)?", w)),
                   key=lambda w: (-counts[w], w))
    header = (f"# normkit-wordlist 1: common English words, most frequent first; built by "
              f"scripts/build_english_words.py from pyspellchecker {spellchecker.__version__} "
              f"(MIT; data CC BY-SA 4.0), count >= {MIN_COUNT}\n")
    OUT.write_text(header + "\n".join(words) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(words)} words")


if __name__ == "__main__":
    main()
