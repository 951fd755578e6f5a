"""Ruled tables from the straight segments a page draws: segments are snapped and joined into
rules, the rules' crossings give the cells (the smallest rectangle each crossing opens to the
right and below, with rules on its four sides), and cells touching at a corner form a table.

The method and its tolerances are those of pdfplumber's "lines" strategy (after Anssi
Nurminen's thesis and Tabula), which the reader used before it moved to PDFium; indexed here so
that a page of a few hundred rules costs milliseconds."""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import Iterable, Optional, Sequence

from .pdf_engine import Segment

Box = tuple[float, float, float, float]  # x0, top, x1, bottom

SNAP = 3.0  # rules this close (points) across are one rule
JOIN = 3.0  # rule pieces this close along their line are one rule
CROSS = 3.0  # a rule ending this close to another still crosses it
MIN_PIECE = 1.0  # shorter drawn pieces are dots, not rules
MIN_RULE = 3.0  # shorter joined rules are ignored


@dataclass(frozen=True)
class _Rule:
    at: float  # y of a horizontal rule, x of a vertical one
    start: float
    end: float


@dataclass(frozen=True)
class Grid:
    """A ruled table: its cells, and its rows and columns as pdfplumber gives them: every row
    lists, for each distinct cell left edge of the table, the cell starting there in that row
    or None (covered by a merged cell)."""

    cells: tuple[Box, ...]

    @property
    def bbox(self) -> Box:
        return (min(c[0] for c in self.cells), min(c[1] for c in self.cells),
                max(c[2] for c in self.cells), max(c[3] for c in self.cells))

    def rows(self) -> list[tuple[Box, list[Optional[Box]]]]:
        return _lines_of(self.cells, along=0, across=1)

    def columns(self) -> list[tuple[Box, list[Optional[Box]]]]:
        return _lines_of(self.cells, along=1, across=0)


def find_grids(segments: Sequence[Segment]) -> list[Grid]:
    horizontal = _rules([s for s in segments if s.orientation == "h"])
    vertical = _rules([s for s in segments if s.orientation == "v"])
    if len(horizontal) < 2 or len(vertical) < 2:
        return []
    crossings = _crossings(horizontal, vertical)
    cells = _cells(crossings)
    return [Grid(tuple(group)) for group in _tables(cells)]


# --------------------------------------------------------------------------- rules


def _rules(segments: list[Segment]) -> list[_Rule]:
    pieces = [s for s in segments if s.end - s.start >= MIN_PIECE]
    if not pieces:
        return []
    # snap: rules within SNAP across (chained) move to their mean position
    values = sorted({s.at for s in pieces})
    cluster_of: dict[float, int] = {}
    cluster = 0
    for n, value in enumerate(values):
        if n and value > values[n - 1] + SNAP:
            cluster += 1
        cluster_of[value] = cluster
    sums: dict[int, list[float]] = {}
    for s in pieces:
        total = sums.setdefault(cluster_of[s.at], [0.0, 0])
        total[0] += s.at
        total[1] += 1
    mean = {k: total / count for k, (total, count) in sums.items()}
    # join: pieces on one line within JOIN along it become one rule
    by_line: dict[float, list[tuple[float, float]]] = {}
    for s in pieces:
        by_line.setdefault(mean[cluster_of[s.at]], []).append((s.start, s.end))
    rules: list[_Rule] = []
    for at, spans in by_line.items():
        spans.sort()
        start, end = spans[0]
        for s, e in spans[1:]:
            if s <= end + JOIN:
                end = max(end, e)
            else:
                rules.append(_Rule(at, start, end))
                start, end = s, e
        rules.append(_Rule(at, start, end))
    return [r for r in rules if r.end - r.start >= MIN_RULE]


# --------------------------------------------------------------------------- cells

_Point = tuple[float, float]


def _crossings(horizontal: list[_Rule], vertical: list[_Rule]) -> dict[_Point, tuple[set, set]]:
    """Point → (vertical rules, horizontal rules) through it."""
    horizontal = sorted(horizontal, key=lambda r: (r.at, r.start))
    tops = [r.at for r in horizontal]
    out: dict[_Point, tuple[set, set]] = {}
    for v_id, v in enumerate(sorted(vertical, key=lambda r: (r.at, r.start))):
        for h_id in range(bisect_left(tops, v.start - CROSS), bisect_right(tops, v.end + CROSS)):
            h = horizontal[h_id]
            if h.start - CROSS <= v.at <= h.end + CROSS:
                through = out.setdefault((v.at, h.at), (set(), set()))
                through[0].add(v_id)
                through[1].add(h_id)
    return out


def _cells(crossings: dict[_Point, tuple[set, set]]) -> list[Box]:
    """For each crossing, the smallest cell it is the top-left corner of."""
    by_x: dict[float, list[float]] = {}
    by_y: dict[float, list[float]] = {}
    for x, y in crossings:
        by_x.setdefault(x, []).append(y)
        by_y.setdefault(y, []).append(x)
    for ys in by_x.values():
        ys.sort()
    for xs in by_y.values():
        xs.sort()

    def vertical_link(x: float, y0: float, y1: float) -> bool:
        return bool(crossings[(x, y0)][0] & crossings[(x, y1)][0])

    def horizontal_link(y: float, x0: float, x1: float) -> bool:
        return bool(crossings[(x0, y)][1] & crossings[(x1, y)][1])

    cells: list[Box] = []
    for x, y in sorted(crossings):
        ys, xs = by_x[x], by_y[y]
        below = ys[bisect_right(ys, y):]
        right = xs[bisect_right(xs, x):]
        found = None
        for y1 in below:
            if not vertical_link(x, y, y1):
                continue
            for x1 in right:
                if not horizontal_link(y, x, x1):
                    continue
                if (x1, y1) in crossings and vertical_link(x1, y, y1) \
                        and horizontal_link(y1, x, x1):
                    found = (x, y, x1, y1)
                    break
            if found:
                break
        if found:
            cells.append(found)
    return cells


def _tables(cells: list[Box]) -> list[list[Box]]:
    """Cells grouped by shared corners, tables ordered top to bottom, single cells dropped."""
    corner_owner: dict[_Point, int] = {}
    links: list[tuple[int, int]] = []
    for i, (x0, top, x1, bottom) in enumerate(cells):
        for corner in ((x0, top), (x0, bottom), (x1, top), (x1, bottom)):
            other = corner_owner.setdefault(corner, i)
            if other != i:
                links.append((i, other))
    groups = [[cells[i] for i in group] for group in connected(len(cells), links)]
    tables = sorted(groups, key=lambda t: min((c[1], c[0]) for c in t))
    return [t for t in tables if len(t) > 1]


def connected(count: int, links: Iterable[tuple[int, int]]) -> list[list[int]]:
    """The items 0…count-1 in groups joined by the links (union-find), each group in item
    order, the groups in the order of their first items."""
    parent = list(range(count))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b in links:
        parent[root(a)] = root(b)
    groups: dict[int, list[int]] = {}
    for i in range(count):
        groups.setdefault(root(i), []).append(i)
    return list(groups.values())


def _lines_of(cells: Sequence[Box], along: int, across: int) -> list[tuple[Box, list[Optional[Box]]]]:
    positions = sorted({cell[along] for cell in cells})
    groups: dict[float, dict[float, Box]] = {}
    for cell in sorted(cells, key=lambda c: (c[across], c[along])):
        groups.setdefault(cell[across], {})[cell[along]] = cell
    out = []
    for _, members in sorted(groups.items()):
        found = list(members.values())
        bbox = (min(c[0] for c in found), min(c[1] for c in found),
                max(c[2] for c in found), max(c[3] for c in found))
        out.append((bbox, [members.get(p) for p in positions]))
    return out
