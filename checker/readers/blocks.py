"""What the HTML and Word readers find in a document body, in order — paragraphs and table
rows — and how those become numbered Document lines."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Union

from ..model import Fragment, Line, Source


@dataclass(frozen=True)
class TextBlock:
    text: str


@dataclass(frozen=True)
class RowBlock:
    table: int
    row: int
    fragments: tuple[Fragment, ...]  # the cells starting in this row, Source(table, row, col)


@dataclass(frozen=True)
class ImageBlock:
    """A picture in the body (a table or a chart pasted as an image); ``alt`` its text, if any."""

    alt: str = ""


Block = Union[TextBlock, RowBlock, ImageBlock]


def to_lines(blocks: Iterable[Block]) -> tuple[Line, ...]:
    """Number the blocks 1, 2, … (the ``line`` of their Source) and make them Lines."""
    lines: list[Line] = []
    for n, block in enumerate(blocks, start=1):
        if isinstance(block, TextBlock):
            where = Source(line=n)
            lines.append(Line((Fragment(block.text, where),), "text", where))
        elif isinstance(block, ImageBlock):
            where = Source(line=n)
            lines.append(Line((Fragment(block.alt, where),), "image", where))
        else:
            lines.append(Line(block.fragments, "row",
                              Source(line=n, table=block.table, row=block.row), grid=True))
    return tuple(lines)
