"""The static check of expressions against the report model (checker.engine.typecheck): what
cannot work on any report is an error at load time, pointing at the sub-expression; what might
work is never refused."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.engine.examples import build_report
from checker.engine.expr import EvalError, ExprError, FUNCTIONS, Missing, compile_expr
from checker.engine.expr.nodes import And, Literal, Or
from checker.engine.expr.types import PARAMETER_KINDS
from checker.engine.pack import compile_rule, load_pack
from checker.engine.runner import make_view
from checker.engine.evaluation import RuleRun
from checker.engine.typecheck import Checker, TypeProblem, root_types
from checker.errors import ConfigError
from checker.formats import get_format

FMT = get_format()
CHECKER = Checker(FMT)
NAMES = {**root_types(FMT)}


def typed(text: str, **extra: str) -> str:
    """The type's description of ``text`` (loop names given as a type spec: col="text")."""
    from checker.engine.expr.types import RETURN_TYPES
    names = {**NAMES, **{name: RETURN_TYPES[spec] for name, spec in extra.items()}}
    return CHECKER.check(compile_expr(text, names=names).root, names).describe()


def problem(text: str, **extra: str) -> TypeProblem:
    from checker.engine.expr.types import RETURN_TYPES
    names = {**NAMES, **{name: RETURN_TYPES[spec] for name, spec in extra.items()}}
    with pytest.raises(TypeProblem) as caught:
        CHECKER.check(compile_expr(text, names=names).root, names)
    return caught.value


@pytest.mark.parametrize("text,words", [
    ("applications['1'].total == '3'", ["never compare equal", '"3" in quotes is a text: write 3']),
    ("meta.year == '2024'", ["meta.year is a number", "write 2024 for the number"]),
    ("meta.title > 3", ["cannot order a text and a number"]),
    ("sum(meta.title) > 0", ["sum() takes numbers", "meta.title is a text"]),
    ("contains(part(1).text, 3)", ["contains() takes a text or a list of texts as argument 2"]),
    ("applications[1].total > 0", ["keys of applications are texts", "write '1' in quotes"]),
    ("applications['1'].total and true", ["'and' needs true or false", "present(x)"]),
    ("meta.yeer == 1", ["meta has no field 'yeer' - did you mean 'year'?"]),
    ("applications['3.8'].total == 1", ["unknown row '3.8' of applications", "did you mean"]),
    ("applications['1'].totl == 1", ["unknown column 'totl'", "did you mean 'total'?"]),
    ("count(applications['1'].total) == 1", ["count() takes a list or a mapping"]),
    ("part(1).txt == ''", ["has no field 'txt' - did you mean 'text'?"]),
    ("meta.title + 1 > 0", ["'+' needs numbers", "meta.title is a text"]),
    ("1 in ['a']", ["is never in it"]),
    ("active_disclosure.administrative_licensing.total >= 0", ["a table cell (a one-column row is the cell itself)"]),
    ("year(meta.title) == 2024", ["year() takes a date"]),
    ("previous.meta.yeer == 1", ["has no field 'yeer'"]),
    ("not count(rows(applications))", ["'not' needs true or false"]),
    ("meta.published < 2025", ["cannot order a date and a number"]),
])
def test_what_cannot_work_on_any_report_is_refused(text: str, words: list[str]) -> None:
    message = str(problem(text))
    for word in words:
        assert word in message, message


@pytest.mark.parametrize("text,expected", [
    ("applications['1'][col]", "a table cell"),
    ("applications[leaves(applications)][col]", "a list of table cells"),
    ("sum(applications[leaves(applications)][col])", "a number"),
    ("columns(applications)", "a list of texts"),
    ("part(5).text", "a text"),
    ("cells(applications).cell", "a list of table cells"),
    ("previous.applications['4'][col]", "a table cell"),
    ("coalesce(meta.year, 'x')", "a value"),  # either: only the report decides
    ("min(applications['1'][columns(applications)])", "a number"),
    ("meta.published <= date(meta.year + 1, 1, 31)", "true/false"),
    ("'考核' in part(1).text", "true/false"),
])
def test_types_follow_the_report_model(text: str, expected: str) -> None:
    assert typed(text, col="text") == expected


def test_a_problem_points_at_the_offending_argument() -> None:
    text = "contains(part(1).text, 3)"
    assert problem(text).pos == text.index("3")


def test_every_registered_function_has_a_typed_signature() -> None:
    untyped = [name for name, function in FUNCTIONS.items() if function.returns is None]
    assert untyped == []
    for function in FUNCTIONS.values():
        assert all(p.spec in PARAMETER_KINDS for p in function.params)
        if function.max_args is not None:  # one type per parameter, or a variadic last one
            assert len(function.params) == function.max_args or (function.params and function.params[-1].variadic)


def test_the_shipped_pack_type_checks() -> None:
    assert len(load_pack().rules) > 40  # loading runs the checker on every expression


RULE = {"id": "TST-001", "name": "t", "title": "t", "category": "tables", "severity": "high", "basis": "b",
        "kind": "assert", "message": "{item}", "examples": [{"expect": "pass"}, {"expect": "fail"}]}


def test_loop_variable_takes_the_type_of_the_items() -> None:
    with pytest.raises(ConfigError, match="unknown column 'totl' of the rows of applications"):
        compile_rule({**RULE, "for_each": "applications[leaves(applications)]", "each": "row",
                      "assert": "row.totl >= 0"}, FMT, "x.toml")


def test_let_names_take_the_type_of_their_expression() -> None:
    with pytest.raises(ConfigError, match="key assert: .*total is a number and \"x\" is a text"):
        compile_rule({**RULE, "let": {"total": "applications['1'].total + 0"}, "assert": "total == 'x'"}, FMT, "x.toml")


def test_every_mistake_of_a_rule_is_reported_at_once() -> None:
    with pytest.raises(ConfigError) as caught:
        compile_rule({**RULE, "applies": "meta.yeer == 1", "needs": ["aplications"],
                      "assert": "meta.title > 1", "message": "{lft}"}, FMT, "x.toml")
    keys = sorted(e.key for e in caught.value.errors)
    assert keys == ["applies", "assert", "message", "needs[0]"]


# --------------------------------------------------------------------------- no false alarms

ATOMS = ["meta.year", "meta.title", "meta.published", "applications['1'].total", "applications['3.7']['total']",
         "1", "2.5", "'x'", "'2024'", "true", "null", "columns(applications)", "part(1).text", "part(1)",
         "count(rows(applications))", "active_disclosure.administrative_licensing", "present(meta.title)",
         "date(2025, 1, 31)", "[1, 2]", "['a', 'b']", "cells(applications)", "applications"]
BINARY = ["+", "-", "*", "==", "!=", "<", ">=", "and", "or", "in"]
CALLS = ["sum({0})", "count({0})", "len({0})", "abs({0})", "not {0}", "contains({0}, 'x')", "year({0})", "min({0}, {0})",
         "present({0})", "kind({0})", "number({0})", "{0}.text", "{0}.total", "{0}[0]", "{0}['1']", "{0}.raw"]

expressions = st.recursive(
    st.sampled_from(ATOMS),
    lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from(BINARY), inner).map(lambda t: f"({t[0]}) {t[1]} ({t[2]})"),
        st.tuples(st.sampled_from(CALLS), inner).map(lambda t: t[0].format(f"({t[1]})")),
    ),
    max_leaves=4,
)

# every value the atoms read is present: a value the report lacks is an answer present() may
# swallow, so only a complete report tells whether an expression works
EXAMPLE = {"meta": {"year": 2024, "title": "某县2024年政府信息公开工作年度报告", "agency": "某县人民政府",
                    "published": __import__("datetime").date(2025, 1, 20)},
           "parts": {str(i): f"第{i}部分。" for i in range(1, 7)},
           "tables": {"applications": "zeros", "active_disclosure": "zeros"}}


@pytest.fixture(scope="module")
def example_run() -> RuleRun:
    from checker.engine.context import CURRENT
    view = make_view(build_report(EXAMPLE, FMT), FMT)
    CURRENT.set(view)
    return RuleRun(compile_rule({**RULE, "assert": "true"}, FMT, "x.toml"), view)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(expressions)
def test_an_expression_that_works_on_a_report_is_never_refused(example_run: RuleRun, text: str) -> None:
    try:
        compiled = compile_expr(text, names=NAMES)
    except ExprError:
        return  # not a valid expression at all (e.g. 'not' in a bad place)
    from checker.engine.expr import Env
    env = Env(example_run.bindings)
    try:  # every part on its own, and both sides of and/or, so that short-circuits hide nothing
        for node in compiled.root.walk():
            node.evaluate(env)
            if isinstance(node, (And, Or)):
                type(node)(Literal(isinstance(node, And)), node.right).evaluate(env)
    except (Missing, EvalError):
        return  # the report lacks a value, or the expression is wrong at run time
    CHECKER.check(compiled.root, NAMES)  # worked on a report: the static check must accept it


def test_lint_names_the_line_and_column_of_a_type_error(tmp_path: Path) -> None:
    path = tmp_path / "r.toml"
    path.write_text('''[[rule]]
id = "TST-001"
name = "t"
title = "t"
category = "tables"
severity = "high"
basis = "b"
kind = "assert"
assert = "meta.year == '2024'"
message = "m"

  [[rule.examples]]
  expect = "pass"

  [[rule.examples]]
  expect = "fail"
''', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_pack([path])
    error = caught.value
    assert (error.line, error.column) == (9, 11)  # the expression starts at column 11 of line 9
    assert error.rule == "TST-001" and error.key == "assert"
