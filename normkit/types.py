"""The public result types: edits, findings, and a cleaned text that maps offsets both ways."""
from __future__ import annotations

import bisect
from dataclasses import asdict, dataclass, field
from typing import Any, Iterable

#: Edit kinds, in the order the pipeline produces them.
EDIT_KINDS = ("homoglyph", "mixed_script", "split", "place_name", "person_name", "name_variant")


@dataclass(frozen=True)
class Edit:
    """One change: ``text[start:end]`` (offsets into the *input*) was ``before`` and becomes ``after``."""

    start: int
    end: int
    before: str
    after: str
    kind: str
    confidence: float
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Finding:
    """A suspicious token as :func:`normkit.detect` sees it; nothing is changed."""

    start: int
    end: int
    token: str
    scripts: dict[str, int]  # letters per script, e.g. {"Cyrillic": 4, "Latin": 3}
    category: str  # "homoglyph", "mixed_script" or "legitimate"
    target_script: str  # the script the context calls for
    suggestion: str | None  # the repair clean() would make, if any
    confidence: float
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """Apply non-overlapping edits (any order) to ``text``."""
    parts: list[str] = []
    pos = 0
    for edit in sorted(edits, key=lambda e: e.start):
        if edit.start < pos:
            raise ValueError(f"overlapping edit at {edit.start}")
        parts.append(text[pos:edit.start])
        parts.append(edit.after)
        pos = edit.end
    parts.append(text[pos:])
    return "".join(parts)


@dataclass
class CleanResult:
    """What :func:`normkit.clean` returns: the text, the edits applied, and the fixes only suggested.

    ``apply_edits(input, result.edits) == result.text`` always holds; ``suggestions`` are reported
    but were not applied (confidence below the threshold).
    """

    text: str
    edits: list[Edit] = field(default_factory=list)
    suggestions: list[Edit] = field(default_factory=list)
    explanations: list[str] = field(default_factory=list)  # with explain=True: every name decision

    def __post_init__(self) -> None:
        self.edits.sort(key=lambda e: e.start)
        self._in_starts = [e.start for e in self.edits]
        out_starts, shift = [], 0
        for e in self.edits:
            out_starts.append(e.start + shift)
            shift += len(e.after) - (e.end - e.start)
        self._out_starts = out_starts

    @property
    def changed(self) -> bool:
        return bool(self.edits)

    def output_offset(self, pos: int, *, end: bool = False) -> int:
        """Map an input offset to the output. Inside an edit it snaps to the edit's start
        (or its end when ``end`` is true), so mapped spans always cover whole edits."""
        return _map(pos, self.edits, self._in_starts, self._out_starts, forward=True, end=end)

    def input_offset(self, pos: int, *, end: bool = False) -> int:
        """Map an output offset back to the input (the inverse of :meth:`output_offset`)."""
        return _map(pos, self.edits, self._out_starts, self._in_starts, forward=False, end=end)

    def output_span(self, start: int, end: int) -> tuple[int, int]:
        return self.output_offset(start), self.output_offset(end, end=True)

    def input_span(self, start: int, end: int) -> tuple[int, int]:
        return self.input_offset(start), self.input_offset(end, end=True)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "text": self.text,
            "edits": [e.to_dict() for e in self.edits],
            "suggestions": [e.to_dict() for e in self.suggestions],
        }
        if self.explanations:
            out["explanations"] = list(self.explanations)
        return out


def _map(pos: int, edits: list[Edit], src_starts: list[int], dst_starts: list[int],
         *, forward: bool, end: bool) -> int:
    i = bisect.bisect_right(src_starts, pos) - 1
    if i < 0:
        return pos
    e = edits[i]
    src_len = (e.end - e.start) if forward else len(e.after)
    dst_len = len(e.after) if forward else (e.end - e.start)
    offset = pos - src_starts[i]
    if offset >= src_len:  # past this edit: shift by its length change
        return dst_starts[i] + dst_len + (offset - src_len)
    if offset == 0 and not (end and src_len == 0):
        return dst_starts[i]
    return dst_starts[i] + (dst_len if end else 0)
