"""What `xxgk parse` and `xxgk check` load: the reading and checking path only. The batch
machinery (process pool, rich's progress bar) loads for `xxgk batch` alone, and a batch still
runs where rich is missing (without a bar)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from seeds_support import SEEDS

SEED = str(SEEDS / "000_c7c1a845340d13e1.txt")


def _run(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          cwd=Path(__file__).resolve().parent.parent)


def test_parse_and_check_load_neither_the_batch_nor_rich():
    result = _run(f"""
import contextlib, io, sys
from checker.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    assert main(["parse", {SEED!r}, "--format", "json"]) == 0
    assert main(["check", {SEED!r}, "--fail-on", "never"]) == 0
loaded = sorted(m for m in sys.modules if m == "rich" or m.startswith(("rich.", "checker.batch")))
print(loaded)
""")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_a_batch_runs_without_rich(tmp_path):
    result = _run(f"""
import sys
sys.modules["rich"] = None  # as if it were not installed
from checker.cli import main
sys.exit(main(["batch", {SEED!r}, "--out", {str(tmp_path / "out")!r}, "--jobs", "1"]))
""")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "results.jsonl").read_text(encoding="utf-8").count("\n") == 2  # header + 1


def test_a_gb18030_report_reads_without_charset_detection(tmp_path):
    """charset-normalizer is consulted only for bytes that are not UTF-8, and may be missing:
    a GB encoding is then tried, which most non-UTF-8 Chinese reports are."""
    gb = tmp_path / "gb.txt"
    gb.write_bytes(Path(SEED).read_text(encoding="utf-8").encode("gb18030"))
    result = _run(f"""
import sys
sys.modules["charset_normalizer"] = None
from checker.pipeline import parse_file
from checker.readers import read_document
print(read_document({str(gb)!r}).encoding, parse_file({str(gb)!r}).meta.agency)
""")
    assert result.returncode == 0, result.stderr
    expected = _run(f"from checker.pipeline import parse_file; print(parse_file({SEED!r}).meta.agency)")
    assert result.stdout.split() == ["gb18030", expected.stdout.strip()]
