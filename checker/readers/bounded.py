"""Running risky work in a child process held to a memory and a processor-time limit.

PDFium is C: a file can make it allocate until the machine is out of memory, and it then aborts
the whole process (SIGABRT), which in a batch is a worker and all it holds. So the PDF reader
runs in a child forked for the one file: its address space is limited (RLIMIT_AS), and so is
its processor time (RLIMIT_CPU); the parent waits for its answer, pickled through a pipe. A child
over a limit dies alone, and the parent turns that into a ReadError naming the limit. The child
dies with its parent too (PR_SET_PDEATHSIG), so an interrupted run leaves no process behind.

Where there is no fork (Windows) or both limits are off, the work runs in this process."""
from __future__ import annotations

import ctypes
import faulthandler
import gc
import math
import os
import pickle
import select
import signal
import sys
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
# a child that neither answers nor uses processor time (it cannot, but a wall clock bounds it)
_WALL_FACTOR = 3
_WALL_SLACK = 30.0


def run(name: str, work: Callable[..., T], *args: Any, limits: Limits, what: str = "reading") -> T:
    """``work(*args)`` in a child held to ``limits.read_memory_mb`` and ``limits.read_seconds``.
    A ReadError raised by the work is raised here; a child over a limit or killed becomes a
    ReadError saying which."""
    memory = limits.bytes_of("read_memory_mb")
    seconds = limits.read_seconds
    if not hasattr(os, "fork") or resource is None or not (memory or seconds):
        return work(*args)
    readable, writable = os.pipe()
    before = _address_space()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child; its outcome is asserted through the parent
        os.close(readable)
        _child(writable, work, args, memory, before, seconds, parent)
    os.close(writable)
    try:
        answer, status, usage = _wait(pid, readable, seconds)
    finally:
        os.close(readable)
    kind, detail = answer if answer is not None else ("died", "")
    if kind == "ok":
        return detail
    if kind == "error":
        raise ReadError(name, detail)
    over_memory = f"more memory than the limit ({limits.read_memory_mb} MB, set by {variable('read_memory_mb')})"
    if kind == "memory":
        raise ReadError(name, f"{what} this file needs {over_memory}")
    cpu = usage.ru_utime + usage.ru_stime if usage is not None else 0.0
    if _killed_by(status, signal.SIGXCPU, signal.SIGKILL) and seconds and cpu >= 0.9 * seconds:
        raise ReadError(name, f"{what} this file takes longer than the limit ({seconds:g} s of processor "
                              f"time, set by {variable('read_seconds')})")
    if kind == "timeout":
        raise ReadError(name, f"{what} this file did not finish in {detail} s and was stopped")
    if kind == "failed":
        raise ReadError(name, f"{what} this file failed: {detail}")
    how = f"signal {os.WTERMSIG(status)}" if os.WIFSIGNALED(status) else f"exit status {os.waitstatus_to_exitcode(status)}"
    if memory and _killed_by(status, *_ABORTS):
        # an allocation refused at the limit aborts PDFium: that, or a damaged file
        raise ReadError(name, f"{what} this file stopped the PDF engine ({how}): it needs {over_memory}, "
                              f"or the file is damaged")
    raise ReadError(name, f"{what} this file crashed the PDF engine ({how})")


def _killed_by(status: int, *signals: int) -> bool:
    return os.WIFSIGNALED(status) and os.WTERMSIG(status) in signals


def _address_space() -> int:
    """This process's virtual size in bytes (0 where /proc is not there)."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[0]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        return 0


def _child(pipe: int, work: Callable[..., Any], args: tuple, memory: Optional[int], before: int,
           seconds: float, parent: int) -> None:  # pragma: no cover - runs in the child
    code = 0
    gc.disable()  # a collection would touch, and so copy, every page shared with the parent
    try:
        _die_with_parent(parent)
        # the child speaks through the pipe only: a crash of the engine must not print a dump
        faulthandler.disable()
        quiet = os.open(os.devnull, os.O_WRONLY)
        os.dup2(quiet, 1)
        os.dup2(quiet, 2)
        for number in (signal.SIGINT, signal.SIGTERM, signal.SIGPIPE):
            signal.signal(number, signal.SIG_DFL)
        if memory:
            _lower(resource.RLIMIT_AS, before + memory)
        if seconds:
            spent = resource.getrusage(resource.RUSAGE_SELF)
            soft = math.ceil(spent.ru_utime + spent.ru_stime + seconds)
            _lower(resource.RLIMIT_CPU, soft, soft + 1)
        try:
            answer: tuple[str, Any] = ("ok", work(*args))
        except ReadError as exc:
            answer = ("error", exc.reason)
        except MemoryError:
            answer = ("memory", "")
        except Exception as exc:
            answer = ("failed", f"{type(exc).__name__}: {exc}")
        try:
            payload = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
        except MemoryError:
            payload = pickle.dumps(("memory", ""))
        view = memoryview(payload)
        while view:
            view = view[os.write(pipe, view):]
    except BaseException:
        code = 1
    finally:
        os._exit(code)


def _find_prctl() -> Optional[Callable[..., int]]:
    # looked up here, not in the child: loading a library after a fork can deadlock
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None


_prctl = _find_prctl()


def _die_with_parent(parent: int) -> None:  # pragma: no cover - runs in the child
    if _prctl is not None:
        _prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the line above took effect
        os._exit(1)


def _lower(limit: int, soft: int, hard: Optional[int] = None) -> None:  # pragma: no cover - child
    """Set a resource limit, never above the one inherited."""
    old_soft, old_hard = resource.getrlimit(limit)
    hard = soft if hard is None else hard
    if old_hard != resource.RLIM_INFINITY:
        hard = min(hard, old_hard)
        soft = min(soft, hard)
    if old_soft != resource.RLIM_INFINITY:
        soft = min(soft, old_soft)
    resource.setrlimit(limit, (soft, hard))


def _wait(pid: int, pipe: int, seconds: float) -> tuple[Optional[tuple[str, Any]], int, Any]:
    """The child's answer (None when it gave none), its wait status and its resource usage."""
    chunks: list[bytes] = []
    wall = seconds * _WALL_FACTOR + _WALL_SLACK if seconds else float("inf")
    deadline = time.monotonic() + wall
    timed_out = False
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                timed_out = True
                os.kill(pid, signal.SIGKILL)
                break
            ready, _, _ = select.select([pipe], [], [], min(left, 1.0))
            if not ready:
                continue
            chunk = os.read(pipe, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
    except BaseException:
        os.kill(pid, signal.SIGKILL)  # interrupted: the child must not outlive this call
        os.waitpid(pid, 0)
        raise
    _, status, usage = os.wait4(pid, 0)
    if timed_out:
        return ("timeout", f"{wall:.0f}"), status, usage
    if not chunks:
        return None, status, usage
    try:
        return pickle.loads(b"".join(chunks)), status, usage
    except Exception:
        return None, status, usage
