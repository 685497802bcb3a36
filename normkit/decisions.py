"""A reviewer's decisions fed back: read decisions files, apply them to a clean, learn a glossary.

A decisions file is what the review page (``normkit clean --report``) downloads::

    {"schema": "normkit-decisions 1", "source": str|null,
     "decisions": [{"before", "after", "kind", "entity_id", "start", "end", "context",
                    "confidence", "status", "verdict": "accept"|"reject", "time"}, ...]}

Only ``before``, ``after``, ``kind``, ``entity_id`` (may be null or absent) and ``verdict`` are
read; the rest describe where the reviewer saw the change.

**The same kind of context.** A decision covers an edit or suggestion of the same ``kind`` with
the same ``before`` and ``after``; for a name kind (``place_name``, ``person_name``,
``name_variant``) also the same ``entity_id`` when both name one. A rejected one is never made
again (neither edit nor suggestion); an accepted suggestion is applied whatever its confidence.
**Conflicts** (the same change accepted and rejected, or one ``before`` of one kind accepted with
two ``after``) are not guessed: the changes concerned are left as normkit decides them, and
:attr:`Decisions.conflicts` lists each once (the CLI warns).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable, Sequence

from .errors import NormkitError
from .gazetteer.sources import LEARNED_FILE
from .types import NAME_KINDS, CleanResult, Edit, apply_edits

SCHEMA = "normkit-decisions 1"
VERDICTS = ("accept", "reject")
LEARNED_SOURCE = "normkit gazetteer learn"
KEEP_TYPE = "keep"  # a learned "right as written" entry: left alone, never linked


class DecisionsError(NormkitError):
    """A decisions file cannot be read: not JSON, another schema, a malformed decision."""


@dataclass(frozen=True)
class Decision:
    before: str
    after: str
    kind: str
    entity_id: str | None
    verdict: str
    source: str = ""  # file:index, for reports

    @property
    def change(self) -> tuple[str, str, str]:
        return self.kind, self.before, self.after


@dataclass
class Decisions:
    """Decisions from one or more files, by change (kind, before, after)."""

    decisions: list[Decision] = field(default_factory=list)

    def __post_init__(self) -> None:
        verdicts: dict[tuple[str, str, str, str | None], set[str]] = {}
        afters: dict[tuple[str, str], set[str]] = {}
        for d in self.decisions:
            verdicts.setdefault((*d.change, d.entity_id), set()).add(d.verdict)
            if d.verdict == "accept":
                afters.setdefault((d.kind, d.before), set()).add(d.after)
        self.conflicts: list[str] = []
        bad: set[tuple[str, str, str]] = set()
        for (kind, before, after, entity), seen in sorted(verdicts.items(), key=str):
            if len(seen) > 1:
                bad.add((kind, before, after))
                self.conflicts.append(f"{kind} {before!r} -> {after!r}" + (f" ({entity})" if entity else "")
                                      + " is both accepted and rejected")
        for (kind, before), targets in sorted(afters.items()):
            if len(targets) > 1:
                bad.update((kind, before, a) for a in targets)
                self.conflicts.append(f"{kind} {before!r} is accepted as {' and '.join(map(repr, sorted(targets)))}")
        self._by_change: dict[tuple[str, str, str], list[Decision]] = {}
        for d in self.decisions:
            if d.change not in bad:
                self._by_change.setdefault(d.change, []).append(d)

    def verdict(self, edit: Edit) -> str | None:
        """accept, reject or None: what the decisions say about this edit (see the module's docstring)."""
        for d in self._by_change.get((edit.kind, edit.before, edit.after), ()):
            if edit.kind in NAME_KINDS and d.entity_id and edit.entity_id and d.entity_id != edit.entity_id:
                continue
            return d.verdict
        return None

    def apply(self, text: str, result: CleanResult) -> CleanResult:
        """``result`` (of cleaning ``text``) with rejected changes dropped and accepted suggestions applied."""
        if not self._by_change:
            return result
        edits = [e for e in result.edits if self.verdict(e) != "reject"]
        suggestions: list[Edit] = []
        taken = [(e.start, e.end) for e in edits]
        for s in sorted(result.suggestions, key=lambda e: (-e.confidence, e.start)):
            verdict = self.verdict(s)
            if verdict == "reject":
                continue
            if verdict == "accept" and not any(a < s.end and s.start < b for a, b in taken):
                edits.append(replace(s, reason=f"{s.reason} Accepted in review."))
                taken.append((s.start, s.end))
            else:
                suggestions.append(s)
        if len(edits) == len(result.edits) and len(suggestions) == len(result.suggestions):
            return result
        return CleanResult(apply_edits(text, edits), edits, sorted(suggestions, key=lambda e: e.start),
                           list(result.explanations))


def _fail(path: Path | str, message: str) -> DecisionsError:
    return DecisionsError(f"{path}: not a decisions file: {message}")


def read_decisions(path: Path | str) -> list[Decision]:
    """The decisions of one file; anything malformed is a one-line :class:`DecisionsError`."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise DecisionsError(f"{path}: cannot read decisions: {exc.strerror or exc}") from None
    try:
        data: Any = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise _fail(path, "not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise _fail(path, f"invalid JSON at line {exc.lineno} column {exc.colno}") from None
    if not isinstance(data, dict):
        raise _fail(path, "expected a JSON object")
    if data.get("schema") != SCHEMA:
        raise _fail(path, f"schema {data.get('schema')!r}, expected {SCHEMA!r}")
    items = data.get("decisions")
    if not isinstance(items, list):
        raise _fail(path, "'decisions' must be a list")
    out: list[Decision] = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise _fail(path, f"decision {i} is not an object")
        values = {k: item.get(k) for k in ("before", "after", "kind", "verdict")}
        missing = [k for k, v in values.items() if not isinstance(v, str) or (k != "after" and not v)]
        if missing:
            raise _fail(path, f"decision {i}: {', '.join(missing)} must be a non-empty string")
        if values["verdict"] not in VERDICTS:
            raise _fail(path, f"decision {i}: verdict {values['verdict']!r} is not accept or reject")
        entity = item.get("entity_id")
        if entity is not None and not isinstance(entity, str):
            raise _fail(path, f"decision {i}: entity_id must be a string or null")
        out.append(Decision(str(values["before"]), str(values["after"]), str(values["kind"]), entity or None,
                            str(values["verdict"]), f"{path}:{i}"))
    return out


def load_decisions(paths: Iterable[Path | str]) -> Decisions:
    """The decisions of these files, in order."""
    return Decisions([d for p in paths for d in read_decisions(p)])


# ---------------------------------------------------------------- learning a glossary

def learned_path() -> Path:
    """The learned glossary in the user data dir (NORMKIT_DATA_DIR overrides), loaded by default."""
    from .gazetteer.store import data_dir

    return data_dir() / LEARNED_FILE


def _slug(text: str) -> str:
    return re.sub(r"[^\w]+", "-", text.lower()).strip("-") or "x"


def learn(decisions: Decisions, gazetteer: Any, existing: Sequence[Any] = ()) -> tuple[list[Any], list[str]]:
    """Glossary entries from name decisions, merged over ``existing`` (by id), and notes on what
    was skipped. An accepted fix makes the entry's house spelling ``after`` (the entry, copied, with
    ``after`` as its Latin form, the former one kept as an alias); a rejected one makes ``before``
    a keep-as-written entry (type ``keep``: the name stage leaves the word alone)."""
    from .gazetteer import Entry

    entries: dict[str, Entry] = {e.id: e for e in existing}
    notes: list[str] = []
    for d in decisions.decisions:
        if d.kind not in NAME_KINDS or decisions.verdict(Edit(0, 0, d.before, d.after, d.kind, 0.0, "",
                                                              d.entity_id)) != d.verdict:
            continue  # a script repair, or a conflict (reported apart)
        if d.verdict == "reject":
            keep_id = f"learned:keep-{_slug(d.before)}"
            entries[keep_id] = Entry(keep_id, d.before, d.before, KEEP_TYPE, (), 0, (), LEARNED_SOURCE)
            continue
        entry = entries.get(d.entity_id or "") or (gazetteer.get(d.entity_id) if d.entity_id else None)
        if entry is None or (d.entity_id or "").startswith("lexicon:"):
            notes.append(f"{d.source}: {d.before!r} -> {d.after!r} names no gazetteer entry; not learned")
            continue
        from .gazetteer import name_key

        known = {name_key(w) for n in entry.names for w in (n, *n.split())}
        if name_key(d.after) in known:
            notes.append(f"{d.source}: {d.after!r} is already a spelling of {entry.id}; nothing to learn")
            continue
        if len(d.after.split()) == len(entry.latin.split()):  # the house form of the whole name
            aliases = tuple(dict.fromkeys(a for a in (entry.latin, *entry.aliases) if a != d.after))
            entries[entry.id] = replace(entry, latin=d.after, aliases=aliases, source=LEARNED_SOURCE)
        else:  # a house spelling of part of it (a surname, a city's core name): an accepted alias
            entries[entry.id] = replace(entry, aliases=(*entry.aliases, d.after), source=LEARNED_SOURCE)
    return list(entries.values()), notes
