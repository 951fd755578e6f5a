"""Rows of a large worksheet written straight as XML text, the cells openpyxl's write-only mode
writes for the same values, and spliced into the sheet openpyxl wrote with its header row only.

openpyxl spends about 10 µs a cell (a cell object, type checks, an lxml element); the
问题明细 sheet of a batch holds ten cells per finding, a dozen findings per report, which made
the workbook the slowest output of a batch. Here a row is one string join. The cells are those
openpyxl writes (tests/test_sheetrows.py reads both back on random rows): strings inline
(``t="inlineStr"``) and never formulas, numbers and dates formatted by openpyxl's own
functions; only the text is UTF-8 where openpyxl writes a character reference per character
beyond ASCII. Only plain values are written this way (text, numbers, true/false, None, and dates
in a date-formatted column); the styles are registered with openpyxl, which writes them.

The text must already be what a worksheet can hold (checker.render.summary._xlsx_value: no
character XML forbids, within a cell's length): a row is XML the reader parses, and a character
XML forbids would make the whole file unreadable rather than fail on the cell."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any, Iterable, Mapping, Optional, Sequence

from openpyxl.cell.cell import ERROR_CODES
from openpyxl.compat import safe_string
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import WINDOWS_EPOCH, to_excel

SHEET_DATA_END = b"</sheetData>"


def _escaped(text: str) -> str:
    """Text as XML character data, as lxml escapes it."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if "\r" in text:
        text = text.replace("\r", "&#13;")
    return text


class RowWriter:
    """Appends rows (sequences of plain values) to ``stream`` as <row> elements numbered from
    ``first`` (UTF-8). ``styles`` gives the style id (``WriteOnlyCell.style_id``) of a column's
    cells, written even when empty as openpyxl writes a styled cell; a date is only written in
    a styled (date-formatted) column."""

    def __init__(self, stream: IO[bytes], columns: int, first: int = 2,
                 styles: Optional[Mapping[int, int]] = None, epoch: datetime = WINDOWS_EPOCH) -> None:
        self.stream = stream
        self.letters = [get_column_letter(i) for i in range(1, columns + 1)]
        self.row = first
        self.styles = {index: f' s="{style}"' for index, style in (styles or {}).items()}
        self.epoch = epoch

    def append(self, values: Sequence[Any]) -> None:
        number = str(self.row)
        parts = ['<row r="', number, '">']
        styles = self.styles
        for index, (letter, value) in enumerate(zip(self.letters, values)):
            style = styles.get(index, "") if styles else ""
            if value is None:
                if style:
                    parts += ('<c r="', letter, number, '"', style, ' t="n"></c>')
                continue
            kind = value.__class__
            if kind is str:
                if value in ERROR_CODES:  # as openpyxl stores a plain value: an error code
                    parts += ('<c r="', letter, number, '"', style, ' t="e"><v>', _escaped(value), "</v></c>")
                elif not value:
                    parts += ('<c r="', letter, number, '"', style, ' t="inlineStr"></c>')
                else:  # text, never a formula (even one starting with =)
                    space = ' xml:space="preserve"' if value != value.strip() else ""
                    parts += ('<c r="', letter, number, '"', style, ' t="inlineStr"><is><t', space, ">",
                              _escaped(value), "</t></is></c>")
            elif kind is bool:
                parts += ('<c r="', letter, number, '"', style, ' t="b"><v>', safe_string(value), "</v></c>")
            elif kind is int or kind is Decimal or kind is float:
                parts += ('<c r="', letter, number, '"', style, ' t="n"><v>', safe_string(value), "</v></c>")
            elif kind is date and style:
                parts += ('<c r="', letter, number, '"', style, ' t="n"><v>',
                          safe_string(to_excel(value, self.epoch)), "</v></c>")
            else:
                raise TypeError(f"not a plain cell value here: {kind.__name__}")
        parts.append("</row>")
        self.stream.write("".join(parts).encode("utf-8"))
        self.row += 1

    def extend(self, rows: Iterable[Sequence[Any]]) -> None:
        for values in rows:
            self.append(values)
