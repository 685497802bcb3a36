"""``format=html``: split markup from text so only the text is translated, then put it back.

A linear scanner, not a full parser: tags, comments, declarations and the bodies of script/style
are kept byte for byte; each run of text between them is unescaped, translated and escaped again.
A tag left open at the end of the input is kept as markup, as browsers drop it; every scan moves
forward, so hostile input costs time linear in its length.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass

_RAW_TEXT_ELEMENTS = ("script", "style", "pre", "code")  # code and scripts: kept as they are
_TAG_NAME = re.compile(r"[A-Za-z][^\s/>]*")
_QUOTES = "\"'"


@dataclass(frozen=True)
class Piece:
    text: str
    translatable: bool  # text (unescaped) to translate; else markup or whitespace kept verbatim


def split_html(doc: str) -> list[Piece]:
    pieces: list[Piece] = []
    text_start = pos = 0
    n = len(doc)

    def flush_text(end: int) -> None:
        if end > text_start:
            _add_text(pieces, doc[text_start:end])

    while True:
        lt = doc.find("<", pos)
        if lt < 0:
            break
        end = _markup_end(doc, lt)
        if end is None:  # a "<" that starts no markup is text
            pos = lt + 1
            continue
        flush_text(lt)
        tag = _TAG_NAME.match(doc, lt + 1)
        pieces.append(Piece(doc[lt:end], False))
        pos = text_start = end
        if tag and doc[end - 2:end] != "/>" and tag.group().lower() in _RAW_TEXT_ELEMENTS:
            close = re.compile(r"</" + re.escape(tag.group()) + r"\s*>", re.IGNORECASE).search(doc, end)
            stop = close.end() if close else n
            pieces.append(Piece(doc[end:stop], False))
            pos = text_start = stop
    flush_text(n)
    return pieces


def _markup_end(doc: str, lt: int) -> int | None:
    """Where the markup starting at ``doc[lt] == "<"`` ends, or None when it is a plain "<"."""
    nxt = doc[lt + 1:lt + 2]
    if doc.startswith("<!--", lt):
        close = doc.find("-->", lt + 4)
        return len(doc) if close < 0 else close + 3
    if nxt in ("!", "?"):
        close = doc.find(">", lt + 2)
        return len(doc) if close < 0 else close + 1
    if nxt == "/":
        if not _TAG_NAME.match(doc, lt + 2):
            return None
    elif not (nxt.isascii() and nxt.isalpha()):
        return None
    i = lt + 1
    while i < len(doc):  # to the ">" outside quoted attribute values
        ch = doc[i]
        if ch == ">":
            return i + 1
        if ch in _QUOTES:
            close = doc.find(ch, i + 1)
            if close < 0:
                return len(doc)
            i = close
        i += 1
    return len(doc)


def _add_text(pieces: list[Piece], raw: str) -> None:
    text = html.unescape(raw)
    core = text.strip()
    if not core:
        pieces.append(Piece(raw, False))
        return
    lead = text[:len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()):]
    if lead:
        pieces.append(Piece(lead, False))
    pieces.append(Piece(core, True))
    if trail:
        pieces.append(Piece(trail, False))


def texts(pieces: list[Piece]) -> list[str]:
    return [p.text for p in pieces if p.translatable]


def join_html(pieces: list[Piece], translations: list[str]) -> str:
    """The document with each translatable piece replaced by its translation (escaped)."""
    out: list[str] = []
    it = iter(translations)
    for p in pieces:
        out.append(html.escape(next(it), quote=False) if p.translatable else p.text)
    return "".join(out)
