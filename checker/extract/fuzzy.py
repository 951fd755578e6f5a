"""How far a label or heading as written is from a wording of the format: an edit distance over
normalised text, bounded so that it stays cheap.

A typo in a report is a substituted, dropped, doubled or transposed character (其它 for 其他,
"行政处法", "属于家国秘密"): each counts 1 (optimal string alignment distance). Only short
texts are compared (a label, a heading), and only the few that no wording names exactly, so a
plain dynamic programme over characters, cut off once it exceeds its limit, is fast enough."""
from __future__ import annotations

from typing import Optional


def allowed(size: int) -> int:
    """How many typos a wording of ``size`` characters may carry and still be recognised by its
    wording alone: one in a short label, two in a longer one. (Position can identify more: a
    row between two recognised rows, a heading with its own ordinal.)"""
    return 1 if size <= 5 else 2


def distance(a: str, b: str, limit: int) -> int:
    """The optimal string alignment distance of ``a`` and ``b``, or ``limit + 1`` when it is
    more than ``limit``."""
    if a == b:
        return 0
    n, m = len(a), len(b)
    if abs(n - m) > limit:
        return limit + 1
    if not n or not m:
        return max(n, m)
    # one row of the programme at a time, its neighbours in locals: a label against a long
    # wording is a thousand cells, and each min() or index would cost a call or a lookup
    before: Optional[list[int]] = None  # the row above the previous one (for a transposition)
    previous = list(range(m + 1))
    above: Optional[str] = None  # a[i - 2]; None before the second character
    for i, ai in enumerate(a, 1):
        row = [i]
        append = row.append
        left, diag = i, i - 1
        prior: Optional[str] = None  # b[j - 1], the character of b before bj
        for j, bj in enumerate(b):
            up = previous[j + 1]
            best = diag if ai == bj else diag + 1
            if up + 1 < best:
                best = up + 1
            if left + 1 < best:
                best = left + 1
            if ai == prior and above == bj and before is not None and before[j - 1] + 1 < best:
                best = before[j - 1] + 1
            append(best)
            left, diag, prior = best, up, bj
        if min(row) > limit:
            return limit + 1
        before, previous, above = previous, row, ai
    return min(previous[m], limit + 1)


def prefix_distance(a: str, b: str, limit: int) -> int:
    """The distance of ``a`` to the closest *beginning* of ``b`` (the head of a label that a
    line break cut), or ``limit + 1``."""
    if not a:
        return 0
    best = limit + 1
    for end in range(max(0, len(a) - limit), min(len(b), len(a) + limit) + 1):
        best = min(best, distance(a, b[:end], limit))
        if best == 0:
            break
    return best


def find(pattern: str, text: str, limit: int) -> Optional[tuple[int, int, int]]:
    """The best approximate occurrence of ``pattern`` inside ``text``: (distance, start, end),
    the earliest of the closest (extended as far as it stays as close); None when every occurrence is more than ``limit`` away.
    (Sellers' algorithm: an edit distance whose start in ``text`` is free.)"""
    if not pattern:
        return None
    m = len(pattern)
    # column over the pattern for each end position in text: (cost, start)
    column = [(i, 0) for i in range(m + 1)]
    best: Optional[tuple[int, int, int]] = None
    if m <= limit:
        best = (m, 0, 0)
    for j, ch in enumerate(text, start=1):
        fresh = [(0, j)]
        for i in range(1, m + 1):
            cost = 0 if pattern[i - 1] == ch else 1
            options = ((column[i - 1][0] + cost, column[i - 1][1]),  # match / substitute
                       (column[i][0] + 1, column[i][1]),  # a character of text too many
                       (fresh[i - 1][0] + 1, fresh[i - 1][1]))  # a character of pattern missing
            fresh.append(min(options))
        column = fresh
        cost, start = column[m]
        if cost <= limit and (best is None or cost < best[0] or (cost, start) == best[:2]):
            best = (cost, start, j)
    return best
