"""Batched CTranslate2 + SentencePiece over an installed Argos package.

argostranslate translates paragraph by paragraph in batches of 32 tokens; here every sentence of a
group of documents goes to CTranslate2 in a few large calls (sorted by length inside CTranslate2),
with int8 weights, one thread per core, and each model loaded once per process. Tokenising and
detokenising go through the package's own tokenizer object, so outputs match argostranslate's.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Sequence

from .errors import ModelLoadError

if TYPE_CHECKING:
    import ctranslate2
    from argostranslate.package import Package

Progress = Callable[[int], None]  # called with the number of sentences just translated


@dataclass(frozen=True)
class DecodeOptions:
    """How CTranslate2 runs. ``None`` means argostranslate's setting (beam size 4 by default)."""

    beam_size: int | None = None
    max_batch_size: int = 32          # examples per CTranslate2 batch
    chunk_sentences: int = 1024       # sentences per translate_batch call (progress granularity)
    compute_type: str = "int8"
    threads: int = 0                  # 0: one per core
    min_decoding_length: int | None = None
    max_decoding_length: int | None = None


@dataclass(frozen=True)
class Output:
    text: str
    leading_space: bool  # the first piece began a word: joins to the previous sentence with a space


_translators: dict[tuple[str, str, int], "ctranslate2.Translator"] = {}


def forget_translators() -> None:
    """Drop loaded models (after a package was installed or replaced)."""
    _translators.clear()


def _compute_type(requested: str, device: str) -> str:
    import ctranslate2

    return requested if requested in ctranslate2.get_supported_compute_types(device) else "auto"


def load_failure(folder: Path) -> str | None:
    """Why the package in ``folder`` does not load (its CTranslate2 model, its SentencePiece model),
    or None when both load. Used at install time, before the package replaces anything."""
    import ctranslate2

    try:
        ctranslate2.Translator(str(folder / "model"), device="cpu", inter_threads=1, intra_threads=1)
    except Exception as exc:  # noqa: BLE001 - CTranslate2 reports bad files as IndexError, RuntimeError...
        return _first_line(exc)
    sp_model = folder / "sentencepiece.model"
    if sp_model.is_file():
        import sentencepiece

        try:
            sentencepiece.SentencePieceProcessor(model_file=str(sp_model))
        except Exception as exc:  # noqa: BLE001 - any failure to parse the file
            return f"sentencepiece.model: {_first_line(exc)}"
    return None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:200]


def _load_error(pkg: "Package", exc: BaseException) -> ModelLoadError:
    return ModelLoadError(f"the {pkg.from_code} → {pkg.to_code} model in {pkg.package_path} does not load "
                          f"({_first_line(exc)}); reinstall it: normkit models install PATH.argosmodel")


def translator_for(pkg: "Package", options: DecodeOptions) -> "ctranslate2.Translator":
    import ctranslate2
    from argostranslate import settings

    threads = options.threads or os.cpu_count() or 1
    key = (str(pkg.package_path), options.compute_type, threads)
    if key not in _translators:
        try:
            _translators[key] = ctranslate2.Translator(
                str(pkg.package_path / "model"), device=settings.device, inter_threads=1,
                intra_threads=threads, compute_type=_compute_type(options.compute_type, settings.device))
        except Exception as exc:  # noqa: BLE001 - CTranslate2 reports bad files as IndexError, RuntimeError...
            raise _load_error(pkg, exc) from None
    return _translators[key]


def translate_sentences(pkg: "Package", sentences: Sequence[str], options: DecodeOptions = DecodeOptions(),
                        progress: Progress | None = None) -> list[Output]:
    """Translate sentences with one package; identical sentences are translated once."""
    from argostranslate import settings

    unique = list(dict.fromkeys(sentences))
    try:
        tokenized = [pkg.tokenizer.encode(s) for s in unique]
    except Exception as exc:  # noqa: BLE001 - a damaged SentencePiece model fails in many ways
        raise _load_error(pkg, exc) from None
    translator = translator_for(pkg, options)
    prefix = pkg.target_prefix or ""
    extra: dict[str, Any] = {}
    if options.min_decoding_length is not None:
        extra["min_decoding_length"] = options.min_decoding_length
    if options.max_decoding_length is not None:
        extra["max_decoding_length"] = options.max_decoding_length
    results: list[Output] = []
    step = max(1, options.chunk_sentences)
    for i in range(0, len(tokenized), step):
        chunk = tokenized[i:i + step]
        batch = translator.translate_batch(
            chunk, target_prefix=[[prefix]] * len(chunk) if prefix else None,
            # The same decoding settings argostranslate uses, so outputs agree with it.
            beam_size=options.beam_size or settings.beam_size, num_hypotheses=1, length_penalty=0.2,
            replace_unknowns=True, max_batch_size=options.max_batch_size, batch_type="examples", **extra)
        results.extend(_decode(pkg, r.hypotheses[0], prefix) for r in batch)
        if progress is not None:
            progress(len(chunk))
    if progress is not None and len(sentences) > len(unique):
        progress(len(sentences) - len(unique))  # repeats cost nothing but count as done
    by_text = dict(zip(unique, results))
    return [by_text[s] for s in sentences]


def _decode(pkg: "Package", tokens: list[str], prefix: str) -> Output:
    if prefix and tokens[:1] == [prefix]:
        tokens = tokens[1:]
    leading = bool(tokens) and tokens[0].startswith("▁")
    text = pkg.tokenizer.decode(tokens)
    if prefix and text.startswith(prefix):
        text = text[len(prefix):]
    if text.startswith(" "):  # argostranslate strips the tokenizer's leading space the same way
        text = text[1:]
    return Output(text, leading)
