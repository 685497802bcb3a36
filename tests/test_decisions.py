"""Review decisions fed back: clean --decisions / Config(decisions=...), and gazetteer learn."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import normkit
from normkit.decisions import DecisionsError, load_decisions
from normkit.types import apply_edits

from conftest import run_cli

TEXT = "The plant in Kirishy was closed, and Novosibrisk agreed."


def _write(path: Path, *decisions: dict[str, Any], schema: str = "normkit-decisions 1") -> Path:
    rows = [{"start": 0, "end": 0, "context": "", "confidence": 0.5, "status": "suggested",
             "time": "2026-01-01T00:00:00Z", "entity_id": None, **d} for d in decisions]
    path.write_text(json.dumps({"schema": schema, "source": None, "decisions": rows}), encoding="utf-8")
    return path


def _changes(result: normkit.CleanResult) -> tuple[set[str], set[str]]:
    return {e.before for e in result.edits}, {e.before for e in result.suggestions}


def _plain() -> normkit.CleanResult:
    return normkit.clean(TEXT)


def test_a_rejected_change_is_never_made_again_not_even_as_a_suggestion(tmp_path: Path) -> None:
    plain = _plain()
    changes = [*plain.edits, *plain.suggestions]
    assert {e.before for e in changes} >= {"Kirishy", "Novosibrisk"}
    rejected = _write(tmp_path / "d.json", *({"before": e.before, "after": e.after, "kind": e.kind,
                                             "entity_id": e.entity_id, "verdict": "reject"} for e in changes))
    result = normkit.clean(TEXT, decisions=[str(rejected)])
    assert result.edits == [] and result.suggestions == [] and result.text == TEXT


def test_an_accepted_suggestion_is_applied_below_the_threshold(tmp_path: Path) -> None:
    high = normkit.clean(TEXT, min_confidence=0.99)
    assert not high.edits and high.suggestions
    accepted = _write(tmp_path / "d.json", *({"before": e.before, "after": e.after, "kind": e.kind,
                                             "entity_id": e.entity_id, "verdict": "accept"} for e in high.suggestions))
    result = normkit.clean(TEXT, min_confidence=0.99, decisions=[str(accepted)])
    assert {e.before for e in result.edits} == {e.before for e in high.suggestions} and not result.suggestions
    assert apply_edits(TEXT, result.edits) == result.text and "Kirishi" in result.text


def test_an_accepted_fix_the_model_would_not_even_suggest_is_applied(tmp_path: Path) -> None:
    import dataclasses

    text = "Trains to Kirovgrat resumed."
    path = _write(tmp_path / "d.json", {"before": "Kirovgrat", "after": "Kirovgrad", "kind": "place_name",
                                        "entity_id": "geonames:1503335", "verdict": "accept"})
    for decisions, fixed in (((), False), ((str(path),), True)):
        nz = normkit.Normalizer(decisions=decisions)
        linker = nz.name_linker()
        linker.model = dataclasses.replace(linker.model, suggest=0.99, apply=0.995)  # the model: no fix here
        result = nz.clean(text)
        assert ("Kirovgrad" in result.text) is fixed and not result.suggestions


@pytest.mark.parametrize("decision, applied", [
    ({"verdict": "accept"}, True),                                    # the same kind, before, after, entity
    ({"verdict": "accept", "entity_id": None}, True),                 # no entity named: any entity
    ({"verdict": "accept", "entity_id": "geonames:1"}, False),        # another entity: not this context
    ({"verdict": "accept", "kind": "person_name"}, False),            # another kind
    ({"verdict": "accept", "after": "Kirishi-2"}, False),             # another fix
])
def test_the_same_kind_of_context(tmp_path: Path, decision: dict[str, Any], applied: bool) -> None:
    base = {"before": "Kirishy", "after": "Kirishi", "kind": "place_name", "entity_id": "geonames:548442"}
    path = _write(tmp_path / "d.json", {**base, **decision})
    result = normkit.clean(TEXT, min_confidence=0.99, decisions=[str(path)])
    assert ("Kirishy" in _changes(result)[0]) is applied


def test_conflicting_decisions_are_not_guessed(tmp_path: Path) -> None:
    base = {"before": "Kirishy", "after": "Kirishi", "kind": "place_name", "entity_id": "geonames:548442"}
    a = _write(tmp_path / "a.json", {**base, "verdict": "accept"})
    r = _write(tmp_path / "r.json", {**base, "verdict": "reject"})
    two = _write(tmp_path / "t.json", {**base, "after": "Kirischi", "verdict": "accept"})
    assert load_decisions([a, r]).conflicts and load_decisions([a, two]).conflicts
    assert not load_decisions([a, a]).conflicts
    # Neither applied nor dropped: normkit decides as without decisions.
    assert _changes(normkit.clean(TEXT, decisions=[str(a), str(r)])) == _changes(_plain())
    done = run_cli("clean", "-", "--decisions", str(a), "--decisions", str(r), stdin=TEXT.encode())
    assert done.returncode == 0 and "conflicting decisions" in done.stderr.decode()


@pytest.mark.parametrize("content, message", [
    (b"not json", "invalid JSON"),
    (b"[]", "JSON object"),
    (b'{"schema": "normkit-decisions 9", "decisions": []}', "schema"),
    (b'{"schema": "normkit-decisions 1", "decisions": {}}', "list"),
    (b'{"schema": "normkit-decisions 1", "decisions": [{"before": "a", "after": "b", "kind": "x"}]}', "verdict"),
    (b'{"schema": "normkit-decisions 1", "decisions": [{"before": "a", "after": "b", "kind": "x", '
     b'"verdict": "maybe"}]}', "accept or reject"),
    (b'\xff\xfe\x00', "UTF-8"),
])
def test_bad_decisions_files_are_one_line_errors(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(DecisionsError, match=message):
        load_decisions([path])
    for args in (("clean", "-", "--decisions", str(path)), ("gazetteer", "learn", str(path))):
        done = run_cli(*args, stdin=TEXT.encode())
        lines = done.stderr.decode().strip().splitlines()
        assert done.returncode == 2 and len(lines) == 1 and message.split()[0] in lines[0], done.stderr
        assert done.stdout == b""


def test_learn_writes_house_spellings_and_keep_entries_that_clean_then_uses(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NORMKIT_DATA_DIR", str(tmp_path / "data"))
    decisions = _write(tmp_path / "d.json",
                       {"before": "Kirishy", "after": "Kirischi", "kind": "place_name",
                        "entity_id": "geonames:548442", "verdict": "accept"},
                       {"before": "Novosibrisk", "after": "Novosibirsk", "kind": "place_name",
                        "entity_id": "geonames:1496745", "verdict": "reject"},
                       {"before": "Москвa", "after": "Moscow", "kind": "homoglyph", "verdict": "accept"})
    out = tmp_path / "team.tsv"
    done = run_cli("gazetteer", "learn", str(decisions), "-o", str(out))
    assert done.returncode == 0, done.stderr
    from normkit.gazetteer import read_glossary

    entries = {e.id: e for e in read_glossary(out)}
    assert entries["geonames:548442"].latin == "Kirischi" and "Kirishi" in entries["geonames:548442"].aliases
    keep = [e for e in entries.values() if e.type == "keep"]
    assert [e.latin for e in keep] == ["Novosibrisk"]
    assert len(entries) == 2  # the script repair is not a name decision
    # Run again: merged, not duplicated (a team's reviews accumulate).
    assert run_cli("gazetteer", "learn", str(decisions), "-o", str(out)).returncode == 0
    assert len(read_glossary(out)) == 2
    result = normkit.clean(TEXT, glossaries=[str(out)])
    assert "Novosibrisk" not in _changes(result)[0] | _changes(result)[1]  # kept as written
    near = normkit.clean("Trains to Novosibrsk resumed.", glossaries=[str(out)])
    assert all(e.after != "Novosibrisk" for e in [*near.edits, *near.suggestions])  # never a target
    assert any(e.after == "Kirischi" for e in [*result.edits, *result.suggestions])  # the house spelling
    # Without -o: the learned glossary in the user data dir, loaded by default.
    assert run_cli("gazetteer", "learn", str(decisions)).returncode == 0
    assert (tmp_path / "data" / "learned_glossary.tsv").is_file()
    check = run_cli("gazetteer", "lookup", "Kirischi")
    assert check.returncode == 0 and "geonames:548442" in check.stdout.decode()


def test_learn_reports_conflicts_one_line_each_and_exits_1(tmp_path: Path) -> None:
    base = {"before": "Kirishy", "kind": "place_name", "entity_id": "geonames:548442", "verdict": "accept"}
    path = _write(tmp_path / "d.json", {**base, "after": "Kirishi"}, {**base, "after": "Kirischi"},
                  {"before": "Volgogrand", "after": "Volgograd", "kind": "place_name", "verdict": "accept"},
                  {"before": "Volgogrand", "after": "Volgograd", "kind": "place_name", "verdict": "reject"})
    done = run_cli("gazetteer", "learn", str(path), "-o", str(tmp_path / "out.tsv"))
    conflicts = [line for line in done.stderr.decode().splitlines() if line.startswith("conflict:")]
    assert done.returncode == 1 and len(conflicts) == 2
