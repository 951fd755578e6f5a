"""A regular expression made quicker to search by a look-ahead on the characters a match can
start with.

Python's regular-expression engine skips ahead quickly only when a pattern begins with a plain
character or character class. A rule's alternation such as ``[XＸ]{2,}|此处填写|某某[县市区局]``
does not, so each search tries every alternative at every position of the text. When the parse
tree says which characters every match must begin with, ``(?=[those])`` in front lets all
other positions fail at once - the same matches, several times faster.

The look-ahead is zero-width and non-capturing: spans, groups and group numbers are unchanged.
Anything the analysis does not understand (flags, classes by category, negated sets, patterns
that can match the empty string) leaves the pattern as it was."""
from __future__ import annotations

import re

try:  # the standard library's parser (named sre_parse before Python 3.11)
    from re import _constants as _c, _parser as _p  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _p  # type: ignore[no-redef]

Ranges = list[tuple[int, int]]

# the analysis gives up on a pattern with a class wider than this (nothing to gain)
_MAX_RANGES = 64
# what an alternative may begin with for the look-ahead to pay (see _worth_it): a class, a
# repeat, or a group or alternation of its own (``(?:未|没有)收取...``: the engine's prefix
# search takes an alternative that begins with a plain character only)
_SLOW_STARTS = (_c.IN, _c.MAX_REPEAT, _c.MIN_REPEAT, _c.BRANCH, _c.SUBPATTERN)


class _Unknown(Exception):
    pass


def guarded(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """``pattern``, or an equivalent one that fails quickly where no match can start."""
    if not isinstance(pattern.pattern, str) or pattern.flags & ~re.UNICODE:
        return pattern
    try:
        parsed = _p.parse(pattern.pattern)
        if parsed.state.flags & ~re.UNICODE or not _worth_it(list(parsed.data)):
            return pattern
        ranges = _first(list(parsed.data))
    except (_Unknown, RecursionError, re.error, AttributeError, TypeError, ValueError):
        return pattern
    if not ranges or len(ranges) > _MAX_RANGES:
        return pattern
    look = "(?=[" + "".join(_member(lo, hi) for lo, hi in sorted(set(ranges))) + "])"
    try:
        return re.compile(f"{look}(?:{pattern.pattern})")
    except re.error:  # pragma: no cover - the pattern compiled on its own
        return pattern


def _worth_it(items: list) -> bool:
    """Whether the pattern is an alternation with an alternative that begins with a class, a
    repeat or a group: the engine skips ahead by itself for a pattern that begins with a
    character or a class (re._compiler's prefixes), and tries an alternative that begins with a
    character cheaply; measured, the look-ahead pays off only for the rest."""
    while items and items[0][0] is _c.SUBPATTERN:
        items = list(items[0][1][3].data)
    if not items or items[0][0] is not _c.BRANCH:
        return False
    return any(alt.data and alt.data[0][0] in _SLOW_STARTS for alt in items[0][1][1])


def _member(lo: int, hi: int) -> str:
    return f"\\U{lo:08x}" if lo == hi else f"\\U{lo:08x}-\\U{hi:08x}"


def _first(items: list) -> Ranges:
    """The characters a match of this sequence can begin with; _Unknown when it cannot say
    (an anchor, a look-around, a class by category...) or when the sequence can match without
    consuming a character."""
    if not items:
        raise _Unknown()
    op, av = items[0]
    if op is _c.LITERAL:
        return [(av, av)]
    if op is _c.IN:
        return _in(av)
    if op is _c.SUBPATTERN:
        _group, add_flags, del_flags, sub = av
        if add_flags or del_flags:
            raise _Unknown()
        return _first(list(sub.data))
    if op is _c.BRANCH:
        ranges: Ranges = []
        for alternative in av[1]:
            ranges += _first(list(alternative.data))
        return ranges
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)):
        low, _high, sub = av
        if low < 1:
            raise _Unknown()
        return _first(list(sub.data))
    if op is getattr(_c, "ATOMIC_GROUP", None):
        return _first(list(av.data))
    raise _Unknown()


def _in(items: list) -> Ranges:
    ranges: Ranges = []
    for op, av in items:
        if op is _c.LITERAL:
            ranges.append((av, av))
        elif op is _c.RANGE:
            ranges.append(av)
        else:  # NEGATE, CATEGORY (\d, \s...), anything else
            raise _Unknown()
    return ranges
