"""A batch from start to end: find the files, index them (pass 1), plan the units, check them
(pass 2) while writing results, then write the summaries. One pool of workers serves both
passes.

An interrupted batch (Ctrl-C, TERM) stops its workers, removes its scratch files and keeps
what it finished in ``OUT/.xxgk-work/`` so that ``--resume`` goes on from there; a batch killed
outright leaves that folder too, and the next run tidies it."""
from __future__ import annotations

import itertools
import os
import shutil
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterator, Optional

from .. import limits
from ..errors import UsageError
from ..outpaths import check_output_dir, make_dir, output_error
from ..provenance import provenance_of
from .discovery import FileList, batch_root, discover
from .interrupts import terminate_as_interrupt
from .manifest import Manifest, load_manifest
from .outputs import WORK, Outputs, WorkFolder, INLINE_REPORTS
from .pairing import IndexEntry, Unit
from ..spool import SpoolWriter, spooled
from .planner import PlanRequest, make_plan
from .pool import WorkerPool
from .progress import Bar, progress_bar
from .resultsfile import Header, catalogue
from .resume import Previous, load_previous
from .worker import (CheckTask, Settings, check_unit, crash_rows, crashed_file, index_file, peer_rule, setup, start,
                     start_worker)


@dataclass(frozen=True)
class BatchOptions:
    paths: tuple[str, ...]
    out: Path
    settings: Settings = field(default_factory=Settings)
    manifest: Optional[str] = None
    jobs: int = 1
    quiet: bool = False
    resume: bool = False
    compress: bool = False


@dataclass(frozen=True)
class BatchOutcome:
    reports: int
    errors: int
    files: tuple[Path, ...]
    phases: tuple[tuple[str, int], ...] = ()  # (phase, nanoseconds of wall time)
    resumed: int = 0  # reports taken over from an interrupted run


def batch_files(paths: tuple[str, ...], manifest: Optional[Manifest], out: Path,
                unreadable: Optional[list[tuple[str, str]]] = None) -> FileList:
    """The files under the paths, and the manifest's files that are not among them (a manifest
    row whose file is missing stays: it becomes the row that says so)."""
    files = discover(paths, exclude=[str(out)], unreadable=unreadable)
    if manifest is not None:
        for row in manifest.rows.values():
            files.add(row.file, key=row.key, extra=True)
    return files


def run_batch(options: BatchOptions) -> BatchOutcome:
    out = check_output_dir(options.out)  # before anything is read
    compiled = setup(options.settings)  # bad rules or profile: stop before any work
    manifest = load_manifest(options.manifest) if options.manifest else None
    unreadable: list[tuple[str, str]] = []
    files = batch_files(options.paths, manifest, out, unreadable)
    try:
        return _run(options, out, compiled, manifest, files, unreadable)
    finally:
        files.close()


def _run(options: BatchOptions, out: Path, compiled: tuple, manifest: Optional[Manifest], files: FileList,
         unreadable: list[tuple[str, str]]) -> BatchOutcome:
    pack, profile = compiled
    if not files and not unreadable:
        raise UsageError("no report files found (.txt .md .html .mht .pdf .docx)")
    root = batch_root(itertools.chain(options.paths, files, (f for f, _ in unreadable)))
    make_dir(out)
    work = WorkFolder(out / WORK)
    previous = _prepare_work(work, out, options.resume)
    clock = _Clock()
    provenance = provenance_of(pack, profile, waivers=options.settings.waivers, config_file=options.settings.config)
    header = Header(provenance=provenance.as_dict(), root=root, lang=options.settings.lang,
                    rules=catalogue(pack, profile))
    inline = len(files) + len(unreadable) <= INLINE_REPORTS
    settings = replace(options.settings, manifest=manifest, scratch=str(work.scratch), root=root,
                       pages=str(work.pages), fragments=inline, provenance=header.provenance,
                       limits=limits.current())
    outputs: Optional[Outputs] = None
    try:
        with terminate_as_interrupt(), progress_bar(options.quiet) as bar:
            starting = (start_worker, (settings, os.getpid())) if options.jobs > 1 else (start, (settings, compiled))
            with WorkerPool(options.jobs, *starting) as pool:
                try:
                    index_file = str(work.scratch / "index")
                    index = SpoolWriter(index_file)
                    try:
                        _index(pool, files, bar, settings.lang, index)
                        for file, reason in unreadable:
                            index.add(IndexEntry(file=file, error=reason))
                    finally:
                        index.close()
                    files.close()
                    del unreadable
                    clock.lap("读取")
                    rule = peer_rule(pack, profile)
                    names_file = str(work.scratch / "names") if rule is not None else None
                    request = PlanRequest(
                        index=index_file, units=str(work.scratch / "units"), names=names_file,
                        threshold=rule.threshold if rule is not None else None,
                        suffixes=tuple(pack.fmt.same_agency_suffixes), root=root,
                        settings=_settings_parts(header, settings), manifest=manifest)
                    members = pool.apart(make_plan, request)
                    clock.lap("配对")
                    outputs = Outputs(out, work, header, inline=inline, compress=options.compress)
                    bar.phase("检查", members)
                    units = _resumed(spooled(request.units), previous)
                    _check(pool, units, names_file, outputs, previous, settings, compiled, bar)
                    clock.lap("检查")
                    pool.retire()
                    written = outputs.finish(pack, profile, aside=pool.aside)
                except BaseException:
                    pool.terminate()
                    raise
    except BaseException:
        if outputs is not None:
            outputs.close()
        _abandon(work)
        raise
    finally:
        if previous is not None:
            previous.close()
    shutil.rmtree(work.root, ignore_errors=True)
    clock.lap("汇总")
    rows = outputs.rows
    return BatchOutcome(reports=rows.count, errors=rows.errors, files=tuple(written),
                        phases=tuple(clock.laps), resumed=previous.used if previous is not None else 0)


def _prepare_work(work: WorkFolder, out: Path, resume: bool) -> Optional[Previous]:
    """A fresh work folder; with --resume, the results and pages of the run before are kept
    in it to be taken over."""
    try:
        shutil.rmtree(work.scratch, ignore_errors=True)
        previous = load_previous(work, out) if resume else None
        if previous is None:
            shutil.rmtree(work.root, ignore_errors=True)
        for folder in (work.root, work.scratch, work.pages):
            folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise output_error(work.root, exc) from None
    return previous


def _abandon(work: WorkFolder) -> None:
    """After an interruption: no scratch left behind; what was finished stays for --resume."""
    shutil.rmtree(work.scratch, ignore_errors=True)
    for name in ("findings.spool", "fragments.spool", "rows.spool"):
        (work.root / name).unlink(missing_ok=True)
    if not work.results.exists():
        shutil.rmtree(work.root, ignore_errors=True)


def _settings_parts(header: Header, settings: Settings) -> tuple:
    """What every result depends on besides its own files and the agencies of the batch
    (planner.settings_key)."""
    return (header.provenance.get("pack_hash", ""), settings.profile, settings.select or "",
            settings.ignore or "", settings.spec, settings.lang, header.root, limits.current())


def _resumed(units: Iterator[Unit], previous: Optional[Previous]) -> Iterator[Unit]:
    """The units, with the members the run before finished for the same inputs marked done."""
    for unit in units:
        if previous is not None:
            unit = replace(unit, done=frozenset(m.file for m in unit.members if previous.has(m.id, m.key)))
        yield unit


def _check(pool: WorkerPool, units: Iterator[Unit], names_file: Optional[str], outputs: Outputs,
           previous: Optional[Previous], settings: Settings, compiled: tuple, bar: Bar) -> None:
    """Check the units, writing each one's results as it comes back. ``units`` are read from
    the plan's spool as they are handed out: a unit is held only while it is in flight."""
    def crashed(task: CheckTask) -> list:
        return crash_rows(task, settings, compiled)

    # one stream of tasks read twice: by the pool, and here a window behind it (tee holds the
    # tasks in between)
    mine, sent = itertools.tee(CheckTask(unit, names_file) for unit in units)
    for task, checked in zip(mine, pool.map_ordered(check_unit, sent, on_crash=crashed)):
        fresh = iter(checked)
        errors = 0
        for member in task.unit.members:
            if member.file in task.unit.done:
                row = outputs.add_previous(previous.line(member.id))  # type: ignore[union-attr]
            else:
                row = outputs.add(next(fresh))
            errors += int(row.error is not None)
        bar.advance(len(task.unit.members), errors=errors)


def _index(pool: WorkerPool, files: FileList, bar: Bar, lang: str, index: SpoolWriter) -> None:
    """The first pass: each file's entry, in order, onto the index's spool."""
    bar.phase("读取", len(files))
    mine, sent = itertools.tee(files)  # read once from disk; tee holds the files in flight
    indexed = pool.map_ordered(index_file, sent, on_crash=lambda file: crashed_file(file, lang))
    for file, entry in zip(mine, indexed):  # an entry for each file, in order
        index.add(replace(entry, file=file))  # the path as this process has it
        bar.advance(errors=int(entry.error is not None))


class _Clock:
    def __init__(self) -> None:
        self.last = time.perf_counter_ns()
        self.laps: list[tuple[str, int]] = []

    def lap(self, name: str) -> None:
        now = time.perf_counter_ns()
        self.laps.append((name, now - self.last))
        self.last = now
