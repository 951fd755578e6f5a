"""The author's loop: `rules new` starts from a skeleton that is green, `rules test` says what a
failing example got and saw, `rules lint` reports every error of a run with file:line:column,
unknown rule ids anywhere exit 2 with the closest ids, and every output names the rule pack."""
from __future__ import annotations

import json

import pytest

from authoring_support import Project, project  # noqa: F401  (fixture)
from checker.engine.kinds import KINDS
from checker.engine.skeletons import KINDS as SKELETONS


def test_every_kind_has_a_skeleton() -> None:
    assert set(SKELETONS) == set(KINDS)


@pytest.mark.parametrize("kind", sorted(SKELETONS))
def test_a_new_rule_lints_and_its_examples_pass_and_fail_as_written(project: Project, kind: str) -> None:
    run = project.run("rules", "new", "PROV-001", "--kind", kind, "-o", "extra/prov.toml")
    assert run.code == 0, run.err
    text = (project.root / "extra" / "prov.toml").read_text(encoding="utf-8")
    assert text.count("[[rule.examples]]") == 2
    assert 'expect = "pass"' in text and 'expect = "fail"' in text
    assert project.run("rules", "lint", "extra/prov.toml").code == 0
    tested = project.run("rules", "test", "extra/prov.toml")
    assert tested.code == 0 and "2/2 examples of 1 rules as expected" in tested.out


def test_new_appends_and_refuses_a_taken_id(project: Project) -> None:
    assert project.run("rules", "new", "PROV-001", "--kind", "assert", "-o", "extra/prov.toml").code == 0
    assert project.run("rules", "new", "PROV-002", "--kind", "cells", "-o", "extra/prov.toml").code == 0
    assert "2/2 examples" not in project.run("rules", "test", "extra/prov.toml").out  # 4 now
    assert "4/4 examples of 2 rules" in project.run("rules", "test", "extra/prov.toml").out
    taken = project.run("rules", "new", "PROV-001", "--kind", "assert", "-o", "extra/prov.toml")
    assert taken.code == 2 and "rule PROV-001 already exists (extra/prov.toml:1)" in taken.err
    shipped = project.run("rules", "new", "TB-010", "--kind", "assert")
    assert shipped.code == 2 and "rule TB-010 already exists (rules/tables.toml:" in shipped.err
    assert project.run("rules", "new", "prov-1", "--kind", "assert").code == 2


def test_a_failing_example_shows_expected_actual_message_and_values(project: Project) -> None:
    project.run("rules", "new", "PROV-001", "--kind", "assert", "-o", "extra/prov.toml")
    path = project.root / "extra" / "prov.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('expect = "fail"', 'expect = "pass"'), encoding="utf-8")
    run = project.run("rules", "test", "extra/prov.toml")
    assert run.code == 1
    lines = run.out.splitlines()
    assert lines[0] == "FAIL PROV-001 example 2 [extra/prov.toml:18]"
    assert lines[1:4] == ["  expected: pass", "  actual:   fail", "  message:  办理结果总计 1 多于本年新收与上年结转之和 0"]
    assert lines[4].startswith("  decided:  assert is false: ") and "(1 <= 0 is false) → fail" in lines[4]
    assert "  values seen:" in lines
    assert "    applications[\"3.7\"].total = 1 (applications['3.7']['total'] 「1」 第24行)" in lines


def test_lint_reports_every_error_of_every_file(project: Project) -> None:
    project.run("rules", "new", "PROV-001", "--kind", "assert", "-o", "extra/a.toml")
    project.run("rules", "new", "PROV-002", "--kind", "keywords", "-o", "extra/b.toml")
    a = project.root / "extra" / "a.toml"
    a.write_text(a.read_text(encoding="utf-8").replace("description", "descripton").replace(
        "applications['2'].total", "applications['2'].totl"), encoding="utf-8")
    b = project.root / "extra" / "b.toml"
    b.write_text(b.read_text(encoding="utf-8").replace('scope = [5]', 'scope = [7]')
                 .replace("{missing}", "{mising}"), encoding="utf-8")
    run = project.run("rules", "lint", "extra")
    assert run.code == 2
    errors = [line for line in run.err.splitlines() if line.startswith("extra/")]
    assert errors == [
        "extra/a.toml:5:1: rule PROV-001: key descripton: unknown key 'descripton' - did you mean 'description'?",
        "extra/a.toml:11:66: rule PROV-001: key assert: unknown column 'totl' of applications['2'] - did you mean 'total'?",
        "extra/b.toml:10:10: rule PROV-002: key scope[0]: 7 is greater than the maximum of 6",
        "extra/b.toml:12:20: rule PROV-002: key message: message parameter {mising} is not provided - did you mean {missing}?",
    ], run.err
    assert "4 error(s) in 2 file(s)" in run.err


def test_unknown_ids_in_select_and_ignore_exit_2_with_suggestions(project: Project) -> None:
    run = project.run("check", str(project.report()), "--select", "TB-010,TBX", "--ignore", "FEE-09")
    assert run.code == 2
    assert "xxgk: error: --select: unknown rule family 'TBX' - did you mean 'TB'" in run.err
    assert "xxgk: error: --ignore: unknown rule 'FEE-09' - did you mean" in run.err
    assert run.out == ""  # never a silent 0/0 rules


def test_a_former_id_still_selects(project: Project) -> None:
    """A rule renamed in an extra folder keeps its former id: --select by the old id runs it."""
    assert project.run("rules", "new", "PROV-009", "--kind", "assert", "-o", "extra/renamed.toml").code == 0
    rule = project.root / "extra" / "renamed.toml"
    rule.write_text(rule.read_text(encoding="utf-8").replace('id = "PROV-009"\n', 'id = "PROV-009"\naliases = ["OLD-009"]\n'),
                    encoding="utf-8")
    run = project.run("check", str(project.report()), "--extend-rules", "extra", "--select", "OLD-009",
                      "--format", "json")
    assert run.code in (0, 1), run.err
    assert [r["rule"] for r in json.loads(run.out)["reports"][0]["results"]] == ["PROV-009"]
    unknown = project.run("check", str(project.report()), "--extend-rules", "extra", "--select", "OLD-010")
    assert unknown.code == 2 and "OLD-009" in unknown.err  # the former id is among the suggestions


@pytest.mark.parametrize("argv,needle", [
    (["rules", "lint"], "rule pack sha256:"),
    (["rules", "test", "--rule", "TB-010"], "rule pack sha256:"),
    (["rules", "list"], "# 49 rules; rule pack sha256:"),
    (["rules", "show", "TB-010"], "[rules/tables.toml:"),
])
def test_rules_outputs_name_the_pack(project: Project, argv: list[str], needle: str) -> None:
    from checker.engine.pack import load_pack
    run = project.run(*argv)
    assert run.code == 0 and needle.replace("49", str(len(load_pack().rules))) in run.out
    assert load_pack().digest[:12] in run.out or argv[1] == "show"


def test_check_outputs_carry_the_provenance(project: Project) -> None:
    report = str(project.report())
    text = project.run("check", report)
    assert "检查工具 xxgk " in text.out and "规则包 sha256:" in text.out and "检查时间 2026-01-01T00:00:00Z" in text.out
    md = project.run("check", report, "--format", "md")
    assert "**检查依据**" in md.out and "- 评分方案 默认评分（百分制）（default）" in md.out
    document = json.loads(project.run("check", report, "--format", "json").out)
    assert document["provenance"]["run_at"] == "2026-01-01T00:00:00Z"
    html = project.run("report", report)
    assert '<footer class="provenance">' in html.out
    assert "检查依据" in project.run("report", report, "--format", "md").out


def test_a_pack_is_compiled_again_when_a_file_changes(project: Project) -> None:
    """Packs are kept by the content of their files: an edited file is never served stale."""
    from checker.engine.pack import load_pack
    project.run("rules", "new", "PROV-001", "--kind", "assert", "-o", "extra/prov.toml")
    first = load_pack(extend=["extra"])
    assert load_pack(extend=["extra"]).get("PROV-001") is first.get("PROV-001")  # the same content: kept
    path = project.root / "extra" / "prov.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('severity = "medium"', 'severity = "low"'),
                    encoding="utf-8")
    assert load_pack(extend=["extra"]).get("PROV-001").severity == "low"
