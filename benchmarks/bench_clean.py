"""Throughput of normkit.clean() beside ftfy.fix_text on the same text, one core.

    python benchmarks/bench_clean.py [--data DIR] [--mb 4] [--repeat 3]

Text: English and Russian news sentences (DIR/mt test sets when given or NORMKIT_SHARED_DATA is
set, else the authored sentences in benchmarks/data), repeated to --mb megabytes per language,
with about one damaged token per 1,000 words, cleaned in paragraphs of ~20 sentences as a
pipeline would feed them. "names" is English news where every sentence carries capitalised
Russian place and person names; "names-varied" draws them from the whole gazetteer, thousands of
distinct names, one in 20 misromanised (the names stage's worst case: its caches help little). Prints MB/s (UTF-8 bytes of input
per second) for each and the ratio normkit / ftfy.
"""
from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path
from typing import Callable

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import ftfy  # noqa: E402

import normkit  # noqa: E402
from eval_mixed_script import _CYRILLIC_FOR_LATIN, _LATIN_FOR_CYRILLIC, _half_romanised, _homoglyph, load_sentences  # noqa: E402

_NAME_SENTENCES = (
    "Governor Andrei Bocharov of Volgograd Region met Sergei Sobyanin in Moscow on Monday.",
    "Drones were shot down over Kirishi and the Traktorozavodskiy district of Volgograd.",
    "Ramzan Kadyrov said that Grozny and Gudermes would receive new hospitals next year.",
    "Officials in Yekaterinburg, Novosibirsk and Krasnoyarsk reported heavy snowfall.",
    "The delegation from Saint Petersburg travelled to Murmansk, Arkhangelsk and Vologda.",
    "Alexander Drozdenko visited the Glazhevo village area in Leningrad Region.",
)


_NAME_TEMPLATES = (
    "Officials in {} said the drones were intercepted over {} overnight.",
    "Governor {} visited {} and {} on Monday, the regional press service said.",
    "The train from {} to {} arrived four hours late because of the snow.",
    "Residents of {} and the {} village area reported power cuts, {} told reporters.",
)


def varied_name_paragraphs(megabytes: float, seed: int) -> list[str]:
    """English sentences naming places and people drawn at random from the whole gazetteer
    (thousands of distinct names, so caches help little); about one name in 20 misromanised."""
    from eval_names import variants

    from normkit.gazetteer import default_gazetteer

    rng = random.Random(seed)
    entries = sorted((e for e in default_gazetteer().memory_entries()
                      if e.type in ("city", "town", "village", "person") and " " not in e.cyrillic.strip()
                      or e.type == "person"), key=lambda e: e.id)
    out, size = [], 0
    while size < megabytes * 1e6:
        chunk = []
        for _ in range(20):
            template = rng.choice(_NAME_TEMPLATES)
            names = []
            for _ in range(template.count("{}")):
                entry = rng.choice(entries)
                name = entry.latin
                if rng.random() < 0.05 and entry.type != "person":
                    name = rng.choice(variants(entry.cyrillic, rng) or [name])
                names.append(name)
            chunk.append(template.format(*names))
        paragraph = " ".join(chunk) + "\n\n"
        out.append(paragraph)
        size += len(paragraph.encode("utf-8"))
    return out


def paragraphs(lang: str, sentences: list[str], megabytes: float, seed: int) -> list[str]:
    rng = random.Random(seed)
    table = _LATIN_FOR_CYRILLIC if lang == "ru" else _CYRILLIC_FOR_LATIN
    out, size, words = [], 0, 0
    while size < megabytes * 1e6:
        chunk = []
        for _ in range(20):
            sentence = rng.choice(sentences)
            words += sentence.count(" ") + 1
            if words >= 1000:  # one damaged token per ~1,000 words
                words = 0
                tokens = sentence.split(" ")
                i = rng.randrange(len(tokens))
                if len(tokens[i]) >= 5 and tokens[i].isalpha():
                    damaged = _half_romanised(rng, tokens[i]) if lang == "ru" else _homoglyph(rng, tokens[i], table)
                    tokens[i] = damaged or tokens[i]
                sentence = " ".join(tokens)
            chunk.append(sentence)
        paragraph = " ".join(chunk) + "\n\n"
        out.append(paragraph)
        size += len(paragraph.encode("utf-8"))
    return out


def throughput(fn: Callable[[str], object], paras: list[str], repeat: int) -> float:
    size = sum(len(p.encode("utf-8")) for p in paras)
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for p in paras:
            fn(p)
        best = min(best, time.perf_counter() - start)
    return size / 1e6 / best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=os.environ.get("NORMKIT_SHARED_DATA"))
    parser.add_argument("--mb", type=float, default=4.0, help="megabytes of text per language")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    try:  # one core, as the target says
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    except (AttributeError, OSError):
        pass
    sentences = load_sentences(Path(args.data) if args.data else None)
    corpora = {
        "en": paragraphs("en", sentences["en"], args.mb, 1),
        "ru": paragraphs("ru", sentences["ru"], args.mb, 2),
        "names": paragraphs("en", list(_NAME_SENTENCES) + sentences["en"][:20], args.mb, 3),
        "names-varied": varied_name_paragraphs(args.mb, 4),
    }
    normkit.clean("warm up: Кириshi, Москвa, Governor Boharev")  # lexicon and gazetteer load once
    print("MB/s of input; 'scripts' is clean(names=False), 'full' the default clean() with names")
    print(f"{'text':13}{'MB':>6}{'scripts':>10}{'full':>8}{'ftfy':>8}{'scripts/ftfy':>14}{'full/ftfy':>11}")
    for name, paras in corpora.items():
        mb = sum(len(p.encode("utf-8")) for p in paras) / 1e6
        scripts = throughput(lambda p: normkit.clean(p, names=False), paras, args.repeat)
        full = throughput(normkit.clean, paras, args.repeat)
        theirs = throughput(ftfy.fix_text, paras, 1)
        print(f"{name:13}{mb:6.1f}{scripts:10.1f}{full:8.1f}{theirs:8.1f}{scripts / theirs:13.1f}x{full / theirs:10.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
