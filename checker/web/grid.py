"""The three tables as read, laid out as the format's grid: per block (or for the whole table)
a header of column labels and one line per row, each cell with its raw text, its kind and the
rules that failed on it. Plain data for the template; the format spec decides the shape."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Optional

from ..formats import FormatSpec, RowSpec, TableSpec
from ..results import RuleResult
from ..store.findings import table_cell


@dataclass(frozen=True)
class GridCell:
    raw: str
    kind: str  # number | blank | not_applicable | text | lost | unplaced | absent
    rules: tuple[str, ...] = ()  # failed rules whose evidence is this cell


@dataclass(frozen=True)
class GridRow:
    key: str
    label: str
    cells: tuple[GridCell, ...]


@dataclass(frozen=True)
class GridSection:
    label: str
    columns: tuple[str, ...]
    rows: tuple[GridRow, ...]


@dataclass(frozen=True)
class Grid:
    key: str
    name: str
    present: bool
    unreadable: bool
    sections: tuple[GridSection, ...] = field(default_factory=tuple)


def failing_cells(results: Iterable[RuleResult]) -> dict[tuple[str, str, str], list[str]]:
    """(table, row, column) → the failed rules that quote that cell."""
    out: dict[tuple[str, str, str], list[str]] = {}
    for result in results:
        if result.status != "fail":
            continue
        evidence = list(result.evidence) + [e for d in result.details if d.status == "fail" for e in d.evidence]
        for item in evidence:
            if item.kind == "cell" and item.table and item.row and item.col:
                rules = out.setdefault((item.table, item.row, item.col), [])
                if result.rule not in rules:
                    rules.append(result.rule)
    return out


def _cell(tables: Mapping[str, Any], spec: TableSpec, row: RowSpec, column: str,
          failing: Mapping[tuple[str, str, str], list[str]]) -> GridCell:
    data = table_cell(tables, spec.key, row.key, column)
    rules = tuple(failing.get((spec.key, row.key, column), ()))
    if data is None:
        return GridCell("", "absent", rules)
    return GridCell(str(data.get("raw") or ""), str(data.get("kind") or "blank"), rules)


def grids(tables: Optional[Mapping[str, Any]], fmt: FormatSpec, results: Iterable[RuleResult]) -> list[Grid]:
    failing = failing_cells(results)
    out = []
    for spec in fmt.tables:
        shaped = (tables or {}).get(spec.key)
        if not isinstance(shaped, Mapping):
            out.append(Grid(spec.key, spec.name, present=False, unreadable=False))
            continue
        sections = []
        if spec.blocks:
            for block in spec.blocks:
                rows = [r for r in spec.rows if r.block == block.key]
                sections.append(GridSection(
                    label=block.label, columns=tuple(spec.column(c).label for c in block.columns),
                    rows=tuple(GridRow(r.key, r.label, tuple(_cell(tables or {}, spec, r, c, failing)
                                                             for c in block.columns)) for r in rows)))
        else:
            columns = tuple(c.key for c in spec.columns)
            sections.append(GridSection(
                label="", columns=tuple(c.label for c in spec.columns),
                rows=tuple(GridRow(r.key, r.label, tuple(_cell(tables or {}, spec, r, c, failing) for c in columns))
                           for r in spec.rows)))
        out.append(Grid(spec.key, spec.name, present=True, unreadable=bool(shaped.get("unreadable")),
                        sections=tuple(sections)))
    return out
