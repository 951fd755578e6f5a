"""What a regular expression's parse tree tells before it is run over a text, so that a rule
runs the engine only where it can match.

``needs(pattern)``: texts of which every match contains at least one, group by group (for
``收取[^。；;]{0,20}处理费``: 收取, and 处理费). A text without one of a group cannot hold a match,
and a substring test (a fast search in C) says so for a fraction of what the engine spends
trying a pattern without a plain prefix at every position of the text.

``context_free(pattern)``: whether a match depends only on the characters it consumes - no
anchor (^, $, \\A), no negative look-around, no atomic group or possessive repeat. Such a
pattern matches a sentence exactly where it matches the sentence inside a longer text, so the
sentences of a scope joined by newlines are searched in one pass from one hit to the next
(checker.engine.context.ScopeText.sentences_searched) instead of one search a sentence.

Anything the analysis does not understand (flags, classes by category) makes no claim: no
needs, not context-free."""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Optional

try:  # the standard library's parser (named sre_parse before Python 3.11)
    from re import _constants as _c, _parser as _p  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _p  # type: ignore[no-redef]

Needs = tuple[tuple[str, ...], ...]

# a class of more characters than this makes no useful need (a test per character)
_MOST_CHARACTERS = 6
# the groups kept for a pattern: the most selective ones
_MOST_GROUPS = 2
_REPEATS = (_c.MAX_REPEAT, _c.MIN_REPEAT)
# what makes a match depend on the text around it (or commits to a first way of matching, which
# more text after a sentence can change)
_CONTEXTUAL = {_c.AT, _c.ASSERT_NOT, _c.GROUPREF_EXISTS} | {
    op for op in (getattr(_c, "ATOMIC_GROUP", None), getattr(_c, "POSSESSIVE_REPEAT", None)) if op is not None}


def _parsed(pattern: re.Pattern[str]) -> Optional[Any]:
    if not isinstance(pattern.pattern, str) or pattern.flags & ~re.UNICODE:
        return None
    try:
        parsed = _p.parse(pattern.pattern)
    except (re.error, RecursionError):  # pragma: no cover - the pattern compiled
        return None
    return None if parsed.state.flags & ~re.UNICODE else parsed


@lru_cache(maxsize=1024)
def needs(pattern: re.Pattern[str]) -> Needs:
    """Groups of texts, each group with one of its texts in every match (none: nothing known)."""
    parsed = _parsed(pattern)
    if parsed is None:
        return ()
    try:
        groups = _sequence(list(parsed.data))
    except RecursionError:  # pragma: no cover - a pattern nested past the parser's own depth
        return ()
    return tuple(tuple(sorted(_shortest(g))) for g in sorted(set(groups), key=_selectivity)[:_MOST_GROUPS])


def _shortest(group: frozenset[str]) -> frozenset[str]:
    """The group without a text that holds another of its texts (均在 beside 均)."""
    return frozenset(t for t in group if not any(o != t and o in t for o in group))


def absent(needed: Needs, text: str) -> bool:
    """Whether ``text`` lacks every text of one of the groups: then no match is in it."""
    for group in needed:
        for piece in group:
            if piece in text:
                break
        else:
            return True
    return False


def _selectivity(group: frozenset[str]) -> tuple[int, int, tuple[str, ...]]:
    """Fewer texts, then longer ones, first (the order is total: the same needs every run)."""
    return len(group), -min(map(len, group)), tuple(sorted(group))


def _sequence(items: list[Any]) -> list[frozenset[str]]:
    """The groups a sequence of items needs: each item's, and each run of plain characters whole."""
    groups: list[frozenset[str]] = []
    run: list[str] = []
    for op, av in items:
        if op is _c.LITERAL:
            run.append(chr(av))
            continue
        if run:
            groups.append(frozenset({"".join(run)}))
            run = []
        groups.extend(_item(op, av))
    if run:
        groups.append(frozenset({"".join(run)}))
    return groups


def _item(op: Any, av: Any) -> list[frozenset[str]]:
    if op is _c.SUBPATTERN:
        _group, add_flags, del_flags, sub = av
        return [] if add_flags or del_flags else _sequence(list(sub.data))
    if op is _c.BRANCH:
        union: set[str] = set()
        for alternative in av[1]:
            groups = _sequence(list(alternative.data))
            if not groups:  # an alternative that needs nothing: the branch needs nothing
                return []
            union |= min(groups, key=_selectivity)
        return [frozenset(union)]
    if op in _REPEATS:
        low, _high, sub = av
        return _sequence(list(sub.data)) if low >= 1 else []
    if op is _c.IN:
        characters = set()
        for member, value in av:
            if member is not _c.LITERAL:  # a range, a negation, a category: too many to test
                return []
            characters.add(chr(value))
        return [frozenset(characters)] if len(characters) <= _MOST_CHARACTERS else []
    return []  # any character, a look-around (what it reads need not be consumed), an anchor...


@lru_cache(maxsize=1024)
def context_free(pattern: re.Pattern[str]) -> bool:
    """Whether a match depends only on the characters it consumes (see the module)."""
    parsed = _parsed(pattern)
    if parsed is None:
        return False
    try:
        return not _contextual(list(parsed.data))
    except RecursionError:  # pragma: no cover
        return False


def _contextual(items: list[Any]) -> bool:
    for op, av in items:
        if op in _CONTEXTUAL:
            return True
        if op is _c.SUBPATTERN:
            _group, add_flags, del_flags, sub = av
            if add_flags or del_flags or _contextual(list(sub.data)):
                return True
        elif op is _c.BRANCH:
            if any(_contextual(list(alternative.data)) for alternative in av[1]):
                return True
        elif op in _REPEATS:
            if _contextual(list(av[2].data)):
                return True
        elif op is _c.ASSERT:
            direction, sub = av
            if _contextual(list(sub.data)):
                return True
        elif op is _c.IN:
            if any(member is _c.CATEGORY and value in (_c.CATEGORY_LINEBREAK, _c.CATEGORY_NOT_LINEBREAK)
                   for member, value in av):  # pragma: no cover - the parser never makes these
                return True
    return False
