"""normkit: clean mixed-script tokens and misromanised Russian names, then translate offline.

>>> import normkit
>>> normkit.clean("Further north, near the Кириshi industrial zone.").text
'Further north, near the Kirishi industrial zone.'
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._version import __version__ as __version__
from .errors import NormkitError
from .normalizer import Config, Normalizer, clean, detect, link, load
from .transliteration import transliterate
from .types import CleanResult, Edit, Finding, apply_edits

if TYPE_CHECKING:  # type checkers see the real signatures; at run time they load on first use
    from .translation import TranslationResult, translate, translate_many

__all__ = [
    "clean", "detect", "link", "load", "Config", "Normalizer", "transliterate", "translate", "translate_many",
    "CleanResult", "Edit", "Finding", "TranslationResult", "NormkitError", "apply_edits",
]

_TRANSLATION_NAMES = {"translate", "translate_many", "TranslationResult"}


def __getattr__(name: str) -> Any:
    # The translation stack (argostranslate, CTranslate2) loads only when asked for.
    if name in _TRANSLATION_NAMES:
        from . import translation

        return getattr(translation, name)
    raise AttributeError(f"module 'normkit' has no attribute {name!r}")
