"""PDF reader: a PDF's text layer → Document, with pdfplumber.

Ruled tables (pdfplumber's line-based table finding) become grid rows, one fragment per cell,
a merged cell once at its top-left position; everything outside the tables becomes text lines
(words grouped by baseline, ordered left to right). Page numbers and running headers are
dropped, and a table cut by a page break simply continues with the next page's rows.

A PDF without a text layer (a scan) is not an error: the Document carries the flag
``no_text_layer`` so its tables become "not assessable". An encrypted or damaged PDF is."""
from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Iterable, Iterator, Optional, Sequence, Union

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

from ..errors import ReadError
from ..model import Document, Fragment, Line, Source
from ..textnorm import parse_number, squash, strip_enumerator
from . import cjk

# pdfminer logs every oddity of a real-world PDF as a warning; a report reader is not the place
# to print them (and without a handler Python's last-resort handler would).
logging.getLogger("pdfminer").addHandler(logging.NullHandler())
logging.getLogger("pdfminer").propagate = False

NO_TEXT_LAYER = "no_text_layer"

# page furniture lives in the outer bands of the page
_MARGIN_BAND = 0.15
_PAGE_NUMBER = re.compile(
    r"^(?:[-—–－_~·\s]*\d{1,4}[-—–－_~·\s]*"
    r"|第\s*\d{1,4}\s*页(?:\s*[,，/／]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*[/／]\s*\d{1,4}"
    r"|[Pp]age\s*\d{1,4}(?:\s*of\s*\d{1,4})?)$"
)
_UNMAPPED_GLYPH = re.compile(r"^\(cid:\d+\)$")
# two CJK words closer than this (in ems) are one run of text spread by justification
_CJK_WORD_GAP = 1.0
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
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages, notes = _read_pages(name, pdf.pages)
    except ReadError:
        raise
    except Exception as exc:  # pdfminer raises anything from anywhere on a broken file
        raise ReadError(name, _reason(exc)) from None
    return _document(name, pages, notes)


def _reason(exc: BaseException) -> str:
    cause = _root_cause(exc)
    if isinstance(cause, PDFPasswordIncorrect):
        return "encrypted PDF (password required)"
    if isinstance(cause, PDFEncryptionError):
        return f"encrypted PDF (unsupported encryption: {cause})"
    detail = str(cause).strip() or type(cause).__name__
    return f"damaged or truncated PDF: {detail}"


def _root_cause(exc: BaseException) -> BaseException:
    # pdfplumber wraps pdfminer's exception as the first argument of its own
    seen: set[int] = set()
    while id(exc) not in seen:
        seen.add(id(exc))
        inner = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else None
        inner = inner or exc.__cause__
        if inner is None:
            break
        exc = inner
    return exc


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


def _read_pages(name: str, pages: Sequence) -> tuple[list[_Page], list[str]]:
    if not pages:
        raise ReadError(name, "damaged or truncated PDF: it has no pages")
    done: list[_Page] = []
    notes: list[str] = []
    first_failure = ""
    for page in pages:
        try:
            done.append(_read_page(page))
        except Exception as exc:  # one broken page should not cost the others
            reason = _reason(exc)
            first_failure = first_failure or reason
            notes.append(f"page {page.page_number} could not be read: {reason}")
    if not done:
        raise ReadError(name, first_failure)
    return done, notes


def _read_page(page) -> _Page:
    glyphs = [c for c in page.chars if c["text"].strip()]
    if not glyphs:
        return _Page(page.page_number, float(page.height), (), False, bool(page.images))
    overprinted = _overprinted(glyphs)
    if overprinted:
        page = page.filter(lambda obj: id(obj) not in overprinted)
    found = _ruled_tables(page)
    cell_boxes = [box for _, boxes in found for box in boxes]
    words = [w for w in page.extract_words(keep_blank_chars=False, use_text_flow=False)
             if not any(_inside(w, box) for box in cell_boxes)]
    lines = _text_lines(page.page_number, words)
    items = sorted([*lines, *(table for table, _ in found)], key=lambda item: item.top)
    unmapped = sum(1 for c in glyphs if _UNMAPPED_GLYPH.match(c["text"]))
    return _Page(page.page_number, float(page.height), tuple(items), True, bool(page.images),
                 unmapped, len(glyphs))


_Box = tuple[float, float, float, float]


def _overprinted(glyphs: list[dict]) -> set[int]:
    """Ids of glyphs printed again on top of the same glyph: word processors fake bold that
    way, and it would read "一一、、总总体体". (pdfplumber's dedupe_chars does the same job at
    twenty times the cost, which every page would pay.)"""
    seen: dict[tuple[str, int, int], list[dict]] = {}
    again: set[int] = set()
    for glyph in glyphs:
        x, top = glyph["x0"], glyph["top"]
        cell = (glyph["text"], round(x), round(top))
        nearby = (other for dx in (-1, 0, 1) for dy in (-1, 0, 1)
                  for other in seen.get((cell[0], cell[1] + dx, cell[2] + dy), ()))
        if any(abs(other["x0"] - x) <= _OVERPRINT and abs(other["top"] - top) <= _OVERPRINT
               for other in nearby):
            again.add(id(glyph))
        else:
            seen.setdefault(cell, []).append(glyph)
    return again


def _ruled_tables(page) -> list[tuple[_Table, list[_Box]]]:
    """The page's ruled tables with their cells' boxes (text inside a cell is the table's, not
    running text); none when finding them fails: the page is then read as text lines, which the
    extractor also understands."""
    try:
        found = [(_table(page.page_number, table), table.cells) for table in page.find_tables()]
    except Exception:
        return []
    return [(table, boxes) for table, boxes in found if table is not None]


def _inside(word: dict, box: _Box) -> bool:
    x = (word["x0"] + word["x1"]) / 2
    y = (word["top"] + word["bottom"]) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


# --------------------------------------------------------------------------- text lines


def _text_lines(page: int, words: Iterable[dict]) -> list[_TextLine]:
    """Words grouped into lines by vertical overlap, each line read left to right."""
    groups: list[list[dict]] = []
    for word in sorted(words, key=lambda w: (w["top"], w["x0"])):
        if groups and _same_line(groups[-1], word):
            groups[-1].append(word)
        else:
            groups.append([word])
    lines = []
    for group in groups:
        group.sort(key=lambda w: w["x0"])
        lines.append(_TextLine(page, min(w["top"] for w in group),
                               max(w["bottom"] for w in group), group[0]["x0"], _join_words(group)))
    return lines


def _same_line(line: list[dict], word: dict) -> bool:
    top = min(w["top"] for w in line)
    bottom = max(w["bottom"] for w in line)
    overlap = min(bottom, word["bottom"]) - max(top, word["top"])
    return overlap >= 0.5 * min(bottom - top, word["bottom"] - word["top"])


def _join_words(words: list[dict]) -> str:
    text = words[0]["text"]
    for before, word in zip(words, words[1:]):
        gap = word["x0"] - before["x1"]
        em = max(before["bottom"] - before["top"], word["bottom"] - word["top"], 1.0)
        # Justified Chinese text spreads characters apart; a gap under an em between two CJK
        # characters is spacing, a wider one separates columns.
        close_cjk = cjk.glue(text, word["text"]) == "" and gap < _CJK_WORD_GAP * em
        text += ("" if close_cjk else " ") + word["text"]
    return text


# --------------------------------------------------------------------------- tables


def _table(page: int, table) -> Optional[_Table]:
    """A found table as grid rows, or None when it is a framed text box (one column)."""
    rows = table.rows
    if not any(sum(1 for cell in row.cells if cell is not None) >= 2 for row in rows):
        return None
    texts = table.extract()
    row_tops = sorted({round(row.bbox[1], 1) for row in rows})
    col_lefts = sorted({round(col.bbox[0], 1) for col in table.columns})
    out: list[tuple[_Cell, ...]] = []
    for r, (row, row_texts) in enumerate(zip(rows, texts)):
        cells = []
        for c, (box, text) in enumerate(zip(row.cells, row_texts)):
            if box is None:
                continue  # covered by a merged cell that starts above or to the left
            x0, top, x1, bottom = box
            cells.append(_Cell(
                text=cjk.join_cell((text or "").split("\n")),
                row=r, col=c,
                rowspan=max(1, sum(1 for t in row_tops if top - _SNAP <= t < bottom - _SNAP)),
                colspan=max(1, sum(1 for x in col_lefts if x0 - _SNAP <= x < x1 - _SNAP)),
                x=x0, y=top,
            ))
        out.append(tuple(cells))
    return _Table(page, float(table.bbox[1]), len(table.columns), tuple(out))


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
