"""The review page used as a reviewer uses it: real headless Chromium driven through Selenium and
Debian's ``chromedriver``. Clicks on Accept and Reject, the keys j/k/a/r/u, "accept all", both
downloads (to a download folder set through the DevTools protocol) checked against the text and the
edits normkit reported, the invisible characters shown and kept, and the speed of a 1 MB page.

CI installs ``chromium`` and ``chromium-driver`` (.ci/run); without them, or without Selenium,
this module skips, except under CI (``CI`` set), where it fails.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import time
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

import pytest

import normkit
from conftest import REPO, run_cli
from normkit import report
from normkit.types import CleanResult, Edit
from report_helpers import palette_png, png_pixels, png_size

SCREENSHOT_SIZE = (1200, 900)
README_SCREENSHOT = REPO / "docs" / "report.png"
README_SCREENSHOT_MAX_BYTES = 150_000
ACCEPTED_BUTTON = bytes.fromhex("1a7f37")  # a pressed Accept button's colour on the page
DOWNLOAD_TIMEOUT = 60  # seconds
# The targets (issue 18): a 1 MB article's page opens within 2 s, "accept all" over 1,000 changes
# takes at most 1 s. Each is the best of a few tries: on a machine shared with other jobs one try
# can stall for a second, while a page that is too slow is slow every time.
OPEN_TARGET_S = 2.0
ACCEPT_ALL_TARGET_S = 1.0
TRIES = 3
BIG_CHANGES = 1_000

# Authored for these tests: names normkit repairs (look-alike letters, misspelt places) and two
# it is less sure of, so the page has applied edits and suggestions.
ARTICLE = (
    "Officials in Pechor said on Monday that the bridge over the river was closed for repairs.\n"
    "The governor met Ivanov in Москвa, and later flew to Кириshi to inspect the plant.\n"
    "Residents of the Glazhev village road say the ferry to Tver runs again.\n"
    "Тhе mayor of Vologdа thanked the crews; drones were seen near Kirishy at night.\n"
    "Crews from Kotlass cleared the roads.\n"
)
DECISION_KEYS = {"before", "after", "kind", "entity_id", "start", "end", "context", "confidence", "status",
                 "verdict", "time"}


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _missing(reason: str) -> None:
    if _in_ci():
        pytest.fail(f"CI is set, and {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if chromium is None or driver is None:
        _missing("chromium or chromedriver is not installed (Debian: apt-get install chromium "
                 "chromium-driver); .ci/run installs them")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        _missing("selenium is not installed (pip install -e '.[test]')")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    profile = tmp_path_factory.mktemp("chromium-profile")  # a new, empty profile
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--hide-scrollbars", f"--window-size={SCREENSHOT_SIZE[0]},{SCREENSHOT_SIZE[1]}",
                 f"--user-data-dir={profile}"):
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"download.prompt_for_download": False})
    # Both paths given: Selenium neither looks for nor downloads a driver or a browser.
    driver = webdriver.Chrome(options=options, service=Service(executable_path=driver))
    driver.set_script_timeout(120)
    driver.set_page_load_timeout(180)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def downloads(browser: Any, tmp_path: Path) -> Path:
    folder = tmp_path / "downloads"
    folder.mkdir()
    browser.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(folder)})
    return folder


def _open(browser: Any, page: Path) -> None:
    browser.get(page.as_uri())
    assert browser.execute_script("return document.documentElement.getAttribute('data-js')") == "on"


def _mark(browser: Any, i: int) -> Any:
    return browser.find_element("id", f"e{i + 1}")


def _decide(browser: Any, i: int, action: str) -> None:
    """As a person does: click the change (its pop-up with the buttons opens), click the button."""
    _mark(browser, i).click()
    box = _mark(browser, i).find_element("xpath", "..")
    button = box.find_element("css selector", f'button[data-action="{action}"]')
    assert button.is_displayed()
    button.click()


def _keys(browser: Any, keys: str) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    for key in keys:
        ActionChains(browser).send_keys(key).perform()


def _state(browser: Any, i: int) -> tuple[str | None, str | None]:
    mark = _mark(browser, i)
    return mark.get_attribute("data-verdict"), mark.get_attribute("data-on")


def _counts(browser: Any) -> tuple[int, int, int]:
    out = browser.find_element("id", "nk-count")
    return tuple(int(out.get_attribute(f"data-{k}")) for k in ("accepted", "rejected", "undecided"))  # type: ignore[return-value]


def _download(browser: Any, folder: Path, button: str, name: str) -> bytes:
    browser.find_element("id", button).click()
    path = folder / name
    deadline = time.monotonic() + DOWNLOAD_TIMEOUT
    while not path.exists() or any(p.suffix == ".crdownload" for p in folder.iterdir()):
        assert time.monotonic() < deadline, f"no {name} in {sorted(p.name for p in folder.iterdir())}"
        time.sleep(0.1)
    return path.read_bytes()


@dataclass(frozen=True)
class Change:
    start: int
    end: int
    before: str
    after: str
    kind: str
    applied: bool


def _page_order(data: dict[str, Any]) -> list[Change]:
    changes = [Change(e["start"], e["end"], e["before"], e["after"], e["kind"], True) for e in data["edits"]]
    changes += [Change(e["start"], e["end"], e["before"], e["after"], e["kind"], False)
                for e in data["suggestions"]]
    return sorted(changes, key=lambda c: (c.start, c.end))


def _apply(text: str, changes: list[Change]) -> str:
    return normkit.apply_edits(text, [Edit(c.start, c.end, c.before, c.after, c.kind, 1.0, "") for c in changes])


def _check_decisions(data: dict[str, Any], original: str, source: str | None) -> list[dict[str, Any]]:
    """The decisions file's schema, field by field, against the text it was made from."""
    assert set(data) == {"schema", "source", "decisions"}
    assert data["schema"] == report.DECISIONS_SCHEMA == "normkit-decisions 1"
    assert data["source"] == source
    for d in data["decisions"]:
        assert set(d) == DECISION_KEYS, d
        assert isinstance(d["start"], int) and isinstance(d["end"], int) and 0 <= d["start"] <= d["end"]
        assert d["before"] == original[d["start"]:d["end"]]
        context = original[max(0, d["start"] - report.CONTEXT_CHARS):d["end"] + report.CONTEXT_CHARS]
        assert d["context"] == context
        assert isinstance(d["after"], str) and isinstance(d["kind"], str)
        assert d["entity_id"] is None or isinstance(d["entity_id"], str)
        assert isinstance(d["confidence"], (int, float)) and 0 <= d["confidence"] <= 1
        assert d["status"] in ("applied", "suggested") and d["verdict"] in ("accept", "reject")
        when = datetime.fromisoformat(d["time"].replace("Z", "+00:00"))
        assert when.tzinfo is not None and when.utcoffset() == timezone.utc.utcoffset(None)
        assert abs((datetime.now(timezone.utc) - when).total_seconds()) < 3600
    return list(data["decisions"])


# -- a reviewer's session ---------------------------------------------------------------------
def test_a_reviewer_rejects_accepts_uses_the_keys_and_downloads(browser: Any, downloads: Path,
                                                                tmp_path: Path) -> None:
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    page, cleaned = tmp_path / "article.html", tmp_path / "article.clean.txt"
    proc = run_cli("clean", article.name, "-o", cleaned.name, "--report", page.name, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(run_cli("clean", str(article), "--format", "json").stdout)
    changes = _page_order(data)
    suggestions = [i for i, c in enumerate(changes) if not c.applied]
    applied = [i for i, c in enumerate(changes) if c.applied]
    assert len(applied) >= 3 and suggestions, changes  # the article exercises both
    assert all(a.end <= b.start for a, b in zip(changes, changes[1:]))  # no overlaps here

    _open(browser, page)
    n = len(changes)
    assert _counts(browser) == (0, 0, n)
    # untouched, the page hands over exactly what the CLI wrote
    assert browser.execute_script("return window.normkitReview.cleanedText()") == cleaned.read_text(encoding="utf-8")

    verdict: dict[int, str] = {}
    rejected = applied[-1]
    _decide(browser, rejected, "reject")
    verdict[rejected] = "reject"
    assert _state(browser, rejected) == ("reject", "false")
    chosen = suggestions[0]
    assert _state(browser, chosen) == (None, "false")  # a suggestion is off until accepted
    _decide(browser, chosen, "accept")
    verdict[chosen] = "accept"
    assert _state(browser, chosen) == ("accept", "true")
    assert _counts(browser) == (1, 1, n - 2)

    # keys: from the suggestion just decided, move on (j, or k at the end), accept, reject, undo
    step, back = ("j", "k") if chosen < n - 1 else ("k", "j")
    other = chosen + (1 if step == "j" else -1)
    _keys(browser, step)
    assert browser.switch_to.active_element.get_attribute("id") == f"e{other + 1}"
    _keys(browser, "a")
    assert _state(browser, other) == ("accept", "true")
    _keys(browser, "r")
    assert _state(browser, other) == ("reject", "false")
    _keys(browser, "u")
    verdict[other] = "accept"
    assert _state(browser, other) == ("accept", "true")
    assert browser.find_element("id", "nk-said").text.startswith("Undone: 1 decision")
    _keys(browser, back)
    assert browser.switch_to.active_element.get_attribute("id") == f"e{chosen + 1}"
    accepted = sum(v == "accept" for v in verdict.values())
    assert _counts(browser) == (accepted, len(verdict) - accepted, n - len(verdict))
    rows = browser.find_elements("css selector", "#nk-list tr[data-confidence]")
    assert [r.get_attribute("data-verdict") for r in rows] == [verdict.get(i) for i in range(n)]

    # the picture in the README: decisions made, the keyboard on the accepted suggestion
    _screenshot(browser, tmp_path)

    text_file = _download(browser, downloads, "nk-get-text", "article.reviewed.txt")
    decisions_file = _download(browser, downloads, "nk-get-decisions", "article.decisions.json")
    on = [c for i, c in enumerate(changes) if verdict.get(i, "accept" if c.applied else "reject") == "accept"]
    expected = _apply(ARTICLE, on)
    assert text_file.decode("utf-8") == expected == browser.execute_script("return window.normkitReview.cleanedText()")
    assert expected != cleaned.read_text(encoding="utf-8")

    # the views show the same: the cleaned text with exactly the changes that are on, the original
    text_column = browser.find_element("css selector", "div.text")
    browser.find_element("css selector", 'label[for="nk-cleaned"]').click()
    assert text_column.get_attribute("innerText") == expected
    browser.find_element("css selector", 'label[for="nk-original"]').click()
    assert text_column.get_attribute("innerText") == ARTICLE
    browser.find_element("css selector", 'label[for="nk-changes"]').click()

    got = _check_decisions(json.loads(decisions_file), ARTICLE, article.name)  # named as on the command line
    # every applied change (accepted unless rejected) and the suggestions decided on, in text order
    listed = [i for i, c in enumerate(changes) if c.applied or i in verdict]
    assert [(d["start"], d["end"], d["after"], d["kind"]) for d in got] == [
        (changes[i].start, changes[i].end, changes[i].after, changes[i].kind) for i in listed]
    assert [d["verdict"] for d in got] == [verdict.get(i, "accept") for i in listed]
    assert [d["status"] for d in got] == ["applied" if changes[i].applied else "suggested" for i in listed]
    # the script's decisions() is the same list (the time of a change left as it was is "now")
    again = browser.execute_script("return window.normkitReview.decisions()")["decisions"]
    assert [dict(d, time=None) for d in again] == [dict(d, time=None) for d in got]
    assert [d["time"] for d in again if d["start"] in {changes[i].start for i in verdict}] == [
        d["time"] for d in got if d["start"] in {changes[i].start for i in verdict}]


def _screenshot(browser: Any, tmp_path: Path) -> None:
    width, height = SCREENSHOT_SIZE
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
    try:
        png = browser.get_screenshot_as_png()
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    (tmp_path / "review.png").write_bytes(png)
    assert png_size(png) == SCREENSHOT_SIZE
    _, _, rows = png_pixels(png)
    assert any(ACCEPTED_BUTTON in row[i:i + 3] for row in rows for i in range(0, len(row), 3)), \
        "no pressed Accept button in the screenshot"
    if os.environ.get("NORMKIT_UPDATE_SCREENSHOT") == "1":
        small = palette_png(png)
        assert len(small) < README_SCREENSHOT_MAX_BYTES, len(small)
        README_SCREENSHOT.write_bytes(small)


# -- overlapping changes, bulk decisions, undo --------------------------------------------------
def test_accepting_a_change_rejects_the_ones_it_overlaps_and_undo_restores_them(browser: Any,
                                                                                tmp_path: Path) -> None:
    text = "Near Kirishy and Pechor today, and in Kotlass."
    kirishy, pechor, kotlass = (text.index(w) for w in ("Kirishy", "Pechor", "Kotlass"))
    edit = Edit(kirishy, kirishy + 7, "Kirishy", "Kirishi", "place_name", 0.9, "a known town")
    rival = Edit(kirishy, kirishy + 7, "Kirishy", "Kirishiy", "name_variant", 0.45, "another spelling")
    lone = Edit(pechor, pechor + 6, "Pechor", "Pechora", "place_name", 0.45, "ambiguous")
    low = Edit(kotlass, kotlass + 7, "Kotlass", "Kotlas", "place_name", 0.2, "a guess")
    result = CleanResult(normkit.apply_edits(text, [edit]), [edit], [lone, rival, low])
    page = tmp_path / "overlap.html"
    page.write_text(report.render(result, original=text), encoding="utf-8")
    _open(browser, page)
    review = "return window.normkitReview."
    # page order: the edit, its rival riding on it, the lone suggestion, the low one
    assert [_mark(browser, i).get_attribute("data-kind") for i in range(4)] == [
        "place_name", "name_variant", "place_name", "place_name"]

    _decide(browser, 1, "accept")  # the rival instead of the applied edit
    assert _state(browser, 0) == ("reject", "false") and _state(browser, 1) == ("accept", "true")
    assert "1 overlapping change rejected" in browser.find_element("id", "nk-said").text
    assert browser.execute_script(review + "cleanedText()") == text.replace("Kirishy", "Kirishiy")
    _keys(browser, "u")  # one decision undone: both come back
    assert _state(browser, 0) == (None, "true") and _state(browser, 1) == (None, "false")
    assert browser.execute_script(review + "cleanedText()") == result.text

    # accept all at or above 0.4: the edit and the lone suggestion; the rival overlaps the edit,
    # which is on, so it stays undecided; the low one is below the line
    field = browser.find_element("id", "nk-accept-min")
    field.clear()
    field.send_keys("0.4")
    browser.find_element("id", "nk-accept-all").click()
    assert [_state(browser, i)[0] for i in range(4)] == ["accept", None, "accept", None]
    assert "1 left undecided" in browser.find_element("id", "nk-said").text
    assert browser.execute_script(review + "cleanedText()") == normkit.apply_edits(
        text, [edit, lone])
    browser.find_element("id", "nk-undo").click()
    assert [_state(browser, i)[0] for i in range(4)] == [None] * 4
    # a rejected suggestion is a decision too, an undecided one is not
    browser.execute_script(review + "reject(3)")
    got = _check_decisions(browser.execute_script(review + "decisions()"), text, None)
    assert [(d["after"], d["status"], d["verdict"]) for d in got] == [
        ("Kirishi", "applied", "accept"), ("Kotlas", "suggested", "reject")]


# -- invisible characters -----------------------------------------------------------------------
INVISIBLE_TEXT = (
    "Drones fell near Kir\u202eihsi\u202c and Mos\u200bcow,\r\n"
    "a soft\u00adhyphen, a word\u2060joiner, \ufeffa BOM, an isolate \u2067abc\u2069 and \U000e0041 a tag.\r\n"
    "A coder \U0001f469\u200d\U0001f4bb in Москвa wrote\u2028this; then the Кириshi plant.\n"
)


def _visible_text_nodes(browser: Any) -> str:
    """Every text node under <body> but the script's own source: what the page can render."""
    return browser.execute_script(
        "var w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT), parts = [], node;"
        "while ((node = w.nextNode()) !== null) {"
        "  if (node.parentNode.tagName !== 'SCRIPT') { parts.push(node.nodeValue); } }"
        "return parts.join('');")


def test_invisible_characters_are_shown_never_obeyed_and_kept_in_the_download(
        browser: Any, downloads: Path, tmp_path: Path) -> None:
    text = INVISIBLE_TEXT
    word = "Kir\u202eihsi\u202c"  # shows as "Kirishi" where the controls are obeyed
    spoof = text.index(word)
    bidi = Edit(spoof, spoof + len(word), word, "Kirishi", "invisible", 0.95, "bidi controls")
    moscow = text.index("Москвa")
    homoglyph = Edit(moscow, moscow + 6, "Москвa", "Moscow", "homoglyph", 0.97, "look-alike letters")
    plant = text.index("Кириshi")
    mixed = Edit(plant, plant + 7, "Кириshi", "Kirishi", "mixed_script", 0.9, "script repair \u202ex")
    result = CleanResult(normkit.apply_edits(text, [bidi, homoglyph, mixed]), [bidi, homoglyph, mixed])
    page = tmp_path / "invisible.html"
    html_text = report.render(result, original=text, title="review \u202egnp.exe", source="invisible.txt")
    page.write_bytes(html_text.encode("utf-8"))
    # nothing invisible is written where the page shows text, raw or as a character reference
    shown_part = html_text[html_text.index("<body"):html_text.index("<script>")]
    head_title = html_text[html_text.index("<title>"):html_text.index("</title>")]
    for part in (shown_part, head_title):
        outside_attributes = re.sub(r'"[^"]*"', '""', part)
        assert not [c for c in outside_attributes if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp")
                    and c not in "\n\t"]
    for ref in re.findall(r"&#(x[0-9a-fA-F]+|[0-9]+);", html_text):
        code = int(ref[1:], 16) if ref.startswith("x") else int(ref)
        assert unicodedata.category(chr(code)) not in ("Cc", "Cf", "Zl", "Zp"), ref

    _open(browser, page)
    rendered = _visible_text_nodes(browser) + browser.title
    assert not [hex(ord(c)) for c in rendered if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp")
                and c not in "\n\t"]
    for code in ("202E", "202C", "200B", "00AD", "2060", "FEFF", "2067", "2069", "E0041", "000D", "200D",
                 "2028"):
        assert f"\u27e8U+{code}\u27e9" in rendered, code
    assert browser.title == "review \u27e8U+202E\u27e9gnp.exe"
    # the spoofed word reads as what it is, in the text, in its pop-up and in the list
    first = _mark(browser, 0)
    assert first.find_element("tag name", "del").text == "Kir\u27e8U+202E\u27e9ihsi\u27e8U+202C\u27e9"
    first.click()
    tip = browser.find_element("id", "t1")
    assert tip.is_displayed() and "Kir\u27e8U+202E\u27e9ihsi\u27e8U+202C\u27e9" in tip.text
    assert "script repair \u27e8U+202E\u27e9x" in browser.find_element("id", "t3").get_attribute("textContent")
    assert "\u27e8U+202E\u27e9" in browser.find_element("id", "nk-list").get_attribute("textContent")

    # the reviewer keeps the bidi controls (rejects that edit): the download has the real characters
    _decide(browser, 0, "reject")
    data = _download(browser, downloads, "nk-get-text", "invisible.reviewed.txt")
    expected = normkit.apply_edits(text, [homoglyph, mixed])
    assert data == expected.encode("utf-8")  # CR LF, U+202E, ZWJ and the emoji, byte for byte
    assert browser.execute_script("return window.normkitReview.cleanedText()") == expected
    # offsets count code points, as Python's do, past the emoji (two UTF-16 units in the page)
    got = _check_decisions(browser.execute_script("return window.normkitReview.decisions()"), text,
                           "invisible.txt")
    assert [(d["start"], d["before"], d["verdict"]) for d in got] == [
        (spoof, word, "reject"), (moscow, "Москвa", "accept"), (plant, "Кириshi", "accept")]


# -- a page that shows only the start of its input ------------------------------------------
def test_a_capped_page_gives_decisions_but_no_partial_cleaned_text(browser: Any, tmp_path: Path) -> None:
    line = "Near the Кириshi plant, drones fell today.\n"
    pieces = [(line * 40, normkit.clean(line * 40)) for _ in range(3)]
    page = tmp_path / "capped.html"
    with page.open("w", encoding="utf-8") as out:
        summary = report.write_report(pieces, out, max_text_chars=len(line) * 50, source="capped.txt")
    assert summary.truncated
    _open(browser, page)
    assert browser.find_element("id", "nk-get-text").get_attribute("disabled") is not None
    assert browser.find_element("id", "nk-cut").is_displayed()
    message = browser.execute_script(
        "try { window.normkitReview.cleanedText(); return null; } catch (e) { return e.message; }")
    assert message and "--decisions" in message
    got = _check_decisions(browser.execute_script("return window.normkitReview.decisions()"),
                           (line * 120)[:summary.shown_chars], "capped.txt")
    assert len(got) == summary.shown_marks == 50


# -- speed --------------------------------------------------------------------------------------
def _big_article() -> tuple[str, CleanResult]:
    """1 MB of authored news text with BIG_CHANGES suggestions and about as many applied edits."""
    paragraph = ("The regional governor said on Tuesday that the bridge near Kirishy would reopen after "
                 "repairs, and that traffic on the road to the port had returned to normal. Residents of "
                 "Glazhev village told reporters the water supply was restored overnight.\n\n")
    text = (paragraph * (1_000_000 // len(paragraph) + 1))[:1_000_000]
    edits, suggestions = [], []
    for k, pos in enumerate(range(0, len(text) - len(paragraph), len(paragraph))):
        if k % 4 == 0:
            at = pos + paragraph.index("Kirishy")
            edits.append(Edit(at, at + 7, "Kirishy", "Kirishi", "place_name", 0.9, "a known town"))
        if len(suggestions) < BIG_CHANGES:
            at = pos + paragraph.index("Glazhev")
            suggestions.append(Edit(at, at + 7, "Glazhev", "Glazhevo", "place_name", 0.3 + (k % 20) / 100,
                                    "a village of that name"))
    return text, CleanResult(normkit.apply_edits(text, edits), edits, suggestions)


def test_a_1_mb_page_opens_and_accepts_1000_changes_in_time(browser: Any, tmp_path: Path) -> None:
    text, result = _big_article()
    page = tmp_path / "big.html"
    page.write_text(report.render(result, original=text, source="big.txt"), encoding="utf-8")
    assert len(text.encode("utf-8")) >= 1_000_000 and len(result.suggestions) == BIG_CHANGES
    opened, accepted = [], []
    for _ in range(TRIES):
        browser.get("about:blank")
        browser.get(page.as_uri())
        # navigation start to the first frame drawn after the page's script ran (load included)
        opened.append(browser.execute_async_script(
            "var done = arguments[arguments.length - 1];"
            "requestAnimationFrame(function () { requestAnimationFrame(function () {"
            "  done(performance.now() / 1000); }); });"))
        # the reviewer sets 0 and presses Accept: the time to the next frame drawn after the click
        field = browser.find_element("id", "nk-accept-min")
        field.clear()
        field.send_keys("0")
        accepted.append(browser.execute_async_script(
            "var done = arguments[arguments.length - 1], t0 = performance.now();"
            "document.getElementById('nk-accept-all').click();"
            "requestAnimationFrame(function () { requestAnimationFrame(function () {"
            "  done((performance.now() - t0) / 1000); }); });"))
        total = len(result.edits) + len(result.suggestions)
        assert _counts(browser) == (total, 0, 0)
    print(f"\n1 MB page ({page.stat().st_size:,} bytes, {total:,} changes): opens in "
          f"{', '.join(f'{s:.2f}' for s in opened)} s; accept all in {', '.join(f'{s:.3f}' for s in accepted)} s")
    assert min(opened) <= OPEN_TARGET_S, opened
    assert min(accepted) <= ACCEPT_ALL_TARGET_S, accepted
    # and what it hands over is right at that size
    assert browser.execute_script("return window.normkitReview.cleanedText()") == normkit.apply_edits(
        text, result.edits + result.suggestions)
    got = browser.execute_script("return window.normkitReview.decisions()")["decisions"]
    assert len(got) == total and {d["verdict"] for d in got} == {"accept"}


# -- the loop closes: the next run reads the decisions -------------------------------------------
def test_the_next_run_follows_the_decisions(browser: Any, downloads: Path, tmp_path: Path) -> None:
    help_text = run_cli("clean", "--help").stdout.decode()
    if "--decisions" not in help_text:
        pytest.skip("normkit clean --decisions is not in this build yet (issue 18, item 2)")
    article = tmp_path / "monday.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    page = tmp_path / "monday.html"
    assert run_cli("clean", str(article), "-o", str(tmp_path / "out.txt"), "--report", str(page)).returncode == 0
    changes = _page_order(json.loads(run_cli("clean", str(article), "--format", "json").stdout))
    rejected = next(i for i, c in enumerate(changes) if c.applied)
    accepted = next(i for i, c in enumerate(changes) if not c.applied)
    _open(browser, page)
    _decide(browser, rejected, "reject")
    _decide(browser, accepted, "accept")
    decisions = downloads / "monday.decisions.json"
    decisions.write_bytes(_download(browser, downloads, "nk-get-decisions", "monday.decisions.json"))
    # the next day's article repeats those sentences after a new one
    next_text = "A new paragraph opens Tuesday's report on the roads.\n\n" + ARTICLE
    nxt = tmp_path / "tuesday.txt"
    nxt.write_text(next_text, encoding="utf-8")
    proc = run_cli("clean", str(nxt), "--decisions", str(decisions), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    after = json.loads(proc.stdout)
    made = {(e["before"], e["after"]) for e in after["edits"]}
    assert (changes[rejected].before, changes[rejected].after) not in made
    assert (changes[accepted].before, changes[accepted].after) in made
