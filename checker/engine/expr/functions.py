"""The function registry and the builtin functions.

``FUNCTIONS`` maps a name to a ``Function``. Other modules add domain functions with the
``register`` decorator::

    @register("is_integer", min_args=1, max_args=1, doc="is_integer(x): whether x is whole")
    def is_integer(value): ...

An eager function receives its argument *values* as they are - cells stay cells, so a function
decides itself whether a blank is an answer or ``Missing``; ``as_number`` and friends from
``checker.engine.expr`` do the usual coercions. A ``lazy`` function receives one zero-argument callable per
argument instead and evaluates only what it needs (``present`` catches the ``Missing`` of its
argument, ``coalesce`` stops at the first present one). With ``pass_env=True`` the ``Env`` comes
first. Raise ``Missing`` for an absent value and ``EvalError`` for a misuse; any other exception
becomes an ``EvalError`` naming the function.

After changing a builtin's doc, regenerate the function list of the reference (a test checks it)::

    python -c "from checker.engine.expr.functions import update_reference; update_reference('docs/expressions.md')"
"""
from __future__ import annotations

import datetime
import inspect
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, DecimalException
from typing import Any, Callable, Iterable, Optional, Sequence

from ...model import Cell
from .errors import ArityError, EvalError, Missing, UnknownFunction
from .patterns import safe_regex
from .types import Parameter, Returns, check_returns, parse_params, same_as_first, same_as_items
from .values import (DECIMAL_CONTEXT, arithmetic, as_bool, as_number, as_text, bounded, category, is_number,
                    is_present, order, plain, type_name)

# Marks a non-constant argument in the values handed to a Function's ``validate`` hook.
NOT_CONSTANT: Any = type("NotConstant", (), {"__repr__": lambda self: "<not constant>"})()


@dataclass(frozen=True)
class Function:
    """A function callable from expressions. ``max_args`` None means any number."""

    name: str
    impl: Callable[..., Any]
    min_args: int
    max_args: Optional[int]
    doc: str
    signature: str
    lazy: bool = False
    pass_env: bool = False
    # Called when compiling with the arguments' constant values (NOT_CONSTANT for the others);
    # raises ValueError to reject them - e.g. an invalid regular expression literal.
    validate: Optional[Callable[[Sequence[Any]], None]] = None
    # The static signature `rules lint` checks calls against (checker.engine.expr.types): what
    # each argument must be, and what the call gives. Empty params: any arguments.
    params: tuple[Parameter, ...] = ()
    returns: Optional[Returns] = None

    def arity_text(self) -> str:
        if self.max_args is None:
            return f"{self.min_args} or more arguments"
        if self.min_args == self.max_args:
            return f"{self.min_args} argument{'s' if self.min_args != 1 else ''}"
        return f"{self.min_args} to {self.max_args} arguments"

    def check_arity(self, count: int, *, text: Optional[str] = None, pos: Optional[int] = None) -> None:
        if count < self.min_args or (self.max_args is not None and count > self.max_args):
            raise ArityError(f"{self.name}() takes {self.arity_text()}, got {count}: {self.signature}",
                             text=text, pos=pos)


FUNCTIONS: dict[str, Function] = {}

# Called whenever the registry changes (the compile cache holds functions bound at compile time).
_listeners: list[Callable[[], None]] = []


def on_registry_change(listener: Callable[[], None]) -> None:
    _listeners.append(listener)


def _changed() -> None:
    for listener in _listeners:
        listener()


def _infer_arity(impl: Callable[..., Any], skip: int) -> tuple[int, Optional[int]]:
    params = list(inspect.signature(impl).parameters.values())[skip:]
    if any(p.kind is p.VAR_POSITIONAL for p in params):
        positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        return sum(p.default is p.empty for p in positional), None
    positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return sum(p.default is p.empty for p in positional), len(positional)


def _infer_signature(name: str, impl: Callable[..., Any], doc: str, skip: int) -> str:
    head = doc.strip().split("\n", 1)[0]
    match = re.match(rf"{re.escape(name)}\([^)]*\)", head)
    if match:
        return match.group(0)
    params = list(inspect.signature(impl).parameters.values())[skip:]
    bits = []
    for p in params:
        if p.kind is p.VAR_POSITIONAL:
            bits.append(f"{p.name}...")
        elif p.default is not p.empty:
            bits.append(f"{p.name}={p.default!r}")
        else:
            bits.append(p.name)
    return f"{name}({', '.join(bits)})"


def register(name: str, *, min_args: Optional[int] = None, max_args: Any = ..., doc: Optional[str] = None,
             signature: Optional[str] = None, lazy: bool = False, pass_env: bool = False,
             validate: Optional[Callable[[Sequence[Any]], None]] = None,
             params: Sequence[str] = (), returns: Optional[Returns] = None,
             replace: bool = False) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorator adding ``impl`` to FUNCTIONS under ``name`` and returning it unchanged.

    ``min_args``/``max_args`` default to what the Python signature accepts (``max_args=None``:
    any number). ``doc`` defaults to the docstring; ``signature`` to the ``name(...)`` that starts
    the doc, or one built from the parameters. Registering a taken name raises ValueError unless
    ``replace=True`` (or it is the same function again, e.g. a module reload).

    ``params`` types the arguments for the static check of `rules lint` - one spec per parameter
    from checker.engine.expr.types.PARAMETER_KINDS ("number", "texts", "table"...), the last one
    may end in "..." for any number of such arguments; ``returns`` is a spec of RETURN_TYPES or a
    function of the argument types. A function without them is checked for arity only."""
    typed_params = parse_params(params)
    check_returns(returns)
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        raise ValueError(f"not a function name: {name!r}")

    def decorate(impl: Callable[..., Any]) -> Callable[..., Any]:
        skip = 1 if pass_env else 0
        low, high = _infer_arity(impl, skip) if (min_args is None or max_args is ...) else (0, None)
        text = inspect.cleandoc(doc if doc is not None else (impl.__doc__ or ""))
        function = Function(
            name=name, impl=impl,
            min_args=low if min_args is None else min_args,
            max_args=high if max_args is ... else max_args,
            doc=text, signature=signature or _infer_signature(name, impl, text, skip),
            lazy=lazy, pass_env=pass_env, validate=validate, params=typed_params, returns=returns,
        )
        existing = FUNCTIONS.get(name)
        if existing is not None and not replace and not _same_origin(existing.impl, impl):
            raise ValueError(f"function {name}() is already registered (by {existing.impl.__module__})")
        FUNCTIONS[name] = function
        _changed()
        return impl

    return decorate


def _same_origin(a: Callable[..., Any], b: Callable[..., Any]) -> bool:
    return (getattr(a, "__module__", None), getattr(a, "__qualname__", None)) == \
        (getattr(b, "__module__", None), getattr(b, "__qualname__", None))


def unregister(name: str) -> None:
    """Remove a function (for tests)."""
    FUNCTIONS.pop(name, None)
    _changed()


def lookup_function(name: str, registry: dict[str, Function]) -> Function:
    try:
        return registry[name]
    except KeyError:
        raise UnknownFunction(name, known=registry) from None


# =========================================================================== helpers


def _flatten(values: Iterable[Any]) -> list[Any]:
    out: list[Any] = []
    for value in values:
        cls = value.__class__
        if cls is list or cls is tuple or (cls is not Cell and isinstance(value, (list, tuple))):
            out.extend(_flatten(value))
        else:
            out.append(value)
    return out


def _whole(value: Any, what: str) -> int:
    number = as_number(value, what=what)
    if isinstance(number, Decimal):
        if number != number.to_integral_value():
            raise EvalError(f"{what} must be a whole number, got {number}")
        return int(number)
    return number


def _text_list(value: Any, what: str) -> list[str]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, (list, tuple)):
        raise EvalError(f"{what} must be a text or a list of texts, got {type_name(value)}")
    return [as_text(item, what=what) for item in items]


def _regex(pattern: str) -> re.Pattern[str]:
    return safe_regex(pattern)  # cached per pattern


def _valid_regex(args: Sequence[Any]) -> None:
    pattern = args[1] if len(args) > 1 else NOT_CONSTANT
    if isinstance(pattern, str):
        try:
            _regex(pattern)
        except re.error as exc:
            raise ValueError(f"invalid regular expression {pattern!r}: {exc}") from None


# =========================================================================== builtins


@register("sum", min_args=1, max_args=None, params=("numbers...",), returns="number", doc="""
    sum(values...): the total of the numbers. Lists are added item by item, cells count by their
    value; a blank or non-number cell anywhere makes the result Missing (a blank is never 0).
    The sum of an empty list is 0.
    Example: `applications["3.7"][col] == sum(applications[leaves(applications)][col])`
    """)
def _sum(*values: Any) -> Any:
    numbers = _numbers(values, "sum()")
    for number in numbers:
        if number.__class__ is not int:
            break
    else:  # whole numbers only: Python's own sum
        return bounded(sum(numbers))
    total: Any = 0
    for number in numbers:
        total = arithmetic("+", total, number)
    return total


def _numbers(values: Sequence[Any], what: str) -> list[Any]:
    """The numbers of ``values`` (lists flattened, cells by value, Missing for a blank)."""
    out: list[Any] = []
    append = out.append
    for item in values:  # flattened as it goes, in the order _flatten gives
        cls = item.__class__
        if cls is Cell and item.value is not None:
            append(item.value)
        elif cls is int or cls is Decimal:
            append(item)
        elif cls is list or cls is tuple or (cls is not Cell and isinstance(item, (list, tuple))):
            out.extend(_numbers(item, what))
        else:
            append(as_number(item, what=what))
    return out


@register("count", min_args=1, max_args=1, params=("collection",), returns="number", doc="""
    count(list): the number of items in a list (or keys in a mapping). For the length of a
    text use len().
    Example: `count(missing_rows(applications)) == 0`
    """)
def _count(items: Any) -> int:
    if items is None:
        raise Missing(reason="the list is absent")
    if isinstance(items, (list, tuple, Mapping)):
        return len(items)
    hint = " (use len() for a text)" if isinstance(items, str) else ""
    raise EvalError(f"count() needs a list, got {type_name(items)}{hint}")


@register("len", min_args=1, max_args=1, params=("sized",), returns="number", doc="""
    len(x): the number of characters of a text, or of items of a list.
    Example: `len(meta.agency) >= 4`
    """)
def _len(value: Any) -> int:
    if value is None:
        raise Missing(reason="the value is absent")
    if isinstance(value, (str, list, tuple, Mapping)):
        return len(value)
    raise EvalError(f"len() needs a text or a list, got {type_name(value)}")


def _truth_values(values: Sequence[Any], what: str) -> list[bool]:
    return [as_bool(item, what=what) for item in _flatten(values)]


@register("any", min_args=1, max_args=None, params=("bools...",), returns="bool", doc="""
    any(conditions...): true if at least one of the true/false values (or of the items of a list
    of them) is true; false for an empty list.
    Example: `any([present(meta.title), present(meta.agency)])`
    """)
def _any(*values: Any) -> bool:
    return any(_truth_values(values, "any()"))


@register("all", min_args=1, max_args=None, params=("bools...",), returns="bool", doc="""
    all(conditions...): true if every one of the true/false values (or of the items of a list of
    them) is true; true for an empty list.
    Example: `all([part_found(1), part_found(2)])`
    """)
def _all(*values: Any) -> bool:
    return all(_truth_values(values, "all()"))


@register("abs", min_args=1, max_args=1, params=("number",), returns="number", doc="""
    abs(x): the absolute value of a number (or of a cell's number).
    Example: `abs(active_disclosure.regulations.in_force - previous.active_disclosure.regulations.in_force) <= 5`
    """)
def _abs(value: Any) -> Any:
    number = as_number(value, what="abs()")
    return abs(number) if type(number) is int else DECIMAL_CONTEXT.abs(number)


def _extreme(name: str, values: Sequence[Any], keep: str) -> Any:
    items = [plain(item) for item in _flatten(values)]
    if items and all(type(i) is int or type(i) is Decimal for i in items):
        return min(items) if keep == "<" else max(items)
    if not items:
        raise EvalError(f"{name}() of an empty list")
    best = items[0]
    for item in items[1:]:
        if order(keep, item, best):
            best = item
    return best


@register("min", min_args=1, max_args=None, params=("comparables...",), returns=same_as_items, doc="""
    min(values...): the smallest of the numbers (or texts, or dates). Lists are searched item by
    item; a blank cell makes the result Missing; an empty list is an error.
    Example: `min(applications["1"][columns(applications)]) >= 0`
    """)
def _min(*values: Any) -> Any:
    return _extreme("min", values, "<")


@register("max", min_args=1, max_args=None, params=("comparables...",), returns=same_as_items, doc="""
    max(values...): the largest of the numbers (or texts, or dates), like min().
    Example: `max(meta.period_end, meta.published) == meta.published`
    """)
def _max(*values: Any) -> Any:
    return _extreme("max", values, ">")


@register("contains", min_args=2, max_args=2, params=("text", "texts"), returns="bool", doc="""
    contains(text, needles): whether the text contains the needle, or - given a list - any of
    the needles. Plain text, not a pattern (see matches()).
    Example: `contains(part(1).text, ["考核", "评议", "追究"])`
    """)
def _contains(text: Any, needles: Any) -> bool:
    haystack = as_text(text, what="contains()")
    return any(needle in haystack for needle in _text_list(needles, "contains()"))


@register("contains_all", min_args=2, max_args=2, params=("text", "texts"), returns="bool", doc="""
    contains_all(text, needles): whether the text contains every one of the needles.
    Example: `contains_all(part(5).text, ["问题", "改进"])`
    """)
def _contains_all(text: Any, needles: Any) -> bool:
    haystack = as_text(text, what="contains_all()")
    return all(needle in haystack for needle in _text_list(needles, "contains_all()"))


@register("matches", min_args=2, max_args=2, validate=_valid_regex, params=("text", "text"), returns="bool",
          doc="""
    matches(text, pattern): whether the regular expression (Python syntax) matches anywhere in the
    text. In a pattern, a backslash stays a backslash: `'\\d+'` is the pattern \\d+. A repetition
    inside a repetition (`(a+)+`) and backreferences (`\\1`) are refused: they can take
    exponential time (see limits.md).
    Example: `matches(meta.title, '(19|20)[0-9]{2}')`
    """)
def _matches(text: Any, pattern: Any) -> bool:
    haystack = as_text(text, what="matches()")
    source = as_text(pattern, what="the pattern of matches()")
    try:
        compiled = _regex(source)
    except re.error as exc:
        raise EvalError(f"invalid regular expression {source!r}: {exc}") from None
    return compiled.search(haystack) is not None


def _value_or_none(thunk: Callable[[], Any]) -> Any:
    try:
        return thunk()
    except Missing:
        return None


@register("present", min_args=1, max_args=1, lazy=True, params=("any",), returns="bool", doc="""
    present(x): true when x has a value: a cell holding a number, or any value but null. False
    for a blank, not-applicable, text or lost cell, for null, and when x cannot be reached
    because something on its path is absent. Missing only for a cell the checker could not
    place (unplaced): whether the report filled it is not known.
    Example: `present(previous) and present(previous.applications)`
    """)
def _present(thunk: Callable[[], Any]) -> bool:
    return is_present(_known(_value_or_none(thunk)))


@register("blank", min_args=1, max_args=1, lazy=True, params=("any",), returns="bool", doc="""
    blank(x): the opposite of present(x): true for null, an absent path, and a cell without a
    number (blank, not applicable, text, lost). Missing, as present(x), for an unplaced cell.
    Example: `not blank(active_disclosure.administrative_fees_wan_yuan)`
    """)
def _blank(thunk: Callable[[], Any]) -> bool:
    return not is_present(_known(_value_or_none(thunk)))


def _known(value: Any) -> Any:
    """The value, unless it is a cell the checker could not place: the report filled it or not,
    which the checker cannot tell, so the question is not assessable (not answered "no")."""
    if isinstance(value, Cell) and value.kind == "unplaced":
        raise Missing(cell=value)
    return value


def _kind_of(value: Any) -> str:
    if isinstance(value, Cell):
        return value.kind
    if value is None:
        return "absent"
    kind = category(value)
    return "boolean" if kind == "bool" else kind


@register("kind", min_args=1, max_args=1, lazy=True, params=("any",), returns="text", doc="""
    kind(x): for a cell its kind - "number", "blank", "not_applicable", "text", "lost" or
    "unplaced" (a value the checker could not tell apart from its neighbours'); for
    another value "number", "text", "boolean", "date", "list" or "mapping"; "absent" for null or
    an unreachable path. Never Missing.
    Example: `kind(c.cell) == "number"`
    """)
def _kind(thunk: Callable[[], Any]) -> str:
    return _kind_of(_value_or_none(thunk))


_NUMBER_TEXT = re.compile(r"[+-]?(\d+)(\.\d+)?")


@register("number", min_args=1, max_args=1, params=("any",), returns="number", doc="""
    number(x): x as a number: a cell's number, a number itself, or a text such as "1,234.5"
    (full-width digits and thousands separators accepted). Missing when there is no number.
    Example: `number(c.raw) >= 0`
    """)
def _number(value: Any) -> Any:
    if isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).replace(",", "").replace(" ", "").strip()
        match = _NUMBER_TEXT.fullmatch(text)
        if not match or len(text) > 60:
            raise Missing(reason=f"{value!r} is not a number")
        return Decimal(text) if match.group(2) else int(text)
    return as_number(value, what="number()")


@register("round", min_args=1, max_args=2, params=("number", "number"), returns="number", doc="""
    round(x, places=0): x rounded half up (四舍五入) to that many decimal places; a whole number
    when places is 0.
    Example: `round(active_disclosure.administrative_fees_wan_yuan, 2) == 12.35`
    """)
def _round(value: Any, places: Any = 0) -> Any:
    number = as_number(value, what="round()")
    digits = _whole(places, "the places of round()")
    if not 0 <= digits <= 28:
        raise EvalError(f"round() places must be between 0 and 28, got {digits}")
    if type(number) is int:
        return number
    try:
        rounded = number.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP, context=DECIMAL_CONTEXT)
    except DecimalException as exc:
        raise EvalError(f"cannot round {number} to {digits} places") from exc
    return int(rounded) if digits == 0 else rounded


@register("date", min_args=3, max_args=3, params=("number", "number", "number"), returns="date", doc="""
    date(year, month, day): a calendar date, to compare with dates of the report.
    Example: `meta.published <= date(meta.year + 1, 1, 31)`
    """)
def _date(year: Any, month: Any, day: Any) -> datetime.date:
    y, m, d = _whole(year, "the year of date()"), _whole(month, "the month of date()"), _whole(day, "the day of date()")
    try:
        return datetime.date(y, m, d)
    except (ValueError, OverflowError):
        raise EvalError(f"date({y}, {m}, {d}) is not a valid date") from None


@register("year", min_args=1, max_args=1, params=("date",), returns="number", doc="""
    year(d): the year of a date.
    Example: `year(meta.published) == meta.year + 1`
    """)
def _year(value: Any) -> int:
    if value is None:
        raise Missing(reason="the date is absent")
    if not isinstance(value, datetime.date):
        raise EvalError(f"year() needs a date, got {type_name(value)}")
    return value.year


@register("coalesce", min_args=1, max_args=None, lazy=True, params=("any...",), returns=same_as_first, doc="""
    coalesce(a, b, ...): the first argument that is present (see present()); null if none is.
    Later arguments are not evaluated once one is found.
    Example: `coalesce(meta.title, "无")`
    """)
def _coalesce(*thunks: Callable[[], Any]) -> Any:
    for thunk in thunks:
        value = _value_or_none(thunk)
        if is_present(value):
            return value
    return None


@register("approx", min_args=3, max_args=3, params=("number", "number", "number"), returns="bool", doc="""
    approx(a, b, tolerance): whether two numbers differ by at most the tolerance (== is exact).
    Example: `approx(sum(fees), total_fees, 0.01)`
    """)
def _approx(a: Any, b: Any, tolerance: Any) -> bool:
    x, y = as_number(a, what="approx()"), as_number(b, what="approx()")
    tol = as_number(tolerance, what="the tolerance of approx()")
    if tol < 0:
        raise EvalError(f"approx() tolerance must not be negative, got {tol}")
    difference = arithmetic("-", x, y)
    return bool(abs(difference) <= tol)


BUILTINS: frozenset[str] = frozenset(FUNCTIONS)


# =========================================================================== documentation


def functions_markdown(names: Optional[Iterable[str]] = None) -> str:
    """The reference of the given functions (default: the builtins), as Markdown."""
    chosen = sorted(BUILTINS if names is None else names)
    blocks = []
    for name in chosen:
        function = FUNCTIONS[name]
        body = function.doc
        if body.startswith(function.signature + ":"):
            body = body[len(function.signature) + 1:].lstrip()
        body = body[:1].upper() + body[1:]
        body = body.replace("\nExample:", "\n\nExample:")
        blocks.append(f"### `{function.signature}`\n\n{body}\n")
    return "\n".join(blocks)


START_MARK = "<!-- functions:start - generated by checker.engine.expr.functions.update_reference -->"
END_MARK = "<!-- functions:end -->"


def update_reference(path: str) -> None:
    """Rewrite the generated part of the reference document between the two marks."""
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    head, _, rest = text.partition(START_MARK)
    _, _, tail = rest.partition(END_MARK)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(f"{head}{START_MARK}\n\n{functions_markdown()}\n{END_MARK}{tail}")

