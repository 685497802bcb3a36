"""The two entry points of cleaning: :func:`detect` (look) and :func:`clean` (repair and explain)."""
from __future__ import annotations

import functools
from dataclasses import replace
from pathlib import Path
from typing import Callable, Sequence

from . import lexicon
from .gazetteer import Gazetteer, default_gazetteer
from .matching import correct_names, words_to_check

from .repair import LatinForm, _default_latin_form
from .script_repair import findings, repair_scripts
from .transliteration import CYRILLIC_RE, DEFAULT_SCHEME, romanize
from .scripts import CYRILLIC, LATIN
from .types import CleanResult, Edit, Finding, apply_edits

DEFAULT_MIN_CONFIDENCE = 0.5
_CYRILLIC_LANGS = frozenset({"ru", "uk", "be", "bg", "sr", "mk", "kk", "ky", "tg", "mn"})


def script_for_language(lang: str) -> str:
    return CYRILLIC if lang.lower().split("-")[0] in _CYRILLIC_LANGS else LATIN


def _normalise_script(name: str) -> str:
    for script in (LATIN, CYRILLIC):
        if name.lower() == script.lower():
            return script
    raise ValueError(f"target_script must be 'latin' or 'cyrillic', not {name!r}")


def detect(text: str, *, lang: str | None = None, target_script: str | None = None,
           scheme: str = "bgn_pcgn", latin_form: LatinForm = _default_latin_form) -> list[Finding]:
    """The tokens that mix scripts, with their script profile, class and the repair :func:`clean`
    would make. Nothing is changed. ``lang`` or ``target_script`` fix the script repairs go to;
    otherwise each token's sentence (then paragraph) decides."""
    forced = _normalise_script(target_script) if target_script else (
        script_for_language(lang) if lang else None)
    return list(findings(text, forced, scheme, latin_form))


def clean(text: str, *, lang: str | None = None, target_script: str | None = None,
          min_confidence: float = DEFAULT_MIN_CONFIDENCE, scheme: str | None = None,
          names: bool = True, glossaries: Sequence[Path | str] = ()) -> CleanResult:
    """Repair mixed-script tokens and misromanised Russian names; return the text with every edit
    explained. Repairs below ``min_confidence`` are not applied: they are listed in ``.suggestions``.

    ``scheme`` (an iuliia name such as ``"bgn_pcgn"``) writes repaired words in that romanisation;
    by default names take the gazetteer's preferred form (Moscow, Grozny) and others BGN/PCGN.
    ``names=False`` repairs scripts only; ``glossaries`` adds glossary files for this call.

    >>> clean("Further north, near the Кириshi industrial zone.").text
    'Further north, near the Kirishi industrial zone.'
    """
    # The gazetteer loads only when a word needs it: plain text never pays for it.
    gazetteer = functools.cache(lambda: _gazetteer(glossaries)) if names else None
    latin_form = _gazetteer_latin_form(gazetteer, scheme)
    forced = _normalise_script(target_script) if target_script else (
        script_for_language(lang) if lang else None)
    result, suggested = repair_scripts(text, forced, min_confidence, scheme or DEFAULT_SCHEME, latin_form)
    cyrillic_text = (lang or target_script) and (target_script or script_for_language(lang or "")).lower() == "cyrillic"
    words = frozenset() if gazetteer is None or cyrillic_text else words_to_check(result.text)
    if not words:
        return CleanResult(result.text, result.edits, suggested)
    proposals = _merge(result, correct_names(result.text, gazetteer=gazetteer(), scheme=scheme, words=words))
    name_edits = [e for e in proposals if e.confidence >= min_confidence]
    suggested += [e for e in proposals if e.confidence < min_confidence]
    replaced = {(e.start, e.end) for e in name_edits}
    edits = [e for e in result.edits if (e.start, e.end) not in replaced] + name_edits
    return CleanResult(apply_edits(text, edits), sorted(edits, key=lambda e: e.start),
                       sorted(suggested, key=lambda e: e.start))


def _merge(result: CleanResult, proposals: list[Edit]) -> list[Edit]:
    """Name fixes on ``result.text`` as edits of the input. A fix of a word the script repair
    wrote (Кириshy → Kirishy → Kirishi) becomes one edit from the input, explaining both steps,
    so that cleaning the output again finds nothing left to do."""
    spans = {result.output_span(e.start, e.end): e for e in result.edits}
    merged = []
    for proposal in proposals:
        repaired = spans.get((proposal.start, proposal.end))
        if repaired is not None:
            merged.append(replace(repaired, after=proposal.after, kind=proposal.kind,
                                  confidence=min(repaired.confidence, proposal.confidence),
                                  reason=f"{repaired.reason} Then: {proposal.reason}"))
        elif not any(a < proposal.end and proposal.start < b for a, b in spans):
            merged.extend(_to_input(result, [proposal]))
    return merged


def _gazetteer(glossaries: Sequence[Path | str]) -> Gazetteer:
    gazetteer = default_gazetteer(tuple(Path(p) for p in glossaries))
    lexicon.add_names(gazetteer)
    return gazetteer


def _gazetteer_latin_form(gazetteer: Callable[[], Gazetteer] | None, scheme: str | None) -> LatinForm:
    """How a repaired Russian word is written in Latin text: the gazetteer's preferred form when it
    knows the word (Москва → Moscow) and no scheme was asked for, else the scheme's romanisation."""
    def latin_form(word: str, default_scheme: str) -> str:
        if gazetteer is not None and scheme is None:
            entries = gazetteer().lookup(word)
            if entries and not CYRILLIC_RE.search(entries[0].latin):
                return entries[0].latin
        return romanize(word, scheme or default_scheme)
    return latin_form


def _to_input(result: CleanResult, edits: list[Edit]) -> list[Edit]:
    """Edits on ``result.text`` expressed on the original input (their spans were never edited)."""
    if not result.edits:
        return edits
    return [replace(e, start=result.input_offset(e.start), end=result.input_offset(e.end, end=True))
            for e in edits]
