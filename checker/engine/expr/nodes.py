"""The AST of the expression language and the tree walker that evaluates it.

Every node is a frozen dataclass with ``evaluate(env)``; the value semantics it applies (cells in
arithmetic, comparisons, broadcasting) are in checker.engine.expr.values. ``Expr`` is a compiled
expression; ``explain`` also returns the operands of the comparison that decided it.
"""
from __future__ import annotations

import dataclasses
from decimal import Decimal, DecimalException
from typing import TYPE_CHECKING, Any, Callable, ClassVar, Iterator, Optional

from ...model import Cell
from .env import Env
from .errors import EvalError, ExprError, Missing, UnknownName
from .values import (broadcast, note_cell, source_of, arithmetic, as_bool, as_number, equal, get_attribute, get_item, is_mapping, is_number, is_present, lookup, member, negate, order, shown)

if TYPE_CHECKING:
    from .functions import Function

# Binding strength, used to render a node back to text with the fewest parentheses.
PREC_OR, PREC_AND, PREC_NOT, PREC_COMPARE, PREC_ADD, PREC_MUL, PREC_UNARY, PREC_POSTFIX, PREC_ATOM = range(1, 10)


# =========================================================================== nodes


def _render_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render_constant(value: Any) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return _render_string(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(render_constant(v) for v in value) + "]"
    raise ValueError(f"not a literal: {value!r}")


class Node:
    """Base of the AST nodes. ``pos`` (offset in the source text, -1 if unknown) never takes part
    in equality."""

    __slots__ = ()
    precedence: int = PREC_ATOM

    def evaluate(self, env: Env) -> Any:  # pragma: no cover - every node overrides it
        raise NotImplementedError

    def children(self) -> tuple["Node", ...]:
        return ()

    def to_source(self) -> str:  # pragma: no cover
        raise NotImplementedError

    def walk(self) -> Iterator["Node"]:
        """This node and all below it, parents first (iteratively: trees may be deep)."""
        stack: list[Node] = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children()))

    def __str__(self) -> str:
        return self.to_source()


def _wrap(node: Node, needed: int) -> str:
    text = node.to_source()
    return f"({text})" if node.precedence < needed else text


def _pos() -> Any:
    return dataclasses.field(default=-1, compare=False, repr=False)


@dataclasses.dataclass(frozen=True, slots=True)
class Literal(Node):
    """A constant: int, Decimal, str, bool, None, or a tuple of constants (a list literal whose
    items are all constants)."""

    value: Any
    pos: int = _pos()

    @property
    def precedence(self) -> int:  # type: ignore[override]
        return PREC_UNARY if is_number(self.value) and self.value < 0 else PREC_ATOM

    def evaluate(self, env: Env) -> Any:
        return self.value

    def to_source(self) -> str:
        return render_constant(self.value)


@dataclasses.dataclass(frozen=True, slots=True)
class ListExpr(Node):
    """A list literal with at least one non-constant item."""

    items: tuple[Node, ...]
    pos: int = _pos()

    def evaluate(self, env: Env) -> Any:
        return [item.evaluate(env) for item in self.items]

    def children(self) -> tuple[Node, ...]:
        return self.items

    def to_source(self) -> str:
        return "[" + ", ".join(item.to_source() for item in self.items) + "]"


@dataclasses.dataclass(frozen=True, slots=True)
class Name(Node):
    name: str
    pos: int = _pos()

    def evaluate(self, env: Env) -> Any:
        try:
            value = env.names[self.name]
        except KeyError:
            raise UnknownName(self.name, known=env.names) from None
        note_cell(env, value)
        return value

    def to_source(self) -> str:
        return self.name


@dataclasses.dataclass(frozen=True, slots=True)
class Attr(Node):
    """``obj.name``"""

    obj: Node
    name: str
    pos: int = _pos()
    precedence = PREC_POSTFIX

    def evaluate(self, env: Env) -> Any:
        base = self.obj.evaluate(env)
        if type(base) is dict or is_mapping(base):  # the common case, without the generic checks
            try:
                value = base[self.name]
            except KeyError:
                value = lookup(base, self.name, self.obj)
        else:
            value = get_attribute(base, self.name, self.obj)
        note_cell(env, value)
        return value

    def children(self) -> tuple[Node, ...]:
        return (self.obj,)

    def to_source(self) -> str:
        return f"{_wrap(self.obj, PREC_POSTFIX)}.{self.name}"


@dataclasses.dataclass(frozen=True, slots=True)
class Index(Node):
    """``obj[key]``"""

    obj: Node
    key: Node
    pos: int = _pos()
    precedence = PREC_POSTFIX

    def evaluate(self, env: Env) -> Any:
        base = self.obj.evaluate(env)
        key = self.key.evaluate(env)
        key_class = key.__class__
        if key_class is str and (type(base) is dict or is_mapping(base)):  # the common case
            try:
                value = base[key]
            except KeyError:
                value = lookup(base, key, self.obj)
        elif key_class is str and (base.__class__ is list or base.__class__ is tuple):
            value = broadcast(base, key, self.obj, get_item)
        elif (key_class is list or key_class is tuple) and (type(base) is dict or is_mapping(base)):
            try:
                value = [base[k] if k.__class__ is str else lookup(base, k, self.obj) for k in key]
            except KeyError:
                value = get_item(base, key, self.obj)  # names the unknown key
        else:
            value = get_item(base, key, self.obj)
        note_cell(env, value)
        return value

    def children(self) -> tuple[Node, ...]:
        return (self.obj, self.key)

    def to_source(self) -> str:
        return f"{_wrap(self.obj, PREC_POSTFIX)}[{self.key.to_source()}]"


@dataclasses.dataclass(frozen=True, slots=True)
class Call(Node):
    """``name(args...)``; ``function`` is bound from the registry when compiling."""

    name: str
    args: tuple[Node, ...]
    function: Optional["Function"] = dataclasses.field(default=None, compare=False, repr=False)
    pos: int = _pos()

    def evaluate(self, env: Env) -> Any:
        function = self.function
        if function is None:  # only for trees built by hand, not by compile_expr
            from .functions import FUNCTIONS, lookup_function
            function = lookup_function(self.name, FUNCTIONS)
        if function.lazy:
            args: list[Any] = [_thunk(arg, env) for arg in self.args]
        else:
            args = [arg.evaluate(env) for arg in self.args]
        if function.pass_env:
            args.insert(0, env)
        value = apply_function(function.impl, self.name, args, self.to_source)
        note_cell(env, value)
        return value

    def children(self) -> tuple[Node, ...]:
        return self.args

    def to_source(self) -> str:
        return f"{self.name}(" + ", ".join(arg.to_source() for arg in self.args) + ")"


def apply_function(impl: Callable[..., Any], name: str, args: list[Any], source: Callable[[], str]) -> Any:
    """``impl(*args)`` for a call of ``name``: a Missing names the call (``source()``), any other
    failure of a domain function, or a float it returns, is an EvalError of the rule."""
    try:
        value = impl(*args)
    except Missing as missing:
        if missing.expr is None:
            missing.expr = source()
        raise
    except ExprError:
        raise
    except RecursionError as exc:
        raise EvalError(f"{name}(): too deeply nested") from exc
    except Exception as exc:  # a domain function's failure is the rule's error, not a crash
        raise EvalError(f"{name}(): {type(exc).__name__}: {exc}") from exc
    if isinstance(value, float):
        raise EvalError(f"{name}() returned a floating-point number; use int or Decimal")
    return value


def _thunk(node: Node, env: Env) -> Callable[[], Any]:
    return lambda: node.evaluate(env)


@dataclasses.dataclass(frozen=True, slots=True)
class Negate(Node):
    """Unary minus."""

    operand: Node
    pos: int = _pos()
    precedence = PREC_UNARY

    def evaluate(self, env: Env) -> Any:
        return negate(as_number(self.operand.evaluate(env), self.operand, what="'-'"))

    def children(self) -> tuple[Node, ...]:
        return (self.operand,)

    def to_source(self) -> str:
        return "-" + _wrap(self.operand, PREC_UNARY)


@dataclasses.dataclass(frozen=True, slots=True)
class Arith(Node):
    """``left op right`` for op in + - * /."""

    op: str
    left: Node
    right: Node
    pos: int = _pos()

    @property
    def precedence(self) -> int:  # type: ignore[override]
        return PREC_MUL if self.op in ("*", "/") else PREC_ADD

    def evaluate(self, env: Env) -> Any:
        a = self.left.evaluate(env)
        if type(a) is Cell and a.value is not None:
            a = a.value
        elif type(a) is not int:
            a = as_number(a, self.left, what=f"'{self.op}'")
        b = self.right.evaluate(env)
        if type(b) is Cell and b.value is not None:
            b = b.value
        elif type(b) is not int:
            b = as_number(b, self.right, what=f"'{self.op}'")
        return arithmetic(self.op, a, b)

    def children(self) -> tuple[Node, ...]:
        return (self.left, self.right)

    def to_source(self) -> str:
        level = self.precedence
        return f"{_wrap(self.left, level)} {self.op} {_wrap(self.right, level + 1)}"


_NUMBER_TYPES = (int, Decimal)


def _is_null(node: Node) -> bool:
    return type(node) is Literal and node.value is None


@dataclasses.dataclass(frozen=True, slots=True)
class Compare(Node):
    """``left op right`` for op in == != < <= > >= in, not in. Comparisons do not chain."""

    op: str
    left: Node
    right: Node
    pos: int = _pos()
    # `x == null` asks whether x is absent, so an absent x is an answer there, not Missing.
    null_test: bool = dataclasses.field(init=False, compare=False, repr=False)
    precedence = PREC_COMPARE

    def __post_init__(self) -> None:
        object.__setattr__(self, "null_test", self.op in ("==", "!=") and (_is_null(self.left) or _is_null(self.right)))

    def evaluate(self, env: Env) -> Any:
        if self.null_test:
            return self.decide(*self.operands(env))
        a = self.left.evaluate(env)
        b = self.right.evaluate(env)
        if type(a) is Cell and a.value is not None:
            a = a.value
        if type(b) is Cell and b.value is not None:
            b = b.value
        if type(a) in _NUMBER_TYPES and type(b) in _NUMBER_TYPES:  # the common case
            op = self.op
            try:
                if op == "==":
                    return a == b
                if op == "!=":
                    return a != b
                if op == "<":
                    return a < b
                if op == "<=":
                    return a <= b
                if op == ">":
                    return a > b
                if op == ">=":
                    return a >= b
            except DecimalException as exc:  # a NaN that slipped into the data
                raise EvalError(f"cannot compare {a} and {b}") from exc
        return self.decide(a, b)

    def operands(self, env: Env) -> tuple[Any, Any]:
        if self.null_test:
            return _value_or_none(self.left, env), _value_or_none(self.right, env)
        return self.left.evaluate(env), self.right.evaluate(env)

    def decide(self, a: Any, b: Any) -> bool:
        op = self.op
        if op == "==" or op == "!=":
            if self.null_test:
                result = not is_present(a) and not is_present(b)
            else:
                result = equal(a, b, self.left, self.right)
            return result if op == "==" else not result
        if op == "in":
            return member(a, b, self.left, self.right)
        if op == "not in":
            return not member(a, b, self.left, self.right)
        return order(op, a, b, self.left, self.right)

    def children(self) -> tuple[Node, ...]:
        return (self.left, self.right)

    def to_source(self) -> str:
        return f"{_wrap(self.left, PREC_ADD)} {self.op} {_wrap(self.right, PREC_ADD)}"


def _value_or_none(node: Node, env: Env) -> Any:
    try:
        return node.evaluate(env)
    except Missing:
        return None


@dataclasses.dataclass(frozen=True, slots=True)
class Not(Node):
    operand: Node
    pos: int = _pos()
    precedence = PREC_NOT

    def evaluate(self, env: Env) -> Any:
        return not as_bool(self.operand.evaluate(env), self.operand, what="'not'")

    def children(self) -> tuple[Node, ...]:
        return (self.operand,)

    def to_source(self) -> str:
        return "not " + _wrap(self.operand, PREC_NOT)


@dataclasses.dataclass(frozen=True, slots=True)
class And(Node):
    """Short-circuit: the right side is not evaluated when the left is false."""

    left: Node
    right: Node
    pos: int = _pos()
    precedence = PREC_AND

    def evaluate(self, env: Env) -> Any:
        a = self.left.evaluate(env)
        if a is not True and a is not False:
            a = as_bool(a, self.left, what="'and'")
        if not a:
            return False
        b = self.right.evaluate(env)
        if b is not True and b is not False:
            b = as_bool(b, self.right, what="'and'")
        return b

    def children(self) -> tuple[Node, ...]:
        return (self.left, self.right)

    def to_source(self) -> str:
        return f"{_wrap(self.left, PREC_AND)} and {_wrap(self.right, PREC_AND + 1)}"


@dataclasses.dataclass(frozen=True, slots=True)
class Or(Node):
    """Short-circuit: the right side is not evaluated when the left is true."""

    left: Node
    right: Node
    pos: int = _pos()
    precedence = PREC_OR

    def evaluate(self, env: Env) -> Any:
        a = self.left.evaluate(env)
        if a is not True and a is not False:
            a = as_bool(a, self.left, what="'or'")
        if a:
            return True
        b = self.right.evaluate(env)
        if b is not True and b is not False:
            b = as_bool(b, self.right, what="'or'")
        return b

    def children(self) -> tuple[Node, ...]:
        return (self.left, self.right)

    def to_source(self) -> str:
        return f"{_wrap(self.left, PREC_OR)} or {_wrap(self.right, PREC_OR + 1)}"


# =========================================================================== compiled expressions


@dataclasses.dataclass(frozen=True)
class Explanation:
    """Why an expression has its value.

    ``op``/``left``/``right``: the operator and operand values when the node is a comparison
    (cells shown as their numbers), else None. ``cells``: the trace so far. ``source``: the text
    of the explained node. ``failing``: for a false ``and``, the explanation of its first false
    operand; for a false ``or``, of its last operand (recursively) - so a rule such as
    ``x >= 0 and x < 100`` can say which comparison failed and with what values."""

    value: Any
    op: Optional[str]
    left: Any
    right: Any
    cells: tuple[Cell, ...]
    source: str = ""
    failing: Optional["Explanation"] = None

    @property
    def difference(self) -> Any:
        """``left - right`` when both operands are numbers, else None."""
        if is_number(self.left) and is_number(self.right):
            return arithmetic("-", self.left, self.right)
        return None

    def innermost(self) -> "Explanation":
        """Follow ``failing`` down to the comparison (or other node) that decided the result."""
        node = self
        while node.failing is not None:
            node = node.failing
        return node


def explain_node(node: Node, env: Env) -> Explanation:
    if isinstance(node, Compare):
        a, b = node.operands(env)
        value = node.decide(a, b)
        return Explanation(value, node.op, shown(a), shown(b), env.trace, source_of(node))
    if isinstance(node, And):
        for operand in _chain(node, And):
            part = explain_node(operand, env)
            if not as_bool(part.value, operand, what="'and'"):
                return Explanation(False, None, None, None, env.trace, source_of(node), failing=part)
        return Explanation(True, None, None, None, env.trace, source_of(node))
    if isinstance(node, Or):
        part = None
        for operand in _chain(node, Or):
            part = explain_node(operand, env)
            if as_bool(part.value, operand, what="'or'"):
                return Explanation(True, None, None, None, env.trace, source_of(node))
        return Explanation(False, None, None, None, env.trace, source_of(node), failing=part)
    value = node.evaluate(env)
    return Explanation(value, None, None, None, env.trace, source_of(node))


def _chain(node: Node, kind: type) -> list[Node]:
    """The operands of a left-leaning chain of one boolean operator, in order."""
    operands: list[Node] = []
    while isinstance(node, kind):
        operands.append(node.right)  # type: ignore[attr-defined]
        node = node.left  # type: ignore[attr-defined]
    operands.append(node)
    operands.reverse()
    return operands


@dataclasses.dataclass(frozen=True)
class Expr:
    """A compiled expression. Immutable and shareable: compile once, evaluate many times."""

    source: str
    root: Node
    _names: frozenset[str] = dataclasses.field(default=frozenset(), repr=False)
    _functions: frozenset[str] = dataclasses.field(default=frozenset(), repr=False)
    _paths: tuple[tuple[Any, ...], ...] = dataclasses.field(default=(), repr=False)

    # the tree folded into closures (checker.engine.expr.closures), made on first use; not a
    # field: it takes no part in equality, and is left out when pickling
    _folded: ClassVar[Optional[Callable[[Env], Any]]] = None

    def evaluate(self, env: Env) -> Any:
        """The value; raises Missing (a value the report lacks) or EvalError (a broken rule)."""
        folded = self._folded
        if folded is None:
            from .closures import compile_node
            folded = compile_node(self.root)
            object.__setattr__(self, "_folded", folded)
        return folded(env)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state.pop("_folded", None)
        return state

    def explain(self, env: Env) -> Explanation:
        """Like evaluate, but returns the operands of the deciding comparison too."""
        return explain_node(self.root, env)

    def names(self) -> set[str]:
        """The root names the expression reads."""
        return set(self._names)

    def functions(self) -> set[str]:
        """The names of the functions it calls."""
        return set(self._functions)

    def paths(self) -> list[tuple[Any, ...]]:
        """Constant access paths from a root name, e.g. ("applications", "3.7") for
        ``applications["3.7"][col]``; a constant list of keys gives one path per key."""
        return list(self._paths)

    def __str__(self) -> str:
        return self.source


def constant_paths(root: Node) -> list[tuple[Any, ...]]:
    """See Expr.paths."""
    found: list[tuple[Any, ...]] = []
    inside_chain: set[int] = set()
    for node in root.walk():
        if not isinstance(node, (Name, Attr, Index)) or id(node) in inside_chain:
            continue
        chain: list[Node] = []
        base: Node = node
        while isinstance(base, (Attr, Index)):
            chain.append(base)
            inside_chain.add(id(base.obj))
            base = base.obj
        if not isinstance(base, Name):
            continue
        prefixes: list[tuple[Any, ...]] = [(base.name,)]
        for step in reversed(chain):
            if isinstance(step, Attr):
                prefixes = [p + (step.name,) for p in prefixes]
                continue
            key = step.key  # type: ignore[attr-defined]
            if not isinstance(key, Literal) or key.value is None or isinstance(key.value, bool):
                break
            keys = key.value if isinstance(key.value, tuple) else (key.value,)
            if any(isinstance(k, (tuple, bool)) or k is None for k in keys):
                break
            prefixes = [p + (k,) for p in prefixes for k in keys]
        for path in prefixes:
            if path not in found:
                found.append(path)
    return found
