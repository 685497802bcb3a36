"""Rule-based sentence splitting for Russian and English (no models, no network).

argostranslate would download a MiniSBD model on first use; this splitter needs nothing. It splits
after ``.``, ``!``, ``?`` or ``…`` (plus closing quotes/brackets) when whitespace and an upper-case
letter, digit or opening quote follow, unless the word before the dot is an abbreviation
(``т.е.``, ``Mr.``, ``ул.``), an initial (``А. С. Пушкин``) or ``г.`` naming a city.
"""
from __future__ import annotations

import re
from typing import Sequence

# Abbreviations after which a capitalised word does not start a new sentence. Lower-cased, no final dot.
_NEVER_FINAL = frozenset("""
т.е т.к т.н т.ч т.о т.ск напр см ср рис табл стр ст ул пр просп пер пл наб б-р ш д кв корп стр
г гг обл р-н пос пгт дер ст-ца им проф акад доц канд докт гр г-н г-жа тов св о-в оз р
е с п н ч ок прим изд ред сост вып
mr mrs ms dr prof st mt jr sr vs e.g i.e cf approx fig no nos vol ed eds gen gov sen rep lt col sgt capt
jan feb mar apr jun jul aug sep sept oct nov dec inc corp ltd co
""".split())
# Abbreviations that often end a sentence: a boundary when a capital follows (listed for the reader;
# anything not in _NEVER_FINAL behaves this way).
_MAYBE_FINAL = frozenset("т.д т.п др etc тыс млн млрд руб коп долл".split())

_BOUNDARY = re.compile(
    r"""(?P<end>[.!?…]+[»"”’')\]]*)      # terminal punctuation, closing quotes/brackets
        (?P<ws>\s+)
        (?=[«"“‘'(\[—–-]?\s*[A-ZА-ЯЁ0-9])   # next sentence: capital or digit, maybe quoted
    """,
    re.VERBOSE,
)
_WORD_BEFORE = re.compile(r"(\S+)$")
_INITIAL = re.compile(r"^(?:[A-ZА-ЯЁ]\.)+$")  # "А." or "А.С." (initials)
_YEAR = re.compile(r"\d{3,4}$")


def _is_boundary(text: str, m: re.Match[str]) -> bool:
    end = m.group("end")
    if not end.startswith("."):
        return True  # ! ? … always end a sentence before a capital
    if len(end.rstrip("»\"”’')]")) > 1:
        return True  # "..." or ".!" before a capital
    before = _WORD_BEFORE.search(text, 0, m.start())
    if not before:
        return True
    word = before.group(1).lstrip("«\"“(")
    if _INITIAL.match(word + "."):
        return False
    key = word.lower().rstrip(".")
    if key == "г":  # "г. Москва" (city) never ends; "2020 г. Он ..." (year) does
        prev = text[: before.start()].rstrip()
        return bool(_YEAR.search(prev))
    if key in ("д", "п") and text[: before.start()].rstrip().lower().endswith("т."):
        return True  # "и т. д." / "и т. п." spelled with a space, like "т.д."
    if key in _NEVER_FINAL:
        return False
    return True  # includes _MAYBE_FINAL: a capital after "и т.д." starts a new sentence


def sentence_spans(text: str, protected: Sequence[tuple[int, int]] = ()) -> list[tuple[int, int]]:
    """(start, end) of each sentence, leading/trailing whitespace excluded.

    No boundary falls inside a ``protected`` span (names the placeholders will replace).
    """
    spans: list[tuple[int, int]] = []
    start = len(text) - len(text.lstrip())
    for m in _BOUNDARY.finditer(text):
        cut = m.start("ws")
        if cut <= start or not _is_boundary(text, m):
            continue
        if any(a < cut < b for a, b in protected):
            continue
        spans.append((start, cut))
        start = m.end("ws")
    end = len(text.rstrip())
    if end > start:
        spans.append((start, end))
    return spans


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text`` (one paragraph) as strings."""
    return [text[a:b] for a, b in sentence_spans(text)]
