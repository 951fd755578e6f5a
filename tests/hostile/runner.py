"""The helper process of tests/hostile/harness.py: reads a JSON list of cases from standard
input, runs each in a forked child (its own process group, temporary folder and output files)
and writes a JSON list of outcomes to standard output.

    python tests/hostile/runner.py WORK_FOLDER < cases.json > outcomes.json

A child runs ``checker.cli.main(argv)`` as ``xxgk`` would. Its address space is capped at a few
times the memory a case may take, so that a regression makes the case fail instead of taking
the machine's memory; what it used is measured, not inferred from the cap."""
from __future__ import annotations

import atexit
import importlib
import json
import os
import resource
import shutil
import signal
import sys
import time
import traceback
from pathlib import Path

import checker.cli
from checker.engine import get_profile, load_pack
from checker.readers import READERS

# a child's address space: its cases may take 1 GB; far beyond that it is failing anyway
_ADDRESS_SPACE = 6 << 30
_POLL = 0.005
# cases run side by side, each measured on its own
_JOBS = 2
# how long the processes of an ended case have to die with it
_GRACE = 1.0


def _warm() -> None:
    """Load once, before the forks, what every case would load (the readers and PDFium, the
    commands, the shipped rule pack, whose compiled form the pack loader keeps): a case pays for
    its input, not for the checker's start."""
    for module in READERS.values():
        importlib.import_module(module)
    checker.cli.build_parser()
    load_pack()
    get_profile()


def main() -> int:
    _warm()
    work = Path(sys.argv[1])
    cases = json.loads(sys.stdin.read())
    jobs = max(1, min(_JOBS, os.cpu_count() or 1))
    outcomes: dict[int, dict] = {}
    waiting = list(enumerate(cases))
    running: dict[int, _Running] = {}
    while waiting or running:
        while waiting and len(running) < jobs:
            index, case = waiting.pop(0)
            running[index] = _Running(case, work / f"case-{index}")
        for index, run in list(running.items()):
            if run.poll():
                outcomes[index] = run.outcome()
                del running[index]
        time.sleep(_POLL)
    sys.stdout.write(json.dumps([outcomes[i] for i in range(len(cases))]))
    return 0


class _Running:
    """One case in its forked child."""

    def __init__(self, case: dict, folder: Path) -> None:
        self.case = case
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.temporary = folder / "tmp"
        self.temporary.mkdir()
        self.stdout, self.stderr = folder / "stdout", folder / "stderr"
        self.started = time.monotonic()
        self.pid = os.fork()
        if self.pid == 0:  # pragma: no cover - the case
            _child(case, self.temporary, self.stdout, self.stderr)
        self.sent = self.timed_out = False
        self.status = 0
        self.usage = None
        self.wall = 0.0

    def poll(self) -> bool:
        """Whether the case has ended (signals sent and a hung case killed on the way)."""
        done, status, usage = os.wait4(self.pid, os.WNOHANG)
        elapsed = time.monotonic() - self.started
        if not done:
            after = self.case["signal_after"]
            if after and not self.sent and elapsed >= after[0]:
                _signal_group(self.pid, after[1])
                self.sent = True
            if elapsed <= self.case["timeout"]:
                return False
            self.timed_out = True
            _signal_group(self.pid, signal.SIGKILL)
            _, status, usage = os.wait4(self.pid, 0)
        self.status, self.usage, self.wall = status, usage, elapsed
        return True

    def outcome(self) -> dict:
        leftovers = _leftovers(self.pid)
        for member in leftovers:
            _kill(member)
        left_files = sorted(str(p.relative_to(self.temporary)) for p in self.temporary.rglob("*"))
        shutil.rmtree(self.temporary, ignore_errors=True)
        status = self.status
        code = -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
        return {
            "name": self.case["name"], "exit_code": code,
            "stdout": self.stdout.read_text(encoding="utf-8", errors="replace"),
            "stderr": self.stderr.read_text(encoding="utf-8", errors="replace"),
            "wall": self.wall, "cpu": self.usage.ru_utime + self.usage.ru_stime,
            "peak_mb": self.usage.ru_maxrss / 1024, "timed_out": self.timed_out,
            "leftover_processes": [f"{member} ({_command(member)})" for member in leftovers],
            "leftover_files": left_files,
        }


def _leftovers(group: int) -> list[int]:
    """The processes of the case's group still alive a moment after it ended (a child the
    kernel is about to kill with its parent gets that moment)."""
    deadline = time.monotonic() + _GRACE
    while True:
        members = _group_members(group)
        if not members or time.monotonic() > deadline:
            return members
        time.sleep(_POLL)


def _child(case: dict, temporary: Path, stdout: Path, stderr: Path) -> None:  # pragma: no cover
    code = 1
    try:
        os.setpgid(0, 0)
        resource.setrlimit(resource.RLIMIT_AS, (_ADDRESS_SPACE, _ADDRESS_SPACE))
        os.chdir(case["cwd"] or os.getcwd())
        os.environ.update({"TMPDIR": str(temporary), "TEMP": str(temporary), "TMP": str(temporary),
                           **case["env"]})
        import tempfile

        tempfile.tempdir = None  # read TMPDIR again
        checker.limits.set_current(None)  # and the limits
        source = os.open(case["stdin"], os.O_RDONLY) if case["stdin"] else os.open(os.devnull, os.O_RDONLY)
        os.dup2(source, 0)
        for fd, path in ((1, stdout), (2, stderr)):
            target = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.dup2(target, fd)
            os.close(target)
        sys.stdin = open(0, encoding="utf-8", errors="replace", closefd=False)
        sys.stdout = open(1, "w", encoding="utf-8", closefd=False)
        sys.stderr = open(2, "w", encoding="utf-8", closefd=False)
        for number in (signal.SIGINT, signal.SIGTERM):
            signal.signal(number, signal.default_int_handler if number == signal.SIGINT else signal.SIG_DFL)
        sys.argv = ["xxgk", *case["argv"]]
        try:
            code = checker.cli.main(case["argv"])
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        except BaseException:
            traceback.print_exc()
            code = 1
        atexit._run_exitfuncs()  # as the interpreter does when xxgk exits
    except BaseException:
        traceback.print_exc()
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except BaseException:
                pass
        os._exit(code if isinstance(code, int) and 0 <= code < 256 else 1)


def _signal_group(group: int, number: int) -> None:
    try:
        os.killpg(group, number)
    except ProcessLookupError:
        pass


def _group_members(group: int) -> list[int]:
    """Processes still alive in the process group (zombies of the case excepted)."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == group and fields[0] != "Z":
            members.append(int(entry.name))
    return members


def _command(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return "?"


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


if __name__ == "__main__":
    sys.exit(main())
