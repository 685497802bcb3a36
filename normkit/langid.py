"""Language identification for translation: the script decides when it can, lingua otherwise.

lingua-language-detector (the ``translate`` extra) is restricted to the candidate languages (the
languages of the installed models, the target, and English and Russian), which is what makes short
Cyrillic sentences come out right: measured by ``benchmarks/eval_langid.py``, it labels 123 of 124
short ru/uk/bg/be/sr/mk sentences correctly where seeded langdetect labelled 75, routes no Russian
sentence elsewhere, and labels 99.6-100% of the FLORES/WMT Russian and English lines right (langdetect
98.2-99.9%). The price of the restriction: a paragraph in a language outside the candidates is
labelled as the nearest candidate. Unrestricted, lingua labelled only 97.5% of the WMT English lines
English and took 0.9 GB. lingua is deterministic (no sampling), so the same text always gets the
same answer. Detectors are built once per candidate set and kept.
"""
from __future__ import annotations

import functools
import re
import threading
import unicodedata
from collections import Counter
from typing import TYPE_CHECKING, Collection, Iterator

if TYPE_CHECKING:
    from lingua import LanguageDetector

UNDETERMINED = "und"
DETECTORS_KEPT = 8  # detectors for this many candidate sets stay loaded

# Scripts that name one language by themselves (among languages Argos and lingua know).
_SCRIPT_LANG = {"GREEK": "el", "ARMENIAN": "hy", "GEORGIAN": "ka", "HEBREW": "he", "THAI": "th",
                "HANGUL": "ko", "HIRAGANA": "ja", "KATAKANA": "ja", "BENGALI": "bn", "GUJARATI": "gu",
                "GURMUKHI": "pa", "TAMIL": "ta", "TELUGU": "te", "KANNADA": "kn", "MALAYALAM": "ml"}
# Languages written (in Argos packages) in each script, to shortcut among installed candidates.
CYRILLIC_LANGS = frozenset({"ru", "uk", "be", "bg", "sr", "mk", "kk", "ky", "tg", "mn"})
_OTHER_SCRIPTS = frozenset({"ar", "fa", "ur", "hi", "mr", "ne", "zh", "zt", "ja", "ko"}) | set(_SCRIPT_LANG.values())
# Codes Argos uses that lingua spells otherwise (zt: traditional Chinese; pb: Brazilian Portuguese).
_ARGOS_TO_LINGUA = {"zt": "zh", "pb": "pt"}
_WORDISH = re.compile(r"\w", re.UNICODE)
_lock = threading.Lock()


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
    return None


def _writes(lang: str, script: str) -> bool:
    if script == "CYRILLIC":
        return lang in CYRILLIC_LANGS
    if script == "LATIN":
        return lang not in CYRILLIC_LANGS and lang not in _OTHER_SCRIPTS
    return False


def lingua_codes() -> frozenset[str]:
    """ISO 639-1 codes lingua can tell apart."""
    from lingua import IsoCode639_1

    return frozenset(name.lower() for name in dir(IsoCode639_1) if len(name) == 2 and name.isupper())


@functools.lru_cache(maxsize=DETECTORS_KEPT)
def _detector(codes: frozenset[str] | None) -> "LanguageDetector":
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    if codes is None:  # all 75 languages: the trigram models only (the full ones take ~0.9 GB)
        return LanguageDetectorBuilder.from_all_languages().with_low_accuracy_mode().build()
    isos = [getattr(IsoCode639_1, c.upper()) for c in sorted(codes)]
    return LanguageDetectorBuilder.from_iso_codes_639_1(*isos).build()


def _statistics(text: str, candidates: Collection[str] | None) -> str | None:
    """lingua's answer among ``candidates`` (all its languages for None); None if it has none."""
    known = lingua_codes()
    if candidates is None:
        codes = None
    else:
        codes = frozenset(_ARGOS_TO_LINGUA.get(c, c) for c in candidates) & known
        if len(codes) < 2:  # lingua needs two languages to choose between
            return next(iter(codes)) if codes else None
    with _lock:  # one detector build at a time; detection itself is thread-safe
        detector = _detector(codes)
    found = detector.detect_language_of(text)
    if found is None:
        return None
    code = found.iso_code_639_1.name.lower()
    if candidates is not None and code not in candidates:  # "zh" or "pt" back to the Argos code asked for
        code = next((c for c in sorted(candidates) if _ARGOS_TO_LINGUA.get(c) == code), code)
    return code


def detect_language(text: str, candidates: Collection[str] | None = None) -> str:
    """The language code of ``text`` (``"und"`` if it has no letters).

    With ``candidates`` (say, the languages installed models handle), only those are considered, so a
    short Russian line is not sent to a Bulgarian model nobody installed.
    """
    if not _WORDISH.search(text) or not script_profile(text):
        return UNDETERMINED
    by_script = script_language(text, candidates)
    if by_script is not None:
        return by_script
    found = _statistics(text, candidates)
    if found is not None:
        return found
    if candidates:  # lingua abstained: the candidate writing most of the letters, if only one does
        script = script_profile(text).most_common(1)[0][0]
        fitting = sorted(c for c in candidates if _writes(c, script))
        if len(fitting) == 1:
            return fitting[0]
    return UNDETERMINED


_PARAGRAPH_BREAK = re.compile(r"(?:\r\n?|\n)[ \t\f\v]*(?:\r\n?|\n)\s*")  # lines end at \n, \r\n or \r


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
