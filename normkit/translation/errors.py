"""Translation errors a user can cause; the CLI prints them as one line and exits 2."""
from __future__ import annotations

from normkit.errors import NormkitError


class ModelNotFoundError(NormkitError):
    """No installed package (direct or through English) translates this pair."""


class InvalidPackageError(NormkitError):
    """A ``.argosmodel`` file that is not a zip, lacks metadata or a model, or escapes its folder."""


class PackageExistsError(NormkitError):
    """A package for the same pair (or folder) is installed already; ``--force`` replaces it."""


class UnknownLanguageError(NormkitError):
    """A language code nobody knows."""


class OfflineError(NormkitError):
    """The Argos package index or a download could not be reached."""


class MissingExtraError(NormkitError):
    """The translation stack (the ``translate`` extra) is not installed."""


class ModelLoadError(NormkitError):
    """An installed package's model or tokenizer does not load (corrupt or truncated files)."""
