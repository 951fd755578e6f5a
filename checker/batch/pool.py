"""Worker processes that run a function over many items and give the results back in the
items' order, each as soon as it and its predecessors are ready: the outputs are written while
the batch runs, and the same input always gives the same output bytes.

Only a window of items is in flight at a time, so memory stays flat however long the batch.
The workers live as long as the pool, so each sets itself up (compiles the rule pack) once for
both passes. A worker process that dies (a parser crashing the interpreter, the kernel killing
it) breaks the whole pool in concurrent.futures; the pool is then replaced, the item being
collected is retried on its own, and if it breaks a fresh pool again it gets ``on_crash(item)``
instead of a result. The batch goes on."""
from __future__ import annotations

import multiprocessing
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Callable, Deque, Iterable, Iterator, Optional, Sequence, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# items in flight per worker: enough to keep every worker busy, few enough to hold in memory
WINDOW_PER_WORKER = 4


def _context() -> multiprocessing.context.BaseContext:
    # forkserver: workers are forked from a clean server process, not from this one (which runs
    # the progress bar's thread); spawn where there is no forkserver.
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["checker.batch.worker"])
        return context
    return multiprocessing.get_context("spawn")


class WorkerPool:
    """``with WorkerPool(jobs, start, args) as pool: pool.map_ordered(f, items, on_crash)``.
    With ``jobs == 1`` everything runs in this process (same results; easier to debug and
    profile)."""

    def __init__(self, jobs: int, initializer: Callable[..., None], initargs: Sequence[Any]) -> None:
        self.jobs = jobs
        self.initializer = initializer
        self.initargs = tuple(initargs)
        self.executor: Optional[ProcessPoolExecutor] = None

    def __enter__(self) -> "WorkerPool":
        if self.jobs <= 1:
            self.initializer(*self.initargs)
        else:
            self._fresh()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)
            self.executor = None

    def _fresh(self) -> ProcessPoolExecutor:
        if self.executor is not None:
            self.executor.shutdown(wait=False, cancel_futures=True)
        self.executor = ProcessPoolExecutor(max_workers=self.jobs, mp_context=_context(),
                                            initializer=self.initializer, initargs=self.initargs)
        return self.executor

    def map_ordered(self, function: Callable[[T], R], items: Iterable[T], on_crash: Callable[[T], R]) -> Iterator[R]:
        if self.executor is None:
            for item in items:
                yield function(item)
            return
        source = iter(items)
        window = self.jobs * WINDOW_PER_WORKER
        pending: Deque[tuple[Any, Future]] = deque()

        def fill() -> None:
            while len(pending) < window:
                try:
                    item = next(source)
                except StopIteration:
                    return
                pending.append((item, self.executor.submit(function, item)))  # type: ignore[union-attr]

        fill()
        while pending:
            item, future = pending.popleft()
            try:
                result = future.result()
            except BrokenProcessPool:
                result = self._alone(function, item, on_crash)
                # everything else in flight died with the pool: send it again
                pending = deque((i, self.executor.submit(function, i)) for i, _ in pending)  # type: ignore[union-attr]
            except Exception:  # e.g. a result that cannot be sent back: still only this item's row
                result = on_crash(item)
            yield result
            fill()

    def _alone(self, function: Callable[[T], R], item: T, on_crash: Callable[[T], R]) -> R:
        """Retry an item whose pool broke on a pool of its own: if it breaks that one too, it
        is the culprit."""
        try:
            return self._fresh().submit(function, item).result()
        except BrokenProcessPool:
            self._fresh()
            return on_crash(item)
