"""Generated evaluation of mixed-script repair: damage real sentences, score exact repairs.

    python benchmarks/eval_mixed_script.py [--data DIR] [--per-class 300] [--seed 0] [--show 5]

Sentences: the authored ones in benchmarks/data/, plus, with ``--data`` or NORMKIT_SHARED_DATA, the
news test sets in DIR/mt (data a user brings; nothing derived from them is written anywhere).
Each case damages one word of one sentence in one class; a repair counts only if the whole cleaned
sentence equals the original (or, for a Russian name in English text, its BGN/PCGN spelling: without
the gazetteer, clean(names=False) cannot know the preferred form). A fifth of the sentences and names
(by a hash of their text) are held out: cases built from them are scored apart, as a check that the
tuning on the rest did not overfit. Two naive baselines run on the same cases: folding look-alikes
to the token's majority script, and transliterating mixed tokens to ASCII (unidecode).

With --real, every script edit clean() makes on the WMT/FLORES files and the real_news articles is
listed as a genuine slip or a harm: in real_news the annotations mark the genuine mixed tokens, and
any other edit is a harm; in the test sets an edit is genuine when it turns a mixed token into words
the lexicons know (English, a known place, a Russian word), else it is listed as a harm to review.
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
from normkit.lexicon import Lexicon
from normkit.scripts import CYRILLIC, LATIN, fold, mixed_tokens, script_profile
from normkit.transliteration import romanize

_LEXICON = Lexicon()  # pymorphy3 and the word lists, without a gazetteer's names

HERE = Path(__file__).resolve().parent
CLASSES = ("homoglyph_ru", "homoglyph_en", "half_translit_ru", "half_translit_en", "soft_sign_ru",
           "unknown_name_ru", "lookalike_place_en", "lone_letter_ru", "yo_ru", "glued", "other_cyrillic",
           "legitimate")
_HOLD_OUT = 5  # one item in five is held out
_GIVE_UP = 5_000  # failed attempts in a row before a class stops short
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
    held_out: bool = False
    also: tuple[str, ...] = ()  # other outputs that count as right


def held_out(item: str) -> bool:
    """Is this sentence or name in the hold-out fifth? (A stable hash: the same split every run.)"""
    import hashlib

    return hashlib.sha1(item.encode("utf-8")).digest()[0] % _HOLD_OUT == 0


def load_sentences(data_dir: Path | None) -> dict[str, list[str]]:
    """Sentences per language: the authored ones, plus the news test sets when a data dir is given."""
    out: dict[str, list[str]] = {}
    for lang in ("en", "ru", "uk"):
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


def _yo_free(sentence: str, match: re.Match[str], damaged: str) -> tuple[str, ...]:
    """A word whose ё the romanised part lost (болтовнёй -> болтоvney) may come back with е: ё is
    optional in Russian, and normkit writes it only where the text does elsewhere."""
    word = match.group()
    if "ё" not in word or "ё" in damaged:
        return ()
    return (_swap(sentence, match, word.replace("ё", "е")),)


_RU_NAME_TEMPLATES = (
    "По сообщению агентства, {} стал местом встречи делегаций.",
    "Корреспондент побывал там, где {} принимает беженцев.",
    "Как сообщается, {} остаётся без электричества третий день.",
    "Местные власти заявили, что {} получит новые автобусы.",
)


def unknown_place_names() -> list[str]:
    """Russian names of places outside Russia that pymorphy3 does not know (Бахмут, Лерик)."""
    from normkit._paths import glossaries_dir
    from normkit.gazetteer import read_glossary

    out = set()
    for e in read_glossary(glossaries_dir() / "geonames_neighbours.tsv"):
        if (e.type != "region" and len(e.cyrillic) >= 5 and re.fullmatch("[А-ЯЁ][а-яё]+", e.cyrillic)
                and not lexicon.in_dictionary(e.cyrillic)):
            out.add(e.cyrillic)
    return sorted(out)


def latin_place_names() -> list[str]:
    """One-word Latin place names: Russia's towns, its neighbours' places, other countries."""
    from normkit._paths import glossaries_dir
    from normkit.gazetteer import read_glossary

    out = {e.latin for name in ("geonames_ru.tsv", "geonames_neighbours.tsv")
           for e in read_glossary(glossaries_dir() / name)
           if e.type in ("city", "region") and re.fullmatch("[A-Z][a-z]{4,}", e.latin)}
    return sorted(out)


def russian_surnames() -> list[str]:
    """Surnames from the shipped lexicon, rare ones included (Гаврюс)."""
    from normkit.gazetteer import name_lexicon

    return sorted({e.cyrillic for e in name_lexicon() if e.type == "surname"
                   and re.fullmatch("[А-ЯЁ][а-яё]{3,}", e.cyrillic)})


def generate(sentences: dict[str, list[str]], names: list[tuple[str, str]], per_class: int,
             seed: int = 0) -> list[Case]:
    rng = random.Random(seed)
    unknown_names = unknown_place_names()
    latin_places = latin_place_names()
    russian_names = russian_surnames()
    cases: list[Case] = []
    makers: dict[str, Callable[[], Case | None]] = {}

    def homoglyph(lang: str, script: str, table: dict[str, str]) -> Case | None:
        sentence = rng.choice(sentences[lang])
        words = _words(sentence, script, 3)
        if not words:
            return None
        match = rng.choice(words)
        damaged = _homoglyph(rng, match.group(), table)
        return Case(f"homoglyph_{lang}", _swap(sentence, match, damaged), sentence,
                    held_out(sentence)) if damaged else None

    def half_ru() -> Case | None:
        sentence = rng.choice(sentences["ru"])
        words = [m for m in _words(sentence, CYRILLIC, 5) if _LEXICON.is_known(m.group())]
        if not words:
            return None
        match = rng.choice(words)
        damaged = _half_romanised(rng, match.group())
        if len(script_profile(damaged)) < 2:
            return None
        return Case("half_translit_ru", _swap(sentence, match, damaged), sentence, held_out(sentence),
                    _yo_free(sentence, match, damaged))

    def half_en() -> Case | None:
        cyrillic, latin = rng.choice(names)
        damaged = _half_romanised(rng, cyrillic)
        if len(script_profile(damaged)) < 2:
            return None
        template = rng.choice(_EN_TEMPLATES)
        bgn = romanize(cyrillic).replace("·", "")
        return Case("half_translit_en", template.format(damaged), template.format(latin), held_out(cyrillic),
                    (template.format(bgn),))

    def legitimate() -> Case | None:
        lang = rng.choice(("en", "ru"))
        sentence = rng.choice(sentences[lang])
        token = rng.choice(_LEGIT_TOKENS)
        text = f"{sentence} {'Речь шла о' if lang == 'ru' else 'It concerned the'} {token}."
        return Case("legitimate", text, text, held_out(text))

    def soft_sign() -> Case | None:  # учитеl: the romanised tail dropped BGN's ’ for ь
        sentence = rng.choice(sentences["ru"])
        words = [m for m in _words(sentence, CYRILLIC, 5) if re.search("[ьъ]", m.group()[2:])
                 and _LEXICON.is_known(m.group())]
        if not words:
            return None
        match = rng.choice(words)
        word = match.group()
        cut = rng.randint(2, max(2, min(re.search("[ьъ]", word[2:]).start() + 2, len(word) - 2)))
        tail = re.sub("[’”ʹʺ'·]", "", romanize(word[cut:]))
        if not tail:
            return None
        # брать written brat is also брат: where dropping the sign leaves another word, either counts
        plain = re.sub("[ьъ]", "", word[cut:])
        also = (_swap(sentence, match, word[:cut] + plain),) if _LEXICON.is_known(word[:cut] + plain) else ()
        return Case("soft_sign_ru", _swap(sentence, match, word[:cut] + tail), sentence, held_out(sentence), also)

    def unknown_name() -> Case | None:  # Бахмуt: a name no dictionary knows, half romanised
        name = rng.choice(unknown_names)
        template = rng.choice(_RU_NAME_TEMPLATES)
        damaged = _half_romanised(rng, name)
        if len(script_profile(damaged)) < 2:
            return None
        return Case("unknown_name_ru", template.format(damaged), template.format(name), held_out(name))

    def lookalike_place() -> Case | None:  # Вelgorod, Нelsinki: a look-alike reading that is a known place
        name = rng.choice(latin_places)
        spots = [i for i, c in enumerate(name) if c in _CYRILLIC_FOR_LATIN]
        if not spots:
            return None
        i = spots[0] if rng.random() < 0.6 else rng.choice(spots)
        damaged = name[:i] + _CYRILLIC_FOR_LATIN[name[i]] + name[i + 1:]
        template = rng.choice(_EN_TEMPLATES)
        return Case("lookalike_place_en", template.format(damaged), template.format(name), held_out(name))

    def lone_letter() -> Case | None:  # Гаврюc: one Latin look-alike in a Russian word or rare name
        if rng.random() < 0.5:
            sentence = rng.choice(sentences["ru"])
            words = _words(sentence, CYRILLIC, 4)
            if not words:
                return None
            match = rng.choice(words)
            word, make = match.group(), (lambda w: _swap(sentence, match, w))
            key, expected = sentence, sentence
        else:
            word = rng.choice(russian_names)
            template = rng.choice(_RU_NAME_TEMPLATES)
            make, key, expected = template.format, word, template.format(word)
        spots = [i for i, c in enumerate(word) if c in _LATIN_FOR_CYRILLIC]
        if not spots:
            return None
        i = rng.choice(spots)
        damaged = word[:i] + _LATIN_FOR_CYRILLIC[word[i]] + word[i + 1:]
        return Case("lone_letter_ru", make(damaged), expected, held_out(key))

    def yo() -> Case | None:  # решеnnykh in text that writes е: the repair writes е too
        sentence = rng.choice([s for s in sentences["ru"] if "ё" not in s.lower()] or [""])
        words = [m for m in _words(sentence, CYRILLIC, 5) if "ё" in _LEXICON.spelling(m.group().lower())]
        if not words:
            return None
        match = rng.choice(words)
        word = match.group()
        cut = rng.randint(2, len(word) - 2)
        damaged = word[:cut] + romanize(word[cut:])
        if len(script_profile(damaged)) < 2:
            return None
        return Case("yo_ru", _swap(sentence, match, damaged), sentence, held_out(sentence))

    def glued() -> Case | None:  # ВоронежVoronezh, версияEnglish: two words, no space
        if rng.random() < 0.5:
            cyrillic, latin = rng.choice(names)
            template = rng.choice(_EN_TEMPLATES)
            return Case("glued", template.format(f"{cyrillic}{latin}"), template.format(f"{cyrillic} {latin}"),
                        held_out(cyrillic))
        ru, en = rng.choice(sentences["ru"]), rng.choice(sentences["en"])
        ru = ru.rstrip(".!?…»\"")
        if not ru or not ru[-1].isalpha() or not ru[-1].islower() or not en[:1].isupper():
            return None
        last = ru.split()[-1]
        first = en.split()[0]
        if not (_LEXICON.is_known(last) and first.isalpha() and len(first) >= 2 and first[1:].islower()):
            return None
        return Case("glued", f"{ru}{en}", f"{ru} {en}", held_out(ru + en))

    def other_cyrillic() -> Case | None:  # Харкiв in Ukrainian text: Latin i stands for і
        sentence = rng.choice(sentences["uk"])
        words = [m for m in re.finditer(r"\w+", sentence) if "і" in m.group() and len(m.group()) >= 3]
        if not words:
            return None
        match = rng.choice(words)
        damaged = match.group().replace("і", "i", 1)
        return Case("other_cyrillic", _swap(sentence, match, damaged), sentence, held_out(sentence))

    makers = {
        "homoglyph_ru": lambda: homoglyph("ru", CYRILLIC, _LATIN_FOR_CYRILLIC),
        "homoglyph_en": lambda: homoglyph("en", LATIN, _CYRILLIC_FOR_LATIN),
        "half_translit_ru": half_ru,
        "half_translit_en": half_en,
        "soft_sign_ru": soft_sign,
        "unknown_name_ru": unknown_name,
        "lookalike_place_en": lookalike_place,
        "lone_letter_ru": lone_letter,
        "yo_ru": yo,
        "glued": glued,
        "other_cyrillic": other_cyrillic,
        "legitimate": legitimate,
    }
    for cls in CLASSES:
        made = misses = 0
        while made < per_class:
            case = makers[cls]()
            if case is not None:
                cases.append(case)
                made, misses = made + 1, 0
            else:
                misses += 1
                if misses > _GIVE_UP:  # the sentences hold nothing this class can damage
                    print(f"warning: {cls}: only {made} cases from these sentences", file=sys.stderr)
                    break
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
        if got == case.expected or got in case.also:
            right[case.cls] += 1
        else:
            failures.append((case, got))
    return right, total, failures


def _table(title: str, cases: list[Case]) -> None:
    results = {name: score(cases, system) for name, system in SYSTEMS.items()}
    print(f"\n{title}: {len(cases)} cases")
    print(f"{'class':20}{'n':>6}" + "".join(f"{name:>17}" for name in SYSTEMS))
    for cls in (*CLASSES, "all"):
        cells = []
        for name in SYSTEMS:
            right, total, _ = results[name]
            r = sum(right.values()) if cls == "all" else right[cls]
            t = sum(total.values()) if cls == "all" else total[cls]
            cells.append(f"{100 * r / t:16.1f}%" if t else f"{'-':>17}")
        n = sum(results["normkit"][1].values()) if cls == "all" else results["normkit"][1][cls]
        print(f"{cls:20}{n:>6}" + "".join(cells))


def real_text_check(data: Path) -> tuple[int, int]:
    """Every script edit clean() makes on the real files, each listed as a genuine slip or a harm."""
    import json

    from normkit.scripts import runs

    genuine = harm = 0

    def verdict(ok: bool, where: str, edit: normkit.Edit) -> None:
        nonlocal genuine, harm
        genuine, harm = genuine + ok, harm + (not ok)
        print(f"  {'genuine' if ok else 'HARM   '}  {where}: {edit.before!r} -> {edit.after!r} ({edit.kind}, {edit.confidence})")

    print("\nreal text: every script edit (names=False)")
    articles = data / "real_news" / "articles.jsonl"
    if articles.is_file():
        mentions = {}
        for line in (data / "real_news" / "annotations.jsonl").read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            mentions[row["id"]] = row["mentions"]
        for line in articles.read_text(encoding="utf-8").splitlines():
            article = json.loads(line)
            text = article["text"]
            for edit in normkit.clean(text, names=False).edits:
                # the annotations mark the mixed tokens; a token glued across scripts may be split
                marked = [m for m in mentions.get(article["id"], ())
                          if m["start"] < edit.end and edit.start < m["end"] and len(script_profile(m["text"])) > 1]
                ok = any(edit.after in m["accepted"] or edit.after.split() == [p for _, p in runs(m["text"])]
                         for m in marked)
                verdict(ok, article["id"], edit)
    for name in ("newstest2019.ru-en.en", "newstest2019.ru-en.ru", "newstest2020.ru-en.en",
                 "newstest2020.ru-en.ru", "flores200.devtest.eng_Latn", "flores200.devtest.rus_Cyrl"):
        path = data / "mt" / name
        if not path.is_file():
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for edit in normkit.clean(line, names=False).edits:
                verdict(all(_known_word(w) for w in re.findall(r"\w+", edit.after)), f"{name}:{number}", edit)
    print(f"  {genuine} genuine slips repaired, {harm} harmful edits")
    return genuine, harm


def _known_word(word: str) -> bool:
    if len(script_profile(word)) > 1:
        return False
    return (lexicon.is_english(word) or lexicon.is_latin_place_word(word) or _LEXICON.is_known(word)
            or word.isupper())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=os.environ.get("NORMKIT_SHARED_DATA"),
                        help="folder with mt/ test sets (default: $NORMKIT_SHARED_DATA)")
    parser.add_argument("--per-class", type=int, default=300)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--show", type=int, default=0, help="print this many normkit failures")
    parser.add_argument("--real", action="store_true", help="list every script edit on the real files")
    args = parser.parse_args(argv)
    data = Path(args.data) if args.data else None
    sentences = load_sentences(data)
    cases = generate(sentences, place_names(), args.per_class, args.seed)
    print(f"sentences: {len(sentences['en'])} en, {len(sentences['ru'])} ru, {len(sentences['uk'])} uk "
          f"({'authored + ' + str(data) if data else 'authored only'}); cases: {len(cases)}")
    _table("development (four fifths of the sentences and names)", [c for c in cases if not c.held_out])
    _table("hold-out (the other fifth)", [c for c in cases if c.held_out])
    _table("all", cases)
    for case, got in score(cases, normkit_clean)[2][:args.show]:
        print(f"\n[{case.cls}]\n  damaged:  {case.damaged}\n  expected: {case.expected}\n  got:      {got}")
    if args.real and data is not None:
        real_text_check(data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
