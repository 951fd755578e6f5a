"""The files a batch writes into its output folder.

results.jsonl is written line by line as reports are checked (a batch stopped half way still
leaves the reports it finished); each report's drill-down goes to a scratch file at the same
time. Everything that needs the whole batch (the ranking, the tallies) is written at the end
from the small rows kept in memory: summary.csv, summary.xlsx, rules.csv, and index.html, which
is the overview followed by the scratch file's drill-downs."""
from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Optional

from ..render.html import (failed_rules_chart, grade_counts, index_main, index_tail, page_head, report_holder,
                           score_histogram)
from ..render.summary import RuleLine, write_rules_csv, write_summary_csv, write_summary_xlsx
from ..engine.pack import RulePack
from ..engine.scoring import Profile
from .rows import RuleTally, SummaryRow, placed, ranked
from .worker import Checked

RESULTS = "results.jsonl"
SUMMARY_CSV = "summary.csv"
SUMMARY_XLSX = "summary.xlsx"
RULES_CSV = "rules.csv"
INDEX = "index.html"
_SPOOL = ".index-reports.part"
PAGE_TITLE = "政府信息公开工作年度报告批量检查结果"
FAILED_RULES_SHOWN = 15


class Outputs:
    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.rows: list[SummaryRow] = []
        self.tally = RuleTally()
        self._results = open(folder / RESULTS, "w", encoding="utf-8", newline="\n")
        self._spool = open(folder / _SPOOL, "w", encoding="utf-8", newline="\n")

    def add(self, checked: Checked) -> SummaryRow:
        position = len(self.rows)
        self._results.write(checked.line)
        self._results.write("\n")
        self._spool.write(report_holder(position, checked.fragment))
        row = placed(checked.row, position)
        self.rows.append(row)
        self.tally.add(checked.statuses)
        return row

    def close(self) -> None:
        self._results.close()
        self._spool.close()

    def abandon(self) -> None:
        """After an interruption: keep results.jsonl as far as it got, drop the scratch file."""
        self.close()
        (self.folder / _SPOOL).unlink(missing_ok=True)

    def finish(self, pack: RulePack, profile: Profile, aside: Aside) -> list[Path]:
        """Write the files that need the whole batch. ``aside`` (WorkerPool.aside) runs the
        workbook (openpyxl takes longest) in a worker while this process writes the rest."""
        self.close()
        ranking = ranked(self.rows)
        grades = [g.label for g in profile.grades]
        workbook = aside(write_summary_xlsx, self.folder / SUMMARY_XLSX, ranking, grades)
        write_summary_csv(self.folder / SUMMARY_CSV, ranking)
        rules = [r for r in pack.rules if r.enabled and profile.takes_part(r.id)]
        write_rules_csv(self.folder / RULES_CSV, [
            RuleLine(rule=r.id, title=r.title, category=r.category, severity=profile.severity_of(r.id, r.severity),
                     counts=self.tally.of(r.id)) for r in rules])
        self._write_index(ranking, grades, profile, {r.id: r.title for r in rules})
        workbook()
        return [self.folder / name for name in (INDEX, SUMMARY_XLSX, SUMMARY_CSV, RULES_CSV, RESULTS)]

    def _write_index(self, ranking: list, grades: list[str], profile: Profile, titles: dict[str, str]) -> None:
        scores = [row.score for row in self.rows if row.score is not None]
        errors = sum(1 for row in self.rows if row.error)
        checked = len(self.rows) - errors
        totals: dict[str, object] = {"报告": f"{len(self.rows)} 份", "已检查": f"{checked} 份",
                                     "无法检查": f"{errors} 份", "平均分": _mean(scores)}
        totals.update({grade: f"{count} 份" for grade, count in grade_counts(grades, self.rows).items()})
        failed = [(rule, titles.get(rule, ""), count) for rule, count in self.tally.most_failed(FAILED_RULES_SHOWN)]
        main = index_main(
            ranking=ranking, grades=grades, profile_name=profile.name or profile.id, totals=totals,
            histogram=score_histogram(scores, profile.floor, profile.start, unscored=len(self.rows) - len(scores)),
            failed_chart=failed_rules_chart(failed, checked))
        spool = self.folder / _SPOOL
        with open(self.folder / INDEX, "w", encoding="utf-8", newline="\n") as page:
            page.write(page_head(PAGE_TITLE))
            page.write(main)
            with open(spool, encoding="utf-8") as fragments:
                shutil.copyfileobj(fragments, page, 1 << 20)
            page.write(index_tail())
        spool.unlink()


Aside = Callable[..., Callable[[], Any]]


def _mean(scores: list[Decimal]) -> str:
    if not scores:
        return "—"
    mean: Optional[Decimal] = sum(scores, Decimal(0)) / len(scores)
    return format(mean.quantize(Decimal("0.1")), "f") if mean is not None else "—"
