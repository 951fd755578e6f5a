"""The environment of one evaluation: name bindings and the trace of cells it touched."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Optional

from ...model import Cell


class Env:
    """Name bindings for one evaluation, plus the trace of cells it touched.

    ``names`` maps root names to values. ``context`` is free for the engine (domain functions
    registered with ``pass_env=True`` receive the Env and may read it). ``trace`` lists every
    Cell that a name, a path or a function call produced, in order, without duplicates."""

    __slots__ = ("names", "context", "_seen")

    def __init__(self, names: Optional[Mapping[str, Any]] = None, *, context: Any = None) -> None:
        self.names: Mapping[str, Any] = names if names is not None else {}
        self.context = context
        self._seen: dict[int, Cell] = {}

    @property
    def trace(self) -> tuple[Cell, ...]:
        return tuple(self._seen.values())

    def clear_trace(self) -> None:
        self._seen = {}

    def extend(self, names: Mapping[str, Any]) -> "Env":
        """A new Env with ``names`` added to (or shadowing) these, the same context and an
        empty trace - e.g. one per for_each item."""
        return Env({**self.names, **names}, context=self.context)

    def record(self, value: Any) -> None:
        """Note ``value`` in the trace if it is a Cell, or the Cells of a list of them."""
        if isinstance(value, Cell):
            self._seen.setdefault(id(value), value)
        elif isinstance(value, (list, tuple)):
            for item in value:
                if isinstance(item, (Cell, list, tuple)):
                    self.record(item)

    def __repr__(self) -> str:
        return f"Env({sorted(self.names)!r})"
