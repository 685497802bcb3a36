"""Loading large tables without CPython's cyclic garbage collector running through them.

Unpickling the name stage's tables makes a few million objects; each allocation burst triggers the
collector, which walks everything made so far (about 100 ms of a CLI start with a name to check).
None of these tables holds a cycle to reclaim, so the collector is paused while they load.

Unless frozen, a large load's survivors are moved to the oldest generation at its end (one walk of
just the new objects), rather than walked twice by the young collections that follow.

Whether the survivors are then frozen (:func:`gc.freeze`: later collections no longer walk them,
about a third of a CLI start with a name to check) is the program's choice, not the library's: a
freeze makes permanent every object alive at that moment, garbage cycles not yet collected
included, so a process that builds Normalizers again and again (a test suite, a server reloading
its config) would keep every discarded one for ever (it grew a test run to 24 GB). The CLI and the
pool's workers, each one Normalizer for the life of the process, call :func:`freeze_after_loading`.
"""
from __future__ import annotations

import gc
import threading
from contextlib import contextmanager
from typing import Iterator

LARGE_LOAD = 100_000  # objects a load made (the collector's gen-0 count) from which they are moved on at once
_lock = threading.Lock()
_depth = 0  # nested loads (the linker's build loads the gazetteer): frozen once, at the outermost end
_was_enabled = False
_freeze = False  # freeze what survives each load: set by a program that owns its process


def freeze_after_loading(on: bool = True) -> None:
    """Freeze the survivors of every later table load (for a process that keeps one Normalizer)."""
    global _freeze
    _freeze = on


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
                if _freeze:
                    gc.freeze()
                elif gc.get_count()[0] >= LARGE_LOAD:
                    # Straight to the oldest generation, in one walk: left young, the new objects are
                    # walked by the next gen-0 collection and again by the gen-1 one after it (~40 ms
                    # each for the name stage's tables, landing in whatever text is cleaned next).
                    gc.collect(1)
                gc.enable()
