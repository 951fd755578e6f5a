"""The AST of the expression language and the tree walker that evaluates it.

Every node is a frozen dataclass with ``evaluate(env)``. The value semantics (what a cell becomes
in arithmetic, what may be compared with what, broadcasting over lists) live here too, in small
helper functions that the builtin functions reuse.

Values are plain Python: int, Decimal, str, bool, None, datetime.date, list/tuple, Mapping, Cell
(and, opaque to the language, whatever a domain function returns). ``float`` is never accepted.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import date
from decimal import Context, Decimal, DecimalException, DivisionByZero, InvalidOperation, Overflow
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Callable, Iterator, Optional

from ..model import Cell
from .errors import EvalError, ExprError, Missing, UnknownName, did_you_mean

if TYPE_CHECKING:
    from .functions import Function

# All decimal arithmetic goes through this context's methods, so the caller's thread-local context
# never changes a result.
DECIMAL_CONTEXT = Context(prec=28, traps=[DivisionByZero, InvalidOperation, Overflow])

# Binding strength, used to render a node back to text with the fewest parentheses.
PREC_OR, PREC_AND, PREC_NOT, PREC_COMPARE, PREC_ADD, PREC_MUL, PREC_UNARY, PREC_POSTFIX, PREC_ATOM = range(1, 10)


# =========================================================================== the environment


class Env:
    """Name bindings for one evaluation, plus the trace of cells it touched.

    ``names`` maps root names to values. ``context`` is free for the engine (domain functions
    registered with ``pass_env=True`` receive the Env and may read it). ``trace`` lists every
    Cell that a name, a path or a function call produced, in order, without duplicates."""

    __slots__ = ("names", "context", "_seen")

    def __init__(self, names: Optional[Mapping[str, Any]] = None, *, context: Any = None) -> None:
        self.names: Mapping[str, Any] = names if names is not None else {}
        self.context = context
        self._seen: dict[int, Cell] = {}

    @property
    def trace(self) -> tuple[Cell, ...]:
        return tuple(self._seen.values())

    def clear_trace(self) -> None:
        self._seen = {}

    def extend(self, names: Mapping[str, Any]) -> "Env":
        """A new Env with ``names`` added to (or shadowing) these, the same context and an
        empty trace - e.g. one per for_each item."""
        return Env({**self.names, **names}, context=self.context)

    def record(self, value: Any) -> None:
        """Note ``value`` in the trace if it is a Cell, or the Cells of a list of them."""
        if isinstance(value, Cell):
            self._seen.setdefault(id(value), value)
        elif isinstance(value, (list, tuple)):
            for item in value:
                if isinstance(item, (Cell, list, tuple)):
                    self.record(item)

    def __repr__(self) -> str:
        return f"Env({sorted(self.names)!r})"


# =========================================================================== value semantics


def is_number(value: Any) -> bool:
    return isinstance(value, (int, Decimal)) and not isinstance(value, bool)


def type_name(value: Any) -> str:
    """How a value is named in error messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if is_number(value):
        return f"the number {value}"
    if isinstance(value, str):
        shown = value if len(value) <= 20 else value[:20] + "…"
        return f"the text {shown!r}"
    if isinstance(value, Cell):
        return f"a {value.kind} cell"
    if isinstance(value, date):
        return f"the date {value.isoformat()}"
    if isinstance(value, (list, tuple)):
        return f"a list of {len(value)}"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, float):
        return "a floating-point number (not allowed: use int or Decimal)"
    return f"a {type(value).__name__}"


def _source_of(node: Optional["Node"]) -> Optional[str]:
    return node.to_source() if node is not None else None


def absent(node: Optional["Node"]) -> Missing:
    if node is None:
        return Missing(reason="a value is absent")
    return Missing(reason="is absent", expr=node.to_source())


def as_number(value: Any, node: Optional["Node"] = None, *, what: str = "") -> Any:
    """``value`` as an int or Decimal. A Cell gives its value; a blank cell or None raises
    Missing; anything else (text, true/false, a list) raises EvalError."""
    if is_number(value):
        return value
    if isinstance(value, Cell):
        if value.value is None:
            raise Missing(cell=value, expr=_source_of(node))
        return value.value
    if value is None:
        raise absent(node)
    where = f" for {what}" if what else ""
    source = f" ({node.to_source()})" if node is not None else ""
    raise EvalError(f"expected a number{where}, got {type_name(value)}{source}")


def as_bool(value: Any, node: Optional["Node"] = None, *, what: str = "") -> bool:
    if value is True or value is False:
        return value
    if value is None:
        raise absent(node)
    where = f" for {what}" if what else ""
    source = f" ({node.to_source()})" if node is not None else ""
    raise EvalError(f"expected true or false{where}, got {type_name(value)}{source}")


def as_text(value: Any, node: Optional["Node"] = None, *, what: str = "") -> str:
    if isinstance(value, str):
        return value
    if value is None:
        raise absent(node)
    where = f" for {what}" if what else ""
    hint = " (use .raw for the text of a cell)" if isinstance(value, Cell) else ""
    raise EvalError(f"expected text{where}, got {type_name(value)}{hint}")


def is_present(value: Any) -> bool:
    """True for a real value: not None, and for a Cell only when it holds a number."""
    if value is None:
        return False
    if isinstance(value, Cell):
        return value.value is not None
    return True


def plain(value: Any, node: Optional["Node"] = None) -> Any:
    """The value as comparisons see it: a Cell becomes its number; None and valueless cells are
    Missing; floats are refused."""
    if isinstance(value, Cell):
        if value.value is None:
            raise Missing(cell=value, expr=_source_of(node))
        return value.value
    if value is None:
        raise absent(node)
    if isinstance(value, float):
        raise EvalError(f"got {type_name(value)}")
    return value


def shown(value: Any) -> Any:
    """A value for display (explanations): Cells become their numbers when they have one."""
    if isinstance(value, Cell):
        return value.value if value.value is not None else value
    if isinstance(value, (list, tuple)):
        return [shown(v) for v in value]
    return value


def _category(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if is_number(value):
        return "number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, date):
        return "date"
    if isinstance(value, (list, tuple)):
        return "list"
    if isinstance(value, Mapping):
        return "mapping"
    return type(value).__name__


def equal(a: Any, b: Any, left: Optional["Node"] = None, right: Optional["Node"] = None) -> bool:
    """``a == b`` in the language: cells compare by value, int and Decimal exactly, lists item by
    item; comparing values of different kinds (a number with text...) is an EvalError."""
    a = plain(a, left)
    b = plain(b, right)
    kind = _category(a)
    if kind != _category(b):
        raise EvalError(f"cannot compare {type_name(a)} with {type_name(b)}")
    if kind == "list":
        return len(a) == len(b) and all(equal(x, y) for x, y in zip(a, b))
    return bool(a == b)


_ORDERED = {"number", "text", "date"}


def order(op: str, a: Any, b: Any, left: Optional["Node"] = None, right: Optional["Node"] = None) -> bool:
    a = plain(a, left)
    b = plain(b, right)
    kind = _category(a)
    if kind != _category(b) or kind not in _ORDERED:
        raise EvalError(f"cannot order {type_name(a)} and {type_name(b)} with {op}")
    try:
        if op == "<":
            return bool(a < b)
        if op == "<=":
            return bool(a <= b)
        if op == ">":
            return bool(a > b)
        return bool(a >= b)
    except DecimalException as exc:  # a NaN that slipped into the data
        raise EvalError(f"cannot compare {a} and {b}") from exc


def member(item: Any, container: Any, left: Optional["Node"] = None, right: Optional["Node"] = None) -> bool:
    """``item in container``: substring of a text, element of a list, key of a mapping."""
    if container is None or (isinstance(container, Cell)):
        plain(container, right)  # raises Missing for None and valueless cells
        raise EvalError(f"'in' needs a list, a text or a mapping on its right, got {type_name(container)}")
    if isinstance(container, str):
        return as_text(item, left, what="'in' a text") in container
    if isinstance(container, (list, tuple)):
        needle = plain(item, left)
        return any(equal(needle, element) for element in container)
    if isinstance(container, Mapping):
        key = plain(item, left)
        try:
            return key in container
        except TypeError as exc:
            raise EvalError(f"{type_name(key)} cannot be a key") from exc
    raise EvalError(f"'in' needs a list, a text or a mapping on its right, got {type_name(container)}")


def arithmetic(op: str, a: Any, b: Any) -> Any:
    """``a op b`` on numbers: int op int stays int (except ``/``), otherwise exact Decimal."""
    try:
        if type(a) is int and type(b) is int:
            if op == "+":
                return a + b
            if op == "-":
                return a - b
            if op == "*":
                return a * b
            return DECIMAL_CONTEXT.divide(a, b)
        if op == "+":
            return DECIMAL_CONTEXT.add(a, b)
        if op == "-":
            return DECIMAL_CONTEXT.subtract(a, b)
        if op == "*":
            return DECIMAL_CONTEXT.multiply(a, b)
        return DECIMAL_CONTEXT.divide(a, b)
    except (DivisionByZero, InvalidOperation) as exc:
        if op == "/" and b == 0:
            raise EvalError("division by zero") from exc
        raise EvalError(f"invalid arithmetic: {a} {op} {b}") from exc
    except DecimalException as exc:
        raise EvalError(f"arithmetic overflow: {a} {op} {b}") from exc


def negate(a: Any) -> Any:
    if type(a) is int:
        return -a
    return DECIMAL_CONTEXT.minus(a)


# --------------------------------------------------------------------------- access


_MAPPING_TYPES: dict[type, bool] = {dict: True}


def is_mapping(value: Any) -> bool:
    """isinstance(value, Mapping), cached per type: the ABC check is slow on the hot path."""
    cls = value.__class__
    known = _MAPPING_TYPES.get(cls)
    if known is None:
        known = _MAPPING_TYPES[cls] = isinstance(value, Mapping)
    return known


def _note(env: Env, value: Any) -> None:
    """Record ``value`` in the trace if it is a cell or holds cells (the hot-path form)."""
    cls = value.__class__
    if cls is Cell:
        env._seen.setdefault(id(value), value)
    elif cls is list or cls is tuple:
        seen = env._seen
        for item in value:
            item_cls = item.__class__
            if item_cls is Cell:
                seen.setdefault(id(item), item)
            elif item_cls is list or item_cls is tuple:
                _note(env, item)


@lru_cache(maxsize=None)
def _public_fields(cls: type) -> frozenset[str]:
    return frozenset(f.name for f in dataclasses.fields(cls) if not f.name.startswith("_"))


def _describe_container(node: Optional["Node"]) -> str:
    return node.to_source() if node is not None else "the mapping"


def lookup(mapping: Mapping, key: Any, node: Optional["Node"] = None) -> Any:
    """``mapping[key]``; an unknown key is an EvalError that lists the close matches."""
    if isinstance(key, Cell) or isinstance(key, (list, tuple, Mapping, float)):
        raise EvalError(f"{type_name(key)} cannot be a key of {_describe_container(node)}")
    try:
        return mapping[key]
    except KeyError:
        pass
    except TypeError as exc:
        raise EvalError(f"{type_name(key)} cannot be a key of {_describe_container(node)}") from exc
    keys = list(mapping.keys())
    message = f"{_describe_container(node)} has no key {key!r}"
    same_text = [k for k in keys if str(k) == str(key)]
    if same_text:
        message += f" - did you mean {same_text[0]!r}? (mind the quotes)"
    else:
        close = did_you_mean(str(key), keys)
        if close:
            message += " - did you mean " + " or ".join(repr(c) for c in close) + "?"
        elif len(keys) <= 12:
            message += " (its keys: " + ", ".join(repr(k) for k in keys) + ")"
    raise EvalError(message)


def _broadcast(items: Any, key: Any, node: Optional["Node"], access: Callable[..., Any]) -> list[Any]:
    """``access(item, key)`` for each item, with the common mapping case inlined."""
    out = []
    append = out.append
    for item in items:
        if item.__class__ is dict or is_mapping(item):
            try:
                append(item[key])
                continue
            except (KeyError, TypeError):
                pass  # `access` names the problem
        append(access(item, key, node))
    return out


def get_attribute(base: Any, name: str, node: Optional["Node"] = None) -> Any:
    """``base.name``: a key of a mapping, a field of a cell (value, kind, raw, where) or other
    dataclass, broadcast over a list."""
    if is_mapping(base):
        return lookup(base, name, node)
    if base is None:
        raise absent(node)
    if isinstance(base, (list, tuple)):
        return _broadcast(base, name, node, get_attribute)
    if dataclasses.is_dataclass(base) and not isinstance(base, type):
        fields = _public_fields(type(base))
        if name in fields:
            return getattr(base, name)
        close = did_you_mean(name, fields)
        hint = (" - did you mean " + " or ".join(close) + "?") if close else f" (it has {', '.join(sorted(fields))})"
        raise EvalError(f"{type_name(base)} has no field {name!r}{hint}")
    raise EvalError(f"cannot take .{name} of {type_name(base)}"
                    + (f" ({node.to_source()})" if node is not None else ""))


def get_item(base: Any, key: Any, node: Optional["Node"] = None) -> Any:
    """``base[key]``: a key of a mapping (a list of keys gives the list of values), an int index
    of a list, or - for any other key - the access broadcast over the list's items."""
    if is_mapping(base):
        if isinstance(key, (list, tuple)):
            return [lookup(base, k, node) for k in key]
        return lookup(base, key, node)
    if base is None:
        raise absent(node)
    if isinstance(base, (list, tuple)):
        if isinstance(key, int) and not isinstance(key, bool):
            try:
                return base[key]
            except IndexError:
                raise EvalError(f"index {key} is out of range: {_describe_container(node)} has "
                                f"{len(base)} item{'s' if len(base) != 1 else ''}") from None
        return _broadcast(base, key, node, get_item)
    raise EvalError(f"cannot index {type_name(base)} with [{key!r}]"
                    + (f" ({node.to_source()})" if node is not None else ""))


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
        _note(env, value)
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
        _note(env, value)
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
            value = _broadcast(base, key, self.obj, get_item)
        elif (key_class is list or key_class is tuple) and (type(base) is dict or is_mapping(base)):
            try:
                value = [base[k] if k.__class__ is str else lookup(base, k, self.obj) for k in key]
            except KeyError:
                value = get_item(base, key, self.obj)  # names the unknown key
        else:
            value = get_item(base, key, self.obj)
        _note(env, value)
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
        try:
            value = function.impl(*args)
        except Missing as missing:
            if missing.expr is None:
                missing.expr = self.to_source()
            raise
        except ExprError:
            raise
        except RecursionError as exc:
            raise EvalError(f"{self.name}(): too deeply nested") from exc
        except Exception as exc:  # a domain function's failure is the rule's error, not a crash
            raise EvalError(f"{self.name}(): {type(exc).__name__}: {exc}") from exc
        _note(env, value)
        if isinstance(value, float):
            raise EvalError(f"{self.name}() returned a floating-point number; use int or Decimal")
        return value

    def children(self) -> tuple[Node, ...]:
        return self.args

    def to_source(self) -> str:
        return f"{self.name}(" + ", ".join(arg.to_source() for arg in self.args) + ")"


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
        return Explanation(value, node.op, shown(a), shown(b), env.trace, node.to_source())
    if isinstance(node, And):
        for operand in _chain(node, And):
            part = explain_node(operand, env)
            if not as_bool(part.value, operand, what="'and'"):
                return Explanation(False, None, None, None, env.trace, node.to_source(), failing=part)
        return Explanation(True, None, None, None, env.trace, node.to_source())
    if isinstance(node, Or):
        part = None
        for operand in _chain(node, Or):
            part = explain_node(operand, env)
            if as_bool(part.value, operand, what="'or'"):
                return Explanation(True, None, None, None, env.trace, node.to_source())
        return Explanation(False, None, None, None, env.trace, node.to_source(), failing=part)
    value = node.evaluate(env)
    return Explanation(value, None, None, None, env.trace, node.to_source())


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

    def evaluate(self, env: Env) -> Any:
        """The value; raises Missing (a value the report lacks) or EvalError (a broken rule)."""
        return self.root.evaluate(env)

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
