"""The closures an expression is folded into (checker.engine.expr.closures) agree with the tree
walker (the nodes' own evaluate) on every expression: the same value, the same error with the
same message, the same cells traced in the same order."""
from __future__ import annotations

import pickle
from functools import partial
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import expr_support as E

from checker.engine.expr import Env, ExprError, Missing, compile_expr
from checker.engine.expr.closures import compile_node
from checker.engine.expr.nodes import Literal, Name, Negate
from checker.model import Cell

SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])

KEYS = ["a", "b", "3.7"]
cells = st.one_of(
    st.integers(-5, 5).map(lambda v: Cell(value=v, kind="number", raw=str(v))),
    st.sampled_from([Decimal("0.5"), Decimal("-2.25"), Decimal("0")]).map(lambda v: Cell(value=v, kind="number", raw=str(v))),
    st.sampled_from([Cell(None, "blank", ""), Cell(None, "not_applicable", "/"), Cell(None, "lost", "")]),
)
scalars = st.one_of(cells, st.integers(-3, 3), st.sampled_from([Decimal("1.5"), "a", "中", "", True, False, None]))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3),
    st.dictionaries(st.sampled_from(KEYS), inner, max_size=3)), max_leaves=8)

ATOMS = ["t", "u", "k", "ks", "1", "0", "-2", "2.5", '"a"', '"3.7"', "'中'", "null", "true", "false", "[1, 2]",
         "['a', 'b']", "[t, 1]"]
FUNCTIONS = ["sum", "count", "present", "blank", "coalesce", "abs", "kind", "min", "max"]


expressions = partial(E.expressions, ATOMS, [
    lambda draw, inner: f"({draw(inner)}).{draw(st.sampled_from(['a', 'b', 'value', 'raw', 'kind']))}",
    lambda draw, inner: f"({draw(inner)})[{draw(inner)}]",
    E.call(FUNCTIONS), E.NEGATE, E.ARITHMETIC,
    E.binary(["==", "!=", "<", "<=", ">", ">=", "in", "not in"]), E.NOT, E.BOOLEAN, E.pair])


def _outcome(run: Any, env: Env) -> tuple[Any, ...]:
    try:
        value = run(env)
    except Missing as missing:
        return ("missing", missing.reason, id(missing.cell), missing.expr, str(missing), env.trace)
    except ExprError as error:
        return ("error", type(error).__name__, str(error), env.trace)
    return ("value", repr(value), type(value), env.trace)


@SETTINGS
@given(expressions(), values, values, st.sampled_from(KEYS), st.lists(st.sampled_from(KEYS), max_size=2))
def test_the_closures_agree_with_the_tree_walker(text, t, u, k, ks):
    try:
        expr = compile_expr(text)
    except ExprError:
        return
    names = {"t": t, "u": u, "k": k, "ks": ks}
    walked = _outcome(expr.root.evaluate, Env(names))
    folded = _outcome(compile_node(expr.root), Env(names))
    assert folded == walked, text


def test_a_subclassed_node_keeps_its_own_evaluate():
    class Recording(Name):
        __slots__ = ()

        def evaluate(self, env):
            return "recorded"

    assert compile_node(Recording("x"))(Env({"x": 1})) == "recorded"


def test_a_tree_too_deep_to_fold_is_walked():
    import sys
    node = Literal(1)
    for _ in range(sys.getrecursionlimit() * 2 // 3):  # folding takes two frames a level
        node = Negate(node)
    assert compile_node(node) == node.evaluate
    assert compile_node(node)(Env()) == node.evaluate(Env())


def test_an_expression_pickles_without_its_closures():
    expr = compile_expr("t.a + 1 == 2")
    assert expr.evaluate(Env({"t": {"a": 1}})) is True
    again = pickle.loads(pickle.dumps(expr))
    assert again == expr
    assert again.evaluate(Env({"t": {"a": 2}})) is False
