"""Generated evaluation of mixed-script repair: damage real sentences, score exact repairs.

    python benchmarks/eval_mixed_script.py [--data DIR] [--per-class 300] [--seed 0] [--show 5]

Sentences: the authored ones in benchmarks/data/, plus, with ``--data`` or NORMKIT_SHARED_DATA, the
news test sets in DIR/mt (data a user brings; nothing derived from them is written anywhere).
Each case damages one word of one sentence in one class; a repair counts only if the whole cleaned
sentence equals the original. Two naive baselines run on the same cases: folding look-alikes to the
token's majority script, and transliterating mixed tokens to ASCII (unidecode).
"""
from __future__ import annotations

import argparse
import os
import random
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from unidecode import unidecode

import normkit
from normkit import lexicon
from normkit.scripts import CYRILLIC, LATIN, fold, mixed_tokens, script_profile
from normkit.transliteration import romanize

HERE = Path(__file__).resolve().parent
CLASSES = ("homoglyph_ru", "homoglyph_en", "half_translit_ru", "half_translit_en", "legitimate")
_LATIN_FOR_CYRILLIC = {"а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "А": "A",
                       "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C",
                       "Т": "T", "Х": "X"}
_CYRILLIC_FOR_LATIN = {"a": "а", "c": "с", "e": "е", "o": "о", "p": "р", "x": "х", "y": "у", "i": "і",
                       "j": "ј", "s": "ѕ", "A": "А", "B": "В", "C": "С", "E": "Е", "H": "Н", "K": "К",
                       "M": "М", "O": "О", "P": "Р", "T": "Т", "X": "Х", "I": "І"}
_EN_TEMPLATES = (
    "Officials in {} said the drones were intercepted overnight.",
    "The train from {} arrived four hours late because of the snow.",
    "Residents of {} complained about the heating outages this week.",
    "A new hospital will open in {} next spring, the governor said.",
    "Debris fell on a warehouse near {} early on Saturday.",
    "The delegation travelled to {} to meet local business leaders.",
    "Floods cut off several roads around {} after days of rain.",
    "Police in {} detained three suspects after the robbery.",
)
_LEGIT_TOKENS = (
    "IT-компания", "SMS-рассылка", "USB-порт", "HTML-код", "GPS-навигатор", "VPN-сервис", "PR-кампания",
    "iPhone-ом", "Google-а", "Wi-Fi-роутер", "e-mail-адрес", "COVID-19", "B-52", "Т-34", "Су-35",
    "МиГ-29", "Ту-154", "Ан-124", "SMSки", "PDFке", "URLы", "HTMLем", "πr²", "Δt", "α-частица",
    "β-распад", "γ-излучение", "DVD-диск", "CD-ROM", "ИЛ-76", "API-ключ", "Bluetooth-гарнитура",
)


@dataclass(frozen=True)
class Case:
    cls: str
    damaged: str
    expected: str


def load_sentences(data_dir: Path | None) -> dict[str, list[str]]:
    """Sentences per language: the authored ones, plus the news test sets when a data dir is given."""
    out: dict[str, list[str]] = {}
    for lang in ("en", "ru"):
        lines = (HERE / "data" / f"sentences.{lang}.txt").read_text(encoding="utf-8").splitlines()
        out[lang] = [s for s in lines if s and not s.startswith("#")]
    if data_dir is not None:
        for lang, names in (("en", ("newstest2020.ru-en.en", "flores200.devtest.eng_Latn")),
                            ("ru", ("newstest2020.ru-en.ru", "flores200.devtest.rus_Cyrl"))):
            for name in names:
                path = data_dir / "mt" / name
                if path.exists():
                    out[lang] += [s for s in path.read_text(encoding="utf-8").splitlines()
                                  if 40 <= len(s) <= 300 and not any(mixed_tokens(s))]
    return out


def place_names() -> list[tuple[str, str]]:
    """(Cyrillic, expected Latin) for Russian towns, from normkit's gazetteer."""
    from normkit.gazetteer import default_gazetteer

    pairs = {(e.cyrillic, e.latin) for e in default_gazetteer()
             if e.type in ("city", "town") and " " not in e.cyrillic and "-" not in e.cyrillic
             and len(e.cyrillic) >= 5}
    return sorted(pairs)


_WORD_RE = re.compile(r"\b\w+\b")


def _words(sentence: str, script: str, min_len: int) -> list[re.Match[str]]:
    return [m for m in _WORD_RE.finditer(sentence)
            if len(m.group()) >= min_len and script_profile(m.group()) == {script: len(m.group())}]


def _swap(sentence: str, match: re.Match[str], word: str) -> str:
    return sentence[:match.start()] + word + sentence[match.end():]


def _homoglyph(rng: random.Random, word: str, table: dict[str, str]) -> str | None:
    spots = [i for i, c in enumerate(word) if c in table]
    if not spots:
        return None
    chosen = rng.sample(spots, min(len(spots), rng.choice((1, 1, 2))))
    return "".join(table[c] if i in chosen else c for i, c in enumerate(word))


def _half_romanised(rng: random.Random, word: str) -> str:
    cut = rng.randint(2, len(word) - 2)
    if rng.random() < 0.7:  # the tail romanised, as in Кириshi, следственноgo
        return word[:cut] + romanize(word[cut:])
    head = romanize(word[:cut])
    return head[:1].upper() + head[1:] + word[cut:] if word[0].isupper() else head + word[cut:]


def generate(sentences: dict[str, list[str]], names: list[tuple[str, str]], per_class: int,
             seed: int = 0) -> list[Case]:
    rng = random.Random(seed)
    cases: list[Case] = []
    makers: dict[str, Callable[[], Case | None]] = {}

    def homoglyph(lang: str, script: str, table: dict[str, str]) -> Case | None:
        sentence = rng.choice(sentences[lang])
        words = _words(sentence, script, 3)
        if not words:
            return None
        match = rng.choice(words)
        damaged = _homoglyph(rng, match.group(), table)
        return Case(f"homoglyph_{lang}", _swap(sentence, match, damaged), sentence) if damaged else None

    def half_ru() -> Case | None:
        sentence = rng.choice(sentences["ru"])
        words = [m for m in _words(sentence, CYRILLIC, 5) if lexicon.is_known(m.group())]
        if not words:
            return None
        match = rng.choice(words)
        damaged = _half_romanised(rng, match.group())
        if len(script_profile(damaged)) < 2:
            return None
        return Case("half_translit_ru", _swap(sentence, match, damaged), sentence)

    def half_en() -> Case | None:
        cyrillic, latin = rng.choice(names)
        damaged = _half_romanised(rng, cyrillic)
        if len(script_profile(damaged)) < 2:
            return None
        template = rng.choice(_EN_TEMPLATES)
        return Case("half_translit_en", template.format(damaged), template.format(latin))

    def legitimate() -> Case | None:
        lang = rng.choice(("en", "ru"))
        sentence = rng.choice(sentences[lang])
        token = rng.choice(_LEGIT_TOKENS)
        text = f"{sentence} {'Речь шла о' if lang == 'ru' else 'It concerned the'} {token}."
        return Case("legitimate", text, text)

    makers = {
        "homoglyph_ru": lambda: homoglyph("ru", CYRILLIC, _LATIN_FOR_CYRILLIC),
        "homoglyph_en": lambda: homoglyph("en", LATIN, _CYRILLIC_FOR_LATIN),
        "half_translit_ru": half_ru,
        "half_translit_en": half_en,
        "legitimate": legitimate,
    }
    for cls in CLASSES:
        made = 0
        while made < per_class:
            case = makers[cls]()
            if case is not None:
                cases.append(case)
                made += 1
    return cases


# --- systems ---------------------------------------------------------------------------------

def _on_mixed_tokens(text: str, repair: Callable[[str], str]) -> str:
    out, pos = [], 0
    for start, end in mixed_tokens(text):
        out += [text[pos:start], repair(text[start:end])]
        pos = end
    return "".join(out) + text[pos:]


def fold_to_majority(text: str) -> str:
    """Baseline 1: swap look-alikes into the token's majority script; leave other letters."""
    def repair(token: str) -> str:
        profile = script_profile(token)
        majority = max(sorted(profile), key=lambda k: profile[k])
        return "".join(fold(c, majority) or c for c in token)
    return _on_mixed_tokens(text, repair)


def ascii_transliterate(text: str) -> str:
    """Baseline 2: transliterate every mixed token to ASCII with unidecode."""
    return _on_mixed_tokens(text, unidecode)


def normkit_clean(text: str) -> str:
    return normkit.clean(text, names=False).text  # script repair only: eval_names.py scores names


SYSTEMS: dict[str, Callable[[str], str]] = {
    "normkit": normkit_clean, "fold-majority": fold_to_majority, "ascii-unidecode": ascii_transliterate,
}


def score(cases: Iterable[Case], system: Callable[[str], str]) -> tuple[Counter[str], Counter[str], list]:
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    failures = []
    for case in cases:
        total[case.cls] += 1
        got = system(case.damaged)
        if got == case.expected:
            right[case.cls] += 1
        else:
            failures.append((case, got))
    return right, total, failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=os.environ.get("NORMKIT_SHARED_DATA"),
                        help="folder with mt/ test sets (default: $NORMKIT_SHARED_DATA)")
    parser.add_argument("--per-class", type=int, default=300)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--show", type=int, default=0, help="print this many normkit failures")
    args = parser.parse_args(argv)
    data = Path(args.data) if args.data else None
    sentences = load_sentences(data)
    cases = generate(sentences, place_names(), args.per_class, args.seed)
    print(f"sentences: {len(sentences['en'])} en, {len(sentences['ru'])} ru "
          f"({'authored + ' + str(data) if data else 'authored only'}); cases: {len(cases)}")
    results = {name: score(cases, system) for name, system in SYSTEMS.items()}
    print(f"{'class':18}{'n':>6}" + "".join(f"{name:>17}" for name in SYSTEMS))
    for cls in (*CLASSES, "all"):
        cells = []
        for name in SYSTEMS:
            right, total, _ = results[name]
            r = sum(right.values()) if cls == "all" else right[cls]
            t = sum(total.values()) if cls == "all" else total[cls]
            cells.append(f"{100 * r / t:16.1f}%")
        n = sum(results["normkit"][1].values()) if cls == "all" else results["normkit"][1][cls]
        print(f"{cls:18}{n:>6}" + "".join(cells))
    for case, got in results["normkit"][2][:args.show]:
        print(f"\n[{case.cls}]\n  damaged:  {case.damaged}\n  expected: {case.expected}\n  got:      {got}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
