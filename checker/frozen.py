"""A quicker ``__init__`` for the frozen dataclasses made by the thousand while checking (results,
evidence, sentences).

A frozen dataclass's own ``__init__`` sets each field through ``object.__setattr__``, a call per
field: a result of nineteen fields costs more to make than most rules cost to run. ``quick_init``
gives the class an ``__init__`` that fills the instance's ``__dict__`` in one step. Everything
else stays the dataclass's: fields, equality, hashing, repr, ``dataclasses.replace``, and the
refusal to change a field afterwards. It takes the same arguments, positional or by name, with
the same defaults, and refuses the same mistakes with a TypeError."""
from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

T = TypeVar("T")


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
    fill = object.__setattr__

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        if args:
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
        values = {**defaults, **given}
        for name, factory in factories:
            if name not in given:
                values[name] = factory()
        if len(values) != len(names) or not known.issuperset(given):
            unknown = sorted(values.keys() - known)
            if unknown:
                raise TypeError(f"{cls.__name__}() got an unexpected keyword argument {unknown[0]!r}")
            missing = [name for name in names if name not in values]
            raise TypeError(f"{cls.__name__}() missing required argument{'s' if len(missing) > 1 else ''}: "
                            + ", ".join(repr(name) for name in missing))
        fill(self, "__dict__", values)

    __init__.__qualname__ = f"{cls.__qualname__}.__init__"
    cls.__init__ = __init__  # type: ignore[misc]
    return cls
