"""Where normkit's own data files are, installed or in a source checkout."""
from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def schemes_dir() -> Path:
    return _PACKAGE / "schemes"


def glossaries_dir() -> Path:
    """The shipped glossaries: inside the wheel (``normkit/glossaries``), or the repo's ``glossaries/``."""
    installed = _PACKAGE / "glossaries"
    return installed if installed.is_dir() else _PACKAGE.parent / "glossaries"
