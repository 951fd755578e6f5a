"""The store on its own: migrations, the stored result read back exactly, fingerprints,
waivers in the score, reviews across re-checks, ranks, and the filters of the ranking."""
from __future__ import annotations

import sqlite3
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from checker.engine.runner import check_report
from checker.engine.waivers import apply_waivers
from checker.pipeline import parse_bytes
from checker.results import Evidence
from checker.store import SchemaError, Store, codec, ingest, queries
from checker.store.findings import fingerprint, review_waiver
from checker.store.ingest import Placement
from checker.store.queries import Filter
from checker.store.schema import MIGRATIONS
from web_support import CORPUS, YUMIN, seed


def check(compiled: Any, name: str, data: bytes) -> Any:
    pack, profile = compiled
    return check_report(parse_bytes(name, data), pack, profile)


def record(store: Store, compiled: Any, name: str, data: bytes, run: int, result: Any = None, **kwargs: Any) -> int:
    file_hash = ingest.add_file(store, data, Path(name).suffix)
    result = result or check(compiled, name, data)
    return ingest.record(store, run_id=run, file_hash=file_hash, name=name, result=result, profile=compiled[1],
                         **kwargs)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.open(tmp_path / "x.sqlite")


@pytest.fixture
def run(store: Store, compiled: Any) -> int:
    from checker.provenance import provenance_of
    return ingest.start_run(store, provenance_of(*compiled), "test")


def test_a_new_database_is_migrated_and_reopening_changes_nothing(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "x.sqlite")
    assert store.version() == len(MIGRATIONS)
    tables = {r[0] for r in store.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"reports", "results", "reviews", "agencies", "regions", "runs", "files", "checks"} <= tables
    store.close()
    again = Store.open(tmp_path / "x.sqlite")
    assert again.version() == len(MIGRATIONS)


def test_a_database_from_a_newer_checker_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.sqlite"
    connection = sqlite3.connect(path)
    connection.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    connection.close()
    with pytest.raises(SchemaError, match="newer"):
        Store.open(path)


@pytest.mark.parametrize("name", [YUMIN, "pingtan-2024.html"])
def test_a_stored_result_reads_back_equal(compiled: Any, name: str) -> None:
    data = seed(name) if name.endswith(".txt") else (CORPUS / name).read_bytes()
    result = check(compiled, name, data)
    assert codec.decode(codec.encode(result)) == result


def test_results_jsonl_objects_read_back_with_their_positions(compiled: Any) -> None:
    from checker.render.results_json import report_dict
    result = check(compiled, "pingtan-2024.html", (CORPUS / "pingtan-2024.html").read_bytes())
    back = codec.from_dict(codec.decode_json(codec.encode_json(report_dict(result))))
    assert (back.score.score, back.score.grade, back.score.coverage, back.score.counts) == \
        (result.score.score, result.score.grade, result.score.coverage, result.score.counts)
    assert [(r.rule, r.status, r.points) for r in back.results] == [(r.rule, r.status, r.points) for r in result.results]
    cells = [e for r in result.results for e in r.evidence if e.kind == "cell" and e.where is not None]
    back_cells = [e for r in back.results for e in r.evidence if e.kind == "cell" and e.where is not None]
    assert [e.where for e in back_cells] == [e.where for e in cells]


def test_a_fingerprint_follows_the_evidence_not_the_wording(compiled: Any) -> None:
    result = check(compiled, YUMIN, seed(YUMIN))
    failed = next(r for r in result.results if r.status == "fail" and r.evidence
                  and not any(d.status == "fail" for d in r.details))
    assert fingerprint(replace(failed, template="另一种说法", severity="low")) == fingerprint(failed)
    moved = replace(failed, evidence=(replace(failed.evidence[0], text=failed.evidence[0].text + "X"),)
                    + failed.evidence[1:])
    assert fingerprint(moved) != fingerprint(failed)
    # a per-item rule: its failing items and their cells are the finding
    itemised = next(r for r in result.results if r.status == "fail" and any(d.status == "fail" for d in r.details))
    detail = next(d for d in itemised.details if d.status == "fail")
    fewer = replace(itemised, details=tuple(d for d in itemised.details if d is not detail))
    assert fingerprint(fewer) != fingerprint(itemised)


def test_a_dismissal_is_a_waiver_of_that_finding(compiled: Any) -> None:
    result = check(compiled, YUMIN, seed(YUMIN))
    failed = [r for r in result.results if r.status == "fail"]
    target = max(failed, key=lambda r: r.points or 0)
    waiver = review_waiver(target.rule, "dismissed", "表格以图片发布", "张三", "2026-01-05T10:00:00Z")
    waived = apply_waivers(result, [waiver], compiled[1])
    # it deducts no more: the score rises by its points, less what a category's cap had absorbed
    assert result.score.score < waived.score.score <= result.score.score + target.points
    assert waived.score.counts["waived"] == 1 and waived.score.counts["fail"] == result.score.counts["fail"] - 1
    shown = waived.result(target.rule)
    assert shown.status == "waived" and shown.evidence == target.evidence and shown.points is None
    assert (shown.waiver.reason, shown.waiver.approved_by) == ("表格以图片发布", "张三")
    assert codec.decode(codec.encode(waived)) == waived  # stored and read back with its waiver


def test_reviews_hold_on_the_same_finding_and_are_flagged_when_it_changes(store: Store, run: int,
                                                                         compiled: Any) -> None:
    result = check(compiled, YUMIN, seed(YUMIN))
    report = record(store, compiled, YUMIN, seed(YUMIN), run, result=result)
    failed = [r for r in result.results if r.status == "fail" and r.evidence]
    first, second = failed[0], failed[1]
    checked_score = queries.report(store, report).row.score
    ingest.decide(store, report, first.rule, "dismissed", "误报", "张三", compiled[1])
    ingest.decide(store, report, second.rule, "confirmed", "属实", "张三", compiled[1])
    after = queries.report(store, report)
    assert checked_score < after.row.score <= checked_score + first.points and after.effective[first.rule] == "waived"

    # checked again with the same findings (a new rule message, say): both reviews hold
    ingest.record(store, run_id=run, file_hash=after.file_hash, name=YUMIN, result=result, profile=compiled[1])
    again = queries.report(store, report)
    assert again.reviews[first.rule].stale is None and again.row.score == after.row.score

    # checked again after a rule change moved the first finding's evidence and cleared the second
    changed_first = replace(first, evidence=(Evidence(kind="quote", text="另一处"),), details=())
    gone_second = replace(second, status="pass", points=None)
    changed = replace(result, results=tuple(changed_first if r.rule == first.rule else
                                            gone_second if r.rule == second.rule else r for r in result.results))
    ingest.record(store, run_id=run, file_hash=after.file_hash, name=YUMIN, result=changed, profile=compiled[1])
    flagged = queries.report(store, report)
    assert flagged.reviews[first.rule].stale == "changed"
    assert flagged.reviews[second.rule].stale == "gone"
    # a flagged dismissal no longer waives: the finding deducts until someone looks again
    assert flagged.effective[first.rule] == "fail"
    assert {r["rule"] for r in queries.stale_reviews(store)} == {first.rule, second.rule}


def test_a_dismissal_needs_a_reviewer_and_a_reason(store: Store, run: int, compiled: Any) -> None:
    report = record(store, compiled, YUMIN, seed(YUMIN), run)
    rule = next(r for r, s in queries.report(store, report).effective.items() if s == "fail")
    with pytest.raises(ingest.ReviewError):
        ingest.decide(store, report, rule, "dismissed", "", "张三", compiled[1])
    with pytest.raises(ingest.ReviewError):
        ingest.decide(store, report, rule, "dismissed", "理由", " ", compiled[1])
    with pytest.raises(ingest.ReviewError):
        ingest.decide(store, report, "STR-001", "confirmed", "", "张三", compiled[1])  # it passed


def test_equal_scores_share_a_rank(store: Store, run: int, compiled: Any) -> None:
    base = check(compiled, YUMIN, seed(YUMIN))
    ids = []
    for index, points in enumerate(("90", "80", "80", "70")):
        result = replace(base, meta={**base.meta, "agency": f"机关{index}"},
                         score=replace(base.score, score=Decimal(points)))
        ids.append(record(store, compiled, f"r{index}.txt", f"{index}".encode(), run, result=result))
    ingest.refresh_ranks(store, [2024])
    ranks = [queries.report(store, i).row.rank for i in ids]
    assert ranks == [1, 2, 2, 4]


def test_filters_region_with_its_subregions_and_search_takes_wildcards_literally(store: Store, run: int,
                                                                                 compiled: Any) -> None:
    base = check(compiled, YUMIN, seed(YUMIN))
    places = [("甲县", "某省/某市/甲县"), ("乙县", "某省/某市/乙县"), ("丙市_100%", "某省/丙市"), ("丁县", "他省/丁县")]
    for index, (agency, region) in enumerate(places):
        result = replace(base, meta={**base.meta, "agency": agency})
        record(store, compiled, f"{agency}.txt", agency.encode(), run, result=result,
               placement=Placement(region=region))

    def agencies(**kwargs: Any) -> set[str]:
        return {r.agency for r in queries.ranking(store, Filter(year=2024, **kwargs)).rows}
    assert agencies(region="某省/某市") == {"甲县", "乙县"}
    assert agencies(region="某省") == {"甲县", "乙县", "丙市_100%"}
    assert agencies(region="某省/某") == set()  # a path, not a text prefix
    assert agencies(q="_100%") == {"丙市_100%"}
    assert agencies(q="%") == {"丙市_100%"}
    assert agencies(q="县 甲") == {"甲县"}
    assert [g for g in queries.regions(store) if g.count("/") == 0] == ["他省", "某省"]
    assert queries.region_choices(store, None) == ["他省", "某省"]
    assert queries.region_choices(store, "某省/某市") == ["他省", "某省", "某省/丙市", "某省/某市", "某省/某市/乙县",
                                                         "某省/某市/甲县"]


def test_an_older_database_is_brought_up_to_date_with_its_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import checker.store as store_module
    path = tmp_path / "old.sqlite"
    monkeypatch.setattr(store_module, "MIGRATIONS", MIGRATIONS[:1])
    old = Store.open(path)
    assert old.version() == 1
    old.db.execute("INSERT INTO files (hash, size, suffix, added_at) VALUES ('h', 1, '.txt', 'now')")
    old.db.execute("INSERT INTO reports (id, file_hash, name, year, search) VALUES (7, 'h', 'a.txt', 2024, '某县教育局')")
    old.db.execute("INSERT INTO results (report_id, rule, status, severity) VALUES (7, 'TB-010', 'fail', 'critical')")
    old.close()
    monkeypatch.undo()
    store = Store.open(path)
    assert store.version() == len(MIGRATIONS)
    assert queries.dashboard(store, 2024).failed_rules == [("TB-010", 1)]  # the results learnt their year
    assert [r.id for r in queries.ranking(store, Filter(year=2024, q="教育局")).rows] == [7]  # and are searchable
