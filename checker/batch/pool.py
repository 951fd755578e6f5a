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

import itertools
import multiprocessing
import os
import signal
import tempfile
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Callable, Deque, Iterable, Iterator, Optional, Sequence, TypeVar

from .interrupts import held

T = TypeVar("T")
R = TypeVar("R")

# chunks in flight per worker: enough to keep every worker busy, few enough to hold in memory
WINDOW_PER_WORKER = 4
# items sent to a worker at once: one round trip per item costs more than reading a text report
CHUNK = 8


# a Unix socket's path holds at most 107 bytes; the forkserver's lies in the temporary folder
# ("<tmp>/pymp-XXXXXXXX/listener-XXXXXXXX")
_SOCKET_PATH_MAX = 107
_FORKSERVER_SOCKET_SUFFIX = len("/pymp-xxxxxxxx/listener-xxxxxxxx")


def _context() -> multiprocessing.context.BaseContext:
    # forkserver: workers are forked from a clean server process, not from this one (which runs
    # the progress bar's thread); spawn where there is no forkserver, or where its socket could
    # not be made because the temporary folder's path is too long (TMPDIR set deep).
    if "forkserver" in multiprocessing.get_all_start_methods() and _socket_fits():
        context = _HeldForkServerContext()
        context.set_forkserver_preload(["checker.batch.worker"])
        return context
    return _HeldSpawnContext()


class _HeldStart:
    """A worker whose start holds off a stop of the batch (interrupts.held): starting one is a
    request to the forkserver that must not be cut off halfway."""

    def start(self) -> None:
        with held():
            super().start()  # type: ignore[misc]


class _HeldForkServerProcess(_HeldStart, multiprocessing.context.ForkServerProcess):
    pass


class _HeldSpawnProcess(_HeldStart, multiprocessing.context.SpawnProcess):
    pass


class _HeldForkServerContext(multiprocessing.context.ForkServerContext):
    Process = _HeldForkServerProcess


class _HeldSpawnContext(multiprocessing.context.SpawnContext):
    Process = _HeldSpawnProcess


def _socket_fits() -> bool:
    return len(os.fsencode(tempfile.gettempdir())) + _FORKSERVER_SOCKET_SUFFIX <= _SOCKET_PATH_MAX


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

    def terminate(self) -> None:
        """Stop at once (an interruption): the workers are killed, not waited for."""
        executor, self.executor = self.executor, None
        if executor is not None:
            _stop(executor)

    def apart(self, function: Callable[..., R], *args: Any) -> R:
        """``function(*args)`` run in a process of its own, which ends with it: the memory it
        builds goes back to the system instead of staying with this process. The workers leave
        meanwhile, rather than wait idle holding what the items before left them (80 MB
        between the two passes of a batch), and fresh ones start with the next items. A
        process that dies under it leaves it to this one."""
        if self.executor is None:
            return function(*args)
        _stop(self.executor)  # idle: gone before the work starts, not some time during it
        self.executor = None
        self._fresh()
        alone = ProcessPoolExecutor(max_workers=1, mp_context=_context(), initializer=_leave_interrupts)
        try:
            return alone.submit(function, *args).result()
        except BrokenProcessPool:
            return function(*args)
        finally:
            _stop(alone)

    def retire(self) -> None:
        """The items are done: the workers leave, and what is set ``aside`` after this runs in
        a fresh process of its own. A worker ends a long batch holding its caches (about 100 MB
        each at 100,000 reports); the batch's summaries need none of that."""
        if self.executor is None:
            return
        self.executor.shutdown(wait=True, cancel_futures=True)
        self.executor = ProcessPoolExecutor(max_workers=1, mp_context=_context())

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
        chunks = _chunks(iter(items), CHUNK)
        window = self.jobs * WINDOW_PER_WORKER
        pending: Deque[tuple[list[T], Future]] = deque()

        def fill() -> None:
            while len(pending) < window:
                chunk = next(chunks, None)
                if chunk is None:
                    return
                pending.append((chunk, self.executor.submit(_run_chunk, function, chunk)))  # type: ignore[union-attr]

        fill()
        while pending:
            chunk, future = pending.popleft()
            try:
                results = future.result()
            except BrokenProcessPool:
                results = [self._alone(function, item, on_crash) for item in chunk]
                # everything else in flight died with the pool: send it again
                pending = deque((c, self.executor.submit(_run_chunk, function, c))  # type: ignore[union-attr]
                                for c, _ in pending)
            except Exception:  # e.g. a result that cannot be sent back: find which, item by item
                results = [self._one(function, item, on_crash) for item in chunk]
            yield from results
            fill()

    def aside(self, function: Callable[..., R], *args: Any) -> Callable[[], R]:
        """Run ``function(*args)`` in a worker while this process goes on; the returned callable
        waits for its result. A worker that cannot run it (the pool broke) leaves it to this
        process."""
        if self.executor is None:
            result = function(*args)
            return lambda: result
        future = self.executor.submit(function, *args)

        def wait() -> R:
            try:
                return future.result()
            except BrokenProcessPool:
                return function(*args)
        return wait

    def _one(self, function: Callable[[T], R], item: T, on_crash: Callable[[T], R]) -> R:
        try:
            return self.executor.submit(function, item).result()  # type: ignore[union-attr]
        except BrokenProcessPool:
            return self._alone(function, item, on_crash)
        except Exception:
            return on_crash(item)

    def _alone(self, function: Callable[[T], R], item: T, on_crash: Callable[[T], R]) -> R:
        """Retry an item whose pool broke on a pool of its own: if it breaks that one too, it
        is the culprit."""
        try:
            return self._fresh().submit(function, item).result()
        except BrokenProcessPool:
            self._fresh()
            return on_crash(item)


def _stop(executor: ProcessPoolExecutor) -> None:
    """Kill the executor's processes rather than wait for what they are doing."""
    for process in list((getattr(executor, "_processes", None) or {}).values()):
        if process.is_alive():
            process.terminate()
    executor.shutdown(wait=True, cancel_futures=True)


def _leave_interrupts() -> None:
    """Ctrl-C is the parent's to handle (it stops the process it set apart)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _chunks(items: Iterator[T], size: int) -> Iterator[list[T]]:
    while True:
        chunk = list(itertools.islice(items, size))
        if not chunk:
            return
        yield chunk


def _run_chunk(function: Callable[[T], R], chunk: Sequence[T]) -> list[R]:
    return [function(item) for item in chunk]
