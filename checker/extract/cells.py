"""What a cell's text means: a number, a blank, a not-applicable mark or stray text. The marks
are data (the format's ``[cells]``); a blank or a mark is never read as 0."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from ..formats import FormatSpec
from ..model import Cell, CellKind, Source
from ..textnorm import fold, parse_number
from .lines import display

# no number or cell mark is longer than this ("1,234,567.8901" with some spacing)
_LONGEST_VALUE = 32


@dataclass(frozen=True)
class CellReader:
    blank: frozenset[str]
    not_applicable: frozenset[str]

    @classmethod
    def for_format(cls, fmt: FormatSpec) -> "CellReader":
        def both(marks: frozenset[str]) -> frozenset[str]:
            return frozenset(marks) | frozenset(fold(m).strip() for m in marks)
        return cls(blank=both(fmt.blank_marks), not_applicable=both(fmt.not_applicable_marks))

    def read(self, text: str, where: Optional[Source] = None) -> Cell:
        return self.classify(display(text), where)

    def classify(self, raw: str, where: Optional[Source] = None) -> Cell:
        """The cell for text already cleaned by ``display()``."""
        if raw.isascii() and raw.isdigit():  # the common case, "0" or "12", first
            return Cell(int(raw), "number", raw, where)
        if raw in self.blank:
            return Cell(None, "blank", raw, where)
        if raw in self.not_applicable:
            return Cell(None, "not_applicable", raw, where)
        number = parse_number(raw)
        if number is not None:
            return Cell(number, "number", raw, where)
        folded = fold(raw).strip()
        if folded in self.blank:
            return Cell(None, "blank", raw, where)
        if folded in self.not_applicable:
            return Cell(None, "not_applicable", raw, where)
        return Cell(None, "text", raw, where)

    def value(self, text: str, where: Optional[Source] = None) -> Optional[Cell]:
        """The cell when ``text`` is a value of its own (a number or a written mark), else None:
        a label, a sentence, an empty field."""
        return self.value_of(display(text), where)

    def value_of(self, raw: str, where: Optional[Source] = None) -> Optional[Cell]:
        """``value()`` for text already cleaned by ``display()``."""
        if not raw or len(raw) > _LONGEST_VALUE:
            return None
        cell = self.classify(raw, where)
        return cell if cell.kind != "text" else None

    @staticmethod
    def empty(kind: CellKind, where: Optional[Source]) -> Cell:
        """A cell the report does not fill: ``blank`` (the row is there, the cell empty) or
        ``lost`` (the row had values, but not one per column, so none can be placed)."""
        return Cell(None, kind, "", where)
