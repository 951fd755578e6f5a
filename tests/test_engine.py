"""The engine's contract: five statuses, blanks never read as zero, a crashing rule is the
checker's error, per-column failures show reported, computed and difference, evidence has a
position, rules compile once per run."""
from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from checker.errors import ConfigError

from checker.engine.runner import check_report, run_rule
from checker.engine.examples import build_report
from checker.engine.expr import register, unregister
from checker.formats import get_format
from checker.engine.runner import make_view
from checker.engine.pack import load_pack
from checker.engine.scoring import get_profile

RULE = '''
[[rule]]
id = "TST-001"
name = "test-rule"
title = "测试"
category = "tables"
severity = "critical"
basis = "测试"
kind = "assert"
needs = ["applications"]
for_each = "columns(applications)"
each = "col"
item_label = "column_label(applications, col)"
assert = "applications['1'][col] + applications['2'][col] == applications['3.7'][col] + applications['4'][col]"
message = "{item}：{left} ≠ {right}（差 {diff}）"

  [[rule.examples]]
  expect = "pass"
  tables.applications = { "*" = 0 }

  [[rule.examples]]
  expect = "fail"
  tables.applications = { "*" = 0, "1" = [1, 0, 0, 0, 0, 0, 1] }
'''


@pytest.fixture(scope="module")
def fmt():
    return get_format()


def one_rule(tmp_path: Path, text: str = RULE):
    path = tmp_path / "rule.toml"
    path.write_text(text, encoding="utf-8")
    return load_pack([path]).rules[0]


def run(rule, example: dict, fmt):
    return run_rule(rule, make_view(build_report(example, fmt), fmt))


def test_per_column_failure_reports_both_sides_and_difference(tmp_path: Path, fmt) -> None:
    rule = one_rule(tmp_path)
    result = run(rule, {"tables": {"applications": {"*": 0, "1": [16, 0, 0, 0, 0, 0, 16],
                                                     "3.7": [15, 0, 0, 0, 0, 0, 15]}}}, fmt)
    assert result.status == "fail"
    failing = [d for d in result.details if d.status == "fail"]
    assert [d.item for d in failing] == ["自然人", "总计"]
    assert failing[0].params["left"] == 16 and failing[0].params["right"] == 15 and failing[0].params["diff"] == 1
    cells = [e for e in failing[0].evidence if e.kind == "cell"]
    assert {(e.row, e.col) for e in cells} == {("1", "natural_person"), ("2", "natural_person"),
                                               ("3.7", "natural_person"), ("4", "natural_person")}
    assert all(e.where is not None and e.where.line for e in cells)


def test_blank_cell_is_not_zero(tmp_path: Path, fmt) -> None:
    rule = one_rule(tmp_path)
    # with the blank read as 0 the identity would hold; it must be not assessable instead
    result = run(rule, {"tables": {"applications": {"*": 0, "2": ["", 0, 0, 0, 0, 0, 0]}}}, fmt)
    statuses = {d.item: d.status for d in result.details}
    assert statuses["自然人"] == "not_assessable"
    assert result.status == "not_assessable"


def test_absent_table_is_not_assessable(tmp_path: Path, fmt) -> None:
    assert run(one_rule(tmp_path), {"tables": {"applications": False}}, fmt).status == "not_assessable"


def test_crashing_rule_is_an_error_not_a_failure(tmp_path: Path, fmt) -> None:
    @register("explode", min_args=0, max_args=0, doc="explode(): raises (test only)")
    def explode():
        raise RuntimeError("boom")

    try:
        rule = one_rule(tmp_path, RULE.replace('assert = "applications', 'assert = "explode() or applications'))
        result = run(rule, {"tables": {"applications": {"*": 0}}}, fmt)
    finally:
        unregister("explode")
    assert result.status == "error"
    assert "boom" in result.params["error"]


def test_type_error_known_before_running_stops_loading(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"key assert: '\+' needs numbers, but \"x\" is a text"):
        one_rule(tmp_path, RULE.replace("applications['4'][col]\"", "applications['4'][col] + 'x'\""))


def test_type_error_only_seen_when_running_is_an_error(tmp_path: Path, fmt) -> None:
    # coalesce() of a number and a text may be either: only the report decides, so the rule loads
    rule = one_rule(tmp_path, RULE.replace("applications['4'][col]\"", "applications['4'][col] + coalesce(meta.year, 'x')\""))
    result = run(rule, {"tables": {"applications": {"*": 0}}}, fmt)
    assert result.status == "error"


def test_applies_false_is_not_applicable(tmp_path: Path, fmt) -> None:
    rule = one_rule(tmp_path, RULE.replace('needs = ["applications"]', 'needs = ["applications"]\napplies = "meta.year >= 2021"'))
    example = {"meta": {"year": 2019}, "tables": {"applications": {"*": 0}}}
    assert run(rule, example, fmt).status == "not_applicable"
    example["meta"]["year"] = 2024
    assert run(rule, example, fmt).status == "pass"


def test_tolerance_allows_small_differences(tmp_path: Path, fmt) -> None:
    rule = one_rule(tmp_path, RULE.replace('kind = "assert"', 'kind = "assert"\ntolerance = 1'))
    example = {"tables": {"applications": {"*": 0, "1": [1, 0, 0, 0, 0, 0, 1]}}}
    assert run(rule, example, fmt).status == "pass"
    example["tables"]["applications"]["1"] = [2, 0, 0, 0, 0, 0, 2]
    assert run(rule, example, fmt).status == "fail"


def test_scanned_report_is_not_assessable_and_never_scores_100(fmt) -> None:
    pack = load_pack()
    report = replace(build_report({}, fmt), flags=frozenset({"no_text_layer"}), notes=("scanned PDF: no text layer",))
    result = check_report(report, pack, get_profile())
    assert {r.status for r in result.results} == {"not_assessable"}
    assert result.score.score is None and result.score.grade is None
    assert result.score.coverage == 0


def test_same_input_gives_same_result(fmt) -> None:
    pack = load_pack()
    fixtures = Path(__file__).resolve().parent / "fixtures" / "seeds"
    from checker.pipeline import parse_file
    from checker import jsonout
    from checker.render.results_json import report_dict
    first = jsonout.dumps(report_dict(check_report(parse_file(fixtures / "002_a0c218d13443adaa.txt"), pack, get_profile())))
    second = jsonout.dumps(report_dict(check_report(parse_file(fixtures / "002_a0c218d13443adaa.txt"), pack, get_profile())))
    assert first == second


def test_every_catalogue_rule_is_in_the_pack() -> None:
    catalogue = """META-001 META-002 META-003 META-004 META-005 TIME-001 TIME-002 STR-001 STR-002 STR-003
    STR-004 STR-005 STR-006 STR-007 STR-008 STR-009 STR-010 STR-011 STR-013 TA-001 TA-002 TA-003 TA-004 TA-005
    TB-001 TB-002 TB-003 TB-005 TB-006 TB-010 TB-011 TB-012 TB-014 TC-001 TC-002 TC-003 XP-001 XP-002
    XP-003 XP-004 FEE-001 FEE-002 FEE-003 DUP-001 DUP-002 DUP-003 DUP-004 TXT-003 TB-013 TA-007""".split()
    assert sorted(load_pack().ids()) == sorted(catalogue)


def test_every_rule_has_a_passing_and_a_failing_example() -> None:
    for rule in load_pack().rules:
        statuses = {e["expect"] for e in rule.examples}
        assert {"pass", "fail"} <= statuses, rule.id


def test_rules_test_command_passes(capsys: pytest.CaptureFixture[str]) -> None:
    from checker.cli import main
    assert main(["rules", "test"]) == 0
    out = capsys.readouterr().out
    assert f"examples of {len(load_pack().rules)} rules as expected" in out


def test_rule_examples_can_fail(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`rules test` reports an example whose expectation is wrong, with exit 1."""
    from checker.cli import main
    path = tmp_path / "rule.toml"
    path.write_text(RULE.replace('expect = "fail"', 'expect = "pass"'), encoding="utf-8")
    assert main(["rules", "test", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"FAIL TST-001 example 2 [{path}:21]" in out
    assert "expected: pass" in out and "actual:   fail" in out
    # the message and what the rule saw: the first column's sides, 1 ≠ 0, and the cell it read
    assert "message:  自然人：1 ≠ 0（差 1）" in out
    assert "applications[\"1\"][col] = 1" in out


def test_decimal_amounts_stay_exact(tmp_path: Path, fmt) -> None:
    rule = one_rule(tmp_path, RULE.replace(
        "assert = \"applications['1'][col] + applications['2'][col] == applications['3.7'][col] + applications['4'][col]\"",
        "assert = \"active_disclosure.administrative_fees_wan_yuan == 0.3\"").replace(
        'needs = ["applications"]\nfor_each = "columns(applications)"\neach = "col"\nitem_label = "column_label(applications, col)"\n', ""))
    example = {"tables": {"active_disclosure": {"administrative_fees_wan_yuan": "0.3"}}}
    assert run(rule, example, fmt).status == "pass"
    result = run(rule, {"tables": {"active_disclosure": {"administrative_fees_wan_yuan": "0.30000001"}}}, fmt)
    assert result.status == "fail" and result.params["left"] == Decimal("0.30000001")


def test_a_report_read_again_as_last_years_reads_its_sentences_once(fmt) -> None:
    import gc
    from checker.engine import context
    from checker.engine.runner import Comparison
    last = build_report({"parts": {1: "去年新建专区3个。全年办理申请12件。", 5: "问题是解读形式单一。"}}, fmt)
    this = build_report({"parts": {1: "今年新建专区5个。", 5: "问题是解读形式单一。"}}, fmt)
    first = make_view(last, fmt).sentences([1, 5])
    beside = make_view(this, fmt, Comparison(previous=last)).previous
    assert beside.sentences([1, 5]) is first and [s.text for s in first] == ["去年新建专区3个。", "全年办理申请12件。",
                                                                            "问题是解读形式单一。"]
    assert beside.scope_text("narrative") is make_view(last, fmt).scope_text("narrative")
    # another report (the same text, another object) reads its own; none is kept past its report
    again = replace(last)
    assert make_view(again, fmt).sentences([1, 5]) == first and make_view(again, fmt).sentences([1, 5]) is not first
    kept = len(context._TEXTS)
    del last, this, again, beside
    gc.collect()
    assert len(context._TEXTS) <= kept - 2  # last's and again's
