"""The gazetteer: named entities (places, people) from glossary files and the local store.

The data layer under the cleaning stages; it imports none of them. One module per job:

- :mod:`.entry`: :class:`Entry`, :func:`name_key`, :func:`core_name`
- :mod:`.glossary`: the glossary file format (``glossaries/README.md``)
- :mod:`.index`: :class:`Gazetteer`, glossary entries in memory, optionally backed by a store
- :mod:`.store`: the SQLite store (``normkit gazetteer import`` fills it)
- :mod:`.sources`: shipped and user glossaries; :func:`default_gazetteer`, :func:`name_lexicon`
- :mod:`.naming`, :mod:`.dumps`, :mod:`.geonames`, :mod:`.postal`, :mod:`.importer`: importing
  GeoNames dumps (loaded only when importing)
"""
from __future__ import annotations

from .entry import PLACE_TYPES, TYPE_WORDS, Entry, core_name, name_key
from .glossary import COLUMNS, FORMAT_VERSION, format_row, read_glossary, write_glossary
from .index import Gazetteer
from .sources import (ENV_GLOSSARIES, NAMES_FILE, PLACE_FILES, default_gazetteer, name_lexicon, reset_caches,
                      shipped_glossary_paths, user_glossary_paths)

__all__ = ["COLUMNS", "ENV_GLOSSARIES", "FORMAT_VERSION", "NAMES_FILE", "PLACE_FILES", "PLACE_TYPES",
           "TYPE_WORDS", "Entry", "Gazetteer", "core_name", "default_gazetteer", "format_row", "name_key",
           "name_lexicon", "read_glossary", "reset_caches", "shipped_glossary_paths", "user_glossary_paths",
           "write_glossary"]
