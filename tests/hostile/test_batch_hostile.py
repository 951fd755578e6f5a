"""Hostile and careless input to `xxgk batch`, `report` and `notice` (issue 14): names that are
not UTF-8, output paths that cannot be written, a closed pipe, a batch stopped or killed half
way (and resumed), broken manifests, a folder that cannot be listed. Each input is built here,
at test time; the commands run in a subprocess where a crash, a hang or a leftover process
would show."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from checker.cli import main

SEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "seeds"
SEED = SEEDS / "003_855a3ef0bc8273b0.txt"
GBK_NAME = "某县教育局.txt".encode("gbk")  # as a Windows zip stores it; not UTF-8
ENV = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2]), "SOURCE_DATE_EPOCH": "1767225600"}


def xxgk(*args: str, timeout: float = 120, **options) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "checker", *args], capture_output=True, env=ENV,
                          timeout=timeout, **options)


def no_traceback(result: subprocess.CompletedProcess) -> str:
    err = result.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err, err
    return err


# ---------------------------------------------------------------------- file names


def test_a_name_that_is_not_utf8_is_shown_with_replacement_characters(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    named = os.path.join(os.fsencode(reports), GBK_NAME)
    with open(named, "wb") as stream:
        stream.write(SEED.read_bytes())
    out = tmp_path / "out"
    result = xxgk("batch", str(reports), "--out", str(out), "--jobs", "1", "--quiet")
    no_traceback(result)
    assert result.returncode == 0
    lines = (out / "results.jsonl").read_text(encoding="utf-8").splitlines()
    assert "\ufffd" in json.loads(lines[1])["source"] and json.loads(lines[1])["error"] is None
    assert "\ufffd" in (out / "summary.csv").read_text(encoding="utf-8-sig")
    assert (out / "index.html").read_text(encoding="utf-8")

    page = tmp_path / "page.html"
    single = xxgk("report", os.fsdecode(named), "-o", str(page))
    no_traceback(single)
    assert single.returncode == 0 and "\ufffd" in page.read_text(encoding="utf-8")


# ---------------------------------------------------------------------- output paths


@pytest.mark.parametrize("case", ["out-is-a-file", "out-below-a-file", "o-is-a-folder", "o-below-a-file",
                                  "o-names-a-folder", "notice-o-is-a-folder"])
def test_an_output_path_that_cannot_be_written_is_one_line_and_exit_2(tmp_path: Path, case: str) -> None:
    a_file = tmp_path / "a-file"
    a_file.write_text("x", encoding="utf-8")
    argv = {
        "out-is-a-file": ["batch", str(SEEDS), "--out", str(a_file)],
        "out-below-a-file": ["batch", str(SEEDS), "--out", str(a_file / "out")],
        "o-is-a-folder": ["report", str(SEED), "-o", str(tmp_path)],
        "o-below-a-file": ["check", str(SEED), "-o", str(a_file / "x.txt")],
        "o-names-a-folder": ["report", str(SEED), "-o", str(tmp_path / "new") + os.sep],
        "notice-o-is-a-folder": ["notice", str(tmp_path), "-o", str(tmp_path)],
    }[case]
    started = time.monotonic()
    result = xxgk(*argv)
    err = no_traceback(result)
    assert result.returncode == 2 and len(err.strip().splitlines()) == 1 and "xxgk: error:" in err, err
    assert time.monotonic() - started < 30, "checked before reading anything"
    assert a_file.read_text(encoding="utf-8") == "x"


def test_a_full_file_system_is_one_line_and_leaves_no_partial_file(tmp_path: Path) -> None:
    import resource

    def small_files() -> None:  # writing past 4 KB fails as on a full disk (EFBIG, not a signal)
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    target = tmp_path / "page.html"
    result = subprocess.run([sys.executable, "-m", "checker", "report", str(SEED), "-o", str(target)],
                            capture_output=True, env=ENV, timeout=120, preexec_fn=small_files)
    err = no_traceback(result)
    assert result.returncode == 2 and "cannot write" in err
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------------- pipes


def test_a_closed_standard_output_is_silent(tmp_path: Path) -> None:
    command = f"{sys.executable} -m checker check {SEED} {SEED} {SEED} --verbose | head -c 10"
    result = subprocess.run(command, shell=True, capture_output=True, env=ENV, timeout=120)
    assert result.returncode == 0 and result.stderr == b"", result.stderr


def test_a_broken_pipe_that_is_not_standard_output_is_an_error(monkeypatch, capsys) -> None:
    from checker.commands import check

    def broken(args):
        raise BrokenPipeError(32, "Broken pipe (a worker's)")
    monkeypatch.setattr(check, "run", broken)
    assert main(["check", str(SEED)]) == 2
    assert "pipe" in capsys.readouterr().err


# ---------------------------------------------------------------------- stopped, killed, resumed


def _batch_folder(tmp_path: Path, copies: int) -> Path:
    reports = tmp_path / "reports"
    reports.mkdir()
    text = SEED.read_text(encoding="utf-8")
    for i in range(copies):
        (reports / f"{i:03d}.txt").write_text(text.replace("修武县", f"某{i}县"), encoding="utf-8")
    return reports


def _descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as stat:
                    ppid = int(stat.read().rsplit(b")", 1)[1].split()[1])
            except OSError:
                continue
            children.setdefault(ppid, []).append(int(entry))
    found, stack = set(), [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            found.add(child)
            stack.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return stat.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except OSError:
        return False


def _start_and_wait_for_workers(reports: Path, out: Path) -> tuple[subprocess.Popen, set[int]]:
    process = subprocess.Popen([sys.executable, "-m", "checker", "batch", str(reports), "--out", str(out),
                                "--jobs", "2", "--quiet"], env=ENV, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    helpers: set[int] = set()
    while time.monotonic() < deadline:
        helpers = _descendants(process.pid)
        if len(helpers) >= 3 and (out / ".xxgk-work" / "results.jsonl.part").exists():
            break
        time.sleep(0.05)
    return process, helpers


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL])
def test_a_stopped_batch_leaves_no_process_and_resumes(tmp_path: Path, how: int) -> None:
    reports = _batch_folder(tmp_path, 24)
    out = tmp_path / "out"
    before = {p for p in os.listdir(os.environ.get("TMPDIR", "/tmp")) if p.startswith("xxgk-batch-")}
    process, helpers = _start_and_wait_for_workers(reports, out)
    assert helpers, "the pool started"
    process.send_signal(how)
    process.wait(timeout=60)
    if how == signal.SIGTERM:
        assert "Traceback" not in process.stderr.read().decode("utf-8", "replace")
    deadline = time.monotonic() + 10
    while any(_alive(p) for p in helpers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [p for p in helpers if _alive(p)], "workers, pool helpers and tracker die with the batch"
    after = {p for p in os.listdir(os.environ.get("TMPDIR", "/tmp")) if p.startswith("xxgk-batch-")}
    assert after <= before, "nothing in the system's temporary folder"
    assert not (out / "index.html").exists() and not (out / "results.jsonl").exists(), "no half outputs"
    work = out / ".xxgk-work"
    if how == signal.SIGTERM and work.exists():
        assert not (work / "scratch").exists(), "scratch removed; only what --resume needs stays"

    resumed = xxgk("batch", str(reports), "--out", str(out), "--jobs", "2", "--resume")
    err = no_traceback(resumed)
    assert resumed.returncode == 0, err
    lines = (out / "results.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 25 and len({json.loads(line)["id"] for line in lines[1:]}) == 24
    assert sorted(p.name for p in out.iterdir()) == ["index.html", "reports", "results.jsonl", "rules.csv",
                                                       "summary.csv", "summary.xlsx"]


def test_resume_rechecks_only_what_changed(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    reports = tmp_path / "reports"  # five different reports: none is another's peer
    shutil.copytree(SEEDS, reports)
    out, fresh = tmp_path / "out", tmp_path / "fresh"
    assert main(["batch", str(reports), "--out", str(out), "--jobs", "1", "--quiet"]) == 0
    first = (out / "results.jsonl").read_bytes()
    changed = sorted(reports.glob("*.txt"))[2]
    changed.write_text(changed.read_text(encoding="utf-8").replace("一、总体情况", "一、总体情况\n补充说明。", 1),
                       encoding="utf-8")
    from checker.batch.run import BatchOptions, run_batch

    outcome = run_batch(BatchOptions(paths=(str(reports),), out=out, resume=True, quiet=True))
    assert outcome.resumed == 4 and outcome.reports == 5
    assert main(["batch", str(reports), "--out", str(fresh), "--jobs", "1", "--quiet"]) == 0
    for name in ("results.jsonl", "summary.csv", "rules.csv", "index.html", "summary.xlsx"):
        assert (out / name).read_bytes() == (fresh / name).read_bytes(), name
    assert (out / "results.jsonl").read_bytes() != first
    assert not (out / ".xxgk-work").exists()
    # and --compress writes the same lines packed
    assert main(["batch", str(reports), "--out", str(out), "--jobs", "1", "--quiet", "--resume", "--compress"]) == 0
    import gzip
    assert gzip.decompress((out / "results.jsonl.gz").read_bytes()) == (fresh / "results.jsonl").read_bytes()
    assert not (out / "results.jsonl").exists()


# ---------------------------------------------------------------------- manifests and folders


@pytest.mark.parametrize("case,expected", [
    ("long-field", "第3行" if False else ":3:"),
    ("open-quote", ":3:"),
])
def test_a_broken_manifest_names_its_line(tmp_path: Path, case: str, expected: str, capsys) -> None:
    manifest = tmp_path / "m.csv"
    if case == "long-field":
        text = f"文件,机关\n{SEED},某局\n{SEED.name},{'长' * 140_000}\n"
    else:
        text = f'文件,机关\n{SEED},某局\n"{SEED.name},某县\nother.txt,某市\n'
    manifest.write_text(text, encoding="utf-8")
    assert main(["batch", "--manifest", str(manifest), "--out", str(tmp_path / "out"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "m.csv" + expected in err and "quote" in err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("encoding", ["gbk", "big5"])
def test_a_manifest_in_a_chinese_legacy_encoding(tmp_path: Path, encoding: str) -> None:
    from checker.batch.manifest import load_manifest

    manifest = tmp_path / "m.csv"
    agency = "臺北市政府教育局" if encoding == "big5" else "某县教育局"
    manifest.write_bytes(f"文件,機關,年度\n{SEED.name},{agency},2024\n".encode(encoding) if encoding == "big5" else
                         f"文件,机关,年度\n{SEED.name},{agency},2024\n".encode(encoding))
    row = next(iter(load_manifest(str(manifest)).rows.values()))
    assert row.year == 2024 and (row.agency == agency or encoding == "big5" and row.agency is None)


def test_a_folder_that_cannot_be_listed_is_an_error_row(tmp_path: Path, monkeypatch) -> None:
    reports = _batch_folder(tmp_path, 1)
    locked = reports / "locked"
    locked.mkdir()
    real = os.scandir

    def scandir(path=".", *args):
        if not isinstance(path, int) and os.fspath(path) == str(locked):
            raise PermissionError(13, "Permission denied", str(locked))
        return real(path, *args)
    monkeypatch.setattr(os, "scandir", scandir)
    out = tmp_path / "out"
    assert main(["batch", str(reports), "--out", str(out), "--jobs", "1", "--quiet"]) == 0
    lines = [json.loads(line) for line in (out / "results.jsonl").read_text(encoding="utf-8").splitlines()[1:]]
    row = next(line for line in lines if line["source"] == "locked")
    assert "无法读取该文件夹" in row["error"] and "Permission denied" in row["error"]


def test_nothing_is_left_in_the_system_temporary_folder(tmp_path: Path) -> None:
    reports = _batch_folder(tmp_path, 2)
    (reports / "page.html").write_text("<html><body><h1>某县2024年政府信息公开工作年度报告</h1></body></html>",
                                       encoding="utf-8")
    # deep enough that the forkserver's socket could not be made in it: the pool starts anyway
    scratch = tmp_path / ("temporary-folder-set-deep-by-the-user" * 2)
    scratch.mkdir()
    result = subprocess.run([sys.executable, "-m", "checker", "batch", str(reports), "--out", str(tmp_path / "out"),
                             "--jobs", "2", "--quiet"], capture_output=True, env={**ENV, "TMPDIR": str(scratch)},
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert [p.name for p in scratch.iterdir() if not p.name.startswith("pymp-")] == []
    assert not (tmp_path / "out" / ".xxgk-work").exists()
    shutil.rmtree(scratch)
