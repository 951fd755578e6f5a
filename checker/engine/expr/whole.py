"""A plain-values assertion (checker.engine.expr.plain) folded once more, for the case of nearly
every row and column of every report: each value it reads is a whole number.

``whole_check(expr, loop)`` gives ``check(names, memo)``, which answers True only where the
plain evaluation (checker.engine.expr.closures) answers True, and raises NotWhole wherever a
value is anything but a whole number, a text key, a plain dict or a list of them (a cell without
a number, a view, a Decimal, an overflow): the caller then evaluates the usual way, which says
what is missing or wrong. On whole numbers each node does what its closure does, less the
noting of cells (only a Missing needs it) and the cases that cannot arise there.

A sub-expression that does not read the loop's names (``applications[results]`` of a
per-column rule) has one value for every item of a rule's run: it is worked out at the first
item and kept in ``memo``, the caller's for that run."""
from __future__ import annotations

from typing import Any, Callable, Optional

from .closures import COMPARISONS, WHOLE_ARITHMETIC
from .functions import FUNCTIONS
from .nodes import And, Arith, Attr, Call, Compare, Expr, Index, ListExpr, Literal, Name, Negate, Node, Not, Or
from .plain import plain_safe
from .values import _INT_BOUND

Check = Callable[[dict, dict], Any]


class NotWhole(Exception):
    """The fast path cannot tell: something read is not a whole number (or a dict or list of
    them), or is absent."""


_INT = frozenset({int})
_DICT = frozenset({dict})
_STR = frozenset({str})


def whole_check(expr: Expr, loop: frozenset[str] = frozenset()) -> Optional[Check]:
    """``check(names, memo)``, the expression's value on whole numbers (see the module); None
    for an expression it does not cover (not plain-safe, a division, a tree too deep)."""
    if not plain_safe(expr):
        return None
    try:
        return _build(expr.root, loop)
    except (_Uncovered, RecursionError):
        return None


class _Uncovered(Exception):
    pass


def _build(node: Node, loop: frozenset[str]) -> Check:
    build = _BUILDERS.get(type(node))
    if build is None:  # pragma: no cover - plain_safe admits no other node
        raise _Uncovered
    return build(node, loop)


def _part(node: Node, loop: frozenset[str]) -> Check:
    """A node below a node that reads the loop's names: kept from item to item when it reads
    none of them itself (and is more than a name or a constant)."""
    if loop and type(node) not in (Literal, Name) and loop.isdisjoint(n.name for n in node.walk() if type(n) is Name):
        return _kept(_build(node, frozenset()), object())
    return _build(node, loop)


_ABSENT = object()


def _kept(run: Check, key: object) -> Check:
    """``run`` worked out once per memo: its value does not change from one item to the next."""
    def kept(names: dict, memo: dict) -> Any:
        value = memo.get(key, _ABSENT)
        if value is _ABSENT:
            value = memo[key] = run(names, memo)
        return value
    return kept


def _literal(node: Literal, loop: frozenset[str]) -> Check:
    value = node.value
    return lambda names, memo: value


def _name(node: Name, loop: frozenset[str]) -> Check:
    name = node.name

    def run(names: dict, memo: dict) -> Any:
        value = names.get(name, _ABSENT)
        if value is _ABSENT:
            raise NotWhole
        return value
    return run


def _attr(node: Attr, loop: frozenset[str]) -> Check:
    obj, name = _part(node.obj, loop), node.name

    def run(names: dict, memo: dict) -> Any:
        base = obj(names, memo)
        value = base.get(name, _ABSENT) if base.__class__ is dict else _ABSENT
        if value is _ABSENT:
            raise NotWhole
        return value
    return run


def _index(node: Index, loop: frozenset[str]) -> Check:
    obj, key_of = _part(node.obj, loop), _part(node.key, loop)

    def run(names: dict, memo: dict) -> Any:
        base = obj(names, memo)
        key = key_of(names, memo)
        base_class, key_class = base.__class__, key.__class__
        try:
            if key_class is str:
                if base_class is dict:
                    return base[key]
                if (base_class is list or base_class is tuple) and set(map(type, base)) <= _DICT:
                    return [item[key] for item in base]  # a column of rows
            elif (key_class is list or key_class is tuple) and base_class is dict and set(map(type, key)) <= _STR:
                return [base[k] for k in key]
        except KeyError:
            pass
        raise NotWhole
    return run


def _list(node: ListExpr, loop: frozenset[str]) -> Check:
    items = tuple(_part(item, loop) for item in node.items)
    return lambda names, memo: [item(names, memo) for item in items]


def _call(node: Call, loop: frozenset[str]) -> Check:
    if node.name != "sum" or node.function is not FUNCTIONS.get("sum"):  # pragma: no cover - plain_safe
        raise _Uncovered
    items = tuple(_part(arg, loop) for arg in node.args)

    def run(names: dict, memo: dict) -> Any:
        total = 0
        for item in items:
            value = item(names, memo)
            cls = value.__class__
            if cls is int:
                total += value
            elif (cls is list or cls is tuple) and set(map(type, value)) <= _INT:
                total += sum(value)
            else:
                raise NotWhole
        if -_INT_BOUND < total < _INT_BOUND:
            return total
        raise NotWhole
    return run


def _arith(node: Arith, loop: frozenset[str]) -> Check:
    whole = WHOLE_ARITHMETIC.get(node.op)
    if whole is None:  # a division gives a Decimal
        raise _Uncovered

    def bounded(a: int, b: int) -> int:
        value = whole(a, b)
        if -_INT_BOUND < value < _INT_BOUND:
            return value
        raise NotWhole
    return _of_two_wholes(node, loop, bounded)


def _negate(node: Negate, loop: frozenset[str]) -> Check:
    operand = _part(node.operand, loop)

    def run(names: dict, memo: dict) -> Any:
        a = operand(names, memo)
        if a.__class__ is int:
            return -a
        raise NotWhole
    return run


def _compare(node: Compare, loop: frozenset[str]) -> Check:
    compare = COMPARISONS.get(node.op)
    if compare is None or node.null_test:  # pragma: no cover - plain_safe
        raise _Uncovered
    return _of_two_wholes(node, loop, compare)


def _of_two_wholes(node: Arith | Compare, loop: frozenset[str], operation: Callable[[int, int], Any]) -> Check:
    left, right = _part(node.left, loop), _part(node.right, loop)

    def run(names: dict, memo: dict) -> Any:
        a = left(names, memo)
        b = right(names, memo)
        if a.__class__ is int and b.__class__ is int:
            return operation(a, b)
        raise NotWhole
    return run


def _truth(value: Any) -> bool:
    if value is True or value is False:
        return value
    raise NotWhole


def _not(node: Not, loop: frozenset[str]) -> Check:
    operand = _part(node.operand, loop)
    return lambda names, memo: not _truth(operand(names, memo))


def _and(node: And, loop: frozenset[str]) -> Check:
    left, right = _part(node.left, loop), _part(node.right, loop)
    return lambda names, memo: _truth(left(names, memo)) and _truth(right(names, memo))


def _or(node: Or, loop: frozenset[str]) -> Check:
    left, right = _part(node.left, loop), _part(node.right, loop)
    return lambda names, memo: _truth(left(names, memo)) or _truth(right(names, memo))


_BUILDERS: dict[type, Callable[[Any, frozenset[str]], Check]] = {
    Literal: _literal, ListExpr: _list, Name: _name, Attr: _attr, Index: _index, Call: _call,
    Negate: _negate, Arith: _arith, Compare: _compare, Not: _not, And: _and, Or: _or,
}
