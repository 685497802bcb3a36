"""Offline translation with Argos packages: ``translate``, ``translate_many``, ``TranslationResult``.

Importing this package is cheap: argostranslate, CTranslate2 and SentencePiece load on first use.
"""
from __future__ import annotations

from .api import ProtectedEntity, TranslationResult, translate, translate_many
from .engine import DecodeOptions

__all__ = ["DecodeOptions", "ProtectedEntity", "TranslationResult", "translate", "translate_many"]
