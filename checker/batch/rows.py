"""What a batch keeps in memory per report: one small summary row (the full results go to
results.jsonl as soon as a report is checked), and per rule a count of each status."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Iterable, Optional

from ..results import SEVERITIES, STATUSES, ReportResult


@dataclass(frozen=True)
class SummaryRow:
    position: int  # the report's line in results.jsonl, from 0
    file: str
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

    @property
    def failed(self) -> int:
        return sum(self.failures)


def summary_row(result: ReportResult, position: int = -1) -> SummaryRow:
    meta = result.meta
    card = result.score
    failures = card.failures if card is not None else {}
    return SummaryRow(
        position=position, file=result.source, agency=meta.get("agency"), kind=meta.get("agency_kind"),
        year=meta.get("year"), published=meta.get("published"),
        score=card.score if card is not None else None, grade=card.grade if card is not None else None,
        coverage=card.coverage if card is not None and not result.error else None,
        failures=tuple(failures.get(s, 0) for s in SEVERITIES),
        failed_rules=tuple(r.rule for r in result.results if r.status == "fail"),
        error=result.error, title=meta.get("title"),
    )


def placed(row: SummaryRow, position: int) -> SummaryRow:
    return replace(row, position=position)


def ranked(rows: Iterable[SummaryRow]) -> list[tuple[Optional[int], SummaryRow]]:
    """Best score first; equal scores share a rank (1, 2, 2, 4); reports without a score (not
    readable, or too little could be assessed) come last, unranked. Ties are listed by file so
    the order never depends on which worker finished first."""
    scored = sorted((r for r in rows if r.score is not None), key=lambda r: (-r.score, r.file))  # type: ignore[operator]
    unscored = sorted((r for r in rows if r.score is None), key=lambda r: r.file)
    out: list[tuple[Optional[int], SummaryRow]] = []
    rank = 0
    for index, row in enumerate(scored):
        if index == 0 or row.score != scored[index - 1].score:
            rank = index + 1
        out.append((rank, row))
    out.extend((None, row) for row in unscored)
    return out


class RuleTally:
    """Per rule, how many reports ended in each status."""

    def __init__(self) -> None:
        self.counts: Counter[tuple[str, str]] = Counter()

    def add(self, statuses: Iterable[tuple[str, str]]) -> None:
        self.counts.update(statuses)

    def of(self, rule: str) -> dict[str, int]:
        return {status: self.counts.get((rule, status), 0) for status in STATUSES}

    def most_failed(self, limit: int) -> list[tuple[str, int]]:
        fails = [(rule, n) for (rule, status), n in self.counts.items() if status == "fail" and n]
        return sorted(fails, key=lambda item: (-item[1], item[0]))[:limit]
