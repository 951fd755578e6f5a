"""Kind `cells`: every cell of a table must meet a list of requirements, checked in order:

- ``number``: the cell holds a number (not blank, not a mark such as "/" or "—", not text, not lost);
- ``non_negative``: a number that is not below zero;
- ``integer``: a whole number.

A requirement that needs a number is not checked on a cell without one (``number`` reports
that). A cell whose value the checker could not place (``unplaced``) is not the report's fault:
it fails nothing, and leaves the rule not assessable when no other cell fails. Each failing cell is a detail naming its row and column, so a table of 175 cells costs one
pass in Python rather than 175 evaluated expressions."""
from __future__ import annotations

from decimal import Decimal
from typing import Any, Callable, Mapping

from ..evaluation import RuleRun
from ..expr import Missing
from ..inputs import CHECKER_CELL_STATES, absence
from ...frozen import make
from ...memo import by_identity
from ...model import Cell
from ...results import Detail
from ..vocabulary import describe, state_of_cell
from . import Outcome, aggregate_statuses, kind


def _is_number(cell: Cell) -> bool:
    return cell.kind == "number" and cell.value is not None


def _non_negative(cell: Cell) -> bool:
    return cell.value is None or cell.value >= 0


def _integer(cell: Cell) -> bool:
    value = cell.value
    return value is None or isinstance(value, int) or (isinstance(value, Decimal) and value == value.to_integral_value())


REQUIREMENTS: dict[str, Callable[[Cell], bool]] = {
    "number": _is_number,
    "non_negative": _non_negative,
    "integer": _integer,
}


@by_identity(64)
def _places(spec: Any) -> tuple[tuple[tuple[str, str], str, str, str, str], ...]:
    """The table's cell_names, each with its (row, column) key made once."""
    return tuple(((row, col), row, col, unit, label) for row, col, unit, label in spec.cell_names)


def prepare(data: Mapping[str, Any], compiler: Any) -> dict[str, Any]:
    table = data["table"]
    tables = {t.key: t for t in compiler.fmt.tables}
    if table not in tables:
        raise compiler.error("table", f"unknown table {table!r}; the format has {', '.join(tables)}")
    units = tuple(data.get("units", ()))
    known_units = {c.unit for c in tables[table].columns}
    for unit in units:
        if unit not in known_units:
            raise compiler.error("units", f"{table} has no column of unit {unit!r} (units: {', '.join(sorted(known_units))})")
    return {"table": table, "units": units, "require": tuple(data["require"])}


@kind("cells", params=("item", "cell_state", "cell_kind", "raw", "count", "checked"), prepare=prepare)
def run_cells(rule: Any, run: RuleRun) -> Outcome:
    """Requirements every cell of a table must meet."""
    options = rule.options
    table = run.view.table_view(options["table"])
    if table is None:
        raise Missing(reason=f"{options['table']} is absent", inputs=(f"{run.view.prefix}table:{options['table']}",))
    table.readable()
    checks = [REQUIREMENTS[name] for name in options["require"]]
    passed = 0  # most cells pass: counted, not listed
    statuses: list[str] = []  # of the other cells
    details: list[Detail] = []
    lacking: list[str] = []  # cells without a number: what the failure reports absent
    unplaced: list[str] = []  # cells the checker could not read: what keeps it from judging
    units = options["units"]
    placed = table.table.cells
    for place, row, col, unit, label in _places(table.spec):
        if units and unit not in units:
            continue
        cell = placed.get(place)
        if cell is not None:
            # a whole number not below zero, which every requirement accepts: most cells, passed
            # without calling each requirement in turn
            value = cell.value
            if (value.__class__ is int and value >= 0 and cell.kind == "number") or all(check(cell) for check in checks):
                passed += 1
                continue
            if cell.kind in CHECKER_CELL_STATES:
                unplaced.append(f"cell:{table.key}/{row}/{col}")
                statuses.append("not_assessable")
                continue
        cell = table.cell(row, col)  # through the view: a failure's evidence names the cell
        if not _is_number(cell):
            lacking.append(f"cell:{table.key}/{row}/{col}")
        params = {"item": label, "cell_state": describe(cell), "cell_kind": state_of_cell(cell), "raw": cell.raw,
                  **run.params()}
        details.append(make(Detail, {"status": "fail", "template": rule.message, "params": params,
                                     "evidence": (run.view.cell_evidence(cell),), "item": label}))
        statuses.append("fail")
    status = aggregate_statuses(["pass"] * min(passed, 1) + statuses)
    params = dict(details[0].params) if details else {}
    params.update(count=len(details), checked=passed + len(statuses) - len(unplaced))
    missing = tuple(absence(run.view, key, run.view.fmt) for key in unplaced) if status == "not_assessable" else ()
    return Outcome(status=status, params=params, evidence=tuple(e for d in details for e in d.evidence),
                   details=tuple(details), reports=tuple(lacking), missing=missing)
