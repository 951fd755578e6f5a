"""The deliverables of the current filter, from the workspace: the summary workbook (the
batch's writer, checker.render.summary) and the written notice (通报) as a Word file.

The notice is drafted here from the store's rows until the batch's notice writer (over a
sequence of results) is on main; then this module calls it instead."""
from __future__ import annotations

import io
import re
import tempfile
from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Mapping, Optional, Sequence

from ..provenance import Provenance
from ..render.summary import KIND_LABELS, write_summary_xlsx
from ..store.queries import RankingRow

LOWEST_SHOWN = 10
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
RULES_SHOWN = 10


def summary_xlsx(rows: Sequence[RankingRow], grades: Sequence[str]) -> bytes:
    with tempfile.TemporaryDirectory(prefix="xxgk-export-") as folder:
        path = Path(folder) / "summary.xlsx"
        write_summary_xlsx(path, [(row.rank, row) for row in rows], grades)
        return path.read_bytes()


def _mean(rows: Sequence[RankingRow]) -> Optional[Decimal]:
    scores = [r.score for r in rows if r.score is not None]
    if not scores:
        return None
    return (sum(scores, Decimal(0)) / len(scores)).quantize(Decimal("0.1"))


def _clean(text: str) -> str:
    """Report text as Word can hold it (no control characters); never markup, never a field."""
    return _NOT_XML.sub("", text)


def _number(value: Optional[Decimal]) -> str:
    return "—" if value is None else format(value.normalize(), "f")


def notice_docx(rows: Sequence[RankingRow], *, scope: str, grades: Sequence[str], titles: Mapping[str, str],
                provenance: Provenance, today: Optional[date] = None) -> bytes:
    """一、总体情况 二、排名 三、共性问题 四、各机关存在的问题 五、检查方法, as an office writes it."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    today = today or date.today()
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "仿宋"
    style.font.size = Pt(16)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "仿宋_GB2312")

    def east_asian(run: Any, font: str) -> None:
        run.font.name = font
        run.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)

    def heading(text: str, font: str = "黑体") -> None:
        run = document.add_paragraph().add_run(_clean(text))
        east_asian(run, font)
        run.bold = font != "黑体"

    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(_clean(f"关于{scope}政府信息公开工作年度报告检查情况的通报"))
    run.font.size = Pt(22)
    east_asian(run, "方正小标宋简体")
    stamp = document.add_paragraph(f"{today.year}年{today.month}月{today.day}日")
    stamp.alignment = WD_ALIGN_PARAGRAPH.CENTER

    checked = [r for r in rows if not r.error]
    agencies = {r.agency for r in rows if r.agency}
    counts = Counter(r.grade for r in checked if r.grade)
    heading("一、总体情况")
    document.add_paragraph(
        f"本次共检查{len(agencies)}个机关的{len(rows)}份年度报告，其中{len(rows) - len(checked)}份无法检查。"
        f"平均得分{_number(_mean(checked))}分；" + "，".join(f"{g}{counts.get(g, 0)}份" for g in grades) + "。")
    late = sum(1 for r in checked if any(rule.startswith("TIME-") for rule in r.failed_rules))
    document.add_paragraph(f"按时发布{len(checked) - late}份，逾期发布{late}份。")

    heading("二、检查结果排名")
    ranked = [r for r in rows if r.rank is not None]
    table = document.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("排名", "机关", "类型", "得分", "等级")):
        cell.text = text
    for row in ranked:
        cells = table.add_row().cells
        for cell, text in zip(cells, (str(row.rank), row.agency or row.file, KIND_LABELS.get(row.kind or "", "—"),
                                      _number(row.score), row.grade or "—")):
            cell.text = _clean(text)
    lowest = sorted(ranked, key=lambda r: (r.score, r.file))[:LOWEST_SHOWN]  # type: ignore[type-var]
    if lowest:
        document.add_paragraph(_clean("得分较低的报告：" + "、".join(f"{r.agency or r.file}（{_number(r.score)}分）"
                                                              for r in lowest) + "。"))

    heading("三、存在的共性问题")
    common = Counter(rule for r in checked for rule in r.failed_rules).most_common(RULES_SHOWN)
    if not common:
        document.add_paragraph("未发现共性问题。")
    for index, (rule, count) in enumerate(common, start=1):
        heading(f"（{_ordinal(index)}）{titles.get(rule, rule)}", font="楷体")
        document.add_paragraph(f"{count}份报告存在此问题（规则 {rule}）。")

    heading("四、各机关存在的问题")
    for index, row in enumerate([r for r in rows if r.failed_rules or r.error], start=1):
        problems = row.error or "；".join(titles.get(rule, rule) for rule in row.failed_rules)
        document.add_paragraph(_clean(f"{index}. {row.agency or row.file}：{problems}。"))

    heading("五、检查方法")
    document.add_paragraph(
        f"依据《中华人民共和国政府信息公开条例》和国办公开办函〔2021〕30号格式，使用 xxgk-checker "
        f"{provenance.checker_version}（规则包 {provenance.short_hash}，评分方案 {provenance.profile_title}）"
        f"逐份检查；评审人员对警示逐条复核，经复核认定不成立的问题不扣分。")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


_ORDINALS = "一二三四五六七八九十"


def _ordinal(number: int) -> str:
    return _ORDINALS[number - 1] if number <= len(_ORDINALS) else str(number)
