"""The value semantics of the expression language, shared by the tree walker and the builtin
functions: what a cell becomes in arithmetic, what may be compared with what, membership, and
access into mappings and lists (with broadcasting over lists).

Values are plain Python: int, Decimal, str, bool, None, datetime.date, list/tuple, Mapping, Cell
(and, opaque to the language, whatever a domain function returns). ``float`` is never accepted.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import date
from decimal import Context, Decimal, DecimalException, DivisionByZero, InvalidOperation, Overflow
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Callable, Optional

from ...model import Cell
from ...textnorm import MAX_DIGITS
from .env import Env
from .errors import EvalError, Missing, did_you_mean

if TYPE_CHECKING:
    from .nodes import Node

# Numbers are bounded, so that no rule can build one that takes long to compute or to print
# (repeated products of 60-digit numbers; a product past Python's 4,300-digit limit for printing
# an int): a whole number has at most MAX_DIGITS digits, a decimal 28 significant digits and an
# exponent within MAX_DIGITS. Past either bound the arithmetic is an error of the rule.
_INT_BOUND = 10 ** MAX_DIGITS
# All decimal arithmetic goes through this context's methods, so the caller's thread-local context
# never changes a result.
DECIMAL_CONTEXT = Context(prec=28, Emax=MAX_DIGITS, Emin=-MAX_DIGITS,
                          traps=[DivisionByZero, InvalidOperation, Overflow])


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


# id(node) -> (the node, its source text): a Missing names the expression that lacked a value,
# and a rule over a table's rows raises one for every row with a blank, from the same few nodes
_SOURCES: dict[int, tuple["Node", str]] = {}


def _source_of(node: Optional["Node"]) -> Optional[str]:
    return source_of(node) if node is not None else None


def source_of(node: "Node") -> str:
    """``node.to_source()``, worked out once per node."""
    known = _SOURCES.get(id(node))
    if known is not None and known[0] is node:
        return known[1]
    text = node.to_source()
    if len(_SOURCES) >= 4096:  # nodes of expressions compiled at run time come and go
        _SOURCES.clear()
    _SOURCES[id(node)] = (node, text)
    return text


def absent(node: Optional["Node"]) -> Missing:
    if node is None:
        return Missing(reason="a value is absent")
    return Missing(reason="is absent", expr=_source_of(node))


def _unexpected(expected: str, value: Any, node: Optional["Node"], what: str) -> EvalError:
    where = f" for {what}" if what else ""
    source = f" ({node.to_source()})" if node is not None else ""
    return EvalError(f"expected {expected}{where}, got {type_name(value)}{source}")


def _cell_number(cell: Cell, node: Optional["Node"]) -> Any:
    """A cell's number; a cell without one (blank, a mark, text, lost) is Missing."""
    if cell.value is None:
        raise Missing(cell=cell, expr=_source_of(node))
    return cell.value


def as_number(value: Any, node: Optional["Node"] = None, *, what: str = "") -> Any:
    """``value`` as an int or Decimal. A Cell gives its value; a blank cell or None raises
    Missing; anything else (text, true/false, a list) raises EvalError."""
    if is_number(value):
        return value
    if isinstance(value, Cell):
        return _cell_number(value, node)
    if value is None:
        raise absent(node)
    raise _unexpected("a number", value, node, what)


def as_bool(value: Any, node: Optional["Node"] = None, *, what: str = "") -> bool:
    if value is True or value is False:
        return value
    if value is None:
        raise absent(node)
    raise _unexpected("true or false", value, node, what)


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
        return _cell_number(value, node)
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


def category(value: Any) -> str:
    """The kind of a plain value, as comparisons group them."""
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
    kind = category(a)
    if kind != category(b):
        raise EvalError(f"cannot compare {type_name(a)} with {type_name(b)}")
    if kind == "list":
        return len(a) == len(b) and all(equal(x, y) for x, y in zip(a, b))
    return bool(a == b)


_ORDERED = {"number", "text", "date"}


def order(op: str, a: Any, b: Any, left: Optional["Node"] = None, right: Optional["Node"] = None) -> bool:
    a = plain(a, left)
    b = plain(b, right)
    kind = category(a)
    if kind != category(b) or kind not in _ORDERED:
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
                return bounded(a + b)
            if op == "-":
                return bounded(a - b)
            if op == "*":
                return bounded(a * b)
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
        raise EvalError(f"arithmetic overflow: {a} {op} {b} is beyond {MAX_DIGITS} digits") from exc


def bounded(value: int) -> int:
    """A whole number, or EvalError when it has more than MAX_DIGITS digits."""
    if -_INT_BOUND < value < _INT_BOUND:
        return value
    raise EvalError(f"arithmetic overflow: a whole number of more than {MAX_DIGITS} digits")


def negate(a: Any) -> Any:
    if type(a) is int:
        return -a
    return DECIMAL_CONTEXT.minus(a)


# --------------------------------------------------------------------------- access


MAPPING_TYPES: dict[type, bool] = {dict: True}


def is_mapping(value: Any) -> bool:
    """isinstance(value, Mapping), cached per type: the ABC check is slow on the hot path."""
    cls = value.__class__
    known = MAPPING_TYPES.get(cls)
    if known is None:
        known = MAPPING_TYPES[cls] = isinstance(value, Mapping)
    return known


# the classes of the values that are or may hold cells: the trace notes only these (most values
# are neither: a table, a row, a key, a number)
CELL_HOLDERS = frozenset({Cell, list, tuple})


def note_cell(env: Env, value: Any) -> None:
    """Note ``value`` in the trace if it is a cell or may hold cells (Env.trace gathers them)."""
    if value.__class__ in CELL_HOLDERS:
        env.noted.append(value)


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


class _NotAMapping(Exception):
    """An item the quick reading of ``broadcast`` leaves to the item-by-item one."""


def _not_a_mapping() -> Any:
    raise _NotAMapping()


def broadcast(items: Any, key: Any, node: Optional["Node"], access: Callable[..., Any]) -> list[Any]:
    """``access(item, key)`` for each item, with the common mapping case inlined."""
    known = MAPPING_TYPES.get
    try:  # the common case, mappings that all have the key (a column of a table's rows), in C
        return [item[key] if known(item.__class__) else _not_a_mapping() for item in items]
    except (KeyError, TypeError, _NotAMapping):
        pass  # item by item, from the first again (reading a row again notes the same address)
    out: list[Any] = []
    append = out.append
    for item in items:
        if known(item.__class__) or is_mapping(item):
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
        return broadcast(base, name, node, get_attribute)
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
        return broadcast(base, key, node, get_item)
    raise EvalError(f"cannot index {type_name(base)} with [{key!r}]"
                    + (f" ({node.to_source()})" if node is not None else ""))
