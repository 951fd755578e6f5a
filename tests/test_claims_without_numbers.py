"""A number the text claims, compared with a table cell that holds no number (blank, lost, a word):
the claim is not assessable, naming the cell, never a crashed rule; and a claim's `expect` must
be a number, which the static check says before any report is read."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from checker.engine.examples import build_report
from checker.engine.pack import compile_rule, load_pack
from checker.engine.runner import check_report
from checker.engine.scoring import get_profile
from checker.errors import ConfigError
from checker.formats import get_format
from checker.model import Cell

FMT = get_format()
CLAIM = "本年度因政府信息公开被申请行政复议2件，行政诉讼3件。"
META = {"title": "青山县人民政府2024年政府信息公开工作年度报告", "agency": "青山县人民政府",
        "agency_kind": "government", "year": 2024, "published": date(2025, 1, 20)}


@pytest.fixture(scope="module")
def pack():
    return load_pack()


def _report(review: list, litigation: list):
    return build_report({"parts": {"1": CLAIM, "4": "见下表。"}, "meta": META,
                         "tables": {"reviews_and_litigation": {"administrative_review": review,
                                                               "litigation_direct": litigation,
                                                               "litigation_after_review": [0, 0, 0, 0, 0]}}}, FMT)


def _xp002(pack, report):
    return check_report(report, pack, get_profile()).result("XP-002")


@pytest.mark.parametrize("total", ["", "/", "见附件"])
def test_a_claim_against_a_cell_without_a_number_is_not_assessable(pack, total):
    result = _xp002(pack, _report([1, 1, 0, 0, total], [3, 0, 0, 0, 3]))
    assert result.status == "not_assessable", result.params
    assert [a.key for a in result.missing] == ["cell:reviews_and_litigation/administrative_review/total"]
    assert result.cause == "report"


def test_a_claim_against_a_lost_cell_is_not_assessable(pack):
    report = _report([1, 1, 0, 0, 2], [3, 0, 0, 0, 3])
    table = report.tables["reviews_and_litigation"]
    lost = {key: (Cell(None, "lost", "") if key[1] == "total" else cell) for key, cell in table.cells.items()}
    report = replace(report, tables={**report.tables, "reviews_and_litigation": replace(table, cells=lost)})
    result = _xp002(pack, report)
    assert result.status == "not_assessable"
    assert {a.state for a in result.missing} == {"lost"}


def test_the_numbers_still_compare_when_the_cells_hold_them(pack):
    assert _xp002(pack, _report([1, 1, 0, 0, 2], [3, 0, 0, 0, 3])).status == "pass"
    assert _xp002(pack, _report([1, 1, 0, 0, 2], [4, 0, 0, 0, 4])).status == "fail"


def test_a_claims_expect_must_be_a_number():
    rule = {"id": "TST-002", "name": "t", "title": "t", "category": "consistency", "severity": "low",
            "basis": "b", "kind": "claims", "scope": "narrative", "message": "{claim}",
            "claims": [{"label": "标题", "pattern": r"共(?P<n>\d+)件", "expect": ["meta.title"]}],
            "examples": [{"expect": "not_applicable"}]}
    with pytest.raises(ConfigError, match=r"claims\[0\]\.expect\[0\].*must be a number, but it is a text"):
        compile_rule(rule, FMT, "x.toml")
