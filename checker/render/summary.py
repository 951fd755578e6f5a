"""The batch's tables for a spreadsheet: summary.csv and summary.xlsx (one row per report, in
ranking order) and rules.csv (per rule, how often each status occurred).

CSV files are UTF-8 with a BOM, which Excel needs to show Chinese. Text taken from reports
(agency names, file names, reasons) is untrusted: a value a spreadsheet would run as a formula
(starting with = + - @) gets a leading apostrophe in the CSV and is stored as plain text in
the workbook. The workbook's bytes do not depend on when it was written."""
from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable, Mapping, Optional, Protocol, Sequence

from ..messages import CATEGORY_LABELS, SEVERITY_LABELS
from ..results import SEVERITIES, STATUSES

KIND_LABELS = {"government": "人民政府", "department": "政府部门", "other": "其他机关"}
SUMMARY_HEADERS = ("排名", "文件", "机关", "类型", "年度", "发布日期", "得分", "等级", "覆盖率",
                   "不通过·严重", "不通过·高", "不通过·中", "不通过·低", "不通过·提示",
                   "不通过的规则", "无法检查的原因")
RULE_HEADERS = ("规则", "标题", "类别", "严重程度", "通过", "不通过", "无法评估", "不适用", "出错")
# fills for the grades, best first; a profile with more grades reuses the last
GRADE_FILLS = ("C6EFCE", "DDEBF7", "FFF2CC", "F8CBAD")
ERROR_FILL = "E7E6E6"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_WIDTH_LIMIT = 60


class Row(Protocol):
    file: str
    agency: Optional[str]
    kind: Optional[str]
    year: Optional[int]
    published: Optional[date]
    score: Optional[Decimal]
    grade: Optional[str]
    coverage: Optional[Decimal]
    failures: tuple[int, ...]
    failed_rules: tuple[str, ...]
    error: Optional[str]


@dataclass(frozen=True)
class RuleLine:
    rule: str
    title: str
    category: str
    severity: str
    counts: Mapping[str, int]  # per status


def _values(rank: Optional[int], row: Row) -> list[Any]:
    failures = list(row.failures) if not row.error else [None] * len(SEVERITIES)
    return [rank, row.file, row.agency, KIND_LABELS.get(row.kind or "", row.kind), row.year, row.published,
            row.score, row.grade, row.coverage if not row.error else None, *failures,
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
    with open(path, "w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(headers)
        for row in rows:
            writer.writerow([_csv_text(v) for v in row])


def write_summary_csv(path: Path, ranking: Sequence[tuple[Optional[int], Row]]) -> None:
    def lines() -> Iterable[list[Any]]:
        for rank, row in ranking:
            values = _values(rank, row)
            values[8] = _percent(values[8])
            yield values
    _write_csv(path, SUMMARY_HEADERS, lines())


def write_rules_csv(path: Path, lines: Sequence[RuleLine]) -> None:
    _write_csv(path, RULE_HEADERS, (
        [line.rule, line.title, CATEGORY_LABELS["zh"].get(line.category, line.category),
         SEVERITY_LABELS["zh"].get(line.severity, line.severity), *(line.counts.get(s, 0) for s in STATUSES)]
        for line in lines))


def _percent(value: Optional[Decimal]) -> Optional[str]:
    return None if value is None else f"{(value * 100).quantize(Decimal('0.1'))}%"


# --------------------------------------------------------------------------- the workbook


def write_summary_xlsx(path: Path, ranking: Sequence[tuple[Optional[int], Row]], grades: Sequence[str]) -> None:
    """Streamed (openpyxl's write-only mode): a cell of a normal workbook costs hundreds of
    bytes, which on 10,000 reports would be the largest thing the batch holds."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    sheet = book.create_sheet("汇总")
    widths = [_width(h) for h in SUMMARY_HEADERS]
    for rank, row in ranking:
        for index, value in enumerate(_values(rank, row)):
            widths[index] = max(widths[index], _width(_csv_text(value)))
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(width + 2, _WIDTH_LIMIT)
    last_row = len(ranking) + 1
    last_col = get_column_letter(len(SUMMARY_HEADERS))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{last_col}{last_row}"
    if last_row >= 2:
        area = f"A2:{last_col}{last_row}"
        grade_col = get_column_letter(SUMMARY_HEADERS.index("等级") + 1)
        sheet.conditional_formatting.add(area, FormulaRule(
            formula=[f"LEN(${last_col}2)>0"], fill=PatternFill("solid", start_color=ERROR_FILL, end_color=ERROR_FILL),
            stopIfTrue=True))
        for index, grade in enumerate(grades):
            color = GRADE_FILLS[min(index, len(GRADE_FILLS) - 1)]
            label = grade.replace('"', '""')
            sheet.conditional_formatting.add(area, FormulaRule(
                formula=[f'${grade_col}2="{label}"'], fill=PatternFill("solid", start_color=color, end_color=color)))

    bold, wrap = Font(bold=True), Alignment(vertical="center", wrap_text=True)
    header = []
    for title in SUMMARY_HEADERS:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font, cell.alignment = bold, wrap
        header.append(cell)
    sheet.append(header)
    formats = {5: "yyyy-mm-dd", 8: "0.0%"}
    for rank, row in ranking:
        cells: list[Any] = []
        for index, value in enumerate(_values(rank, row)):
            value = _xlsx_value(value)
            # a plain value is written as it is, several times faster than a cell object; a
            # cell object only where a format is set or text would read as a formula
            if index in formats or (isinstance(value, str) and value.startswith("=")):
                cell = WriteOnlyCell(sheet, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"  # report text is never a formula
                if index in formats:
                    cell.number_format = formats[index]
                value = cell
            cells.append(value)
        sheet.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    path.write_bytes(_without_timestamps(buffer.getvalue()))


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, str):
        return _ILLEGAL.sub("", value)
    return value


def _width(text: str) -> int:
    """Columns are measured in Latin characters; a Chinese character takes two."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


_CORE_DATES = re.compile(rb"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>")


def _without_timestamps(data: bytes) -> bytes:
    """The same package with no clock in it: openpyxl stamps the creation and modification time
    into docProps/core.xml and zip entries carry their write time."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _CORE_DATES.sub(b"", content)
            entry = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, content)
    return out.getvalue()
