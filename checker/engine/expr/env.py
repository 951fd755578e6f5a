"""The environment of one evaluation: name bindings and the trace of cells it touched."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Optional

from ...model import Cell


class Env:
    """Name bindings for one evaluation, plus the trace of cells it touched.

    ``names`` maps root names to values. ``context`` is free for the engine (domain functions
    registered with ``pass_env=True`` receive the Env and may read it). ``trace`` lists every
    Cell that a name, a path or a function call produced, in order, without duplicates.

    The evaluator notes each value that is or may hold cells (a Cell, a list, a tuple) as it
    goes, and ``trace`` gathers the cells only when asked: most evaluations of a passing
    assertion never ask, and a column of 21 cells costs one append instead of 21 lookups.
    Values are never changed once made, so gathering late finds what gathering at once would."""

    __slots__ = ("names", "context", "noted")

    def __init__(self, names: Optional[Mapping[str, Any]] = None, *, context: Any = None) -> None:
        self.names: Mapping[str, Any] = names if names is not None else {}
        self.context = context
        self.noted: list[Any] = []  # cells, and lists and tuples that may hold some (see trace)

    @property
    def trace(self) -> tuple[Cell, ...]:
        seen: dict[int, Cell] = {}
        for value in self.noted:
            _gather(value, seen)
        cells = tuple(seen.values())
        self.noted = list(cells)  # asked again, the cells so far need not be gathered again
        return cells

    def clear_trace(self) -> None:
        self.noted = []

    def extend(self, names: Mapping[str, Any]) -> "Env":
        """A new Env with ``names`` added to (or shadowing) these, the same context and an
        empty trace - e.g. one per for_each item."""
        return Env({**self.names, **names}, context=self.context)

    def __repr__(self) -> str:
        return f"Env({sorted(self.names)!r})"


def _gather(value: Any, seen: dict[int, Cell]) -> None:
    """The cells of a noted value into ``seen`` (by identity, the first time each is met): a
    cell, or the cells of a list or tuple, nested lists included."""
    cls = value.__class__
    if cls is Cell:
        seen.setdefault(id(value), value)
    elif cls is list or cls is tuple:
        for item in value:
            item_cls = item.__class__
            if item_cls is Cell:
                seen.setdefault(id(item), item)
            elif item_cls is list or item_cls is tuple:
                _gather(item, seen)
