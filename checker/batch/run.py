"""A batch from start to end: find the files, index them (pass 1), plan the units, check them
(pass 2) while writing results, then write the summaries. One pool of workers serves both
passes."""
from __future__ import annotations

import functools
import os
import pickle
import tempfile
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Optional

from ..errors import UsageError
from .discovery import discover, file_key
from .manifest import Manifest, load_manifest
from .outputs import Outputs
from .pairing import IndexEntry, plan, same_year_names
from .pool import WorkerPool
from .progress import Bar, progress_bar
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


@dataclass(frozen=True)
class BatchOutcome:
    reports: int
    errors: int
    files: tuple[Path, ...]
    phases: tuple[tuple[str, int], ...] = ()  # (phase, nanoseconds of wall time)


def batch_files(paths: tuple[str, ...], manifest: Optional[Manifest], out: Path) -> list[str]:
    """The files under the paths, and the manifest's files that are not among them (a manifest
    row whose file is missing stays: it becomes the row that says so)."""
    files = discover(paths, exclude=[str(out)])
    if manifest is not None:
        known = {file_key(f) for f in files}
        files += sorted(row.file for row in manifest.rows.values() if row.key not in known)
    return files


def run_batch(options: BatchOptions) -> BatchOutcome:
    compiled = setup(options.settings)  # bad rules or profile: stop before any work
    pack, profile = compiled
    manifest = load_manifest(options.manifest) if options.manifest else None
    files = batch_files(options.paths, manifest, options.out)
    if not files:
        raise UsageError("no report files found (.txt .md .html .mht .pdf .docx)")
    clock = _Clock()
    with tempfile.TemporaryDirectory(prefix="xxgk-batch-") as scratch, progress_bar(options.quiet) as bar:
        settings = replace(options.settings, manifest=manifest, scratch=scratch)
        starting = (start_worker, (settings,)) if options.jobs > 1 else (start, (settings, compiled))
        with WorkerPool(options.jobs, *starting) as pool:
            entries = _index(pool, files, bar)
            clock.lap("读取")
            rule = peer_rule(pack, profile)
            units = plan(entries, rule.threshold if rule is not None else None, pack.fmt.same_agency_suffixes)
            names_file = None
            if rule is not None:
                names_file = os.path.join(scratch, "names.pickle")
                with open(names_file, "wb") as stream:
                    pickle.dump(same_year_names(entries), stream)
            clock.lap("配对")
            outputs = Outputs(options.out)
            bar.phase("检查", len(entries))
            try:
                crashed = functools.partial(crash_rows, profile=profile, lang=settings.lang)
                tasks = (CheckTask(unit, names_file) for unit in units)
                for rows in pool.map_ordered(check_unit, tasks, on_crash=crashed):
                    for checked in rows:
                        outputs.add(checked)
                    bar.advance(len(rows), errors=sum(1 for c in rows if c.row.error))
            except BaseException:
                outputs.abandon()
                raise
            clock.lap("检查")
            written = outputs.finish(pack, profile, aside=pool.aside)
    clock.lap("汇总")
    return BatchOutcome(reports=len(outputs.rows), errors=sum(1 for r in outputs.rows if r.error),
                        files=tuple(written), phases=tuple(clock.laps))


def _index(pool: WorkerPool, files: list[str], bar: Bar) -> list[IndexEntry]:
    bar.phase("读取", len(files))
    entries: list[IndexEntry] = []
    for entry in pool.map_ordered(index_file, files, on_crash=crashed_file):
        entries.append(entry)
        bar.advance(errors=int(entry.error is not None))
    return entries


class _Clock:
    def __init__(self) -> None:
        self.last = time.perf_counter_ns()
        self.laps: list[tuple[str, int]] = []

    def lap(self, name: str) -> None:
        now = time.perf_counter_ns()
        self.laps.append((name, now - self.last))
        self.last = now
