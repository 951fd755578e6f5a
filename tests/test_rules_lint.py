"""Broken rule and profile files: `xxgk rules lint` exits 2 and the message names the file, the
rule and the key, and says what was expected."""
from __future__ import annotations

from pathlib import Path

import pytest

from checker.cli import main
from checker.config import shown_path
from checker.errors import ConfigError
from checker.engine.pack import load_pack
from checker.engine.scoring import load_profile

VALID_RULE = '''
[[rule]]
id = "TST-001"
name = "test-rule"
title = "测试规则"
category = "tables"
severity = "high"
basis = "测试依据"
kind = "assert"
needs = ["applications"]
for_each = "columns(applications)"
each = "col"
assert = "applications['1'][col] + applications['2'][col] == applications['3.7'][col] + applications['4'][col]"
message = "{item}：{left} ≠ {right}"

  [[rule.examples]]
  expect = "pass"
  tables.applications = { "*" = 0 }

  [[rule.examples]]
  expect = "fail"
  tables.applications = { "*" = 0, "1" = [1, 0, 0, 0, 0, 0, 1] }
'''


def write(tmp_path: Path, text: str, name: str = "broken.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def lint(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["rules", "lint", str(path)])
    captured = capsys.readouterr()
    return code, captured.err + captured.out


def test_the_valid_rule_lints_clean(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, output = lint(write(tmp_path, VALID_RULE), capsys)
    assert code == 0, output
    assert "no errors" in output


BROKEN = [
    # (what is broken, replacement (old, new), key the message must name, words it must contain)
    ("toml syntax", ('title = "测试规则"', 'title = "测试规则'), None, ["TOML syntax error", "broken.toml:5:"]),
    ("unknown key", ('basis = "测试依据"', 'basis = "测试依据"\nbasiss = "x"'), "basiss",
     ["broken.toml:9:1:", "unknown key 'basiss' - did you mean 'basis'?"]),
    ("wrong type", ('severity = "high"', "severity = 3"), "severity", ["not one of"]),
    ("bad severity", ('severity = "high"', 'severity = "urgent"'), "severity", ["'urgent' is not one of", "critical"]),
    ("bad expression", ("applications['4'][col]\"", "applications['4'][col] +\""), "assert", ["^"]),
    ("unknown function", ('for_each = "columns(applications)"', 'for_each = "colums(applications)"'), "for_each",
     ["colums", "did you mean", "columns"]),
    ("unknown name", ('needs = ["applications"]', 'needs = ["aplications"]'), "needs[0]", ["aplications", "applications"]),
    ("unknown field path", ("applications['3.7'][col]", "applications['3.8'][col]"), "assert", ["unknown row '3.8' of applications", "did you mean"]),
    ("unknown column", ("applications['1'][col] +", "applications['1'].totl +"), "assert", ["totl", "total"]),
    ("missing message parameter", ('message = "{item}：{left} ≠ {right}"', 'message = "{item}：{lft}"'), "message",
     ["{lft}", "not provided", "left"]),
    ("missing required key", ('basis = "测试依据"\n', ""), None, ["'basis' is required"]),
    ("bad example status", ('expect = "fail"', 'expect = "failed"'), "examples[1].expect", ["'failed' is not one of"]),
    ("too few examples", ('''  [[rule.examples]]
  expect = "fail"
  tables.applications = { "*" = 0, "1" = [1, 0, 0, 0, 0, 0, 1] }
''', ""), "examples", ["too short", "[{"]),
    ("bad kind", ('kind = "assert"', 'kind = "asert"'), "kind", ["'asert' is not one of"]),
]


@pytest.mark.parametrize("what,change,key,words", BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_rule_file_names_file_rule_and_key(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                  what: str, change: tuple[str, str], key: str | None,
                                                  words: list[str]) -> None:
    old, new = change
    assert old in VALID_RULE, what
    path = write(tmp_path, VALID_RULE.replace(old, new, 1))
    code, output = lint(path, capsys)
    assert code == 2, output
    assert str(path) in output
    if what != "toml syntax":  # a syntax error has no rule to name: the line number locates it
        assert "rule TST-001" in output, output
    if key:
        assert f"key {key}" in output, output
    for word in words:
        assert word in output, f"{what}: {word!r} not in {output!r}"
    assert "Traceback" not in output


def test_duplicate_id_across_files_names_both(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, VALID_RULE, "a.toml")
    write(tmp_path, VALID_RULE.replace('name = "test-rule"', 'name = "other"'), "b.toml")
    code, output = lint(tmp_path, capsys)
    assert code == 2
    assert "duplicate rule id 'TST-001'" in output and "a.toml" in output and "b.toml" in output
    assert "key id" in output


def test_bad_regular_expression_is_named(tmp_path: Path) -> None:
    text = VALID_RULE.replace('kind = "assert"', 'kind = "keywords"\nscope = [1]\nrequire = "any"\n'
                              '[[rule.groups]]\nlabel = "x"\npatterns = ["(unclosed"]\n', 1)
    text = text.replace("\nfor_each", "\n#").replace("\neach =", "\n#").replace("\nassert =", "\n#")
    text = text.replace('message = "{item}：{left} ≠ {right}"', 'message = "缺少{missing}"')
    # TOML: the groups table must come after the plain keys of the rule
    head, _, examples = text.partition("  [[rule.examples]]")
    head = head.replace('[[rule.groups]]\nlabel = "x"\npatterns = ["(unclosed"]\n', "")
    text = head + '[[rule.groups]]\nlabel = "x"\npatterns = ["(unclosed"]\n\n  [[rule.examples]]' + examples
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as error:
        load_pack([path])
    message = str(error.value)
    assert str(path) in message and "rule TST-001" in message and "key groups[0].patterns" in message
    assert "bad regular expression" in message


def test_let_cannot_hide_a_report_field(tmp_path: Path) -> None:
    text = VALID_RULE.replace('kind = "assert"', 'kind = "assert"\nlet = { applications = "1" }')
    with pytest.raises(ConfigError, match="key let.applications"):
        load_pack([write(tmp_path, text)])


PROFILE = '''
id = "test"
name = "测试方案"
start = 100
[deductions]
critical = 20
high = 10
'''


@pytest.mark.parametrize("change,key,words", [
    (("start = 100", "start = 1.5"), "start", ["1.5"]),
    (("high = 10", "urgent = 10"), "deductions.urgent", ["unknown key"]),
    (("[deductions]", "[[caps]]\npoints = 5\ncategories = [\"tabels\"]\n[deductions]"), "caps[0].categories[0]",
     ["'tabels' is not one of"]),
])
def test_bad_profile_names_file_and_key(tmp_path: Path, change: tuple[str, str], key: str, words: list[str]) -> None:
    path = write(tmp_path, PROFILE.replace(*change), "profile.toml")
    with pytest.raises(ConfigError) as error:
        load_profile(path)
    message = str(error.value)
    assert shown_path(path) in message and f"key {key}" in message, message
    for word in words:
        assert word in message, message


def test_bad_profile_on_the_command_line_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, PROFILE.replace("start = 100", 'start = "lots"'), "profile.toml")
    report = tmp_path / "r.txt"
    report.write_text("一、总体情况\n内容。\n", encoding="utf-8")
    code = main(["check", str(report), "--profile", str(path)])
    err = capsys.readouterr().err
    assert code == 2
    assert shown_path(path) in err and "key start" in err


def test_profile_overriding_an_unknown_rule_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, PROFILE + '\n[overrides."ZZ-999"]\npoints = 1\n', "profile.toml")
    report = tmp_path / "r.txt"
    report.write_text("一、总体情况\n内容。\n", encoding="utf-8")
    code = main(["check", str(report), "--profile", str(path)])
    err = capsys.readouterr().err
    assert code == 2 and "unknown rule 'ZZ-999'" in err


def test_shipped_pack_lints_clean(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "lint"]) == 0
