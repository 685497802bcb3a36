"""normkit.translate_many vs argostranslate.translate.translate called per document.

Both use the same package: the architecture of Argos ru→en (Transformer base, 6+6 layers, d_model
512, 8 heads, FFN 2048, 32k vocabulary) with random weights, since no real weights can be
downloaded here. Random weights decode for an arbitrary length, so both sides decode exactly
``--decode-len`` tokens per sentence (min = max decoding length): the work per sentence is then what
a real model does for a sentence of that length.

argostranslate would download a MiniSBD sentence splitter on first use; its sentencizer is replaced by
normkit's rule-based splitter, so both sides translate the same sentences. Everything else on the
argostranslate side is stock: per-document calls, per-paragraph batches of 32 tokens, its default
threads and compute type, beam size 4.

Paragraphs: the first ``--paragraphs`` lines of ``$NORMKIT_SHARED_DATA/mt/newstest2020.ru-en.ru``
when that is set, else Russian paragraphs generated from the authored sentences below.

    python benchmarks/bench_translate.py [--paragraphs 240] [--decode-len 32]
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import zlib
from pathlib import Path

SUBJECTS = ["Губернатор Ленинградской области", "Андрей Бочаров", "Жители города Кириши",
            "Мэрия Волгограда", "Депутаты городской думы", "Строительная компания", "Министр транспорта",
            "Сотрудники местной больницы", "Директор школы номер пять", "Представители профсоюза"]
VERBS = ["обсудили", "объявили о начале", "раскритиковали", "поддержали", "отложили", "завершили",
         "представили журналистам", "сообщили о планах на", "предложили изменить", "утвердили"]
OBJECTS = ["ремонт улицы Лодыгина", "строительство нового моста через Волгу", "проект бюджета на 2024 г.",
           "реконструкцию железнодорожного вокзала", "программу поддержки малого бизнеса",
           "закупку автобусов для пригородных маршрутов", "план развития Тракторозаводского района",
           "открытие детского сада на двести мест", "модернизацию очистных сооружений",
           "запуск новой линии трамвая"]
TAILS = ["в ближайшие месяцы", "несмотря на возражения экспертов", "после долгих переговоров",
         "в рамках национального проекта", "по просьбе местных жителей", "к концу следующего года",
         "т.е. без дополнительного финансирования", "при участии федерального центра"]


MONTHS = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
          "октября", "ноября", "декабря"]


def generated_paragraphs(n: int) -> list[str]:
    """Deterministic Russian news-like paragraphs of one to three sentences, no sentence repeated
    (normkit translates a repeated sentence once, which would flatter it here)."""
    out, seen = [], set()
    for i in range(n):
        sentences = []
        for j in range(1 + i % 3):
            k = i * 7 + j * 3
            sentence = (f"{SUBJECTS[k % 10]} {VERBS[(k // 2) % 10]} {OBJECTS[(k // 3 + j) % 10]} "
                        f"{TAILS[(i + j) % 8]}, сообщила пресс-служба {1 + (k * 5) % 28} {MONTHS[(i + j) % 12]} "
                        f"(сообщение № {100 + 3 * i + j}).")
            assert sentence not in seen
            seen.add(sentence)
            sentences.append(sentence)
        out.append(" ".join(sentences))
    return out


def load_paragraphs(n: int) -> tuple[list[str], str]:
    shared = os.environ.get("NORMKIT_SHARED_DATA")
    path = Path(shared) / "mt" / "newstest2020.ru-en.ru" if shared else None
    if path is not None and path.is_file():
        lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        return lines[:n], str(path)
    return generated_paragraphs(n), "generated Russian paragraphs"


class _FixedLength:
    """The argostranslate side's CTranslate2 translator, decoding exactly ``length`` tokens."""

    def __init__(self, translator: object, length: int) -> None:
        self.translator, self.length = translator, length

    def translate_batch(self, *args: object, **kwargs: object) -> object:
        kwargs.update(min_decoding_length=self.length, max_decoding_length=self.length)
        return self.translator.translate_batch(*args, **kwargs)


class _RuleSentencizer:
    def split_sentences(self, text: str) -> list[str]:
        from normkit.translation.sentences import split_sentences

        return split_sentences(text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--paragraphs", type=int, default=240)
    parser.add_argument("--decode-len", type=int, default=32)
    parser.add_argument("--cache", default=os.path.join(tempfile.gettempdir(), "normkit-bench"))
    args = parser.parse_args()

    paragraphs, origin = load_paragraphs(args.paragraphs)
    cache = Path(args.cache)
    os.environ["ARGOS_PACKAGES_DIR"] = str(cache / "packages")  # before argostranslate is imported
    package_file = cache / f"random-ru_en-{len(paragraphs)}-{zlib.crc32(origin.encode())}.argosmodel"

    from normkit.translation import DecodeOptions, models, translate_many
    from normkit.translation.devmodels import random_package
    from normkit.translation.sentences import split_sentences

    if not package_file.exists():
        t = time.perf_counter()
        print(f"building a random-weight Transformer-base package ({package_file.name}) ...", flush=True)
        random_package(package_file, paragraphs, sp_vocab=4000)
        print(f"  built in {time.perf_counter() - t:.1f} s", flush=True)
    models.install_file(package_file)
    pkg = models.find_route("ru", "en")[0]
    n_sentences = sum(len(split_sentences(p)) for p in paragraphs)
    print(f"{len(paragraphs)} paragraphs, {n_sentences} sentences ({origin}); "
          f"decoding {args.decode_len} tokens per sentence; {os.cpu_count()} cores")

    # argostranslate, one call per document, as users call it.
    import ctranslate2
    from argostranslate import settings
    from argostranslate import translate as argos

    translation = argos.get_translation_from_codes("ru", "en")
    underlying = translation.underlying
    underlying.sentencizer = _RuleSentencizer()
    underlying.translator = _FixedLength(ctranslate2.Translator(
        str(pkg.package_path / "model"), device=settings.device, inter_threads=settings.inter_threads,
        intra_threads=settings.intra_threads, compute_type=settings.compute_type), args.decode_len)
    argos.translate(paragraphs[0], "ru", "en")  # warm-up: load the model
    t = time.perf_counter()
    baseline = [argos.translate(p, "ru", "en") for p in paragraphs]
    t_argos = time.perf_counter() - t

    options = DecodeOptions(min_decoding_length=args.decode_len, max_decoding_length=args.decode_len)
    list(translate_many(paragraphs[:1], "en", clean=False, protect_names=False, options=options))  # warm-up
    t = time.perf_counter()
    results = list(translate_many(paragraphs, "en", clean=False, protect_names=False, options=options))
    t_ours = time.perf_counter() - t
    ours = [r.text for r in results]

    print(f"argostranslate.translate per document: {t_argos:7.2f} s  {len(paragraphs) / t_argos:7.2f} paragraphs/s  "
          f"{n_sentences / t_argos:7.2f} sentences/s")
    print(f"normkit.translate_many:                {t_ours:7.2f} s  {len(paragraphs) / t_ours:7.2f} paragraphs/s  "
          f"{n_sentences / t_ours:7.2f} sentences/s")
    print(f"speed-up: {t_argos / t_ours:.2f}x (target >= 3x)")
    same = sum(a == b for a, b in zip(baseline, ours))
    print(f"identical outputs: {same}/{len(paragraphs)} paragraphs")
    passed = [(src, a) for a, b, src, r in zip(baseline, ours, paragraphs, results)
              if a != b and b == src and all(lang in ("en", "und") for *_s, lang in r.paragraphs)]
    if passed:
        print(f"  {len(passed)} differ because normkit detected them as English (the target) and passed "
              f"them through, while argostranslate translates everything as Russian, e.g. {passed[0][0]!r}")
    other = [(src, a, b) for a, b, src in zip(baseline, ours, paragraphs) if a != b and b != src]
    for src, a, b in other[:1]:
        at = next(i for i, (x, y) in enumerate(zip(a + "\0", b + "\0")) if x != y)
        lo = max(0, at - 60)
        print(f"  {len(other)} differ otherwise; the first, from character {at}:\n  argos:   …{a[lo:at + 60]}\n"
              f"  normkit: …{b[lo:at + 60]}\n  (int8 kernels may round a sentence differently inside a large "
              "batch than alone, moving a near-tie in beam search; random weights make near-ties common)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
