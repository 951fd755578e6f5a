"""Rows written straight as XML (checker.render.sheetrows) read back as openpyxl's own rows:
the same values and types, text that looks like a formula or an error stays text."""
from __future__ import annotations

import io
import zipfile
from datetime import date
from decimal import Decimal

from hypothesis import given, settings, strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell

from checker.render.sheetrows import SHEET_DATA_END, RowWriter
from checker.render.summary import _xlsx_value

# any character, lone surrogates and what XML forbids included: _xlsx_value makes it cell text
_TEXT = st.text(max_size=30)
_SAMPLES = ["", " ", " x ", "=1+2", "=", "#N/A", "+1", "a\r\nb", "<&>", "😀", "\ud800x", "\ufffe", "a\x00\x1fb\ufffeb"]
_VALUE = st.one_of(st.none(), _TEXT, st.sampled_from(_SAMPLES),
                   st.integers(-10**12, 10**12), st.booleans(), st.floats(allow_nan=False, allow_infinity=False),
                   st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=-10**6, max_value=10**6))
_ROWS = st.lists(st.lists(_VALUE, min_size=1, max_size=6), min_size=1, max_size=12)


# a formatted column, as the summary sheet's publication date
_FORMATS = {1: "yyyy-mm-dd"}


def _openpyxl_rows(rows: list[list], formats: dict[int, str] = {}) -> list[tuple]:
    """What openpyxl reads back from a sheet it wrote cell by cell."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("s")
    sheet.append(["h"])
    for row in rows:
        cells = []
        for index, value in enumerate(row):
            if index in formats or isinstance(value, str) and value.startswith("="):
                cell = WriteOnlyCell(sheet, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"
                if index in formats:
                    cell.number_format = formats[index]
                value = cell
            cells.append(value)
        sheet.append(cells)
    stream = io.BytesIO()
    book.save(stream)
    return _read(stream)


def _spliced_rows(rows: list[list], formats: dict[int, str] = {}) -> list[tuple]:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("s")
    sheet.append(["h"])
    styles = {}
    for index, number_format in formats.items():
        cell = WriteOnlyCell(sheet)
        cell.number_format = number_format
        styles[index] = cell.style_id
    saved = io.BytesIO()
    book.save(saved)
    written = io.BytesIO()
    writer = RowWriter(written, 6, styles=styles, epoch=book.epoch)
    writer.extend(rows)
    with zipfile.ZipFile(saved) as source:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as target:
            for info in source.infolist():
                data = source.read(info)
                if info.filename == "xl/worksheets/sheet1.xml":
                    cut = data.rindex(SHEET_DATA_END)
                    data = data[:cut] + written.getvalue() + data[cut:]
                target.writestr(info, data)
    return _read(out)


def _read(stream: io.BytesIO) -> list[tuple]:
    stream.seek(0)
    sheet = load_workbook(stream)["s"]
    return [tuple((c.value, c.data_type, c.number_format) for c in row) for row in sheet.iter_rows(min_row=2)]


@settings(max_examples=20, deadline=None)
@given(_ROWS)
def test_rows_read_back_as_openpyxl_writes_them(rows: list[list]) -> None:
    rows = [[_xlsx_value(v) for v in row] for row in rows]
    assert _spliced_rows(rows) == _openpyxl_rows(rows)


@settings(max_examples=10, deadline=None)
@given(st.lists(st.tuples(_VALUE, st.one_of(st.none(), st.dates(date(1901, 1, 1), date(2100, 1, 1)))), min_size=1,
                max_size=5))
def test_formatted_columns_read_back_as_openpyxl_writes_them(pairs: list[tuple]) -> None:
    rows = [[_xlsx_value(value), day] for value, day in pairs]
    assert _spliced_rows(rows, _FORMATS) == _openpyxl_rows(rows, _FORMATS)


def test_text_is_never_a_formula() -> None:
    rows = [["=HYPERLINK(\"http://x\",\"y\")", "@SUM(A1)", "-3", Decimal("1.5"), 7]]
    assert [[v for v, *_ in row] for row in _spliced_rows(rows)] == [
        ["=HYPERLINK(\"http://x\",\"y\")", "@SUM(A1)", "-3", 1.5, 7]]
    assert {t for row in _spliced_rows(rows) for _, t, _ in row} == {"s", "n"}


def test_text_a_worksheet_cannot_hold_is_left_out() -> None:
    assert _xlsx_value("a\x00b\ud800c\ufffed\uffffe\x1ff\tg\nh") == "abcdef\tg\nh"
