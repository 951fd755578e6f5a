"""The deliverables of the current filter, from the workspace: the summary workbook
(汇总/问题明细/规则统计) and the written notice (通报), by the batch's own writers
(checker.render.summary, checker.render.notice) over report objects in the public JSON form.

Each report object is the stored check with the reviews applied: a dismissed or waived finding
is ``waived`` there too (listed, never counted as failed), and the score is the one after
review. The reports are read from the store one at a time and the file is written to a
temporary folder, then sent from disk in pieces (``Export``): a year of a whole region is
never held in memory as objects or as bytes."""
from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator, Optional, Sequence

from ..engine.scoring import Profile
from ..engine.waivers import apply_waivers
from ..provenance import Provenance
from ..render.notice import write_notice
from ..render.records import SummaryRow
from ..render.results_json import report_dict
from ..render.summary import workbook_from_results
from ..store import Store, queries
from ..store.queries import RankingRow


def report_objects(store: Store, rows: Sequence[RankingRow], profile: Profile) -> Iterator[dict[str, Any]]:
    for row in rows:
        stored = queries.stored_result(store, row.id)
        if stored is None:
            continue
        effective = apply_waivers(stored, queries.review_waivers(store, row.id), profile)
        yield {**report_dict(effective), "id": str(row.id), "region": row.region}


@dataclass(frozen=True)
class Export:
    """A written export: its file, in a temporary folder that ``remove`` deletes (once sent)."""

    path: Path

    def remove(self) -> None:
        shutil.rmtree(self.path.parent, ignore_errors=True)


def _written(write: Callable[[Path], None], suffix: str) -> Export:
    folder = Path(tempfile.mkdtemp(prefix="xxgk-export-"))
    export = Export(folder / ("export" + suffix))
    try:
        write(export.path)
    except BaseException:
        export.remove()
        raise
    return export


def report_link(base_url: str) -> Callable[[SummaryRow], Optional[str]]:
    """Where a row of 汇总 links to: the report's page in this workspace (``base_url``: the
    app's address as the browser reached it)."""
    base = base_url.rstrip("/")
    return lambda row: f"{base}/reports/{row.id}" if row.id else None


def summary_xlsx(store: Store, rows: Sequence[RankingRow], profile: Profile, grades: Sequence[str],
                 base_url: str) -> Export:
    return _written(lambda path: workbook_from_results(path, report_objects(store, rows, profile), grades=grades,
                                                       link=report_link(base_url)), ".xlsx")


def notice_docx(store: Store, rows: Sequence[RankingRow], profile: Profile, provenance: Provenance,
                year: Optional[int], rule_count: int) -> Export:
    return _written(lambda path: write_notice(path, report_objects(store, rows, profile),
                                              provenance=provenance.as_dict(), year=year, rule_count=rule_count),
                    ".docx")
