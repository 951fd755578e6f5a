"""The written notice (通报) an office sends upward after a batch: a Word document in the
conventions of Chinese official documents (GB/T 9704: A4, title in 小标宋, body in 仿宋 三号,
headings 一、 in 黑体 and （一） in 楷体, 28-point lines, two-character first-line indent).

``write_notice`` works over any sequence of report objects in the public JSON form (results.jsonl
expanded, ``xxgk check --format json``'s ``reports``, or the web app's results), so the command
``xxgk notice OUT_DIR`` and the web app's export share it. It writes: the title and date; the
scope (agencies, reports, on time or late); the overall results (grade counts, average, the
ranking, or its lowest part for a large batch); the common problems with counts and a typical
quotation each; each agency's problems; and the method (rules, profile, provenance)."""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable, Mapping, Optional, Sequence

from ..outpaths import atomic_output
from ..messages import KIND_LABELS
from .records import FindingRow, SummaryRow, finding_rows, ranked, summary_row

BODY_FONT = "仿宋_GB2312"
BODY_FALLBACK = "仿宋"
HEADING_FONT = "黑体"
SUBHEADING_FONT = "楷体_GB2312"
TITLE_FONT = "方正小标宋简体"
NUMERALS = "一二三四五六七八九十"
# the whole ranking up to this many reports; beyond, its lowest part
RANKING_IN_FULL = 40
LOWEST_SHOWN = 20
COMMON_PROBLEMS = 10
QUOTE_LIMIT = 80
# rules whose pass / fail says whether the report was published on time
TIMELINESS_CATEGORY = "timeliness"


@dataclass
class _Agency:
    name: str
    rows: list[SummaryRow] = field(default_factory=list)
    findings: list[FindingRow] = field(default_factory=list)


def _chinese_number(n: int) -> str:
    if n <= 10:
        return NUMERALS[n - 1]
    if n < 20:
        return "十" + NUMERALS[n - 11]
    tens, ones = divmod(n, 10)
    return NUMERALS[tens - 1] + "十" + (NUMERALS[ones - 1] if ones else "")


def _clip(text: str, limit: int = QUOTE_LIMIT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _day(value: Optional[str]) -> date:
    try:
        return date.fromisoformat((value or "")[:10])
    except ValueError:
        return date.today()


def _score(value: Optional[Decimal]) -> str:
    return "—" if value is None else format(value.normalize(), "f")


def write_notice(path: str | Path, reports: Iterable[Mapping[str, Any]], *, provenance: Mapping[str, Any],
                 year: Optional[int] = None, region: Optional[str] = None, issuer: str = "",
                 rule_count: Optional[int] = None) -> int:
    """Write the notice for the reports of ``year`` (default: the latest year among them) and
    ``region`` (default: all) to ``path``; returns how many reports it covers. Reports of other
    years are left out: reports of different years are never compared."""
    rows: list[SummaryRow] = []
    findings: dict[str, list[FindingRow]] = defaultdict(list)
    timely: dict[str, Optional[bool]] = {}
    rules_seen: set[str] = set()
    by_year: dict[Optional[int], int] = Counter()
    kept: list[tuple[SummaryRow, list[FindingRow], Optional[bool]]] = []
    for report in reports:
        row = summary_row(report)
        if region is not None and row.region != region:
            continue
        by_year[row.year] += 1
        statuses = [r["status"] for r in report.get("results", ()) if r.get("category") == TIMELINESS_CATEGORY
                    and r["status"] in ("pass", "fail")]
        on_time = None if not statuses else "fail" not in statuses
        rules_seen.update(r["rule"] for r in report.get("results", ()))
        kept.append((row, [f for f in finding_rows(report) if f.status == "fail"], on_time))
    if year is None:
        known = [y for y in by_year if y is not None]
        year = max(known) if known else None
    for row, failed, on_time in kept:
        if row.year == year:
            rows.append(row)
            findings[row.id] = failed
            timely[row.id] = on_time
    _write(Path(path), rows, findings, timely, provenance=provenance, year=year, region=region, issuer=issuer,
           rule_count=rule_count if rule_count is not None else len(rules_seen))
    return len(rows)


class _Document:
    """python-docx with the official-document conventions: fonts set for East Asian text too
    (Word picks the font of Chinese characters from w:eastAsia)."""

    def __init__(self) -> None:
        from docx import Document
        from docx.shared import Cm, Pt

        self.Pt = Pt
        self.doc = Document()
        section = self.doc.sections[0]
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
        section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
        normal = self.doc.styles["Normal"]
        normal.font.size = Pt(16)
        self._font(normal.element, BODY_FONT)
        normal.paragraph_format.line_spacing = Pt(28)
        normal.paragraph_format.space_before = normal.paragraph_format.space_after = Pt(0)

    @staticmethod
    def _font(element: Any, name: str) -> None:
        from docx.oxml.ns import qn

        rpr = element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = rpr.makeelement(qn("w:rFonts"), {})
            rpr.insert(0, fonts)
        fallback = BODY_FALLBACK if name == BODY_FONT else name
        for attribute, value in (("w:ascii", "Times New Roman"), ("w:hAnsi", "Times New Roman"),
                                 ("w:eastAsia", name), ("w:cs", fallback)):
            fonts.set(qn(attribute), value)

    def paragraph(self, text: str = "", *, font: str = BODY_FONT, size: int = 16, bold: bool = False,
                  indent: bool = True, align: Optional[str] = None) -> Any:
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        paragraph = self.doc.add_paragraph()
        if indent:
            paragraph.paragraph_format.first_line_indent = self.Pt(size * 2)
        if align == "center":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif align == "right":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        if text:
            self.run(paragraph, text, font=font, size=size, bold=bold)
        return paragraph

    def run(self, paragraph: Any, text: str, *, font: str = BODY_FONT, size: int = 16, bold: bool = False) -> Any:
        run = paragraph.add_run(text)
        run.font.size = self.Pt(size)
        run.bold = bold
        self._font(run._element, font)
        return run

    def heading(self, text: str) -> None:
        self.paragraph(text, font=HEADING_FONT)

    def subheading(self, text: str) -> None:
        self.paragraph(text, font=SUBHEADING_FONT)

    def table(self, headers: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
        table = self.doc.add_table(rows=1, cols=len(headers))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, headers):
            cell.text = ""
            self.run(cell.paragraphs[0], text, font=HEADING_FONT, size=12)
        for values in rows:
            cells = table.add_row().cells
            for cell, text in zip(cells, values):
                cell.text = ""
                self.run(cell.paragraphs[0], text, size=12)

    def save(self, path: Path) -> None:
        with atomic_output(path, "wb") as stream:
            self.doc.save(stream)


def _write(path: Path, rows: list[SummaryRow], findings: Mapping[str, list[FindingRow]],
           timely: Mapping[str, Optional[bool]], *, provenance: Mapping[str, Any], year: Optional[int],
           region: Optional[str], issuer: str, rule_count: int) -> None:
    doc = _Document()
    when = _day(provenance.get("run_at"))
    scope = f"{region}" if region else ""
    period = f"{year}年度" if year is not None else ""
    doc.paragraph(f"关于{scope}{period}政府信息公开工作年度报告检查情况的通报", font=TITLE_FONT, size=22,
                  indent=False, align="center")
    doc.paragraph()
    agencies: dict[str, _Agency] = {}
    for row in rows:
        name = row.agency or f"（未识别机关：{row.file}）"
        agencies.setdefault(name, _Agency(name)).rows.append(row)
        agencies[name].findings.extend(findings.get(row.id, ()))
    checked = [r for r in rows if not r.error]
    scores = [r.score for r in checked if r.score is not None]
    on_time = sum(1 for r in rows if timely.get(r.id) is True)
    late = sum(1 for r in rows if timely.get(r.id) is False)
    doc.paragraph(f"为推进政府信息公开工作，按照《中华人民共和国政府信息公开条例》和国务院办公厅政府信息与政务"
                  f"公开办公室关于年度报告格式的要求，对{scope}{period}政府信息公开工作年度报告进行了检查。"
                  "现将有关情况通报如下。")

    doc.heading("一、检查范围")
    kinds = Counter(KIND_LABELS["zh"].get(r.kind or "", "未识别类型") for r in rows)
    kind_text = "，".join(f"{k}{n}份" for k, n in sorted(kinds.items()))
    unknown = len(rows) - on_time - late
    doc.paragraph(f"本次共检查{len(agencies)}个机关的{len(rows)}份年度报告（{kind_text}）。其中按时发布{on_time}份，"
                  f"逾期发布{late}份" + (f"，发布时间未能确认{unknown}份" if unknown else "") + "；"
                  f"无法读取或无法检查{len(rows) - len(checked)}份。")

    doc.heading("二、总体情况")
    grades = Counter(r.grade for r in rows if r.grade)
    grade_text = "，".join(f"{g}{n}份" for g, n in grades.most_common())
    mean = (sum(scores, Decimal(0)) / len(scores)).quantize(Decimal("0.1")) if scores else None
    doc.paragraph(f"参加评分的{len(scores)}份报告平均得分{_score(mean)}分" + (f"，{grade_text}" if grade_text else "")
                  + "。" + ("得分排名如下表。" if len(rows) <= RANKING_IN_FULL else
                           f"报告较多，下表列出得分最低的{LOWEST_SHOWN}份，完整排名见汇总表。"))
    ranking = ranked(rows)
    shown = ranking if len(ranking) <= RANKING_IN_FULL else [
        item for item in ranking if item[0] is not None][-LOWEST_SHOWN:]
    doc.table(("排名", "机关", "得分", "等级", "不通过规则数"),
              ((str(rank) if rank is not None else "—", row.agency or row.file, _score(row.score),
                row.grade or ("无法检查" if row.error else "—"), str(row.failed) if not row.error else "—")
               for rank, row in shown))

    doc.heading("三、存在的共性问题")
    counts: Counter[str] = Counter()
    examples: dict[str, tuple[FindingRow, SummaryRow]] = {}
    for row in rows:
        for finding in findings.get(row.id, ()):
            counts[finding.rule] += 1
            if finding.rule not in examples or (not examples[finding.rule][0].evidence and finding.evidence):
                examples[finding.rule] = (finding, row)
    common = [(rule, n) for rule, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
              if n >= 2][:COMMON_PROBLEMS]
    if not common:
        doc.paragraph("本次检查未发现多个机关共有的问题。")
    for number, (rule, n) in enumerate(common, start=1):
        finding, row = examples[rule]
        doc.subheading(f"（{_chinese_number(number)}）{finding.title}")
        quote = _clip(finding.evidence) if finding.evidence else _clip(finding.message)
        doc.paragraph(f"{n}份报告存在此问题（规则{rule}）。如{row.agency or row.file}报告"
                      + (f"{finding.location}" if finding.location else "") + f"：“{quote}”。")

    doc.heading("四、各机关存在的问题")
    order = sorted(agencies.values(), key=lambda a: (min((r.score for r in a.rows if r.score is not None),
                                                         default=Decimal(10**6)), a.name))
    for number, agency in enumerate(order, start=1):
        scored = "；".join(f"得分{_score(r.score)}（{r.grade or '—'}）" if not r.error else f"无法检查：{r.error}"
                          for r in agency.rows)
        problems = "；".join(dict.fromkeys(f"{f.title}（{f.rule}）" for f in agency.findings)) or "未发现不通过的检查项"
        doc.paragraph(f"{number}. {agency.name}：{scored}。主要问题：{problems}。")

    doc.heading("五、检查方法")
    profile = provenance.get("profile_title") or provenance.get("profile") or ""
    doc.paragraph(f"本次检查使用xxgk-checker {provenance.get('checker_version', '')}，按《中华人民共和国政府信息"
                  f"公开工作年度报告格式》（国办公开办函〔2021〕30号）逐项检查，共{rule_count}条检查规则，"
                  f"评分方案为“{profile}”。每项问题均注明所依据的规则、法规依据和报告原文。规则包哈希"
                  f"{str(provenance.get('pack_hash', ''))[:12]}，检查时间{provenance.get('run_at', '')}。")
    applied = Counter(w for row in rows for w in row.waivers)
    if applied:
        doc.paragraph(f"经审核同意，以下{len(applied)}项豁免适用于本次检查，相应问题保留记录但不扣分：")
        for number, (waiver, n) in enumerate(sorted(applied.items(), key=lambda item: item[0].source), start=1):
            doc.paragraph(f"{number}. {waiver.text('zh')}，涉及{n}份报告。")
    doc.paragraph()
    if issuer:
        doc.paragraph(issuer, indent=False, align="right")
    doc.paragraph(f"{when.year}年{when.month}月{when.day}日", indent=False, align="right")
    doc.save(path)
