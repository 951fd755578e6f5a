"""Ruled tables of a PDF page as rows of cells with their texts, and a table cut by a page
break put back together."""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, replace
from typing import Optional

from ..textnorm import parse_number, squash, strip_enumerator
from . import cjk
from .pdf_engine import Glyph
from .pdf_grid import Box, Grid
from .pdf_text import Word, cell_lines, cell_text

# tolerance (points) when comparing ruling-line positions
_SNAP = 1.5
# a not-applicable mark standing for a value
_MARK = re.compile(r"^(?:[/／\\—–－-]{1,2}|无|不适用)$")


@dataclass(frozen=True)
class Cell:
    """A cell of a ruled table: its text, its place in the grid and its top-left corner."""

    text: str
    row: int
    col: int
    rowspan: int
    colspan: int
    x: float
    y: float


@dataclass(frozen=True)
class Table:
    """A ruled table as printed on one page: rows of the cells starting in them."""

    page: int
    top: float
    columns: int
    rows: tuple[tuple[Cell, ...], ...]


Rows = list[tuple[Box, list[Box]]]  # a grid's rows: their boxes and the cells starting in them


def ruled_tables(page: int, grids: list[Grid], glyphs: list[Glyph]
                 ) -> list[tuple[Table, Box, Rows]]:
    """The page's ruled tables with their boxes and their rows of cell boxes (text inside a
    cell is the table's, not running text). A grid of one column is a frame around text, not
    a table: the page's text lines read it."""
    if not grids:
        return []
    by_middle = sorted(glyphs, key=lambda g: (g.top + g.bottom) / 2)
    middles = [(g.top + g.bottom) / 2 for g in by_middle]
    out = []
    for grid in grids:
        rows = grid.rows()
        table = _table(page, grid, rows, by_middle, middles)
        if table is not None:
            out.append((table, grid.bbox, [(box, [c for c in cells if c is not None])
                                           for box, cells in rows]))
    return out


def in_a_cell(word: Word, bounds: list[tuple[Box, Rows]]) -> bool:
    """Whether the word's middle lies in a cell of one of the tables (given by their boxes and
    rows, as ruled_tables returns them)."""
    x, y = word.middle
    for (x0, top, x1, bottom), rows in bounds:
        if not (x0 <= x <= x1 and top <= y <= bottom):
            continue
        for (_, row_top, _, row_bottom), cells in rows:
            if row_top <= y <= row_bottom and \
                    any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in cells):
                return True
    return False


# --------------------------------------------------------------------------- cells


def _table(page: int, grid: Grid, rows: list[tuple[Box, list[Optional[Box]]]],
           by_middle: list[Glyph], middles: list[float]) -> Optional[Table]:
    """A found grid as rows of cells, or None when it is no table's grid: a framed text box
    (one column), or rules between the columns only, a cell holding values with other lines
    over or under them ("3001" over "34", a header over its values), which the page's text
    lines read row by row instead."""
    if not any(sum(1 for cell in cells if cell is not None) >= 2 for _, cells in rows):
        return None
    columns = grid.columns()
    row_tops = sorted({round(bbox[1], 1) for bbox, _ in rows})
    col_lefts = sorted({round(bbox[0], 1) for bbox, _ in columns})
    out: list[tuple[Cell, ...]] = []
    for r, ((rx0, rtop, rx1, rbottom), cells) in enumerate(rows):
        # the row's glyphs by their middles, left to right, to find each cell's by bisection
        in_row = sorted(((g.x0 + g.x1) / 2, (g.top + g.bottom) / 2, g.index, g)
                        for g in by_middle[bisect_left(middles, rtop):bisect_left(middles, rbottom)])
        across = [item[0] for item in in_row]
        row: list[Cell] = []
        for c, box in enumerate(cells):
            if box is None:
                continue  # covered by a merged cell that starts above or to the left
            x0, top, x1, bottom = box
            inside = [g for _, y, _, g in in_row[bisect_left(across, x0):bisect_left(across, x1)]
                      if top <= y < bottom]
            lines = cell_lines(inside) if inside else []
            if len(lines) > 1 and any(is_value(line) or values_apart(line) != [line]
                                      for line in lines):
                return None  # values over or under other lines in one cell: no row rules
            row.append(Cell(
                text=cell_text(lines),
                row=r, col=c,
                rowspan=max(1, sum(1 for t in row_tops if top - _SNAP <= t < bottom - _SNAP)),
                colspan=max(1, sum(1 for x in col_lefts if x0 - _SNAP <= x < x1 - _SNAP)),
                x=x0, y=top,
            ))
        out.append(tuple(row))
    return Table(page, float(grid.bbox[1]), len(columns), tuple(out))


def continue_table(previous: Table, current: Table) -> tuple[Table, Table]:
    """Rejoin cells a page break cut in two: a group label such as "（四）无法提供" printed as
    "（四）无" at the foot of one page and "法提供" at the top of the next, or a whole row that
    a word processor let break across the pages ("1.本机关不掌握相关政" / "府信息", its values
    above the break).

    The first row of the continuation after any header rows repeated from the part above is
    looked at. A cell of it belongs to the cell above the break in its column when they span
    the same columns, it does not start an item of its own (a numbered label or a value), and
    either of them spans several rows (a group label) or the row is the rest of a broken row:
    no values in it, values in the row above. Returns both parts: the one above with the
    rejoined texts, the continuation without those cells."""
    if not previous.rows or not current.rows:
        return previous, current
    first = _repeated_header(previous, current)
    if first >= len(current.rows):
        return previous, current
    row = current.rows[first]
    above = _bottom_cells(previous)
    broken_row = any(cell.text for cell in row) \
        and all(_is_continuation(cell.text) for cell in row) \
        and any(is_value(text) for cell in previous.rows[-1] for text in values_apart(cell.text))
    kept: list[Cell] = []
    joined: dict[tuple[int, int], str] = {}
    for cell in row:
        host = above.get(cell.col)
        if host is not None and host.colspan == cell.colspan and _is_continuation(cell.text) \
                and (host.rowspan > 1 or cell.rowspan > 1 or broken_row):
            if cell.text:
                key = (host.row, host.col)
                joined[key] = cjk.join_cell([joined.get(key, host.text), cell.text])
        else:
            kept.append(cell)
    if len(kept) == len(row):
        return previous, current
    rows = tuple(tuple(replace(cell, text=joined.get((cell.row, cell.col), cell.text))
                       for cell in row) for row in previous.rows)
    rest = current.rows[:first] + (tuple(kept),) + current.rows[first + 1:]
    return replace(previous, rows=rows), replace(current, rows=rest)


def _repeated_header(previous: Table, current: Table) -> int:
    """How many rows the continuation starts with that repeat the first rows of the part above
    (a header row marked to repeat on every page)."""
    count = 0
    for above, here in zip(previous.rows, current.rows):
        if [c.text for c in above] != [c.text for c in here] or not any(c.text for c in here):
            break
        count += 1
    return count if count < len(previous.rows) else 0


def _bottom_cells(table: Table) -> dict[int, Cell]:
    """The cell occupying each grid column of the table's last row."""
    last = len(table.rows) - 1
    out: dict[int, Cell] = {}
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


def is_value(text: str) -> bool:
    return parse_number(text) is not None or _MARK.match(text) is not None


def values_apart(text: str) -> list[str]:
    """A cell's text, or its values one by one when it holds nothing but a run of them: a
    table whose value columns are not ruled apart comes out as one cell "3001 53 0 0 61 4"."""
    pieces = text.split()
    if len(pieces) > 1 and all(is_value(p) for p in pieces):
        return pieces
    return [text]
