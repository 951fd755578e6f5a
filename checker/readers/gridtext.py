"""Tables drawn as grids in text: box-drawing characters (w3m and lynx dumps, terminal tools)
or ASCII rules (``+-----+-----+``, pandoc's grid tables, database clients).

Such a grid is turned into what the text reader already reads: a row of boxes becomes one line
of cells between bars (``|规章|0|0|0|``). A cell that wraps over several lines of its box is
joined back into one text: between two rules, the consecutive lines that are cut into the same
number of cells are one row. That is how a label wrapped over three lines, with the values on
its middle line (a vertically centred cell), comes back as one row with its values. The rules
become empty lines, so every line keeps its number."""
from __future__ import annotations

import re
from . import cjk

# the box-drawing block: the vertical lines separate cells, everything else is a rule
_VERTICALS = "│┃┆┇┊┋╎╏║"
_BOX = re.compile(r"[\u2500-\u257f]")  # what a line of a grid is tested for
_RULE_RUN = re.compile(r"[\u2500-\u257f]+")
_VERTICAL_TO_BAR = {ord(c): "|" for c in _VERTICALS}
# an ASCII rule: +----+----+ (pandoc writes = and : in its header rule)
_ASCII_RULE = re.compile(r"^\s*\+(?:[-=:]+\+)+\s*$")
_EMPTY_CELLS = re.compile(r"^[\s|]*$")


def has_grid(text: str) -> bool:
    """Whether the text may hold a drawn grid: its vertical line in the light, heavy or double
    style, or an ASCII rule. A few one-character scans: every report is tested and few have a
    grid, and a regex over the box-drawing block cost ten times as much."""
    return "│" in text or "┃" in text or "║" in text or ("+" in text and "+-" in text)


def ungrid(raws: list[str]) -> list[str]:
    """The lines with each drawn grid turned into bar-separated rows, one line a row."""
    lines: list[str] = []
    in_grid: list[bool] = []  # a row line of a grid (rules are empty lines, not rows)
    ruled = False  # within an ASCII grid: after a rule, up to a line that is no row of it
    for raw in raws:
        if _ASCII_RULE.match(raw):
            lines.append("")
            in_grid.append(False)
            ruled = True
            continue
        if _BOX.search(raw) is not None and any(c in raw for c in _VERTICALS):
            line = _RULE_RUN.sub("|", raw.translate(_VERTICAL_TO_BAR))
            row = not _EMPTY_CELLS.match(line)
            lines.append(line if row else "")
            in_grid.append(row)
            continue
        if _BOX.search(raw) is not None and _EMPTY_CELLS.match(_RULE_RUN.sub("", raw)):
            lines.append("")  # a rule drawn in boxes
            in_grid.append(False)
            continue
        ruled = ruled and raw.strip().startswith("|")
        lines.append(raw)
        in_grid.append(ruled)
    i = 0
    while i < len(lines):
        if not in_grid[i]:
            i += 1
            continue
        count = lines[i].count("|")
        j = i + 1
        while j < len(lines) and in_grid[j] and lines[j].count("|") == count:
            j += 1
        if j - i > 1:
            lines[i] = _merged(lines[i:j])
            for k in range(i + 1, j):
                lines[k] = ""
        i = j
    return lines


def _merged(lines: list[str]) -> str:
    """One row from the lines of a row of boxes: each cell's pieces joined, top to bottom."""
    columns = [line.split("|") for line in lines]
    cells = [cjk.join(column[n] for column in columns) for n in range(len(columns[0]))]
    return "|".join(cells)
