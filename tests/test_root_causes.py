"""One defect, one deduction: a finding that follows from another's cause (an absent row, part or
table; a blank cell) is listed under it and deducts nothing of its own; the root and its findings
deduct once, at the heaviest. The links come from the rules' own expressions and the format, not
from a list of rule pairs."""
from __future__ import annotations

from datetime import date
from pathlib import Path
from decimal import Decimal

import pytest

from checker.engine.examples import build_report
from checker.engine.pack import load_pack
from checker.engine.runner import check_report
from checker.engine.scoring import get_profile
from checker.formats import get_format

FMT = get_format()
PARTS = {"1": "（一）主动公开。（二）依申请公开。（三）政府信息管理。（四）平台建设，优化政府网站。"
             "（五）监督保障，开展考核、社会评议和责任追究。",
         "2": "见下表。", "3": "见下表。", "4": "见下表。",
         "5": "存在的主要问题：政策解读形式较为单一，重点领域信息更新不够及时。改进措施：下一步将丰富解读形式，"
              "建立信息更新督办机制，定期通报检查结果。",
         "6": "本年度未收取信息处理费。"}
META = {"title": "青山县人民政府2024年政府信息公开工作年度报告", "agency": "青山县人民政府", "agency_kind": "government",
        "year": 2024, "published": date(2025, 1, 20), "published_text": "2025年1月20日", "signature_date": date(2025, 1, 20),
        "period_start": date(2024, 1, 1), "period_end": date(2024, 12, 31)}
TABLE_A = {"regulations": [0, 0, 1], "normative_documents": [3, 1, 20], "administrative_licensing": 120,
           "administrative_punishment": 30, "administrative_enforcement": 2, "administrative_fees_wan_yuan": "12.5"}
TABLE_C = {"administrative_review": [0, 0, 0, 0, 0], "litigation_direct": [0, 0, 0, 0, 0],
           "litigation_after_review": [0, 0, 0, 0, 0]}


@pytest.fixture(scope="module")
def pack():
    return load_pack()


def check(pack, parts=None, tables=None, profile="default", **extra):
    spec = {"parts": parts if parts is not None else PARTS,
            "tables": {"active_disclosure": TABLE_A, "applications": "zeros", "reviews_and_litigation": TABLE_C,
                       **(tables or {})},
            "meta": META, **extra}
    return check_report(build_report(spec, FMT), pack, get_profile(profile))


def test_the_complete_report_loses_nothing(pack):
    result = check(pack)
    assert result.score.score == Decimal(100), [(r.rule, r.status) for r in result.results if r.points]


def test_an_absent_row_is_charged_once_by_the_rule_that_reports_it(pack):
    row = {k: v for k, v in TABLE_A.items() if k != "administrative_fees_wan_yuan"}
    result = check(pack, tables={"active_disclosure": row})
    ta001 = result.result("TA-001")
    assert ta001.status == "fail" and "row:active_disclosure/administrative_fees_wan_yuan" in ta001.reports
    ta003 = result.result("TA-003")  # the row's cell is blank: the same defect, restated
    assert ta003.status == "fail" and ta003.root == "TA-001" and not ta003.points
    ta005 = result.result("TA-005")  # its plausibility cannot be checked: same cause again
    assert ta005.status == "not_assessable" and ta005.root == "TA-001" and ta005.points is None
    assert set(ta001.caused) >= {"TA-003", "TA-005"}
    assert ta001.points == Decimal(10)
    assert result.score.deductions == {"tables": Decimal(10)}


def test_a_missing_part_is_charged_once(pack):
    parts = {k: v for k, v in PARTS.items() if k != "6"}
    result = check(pack, parts=parts)
    str006, fee001 = result.result("STR-006"), result.result("FEE-001")
    assert str006.status == fee001.status == "fail"
    assert fee001.root == "STR-006" and fee001.points == Decimal(0) and "FEE-001" in str006.caused
    assert [a.key for a in fee001.missing] == ["part:6"]
    assert str006.points == Decimal(10)
    total = sum(result.score.deductions.values())
    assert total == Decimal(10)


def test_a_missing_table_heads_the_rules_that_need_it(pack):
    result = check(pack, tables={"reviews_and_litigation": False})
    tc001 = result.result("TC-001")
    assert tc001.status == "fail" and tc001.reports == ("table:reviews_and_litigation",)
    for rule in ("TC-002", "TC-003"):
        item = result.result(rule)
        assert item.status == "not_assessable" and item.cause == "report" and item.root == "TC-001"
    assert result.score.score == Decimal(80)


def test_the_wider_missing_input_is_the_root(pack):
    """Part 四 and its table are both missing: one defect, reported by the part's rule."""
    parts = {k: v for k, v in PARTS.items() if k != "4"}
    result = check(pack, parts=parts, tables={"reviews_and_litigation": False})
    assert result.result("STR-004").status == "fail"
    assert result.result("TC-001").root == "STR-004"
    assert result.result("TC-002").root == "STR-004"
    assert result.score.deductions == {"structure": Decimal(20)}


def test_of_two_rules_reporting_the_same_rows_the_first_heads(pack):
    rows = {"1": [0] * 7, "2": [0] * 7, "3.7": [0] * 7, "4": [0] * 7}
    result = check(pack, tables={"applications": rows})
    tb002, tb003 = result.result("TB-002"), result.result("TB-003")
    assert tb002.status == tb003.status == "fail"
    assert tb003.root == "TB-002" and tb002.root is None


def test_a_blank_cell_heads_its_consequences_at_the_heaviest(pack):
    """A blank 总计 in row 3.7: TB-005 (medium) reports it; TB-010 and TB-011 (critical) cannot
    be checked. One deduction, at the critical weight: leaving a cell blank never costs less
    than the heaviest check it prevents."""
    rows = {"*": 0, "3.7": [0, 0, 0, 0, 0, 0, ""]}
    result = check(pack, tables={"applications": rows})
    tb005 = result.result("TB-005")
    assert tb005.status == "fail" and tb005.reports == ("cell:applications/3.7/total",)
    for rule in ("TB-010", "TB-011", "TB-012"):
        assert result.result(rule).root == "TB-005"
    assert tb005.points == Decimal(20)
    assert result.score.deductions == {"tables": Decimal(20)}


def test_without_the_reporting_rule_the_heaviest_consequence_heads(pack):
    rows = {"*": 0, "3.7": [0, 0, 0, 0, 0, 0, ""]}
    spec = {"parts": PARTS, "tables": {"active_disclosure": TABLE_A, "applications": rows,
                                       "reviews_and_litigation": TABLE_C},
            "meta": META}
    profile = get_profile().with_selection(ignore=["TB-005"])
    result = check_report(build_report(spec, FMT), pack, profile)
    heads = [r for r in result.results if r.status == "not_assessable" and r.root is None and r.cause == "report"
             and any(a.key.startswith("cell:applications") for a in r.missing)]
    assert [h.rule for h in heads] == ["TB-010"]
    assert heads[0].points == Decimal(20) and set(heads[0].caused) >= {"TB-011", "TB-012"}


def test_facts_of_identity_are_not_grouped(pack):
    """An unknown agency kind keeps three obligations from being checked; each counts (caps
    bound a category), so hiding who reports never costs less than the obligations it hides."""
    spec = {"parts": PARTS, "tables": {"active_disclosure": TABLE_A, "applications": "zeros",
                                       "reviews_and_litigation": TABLE_C},
            "meta": {k: v for k, v in META.items() if k not in ("agency", "agency_kind")}}
    result = check_report(build_report(spec, FMT), pack, get_profile())
    for rule in ("TIME-001", "TIME-002", "STR-010"):
        item = result.result(rule)
        assert item.root is None and item.points == Decimal(10) and item.cause == "report"


def test_the_worked_example_in_docs_scoring(pack):
    """docs/scoring.md walks through seed 000: keep its numbers true."""
    from checker.pipeline import parse_file

    seed = Path(__file__).resolve().parent / "fixtures" / "seeds" / "000_c7c1a845340d13e1.txt"
    result = check_report(parse_file(seed), pack, get_profile())
    roots = {r.rule: r.root for r in result.results if r.root}
    assert roots == {"TB-010": "TB-005", "TB-011": "TB-005", "TB-012": "TB-005", "TB-014": "TB-005",
                     "FEE-003": "TB-005", "TC-002": "TC-001", "TC-003": "TC-001", "XP-002": "TC-001"}
    points = {r.rule: r.points for r in result.results if r.points}
    assert points == {"TB-005": 20, "TC-001": 20, "TB-006": 2, "XP-001": 5}
    assert result.score.score == Decimal(55) and result.score.coverage == Decimal("0.800")
