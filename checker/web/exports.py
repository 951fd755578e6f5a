"""The deliverables of the current filter, from the workspace: the summary workbook
(汇总/问题明细/规则统计) and the written notice (通报), by the batch's own writers
(checker.render.summary, checker.render.notice) over report objects in the public JSON form.

Each report object is the stored check with the reviews applied: a dismissed or waived finding
is ``waived`` there too (listed, never counted as failed), and the score is the one after
review."""
from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any, Iterator, Optional, Sequence

from ..engine.scoring import Profile
from ..engine.waivers import apply_waivers
from ..provenance import Provenance
from ..render.notice import write_notice
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


def _written(write: Any, suffix: str) -> bytes:
    with tempfile.TemporaryDirectory(prefix="xxgk-export-") as folder:
        path = Path(folder) / ("export" + suffix)
        write(path)
        return path.read_bytes()


def summary_xlsx(store: Store, rows: Sequence[RankingRow], profile: Profile, grades: Sequence[str]) -> bytes:
    return _written(lambda path: workbook_from_results(path, report_objects(store, rows, profile), grades=grades),
                    ".xlsx")


def notice_docx(store: Store, rows: Sequence[RankingRow], profile: Profile, provenance: Provenance,
                year: Optional[int], rule_count: int) -> bytes:
    return _written(lambda path: write_notice(path, report_objects(store, rows, profile),
                                              provenance=provenance.as_dict(), year=year, rule_count=rule_count),
                    ".docx")
