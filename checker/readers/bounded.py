"""Running risky work in a child process held to a memory and a processor-time limit.

PDFium is C: a file can make it allocate until the machine is out of memory, and it then aborts
the whole process (SIGABRT), which in a batch is a worker and all it holds. So the PDF reader
runs in a helper process: forked on the first PDF, it reads one file at a time, each time held
to the limits (its address space may grow by ``read_memory_mb``, RLIMIT_AS; its processor time
by ``read_seconds``, RLIMIT_CPU), and sends the Document back pickled through a pipe. A file over
a limit kills the helper alone; the parent turns that into a ReadError naming the limit and
forks a new helper for the next file. The helper is kept between files (forking one per file
cost 15 ms a PDF, most of it copying pages the child touched), and replaced when it has grown
large. It dies with its parent (PR_SET_PDEATHSIG, and the end of its pipe), and is stopped and
reaped when the parent exits, so no process is left behind.

Where there is no fork (Windows) or both limits are off, the work runs in this process."""
from __future__ import annotations

import atexit
import ctypes
import faulthandler
import gc
import math
import os
import pickle
import select
import signal
import struct
import sys
import threading
import time
from typing import Any, Callable, Optional, TypeVar

from ..errors import ReadError
from ..limits import Limits, variable

try:
    import resource
except ImportError:  # pragma: no cover - Windows: no fork either
    resource = None  # type: ignore[assignment]

T = TypeVar("T")

_PR_SET_PDEATHSIG = 1
# how C code dies on an allocation it cannot make
_ABORTS = tuple(getattr(signal, name) for name in ("SIGABRT", "SIGSEGV", "SIGBUS", "SIGILL", "SIGTRAP")
                if hasattr(signal, name))
# a helper that neither answers nor uses processor time (it cannot, but a wall clock bounds it)
_WALL_FACTOR = 3
_WALL_SLACK = 30.0
# a helper that has grown past this after a file is replaced by a fresh one
_RESTART_RSS = 384 << 20
_HEADER = struct.Struct("<Q")


def run(name: str, work: Callable[..., T], *args: Any, limits: Limits, what: str = "reading") -> T:
    """``work(*args)`` in the helper, held to ``limits.read_memory_mb`` and
    ``limits.read_seconds``. A ReadError raised by the work is raised here; a helper over a
    limit or killed becomes a ReadError saying which."""
    memory = limits.bytes_of("read_memory_mb")
    seconds = limits.read_seconds
    if not hasattr(os, "fork") or resource is None or not (memory or seconds):
        return work(*args)
    with _LOCK:
        kind, detail = _call(work, args, memory, seconds)
    if kind == "ok":
        return detail
    if kind == "error":
        raise ReadError(name, detail)
    over_memory = f"more memory than the limit ({limits.read_memory_mb} MB, set by {variable('read_memory_mb')})"
    if kind == "memory":
        raise ReadError(name, f"{what} this file needs {over_memory}")
    if kind == "cpu":
        raise ReadError(name, f"{what} this file takes longer than the limit ({seconds:g} s of processor "
                              f"time, set by {variable('read_seconds')})")
    if kind == "timeout":
        raise ReadError(name, f"{what} this file did not finish in {detail} s and was stopped")
    if kind == "failed":
        raise ReadError(name, f"{what} this file failed: {detail}")
    if kind == "aborted" and memory:
        # an allocation refused at the limit aborts PDFium: that, or a damaged file
        raise ReadError(name, f"{what} this file stopped the PDF engine ({detail}): it needs {over_memory}, "
                              f"or the file is damaged")
    raise ReadError(name, f"{what} this file crashed the PDF engine ({detail})")


# --------------------------------------------------------------------------- the parent's side


class _Helper:
    """The helper process as its parent sees it: pid and the two ends of its pipes."""

    def __init__(self) -> None:
        requests, self.requests = os.pipe()
        self.answers, answers = os.pipe()
        parent = os.getpid()
        self.owner = parent
        self.pid = os.fork()
        if self.pid == 0:  # pragma: no cover - the helper; its work is asserted through the parent
            os.close(self.requests)
            os.close(self.answers)
            _serve(requests, answers, parent)
        os.close(requests)
        os.close(answers)

    def stop(self, kill: bool = False) -> tuple[int, Any]:
        """End the helper (at once with ``kill``) and reap it: (wait status, resource usage)."""
        for fd in (self.requests, self.answers):
            try:
                os.close(fd)
            except OSError:
                pass
        if kill:
            _kill(self.pid)
        try:
            _, status, usage = os.wait4(self.pid, 0)
        except ChildProcessError:
            return 0, None
        return status, usage

    def alive(self) -> bool:
        try:
            done, _ = os.waitpid(self.pid, os.WNOHANG)
        except ChildProcessError:
            return False
        return not done

    def resident(self) -> int:
        try:
            with open(f"/proc/{self.pid}/statm", "rb") as statm:
                return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, ValueError, IndexError):
            return 0


_LOCK = threading.Lock()
_helper: Optional[_Helper] = None


def _call(work: Callable[..., Any], args: tuple, memory: Optional[int], seconds: float) -> tuple[str, Any]:
    """Hand one call to the helper (forking one if there is none) and take its answer."""
    global _helper
    if _helper is not None and (_helper.owner != os.getpid() or not _helper.alive()):
        _helper = None  # inherited, or ended since the last file (killed from outside)
    if _helper is None:
        _helper = _Helper()
    helper = _helper
    wall = seconds * _WALL_FACTOR + _WALL_SLACK if seconds else float("inf")
    try:
        _send(helper.requests, (work, args, memory, seconds))
        answer = _receive(helper.answers, time.monotonic() + wall)
    except BrokenPipeError:
        answer = None
    except TimeoutError:
        _helper = None
        helper.stop(kill=True)
        return "timeout", f"{wall:.0f}"
    except BaseException:  # interrupted: the helper's state is unknown
        _helper = None
        helper.stop(kill=True)
        raise
    if answer is None:  # the helper died on this file
        _helper = None
        status, _ = helper.stop()
        return _death(status)
    if answer[0] != "ok" or helper.resident() > _RESTART_RSS:
        _helper = None  # a fresh helper for the next file
        helper.stop()
    return answer


def _death(status: int) -> tuple[str, str]:
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        if number == getattr(signal, "SIGXCPU", None):
            return "cpu", ""
        return ("aborted" if number in _ABORTS else "crashed"), f"signal {number}"
    return "crashed", f"exit status {os.waitstatus_to_exitcode(status)}"


def _send(fd: int, message: Any) -> None:
    payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    view = memoryview(_HEADER.pack(len(payload)) + payload)
    while view:
        view = view[os.write(fd, view):]


def _receive(fd: int, deadline: float = float("inf")) -> Optional[Any]:
    """The next message, None at the end of the pipe; TimeoutError past ``deadline``."""
    head = _read_exactly(fd, _HEADER.size, deadline)
    if head is None:
        return None
    body = _read_exactly(fd, _HEADER.unpack(head)[0], deadline)
    return None if body is None else pickle.loads(body)


def _read_exactly(fd: int, size: int, deadline: float) -> Optional[bytes]:
    chunks: list[bytes] = []
    left = size
    while left:
        wait = deadline - time.monotonic()
        if wait <= 0:
            raise TimeoutError
        if wait != float("inf"):
            ready, _, _ = select.select([fd], [], [], min(wait, 1.0))
            if not ready:
                continue
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def stop() -> None:
    """Stop this process's helper, if it has one, and reap it (at exit, so that its resources
    count for this process and nothing outlives it)."""
    global _helper
    helper, _helper = _helper, None
    if helper is not None and helper.owner == os.getpid():
        helper.stop()


atexit.register(stop)


def _forget_in_child() -> None:
    # a process forked from this one (a worker) must not talk to this one's helper
    global _helper, _LOCK
    if _helper is not None:
        for fd in (_helper.requests, _helper.answers):
            try:
                os.close(fd)
            except OSError:
                pass
    _helper = None
    _LOCK = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_in_child)


# --------------------------------------------------------------------------- the helper's side


def _find_prctl() -> Optional[Callable[..., int]]:
    # looked up here, not in the helper: loading a library after a fork can deadlock
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None


_prctl = _find_prctl()


def _serve(requests: int, answers: int, parent: int) -> None:  # pragma: no cover - the helper
    code = 0
    gc.freeze()  # what the parent made is not collected here: its pages stay shared
    try:
        if _prctl is not None:
            _prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != parent:  # the parent died before that took effect
            os._exit(1)
        for number in (signal.SIGINT, signal.SIGTERM, signal.SIGPIPE):
            signal.signal(number, signal.SIG_DFL)
        # the helper speaks through its pipe only: a crash of the engine must not print a dump
        faulthandler.disable()
        quiet = os.open(os.devnull, os.O_WRONLY)
        os.dup2(quiet, 1)
        os.dup2(quiet, 2)
        address_space = resource.getrlimit(resource.RLIMIT_AS)
        while True:
            request = _receive(requests)
            if request is None:
                break
            work, args, memory, seconds = request
            _hold(memory, seconds)
            answer = _answer(work, args)
            resource.setrlimit(resource.RLIMIT_AS, address_space)
            try:
                payload = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
            except MemoryError:
                payload = pickle.dumps(("memory", ""))
            view = memoryview(_HEADER.pack(len(payload)) + payload)
            while view:
                view = view[os.write(answers, view):]
    except BaseException:
        code = 1
    finally:
        os._exit(code)


def _answer(work: Callable[..., Any], args: tuple) -> tuple[str, Any]:  # pragma: no cover - helper
    try:
        return "ok", work(*args)
    except ReadError as exc:
        return "error", exc.reason
    except MemoryError:
        return "memory", ""
    except Exception as exc:
        return "failed", f"{type(exc).__name__}: {exc}"


def _hold(memory: Optional[int], seconds: float) -> None:  # pragma: no cover - runs in the helper
    """Limit what the next call may take: the address space may grow by ``memory`` bytes, the
    processor time by ``seconds`` (SIGXCPU past it), never beyond the limits inherited."""
    size = _address_space()
    if memory and size:
        _lower(resource.RLIMIT_AS, size + memory)
    if seconds:
        spent = resource.getrusage(resource.RUSAGE_SELF)
        _lower(resource.RLIMIT_CPU, math.ceil(spent.ru_utime + spent.ru_stime + seconds))


def _lower(limit: int, soft: int) -> None:  # pragma: no cover - runs in the helper
    """Set the soft limit, never above the hard one (which stays, so the soft one can be raised
    again for the next file)."""
    _, hard = resource.getrlimit(limit)
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(limit, (soft, hard))


def _address_space() -> int:
    """This process's virtual size in bytes; 0 where /proc is not there (no memory limit then)."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[0]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        return 0
