"""The workbook writer over any sequence of report objects (as the web app's export calls it):
its three sheets, and report text that would be a formula stays text."""
from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from checker.render.summary import workbook_from_results

HOSTILE = ["=HYPERLINK(\"http://x\",\"y\")", "+1+2", "-3", "@SUM(A1)"]


def report(i: int, agency: str, quote: str) -> dict:
    return {"id": f"r{i}", "source": f"a/{i}.txt", "meta": {"agency": agency, "year": 2024}, "score": 80 - i,
            "grade": "良好", "coverage": 0.9, "failures": {"medium": 1}, "error": None,
            "results": [{"rule": "STR-009", "status": "fail", "severity": "medium", "category": "structure",
                         "title": "总体情况未涵盖五个方面", "message": quote,
                         "evidence": [{"kind": "quote", "text": quote, "where": {"line": 3}}]},
                        {"rule": "TB-010", "status": "pass", "severity": "critical", "category": "tables",
                         "title": "t", "message": "通过", "evidence": []}]}


@pytest.mark.parametrize("text", HOSTILE)
def test_report_text_that_looks_like_a_formula_stays_text(tmp_path: Path, text: str) -> None:
    path = tmp_path / "w.xlsx"
    workbook_from_results(path, [report(1, text, text), report(2, "某县", "正常")], grades=["优秀", "良好"])
    book = load_workbook(path)
    assert book.sheetnames == ["汇总", "问题明细", "规则统计"]
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value == text]
    assert len(cells) >= 3  # the agency in 汇总 and 问题明细, the quote
    assert all(c.data_type == "s" for c in cells), [c.data_type for c in cells]
    findings = list(book["问题明细"].iter_rows(values_only=True))
    assert len(findings) == 3 and findings[1][3] == "STR-009" and findings[1][9] == "第3行"
    link = book["汇总"].cell(row=2, column=19).hyperlink
    assert link.target == "reports/r1.html"


def test_findings_past_a_sheets_rows_go_on_in_the_next_sheet(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import checker.render.summary as summary

    monkeypatch.setattr(summary, "SHEET_ROWS", 2)
    path = tmp_path / "w.xlsx"
    workbook_from_results(path, [report(i, f"某县{i}", f"引文{i}") for i in range(1, 6)], grades=["良好"])
    book = load_workbook(path)
    assert book.sheetnames == ["汇总", "问题明细", "问题明细2", "问题明细3", "规则统计"]
    quotes = [[row[8] for row in book[name].iter_rows(min_row=2, values_only=True)]
              for name in ("问题明细", "问题明细2", "问题明细3")]
    assert quotes == [["引文1", "引文2"], ["引文3", "引文4"], ["引文5"]]
    assert [r[0] for r in book["问题明细2"].iter_rows(max_row=1, values_only=True)] == ["机关"]
