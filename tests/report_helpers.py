"""Helpers for the report tests: a small DOM read from HTML text, and PNG reading/shrinking.

The DOM is built with the standard library's HTMLParser. It is used on pages normkit writes and on
the DOM Chromium serialises after running the page (``--dump-dom``), both well-formed, so a full
HTML5 parser is not needed to read them.
"""
from __future__ import annotations

import struct
import zlib
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Iterator, Optional, Union

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

# A hostile article, authored for these tests: markup that would run, load or break out of an
# attribute if it were not escaped, around words normkit repairs. {port} is a local server that
# counts requests. U+2028 is a line separator (once a JavaScript string terminator).
HOSTILE_TEMPLATE = (
    "Breaking <script>alert(1)</script> drones fell near the Кириshi plant, officials said.\n\n"
    "<script>document.title='PWNED';document.body.appendChild(document.createElement('iframe'))</script>\n"
    "In Москвa a reader wrote \"><img src=x onerror=alert(1)> and \"><img src=x "
    "onerror=\"document.title='PWNED'\"> to the editor.\n"
    "A form </textarea><textarea> and a comment <!-- opened here\u2028then a line separator.\n"
    "<img src=\"http://127.0.0.1:{port}/img\"><link rel=\"stylesheet\" href=\"http://127.0.0.1:{port}/css\">"
    "<iframe src=\"http://127.0.0.1:{port}/frame\"></iframe>"
    "<style>@import url(http://127.0.0.1:{port}/import);</style>"
    "<meta http-equiv=\"refresh\" content=\"0;url=http://127.0.0.1:{port}/refresh\">"
    "<base href=\"http://127.0.0.1:{port}/base/\"> & &amp; &lt;b&gt; ]]> '\n\n"
    "The Glazhev village road reopened on Tuesday.\n"
)
HOSTILE_MARKERS = ("<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "</textarea>",
                   "<!--", "\u2028", "&amp;", "<base href=")


@dataclass
class Node:
    tag: str
    attrs: dict[str, Optional[str]]
    children: list[Union["Node", str]] = field(default_factory=list)

    def iter(self, tag: Optional[str] = None) -> Iterator["Node"]:
        for child in self.children:
            if isinstance(child, Node):
                if tag is None or child.tag == tag:
                    yield child
                yield from child.iter(tag)

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def has_class(self, name: str) -> bool:
        return name in (self.attrs.get("class") or "").split()

    def by_id(self, ident: str) -> "Node":
        return next(n for n in self.iter() if n.attrs.get("id") == ident)


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, Optional[str]]]) -> None:
        node = Node(tag, dict(attrs))
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, Optional[str]]]) -> None:
        self.stack[-1].children.append(Node(tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(html_text: str) -> Node:
    builder = _Builder()
    builder.feed(html_text)
    builder.close()
    return builder.root


def marks(doc: Node) -> list[Node]:
    return [m for m in doc.iter("mark") if "data-kind" in m.attrs]


def text_div(doc: Node) -> Node:
    return next(n for n in doc.iter("div") if n.has_class("text"))


def raw_text(node: Node) -> str:
    """A node's text with each shown invisible character (``<span class="cf" data-c="202E">``)
    put back as the character itself, as the page's script does for its downloads."""
    parts = []
    for child in node.children:
        if isinstance(child, str):
            parts.append(child)
        elif child.has_class("cf"):
            parts.append(chr(int(child.attrs["data-c"] or "", 16)))
        else:
            parts.append(raw_text(child))
    return "".join(parts)


def shown_text(doc: Node, view: str = "original") -> str:
    """The text of the page's text column as a reader sees it in a view, invisible characters put
    back: ``original`` keeps each mark's <del>, ``cleaned`` its <ins> for the changes that are on
    (``data-on``: applied edits, until the script records a decision). Pop-ups and chips are left
    out."""
    def walk(node: Node) -> str:
        parts = []
        for child in node.children:
            if isinstance(child, str):
                parts.append(child)
            elif child.has_class("pop") or child.has_class("tip") or (
                    child.tag == "mark" and "data-overlap" in child.attrs):
                continue
            elif child.has_class("cf"):
                parts.append(chr(int(child.attrs["data-c"] or "", 16)))
            elif child.tag == "mark":
                on = child.attrs.get("data-on") == "true"
                keep = "ins" if view == "cleaned" and on else "del"
                parts.append(raw_text(next(child.iter(keep))))
            else:
                parts.append(walk(child))
        return "".join(parts)
    return walk(text_div(doc))


# -- PNG ---------------------------------------------------------------------------------------
def _chunks(data: bytes) -> Iterator[tuple[bytes, bytes]]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos = 8
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        yield data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        pos += 12 + length


def png_size(data: bytes) -> tuple[int, int]:
    kind, body = next(_chunks(data))
    assert kind == b"IHDR"
    width, height = struct.unpack(">II", body[:8])
    return width, height


def png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and the rows of an 8-bit RGB or RGBA PNG (as Chromium writes), as RGB bytes."""
    header = b""
    idat = []
    for kind, body in _chunks(data):
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat.append(body)
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and colour in (2, 6) and interlace == 0, "only 8-bit RGB(A), not interlaced"
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(idat))
    stride = width * bpp
    rows: list[bytes] = []
    prev = bytearray(stride)
    for y in range(height):
        base = y * (stride + 1)
        kind, line = raw[base], bytearray(raw[base + 1:base + 1 + stride])
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            if kind == 1:
                line[x] = (line[x] + a) & 255
            elif kind == 2:
                line[x] = (line[x] + prev[x]) & 255
            elif kind == 3:
                line[x] = (line[x] + ((a + prev[x]) >> 1)) & 255
            elif kind == 4:
                b, c = prev[x], prev[x - bpp] if x >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        prev = line
        rows.append(bytes(line) if bpp == 3 else bytes(v for i, v in enumerate(line) if i % 4 != 3))
    return width, height, rows


def palette_png(data: bytes) -> bytes:
    """The same picture with at most 256 colours (the most frequent; others to the nearest), so a
    text screenshot for the README stays small."""
    width, height, rows = png_pixels(data)
    counts = Counter(row[x:x + 3] for row in rows for x in range(0, len(row), 3))
    palette = [c for c, _ in counts.most_common(256)]
    index = {c: i for i, c in enumerate(palette)}
    for colour in counts:
        if colour not in index:
            index[colour] = min(range(len(palette)), key=lambda i: sum(
                (p - q) ** 2 for p, q in zip(palette[i], colour)))
    raw = b"".join(b"\x00" + bytes(index[row[x:x + 3]] for x in range(0, len(row), 3)) for row in rows)

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 3, 0, 0, 0))
            + chunk(b"PLTE", b"".join(palette)) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))
