"""Whether the ``translate`` extra is installed: one line naming the install command when it is not.

Translation needs argostranslate, CTranslate2, SentencePiece and lingua; ``pip install normkit``
leaves them out (they pull in PyTorch), so every entry point of the translation stack checks first.
"""
from __future__ import annotations

import importlib.util

from .errors import MissingExtraError

INSTALL_COMMAND = 'pip install "normkit[translate]"'
# Module names of the extra's packages, as imported.
EXTRA_MODULES = ("argostranslate", "ctranslate2", "sentencepiece", "lingua")


def missing_modules() -> list[str]:
    """The extra's modules that cannot be imported here."""
    missing = []
    for name in EXTRA_MODULES:
        try:
            found = importlib.util.find_spec(name) is not None
        except (ImportError, ValueError):  # a module set to None in sys.modules, or a broken one
            found = False
        if not found:
            missing.append(name)
    return missing


def require_translate_extra() -> None:
    """Raise :class:`MissingExtraError` unless the translation stack can be imported."""
    missing = missing_modules()
    if missing:
        raise MissingExtraError(f"translation needs the translate extra ({', '.join(missing)} missing): "
                                f"{INSTALL_COMMAND}")
