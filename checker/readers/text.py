"""Plain-text and markdown reports: one Line per line of the file, numbered from 1.

Text extracted from PDF or HTML keeps a table in one of a few shapes, each recognised here:

- cells separated by tabs (``规章\\t0\\t0\\t0``): a row, one fragment per tab field;
- one cell per line ending in " |", with lines of bars between rows (``规章 |`` / ``|||``):
  a row, split on the bars;
- a markdown pipe table (``| 规章 | 0 | | 0 |``): a row whose fields are the real cells of a
  grid, so an empty field is a blank cell (``grid=True``).

Tab and bar rows are not grids: their empty fields are mostly merged-cell debris. Markdown
markers (#, **) stay in the text; normalisation ignores them when matching.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional

from ..model import Document, Fragment, Line, Source
from .encoding import decode

_BARS_ONLY = re.compile(r"^\|[\s|]*$")
_MARKDOWN_RULE = re.compile(r"^\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?$")


def read(name: str, data: bytes) -> Document:
    text, encoding = decode(data)
    # split on "\n" only: str.splitlines() would also break on form feeds and other separators
    # and make the line numbers disagree with what an editor shows
    lines = tuple(line for number, raw in enumerate(text.split("\n"), start=1)
                  if (line := read_line(raw, number)) is not None)
    return Document(source=name, reader="text", lines=lines, encoding=encoding)


@lru_cache(maxsize=1 << 16)
def _source(number: int) -> Source:
    # Sources are immutable, so every report can share the one for its line N: building a
    # frozen seven-field dataclass per line costs more than reading the line
    return Source(line=number)


def read_line(raw: str, number: int) -> Optional[Line]:
    """One line of the file as a Line, or None for a line with nothing on it."""
    stripped = raw.replace("\x0c", " ").strip()
    if not stripped:
        return None
    where = _source(number)
    if "\t" in stripped:
        return _row(stripped.split("\t"), where, grid=False)
    if "|" in stripped:
        if _MARKDOWN_RULE.match(stripped) and "-" in stripped:
            return None  # the |---|---| line under a markdown table header
        if _BARS_ONLY.match(stripped):
            return _row(stripped.split("|"), where, grid=False)
        if stripped.startswith("|") and stripped.endswith("|"):
            return _row(stripped[1:-1].split("|"), where, grid=True)
        if stripped.endswith("|"):
            return _row(stripped[:-1].split("|"), where, grid=False)
    return Line(fragments=(Fragment(stripped, where),), kind="text", where=where)


def _row(fields: list[str], where: Source, grid: bool) -> Line:
    fragments = tuple(Fragment(field.strip(), where) for field in fields)
    return Line(fragments=fragments, kind="row", where=where, grid=grid)
