"""The cleaning engine: :func:`detect` (look) and :func:`clean` (invisible characters out, then
script repair, then the name stage).

These take what they consult as arguments (a :class:`~normkit.repair.Knowledge`, a name stage);
:class:`normkit.Normalizer` owns those and is what users call (``normkit.clean`` wraps it).
"""
from __future__ import annotations

import bisect
import functools
import re
from dataclasses import replace
from typing import TYPE_CHECKING, Callable

from . import invisible
from .repair import PLAIN, Knowledge
from .script_repair import findings, repair_scripts
from .scripts import CYRILLIC, LATIN, MAX_TOKEN, mostly_cyrillic, rare_letters, script_profile
from .transliteration import DEFAULT_SCHEME
from .types import CleanResult, Edit, Finding, apply_edits

if TYPE_CHECKING:
    from .names import NameDecision

#: The name stage as the cleaner sees it: the decisions about the names of a (Latin) text.
NameStage = Callable[[str], "list[NameDecision]"]

DEFAULT_MIN_CONFIDENCE = 0.5
_CYRILLIC_LANGS = frozenset({"ru", "uk", "be", "bg", "sr", "mk", "kk", "ky", "tg", "mn"})


def script_for_language(lang: str) -> str:
    return CYRILLIC if lang.lower().split("-")[0] in _CYRILLIC_LANGS else LATIN


def require_str(text: object, function: str) -> None:
    """A clear TypeError for bytes or None, instead of one from deep inside (``not subscriptable``)."""
    if not isinstance(text, str):
        hint = " (decode bytes first, e.g. data.decode('utf-8'))" if isinstance(text, (bytes, bytearray)) else ""
        raise TypeError(f"{function}() needs the text as a str, not {type(text).__name__}{hint}")


def forced_script(lang: str | None, target_script: str | None) -> str | None:
    """The script repairs must go to, when the caller says (else each token's context decides)."""
    if target_script:
        for script in (LATIN, CYRILLIC):
            if target_script.lower() == script.lower():
                return script
        raise ValueError(f"target_script must be 'latin' or 'cyrillic', not {target_script!r}")
    return script_for_language(lang) if lang else None


def detect(text: str, *, forced: str | None = None, scheme: str = DEFAULT_SCHEME,
           knowledge: Knowledge = PLAIN) -> list[Finding]:
    """The tokens that mix scripts or hold invisible characters, with their script profile, class
    and the repair :func:`clean` would make. Nothing is changed. ``forced``: the script repairs go to
    (else each token's sentence, then paragraph, decides)."""
    require_str(text, "detect")
    removals, kept = invisible.scan(text)
    if not removals and not kept:
        return list(findings(text, forced, scheme, knowledge))
    stripped = CleanResult(apply_edits(text, removals), removals)
    found: list[Finding] = []
    absorbed: set[int] = set()  # starts of the removals a script finding's token holds
    for f in findings(stripped.text, forced, scheme, knowledge):
        start, end = _input_span(stripped, f.start, f.end)
        inside = _within(stripped, start, end)
        absorbed.update(e.start for e in inside)
        found.append(replace(f, start=start, end=end, token=text[start:end],
                             reason=_then(inside, f.reason)))
    words: dict[tuple[int, int], list[Edit]] = {}  # the word each other removal is in: one finding per word
    alone = [e for e in removals if e.start not in absorbed]
    for e, (start, end) in zip(alone, invisible.word_spans(text, [e.start for e in alone])):
        words.setdefault((start, end) if end - start <= MAX_TOKEN else (e.start, e.end), []).append(e)
    for (start, end), inside in words.items():
        token = text[start:end]
        kept_parts = [text[a:b] for a, b in zip([start, *(e.end for e in inside)], [*(e.start for e in inside), end])]
        profile = script_profile(token) if any(kept_parts) else {}
        own = max(sorted(profile), key=lambda k: profile[k]) if profile else LATIN
        found.append(Finding(start, end, token, profile, invisible.KIND, own, "".join(kept_parts),
                             invisible.CONFIDENCE, " ".join(e.reason for e in inside)))
    for k in kept:
        found.append(Finding(k.start, k.start + 1, k.char, {}, "legitimate", LATIN, None, 1.0,
                             invisible.kept_reason(k.char)))
    return sorted(found, key=lambda f: (f.start, f.end))


def clean(text: str, *, forced: str | None = None, min_confidence: float = DEFAULT_MIN_CONFIDENCE,
          scheme: str | None = None, knowledge: Knowledge = PLAIN, name_stage: NameStage | None = None,
          explain: bool = False) -> CleanResult:
    """Remove invisible characters from words (:mod:`normkit.invisible`), repair mixed-script
    tokens, then let ``name_stage`` decide about names (in Latin text). Repairs below
    ``min_confidence`` are listed in ``.suggestions``, not applied; ``scheme`` writes repaired words
    in that romanisation; ``explain`` keeps every name decision's explanation."""
    require_str(text, "clean")
    quiet = _quiet(text)
    if quiet is not None:  # the usual line: nothing for the invisible and script stages
        if quiet == _NO_LATIN or name_stage is None or forced == CYRILLIC:
            return CleanResult(text)
        return _with_names(text, CleanResult(text), [], min_confidence, name_stage, explain)
    removals, _ = invisible.scan(text)  # text without invisible characters: one quick look
    if not removals:
        return _clean(text, forced, min_confidence, scheme, knowledge, name_stage, explain)
    if invisible.CONFIDENCE < min_confidence:  # asked for surer edits than these: only suggested
        result = _clean(text, forced, min_confidence, scheme, knowledge, name_stage, explain)
        return CleanResult(result.text, result.edits, sorted(result.suggestions + removals, key=lambda e: e.start),
                           result.explanations)
    stripped = CleanResult(apply_edits(text, removals), removals)
    return _on_input(text, stripped, _clean(stripped.text, forced, min_confidence, scheme, knowledge,
                                            name_stage, explain))


def _clean(text: str, forced: str | None, min_confidence: float, scheme: str | None, knowledge: Knowledge,
           name_stage: NameStage | None, explain: bool) -> CleanResult:
    """Script repair, then the name stage, on text the invisible stage has passed."""
    result, suggested = repair_scripts(text, forced, min_confidence, scheme or DEFAULT_SCHEME, knowledge)
    if name_stage is None or forced == CYRILLIC:
        # The usual line has nothing suggested: the script stage's result is already the answer.
        return CleanResult(result.text, result.edits, suggested) if suggested else result
    return _with_names(text, result, suggested, min_confidence, name_stage, explain)


# What _quiet finds: no work for the invisible and script stages, in text mostly Latin (the name
# stage may have some) or in text that holds no Latin letter at all (it has none: it reads Latin words).
_LATIN_TEXT, _NO_LATIN = 1, 2


@functools.lru_cache(maxsize=2)
def _busy_re(cyrillic: bool) -> re.Pattern[str]:
    """Any character the invisible or script stage acts on, in text (not) mostly Cyrillic: an
    invisible character, or a letter of the text's rarer scripts (where a token changes script)."""
    return re.compile(f"[{invisible.ZERO_WIDTH}{invisible.BIDI_CONTROLS}{rare_letters(cyrillic)}]")


def _quiet(text: str) -> int | None:
    """_LATIN_TEXT or _NO_LATIN when neither the invisible stage nor the script stage has anything
    to do in ``text`` (one C-speed look, not one per stage); None when they may."""
    if text.isascii():  # neither invisible characters nor Cyrillic or Greek letters are ASCII
        return _LATIN_TEXT
    cyrillic = mostly_cyrillic(text)
    if _busy_re(cyrillic).search(text) is not None:
        return None
    return _NO_LATIN if cyrillic else _LATIN_TEXT  # text mostly Cyrillic and quiet has no Latin letter


def _with_names(text: str, result: CleanResult, suggested: list[Edit], min_confidence: float,
                name_stage: NameStage, explain: bool) -> CleanResult:
    """The script stage's ``result`` of ``text`` (and its ``suggested`` repairs) with the name
    stage's decisions merged in."""
    decisions = name_stage(result.text)
    if not decisions:  # most lines: nothing named, nothing to merge
        return CleanResult(result.text, result.edits, suggested) if suggested else result
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
        proposal = d.edit()
        repaired = spans.get((d.start, d.end))
        if repaired is not None:
            merged.append((replace(repaired, after=d.after, kind=d.kind,
                                   confidence=min(repaired.confidence, d.confidence),
                                   reason=f"{repaired.reason} Then: {d.reason}", entity_id=proposal.entity_id,
                                   canonical_latin=proposal.canonical_latin,
                                   canonical_cyrillic=proposal.canonical_cyrillic), d))
        elif not any(a < d.end and d.start < b for a, b in spans):
            merged.append((_to_input(result, [proposal])[0], d))
        else:
            continue
        taken = d.end
    return merged


def _to_input(result: CleanResult, edits: list[Edit]) -> list[Edit]:
    """Edits on ``result.text`` expressed on the original input (their spans were never edited)."""
    if not result.edits:
        return edits
    return [replace(e, start=result.input_offset(e.start), end=result.input_offset(e.end, end=True))
            for e in edits]


def _input_span(stripped: CleanResult, start: int, end: int) -> tuple[int, int]:
    """The span of the input that ``stripped.text[start:end]`` came from: from its first character
    to its last, so removals just before or after it stay outside (see CleanResult.output_offset)."""
    if start == end:
        return (position := stripped.input_offset(start)), position
    return stripped.input_offset(start), stripped.input_offset(end, end=True)


def _within(stripped: CleanResult, start: int, end: int) -> list[Edit]:
    """The removals inside the input span ``start:end`` (bisected: hostile text has many)."""
    edits = stripped.edits
    return edits[bisect.bisect_right(edits, start, key=lambda e: e.start):bisect.bisect_left(edits, end, key=lambda e: e.start)]


def _then(removals: list[Edit], reason: str) -> str:
    """The reason of a repair of a word that first lost invisible characters: both steps."""
    return " ".join(r.reason for r in removals) + " Then: " + reason if removals else reason


def _on_input(text: str, stripped: CleanResult, result: CleanResult) -> CleanResult:
    """``result`` (of cleaning ``stripped.text``) as a result of ``text``: a later edit of a word
    that lost invisible characters becomes one edit from the input, explaining both steps (so
    cleaning the output again finds nothing to do); the other removals stay edits of their own."""
    edits: list[Edit] = []
    absorbed: set[int] = set()
    for e in result.edits:
        start, end = _input_span(stripped, e.start, e.end)
        inside = _within(stripped, start, end)
        absorbed.update(r.start for r in inside)
        edits.append(replace(e, start=start, end=end, before=text[start:end], reason=_then(inside, e.reason)))
    edits += (r for r in stripped.edits if r.start not in absorbed)
    suggested = [replace(e, start=a, end=b, before=text[a:b])
                 for e in result.suggestions for a, b in [_input_span(stripped, e.start, e.end)]]
    return CleanResult(apply_edits(text, edits), sorted(edits, key=lambda e: e.start),
                       sorted(suggested, key=lambda e: e.start), result.explanations)
