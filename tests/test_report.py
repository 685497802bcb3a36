"""The HTML review page: structure, escaping, self-containment, streaming caps, and the CLI option."""
from __future__ import annotations

import base64
import hashlib
import io
import json
import re
import tracemalloc
from pathlib import Path

import pytest

import normkit
from conftest import SEED, run_cli
from normkit import report
from normkit.types import CleanResult, Edit
from report_helpers import HOSTILE_MARKERS, HOSTILE_TEMPLATE, marks, parse, raw_text, shown_text

HOSTILE = HOSTILE_TEMPLATE.format(port=9)


def _counts(result: CleanResult) -> int:
    return len(result.edits) + len(result.suggestions)


def test_seed_report_marks_every_edit_with_its_kind_and_offsets() -> None:
    text = SEED.read_text(encoding="utf-8")
    result = normkit.clean(text)
    doc = parse(report.render(result))
    found = marks(doc)
    assert len(found) == _counts(result) >= 3
    expected = sorted([(e.start, e.end, e.kind, "true") for e in result.edits]
                      + [(e.start, e.end, e.kind, "false") for e in result.suggestions])
    got = sorted((int(m.attrs["data-start"]), int(m.attrs["data-end"]), m.attrs["data-kind"],
                  m.attrs["data-applied"]) for m in found)
    assert got == expected
    for mark in found:
        start, end = int(mark.attrs["data-start"]), int(mark.attrs["data-end"])
        assert next(mark.iter("del")).text() == text[start:end]
        tip = doc.by_id(mark.attrs["aria-describedby"])
        assert tip.attrs["role"] == "tooltip" and mark.attrs["tabindex"] == "0"
        edit = next(e for e in result.edits + result.suggestions if e.start == start)
        assert next(mark.iter("ins")).text() == edit.after
        assert edit.reason in tip.text() and f"{edit.confidence:.2f}" in tip.text()
    # the two readings of the text column are the input and the cleaned output, exactly
    assert shown_text(doc, "original") == text
    assert shown_text(doc, "cleaned") == result.text


def test_summary_table_counts_by_kind() -> None:
    text = ("Officials in Pechor said the bridge was closed. He met Ivanov in Москвa. "
            "The Glazhev village road reopened. Тhе end.\n")
    result = normkit.clean(text)
    assert result.suggestions and result.edits  # both kinds of row are exercised
    doc = parse(report.render(result))
    table = doc.by_id("nk-kinds")
    rows = {r.attrs["data-kind"]: [c.text() for c in r.iter("td")] for r in table.iter("tr") if "data-kind" in r.attrs}
    for kind in {e.kind for e in result.edits + result.suggestions}:
        applied = sum(e.kind == kind for e in result.edits)
        suggested = sum(e.kind == kind for e in result.suggestions)
        assert rows[kind][:2] == [str(applied), str(suggested)]
    listed = [r for r in doc.by_id("nk-list").iter("tr") if "data-confidence" in r.attrs]
    assert len(listed) == _counts(result)
    assert all(next(r.iter("a")).attrs["href"].startswith("#e") for r in listed)


@pytest.mark.parametrize("text, line", [
    ("Snow fell on Вологдa overnight.", "Letters by script: Cyrillic \u201cВологд\u201d, Latin \u201ca\u201d"),
    ("В городе Tомск открыли мост.", "Letters by script: Latin \u201cT\u201d, Cyrillic \u201cомск\u201d"),
])
def test_tooltip_shows_which_letters_are_look_alikes(text: str, line: str) -> None:
    doc = parse(report.render(normkit.clean(text)))
    [mark] = marks(doc)
    tip = doc.by_id(mark.attrs["aria-describedby"])
    assert line in [span.text() for span in tip.iter("span")]


def test_suggestions_are_marked_apart_and_overlaps_ride_along() -> None:
    text = "Near Kirishy and Pechor today."
    kirishy = text.index("Kirishy")
    edit = Edit(kirishy, kirishy + 7, "Kirishy", "Kirishi", "place_name", 0.9, "a known town")
    # a second opinion on the same word (not applied) and a lone suggestion elsewhere
    rival = Edit(kirishy, kirishy + 7, "Kirishy", "Kirishiy", "name_variant", 0.3, "another spelling")
    pechor = text.index("Pechor")
    lone = Edit(pechor, pechor + 6, "Pechor", "Pechora", "place_name", 0.45, "ambiguous")
    result = CleanResult(normkit.apply_edits(text, [edit]), [edit], [lone, rival])
    doc = parse(report.render(result, original=text))
    found = marks(doc)
    assert [(m.attrs["data-kind"], m.attrs["data-applied"], "data-overlap" in m.attrs) for m in found] == [
        ("place_name", "true", False), ("name_variant", "false", True), ("place_name", "false", False)]
    assert shown_text(doc, "original") == text and shown_text(doc, "cleaned") == result.text


def test_a_suggestion_spanning_an_edit_does_not_hide_it() -> None:
    text = "The Кириshi plant"
    word = text.index("Кириshi")
    inner = Edit(word, word + 7, "Кириshi", "Kirishi", "mixed_script", 0.9, "script repair")
    outer = Edit(0, len(text), text, "The Kirishi refinery", "split", 0.2, "a guess")
    result = CleanResult(normkit.apply_edits(text, [inner]), [inner], [outer])
    doc = parse(report.render(result, original=text))
    assert len(marks(doc)) == 2
    assert shown_text(doc, "cleaned") == "The Kirishi plant"


def test_every_piece_of_input_is_escaped() -> None:
    # hostile text in the input and in every field of an edit, including its kind
    text = HOSTILE
    spot = text.index('"><img src=x onerror=alert(1)>')
    before = '"><img src=x onerror=alert(1)>'
    edit = Edit(spot, spot + len(before), before, "</textarea><script>alert(2)</script>",
                'x" onmouseover="alert(3)', 0.9, "<!-- reason --> <b>bold</b> \u2028 '\"")
    result = CleanResult(normkit.apply_edits(text, [edit]), [edit])
    page = report.render(result, title="<script>alert(4)</script>", original=text)
    doc = parse(page)
    # no element the input spelled out became one
    assert [s.text() for s in doc.iter("script")] == [report._JS]
    assert not list(doc.iter("img")) and not list(doc.iter("textarea")) and not list(doc.iter("iframe"))
    assert not list(doc.iter("b")) and not list(doc.iter("link")) and not list(doc.iter("base"))
    assert len(list(doc.iter("style"))) == 1
    assert not any(k.startswith("on") for n in doc.iter() for k in n.attrs)
    assert shown_text(doc, "original") == text
    for marker in HOSTILE_MARKERS:
        assert marker in text
    [mark] = marks(doc)
    assert mark.attrs["data-kind"] == 'x" onmouseover="alert(3)'
    tip = doc.by_id(mark.attrs["aria-describedby"])
    assert edit.reason in raw_text(tip) and edit.after in raw_text(tip)
    assert "\u2028" not in tip.text() and "\u27e8U+2028\u27e9" in tip.text()  # shown, not obeyed
    assert next(doc.iter("title")).text() == "<script>alert(4)</script>"
    assert "<!-- reason" not in page and "<script>alert" not in page


def test_real_clean_of_a_hostile_article() -> None:
    result = normkit.clean(HOSTILE)
    assert {e.after for e in result.edits} >= {"Kirishi", "Glazhevo"}
    doc = parse(report.render(result))
    assert len(marks(doc)) == _counts(result)
    assert shown_text(doc, "original") == HOSTILE
    assert len(list(doc.iter("script"))) == 1 and not list(doc.iter("img"))


def test_page_is_self_contained_with_a_strict_policy() -> None:
    page = report.render(normkit.clean(SEED.read_text(encoding="utf-8")))
    doc = parse(page)
    policy = next(m for m in doc.iter("meta") if m.attrs.get("http-equiv") == "Content-Security-Policy")
    directives = dict(d.strip().split(" ", 1) for d in policy.attrs["content"].split(";"))
    assert directives["default-src"] == "'none'" and directives["connect-src"] == "'none'"
    for tag, directive in (("script", "script-src"), ("style", "style-src")):
        [element] = doc.iter(tag)
        digest = base64.b64encode(hashlib.sha256(element.text().encode()).digest()).decode()
        assert directives[directive] == f"'sha256-{digest}'"  # only this very script/style may run
    # nothing to fetch: no URL in any attribute or in the style, only in-page links
    for node in doc.iter():
        for name, value in node.attrs.items():
            assert not re.search(r"(?i)(https?:|//|url\()", value or ""), (node.tag, name, value)
            if name in ("href", "src"):
                assert (value or "").startswith("#"), (node.tag, name, value)
    css = next(doc.iter("style")).text()
    assert "url(" not in css and "@import" not in css and not re.search(r"(?i)https?:", page)


def test_readable_without_javascript() -> None:
    result = normkit.clean(SEED.read_text(encoding="utf-8"))
    doc = parse(report.render(result))
    # the script adds the filter and the decisions: before it runs, the controls it drives are
    # hidden, every change is highlighted and reachable with Tab, and the views work with CSS alone
    assert "hidden" in doc.by_id("nk-controls").attrs and "hidden" in doc.by_id("nk-review").attrs
    assert all(m.attrs["tabindex"] == "0" and "data-filtered" not in m.attrs for m in marks(doc))
    assert [i.attrs["id"] for i in doc.iter("input") if i.attrs.get("type") == "radio"] == [
        "nk-changes", "nk-cleaned", "nk-original"]


def test_output_is_deterministic() -> None:
    result = normkit.clean(SEED.read_text(encoding="utf-8"))
    assert report.render(result) == report.render(normkit.clean(SEED.read_text(encoding="utf-8")))


def test_streamed_pieces_number_offsets_and_lines_across_the_input() -> None:
    paragraphs = ["Plain first line.\nSecond line with Москвa in it.\n\n",
                  "Near the Кириshi plant,\ndrones fell. The Glazhev village road.\n\n",
                  "Last: Тhе end.\n"]
    whole = "".join(paragraphs)
    out = io.StringIO()
    summary = report.write_report([(p, normkit.clean(p)) for p in paragraphs], out)
    doc = parse(out.getvalue())
    found = marks(doc)
    assert len(found) == summary.applied + summary.suggested >= 4
    assert summary.input_chars == len(whole) and not summary.truncated
    for mark in found:
        start, end = int(mark.attrs["data-start"]), int(mark.attrs["data-end"])
        assert next(mark.iter("del")).text() == whole[start:end]
        line = whole.count("\n", 0, start) + 1
        column = start - (whole.rfind("\n", 0, start) + 1) + 1
        assert f"line {line}, column {column}" in doc.by_id(mark.attrs["aria-describedby"]).text()
    assert shown_text(doc, "original") == whole


def test_caps_stop_the_text_with_a_note_but_count_everything() -> None:
    line = "The governor said drones fell near the Кириshi plant today.\n"
    pieces = [line * 50 for _ in range(10)]
    out = io.StringIO()
    summary = report.write_report(((p, normkit.clean(p)) for p in pieces), out, max_text_chars=5_000,
                                  max_marks=1_000)
    doc = parse(out.getvalue())
    assert summary.truncated and summary.applied == 500 and summary.input_chars == len(line) * 500
    assert summary.shown_chars <= 5_000 and len(marks(doc)) == summary.shown_marks < 100
    notes = [n.text() for n in doc.iter("p") if n.attrs.get("role") == "note"]
    assert len(notes) == 2 and all(f"{summary.shown_chars:,} characters" in n for n in notes)
    assert "500" in doc.by_id("nk-kinds").text()
    # the mark cap: the text stops before the change that would pass it, never inside one
    out = io.StringIO()
    summary = report.write_report([(line * 50, normkit.clean(line * 50))], out, max_marks=7)
    doc = parse(out.getvalue())
    assert len(marks(doc)) == summary.shown_marks == 7 and summary.applied == 50
    assert shown_text(doc, "original") == (line * 8)[:line.index("Кириshi") + 7 * len(line)]


class _Sink(io.TextIOBase):
    def __init__(self) -> None:
        self.chars = 0

    def write(self, text: str) -> int:
        self.chars += len(text)
        return len(text)


def test_a_100_mb_input_streams_in_bounded_memory_to_a_bounded_page() -> None:
    chunk = ("Residents near the Кириshi plant heard the drones at night. " * 4 + "\n") * 1024
    edits = [Edit(m.start(), m.end(), "Кириshi", "Kirishi", "mixed_script", 0.9, "script repair")
             for m in re.finditer("Кириshi", chunk)][::16]
    result = CleanResult(normkit.apply_edits(chunk, edits), edits)
    pieces = 100_000_000 // len(chunk) + 1
    sink = _Sink()
    tracemalloc.start()
    try:
        summary = report.write_report(((chunk, result) for _ in range(pieces)), sink)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert summary.input_chars >= 100_000_000 and summary.applied == len(edits) * pieces
    assert summary.truncated and summary.shown_chars <= report.MAX_TEXT_CHARS
    assert sink.chars < 8 * report.MAX_TEXT_CHARS  # a few MB, not a copy of 100 MB
    assert peak < 40 * 1024 * 1024, f"peak {peak / 2**20:.1f} MiB"


def test_bad_offsets_are_a_programming_error() -> None:
    with pytest.raises(ValueError, match="outside the text"):
        report.render(CleanResult("ab", [Edit(1, 5, "b", "c", "homoglyph", 0.9, "")]), original="ab")


# -- the CLI option ------------------------------------------------------------------------------
def test_cli_report_matches_the_json_edits(tmp_path: Path) -> None:
    page_path, clean_path = tmp_path / "seed.html", tmp_path / "seed.clean.txt"
    proc = run_cli("clean", str(SEED), "-o", str(clean_path), "--report", str(page_path))
    assert proc.returncode == 0, proc.stderr
    data = json.loads(run_cli("clean", str(SEED), "--format", "json").stdout)
    doc = parse(page_path.read_text(encoding="utf-8"))
    got = sorted((int(m.attrs["data-start"]), m.attrs["data-kind"]) for m in marks(doc))
    assert got == sorted((e["start"], e["kind"]) for e in data["edits"] + data["suggestions"])
    assert shown_text(doc, "cleaned") == clean_path.read_text(encoding="utf-8") == data["text"]
    assert str(SEED) in next(doc.iter("title")).text()


def test_cli_report_with_jsonl_covers_every_line(tmp_path: Path) -> None:
    text = "plain line\r\nNear the Кириshi plant, drones fell.\n\nВ Москвa дождь идёт весь день.\n"
    proc = run_cli("clean", "-", "--format", "jsonl", "--report", "-", "-o", str(tmp_path / "out.jsonl"),
                   stdin=text.encode())
    assert proc.returncode == 0, proc.stderr
    doc = parse(proc.stdout.decode())
    assert shown_text(doc, "original") == text  # line ends included: offsets index the whole input
    assert [m.attrs["data-kind"] for m in marks(doc)] == ["mixed_script", "homoglyph"]
    start = int(marks(doc)[1].attrs["data-start"])
    assert text[start:start + 6] == "Москвa"


@pytest.mark.parametrize("args, message", [
    (["--report", "-"], "--report -: the cleaned text already goes to stdout"),
    (["-o", "{tmp}/same.html", "--report", "{tmp}/same.html"], "--report and -o name the same file"),
    (["--report", "{tmp}/no/such/dir/r.html"], "no such directory"),
    (["--report", "{input}"], "refusing to overwrite the input"),
])
def test_cli_report_errors_are_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    path = tmp_path / "in.txt"
    path.write_text("Near the Кириshi plant.\n", encoding="utf-8")
    proc = run_cli("clean", str(path), *[a.format(tmp=tmp_path, input=path) for a in args])
    err = proc.stderr.decode()
    assert proc.returncode == 2 and message in err and err.count("\n") == 1, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.txt"]
    assert path.read_text(encoding="utf-8") == "Near the Кириshi plant.\n"


def test_cli_leaves_no_report_when_the_input_fails(tmp_path: Path) -> None:
    path = tmp_path / "in.txt"
    path.write_bytes("Near the Кириshi plant.\n".encode() * 10_000 + b"caf\xe9\n")
    proc = run_cli("clean", str(path), "-o", str(tmp_path / "out.txt"), "--report", str(tmp_path / "r.html"))
    assert proc.returncode == 2 and b"invalid UTF-8" in proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.txt"]


def test_cli_report_of_a_large_file_is_capped(tmp_path: Path) -> None:
    line = "The governor said drones fell near the plant in the north of the region today.\n"
    damaged = "Near the Кириshi plant, drones fell today.\n"
    big = tmp_path / "big.txt"
    big.write_text("".join(line if i % 500 else damaged for i in range(40_000)), encoding="utf-8")
    page = tmp_path / "big.html"
    proc = run_cli("clean", str(big), "-o", str(tmp_path / "big.out"), "--report", str(page))
    assert proc.returncode == 0, proc.stderr
    assert page.stat().st_size < 3 * report.MAX_TEXT_CHARS < big.stat().st_size
    doc = parse(page.read_text(encoding="utf-8"))
    assert any("This page shows the first" in n.text() for n in doc.iter("p"))
    kinds = {r.attrs["data-kind"]: [c.text() for c in r.iter("td")]
             for r in doc.by_id("nk-kinds").iter("tr") if "data-kind" in r.attrs}
    assert kinds["mixed_script"][0] == "80"  # counted over the whole file, not just what is shown
    assert len(marks(doc)) < 80
