"""`xxgk check`: output formats, exit statuses, selection, and unreadable files."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from checker.cli import main
from checker.engine.pack import load_pack
from checker.resources import schema

SEEDS = Path(__file__).resolve().parent / "fixtures" / "seeds"
YUMIN = str(SEEDS / "000_c7c1a845340d13e1.txt")  # TC-001 (critical) fails, TB-006 (low) fails
LITONG = str(SEEDS / "002_a0c218d13443adaa.txt")  # worst failure is medium


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_json_output_validates_and_has_one_result_per_rule(capsys) -> None:
    code, out, _ = run(["check", YUMIN, LITONG, "--format", "json"], capsys)
    document = json.loads(out)
    jsonschema.validate(document, schema("results.schema.json"))
    assert [r["source"] for r in document["reports"]] == [YUMIN, LITONG]
    for report in document["reports"]:
        rules = [r["rule"] for r in report["results"]]
        assert len(rules) == len(set(rules)) == len(load_pack().rules)
        assert report["grade"] in ("优秀", "良好", "合格", "不合格")
    tc001 = next(r for r in document["reports"][0]["results"] if r["rule"] == "TC-001")
    assert tc001["status"] == "fail" and tc001["severity"] == "critical" and tc001["evidence"]
    xp001 = next(r for r in document["reports"][0]["results"] if r["rule"] == "XP-001")
    detail = next(d for d in xp001["details"] if d["status"] == "fail")
    assert detail["params"]["claimed"] == 2 and detail["params"]["expected"] == "0"
    assert any(e["kind"] == "quote" and "受理政府信息公开申请2件" in e["text"] and e["where"]["line"] for e in detail["evidence"])


def test_text_output_is_what_an_evaluator_reads(capsys) -> None:
    code, out, _ = run(["check", YUMIN], capsys)
    assert code == 1
    lines = out.splitlines()
    assert lines[0].startswith("报告：")
    assert "得分：" in lines[2] and "等级：" in lines[2] and "覆盖率：" in lines[2]
    assert "【表格】" in out and "TC-001" in out and "依据：" in out and "证据：" in out


def test_markdown_output(capsys) -> None:
    code, out, _ = run(["check", LITONG, "--format", "md"], capsys)
    assert out.startswith("# ") and "| 规则 |" in out and "XP-002" in out


@pytest.mark.parametrize("fail_on,expected", [("critical", 0), ("medium", 1), ("never", 0)])
def test_fail_on_threshold(capsys, fail_on: str, expected: int) -> None:
    code, _, _ = run(["check", LITONG, "--fail-on", fail_on], capsys)
    assert code == expected


def test_fail_on_critical_catches_a_critical_failure(capsys) -> None:
    code, _, _ = run(["check", YUMIN, "--fail-on", "critical"], capsys)
    assert code == 1


def test_select_and_ignore(capsys) -> None:
    _, out, _ = run(["check", YUMIN, "--format", "json", "--select", "TB,TC-001", "--ignore", "TB-006"], capsys)
    rules = [r["rule"] for r in json.loads(out)["reports"][0]["results"]]
    assert "TC-001" in rules and "TB-010" in rules and "TB-006" not in rules and "STR-001" not in rules


def test_unreadable_file_is_an_entry_not_a_crash(tmp_path: Path, capsys) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n garbage")
    code, out, err = run(["check", str(broken), LITONG, "--format", "json"], capsys)
    reports = json.loads(out)["reports"]
    assert reports[0]["error"] and reports[0]["results"] == [] and reports[0]["score"] is None
    assert reports[1]["error"] is None and reports[1]["results"]
    assert code == 1 and "Traceback" not in err


def test_text_without_a_report_is_an_error_entry(tmp_path: Path, capsys) -> None:
    page = tmp_path / "notice.txt"
    page.write_text("关于开展春季植树活动的通知\n请各单位按时参加。\n", encoding="utf-8")
    code, out, _ = run(["check", str(page)], capsys)
    assert code == 1 and "未找到年度报告内容" in out


def test_english_messages(capsys) -> None:
    _, out, _ = run(["check", YUMIN, "--format", "json", "--lang", "en"], capsys)
    tc001 = next(r for r in json.loads(out)["reports"][0]["results"] if r["rule"] == "TC-001")
    assert tc001["message"] == "Table C (reviews and litigation) not found"


def test_previous_year_enables_cross_year_rules(capsys) -> None:
    corpus = Path(__file__).resolve().parent / "fixtures" / "corpus"
    _, out, _ = run(["check", str(corpus / "pingtan-2024.html"), "--previous", str(corpus / "pingtan-2023.html"),
                     "--format", "json", "--select", "TB-013,TA-007,DUP"], capsys)
    statuses = {r["rule"]: r["status"] for r in json.loads(out)["reports"][0]["results"]}
    assert statuses["TB-013"] == "pass" and statuses["TA-007"] == "fail"
    assert statuses["DUP-004"] == "not_applicable"


def test_previous_needs_one_file(capsys) -> None:
    code, _, err = run(["check", YUMIN, LITONG, "--previous", YUMIN], capsys)
    assert code == 2 and "--previous" in err


def test_python_dash_m_works() -> None:
    proc = subprocess.run([sys.executable, "-m", "checker", "rules", "list"], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0 and "TB-010" in proc.stdout
