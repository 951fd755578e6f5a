"""A table region of a shape read before, read again from what an earlier reading made of it.

The reports of a batch print their tables from one template: region after region has the same
labels on the same lines and differs only in its values. A table reading goes where the texts,
the kinds of the values (number, blank, mark) and their places lead it; the values themselves
it only hands on to the cells. So a reading of a shape is kept as a recipe (which token's value
goes to which cell, which cells are empty and where, the labels as written) and a region of the
same shape is read by following it (of a region with a line of running text never seen before,
from its third reading: such a region is mostly not seen again).

A recipe is kept only for what the recipe can say: a plain-text region (each line one place,
no grid), read without testing whether values add up (align.consistent) and without a note
(notes quote values); the recipe, followed on the region it came from, must give back the very
table."""
from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Optional, Sequence

from ..build import make_cell, make_fragment, make_label
from ..model import Cell, CellKind, Table
from .cells import CellReader
from .labels import TableLabels
from .lines import TextLine, is_prose
from .tokens import Token, _pieces

# how many shapes are kept (a batch's tables come in tens of shapes, a few per template)
_SHAPES = 1024
# how many line shapes are numbered before the numbering starts again, and the recipes with it
# (the bench's reports add one a report, the shape of a line of text within a table's region:
# some 3 MB at this bound, and the recipes made again every few thousand reports)
_LINE_SHAPES = 8192
# a line's shape when it is page furniture ("- 5 -"): no tokens
_PAGE_NUMBER = -1

_Pieces = tuple[tuple[str, int, object, Optional[str]], ...]  # as tokens._pieces gives them
_Reading = tuple[Optional[Table], tuple[str, ...], Optional[frozenset[int]]]  # as tables.Reading


@dataclass
class Trace:
    """What a reading reports back for its recipe: the tokens of each line, and whether it
    went only where the kinds of its values led it."""

    lines: list[list[Token]] = field(default_factory=list)
    plain: bool = True


@dataclass(frozen=True, slots=True)
class _Recipe:
    # the cells to make: the values of tokens, by line (its offset in the region, the indexes
    # of its tokens), then the empty cells (kind, offset of the line whose place they take)
    values: tuple[tuple[int, tuple[int, ...]], ...]
    empty: tuple[tuple[CellKind, Optional[int]], ...]
    places: tuple[tuple[tuple[str, str], ...], tuple[str, ...]]  # the cells' keys and their columns' units
    cells: tuple[int, ...]  # the index among those made of the cell of each place
    labels: tuple[tuple[str, str, str, str, int], ...]  # (kind, key, written, expected, line offset)
    unmatched: tuple[tuple[str, int], ...]  # (text, line offset)
    # the lines that are the table's: those whose shape says so, and those to be asked
    # (is_prose) as their shape does not say (a lone value or a run of them on a line of its own)
    rows: tuple[int, ...]
    asked: tuple[int, ...]


_RECIPES: OrderedDict[tuple[object, ...], _Recipe] = OrderedDict()
# shapes whose reading made no recipe: read in full each time, without tracing again
_NO_RECIPE = object()
# A region with a line of running text never seen before (a sentence of the part's text among
# the rows, an agency's name run into the next heading) mostly has a shape of its own: one
# region in six of a batch's, and four in five of those are never seen again, the rest once more
# (the agency's other year). A recipe made of each (traced, checked by following it) cost more
# than reading the region in full twice, so such a shape gets its recipe at this reading; any
# other region (a template's, with other values) at its first.
_RECIPE_AT = 3
# how often each such shape was read, until its recipe is made
_READ_BEFORE: dict[tuple[object, ...], int] = {}


def read_recurring(labels: TableLabels, lines: Sequence[TextLine], region: range, cells: CellReader,
                   read: Callable[[TableLabels, Sequence[TextLine], range, CellReader, Optional[Trace]], _Reading]
                   ) -> _Reading:
    """``read(labels, lines, region, cells, trace)``'s reading of a plain-text region, from the
    recipe of its shape when one was made."""
    shaped = region_shape(labels, lines, region, cells)
    if shaped is None:
        return read(labels, lines, region, cells, None)
    shape, pieces, novel = shaped
    recipe = _RECIPES.get(shape)
    if recipe is not None:
        _RECIPES.move_to_end(shape)
        if recipe is _NO_RECIPE:
            return read(labels, lines, region, cells, None)
        return follow(recipe, labels, lines, region, cells, pieces)  # type: ignore[arg-type]
    if novel or shape in _READ_BEFORE:
        times = _READ_BEFORE.pop(shape, 0) + 1
        if times < _RECIPE_AT:
            if len(_READ_BEFORE) >= _SHAPES * 4:
                _READ_BEFORE.clear()
            _READ_BEFORE[shape] = times
            return read(labels, lines, region, cells, None)
    trace = Trace()
    reading = read(labels, lines, region, cells, trace)
    made = recipe_of(reading, trace, labels, lines, region, cells, pieces)
    _RECIPES[shape] = made if made is not None else _NO_RECIPE  # type: ignore[assignment]
    if len(_RECIPES) > _SHAPES:
        _RECIPES.popitem(last=False)
    return reading


def region_shape(labels: TableLabels, lines: Sequence[TextLine], region: range, cells: CellReader
                 ) -> Optional[tuple[tuple[object, ...], list[_Pieces], bool]]:
    """What a reading of the region goes by: the shape of each line (its texts, the
    kinds and places of its values), the tokens of each line, and whether a line of running text
    had a shape never seen before; None for a region with a grid row (its cells are read by
    position from the fragments, which a recipe does not follow)."""
    if len(_SHAPE_IDS) > _LINE_SHAPES:
        clear_recipes()  # the numbers start again, and the recipes keyed by them go
    known = len(_SHAPE_IDS)  # the number the next new shape gets
    novel = False
    shapes: list[int] = []
    pieces: list[_Pieces] = []
    for i in region:
        line = lines[i]
        if line.line.grid:
            return None
        if line.cells == 1 and line.is_page_number:
            shapes.append(_PAGE_NUMBER)
            pieces.append(())
        else:
            shape, own = _line_shape(cells, line.shown)
            shapes.append(shape)
            pieces.append(own)
            if shape >= known and not novel:
                novel = is_prose(line, labels.prose_length)
    return (labels, cells, *shapes), pieces, novel


_SHAPE_IDS: dict[tuple[object, ...], int] = {}


@lru_cache(maxsize=8192)
def _line_shape(cells: CellReader, shown: tuple[str, ...]) -> tuple[int, _Pieces]:
    """A number for the shape of a text row's tokens (each text as written, each value by its
    kind and field: what row_tokens() makes of the line, but the values), and the tokens."""
    pieces, values_from = _pieces(cells, shown, True)
    shape = (values_from, sum(1 for text in shown if text),  # TextLine.cells
             *((text if kind is None else None, position, kind) for text, position, _, kind in pieces))
    return _SHAPE_IDS.setdefault(shape, len(_SHAPE_IDS)), pieces


def recipe_of(reading: _Reading, trace: Trace, labels: TableLabels, lines: Sequence[TextLine],
              region: range, cells: CellReader, pieces: Sequence[_Pieces]) -> Optional[_Recipe]:
    """The recipe of a reading, when it can be followed (see the module's doc)."""
    table, notes, rows = reading
    start = region.start
    if table is None or rows is None or notes or not trace.plain or table.where is not lines[start].where:
        return None
    offset = {id(lines[i].line.where): i - start for i in region}
    tokens = {id(token.cell): (n, k) for n, found in enumerate(trace.lines)
              for k, token in enumerate(found) if token.cell is not None}
    values: dict[int, tuple[int, int]] = {}  # id of a cell made of a token's value -> (line, token)
    # id of an empty cell -> (kind, line; None for a cell of no place, a block not printed)
    empty: dict[int, tuple[CellKind, Optional[int]]] = {}
    for cell in table.cells.values():
        if id(cell) in tokens:
            values[id(cell)] = tokens[id(cell)]
        elif cell.raw == "" and cell.value is None and (cell.where is None or id(cell.where) in offset):
            empty[id(cell)] = (cell.kind, None if cell.where is None else offset[id(cell.where)])
        else:
            return None  # a cell made another way (a number read out of a label, a text cell for a unit)
    by_line: dict[int, list[int]] = {}
    for line, token in values.values():
        by_line.setdefault(line, []).append(token)
    order = sorted(values, key=values.__getitem__)  # made line by line, as follow() makes them
    index = {cell: n for n, cell in enumerate([*order, *empty])}
    units = {key: unit for row in labels.places.values() for key, unit in row}
    if any(key not in units for key in table.cells):
        return None
    keys = tuple(table.cells)
    places = _shared((keys, tuple(units[key] for key in keys)))
    if any(id(label.where) not in offset for label in table.labels) or \
            any(id(fragment.where) not in offset for fragment in table.unmatched):
        return None
    # whether a line is running text (is_prose) its shape says when it has several fields, or
    # one of text alone; a line of one field with values in it is asked again (a longer value
    # makes a longer line)
    saying = [lines[start + n].cells > 1 or (bool(found) and all(t.cell is None for t in found))
              for n, found in enumerate(trace.lines)]
    if len(saying) != len(region):
        return None
    recipe = _Recipe(
        values=tuple(_shared((line, tuple(sorted(found)))) for line, found in sorted(by_line.items())),
        empty=tuple(_shared(e) for e in empty.values()), places=places,
        cells=tuple(index[id(cell)] for cell in table.cells.values()),
        labels=tuple((label.kind, label.key, label.written, label.expected, offset[id(label.where)])
                     for label in table.labels),
        unmatched=tuple((fragment.text, offset[id(fragment.where)]) for fragment in table.unmatched),
        rows=tuple(n for n, said in enumerate(saying) if said and start + n in rows),
        asked=tuple(n for n, said in enumerate(saying) if not said))
    followed = follow(recipe, labels, lines, region, cells, pieces)
    return recipe if followed == reading and _alike(followed[0], table) else None  # type: ignore[arg-type]


def _alike(made: Table, read: Table) -> bool:
    """Whether the cells of two equal tables share objects in the same places."""
    first: dict[int, int] = {}
    for (_, mine), theirs in zip(made.cells.items(), read.cells.values()):
        if first.setdefault(id(mine), id(theirs)) != id(theirs):
            return False
    return len(first) == len({id(c) for c in read.cells.values()})


def follow(recipe: _Recipe, labels: TableLabels, lines: Sequence[TextLine], region: range,
           cells: CellReader, pieces: Sequence[_Pieces]) -> _Reading:
    """The reading the recipe gives for a region of its shape (``pieces``: the tokens of each
    of its lines, as region_shape() found them)."""
    start = region.start
    made: list[Cell] = []
    append = made.append
    for at, taken in recipe.values:
        own = pieces[at]
        fragments = lines[start + at].line.fragments
        for k in taken:
            text, position, value, kind = own[k]
            append(make_cell(value, kind, text, fragments[position].where))  # type: ignore[arg-type]
    for kind, at in recipe.empty:
        append(make_cell(None, kind, "", None if at is None else lines[start + at].line.where))
    table_cells: dict[tuple[str, str], Cell] = {}
    keys, units = recipe.places
    for key, unit, index in zip(keys, units, recipe.cells):
        cell = made[index]
        raw = cell.raw
        # as tables._place_rows places a cell (and what in_column() does with any other)
        table_cells[key] = cell if cell.kind != "number" or (raw.isdigit() and raw.isascii()) else \
            cells.in_column(cell, unit)
    name = labels.spec.key
    table = Table(key=name, cells=table_cells,
                  labels=tuple([make_label(name, kind, key, written, expected, lines[start + at].line.where)
                                for kind, key, written, expected, at in recipe.labels]),
                  unmatched=tuple([make_fragment(text, lines[start + at].line.where)
                                   for text, at in recipe.unmatched]),
                  where=lines[start].where)
    longest = labels.prose_length
    return table, (), frozenset([*(start + at for at in recipe.rows),
                                 *(start + at for at in recipe.asked if not is_prose(lines[start + at], longest))])


_SHARED: dict[tuple[object, ...], tuple[object, ...]] = {}


def _shared(parts: tuple[object, ...]) -> tuple[object, ...]:
    """One tuple for equal parts of recipes (most recipes of a table place the same cells, name
    the same labels): a recipe a fifth of the memory."""
    if len(_SHARED) > _LINE_SHAPES:
        _SHARED.clear()
    return _SHARED.setdefault(parts, parts)


def clear_recipes() -> None:
    _RECIPES.clear()
    _READ_BEFORE.clear()
    _SHARED.clear()
    _line_shape.cache_clear()
    _SHAPE_IDS.clear()
