"""The static check of an expression against the report model: before any report is read, the
type of every sub-expression is worked out from the names a rule may use (``meta``, the tables of
the format, ``parts``, ``previous``, its ``let`` names and loop variable) and from the typed
signatures of the registered functions; what cannot work on any report is an error that points
at the sub-expression:

* a path that no report has (``applications['3.8']``, ``meta.yeer``, a column a row lacks);
* a comparison or arithmetic between kinds that never compare (a count with a text);
* a function given an argument of the wrong kind (``sum(meta.title)``), a key of the wrong kind
  (``applications[1]`` for ``applications['1']``);
* a condition that is not true/false (``applications['1'].total and ...``).

This is the one checker: the pack runs it on every expression when it is loaded (so ``check``
refuses a broken pack) and `rules lint` reports what it finds. What nothing is known about is
``ANY`` and accepted everywhere, so a dynamic but valid rule is never rejected."""
from __future__ import annotations

from typing import Mapping, Optional

from ..formats import FormatSpec, TableSpec
from .expr.errors import did_you_mean
from .expr.nodes import And, Arith, Attr, Call, Compare, Index, ListExpr, Literal, Name, Negate, Node, Not, Or
from .expr.types import (ANY, BOOL, CELL, DATE, LIST, NULL, NUMBER, PART, TEXT, Type, category, describe_value,
                         is_unknown, list_of, parameter_for, record, return_type, row_type, table_type, union)

META = record("meta", {
    "title": TEXT, "agency": TEXT, "agency_kind": TEXT, "year": NUMBER, "period_start": DATE,
    "period_end": DATE, "period_text": TEXT, "published": DATE, "published_text": TEXT,
    "signature_agency": TEXT, "signature_date": DATE,
})
REPORT = record("report", {"source": TEXT, "reader": TEXT, "format": TEXT, "flags": list_of(TEXT)})


class TypeProblem(Exception):
    """An expression that cannot work on any report; ``pos`` is where in its text."""

    def __init__(self, message: str, pos: int) -> None:
        super().__init__(message)
        self.message = message
        self.pos = pos


def root_types(fmt: FormatSpec) -> dict[str, Type]:
    """The type of every root name an expression may start with (checker.engine.context.ROOTS
    and one per table of the format)."""
    tables = {table.key: table_type(table.key) for table in fmt.tables}
    report_roots = {"meta": META, "parts": list_of(PART), "report": REPORT, **tables}
    previous = record("previous", {**report_roots, "previous": NULL})
    return {**report_roots, "previous": previous}


class Checker:
    """Types the expressions of one format's rules. ``names`` maps each name in scope to its
    type; ``check`` returns the type of an expression or raises TypeProblem."""

    def __init__(self, fmt: FormatSpec) -> None:
        self.fmt = fmt
        self.tables: dict[str, TableSpec] = {table.key: table for table in fmt.tables}

    # ------------------------------------------------------------------ entry points

    def check(self, node: Node, names: Mapping[str, Type]) -> Type:
        return self._type(node, names)

    def expect(self, node: Node, names: Mapping[str, Type], wanted: str) -> Type:
        """Check and require the result to be ``wanted`` ("bool" or "list")."""
        found = self.check(node, names)
        if is_unknown(found):
            return found
        if wanted == "bool" and found.name != "bool":
            raise TypeProblem(f"this must be true or false, but it is {found.describe()}"
                              + _condition_hint(found), node.pos)
        if wanted == "list" and found.name != "list":
            raise TypeProblem(f"this must be a list to loop over, but it is {found.describe()}", node.pos)
        if wanted == "number" and category(found) != "number":
            raise TypeProblem(f"this must be a number, but it is {found.describe()}", node.pos)
        return found

    # ------------------------------------------------------------------ the walk

    def _type(self, node: Node, names: Mapping[str, Type]) -> Type:
        if isinstance(node, Literal):
            return describe_value(node.value)
        if isinstance(node, Name):
            return names.get(node.name, ANY)
        if isinstance(node, ListExpr):
            return list_of(union(self._type(item, names) for item in node.items))
        if isinstance(node, Attr):
            return self.attribute(self._type(node.obj, names), node.name, node)
        if isinstance(node, Index):
            return self.index(node, names)
        if isinstance(node, Call):
            return self.call(node, names)
        if isinstance(node, Negate):
            self.number_operand(node.operand, names, "'-'")
            return NUMBER
        if isinstance(node, Arith):
            self.number_operand(node.left, names, f"'{node.op}'")
            self.number_operand(node.right, names, f"'{node.op}'")
            return NUMBER
        if isinstance(node, (And, Or)):
            word = "and" if isinstance(node, And) else "or"
            self.condition(node.left, names, f"'{word}'")
            self.condition(node.right, names, f"'{word}'")
            return BOOL
        if isinstance(node, Not):
            self.condition(node.operand, names, "'not'")
            return BOOL
        if isinstance(node, Compare):
            self.compare(node, names)
            return BOOL
        return ANY

    def number_operand(self, node: Node, names: Mapping[str, Type], what: str) -> None:
        found = self._type(node, names)
        if is_unknown(found) or category(found) == "number":
            return
        hint = " (add up a list with sum())" if found.name == "list" else ""
        if found.name == "text":
            hint = " (there is no text arithmetic; number(x) reads a number written as text)"
        raise TypeProblem(f"{what} needs numbers, but {node.to_source()} is {found.describe()}{hint}", node.pos)

    def condition(self, node: Node, names: Mapping[str, Type], what: str) -> None:
        found = self._type(node, names)
        if is_unknown(found) or found.name == "bool":
            return
        raise TypeProblem(f"{what} needs true or false, but {node.to_source()} is {found.describe()}"
                          + _condition_hint(found), node.pos)

    def compare(self, node: Compare, names: Mapping[str, Type]) -> None:
        left, right = self._type(node.left, names), self._type(node.right, names)
        if node.op in ("in", "not in"):
            self.membership(node, left, right)
            return
        if is_unknown(left) or is_unknown(right):
            return
        a, b = category(left), category(right)
        if node.op in ("==", "!="):
            if a != b:
                raise TypeProblem(f"{node.left.to_source()} is {left.describe()} and {node.right.to_source()} is "
                                  f"{right.describe()}: they never compare equal{_mind_quotes(node)}",
                                  node.pos)
            return
        if a != b or a not in ("number", "text", "date"):
            raise TypeProblem(f"cannot order {left.describe()} and {right.describe()} with {node.op}"
                              f"{_mind_quotes(node)}", node.pos)

    def membership(self, node: Compare, left: Type, right: Type) -> None:
        if is_unknown(right):
            return
        if right.name == "text":
            if not is_unknown(left) and left.name != "text":
                raise TypeProblem(f"'in' a text looks for a text, but {node.left.to_source()} is "
                                  f"{left.describe()}", node.left.pos)
            return
        if right.name == "list":
            item = right.item or ANY
            if not is_unknown(left) and not is_unknown(item) and category(left) != category(item):
                raise TypeProblem(f"{node.right.to_source()} is {right.describe()}, so {node.left.to_source()} "
                                  f"({left.describe()}) is never in it", node.pos)
            return
        if right.name in ("record", "table", "row"):
            return  # a key test: any value may be asked about (a number is simply not a key)
        raise TypeProblem(f"'in' needs a list, a text or a mapping on its right, but {node.right.to_source()} is "
                          f"{right.describe()}", node.right.pos)

    # ------------------------------------------------------------------ paths

    def attribute(self, base: Type, name: str, node: Node) -> Type:
        if is_unknown(base):
            return ANY
        if base.name == "list":
            return list_of(self.attribute(base.item or ANY, name, node))
        if base.name in ("record", "cell", "evidence"):
            if base.fields is None:
                return ANY
            found = base.field(name)
            if found is None:
                hint = _suggest(name, base.field_names) or f" (its fields: {', '.join(base.field_names)})"
                what = " is a table cell (a one-column row is the cell itself) and" if base.name == "cell" else ""
                raise TypeProblem(f"{_owner(base, node)}{what} has no field {name!r}{hint}", node.pos)
            return found
        if base.name == "table":
            return self.row_of(base, name, node)
        if base.name == "row":
            return self.column_of(base, name, node)
        raise TypeProblem(f"cannot take .{name} of {base.describe()} ({_source(node, 'obj')})", node.pos)

    def index(self, node: Index, names: Mapping[str, Type]) -> Type:
        base = self._type(node.obj, names)
        key = self._type(node.key, names)
        constant = node.key.value if isinstance(node.key, Literal) else None
        if is_unknown(base):
            return ANY
        if base.name == "list":
            if key.name == "number" or is_unknown(key):
                return base.item or ANY
            return list_of(self._index_value(base.item or ANY, key, constant, node))
        return self._index_value(base, key, constant, node)

    def _index_value(self, base: Type, key: Type, constant: object, node: Node) -> Type:
        if is_unknown(base):
            return ANY
        if base.name in ("record", "table", "row", "cell", "evidence"):
            if isinstance(constant, tuple):
                return list_of(union(self._index_value(base, TEXT, k, node) for k in constant))
            if key.name == "list":
                if not is_unknown(key.item or ANY) and (key.item or ANY).name != "text":
                    raise TypeProblem(f"the keys of {_owner(base, node)} are texts, not "
                                      f"{(key.item or ANY).describe()}s", node.pos)
                return list_of(self._index_value(base, TEXT, None, node))
            if not is_unknown(key) and key.name != "text":
                quotes = f" - write {str(constant)!r} in quotes" if constant is not None else ""
                raise TypeProblem(f"the keys of {_owner(base, node)} are texts, but the key is "
                                  f"{key.describe()}{quotes}", node.pos)
            if not isinstance(constant, str):
                return self._some_key(base)
            if base.name == "table":
                return self.row_of(base, constant, node)
            if base.name == "row":
                return self.column_of(base, constant, node)
            return self.attribute(base, constant, node)
        if base.name == "list":
            return list_of(self._index_value(base.item or ANY, key, constant, node))
        raise TypeProblem(f"cannot index {base.describe()} ({_source(node, 'obj')})", node.pos)

    def _some_key(self, base: Type) -> Type:
        """The value at a key known only at run time."""
        if base.name == "table":
            return row_type(base.table or "", None) if self._has_matrix_rows(base) else CELL
        if base.name == "row":
            return CELL
        values = [t for _, t in base.fields or ()]
        return union(values) if values else ANY

    def _has_matrix_rows(self, base: Type) -> bool:
        spec = self.tables.get(base.table or "")
        if spec is None:
            return True
        return any(not (spec.layout == "nested" and len(spec.columns_of(row)) == 1) for row in spec.rows)

    def row_of(self, table: Type, key: str, node: Node) -> Type:
        spec = self.tables.get(table.table or "")
        if spec is None:
            return ANY
        rows = {row.key: row for row in spec.rows}
        if key not in rows:
            raise TypeProblem(f"unknown row {key!r} of {spec.key}{_suggest(key, rows)}", node.pos)
        if spec.layout == "nested" and len(spec.columns_of(rows[key])) == 1:
            return CELL  # a one-column row is the cell itself
        return row_type(spec.key, key)

    def column_of(self, row: Type, key: str, node: Node) -> Type:
        spec = self.tables.get(row.table or "")
        if spec is None:
            return ANY
        if row.row is None:
            known = {c.key for r in spec.rows for c in spec.columns_of(r)}
        else:
            known = {c.key for c in spec.columns_of(spec.row(row.row))}
        if key not in known:
            where = f"{spec.key}[{row.row!r}]" if row.row is not None else f"the rows of {spec.key}"
            raise TypeProblem(f"unknown column {key!r} of {where}{_suggest(key, known)}", node.pos)
        return CELL

    # ------------------------------------------------------------------ calls

    def call(self, node: Call, names: Mapping[str, Type]) -> Type:
        args = [self._type(arg, names) for arg in node.args]
        function = node.function
        if function is None:
            return ANY
        for i, (arg, found) in enumerate(zip(node.args, args)):
            parameter = parameter_for(function.params, i)
            if parameter is not None and not parameter.accepts(found):
                raise TypeProblem(f"{function.name}() takes {parameter.description} as argument {i + 1}, but "
                                  f"{arg.to_source()} is {found.describe()}: {function.signature}", arg.pos)
        return return_type(function.returns, args)


def _owner(base: Type, node: Node) -> str:
    source = _source(node, "obj")
    return source if source else base.describe()


def _source(node: Node, attribute: str) -> str:
    inner = getattr(node, attribute, None)
    return inner.to_source() if isinstance(inner, Node) else ""


def _suggest(word: str, options: object) -> str:
    close = did_you_mean(word, options)  # type: ignore[arg-type]
    return (" - did you mean " + " or ".join(repr(c) for c in close) + "?") if close else ""


def _condition_hint(found: Type) -> str:
    if category(found) == "number":
        return " (write present(x) to test for a value, or compare it: x > 0)"
    if found.name == "list":
        return " (write count(x) > 0, any(x) or all(x))"
    return ""


def _mind_quotes(node: Compare) -> str:
    """A hint when one side is a number written in quotes."""
    for side in (node.left, node.right):
        if isinstance(side, Literal) and isinstance(side.value, str) and side.value.strip().lstrip("-").replace(
                ".", "", 1).isdigit():
            return f" (\"{side.value}\" in quotes is a text: write {side.value} for the number)"
    return ""


def element_type(t: Type) -> Type:
    """The type of the loop variable of ``for_each`` over a value of type ``t``."""
    if t.name == "list":
        return t.item or ANY
    return ANY


__all__ = ["Checker", "TypeProblem", "root_types", "element_type", "META", "REPORT", "LIST", "CELL"]
