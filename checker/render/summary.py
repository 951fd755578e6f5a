"""The batch's tables for a spreadsheet: summary.csv (one row per report, in ranking order),
rules.csv (per rule, how often each status occurred) and the workbook summary.xlsx with three
sheets: 汇总 (one row per report, linked to its page), 问题明细 (one row per finding) and 规则统计.

``write_workbook`` and ``workbook_from_results`` are plain functions over rows or over any
sequence of report objects (the public JSON form), so the web app's exports use them as the
batch does. CSV files are UTF-8 with a BOM, which Excel needs to show Chinese. Text taken from
reports (agency names, file names, quotes, reasons) is untrusted: a value a spreadsheet would
run as a formula (starting with = + - @) gets a leading apostrophe in the CSV and is stored as
plain text in the workbook. The workbook's bytes do not depend on when it was written."""
from __future__ import annotations

import csv
import re
import shutil
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, Optional, Sequence

from ..messages import CATEGORY_LABELS, SEVERITY_LABELS, STATUS_LABELS
from ..outpaths import atomic_output
from ..results import SEVERITIES, STATUSES
from .records import KIND_LABELS, FindingRow, RuleTally, SummaryRow, finding_rows, ranked, summary_row

SUMMARY_HEADERS = ("排名", "文件", "机关", "地区", "类型", "年度", "发布日期", "得分", "等级", "覆盖率",
                   "不通过·严重", "不通过·高", "不通过·中", "不通过·低", "不通过·提示",
                   "不通过的规则", "无法检查的原因")
PAGE_HEADER = "检查详情"
FINDING_HEADERS = ("机关", "年度", "文件", "规则", "标题", "严重程度", "状态", "说明", "证据", "位置")
RULE_HEADERS = ("规则", "标题", "类别", "严重程度", "通过", "不通过", "无法评估", "不适用", "出错")
# fills for the grades, best first; a profile with more grades reuses the last
GRADE_FILLS = ("C6EFCE", "DDEBF7", "FFF2CC", "F8CBAD")
ERROR_FILL = "E7E6E6"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_WIDTH_LIMIT = 60
# a sheet holds 1,048,576 rows; findings beyond go on to 问题明细2, 问题明细3...
SHEET_ROWS = 1_048_575
_CELL_TEXT = 32_767  # Excel's limit on the text of one cell
_COLUMN_INDEX = {name: index for index, name in enumerate(SUMMARY_HEADERS)}


@dataclass(frozen=True)
class RuleLine:
    rule: str
    title: str
    category: str
    severity: str
    counts: Mapping[str, int]  # per status


def page_link(row: SummaryRow) -> str:
    """The report's page, relative to the output folder."""
    return f"reports/{row.id}.html"


def _values(rank: Optional[int], row: SummaryRow) -> list[Any]:
    failures = list(row.failures) if not row.error else [None] * len(SEVERITIES)
    return [rank, row.file, row.agency, row.region, KIND_LABELS.get(row.kind or "", row.kind), row.year,
            row.published, row.score, row.grade, row.coverage if not row.error else None, *failures,
            " ".join(row.failed_rules), row.error]


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _write_csv(path: Path, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    with atomic_output(path, encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(headers)
        for row in rows:
            writer.writerow([_csv_text(v) for v in row])


def write_summary_csv(path: Path, ranking: Sequence[tuple[Optional[int], SummaryRow]]) -> None:
    coverage = _COLUMN_INDEX["覆盖率"]

    def lines() -> Iterable[list[Any]]:
        for rank, row in ranking:
            values = _values(rank, row)
            values[coverage] = _percent(values[coverage])
            yield values
    _write_csv(path, SUMMARY_HEADERS, lines())


def write_rules_csv(path: Path, lines: Sequence[RuleLine]) -> None:
    _write_csv(path, RULE_HEADERS, (_rule_values(line) for line in lines))


def _rule_values(line: RuleLine) -> list[Any]:
    return [line.rule, line.title, CATEGORY_LABELS["zh"].get(line.category, line.category),
            SEVERITY_LABELS["zh"].get(line.severity, line.severity), *(line.counts.get(s, 0) for s in STATUSES)]


def _percent(value: Optional[Decimal]) -> Optional[str]:
    return None if value is None else f"{(value * 100).quantize(Decimal('0.1'))}%"


# --------------------------------------------------------------------------- the workbook


def workbook_from_results(path: Path, reports: Iterable[Mapping[str, Any]], rules: Sequence[RuleLine] = (),
                          grades: Sequence[str] = ()) -> None:
    """summary.xlsx from report objects in the public JSON form (``xxgk check --format json``'s
    ``reports``, results.jsonl's lines expanded, or the web app's results; each with an ``id``
    for its page link, else its source is used). ``rules``: the rule lines of the 规则统计 sheet
    (made from the reports when not given: their titles, categories and severities). Holds one
    small row per report and per finding in memory: for a batch-sized input the batch itself
    streams (write_workbook)."""
    rows: list[SummaryRow] = []
    findings: list[tuple[SummaryRow, FindingRow]] = []
    tally = RuleTally()
    seen: dict[str, RuleLine] = {}
    for report in reports:
        row = summary_row(report)
        rows.append(row)
        findings.extend((row, finding) for finding in finding_rows(report))
        tally.add_report(report)
        for result in report.get("results", ()):
            seen.setdefault(result["rule"], RuleLine(rule=result["rule"], title=result.get("title", ""),
                                                     category=result.get("category", ""),
                                                     severity=result.get("severity", ""), counts={}))
    lines = list(rules) or [RuleLine(rule=r.rule, title=r.title, category=r.category, severity=r.severity,
                                     counts=tally.of(r.rule)) for r in seen.values()]
    grades = list(grades) or sorted({r.grade for r in rows if r.grade})
    write_workbook(path, ranked(rows), iter(findings), lines, grades)


def write_workbook(path: Path, ranking: Sequence[tuple[Optional[int], SummaryRow]],
                   findings: Iterator[tuple[SummaryRow, FindingRow]], rules: Sequence[RuleLine],
                   grades: Sequence[str]) -> None:
    """The workbook: 汇总 (``ranking``, from checker.render.records.ranked), 问题明细 (one row per
    ``findings`` item, streamed: it may hold millions) and 规则统计 (``rules``). Streamed with
    openpyxl's write-only mode: a cell of a normal workbook costs hundreds of bytes."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    _summary_sheet(book, ranking, grades)
    _findings_sheets(book, findings)
    _rules_sheet(book, rules)
    _save_without_timestamps(book, path)


def _print_setup(sheet: Any, columns: int) -> None:
    """Landscape, as wide as the page, the header row on every page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = 9  # A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"
    sheet.freeze_panes = "A2"


def _header(sheet: Any, titles: Sequence[str]) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    bold, wrap = Font(bold=True), Alignment(vertical="center", wrap_text=True)
    cells = []
    for title in titles:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font, cell.alignment = bold, wrap
        cells.append(cell)
    sheet.append(cells)


def _widths(sheet: Any, widths: Sequence[int]) -> None:
    from openpyxl.utils import get_column_letter

    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(width + 2, _WIDTH_LIMIT)


def _summary_sheet(book: Any, ranking: Sequence[tuple[Optional[int], SummaryRow]], grades: Sequence[str]) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet("汇总")
    headers = SUMMARY_HEADERS + (PAGE_HEADER,)
    widths = [_width(h) for h in headers]
    for rank, row in ranking:
        for index, value in enumerate(_values(rank, row)):
            widths[index] = max(widths[index], _width(_csv_text(value)))
    _widths(sheet, widths)
    last_row = len(ranking) + 1
    last_col = get_column_letter(len(headers))
    reason_col = get_column_letter(_COLUMN_INDEX["无法检查的原因"] + 1)
    _print_setup(sheet, len(headers))
    sheet.auto_filter.ref = f"A1:{last_col}{last_row}"
    if last_row >= 2:
        area = f"A2:{get_column_letter(len(SUMMARY_HEADERS))}{last_row}"
        grade_col = get_column_letter(_COLUMN_INDEX["等级"] + 1)
        sheet.conditional_formatting.add(area, FormulaRule(
            formula=[f"LEN(${reason_col}2)>0"], fill=PatternFill("solid", start_color=ERROR_FILL, end_color=ERROR_FILL),
            stopIfTrue=True))
        for index, grade in enumerate(grades):
            color = GRADE_FILLS[min(index, len(GRADE_FILLS) - 1)]
            label = grade.replace('"', '""')
            sheet.conditional_formatting.add(area, FormulaRule(
                formula=[f'${grade_col}2="{label}"'], fill=PatternFill("solid", start_color=color, end_color=color)))
    _header(sheet, headers)
    formats = {_COLUMN_INDEX["发布日期"]: "yyyy-mm-dd", _COLUMN_INDEX["覆盖率"]: "0.0%"}
    link_font = Font(color="0563C1", underline="single")
    for rank, row in ranking:
        cells = _cells(sheet, _values(rank, row), formats)
        link = WriteOnlyCell(sheet, value="查看")
        link.hyperlink = page_link(row)
        link.font = link_font
        cells.append(link)
        sheet.append(cells)


def _findings_sheets(book: Any, findings: Iterator[tuple[SummaryRow, FindingRow]]) -> None:
    sheet, count, number = None, 0, 1
    for report, finding in findings:
        if sheet is None or count >= SHEET_ROWS:
            sheet = _findings_sheet(book, "问题明细" if number == 1 else f"问题明细{number}")
            number, count = number + 1, 0
        sheet.append(_cells(sheet, [report.agency, report.year, report.file, finding.rule, finding.title,
                                    SEVERITY_LABELS["zh"].get(finding.severity, finding.severity),
                                    STATUS_LABELS["zh"].get(finding.status, finding.status), finding.message,
                                    finding.evidence, finding.location], {}))
        count += 1
    if sheet is None:
        _findings_sheet(book, "问题明细")


def _findings_sheet(book: Any, name: str) -> Any:
    sheet = book.create_sheet(name)
    _widths(sheet, (24, 6, 24, 9, 36, 8, 8, 40, 50, 20))
    _print_setup(sheet, len(FINDING_HEADERS))
    sheet.auto_filter.ref = f"A1:J{SHEET_ROWS + 1}"
    _header(sheet, FINDING_HEADERS)
    return sheet


def _rules_sheet(book: Any, rules: Sequence[RuleLine]) -> None:
    sheet = book.create_sheet("规则统计")
    _widths(sheet, (9, 48, 10, 8, 6, 6, 8, 6, 6))
    _print_setup(sheet, len(RULE_HEADERS))
    sheet.auto_filter.ref = f"A1:I{len(rules) + 1}"
    _header(sheet, RULE_HEADERS)
    for line in rules:
        sheet.append(_cells(sheet, _rule_values(line), {}))


def _cells(sheet: Any, values: Sequence[Any], formats: Mapping[int, str]) -> list[Any]:
    """A row's values: a plain value is written as it is, several times faster than a cell
    object; a cell object only where a format is set or text would read as a formula."""
    from openpyxl.cell import WriteOnlyCell

    cells: list[Any] = []
    for index, value in enumerate(values):
        value = _xlsx_value(value)
        if index in formats or (isinstance(value, str) and value.startswith("=")):
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # report text is never a formula
            if index in formats:
                cell.number_format = formats[index]
            value = cell
        cells.append(value)
    return cells


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, str):
        value = _ILLEGAL.sub("", value)
        return value if len(value) <= _CELL_TEXT else value[:_CELL_TEXT - 1] + "…"
    return value


def _width(text: str) -> int:
    """Columns are measured in Latin characters; a Chinese character takes two."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


_CORE_DATES = re.compile(rb"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>")


def _save_without_timestamps(book: Any, path: Path) -> None:
    """Save the workbook with no clock in it: openpyxl stamps the creation and modification
    time into docProps/core.xml and zip entries carry their write time. Streamed entry by entry
    through a temporary file: a sheet of a million findings is hundreds of MB unpacked."""
    with atomic_output(path, "wb") as raw:
        with tempfile.TemporaryFile(dir=Path(path).parent) as saved:
            book.save(saved)
            saved.seek(0)
            with zipfile.ZipFile(saved) as source, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as target:
                for info in source.infolist():
                    entry = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
                    entry.compress_type = zipfile.ZIP_DEFLATED
                    entry.external_attr = 0o600 << 16
                    if info.filename == "docProps/core.xml":
                        target.writestr(entry, _CORE_DATES.sub(b"", source.read(info.filename)))
                        continue
                    with source.open(info) as data, target.open(entry, "w", force_zip64=True) as out:
                        shutil.copyfileobj(data, out, 1 << 20)
