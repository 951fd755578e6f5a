"""What a cell's text means: a number, a blank, a not-applicable mark or stray text. The marks
are data (the format's ``[cells]``); a blank or a mark is never read as 0."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Optional

from ..formats import FormatSpec
from ..model import Cell, CellKind, Source
from ..textnorm import fold, parse_number
from ..build import make_cell
from .lines import display

# no number or cell mark is longer than this ("1,234,567.8901" with some spacing)
LONGEST_VALUE = 32


# eq=False: hashed by identity (it keys the _meaning cache on every value read; hashing its
# fields each time costs more than the lookup)
@dataclass(frozen=True, eq=False)
class CellReader:
    blank: frozenset[str]
    not_applicable: frozenset[str]
    # (unit word, column unit), longest word first: "12件", "461万元"
    units: tuple[tuple[str, str], ...] = ()
    unit_ends: frozenset[str] = frozenset()  # the last characters of the unit words

    @classmethod
    def for_format(cls, fmt: FormatSpec) -> "CellReader":
        def both(marks: frozenset[str]) -> frozenset[str]:
            return frozenset(marks) | frozenset(fold(m).strip() for m in marks)
        units = sorted(((word, unit) for unit, words in fmt.units.items() for word in words),
                       key=lambda pair: -len(pair[0]))
        return cls(blank=both(fmt.blank_marks), not_applicable=both(fmt.not_applicable_marks),
                   units=tuple(units), unit_ends=frozenset(word[-1] for word, _ in units if word))

    def read(self, text: str, where: Optional[Source] = None) -> Cell:
        return self.classify(display(text), where)

    def classify(self, raw: str, where: Optional[Source] = None) -> Cell:
        """The cell for text already cleaned by ``display()``."""
        if raw.isascii() and raw.isdigit():  # the common case, "0" or "12", first
            return make_cell(int(raw), "number", raw, where)
        value, kind = _meaning(self, raw)
        return make_cell(value, kind, raw, where)

    def meaning(self, raw: str) -> tuple[Optional[Decimal | int], CellKind]:
        """(value, kind) of a cell reading ``raw``."""
        if raw in self.blank:
            return None, "blank"
        if raw in self.not_applicable:
            return None, "not_applicable"
        number = parse_number(raw)
        if number is not None:
            return number, "number"
        folded = fold(raw).strip()
        if folded in self.blank:
            return None, "blank"
        if folded in self.not_applicable:
            return None, "not_applicable"
        for word, _ in (self.units if folded and folded[-1] in self.unit_ends else ()):
            if folded.endswith(word) and len(folded) > len(word):
                number = parse_number(folded[: -len(word)])
                if number is not None:
                    return number, "number"
        return None, "text"

    def is_unit(self, word: str) -> bool:
        """Whether ``word`` is a unit word alone ("件" of "3 件")."""
        return bool(word) and word[-1] in self.unit_ends and any(word == w for w, _ in self.units)

    def in_column(self, cell: Cell, unit: str) -> Cell:
        """The cell as a value of a column of ``unit``: a number written with the unit word of
        another unit ("461件" under 万元) is not that column's number but stray text."""
        if cell.kind != "number" or not self.units or cell.raw.isascii() and cell.raw.isdigit():
            return cell
        folded = fold(cell.raw).strip()
        for word, owner in self.units:
            if folded.endswith(word):
                return cell if owner == unit else make_cell(None, "text", cell.raw, cell.where)
        return cell

    def value(self, text: str, where: Optional[Source] = None) -> Optional[Cell]:
        """The cell when ``text`` is a value of its own (a number or a written mark), else None:
        a label, a sentence, an empty field."""
        return self.value_of(display(text), where)

    def value_of(self, raw: str, where: Optional[Source] = None) -> Optional[Cell]:
        """``value()`` for text already cleaned by ``display()``."""
        if not raw or len(raw) > LONGEST_VALUE:
            return None
        if raw.isascii() and raw.isdigit():
            return make_cell(int(raw), "number", raw, where)
        value, kind = _meaning(self, raw)
        return make_cell(value, kind, raw, where) if kind != "text" else None

    def is_value(self, raw: str) -> bool:
        """``value_of(raw) is not None``, without building the cell (most fields asked about
        are not kept)."""
        if not raw or len(raw) > LONGEST_VALUE:
            return False
        return (raw.isascii() and raw.isdigit()) or _meaning(self, raw)[1] != "text"

    @staticmethod
    def empty(kind: CellKind, where: Optional[Source]) -> Cell:
        """A cell without a value: ``blank`` (the row is there, the cell empty), ``lost`` (the
        row had values, but not one per column, so none can be placed) or ``unplaced`` (the
        values are there, but which is this cell's the reading could not tell)."""
        return make_cell(None, kind, "", where)


@lru_cache(maxsize=8192)
def _meaning(reader: CellReader, raw: str) -> tuple[Optional[Decimal | int], CellKind]:
    # the same few hundred texts ("/", "无", the labels a row is tested with) recur in every
    # table of every report of a batch
    return reader.meaning(raw)
