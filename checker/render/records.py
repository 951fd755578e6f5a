"""The rows an office's tables are made of, taken from report objects in the public JSON form
(what ``xxgk check --format json`` writes per report, one line of results.jsonl expanded):

- ``SummaryRow``: one per report (score, grade, failures per severity, the reason it could not
  be checked), what a ranking, the workbook's 汇总 sheet and the notice list;
- ``FindingRow``: one per finding that is not a pass (fail, not assessable, error, and any
  status added later such as waived), what the workbook's 问题明细 sheet and the notice quote;
- ``ranked``: rows in ranking order, each year on its own (reports of different years are
  never ranked together);
- ``RuleTally``: per rule, how many reports ended in each status.

The batch builds them as reports are checked; the workbook and notice writers and the web app
build them from any sequence of report objects, so nothing here depends on a batch."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal
from functools import lru_cache
from operator import attrgetter
from typing import Any, Iterable, Iterator, Mapping, Optional, TypeVar

from ..formats import get_format
from ..messages import label
from ..model import Source
from ..results import SEVERITIES, STATUSES

T = TypeVar("T")

# statuses a finding row is not made for: the rule held, or did not concern the report
QUIET_STATUSES = ("pass", "not_applicable")


@dataclass(frozen=True, slots=True)
class SummaryRow:
    id: str  # the report's stable id (the link #report-<id>, the page reports/<id>.html)
    file: str  # as shown: relative to the batch root
    agency: Optional[str]
    kind: Optional[str]  # government | department | other
    year: Optional[int]
    published: Optional[date]
    score: Optional[Decimal]
    grade: Optional[str]
    coverage: Optional[Decimal]
    failures: tuple[int, ...]  # per severity, in SEVERITIES order
    failed_rules: tuple[str, ...]
    error: Optional[str]
    title: Optional[str] = None
    region: Optional[str] = None
    grade_en: Optional[str] = None  # the grade's English name, when the profile gives one
    waived_rules: tuple[str, ...] = ()  # the findings an office accepted (status waived)
    waivers: tuple["WaiverRow", ...] = ()  # the waivers applied to the report

    @property
    def failed(self) -> int:
        return sum(self.failures)

    def __reduce__(self) -> tuple[Any, ...]:
        return _rebuilt(self)

    def grade_in(self, lang: str) -> Optional[str]:
        return self.grade_en if lang == "en" and self.grade_en and self.grade else self.grade


@dataclass(frozen=True, slots=True)
class WaiverRow:
    """A waiver applied to a report (results.AppliedWaiver in the public JSON form)."""

    rules: tuple[str, ...]
    reason: str
    approved_by: str
    expires: Optional[str]
    source: str

    def __reduce__(self) -> tuple[Any, ...]:
        return _rebuilt(self)

    def text(self, lang: str = "zh") -> str:
        """As the scorecards say it: rules, reason, approver, expiry, where it is written."""
        sep, colon = label("list_sep", lang), label("colon", lang)
        until = f"{label('sep', lang)}{label('expires', lang)} {self.expires}" if self.expires else ""
        where = f"{label('sep', lang)}{self.source}" if self.source else ""
        open_, close = ("（", "）") if lang == "zh" else (" (", ")")
        return (f"{sep.join(self.rules)}{colon}{self.reason}{open_}{label('approved_by', lang)}{colon}"
                f"{self.approved_by}{until}{where}{close}")


def waiver_rows(report: Mapping[str, Any]) -> tuple[WaiverRow, ...]:
    return tuple(WaiverRow(rules=tuple(w.get("rules") or ()), reason=w.get("reason", ""),
                           approved_by=w.get("approved_by", ""),
                           expires=str(w["expires"]) if w.get("expires") else None, source=w.get("source", ""))
                 for w in report.get("waivers") or ())


@dataclass(frozen=True, slots=True)
class FindingRow:
    """One finding as a line of a table; ``report`` is the report's id."""

    report: str
    rule: str
    title: str
    severity: str
    status: str
    message: str
    evidence: str  # the first piece of evidence as text (a quoted sentence, a cell)
    location: str  # where it is: 第12行, 第3页, 表2 第4行第5列, the table cell

    def __reduce__(self) -> tuple[Any, ...]:
        return _rebuilt(self)


def _rebuilt(row: Any) -> tuple[Any, ...]:
    """How a row is pickled (every row goes from a batch's worker to its parent, the findings
    on to a spool): its class and its fields in order, where a slotted dataclass's own
    __getstate__ and __setstate__ look its fields up again for every row."""
    return type(row), _FIELDS[type(row)](row)


_FIELDS = {kind: attrgetter(*(f.name for f in fields(kind))) for kind in (SummaryRow, WaiverRow, FindingRow)}


def _date(value: Any) -> Optional[date]:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def _decimal(value: Any) -> Optional[Decimal]:
    if value is None or isinstance(value, Decimal):
        return value
    return Decimal(str(value))


def summary_row(report: Mapping[str, Any], failed_rules: Optional[tuple[str, ...]] = None,
                waived_rules: Optional[tuple[str, ...]] = None) -> SummaryRow:
    """The summary of one report object; ``failed_rules`` and ``waived_rules``, when given, are
    the rules its results failed and those waived (a batch's worker knows them, and its report
    object lacks the results)."""
    meta = report.get("meta") or {}
    failures = report.get("failures") or {}
    year = meta.get("year")
    if failed_rules is None:
        failed_rules = tuple(r["rule"] for r in report.get("results", ()) if r["status"] == "fail")
    if waived_rules is None:
        waived_rules = tuple(r["rule"] for r in report.get("results", ()) if r["status"] == "waived")
    return SummaryRow(
        id=str(report.get("id") or report.get("source", "")), file=report.get("source", ""),
        agency=meta.get("agency"), kind=meta.get("agency_kind"), year=int(year) if year is not None else None,
        published=_date(meta.get("published")), score=_decimal(report.get("score")), grade=report.get("grade"),
        coverage=_decimal(report.get("coverage")) if not report.get("error") else None,
        failures=tuple(int(failures.get(s, 0)) for s in SEVERITIES),
        failed_rules=failed_rules,
        error=report.get("error"), title=meta.get("title"), region=report.get("region"),
        grade_en=report.get("grade_en"),
        waived_rules=waived_rules,
        waivers=waiver_rows(report))


def _column_label(table: Optional[str], column: Optional[str]) -> Optional[str]:
    if table is None or column is None:
        return column
    try:
        return get_format().table(table).column(column).label
    except (StopIteration, KeyError, LookupError):
        return column


def _where(evidence: Mapping[str, Any], lang: str = "zh") -> str:
    """Where a piece of evidence is, in words: 第12行, 第3页, and for a cell its row and column."""
    at = evidence.get("where") or {}
    cell = (evidence.get("label"), evidence.get("row"), evidence.get("table"), evidence.get("col")) \
        if evidence.get("kind") == "cell" else None
    return _place(at.get("line"), at.get("page"), cell, lang)


def _place(line: Any, page: Any, cell: Optional[tuple[Any, Any, Any, Any]], lang: str) -> str:
    """第12行, 第3页, and for a cell ((label, row, table, column)) its name."""
    if type(line) in _NUMBERED and type(page) in _NUMBERED:
        place = _line_and_page(line, page, lang)
    else:  # what a results file written by hand may hold
        place = Source(line=line, page=page).describe(lang)
    if cell is not None:
        name, row, table, col = cell
        address = name or " ".join(  # the cell's name as a person reads it, not its keys
            str(x) for x in (row, _column_label(table, col)) if x)
        place = f"{place} {label('cell', lang)}[{address}]".strip()
    return place


_NUMBERED = (int, type(None))


@lru_cache(maxsize=4096)
def _line_and_page(line: Any, page: Any, lang: str) -> str:
    """第12行, 第3页: the same few hundred positions recur in every report of a batch."""
    return Source(line=line, page=page).describe(lang)


def _evidence_text(evidence: Mapping[str, Any], lang: str = "zh") -> str:
    text = evidence.get("text") or ""
    if evidence.get("kind") == "cell" and not text:
        return _textless_cell(evidence.get("cell_kind"), lang)
    if evidence.get("kind") == "label" and evidence.get("value"):
        should = f"{label('label_should', lang)}「{evidence['value']}」"
        return f"{text}（{should}）" if lang == "zh" else f"{text} ({should})"
    return text


def _textless_cell(kind: Optional[str], lang: str) -> str:
    return label(kind if kind in ("lost", "unplaced") else "blank", lang)


def finding_rows(report: Mapping[str, Any], lang: str = "zh") -> Iterator[FindingRow]:
    """A row per result that is not a pass or not applicable, with its first evidence (in
    ``lang``: the message is the report object's own)."""
    return (FindingRow(*fields) for fields in finding_fields(report, lang))


def finding_fields(report: Mapping[str, Any], lang: str = "zh") -> Iterator[tuple[str, ...]]:
    """finding_rows, each row as the tuple of its fields in order (what a batch's worker sends
    of them: SpooledFindings)."""
    ident = str(report.get("id") or report.get("source", ""))
    for result in report.get("results", ()):
        if result["status"] in QUIET_STATUSES:
            continue
        evidence = result.get("evidence")
        if not evidence:
            for detail in result.get("details") or ():
                if detail["status"] == result["status"] and detail.get("evidence"):
                    evidence = detail["evidence"]
                    break
        first = evidence[0] if evidence else {}
        title = (result.get("title_en") if lang == "en" else None) or result.get("title", "")
        yield (ident, result["rule"], title, result.get("severity", ""), result["status"],
               result.get("message", ""), _evidence_text(first, lang) if first else "",
               _where(first, lang) if first else "")


def finding_of(ident: str, result: Any, message: str, lang: str = "zh") -> tuple[str, ...]:
    """finding_fields' row of a result that is not quiet, from the result itself (a
    results.RuleResult with its ``message`` rendered), where finding_fields reads its report
    object: a batch's worker has the result, and made the object's line without it."""
    status = result.status
    evidence = result.evidence
    if not evidence:
        evidence = next((d.evidence for d in result.details if d.status == status and d.evidence), ())
    title = (result.title_en if lang == "en" else None) or result.title
    if not evidence:
        return (ident, result.rule, title, result.severity, status, message, "", "")
    first = evidence[0]
    return (ident, result.rule, title, result.severity, status, message, _item_text(first, lang),
            _item_place(first, lang))


def _item_text(item: Any, lang: str) -> str:
    """What _evidence_text says of the Evidence's dict (Evidence.as_dict gives a value only for
    a cell, so a label is shown as it is written)."""
    text = item.text or ""
    return _textless_cell(item.cell_kind, lang) if item.kind == "cell" and not text else text


def _item_place(item: Any, lang: str) -> str:
    """What _where says of the Evidence's dict: only the line and page of its position."""
    where = item.where
    if where is None:
        line = page = None
    elif type(where) is Source:
        line, page = where.line, where.page
    else:
        at = where.as_dict()
        line, page = at.get("line"), at.get("page")
    return _place(line, page, (item.label, item.row, item.table, item.col) if item.kind == "cell" else None, lang)


class SpooledFindings:
    """A report's finding rows as the tuples of their fields (finding_fields), pickled as such and
    unpickled as FindingRows: pickling a row by itself calls its __reduce__ for every row, where
    these rows are made in the process that reads them, all in one call."""

    __slots__ = ("fields",)

    def __init__(self, fields: tuple[tuple[str, ...], ...]) -> None:
        self.fields = fields

    def __reduce__(self) -> tuple[Any, ...]:
        return _finding_rows_of, (self.fields,)


def _finding_rows_of(fields: tuple[tuple[str, ...], ...]) -> tuple[FindingRow, ...]:
    return tuple([FindingRow(*row) for row in fields])


def rank_key(row: SummaryRow) -> tuple:
    return (-row.year if row.year is not None else 1, row.score is None,
            -(row.score or 0), row.file)


def ranked(rows: Iterable[SummaryRow]) -> list[tuple[Optional[int], SummaryRow]]:
    """Latest year first, and within a year best score first: equal scores share a rank (1, 2,
    2, 4); reports without a score (not readable, or too little could be assessed) come last
    in their year, unranked. Reports of an unknown year come after every year. Ties are listed
    by file so the order never depends on which worker finished first."""
    return list(ranks((row.year, row.score, row) for row in sorted(rows, key=rank_key)))


def ranks(ordered: Iterable[tuple[Optional[int], Optional[Decimal], T]]) -> Iterator[tuple[Optional[int], T]]:
    """(year, score, item) in ranking order -> (rank, item): the ranks of ``ranked``."""
    year: object = object()
    rank = index = 0
    last: Optional[Decimal] = None
    for item_year, score, item in ordered:
        if item_year != year:
            year, index, last = item_year, 0, None
        if score is None:
            yield None, item
            continue
        index += 1
        if score != last:
            rank, last = index, score
        yield rank, item


class RuleTally:
    """Per rule, how many reports ended in each status."""

    def __init__(self) -> None:
        self.counts: Counter[tuple[str, str]] = Counter()

    def add(self, statuses: Iterable[tuple[str, str]]) -> None:
        self.counts.update(statuses)

    def add_report(self, report: Mapping[str, Any]) -> None:
        self.add((r["rule"], r["status"]) for r in report.get("results", ()))

    def of(self, rule: str) -> dict[str, int]:
        statuses = list(STATUSES) + sorted({s for (_, s) in self.counts} - set(STATUSES))
        return {status: self.counts.get((rule, status), 0) for status in statuses}

    def most_failed(self, limit: int) -> list[tuple[str, int]]:
        fails = [(rule, n) for (rule, status), n in self.counts.items() if status == "fail" and n]
        return sorted(fails, key=lambda item: (-item[1], item[0]))[:limit]
