"""What runs in each checking process of the workspace: the rule pack is compiled once per
process (``start``), then ``check`` reads a stored file, puts the manifest's facts in, checks it
(with last year's report of the same agency when there is one) and returns the result and the
three tables as read. A file that cannot be read becomes its error result, never an exception."""
from __future__ import annotations

import argparse
import signal
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from ..batch.manifest import ManifestRow, apply_row
from ..commands.check import NO_REPORT, load_setup
from ..engine.pack import RulePack
from ..engine.runner import Comparison, check_report, error_result
from ..engine.scoring import Profile
from ..errors import ReadError
from ..extract import extract
from ..model import Report
from ..readers import read_document
from ..render.report_json import table_to_dict
from ..results import ReportResult

CRASHED = "检查该文件时工作进程异常退出（文件可能损坏，或解析器因它崩溃）"


@dataclass(frozen=True)
class Settings:
    rules: tuple[str, ...] = ()
    spec: str = "gov-2021"
    profile: str = "default"
    select: Optional[str] = None
    ignore: Optional[str] = None


@dataclass(frozen=True)
class Task:
    path: str  # the stored file (a path the store made from the content hash)
    name: str  # the name it was delivered under: the report's source
    facts: Optional[ManifestRow] = None  # what a manifest said about it
    previous: Optional[tuple[str, str]] = None  # last year's report: (stored path, name)


@dataclass(frozen=True)
class Checked:
    task: Task
    result: ReportResult
    tables: Optional[dict[str, Any]]


def compile_settings(settings: Settings) -> tuple[RulePack, Profile]:
    return load_setup(argparse.Namespace(rules=list(settings.rules), spec=settings.spec, profile=settings.profile,
                                         select=settings.select, ignore=settings.ignore))


_COMPILED: Optional[tuple[RulePack, Profile]] = None


def start(settings: Settings, compiled: Optional[tuple[RulePack, Profile]] = None) -> None:
    global _COMPILED
    _COMPILED = compiled or compile_settings(settings)


def start_worker(settings: Settings) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server's to handle
    start(settings)


def _read(path: str, name: str, facts: Optional[ManifestRow], pack: RulePack) -> Report:
    report = extract(read_document(name, Path(path).read_bytes()), pack.fmt)
    return apply_row(report, facts)


def check(task: Task) -> Checked:
    assert _COMPILED is not None, "start() first"
    pack, profile = _COMPILED
    try:
        report = _read(task.path, task.name, task.facts, pack)
    except ReadError as exc:
        return Checked(task, error_result(task.name, exc.reason, profile), None)
    except Exception as exc:  # the parser's bug: this report's error, not the run's end
        return Checked(task, error_result(task.name, f"内部错误：{type(exc).__name__}: {exc}", profile), None)
    if "no_report" in report.flags:
        return Checked(task, error_result(task.name, NO_REPORT, profile, reader=report.reader), None)
    previous = None
    if task.previous is not None:
        try:
            previous = _read(task.previous[0], task.previous[1], None, pack)
        except Exception:  # last year's file unreadable: the cross-year rules stay not applicable
            previous = None
    try:
        result = check_report(report, pack, profile, Comparison(previous=previous))
    except Exception as exc:
        return Checked(task, error_result(task.name, f"内部错误：{type(exc).__name__}: {exc}", profile,
                                          reader=report.reader), None)
    tables = {spec.key: table_to_dict(report.tables.get(spec.key), spec) for spec in pack.fmt.tables}
    return Checked(task, result, tables)


def read_tables(path: str, name: str) -> Optional[dict[str, Any]]:
    """The tables of a stored file, read again (reports imported from a batch's results)."""
    assert _COMPILED is not None, "start() first"
    pack = _COMPILED[0]
    try:
        report = _read(path, name, None, pack)
    except Exception:
        return None
    return {spec.key: table_to_dict(report.tables.get(spec.key), spec) for spec in pack.fmt.tables}
