"""Static types of the expression language: what a value is known to be before any report is
read, so that `rules lint` can catch a count compared with a text or a function called with a
list where it wants a number.

A ``Type`` is a small frozen value. Records know their fields (``meta``, a part, a cell); a table
knows its key, a row its table and row key, so paths into the report model are checked against
the format. ``ANY`` is what nothing is known about: it is accepted everywhere, which keeps the
checker free of false alarms where the language is dynamic.

Function signatures are written as short specs in the registry (``register(..., params=
("numbers...",), returns="number")``); ``parse_spec`` reads them and ``accepts`` says whether an
argument fits a parameter."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping, Optional, Union


@dataclass(frozen=True)
class Type:
    name: str  # any null number text bool date cell list record table row evidence
    item: Optional["Type"] = None  # of a list
    fields: Optional[tuple[tuple[str, "Type"], ...]] = None  # of a record (None: not known)
    table: Optional[str] = None  # of a table or row
    row: Optional[str] = None  # of a row (None: some row)
    label: str = ""  # how messages name a record ("meta")

    def field(self, name: str) -> Optional["Type"]:
        for key, value in self.fields or ():
            if key == name:
                return value
        return None

    @property
    def field_names(self) -> list[str]:
        return [key for key, _ in self.fields or ()]

    def describe(self) -> str:
        if self.name == "list":
            if self.item is None or self.item.name == "any":
                return "a list"
            return f"a list of {_PLURAL.get(self.item.name, self.item.describe())}"
        if self.name == "record" and self.label:
            return self.label
        if self.name == "table":
            return f"the table {self.table}"
        if self.name == "row":
            return f"a row of {self.table}" if self.row is None else f"the row {self.table}[{self.row!r}]"
        return _NAMES.get(self.name, f"a {self.name}")


_NAMES = {"any": "a value", "null": "null", "number": "a number", "text": "a text", "bool": "true/false",
          "date": "a date", "cell": "a table cell", "record": "a record", "evidence": "a quoted sentence"}
_PLURAL = {"number": "numbers", "text": "texts", "bool": "true/false values", "date": "dates",
           "cell": "table cells", "record": "records", "evidence": "quoted sentences", "list": "lists",
           "row": "rows", "table": "tables"}

ANY = Type("any")
NULL = Type("null")
NUMBER = Type("number")
TEXT = Type("text")
BOOL = Type("bool")
DATE = Type("date")
LIST = Type("list", item=ANY)


def list_of(item: Type) -> Type:
    return Type("list", item=item)


def record(label: str, fields: Mapping[str, Type]) -> Type:
    return Type("record", fields=tuple(fields.items()), label=label)


CELL = Type("cell", fields=(("value", NUMBER), ("kind", TEXT), ("raw", TEXT), ("where", ANY)))
EVIDENCE = Type("evidence", fields=(("kind", TEXT), ("text", TEXT), ("where", ANY), ("table", TEXT),
                                    ("row", TEXT), ("col", TEXT), ("value", ANY), ("cell_kind", TEXT)))
PART = record("a part", {"id": NUMBER, "found": BOOL, "heading": TEXT, "ordinal": TEXT, "text": TEXT,
                         "line": NUMBER})
CELL_ITEM = record("a cell item", {"table": TEXT, "row": TEXT, "col": TEXT, "cell": CELL, "raw": TEXT,
                                   "kind": TEXT, "label": TEXT})


def table_type(key: str) -> Type:
    return Type("table", table=key)


def row_type(table: str, row: Optional[str]) -> Type:
    return Type("row", table=table, row=row)


# ------------------------------------------------------------------------------ categories

NUMERIC = frozenset({"number", "cell"})
MAPPINGS = frozenset({"record", "table", "row"})


def category(t: Type) -> str:
    """What ``==`` and the orderings compare: a cell compares as its number."""
    if t.name in NUMERIC:
        return "number"
    if t.name in MAPPINGS:
        return "mapping"
    return t.name


def is_unknown(t: Type) -> bool:
    return t.name in ("any", "null")


def union(types: Iterable[Type]) -> Type:
    """The type of a value that is one of ``types``: their common type, else ANY."""
    result: Optional[Type] = None
    for t in types:
        if t.name == "null":
            continue
        if result is None or result == t:
            result = t
        elif category(result) == category(t) == "number":
            result = NUMBER
        elif result.name == t.name == "row" and result.table == t.table:
            result = row_type(result.table or "", None)
        elif result.name == t.name == "list":
            result = list_of(union([result.item or ANY, t.item or ANY]))
        else:
            return ANY
    return result or ANY


# ------------------------------------------------------------------------------ signatures

# A parameter spec: a name below, optionally followed by "..." on the last parameter (any number
# of arguments of that kind).
Accept = Callable[[Type], bool]


def _is(*names: str) -> Accept:
    return lambda t: t.name in names


def _list_of(accept_item: Accept) -> Accept:
    return lambda t: t.name == "list" and (t.item is None or is_unknown(t.item) or accept_item(t.item))


def _numbers(t: Type) -> bool:
    return t.name in NUMERIC or (t.name == "list" and (t.item is None or is_unknown(t.item) or _numbers(t.item)))


def _bools(t: Type) -> bool:
    return t.name == "bool" or (t.name == "list" and (t.item is None or is_unknown(t.item) or _bools(t.item)))


def _comparables(t: Type) -> bool:
    return category(t) in ("number", "text", "date") or (
        t.name == "list" and (t.item is None or is_unknown(t.item) or _comparables(t.item)))


PARAMETER_KINDS: dict[str, tuple[str, Accept]] = {
    # spec: (how a message names it, whether a type fits)
    "any": ("a value", lambda t: True),
    "number": ("a number", _is("number", "cell")),
    "text": ("a text", _is("text")),
    "bool": ("true/false", _is("bool")),
    "date": ("a date", _is("date")),
    "cell": ("a table cell", _is("cell", "number")),
    "table": ("a table", _is("table")),
    "list": ("a list", _is("list")),
    "texts": ("a text or a list of texts", lambda t: t.name == "text" or _list_of(_is("text"))(t)),
    "numbers": ("numbers (or lists of them)", _numbers),
    "bools": ("true/false values (or lists of them)", _bools),
    "comparables": ("numbers, texts or dates (or lists of them)", _comparables),
    "scope": ("a scope (\"narrative\", \"all\", \"preface\", a part id or a list of part ids)",
              lambda t: t.name in ("text", "number") or _list_of(_is("number"))(t)),
    "collection": ("a list or a mapping", lambda t: t.name == "list" or t.name in MAPPINGS),
    "sized": ("a text, a list or a mapping", lambda t: t.name in ("text", "list") or t.name in MAPPINGS),
}

RETURN_TYPES: dict[str, Type] = {
    "any": ANY, "number": NUMBER, "text": TEXT, "bool": BOOL, "date": DATE, "list": LIST,
    "list[text]": list_of(TEXT), "list[number]": list_of(NUMBER), "list[evidence]": list_of(EVIDENCE),
    "list[cell_item]": list_of(CELL_ITEM), "part": PART, "evidence": EVIDENCE,
}

Returns = Union[str, Callable[[list[Type]], Type]]


@dataclass(frozen=True)
class Parameter:
    spec: str
    variadic: bool = False

    @property
    def description(self) -> str:
        return PARAMETER_KINDS[self.spec][0]

    def accepts(self, t: Type) -> bool:
        return is_unknown(t) or PARAMETER_KINDS[self.spec][1](t)


def parse_params(specs: Iterable[str]) -> tuple[Parameter, ...]:
    """``("number", "texts...")`` -> Parameters; an unknown spec is a programming error."""
    out = []
    specs = tuple(specs)
    for i, spec in enumerate(specs):
        variadic = spec.endswith("...")
        name = spec[:-3] if variadic else spec
        if name not in PARAMETER_KINDS:
            raise ValueError(f"unknown parameter type {spec!r} (known: {', '.join(sorted(PARAMETER_KINDS))})")
        if variadic and i != len(specs) - 1:
            raise ValueError("only the last parameter can be variadic")
        out.append(Parameter(name, variadic))
    return tuple(out)


def parameter_for(params: tuple[Parameter, ...], index: int) -> Optional[Parameter]:
    if index < len(params):
        return params[index]
    if params and params[-1].variadic:
        return params[-1]
    return None


def return_type(returns: Optional[Returns], args: list[Type]) -> Type:
    if returns is None:
        return ANY
    if callable(returns):
        return returns(args)
    if returns not in RETURN_TYPES:
        raise ValueError(f"unknown return type {returns!r} (known: {', '.join(sorted(RETURN_TYPES))})")
    return RETURN_TYPES[returns]


def check_returns(returns: Optional[Returns]) -> None:
    """Fail early (at registration) for a misspelt return type."""
    if returns is not None and not callable(returns):
        return_type(returns, [])


def elements(t: Type) -> Type:
    """The type of the items of a list (or of the values a variadic function flattens)."""
    while t.name == "list":
        t = t.item or ANY
    return t


def same_as_items(args: list[Type]) -> Type:
    """For min()/max(): the type of the items compared (a cell gives its number)."""
    item = union(elements(a) for a in args)
    return NUMBER if item.name == "cell" else item


def same_as_first(args: list[Type]) -> Type:
    return union(args)


def describe_value(value: Any) -> Type:
    """The type of a constant."""
    from decimal import Decimal
    if value is None:
        return NULL
    if value is True or value is False:
        return BOOL
    if isinstance(value, (int, Decimal)):
        return NUMBER
    if isinstance(value, str):
        return TEXT
    if isinstance(value, tuple):
        return list_of(union(describe_value(v) for v in value))
    return ANY
