"""The review page in a real browser: headless Chromium (Debian's ``chromium``), the DOM after the
page's script ran (``--dump-dom``), a local server that counts any request the page makes, and a
screenshot. CI installs Chromium (.ci/run); without it this module skips, except under CI.
tests/test_review_browser.py drives the page's decisions (and makes the README's screenshot)."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator

import pytest

import normkit
from conftest import REPO, SEED, run_cli
from normkit import report
from normkit.types import CleanResult, Edit
from report_helpers import HOSTILE_TEMPLATE, Node, marks, parse, png_pixels, png_size, shown_text

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars"]
BROWSER_TIMEOUT = 180  # seconds; the machine may be busy
SCREENSHOT_SIZE = (1200, 900)
PLACE_NAME_BACKGROUND = bytes.fromhex("cbeccb")  # the page's colour for a place_name mark


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


@pytest.fixture(scope="module")
def chromium() -> str:
    path = shutil.which("chromium")
    if path is None:
        reason = "chromium is not installed (Debian: apt-get install chromium); .ci/run installs it"
        if _in_ci():
            pytest.fail(f"CI is set, and {reason}")
        pytest.skip(reason)
    return path


class _Recorder(BaseHTTPRequestHandler):
    def _record(self) -> None:
        self.server.hits.append(self.path)  # type: ignore[attr-defined]
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(b"x")

    do_GET = do_POST = do_HEAD = _record

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[ThreadingHTTPServer]:
    """A server on 127.0.0.1 that records every request: a page that fetches anything is caught."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    httpd.hits = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def _browse(chromium: str, tmp_path: Path, url: str, *args: str) -> bytes:
    profile = tempfile.mkdtemp(prefix="chromium-profile-", dir=tmp_path)  # a new, empty profile
    proc = subprocess.run([chromium, *FLAGS, f"--user-data-dir={profile}", *args, url],
                          capture_output=True, timeout=BROWSER_TIMEOUT)
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")[-3000:]
    return proc.stdout


def _dom(chromium: str, tmp_path: Path, page: Path, query: str = "") -> Node:
    return parse(_browse(chromium, tmp_path, page.as_uri() + query, "--dump-dom").decode())


def _report_of(path: Path, tmp_path: Path, *, cwd: Path | None = None) -> tuple[Path, dict]:
    page = tmp_path / (path.stem + ".html")
    proc = run_cli("clean", str(path), "-o", str(tmp_path / (path.stem + ".out")), "--report", str(page), cwd=cwd)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(run_cli("clean", str(path), "--format", "json", cwd=cwd).stdout)
    return page, data


def _assert_nothing_from_the_input_is_live(doc: Node, title: str) -> None:
    assert next(doc.iter("title")).text() == title  # an injected script would have changed it
    assert len(list(doc.iter("script"))) == 1  # ours; nothing the input spelled out
    for tag in ("img", "iframe", "textarea", "link", "base", "b"):
        assert not list(doc.iter(tag)), f"a <{tag}> from the input became an element"
    assert [m.attrs.get("http-equiv") for m in doc.iter("meta") if m.attrs.get("http-equiv")] == [
        "Content-Security-Policy"]
    assert not any(name.startswith("on") for node in doc.iter() for name in node.attrs)


def test_the_probes_catch_a_page_that_runs_and_fetches(chromium: str, tmp_path: Path,
                                                       server: ThreadingHTTPServer) -> None:
    # A control: the same probes on markup left live, so a pass below means something.
    page = tmp_path / "live.html"
    page.write_text(f"<!DOCTYPE html><title>control</title><p>text</p><img src=\"http://127.0.0.1:"
                    f"{server.server_port}/img\"><script>document.title='PWNED';document.body.append"
                    "Child(document.createElement('iframe'))</script>", encoding="utf-8")
    doc = _dom(chromium, tmp_path, page)
    assert next(doc.iter("title")).text() == "PWNED"
    assert list(doc.iter("iframe")) and list(doc.iter("img"))
    assert server.hits == ["/img"]  # type: ignore[attr-defined]


def test_seed_report_in_chromium(chromium: str, tmp_path: Path, server: ThreadingHTTPServer) -> None:
    page, data = _report_of(Path("seeds") / SEED.name, tmp_path, cwd=REPO)
    changes = data["edits"] + data["suggestions"]
    doc = _dom(chromium, tmp_path, page)
    found = marks(doc)
    assert len(found) == len(changes) >= 3
    assert doc.by_id("nk-list") and len([r for r in doc.iter("tr") if "data-confidence" in r.attrs]) == len(changes)
    # the page's own script ran under its Content-Security-Policy ...
    assert next(doc.iter("html")).attrs.get("data-js") == "on"
    assert "hidden" not in doc.by_id("nk-controls").attrs
    assert doc.by_id("nk-shown").text().startswith(f"{len(changes)} of {len(changes)} changes")
    _assert_nothing_from_the_input_is_live(doc, f"normkit review: seeds/{SEED.name}")
    assert shown_text(doc, "original") == SEED.read_text(encoding="utf-8")

    # ... and its confidence filter works: ?min= presets it
    threshold = sorted(c["confidence"] for c in changes)[len(changes) // 2]
    doc = _dom(chromium, tmp_path, page, f"?min={threshold}")
    kept = [c for c in changes if c["confidence"] >= threshold]
    for mark in marks(doc):
        below = float(mark.attrs["data-confidence"]) < threshold
        assert ("data-filtered" in mark.attrs) == below
        assert mark.attrs["tabindex"] == ("-1" if below else "0")
    assert len([r for r in doc.iter("tr") if "data-confidence" in r.attrs and "hidden" not in r.attrs]) == len(kept)
    assert doc.by_id("nk-shown").text().startswith(f"{len(kept)} of {len(changes)} changes")
    assert server.hits == []  # type: ignore[attr-defined]

    shot = tmp_path / "seed.png"
    _browse(chromium, tmp_path, page.as_uri(), f"--screenshot={shot}",
            f"--window-size={SCREENSHOT_SIZE[0]},{SCREENSHOT_SIZE[1]}")
    png = shot.read_bytes()
    assert png_size(png) == SCREENSHOT_SIZE
    _, _, rows = png_pixels(png)
    assert any(PLACE_NAME_BACKGROUND in row[i:i + 3] for row in rows for i in range(0, len(row), 3)), \
        "no place_name highlight in the screenshot"


def test_hostile_article_in_chromium(chromium: str, tmp_path: Path, server: ThreadingHTTPServer) -> None:
    article = tmp_path / "hostile.txt"
    text = HOSTILE_TEMPLATE.format(port=server.server_port)
    article.write_text(text, encoding="utf-8")
    page, data = _report_of(article, tmp_path)
    doc = _dom(chromium, tmp_path, page)
    assert len(marks(doc)) == len(data["edits"]) + len(data["suggestions"]) >= 3
    assert next(doc.iter("html")).attrs.get("data-js") == "on"
    _assert_nothing_from_the_input_is_live(doc, f"normkit review: {article}")
    assert shown_text(doc, "original") == text  # all of it shows, as text
    assert server.hits == []  # type: ignore[attr-defined]


def test_hostile_edit_fields_in_chromium(chromium: str, tmp_path: Path, server: ThreadingHTTPServer) -> None:
    # every field of an edit, and the title, carrying markup (as a future kind or a reason quoting
    # the input might); the page must show them as text and fetch nothing
    probe = f"http://127.0.0.1:{server.server_port}"
    text = f"See <img src={probe}/in-text> near the Кириshi plant.\n"
    spot = text.index("Кириshi")
    edit = Edit(spot, spot + 7, "Кириshi", f"<img src={probe}/after><script>document.title='PWNED'</script>",
                f'x"><img src={probe}/kind>', 0.9, f"</textarea><!-- <iframe src={probe}/reason>")
    suggestion = Edit(4, 4 + len(f"<img src={probe}/in-text>"), f"<img src={probe}/in-text>",
                      "\u2028<style>*{display:none}</style>", "split", 0.2, "'\"><svg onload=alert(1)>")
    result = CleanResult(normkit.apply_edits(text, [edit]), [edit], [suggestion])
    page = tmp_path / "fields.html"
    page.write_text(report.render(result, title="<script>document.title='PWNED'</script>", original=text),
                    encoding="utf-8")
    doc = _dom(chromium, tmp_path, page)
    _assert_nothing_from_the_input_is_live(doc, "<script>document.title='PWNED'</script>")
    assert len(list(doc.iter("style"))) == 1 and not list(doc.iter("svg"))
    found = marks(doc)
    assert len(found) == 2 and {m.attrs["data-kind"] for m in found} == {edit.kind, "split"}
    tips = " ".join(doc.by_id(m.attrs["aria-describedby"]).text() for m in found)
    assert edit.after in tips and edit.reason in tips and suggestion.reason in tips
    assert shown_text(doc, "original") == text
    assert server.hits == []  # type: ignore[attr-defined]
