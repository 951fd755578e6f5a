"""The model objects the text reader and the extractor make by the hundred per report, built
without their frozen dataclass __init__ (which sets each field through object.__setattr__): a
third of the cost. Each builder sets exactly the dataclass's fields, in order; a test holds
them to the model."""
from __future__ import annotations

from decimal import Decimal
from typing import Optional

from .model import Cell, CellKind, Fragment, Label, Line, LineKind, Paragraph, Source

_new = object.__new__


def make_cell(value: Optional[Decimal | int], kind: CellKind, raw: str, where: Optional[Source]) -> Cell:
    cell = _new(Cell)
    fields = cell.__dict__
    fields["value"] = value
    fields["kind"] = kind
    fields["raw"] = raw
    fields["where"] = where
    return cell


def make_label(table: str, kind: str, key: str, written: str, expected: str, where: Optional[Source]) -> Label:
    label = _new(Label)
    fields = label.__dict__
    fields["table"] = table
    fields["kind"] = kind
    fields["key"] = key
    fields["written"] = written
    fields["expected"] = expected
    fields["where"] = where
    return label


def make_paragraph(text: str, part: Optional[int], where: Source) -> Paragraph:
    paragraph = _new(Paragraph)
    fields = paragraph.__dict__
    fields["text"] = text
    fields["part"] = part
    fields["where"] = where
    return paragraph


def make_fragment(text: str, where: Source) -> Fragment:
    fragment = _new(Fragment)
    fields = fragment.__dict__
    fields["text"] = text
    fields["where"] = where
    return fragment


def make_line(fragments: tuple[Fragment, ...], kind: LineKind, where: Source, grid: bool = False) -> Line:
    line = _new(Line)
    fields = line.__dict__
    fields["fragments"] = fragments
    fields["kind"] = kind
    fields["where"] = where
    fields["grid"] = grid
    return line

