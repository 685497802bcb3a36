"""Language identification: the script decides when it can, seeded langdetect otherwise.

``langdetect`` is random unless seeded and slow to load, so it is imported on first need and always
seeded with 0: the same text gets the same answer on every run.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from typing import Collection, Iterator

UNDETERMINED = "und"

# Scripts that name one language by themselves (among languages Argos/langdetect know).
_SCRIPT_LANG = {"GREEK": "el", "ARMENIAN": "hy", "GEORGIAN": "ka", "HEBREW": "he", "THAI": "th",
                "HANGUL": "ko", "HIRAGANA": "ja", "KATAKANA": "ja", "BENGALI": "bn", "GUJARATI": "gu",
                "GURMUKHI": "pa", "TAMIL": "ta", "TELUGU": "te", "KANNADA": "kn", "MALAYALAM": "ml"}
# Letters only one Cyrillic language uses (checked in this order).
_CYRILLIC_MARKERS = (("kk", "әғқңөұүһӘҒҚҢӨҰҮҺ"), ("uk", "їєґЇЄҐ"), ("be", "ўЎ"),
                     ("mk", "ѓќѕЃЌЅ"), ("sr", "ђћџЂЋЏ"), ("uk", "іІ"))
_RUSSIAN_ONLY = set("ыэёЫЭЁ")  # absent from uk, be(ы is there, but ў/і mark be first), bg, sr, mk
# Languages written (in Argos packages) in each script, to shortcut among installed candidates.
CYRILLIC_LANGS = frozenset({"ru", "uk", "be", "bg", "sr", "mk", "kk", "ky", "tg", "mn"})
_OTHER_SCRIPTS = frozenset({"ar", "fa", "ur", "hi", "mr", "ne", "zh", "zt", "ja", "ko"}) | set(_SCRIPT_LANG.values())
_LANGDETECT_CODES = {"zh-cn": "zh", "zh-tw": "zt"}
_WORDISH = re.compile(r"\w", re.UNICODE)


def script_of(ch: str) -> str:
    """The script of a letter from its Unicode name: ``CYRILLIC``, ``LATIN``, ``CJK``..."""
    name = unicodedata.name(ch, "")
    if name.startswith("CJK"):
        return "CJK"
    return name.split(" ", 1)[0] if name else ""


def script_profile(text: str) -> Counter[str]:
    """Letters per script."""
    return Counter(script_of(ch) for ch in text if ch.isalpha())


def _dominant_script(text: str) -> str | None:
    profile = script_profile(text)
    if not profile:
        return None
    script, count = profile.most_common(1)[0]
    return script if count >= 0.6 * sum(profile.values()) else None


def script_language(text: str, candidates: Collection[str] | None = None) -> str | None:
    """The language the script alone decides, or None when statistics are needed."""
    script = _dominant_script(text)
    if script is None:
        return None
    if script in _SCRIPT_LANG:
        return _SCRIPT_LANG[script]
    if script == "CJK":
        return "zh"
    if candidates is not None:  # one candidate written in this script: no statistics needed
        fitting = sorted(c for c in candidates if _writes(c, script))
        if len(fitting) == 1:
            return fitting[0]
    if script == "CYRILLIC":
        for lang, letters in _CYRILLIC_MARKERS:
            if any(ch in letters for ch in text):
                return lang
        if any(ch in _RUSSIAN_ONLY for ch in text):
            return "ru"
    return None


def _writes(lang: str, script: str) -> bool:
    if script == "CYRILLIC":
        return lang in CYRILLIC_LANGS
    if script == "LATIN":
        return lang not in CYRILLIC_LANGS and lang not in _OTHER_SCRIPTS
    return False


def _langdetect(text: str) -> list[tuple[str, float]]:
    from langdetect import DetectorFactory, detect_langs  # lazy: loads ~55 profiles
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0  # deterministic answers
    try:
        found = detect_langs(text)
    except LangDetectException:  # no letters it knows
        return []
    return [(_LANGDETECT_CODES.get(r.lang, r.lang), r.prob) for r in found]


def detect_language(text: str, candidates: Collection[str] | None = None) -> str:
    """The language code of ``text`` (``"und"`` if it has no letters).

    With ``candidates`` (say, the languages installed models handle), the best-scoring candidate wins
    over a non-candidate, so a short Russian line is not sent to a Bulgarian model nobody installed.
    """
    if not _WORDISH.search(text) or not script_profile(text):
        return UNDETERMINED
    by_script = script_language(text, candidates)
    if by_script is not None:
        return by_script
    ranked = _langdetect(text)
    if not ranked:
        return UNDETERMINED
    if candidates:
        for lang, _prob in ranked:
            if lang in candidates:
                return lang
        # A mixed paragraph langdetect places elsewhere: the candidate writing most of its letters.
        script = script_profile(text).most_common(1)[0][0]
        fitting = sorted(c for c in candidates if _writes(c, script))
        if len(fitting) == 1:
            return fitting[0]
    return ranked[0][0]


_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")


def paragraph_spans(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each paragraph: blocks of text separated by blank lines."""
    start = 0
    for m in _PARAGRAPH_BREAK.finditer(text):
        if text[start:m.start()].strip():
            yield start, m.start()
        start = m.end()
    if text[start:].strip():
        yield start, len(text)


def paragraph_languages(text: str, candidates: Collection[str] | None = None) -> list[tuple[int, int, str]]:
    """(start, end, language) of each paragraph, detected one by one."""
    return [(a, b, detect_language(text[a:b], candidates)) for a, b in paragraph_spans(text)]
