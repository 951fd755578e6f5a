"""The batch keeps its summary rows on disk (checker.batch.rowspool): read back, the ranking and
everything written from it must be what the rows held in memory give."""
from __future__ import annotations

import io
import pickle
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from checker.batch.rowspool import RowSpool
from checker.engine.scoring import get_profile
from checker.render.index_page import IndexData, index_page
from checker.render.records import RuleTally, SummaryRow, WaiverRow, ranked

WAIVER = WaiverRow(rules=("TB-010",), reason="表格由上级统一发布", approved_by="某某办", expires=None, source="w.toml")


@st.composite
def summary_rows(draw: st.DrawFn) -> list[SummaryRow]:
    count = draw(st.integers(min_value=0, max_value=30))
    rows = []
    for i in range(count):
        error = draw(st.sampled_from([None, None, None, "未找到文件"]))
        # few distinct scores and years, so that ties and unknown years occur
        # equal scores written differently (80, 80.0) share a rank
        score = None if error else draw(st.sampled_from([None, Decimal(0), Decimal("61.5"), Decimal(80),
                                                         Decimal("80.0"), Decimal(100)]))
        rows.append(SummaryRow(
            id=f"{i:012x}", file=draw(st.sampled_from(["a", "b/c", "某县"])) + f"/{i:03d}.txt",
            agency=draw(st.sampled_from([None, "某某县人民政府", "某某市教育局"])),
            kind=draw(st.sampled_from([None, "government", "department", "other", "unlisted"])),
            year=draw(st.sampled_from([None, 2022, 2023, 2024])), published=None, score=score,
            grade=None if score is None else draw(st.sampled_from(["优秀", "良好", "不合格"])),
            coverage=None if error else Decimal("0.9"), failures=(0, 1, 0, 2, 0),
            failed_rules=draw(st.sampled_from([(), ("TB-010",), ("TB-010", "FEE-001")])), error=error,
            region=draw(st.sampled_from([None, "东区", "西区"])),
            waivers=draw(st.sampled_from([(), (WAIVER,)]))))
    return rows


def spooled(rows: list[SummaryRow], tmp_path, run_keys: int = 10_000) -> RowSpool:  # type: ignore[no-untyped-def]
    spool = RowSpool(tmp_path / "rows.spool", run_keys=run_keys)
    for row in rows:
        spool.add(row)
    return spool


def page(ranking) -> str:  # type: ignore[no-untyped-def]
    profile = get_profile()
    out = io.StringIO()
    index_page(out, IndexData(ranking=ranking, grades=[g.label for g in profile.grades], profile=profile,
                              titles={"TB-010": "表二", "FEE-001": "收费"}, tally=RuleTally(),
                              provenance={"checker_version": "test"}))
    return out.getvalue()


@settings(max_examples=40, deadline=None)
@given(rows=summary_rows(), run_keys=st.integers(min_value=1, max_value=12))
def test_the_ranking_read_back_is_the_ranking_of_the_rows(rows: list[SummaryRow], run_keys: int,
                                                           tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    # keys sorted in runs on disk (run_keys small: several runs, and a part held in memory)
    # and merged give the ranking of all the rows sorted at once
    folder = tmp_path_factory.mktemp("spool")
    spool = spooled(rows, folder, run_keys)
    ranking = spool.ranking()
    assert sorted(p.name for p in folder.iterdir()) == ["rows.spool"]  # the runs are gone
    assert list(ranking) == ranked(rows)
    assert list(ranking) == ranked(rows)  # read again: the workbook and the page each read it more than once
    assert len(ranking) == len(rows)
    assert list(ranking.arrival()) == rows
    assert spool.count == len(rows) and spool.errors == sum(1 for r in rows if r.error)
    assert spool.applied[WAIVER] == sum(1 for r in rows if r.waivers)
    # a worker writes the workbook from it: it travels as a path and an order
    assert list(pickle.loads(pickle.dumps(ranking))) == ranked(rows)


@settings(max_examples=25, deadline=None)
@given(rows=summary_rows())
def test_the_index_page_is_the_same_from_rows_on_disk(rows: list[SummaryRow], tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    spool = spooled(rows, tmp_path_factory.mktemp("spool"))
    assert page(spool.ranking()) == page(ranked(rows))


@settings(max_examples=40, deadline=None)
@given(scores=st.lists(st.sampled_from([Decimal(0), Decimal("61.5"), Decimal(80), Decimal("80.0"),
                                         Decimal("79.95"), Decimal(100)]), max_size=40))
def test_a_group_counts_its_scores_without_keeping_each(scores: list[Decimal]) -> None:
    # a group keeps how many reports had each score, not a list of a hundred thousand scores:
    # its mean, lowest and histogram are those of the list
    from checker.render.index_page import _Group, _mean, score_histogram

    group = _Group()
    for score in scores:
        group.scores[score] += 1
    expected = "—" if not scores else format((sum(scores, Decimal(0)) / len(scores)).quantize(Decimal("0.1")), "f")
    assert _mean(group.scores) == expected
    assert (min(group.scores) if group.scores else None) == (min(scores) if scores else None)
    assert score_histogram(group.scores.elements(), Decimal(0), Decimal(100), unscored=0) == \
        score_histogram(scores, Decimal(0), Decimal(100), unscored=0)
