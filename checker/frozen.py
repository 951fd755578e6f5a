"""A quicker ``__init__`` for the frozen dataclasses made by the thousand while checking (results,
evidence, sentences).

A frozen dataclass's own ``__init__`` sets each field through ``object.__setattr__``, a call per
field: a result of nineteen fields costs more to make than most rules cost to run. ``quick_init``
gives the class an ``__init__`` that fills the instance's ``__dict__`` in one step. Everything
else stays the dataclass's: fields, equality, hashing, repr, ``dataclasses.replace``, and the
refusal to change a field afterwards. It takes the same arguments, positional or by name, with
the same defaults, and refuses the same mistakes with a TypeError. ``evolve`` is
``dataclasses.replace`` for them without going through ``__init__`` again, ``make`` an instance
from all its fields without a call through the class at all."""
from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

T = TypeVar("T")

_fill = object.__setattr__  # the frozen class's own __setattr__ refuses
_new = object.__new__


def quick_init(cls: type[T]) -> type[T]:
    """Decorate a frozen dataclass (put it above ``@dataclass``); one with ``init=False`` fields
    or a ``__post_init__`` keeps the dataclass's own ``__init__``."""
    fields = dataclasses.fields(cls)  # type: ignore[arg-type]
    if any(not f.init for f in fields) or hasattr(cls, "__post_init__"):
        return cls
    names = tuple(f.name for f in fields)
    known = frozenset(names)
    defaults = {f.name: f.default for f in fields if f.default is not dataclasses.MISSING}
    factories = tuple((f.name, f.default_factory) for f in fields
                      if f.default_factory is not dataclasses.MISSING)
    required = known - defaults.keys() - {name for name, _ in factories}
    # the field dictionary starts from the fields in their order, so that every instance's has
    # one order, whichever way it was made (``make`` takes them in order too): Python finds an
    # attribute of an instance at the place it was found last time, when the order is the same
    template = dict.fromkeys(names)
    template.update(defaults)
    fill = _fill

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        if args:
            if len(args) == len(names) and not kwargs:  # every field, in order (a sentence)
                fill(self, "__dict__", dict(zip(names, args)))
                return
            if len(args) > len(names):
                raise TypeError(f"{cls.__name__}() takes {len(names)} arguments, {len(args)} were given")
            given = dict(zip(names, args))
            if kwargs:
                twice = given.keys() & kwargs.keys()
                if twice:
                    raise TypeError(f"{cls.__name__}() got multiple values for {sorted(twice)[0]!r}")
                given.update(kwargs)
        else:
            given = kwargs
        values = template.copy()
        values.update(given)
        for name, factory in factories:
            if name not in given:
                values[name] = factory()
        if len(values) != len(names) or not required.issubset(given):
            unknown = sorted(values.keys() - known)
            if unknown:
                raise TypeError(f"{cls.__name__}() got an unexpected keyword argument {unknown[0]!r}")
            missing = [name for name in names if name in required and name not in given]
            raise TypeError(f"{cls.__name__}() missing required argument{'s' if len(missing) > 1 else ''}: "
                            + ", ".join(repr(name) for name in missing))
        fill(self, "__dict__", values)

    __init__.__qualname__ = f"{cls.__qualname__}.__init__"
    cls.__init__ = __init__  # type: ignore[misc]
    _QUICK[cls] = known
    _MAKING[cls] = ({name: defaults.get(name) for name in names}, required, factories)
    return cls


# the classes quick_init gave an __init__ -> their field names
_QUICK: dict[type, frozenset[str]] = {}
# and -> what make() fills an instance from: every field in order with its default (None for one
# without, or with a factory), the fields without a default, and the default factories
_MAKING: dict[type, tuple[dict[str, Any], frozenset[str], tuple[tuple[str, Any], ...]]] = {}


def evolve(obj: T, **changes: Any) -> T:
    """``dataclasses.replace(obj, **changes)``, for the results rewritten by the dozen per report
    (points, roots, severity): an instance of a quick_init class is copied field dictionary and
    all, without reading each field and passing it back by name."""
    known = _QUICK.get(obj.__class__)
    if known is None:
        return dataclasses.replace(obj, **changes)  # type: ignore[type-var]
    if not known.issuperset(changes):
        unknown = sorted(set(changes) - known)
        raise TypeError(f"{obj.__class__.__name__}() got an unexpected keyword argument {unknown[0]!r}")
    copied = object.__new__(obj.__class__)
    _fill(copied, "__dict__", {**obj.__dict__, **changes})
    return copied


def make(cls: type[T], fields: dict[str, Any]) -> T:
    """An instance of a quick_init class from a dict of its fields by name, the others taking
    their defaults: for the few places that make them by the dozen a report. A call through the
    class costs two to three times as much, by keyword most (the arguments are packed into a
    dict, unpacked into the parameters and gathered again)."""
    template, required, factories = _MAKING[cls]
    values = template.copy()  # the fields in their order, as every instance has them
    values.update(fields)
    if len(values) != len(template) or not fields.keys() >= required:
        unknown, missing = values.keys() - template.keys(), required - fields.keys()
        raise TypeError(f"{cls.__name__}: fields missing {sorted(missing)}, unknown {sorted(unknown)}")
    for name, factory in factories:
        if name not in fields:
            values[name] = factory()
    return filled(cls, values)


def filled(cls: type[T], fields: dict[str, Any]) -> T:
    """An instance of a frozen dataclass whose ``fields`` are all its fields, in their order:
    nothing checked or defaulted (``make`` is the checked way), for the few places that make
    instances by the hundred a report."""
    made = _new(cls)
    _fill(made, "__dict__", fields)
    return made
