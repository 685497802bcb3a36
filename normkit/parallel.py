"""Clean many texts, in input order, in this process or in a pool of worker processes.

Each worker gets the Normalizer pickled (that is, its :class:`~normkit.Config`) once, through
the pool's initializer, and rebuilds it on first use; texts travel in batches and at most
:data:`BATCHES_IN_FLIGHT_PER_WORKER` batches per worker are queued at a time, so memory stays
bounded however long the input is. The pool uses the ``spawn`` start method: a worker never
inherits the caller's threads or locks, and the code runs the same on Linux, macOS and Windows.
Results are those of ``normalizer.clean(text)`` for each text, in order: cleaning a text depends
on that text and the Config only.
"""
from __future__ import annotations

import os
import signal
import threading
import time
from itertools import islice
from typing import TYPE_CHECKING, Iterable, Iterator

from .errors import NormkitError
from .types import CleanResult

if TYPE_CHECKING:
    from concurrent.futures import Future

    from .normalizer import Normalizer

DEFAULT_BATCH_SIZE = 64            # texts per batch sent to a worker
BATCH_CHARS = 1 << 18              # a batch also closes at this many characters (long texts)
BATCHES_IN_FLIGHT_PER_WORKER = 2   # one being cleaned, one queued: workers never wait, memory bounded
START_METHOD = "spawn"             # no inherited threads or locks; the same on every platform
PARENT_POLL_S = 1.0                # a worker whose parent died exits within this time


def available_cores() -> int:
    """The processors this process may run on (its affinity mask where the OS has one)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def worker_count(n_process: int) -> int:
    """``n_process`` as a number of processes: 0 means one per available core."""
    if isinstance(n_process, bool) or not isinstance(n_process, int) or n_process < 0:
        raise ValueError(f"n_process must be a whole number >= 0 (0: all cores), not {n_process!r}")
    return available_cores() if n_process == 0 else n_process


def clean_many(normalizer: "Normalizer", texts: Iterable[str], *, n_process: int = 1,
               batch_size: int = DEFAULT_BATCH_SIZE) -> Iterator[CleanResult]:
    """``normalizer.clean(text)`` for each text, yielded in input order as they are ready.

    ``n_process=1`` cleans in this process; more starts that many worker processes (0: one per
    core). ``texts`` is read lazily: at most ``BATCHES_IN_FLIGHT_PER_WORKER`` batches of at most
    ``batch_size`` texts (and about ``BATCH_CHARS`` characters) per worker are held at a time.
    An input that fits in one batch is cleaned in this process (a pool would only add start-up).
    The pool is shut down when the iterator is exhausted, closed or garbage-collected.
    """
    workers = worker_count(n_process)  # bad arguments raise here, not at the first next()
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(f"batch_size must be a whole number >= 1, not {batch_size!r}")
    return _clean_many(normalizer, texts, workers, batch_size)


def _clean_many(normalizer: "Normalizer", texts: Iterable[str], workers: int,
                batch_size: int) -> Iterator[CleanResult]:
    if workers == 1:
        for text in texts:
            yield normalizer.clean(_checked(text))
        return
    batches = _batches(texts, batch_size)
    first = next(batches, None)
    if first is None:
        return
    second = next(batches, None)
    if second is None:
        for text in first:
            yield normalizer.clean(text)
        return
    yield from _pooled(normalizer, _chain(first, second, batches), workers)


def _pooled(normalizer: "Normalizer", batches: Iterator[list[str]], workers: int) -> Iterator[CleanResult]:
    # Imported here: a run that cleans in this process (the CLI on one file) never pays for them.
    import multiprocessing
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context(START_METHOD),
                               initializer=_start_worker, initargs=(normalizer, os.getpid()))
    pending: deque["Future[list[CleanResult]]"] = deque()
    limit = workers * BATCHES_IN_FLIGHT_PER_WORKER
    try:
        for batch in batches:
            pending.append(pool.submit(_clean_batch, batch))
            if len(pending) >= limit:
                yield from _result(pending.popleft())
        while pending:
            yield from _result(pending.popleft())
    finally:
        # Closed early (an error, Ctrl-C, a consumer that stopped): drop queued batches, keep no workers.
        pool.shutdown(wait=True, cancel_futures=True)


def _result(future: "Future[list[CleanResult]]") -> list[CleanResult]:
    from concurrent.futures.process import BrokenProcessPool

    try:
        return future.result()
    except BrokenProcessPool as exc:
        raise NormkitError(f"a worker process died ({exc}): out of memory or killed, or a script "
                           "started the pool outside `if __name__ == \"__main__\":`") from None


def _batches(texts: Iterable[str], batch_size: int) -> Iterator[list[str]]:
    """Consecutive texts in lists of at most ``batch_size`` texts; a list closes early once it holds
    ``BATCH_CHARS`` characters, so a batch of long texts stays small."""
    batch: list[str] = []
    chars = 0
    for text in texts:
        batch.append(_checked(text))
        chars += len(text)
        if len(batch) >= batch_size or chars >= BATCH_CHARS:
            yield batch
            batch, chars = [], 0
    if batch:
        yield batch


def _chain(first: list[str], second: list[str], rest: Iterator[list[str]]) -> Iterator[list[str]]:
    yield first
    yield second
    yield from rest


def _checked(text: object) -> str:
    # Caught here, in the caller's process, rather than as a worker's traceback.
    if not isinstance(text, str):
        raise TypeError(f"clean_many takes str texts, not {type(text).__name__}")
    return text


# ---------------------------------------------------------------- in the worker process

_worker: "Normalizer | None" = None  # this worker's Normalizer, set once by the pool's initializer


def _start_worker(normalizer: "Normalizer", parent: int) -> None:
    """The pool's initializer: keep the Normalizer (unpickled from its Config: built on first use)."""
    global _worker
    from .gcpause import freeze_after_loading

    _worker = normalizer
    freeze_after_loading()  # this worker keeps its one Normalizer until it ends
    # Ctrl-C reaches the whole process group: the parent stops the pool, workers print no tracebacks.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True, name="normkit-parent").start()


def _exit_with_parent(parent: int) -> None:
    # A parent killed outright (SIGKILL, SIGTERM's default action) leaves its workers waiting on the
    # task queue for ever; they leave when they see they have been re-parented.
    while os.getppid() == parent:
        time.sleep(PARENT_POLL_S)
    os._exit(1)


def _clean_batch(texts: list[str]) -> list[CleanResult]:
    if _worker is None:
        raise RuntimeError("normkit worker used before its initializer ran")
    return [_worker.clean(text) for text in texts]
