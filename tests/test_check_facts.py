"""`xxgk check` and `xxgk batch` give the same score for the same file and the same known facts;
`check` takes them from a manifest (--manifest) or options (--agency/--kind/--year/--published).
The command-line contract: a crashing rule exits 3 and says why; `rules docs` prints."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from checker import jsonout
from checker.batch.resultsfile import read_results
from checker.cli import main

SEEDS = Path(__file__).resolve().parent / "fixtures" / "seeds"

UNNAMED = SEEDS / "001_816126611a69aadc.txt"  # names no agency and has no 落款


def run(argv, capsys):
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def folder(tmp_path):
    shutil.copy(UNNAMED, tmp_path / "青山县.txt")
    (tmp_path / "清单.csv").write_text("文件,机关,类型,年度,发布日期\n青山县.txt,青山县人民政府,人民政府,2024,2025-04-02\n",
                                     encoding="utf-8")
    return tmp_path


def _json(out: str) -> dict:
    return json.loads(out)["reports"][0]


def test_check_with_the_manifest_scores_as_the_batch_does(folder, capsys):
    code, out, _ = run(["check", str(folder / "青山县.txt"), "--manifest", str(folder / "清单.csv"), "--format", "json",
                        "--fail-on", "never"], capsys)
    checked = _json(out)
    code, _, _ = run(["batch", str(folder / "青山县.txt"), "--manifest", str(folder / "清单.csv"),
                      "--out", str(folder / "out"), "--jobs", "1", "-q"], capsys)
    assert code == 0
    _, reports = read_results(folder / "out" / "results.jsonl")
    batched = json.loads(jsonout.dumps(next(iter(reports))))
    assert checked["score"] == batched["score"] and checked["coverage"] == batched["coverage"]

    def verdicts(report):
        return {r["rule"]: (r["status"], r["points"], r.get("cause"), r.get("root"), r["message"])
                for r in report["results"]}

    assert verdicts(checked) == verdicts(batched)
    assert checked["meta"]["sources"] == {"agency": "manifest", "agency_kind": "manifest", "year": "manifest",
                                          "published": "manifest"}
    late = next(r for r in checked["results"] if r["rule"] == "TIME-002")
    assert late["status"] == "fail"
    assert any(e.get("origin") == "manifest" and "清单.csv 第2行" in e["text"] for e in late["evidence"])


def test_options_give_the_same_facts_as_the_manifest(folder, capsys):
    _, by_manifest, _ = run(["check", str(folder / "青山县.txt"), "--manifest", str(folder / "清单.csv"),
                             "--format", "json", "--fail-on", "never"], capsys)
    _, by_options, _ = run(["check", str(folder / "青山县.txt"), "--agency", "青山县人民政府", "--kind", "人民政府",
                            "--year", "2024", "--published", "2025年4月2日", "--format", "json", "--fail-on", "never"],
                           capsys)
    assert _json(by_manifest)["score"] == _json(by_options)["score"]
    assert set(_json(by_options)["meta"]["sources"].values()) == {"option"}


def test_supplying_the_facts_never_lowers_an_unnamed_reports_score_below_the_named(folder, capsys):
    _, plain, _ = run(["check", str(folder / "青山县.txt"), "--format", "json", "--fail-on", "never"], capsys)
    _, known, _ = run(["check", str(folder / "青山县.txt"), "--agency", "青山县人民政府", "--published", "2025-01-10",
                       "--format", "json", "--fail-on", "never"], capsys)
    assert _json(plain)["score"] <= _json(known)["score"]


def test_the_text_scorecard_says_where_facts_came_from(folder, capsys):
    _, out, _ = run(["check", str(folder / "青山县.txt"), "--manifest", str(folder / "清单.csv"), "--fail-on", "never"],
                    capsys)
    assert "机关、类型、年度、发布日期据清单" in out


def test_a_bad_fact_is_a_usage_error(folder, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["check", str(folder / "青山县.txt"), "--kind", "县"])
    assert exit_.value.code == 2
    assert "government, department, other" in capsys.readouterr().err


def test_a_crashing_rule_exits_3_and_says_why(tmp_path, capsys):
    (tmp_path / "broken.toml").write_text('''
[[rule]]
id = "ZZ-001"
name = "divides-by-zero"
title = "除以零"
title_en = "Divides by zero"
category = "tables"
severity = "low"
basis = "测试"
kind = "assert"
assert = "applications['1'].total / (applications['1'].total - applications['1'].total) == 1"
message = "不会出现"

  [[rule.examples]]
  expect = "pass"
  tables.applications = { "1" = [1, 0, 0, 0, 0, 0, 1] }

  [[rule.examples]]
  expect = "fail"
  tables.applications = { "1" = [2, 0, 0, 0, 0, 0, 2] }
''', encoding="utf-8")
    code, out, err = run(["check", str(SEEDS / "003_855a3ef0bc8273b0.txt"), "--rules", str(tmp_path), "--fail-on",
                          "never"], capsys)
    assert code == 3
    assert "ZZ-001" in err and "zero" in err.lower()
    assert "检查器的问题，不是报告的问题" in out


def test_rules_docs_prints_and_writes_nothing(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(["rules", "docs"], capsys)
    assert code == 0 and out.startswith("# ") and "TB-010" in out
    assert not (tmp_path / "docs").exists()
    code, _, _ = run(["rules", "docs", "-o", "ref.md"], capsys)
    assert code == 0 and (tmp_path / "ref.md").read_text(encoding="utf-8").startswith("# ")
