"""A batch holds a file to the reading limits before it spends anything on it: a file over the
size limit is refused from its status, never read or hashed; the manifest is held to it too; a
report refused at one limit is checked by ``--resume`` once the limit allows it."""
from __future__ import annotations

import csv
import shutil
import time
from pathlib import Path
from typing import Iterator

import pytest

from batch_support import LITONG, SEEDS
from checker import limits
from checker.cli import main

HUGE = 32 << 30  # bytes: a sparse file, nothing written; reading it through would take minutes


@pytest.fixture(autouse=True)
def default_limits() -> Iterator[None]:
    limits.set_current(limits.Limits())
    yield
    limits.set_current(None)


def _rows(out: Path) -> dict[str, dict[str, str]]:
    return {Path(r["文件"]).name: r for r in csv.DictReader(
        (out / "summary.csv").read_text(encoding="utf-8-sig").splitlines())}


def test_a_file_over_the_size_limit_costs_nothing(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    shutil.copyfile(SEEDS / LITONG, reports / LITONG)
    with open(reports / "huge.txt", "wb") as sparse:
        sparse.truncate(HUGE)
    started = time.monotonic()
    assert main(["batch", str(reports), "--out", str(tmp_path / "out"), "--jobs", "1", "--quiet"]) == 0
    took = time.monotonic() - started
    rows = _rows(tmp_path / "out")
    assert "too large" in rows["huge.txt"]["无法检查的原因"] and "XXGK_LIMIT_FILE_MB" in rows["huge.txt"]["无法检查的原因"]
    assert not rows["huge.txt"]["得分"]
    assert rows[LITONG]["得分"]
    assert took < 8, f"{took:.1f} s: the file was read"


def test_resume_checks_a_refused_report_once_the_limit_allows_it(tmp_path: Path) -> None:
    reports, out = tmp_path / "reports", tmp_path / "out"
    reports.mkdir()
    shutil.copyfile(SEEDS / LITONG, reports / LITONG)
    padded = (SEEDS / LITONG).read_bytes() + b"\n" + b" " * (1 << 20)  # over 1 MB
    (reports / "padded.txt").write_bytes(padded)
    limits.set_current(limits.Limits(file_mb=1))
    assert main(["batch", str(reports), "--out", str(out), "--quiet", "--jobs", "2"]) == 0  # workers: the run's limits
    assert "XXGK_LIMIT_FILE_MB" in _rows(out)["padded.txt"]["无法检查的原因"]
    limits.set_current(limits.Limits(file_mb=1))  # unchanged: the refusal stands
    assert main(["batch", str(reports), "--out", str(out), "--quiet", "--resume", "--jobs", "1"]) == 0
    assert "XXGK_LIMIT_FILE_MB" in _rows(out)["padded.txt"]["无法检查的原因"]
    limits.set_current(limits.Limits(file_mb=2))
    assert main(["batch", str(reports), "--out", str(out), "--quiet", "--resume", "--jobs", "1"]) == 0
    row = _rows(out)["padded.txt"]
    assert not row["无法检查的原因"] and row["得分"] == _rows(out)[LITONG]["得分"]


def test_a_manifest_over_the_size_limit_is_refused_naming_it(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    shutil.copyfile(SEEDS / LITONG, reports / LITONG)
    manifest = tmp_path / "清单.csv"
    manifest.write_text("文件,机关\n" + f"{LITONG},某区\n" * 60_000, encoding="utf-8")  # about 1.7 MB
    limits.set_current(limits.Limits(file_mb=1))
    assert main(["batch", str(reports), "--manifest", str(manifest), "--out", str(tmp_path / "out"),
                 "--quiet"]) == 2
    error = capsys.readouterr().err
    assert "清单.csv" in error and "too large" in error and "XXGK_LIMIT_FILE_MB" in error
    assert not (tmp_path / "out").exists()
