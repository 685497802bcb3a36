"""Names through MT: spans to protect, placeholders before translation, target forms after.

A protected span is replaced by ``NKX<n>`` (Latin capitals and digits: MT models copy such tokens, and
argostranslate's decoder turns ``_`` into spaces, so no underscores). After translation each
placeholder must appear exactly once; the restore step reports the ones dropped, duplicated or
garbled, and the caller falls back to translating those spans.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

from normkit.langid import CYRILLIC_LANGS

if TYPE_CHECKING:
    from normkit.types import CleanResult

PLACEHOLDER = "NKX{}"
# Tolerates a space the model may insert and Cyrillic look-alikes (Н, К, Х) an en→ru model may write.
_FOUND = re.compile(r"(?<!\w)[NНnн]\s?[KКkк]\s?[XХxх]\s?(\d{1,3})(?!\d)")
_CYRILLIC = re.compile("[\u0400-\u04FF]")
_NAME_KINDS = ("place_name", "person_name")


@dataclass(frozen=True)
class Span:
    """A stretch of source text to keep out of MT, with the form to write in each script."""

    start: int
    end: int
    text: str
    latin: str
    cyrillic: str
    kind: str = "name"          # gazetteer entry type, the clean() edit kind, or "glossary"
    entry_id: str | None = None

    def target_form(self, target_lang: str) -> str:
        return self.cyrillic if target_lang in CYRILLIC_LANGS else self.latin

    def shifted(self, offset: int) -> "Span":
        return Span(self.start + offset, self.end + offset, self.text, self.latin, self.cyrillic,
                    self.kind, self.entry_id)


def spans_from_matches(matches: Iterable[Any]) -> list[Span]:
    """Spans from gazetteer matches (objects with start, end, text and an ``entry``)."""
    return [Span(m.start, m.end, m.text, m.entry.latin, m.entry.cyrillic, m.entry.type, m.entry.id)
            for m in matches]


def spans_from_glossary(text: str, glossary: Mapping[str, str]) -> list[Span]:
    """Every whole-word occurrence of a glossary term; it becomes the given translation in any target."""
    spans = []
    for term, translation in glossary.items():
        if not term.strip():
            continue
        for m in re.finditer(rf"(?<!\w){re.escape(term)}(?!\w)", text):
            spans.append(Span(m.start(), m.end(), term, translation, translation, "glossary"))
    return spans


def spans_from_edits(result: "CleanResult") -> list[Span]:
    """Names clean() corrected, located in the cleaned text. Without a gazetteer entry the other
    script's form is the romanisation (Cyrillic → Latin) or the text itself."""
    spans = []
    for edit in result.edits:
        if edit.kind not in _NAME_KINDS or not edit.after.strip():
            continue
        start, end = result.output_span(edit.start, edit.end)
        after = result.text[start:end]
        if _CYRILLIC.search(after):
            from normkit.transliteration import romanize

            latin, cyrillic = romanize(after), after
        else:
            latin = after
            cyrillic = edit.before if _CYRILLIC.search(edit.before) else after
        spans.append(Span(start, end, after, latin, cyrillic, edit.kind))
    return spans


def merge_spans(*groups: Iterable[Span]) -> list[Span]:
    """Non-overlapping spans in text order. Earlier groups win; within a group, longer spans win."""
    chosen: list[Span] = []
    for group in groups:
        for span in sorted(group, key=lambda s: (-(s.end - s.start), s.start)):
            if span.end > span.start and all(span.end <= c.start or span.start >= c.end for c in chosen):
                chosen.append(span)
    return sorted(chosen, key=lambda s: s.start)


def mask(text: str, spans: Sequence[Span]) -> str:
    """``text`` with ``spans[i]`` (offsets relative to ``text``, sorted) replaced by placeholder i."""
    out, pos = [], 0
    for i, span in enumerate(spans):
        out.append(text[pos:span.start])
        out.append(PLACEHOLDER.format(i))
        pos = span.end
    out.append(text[pos:])
    return "".join(out)


def restore(translated: str, spans: Sequence[Span], target_lang: str) -> tuple[str, list[int]]:
    """Put each span's target form where its placeholder came out.

    Returns the text and the indices of spans whose placeholder did not come out exactly once. A
    placeholder number that was never issued means the model garbled them: every span fails then.
    """
    found = [(m, int(m.group(1))) for m in _FOUND.finditer(translated)]
    counts = [0] * len(spans)
    stray = False
    for _m, i in found:
        if i < len(spans):
            counts[i] += 1
        else:
            stray = True
    failed = list(range(len(spans))) if stray else [i for i, n in enumerate(counts) if n != 1]
    out, pos = [], 0
    for m, i in found:
        out.append(translated[pos:m.start()])
        ok = i < len(spans) and i not in failed
        out.append(spans[i].target_form(target_lang) if ok else m.group(0))
        pos = m.end()
    out.append(translated[pos:])
    return "".join(out), failed
