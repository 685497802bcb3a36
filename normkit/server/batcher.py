"""Micro-batching: requests from many clients gathered for a moment, run together in one thread.

A request submits a job and awaits its future. One loop takes the first job waiting, lets others
join for ``window`` seconds (up to a size), and runs them all with one call in a worker thread, so
concurrent clients share each CTranslate2 call. A job whose client gave up (timeout, disconnect)
is skipped, or its result dropped; queued work is bounded, beyond which :class:`Busy` is raised.
"""
from __future__ import annotations

import asyncio
import concurrent.futures
from dataclasses import dataclass, field
from typing import Callable, Generic, TypeVar

Job = TypeVar("Job")
Result = TypeVar("Result")
RunFn = Callable[[list[Job]], list["Result | Exception"]]  # one outcome per job, in order


class Busy(Exception):
    """Too much work is queued already (or the server is stopping)."""


@dataclass(eq=False)
class _Pending(Generic[Job, Result]):
    job: Job
    size: int
    future: asyncio.Future[Result] = field(repr=False)


class Batcher(Generic[Job, Result]):
    """Runs jobs in batches in one worker thread; :meth:`submit` from the event loop."""

    def __init__(self, run: Callable[[list[Job]], list[Result | Exception]], *, name: str,
                 size: Callable[[Job], int], window: float, max_jobs: int, max_size: int,
                 max_pending: int) -> None:
        self._run, self._size, self.name = run, size, name
        self._window, self._max_jobs, self._max_size, self._max_pending = window, max_jobs, max_size, max_pending
        self._queue: asyncio.Queue[_Pending[Job, Result]] | None = None
        self._carry: _Pending[Job, Result] | None = None  # taken from the queue but too big for the last batch
        self._pending_size = 0
        self._task: asyncio.Task[None] | None = None
        self._executor: concurrent.futures.ThreadPoolExecutor | None = None
        self.batches = 0  # calls of run, for tests and logs
        self.jobs = 0

    async def start(self) -> None:
        self._queue = asyncio.Queue()
        self._executor = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix=f"normkit-{self.name}")
        self._task = asyncio.get_running_loop().create_task(self._loop(), name=f"normkit-{self.name}-batcher")

    async def stop(self) -> None:
        """Stop taking work; jobs still queued fail with Busy; wait for the running batch to end."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            try:
                await task
            except asyncio.CancelledError:
                pass
        leftover = [self._carry] if self._carry is not None else []
        self._carry = None
        while self._queue is not None and not self._queue.empty():
            leftover.append(self._queue.get_nowait())
        for pending in leftover:
            if not pending.future.done():
                pending.future.set_exception(Busy("the server is shutting down"))
        if self._executor is not None:
            executor, self._executor = self._executor, None
            await asyncio.get_running_loop().run_in_executor(None, executor.shutdown)

    async def submit(self, job: Job, timeout: float) -> Result:
        """The job's result; raises what the run raised for it, Busy, or TimeoutError."""
        if self._task is None or self._queue is None:
            raise Busy("the server is not running")
        size = self._size(job)
        if self._pending_size and self._pending_size + size > self._max_pending:
            raise Busy(f"{self._pending_size} characters are queued already")
        future: asyncio.Future[Result] = asyncio.get_running_loop().create_future()
        self._pending_size += size
        self._queue.put_nowait(_Pending(job, size, future))
        # On timeout or cancellation the future is cancelled: the loop then skips the job.
        return await asyncio.wait_for(future, timeout)

    async def _next_batch(self) -> list[_Pending[Job, Result]]:
        assert self._queue is not None
        first = self._carry if self._carry is not None else await self._queue.get()
        self._carry = None
        if self._window > 0:
            await asyncio.sleep(self._window)  # let concurrent requests join
        batch, size = [first], first.size
        while len(batch) < self._max_jobs and not self._queue.empty():
            item = self._queue.get_nowait()
            if size + item.size > self._max_size:
                self._carry = item  # starts the next batch
                break
            batch.append(item)
            size += item.size
        return batch

    async def _loop(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            batch = await self._next_batch()
            live = [p for p in batch if not p.future.done()]
            try:
                if live:
                    outcomes: list[Result | Exception]
                    try:
                        outcomes = await loop.run_in_executor(self._executor, self._run, [p.job for p in live])
                        if len(outcomes) != len(live):
                            raise RuntimeError(f"{self.name}: {len(outcomes)} outcomes for {len(live)} jobs")
                    except Exception as exc:  # a bug in run: every job of the batch reports it
                        outcomes = [exc] * len(live)
                    self.batches += 1
                    self.jobs += len(live)
                    for pending, outcome in zip(live, outcomes):
                        if pending.future.done():
                            continue
                        if isinstance(outcome, Exception):
                            pending.future.set_exception(outcome)
                        else:
                            pending.future.set_result(outcome)
            finally:
                self._pending_size -= sum(p.size for p in batch)
                for pending in batch:  # cancelled mid-run (shutdown): nobody is left waiting forever
                    if not pending.future.done():
                        pending.future.set_exception(Busy("the server is shutting down"))
