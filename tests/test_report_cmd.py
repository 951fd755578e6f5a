"""`xxgk report FILE --format html|md`: one report's scorecard on its own."""
from __future__ import annotations

from pathlib import Path

from checker.cli import main

SEEDS = Path(__file__).resolve().parent / "fixtures" / "seeds"
YUMIN = SEEDS / "000_c7c1a845340d13e1.txt"
LITONG = SEEDS / "002_a0c218d13443adaa.txt"


def test_html_page_is_the_drill_down_standalone(tmp_path: Path) -> None:
    out = tmp_path / "yumin.html"
    assert main(["report", str(YUMIN), "--format", "html", "-o", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and '<html lang="zh-CN">' in page
    assert '<article class="report">' in page and "裕民县" in page
    assert 'data-rule="TC-001"' in page and "依据：" in page and "不通过" in page
    assert "http" not in page and "<script" not in page  # nothing fetched, nothing to run


def test_previous_year_findings_in_the_page(tmp_path: Path) -> None:
    previous = tmp_path / "litong-2023.txt"
    previous.write_text(LITONG.read_text(encoding="utf-8").replace("2024", "2023").replace("2025", "2024"),
                        encoding="utf-8")
    out = tmp_path / "litong.html"
    assert main(["report", str(LITONG), "--previous", str(previous), "-o", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert 'data-rule="DUP-002"' in page and "相同段落" in page and "全文（" in page


def test_markdown(capsys) -> None:
    assert main(["report", str(LITONG), "--format", "md"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# ") and "## 利通区" in out and "| 规则 |" in out


def test_unreadable_file_is_a_page_that_says_why(tmp_path: Path, capsys) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n garbage")
    assert main(["report", str(broken)]) == 1
    assert "无法检查：" in capsys.readouterr().out
