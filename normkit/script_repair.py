"""The script-repair stage of cleaning: find the tokens that mix scripts, decide each one's target
script from its context, repair it, and repeat until the repairs stop changing each other's context.

Every pass after the first looks again only at the tokens whose context window holds an edit of the
pass before: a token far from any edit has the context, so the repair, it had. With the bounded
windows of :mod:`normkit.context` and the bounded tokens of :mod:`normkit.scripts`, the stage costs
time linear in its input, whatever its line lengths.
"""
from __future__ import annotations

import bisect
import itertools
from dataclasses import replace
from typing import Iterable, Iterator

from .context import BLOCK, TextContext
from .repair import KNOWN_READING, PLAIN, Hints, Knowledge, Repair, repair_token
from .scripts import APOSTROPHES, CYRILLIC, LATIN, mixed_tokens, script_profile
from .types import CleanResult, Edit, Finding, apply_edits

MAX_PASSES = 4  # a repair changes its neighbours' context; the fourth pass has never been needed
_REACH = 2 * BLOCK  # how far a token's context reaches past its ends, at most

# A token's repair reads it against dictionaries (a fraction of a millisecond); text made of
# nothing but mixed tokens would cost hundreds of times ordinary text. So a call examines at most
# this many distinct tokens, plus one per this many characters: far more than real text holds
# (a mixed token per few kilobytes), and the rest of a hostile text is left as it is, and said so.
BUDGET_TOKENS = 32
BUDGET_CHARS_PER_TOKEN = 1000

#: Repairs already made in this call, by what decides them (a dense line repeats its tokens).
Memo = dict[tuple[str, str, str, str, Hints], tuple[int, Repair]]
_OVER_BUDGET = Repair("mixed_script", None, 0.0, "Not examined: the text holds more mixed-script tokens "
                      "than normkit reads for its length (a bound against hostile input).")


class Budget:
    """How many more distinct tokens this call may examine in full."""

    def __init__(self, text_length: int) -> None:
        self.left = BUDGET_TOKENS + text_length // BUDGET_CHARS_PER_TOKEN

    def take(self) -> bool:
        self.left -= 1
        return self.left >= 0

    @property
    def spent(self) -> bool:
        return self.left <= 0


def findings(text: str, forced: str | None, scheme: str, knowledge: Knowledge = PLAIN, *,
             near: list[tuple[int, int]] | None = None, memo: Memo | None = None,
             tokens: Iterable[tuple[int, int]] | None = None, budget: Budget | None = None) -> Iterator[Finding]:
    """A :class:`Finding` for each mixed-script token of ``text`` (with ``near``: only for those
    whose context reaches one of these spans; ``tokens``: the token spans, if already scanned;
    ``budget``: how many distinct tokens may be read in full, by default as :class:`Budget` says)."""
    context = TextContext(text)
    memo = {} if memo is None else memo
    budget = Budget(len(text)) if budget is None else budget
    near_starts = [s for s, _ in near] if near is not None else []
    for start, end in mixed_tokens(text) if tokens is None else tokens:
        if near is not None and not _reaches(near, near_starts, start, end):
            continue
        profile = script_profile(text[start:end])
        own = max(sorted(profile), key=lambda k: profile[k])
        if budget.spent:  # the rest of a hostile text: listed, not read (no context, no lexicon)
            yield Finding(start, end, text[start:end], profile, _OVER_BUDGET.category, own, None, 0.0,
                          _OVER_BUDGET.reason)
            continue
        if text[end - 2:end - 1] in APOSTROPHES and text[end - 1:end] == "s":
            own = LATIN  # Кириshy’s: an English possessive, whatever the letters
        target = forced or context.script(start, end, own if own in (LATIN, CYRILLIC) else LATIN)
        hints = Hints(writes_yo=context.writes_yo if target == CYRILLIC else False,
                      other_cyrillic=context.other_cyrillic_nearby(start, end))
        following = text[end:end + 1]
        key = (text[start:end], following, target, scheme, hints)
        known = memo.get(key)
        if known is None:
            known = memo[key] = (_repair_span(text[start:end], following, target, scheme, knowledge, hints)
                                 if budget.take() else (0, _OVER_BUDGET))
        grow, repair = known
        yield Finding(start, end + grow, text[start:end + grow], profile, repair.category, target,
                      repair.suggestion, repair.confidence, repair.reason)


def _reaches(near: list[tuple[int, int]], starts: list[int], start: int, end: int) -> bool:
    """Does a span of ``near`` (sorted, disjoint) lie within the token's context reach?"""
    i = bisect.bisect_left(starts, start - _REACH)
    while i < len(near) and near[i][0] <= end + _REACH:
        if near[i][1] >= start - _REACH:
            return True
        i += 1
    return i > 0 and near[i - 1][1] >= start - _REACH


def _repair_span(token: str, following: str, target: str, scheme: str, knowledge: Knowledge,
                 hints: Hints) -> tuple[int, Repair]:
    """Repair ``token`` minding the apostrophes around romanised words; returns how many characters
    past the token the repair covers (the ’ of "zamenit’") and the repair."""
    plain = repair_token(token, target, scheme=scheme, knowledge=knowledge, hints=hints)
    if following and following in APOSTROPHES and plain.category != "split":
        # BGN writes ь as ’, so "zamenit’" ends in one the token scan left out as a quote: read it
        # with the token unless that reads worse (a closing quote after ‘Кириshi’).
        longer = repair_token(token + following, target, scheme=scheme, knowledge=knowledge, hints=hints)
        if longer.suggestion and longer.confidence >= max(plain.confidence, KNOWN_READING if
                                                          plain.suggestion is None else 0.0):
            return 1, longer
    if target == LATIN and len(token) > 2 and token[-2] in APOSTROPHES and token[-1] == "s":
        stem = repair_token(token[:-2], target, scheme=scheme, knowledge=knowledge, hints=hints)  # Кириshi’s
        if stem.suggestion:
            return 0, replace(stem, suggestion=stem.suggestion + token[-2:])
        return 0, stem
    return 0, plain


def repair_scripts(text: str, forced: str | None, min_confidence: float, scheme: str,
                   knowledge: Knowledge) -> tuple[CleanResult, list[Edit]]:
    """Script repairs of ``text`` applied at ``min_confidence`` and above, and the rest suggested.

    Passes repeat until nothing changes, so clean(clean(t).text) finds what the last pass found and
    clean is idempotent. Each pass edits only tokens no earlier pass edited, so edits stay disjoint in
    the input."""
    result = CleanResult(text)
    scan = mixed_tokens(text)
    first = next(scan, None)
    if first is None:  # the usual case: nothing to look at
        return result, []
    tokens: Iterable[tuple[int, int]] | None = itertools.chain([first], scan)  # the first pass's
    suggested: dict[int, Edit] = {}  # by input start
    memo: Memo = {}
    budget = Budget(len(text))
    near: list[tuple[int, int]] | None = None  # output spans of the last pass's edits
    for _ in range(MAX_PASSES):
        edited = [result.output_span(e.start, e.end) for e in result.edits]
        edited_starts = [s for s, _ in edited]
        applied: list[Edit] = []
        for f in findings(result.text, forced, scheme, knowledge, near=near, memo=memo, tokens=tokens,
                          budget=budget):
            position = result.input_offset(f.start)
            suggested.pop(position, None)
            if f.suggestion is None or _overlaps(edited, edited_starts, f.start, f.end):
                continue
            edit = Edit(f.start, f.end, f.token, f.suggestion, f.category, round(f.confidence, 3), f.reason)
            if f.confidence >= min_confidence:
                applied.append(edit)
            else:
                [on_input] = _to_input(result, [edit])
                suggested[position] = on_input
        tokens = None  # later passes scan the repaired text afresh
        if not applied:
            break
        new = _to_input(result, applied)
        edits = result.edits + new
        result = CleanResult(apply_edits(text, edits), edits)
        near = sorted(result.output_span(e.start, e.end) for e in new)
    return result, sorted(suggested.values(), key=lambda e: e.start)


def _overlaps(spans: list[tuple[int, int]], starts: list[int], start: int, end: int) -> bool:
    i = bisect.bisect_right(starts, start)
    return (i > 0 and spans[i - 1][1] > start) or (i < len(spans) and spans[i][0] < end)


def _to_input(result: CleanResult, edits: list[Edit]) -> list[Edit]:
    """Edits on ``result.text`` expressed on the original input (their spans were never edited)."""
    if not result.edits:
        return edits
    return [replace(e, start=result.input_offset(e.start), end=result.input_offset(e.end, end=True))
            for e in edits]
