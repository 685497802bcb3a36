"""The work behind the endpoints, run in the batchers' worker threads.

:func:`translate_jobs` sends the texts of many requests through one ``normkit.translate_many``
call per (source, target) and hands each request what it would have got alone; the rest (cleaning,
language detection, the language list) are plain functions over normkit's public API.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Collection, Sequence, TypeVar

from normkit.errors import NormkitError
from normkit.langid import UNDETERMINED, detect_language, paragraph_spans
from normkit.translation import TranslationResult, translate_many
from normkit.translation import models

if TYPE_CHECKING:
    from argostranslate.package import Package

T = TypeVar("T")


@dataclass(frozen=True)
class TranslateJob:
    """The texts of one request (a q array, or the text pieces of an HTML document)."""

    texts: tuple[str, ...]
    target: str
    source: str  # a language code or "auto"

    @property
    def size(self) -> int:
        return sum(len(t) for t in self.texts)


def translate_jobs(jobs: list[TranslateJob], *, clean: bool) -> list[list[TranslationResult] | Exception]:
    """Each job's results (or the error it alone would raise), its texts batched with the others'."""
    outcomes: list[list[TranslationResult] | Exception | None] = [None] * len(jobs)
    groups: dict[tuple[str, str], list[int]] = {}
    for i, job in enumerate(jobs):
        groups.setdefault((job.source, job.target), []).append(i)
    packages: list[Package] | None = None
    for (source, target), members in groups.items():
        texts = [t for i in members for t in jobs[i].texts]
        try:
            results = list(translate_many(texts, target, source, clean=clean))
        except Exception as exc:
            if len(members) == 1:
                outcomes[members[0]] = exc
            else:  # one request's problem must not fail the others: each runs as if alone
                for i in members:
                    outcomes[i] = _alone(jobs[i], clean)
            continue
        pos = 0
        for i in members:
            mine = results[pos:pos + len(jobs[i].texts)]
            pos += len(jobs[i].texts)
            if source == "auto" and len(members) > 1:
                # Alone, a request whose detected languages no model translates fails (with the model to
                # install) where in a group it passes through: such requests run again alone.
                packages = models.installed_packages() if packages is None else packages
                if _has_unroutable(mine, target, packages):
                    outcomes[i] = _alone(jobs[i], clean)
                    continue
            outcomes[i] = mine
    assert all(o is not None for o in outcomes)
    return [o for o in outcomes if o is not None]


def _alone(job: TranslateJob, clean: bool) -> list[TranslationResult] | Exception:
    try:
        return list(translate_many(list(job.texts), job.target, job.source, clean=clean))
    except Exception as exc:
        return exc


def _has_unroutable(results: list[TranslationResult], target: str, packages: list["Package"]) -> bool:
    for lang in {lang for r in results for _, _, lang in r.paragraphs} - {target, UNDETERMINED}:
        try:
            models.find_route(lang, target, packages)
        except NormkitError:
            return True
    return False


def call_each(calls: Sequence[Callable[[], T]]) -> list[T | Exception]:
    """Run each call, its error as its outcome: for the batcher of small jobs."""
    outcomes: list[T | Exception] = []
    for call in calls:
        try:
            outcomes.append(call())
        except Exception as exc:
            outcomes.append(exc)
    return outcomes


def _shares(weights: Counter[str]) -> list[dict[str, Any]]:
    """LibreTranslate's detection shape: confidence 0-100, here the share of the text in each language."""
    total = sum(weights.values())
    if not total:
        return [{"confidence": 0.0, "language": UNDETERMINED}]
    ranked = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))
    return [{"confidence": round(100.0 * w / total, 2), "language": lang} for lang, w in ranked]


def detect_languages(text: str, candidates: Collection[str] | None) -> list[dict[str, Any]]:
    """Languages of ``text``, paragraph by paragraph, ranked by how much of the text each writes."""
    weights: Counter[str] = Counter()
    for a, b in paragraph_spans(text):
        lang = detect_language(text[a:b], candidates or None)
        if lang != UNDETERMINED:
            weights[lang] += b - a
    return _shares(weights)


def detected_language(results: list[TranslationResult]) -> dict[str, Any]:
    """``detectedLanguage`` of a translation: its main source language and the share it writes."""
    weights: Counter[str] = Counter()
    for r in results:
        for a, b, lang in r.paragraphs:
            if lang != UNDETERMINED:
                weights[lang] += b - a
    return _shares(weights)[0]


@dataclass(frozen=True)
class Language:
    code: str
    name: str
    targets: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, "targets": list(self.targets)}


def installed_languages() -> list[Language]:
    """Languages of the installed models, each with the targets a route (direct or via English) reaches."""
    packages = models.installed_packages()
    names: dict[str, str] = {}
    for p in packages:
        names.setdefault(p.from_code, p.from_name or p.from_code)
        names.setdefault(p.to_code, p.to_name or p.to_code)
    codes = sorted(names)

    def reaches(src: str, tgt: str) -> bool:
        try:
            models.find_route(src, tgt, packages)
            return True
        except NormkitError:
            return False

    return [Language(c, names[c], tuple(t for t in codes if t != c and reaches(c, t))) for c in codes]


def check_route(source: str, target: str) -> None:
    """Raise ModelNotFoundError when no installed model translates ``source`` → ``target``."""
    if source not in ("auto", target):
        models.find_route(source, target)
