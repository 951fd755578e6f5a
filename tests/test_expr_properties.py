"""Property tests of the expression language (hypothesis)."""
from __future__ import annotations

from decimal import Context, Decimal, DivisionByZero, InvalidOperation, Overflow, localcontext
from typing import Any

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from checker.engine.expr import Env, EvalError, ExprError, Missing, compile_expr
from checker.engine.expr.grammar import parse
from checker.model import Cell
from checker.textnorm import MAX_DIGITS

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FUZZ = settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# --------------------------------------------------------------------------- (1) never a crash

VALID = [
    'applications["1"][col] + applications["2"][col] == applications["3.7"][col] + applications["4"][col]',
    "sum(applications[leaf_rows][col]) == applications['3.7'][col]",
    'meta.agency_kind == "government" and not contains(part(1).text, ["考核", "评议", "追究"])',
    "abs(active_disclosure.normative_documents.in_force - previous.active_disclosure.normative_documents.in_force) <= 0",
    "present(reviews_and_litigation) and count(rows) >= 3",
    "not present(c.cell) or (c.cell >= 0 and is_integer(c.cell))",
    "x not in [1, 2.5, 'a', null, true] and -(-y) * 3 / 2 != 0",
    r"matches(meta.title, '(19|20)\d{2}') or coalesce(meta.title, '无') == '无'",
]
PIECES = list("abxyz_019.,()[]+-*/<>=!&|\"' \n\t\\#:;{}%$@`~^?") + [
    "考", "（", "）", "“", "”", "　", "and", "or", "not", "in", "null", "true", "==", "!=", "sum(",
    '"3.7"', "[", "]", "((((", "))))", "- - -", "not not", "1.5", "'",
]


def _only_expr_errors(text: str) -> None:
    try:
        compile_expr(text)
    except ExprError:
        pass


@FUZZ
@given(st.text(max_size=80))
@example("(" * 200)
@example("-" * 3000 + "1")
@example("not " * 1000 + "x")
@example("[" * 50 + "]" * 50)
@example("1" * 5000)
@example("x" + ".a" * 2000)
@example("f(" * 40)
def test_compiling_arbitrary_text_raises_only_expr_errors(text):
    _only_expr_errors(text)


@FUZZ
@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join))
def test_compiling_token_soup_raises_only_expr_errors(text):
    _only_expr_errors(text)


@st.composite
def mutated(draw) -> str:
    text = draw(st.sampled_from(VALID))
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(["insert", "delete", "duplicate", "swap"]))
        if action == "insert":
            text = text[:at] + draw(st.sampled_from(PIECES)) + text[at:]
        elif action == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 6)):]
        elif action == "duplicate":
            end = draw(st.integers(at, len(text)))
            text = text[:end] + text[at:end] + text[end:]
        elif len(text) > at + 1:
            text = text[:at] + text[at + 1] + text[at] + text[at + 2:]
    return text


@FUZZ
@given(mutated())
def test_compiling_mutated_rules_raises_only_expr_errors(text):
    _only_expr_errors(text)


# --------------------------------------------------------------------------- random tables and trees

ROWS = ["1", "2", "3.1", "3.7", "4"]
COLS = ["total", "natural", "legal"]
# the evaluator's bounds (a decimal's exponent within MAX_DIGITS): past them both refuse
REFERENCE = Context(prec=28, Emax=MAX_DIGITS, Emin=-MAX_DIGITS, traps=[DivisionByZero, InvalidOperation, Overflow])

numbers = st.one_of(
    st.integers(-10 ** 12, 10 ** 12),
    st.decimals(min_value=-10 ** 9, max_value=10 ** 9, places=4, allow_nan=False, allow_infinity=False),
    st.integers(-10 ** 30, 10 ** 30),  # beyond 28 digits: rounding must agree too
)
literals = st.one_of(st.integers(0, 10 ** 6),
                     st.decimals(min_value=0, max_value=10 ** 6, places=3, allow_nan=False, allow_infinity=False))


@st.composite
def tables(draw) -> dict[str, dict[str, Cell]]:
    return {row: {col: _cell(draw(numbers)) for col in COLS} for row in ROWS}


def _cell(value) -> Cell:
    return Cell(value=value, kind="number", raw=str(value))


cell_refs = st.tuples(st.just("cell"), st.sampled_from(ROWS), st.sampled_from(COLS))


def arithmetic_trees(ops: str = "+-*/", leaves=None):
    base = leaves if leaves is not None else st.one_of(cell_refs, literals.map(lambda v: ("num", v)))
    return st.recursive(
        base,
        lambda inner: st.one_of(
            st.tuples(st.just("neg"), inner),
            st.tuples(st.just("bin"), st.sampled_from(list(ops)), inner, inner),
        ),
        max_leaves=8,
    )


def comparison_trees(ops: str = "+-*/"):
    arith = arithmetic_trees(ops)
    comparison = st.tuples(st.just("cmp"), st.sampled_from(["==", "!=", "<", "<=", ">", ">="]), arith, arith)
    return st.recursive(
        comparison,
        lambda inner: st.one_of(
            st.tuples(st.just("not"), inner),
            st.tuples(st.just("bool"), st.sampled_from(["and", "or"]), inner, inner),
        ),
        max_leaves=4,
    )


PRECEDENCE = {"or": 1, "and": 2, "not": 3, "cmp": 4, "+": 5, "-": 5, "*": 6, "/": 6, "neg": 7, "atom": 9}


def _level(tree) -> int:
    kind = tree[0]
    if kind in ("bin", "bool"):
        return PRECEDENCE[tree[1]]
    if kind == "num":
        return PRECEDENCE["atom"]
    return PRECEDENCE.get(kind, PRECEDENCE["atom"])


def render(tree, style: int) -> str:
    """Text of a tree; style 0 = fewest parentheses, 1 = parentheses everywhere, and the path
    spelling varies with the style too."""
    kind = tree[0]

    def sub(child, needed: int) -> str:
        text = render(child, style)
        return f"({text})" if style == 1 or _level(child) < needed else text

    if kind == "num":
        return format(tree[1], "f") if isinstance(tree[1], Decimal) else str(tree[1])
    if kind == "cell":
        _, row, col = tree
        return f't["{row}"].{col}' if style == 0 else f"t['{row}'][\"{col}\"]"
    if kind == "neg":
        return "-" + sub(tree[1], PRECEDENCE["neg"])
    if kind == "bin":
        _, op, left, right = tree
        return f"{sub(left, PRECEDENCE[op])} {op} {sub(right, PRECEDENCE[op] + 1)}"
    if kind == "cmp":
        _, op, left, right = tree
        return f"{sub(left, PRECEDENCE['+'])} {op} {sub(right, PRECEDENCE['+'])}"
    if kind == "not":
        return "not " + sub(tree[1], PRECEDENCE["not"])
    _, op, left, right = tree
    return f"{sub(left, PRECEDENCE[op])} {op} {sub(right, PRECEDENCE[op] + 1)}"


class DivideByZero(Exception):
    pass


def reference(tree, table) -> Any:
    """The value computed directly with Python ints and Decimals."""
    kind = tree[0]
    if kind == "num":
        return tree[1]
    if kind == "cell":
        return table[tree[1]][tree[2]].value
    if kind == "neg":
        value = reference(tree[1], table)
        return -value if isinstance(value, int) else REFERENCE.minus(value)
    if kind == "bin":
        _, op, left, right = tree
        a, b = reference(left, table), reference(right, table)
        if op == "/" and b == 0:
            raise DivideByZero
        if isinstance(a, int) and isinstance(b, int) and op != "/":
            whole = {"+": a + b, "-": a - b, "*": a * b}[op]
            if len(str(abs(whole))) > MAX_DIGITS:  # whole numbers are bounded: the evaluator refuses
                raise InvalidOperation
            return whole
        with localcontext(REFERENCE):
            a, b = Decimal(a), Decimal(b)
            return {"+": lambda: a + b, "-": lambda: a - b, "*": lambda: a * b, "/": lambda: a / b}[op]()
    if kind == "cmp":
        _, op, left, right = tree
        a, b = reference(left, table), reference(right, table)
        return {"==": a == b, "!=": a != b, "<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]
    if kind == "not":
        return not reference(tree[1], table)
    _, op, left, right = tree
    if op == "and":
        return reference(left, table) and reference(right, table)
    return reference(left, table) or reference(right, table)


def _same(actual, expected) -> bool:
    if isinstance(actual, Cell):  # a bare path gives the cell itself
        actual = actual.value
    if isinstance(expected, bool):
        return actual is expected
    return actual == expected and type(actual) is type(expected)


@SETTINGS
@given(tables(), st.one_of(arithmetic_trees(), comparison_trees()), st.sampled_from([0, 1]))
@example(table={"3.7": {"natural": Cell(value=10 ** 30, kind="number", raw="1" + "0" * 30)}},
         tree=("bin", "*", ("cell", "3.7", "natural"), ("cell", "3.7", "natural")), style=0)
@example(table={"3.7": {"natural": Cell(value=10 ** 31, kind="number", raw="1" + "0" * 31)}},  # a decimal past Emax
         tree=("bin", "*", ("bin", "/", ("cell", "3.7", "natural"), ("num", 3)), ("cell", "3.7", "natural")), style=0)
def test_evaluation_matches_python_decimal_arithmetic(table, tree, style):
    text = render(tree, style)
    try:
        expected = reference(tree, table)
    except DivideByZero:
        expected = DivideByZero
    except (InvalidOperation, Overflow):  # e.g. an overflowing quotient: the evaluator must refuse too
        expected = InvalidOperation
    expr = compile_expr(text, names={"t"})
    if expected is DivideByZero:
        try:
            expr.evaluate(Env({"t": table}))
        except EvalError as error:
            assert "division by zero" in error.message
        else:
            raise AssertionError(f"{text}: no division-by-zero error")
        return
    if expected is InvalidOperation:
        try:
            expr.evaluate(Env({"t": table}))
        except EvalError:
            return
        raise AssertionError(f"{text}: no error")
    actual = expr.evaluate(Env({"t": table}))
    assert _same(actual, expected), (text, actual, expected)


@SETTINGS
@given(st.one_of(arithmetic_trees(), comparison_trees()), st.sampled_from([0, 1]))
def test_rendering_a_compiled_tree_gives_the_same_tree(tree, style):
    root = parse(render(tree, style))
    assert parse(root.to_source()) == root
    assert root.to_source() == parse(root.to_source()).to_source()


BLANKS = st.sampled_from([Cell(None, "blank", ""), Cell(None, "not_applicable", "/"),
                          Cell(None, "text", "约10"), Cell(None, "lost", "")])


@SETTINGS
@given(tables(), arithmetic_trees("+-*"), st.data())
def test_a_blank_cell_anywhere_in_arithmetic_makes_it_missing(table, tree, data):
    refs = _cell_refs(tree)
    assume(refs)
    row, col = data.draw(st.sampled_from(refs))
    blank = data.draw(BLANKS)
    table = {r: dict(cols) for r, cols in table.items()}
    table[row][col] = blank
    comparison = data.draw(st.booleans()) or tree[0] == "cell"  # a bare path is the cell, not arithmetic
    text = render(tree, 0) + (" >= 0" if comparison else "")
    env = Env({"t": table})
    try:
        compile_expr(text).evaluate(env)
    except Missing as missing:
        assert missing.cell is blank
        assert blank in env.trace
    else:
        raise AssertionError(f"{text}: no Missing")


def _cell_refs(tree) -> list[tuple[str, str]]:
    if tree[0] == "cell":
        return [(tree[1], tree[2])]
    if tree[0] == "num":
        return []
    if tree[0] == "neg":
        return _cell_refs(tree[1])
    return _cell_refs(tree[2]) + _cell_refs(tree[3])


cell_states = st.one_of(numbers.map(_cell), BLANKS, st.none())
path_texts = st.sampled_from(["t.a", "t.a.b", "t['a']['b'].c", "t.a[k]", "t[ks].b", "t[ks]"])


@SETTINGS
@given(st.recursive(cell_states, lambda inner: st.dictionaries(st.sampled_from(["a", "b", "c"]), inner, max_size=3),
                    max_leaves=10),
       path_texts, st.sampled_from(["present", "blank", "kind"]))
def test_present_blank_and_kind_never_raise_missing(tree, path, function):
    env = Env({"t": tree, "k": "b", "ks": ["a", "b"]})
    try:
        result = compile_expr(f"{function}({path})").evaluate(env)
    except Missing:  # pragma: no cover - the property under test
        raise AssertionError("Missing escaped")
    except EvalError:
        return  # an unknown key or a path into a cell is the rule's error, not a missing value
    if function == "kind":
        assert isinstance(result, str)
    else:
        assert isinstance(result, bool)
