"""Reading the store: the views of the workspace as plain rows and dataclasses (no markup).

Every list a person can filter goes through ``Filter``: year, region (with the regions under
it), kind, grade, a failed rule, and words searched in agency, title and file name. Sorting
takes only the keys of ``SORTS``: a query never contains text from a request."""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any, Optional

from ..results import SEVERITIES
from . import Store, codec, ingest
from .ingest import MILLI

PAGE_SIZE = 50
TRIGRAM = 3  # words this long are looked up in the trigram index
# sort key -> ORDER BY terms (descending variant chosen by Filter.descending); ties by id
SORTS: dict[str, str] = {
    "rank": "r.rank {dir} NULLS LAST",
    "score": "r.score {dir} NULLS LAST",
    "agency": "a.name {dir} NULLS LAST",
    "region": "g.path {dir} NULLS LAST",
    "kind": "r.kind {dir} NULLS LAST",
    "year": "r.year {dir} NULLS LAST",
    "published": "r.published {dir} NULLS LAST",
    "coverage": "r.coverage {dir} NULLS LAST",
    "failed": "(r.fail_critical * 1000000 + r.fail_high * 10000 + r.fail_medium * 100 + r.fail_low) {dir}",
    "name": "r.name {dir}",
}


@dataclass(frozen=True)
class Filter:
    year: Optional[int] = None
    region: Optional[str] = None
    kind: Optional[str] = None
    grade: Optional[str] = None
    rule: Optional[str] = None
    q: Optional[str] = None
    agency: Optional[int] = None
    sort: str = "score"
    descending: bool = True
    page: int = 1
    per_page: int = PAGE_SIZE

    def where(self) -> tuple[str, list[Any]]:
        terms: list[str] = []
        args: list[Any] = []
        if self.year is not None:
            terms.append("r.year = ?")
            args.append(self.year)
        if self.region:
            terms.append("r.agency_id IN (SELECT a2.id FROM agencies a2 JOIN regions g2 ON g2.id = a2.region_id"
                         " WHERE g2.path = ? OR g2.path LIKE ? ESCAPE '\\')")
            args += [self.region, _like_prefix(self.region) + "/%"]
        if self.kind:
            terms.append("r.kind = ?")
            args.append(self.kind)
        if self.grade:
            if self.grade == "-":
                terms.append("r.grade IS NULL")
            else:
                terms.append("r.grade = ?")
                args.append(self.grade)
        if self.rule:
            # '+': a filter on the rows the other terms found, never an index probe per listed id
            in_year = " AND year = ?" if self.year is not None else ""
            terms.append(f"+r.id IN (SELECT report_id FROM results WHERE rule = ? AND status = 'fail'{in_year})")
            args += [self.rule] + ([self.year] if self.year is not None else [])
        if self.agency is not None:
            terms.append("r.agency_id = ?")
            args.append(self.agency)
        for word in (self.q or "").lower().split()[:5]:
            if len(word) >= TRIGRAM:
                terms.append("+r.id IN (SELECT rowid FROM reports_search WHERE reports_search MATCH ?)")
                args.append('"' + word.replace('"', '""') + '"')
            else:  # too short for the trigram index: read the column
                terms.append("r.search LIKE ? ESCAPE '\\'")
                args.append("%" + _like_prefix(word) + "%")
        return (" WHERE " + " AND ".join(terms)) if terms else "", args

    def order(self) -> str:
        template = SORTS.get(self.sort, SORTS["score"])
        return template.format(dir="DESC" if self.descending else "ASC") + ", r.id"

    def joins(self) -> str:
        """The joins the order needs (the filters never do)."""
        if self.sort == "agency":
            return " LEFT JOIN agencies a ON a.id = r.agency_id"
        if self.sort == "region":
            return " LEFT JOIN agencies a ON a.id = r.agency_id LEFT JOIN regions g ON g.id = a.region_id"
        return ""


def _like_prefix(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def to_decimal(value: Optional[int]) -> Optional[Decimal]:
    """A stored thousandths integer as the Decimal it stands for (87500 → 87.5)."""
    return None if value is None else (Decimal(value) / MILLI).normalize()


@dataclass(frozen=True)
class RankingRow:
    id: int
    rank: Optional[int]
    file: str
    agency: Optional[str]
    agency_id: Optional[int]
    region: Optional[str]
    kind: Optional[str]
    year: Optional[int]
    published: Optional[date]
    published_source: Optional[str]
    score: Optional[Decimal]
    checked_score: Optional[Decimal]
    grade: Optional[str]
    coverage: Optional[Decimal]
    failures: tuple[int, ...]
    waived: int
    error: Optional[str]
    title: Optional[str]
    failed_rules: tuple[str, ...] = ()

    @property
    def failed(self) -> int:
        return sum(self.failures)


_ROW_SQL = ("SELECT r.id, r.rank, r.name, a.name AS agency, r.agency_id, g.path AS region, r.kind, r.year,"
            " r.published, r.published_source, r.score, r.checked_score, r.grade, r.coverage, r.fail_critical,"
            " r.fail_high, r.fail_medium, r.fail_low, r.fail_info, r.waived, r.error, r.title"
            " FROM reports r LEFT JOIN agencies a ON a.id = r.agency_id LEFT JOIN regions g ON g.id = a.region_id")


def _row(row: sqlite3.Row) -> RankingRow:
    return RankingRow(
        id=row["id"], rank=row["rank"], file=row["name"], agency=row["agency"], agency_id=row["agency_id"],
        region=row["region"], kind=row["kind"], year=row["year"],
        published=date.fromisoformat(row["published"]) if row["published"] else None,
        published_source=row["published_source"], score=to_decimal(row["score"]),
        checked_score=to_decimal(row["checked_score"]), grade=row["grade"], coverage=to_decimal(row["coverage"]),
        failures=tuple(row["fail_" + s] for s in SEVERITIES), waived=row["waived"], error=row["error"],
        title=row["title"])


@dataclass(frozen=True)
class Page:
    rows: list[RankingRow]
    total: int
    filter: Filter

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.filter.per_page))


def ranking(store: Store, wanted: Filter) -> Page:
    """One page of the filter. The page's ids are chosen on the reports alone (an index holds
    year, score, kind, grade and agency), and only those rows are then joined with their
    agency and region: a page deep in 100,000 reports costs what the first one does."""
    where, args = wanted.where()
    db = store.db
    total = db.execute(f"SELECT COUNT(*) FROM reports r{where}", args).fetchone()[0]
    page = min(max(wanted.page, 1), max(1, -(-total // wanted.per_page)))
    ids = [row[0] for row in db.execute(
        f"SELECT r.id FROM reports r{wanted.joins()}{where} ORDER BY {wanted.order()} LIMIT ? OFFSET ?",
        args + [wanted.per_page, (page - 1) * wanted.per_page])]
    return Page(rows=_rows(db, ids), total=total, filter=replace(wanted, page=page))


def _rows(db: sqlite3.Connection, ids: list[int]) -> list[RankingRow]:
    """The rows of these reports, in this order."""
    if not ids:
        return []
    found = {row["id"]: _row(row) for row in db.execute(
        f"{_ROW_SQL} WHERE r.id IN ({', '.join('?' for _ in ids)})", ids)}
    return [found[i] for i in ids]


def export_rows(store: Store, wanted: Filter) -> list[RankingRow]:
    """Every row of the filter in ranking order, with the rules each failed (for the workbook
    and the notice)."""
    where, args = wanted.where()
    rows = [_row(r) for r in store.db.execute(f"{_ROW_SQL}{where} ORDER BY {wanted.order()}", args)]
    failed: dict[int, list[str]] = {}
    ids = [r.id for r in rows]
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for report, rule in store.db.execute(
                f"SELECT report_id, rule FROM results WHERE status = 'fail' AND report_id IN"
                f" ({', '.join('?' for _ in chunk)}) ORDER BY report_id, rule", chunk):
            failed.setdefault(report, []).append(rule)
    return [replace(r, failed_rules=tuple(failed.get(r.id, ()))) for r in rows]


# --------------------------------------------------------------------------- choices for the filters


def years(store: Store) -> list[tuple[Optional[int], int]]:
    return [(r[0], r[1]) for r in store.db.execute(
        "SELECT year, COUNT(*) FROM reports GROUP BY year ORDER BY year IS NULL, year DESC")]


def regions(store: Store) -> list[str]:
    return [r[0] for r in store.db.execute("SELECT path FROM regions ORDER BY path")]


def region_choices(store: Store, current: Optional[str]) -> list[str]:
    """The regions a filter offers: the top level, and the regions under each region on the way
    to the current one (a tree opened along one path, not thousands of counties at once)."""
    chain = [c for c in (current or "").split("/") if c]
    parents = [None] + ["/".join(chain[:depth + 1]) for depth in range(len(chain))]
    out: list[str] = []
    for parent in parents:
        if parent is None:
            rows = store.db.execute("SELECT path FROM regions WHERE parent_id IS NULL ORDER BY path")
        else:
            rows = store.db.execute("SELECT c.path FROM regions c JOIN regions p ON p.id = c.parent_id"
                                    " WHERE p.path = ? ORDER BY c.path", (parent,))
        out += [r[0] for r in rows]
    return sorted(set(out))


def _within(path: Optional[str], region: Optional[str]) -> Optional[str]:
    """The part of ``path`` one level below ``region`` (None: the top level), or "" when the path
    is not under it."""
    if path is None:
        return None
    names = path.split("/")
    prefix = [c for c in (region or "").split("/") if c]
    if names[:len(prefix)] != prefix:
        return ""
    return "/".join(names[:len(prefix) + 1])


# --------------------------------------------------------------------------- the year dashboard


@dataclass(frozen=True)
class Group:
    """Reports of one region or kind: how many, their mean score and grade counts."""

    key: Optional[str]
    reports: int
    mean: Optional[Decimal]
    grades: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Dashboard:
    year: Optional[int]
    reports: int
    errors: int
    ungraded: int
    mean: Optional[Decimal]
    grades: dict[str, int]
    scores: list[Decimal]
    failed_rules: list[tuple[str, int]]
    by_region: list[Group]
    by_kind: list[Group]
    waived: int
    stale_reviews: int
    region: Optional[str] = None  # the regions compared are the ones under this one


def _mean(total: Optional[int], count: int) -> Optional[Decimal]:
    if not count or total is None:
        return None
    return (Decimal(total) / MILLI / count).quantize(Decimal("0.1"))


def _groups(rows: Any, key: Any = lambda k: k) -> list[Group]:
    """(key, grade, reports, sum of scores, scored reports) rows summed per ``key(k)``."""
    groups: dict[Optional[str], dict[str, Any]] = {}
    for k, grade, count, total, scored in rows:
        group = key(k)
        if group == "":
            continue
        entry = groups.setdefault(group, {"reports": 0, "sum": 0, "scored": 0, "grades": {}})
        entry["reports"] += count
        entry["sum"] += total or 0
        entry["scored"] += scored
        if grade:
            entry["grades"][grade] = entry["grades"].get(grade, 0) + count
    return [Group(key=k, reports=v["reports"], mean=_mean(v["sum"], v["scored"]), grades=v["grades"])
            for k, v in sorted(groups.items(), key=lambda item: (item[0] is None, item[0] or ""))]


def dashboard(store: Store, year: Optional[int], region: Optional[str] = None, top_rules: int = 15) -> Dashboard:
    """The year's figures, each from an index (no report row is read but for the groups by
    region); regions are compared one level below ``region`` (None: the top level)."""
    db = store.db
    year_term, args = "r.year IS ?", [year]
    reports, total, scored = db.execute(f"SELECT COUNT(*), SUM(r.score), COUNT(r.score) FROM reports r"
                                        f" WHERE {year_term}", args).fetchone()
    errors = db.execute(f"SELECT COUNT(*) FROM reports r WHERE {year_term} AND r.error IS NOT NULL", args).fetchone()[0]
    waived = db.execute(f"SELECT SUM(r.waived) FROM reports r WHERE {year_term} AND r.waived > 0", args).fetchone()[0]
    grades = {row[0]: row[1] for row in db.execute(
        f"SELECT r.grade, COUNT(*) FROM reports r WHERE {year_term} AND r.grade IS NOT NULL GROUP BY r.grade", args)}
    scores: list[Decimal] = []
    for value, count in db.execute(f"SELECT r.score, COUNT(*) FROM reports r WHERE {year_term}"
                                   f" AND r.score IS NOT NULL GROUP BY r.score", args):
        scores += [to_decimal(value)] * count  # type: ignore[list-item]
    failed = [(row[0], row[1]) for row in db.execute(
        "SELECT rule, COUNT(*) AS n FROM results WHERE year IS ? AND status = 'fail' GROUP BY rule"
        " ORDER BY n DESC, rule LIMIT ?", args + [top_rules])]
    stale = db.execute(f"SELECT COUNT(*) FROM reviews v JOIN reports r ON r.id = v.report_id"
                       f" WHERE v.stale IS NOT NULL AND {year_term}", args).fetchone()[0]
    return Dashboard(
        year=year, reports=reports, errors=errors, ungraded=reports - scored, mean=_mean(total, scored),
        grades=grades, scores=scores, failed_rules=failed,
        by_region=_groups(db.execute(
            f"SELECT g.path, r.grade, COUNT(*), SUM(r.score), COUNT(r.score) FROM reports r LEFT JOIN agencies a"
            f" ON a.id = r.agency_id LEFT JOIN regions g ON g.id = a.region_id WHERE {year_term}"
            f" GROUP BY g.id, r.grade", args), key=lambda path: _within(path, region)),
        by_kind=_groups(db.execute(f"SELECT r.kind, r.grade, COUNT(*), SUM(r.score), COUNT(r.score) FROM reports r"
                                   f" WHERE {year_term} GROUP BY r.kind, r.grade", args)),
        waived=waived or 0, stale_reviews=stale, region=region)


# --------------------------------------------------------------------------- one report


@dataclass(frozen=True)
class Review:
    rule: str
    fingerprint: str
    decision: str
    note: str
    reviewer: str
    decided_at: str
    stale: Optional[str]


@dataclass(frozen=True)
class ReportView:
    row: RankingRow
    file_hash: str
    suffix: str
    result: Any  # ReportResult as checked (before reviews)
    effective: dict[str, str]  # rule -> status after reviews (failed, waived, not assessable, erred)
    fingerprints: dict[str, str]
    tables: Optional[dict[str, Any]]
    reviews: dict[str, Review]
    run: dict[str, Any]
    history: list[tuple[dict[str, Any], Optional[Decimal], Optional[str]]]


def _reviews(db: sqlite3.Connection, report: int) -> dict[str, Review]:
    return {r["rule"]: Review(rule=r["rule"], fingerprint=r["fingerprint"], decision=r["decision"], note=r["note"],
                              reviewer=r["reviewer"], decided_at=r["decided_at"], stale=r["stale"])
            for r in db.execute("SELECT * FROM reviews WHERE report_id = ? ORDER BY rule", (report,))}


def report(store: Store, report_id: int) -> Optional[ReportView]:
    db = store.db
    row = db.execute(f"{_ROW_SQL} WHERE r.id = ?", (report_id,)).fetchone()
    if row is None:
        return None
    stored = db.execute("SELECT c.result, c.tables, r.file_hash, f.suffix, c.run_id FROM checks c"
                        " JOIN reports r ON r.id = c.report_id JOIN files f ON f.hash = r.file_hash"
                        " WHERE c.report_id = ?", (report_id,)).fetchone()
    results = db.execute("SELECT rule, status, fingerprint FROM results WHERE report_id = ?", (report_id,)).fetchall()
    run = db.execute("SELECT * FROM runs WHERE id = ?", (stored["run_id"],)).fetchone()
    history = [(dict(r), to_decimal(r["score"]), r["grade"]) for r in db.execute(
        "SELECT u.id, u.started_at, u.origin, u.pack_hash, u.profile, s.score, s.grade FROM scores s"
        " JOIN runs u ON u.id = s.run_id WHERE s.report_id = ? ORDER BY u.id", (report_id,))]
    return ReportView(
        row=_row(row), file_hash=stored["file_hash"], suffix=stored["suffix"], result=codec.decode(stored["result"]),
        effective={r["rule"]: r["status"] for r in results},
        fingerprints={r["rule"]: r["fingerprint"] for r in results if r["fingerprint"]},
        tables=codec.decode_json(stored["tables"]) if stored["tables"] is not None else None,
        reviews=_reviews(db, report_id), run=dict(run) if run else {}, history=history)


def stored_file(store: Store, report_id: int) -> Optional[tuple[str, str, str]]:
    """(hash, suffix, delivered name) of a report's file."""
    row = store.db.execute("SELECT r.file_hash, f.suffix, r.name FROM reports r JOIN files f ON f.hash = r.file_hash"
                           " WHERE r.id = ?", (report_id,)).fetchone()
    return (row[0], row[1], row[2]) if row else None


# --------------------------------------------------------------------------- agencies


@dataclass(frozen=True)
class AgencyView:
    id: int
    name: str
    kind: Optional[str]
    region: Optional[str]
    parent: Optional[tuple[int, str]]
    children: list[tuple[int, str]]
    reports: list[RankingRow]  # oldest year first
    figures: dict[int, dict[str, Optional[Decimal]]]  # report id -> figure -> value
    missing_figures: list[int]  # reports whose tables were not kept yet


def agency(store: Store, agency_id: int) -> Optional[AgencyView]:
    db = store.db
    row = db.execute("SELECT a.*, g.path AS region, p.name AS parent_name FROM agencies a"
                     " LEFT JOIN regions g ON g.id = a.region_id LEFT JOIN agencies p ON p.id = a.parent_id"
                     " WHERE a.id = ?", (agency_id,)).fetchone()
    if row is None:
        return None
    reports = [_row(r) for r in db.execute(f"{_ROW_SQL} WHERE r.agency_id = ? ORDER BY r.year, r.id", (agency_id,))]
    figures: dict[int, dict[str, Optional[Decimal]]] = {}
    for report_id, name, value in db.execute(
            "SELECT f.report_id, f.name, f.value FROM figures f JOIN reports r ON r.id = f.report_id"
            " WHERE r.agency_id = ?", (agency_id,)):
        figures.setdefault(report_id, {})[name] = Decimal(value) if value is not None else None
    missing = [r[0] for r in db.execute(
        "SELECT r.id FROM reports r JOIN checks c ON c.report_id = r.id WHERE r.agency_id = ? AND c.tables IS NULL"
        " AND r.error IS NULL", (agency_id,))]
    children = [(r[0], r[1]) for r in db.execute("SELECT id, name FROM agencies WHERE parent_id = ? ORDER BY name",
                                                 (agency_id,))]
    return AgencyView(id=row["id"], name=row["name"], kind=row["kind"], region=row["region"],
                      parent=(row["parent_id"], row["parent_name"]) if row["parent_id"] else None,
                      children=children, reports=reports, figures=figures, missing_figures=missing)


# --------------------------------------------------------------------------- rules


@dataclass(frozen=True)
class RuleUsage:
    counts: dict[str, int]  # fail, waived, not_assessable, error
    checked: int  # reports checked in the scope (the rest passed or did not apply)
    failing: list[RankingRow]
    total_failing: int

    @property
    def others(self) -> int:
        return self.checked - sum(self.counts.values())


def rule_usage(store: Store, rule: str, year: Optional[int], limit: int = 50) -> RuleUsage:
    db = store.db
    year_term, args = ("", []) if year is None else (" AND r.year = ?", [year])
    counts = {row[0]: row[1] for row in db.execute(
        f"SELECT s.status, COUNT(*) FROM results s WHERE s.rule = ?{year_term.replace('r.year', 's.year')}"
        f" GROUP BY s.status", [rule] + args)}
    checked = db.execute(f"SELECT COUNT(*) FROM reports r WHERE r.error IS NULL{year_term}", args).fetchone()[0]
    failing = ranking(store, Filter(year=year, rule=rule, per_page=limit))
    return RuleUsage(counts=counts, checked=checked, failing=failing.rows, total_failing=failing.total)


def review_waivers(store: Store, report_id: int) -> list[Any]:
    """The waivers of this report's holding dismissals and waivers (checker.engine.waivers)."""
    return ingest.review_waivers(store.db, report_id)


def stored_result(store: Store, report_id: int) -> Any:
    row = store.db.execute("SELECT result FROM checks WHERE report_id = ?", (report_id,)).fetchone()
    return codec.decode(row[0]) if row else None


# --------------------------------------------------------------------------- runs


def runs(store: Store, limit: int = 10) -> list[dict[str, Any]]:
    return [dict(r) for r in store.db.execute("SELECT * FROM runs ORDER BY id DESC LIMIT ?", (limit,))]


def active_runs(store: Store) -> list[dict[str, Any]]:
    return [dict(r) for r in store.db.execute("SELECT * FROM runs WHERE state = 'running' ORDER BY id")]


def stale_reviews(store: Store, limit: int = 100) -> list[dict[str, Any]]:
    return [dict(r) for r in store.db.execute(
        "SELECT v.*, r.name, a.name AS agency, r.year FROM reviews v JOIN reports r ON r.id = v.report_id"
        " LEFT JOIN agencies a ON a.id = r.agency_id WHERE v.stale IS NOT NULL ORDER BY v.decided_at DESC LIMIT ?",
        (limit,))]


def all_reports(store: Store) -> list[tuple[int, str, str, str]]:
    """(id, file hash, suffix, name) of every report: what a re-check goes over."""
    return [(r[0], r[1], r[2], r[3]) for r in store.db.execute(
        "SELECT r.id, r.file_hash, f.suffix, r.name FROM reports r JOIN files f ON f.hash = r.file_hash ORDER BY r.id")]


def previous_report(store: Store, agency_name: Optional[str], year: Optional[int]) -> Optional[tuple[str, str, str]]:
    """The same agency's report of the year before (hash, suffix, name), for the cross-year rules."""
    if not agency_name or year is None:
        return None
    row = store.db.execute("SELECT r.file_hash, f.suffix, r.name FROM reports r JOIN agencies a ON a.id = r.agency_id"
                           " JOIN files f ON f.hash = r.file_hash WHERE a.name = ? AND r.year = ? AND r.error IS NULL"
                           " ORDER BY r.id DESC LIMIT 1", (agency_name, year - 1)).fetchone()
    return (row[0], row[1], row[2]) if row else None


@dataclass(frozen=True)
class CopyPrint:
    """A report of a year with the fingerprint of the text the copy rule compares."""

    id: int
    file_hash: str
    suffix: str
    name: str
    agency: str
    slots: bytes
    size: int


def copy_prints(store: Store, year: int) -> list[CopyPrint]:
    """The fingerprinted reports of a year that were read, in the order they were added."""
    return [CopyPrint(*row) for row in store.db.execute(
        "SELECT r.id, r.file_hash, f.suffix, r.name, a.name, r.copy_slots, r.copy_size FROM reports r"
        " JOIN agencies a ON a.id = r.agency_id JOIN files f ON f.hash = r.file_hash"
        " WHERE r.year = ? AND r.error IS NULL AND r.copy_slots IS NOT NULL ORDER BY r.id", (year,))]


def reports_of_agency_year(store: Store, agency_name: str, year: int) -> list[tuple[int, str, str, str]]:
    """(id, file hash, suffix, name) of an agency's reports of one year."""
    return [(r[0], r[1], r[2], r[3]) for r in store.db.execute(
        "SELECT r.id, r.file_hash, f.suffix, r.name FROM reports r JOIN agencies a ON a.id = r.agency_id"
        " JOIN files f ON f.hash = r.file_hash WHERE a.name = ? AND r.year = ? AND r.error IS NULL",
        (agency_name, year))]
