"""Plain-text and markdown reports: one Line per line of the file, numbered from 1.

Text extracted from PDF or HTML keeps a table in one of a few shapes, each recognised here:

- cells separated by tabs (``规章\\t0\\t0\\t0``): a row, one fragment per tab field;
- one cell per line ending in " |", with lines of bars between rows (``规章 |`` / ``|||``):
  a row, split on the bars;
- a markdown pipe table (``| 规章 | 0 | | 0 |``): a row whose fields are the real cells of a
  grid, so an empty field is a blank cell (``grid=True``). A table under a ``|---|---|`` rule
  is read as its rule is written, with edge bars or without (``规章 | 0 |  | 0``, where a
  leading bar is an empty first cell: `` | （二）部分公开 | 0``); ``<br>`` inside a cell is a
  line break within it. A row with fewer fields than the rule keeps them: which cell it lost
  cannot be known.

Tab and bar rows are not grids: their empty fields are mostly merged-cell debris. Markdown
markers (#, **) stay in the text; normalisation ignores them when matching.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional, Sequence

from .. import limits
from ..build import make_fragment, make_line
from ..model import Document, Line, LineKind, Source
from . import cjk, embedded
from .gridtext import has_grid, ungrid
from .encoding import decode
from .bounds import check_lines, check_size

# the rule under a header of one cell, as html2text writes it ("---" above "规章| 0| 0| 0")
_LONE_RULE = re.compile(r"^:?-{3,}:?$")
_BARS_ONLY = re.compile(r"^\|[\s|]*$")
_MARKDOWN_RULE = re.compile(r"^\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?$")
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
# a table or picture a converter left out, alone on its line: pandoc's "[TABLE]", a markdown
# image ![alt](src)
_PLACEHOLDER = re.compile(r"^(?:\[(?:table|image|picture|表格|图片|图像|表)\]|!\[([^\]]*)\]\([^)]*\))$", re.IGNORECASE)


def read(name: str, data: bytes) -> Document:
    bounds = limits.current()
    check_size(name, len(data), bounds.bytes_of("text_mb"), "text_mb", "a text report")
    check_lines(name, data.count(b"\n") + 1, bounds.lines)  # before a line is built
    text, encoding = decode(data)
    # split on "\n" only: str.splitlines() would also break on form feeds and other separators
    # and make the line numbers disagree with what an editor shows
    raws = text.split("\n")
    if has_grid(text):
        raws = ungrid(raws)
    tables = _markdown_tables(raws) if "-" in text and "|" in text else {}
    lines: list[Line] = []
    sources = _sources(len(raws))
    # HTML tables in the text (pandoc's markdown): read as tables, and the tags of the lines
    # around them taken off
    html_tables = {first: (last, rows) for first, last, rows in embedded.tables(text)} if "<" in text else {}
    skip_to = 0
    for number, raw in enumerate(raws, start=1):
        if html_tables:
            if number <= skip_to:
                continue
            if number in html_tables:
                skip_to, rows = html_tables[number]
                lines += rows
                continue
            raw = embedded.untagged(raw)
        if tables and (edges := tables.get(number - 1)) is not None:
            line = _read_line(raw, sources[number], edges)
            if line is not None:
                lines.append(line)
        elif "|" in raw or "\t" in raw:
            # a row (or text with a bar or tab in it): the rows of the format's tables recur
            # from report to report of a batch, and what a line's fields are is found once
            shape = _shape_outside_tables(raw)
            if shape is not None:
                lines.append(_build(shape, sources[number]))
        else:
            # a line of running text (most lines): read_line() inlined, half the reading time
            # of a report went into the calls
            stripped = raw.replace("\x0c", " ").strip()
            if stripped:
                where = sources[number]
                if stripped[0] in "[!" and (alt := _picture_alt(stripped)) is not None:
                    lines.append(make_line((make_fragment(alt, where),), "image", where))
                else:
                    lines.append(make_line((make_fragment(stripped, where),), "text", where))
    return Document(source=name, reader="text", lines=tuple(lines), encoding=encoding)


def _is_rule(stripped: str) -> bool:
    return "-" in stripped and "|" in stripped and _MARKDOWN_RULE.match(stripped) is not None


def _markdown_tables(raws: list[str]) -> dict[int, bool]:
    """The lines of markdown tables (the header line above a |---| rule and the rows below
    it, up to a line without a bar), each with whether the table is written with edge bars."""
    tables: dict[int, bool] = {}
    for i, raw in enumerate(raws):
        if "-" not in raw or ("|" not in raw and not (i + 1 < len(raws) and "|" in raws[i + 1])):
            continue  # no rule, without stripping the line: most lines
        stripped = raw.strip()
        if not (_is_rule(stripped) or _LONE_RULE.match(stripped)):
            continue
        edges = stripped.startswith("|")
        if i > 0 and "|" in raws[i - 1]:
            tables[i - 1] = edges
        j = i + 1
        while j < len(raws) and "|" in raws[j] and not _is_rule(raws[j].strip()):
            tables[j] = edges
            j += 1
    return tables


# Source(line=n) at index n, for the first lines of any file: Sources are immutable, so every
# report shares the one for its line N (building a frozen seven-field dataclass per line costs
# more than reading the line; a list index costs less than a cached call)
_SHARED_SOURCES: list[Source] = [Source(line=0)]
_SHARED_LINES = 1 << 16


def _sources(count: int) -> Sequence[Source]:
    """Source(line=n) at index n, for n up to ``count``."""
    shared = _SHARED_SOURCES
    if len(shared) <= count and len(shared) < _SHARED_LINES:
        shared.extend(Source(line=n) for n in range(len(shared), min(count + 1, _SHARED_LINES)))
    if count < len(shared):
        return shared
    return [*shared, *(Source(line=n) for n in range(len(shared), count + 1))]


def _source(number: int) -> Source:
    shared = _sources(min(number, _SHARED_LINES - 1))
    return shared[number] if number < len(shared) else Source(line=number)


def read_line(raw: str, number: int, edges: Optional[bool] = None) -> Optional[Line]:
    """One line of the file as a Line, or None for a line with nothing on it. ``edges`` is set
    for a row of a markdown table: whether the table's rows have edge bars."""
    return _read_line(raw, _source(number), edges)


# what a line is, but its place: its kind, its fields' distinct texts in the order they first
# come, the index of each field's text among them, and whether it is a grid row
_Shape = tuple[LineKind, tuple[str, ...], tuple[int, ...], bool]


def _read_line(raw: str, where: Source, edges: Optional[bool]) -> Optional[Line]:
    shape = _line_shape(raw, edges)
    return None if shape is None else _build(shape, where)


@lru_cache(maxsize=8192)
def _shape_outside_tables(raw: str) -> Optional[_Shape]:
    """_line_shape() of a line outside a markdown table, cached (the rows, "规章\t0\t0\t0",
    "规章 |", recur from report to report of a batch)."""
    return _line_shape(raw, None)


def _line_shape(raw: str, edges: Optional[bool]) -> Optional[_Shape]:
    stripped = raw.replace("\x0c", " ").strip()
    if not stripped:
        return None
    if edges is not None:
        if _is_rule(stripped):
            return None
        if edges:
            stripped = stripped[1 if stripped.startswith("|") else 0:]
            stripped = stripped[:-1] if stripped.endswith("|") else stripped
        return _row_of(stripped, "|", True)
    if "|" not in stripped and stripped[0] in "[!" and (alt := _picture_alt(stripped)) is not None:
        return "image", (alt,), (0,), False
    if "\t" in stripped:
        return _row_of(stripped, "\t", False)
    if "|" in stripped:
        if "-" in stripped and _MARKDOWN_RULE.match(stripped):
            return None  # the |---|---| line under a markdown table header
        # the regex only for a line that can match it: "规章 |" lines are a third of some reports
        if stripped.startswith("|") and _BARS_ONLY.match(stripped):
            return _row_of(stripped, "|", False)
        if stripped.startswith("|") and stripped.endswith("|"):
            return _row_of(stripped[1:-1], "|", True)
        if stripped.endswith("|"):
            return _row_of(stripped[:-1], "|", False)
        if stripped.count("|") > 1:  # a markdown row without edge bars, away from its rule
            return _row_of(stripped, "|", False)
    return "text", (stripped,), (0,), False


def _picture_alt(stripped: str) -> Optional[str]:
    """The text of a line a converter left where it dropped a table or a picture (its alt
    text, or nothing), None for any other line: the table may be there, unread
    (extract.pictured_tables), not missing."""
    picture = _PLACEHOLDER.match(stripped)
    return None if picture is None else picture.group(1) or ""


def _row_of(joined: str, separator: str, grid: bool) -> _Shape:
    return ("row", *_row_shape(joined, separator), grid)


def _build(shape: _Shape, where: Source) -> Line:
    kind, texts, order, grid = shape
    if len(order) == 1:  # running text, one cell a line ("规章 |")
        return make_line((make_fragment(texts[0], where),), kind, where, grid)
    # equal fields of a row share one Fragment (same text, same place; fragments are
    # immutable): half the fields of a table row repeat another ("0"), and each Fragment
    # built costs more than the lookup
    made = [make_fragment(text, where) for text in texts]
    return make_line(tuple(map(made.__getitem__, order)), kind, where, grid)


@lru_cache(maxsize=4096)
def _row_shape(joined: str, separator: str) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """The distinct texts of a row's fields in the order they first come, and for each field
    the index of its text among them. Cached: the rows of the format's tables recur from
    report to report of a batch ("规章\t0\t0\t0"), and a field's text takes a strip or a
    split at its <br>s."""
    texts: dict[str, int] = {}
    order = []
    for field in joined.split(separator):
        text = _field(field) if "<" in field else field.strip()
        index = texts.get(text)
        if index is None:
            index = texts[text] = len(texts)
        order.append(index)
    return tuple(texts), tuple(order)


def _field(text: str) -> str:
    """A field's text; "<br>" (a line break inside a markdown cell) joins its lines."""
    if _BREAK.search(text):
        return cjk.join(_BREAK.split(text))
    return text.strip()
