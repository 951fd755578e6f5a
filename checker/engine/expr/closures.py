"""The tree walker of checker.engine.expr.nodes, folded into nested closures once per expression.

A rule's expression is evaluated for every report (and every column or row of a `for_each`);
walking the tree pays, at each node, for looking up its fields and dispatching on its operator.
``compile_node`` does that once: each node becomes a Python function that calls its children's
functions directly, with the operator, the constant key and the bound function already chosen.
Nothing is generated as source text - these are ordinary closures over the parsed nodes.

The semantics are the nodes' ``evaluate`` methods, step for step (same order of evaluation, same
values, same errors and messages, same cells traced); a property test holds the two to agreement.
A node of a class not listed here (a subclass, such as the explainer's recording nodes) keeps its
own ``evaluate``."""
from __future__ import annotations

import operator
from functools import partial
from decimal import Decimal, DecimalException
from typing import Any, Callable

from ...model import Cell
from .env import Env
from .errors import EvalError, Missing, UnknownName
from .nodes import apply_function, And, Arith, Attr, Call, Compare, Index, Literal, ListExpr, Name, Negate, Node, Not, Or
from .values import (CELL_HOLDERS, MAPPING_TYPES, arithmetic, as_bool, as_number, bounded, broadcast, get_attribute,
                     get_item, is_mapping, lookup, negate, source_of)

Compiled = Callable[[Env], Any]
# whether a class is a mapping, by a dict lookup rather than a call (values.is_mapping fills it)
mapping_type = MAPPING_TYPES.get

_NUMBERS = (int, Decimal)


def compile_node(node: Node) -> Compiled:
    """``node.evaluate`` as a closure; the tree walker itself for a tree too deep to fold."""
    try:
        return _compile(node)
    except RecursionError:
        return node.evaluate


def _compile(node: Node) -> Compiled:
    build = _BUILDERS.get(type(node))
    return build(node) if build is not None else node.evaluate


def _literal(node: Literal) -> Compiled:
    value = node.value
    return lambda env: value


def _list(node: ListExpr) -> Compiled:
    items = tuple(_compile(item) for item in node.items)
    return lambda env: [item(env) for item in items]


def _name(node: Name) -> Compiled:
    name = node.name

    def run(env: Env) -> Any:
        try:
            value = env.names[name]
        except KeyError:
            raise UnknownName(name, known=env.names) from None
        if value.__class__ in CELL_HOLDERS:  # note_cell, without the call
            env.noted.append(value)
        return value

    return run


def _attr(node: Attr) -> Compiled:
    obj, name, obj_node = _compile(node.obj), node.name, node.obj

    def run(env: Env) -> Any:
        base = obj(env)
        if mapping_type(base.__class__) or is_mapping(base):
            try:
                value = base[name]
            except KeyError:
                value = lookup(base, name, obj_node)
        else:
            value = get_attribute(base, name, obj_node)
        if value.__class__ in CELL_HOLDERS:  # note_cell, without the call
            env.noted.append(value)
        return value

    return run


def _index(node: Index) -> Compiled:
    obj, obj_node, key_of = _compile(node.obj), node.obj, _compile(node.key)

    def run(env: Env) -> Any:
        base = obj(env)
        key = key_of(env)
        key_class = key.__class__
        if key_class is str and (mapping_type(base.__class__) or is_mapping(base)):
            try:
                value = base[key]
            except KeyError:
                value = lookup(base, key, obj_node)
        elif key_class is str and (base.__class__ is list or base.__class__ is tuple):
            value = broadcast(base, key, obj_node, get_item)
        elif (key_class is list or key_class is tuple) and (mapping_type(base.__class__) or is_mapping(base)):
            try:
                value = [base[k] if k.__class__ is str else lookup(base, k, obj_node) for k in key]
            except KeyError:
                value = get_item(base, key, obj_node)
        else:
            value = get_item(base, key, obj_node)
        if value.__class__ in CELL_HOLDERS:  # note_cell, without the call
            env.noted.append(value)
        return value

    return run


def _thunk(item: Compiled, env: Env) -> Callable[[], Any]:
    return lambda: item(env)


def _call(node: Call) -> Compiled:
    function = node.function
    if function is None:  # a tree built by hand: the walker looks the function up as it goes
        return node.evaluate
    items = tuple(_compile(arg) for arg in node.args)
    impl, name, lazy, pass_env = function.impl, node.name, function.lazy, function.pass_env
    source = partial(source_of, node)  # the call as written, for a Missing it raises

    def run(env: Env) -> Any:
        if lazy:
            args: list[Any] = [_thunk(item, env) for item in items]
        else:
            args = [item(env) for item in items]
        if pass_env:
            args.insert(0, env)
        value = apply_function(impl, name, args, source)
        if value.__class__ in CELL_HOLDERS:  # note_cell, without the call
            env.noted.append(value)
        return value

    return run


def _negate(node: Negate) -> Compiled:
    operand, operand_node = _compile(node.operand), node.operand
    return lambda env: negate(as_number(operand(env), operand_node, what="'-'"))


def _arith(node: Arith) -> Compiled:
    left, right, left_node, right_node, op = _compile(node.left), _compile(node.right), node.left, node.right, node.op
    what = f"'{op}'"
    whole = WHOLE_ARITHMETIC.get(op)

    def run(env: Env) -> Any:
        a = left(env)
        if type(a) is Cell and a.value is not None:
            a = a.value
        elif type(a) is not int:
            a = as_number(a, left_node, what=what)
        b = right(env)
        if type(b) is Cell and b.value is not None:
            b = b.value
        elif type(b) is not int:
            b = as_number(b, right_node, what=what)
        if whole is not None and type(a) is int and type(b) is int:
            return bounded(whole(a, b))
        return arithmetic(op, a, b)

    return run


COMPARISONS = {"==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt,
               ">=": operator.ge}
# what two whole numbers give exactly as ints (a division is left to the Decimals)
WHOLE_ARITHMETIC = {"+": operator.add, "-": operator.sub, "*": operator.mul}


def _compare(node: Compare) -> Compiled:
    left, right, decide = _compile(node.left), _compile(node.right), node.decide
    if node.null_test:  # `x == null`: an absent x is an answer here, not Missing
        def absent_or(env: Env) -> Any:
            try:
                a = left(env)
            except Missing:
                a = None
            try:
                b = right(env)
            except Missing:
                b = None
            return decide(a, b)

        return absent_or
    compare = COMPARISONS.get(node.op)
    numbers = _NUMBERS

    def run(env: Env) -> Any:
        a = left(env)
        b = right(env)
        if type(a) is Cell and a.value is not None:
            a = a.value
        if type(b) is Cell and b.value is not None:
            b = b.value
        if compare is not None and type(a) in numbers and type(b) in numbers:
            try:
                return compare(a, b)
            except DecimalException as exc:  # a NaN that slipped into the data
                raise EvalError(f"cannot compare {a} and {b}") from exc
        return decide(a, b)

    return run


def _not(node: Not) -> Compiled:
    operand, operand_node = _compile(node.operand), node.operand
    return lambda env: not as_bool(operand(env), operand_node, what="'not'")


def _and(node: And) -> Compiled:
    left, right, left_node, right_node = _compile(node.left), _compile(node.right), node.left, node.right

    def run(env: Env) -> Any:
        a = left(env)
        if a is not True and a is not False:
            a = as_bool(a, left_node, what="'and'")
        if not a:
            return False
        b = right(env)
        if b is not True and b is not False:
            b = as_bool(b, right_node, what="'and'")
        return b

    return run


def _or(node: Or) -> Compiled:
    left, right, left_node, right_node = _compile(node.left), _compile(node.right), node.left, node.right

    def run(env: Env) -> Any:
        a = left(env)
        if a is not True and a is not False:
            a = as_bool(a, left_node, what="'or'")
        if a:
            return True
        b = right(env)
        if b is not True and b is not False:
            b = as_bool(b, right_node, what="'or'")
        return b

    return run


_BUILDERS: dict[type, Callable[[Any], Compiled]] = {
    Literal: _literal, ListExpr: _list, Name: _name, Attr: _attr, Index: _index, Call: _call,
    Negate: _negate, Arith: _arith, Compare: _compare, Not: _not, And: _and, Or: _or,
}
