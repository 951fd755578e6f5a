"""The expression grammar: what parses to what, and what the errors say and point at."""
from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from checker.engine.expr import (FUNCTIONS, ArityError, Env, ExprError, ExprSyntaxError, UnknownFunction, UnknownName,
                          compile_expr, functions_markdown, register, unregister)
from checker.engine.expr.functions import END_MARK, START_MARK
from checker.engine.expr.grammar import MAX_NESTING, parse
from checker.engine.expr.nodes import (And, Arith, Attr, Call, Compare, Index, ListExpr, Literal, Name, Negate, Not, Or)

ROOT = Path(__file__).resolve().parent.parent


def tree(text: str):
    return parse(text)


@pytest.fixture(autouse=True, scope="module")
def domain_stubs():
    """Stand-ins for engine functions used in examples (only those not registered already)."""
    added = []
    for name in ("part", "leaves", "f"):
        if name not in FUNCTIONS:
            register(name)(lambda x: x)
            added.append(name)
    yield
    for name in added:
        unregister(name)


def value(text: str, **names):
    return compile_expr(text).evaluate(Env(names))


def syntax_error(text: str, **kwargs) -> ExprSyntaxError:
    with pytest.raises(ExprSyntaxError) as info:
        compile_expr(text, **kwargs)
    return info.value


def caret_column(error: ExprError) -> int:
    """The 0-based position the caret line of render() points at (ASCII expressions)."""
    caret_line = error.render().splitlines()[-1]
    return caret_line.index("^") - 2  # render() indents by two spaces


# --------------------------------------------------------------------------- precedence


@pytest.mark.parametrize("text, expected", [
    ("1 + 2 * 3", Arith("+", Literal(1), Arith("*", Literal(2), Literal(3)))),
    ("(1 + 2) * 3", Arith("*", Arith("+", Literal(1), Literal(2)), Literal(3))),
    ("a - b - c", Arith("-", Arith("-", Name("a"), Name("b")), Name("c"))),
    ("a / b * c", Arith("*", Arith("/", Name("a"), Name("b")), Name("c"))),
    ("-a * b", Arith("*", Negate(Name("a")), Name("b"))),
    ("-a.b", Negate(Attr(Name("a"), "b"))),
    ("a + b == c * d", Compare("==", Arith("+", Name("a"), Name("b")), Arith("*", Name("c"), Name("d")))),
    ("not a == b", Not(Compare("==", Name("a"), Name("b")))),
    ("a or b and c", Or(Name("a"), And(Name("b"), Name("c")))),
    ("a and b or c", Or(And(Name("a"), Name("b")), Name("c"))),
    ("not a and b", And(Not(Name("a")), Name("b"))),
    ("not not a", Not(Not(Name("a")))),
    ("a and b and c", And(And(Name("a"), Name("b")), Name("c"))),
    ("x not in y", Compare("not in", Name("x"), Name("y"))),
    ("x in y or z", Or(Compare("in", Name("x"), Name("y")), Name("z"))),
    ("- 5", Literal(-5)),
    ("a - -5", Arith("-", Name("a"), Literal(-5))),
])
def test_precedence(text, expected):
    assert tree(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("1 + 2 * 3", 7), ("(1 + 2) * 3", 9), ("10 - 4 - 3", 3), ("2 * 3 - 4 / 2", 4), ("-2 * -3", 6),
    ("1 < 2 and 2 < 3", True), ("not 1 == 2", True), ("true or false and false", True),
    ("(true or false) and false", False), ("8 / 2 / 2", 2),
])
def test_precedence_values(text, expected):
    assert value(text) == expected


def test_keywords_need_word_boundaries():
    assert tree("index") == Name("index")
    assert tree("android or notes") == Or(Name("android"), Name("notes"))
    assert tree("x.in") == Attr(Name("x"), "in")  # any name may follow a dot


# --------------------------------------------------------------------------- literals


def test_numbers_are_int_or_decimal_never_float():
    assert tree("12") == Literal(12) and type(tree("12").value) is int
    assert type(tree("12.50").value) is Decimal and tree("12.50").value == Decimal("12.50")
    assert tree("007") == Literal(7)


@pytest.mark.parametrize("text, expected", [
    ('"考核"', "考核"),
    ("'评议、追究'", "评议、追究"),
    (r'"say \"hi\""', 'say "hi"'),
    (r"'it\'s'", "it's"),
    ('"it\'s"', "it's"),
    (r'"C:\\dir"', "C:\\dir"),
    (r"'\d+年'", "\\d+年"),  # other backslashes stay: regular expressions read as written
    ('"第一行\n第二行"', "第一行\n第二行"),
    ('""', ""),
])
def test_strings(text, expected):
    assert tree(text) == Literal(expected)


def test_constants():
    assert tree("true") == Literal(True)
    assert tree("false") == Literal(False)
    assert tree("null") == Literal(None)


def test_list_literals():
    assert tree('["3.1", "3.2"]') == Literal(("3.1", "3.2"))  # constant lists are folded
    assert tree("[]") == Literal(())
    assert tree("[1, 2,]") == Literal((1, 2))
    assert tree("[-1, 2.5, 'a', null]") == Literal((-1, Decimal("2.5"), "a", None))
    assert tree("[a, 1]") == ListExpr((Name("a"), Literal(1)))
    assert tree("[[1], [a]]") == ListExpr((Literal((1,)), ListExpr((Name("a"),))))
    assert value("[a, 1]", a=2) == [2, 1]


# --------------------------------------------------------------------------- paths


def test_paths():
    assert tree('applications["3.7"][col]') == Index(Index(Name("applications"), Literal("3.7")), Name("col"))
    assert tree("meta.agency_kind") == Attr(Name("meta"), "agency_kind")
    assert tree("part(1).text") == Attr(Call("part", (Literal(1),)), "text")
    assert tree("rows[0]") == Index(Name("rows"), Literal(0))
    assert tree("a[b[c]].d") == Attr(Index(Name("a"), Index(Name("b"), Name("c"))), "d")
    assert tree("(a + b).c") == Attr(Arith("+", Name("a"), Name("b")), "c")
    assert tree("f()") == Call("f", ())


def test_whitespace_and_newlines_are_free():
    assert tree("a\n  and\tb") == And(Name("a"), Name("b"))
    assert tree(" sum ( x ) ") == Call("sum", (Name("x"),))


def test_names_functions_and_constant_paths():
    expr = compile_expr('applications["1"][col] + sum(applications[leaves(applications)][col]) '
                        '== previous.applications["4"].total')
    assert expr.names() == {"applications", "col", "previous"}
    assert expr.functions() == {"sum", "leaves"}
    assert expr.paths() == [("applications", "1"), ("col",), ("applications",),
                            ("previous", "applications", "4", "total")]


def test_paths_expand_constant_key_lists_and_stop_at_variables():
    expr = compile_expr('t[["a", "b"]].x == t[row].y and f(t.z).w')
    assert expr.paths() == [("t", "a", "x"), ("t", "b", "x"), ("t",), ("row",), ("t", "z")]


def test_source_is_kept_and_nodes_render_back():
    text = "a+b*(c-d)==-e.f and not g['h'] in [1,2]"
    expr = compile_expr(text)
    assert expr.source == text
    assert expr.root.to_source() == 'a + b * (c - d) == -e.f and not g["h"] in [1, 2]'
    assert compile_expr(expr.root.to_source()).root == expr.root


# --------------------------------------------------------------------------- syntax errors


def test_unclosed_parenthesis_points_at_the_end():
    error = syntax_error("a + (b")
    assert error.pos == len("a + (b")
    assert error.expected == "')'"
    assert "expected ')'" in error.render()
    assert caret_column(error) == len("a + (b")
    assert error.render().splitlines()[1] == "  a + (b"


def test_single_equals_suggests_double():
    error = syntax_error("a = b")
    assert error.pos == 2 and caret_column(error) == 2
    assert "'=='" in error.message


@pytest.mark.parametrize("text, pos, suggestion", [
    ("a && b", 2, "'and'"), ("a & b", 2, "'and'"), ("a || b", 2, "'or'"), ("!a", 0, "'not'"),
    ("a <> b", 2, "'!='"), ("a AND b", 2, "'and'"), ("x == True", 5, "'true'"), ("x == None", 5, "'null'"),
    ("x is null", 2, "'=='"),
])
def test_habits_from_other_languages_get_a_suggestion(text, pos, suggestion):
    error = syntax_error(text)
    assert error.pos == pos
    assert suggestion in error.message


def test_operators_inside_text_are_just_text():
    assert value('"a && b = c || !d" == "a && b = c || !d"') is True
    assert value("'True AND None'") == "True AND None"


@pytest.mark.parametrize("text, pos, words", [
    ("a +", 3, "expected a value"),
    ("a + * b", 4, "expected a value, found '*'"),
    ("a b", 2, "expected an operator or the end of the expression, found 'b'"),
    ("f(1, 2", 6, "expected ')'"),
    ("[1, 2", 5, "expected ']'"),
    ("x[", 2, "expected a value"),
    ("x.1", 2, "expected a name after '.'"),
    ("a == b == c", 7, "cannot be chained"),
    ("a < b < c", 6, "cannot be chained"),
    ("'abc", 0, "never closed"),
    ('x == "abc', 5, "never closed"),
    ("", 0, "empty"),
    ("   ", 3, "empty"),
    ("a not b", 2, "expected an operator"),
    ("and", 0, "expected a value"),
    ("1abc", 0, "expected a value"),
    ("x # note", 2, "no comments"),
    ("x < null", 0, "null"),
])
def test_syntax_errors_point_at_the_problem(text, pos, words):
    error = syntax_error(text)
    assert error.pos == pos, error.render()
    assert words in error.message
    assert isinstance(error, ExprError)


def test_full_width_punctuation_and_unquoted_chinese():
    error = syntax_error("sum（x）")
    assert error.pos == 3 and "'('" in error.message
    error = syntax_error("contains(x, 考核)")
    assert error.pos == 12 and '"考核"' in error.message
    error = syntax_error("a　and b")  # ideographic space
    assert error.pos == 1


def test_caret_accounts_for_wide_characters():
    error = syntax_error('contains("考核评议", x) = 1')
    lines = error.render().splitlines()
    assert lines[1] == '  contains("考核评议", x) = 1'
    # Each Chinese character takes two columns on a terminal.
    assert lines[2].index("^") == 2 + len('contains("') + 2 * 4 + len('", x) ')


def test_caret_on_multi_line_expressions_shows_the_right_line():
    error = syntax_error("a and\nb = c")
    lines = error.render().splitlines()
    assert lines[1] == "  b = c"
    assert lines[2] == "    ^"
    assert error.column == 3


def test_too_deep_nesting_is_a_syntax_error_not_a_crash():
    deep = "(" * (MAX_NESTING + 1) + "1" + ")" * (MAX_NESTING + 1)
    assert "nested too deeply" in syntax_error(deep).message
    ok = "(" * MAX_NESTING + "1" + ")" * MAX_NESTING
    assert value(ok) == 1
    assert "nested too deeply" in syntax_error("-" * 5000 + "1").message
    assert "nested too deeply" in syntax_error(" + ".join(["1"] * 500)).message


def test_non_text_input():
    with pytest.raises(ExprError):
        compile_expr(None)  # type: ignore[arg-type]
    with pytest.raises(ExprError):
        compile_expr(42)  # type: ignore[arg-type]


def test_overlong_numbers_are_refused():
    assert "digits" in syntax_error("1" * 100).message


# --------------------------------------------------------------------------- names and functions


def test_unknown_function_suggests_the_close_one():
    with pytest.raises(UnknownFunction) as info:
        compile_expr("summ(x) > 0")
    assert "did you mean sum()?" in info.value.message
    assert info.value.pos == 0
    assert info.value.suggestions[0] == "sum"


def test_unknown_name_with_close_match_at_compile_time():
    with pytest.raises(UnknownName) as info:
        compile_expr("x + applicatons['1'].total", names={"applications", "x"})
    error = info.value
    assert "did you mean applications?" in error.message
    assert error.pos == 4
    assert caret_column(error) == 4


def test_names_are_only_checked_when_given():
    compile_expr("anything + whatever")
    compile_expr("a + b", names=["a", "b"])
    with pytest.raises(UnknownName):
        compile_expr("a + c", names=["a", "b"])


def test_a_function_used_as_a_name_and_the_other_way_round():
    with pytest.raises(UnknownName) as info:
        compile_expr("sum > 1", names={"x"})
    assert "sum(...)" in info.value.message
    with pytest.raises(UnknownFunction) as info2:
        compile_expr("applications(1)", names={"applications"})
    assert "is a name, not a function" in info2.value.message


@pytest.mark.parametrize("text", ["sum()", "abs(1, 2)", "date(2024, 1)", "round(1, 2, 3)", "present()"])
def test_arity_is_checked_when_compiling(text):
    with pytest.raises(ArityError) as info:
        compile_expr(text)
    name = text.split("(")[0]
    assert FUNCTIONS[name].signature in info.value.message


def test_invalid_regex_literal_is_reported_when_compiling():
    with pytest.raises(ExprError) as info:
        compile_expr("matches(x, '([')")
    assert "regular expression" in info.value.message
    compile_expr("matches(x, pattern)")  # not constant: checked when evaluated


def test_compiled_expressions_are_cached():
    assert compile_expr("a + 1") is compile_expr("a + 1")
    assert compile_expr("a + 1", names={"a"}) is compile_expr("a + 1", names=["a"])
    assert compile_expr("a + 1", names={"a"}) is not compile_expr("a + 1")


# --------------------------------------------------------------------------- the registry


def test_register_infers_arity_and_signature_and_refuses_duplicates():
    try:
        @register("twice_test")
        def twice(x, factor=2):
            """twice_test(x, factor=2): x times factor"""
            return x * factor

        function = FUNCTIONS["twice_test"]
        assert (function.min_args, function.max_args) == (1, 2)
        assert function.signature == "twice_test(x, factor=2)"
        assert twice(3) == 6  # the decorator returns the function unchanged
        assert value("twice_test(4)") == 8
        with pytest.raises(ValueError):
            register("twice_test")(lambda x: x)
        register("twice_test", replace=True)(lambda x: x + 1)
        assert value("twice_test(4)") == 5  # the compile cache was cleared
    finally:
        unregister("twice_test")
    with pytest.raises(UnknownFunction):
        compile_expr("twice_test(4)")


def test_register_with_variadic_arguments():
    try:
        register("count_args_test")(lambda *args: len(args))
        assert FUNCTIONS["count_args_test"].max_args is None
        assert value("count_args_test(1, 2, 3)") == 3
    finally:
        unregister("count_args_test")


def test_every_builtin_is_documented_with_an_example_that_parses():
    for name in ["sum", "count", "any", "all", "abs", "min", "max", "len", "contains", "contains_all",
                 "matches", "present", "blank", "kind", "number", "round", "date", "year", "coalesce", "approx"]:
        function = FUNCTIONS[name]
        assert function.doc and function.signature.startswith(name + "(")
        examples = re.findall(r"Example: `([^`]+)`", function.doc)
        assert examples, name
        for example in examples:
            parse(example)


def test_the_reference_lists_the_builtins_as_the_registry_documents_them():
    text = (ROOT / "docs" / "expressions.md").read_text(encoding="utf-8")
    generated = text.split(START_MARK, 1)[1].split(END_MARK, 1)[0].strip()
    assert generated == functions_markdown().strip(), (
        "docs/expressions.md is out of date: python -c \"from checker.engine.expr.functions import "
        "update_reference; update_reference('docs/expressions.md')\"")
