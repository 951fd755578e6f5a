"""A policy author's project folder for tests: files written into a temporary folder that becomes
the working directory, and the CLI run in it with its exit status and output."""
from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from checker.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_REPORT = ROOT / "examples" / "yumin-2024.txt"

WAIVER = '''[[waiver]]
rules = ["TC-001"]
files = ["reports/某县/*.txt"]
reason = "表三以图片形式发布"
approved_by = "市政务公开办"
expires = 2027-03-31
'''

PROVINCE_PROFILE = '''extends = "default"
id = "province"
name = "某省评分"

[overrides."TB-012"]
severity = "high"

[overrides."META-005"]
severity = "low"
'''


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def output(self) -> str:
        return self.out + self.err


class Project:
    def __init__(self, root: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.root = root
        self.capsys = capsys

    def write(self, name: str, text: str) -> Path:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def report(self, name: str = "reports/某县/yumin-2024.txt") -> Path:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(EXAMPLE_REPORT, path)
        return path

    def run(self, *argv: str) -> Run:
        self.capsys.readouterr()
        code = main(list(argv))
        captured = self.capsys.readouterr()
        return Run(code, captured.out, captured.err)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Project:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01: waivers expire against it
    return Project(tmp_path, capsys)
