"""The two entry points of cleaning: :func:`detect` (look) and :func:`clean` (repair and explain)."""
from __future__ import annotations

import functools
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Sequence

from . import lexicon
from .gazetteer import Gazetteer, default_gazetteer
from .repair import LatinForm, _default_latin_form
from .script_repair import findings, repair_scripts
from .transliteration import CYRILLIC_RE, DEFAULT_SCHEME, romanize
from .scripts import CYRILLIC, LATIN
from .types import CleanResult, Edit, Finding, apply_edits

if TYPE_CHECKING:
    from .names import NameDecision

#: The name stage as the cleaner sees it: the decisions about the names of a (Latin) text.
NameStage = Callable[[str], "list[NameDecision]"]

DEFAULT_MIN_CONFIDENCE = 0.5
_CYRILLIC_LANGS = frozenset({"ru", "uk", "be", "bg", "sr", "mk", "kk", "ky", "tg", "mn"})


def script_for_language(lang: str) -> str:
    return CYRILLIC if lang.lower().split("-")[0] in _CYRILLIC_LANGS else LATIN


def _require_str(text: object, function: str) -> None:
    """A clear TypeError for bytes or None, instead of one from deep inside (``not subscriptable``)."""
    if not isinstance(text, str):
        hint = " (decode bytes first, e.g. data.decode('utf-8'))" if isinstance(text, (bytes, bytearray)) else ""
        raise TypeError(f"{function}() needs the text as a str, not {type(text).__name__}{hint}")


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
    _require_str(text, "detect")
    forced = _normalise_script(target_script) if target_script else (
        script_for_language(lang) if lang else None)
    return list(findings(text, forced, scheme, latin_form))


def clean(text: str, *, lang: str | None = None, target_script: str | None = None,
          min_confidence: float = DEFAULT_MIN_CONFIDENCE, scheme: str | None = None,
          names: bool = True, glossaries: Sequence[Path | str] = (),
          name_stage: NameStage | None = None, explain: bool = False) -> CleanResult:
    """Repair mixed-script tokens and misromanised Russian names; return the text with every edit
    explained. Repairs below ``min_confidence`` are not applied: they are listed in ``.suggestions``.

    ``scheme`` (an iuliia name such as ``"bgn_pcgn"``) writes repaired words in that romanisation;
    by default names take the gazetteer's preferred form (Moscow, Grozny) and others BGN/PCGN.
    ``names=False`` repairs scripts only; ``glossaries`` adds glossary files for this call;
    ``name_stage`` decides about names (a :class:`normkit.Normalizer` passes its own), and
    ``explain`` lists each of its decisions with the evidence.

    >>> clean("Further north, near the Кириshi industrial zone.").text
    'Further north, near the Kirishi industrial zone.'
    """
    _require_str(text, "clean")
    # The gazetteer loads only when a word needs it: plain text never pays for it.
    gazetteer = functools.cache(lambda: _gazetteer(glossaries)) if names else None
    latin_form = _gazetteer_latin_form(gazetteer, scheme)
    forced = _normalise_script(target_script) if target_script else (
        script_for_language(lang) if lang else None)
    result, suggested = repair_scripts(text, forced, min_confidence, scheme or DEFAULT_SCHEME, latin_form)
    cyrillic_text = (lang or target_script) and (target_script or script_for_language(lang or "")).lower() == "cyrillic"
    if name_stage is None or cyrillic_text:
        return CleanResult(result.text, result.edits, suggested)
    decisions = name_stage(result.text)
    proposals = _merge(result, [d for d in decisions if d.outcome != "rejected"])
    name_edits = [e for e, d in proposals if d.outcome == "applied" and e.confidence >= min_confidence]
    suggested += [e for e, d in proposals if not (d.outcome == "applied" and e.confidence >= min_confidence)]
    replaced = {(e.start, e.end) for e in name_edits}
    edits = [e for e in result.edits if (e.start, e.end) not in replaced] + name_edits
    explanations = [d.explain() for d in decisions] if explain else []
    return CleanResult(apply_edits(text, edits), sorted(edits, key=lambda e: e.start),
                       sorted(suggested, key=lambda e: e.start), explanations)


def _merge(result: CleanResult, decisions: list[NameDecision]) -> list[tuple[Edit, NameDecision]]:
    """Name fixes on ``result.text`` as edits of the input. A fix of a word the script repair
    wrote (Кириshy → Kirishy → Kirishi) becomes one edit from the input, explaining both steps,
    so that cleaning the output again finds nothing left to do. Fixes that would overlap a
    script repair only in part, or another fix, are dropped: edits never overlap."""
    spans = {result.output_span(e.start, e.end): e for e in result.edits}
    merged: list[tuple[Edit, NameDecision]] = []
    taken = -1
    for d in sorted(decisions, key=lambda d: (d.start, d.end)):
        if d.start < taken or d.after is None:
            continue
        proposal = Edit(d.start, d.end, d.word, d.after, d.kind, d.confidence, d.reason)
        repaired = spans.get((d.start, d.end))
        if repaired is not None:
            merged.append((replace(repaired, after=d.after, kind=d.kind,
                                   confidence=min(repaired.confidence, d.confidence),
                                   reason=f"{repaired.reason} Then: {d.reason}"), d))
        elif not any(a < d.end and d.start < b for a, b in spans):
            merged.append((_to_input(result, [proposal])[0], d))
        else:
            continue
        taken = d.end
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
