"""The public result types: edits, findings, and a cleaned text that maps offsets both ways."""
from __future__ import annotations

import bisect
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Iterable

#: The JSON form of a CleanResult: its name and version, and what its offsets count.
SCHEMA = "normkit-clean 2"
READABLE_SCHEMAS = ("normkit-clean 1", SCHEMA)  # 1: edits without the entity fields (read as None)
OFFSETS = "code points"  # Python str indices into the input (not bytes, not UTF-16 units)

#: Edit kinds, in the order the pipeline produces them.
EDIT_KINDS = ("invisible", "homoglyph", "mixed_script", "split", "place_name", "person_name", "name_variant")
#: The kinds the name stage makes: each names the gazetteer entry it reads the word as.
NAME_KINDS = frozenset({"place_name", "person_name", "name_variant"})


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
    # Name edits (NAME_KINDS): the gazetteer entry the fix reads the word as (`normkit gazetteer
    # lookup ID` resolves the id) and its canonical forms; None for script repairs.
    entity_id: str | None = None
    canonical_latin: str | None = None
    canonical_cyrillic: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Edit":
        """The edit :meth:`to_dict` wrote (a ValueError names what is missing or wrong); the entity
        fields are optional (a "normkit-clean 1" edit has none)."""
        try:
            extra = [data.get(k) for k in ("entity_id", "canonical_latin", "canonical_cyrillic")]
            if any(v is not None and not isinstance(v, str) for v in extra):
                raise ValueError("entity_id and the canonical forms must be strings or null")
            return cls(int(data["start"]), int(data["end"]), str(data["before"]), str(data["after"]),
                       str(data["kind"]), float(data["confidence"]), str(data["reason"]), *extra)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ValueError(f"not an edit: {exc}") from None

    def shifted(self, offset: int) -> "Edit":
        """The same edit with its offsets moved by ``offset`` (a chunk's place in a longer input)."""
        return replace(self, start=self.start + offset, end=self.end + offset) if offset else self


@dataclass(frozen=True)
class Finding:
    """A suspicious token as :func:`normkit.detect` sees it; nothing is changed."""

    start: int
    end: int
    token: str
    scripts: dict[str, int]  # letters per script, e.g. {"Cyrillic": 4, "Latin": 3}
    category: str  # "invisible", "homoglyph", "mixed_script", "split" or "legitimate"
    target_script: str  # the script the context calls for
    suggestion: str | None  # the repair clean() would make, if any
    confidence: float
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def kept_ends(before: str, after: str) -> tuple[int, int]:
    """How many characters an edit kept at the start and at the end (they never overlap):
    ``Кириshi`` -> ``Kirishi`` keeps (0, 3)."""
    shorter = min(len(before), len(after))
    head = 0
    while head < shorter and before[head] == after[head]:
        head += 1
    tail = 0
    while tail < shorter - head and before[-1 - tail] == after[-1 - tail]:
        tail += 1
    return head, tail


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
        if not self.edits:  # most results: nothing to sort or map
            self._in_starts: list[int] = []
            self._out_starts: list[int] = []
            return
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
        (or its end when ``end`` is true), so mapped spans always cover whole edits. At an edit
        that left nothing (a removed invisible character) a start maps past it and an end before
        it: a mapped span holds what made its characters, never a removal at its edge."""
        return _map(pos, self.edits, self._in_starts, self._out_starts, forward=True, end=end)

    def input_offset(self, pos: int, *, end: bool = False) -> int:
        """Map an output offset back to the input (the inverse of :meth:`output_offset`)."""
        return _map(pos, self.edits, self._out_starts, self._in_starts, forward=False, end=end)

    def output_span(self, start: int, end: int) -> tuple[int, int]:
        return self.output_offset(start), self.output_offset(end, end=True)

    def input_span(self, start: int, end: int) -> tuple[int, int]:
        """The input span ``result.text[start:end]`` came from; the empty span where characters
        were removed gives what was removed there."""
        if start == end:
            i = bisect.bisect_left(self._out_starts, start)
            if i < len(self.edits) and self._out_starts[i] == start and not self.edits[i].after:
                return self.edits[i].start, self.edits[i].end
        return self.input_offset(start), self.input_offset(end, end=True)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "schema": SCHEMA,
            "offsets": OFFSETS,
            "text": self.text,
            "edits": [e.to_dict() for e in self.edits],
            "suggestions": [e.to_dict() for e in self.suggestions],
        }
        if self.explanations:
            out["explanations"] = list(self.explanations)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "CleanResult":
        """Rebuild a result (offsets and their mapping included) from :meth:`to_dict`'s JSON form;
        a form of another schema, or one that is not a result, is a ValueError."""
        schema = data.get("schema", SCHEMA)
        if schema not in READABLE_SCHEMAS:
            raise ValueError(f"not a {SCHEMA!r} result: schema {schema!r}")
        if data.get("offsets", OFFSETS) != OFFSETS:
            raise ValueError(f"offsets must count {OFFSETS}, not {data.get('offsets')!r}")
        if not isinstance(data.get("text"), str):
            raise ValueError("a result needs its text")
        return cls(data["text"], [Edit.from_dict(e) for e in data.get("edits", [])],
                   [Edit.from_dict(e) for e in data.get("suggestions", [])],
                   [str(x) for x in data.get("explanations", [])])

    @classmethod
    def join(cls, results: Iterable["CleanResult"], inputs: Iterable[str]) -> "CleanResult":
        """One result for consecutive pieces of an input: ``results[i]`` is the result of
        ``inputs[i]``; edits are moved to their place in the whole input."""
        texts: list[str] = []
        edits: list[Edit] = []
        suggestions: list[Edit] = []
        explanations: list[str] = []
        offset = 0
        for result, piece in zip(results, inputs):
            texts.append(result.text)
            edits += (e.shifted(offset) for e in result.edits)
            suggestions += (e.shifted(offset) for e in result.suggestions)
            explanations += result.explanations
            offset += len(piece)
        return cls("".join(texts), edits, suggestions, explanations)


def _map(pos: int, edits: list[Edit], src_starts: list[int], dst_starts: list[int],
         *, forward: bool, end: bool) -> int:
    def src_len(e: Edit) -> int:
        return (e.end - e.start) if forward else len(e.after)

    i = bisect.bisect_right(src_starts, pos) - 1
    # An end at an empty edit (a removal, seen from the output) stops before it, even when the next
    # edit starts at the same place (a removal just before a word).
    while end and i > 0 and src_starts[i - 1] == pos and src_len(edits[i - 1]) == 0:
        i -= 1
    if i < 0:
        return pos
    e = edits[i]
    length = src_len(e)
    dst_len = len(e.after) if forward else (e.end - e.start)
    offset = pos - src_starts[i]
    if offset >= length and not (end and offset == length == 0):  # past this edit: shift by its length change
        return dst_starts[i] + dst_len + (offset - length)
    if offset == 0:
        return dst_starts[i]
    return dst_starts[i] + (dst_len if end else 0)
