"""Writing into the store: runs, agencies and regions, checked reports (with their results,
key figures and score history), review decisions, and the ranks of a year.

A report is its file: the same bytes delivered twice are one report, checked again. When a
report is checked again its reviews are matched to the new findings by fingerprint: a review
whose finding is the same holds; one whose finding changed or is gone is flagged (``stale``)
and stops applying until a reviewer decides again."""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Iterable, Mapping, Optional

from ..batch.fingerprint import Fingerprint
from ..engine.scoring import Profile
from ..engine.waivers import Waiver, apply_waivers
from ..provenance import Provenance, run_time
from ..results import SEVERITIES, ReportResult
from . import Store, codec
from .findings import DECISIONS, WAIVING, fingerprint, is_finding, key_figures, review_waiver

MILLI = Decimal(1000)
# the statuses a results row is kept for (the filters, charts and reviews ask for these); a
# rule that passed or did not apply is in the report's stored check, not in a row of its own,
# which keeps the table at a few rows per report instead of one per rule
KEPT_STATUSES = ("fail", "waived", "not_assessable", "error")


def milli(value: Optional[Decimal]) -> Optional[int]:
    return None if value is None else int((value * MILLI).to_integral_value())


@dataclass(frozen=True)
class Placement:
    """Where an agency sits, as a manifest or a person says: its region (a path 省/市/县) and
    its superior agency (上级机关)."""

    region: Optional[str] = None
    parent: Optional[str] = None


# --------------------------------------------------------------------------- runs


def start_run(store: Store, provenance: Provenance, origin: str, total: int = 0, note: Optional[str] = None) -> int:
    with store.write() as db:
        cursor = db.execute(
            "INSERT INTO runs (origin, checker_version, pack_hash, format, profile, profile_title, started_at,"
            " state, total, message) VALUES (?, ?, ?, ?, ?, ?, ?, 'running', ?, ?)",
            (origin, provenance.checker_version, provenance.pack_hash, provenance.format, provenance.profile,
             provenance.profile_title, provenance.run_at or run_time(), total, note))
        return int(cursor.lastrowid)


def progress(store: Store, run_id: int, *, done: int = 0, errors: int = 0, total: Optional[int] = None) -> None:
    with store.write() as db:
        db.execute("UPDATE runs SET done = done + ?, errors = errors + ?, total = COALESCE(?, total) WHERE id = ?",
                   (done, errors, total, run_id))


def finish_run(store: Store, run_id: int, state: str = "done", message: Optional[str] = None) -> None:
    with store.write() as db:
        db.execute("UPDATE runs SET state = ?, message = COALESCE(?, message), finished_at = ? WHERE id = ?",
                   (state, message, run_time(), run_id))


def add_file(store: Store, data: bytes, suffix: str) -> str:
    digest = store.files.put(data, suffix)
    with store.write() as db:
        db.execute("INSERT OR IGNORE INTO files (hash, size, suffix, added_at) VALUES (?, ?, ?, ?)",
                   (digest, len(data), suffix, run_time()))
    return digest


def note_files(store: Store, files: Iterable[tuple[str, int, str]]) -> None:
    """Files known by (hash, size, suffix) whose bytes are not in the store's folder (the
    benchmark's synthetic reports): a report may then refer to them."""
    with store.write() as db:
        db.executemany("INSERT OR IGNORE INTO files (hash, size, suffix, added_at) VALUES (?, ?, ?, ?)",
                       [(h, size, suffix, run_time()) for h, size, suffix in files])


# --------------------------------------------------------------------------- regions and agencies


def region_id(db: sqlite3.Connection, path: Optional[str]) -> Optional[int]:
    """The region of a path like 某省/某市/某县, created with its ancestors if new."""
    names = [n.strip() for n in (path or "").replace("／", "/").split("/") if n.strip()]
    parent: Optional[int] = None
    for depth in range(len(names)):
        chain = "/".join(names[:depth + 1])
        row = db.execute("SELECT id FROM regions WHERE path = ?", (chain,)).fetchone()
        if row is None:
            parent = int(db.execute("INSERT INTO regions (path, name, parent_id) VALUES (?, ?, ?)",
                                    (chain, names[depth], parent)).lastrowid)
        else:
            parent = int(row[0])
    return parent


def agency_id(db: sqlite3.Connection, name: Optional[str], kind: Optional[str] = None,
              placement: Placement = Placement()) -> Optional[int]:
    if not name:
        return None
    row = db.execute("SELECT id, kind FROM agencies WHERE name = ?", (name,)).fetchone()
    if row is None:
        found = int(db.execute("INSERT INTO agencies (name, kind) VALUES (?, ?)", (name, kind)).lastrowid)
    else:
        found = int(row["id"])
        if kind and row["kind"] != kind:
            db.execute("UPDATE agencies SET kind = ? WHERE id = ?", (kind, found))
    if placement.region:
        db.execute("UPDATE agencies SET region_id = ? WHERE id = ?", (region_id(db, placement.region), found))
    if placement.parent and placement.parent != name:
        parent = agency_id(db, placement.parent)
        db.execute("UPDATE agencies SET parent_id = ? WHERE id = ?", (parent, found))
    return found


def place_agency(store: Store, agency: int, placement: Placement) -> None:
    """An office's correction of an agency's region or superior (blank clears it)."""
    with store.write() as db:
        region = region_id(db, placement.region) if placement.region else None
        parent = None
        if placement.parent:
            parent = agency_id(db, placement.parent)
            if parent == agency:
                parent = None
        db.execute("UPDATE agencies SET region_id = ?, parent_id = ? WHERE id = ?", (region, parent, agency))


# --------------------------------------------------------------------------- reports


@dataclass(frozen=True)
class Prepared:
    """A checked report made ready for the store: encoded and fingerprinted where it was
    checked (a worker process), so that the writer only writes."""

    file_hash: str
    name: str
    result: ReportResult
    blob: bytes
    tables_blob: Optional[bytes]
    figures: Optional[dict[str, Optional[Decimal]]]
    fingerprints: dict[str, str]
    placement: Placement = Placement()
    copy_print: Optional[Fingerprint] = None  # of the text the copy rule compares


def prepare(file_hash: str, name: str, result: ReportResult, tables: Optional[Mapping[str, Any]] = None,
            placement: Placement = Placement(), copy_print: Optional[Fingerprint] = None) -> Prepared:
    return Prepared(file_hash=file_hash, name=name, result=result, blob=codec.encode(result),
                    tables_blob=codec.encode_json(tables) if tables is not None else None,
                    figures=key_figures(tables) if tables is not None else None,
                    fingerprints={r.rule: fingerprint(r) for r in result.results if is_finding(r)},
                    placement=placement, copy_print=copy_print)


def record(store: Store, *, run_id: int, file_hash: str, name: str, result: ReportResult, profile: Profile,
           tables: Optional[Mapping[str, Any]] = None, placement: Placement = Placement()) -> int:
    """Keep one checked report (its file must have been added) and return its id."""
    return record_many(store, run_id, [prepare(file_hash, name, result, tables, placement)], profile)[0]


def record_many(store: Store, run_id: int, items: Iterable[Prepared], profile: Profile) -> list[int]:
    """Keep checked reports, in one transaction."""
    with store.write() as db:
        return [_record(db, run_id, item, profile) for item in items]


def _record(db: sqlite3.Connection, run_id: int, item: Prepared, profile: Profile) -> int:
    result = item.result
    meta = result.meta
    agency = agency_id(db, meta.get("agency"), meta.get("agency_kind"), item.placement)
    published = meta.get("published")
    sources = meta.get("sources") or {}
    copy_print = item.copy_print
    values = (item.name, agency, meta.get("agency_kind"), meta.get("year"),
              published.isoformat() if published else None, sources.get("published") if published else None,
              meta.get("title"), run_id, result.reader, result.error,
              " ".join(x for x in (meta.get("agency"), meta.get("title"), item.name) if x).lower(),
              copy_print.slots if copy_print is not None else None,
              copy_print.size if copy_print is not None else None)
    row = db.execute("SELECT id FROM reports WHERE file_hash = ?", (item.file_hash,)).fetchone()
    if row is None:
        report = int(db.execute(
            "INSERT INTO reports (name, agency_id, kind, year, published, published_source, title, run_id,"
            " reader, error, search, copy_slots, copy_size, file_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            values + (item.file_hash,)).lastrowid)
        effective = result  # a new report has no reviews yet
    else:
        report = int(row[0])
        db.execute("UPDATE reports SET name = ?, agency_id = ?, kind = ?, year = ?, published = ?,"
                   " published_source = ?, title = ?, run_id = ?, reader = ?, error = ?, search = ?,"
                   " copy_slots = ?, copy_size = ? WHERE id = ?", values + (report,))
        _match_reviews(db, report, item.fingerprints)
        effective = _effective(db, report, result, profile)
    db.execute("INSERT OR REPLACE INTO checks (report_id, run_id, result, tables) VALUES (?, ?, ?, ?)",
               (report, run_id, item.blob, item.tables_blob))
    _write_results(db, report, effective, item.fingerprints, replace=row is not None)
    if item.figures is not None:
        _write_figures(db, report, item.figures)
    card = result.score
    checked = milli(card.score) if card else None
    db.execute("INSERT OR REPLACE INTO scores (report_id, run_id, score, grade) VALUES (?, ?, ?, ?)",
               (report, run_id, checked, card.grade if card else None))
    db.execute("UPDATE reports SET checked_score = ? WHERE id = ?", (checked, report))
    return report


def _match_reviews(db: sqlite3.Connection, report: int, findings: Mapping[str, str]) -> None:
    for review in db.execute("SELECT id, rule, fingerprint FROM reviews WHERE report_id = ?", (report,)).fetchall():
        now = findings.get(review["rule"])
        stale = None if now == review["fingerprint"] else ("gone" if now is None else "changed")
        db.execute("UPDATE reviews SET stale = ? WHERE id = ?", (stale, review["id"]))


def review_waivers(db: sqlite3.Connection, report: int) -> list[Waiver]:
    """The waivers of the holding dismissals and waivers of this report's findings."""
    return [review_waiver(*row) for row in db.execute(
        f"SELECT rule, decision, note, reviewer, decided_at FROM reviews WHERE report_id = ? AND stale IS NULL"
        f" AND decision IN ({_marks(WAIVING)}) ORDER BY rule", (report, *WAIVING))]


def _effective(db: sqlite3.Connection, report: int, result: ReportResult, profile: Profile) -> ReportResult:
    return apply_waivers(result, review_waivers(db, report), profile)


def _marks(items: Iterable[object]) -> str:
    return ", ".join("?" for _ in items)


def _write_results(db: sqlite3.Connection, report: int, result: ReportResult, fingerprints: Mapping[str, str],
                   replace: bool = True) -> None:
    if replace:
        db.execute("DELETE FROM results WHERE report_id = ?", (report,))
    year = result.meta.get("year")
    db.executemany(
        "INSERT INTO results (report_id, rule, status, severity, points, fingerprint, year)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(report, r.rule, r.status, r.severity, milli(r.points), fingerprints.get(r.rule), year)
         for r in result.results if r.status in KEPT_STATUSES])
    card = result.score
    failures = card.failures if card is not None else {}
    db.execute(
        "UPDATE reports SET score = ?, grade = ?, coverage = ?, fail_critical = ?, fail_high = ?, fail_medium = ?,"
        " fail_low = ?, fail_info = ?, waived = ? WHERE id = ?",
        (milli(card.score) if card else None, card.grade if card else None,
         milli(card.coverage) if card is not None and not result.error else None,
         *(failures.get(s, 0) for s in SEVERITIES),
         sum(1 for r in result.results if r.status == "waived"), report))


def _write_figures(db: sqlite3.Connection, report: int, figures: Mapping[str, Optional[Decimal]]) -> None:
    db.execute("DELETE FROM figures WHERE report_id = ?", (report,))
    db.executemany("INSERT INTO figures (report_id, name, value) VALUES (?, ?, ?)",
                   [(report, name, None if value is None else format(value, "f")) for name, value in figures.items()])


def keep_tables(store: Store, report: int, tables: Mapping[str, Any]) -> None:
    """The tables of a report read after the fact (a report imported from a batch's results)."""
    with store.write() as db:
        db.execute("UPDATE checks SET tables = ? WHERE report_id = ?", (codec.encode_json(tables), report))
        _write_figures(db, report, key_figures(tables))


def refresh_ranks(store: Store, years: Iterable[Optional[int]]) -> None:
    """Rank the reports of these years by score, best first; equal scores share a rank."""
    with store.write() as db:
        for year in set(years):
            db.execute("UPDATE reports SET rank = NULL WHERE year IS ? AND score IS NULL", (year,))
            db.execute(
                "UPDATE reports SET rank = ranked.position FROM (SELECT id, RANK() OVER (ORDER BY score DESC)"
                " AS position FROM reports WHERE year IS ? AND score IS NOT NULL) AS ranked"
                " WHERE reports.id = ranked.id", (year,))
    store.db.execute("PRAGMA optimize")  # statistics for the planner, as the data grew


# --------------------------------------------------------------------------- reviews


class ReviewError(ValueError):
    """A decision that cannot be taken (no such finding, unknown decision, no reviewer)."""


def decide(store: Store, report: int, rule: str, decision: str, note: str, reviewer: str,
           profile: Profile) -> None:
    """Record a reviewer's decision on a finding and rescore the report."""
    if decision not in DECISIONS:
        raise ReviewError(f"未知的复核结论：{decision}")
    note, reviewer = note.strip(), reviewer.strip()
    if not reviewer:
        raise ReviewError("请填写复核人")
    if decision in WAIVING and not note:
        raise ReviewError("驳回或豁免须写明理由")
    with store.write() as db:
        row = db.execute("SELECT fingerprint FROM results WHERE report_id = ? AND rule = ? AND fingerprint IS NOT NULL",
                         (report, rule)).fetchone()
        if row is None:
            raise ReviewError(f"这份报告没有 {rule} 的问题")
        now = run_time()
        db.execute(
            "INSERT INTO reviews (report_id, rule, fingerprint, decision, note, reviewer, decided_at, stale)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, NULL) ON CONFLICT (report_id, rule) DO UPDATE SET"
            " fingerprint = excluded.fingerprint, decision = excluded.decision, note = excluded.note,"
            " reviewer = excluded.reviewer, decided_at = excluded.decided_at, stale = NULL",
            (report, rule, row[0], decision, note, reviewer, now))
        db.execute("INSERT INTO review_log (report_id, rule, fingerprint, decision, note, reviewer, decided_at)"
                   " VALUES (?, ?, ?, ?, ?, ?, ?)", (report, rule, row[0], decision, note, reviewer, now))
        _rescore(db, report, profile)
    refresh_ranks(store, [_year(store, report)])


def withdraw(store: Store, report: int, rule: str, profile: Profile) -> None:
    """Take a decision back: the finding is open again."""
    with store.write() as db:
        db.execute("DELETE FROM reviews WHERE report_id = ? AND rule = ?", (report, rule))
        _rescore(db, report, profile)
    refresh_ranks(store, [_year(store, report)])


def _rescore(db: sqlite3.Connection, report: int, profile: Profile) -> None:
    row = db.execute("SELECT result FROM checks WHERE report_id = ?", (report,)).fetchone()
    result = codec.decode(row[0])
    fingerprints = {r.rule: fingerprint(r) for r in result.results if is_finding(r)}
    _write_results(db, report, _effective(db, report, result, profile), fingerprints)


def _year(store: Store, report: int) -> Optional[int]:
    row = store.db.execute("SELECT year FROM reports WHERE id = ?", (report,)).fetchone()
    return row[0] if row else None
