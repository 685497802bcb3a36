"""clean() on one very long line, and on adversarial input, beside ordinary text of the same size.

    python benchmarks/bench_long_lines.py [--data DIR] [--mb 100]

Text: news sentences (DIR/mt or the authored ones) with about one damaged token per 1,000 words,
joined with newlines ("lines") and the same text with every newline a space
("one line"). Prints the time of clean(text, names=False) on each, their ratio, and the peak memory
clean() allocates on the one line (tracemalloc, a separate run). Then the adversarial inputs of
issue 10 beside ordinary text of the same size: 20,000 and 100,000 alternating аa characters, text
with its spaces removed, and 20,000 short mixed tokens on one line.
"""
from __future__ import annotations

import argparse
import os
import random
import sys
import time
import tracemalloc
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import normkit  # noqa: E402
from eval_mixed_script import (_CYRILLIC_FOR_LATIN, _LATIN_FOR_CYRILLIC, _half_romanised,  # noqa: E402
                               _homoglyph, load_sentences)
from normkit.transliteration import romanize  # noqa: E402


def paragraphs(lang: str, sentences: list[str], megabytes: float, seed: int) -> list[str]:
    """Paragraphs of 20 sentences drawn at random (with replacement: 100 MB needs repeats), about
    one damaged token per 1,000 words."""
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


def timed(text: str) -> float:
    start = time.perf_counter()
    normkit.clean(text, names=False)
    return time.perf_counter() - start


def ordinary(sentences: dict[str, list[str]], chars: int) -> str:
    text = "".join(paragraphs("en", sentences["en"], chars / 2e6 + 0.01, 5)
                   + paragraphs("ru", sentences["ru"], chars / 4e6 + 0.01, 6))
    return (text * (chars // max(1, len(text)) + 1))[:chars]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=os.environ.get("NORMKIT_SHARED_DATA"))
    parser.add_argument("--mb", type=float, default=100.0, help="megabytes (UTF-8) of the long line")
    args = parser.parse_args(argv)
    sentences = load_sentences(Path(args.data) if args.data else None)
    normkit.clean("warm up: Кириshi, Москвa, учитеl, Вelgorod", names=False)

    text = "".join(paragraphs("en", sentences["en"], args.mb / 2, 1) + paragraphs("ru", sentences["ru"], args.mb / 2, 2))
    one_line = text.replace("\n", " ")
    mb = len(text.encode("utf-8")) / 1e6
    lines_s, line_s = timed(text), timed(one_line)
    print(f"{mb:.1f} MB: with newlines {lines_s:.2f} s, one line {line_s:.2f} s, ratio {line_s / lines_s:.2f}")
    tracemalloc.start()
    normkit.clean(one_line, names=False)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"peak memory clean() allocates on the one line: {peak / 1e6:.0f} MB "
          f"(the input string itself: {sys.getsizeof(one_line) / 1e6:.0f} MB)")
    del text, one_line

    rng = random.Random(0)
    words = [w for w in " ".join(sentences["ru"]).split() if w.isalpha() and len(w) >= 5]
    tokens = []
    for _ in range(20_000):
        word = rng.choice(words)
        cut = rng.randint(2, len(word) - 2)
        tokens.append(word[:cut] + romanize(word[cut:]))
    no_spaces = ordinary(sentences, 4_300_000).replace(" ", "")
    cases = {
        "20,000 alternating аa": "аa" * 10_000,
        "100,000 alternating аa": "аa" * 50_000,
        "text without spaces": no_spaces,
        "20,000 short mixed tokens": " ".join(tokens),
        "20,000 copies of one mixed token": " ".join(["Москвa"] * 20_000),
    }
    print(f"\n{'input':34}{'chars':>10}{'time s':>9}{'ordinary s':>12}{'ratio':>8}")
    for name, adversarial in cases.items():
        theirs = timed(adversarial)
        ours = min(timed(ordinary(sentences, len(adversarial))) for _ in range(2))
        print(f"{name:34}{len(adversarial):>10}{theirs:9.3f}{ours:12.3f}{theirs / ours:8.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
