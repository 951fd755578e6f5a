"""PDF reader: a PDF's text layer → Document.

PDFium (pdf_engine) gives each page's glyphs and drawn segments; ruled tables (pdf_grid) become
grid rows, one fragment per cell, a merged cell once at its top-left position; everything
outside the tables becomes text lines (pdf_text: words grouped by baseline, ordered left to
right). Page numbers and running headers are dropped, and a table cut by a page break simply
continues with the next page's rows.

A PDF without a text layer (a scan) is not an error: the Document carries the flag
``no_text_layer`` so its tables become "not assessable". An encrypted or damaged PDF is."""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Iterator, Optional, Union

from ..errors import ReadError
from ..model import Document, Fragment, Line, Source
from ..textnorm import parse_number, squash, strip_enumerator
from . import cjk
from .pdf_engine import Glyph, PageContent, PdfOpenError, read_pages
from .pdf_grid import Box, Grid, find_grids
from .pdf_text import Word, cell_text, join_words, lines as text_lines, words as page_words

NO_TEXT_LAYER = "no_text_layer"

# page furniture lives in the outer bands of the page
_MARGIN_BAND = 0.15
_PAGE_NUMBER = re.compile(
    r"^(?:[-—–－_~·\s]*\d{1,4}[-—–－_~·\s]*"
    r"|第\s*\d{1,4}\s*页(?:\s*[,，/／]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*[/／]\s*\d{1,4}"
    r"|[Pp]age\s*\d{1,4}(?:\s*of\s*\d{1,4})?)$"
)
# tolerance (points) when comparing ruling-line positions
_SNAP = 1.5
# a not-applicable mark standing for a value
_MARK = re.compile(r"^(?:[/／\\—–－-]{1,2}|无|不适用)$")
# a glyph this close (points) to the same glyph is the same glyph printed twice
_OVERPRINT = 1.0


def read(name: str, data: bytes) -> Document:
    if data.rfind(b"%%EOF") < 0:
        raise ReadError(name, "damaged or truncated PDF: the file ends before its end-of-file "
                              "marker (%%EOF); the download was probably cut off")
    try:
        contents = read_pages(data)
    except PdfOpenError as exc:
        raise ReadError(name, exc.reason) from None
    except Exception as exc:  # never a traceback from the engine
        raise ReadError(name, _reason(exc)) from None
    pages, notes = _read_pages(name, contents)
    return _document(name, pages, notes)


def _reason(exc: BaseException) -> str:
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
class _Cell:
    text: str
    row: int
    col: int
    rowspan: int
    colspan: int
    x: float
    y: float


@dataclass(frozen=True)
class _Table:
    page: int
    top: float
    columns: int
    rows: tuple[tuple[_Cell, ...], ...]


_Item = Union[_TextLine, _Table]


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
    for number, content in enumerate(contents, start=1):
        try:
            if isinstance(content, Exception):
                raise content
            done.append(_read_page(content))
        except Exception as exc:  # one broken page should not cost the others
            reason = _reason(exc)
            first_failure = first_failure or reason
            notes.append(f"page {number} could not be read: {reason}")
    if not done:
        raise ReadError(name, first_failure)
    return done, notes


def _read_page(content: PageContent) -> _Page:
    glyphs = content.glyphs
    if not glyphs:
        return _Page(content.number, content.height, (), False, content.has_images)
    overprinted = _overprinted(glyphs)
    if overprinted:
        glyphs = [g for g in glyphs if g.index not in overprinted]
    every = [*glyphs, *content.spaces]  # spaces separate words and cell lines
    found = _ruled_tables(content.number, find_grids(content.segments), every)
    words = page_words(every)
    if found:
        bounds = [(table_box, boxes) for _, table_box, boxes in found]
        words = [w for w in words if not _in_a_cell(w, bounds)]
    lines = [_TextLine(content.number, min(w.top for w in line), max(w.bottom for w in line),
                       line[0].x0, join_words(line)) for line in text_lines(words)]
    items = sorted([*lines, *(table for table, _, _ in found)], key=lambda item: item.top)
    return _Page(content.number, content.height, tuple(items), True, content.has_images,
                 content.unmapped, len(content.glyphs))


def _overprinted(glyphs: list[Glyph]) -> set[int]:
    """Indices of glyphs printed again on top of the same glyph: word processors fake bold that
    way, and it would read "一一、、总总体体"."""
    seen: dict[tuple[str, int, int], list[Glyph]] = {}
    again: set[int] = set()
    for glyph in glyphs:
        x, top = glyph.x0, glyph.top
        text, cx, cy = glyph.text, round(x), round(top)
        twin = False
        for kx in (cx - 1, cx, cx + 1):
            for ky in (cy - 1, cy, cy + 1):
                for other in seen.get((text, kx, ky), ()):
                    if abs(other.x0 - x) <= _OVERPRINT and abs(other.top - top) <= _OVERPRINT:
                        twin = True
                        break
        if twin:
            again.add(glyph.index)
        else:
            seen.setdefault((text, cx, cy), []).append(glyph)
    return again


def _ruled_tables(page: int, grids: list[Grid], glyphs: list[Glyph]
                  ) -> list[tuple[_Table, Box, list[Box]]]:
    """The page's ruled tables with their boxes and their cells' boxes (text inside a cell is
    the table's, not running text). A grid of one column is a frame around text, not a table:
    the page's text lines read it."""
    if not grids:
        return []
    by_middle = sorted(glyphs, key=lambda g: (g.top + g.bottom) / 2)
    middles = [(g.top + g.bottom) / 2 for g in by_middle]
    out = []
    for grid in grids:
        table = _table(page, grid, by_middle, middles)
        if table is not None:
            out.append((table, grid.bbox, list(grid.cells)))
    return out


def _in_a_cell(word: Word, bounds: list[tuple[Box, list[Box]]]) -> bool:
    x, y = word.middle
    for (x0, top, x1, bottom), boxes in bounds:
        if x0 <= x <= x1 and top <= y <= bottom:
            if any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes):
                return True
    return False


# --------------------------------------------------------------------------- tables


def _table(page: int, grid: Grid, by_middle: list[Glyph], middles: list[float]
           ) -> Optional[_Table]:
    """A found grid as rows of cells, or None when it is a framed text box (one column)."""
    rows = grid.rows()
    if not any(sum(1 for cell in cells if cell is not None) >= 2 for _, cells in rows):
        return None
    columns = grid.columns()
    row_tops = sorted({round(bbox[1], 1) for bbox, _ in rows})
    col_lefts = sorted({round(bbox[0], 1) for bbox, _ in columns})
    out: list[tuple[_Cell, ...]] = []
    for r, ((rx0, rtop, rx1, rbottom), cells) in enumerate(rows):
        in_row = [g for g in by_middle[bisect_left(middles, rtop):bisect_left(middles, rbottom)]
                  if rx0 <= (g.x0 + g.x1) / 2 < rx1]
        row: list[_Cell] = []
        for c, box in enumerate(cells):
            if box is None:
                continue  # covered by a merged cell that starts above or to the left
            x0, top, x1, bottom = box
            inside = [g for g in in_row if x0 <= (g.x0 + g.x1) / 2 < x1
                      and top <= (g.top + g.bottom) / 2 < bottom]
            row.append(_Cell(
                text=cell_text(inside) if inside else "",
                row=r, col=c,
                rowspan=max(1, sum(1 for t in row_tops if top - _SNAP <= t < bottom - _SNAP)),
                colspan=max(1, sum(1 for x in col_lefts if x0 - _SNAP <= x < x1 - _SNAP)),
                x=x0, y=top,
            ))
        out.append(tuple(row))
    return _Table(page, float(grid.bbox[1]), len(columns), tuple(out))


def _continue_table(previous: _Table, current: _Table) -> tuple[_Table, _Table]:
    """Rejoin merged cells a page break cut in two: a group label such as "（四）无法提供"
    printed as "（四）无" at the foot of one page and "法提供" at the top of the next.

    A cell at the top of the continuation belongs to the cell above the break in its column when
    either of them spans several rows (a group label, not an ordinary row), they span the same
    columns, and it does not start an item of its own (a numbered label or a value). Returns
    both parts: the one above with the rejoined texts, the continuation without those cells."""
    if not previous.rows or not current.rows:
        return previous, current
    above = _bottom_cells(previous)
    kept: list[_Cell] = []
    joined: dict[tuple[int, int], str] = {}
    for cell in current.rows[0]:
        host = above.get(cell.col)
        if host is not None and host.colspan == cell.colspan \
                and (host.rowspan > 1 or cell.rowspan > 1) and _is_continuation(cell.text):
            joined[(host.row, host.col)] = cjk.join_cell([host.text, cell.text])
        else:
            kept.append(cell)
    if not joined:
        return previous, current
    rows = tuple(tuple(replace(cell, text=joined.get((cell.row, cell.col), cell.text))
                       for cell in row) for row in previous.rows)
    return replace(previous, rows=rows), replace(current, rows=(tuple(kept),) + current.rows[1:])


def _bottom_cells(table: _Table) -> dict[int, _Cell]:
    """The cell occupying each grid column of the table's last row."""
    last = len(table.rows) - 1
    out: dict[int, _Cell] = {}
    for row in table.rows:
        for cell in row:
            if cell.row + cell.rowspan - 1 >= last:
                for c in range(cell.col, cell.col + cell.colspan):
                    out[c] = cell
    return out


def _is_continuation(text: str) -> bool:
    if not text:
        return True  # the empty rest of a merged cell
    return strip_enumerator(squash(text)) == squash(text) and parse_number(text) is None


# --------------------------------------------------------------------------- page furniture


def _without_furniture(pages: list[_Page]) -> list[_Page]:
    """Drop page numbers and running headers/footers: text lines at the top or bottom edge of a
    page that are page numbers, or that recur at the edge of most pages."""
    edge_keys = [_edge_lines(page) for page in pages]
    counts: dict[str, int] = {}
    for keys in edge_keys:
        for key in set(keys.values()):
            counts[key] = counts.get(key, 0) + 1
    running = {key for key, n in counts.items() if n >= max(2, len(pages) / 2)}
    cleaned = []
    for page, keys in zip(pages, edge_keys):
        drop = {i for i, key in keys.items() if key in running or _is_page_number(page.items[i])}
        cleaned.append(replace(page, items=tuple(item for i, item in enumerate(page.items)
                                                 if i not in drop)))
    return cleaned


def _edge_lines(page: _Page) -> dict[int, str]:
    """Index → comparison key of the text lines at the page's top and bottom edges."""
    out: dict[int, str] = {}
    items = page.items
    for indices in (range(len(items)), range(len(items) - 1, -1, -1)):
        for i in list(indices)[:2]:
            item = items[i]
            if not isinstance(item, _TextLine):
                break
            in_band = item.bottom <= _MARGIN_BAND * page.height \
                or item.top >= (1 - _MARGIN_BAND) * page.height
            if not in_band:
                break
            out[i] = re.sub(r"\d+", "#", squash(item.text))
    return out


def _is_page_number(item: _Item) -> bool:
    return isinstance(item, _TextLine) and _PAGE_NUMBER.match(item.text.strip()) is not None


# --------------------------------------------------------------------------- document


def _document(name: str, pages: list[_Page], notes: list[str]) -> Document:
    glyphs = sum(page.glyphs for page in pages)
    if not any(page.has_text for page in pages):
        reason = ("scanned PDF: no text layer" if any(page.has_images for page in pages)
                  else "PDF has no text layer")
    elif glyphs and sum(page.unmapped_glyphs for page in pages) > glyphs / 2:
        # glyph numbers such as "(cid:19968)" are no text to check or to quote
        reason = "PDF text layer is unreadable (its fonts have no Unicode mapping)"
    else:
        scanned = [str(page.number) for page in pages if not page.has_text and page.has_images]
        if scanned:
            notes.append(f"scanned page(s) without a text layer: {', '.join(scanned)}")
        return Document(source=name, reader="pdf", lines=_lines(_without_furniture(pages)),
                        notes=tuple(notes))
    return Document(source=name, reader="pdf", lines=(), flags=frozenset({NO_TEXT_LAYER}),
                    notes=(*notes, reason))


@dataclass(frozen=True)
class _TablePart:
    """A table as printed on one page; a table continued over pages keeps its index."""

    index: int
    row_offset: int  # rows of the same table on earlier pages
    table: _Table


def _lines(pages: list[_Page]) -> tuple[Line, ...]:
    placed: list[Union[_TextLine, _TablePart]] = []
    tables = 0
    for item in (item for page in pages for item in page.items):
        if isinstance(item, _TextLine):
            placed.append(item)
            continue
        last = placed[-1] if placed else None
        if isinstance(last, _TablePart) and last.table.page < item.page \
                and last.table.columns == item.columns:
            above, item = _continue_table(last.table, item)
            placed[-1] = replace(last, table=above)
            placed.append(_TablePart(last.index, last.row_offset + len(above.rows), item))
        else:
            placed.append(_TablePart(tables, 0, item))
            tables += 1
    return tuple(line for entry in placed for line in _as_lines(entry))


def _as_lines(entry: Union[_TextLine, _TablePart]) -> Iterator[Line]:
    if isinstance(entry, _TextLine):
        where = _where(entry.page, entry.x, entry.top)
        yield Line((Fragment(entry.text, where),), "text", where)
        return
    table = entry.table
    for row in table.rows:
        fragments = tuple(Fragment(text, _where(table.page, cell.x, cell.y, entry.index,
                                                entry.row_offset + cell.row, cell.col))
                          for cell in row for text in _values_apart(cell.text))
        if fragments:
            yield Line(fragments, "row", replace(fragments[0].where, col=None), grid=True)


def _values_apart(text: str) -> list[str]:
    """A cell's text, or its values one by one when it holds nothing but a run of them: a
    table whose value columns are not ruled apart comes out as one cell "3001 53 0 0 61 4"."""
    pieces = text.split()
    if len(pieces) > 1 and all(parse_number(p) is not None or _MARK.match(p) for p in pieces):
        return pieces
    return [text]


def _where(page: int, x: float, y: float, table: Optional[int] = None,
           row: Optional[int] = None, col: Optional[int] = None) -> Source:
    return Source(page=page, table=table, row=row, col=col, x=_points(x), y=_points(y))


def _points(value: float) -> Decimal:
    return Decimal(f"{value:.1f}")
