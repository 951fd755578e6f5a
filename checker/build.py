"""The model objects the text reader and the extractor make by the hundred per report, built
without their frozen dataclass __init__ (which sets each field through object.__setattr__): a
third of the cost. Each builder sets exactly the dataclass's fields, in order; a test holds
them to the model."""
from __future__ import annotations

from decimal import Decimal
from typing import Mapping, Optional

from .model import Cell, CellKind, Fragment, Label, Line, LineKind, Meta, Paragraph, Part, Report, Source, Table

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


def make_part(id: int, found: bool, heading: str = "", ordinal: str = "", where: Optional[Source] = None,
              index: int = -1, text: str = "", misworded: bool = False) -> Part:
    part = _new(Part)
    fields = part.__dict__
    fields["id"] = id
    fields["found"] = found
    fields["heading"] = heading
    fields["ordinal"] = ordinal
    fields["where"] = where
    fields["index"] = index
    fields["text"] = text
    fields["misworded"] = misworded
    return part


def make_table(key: str, cells: Mapping[tuple[str, str], Cell], labels: tuple[Label, ...] = (),
               unmatched: tuple[Fragment, ...] = (), where: Optional[Source] = None, unreadable: bool = False) -> Table:
    table = _new(Table)
    fields = table.__dict__
    fields["key"] = key
    fields["cells"] = cells
    fields["labels"] = labels
    fields["unmatched"] = unmatched
    fields["where"] = where
    fields["unreadable"] = unreadable
    return table


def make_report(source: str, reader: str, format: str, meta: Meta, parts: tuple[Part, ...],
                paragraphs: tuple[Paragraph, ...], tables: Mapping[str, Optional[Table]],
                encoding: Optional[str] = None, flags: frozenset[str] = frozenset(), notes: tuple[str, ...] = (),
                lines: tuple[Line, ...] = ()) -> Report:
    report = _new(Report)
    fields = report.__dict__
    fields["source"] = source
    fields["reader"] = reader
    fields["format"] = format
    fields["meta"] = meta
    fields["parts"] = parts
    fields["paragraphs"] = paragraphs
    fields["tables"] = tables
    fields["encoding"] = encoding
    fields["flags"] = flags
    fields["notes"] = notes
    fields["lines"] = lines
    return report
