"""Build the name stage's table of known-word verdicts for the current data (see normkit.names.verdicts).

    python scripts/build_verdicts.py [--limit N]

The table goes to normkit's cache directory (NORMKIT_CACHE_DIR), keyed by the glossary and lexicon
files, pymorphy3's dictionary and the deciding modules' source; rerun it after any of them changes
(a stale table is simply not used). About 160,000 words, 1-2 minutes of CPU.
"""
from __future__ import annotations

import sys

from normkit.names.verdicts import main

if __name__ == "__main__":
    sys.exit(main())
