"""Regular expressions in rules, held to what Python's backtracking engine does in bounded
time.

A repetition nested in a repetition (``(a+)+``, ``(\\s*\\d)*``) or a backreference can take
exponential time on some text. The rules need lookarounds (``(?<![\\d.])``), which no
linear-time engine (RE2) has, and RE2 reads ``\\d`` and ``\\w`` as ASCII only, which would change
what a pattern finds in Chinese text; so patterns stay with Python's engine and these constructs
are refused when a rule is loaded (and when ``matches()`` gets a pattern at run time). What
slips through (a polynomial blow-up such as ``.*a.*a.*a.*b``) is stopped by the rule's time
budget, which interrupts a match (checker.engine.budget)."""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Optional

try:  # Python 3.11+
    from re import _constants as _sre, _parser as _sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _sre  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]

# a bounded repetition of a variable piece may branch this many ways before it is refused
_MOST_PATHS = 10_000
_REPEATS = {_sre.MAX_REPEAT, _sre.MIN_REPEAT}
_POSSESSIVE = {getattr(_sre, "POSSESSIVE_REPEAT", None)} - {None}
_BACKREFERENCES = {getattr(_sre, name) for name in ("GROUPREF", "GROUPREF_EXISTS", "GROUPREF_IGNORE",
                                                    "GROUPREF_LOC_IGNORE", "GROUPREF_UNI_IGNORE")
                   if hasattr(_sre, name)}


class UnsafePattern(re.error):
    """A pattern that can take exponential time; the message says why and what to write."""


@lru_cache(maxsize=512)
def safe_regex(pattern: str) -> re.Pattern[str]:
    """``re.compile(pattern)``, refusing the constructs that make backtracking explode (raises
    re.error, or UnsafePattern which is one)."""
    compiled = re.compile(pattern)
    problem = _pattern_problem(_sre_parse.parse(pattern))
    if problem:
        raise UnsafePattern(problem)
    return compiled


def _pattern_problem(items: Any) -> Optional[str]:
    for op, av in items:
        if op in _BACKREFERENCES:
            return ("a backreference or a conditional group (\\1, (?P=name), (?(1)...)) can take "
                    "exponential time on some text")
        if op in _REPEATS or op in _POSSESSIVE:
            low, high, body = av
            if op in _REPEATS and high > 1 and _repeats_variably(body, high):
                return ("a repetition inside a repetition, such as (a+)+ or (\\s*x)*, can take exponential "
                        "time on some text: let only the outer or the inner part repeat")
            found = _pattern_problem(body)
        elif op == _sre.SUBPATTERN:
            found = _pattern_problem(av[-1])
        elif op == _sre.BRANCH:
            found = next((p for p in map(_pattern_problem, av[1]) if p), None)
        elif op in (_sre.ASSERT, _sre.ASSERT_NOT):
            found = _pattern_problem(av[1])
        elif op == getattr(_sre, "ATOMIC_GROUP", None):
            found = _pattern_problem(av)
        else:
            found = None
        if found:
            return found
    return None


def _repeats_variably(body: Any, outer_most: int) -> bool:
    """Whether ``body``, repeated up to ``outer_most`` times, holds a repetition of a varying
    count that makes the ways to match too many (any, when either is unbounded)."""
    for op, av in body:
        if op in _REPEATS:
            low, high, inner = av
            if high > low and (high == _sre.MAXREPEAT or outer_most == _sre.MAXREPEAT
                               or (high - low + 1) ** min(outer_most, 64) > _MOST_PATHS):
                return True
            if _repeats_variably(inner, outer_most):
                return True
        elif op == _sre.SUBPATTERN:
            if _repeats_variably(av[-1], outer_most):
                return True
        elif op == _sre.BRANCH:
            if any(_repeats_variably(branch, outer_most) for branch in av[1]):
                return True
    return False
