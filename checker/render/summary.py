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
import pickle
import re
import shutil
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, Callable, Iterable, Iterator, Mapping, Optional, Sequence, Union

from ..engine.selection import matches_any
from ..messages import CATEGORY_LABELS, KIND_LABELS, SEVERITY_LABELS, STATUS_LABELS, label
from ..outpaths import atomic_output
from ..spool import records
from ..results import SEVERITIES, STATUSES
from .sheetrows import SHEET_DATA_END, LinkWriter, RowWriter, cell_tail, links_part, splice_links
from .records import FindingRow, RuleTally, SummaryRow, finding_rows, ranked, summary_row

# the columns of each table, as labels of checker.messages (a severity's: 不通过·严重 ...)
_SUMMARY = ("rank", "file", "agency", "region", "kind", "year", "published", "score", "grade", "coverage",
            *(f"failed:{s}" for s in SEVERITIES), "failed_rules", "waived_rules", "why_unchecked")
_FINDINGS = ("agency", "year", "file", "rule", "title", "severity", "state", "message", "evidence", "location")
_RULES = ("rule", "title", "category", "severity", *(f"count:{s}" for s in STATUSES))
_WAIVERS = ("agency", "year", "file", "waived_rules", "reason", "approved_by", "expires", "written_in")


def headers(columns: Sequence[str], lang: str = "zh") -> tuple[str, ...]:
    out = []
    for column in columns:
        kind, _, value = column.partition(":")
        if kind == "failed":
            out.append(label("failed_by", lang, severity=SEVERITY_LABELS[lang][value]))
        elif kind == "count":
            out.append(STATUS_LABELS[lang][value].capitalize())
        else:
            out.append(label(column, lang).capitalize() if lang == "en" else label(column, lang))
    return tuple(out)


SUMMARY_HEADERS = headers(_SUMMARY)
FINDING_HEADERS = headers(_FINDINGS)
RULE_HEADERS = headers(_RULES)
WAIVER_HEADERS = headers(_WAIVERS)
# fills for the grades, best first; a profile with more grades reuses the last
GRADE_FILLS = ("C6EFCE", "DDEBF7", "FFF2CC", "F8CBAD")
ERROR_FILL = "E7E6E6"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# characters a worksheet (XML 1.0) cannot hold: controls, lone surrogates (a file name read with
# surrogateescape), U+FFFE and U+FFFF
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_WIDTH_LIMIT = 60
# a sheet holds 1,048,576 rows; findings beyond go on to 问题明细2, 问题明细3...
SHEET_ROWS = 1_048_575
_CELL_TEXT = 32_767  # Excel's limit on the text of one cell
_COLUMN_INDEX = {name: index for index, name in enumerate(_SUMMARY)}


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


def _values(rank: Optional[int], row: SummaryRow, lang: str = "zh") -> list[Any]:
    failures = list(row.failures) if not row.error else [None] * len(SEVERITIES)
    return [rank, row.file, row.agency, row.region, KIND_LABELS[lang].get(row.kind or "", row.kind), row.year,
            row.published, row.score, row.grade_in(lang), row.coverage if not row.error else None, *failures,
            " ".join(row.failed_rules), " ".join(row.waived_rules), row.error]


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


def write_summary_csv(path: Path, ranking: Sequence[tuple[Optional[int], SummaryRow]], lang: str = "zh") -> None:
    coverage = _COLUMN_INDEX["coverage"]

    def lines() -> Iterable[list[Any]]:
        for rank, row in ranking:
            values = _values(rank, row, lang)
            values[coverage] = _percent(values[coverage])
            yield values
    _write_csv(path, headers(_SUMMARY, lang), lines())


def write_rules_csv(path: Path, lines: Sequence[RuleLine], lang: str = "zh") -> None:
    _write_csv(path, headers(_RULES, lang), (_rule_values(line, lang) for line in lines))


def _rule_values(line: RuleLine, lang: str = "zh") -> list[Any]:
    return [line.rule, line.title, CATEGORY_LABELS[lang].get(line.category, line.category),
            SEVERITY_LABELS[lang].get(line.severity, line.severity), *(line.counts.get(s, 0) for s in STATUSES)]


def _percent(value: Optional[Decimal]) -> Optional[str]:
    return None if value is None else f"{(value * 100).quantize(Decimal('0.1'))}%"


# --------------------------------------------------------------------------- the workbook


# where a row of 汇总 links to (None: no link): by default the report's page beside the workbook
Link = Optional[Callable[[SummaryRow], Optional[str]]]
# the findings of 问题明细: each with the report it is of, or their rows written already
Findings = Union[Iterator[tuple[SummaryRow, FindingRow]], "WrittenFindings"]


def workbook_from_results(path: Path, reports: Iterable[Mapping[str, Any]], rules: Sequence[RuleLine] = (),
                          grades: Sequence[str] = (), lang: str = "zh", link: Link = page_link) -> None:
    """summary.xlsx from report objects in the public JSON form (``xxgk check --format json``'s
    ``reports``, results.jsonl's lines expanded, or the web app's results; each with an ``id``
    for its page link, else its source is used), taken one at a time. ``rules``: the rule lines
    of the 规则统计 sheet (made from the reports when not given: their titles, categories and
    severities). Holds one small row per report in memory; the findings wait in a temporary
    file beside ``path`` until their sheet is written (a region's year holds hundreds of
    thousands)."""
    rows: list[SummaryRow] = []
    tally = RuleTally()
    seen: dict[str, RuleLine] = {}
    with tempfile.TemporaryFile(dir=Path(path).parent) as spool:
        for report in reports:
            row = summary_row(report)
            rows.append(row)
            for finding in finding_rows(report, lang):
                pickle.dump((len(rows) - 1, finding), spool, protocol=pickle.HIGHEST_PROTOCOL)
            tally.add_report(report)
            for result in report.get("results", ()):
                title = (result.get("title_en") if lang == "en" else None) or result.get("title", "")
                seen.setdefault(result["rule"], RuleLine(rule=result["rule"], title=title,
                                                         category=result.get("category", ""),
                                                         severity=result.get("severity", ""), counts={}))
        lines = list(rules) or [RuleLine(rule=r.rule, title=r.title, category=r.category, severity=r.severity,
                                         counts=tally.of(r.rule)) for r in seen.values()]
        grades = list(grades) or sorted({r.grade for r in rows if r.grade})
        spool.seek(0)
        write_workbook(path, ranked(rows), _unspooled(spool, rows), lines, grades, lang=lang, link=link)


def _unspooled(spool: IO[bytes], rows: Sequence[SummaryRow]) -> Iterator[tuple[SummaryRow, FindingRow]]:
    """The findings workbook_from_results wrote to its own temporary file, in their order."""
    for index, finding in records(spool):
        yield rows[index], finding


def write_workbook(path: Path, ranking: Sequence[tuple[Optional[int], SummaryRow]],
                   findings: Findings, rules: Sequence[RuleLine],
                   grades: Sequence[str], lang: str = "zh", link: Link = page_link) -> None:
    """The workbook: 汇总 (``ranking``, from checker.render.records.ranked; each row linked to
    ``link(row)``), 问题明细 (one row per ``findings`` item, streamed: it may hold millions),
    规则统计 (``rules``) and 豁免 (the waivers applied, when any were); the rows of 问题明细 may
    be written already (``findings`` a WrittenFindings of FindingsSheets). Streamed:
    openpyxl's write-only mode writes the sheets with their header rows, and the rows of 汇总
    and 问题明细 are written as XML into temporary files beside ``path``
    (checker.render.sheetrows), spliced into those sheets when the file is saved. Headers and
    sheet names in ``lang``."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    aside = _Aside(Path(path).parent)
    try:
        waived = _summary_sheet(book, ranking, grades, lang, link, aside)
        _findings_sheets(book, findings, lang, aside)
        _rules_sheet(book, rules, lang)
        if waived:
            _waivers_sheet(book, ranking, lang)
        _save_without_timestamps(book, path, aside)
    finally:
        aside.close()


class _Aside:
    """What is written beside openpyxl for a sheet, into temporary files in ``scratch``: its
    rows (RowWriter), its hyperlinks (LinkWriter)."""

    def __init__(self, scratch: Path) -> None:
        self.scratch = scratch
        self.rows: dict[Any, IO[bytes] | _Part] = {}
        self.links: dict[Any, LinkWriter] = {}
        self.streams: list[IO[bytes]] = []

    def _stream(self) -> IO[bytes]:
        stream = tempfile.TemporaryFile(dir=self.scratch)
        self.streams.append(stream)
        return stream

    def row_stream(self, sheet: Any) -> IO[bytes]:
        stream = self.rows[sheet] = self._stream()
        return stream

    def link_writer(self, sheet: Any) -> LinkWriter:
        writer = self.links[sheet] = LinkWriter(self._stream(), self._stream())
        return writer

    def close(self) -> None:
        for stream in self.streams:
            stream.close()


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


def _summary_sheet(book: Any, ranking: Sequence[tuple[Optional[int], SummaryRow]], grades: Sequence[str],
                   lang: str, link: Link, aside: _Aside) -> bool:
    """汇总; whether any report had a waiver applied (the rows are read from disk: this is the
    pass that writes them)."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(label("sheet_summary", lang))
    titles = headers(_SUMMARY, lang) + ((label("details", lang),) if link is not None else ())
    widths = [_width(h) for h in titles]
    shown: dict[str, Optional[str]] = {}  # each grade as the sheet shows it
    for rank, row in ranking:  # the rows are read from disk: one pass for both
        for index, value in enumerate(_values(rank, row, lang)):
            widths[index] = max(widths[index], _width(_csv_text(value)))
        if row.grade:
            shown[row.grade] = row.grade_in(lang)
    _widths(sheet, widths)
    last_row = len(ranking) + 1
    last_col = get_column_letter(len(titles))
    reason_col = get_column_letter(_COLUMN_INDEX["why_unchecked"] + 1)
    _print_setup(sheet, len(titles))
    sheet.auto_filter.ref = f"A1:{last_col}{last_row}"
    if last_row >= 2:
        area = f"A2:{get_column_letter(len(_SUMMARY))}{last_row}"
        grade_col = get_column_letter(_COLUMN_INDEX["grade"] + 1)
        sheet.conditional_formatting.add(area, FormulaRule(
            formula=[f"LEN(${reason_col}2)>0"], fill=PatternFill("solid", start_color=ERROR_FILL, end_color=ERROR_FILL),
            stopIfTrue=True))
        for index, grade in enumerate(grades):
            color = GRADE_FILLS[min(index, len(GRADE_FILLS) - 1)]
            quoted = (shown.get(grade) or grade).replace('"', '""')
            sheet.conditional_formatting.add(area, FormulaRule(
                formula=[f'${grade_col}2="{quoted}"'], fill=PatternFill("solid", start_color=color, end_color=color)))
    _header(sheet, titles)
    if not ranking:
        return False
    # the styles of the formatted cells and of the link, registered as writing the first row
    # cell by cell would register them
    styles: dict[int, int] = {}
    for index, number_format in ((_COLUMN_INDEX["published"], "yyyy-mm-dd"), (_COLUMN_INDEX["coverage"], "0.0%")):
        styled = WriteOnlyCell(sheet)
        styled.number_format = number_format
        styles[index] = styled.style_id
    link_cell = WriteOnlyCell(sheet)
    link_cell.font = Font(color="0563C1", underline="single")
    styles[len(_SUMMARY)] = link_cell.style_id
    opens = label("open", lang)
    writer = RowWriter(aside.row_stream(sheet), len(titles), styles=styles, epoch=book.epoch)
    links = aside.link_writer(sheet)
    waived = False
    for rank, row in ranking:
        waived = waived or bool(row.waivers)
        values = [_xlsx_value(v) for v in _values(rank, row, lang)]
        target = link(row) if link is not None else None
        if target:
            links.add(f"{last_col}{writer.row}", target)  # as a cell's
            values.append(opens)
        writer.append(values)
    return waived


def _findings_sheets(book: Any, findings: Findings, lang: str, aside: _Aside) -> None:
    """问题明细 (a dozen rows a report), going on to 问题明细2 ... past a sheet's rows; their
    rows written here, or already (FindingsSheets)."""
    name = label("sheet_findings", lang)
    if isinstance(findings, WrittenFindings):
        for number, part in enumerate(findings.parts(), start=1):
            aside.rows[_findings_sheet(book, name if number == 1 else f"{name}{number}", lang)] = part
        if not findings.starts:
            _findings_sheet(book, name, lang)
        return
    writer: Optional[RowWriter] = None
    number = 1
    values = _finding_values(lang)
    for report, finding in findings:
        if writer is None or writer.row > SHEET_ROWS + 1:
            sheet = _findings_sheet(book, name if number == 1 else f"{name}{number}", lang)
            writer = RowWriter(aside.row_stream(sheet), len(_FINDINGS), epoch=book.epoch)
            number += 1
        writer.append(values(report, finding))
    if writer is None:
        _findings_sheet(book, name, lang)


def _finding_values(lang: str) -> Callable[[SummaryRow, FindingRow], list[Any]]:
    """A finding's cells in 问题明细, with the report it is of."""
    severities, statuses = SEVERITY_LABELS[lang], STATUS_LABELS[lang]

    def values(report: SummaryRow, finding: FindingRow) -> list[Any]:
        return [_xlsx_value(value) for value in (
            report.agency, report.year, report.file, finding.rule, finding.title,
            severities.get(finding.severity, finding.severity), statuses.get(finding.status, finding.status),
            finding.message, finding.evidence, finding.location)]
    return values


@dataclass(frozen=True)
class WrittenFindings:
    """The rows of the 问题明细 sheets written already (FindingsSheets): in one file, each sheet's
    from its offset in ``starts`` to the next one's (the last one's to ``end``)."""

    path: str
    starts: tuple[int, ...]
    end: int

    def parts(self) -> list["_Part"]:
        ends = (*self.starts[1:], self.end)
        return [_Part(self.path, start, end) for start, end in zip(self.starts, ends)]


class FindingsSheets:
    """The rows of the 问题明细 sheets written as the findings come, the rows write_workbook
    writes for the same findings (a batch writes them while its reports are checked, where the
    workbook took half a millisecond a report after the last one). ``written()`` gives them to
    write_workbook. A row's cells are made once for what it shares with other rows: its
    report's with the report's other findings, its rule's, severity's and status's with every
    finding of the rule in that state."""

    def __init__(self, path: str, lang: str = "zh") -> None:
        self.path = path
        self.stream: IO[bytes] = open(path, "wb")
        self.severities, self.statuses = SEVERITY_LABELS[lang], STATUS_LABELS[lang]
        self.row = SHEET_ROWS + 2  # the first finding starts the first sheet
        self.starts: list[int] = []
        self.ruled: dict[tuple[str, str, str, str], tuple[Optional[str], ...]] = {}
        self.tails: dict[str, Optional[str]] = {}

    def add(self, report: SummaryRow, findings: Iterable[FindingRow]) -> None:
        own: Optional[str] = None
        parts: list[str] = []
        tail = self._tail
        for finding in findings:
            if own is None:
                own = _numbered_cells("ABC", (_sheet_tail(report.agency), _sheet_tail(report.year), tail(report.file)))
            if self.row > SHEET_ROWS + 1:
                self._flush(parts)
                self.starts.append(self.stream.tell())
                self.row = 2
            key = (finding.rule, finding.title, finding.severity, finding.status)
            ruled = self.ruled.get(key)
            if ruled is None:
                if len(self.ruled) >= _KEPT:
                    self.ruled.clear()
                ruled = self.ruled[key] = _numbered_cells("DEFG", (
                    tail(finding.rule), tail(finding.title),
                    tail(self.severities.get(finding.severity, finding.severity)),
                    tail(self.statuses.get(finding.status, finding.status))))
            number = str(self.row)
            message, evidence, location = tail(finding.message), tail(finding.evidence), tail(finding.location)
            shared = (own + ruled).replace(_NUMBER, number)
            if message is None or evidence is None or location is None:  # (text is never None)
                rest = _numbered_cells("HIJ", (message, evidence, location)).replace(_NUMBER, number)
            else:  # (the long texts are not searched for the number's place)
                rest = f'<c r="H{number}{message}<c r="I{number}{evidence}<c r="J{number}{location}'
            parts.append(f'<row r="{number}">{shared}{rest}</row>')
            self.row += 1
        self._flush(parts)

    def _tail(self, text: str) -> Optional[str]:
        """_sheet_tail of a text, kept (a finding's place, message, quote recur across reports)."""
        made = self.tails.get(text)
        if made is None:
            if len(self.tails) >= _KEPT:
                self.tails.clear()
            made = self.tails[text] = _sheet_tail(text)
        return made

    def _flush(self, parts: list[str]) -> None:
        if parts:
            self.stream.write("".join(parts).encode("utf-8"))
            parts.clear()

    def close(self) -> None:
        self.stream.close()

    def written(self) -> WrittenFindings:
        self.stream.flush()
        return WrittenFindings(self.path, tuple(self.starts), self.stream.tell())


# at most this many texts' cells are kept made
_KEPT = 4096
# where a cell's row number goes in the cells made for any row: no text a worksheet holds has it
# (_xlsx_value takes it out)
_NUMBER = "\x00"


def _numbered_cells(letters: str, tails: Iterable[Optional[str]]) -> str:
    """The cells of the columns with their tails (cell_tail), a _NUMBER for the row's number."""
    return "".join([f'<c r="{letter}{_NUMBER}{tail}' for letter, tail in zip(letters, tails) if tail is not None])


def _sheet_tail(value: Any) -> Optional[str]:
    """A plain cell of the value as a worksheet takes it (_xlsx_value), after its reference."""
    return cell_tail(_xlsx_value(value))


class _Part:
    """Bytes ``start`` to ``end`` of a file, read as a stream is by _splice."""

    def __init__(self, path: str, start: int, end: int) -> None:
        self.path = path
        self.start = start
        self.end = end

    def copy_to(self, out: IO[bytes]) -> None:
        with open(self.path, "rb") as stream:
            stream.seek(self.start)
            left = self.end - self.start
            while left > 0 and (chunk := stream.read(min(1 << 20, left))):
                out.write(chunk)
                left -= len(chunk)


def _findings_sheet(book: Any, name: str, lang: str) -> Any:
    sheet = book.create_sheet(name)
    _widths(sheet, (24, 6, 24, 9, 36, 8, 8, 40, 50, 20))
    _print_setup(sheet, len(_FINDINGS))
    sheet.auto_filter.ref = f"A1:J{SHEET_ROWS + 1}"
    _header(sheet, headers(_FINDINGS, lang))
    return sheet


def _rules_sheet(book: Any, rules: Sequence[RuleLine], lang: str = "zh") -> None:
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(label("sheet_rules", lang))
    _widths(sheet, (9, 48, 10, 8) + (7,) * len(STATUSES))
    _print_setup(sheet, len(_RULES))
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(_RULES))}{len(rules) + 1}"
    _header(sheet, headers(_RULES, lang))
    for line in rules:
        sheet.append(_cells(sheet, _rule_values(line, lang), {}))


def _waivers_sheet(book: Any, ranking: Sequence[tuple[Optional[int], SummaryRow]], lang: str = "zh") -> None:
    """One row per waiver applied to a report: whose report, which rules, why, who approved it."""
    sheet = book.create_sheet(label("sheet_waivers", lang))
    _widths(sheet, (24, 6, 24, 16, 40, 16, 10, 24))
    _print_setup(sheet, len(_WAIVERS))
    _header(sheet, headers(_WAIVERS, lang))
    sep = label("list_sep", lang)
    for _, row in ranking:
        for waiver in row.waivers:
            rules = [r for r in row.waived_rules if matches_any(r, waiver.rules)] or list(waiver.rules)
            sheet.append(_cells(sheet, [row.agency, row.year, row.file, sep.join(rules), waiver.reason,
                                        waiver.approved_by, waiver.expires, waiver.source], {}))


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


# zlib's fastest level: a third of the time of the default, for a file a fifth larger
_COMPRESSION = 1


def _save_without_timestamps(book: Any, path: Path, aside: _Aside) -> None:
    """Save the workbook with no clock in it: openpyxl stamps the creation and modification
    time into docProps/core.xml and zip entries carry their write time. openpyxl's archive is
    stored uncompressed in a temporary file and compressed once here, entry by entry (a sheet
    of a million findings is hundreds of MB unpacked), the rows and links written ``aside``
    for a sheet spliced into it, the relationships of its links right after it."""
    from openpyxl.writer.excel import ExcelWriter

    with atomic_output(path, "wb") as raw:
        with tempfile.TemporaryFile(dir=Path(path).parent) as saved:
            ExcelWriter(book, zipfile.ZipFile(saved, "w", zipfile.ZIP_STORED, allowZip64=True)).save()
            rows = {sheet.path[1:]: stream for sheet, stream in aside.rows.items()}
            links = {sheet.path[1:]: writer for sheet, writer in aside.links.items() if writer.count}
            saved.seek(0)
            with zipfile.ZipFile(saved) as source, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as target:
                names = set(source.namelist())
                for info in source.infolist():
                    name = info.filename
                    if name == "docProps/core.xml":
                        target.writestr(_entry(name), _CORE_DATES.sub(b"", source.read(name)))
                        continue
                    with source.open(info) as data, target.open(_entry(name), "w", force_zip64=True) as out:
                        if name in rows or name in links:
                            _splice(data.read(), rows.get(name), links.get(name), out)
                        else:
                            shutil.copyfileobj(data, out, 1 << 20)
                    if name in links:
                        part = _relationships_of(name)
                        if part in names:
                            raise ValueError(f"{name} has relationships of its own")
                        with target.open(_entry(part), "w", force_zip64=True) as out:
                            links_part(links[name], out)


def _entry(name: str) -> zipfile.ZipInfo:
    """A zip entry without a clock, compressed at _COMPRESSION."""
    entry = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    entry.compress_type = zipfile.ZIP_DEFLATED
    entry._compresslevel = _COMPRESSION  # type: ignore[attr-defined]  # compress_level from 3.13
    entry.external_attr = 0o600 << 16
    return entry


def _relationships_of(part: str) -> str:
    """xl/worksheets/sheet1.xml -> xl/worksheets/_rels/sheet1.xml.rels"""
    folder, _, name = part.rpartition("/")
    return f"{folder}/_rels/{name}.rels"


def _splice(sheet: bytes, rows: Optional[IO[bytes] | _Part], links: Optional[LinkWriter], out: IO[bytes]) -> None:
    """The sheet's XML (its header row only) with ``rows`` after its last row and ``links``
    in their place after the cells."""
    cut = sheet.rindex(SHEET_DATA_END)
    out.write(sheet[:cut])
    if isinstance(rows, _Part):
        rows.copy_to(out)
    elif rows is not None:
        rows.seek(0)
        shutil.copyfileobj(rows, out, 1 << 20)
    if links is not None:
        splice_links(sheet[cut:], links, out)
    else:
        out.write(sheet[cut:])
