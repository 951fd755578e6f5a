"""A time budget for one rule on one report: a rule that runs longer is stopped, its verdict is
"error" with the reason, and the check goes on with the next rule.

The load-time checks (checker.engine.guards) refuse what is known to run away; the budget stops
what they cannot see, such as a regular expression whose matching time grows as a power of the
text's length. The budget is processor time, not wall time, so a busy machine does not turn a
verdict into an error.

On the main thread (the CLI, every worker of a batch or of the workspace) an interval timer
(ITIMER_VIRTUAL) raises RuleTimeout from its signal handler; Python's regular-expression engine
checks for signals while it matches, so even a match is interrupted. On another thread (a
program embedding the checker) a watchdog thread raises RuleTimeout in the rule's thread
asynchronously, which interrupts Python code but not a single long call into C.

RuleTimeout derives from BaseException, like KeyboardInterrupt, so that no ``except Exception``
in a rule kind or function swallows it.

Checking a report runs some fifty rules of a few dozen microseconds each: arming and disarming
the timer around each (two system calls) cost more than many rules. ``shared_budget`` keeps one
timer ticking for all the rules of a report instead, at an eighth of the budget; a rule is
stopped at the tick that proves it has used its budget (at most an eighth more)."""
from __future__ import annotations

import ctypes
import math
import signal
import threading
import time
from contextlib import contextmanager
from typing import Any, Callable, Iterator, Optional, TypeVar

T = TypeVar("T")


class RuleTimeout(BaseException):
    """The rule ran past its budget."""


class _Timer:
    """The main thread's budget: an interval timer of processor time."""

    def __init__(self) -> None:
        self.armed = False
        self.usable: Optional[bool] = None
        self.shared: Optional[_Shared] = None  # the ticking timer of shared_budget, while open

    def ready(self) -> bool:
        if self.usable is None:
            self.usable = hasattr(signal, "setitimer") and hasattr(signal, "SIGVTALRM") \
                and signal.getsignal(signal.SIGVTALRM) in (signal.SIG_DFL, None)
            if self.usable:
                signal.signal(signal.SIGVTALRM, self._expired)
        return self.usable or signal.getsignal(signal.SIGVTALRM) == self._expired

    def _expired(self, signum: int, frame: Any) -> None:
        if self.shared is not None:
            self.shared.tick()
        elif self.armed:
            self.armed = False
            raise RuleTimeout()

    def run(self, seconds: float, work: Callable[..., T], *args: Any) -> T:
        self.armed = True
        signal.setitimer(signal.ITIMER_VIRTUAL, seconds)
        try:
            return work(*args)
        finally:
            self.armed = False  # first: from here on the handler raises nothing
            signal.setitimer(signal.ITIMER_VIRTUAL, 0)


class _Shared:
    """The rules of one report under one periodic timer: each rule counts the ticks that fall
    while it runs; k ticks prove it has run longer than k - 1 intervals."""

    def __init__(self, seconds: float) -> None:
        self.interval = seconds / 8
        self.thread = threading.get_ident()
        self.running = False
        self.ticks = 0
        self.stop_at = 0  # the tick that stops the running rule

    def run(self, seconds: float, work: Callable[..., T], *args: Any) -> T:
        self.ticks = 0
        self.stop_at = math.ceil(seconds / self.interval) + 1
        self.running = True
        try:
            return work(*args)
        finally:
            self.running = False

    def tick(self) -> None:
        if self.running:
            self.ticks += 1
            if self.ticks >= self.stop_at:
                self.running = False
                raise RuleTimeout()


class _Watchdog:
    """Other threads' budget: one daemon thread looks at the running rules a few times a second
    and raises RuleTimeout in the thread of one that has used up its processor time."""

    _TICK = 0.1

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.running: dict[int, tuple[int, float, float]] = {}  # thread -> (clock, start, seconds)
        self.thread: Optional[threading.Thread] = None

    def run(self, seconds: float, work: Callable[..., T], *args: Any) -> T:
        ident = threading.get_ident()
        try:
            clock = time.pthread_getcpuclockid(ident)
        except (AttributeError, OSError):
            return work(*args)  # no per-thread clock here: no budget
        self._start()
        with self.lock:
            self.running[ident] = (clock, time.clock_gettime(clock), seconds)
        try:
            return work(*args)
        finally:
            with self.lock:
                fired = self.running.pop(ident, None) is None
            if fired:  # raised, or about to be: cancel what has not been raised yet
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(ident), None)

    def _start(self) -> None:
        if self.thread is None or not self.thread.is_alive():
            self.thread = threading.Thread(target=self._watch, name="xxgk-rule-budget", daemon=True)
            self.thread.start()

    def _watch(self) -> None:
        while True:
            time.sleep(self._TICK)
            with self.lock:
                for ident, (clock, start, seconds) in list(self.running.items()):
                    try:
                        spent = time.clock_gettime(clock) - start
                    except OSError:
                        continue
                    if spent > seconds:
                        del self.running[ident]
                        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(ident),
                                                                   ctypes.py_object(RuleTimeout))


_timer = _Timer()
_watchdog = _Watchdog()


def within(seconds: float, work: Callable[..., T], *args: Any) -> T:
    """``work(*args)``, or RuleTimeout once it has used ``seconds`` of processor time (0: no
    budget)."""
    if not seconds or seconds <= 0:
        return work(*args)
    shared = _timer.shared
    if shared is not None and shared.thread == threading.get_ident():
        return shared.run(seconds, work, *args)
    if threading.current_thread() is threading.main_thread() and _timer.ready():
        return _timer.run(seconds, work, *args)
    return _watchdog.run(seconds, work, *args)


@contextmanager
def shared_budget(seconds: float) -> Iterator[None]:
    """While open, ``within`` on this thread keeps each budget by one timer ticking for all of
    them (on the main thread; elsewhere, and for 0 seconds, ``within`` works as ever)."""
    if not seconds or seconds <= 0 or _timer.shared is not None or _timer.armed \
            or threading.current_thread() is not threading.main_thread() or not _timer.ready():
        yield
        return
    shared = _Shared(seconds)
    _timer.shared = shared
    signal.setitimer(signal.ITIMER_VIRTUAL, shared.interval, shared.interval)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_VIRTUAL, 0)
        _timer.shared = None
