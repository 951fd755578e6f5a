"""PDF reader: a PDF's text layer → Document.

PDFium gives each page's glyphs and drawn segments (pdf_engine); ruled tables are found from the
segments (pdf_grid) and become grid rows, one fragment per cell, a merged cell once at its
top-left position (pdf_tables); everything outside the tables becomes text lines (pdf_text:
words grouped by baseline, read left to right, two columns one after the other). Page numbers,
running headers and footers and slanted watermarks are dropped, and a table cut by a page break
continues with the next page's rows.

A PDF without a text layer (a scan) is not an error: the Document carries the flag
``no_text_layer`` so its tables become "not assessable". An encrypted or damaged PDF is."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Iterator, Optional, Union

from .. import limits
from ..errors import ReadError
from ..limits import Limits
from ..model import Document, Fragment, Line, Source
from ..textnorm import squash
from . import bounded, pdf_guard
from .guard import internal_error
from .pdf_engine import FILE_FAULTS, Glyph, PageContent, PageTooLarge, PdfOpenError, read_pages
from .pdf_grid import find_grids
from .pdf_tables import Table, continue_table, in_a_cell, ruled_tables, values_apart
from .pdf_text import in_columns, join_words, lines as text_lines, words as page_words
from .pdf_text import Word
from .pdf_unruled import foot_lines, set_above, tables_and_lines

NO_TEXT_LAYER = "no_text_layer"
_BLANK = re.compile(rb"[\s\0]*")

# page furniture lives in the outer bands of the page, at the same place on every page
_MARGIN_BAND = 0.15
_RUNNING_DRIFT = 6.0
_PAGE_NUMBER = re.compile(
    r"^(?:[-—–－_~·\s]*\d{1,4}[-—–－_~·\s]*"
    r"|第\s*\d{1,4}\s*页(?:\s*[,，/／]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*[/／]\s*\d{1,4}"
    r"|[Pp]age\s*\d{1,4}(?:\s*of\s*\d{1,4})?)$"
)
# a glyph this close (points) to the same glyph is the same glyph printed twice
_OVERPRINT = 1.0


def read(name: str, data: bytes) -> Document:
    if _BLANK.fullmatch(data):
        raise ReadError(name, "the file is empty" if not data else "the file holds only blank space")
    if data.rfind(b"%%EOF") < 0:
        raise ReadError(name, "damaged or truncated PDF: the file ends before its end-of-file "
                              "marker (%%EOF); the download was probably cut off")
    bounds = limits.current()
    try:
        pdf_guard.check(data, bounds)
    except pdf_guard.PdfTooLarge as exc:
        raise ReadError(name, str(exc)) from None
    # PDFium runs in a child process held to the memory and time limits
    return bounded.run(name, _read, name, data, bounds, limits=bounds)


def _read(name: str, data: bytes, bounds: Limits) -> Document:
    try:
        pages, notes = _read_pages(name, read_pages(data, bounds))
        return _document(name, pages, notes)
    except PdfOpenError as exc:
        raise ReadError(name, exc.reason) from None
    except FILE_FAULTS as exc:
        raise ReadError(name, _reason(exc)) from None
    except (ReadError, MemoryError, RecursionError):
        raise
    except Exception as exc:  # the reader's own defect, said as such: never "damaged PDF"
        raise internal_error(name, "the PDF", exc) from None


def _reason(exc: BaseException) -> str:
    if isinstance(exc, PageTooLarge):
        return str(exc)
    detail = str(exc).strip() or type(exc).__name__
    return f"damaged or truncated PDF: {detail}"


# --------------------------------------------------------------------------- one page


@dataclass(frozen=True)
class _TextLine:
    page: int
    top: float
    bottom: float
    x: float
    text: str


@dataclass(frozen=True)
class _Picture:
    """A large image on the page: content pasted as a picture (perhaps a table)."""

    page: int
    top: float
    x: float


_Item = Union[_TextLine, Table, _Picture]


@dataclass(frozen=True)
class _Page:
    number: int
    height: float
    items: tuple[_Item, ...]
    has_text: bool
    has_images: bool
    unmapped_glyphs: int = 0
    glyphs: int = 0


def _read_pages(name: str, contents: list[Union[PageContent, Exception]]
                ) -> tuple[list[_Page], list[str]]:
    done: list[_Page] = []
    notes: list[str] = []
    first_failure = ""
    foot: list[_TextLine] = []  # the last page's foot lines, which may head a table on this one
    foot_words: list[list[Word]] = []
    for number, content in enumerate(contents, start=1):
        if isinstance(content, FILE_FAULTS):  # one broken page does not cost the others
            reason = _reason(content)
            first_failure = first_failure or reason
            notes.append(f"page {number} could not be read: {reason}")
            foot, foot_words = [], []
        elif isinstance(content, Exception):
            raise content  # the engine's defect on this page
        else:
            page, taken, foot_words = _read_page(content, foot_words if done and done[-1].number == number - 1 else [])
            if taken:  # the head of a table the page break cut off: no longer text of the page before
                gone = {foot[n] for n in taken}
                done[-1] = replace(done[-1], items=tuple(i for i in done[-1].items if i not in gone))
            done.append(page)
            foot = [_text_line(content.number, line) for line in foot_words]
    if not done:
        raise ReadError(name, first_failure)
    return done, notes


def _read_page(content: PageContent, head: list[list[Word]]
               ) -> tuple[_Page, list[int], list[list[Word]]]:
    """The page; which of ``head`` (the foot lines of the page before) a table of this page took
    as its header; and this page's own foot lines, for the next."""
    glyphs = content.glyphs
    pictures = [(top, _Picture(content.number, top, x0)) for x0, top, _, _ in content.pictures]
    if not glyphs:  # a scanned page: its picture stands for whatever the page holds
        return _Page(content.number, content.height, tuple(p for _, p in pictures), False, content.has_images), [], []
    overprinted = _overprinted(glyphs)
    if overprinted:
        glyphs = [g for g in glyphs if g.index not in overprinted]
    every = [*glyphs, *content.spaces]  # spaces separate words and cell lines
    found = ruled_tables(content.number, find_grids(content.segments), every)
    words = page_words(every)
    if found:
        bounds = [(table_box, boxes) for _, table_box, boxes in found]
        words = [w for w in words if not in_a_cell(w, bounds)]
    own = text_lines(words)
    above = set_above(head, own)
    used, unruled = tables_and_lines(content.number, above + own)
    taken = [n for n in range(len(above)) if n in used]
    text = [line for n, line in enumerate(own) if n + len(above) not in used]
    lines = [_text_line(content.number, line) for line in in_columns(text)]
    # tables go between the lines by their tops; lines keep their reading order (a right-hand
    # column comes after the left one although it starts higher up)
    placed, reach = [], float("-inf")
    for line in lines:
        reach = max(reach, line.top)
        placed.append((reach, line))
    placed += [(table.top, table) for table, _, _ in found]
    placed += [(table.top, table) for table in unruled]
    placed += pictures
    items = [item for _, item in sorted(placed, key=lambda pair: pair[0])]
    # the foot lines lie below every table of the page
    below = max([box[3] for _, box, _ in found] +
                [w.bottom for n, line in enumerate(own) if n + len(above) in used for w in line],
                default=float("-inf"))
    foot = [text[n] for n in foot_lines(text, below, lambda line: _PAGE_NUMBER.match(line) is not None)]
    if not all(_text_line(content.number, line) in lines for line in foot):
        foot = []  # read as other lines (columns of text): not the lines to give away
    page = _Page(content.number, content.height, tuple(items), True, content.has_images,
                 content.unmapped, len(content.glyphs))
    return page, taken, foot


def _text_line(page: int, line: list[Word]) -> _TextLine:
    return _TextLine(page, min(w.top for w in line), max(w.bottom for w in line), line[0].x0, join_words(line))


def _overprinted(glyphs: list[Glyph]) -> set[int]:
    """Indices of glyphs printed again on top of the same glyph: word processors fake bold that
    way, and it would read "一一、、总总体体". The later print is the copy."""
    order = sorted(glyphs, key=lambda g: (g.text, g.x0))
    again: set[int] = set()
    count = len(order)
    for n, glyph in enumerate(order):
        m = n + 1
        while m < count:
            other = order[m]
            if other.text != glyph.text or other.x0 - glyph.x0 > _OVERPRINT:
                break
            if abs(other.top - glyph.top) <= _OVERPRINT:
                again.add(max(glyph.index, other.index))
            m += 1
    return again


# --------------------------------------------------------------------------- page furniture


def _without_furniture(pages: list[_Page]) -> list[_Page]:
    """Drop page numbers and running headers/footers: text lines at the top or bottom edge of a
    page that are page numbers, or that recur at the same place on most pages. (The place
    matters: a running header repeating the report's title must not take the title with it.)"""
    edges = [_edge_lines(page) for page in pages]
    places: dict[tuple[str, str], list[tuple[float, int, int]]] = {}
    for number, found in enumerate(edges):
        for i, (band, key, offset) in found.items():
            places.setdefault((band, key), []).append((offset, number, i))
    needed = max(2, len(pages) / 2)
    recurring = {(number, i) for entries in places.values()
                 for number, i in _recurring(entries, needed)}
    cleaned = []
    for number, (page, found) in enumerate(zip(pages, edges)):
        drop = {i for i in found if (number, i) in recurring or _is_page_number(page.items[i])}
        cleaned.append(replace(page, items=tuple(item for i, item in enumerate(page.items)
                                                 if i not in drop)) if drop else page)
    return cleaned


def _recurring(entries: list[tuple[float, int, int]], needed: float) -> Iterator[tuple[int, int]]:
    """(page, item) of the entries (offset, page, item) of one band and text that recur within
    the drift of their offset on at least ``needed`` pages. One pass of a window over the
    entries in offset order, counting the pages in it: linear in the pages, after the sort."""
    entries = sorted(entries)
    in_window: dict[int, int] = {}  # page -> its entries in the window
    low = high = 0
    for offset, number, item in entries:
        while high < len(entries) and entries[high][0] <= offset + _RUNNING_DRIFT:
            page = entries[high][1]
            in_window[page] = in_window.get(page, 0) + 1
            high += 1
        while entries[low][0] < offset - _RUNNING_DRIFT:
            page = entries[low][1]
            in_window[page] -= 1
            if not in_window[page]:
                del in_window[page]
            low += 1
        if len(in_window) >= needed:
            yield number, item


def _edge_lines(page: _Page) -> dict[int, tuple[str, str, float]]:
    """Index → (band, comparison key, distance from the page edge) of the text lines at the
    page's top and bottom edges."""
    out: dict[int, tuple[str, str, float]] = {}
    items = page.items
    for band, indices in (("top", range(len(items))), ("bottom", range(len(items) - 1, -1, -1))):
        for i in list(indices)[:2]:
            item = items[i]
            if not isinstance(item, _TextLine):
                break
            if item.bottom <= _MARGIN_BAND * page.height:
                offset = item.top
            elif item.top >= (1 - _MARGIN_BAND) * page.height:
                offset = page.height - item.bottom
            else:
                break
            out.setdefault(i, (band, re.sub(r"\d+", "#", squash(item.text)), offset))
    return out


def _is_page_number(item: _Item) -> bool:
    return isinstance(item, _TextLine) and _PAGE_NUMBER.match(item.text.strip()) is not None


# --------------------------------------------------------------------------- document


def _document(name: str, pages: list[_Page], notes: list[str]) -> Document:
    glyphs = sum(page.glyphs for page in pages)
    cleaned = _without_furniture(pages)
    # a page whose only text is furniture (a page number, a header stamped on a scan) has no
    # text layer to read
    has_text = [page.has_text and any(not isinstance(item, _Picture) for item in page.items) for page in cleaned]
    if not any(has_text):
        reason = ("scanned PDF: no text layer" if any(page.has_images for page in pages)
                  else "PDF has no text layer")
    elif glyphs and sum(page.unmapped_glyphs for page in pages) > glyphs / 2:
        # glyph numbers without Unicode are no text to check or to quote
        reason = "PDF text layer is unreadable (its fonts have no Unicode mapping)"
    else:
        scanned = [str(page.number) for page, text in zip(pages, has_text)
                   if not text and page.has_images]
        if scanned:
            notes.append(f"scanned page(s) without a text layer: {', '.join(scanned)}")
        return Document(source=name, reader="pdf", lines=_lines(cleaned), notes=tuple(notes))
    return Document(source=name, reader="pdf", lines=(), flags=frozenset({NO_TEXT_LAYER}),
                    notes=(*notes, reason))


@dataclass(frozen=True)
class _TablePart:
    """A table as printed on one page; a table continued over pages keeps its index."""

    index: int
    row_offset: int  # rows of the same table on earlier pages
    table: Table


def _lines(pages: list[_Page]) -> tuple[Line, ...]:
    placed: list[Union[_TextLine, _Picture, _TablePart]] = []
    tables = 0
    for item in (item for page in pages for item in page.items):
        if isinstance(item, (_TextLine, _Picture)):
            placed.append(item)
            continue
        last = placed[-1] if placed else None
        if isinstance(last, _TablePart) and last.table.page < item.page \
                and last.table.columns == item.columns:
            above, item = continue_table(last.table, item)
            placed[-1] = replace(last, table=above)
            placed.append(_TablePart(last.index, last.row_offset + len(above.rows), item))
        else:
            placed.append(_TablePart(tables, 0, item))
            tables += 1
    return tuple(line for entry in placed for line in _as_lines(entry))


def _as_lines(entry: Union[_TextLine, _Picture, _TablePart]) -> Iterator[Line]:
    if isinstance(entry, _TextLine):
        where = _where(entry.page, entry.x, entry.top)
        yield Line((Fragment(entry.text, where),), "text", where)
        return
    if isinstance(entry, _Picture):
        where = _where(entry.page, entry.x, entry.top)
        yield Line((Fragment("", where),), "image", where)
        return
    table = entry.table
    for row in table.rows:
        fragments = tuple(Fragment(text, _where(table.page, cell.x, cell.y, entry.index,
                                                entry.row_offset + cell.row, cell.col))
                          for cell in row for text in values_apart(cell.text))
        if fragments:
            yield Line(fragments, "row", replace(fragments[0].where, col=None), grid=True)


def _where(page: int, x: float, y: float, table: Optional[int] = None,
           row: Optional[int] = None, col: Optional[int] = None) -> Source:
    return Source(page=page, table=table, row=row, col=col, x=_points(x), y=_points(y))


def _points(value: float) -> Decimal:
    return Decimal(f"{value:.1f}")
