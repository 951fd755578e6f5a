"""Checking in the background: imports and re-checks queue here and run one after another on a
thread of the server, which hands the files to a pool of worker processes (the batch's
WorkerPool: ordered results, a crashed worker costs one report, never the run) and records each
report as it comes back. Progress lives in the run's row, so every page can show it and the
server stays responsive meanwhile.

A run has two passes. The first checks each file, with last year's report of the same agency
when the store already has it, and keeps a fingerprint of the text the copy rule (DUP-004)
compares. The second checks again the reports whose partner year arrived in this run (this
year's report and last year's delivered together, or last year's after this year's), so the
cross-year rules see both; and the reports that have a likely copy among other agencies' reports
of their year of which they or the copy came in this run, with those copies as their peers, so
reports delivered in different uploads are compared as one batch compares its files."""
from __future__ import annotations

import logging
import queue
import threading
from dataclasses import dataclass, field, replace
from typing import Iterable, Optional, Sequence

from .. import limits
from ..batch.manifest import ManifestRow
from ..batch.fingerprint import Fingerprint
from ..batch.pairing import IndexEntry, candidate_peers
from ..batch.pool import WorkerPool
from ..batch.worker import WORKER_DIED, PeerRule, peer_rule
from ..engine.pack import RulePack
from ..engine.runner import error_result
from ..engine.scoring import Profile
from ..messages import unchecked
from ..provenance import provenance_of
from ..store import Store, ingest, queries
from ..store.ingest import Placement
from . import worker
from .worker import Checked, Settings, Task

log = logging.getLogger(__name__)
FACT_ORIGINS_KEPT = ("manifest", "option")


@dataclass(frozen=True)
class Item:
    """A stored file to check, with what a manifest said about it."""

    file_hash: str
    suffix: str
    name: str
    facts: Optional[ManifestRow] = None
    placement: Placement = field(default_factory=Placement)


@dataclass
class _Job:
    run_id: int
    items: list[Item]
    done: threading.Event = field(default_factory=threading.Event)


class Checker:
    """``checker.submit(items, origin)`` → run id; the run's row shows its progress."""

    def __init__(self, store: Store, settings: Settings, compiled: tuple[RulePack, Profile], jobs: int = 1) -> None:
        self.store = store
        self.settings = settings
        self.pack, self.profile = compiled
        self.peer_rule = peer_rule(self.pack, self.profile)  # the copy rule (DUP-004), when the run has it
        self.jobs = jobs
        self._queue: "queue.Queue[Optional[_Job]]" = queue.Queue()
        self._thread: Optional[threading.Thread] = None
        self._jobs: dict[int, _Job] = {}

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, name="xxgk-checker", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join(timeout=60)
            self._thread = None

    def submit(self, items: list[Item], origin: str, note: Optional[str] = None) -> int:
        run_id = ingest.start_run(self.store, provenance_of(self.pack, self.profile), origin, total=len(items),
                                  note=note)
        job = _Job(run_id, items)
        self._jobs[run_id] = job
        self._queue.put(job)
        return run_id

    def wait(self, run_id: int, timeout: Optional[float] = None) -> bool:
        job = self._jobs.get(run_id)
        return job.done.wait(timeout) if job is not None else True

    def recheck_items(self) -> list[Item]:
        """Every stored report, with the facts its manifest gave (kept in its last result)."""
        items = []
        for report_id, file_hash, suffix, name in queries.all_reports(self.store):
            result = queries.stored_result(self.store, report_id)
            items.append(Item(file_hash, suffix, name, facts=_kept_facts(name, result.meta if result else {})))
        return items

    # ------------------------------------------------------------------ the thread

    def _loop(self) -> None:
        while True:
            job = self._queue.get()
            if job is None:
                return
            try:
                self._run(job)
                ingest.finish_run(self.store, job.run_id)
            except Exception as exc:  # the run fails, the server goes on
                log.exception("run %s failed", job.run_id)
                ingest.finish_run(self.store, job.run_id, "failed", f"{type(exc).__name__}: {exc}")
            finally:
                job.done.set()
                self._jobs.pop(job.run_id, None)

    def _path(self, item: Item) -> str:
        return str(self.store.files.path(item.file_hash, item.suffix))

    def _task(self, item: Item) -> Task:
        facts = item.facts
        previous = self._previous(facts.agency, facts.year) if facts is not None else None
        return Task(file_hash=item.file_hash, path=self._path(item), name=item.name, facts=facts, previous=previous)

    def _previous(self, agency: Optional[str], year: Optional[int]) -> Optional[tuple[str, str]]:
        found = queries.previous_report(self.store, agency, year)
        if found is None:
            return None
        file_hash, suffix, name = found
        return str(self.store.files.path(file_hash, suffix)), name

    def _run(self, job: _Job) -> None:
        years: set[Optional[int]] = set()
        placements = {item.file_hash: item.placement for item in job.items}
        recorded: list[tuple[Item, Checked]] = []
        by_task = {(self._path(i), i.name): i for i in job.items}
        with WorkerPool(self.jobs, *self._starting()) as pool:
            for checked in pool.map_ordered(worker.check, (self._task(i) for i in job.items), on_crash=self._crashed):
                item = by_task[(checked.task.path, checked.task.name)]
                self._record(job.run_id, item, checked, placements[item.file_hash])
                years.add(checked.result.meta.get("year"))
                recorded.append((item, checked))
            again = self._again(recorded)
            if again:
                ingest.progress(self.store, job.run_id, total=len(job.items) + len(again))
                items = {(t.path, t.name): i for i, t in again}
                for checked in pool.map_ordered(worker.check, (t for _, t in again), on_crash=self._crashed):
                    item = items[(checked.task.path, checked.task.name)]
                    self._record(job.run_id, item, checked, Placement())
                    years.add(checked.result.meta.get("year"))
        ingest.refresh_ranks(self.store, years)

    def _starting(self) -> tuple:
        if self.jobs > 1:
            return worker.start_worker, (replace(self.settings, limits=limits.current()),)
        return worker.start, (self.settings, (self.pack, self.profile))

    def _crashed(self, task: Task) -> Checked:
        return worker.checked(task, error_result(task.name, unchecked("worker_died", self.settings.lang), self.profile,
                                                 detail=WORKER_DIED))

    def _record(self, run_id: int, item: Item, checked: Checked, placement: Placement) -> None:
        ingest.record_many(self.store, run_id, [replace(checked.prepared, placement=placement)], self.profile)
        ingest.progress(self.store, run_id, done=1, errors=int(checked.result.error is not None))

    def _again(self, recorded: list[tuple[Item, Checked]]) -> list[tuple[Item, Task]]:
        """The second pass: reports to check again now that this run brought their other year
        (``_partners``) or a likely copy of theirs among other agencies' reports of the same
        year (as a batch pairs them: checker.batch.pairing); each with last year's report and
        all its candidate copies."""
        again = self._partners(recorded)
        years = {c.result.meta.get("year") for _, c in recorded if c.result.error is None}
        copies = _Copies(self.store, self.peer_rule, self.pack.fmt.same_agency_suffixes,
                         {y for year in years if year is not None for y in (year, year + 1)})
        for file_hash in copies.involving({item.file_hash for item, _ in recorded}):
            if file_hash not in again:
                stored = copies.stored(file_hash)
                item = Item(file_hash, stored.suffix, stored.name, facts=stored.facts)
                again[file_hash] = (item, Task(file_hash, self._path(item), stored.name, stored.facts,
                                               self._previous(stored.agency, stored.year)))
        out = []
        for item, task in again.values():
            peers = tuple((str(self.store.files.path(p.file_hash, p.suffix)), p.name, p.facts)
                          for p in map(copies.stored, copies.peers_of(item.file_hash)))
            out.append((item, replace(task, peers=peers)))
        return out

    def _partners(self, recorded: Iterable[tuple[Item, Checked]]) -> dict[str, tuple[Item, Task]]:
        """Reports to check again now that their other year is in the store: this run's reports
        checked without last year's, and next year's reports of the same agencies."""
        again: dict[str, tuple[Item, Task]] = {}
        for item, checked in recorded:
            meta = checked.result.meta
            agency, year = meta.get("agency"), meta.get("year")
            if checked.result.error or not agency or year is None:
                continue
            if checked.task.previous is None:
                previous = self._previous(agency, year)
                if previous is not None:
                    facts = _kept_facts(item.name, meta)
                    again[item.file_hash] = (item, Task(item.file_hash, self._path(item), item.name, facts, previous))
            for later in _reports_of(self.store, agency, year + 1):
                file_hash, suffix, name, later_meta = later
                if file_hash in again:
                    continue
                later_item = Item(file_hash, suffix, name, facts=_kept_facts(name, later_meta))
                again[file_hash] = (later_item, Task(file_hash, self._path(later_item), name, later_item.facts,
                                                     self._previous(agency, year + 1)))
        return again


@dataclass(frozen=True)
class _Stored:
    """A stored report as a check needs it: where its file is, whose it is, the facts it was
    imported with."""

    file_hash: str
    suffix: str
    name: str
    agency: str
    year: int
    facts: Optional[ManifestRow]


class _Copies:
    """The candidate copies among the stored reports of some years, found as a batch finds them
    (fingerprints banded for LSH, checker.batch.pairing.candidate_peers): per report, up to a
    few other agencies' reports of its year whose text likely contains most of its own."""

    def __init__(self, store: Store, rule: Optional[PeerRule], same_agency_suffixes: Sequence[str],
                 years: Iterable[int]) -> None:
        self.store = store
        self.prints: dict[str, tuple[queries.CopyPrint, int]] = {}
        self.candidates: dict[str, tuple[str, ...]] = {}
        if rule is None:
            return
        for year in sorted(years):
            entries = []
            for found in queries.copy_prints(store, year):
                self.prints[found.file_hash] = (found, year)
                entries.append(IndexEntry(file=found.file_hash, agency=found.agency, year=year,
                                          fingerprint=Fingerprint(slots=found.slots, size=found.size)))
            self.candidates.update(candidate_peers(entries, rule.threshold, same_agency_suffixes))

    def involving(self, fresh: set[str]) -> list[str]:
        """The reports with candidates of which they or one of their candidates is ``fresh``."""
        return sorted(h for h, peers in self.candidates.items() if h in fresh or not fresh.isdisjoint(peers))

    def peers_of(self, file_hash: str) -> tuple[str, ...]:
        return self.candidates.get(file_hash, ())

    def stored(self, file_hash: str) -> _Stored:
        found, year = self.prints[file_hash]
        result = queries.stored_result(self.store, found.id)
        return _Stored(found.file_hash, found.suffix, found.name, found.agency, year,
                       _kept_facts(found.name, result.meta if result else {}))


def _reports_of(store: Store, agency: str, year: int) -> list[tuple[str, str, str, dict]]:
    out = []
    for report_id, file_hash, suffix, name in queries.reports_of_agency_year(store, agency, year):
        result = queries.stored_result(store, report_id)
        out.append((file_hash, suffix, name, dict(result.meta) if result else {}))
    return out


def _kept_facts(name: str, meta: dict) -> Optional[ManifestRow]:
    """The facts a manifest (or the user) gave at import, recovered from a stored result: a
    re-check must judge the same facts."""
    sources = meta.get("sources") or {}
    given = {fact: meta.get(fact) for fact, origin in sources.items() if origin in FACT_ORIGINS_KEPT}
    if not given:
        return None
    return ManifestRow(file=name, key=name, origin="导入时的清单", agency=given.get("agency"),
                       kind=given.get("agency_kind"), year=given.get("year"), published=given.get("published"))
