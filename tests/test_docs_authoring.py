"""The walkthrough of docs/authoring-rules.md is executed: its files are written, its commands run
in order in a fresh folder, and their output must be what the page shows (``...`` stands for
lines, or for part of a line, left out)."""
from __future__ import annotations

import re
import shlex
import subprocess
from pathlib import Path

import pytest

from authoring_support import ROOT, Project, project  # noqa: F401  (fixture)

DOC = ROOT / "docs" / "authoring-rules.md"
BLOCK = re.compile(r"```(\w+)\n(.*?)```", re.S)


def walkthrough() -> list[tuple[str, str]]:
    text = DOC.read_text(encoding="utf-8")
    start, end = text.index("<!-- walkthrough:start -->"), text.index("<!-- walkthrough:end -->")
    return [(m.group(1), m.group(2)) for m in BLOCK.finditer(text[start:end])]


def commands(block: str) -> list[tuple[str, list[str]]]:
    out: list[tuple[str, list[str]]] = []
    for line in block.splitlines():
        if line.startswith("$ "):
            out.append((line[2:], []))
        else:
            out[-1][1].append(line)
    return out


def matches(expected: list[str], actual: list[str]) -> bool:
    """Line by line; a line '...' skips any number of lines, '...' inside a line any text."""
    if not expected:
        return not actual
    head, rest = expected[0], expected[1:]
    if head == "...":
        return any(matches(rest, actual[i:]) for i in range(len(actual) + 1))
    if not actual:
        return False
    pattern = ".*".join(re.escape(part) for part in head.split("..."))
    return re.fullmatch(pattern, actual[0].rstrip()) is not None and matches(rest, actual[1:])


def test_the_walkthrough_runs_as_written(project: Project) -> None:
    (project.root / "examples").symlink_to(ROOT / "examples")
    steps = walkthrough()
    assert [kind for kind, _ in steps].count("console") >= 6
    ran = 0
    for kind, body in steps:
        if kind == "toml":
            first, _, content = body.partition("\n")
            assert first.startswith("# file: "), first
            project.write(first[len("# file: "):], content)
            continue
        assert kind == "console", kind
        for command, expected in commands(body):
            if command.startswith("xxgk "):
                run = project.run(*shlex.split(command)[1:])
                actual = (run.out + run.err).rstrip("\n").splitlines()
            else:  # mkdir, cp: the shell sets the stage
                done = subprocess.run(command, shell=True, cwd=project.root, capture_output=True, text=True)
                actual = (done.stdout + done.stderr).rstrip("\n").splitlines()
            while expected and not expected[-1].strip():
                expected = expected[:-1]
            assert matches(expected, actual), f"$ {command}\n--- the page shows:\n" + "\n".join(expected) + \
                "\n--- the command printed:\n" + "\n".join(actual)
            ran += 1
    assert ran >= 10


@pytest.mark.parametrize("expected,actual,result", [
    (["a", "...", "z"], ["a", "b", "c", "z"], True),
    (["a", "...", "z"], ["a", "b"], False),
    (["得分：...评分方案：x"], ["得分：70  等级：合格  评分方案：x"], True),
    (["a"], ["a", "b"], False),
])
def test_the_matcher(expected: list[str], actual: list[str], result: bool) -> None:
    assert matches(expected, actual) is result
