"""Errors a user can cause. The CLI prints them as one line and exits 2; nothing else is caught."""
from __future__ import annotations


class NormkitError(Exception):
    """Base class: bad input, bad data file, missing model."""


class InputError(NormkitError):
    """The input cannot be read as text (binary, invalid UTF-8, missing file)."""


class OutputError(NormkitError):
    """The output cannot be written: a directory, a read-only place, a full disk, a device refused."""


class GlossaryError(NormkitError):
    """A glossary or gazetteer data file is malformed; the message starts with ``file:line:``."""


class StoreError(NormkitError):
    """The local gazetteer store cannot be used: unknown import format, unwritable or stale store."""
