"""Facts a report gives in a small table of its own, read as the sentence they state.

Part 六 often reports the information-processing fee as a table (收费通知件数 | 收费金额（元） over
a row of values) rather than a sentence. Its text rules read sentences, so such a table outside
the three tables of the format is read as one: each heading with its value and the value's unit
("收费通知件数：3件；收费金额：3940元。"). The unit is the one the heading names in brackets
(（元）, （单位：万元）) or by its counting word (件数 → 件, one of the format's count units)."""
from __future__ import annotations

import re
from typing import AbstractSet, Optional, Sequence

from ..model import Cell
from .cells import CellReader
from .lines import TextLine, is_sentence

# a heading longer than this is text, not a column heading
_HEADING = 24
# a unit named in brackets at the end of a heading: （元） (单位：万元) （件）
_BRACKETED = re.compile(r"[（(]\s*(?:单位\s*[：:]\s*)?(?P<unit>[^（()）]{1,4})\s*[)）]\s*$")


def small_tables(lines: Sequence[TextLine], skip: AbstractSet[int], cells: CellReader
                 ) -> tuple[dict[int, str], set[int]]:
    """The sentences of the small tables among the lines not in ``skip``: by the index of the
    table's first line, and the indexes of the lines they take in."""
    statements: dict[int, str] = {}
    taken: set[int] = set()
    is_value = cells.is_value
    for n, line in enumerate(lines):
        if line.index in skip or line.index in taken or line.cells < 2:
            continue
        texts = [t for t in line.shown if t]
        # whether each field is a value is asked first, and a cell built only for a statement:
        # most lines asked about are rows of the format's tables
        if len(texts) == 2 and not is_value(texts[0]) and is_value(texts[1]) and _heading(texts[0]):
            statements[line.index] = _sentence([(texts[0], cells.value_of(texts[1]))], cells)  # type: ignore[list-item]
            taken.add(line.index)
            continue
        # a row of a table ends in a value: asked first
        if is_value(texts[-1]) or any(is_value(t) for t in texts) or not all(_heading(t) for t in texts) \
                or n + 1 >= len(lines):
            continue
        below = lines[n + 1]
        if below.index in skip:
            continue
        row = [t for t in below.shown if t]
        if len(row) != len(texts):
            continue
        if all(is_value(t) for t in row):
            pairs = [(heading, cells.value_of(t)) for heading, t in zip(texts, row)]
        elif not is_value(row[0]) and _heading(row[0]) and all(is_value(t) for t in row[1:]):
            pairs = [(f"{row[0]}{heading}", cells.value_of(t)) for heading, t in zip(texts[1:], row[1:])]
        else:
            continue
        statements[line.index] = _sentence(pairs, cells)  # type: ignore[arg-type]
        taken |= {line.index, below.index}
    return statements, taken


def _heading(text: str) -> bool:
    return len(text) <= _HEADING and not is_sentence(text) and any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _sentence(pairs: Sequence[tuple[str, Cell]], cells: CellReader) -> str:
    return "；".join(_stated(heading, value, cells) for heading, value in pairs) + "。"


def _stated(heading: str, value: Cell, cells: CellReader) -> str:
    """"收费金额（元）" and 1200 as "收费金额：1200元"; a value with no number stays as written."""
    unit = _unit(heading, cells)
    bracket = _BRACKETED.search(heading)
    name = heading[:bracket.start()].rstrip() if bracket else heading
    if value.kind != "number" or unit is None or value.raw.endswith(unit):
        return f"{name}：{value.raw}"
    return f"{name}：{value.raw}{unit}"


def _unit(heading: str, cells: CellReader) -> Optional[str]:
    bracket = _BRACKETED.search(heading)
    if bracket:
        return bracket.group("unit")
    if heading.endswith("数") and len(heading) > 1 and any(heading[-2] == word for word, _ in cells.units):
        return heading[-2]
    return None
