"""Waivers: a waived finding keeps its evidence, has status `waived`, is counted apart and never
deducted; every output lists the waivers applied; an expired waiver or one that waives nothing is
a warning; a waiver naming an unknown rule stops the run."""
from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest

from authoring_support import WAIVER, Project, project  # noqa: F401  (fixture)
from checker.engine.scoring import get_profile
from checker.engine.waivers import Waiver, apply_waivers, glob_match, load_waivers
from checker.errors import ConfigError
from checker.resources import schema
from checker.results import Evidence, ReportResult, RuleResult


def result(rule: str, status: str, severity: str = "critical", category: str = "tables") -> RuleResult:
    return RuleResult(rule=rule, status=status, severity=severity, category=category, title=rule, template="",
                      params={}, evidence=(Evidence(kind="quote", text=f"{rule} evidence"),))


def report(*results: RuleResult, agency: str = "某县人民政府", year: int = 2024, source: str = "x.txt") -> ReportResult:
    from checker.engine.scoring import score
    card, scored = score(list(results), get_profile("default"))
    return ReportResult(source=source, meta={"agency": agency, "year": year}, results=scored, score=card)


def test_a_waived_failure_keeps_its_evidence_and_deducts_nothing() -> None:
    before = report(result("TB-010", "fail"), result("TB-011", "pass"), result("TB-012", "fail", "high"))
    waiver = Waiver(rules=("TB-010",), reason="口径不同", approved_by="市政务公开办", source="w.toml:1")
    after = apply_waivers(before, [waiver], get_profile("default"))
    waived = after.result("TB-010")
    assert waived.status == "waived" and waived.waived_status == "fail" and waived.points is None
    assert waived.evidence == before.result("TB-010").evidence
    assert waived.waiver.reason == "口径不同" and waived.waiver.source == "w.toml:1"
    assert before.score.score == Decimal(70) and after.score.score == Decimal(90)
    assert after.score.counts["waived"] == 1 and after.score.counts["fail"] == 1
    assert after.score.coverage == Decimal(1)  # counted apart: 2 assessed of 2 applicable
    assert [w.source for w in after.waivers] == ["w.toml:1"]
    assert before.result("TB-010").status == "fail"  # pure: the input is unchanged


def test_selectors_must_all_match() -> None:
    one = report(result("TB-010", "fail"))
    profile = get_profile("default")
    assert apply_waivers(one, [Waiver(("TB",), "r", "a", agency="某县人民政府", year=2024)], profile).waivers
    assert not apply_waivers(one, [Waiver(("TB",), "r", "a", agency="某县人民政府", year=2023)], profile).waivers
    assert not apply_waivers(one, [Waiver(("TB",), "r", "a", agency="别的县")], profile).waivers
    assert not apply_waivers(one, [Waiver(("TC",), "r", "a")], profile).waivers


def test_an_expired_waiver_is_not_applied() -> None:
    one = report(result("TB-010", "fail"))
    waiver = Waiver(("TB-010",), "r", "a", expires=date(2025, 3, 31))
    assert apply_waivers(one, [waiver], get_profile("default"), today=date(2025, 3, 31)).waivers
    assert not apply_waivers(one, [waiver], get_profile("default"), today=date(2025, 4, 1)).waivers


def test_passes_and_errors_are_never_waived() -> None:
    one = report(result("TB-010", "pass"), result("TB-011", "error"), result("TB-012", "not_assessable"))
    after = apply_waivers(one, [Waiver(("TB",), "r", "a")], get_profile("default"))
    assert [r.status for r in after.results] == ["pass", "error", "waived"]


@pytest.mark.parametrize("path,pattern,expected", [
    ("某县/2024.pdf", "某县/*.pdf", True),
    ("某县/sub/2024.pdf", "某县/*.pdf", False),
    ("某县/sub/2024.pdf", "某县/**/*.pdf", True),
    ("某县/2024.pdf", "**/*.pdf", True),
    ("别县/2024.pdf", "某县/*.pdf", False),
])
def test_file_globs(path: str, pattern: str, expected: bool) -> None:
    assert glob_match(path, pattern) is expected


def test_check_lists_the_waiver_in_every_output(project: Project) -> None:
    path = project.report()
    project.write("waivers.toml", WAIVER)
    project.write("xxgk.toml", 'waivers = "waivers.toml"\n')
    text = project.run("check", str(path))
    assert "✗ TC-001" not in text.out
    assert "~ TC-001" in text.out and "已豁免（原为不通过）— 表三以图片形式发布" in text.out
    assert "适用的豁免：TC-001：表三以图片形式发布（批准：市政务公开办，有效至 2027-03-31；waivers.toml:1）" in text.out
    assert "已豁免 1 条" in text.out and "豁免文件 waivers.toml" in text.out
    md = project.run("check", str(path), "--format", "md")
    assert "| 已豁免 |" in md.out and "**适用的豁免**" in md.out
    document = json.loads(project.run("check", str(path), "--format", "json").out)
    jsonschema.validate(document, schema("results.schema.json"))
    tc = next(r for r in document["reports"][0]["results"] if r["rule"] == "TC-001")
    assert tc["status"] == "waived" and tc["waived_status"] == "fail" and tc["evidence"]
    assert document["reports"][0]["waivers"][0]["source"] == "waivers.toml:1"
    assert document["provenance"]["waivers"] == "waivers.toml" and len(document["provenance"]["waivers_hash"]) == 64
    page = project.run("report", str(path)).out
    assert '<section class="waivers">' in page and "表三以图片形式发布（批准：市政务公开办" in page


def test_globs_are_relative_to_the_configuration_file(project: Project) -> None:
    path = project.report()
    project.write("config/waivers.toml", WAIVER.replace("reports/某县/*.txt", "../reports/某县/*.txt"))
    project.write("xxgk.toml", 'waivers = "config/waivers.toml"\n')
    run = project.run("check", str(path), "--format", "json")
    assert json.loads(run.out)["reports"][0]["waivers"] == []  # relative to xxgk.toml: no match
    project.write("config/waivers.toml", WAIVER)
    run = project.run("check", str(path), "--format", "json")
    assert json.loads(run.out)["reports"][0]["waivers"]


def test_expired_and_unused_waivers_are_warnings(project: Project) -> None:
    path = project.report()
    project.write("waivers.toml", WAIVER.replace("2027-03-31", "2025-03-31") + '''
[[waiver]]
rules = ["TB-010"]
agency = "别的县人民政府"
reason = "无"
approved_by = "市政务公开办"
''')
    run = project.run("check", str(path), "--waivers", "waivers.toml", "--format", "json")
    assert "xxgk: warning: waivers.toml:1: waiver for TC-001 expired on 2025-03-31 and was not applied" in run.err
    assert "xxgk: warning: waivers.toml:8: waiver for TB-010 matched no finding of this run" in run.err
    assert len(json.loads(run.out)["warnings"]) == 2


def test_unknown_rule_in_a_waiver_stops_the_run(project: Project) -> None:
    project.write("waivers.toml", WAIVER.replace('"TC-001"', '"TC-010"'))
    run = project.run("check", str(project.report()), "--waivers", "waivers.toml")
    assert run.code == 2
    assert "waivers.toml:2:10: rule #1: key rules[0]: unknown rule 'TC-010' - did you mean" in run.err


def test_load_waivers_reports_every_problem(tmp_path: Path) -> None:
    path = tmp_path / "w.toml"
    path.write_text(WAIVER.replace("2027-03-31", '"2027-03-31"') + WAIVER.replace("approved_by", "aproved_by"),
                    encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_waivers(path, ["TC-001"])
    messages = [str(e) for e in caught.value.errors]
    assert len(messages) == 2, messages
    assert any("unknown key 'aproved_by' - did you mean 'approved_by'?" in m for m in messages)
    assert any("expires must be a date written without quotes (expires = 2027-03-31)" in m for m in messages)


def test_the_waiver_api_is_usable_without_a_file() -> None:
    """The workspace applies an evaluator's dismissals with the same function."""
    one = report(result("TB-010", "fail"))
    dismissal = Waiver(rules=("TB-010",), reason="评估人员复核：口径差异", approved_by="张三")
    after = apply_waivers(one, [dismissal], get_profile("default"))
    assert after.result("TB-010").status == "waived"
    assert replace(after, results=one.results, score=one.score, waivers=()) == one


def test_a_batch_applies_the_waivers_of_the_configuration(project: Project) -> None:
    project.report()
    project.write("waivers.toml", WAIVER)
    project.write("xxgk.toml", 'waivers = "waivers.toml"\n')
    assert project.run("batch", "reports", "--out", "out", "--jobs", "1", "-q").code == 0
    lines = [json.loads(line) for line in (project.root / "out" / "results.jsonl").read_text(encoding="utf-8").splitlines()]
    assert lines[0]["provenance"]["waivers"] == "waivers.toml"
    report = lines[1]
    assert [r["status"] for r in report["results"] if r["rule"] == "TC-001"] == ["waived"]
    assert report["waivers"][0]["source"] == "waivers.toml:1"
