"""A user's script written against normkit's public API, checked with ``mypy --strict``
(tests/test_typing.py): the API must type-check as a user calls it, with nothing inferred as Any."""
from __future__ import annotations

from pathlib import Path

import normkit
from normkit import CleanResult, Config, Edit, Finding, Normalizer, NormkitError, TranslationResult


def repaired_spans(text: str) -> list[tuple[int, int, str]]:
    result: CleanResult = normkit.clean(text, lang="en", min_confidence=0.6, names=True)
    edits: list[Edit] = list(result.edits)
    start, end = result.output_span(0, len(text))
    return [(e.start, e.end, e.after) for e in edits] + [(start, end, result.text)]


def clean_all(texts: list[str], glossary: Path) -> list[str]:
    normalizer: Normalizer = normkit.load(Config(target_script="latin", glossaries=(str(glossary),)))
    return [normalizer.clean(text).text for text in texts]


def suspicious(text: str) -> list[str]:
    findings: list[Finding] = normkit.detect(text, target_script="cyrillic")
    return [f"{f.token}->{f.suggestion}" for f in findings]


def romanised(word: str) -> tuple[str, list[str]]:
    return normkit.transliterate(word), normkit.transliterate(word, reverse=True)


def to_english(text: str) -> str:
    try:
        result: TranslationResult = normkit.translate(text, target="en", source="ru")
    except NormkitError as exc:  # no model installed: a one-line reason
        return str(exc)
    names = [p.text for p in result.protected]
    return f"{result.text} ({result.source_lang}; {', '.join(names)}; {len(result.warnings)} warnings)"


def to_german(texts: list[str]) -> list[str]:
    return [r.text for r in normkit.translate_many(texts, "de", clean=False)]
