"""Evaluating expressions: numbers, cells, missing values, broadcasting, functions, trace, explain."""
from __future__ import annotations

import datetime
from decimal import Decimal, localcontext

import pytest

from checker.engine.expr import (FUNCTIONS, Env, EvalError, ExprError, Missing, UnknownName, compile_expr, register,
                          unregister)
from checker.model import Cell, Source

D = Decimal


def num(value, raw=None) -> Cell:
    return Cell(value=value, kind="number", raw=str(value) if raw is None else raw)


def gap(kind: str = "blank", raw: str = "") -> Cell:
    return Cell(value=None, kind=kind, raw=raw)


COLUMNS = ["natural", "commercial", "research", "social", "legal", "other", "total"]


def make_applications() -> dict:
    return {row: {col: num(10 * r + c) for c, col in enumerate(COLUMNS)}
            for r, row in enumerate(["1", "2", "3.1", "3.2", "3.7", "4"])}


def ev(source: str, /, **names):
    return compile_expr(source).evaluate(Env(names))


def missing(source: str, /, **names) -> Missing:
    with pytest.raises(Missing) as info:
        ev(source, **names)
    return info.value


def error(source: str, /, **names) -> EvalError:
    with pytest.raises(EvalError) as info:
        ev(source, **names)
    return info.value


# --------------------------------------------------------------------------- numbers


def test_decimal_arithmetic_is_exact():
    assert ev("0.1 + 0.2 == 0.3") is True
    assert ev("0.1 + 0.2") == D("0.3")
    assert ev("1.10 * 3") == D("3.30")
    assert ev("1 / 3 * 3 == 1") is False  # 28 significant digits, like a calculator
    assert ev("1 / 3") == D("0.3333333333333333333333333333")


def test_the_callers_decimal_context_does_not_matter():
    with localcontext() as ctx:
        ctx.prec = 3
        assert ev("1 / 3") == D("0.3333333333333333333333333333")
        assert ev("1.23456 + 1") == D("2.23456")


def test_int_stays_int_except_division():
    assert type(ev("2 + 3 * 4 - 1")) is int
    assert ev("7 / 2") == D("3.5") and type(ev("6 / 3")) is Decimal and ev("6 / 3") == 2
    assert type(ev("2 * 1.5")) is Decimal
    assert ev("10000000000000000000000 * 10000000000000000000000") == 10 ** 44  # ints are exact


def test_int_and_decimal_compare_exactly():
    assert ev("1 == 1.0") is True
    assert ev("2 > 1.9999999999") is True
    assert ev("3 != 3.00") is False
    assert ev("x == 18802255000", x=D("18802255000.0")) is True


def test_division_by_zero_is_an_eval_error():
    assert "division by zero" in error("1 / 0").message
    assert "division by zero" in error("1.5 / (2 - 2)").message
    assert "division by zero" in error("0 / 0.0").message


def test_unary_minus():
    assert ev("-x", x=num(D("2.5"))) == D("-2.5")
    assert ev("--x", x=3) == 3


def test_floats_are_refused():
    assert "floating" in error("x + 1", x=1.5).message
    assert "floating" in error("x == 1", x=1.5).message


def test_text_is_not_a_number():
    assert "expected a number" in error("'a' + 1").message
    assert "expected a number" in error("x * 2", x=True).message


# --------------------------------------------------------------------------- cells and missing values


@pytest.mark.parametrize("kind, raw", [("blank", ""), ("not_applicable", "/"), ("text", "约10件"), ("lost", ""),
                                       ("unplaced", "")])
def test_a_cell_without_a_number_is_missing_never_zero(kind, raw):
    cell = gap(kind, raw)
    for text in ["c + 1", "c == 0", "c >= 0", "-c", "sum([c, 1])", "abs(c)", "max(c, 0)", "c in [0, 1]"]:
        with pytest.raises(Missing) as info:
            ev(text, c=cell)
        assert info.value.cell is cell, text
        assert info.value.reason


def test_cells_coerce_to_their_value():
    assert ev("a + b", a=num(2), b=num(D("0.5"))) == D("2.5")
    assert ev("a == 2 and a < b", a=num(2), b=num(3)) is True
    assert ev("a == b", a=num(2), b=num(D("2.0"))) is True
    assert ev("c.raw", c=num(5, raw="５")) == "５"
    assert ev("c.kind", c=gap("not_applicable", "/")) == "not_applicable"


def test_none_in_arithmetic_and_paths_is_missing():
    failure = missing("previous.applications['4'].total == 1", previous=None)
    assert "previous" in str(failure) and "absent" in str(failure)
    assert failure.cell is None
    assert "x" in str(missing("x + 1", x=None))
    missing("t[1]", t=None)
    missing("x < 1", x=None)
    missing("x and true", x=None)
    missing("not x", x=None)


def test_missing_names_the_sub_expression_and_the_cell():
    cell = gap("not_applicable", "/")
    failure = missing('t["3.7"].total + 1 == 2', t={"3.7": {"total": cell}})
    assert failure.cell is cell
    assert failure.expr == 't["3.7"].total'
    assert "not applicable" in str(failure) and "'/'" in str(failure)


def test_present_and_blank_never_raise_missing():
    names = dict(n=num(0), b=gap(), na=gap("not_applicable", "/"), none=None, previous=None, zero=0, text="")
    for text, expected in [("present(n)", True), ("present(b)", False), ("present(na)", False),
                           ("present(none)", False), ("present(previous.applications['4'])", False),
                           ("present(zero)", True), ("present(text)", True), ("present(none + 1)", False),
                           ("blank(n)", False), ("blank(b)", True), ("blank(previous.x.y)", True),
                           ("blank(zero)", False)]:
        assert ev(text, **names) is expected, text


def test_present_does_not_hide_errors_of_the_rule():
    with pytest.raises(EvalError):
        ev("present(t.nope)", t={"yes": 1})


def test_null_comparisons_ask_whether_a_value_is_absent():
    assert ev("x == null", x=None) is True
    assert ev("x == null", x=gap()) is True
    assert ev("x != null", x=num(1)) is True
    assert ev("previous.meta.year == null", previous=None) is True
    assert ev("null == null") is True


def test_whether_a_cell_the_checker_could_not_place_is_filled_is_not_known():
    """present/blank answer for blank and lost cells (the report's state) but not for an
    unplaced one: the report printed a value the checker could not assign, so asking is
    not assessable, never "no"."""
    assert ev("present(c)", c=gap("lost")) is False and ev("blank(c)", c=gap("lost")) is True
    for text in ("present(c)", "blank(c)", "present(c) or true"):
        assert missing(text, c=gap("unplaced")).cell is not None, text
    assert ev("kind(c)", c=gap("unplaced")) == "unplaced"


def test_kind_and_coalesce_see_absent_values():
    assert ev("kind(c)", c=gap("lost")) == "lost"
    assert ev("kind(previous.x)", previous=None) == "absent"
    assert [ev("kind(v)", v=v) for v in (1, "a", True, [1], {"a": 1}, datetime.date(2024, 1, 1))] == \
        ["number", "text", "boolean", "list", "mapping", "date"]
    assert ev("coalesce(previous.title, b, 'none')", previous=None, b=gap()) == "none"
    assert ev("coalesce(a, b)", a=None, b=None) is None
    assert ev("coalesce(a, 1 / 0)", a=2) == 2  # later arguments are not evaluated


# --------------------------------------------------------------------------- booleans


def test_and_or_short_circuit():
    assert ev("false and (1/0 == 1)") is False
    assert ev("true or (1/0 == 1)") is True
    assert ev("present(previous) and previous.x == 1", previous=None) is False
    with pytest.raises(EvalError):
        ev("true and (1/0 == 1)")


def test_boolean_operators_need_true_or_false():
    assert "true or false" in error("1 and true").message
    assert "true or false" in error("true and c", c=num(1)).message
    assert "true or false" in error("not 'x'").message
    assert ev("not false") is True


# --------------------------------------------------------------------------- comparisons


def test_comparing_different_kinds_is_an_error():
    assert "cannot compare" in error("x == '2024'", x=2024).message
    assert "cannot compare" in error("true == 1").message
    assert "cannot order" in error("'a' < 1").message
    assert "cannot order" in error("true < false").message


def test_texts_dates_and_lists_compare():
    assert ev("'abc' < 'abd'") is True
    assert ev("d <= date(2025, 3, 31)", d=datetime.date(2025, 3, 31)) is True
    assert ev("d > date(2025, 3, 31)", d=datetime.date(2025, 1, 1)) is False
    assert ev("[1, 2.0] == [1.0, x]", x=num(2)) is True
    assert ev("[1, 2] != [1]") is True


def test_membership():
    assert ev("'考核' in text", text="开展工作考核") is True
    assert ev("'评议' not in text", text="开展工作考核") is True
    assert ev("x in ['a', 'b']", x="b") is True
    assert ev("c in [1, 2, 3]", c=num(D("2.0"))) is True
    assert ev("'3.7' in t", t={"3.7": 1}) is True
    assert "'in'" in error("1 in 5").message
    missing("1 in x", x=None)


# --------------------------------------------------------------------------- paths and broadcasting


def test_paths_on_mappings_lists_and_cells():
    apps = make_applications()
    assert ev('t["3.7"].total', t=apps).value == 46
    assert ev("t['1'][col]", t=apps, col="legal").value == 4
    assert ev("rows[0] + rows[-1]", rows=[1, 2, 3]) == 4
    assert ev("m.a.b", m={"a": {"b": 7}}) == 7
    assert ev("c.where.line", c=Cell(1, "number", "1", Source(line=12))) == 12


def test_broadcasting_over_lists_of_keys_and_lists():
    apps = make_applications()
    cells = ev("t[['3.1', '3.2']][col]", t=apps, col="total")
    assert [c.value for c in cells] == [26, 36]
    assert [c.value for c in ev("t[rows].total", t=apps, rows=["1", "2"])] == [6, 16]
    assert ev("items.name", items=[{"name": "a"}, {"name": "b"}]) == ["a", "b"]
    assert ev("sum(t[leaves][col]) == 62", t=apps, leaves=["3.1", "3.2"], col="total") is True
    assert ev("[a, b].x", a={"x": 1}, b={"x": 2}) == [1, 2]


def test_operators_do_not_broadcast():
    assert "expected a number" in error("t[['1', '2']].total + 1", t=make_applications()).message


def test_unknown_keys_are_errors_with_suggestions():
    apps = make_applications()
    failure = error("t['3.8'].total", t=apps)
    assert "no key '3.8'" in failure.message and "'3.7'" in failure.message
    assert "did you mean 'total'" in error("t['1'].totl", t=apps).message
    assert "mind the quotes" in error("t[1]", t={"1": 2}).message
    assert "its keys" in error("m.c", m={"a": 1, "b": 2}).message


def test_out_of_range_index_and_bad_access():
    assert "out of range" in error("rows[3]", rows=[1, 2]).message
    assert "cannot index" in error("x['a']", x=5).message
    assert "cannot take .a" in error("x.a", x="text").message
    assert "cannot be a key" in error("t[c]", t={"a": 1}, c=num(1)).message


def test_only_public_dataclass_fields_are_reachable():
    cell = num(1)
    assert "no field" in error("c.__class__", c=cell).message
    assert "no field" in error("c.is_number", c=cell).message  # a property, not a field
    assert "cannot take" in error("f.__globals__", f=len).message
    assert "did you mean raw" in error("c.rawe", c=cell).message


def test_unknown_name_at_run_time_is_an_eval_error():
    with pytest.raises(UnknownName) as info:
        ev("applicatons + 1", applications=1)
    assert isinstance(info.value, EvalError)
    assert "did you mean applications?" in info.value.message


# --------------------------------------------------------------------------- trace


def test_trace_records_cells_in_order_without_duplicates():
    apps = make_applications()
    env = Env({"t": apps, "col": "total"})
    compile_expr("t['2'][col] + t['1'][col] == t['2'][col] + t['3.7'].total").evaluate(env)
    assert [c.value for c in env.trace] == [16, 6, 46]


def test_trace_includes_broadcast_cells_bound_cells_and_function_results():
    apps = make_applications()
    fee = num(D("12.5"))
    try:
        register("cell_of_test")(lambda: apps["4"]["total"])
        env = Env({"t": apps, "rows": ["3.1", "3.2"], "fee": fee})
        compile_expr("sum(t[rows].total) + fee + cell_of_test() > 0").evaluate(env)
    finally:
        unregister("cell_of_test")
    assert [c.value for c in env.trace] == [26, 36, D("12.5"), 56]


def test_trace_keeps_the_cell_that_was_missing():
    blank = gap()
    env = Env({"t": {"a": num(1), "b": blank}})
    with pytest.raises(Missing):
        compile_expr("t.a + t.b").evaluate(env)
    assert env.trace == (env.names["t"]["a"], blank)


def test_env_extend_shares_names_with_a_fresh_trace():
    base = Env({"t": {"x": num(1)}}, context="ctx")
    compile_expr("t.x").evaluate(base)
    item = base.extend({"col": "x"})
    assert item.trace == () and item.context == "ctx"
    assert compile_expr("t[col]").evaluate(item).value == 1
    base.clear_trace()
    assert base.trace == ()


def test_a_trace_read_again_lists_each_cell_once_in_the_order_first_read():
    a, b, c = num(1), num(2), num(3)
    env = Env({"t": {"a": a, "b": b, "c": c}, "pair": [a, [b]], "back": (b, c)})
    compile_expr("count(pair) > 0 and t.a == 1").evaluate(env)
    assert env.trace == (a, b)
    compile_expr("count(back) > 0 and t.a == 1").evaluate(env)
    assert env.trace == (a, b, c) == env.trace


# --------------------------------------------------------------------------- explain


def test_explain_gives_the_operands_of_a_comparison():
    apps = make_applications()
    expr = compile_expr("t['1'][col] + t['2'][col] == t['3.7'][col] + t['4'][col]")
    result = expr.explain(Env({"t": apps, "col": "total"}))
    assert result.value is False
    assert (result.op, result.left, result.right) == ("==", 22, 102)
    assert result.difference == -80
    assert [c.value for c in result.cells] == [6, 16, 46, 56]


def test_explain_shows_cell_values_not_cells():
    result = compile_expr("c >= 0").explain(Env({"c": num(-3)}))
    assert (result.value, result.left, result.right) == (False, -3, 0)


def test_explain_of_a_non_comparison():
    result = compile_expr("present(x)").explain(Env({"x": 1}))
    assert result.value is True and result.op is None and result.left is None and result.right is None


def test_explain_finds_the_failing_comparison_of_a_conjunction():
    try:
        register("decimals_test")(lambda x: 2)
        expr = compile_expr("fee >= 0 and fee < 10000000 and decimals_test(fee) <= 6")
        result = expr.explain(Env({"fee": num(18802255000)}))
    finally:
        unregister("decimals_test")
    assert result.value is False and result.op is None
    failing = result.innermost()
    assert (failing.op, failing.left, failing.right) == ("<", 18802255000, 10000000)
    assert failing.source == "fee < 10000000"


def test_explain_of_a_false_disjunction_explains_its_last_operand():
    expr = compile_expr("not present(c) or (c >= 0 and c < 5)")
    result = expr.explain(Env({"c": num(7)}))
    assert result.value is False
    inner = result.innermost()
    assert (inner.op, inner.left, inner.right) == ("<", 7, 5)
    assert compile_expr("true or 1/0 == 1").explain(Env()).value is True


def test_explain_raises_like_evaluate():
    with pytest.raises(Missing):
        compile_expr("c == 1").explain(Env({"c": gap()}))
    assert compile_expr("x == null").explain(Env({"x": None})).value is True


# --------------------------------------------------------------------------- builtins


@pytest.mark.parametrize("text, expected", [
    ("sum([1, 2, 3])", 6), ("sum([])", 0), ("sum(1, [2, [3]])", 6), ("sum([1, 0.5])", D("1.5")),
    ("count([1, 2])", 2), ("count([])", 0), ("len('考核评议')", 4), ("len([1])", 1),
    ("any([false, true])", True), ("any([])", False), ("all([true, true])", True), ("all([])", True),
    ("any(false, true)", True),
    ("abs(-2.5)", D("2.5")), ("abs(3)", 3),
    ("min([3, 1.5, 2])", D("1.5")), ("max(3, 7, 5)", 7), ("min(['b', 'a'])", "a"),
    ("contains('工作考核', ['考核', '评议'])", True), ("contains('工作考核', '评议')", False),
    ("contains_all('考核评议', ['考核', '评议'])", True), ("contains_all('考核', ['考核', '评议'])", False),
    ("matches('2024年度报告', '(19|20)[0-9]{2}')", True), ("matches('二〇二四', '\\d+')", False),
    ("number('1,234')", 1234), ("number('１２.５')", D("12.5")), ("number(-3)", -3),
    ("round(2.345, 2)", D("2.35")), ("round(2.5)", 3), ("round(-2.5)", -3), ("round(7, 2)", 7),
    ("date(2024, 12, 31)", datetime.date(2024, 12, 31)), ("year(date(2025, 1, 1))", 2025),
    ("approx(1.004, 1, 0.01)", True), ("approx(1.02, 1, 0.01)", False),
])
def test_builtins(text, expected):
    result = ev(text)
    assert result == expected and type(result) is type(expected), (text, result)


def test_builtins_coerce_cells():
    names = dict(a=num(2), b=num(D("0.5")), y=num(2024))
    assert ev("sum([a, b])", **names) == D("2.5")
    assert ev("max([a, b])", **names) == 2
    assert ev("date(y + 1, 1, 31)", **names) == datetime.date(2025, 1, 31)
    assert ev("number(a)", **names) == 2


@pytest.mark.parametrize("text, words", [
    ("sum(['a'])", "expected a number"), ("count('abc')", "len()"), ("min([])", "empty"),
    ("contains(1, 'a')", "expected text"), ("matches('a', p)", "regular expression"),
    ("date(2024, 2, 30)", "not a valid date"), ("round(1.5, 1.5)", "whole number"),
    ("round(1.5, 40)", "between 0 and 28"), ("approx(1, 2, -1)", "negative"), ("year(5)", "needs a date"),
    ("any([1])", "true or false"), ("min([1, 'a'])", "cannot order"), ("contains('a', [1])", "expected text"),
])
def test_builtin_misuse_is_an_eval_error(text, words):
    assert words in error(text, p="(").message


def test_builtins_on_missing_values():
    missing("count(x)", x=None)
    missing("len(x)", x=None)
    missing("year(x)", x=None)
    missing("number('约10')")
    missing("contains(x, 'a')", x=None)
    missing("sum(t[['a', 'b']])", t={"a": num(1), "b": gap()})


# --------------------------------------------------------------------------- domain functions


def test_domain_function_failures_become_eval_errors_and_missing_passes_through():
    def broken(x):
        raise KeyError("oops")

    def absent(x):
        raise Missing(reason="the table is absent")

    try:
        register("broken_test")(broken)
        register("absent_test")(absent)
        failure = error("broken_test(1)")
        assert "broken_test()" in failure.message and "KeyError" in failure.message
        gap_ = missing("absent_test(t)", t=1)
        assert gap_.expr == "absent_test(t)" and str(gap_) == "absent_test(t): the table is absent"
    finally:
        unregister("broken_test")
        unregister("absent_test")


def test_lazy_and_env_passing_functions():
    seen = []

    def first_ok(env, *thunks):
        seen.append(env.context)
        for thunk in thunks:
            try:
                return thunk()
            except EvalError:
                continue
        return None

    try:
        register("first_ok_test", lazy=True, pass_env=True)(first_ok)
        assert FUNCTIONS["first_ok_test"].min_args == 0 and FUNCTIONS["first_ok_test"].max_args is None
        env = Env({"x": 3}, context="report")
        assert compile_expr("first_ok_test(1 / 0, x, 1 / 0)").evaluate(env) == 3
        assert seen == ["report"]
    finally:
        unregister("first_ok_test")


def test_functions_receive_cells_as_they_are():
    received = []
    try:
        register("describe_test")(lambda c: received.append(c) or "ok")
        blank = gap()
        assert ev("describe_test(c)", c=blank) == "ok"
        assert received == [blank]
    finally:
        unregister("describe_test")


def test_a_domain_function_returning_a_float_is_refused():
    try:
        register("float_test")(lambda: 0.5)
        assert "floating" in error("float_test()").message
    finally:
        unregister("float_test")


def test_every_error_is_an_expr_error_and_missing_is_not():
    assert issubclass(EvalError, ExprError)
    assert not issubclass(Missing, ExprError)
