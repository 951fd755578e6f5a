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

import shutil
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


def cell_tail(value: Any, style: str = "", epoch: datetime = WINDOWS_EPOCH) -> Optional[str]:
    """A cell of ``value`` after its reference (``<c r="A1``): the attribute's closing quote,
    ``style`` (`` s="3"``, or ""), its type and content; None when no cell is written (no value
    in an unstyled column)."""
    if value is None:
        return f'"{style} t="n"></c>' if style else None
    kind = value.__class__
    if kind is str:
        if value in ERROR_CODES:  # as openpyxl stores a plain value: an error code
            return f'"{style} t="e"><v>{_escaped(value)}</v></c>'
        if not value:
            return f'"{style} t="inlineStr"></c>'
        # text, never a formula (even one starting with =)
        space = ' xml:space="preserve"' if value != value.strip() else ""
        return f'"{style} t="inlineStr"><is><t{space}>{_escaped(value)}</t></is></c>'
    if kind is bool:
        return f'"{style} t="b"><v>{safe_string(value)}</v></c>'
    if kind is int or kind is Decimal or kind is float:
        return f'"{style} t="n"><v>{safe_string(value)}</v></c>'
    if kind is date and style:
        return f'"{style} t="n"><v>{safe_string(to_excel(value, epoch))}</v></c>'
    raise TypeError(f"not a plain cell value here: {kind.__name__}")


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
        epoch = self.epoch
        for index, (letter, value) in enumerate(zip(self.letters, values)):
            tail = cell_tail(value, styles.get(index, "") if styles else "", epoch)
            if tail is not None:
                parts += ('<c r="', letter, number, tail)
        parts.append("</row>")
        self.stream.write("".join(parts).encode("utf-8"))
        self.row += 1

    def extend(self, rows: Iterable[Sequence[Any]]) -> None:
        for values in rows:
            self.append(values)


# A sheet's external hyperlinks, as openpyxl writes them: the <hyperlink> elements after the
# cells and one relationship each in the sheet's relationships part.
_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
_OFFICE_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_HYPERLINK = _OFFICE_RELATIONSHIPS + "/hyperlink"
# what a worksheet may hold after its <hyperlinks>, in the order of the schema
_AFTER_HYPERLINKS = (b"<printOptions", b"<pageMargins", b"<pageSetup", b"<headerFooter", b"<rowBreaks",
                     b"<colBreaks", b"<customProperties", b"<cellWatches", b"<ignoredErrors", b"<smartTags",
                     b"<drawing", b"<legacyDrawing", b"<picture", b"<oleObjects", b"<controls",
                     b"<webPublishItems", b"<tableParts", b"<extLst", b"</worksheet>")


def _attribute(text: str) -> bytes:
    """Text as an XML attribute value in UTF-8, as lxml writes a relationships part."""
    for plain, escaped in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;"),
                           ("\n", "&#10;"), ("\r", "&#13;"), ("\t", "&#9;")):
        if plain in text:
            text = text.replace(plain, escaped)
    return text.encode("utf-8")


class LinkWriter:
    """A sheet's external hyperlinks written as they are added. openpyxl holds a sheet's
    hyperlinks in a list until it saves, then makes a relationship and an XML element of each:
    some 3 KB a link at that moment, 300 MB for the 汇总 sheet of a batch of 100,000 reports.
    Here the <hyperlink> elements go to ``links`` and their relationships to ``rels``, the same
    XML openpyxl writes, for splice_links to put into the saved workbook."""

    def __init__(self, links: IO[bytes], rels: IO[bytes]) -> None:
        self.links = links
        self.rels = rels
        self.count = 0

    def add(self, ref: str, target: str) -> None:
        self.count += 1
        ident = f"rId{self.count}"
        self.links.write(f'<hyperlink xmlns:r="{_OFFICE_RELATIONSHIPS}" ref="{ref}" r:id="{ident}"/>'.encode("ascii"))
        self.rels.write(f'<Relationship Type="{_HYPERLINK}" Target="'.encode("ascii") + _attribute(target)
                        + f'" TargetMode="External" Id="{ident}"/>'.encode("ascii"))


def splice_links(tail: bytes, links: LinkWriter, out: IO[bytes]) -> None:
    """The end of a sheet's XML (from its </sheetData>) with the <hyperlinks> of ``links`` in
    their place; nothing changes when there are none."""
    if not links.count:
        out.write(tail)
        return
    if b"<hyperlinks" in tail:
        raise ValueError("the sheet has hyperlinks of its own")
    at = min(i for i in (tail.find(tag) for tag in _AFTER_HYPERLINKS) if i >= 0)
    out.write(tail[:at])
    out.write(b"<hyperlinks>")
    _copy(links.links, out)
    out.write(b"</hyperlinks>")
    out.write(tail[at:])


def links_part(links: LinkWriter, out: IO[bytes]) -> None:
    """The sheet's relationships part (it has no other relationships than its links)."""
    out.write(f'<Relationships xmlns="{_RELATIONSHIPS}">'.encode("ascii"))
    _copy(links.rels, out)
    out.write(b"</Relationships>")


def _copy(stream: IO[bytes], out: IO[bytes]) -> None:
    stream.seek(0)
    shutil.copyfileobj(stream, out, 1 << 20)
