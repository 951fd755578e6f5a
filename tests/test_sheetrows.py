"""Rows written straight as XML (checker.render.sheetrows) read back as openpyxl's own rows:
the same values and types, text that looks like a formula or an error stays text."""
from __future__ import annotations

import io
import tempfile
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

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


# link targets: page paths and whatever else a caller links to (XML-legal text)
_TARGET = st.text(st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\t\n\r&<>\"'"),
                  min_size=1, max_size=20)


def _linked_workbook(targets: list[str], stream_links: bool) -> Path:
    """A workbook whose sheet links its rows to ``targets``: by openpyxl's own hyperlinks, or
    streamed (LinkWriter) and spliced as the summary workbook does."""
    from openpyxl.worksheet.hyperlink import Hyperlink

    from checker.render.summary import _Aside, _save_without_timestamps

    book = Workbook(write_only=True)
    sheet = book.create_sheet("s")
    sheet.append(["h"])
    aside = _Aside(Path(tempfile.mkdtemp()))
    writer = aside.link_writer(sheet)
    for number, target in enumerate(targets, start=2):
        if stream_links:
            writer.add(f"A{number}", target)
        else:
            sheet._hyperlinks.append(Hyperlink(ref=f"A{number}", target=target))
    saved = Path(tempfile.mkdtemp()) / "book.xlsx"
    try:
        _save_without_timestamps(book, saved, aside)
    finally:
        aside.close()
    return saved


def _parts(book: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(book) as book_zip:
        return {info.filename: book_zip.read(info) for info in book_zip.infolist()}


@settings(max_examples=25, deadline=None)
@given(st.lists(_TARGET, max_size=4))
def test_streamed_links_are_the_links_openpyxl_writes(targets: list[str]) -> None:
    streamed, own = _parts(_linked_workbook(targets, True)), _parts(_linked_workbook(targets, False))
    assert list(streamed) == list(own)  # the relationships part right after its sheet
    assert streamed == own
    assert ("xl/worksheets/_rels/sheet1.xml.rels" in own) == bool(targets)


def test_a_linked_row_opens_its_page() -> None:
    book = load_workbook(_linked_workbook(["reports/ab12.html", "a&b \"c\" <d>.html"], True))
    links = [c.hyperlink.target for row in book["s"].iter_rows(min_row=2) for c in row if c.hyperlink]
    assert links == ["reports/ab12.html", "a&b \"c\" <d>.html"]

