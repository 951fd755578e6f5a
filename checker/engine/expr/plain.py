"""Which expressions hold or not alike whether a cell holding a number is read as the Cell or as
its number, and a table as a view or as plain dicts.

An assertion over a table row or column (a total against the sum of its parts) is evaluated
for every row or column of every report, and nearly every one holds. Evaluated on plain values -
dicts of numbers, a lookup in C - it is several times cheaper than through the table views,
which note the address of every cell read for the evidence of a failure. Only the nodes below
treat a number cell and its number the same way (arithmetic, comparisons and ``sum`` take the
number of a cell; a cell without a number stays a Cell, so what the report lacks raises Missing
as ever; ``.raw`` of a number is an error); an expression that uses anything else
(``present()``, ``== null``, ``in``, a domain function) is never evaluated plainly. A plain
evaluation that does not hold, or raises, tells nothing: the caller evaluates the expression
again through the views, for the evidence and the message - but for a Missing at a cell the
table lacks (``plain_missing_safe``)."""
from __future__ import annotations

from .functions import FUNCTIONS
from .nodes import And, Arith, Attr, Call, Compare, Expr, Index, ListExpr, Literal, Name, Negate, Node, Not, Or

_SAME_ON_NUMBERS = frozenset({Literal, Name, Attr, Index, ListExpr, Arith, Negate, And, Or, Not})
_COMPARISONS = frozenset({"==", "!=", "<", "<=", ">", ">="})
_FUNCTIONS = frozenset({"sum"})


def plain_safe(expr: Expr) -> bool:
    """Whether ``expr`` has the same value on plain values as through the views."""
    return all(_safe(node) for node in expr.root.walk())


def _safe(node: Node) -> bool:
    cls = type(node)
    if cls is Compare:
        return node.op in _COMPARISONS and not node.null_test  # type: ignore[attr-defined]
    if cls is Call:
        return node.name in _FUNCTIONS and node.function is FUNCTIONS.get(node.name)  # type: ignore[attr-defined]
    return cls in _SAME_ON_NUMBERS


def plain_missing_safe(expr: Expr, tables: frozenset[str]) -> bool:
    """Whether a plain evaluation of ``expr`` that raises Missing at a lost cell raises the very
    Missing the views would. Up to that cell the two read the same values, but for a number
    cell, read as the Cell or as its number; the nodes of ``plain_safe`` treat both alike but
    for an index (``x[key]``), which takes a number but no Cell as its key: so no key may read
    a table (``tables``, the names whose values differ between the two)."""
    if not plain_safe(expr):
        return False
    for node in expr.root.walk():
        if type(node) is Index and any(type(n) is Name and n.name in tables for n in node.key.walk()):
            return False
    return True
