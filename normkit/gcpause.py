"""Loading large tables without CPython's cyclic garbage collector running through them.

Unpickling the name stage's tables makes a few million objects; each allocation burst triggers the
collector, which walks everything made so far (about 100 ms of a CLI start with a name to check).
None of these tables holds a cycle to reclaim, so the collector is paused while they load.

They are not frozen afterwards (:func:`gc.freeze`): a freeze makes permanent every object alive at
that moment, garbage cycles not yet collected included, so a process that builds Normalizers again
and again (a test suite, a server reloading its config) would keep every discarded one for ever
(it grew a test run to 24 GB).
"""
from __future__ import annotations

import gc
import threading
from contextlib import contextmanager
from typing import Iterator

_lock = threading.Lock()
_depth = 0  # nested loads (the linker's build loads the gazetteer): frozen once, at the outermost end
_was_enabled = False


@contextmanager
def loading_tables() -> Iterator[None]:
    """Pause the collector (if it runs) while the body loads long-lived tables, until the
    outermost such body ends. A collector the caller disabled stays disabled."""
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
