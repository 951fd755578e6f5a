"""The model objects the text reader and the extractor make by the hundred per report, built
without their frozen dataclass __init__ (which sets each field through object.__setattr__).

They are slotted classes (no field dictionary to make, fill and free, and a field read is a
fixed offset: a third fewer instructions a report than when they had dictionaries). A frozen
class refuses plain stores, and a store through its slot's descriptor is a call a field, so a
builder fills an unfrozen twin with the same slots and then makes it the model's class: the two
lay out their instances alike, which is all Python asks of a change of class. Each builder sets
exactly the dataclass's fields; a test holds them to the model."""
from __future__ import annotations

from decimal import Decimal
from typing import Optional

from .model import Cell, CellKind, Fragment, Label, Line, LineKind, Paragraph, Source

_new = object.__new__


def _twin(cls: type) -> type:
    """A plain class with the slots of the frozen ``cls``: filled field by field, then given
    ``cls`` as its class."""
    return type(f"_{cls.__name__}Built", (), {"__slots__": cls.__slots__})


_CellBuilt = _twin(Cell)
_FragmentBuilt = _twin(Fragment)
_LineBuilt = _twin(Line)
_LabelBuilt = _twin(Label)
_ParagraphBuilt = _twin(Paragraph)


def make_cell(value: Optional[Decimal | int], kind: CellKind, raw: str, where: Optional[Source]) -> Cell:
    cell = _new(_CellBuilt)
    cell.value = value
    cell.kind = kind
    cell.raw = raw
    cell.where = where
    cell.__class__ = Cell
    return cell


def make_label(table: str, kind: str, key: str, written: str, expected: str, where: Optional[Source]) -> Label:
    label = _new(_LabelBuilt)
    label.table = table
    label.kind = kind
    label.key = key
    label.written = written
    label.expected = expected
    label.where = where
    label.__class__ = Label
    return label


def make_paragraph(text: str, part: Optional[int], where: Source) -> Paragraph:
    paragraph = _new(_ParagraphBuilt)
    paragraph.text = text
    paragraph.part = part
    paragraph.where = where
    paragraph.__class__ = Paragraph
    return paragraph


def make_fragment(text: str, where: Source) -> Fragment:
    fragment = _new(_FragmentBuilt)
    fragment.text = text
    fragment.where = where
    fragment.__class__ = Fragment
    return fragment


def make_line(fragments: tuple[Fragment, ...], kind: LineKind, where: Source, grid: bool = False) -> Line:
    line = _new(_LineBuilt)
    line.fragments = fragments
    line.kind = kind
    line.where = where
    line.grid = grid
    line.__class__ = Line
    return line

