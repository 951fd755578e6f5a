"""Stopping a batch with TERM (or Ctrl-C) as an exception in the main thread, except while a
worker process is being started: a fork request to the forkserver cut off halfway made the
forkserver print a traceback of its own. A stop that comes then is raised as soon as the start
is done."""
from __future__ import annotations

import signal
import threading
from contextlib import contextmanager
from typing import Iterator


class Interrupted(KeyboardInterrupt):
    """The batch was asked to stop (TERM); handled as Ctrl-C is."""


_held = 0
_pending = False


def _stop(signum: int, frame: object) -> None:
    global _pending
    if _held:
        _pending = True
        return
    raise Interrupted()


@contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """TERM stops the batch as Ctrl-C does: workers stopped, scratch removed."""
    try:
        before = signal.signal(signal.SIGTERM, _stop)
    except ValueError:  # not the main thread (a test, an embedding application)
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, before)


@contextmanager
def held() -> Iterator[None]:
    """A stop asked for inside this block is raised when it ends (in the main thread, where
    the stop is raised; another thread's block holds nothing)."""
    global _held, _pending
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _held += 1
    try:
        yield
    finally:
        _held -= 1
        if not _held and _pending:
            _pending = False
            raise Interrupted()
