"""A batch from start to end: find the files, index them (pass 1), plan the units, check them
(pass 2) while writing results, then write the summaries. One pool of workers serves both
passes.

An interrupted batch (Ctrl-C, TERM) stops its workers, removes its scratch files and keeps
what it finished in ``OUT/.xxgk-work/`` so that ``--resume`` goes on from there; a batch killed
outright leaves that folder too, and the next run tidies it."""
from __future__ import annotations

import hashlib
import itertools
import os
import shutil
import signal
import time
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterator, Optional

from .. import limits
from ..errors import UsageError
from ..outpaths import check_output_dir, make_dir, output_error
from ..provenance import provenance_of
from .discovery import batch_root, discover, file_key
from .manifest import Manifest, load_manifest
from .outputs import WORK, Outputs, WorkFolder, INLINE_REPORTS
from .names import write_names
from .pairing import IndexEntry, Unit, plan, same_year_names
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


class Interrupted(KeyboardInterrupt):
    """The batch was asked to stop (TERM); handled as Ctrl-C is."""


def batch_files(paths: tuple[str, ...], manifest: Optional[Manifest], out: Path,
                unreadable: Optional[list[tuple[str, str]]] = None) -> list[str]:
    """The files under the paths, and the manifest's files that are not among them (a manifest
    row whose file is missing stays: it becomes the row that says so)."""
    files = discover(paths, exclude=[str(out)], unreadable=unreadable)
    if manifest is not None:
        known = {file_key(f) for f in files}
        files += sorted(row.file for row in manifest.rows.values() if row.key not in known)
    return files


def report_ids(files: list[str], root: str) -> dict[str, str]:
    """A stable id per file: a hash of its path relative to the batch root, so a link
    #report-<id> keeps pointing at the same report when the batch is run again or grows."""
    ids: dict[str, str] = {}
    taken: set[str] = set()
    for file in files:
        relative = os.fsencode(os.path.relpath(os.path.abspath(file), root))
        ident = hashlib.blake2b(relative, digest_size=6).hexdigest()
        suffix = 1
        while ident in taken:  # a 48-bit clash: astronomically rare, still never ambiguous
            suffix += 1
            ident = f"{ident[:12]}-{suffix}"
        taken.add(ident)
        ids[file] = ident
    return ids


def run_batch(options: BatchOptions) -> BatchOutcome:
    out = check_output_dir(options.out)  # before anything is read
    compiled = setup(options.settings)  # bad rules or profile: stop before any work
    pack, profile = compiled
    manifest = load_manifest(options.manifest) if options.manifest else None
    unreadable: list[tuple[str, str]] = []
    files = batch_files(options.paths, manifest, out, unreadable)
    if not files and not unreadable:
        raise UsageError("no report files found (.txt .md .html .mht .pdf .docx)")
    root = batch_root([*options.paths, *files, *(f for f, _ in unreadable)])
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
        with _terminate_as_interrupt(), progress_bar(options.quiet) as bar:
            starting = (start_worker, (settings, os.getpid())) if options.jobs > 1 else (start, (settings, compiled))
            with WorkerPool(options.jobs, *starting) as pool:
                try:
                    entries = _index(pool, files, bar, settings.lang)
                    entries += [IndexEntry(file=f, error=reason) for f, reason in unreadable]
                    clock.lap("读取")
                    rule = peer_rule(pack, profile)
                    units = plan(entries, rule.threshold if rule is not None else None,
                                 pack.fmt.same_agency_suffixes)
                    names_file = None
                    if rule is not None:
                        names_file = str(work.scratch / "names")
                        write_names(names_file, same_year_names(entries))
                    known = _known(entries, root)
                    del entries  # what the check needs of them is in the units and ``known``
                    units = _keyed(units, known, _settings_key(header, settings, names_file), manifest, previous)
                    del known
                    clock.lap("配对")
                    outputs = Outputs(out, work, header, inline=inline, compress=options.compress)
                    bar.phase("检查", sum(len(u.members) for u in units))
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


def _settings_key(header: Header, settings: Settings, names_file: Optional[str]) -> bytes:
    """What every result depends on besides its own files: the rule pack (its digest), the
    profile and selection, the language, the reading limits (a file refused at one size limit
    is read at a larger one), and the agencies of the batch (named-peer checks)."""
    digest = hashlib.blake2b(digest_size=16)
    for part in (header.provenance.get("pack_hash", ""), settings.profile, settings.select or "",
                 settings.ignore or "", settings.spec, settings.lang, header.root, limits.current()):
        digest.update(str(part).encode("utf-8", "surrogateescape") + b"\0")
    if names_file is not None:
        with open(names_file, "rb") as stream:
            while chunk := stream.read(1 << 20):  # 100,000 agencies are some 10 MB
                digest.update(chunk)
    return digest.digest()


def _known(entries: list[IndexEntry], root: str) -> dict[str, tuple[str, str]]:
    """Each file's stable id (report_ids) and the digest of its bytes."""
    ids = report_ids([e.file for e in entries], root)
    return {e.file: (ids[e.file], e.digest or "") for e in entries}


_UNKNOWN = ("", "")  # no file, or one the index has no entry of: no id, no digest


def _keyed(units: list[Unit], known: dict[str, tuple[str, str]], base: bytes,
           manifest: Optional[Manifest], previous: Optional[Previous]) -> list[Unit]:
    """Units whose members carry their stable id and input key; with --resume, the members the
    run before finished for the same inputs are marked done. ``units`` is emptied as they are
    keyed: the batch does not hold both lists (at 100,000 reports each takes some 30 MB)."""
    out = []
    for unit in _handed_out(units):
        members = []
        for member in unit.members:
            digest = hashlib.blake2b(base, digest_size=16)
            for file in (member.file, member.previous, *member.peers):
                digest.update(known.get(file, _UNKNOWN)[1].encode() + b"\0")  # type: ignore[arg-type]
            row = manifest.row(file_key(member.file)) if manifest else None
            digest.update(repr(row).encode("utf-8", "surrogateescape") if row is not None else b"-")
            digest.update((unit.error or "").encode("utf-8", "surrogateescape"))
            members.append(replace(member, id=known[member.file][0], key=digest.hexdigest()))
        done = frozenset(m.file for m in members if previous is not None and previous.has(m.id, m.key))
        out.append(replace(unit, members=tuple(members), done=done))
    return out


def _check(pool: WorkerPool, units: list[Unit], names_file: Optional[str], outputs: Outputs,
           previous: Optional[Previous], settings: Settings, compiled: tuple, bar: Bar) -> None:
    """Check the units, writing each one's results as it comes back. ``units`` is emptied as
    they are handed out: a unit checked is no longer held (100,000 of them take 100 MB)."""
    def crashed(task: CheckTask) -> list:
        return crash_rows(task, settings, compiled)

    # one stream of tasks read twice: by the pool, and here a window behind it (tee holds the
    # tasks in between)
    mine, sent = itertools.tee(CheckTask(unit, names_file) for unit in _handed_out(units))
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


def _handed_out(items: list[Unit]) -> Iterator[Unit]:
    """The items in order, each dropped from the list as it is taken."""
    items.reverse()
    while items:
        yield items.pop()


def _index(pool: WorkerPool, files: list[str], bar: Bar, lang: str) -> list[IndexEntry]:
    bar.phase("读取", len(files))
    entries: list[IndexEntry] = []
    # each value once, not the copy of it every entry brings through the pipe: the path as this
    # process has it, a kind or a year shared (100,000 entries held some 20 MB of copies until
    # the end of planning, the paths until the end of the batch)
    shared: dict[object, object] = {}
    indexed = pool.map_ordered(index_file, files, on_crash=lambda file: crashed_file(file, lang))
    for file, entry in zip(files, indexed):  # an entry for each file, in order
        entry = replace(entry, file=file, kind=shared.setdefault(entry.kind, entry.kind),
                        year=shared.setdefault(entry.year, entry.year))
        entries.append(entry)
        bar.advance(errors=int(entry.error is not None))
    return entries


@contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """TERM stops the batch as Ctrl-C does: workers stopped, scratch removed."""
    def stop(signum: int, frame: object) -> None:
        raise Interrupted()
    try:
        before = signal.signal(signal.SIGTERM, stop)
    except ValueError:  # not the main thread (a test, an embedding application)
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, before)


class _Clock:
    def __init__(self) -> None:
        self.last = time.perf_counter_ns()
        self.laps: list[tuple[str, int]] = []

    def lap(self, name: str) -> None:
        now = time.perf_counter_ns()
        self.laps.append((name, now - self.last))
        self.last = now
