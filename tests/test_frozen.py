"""quick_init (checker.frozen) makes the same objects as the dataclass's own __init__, and refuses
the same mistakes."""
from __future__ import annotations

import copy
import dataclasses
import pickle
from dataclasses import dataclass, field

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.frozen import evolve, filled, make, quick_init


@dataclass(frozen=True)
class Plain:
    a: str
    b: int
    c: tuple[int, ...] = ()
    d: dict = field(default_factory=dict)
    e: object = None


Quick = quick_init(dataclass(frozen=True)(type("Quick", (), {
    "__annotations__": dict(Plain.__annotations__), "c": (), "d": field(default_factory=dict), "e": None})))

NAMES = ("a", "b", "c", "d", "e")
values = {"a": st.text(max_size=3), "b": st.integers(), "c": st.tuples(st.integers()),
          "d": st.dictionaries(st.text(max_size=2), st.integers(), max_size=2), "e": st.none() | st.integers()}


def _outcome(cls, args, kwargs):
    try:
        made = cls(*args, **kwargs)
    except TypeError:
        return "TypeError"
    return tuple(getattr(made, name) for name in NAMES)


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 6), st.sets(st.sampled_from(NAMES + ("z",))), st.data())
def test_quick_init_agrees_with_the_dataclass_init(positional, named, data):
    args = [data.draw(values[name]) for name in NAMES[:min(positional, 5)]] + [0] * max(0, positional - 5)
    kwargs = {name: data.draw(values.get(name, st.integers())) for name in named}
    assert _outcome(Quick, args, kwargs) == _outcome(Plain, args, kwargs)


def test_a_quick_dataclass_stays_a_frozen_dataclass():
    made = Quick("x", 1)
    assert made == Quick(a="x", b=1) and made != Quick("x", 2)
    assert made.d == {} and made.d is not Quick("x", 1).d  # a factory per instance
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.a = "y"  # type: ignore[misc]
    assert dataclasses.replace(made, b=2) == Quick("x", 2)
    assert pickle.loads(pickle.dumps(made)) == made == copy.deepcopy(made)
    assert repr(made) == "Quick(a='x', b=1, c=(), d={}, e=None)"


@settings(max_examples=100, deadline=None)
@given(st.sets(st.sampled_from(NAMES + ("z",))), st.data())
def test_evolve_agrees_with_dataclasses_replace(changed, data):
    changes = {name: data.draw(values.get(name, st.integers())) for name in changed}
    made = Quick("x", 1, (2,), {"k": 3})
    try:
        expected = dataclasses.replace(made, **changes)
    except TypeError:
        with pytest.raises(TypeError):
            evolve(made, **changes)
        return
    evolved = evolve(made, **changes)
    assert evolved == expected and type(evolved) is Quick and repr(evolved) == repr(expected)
    assert made == Quick("x", 1, (2,), {"k": 3})  # the original is left as it was
    with pytest.raises(dataclasses.FrozenInstanceError):
        evolved.a = "y"  # type: ignore[misc]


def test_evolve_of_another_dataclass_is_dataclasses_replace():
    assert evolve(Plain("x", 1), b=2) == Plain("x", 2)


def test_a_class_with_a_post_init_keeps_its_own_init():
    @dataclass(frozen=True)
    class Checked:
        a: int

        def __post_init__(self) -> None:
            if self.a < 0:
                raise ValueError("negative")

    assert quick_init(Checked).__init__ is Checked.__init__
    with pytest.raises(ValueError):
        Checked(-1)


def test_make_is_the_class_called_with_every_field():
    made = make(Quick, {"a": "x", "b": 1, "c": (2,), "d": {}, "e": None})
    assert made == Quick("x", 1, (2,)) and type(made) is Quick
    assert pickle.loads(pickle.dumps(made)) == made
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.a = "y"  # type: ignore[misc]


@given(st.fixed_dictionaries({name: values[name] for name in NAMES}))
def test_filled_with_every_field_in_order_is_the_class_called_with_them(fields):
    made = filled(Quick, {name: fields[name] for name in NAMES})  # all of them, in order
    assert made == Quick(**fields) and type(made) is Quick and tuple(vars(made)) == NAMES


@given(st.fixed_dictionaries({"a": values["a"], "b": values["b"]},
                              optional={name: values[name] for name in ("c", "d", "e")}))
def test_make_with_some_fields_is_the_class_called_by_keyword(fields):
    made = make(Quick, dict(fields))
    assert made == Quick(**fields) and tuple(vars(made)) == NAMES


def test_make_gives_each_instance_its_own_default_of_a_factory():
    first, second = make(Quick, {"a": "x", "b": 1}), make(Quick, {"a": "x", "b": 1})
    assert first.d == {} and first.d is not second.d


@pytest.mark.parametrize("fields", [{"b": 1, "c": (), "d": {}, "e": None},  # a (required) left out
                                    {"a": "x", "b": 1, "c": (), "d": {}, "e": None, "z": 0}])
def test_make_refuses_a_required_field_left_out_or_an_unknown_one(fields):
    with pytest.raises(TypeError, match="Quick"):
        make(Quick, fields)


def test_every_instance_keeps_its_fields_in_one_order():
    made = [Quick("x", 1), Quick(e=None, b=1, a="x"), Quick("x", e=2, b=1), Quick("x", 1, (), {}, None),
            make(Quick, {"a": "x", "b": 1, "c": (), "d": {}, "e": None})]
    assert {tuple(vars(m)) for m in made} == {NAMES}
