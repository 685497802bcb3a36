"""An HTML review page of what :func:`normkit.clean` changed: one self-contained file.

The page shows the input text with every edit and suggestion as a ``<mark data-kind=...>`` holding
``<del>`` (the original) and ``<ins>`` (the replacement), a tooltip on hover and keyboard focus
(kind, confidence, reason), a summary table by kind, a list of all changes, and a filter by
confidence. It loads nothing: no URLs, CSS and one script inline, and a Content-Security-Policy
that allows only that script and style (by hash) and no network at all. Every piece of text from
the input or the edits is escaped; the script reads its data from the DOM, never from the input.

It is also where a reviewer decides: each change (``<span class="e">``: the mark, its tooltip and
two buttons, ``data-action="accept"`` / ``"reject"``) can be accepted or rejected, by mouse or with
the keys j/k (next/previous), a/r (accept/reject) and u (undo). Applied edits stay on until
rejected; suggestions stay off until accepted. Two downloads (Blob URLs, which the policy does
not govern as they are not fetched): the original text with exactly the changes that are on, and
a decisions file (:data:`DECISIONS_SCHEMA`, see ``docs/review.md``) that ``normkit clean
--decisions`` reads. ``window.normkitReview`` offers the same to scripts.

Format and control characters (bidi overrides, zero-width characters, soft hyphens, ...) are never
written raw where the page shows text: each becomes a visible ``⟨U+202E⟩`` span carrying its code
point in ``data-c``, from which the script rebuilds the real character for the downloads.

Large inputs stream: :class:`ReportWriter` writes each cleaned chunk as it comes and keeps only
counts, so memory stays bounded; past :data:`MAX_TEXT_CHARS` characters or :data:`MAX_MARKS`
changes the text stops with a visible note, while the summary still counts the whole input.
"""
from __future__ import annotations

import base64
import hashlib
import html
import io
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from . import textio
from .errors import InputError
from .scripts import script_of
from .types import EDIT_KINDS, CleanResult, Edit

class Sink(Protocol):
    """Where the page goes: a text file, stdout, or the CLI's output (anything with ``write``)."""

    def write(self, text: str, /) -> int: ...


#: The report stops showing text after this many input characters (about 2-4 MB of HTML) ...
MAX_TEXT_CHARS = 1_000_000
#: ... or after this many highlighted changes, whichever comes first. Counts go on to the end.
MAX_MARKS = 10_000
#: The confidence filter's step (the range input moves by it).
FILTER_STEP = 0.001  # confidences are given to three decimals: ?min=0.903 must not snap to 0.9
#: Words up to this long get a "letters by script" line in their tooltip (look-alikes hide it).
MAX_SCRIPT_SPLIT_CHARS = 64
#: The decisions file's name and version (``normkit clean --decisions`` reads it; docs/review.md).
DECISIONS_SCHEMA = "normkit-decisions 1"
#: A decision keeps this many characters of the original on either side of the change, so the
#: next run can tell the same kind of context from another.
CONTEXT_CHARS = 30
#: The list of all changes starts folded past this many (laying out a long table at once is
#: most of the time a large page takes to open).
LIST_OPEN_MAX = 300
#: "Accept all at or above" starts here: just under clean()'s default threshold (0.5), the
#: suggestions that nearly made it.
ACCEPT_ALL_DEFAULT = 0.4

DEFAULT_TITLE = "normkit review"
_RIDER_ATTRIBUTE = ' data-overlap="true"'
_SURROGATE_RE = re.compile("[\ud800-\udfff]")  # cannot be written as UTF-8
#: Characters never written raw where the page shows text: controls other than tab and newline
#: (a browser turns CR into a line end and drops NUL), format characters (bidi embeddings,
#: overrides and isolates, zero-width space/joiners, word joiner, soft hyphen, BOM, tag
#: characters, ...) and the line and paragraph separators. Unicode 15's Cc, Cf, Zl and Zp;
#: tests/test_report_review.py checks it against unicodedata.
_INVISIBLE_RE = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\xad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u180e"
    r"\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
    r"\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]")

_CSS = """\
:root{color-scheme:light;--ink:#1b1b1b;--muted:#545454;--line:#d5d5d5;color:var(--ink);background:#fff;
font:16px/1.6 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif}
body{margin:0}
header{padding:.8rem 1.5rem .6rem;border-bottom:1px solid var(--line)}
h1{font-size:1.25rem;margin:0 0 .3rem;overflow-wrap:anywhere}
h2{font-size:1rem;margin:1.1rem 0 .4rem}
summary{cursor:pointer}summary h2{display:inline}
p{margin:.3rem 0}
.skip{position:absolute;left:-100vw}.skip:focus{left:1rem;top:.4rem;background:#fff;padding:.2rem .5rem;z-index:5}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
.legend{color:var(--muted);font-size:.9rem}
.swatch{background:var(--kc);color:var(--ink);padding:0 .3em;border-radius:3px;white-space:nowrap}
.swatch.sugg{background:#fff;border:2px dashed var(--kd)}
.controls{display:flex;flex-wrap:wrap;gap:.4rem 2rem;align-items:center;font-size:.9rem;margin:.5rem 0 0}
.controls[hidden]{display:none}
.views{font-weight:600;margin-right:.6rem}
.views~label{margin-right:.8rem;white-space:nowrap;cursor:pointer}
.views~label::before{content:"";display:inline-block;width:.75em;height:.75em;margin-right:.35em;
vertical-align:-.05em;border:1.5px solid #555;border-radius:50%}
#nk-changes:checked~header [for=nk-changes]::before,#nk-cleaned:checked~header [for=nk-cleaned]::before,
#nk-original:checked~header [for=nk-original]::before{background:radial-gradient(#1a56c4 40%,#fff 48%)}
#nk-changes:focus-visible~header [for=nk-changes],#nk-cleaned:focus-visible~header [for=nk-cleaned],
#nk-original:focus-visible~header [for=nk-original]{outline:3px solid #1a56c4;outline-offset:2px}
.filter label{font-weight:600;margin-right:.4rem}
.filter input{vertical-align:middle;width:10rem}
.review{gap:.4rem 1rem}
.review label{font-weight:600}
.review input{width:4.5rem}
#nk-count{font-weight:600;color:var(--ink);margin:0}
#nk-said{color:var(--muted)}
kbd{font:inherit;font-size:.85em;border:1px solid var(--line);border-bottom-width:2px;border-radius:3px;padding:0 .25em}
button{font:inherit;font-size:.85rem;padding:.1rem .55rem;border:1px solid #767676;border-radius:4px;
background:#f4f4f4;color:var(--ink);cursor:pointer}
button:focus-visible{outline:3px solid #1a56c4;outline-offset:1px}
button:disabled{cursor:not-allowed;opacity:.55}
output{margin-left:.5rem;color:var(--muted)}
main{display:grid;grid-template-columns:minmax(0,1fr) minmax(17rem,25rem);gap:0 2rem;padding:0 1.5rem}
@media (max-width:62rem){main{grid-template-columns:minmax(0,1fr)}}
.text{white-space:pre-wrap;overflow-wrap:anywhere;max-width:48rem;margin:0;padding:1rem 0 3rem}
aside{position:sticky;top:0;align-self:start;max-height:100vh;overflow:auto;font-size:.88rem;padding-bottom:2rem}
.note{background:#fff4ce;border-left:4px solid #b78a00;padding:.4rem .7rem;margin:.8rem 0;white-space:normal}
table{border-collapse:collapse;width:100%}
caption{text-align:left;font-weight:600;padding:.2rem 0}
th,td{text-align:left;vertical-align:top;padding:.15rem .35rem;border-bottom:1px solid var(--line)}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
tr[hidden]{display:none}
td.v::before{content:"\\2013";color:var(--muted)}
tr[data-verdict=accept] td.v::before{content:"\\2713";color:#1a7f37;font-weight:700}
tr[data-verdict=reject] td.v::before{content:"\\2717";color:#b3261e;font-weight:700}
[data-kind]{--kc:#e2e2e2;--kd:#6b6b6b}
[data-kind=homoglyph]{--kc:#ffd9a6;--kd:#a85a00}
[data-kind=mixed_script]{--kc:#c8e1fb;--kd:#1f5f9e}
[data-kind=place_name]{--kc:#cbeccb;--kd:#2b7a2b}
[data-kind=person_name]{--kc:#f5d0ec;--kd:#9b2f84}
[data-kind=split]{--kc:#fff09a;--kd:#857200}
[data-kind=name_variant]{--kc:#ddd2f7;--kd:#5b3fa8}
.e{position:relative}
mark{background:var(--kc);color:inherit;border-radius:3px;padding:0 .08em;box-shadow:inset 0 -2px 0 var(--kd)}
mark[data-on=false]{background:#fff;box-shadow:none;outline:2px dashed var(--kd);outline-offset:-1px}
mark:focus{outline:3px solid #1a56c4;outline-offset:1px}
mark:target{outline:3px solid #1a56c4}
mark[data-filtered]{background:none;box-shadow:none;outline:0}
mark[data-overlap]{font-size:.72em;vertical-align:super;margin-left:.1em}
mark[data-overlap] del{display:none}
mark[data-verdict=accept]{box-shadow:inset 0 -2px 0 var(--kd),0 3px 0 #1a7f37}
mark[data-verdict=reject]{box-shadow:0 3px 0 #b3261e}
del{color:#8c1d1d;text-decoration:line-through 1.5px}
ins{text-decoration:underline 2px;text-underline-offset:2px}
del+ins{margin-left:.2em}
del:empty::before,ins:empty::before{content:"\\2038"}
.cf{font:600 .68em/1 ui-monospace,monospace;color:#fff;background:#8c1d1d;border-radius:3px;padding:0 .2em;
margin:0 .05em;vertical-align:.1em;white-space:nowrap}
#nk-cleaned:checked~main mark:not([data-overlap])[data-on=true] del,
#nk-cleaned:checked~main mark:not([data-overlap])[data-on=false] ins,
#nk-original:checked~main mark:not([data-overlap]) ins{display:none}
#nk-cleaned:checked~main mark:not([data-overlap]) :is(del,ins),
#nk-original:checked~main mark:not([data-overlap]) del{text-decoration:none;color:inherit;margin:0}
.pop{display:none;position:absolute;left:0;top:100%;z-index:4;padding-top:3px;width:max-content;
max-width:min(26rem,80vw);white-space:normal;overflow-wrap:anywhere;font-size:.85rem;line-height:1.45}
.tip{display:block;background:#1f2933;color:#fff;padding:.4rem .6rem;border-radius:6px;
box-shadow:0 2px 10px rgba(0,0,0,.3)}
.tip>span{display:block}
.tip .what{font-weight:600}
.acts{display:none;gap:.4rem;margin-top:3px}
html[data-js] .acts{display:flex}
.acts button{box-shadow:0 1px 4px rgba(0,0,0,.25)}
.acts button[aria-pressed=true]{color:#fff;border-color:transparent}
.acts [data-action=accept][aria-pressed=true]{background:#1a7f37}
.acts [data-action=reject][aria-pressed=true]{background:#b3261e}
.e:hover>.pop,mark:focus-visible~.pop,.pop:focus-within,mark:target~.pop{display:block}
html[data-quiet] .pop{display:none}
@media print{.controls,.skip,.acts{display:none}aside{position:static;max-height:none}}
"""

# The script: the confidence filter, the decisions (one listener each for clicks, keys and
# focus on the whole document, never one per change), the downloads and window.normkitReview.
# A decision changes a few attributes of its mark, its buttons and its row of the list; the page's
# views follow from the CSS. Offsets on the page count code points, as Python's do.
_JS = """\
(function () {
  "use strict";
  var CONTEXT = __CONTEXT__;
  var SCHEMA = "__SCHEMA__";
  var root = document.documentElement;
  var body = document.body;
  var range = document.getElementById("nk-min");
  var shown = document.getElementById("nk-shown");
  var tallyOut = document.getElementById("nk-count");
  var said = document.getElementById("nk-said");
  var textBox = document.querySelector("div.text");
  var aside = document.getElementById("nk-aside");
  var truncated = aside !== null && aside.getAttribute("data-truncated") === "true";
  var marks = Array.prototype.slice.call(document.querySelectorAll("mark[data-kind]"));
  var rows = Array.prototype.slice.call(document.querySelectorAll("#nk-list tr[data-confidence]"));
  var n = marks.length;
  var applied = [], confidence = [], starts = [], ends = [], verdict = [], when = [], hidden = [];
  marks.forEach(function (mark) {
    applied.push(mark.getAttribute("data-applied") === "true");
    confidence.push(parseFloat(mark.getAttribute("data-confidence")));
    starts.push(parseInt(mark.getAttribute("data-start"), 10));
    ends.push(parseInt(mark.getAttribute("data-end"), 10));
    verdict.push(null);
    when.push(null);
    hidden.push(false);
  });
  var history = [];
  var current = -1;
  var quietOn = null;
  var overlaps = null;
  var original = null;

  function filter() {
    var min = parseFloat(range.value);
    var count = 0;
    for (var i = 0; i < n; i++) {
      var hide = confidence[i] < min;
      if (hide !== hidden[i]) {
        hidden[i] = hide;
        marks[i].toggleAttribute("data-filtered", hide);
        marks[i].tabIndex = hide ? -1 : 0;
      }
      if (!hide) { count += 1; }
    }
    rows.forEach(function (row) { row.hidden = parseFloat(row.getAttribute("data-confidence")) < min; });
    shown.textContent = count + " of " + n + " changes highlighted (confidence at least " +
      min.toFixed(2) + ")";
  }

  // -- the text: rebuilt from the page (a format character's span carries its code point) ------
  function raw(node, parts) {
    for (var c = node.firstChild; c !== null; c = c.nextSibling) {
      if (c.nodeType === 3) {
        parts.push(c.nodeValue);
      } else if (c.nodeType === 1) {
        if (c.classList.contains("cf")) {
          parts.push(String.fromCodePoint(parseInt(c.getAttribute("data-c"), 16)));
        } else if (!(c.classList.contains("pop") || c.tagName === "INS" || c.hasAttribute("data-overlap"))) {
          raw(c, parts);
        }
      }
    }
    return parts;
  }
  function rawOf(mark, tag) { return raw(mark.querySelector(tag), []).join(""); }
  function originalText() {
    if (original === null) {
      var text = raw(textBox, []).join("");
      var astral = [];  // code point offsets of the characters that take two UTF-16 units
      var pairs = /[\\uD800-\\uDBFF][\\uDC00-\\uDFFF]/g, found;
      while ((found = pairs.exec(text)) !== null) { astral.push(found.index - astral.length); }
      original = {text: text, astral: astral, length: text.length - astral.length};
    }
    return original;
  }
  function unit(point) {
    var astral = original.astral, lo = 0, hi = astral.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (astral[mid] < point) { lo = mid + 1; } else { hi = mid; }
    }
    return point + lo;
  }

  // -- decisions -------------------------------------------------------------------------------
  function isOn(i) { return verdict[i] === null ? applied[i] : verdict[i] === "accept"; }
  function clash(i, j) {
    return (starts[i] < ends[j] && starts[j] < ends[i]) ||
      (starts[i] === starts[j] && (starts[i] === ends[i] || starts[j] === ends[j]));
  }
  function clashes(i) {
    if (overlaps === null) {
      overlaps = marks.map(function () { return []; });
      var order = marks.map(function (m, k) { return k; });
      order.sort(function (a, b) { return starts[a] - starts[b] || a - b; });
      for (var x = 0; x < n; x++) {
        var a = order[x];
        for (var y = x + 1; y < n && starts[order[y]] <= ends[a]; y++) {
          if (clash(a, order[y])) { overlaps[a].push(order[y]); overlaps[order[y]].push(a); }
        }
      }
    }
    return overlaps[i];
  }
  function paint(i) {
    var mark = marks[i], v = verdict[i], box = mark.parentNode;
    mark.setAttribute("data-on", isOn(i) ? "true" : "false");
    if (v === null) { mark.removeAttribute("data-verdict"); } else { mark.setAttribute("data-verdict", v); }
    var yes = box.querySelector("[data-action=accept]"), no = box.querySelector("[data-action=reject]");
    if (yes !== null) { yes.setAttribute("aria-pressed", v === "accept" ? "true" : "false"); }
    if (no !== null) { no.setAttribute("aria-pressed", v === "reject" ? "true" : "false"); }
    var row = rows[i];
    if (row !== undefined) {
      if (v === null) { row.removeAttribute("data-verdict"); } else { row.setAttribute("data-verdict", v); }
    }
  }
  function set(i, v, step) {
    if (verdict[i] === v) { return; }
    step.push([i, verdict[i], when[i]]);
    verdict[i] = v;
    when[i] = v === null ? null : new Date().toISOString();
    paint(i);
  }
  function counts() {
    var accepted = 0, rejected = 0;
    for (var i = 0; i < n; i++) {
      if (verdict[i] === "accept") { accepted += 1; } else if (verdict[i] === "reject") { rejected += 1; }
    }
    return {accepted: accepted, rejected: rejected, undecided: n - accepted - rejected};
  }
  function tally(message) {
    var c = counts();
    tallyOut.textContent = c.accepted + " accepted, " + c.rejected + " rejected, " + c.undecided + " undecided";
    tallyOut.setAttribute("data-accepted", c.accepted);
    tallyOut.setAttribute("data-rejected", c.rejected);
    tallyOut.setAttribute("data-undecided", c.undecided);
    said.textContent = message || "";
  }
  function commit(step, message) {
    if (step.length) { history.push(step); }
    tally(message);
    return step.length;
  }
  function check(i) {
    if (!(i >= 0 && i < n && i === Math.floor(i))) { throw new RangeError("no change " + i + " on this page"); }
  }
  function accept(i) {
    check(i);
    var step = [];
    set(i, "accept", step);
    var off = 0;
    clashes(i).forEach(function (j) { if (isOn(j)) { set(j, "reject", step); off += 1; } });
    return commit(step, off ? "Accepted; " + off + " overlapping change" + (off > 1 ? "s" : "") +
      " rejected." : "");
  }
  function reject(i) {
    check(i);
    var step = [];
    set(i, "reject", step);
    return commit(step, "");
  }
  function undo() {
    var step = history.pop();
    if (step === undefined) { tally("Nothing to undo."); return 0; }
    for (var k = step.length - 1; k >= 0; k--) {
      var i = step[k][0];
      verdict[i] = step[k][1];
      when[i] = step[k][2];
      paint(i);
    }
    tally("Undone: " + step.length + " decision" + (step.length > 1 ? "s." : "."));
    return step.length;
  }
  function acceptAll(min) {
    if (typeof min !== "number" || !isFinite(min)) { throw new RangeError("a confidence from 0 to 1"); }
    var order = [];
    for (var i = 0; i < n; i++) { if (verdict[i] === null && confidence[i] >= min) { order.push(i); } }
    order.sort(function (a, b) { return confidence[b] - confidence[a] || a - b; });
    var step = [], skipped = 0;
    order.forEach(function (i) {
      if (clashes(i).some(isOn)) { skipped += 1; } else { set(i, "accept", step); }
    });
    return commit(step, "Accepted " + step.length + " undecided change" + (step.length === 1 ? "" : "s") +
      " at or above " + min + (skipped ? "; " + skipped + " left undecided, as they overlap a change that is on." : "."));
  }

  // -- what the page hands over ---------------------------------------------------------------
  function cleanedText() {
    if (truncated) {
      throw new Error("this page shows only the start of the input; apply the decisions file " +
        "with normkit clean --decisions to clean all of it");
    }
    var o = originalText(), on = [], parts = [], pos = 0;
    for (var i = 0; i < n; i++) { if (isOn(i)) { on.push(i); } }
    on.sort(function (a, b) { return starts[a] - starts[b] || ends[a] - ends[b] || a - b; });
    on.forEach(function (i) {
      var from = unit(starts[i]);
      if (from < pos) { return; }  // cannot happen: accepting a change rejects those it overlaps
      parts.push(o.text.slice(pos, from), rawOf(marks[i], "ins"));
      pos = unit(ends[i]);
    });
    parts.push(o.text.slice(pos));
    return parts.join("");
  }
  function decisions() {
    var o = originalText(), now = new Date().toISOString(), list = [];
    var order = marks.map(function (m, k) { return k; });
    order.sort(function (a, b) { return starts[a] - starts[b] || a - b; });
    order.forEach(function (i) {
      if (verdict[i] === null && !applied[i]) { return; }  // a suggestion nobody decided on
      var from = unit(Math.max(0, starts[i] - CONTEXT)), to = unit(Math.min(o.length, ends[i] + CONTEXT));
      list.push({
        before: rawOf(marks[i], "del"), after: rawOf(marks[i], "ins"), kind: marks[i].getAttribute("data-kind"),
        entity_id: marks[i].getAttribute("data-entity"), start: starts[i], end: ends[i],
        context: o.text.slice(from, to), confidence: confidence[i], status: applied[i] ? "applied" : "suggested",
        verdict: verdict[i] === null ? "accept" : verdict[i], time: when[i] || now
      });
    });
    return {schema: SCHEMA, source: body.getAttribute("data-source"), decisions: list};
  }
  function fileName(suffix) {
    var source = body.getAttribute("data-source");
    var stem = source === null ? "" : source.replace(/^.*[\\\\/]/, "").replace(/[.][^.]*$/, "");
    return (stem || "normkit") + suffix;
  }
  function download(name, text, type) {
    var url = URL.createObjectURL(new Blob([text], {type: type}));
    var link = document.createElement("a");
    link.href = url;
    link.download = name;
    link.hidden = true;
    body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
  }

  // -- moving and deciding by keyboard and mouse ----------------------------------------------
  function index(mark) { return parseInt(mark.id.slice(1), 10) - 1; }
  function changeOf(node) {
    var box = node && node.closest ? node.closest(".e") : null;
    var mark = box === null ? null : box.querySelector("mark[data-kind]");
    return mark === null ? -1 : index(mark);
  }
  function go(direction) {
    var i = current < 0 ? (direction > 0 ? -1 : n) : current;
    for (i += direction; i >= 0 && i < n; i += direction) {
      if (!hidden[i]) { current = i; marks[i].focus(); return; }
    }
  }
  function typing(target) {
    if (!target || !target.tagName) { return false; }
    if (target.isContentEditable || target.tagName === "TEXTAREA" || target.tagName === "SELECT") { return true; }
    return target.tagName === "INPUT" && !/^(radio|checkbox|range|button)$/.test(target.type);
  }
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      root.setAttribute("data-quiet", "");
      quietOn = document.querySelector("mark:hover") || document.activeElement;
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented || typing(event.target)) { return; }
    var key = event.key;
    if (key === "j") { go(1); } else if (key === "k") { go(-1); } else if (key === "u") { undo(); }
    else if (key === "a" || key === "r") {
      if (current < 0) { said.textContent = "Move to a change first (j)."; } else if (key === "a") { accept(current); } else { reject(current); }
    } else { return; }
    event.preventDefault();
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button[data-action]") : null;
    if (button === null) { return; }
    var i = changeOf(button);
    if (i < 0) { return; }
    current = i;
    if (button.getAttribute("data-action") === "accept") { accept(i); } else { reject(i); }
    // a mouse click leaves no focus behind to pin the pop-up over the lines below it
    if (event.detail > 0) { button.blur(); }
  });
  function wake(event) {
    var mark = event.target.closest ? event.target.closest("mark") : null;
    if (mark !== quietOn) { root.removeAttribute("data-quiet"); quietOn = null; }
  }
  document.addEventListener("focusin", function (event) {
    wake(event);
    var i = changeOf(event.target);
    if (i >= 0) { current = i; }
  });
  document.addEventListener("mouseover", wake);
  document.getElementById("nk-accept-all").addEventListener("click", function () {
    var min = parseFloat(document.getElementById("nk-accept-min").value);
    if (isFinite(min)) { acceptAll(min); } else { said.textContent = "Give a confidence from 0 to 1."; }
  });
  document.getElementById("nk-undo").addEventListener("click", undo);
  var textButton = document.getElementById("nk-get-text");
  textButton.addEventListener("click", function () {
    download(fileName(".reviewed.txt"), cleanedText(), "text/plain;charset=utf-8");
  });
  document.getElementById("nk-get-decisions").addEventListener("click", function () {
    download(fileName(".decisions.json"), JSON.stringify(decisions(), null, 2) + "\\n", "application/json");
  });
  if (truncated) {
    textButton.disabled = true;
    document.getElementById("nk-cut").hidden = false;
  }

  var asked = new URLSearchParams(window.location.search).get("min");
  if (asked !== null && isFinite(parseFloat(asked))) { range.value = asked; }
  range.addEventListener("input", filter);
  filter();
  tally("");
  window.normkitReview = Object.freeze({
    decisions: decisions, cleanedText: cleanedText, accept: accept, reject: reject, undo: undo,
    acceptAll: acceptAll, counts: counts,
    changes: function () { return n; }
  });
  document.getElementById("nk-controls").hidden = false;
  document.getElementById("nk-review").hidden = false;
  root.setAttribute("data-js", "on");
}());
""".replace("__CONTEXT__", str(CONTEXT_CHARS)).replace("__SCHEMA__", DECISIONS_SCHEMA)


def _csp_hash(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode() + "'"


#: Nothing may load; only this module's own style and script run (browsers also block inline
#: event handlers and ``style`` attributes under it, should any ever slip through escaping).
#: The downloads are Blob URLs the page navigates to, not fetches: no directive governs them.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; "
    f"style-src {_csp_hash(_CSS)}; script-src {_csp_hash(_JS)}; "
    "img-src 'none'; font-src 'none'; connect-src 'none'; media-src 'none'; object-src 'none'; "
    "frame-src 'none'; worker-src 'none'; manifest-src 'none'; base-uri 'none'; form-action 'none'"
)


def escape(text: str) -> str:
    """Text from the input or the edits, safe in element content and quoted attribute values."""
    return html.escape(_SURROGATE_RE.sub("\ufffd", text), quote=True)


def _code_point(char: str) -> str:
    return f"U+{ord(char):04X}"


def _shown(match: re.Match[str]) -> str:
    char = match[0]
    return f'<span class="cf" data-c="{ord(char):X}">\u27e8{_code_point(char)}\u27e9</span>'


def visible(text: str) -> str:
    """Text from the input or the edits as element content: escaped, and each format or control
    character (but tab and newline) a visible ``⟨U+202E⟩`` span, so that nothing invisible can
    reorder, hide or join what a reviewer reads (Trojan Source, UTS #39). The span's ``data-c``
    gives the script the real character back."""
    return _INVISIBLE_RE.sub(_shown, escape(text))


def visible_plain(text: str) -> str:
    """The same without markup, where the page can hold text only (its ``<title>``)."""
    return escape(_INVISIBLE_RE.sub(lambda m: f"\u27e8{_code_point(m[0])}\u27e9", text))


def _kind_label(kind: str) -> str:
    return kind.replace("_", " ")


def _letters_by_script(word: str) -> str:
    """A tooltip line naming the letters of each script in a word that mixes them (``Москвa``:
    Cyrillic “Москв”, Latin “a”), since a look-alike letter cannot be seen; else nothing."""
    if len(word) > MAX_SCRIPT_SPLIT_CHARS:
        return ""
    letters: dict[str, list[str]] = {}
    for char in word:
        script = script_of(char)
        if script is not None:
            letters.setdefault(script, []).append(char)
    if len(letters) < 2:
        return ""
    named = ", ".join(f"{script} \u201c{visible(''.join(chars))}\u201d" for script, chars in letters.items())
    return f"<span>Letters by script: {named}</span>"


def _entity(edit: Edit) -> tuple[str, str]:
    """The mark's ``data-entity`` attribute and a tooltip line for the gazetteer entry a name edit
    chose (``entity_id`` and the canonical forms, where the edit carries them), else nothing."""
    entity_id = getattr(edit, "entity_id", None)
    if not entity_id:
        return "", ""
    forms = [f for f in (getattr(edit, "canonical_latin", None), getattr(edit, "canonical_cyrillic", None)) if f]
    named = f": {visible(' / '.join(forms))}" if forms else ""
    return (f' data-entity="{escape(str(entity_id))}"',
            f"<span>Entity {visible(str(entity_id))}{named}</span>")


def _known_kinds_first(kinds: Iterable[str]) -> list[str]:
    order = {kind: i for i, kind in enumerate(EDIT_KINDS)}
    return sorted(kinds, key=lambda k: (order.get(k, len(order)), k))


@dataclass
class KindCount:
    """Changes of one kind: how many were applied and suggested, and their confidence range."""

    applied: int = 0
    suggested: int = 0
    lowest: float = float("inf")
    highest: float = float("-inf")

    def add(self, edit: Edit, applied: bool) -> None:
        if applied:
            self.applied += 1
        else:
            self.suggested += 1
        self.lowest = min(self.lowest, edit.confidence)
        self.highest = max(self.highest, edit.confidence)


@dataclass
class ReportSummary:
    """What a report covered: the whole input, and how much of it the page shows."""

    input_chars: int = 0
    applied: int = 0
    suggested: int = 0
    shown_chars: int = 0
    shown_marks: int = 0
    truncated: bool = False
    by_kind: dict[str, KindCount] = field(default_factory=dict)


@dataclass(frozen=True)
class _Item:
    edit: Edit
    applied: bool


def _placed(result: CleanResult) -> list[tuple[_Item, list[_Item]]]:
    """Edits and suggestions in text order as (inline item, changes riding on it). Applied edits
    are always inline (they never overlap), so the cleaned view reads right; a suggestion that
    overlaps an edit or an earlier suggestion rides along as a chip after it."""
    edits = sorted(result.edits, key=lambda e: (e.start, e.end))
    placed: list[tuple[_Item, list[_Item]]] = []
    waiting: list[_Item] = []  # suggestions overlapping the next edit, shown after it

    def place(item: _Item) -> None:
        if placed and item.edit.start < placed[-1][0].edit.end:
            placed[-1][1].append(item)  # an edit here only if the result is inconsistent
        else:
            placed.append((item, []))
        if item.applied and waiting:
            placed[-1][1].extend(waiting)
            waiting.clear()

    i = 0
    for suggestion in sorted(result.suggestions, key=lambda e: (e.start, e.end)):
        while i < len(edits) and edits[i].start <= suggestion.start:
            place(_Item(edits[i], True))
            i += 1
        item = _Item(suggestion, False)
        if placed and suggestion.start < placed[-1][0].edit.end:
            placed[-1][1].append(item)
        elif i < len(edits) and edits[i].start < suggestion.end:
            waiting.append(item)
        else:
            place(item)
    for edit in edits[i:]:
        place(_Item(edit, True))
    return placed


class ReportWriter:
    """Write a review page piece by piece: ``add(chunk, clean(chunk))`` for consecutive chunks of
    the input, then :meth:`close`. Memory holds counts and at most ``max_marks`` table rows.
    ``source`` names the input in the page's decisions file (None: stdin or a string)."""

    def __init__(self, out: Sink, *, title: str = DEFAULT_TITLE, max_text_chars: int = MAX_TEXT_CHARS,
                 max_marks: int = MAX_MARKS, source: str | None = None) -> None:
        self._out = out
        self._source = source
        self._max_text_chars = max_text_chars
        self._max_marks = max_marks
        self.summary = ReportSummary()
        self._rows: list[str] = []
        self._line = 1  # line number at the current offset
        self._line_start = 0  # input offset where that line starts
        self._closed = False
        self._write_head(title)

    # -- the page around the text ------------------------------------------------------------
    def _write_head(self, title: str) -> None:
        legend = " ".join(f'<span class="swatch" data-kind="{k}">{_kind_label(k)}</span>' for k in EDIT_KINDS)
        step = f"{FILTER_STEP:g}"
        body = "<body>" if self._source is None else f'<body data-source="{escape(self._source)}">'
        self._out.write(
            '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">\n'
            '<meta name="referrer" content="no-referrer">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{visible_plain(title)}</title>\n<style>{_CSS}</style>\n</head>\n{body}\n"
            '<a class="skip" href="#nk-summary">Skip to the summary and the list of changes</a>\n'
            # The view switches sit before <main> so that CSS alone (a ~ combinator, not :has(),
            # which makes a large page's first layout far slower) shows each view.
            + "".join(f'<input type="radio" class="sr" name="nk-view" id="{ident}" aria-describedby="nk-views"'
                      f'{" checked" if ident == "nk-changes" else ""}>\n'
                      for ident in ("nk-changes", "nk-cleaned", "nk-original")) +
            f"<header>\n<h1>{visible(title)}</h1>\n"
            f'<p class="legend">Kinds: {legend}; '
            '<span class="swatch sugg" data-kind="suggestion">dashed: suggested, not applied</span>. '
            "Struck through: the original; underlined: the replacement; \u27e8U+202E\u27e9: an "
            "invisible character, shown. Hover over a change or move to it with Tab to see its kind, "
            "confidence and reason (Escape hides it).</p>\n"
            '<div class="controls">\n<div><span class="views" id="nk-views">Show</span>'
            '<label for="nk-changes">changes</label><label for="nk-cleaned">cleaned text</label>'
            '<label for="nk-original">original text</label></div>\n'
            '<div class="filter controls" id="nk-controls" hidden>'
            '<label for="nk-min">Highlight changes with confidence at least</label>'
            f'<input type="range" id="nk-min" min="0" max="1" step="{step}" value="0">'
            '<output id="nk-shown" for="nk-min" aria-live="polite"></output></div>\n'
            "</div>\n"
            '<div class="review controls" id="nk-review" hidden>'
            '<output id="nk-count" aria-live="polite"></output>'
            '<span><label for="nk-accept-min">Accept all undecided at or above confidence</label> '
            f'<input type="number" id="nk-accept-min" min="0" max="1" step="0.01" value="{ACCEPT_ALL_DEFAULT}"> '
            '<button type="button" id="nk-accept-all">Accept</button></span>'
            '<button type="button" id="nk-undo">Undo</button>'
            '<span><button type="button" id="nk-get-text">Download cleaned text</button> '
            '<button type="button" id="nk-get-decisions">Download decisions</button></span>'
            '<span class="legend">Keys: <kbd>j</kbd>/<kbd>k</kbd> next/previous change, <kbd>a</kbd> '
            "accept, <kbd>r</kbd> reject, <kbd>u</kbd> undo. Applied changes stay on until rejected, "
            "suggestions off until accepted.</span>"
            '<span id="nk-said" role="status"></span>'
            '<span class="note" id="nk-cut" hidden>This page shows only the start of the input, so '
            "it cannot give the whole cleaned text: download the decisions and run "
            "<code>normkit clean --decisions</code>.</span></div>\n"
            "</header>\n<main>\n"
            '<section aria-labelledby="nk-text-h"><h2 id="nk-text-h" class="sr">Text</h2>'
            '<div class="text">')

    def _write_tail(self) -> None:
        s = self.summary
        parts = ['</div>\n</section>\n<aside id="nk-aside" aria-labelledby="nk-summary" '
                 f'data-truncated="{str(s.truncated).lower()}">\n'
                 '<h2 id="nk-summary" tabindex="-1">Summary</h2>\n']
        parts.append(f"<p>{s.input_chars:,} characters; {s.applied:,} changes applied, "
                     f"{s.suggested:,} suggested but not applied.</p>\n")
        if s.truncated:
            parts.append(self._cut_note(aside=True))
        parts.append('<table id="nk-kinds"><caption>Changes by kind</caption>\n<thead><tr><th scope="col">Kind</th>'
                     '<th scope="col" class="n">Applied</th><th scope="col" class="n">Suggested</th>'
                     '<th scope="col" class="n">Confidence</th></tr></thead>\n<tbody>\n')
        for kind in _known_kinds_first(s.by_kind):
            c = s.by_kind[kind]
            span = f"{c.lowest:.2f}" if c.lowest == c.highest else f"{c.lowest:.2f}\u2013{c.highest:.2f}"
            parts.append(f'<tr data-kind="{escape(kind)}"><th scope="row"><span class="swatch" '
                         f'data-kind="{escape(kind)}">{visible(_kind_label(kind))}</span></th>'
                         f'<td class="n">{c.applied:,}</td><td class="n">{c.suggested:,}</td>'
                         f'<td class="n">{span}</td></tr>\n')
        if not s.by_kind:
            parts.append('<tr><td colspan="4">No changes.</td></tr>\n')
        parts.append(f'</tbody>\n<tfoot><tr><th scope="row">all</th><td class="n">{s.applied:,}</td>'
                     f'<td class="n">{s.suggested:,}</td><td></td></tr></tfoot>\n</table>\n')
        if self._rows:
            # A long list starts folded: the browser then skips laying it out as the page opens.
            folded = "" if len(self._rows) <= LIST_OPEN_MAX else " (open to see them)"
            parts.append(f'<details id="nk-list-box"{"" if folded else " open"}><summary>'
                         f'<h2 id="nk-list-h">All changes: {len(self._rows):,}{folded}</h2></summary>\n'
                         '<table id="nk-list" aria-labelledby="nk-list-h"><thead><tr>'
                         '<th scope="col">Line</th><th scope="col">Change</th><th scope="col">Kind</th>'
                         '<th scope="col" class="n">Conf.</th><th scope="col">Decision</th></tr>'
                         '</thead>\n<tbody>\n')
            parts.extend(self._rows)
            parts.append("</tbody>\n</table>\n</details>\n")
        parts.append(f"</aside>\n</main>\n<script>{_JS}</script>\n</body>\n</html>\n")
        self._out.write("".join(parts))

    def _cut_note(self, *, aside: bool) -> str:
        s = self.summary
        where = "" if aside else "The text stops here. "
        return (f'<p class="note" role="note">{where}This page shows the first {s.shown_chars:,} '
                f"characters and {s.shown_marks:,} changes (a page is capped at "
                f"{self._max_text_chars:,} characters and {self._max_marks:,} changes). "
                "The summary counts the whole input; <code>normkit clean --format json</code> lists "
                "every change.</p>\n")

    # -- the text ------------------------------------------------------------------------------
    def add(self, text: str, result: CleanResult | None = None) -> None:
        """Add the next piece of the input and what cleaning it found (None: nothing changed).
        Offsets of ``result`` are into ``text``; the page numbers them across the whole input."""
        if self._closed:
            raise ValueError("the report is closed")
        placed = _placed(result) if result is not None else []
        for item, riders in placed:
            for it in (item, *riders):
                if not 0 <= it.edit.start <= it.edit.end <= len(text):
                    raise ValueError(f"edit {it.edit.start}-{it.edit.end} lies outside the text "
                                     f"({len(text)} characters)")
                self._count(it)
        offset = self.summary.input_chars
        self.summary.input_chars += len(text)
        if self.summary.truncated:
            return
        budget = self._max_text_chars - self.summary.shown_chars
        pieces: list[str] = []
        pos = 0
        for item, riders in placed:
            start, end = item.edit.start, item.edit.end
            if end > budget or self.summary.shown_marks + 1 + len(riders) > self._max_marks:
                budget = min(budget, start)
                break
            pieces.append(visible(text[pos:start]))
            pieces.append(self._mark(item, offset, text))
            pieces.extend(self._mark(rider, offset, text, rider=True) for rider in riders)
            pos = end
        stop = min(len(text), max(budget, pos))
        pieces.append(visible(text[pos:stop]))
        self.summary.shown_chars += stop
        if stop < len(text):
            self.summary.truncated = True
            pieces.append("</div>\n" + self._cut_note(aside=False) + "<div>")
        self._out.write("".join(pieces))
        self._advance_lines(text, stop, offset)

    def _count(self, item: _Item) -> None:
        s = self.summary
        if item.applied:
            s.applied += 1
        else:
            s.suggested += 1
        s.by_kind.setdefault(item.edit.kind, KindCount()).add(item.edit, item.applied)

    def _advance_lines(self, text: str, upto: int, offset: int) -> None:
        newlines = text.count("\n", 0, upto)
        if newlines:
            self._line += newlines
            self._line_start = offset + text.rindex("\n", 0, upto) + 1

    def _line_of(self, text: str, start: int, offset: int) -> tuple[int, int]:
        """Line and column (1-based) of ``text[start]``; lines before this piece are counted."""
        newlines = text.count("\n", 0, start)
        if not newlines:
            return self._line, offset + start - self._line_start + 1
        return self._line + newlines, start - text.rindex("\n", 0, start)

    def _mark(self, item: _Item, offset: int, text: str, *, rider: bool = False) -> str:
        """One change (``<span class="e">``): the mark (focusable, described by its tooltip), then
        a pop-up with the tooltip and the Accept/Reject buttons, shown on hover and while the
        keyboard is on the change. Inline, the mark holds the input text it covers; a ``rider`` (a change overlapping
        the one before it) is a small chip after that one, showing its replacement."""
        self.summary.shown_marks += 1
        n = self.summary.shown_marks
        e = item.edit
        line, column = self._line_of(text, e.start, offset)
        kind, label = escape(e.kind), visible(_kind_label(e.kind))
        status = "applied" if item.applied else "suggested, not applied"
        applied = str(item.applied).lower()
        confidence = f"{e.confidence:.3f}"
        original = e.before if rider else text[e.start:e.end]
        after = visible(e.after)
        change = f"\u201c{visible(e.before)}\u201d \u2192 \u201c{after}\u201d"
        entity, entity_line = _entity(e)
        self._rows.append(
            f'<tr data-kind="{kind}" data-applied="{applied}" '
            f'data-confidence="{confidence}"><td><a href="#e{n}">{line}</a></td><td>{change}'
            f'{"" if item.applied else " <em>(suggested)</em>"}</td><td><span class="swatch" '
            f'data-kind="{kind}">{label}</span></td><td class="n">{e.confidence:.2f}</td>'
            '<td class="v"></td></tr>\n')
        return (
            f'<span class="e"><mark id="e{n}" data-kind="{kind}" data-applied="{applied}" data-on="{applied}" '
            f'data-confidence="{confidence}" data-start="{offset + e.start}" data-end="{offset + e.end}"'
            f'{entity}{_RIDER_ATTRIBUTE if rider else ""} tabindex="0" aria-describedby="t{n}">'
            f"<del>{visible(original)}</del><ins>{after}</ins></mark>"
            f'<span class="pop"><span class="tip" role="tooltip" id="t{n}"><span class="what">{label}, '
            f"{status}, confidence {e.confidence:.2f}</span><span>{change}</span>"
            f"{_letters_by_script(e.before)}{entity_line}<span>{visible(e.reason)}</span>"
            f"<span>line {line}, column {column}</span></span>"
            f'<span class="acts"><button type="button" data-action="accept" aria-pressed="false" '
            f'aria-describedby="t{n}">Accept</button><button type="button" data-action="reject" '
            f'aria-pressed="false" aria-describedby="t{n}">Reject</button></span></span></span>')

    def close(self) -> ReportSummary:
        """Finish the page (the summary and the list go last, as they count the whole input)."""
        if not self._closed:
            self._closed = True
            self._write_tail()
        return self.summary


def write_report(pieces: Iterable[tuple[str, CleanResult | None]], out: Sink, *,
                 title: str = DEFAULT_TITLE, max_text_chars: int = MAX_TEXT_CHARS,
                 max_marks: int = MAX_MARKS, source: str | None = None) -> ReportSummary:
    """Stream a review page to ``out`` from consecutive ``(input chunk, its CleanResult)`` pairs,
    as the CLI cleans a file chunk by chunk; offsets on the page are into the whole input."""
    writer = ReportWriter(out, title=title, max_text_chars=max_text_chars, max_marks=max_marks, source=source)
    for text, result in pieces:
        writer.add(text, result)
    return writer.close()


def original_text(result: CleanResult) -> str:
    """The input ``result`` was cleaned from: each edit's replacement put back to its original."""
    parts: list[str] = []
    pos = shift = 0
    for e in result.edits:
        out_start = e.start + shift
        parts.append(result.text[pos:out_start])
        parts.append(e.before)
        pos = out_start + len(e.after)
        shift += len(e.after) - (e.end - e.start)
    parts.append(result.text[pos:])
    return "".join(parts)


def render(result: CleanResult, *, title: str = DEFAULT_TITLE, original: str | None = None,
           max_text_chars: int = MAX_TEXT_CHARS, max_marks: int = MAX_MARKS, source: str | None = None) -> str:
    """The review page of one cleaned text, as a string. ``original`` is the input (rebuilt from
    the result's edits when not given); ``source`` names it in the decisions file."""
    text = original_text(result) if original is None else original
    buffer = io.StringIO()
    write_report([(text, result)], buffer, title=title, max_text_chars=max_text_chars, max_marks=max_marks,
                 source=source)
    return buffer.getvalue()


def _same_path(a: str, b: str) -> bool:
    return Path(a).resolve() == Path(b).resolve()


@contextmanager
def open_report(path: str | None, *, input_path: str, output_path: str | None = None,
                title: str | None = None) -> Iterator[Callable[[str, CleanResult | None], None]]:
    """For the CLI: yield ``add(chunk, result)`` writing a report to ``path`` (atomically, like
    ``-o``), or doing nothing when ``path`` is None. The page is complete only if the block ends
    without error; otherwise no file is left."""
    if path is None:
        yield lambda text, result: None
        return
    to_stdout = output_path is None or output_path == "-"
    if path == "-" and to_stdout:
        raise InputError("--report -: the cleaned text already goes to stdout; write one of them to a file")
    if path != "-" and not to_stdout and _same_path(path, str(output_path)):
        raise InputError(f"{path}: --report and -o name the same file")
    name = "<stdin>" if input_path == "-" else input_path
    with textio.open_output(path, input_path=input_path) as out:
        writer = ReportWriter(out, title=title or f"{DEFAULT_TITLE}: {name}",
                              source=None if input_path == "-" else input_path)
        yield writer.add
        writer.close()
