"""checker.memo.by_identity: a value worked out once per object, never handed to another object."""
from __future__ import annotations

from checker.memo import by_identity


class Spec:
    def __init__(self, name: str) -> None:
        self.name = name

    def __eq__(self, other: object) -> bool:  # equal objects are still different keys
        return isinstance(other, Spec) and other.name == self.name

    __hash__ = object.__hash__


def test_worked_out_once_per_object_and_kept_with_it() -> None:
    calls: list[str] = []

    @by_identity(2)
    def shout(spec: Spec, suffix: str) -> str:
        calls.append(spec.name)
        return spec.name.upper() + suffix

    first, twin = Spec("a"), Spec("a")
    assert shout(first, "!") == "A!" and shout(first, "?") == "A!"  # the first value is kept
    assert shout(twin, "?") == "A?"  # an equal object is another key
    assert calls == ["a", "a"]
    for n in range(5):  # past the limit the kept values are let go, and worked out again
        shout(Spec(str(n)), "")
    assert shout(first, "!") == "A!" and calls.count("a") == 3


def test_a_freed_objects_id_is_not_taken_for_it() -> None:
    @by_identity(100)
    def name_of(spec: Spec) -> str:
        return spec.name

    # the object is kept beside its value: a new object can never get a kept one's id
    values = [name_of(Spec(str(n))) for n in range(50)]
    assert values == [str(n) for n in range(50)]
