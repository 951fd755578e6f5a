"""Facts about a report from outside its text: a batch manifest's row, or the command line of
`xxgk check` (--agency, --kind, --year, --published). They replace what was read from the
report, each recording where it came from (Meta.sources), so evidence can say so; the report's
own 落款 date stays known (Meta.signature_date), because a rule about what the report itself
contains must not be satisfied by a date the office supplied.

`check` and `batch` both go through ``supply``: the same facts give the same report model, hence
the same score."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from typing import Optional

from .extract.dates import parse_date
from .extract.meta import agency_kind
from .formats import FormatSpec
from .model import AgencyKind, Report

KINDS: dict[str, AgencyKind] = {
    "government": "government", "人民政府": "government", "政府": "government",
    "department": "department", "部门": "department", "政府部门": "department",
    "other": "other", "其他": "other", "其他机关": "other",
}
_ISO_DATE = re.compile(r"^\s*(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*$")
_YEAR = re.compile(r"^\s*(\d{4})\s*年?度?\s*$")


@dataclass(frozen=True)
class Facts:
    """Known facts about one report; None for what is not known."""

    agency: Optional[str] = None
    kind: Optional[AgencyKind] = None
    year: Optional[int] = None
    published: Optional[date] = None
    # how evidence names where they came from: "清单.csv 第3行", "命令行参数"
    note: str = ""

    def __bool__(self) -> bool:
        return any(v is not None for v in (self.agency, self.kind, self.year, self.published))


def parse_kind(text: str) -> Optional[AgencyKind]:
    return KINDS.get(text.strip().lower())


def parse_year(text: str) -> Optional[int]:
    match = _YEAR.match(text)
    return int(match.group(1)) if match else None


def parse_day(text: str) -> Optional[date]:
    """2025-01-20, 2025/1/20, 2025.1.20 or 2025年1月20日; None for anything else."""
    match = _ISO_DATE.match(text)
    if match:
        try:
            return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            return None
    return parse_date(text)


def supply(report: Report, facts: Facts, origin: str, fmt: FormatSpec) -> Report:
    """The report with the given facts in place of what was read. An agency given without its
    kind decides the kind when the report did not, the way the report's own name would have."""
    if not facts:
        return report
    meta = report.meta
    if facts.agency is not None:
        meta = meta.with_fact("agency", facts.agency, origin)
        if facts.kind is None and meta.agency_kind is None:
            meta = meta.with_fact("agency_kind", agency_kind(facts.agency, fmt), origin)
    if facts.kind is not None:
        meta = meta.with_fact("agency_kind", facts.kind, origin)
    if facts.year is not None:
        meta = meta.with_fact("year", facts.year, origin)
    if facts.published is not None:
        day = facts.published
        where = f"（据{facts.note}）" if facts.note else ""
        meta = meta.with_fact("published", day, origin, published_where=None,
                              published_text=f"发布日期 {day.year}年{day.month}月{day.day}日{where}")
    return replace(report, meta=meta)
