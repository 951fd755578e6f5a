"""The whole-number check of an assertion (checker.engine.expr.whole) gives the value the folded
closures give wherever it gives one, item after item of a rule's run with what it keeps between
them, and gives one on the rows and columns of a table of whole numbers."""
from __future__ import annotations

from decimal import Decimal
from functools import partial
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import expr_support as E

from checker.engine.expr import Env, ExprError, Missing, compile_expr
from checker.engine.expr.closures import compile_node
from checker.engine.expr.plain import plain_safe
from checker.engine.expr.whole import NotWhole, whole_check
from checker.model import Cell

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

ROWS = ["1", "2", "3.7"]
COLS = ["a", "b", "total"]
values = st.one_of(
    st.integers(-4, 4), st.integers(-4, 4), st.integers(-4, 4),
    st.sampled_from([Decimal("0.5"), True, None, "a", 10 ** 40]),
    st.sampled_from([Cell(None, "blank", ""), Cell(None, "lost", ""), Cell(2, "number", "2")]),
)
rows = st.fixed_dictionaries({}, optional={c: values for c in COLS})
tables = st.fixed_dictionaries({}, optional={r: rows for r in ROWS})

ATOMS = ["t['1'][c]", "t['2'][c]", "t['3.7'][c]", "t['1'].total", "t[r][c]", "t[r].a", "1", "0", "-2", "2.5",
         "c", "r", "'a'", "true", "t[rows][c]", "t['1'][cols]", "t[r][cols]", "t[['1', '2']][c]", "[1, 2]",
         "t[rows]", "t"]


COMPARE = E.binary(["==", "!=", "<", "<=", ">", ">="])
# comparisons twice as often as the other shapes: what the assertions of table rules are made of
expressions = partial(E.expressions, ATOMS, [
    E.call(["sum"]), E.NEGATE, E.ARITHMETIC, COMPARE, COMPARE, E.NOT, E.BOOLEAN, E.pair,
    lambda draw, inner: f"({draw(inner)})[{draw(st.sampled_from(['c', 'r', 'cols', repr('a')]))}]"])


def _folded(run: Any, names: dict) -> tuple[Any, ...]:
    try:
        value = run(Env(names))
    except (Missing, ExprError):
        return ("raised",)
    return ("value", value, type(value))


@SETTINGS
@given(expressions(), tables, st.lists(st.tuples(st.sampled_from(COLS), st.sampled_from(ROWS)), min_size=1,
                                        max_size=4),
       st.lists(st.sampled_from(ROWS), max_size=3), st.lists(st.sampled_from(COLS), max_size=3))
def test_the_whole_number_check_gives_the_closures_value_item_after_item(text, t, items, rows_, cols):
    expr = compile_expr(text, names={"t", "c", "r", "rows", "cols"})
    if not plain_safe(expr):
        return
    check = whole_check(expr, frozenset({"c", "r"}))
    if check is None:
        assert "/" in text
        return
    folded = compile_node(expr.root)
    names: dict[str, Any] = {"t": t, "rows": rows_, "cols": cols}
    kept: dict[object, Any] = {}  # one rule's run: kept from item to item, as the rule keeps it
    for c, r in items:
        names.update(c=c, r=r)
        try:
            value = check(names, kept)
        except NotWhole:
            continue
        assert ("value", value, type(value)) == _folded(folded, names), (text, c, r)


whole_rows = st.fixed_dictionaries({c: st.integers(0, 9) for c in COLS})


@settings(max_examples=40, deadline=None)
@given(st.fixed_dictionaries({r: whole_rows for r in ROWS}), st.lists(st.sampled_from(ROWS), min_size=1))
def test_on_a_table_of_whole_numbers_the_check_decides_every_column(t, rows_):
    """Where every value read is a whole number the check has its answer (the fast path is
    taken), and it is the closures' answer."""
    for text in ("t['3.7'][c] == sum(t[rows][c])", "t['1'][c] + t['2'][c] == t['3.7'][c] - 0",
                 "t[r].total == sum(t[r][['a', 'b']])", "not (t['1'][c] < 0) and (t['2'][c] >= 0 or -t['1'][c] > 1)"):
        expr = compile_expr(text, names={"t", "c", "r", "rows"})
        check = whole_check(expr, frozenset({"c", "r"}))
        assert check is not None, text
        kept: dict[object, Any] = {}
        for c in COLS:
            for r in ROWS:
                names = {"t": t, "rows": rows_, "c": c, "r": r}
                assert check(names, kept) is compile_node(expr.root)(Env(names)), text


def test_the_table_rules_have_a_whole_number_check():
    from checker.engine.kinds.assertion import _whole
    from checker.engine.pack import load_pack
    rules = {r.id: r for r in load_pack().rules}
    for rule_id in ("TB-010", "TB-011", "TB-012", "TC-002"):
        assert _whole(rules[rule_id]) is not None, rule_id
