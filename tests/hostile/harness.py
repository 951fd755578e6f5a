"""Running hostile cases through the real command line and measuring what each one cost.

A ``Case`` is an ``xxgk`` command line (with its folder, environment, standard input, and
optionally a signal sent to it after a while) and what must come of it: the exit status, a
pattern the output must match, the processor time and the memory it may take. ``run_cases``
runs many cases in one helper process (tests/hostile/runner.py), which has imported the
checker once and forks a child per case: a case costs its own work, not an interpreter's start.
For each case it measures

- the exit status (or the signal that ended it), standard output and standard error;
- processor time and peak memory (``ru_maxrss``) of the case and every process it waited for
  (the PDF reader's child among them): what ``os.wait4`` reports;
- wall time, and whether the case had to be killed for taking longer than its ``timeout``;
- the processes left behind: any process of the case's process group still alive after it
  exited (they are killed then);
- the files left behind in the case's own temporary folder (``TMPDIR``).

Cases are registered with ``@case`` in the modules ``cases_*.py`` of this folder, each a function
that builds its inputs under a folder and returns the Case; test_hostile.py runs them all in one
helper process and checks each. A test that needs more than the generic checks calls
``run_cases`` itself."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Callable, Mapping, Optional, Sequence, Union

RUNNER = Path(__file__).resolve().parent / "runner.py"
ROOT = Path(__file__).resolve().parents[2]
TRACEBACK = "Traceback (most recent call last)"
# the bound for any one hostile file: refused or read within these
SECONDS = 10.0
MEMORY_MB = 1024


@dataclass(frozen=True)
class Case:
    """An ``xxgk`` run and what must come of it."""

    argv: tuple[str, ...]
    name: str = ""  # set from the builder's name when registered with @case
    exit_code: Union[int, tuple[int, ...]] = 1
    says: str = ""  # a regular expression the standard output or error must match
    never: str = ""  # one they must not match
    cwd: Optional[str] = None
    env: Mapping[str, str] = field(default_factory=dict)
    stdin: Optional[str] = None  # a file fed to standard input
    max_seconds: float = SECONDS  # processor time
    max_memory_mb: float = MEMORY_MB
    timeout: float = 120.0  # wall time after which the case is killed (it hung)
    signal_after: Optional[tuple[float, int]] = None  # (seconds, signal): an interrupted run


@dataclass(frozen=True)
class Outcome:
    name: str
    exit_code: int  # negative: killed by that signal
    stdout: str
    stderr: str
    wall: float
    cpu: float
    peak_mb: float
    timed_out: bool
    leftover_processes: tuple[str, ...]
    leftover_files: tuple[str, ...]

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    def problems(self, case: Case) -> list[str]:
        """What is wrong with this outcome for ``case``; empty when all is as it must be."""
        found = []
        if self.timed_out:
            found.append(f"hung: killed after {case.timeout:g} s")
        if TRACEBACK in self.output:
            found.append("a traceback:\n" + self.output[self.output.index(TRACEBACK):][:3000])
        expected = case.exit_code if isinstance(case.exit_code, tuple) else (case.exit_code,)
        if self.exit_code not in expected:
            found.append(f"exit status {self.exit_code}, expected {' or '.join(map(str, expected))}")
        if case.says and not re.search(case.says, self.output):
            found.append(f"the output does not say {case.says!r}")
        if case.never and re.search(case.never, self.output):
            found.append(f"the output says {case.never!r}")
        if self.cpu > case.max_seconds:
            found.append(f"{self.cpu:.1f} s of processor time, more than {case.max_seconds:g} s")
        if self.peak_mb > case.max_memory_mb:
            found.append(f"{self.peak_mb:.0f} MB of memory, more than {case.max_memory_mb:g} MB")
        if self.leftover_processes:
            found.append(f"processes left behind: {', '.join(self.leftover_processes)}")
        if self.leftover_files:
            found.append(f"temporary files left behind: {', '.join(self.leftover_files)}")
        if found:
            found.append(f"output:\n{self.output[:2000]}")
        return found


CaseBuilder = Callable[[Path], Case]
CASES: dict[str, CaseBuilder] = {}


def case(build: CaseBuilder, name: Optional[str] = None) -> CaseBuilder:
    """Register a case: ``build(folder)`` writes its inputs under ``folder`` (its own, empty)
    and returns the Case. The case is named after the function, or ``name``."""
    name = name or build.__name__
    if name in CASES and CASES[name] is not build:
        raise ValueError(f"two hostile cases named {name}")
    CASES[name] = build
    return build


def run_cases(cases: Sequence[Case], work: Path) -> dict[str, Outcome]:
    """Run the cases one after another in one helper process; their temporary folders and
    output files go under ``work``."""
    work.mkdir(parents=True, exist_ok=True)
    request = [dict(asdict(c), env=dict(c.env)) for c in cases]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    env = {k: v for k, v in env.items() if not k.startswith("XXGK_LIMIT_")}
    done = subprocess.run([sys.executable, str(RUNNER), str(work)], input=json.dumps(request),
                          capture_output=True, text=True, cwd=ROOT, env=env,
                          timeout=sum(c.timeout for c in cases) + 120)
    if done.returncode != 0:
        raise RuntimeError(f"the hostile case runner failed ({done.returncode}):\n{done.stderr[-4000:]}")
    return {item["name"]: Outcome(**{**item, "leftover_processes": tuple(item["leftover_processes"]),
                                     "leftover_files": tuple(item["leftover_files"])})
            for item in json.loads(done.stdout)}


def build_all(builders: Mapping[str, CaseBuilder], folder: Path) -> list[Case]:
    cases = []
    for name, build in sorted(builders.items()):
        own = folder / name
        own.mkdir(parents=True, exist_ok=True)
        cases.append(replace(build(own), name=name))
    return cases


def xxgk(*argv: Union[str, Path]) -> tuple[str, ...]:
    return tuple(str(a) for a in argv)
