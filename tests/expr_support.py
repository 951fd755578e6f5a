"""Expressions drawn for the property tests of the expression language: each test chooses its
atoms and the shapes that combine them; the recursion that nests them is the same."""
from __future__ import annotations

from typing import Callable, Sequence

from hypothesis import strategies as st

# a shape: given draw and the strategy of the expressions one level down, the expression's text
Shape = Callable[..., str]


def expressions(atoms: Sequence[str], shapes: Sequence[Shape], depth: int = 3) -> st.SearchStrategy[str]:
    """Expressions nested up to ``depth`` levels, a quarter of them an atom at each level."""
    @st.composite
    def drawn(draw, level: int = 0) -> str:
        if level >= depth or draw(st.integers(0, 3)) == 0:
            return draw(st.sampled_from(atoms))
        return draw(st.sampled_from(shapes))(draw, drawn(level + 1))
    return drawn()


def unary(template: str) -> Shape:
    return lambda draw, inner: template.format(draw(inner))


def binary(operators: Sequence[str]) -> Shape:
    return lambda draw, inner: f"({draw(inner)}) {draw(st.sampled_from(operators))} ({draw(inner)})"


def call(functions: Sequence[str]) -> Shape:
    def shape(draw, inner) -> str:
        args = draw(st.lists(inner, min_size=1, max_size=2))
        return f"{draw(st.sampled_from(functions))}({', '.join(args)})"
    return shape


def pair(draw, inner) -> str:
    return f"[{draw(inner)}, {draw(inner)}]"


NEGATE = unary("-({})")
NOT = unary("not ({})")
ARITHMETIC = binary("+-*/")
BOOLEAN = binary(["and", "or"])
