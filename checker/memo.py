"""What is worked out once per object that lives for the run (a rule, a table's spec) and asked
for by every report: kept by the object's identity, because hashing a frozen rule or spec hashes
its whole content at every look-up. The object is kept beside its value, so that its id is not
given to another object while the value is kept."""
from __future__ import annotations

from typing import Any, Callable, TypeVar

K = TypeVar("K")
V = TypeVar("V")


def by_identity(limit: int) -> Callable[[Callable[..., V]], Callable[..., V]]:
    """Decorate ``make(key, *rest)``: its value is worked out at the first call for ``key`` (the
    rest of the arguments are then what that key always comes with) and kept, at most ``limit``
    keys at a time."""
    def decorate(make: Callable[..., V]) -> Callable[..., V]:
        known: dict[int, tuple[Any, V]] = {}

        def cached(key: Any, *rest: Any) -> V:
            found = known.get(id(key))
            if found is None or found[0] is not key:
                if len(known) >= limit:
                    known.clear()
                found = known[id(key)] = (key, make(key, *rest))
            return found[1]

        cached.__doc__ = make.__doc__
        cached.__name__ = make.__name__
        return cached
    return decorate
