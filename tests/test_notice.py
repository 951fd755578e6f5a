"""`xxgk notice OUT_DIR -o 通报.docx`: the written notice of a batch, opened with python-docx
to check its structure, and rendered by LibreOffice to be sure it opens."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from batch_support import last_year
from checker.cli import main

SEEDS = Path(__file__).resolve().parent / "fixtures" / "seeds"
LITONG = SEEDS / "002_a0c218d13443adaa.txt"


@pytest.fixture(scope="module")
def notice(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("notice")
    reports = base / "reports"
    shutil.copytree(SEEDS, reports)
    (reports / "litong-2023.txt").write_text(last_year(LITONG.read_text(encoding="utf-8")), encoding="utf-8")
    assert main(["batch", str(reports), "--out", str(base / "out"), "--jobs", "1", "--quiet"]) == 0
    target = base / "通报.docx"
    assert main(["notice", str(base / "out"), "-o", str(target)]) == 0
    return target


def _east_asian(run) -> str:
    fonts = run._element.rPr.find(qn("w:rFonts"))
    return fonts.get(qn("w:eastAsia"))


def test_the_notice_has_the_parts_of_an_official_notice(notice: Path) -> None:
    doc = Document(str(notice))
    texts = [p.text for p in doc.paragraphs if p.text]
    assert texts[0].startswith("关于") and "2024年度" in texts[0] and texts[0].endswith("通报")
    headings = [p for p in doc.paragraphs if p.text[:2] in ("一、", "二、", "三、", "四、", "五、")]
    assert [p.text for p in headings] == ["一、检查范围", "二、总体情况", "三、存在的共性问题", "四、各机关存在的问题",
                                          "五、检查方法"]
    assert all(_east_asian(p.runs[0]) == "黑体" for p in headings)
    body = next(p for p in doc.paragraphs if p.text.startswith("本次共检查"))
    assert _east_asian(body.runs[0]).startswith("仿宋") and "5份年度报告" in body.text  # 2024 only
    assert "按时发布" in body.text and "逾期发布" in body.text
    assert any(p.text.startswith("（一）") and _east_asian(p.runs[0]).startswith("楷体") for p in doc.paragraphs)
    assert any(p.text.startswith("1. ") for p in doc.paragraphs)
    assert "“" in next(p.text for p in doc.paragraphs if "份报告存在此问题" in p.text)  # a typical quotation
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["排名", "机关", "得分", "等级", "不通过规则数"]
    assert len(table.rows) == 1 + 5 and table.rows[1].cells[0].text == "1"
    method = next(p.text for p in doc.paragraphs if "检查规则" in p.text)
    assert "规则包哈希" in method and "评分方案" in method
    section = doc.sections[0]
    assert round(section.page_width.cm) == 21 and round(section.page_height.cm) == 30


def test_the_notice_of_another_year_and_bad_targets(notice: Path, tmp_path: Path, capsys) -> None:
    out = notice.parent / "out"
    older = tmp_path / "2023.docx"
    assert main(["notice", str(out), "--year", "2023", "-o", str(older)]) == 0
    texts = [p.text for p in Document(str(older)).paragraphs]
    assert "2023年度" in texts[0] and any("1份年度报告" in t for t in texts)
    assert main(["notice", str(out), "-o", str(tmp_path / "x.pdf")]) == 2
    assert main(["notice", str(tmp_path), "-o", str(tmp_path / "y.docx")]) == 2
    assert "no results.jsonl" in capsys.readouterr().err


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_opens_the_notice(notice: Path, tmp_path: Path) -> None:
    result = subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless",
                             "--convert-to", "pdf", "--outdir", str(tmp_path), str(notice)],
                            capture_output=True, timeout=180)
    pdf = tmp_path / (notice.stem + ".pdf")
    assert result.returncode == 0 and pdf.is_file(), result.stderr
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 5000
