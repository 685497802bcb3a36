"""The review page's decision controls and its handling of invisible characters, as HTML (the
browser side is tests/test_review_browser.py)."""
from __future__ import annotations

import re
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytest

import normkit
from conftest import SEED, run_cli
from normkit import report
from normkit.types import CleanResult, Edit
from report_helpers import Node, marks, parse, raw_text, shown_text

INVISIBLE_CATEGORIES = ("Cc", "Cf", "Zl", "Zp")


def _boxes(doc: Node) -> list[Node]:
    return [n for n in doc.iter("span") if n.has_class("e")]


def test_the_invisible_class_is_every_control_and_format_character_but_tab_and_newline() -> None:
    # checked against this Python's Unicode data; code points it does not know yet (Cn) may be in
    # the class, as later Unicode versions assign them as format characters
    wrong = []
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        category = unicodedata.category(char)
        if category == "Cs":
            continue
        want = category in INVISIBLE_CATEGORIES and char not in "\t\n"
        got = report._INVISIBLE_RE.fullmatch(char) is not None
        if got != want and not (got and category == "Cn"):
            wrong.append(f"U+{code:04X} {category}")
    assert not wrong, wrong[:20]


@pytest.mark.parametrize("text, labels", [
    ("Kir\u202eihsi\u202c", ["U+202E", "U+202C"]),  # a right-to-left override: reads "Kirishi"
    ("Mos\u200bcow", ["U+200B"]),
    ("soft\u00adhyphen \ufeffBOM word\u2060joiner", ["U+00AD", "U+FEFF", "U+2060"]),
    ("isolate \u2066x\u2069 and \u2067y\u2069", ["U+2066", "U+2069", "U+2067", "U+2069"]),
    ("a coder \U0001f469\u200d\U0001f4bb", ["U+200D"]),  # shown even inside an emoji sequence
    ("tag \U000e0041 end", ["U+E0041"]),
    ("line\r\nend\x00\x1b[31m", ["U+000D", "U+0000", "U+001B"]),  # a browser would eat CR and NUL
    ("line\u2028separator", ["U+2028"]),
])
def test_visible_shows_each_invisible_character_and_keeps_it_recoverable(text: str, labels: list[str]) -> None:
    html_text = report.visible(text)
    assert not [c for c in html_text if unicodedata.category(c) in INVISIBLE_CATEGORIES and c not in "\n\t"]
    doc = parse(f"<p>{html_text}</p>")
    spans = [n for n in doc.iter("span") if n.has_class("cf")]
    assert [s.text() for s in spans] == [f"\u27e8{label}\u27e9" for label in labels]
    assert raw_text(doc) == text  # what the page's script rebuilds for the downloads
    assert report.visible_plain(text) == report.escape(
        "".join(f"\u27e8U+{ord(c):04X}\u27e9" if report._INVISIBLE_RE.match(c) else c for c in text))


def test_a_spoofed_word_shows_its_controls_everywhere_on_the_page() -> None:
    text = "Drones fell near Kir\u202eihsi\u202c today.\n"
    word = "Kir\u202eihsi\u202c"
    at = text.index(word)
    edit = Edit(at, at + len(word), word, "Kirishi", "invisible", 0.95, "bidi controls \u202eremoved")
    page = report.render(CleanResult(normkit.apply_edits(text, [edit]), [edit]), original=text,
                         title="review of \u202etxt.exe")
    body = page[page.index("<body"):page.index("<script>")]
    # outside attribute values, which are never shown, no invisible character is written at all
    shown = re.sub(r'"[^"]*"', '""', body) + page[page.index("<title>"):page.index("</title>")]
    assert not [c for c in shown if unicodedata.category(c) in INVISIBLE_CATEGORIES and c not in "\n\t"]
    doc = parse(page)
    [mark] = marks(doc)
    assert next(mark.iter("del")).text() == "Kir\u27e8U+202E\u27e9ihsi\u27e8U+202C\u27e9"
    tip = doc.by_id(mark.attrs["aria-describedby"]).text()
    assert "Kir\u27e8U+202E\u27e9ihsi" in tip and "bidi controls \u27e8U+202E\u27e9removed" in tip
    assert "Kir\u27e8U+202E\u27e9ihsi" in doc.by_id("nk-list").text()
    assert next(doc.iter("title")).text() == "review of \u27e8U+202E\u27e9txt.exe"
    assert shown_text(doc, "original") == text and shown_text(doc, "cleaned") == normkit.apply_edits(text, [edit])


def test_every_change_carries_accept_and_reject_buttons_and_its_state() -> None:
    text = SEED.read_text(encoding="utf-8") + "\nOfficials in Pechor said the Glazhev village road reopened.\n"
    result = normkit.clean(text)
    doc = parse(report.render(result))
    boxes = _boxes(doc)
    assert len(boxes) == len(marks(doc)) == len(result.edits) + len(result.suggestions)
    for n, box in enumerate(boxes, 1):
        [mark] = [m for m in box.iter("mark")]
        assert mark.attrs["id"] == f"e{n}"  # the script's index of a change is its place on the page
        assert mark.attrs["data-on"] == mark.attrs["data-applied"]  # nothing decided yet
        buttons = list(box.iter("button"))
        assert [(b.attrs["data-action"], b.attrs["type"], b.attrs["aria-pressed"], b.text()) for b in buttons] == [
            ("accept", "button", "false", "Accept"), ("reject", "button", "false", "Reject")]
        # the buttons are not part of the tooltip that describes the mark
        tip = doc.by_id(mark.attrs["aria-describedby"])
        assert not list(tip.iter("button"))
    # the review controls wait for the script, like the filter
    assert "hidden" in doc.by_id("nk-review").attrs
    for ident in ("nk-count", "nk-accept-min", "nk-accept-all", "nk-undo", "nk-get-text", "nk-get-decisions"):
        doc.by_id(ident)
    assert float(doc.by_id("nk-accept-min").attrs["value"] or "") == report.ACCEPT_ALL_DEFAULT
    assert next(doc.iter("aside")).attrs["data-truncated"] == "false"


def test_the_page_names_its_source_for_the_decisions_file(tmp_path: Path) -> None:
    result = normkit.clean("Near the Кириshi plant.\n")
    body = next(parse(report.render(result, source='a "quoted"<name>.txt')).iter("body"))
    assert body.attrs["data-source"] == 'a "quoted"<name>.txt'
    assert "data-source" not in next(parse(report.render(result)).iter("body")).attrs
    path = tmp_path / "in.txt"
    path.write_text("Near the Кириshi plant.\n", encoding="utf-8")
    assert run_cli("clean", str(path), "-o", str(tmp_path / "o.txt"), "--report", str(tmp_path / "r.html")).returncode == 0
    assert next(parse((tmp_path / "r.html").read_text(encoding="utf-8")).iter("body")).attrs["data-source"] == str(path)
    proc = run_cli("clean", "-", "-o", str(tmp_path / "o2.txt"), "--report", "-", stdin=path.read_bytes())
    assert "data-source" not in next(parse(proc.stdout.decode()).iter("body")).attrs  # stdin: null


@dataclass(frozen=True)
class _LinkedEdit(Edit):
    """An edit with the entity fields issue 18 adds to normkit.Edit (read with getattr)."""

    entity_id: str | None = None
    canonical_latin: str | None = None
    canonical_cyrillic: str | None = None


def test_a_name_edits_entity_reaches_the_page() -> None:
    text = "Drones fell near Kirishy and Pechor.\n"
    at = text.index("Kirishy")
    linked = _LinkedEdit(at, at + 7, "Kirishy", "Kirishi", "place_name", 0.9, "a known town",
                         entity_id="geonames:548442", canonical_latin="Kirishi", canonical_cyrillic="Кириши")
    at = text.index("Pechor")
    plain = Edit(at, at + 6, "Pechor", "Pechora", "place_name", 0.4, "ambiguous")
    doc = parse(report.render(CleanResult(normkit.apply_edits(text, [linked]), [linked], [plain]), original=text))
    first, second = marks(doc)
    assert first.attrs["data-entity"] == "geonames:548442" and "data-entity" not in second.attrs
    assert "Entity geonames:548442: Kirishi / Кириши" in doc.by_id(first.attrs["aria-describedby"]).text()


@pytest.mark.parametrize("changes, folded", [(report.LIST_OPEN_MAX, False), (report.LIST_OPEN_MAX + 1, True)])
def test_a_long_list_of_changes_starts_folded(changes: int, folded: bool) -> None:
    line = "Near the Кириshi plant.\n"
    text = line * changes
    edits = [Edit(i * len(line) + 9, i * len(line) + 16, "Кириshi", "Kirishi", "mixed_script", 0.9, "")
             for i in range(changes)]
    doc = parse(report.render(CleanResult(normkit.apply_edits(text, edits), edits), original=text))
    box = doc.by_id("nk-list-box")
    assert ("open" not in box.attrs) == folded
    assert len([r for r in doc.by_id("nk-list").iter("tr") if "data-confidence" in r.attrs]) == changes


def test_the_script_knows_the_schema_and_context_width() -> None:
    # the decisions file's constants live in Python; the script (hashed into the policy) carries them
    assert f'"{report.DECISIONS_SCHEMA}"' in report._JS
    assert f"var CONTEXT = {report.CONTEXT_CHARS};" in report._JS
    assert "__" not in report._JS.replace("__proto__", "")
    assert ":has(" not in report._CSS  # it makes a large page's first layout far slower
