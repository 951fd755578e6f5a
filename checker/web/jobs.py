"""Checking in the background: imports and re-checks queue here and run one after another on a
thread of the server, which hands the files to a pool of worker processes (the batch's
WorkerPool: ordered results, a crashed worker costs one report, never the run) and records each
report as it comes back. Progress lives in the run's row, so every page can show it and the
server stays responsive meanwhile.

A run has two passes. The first checks each file, with last year's report of the same agency
when the store already has it. The second checks again the reports whose partner year arrived
in this run (this year's report and last year's delivered together, or last year's after this
year's), so the cross-year rules see both."""
from __future__ import annotations

import logging
import queue
import threading
from dataclasses import dataclass, field, replace
from typing import Iterable, Optional

from .. import limits
from ..batch.manifest import ManifestRow
from ..batch.pool import WorkerPool
from ..batch.worker import WORKER_DIED
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
            again = self._partners(recorded)
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

    def _partners(self, recorded: Iterable[tuple[Item, Checked]]) -> list[tuple[Item, Task]]:
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
        return list(again.values())


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
