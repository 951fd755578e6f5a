"""Rule ids and families as users write them (``--select TB,FEE-001``, a profile's ``select``,
``ignore``, ``overrides`` and ``caps``, a configuration file, a waiver's ``rules``), and the check
that each names something the pack has: an unknown one is a mistake (exit 2) with the closest
valid ids suggested, never a silent "0/0 rules".

Patterns: ``TB-010`` an id (or a former id), ``TB`` or ``TB-*`` a family, ``TB-01*`` a prefix."""
from __future__ import annotations

import difflib
import fnmatch
from typing import Iterable, Optional, Sequence


def matches(rule_id: str, pattern: str) -> bool:
    if rule_id == pattern or fnmatch.fnmatchcase(rule_id, pattern):
        return True
    return "-" not in pattern and "*" not in pattern and rule_id.split("-")[0] == pattern


def matches_any(rule_id: str, patterns: Iterable[str]) -> bool:
    return any(matches(rule_id, pattern) for pattern in patterns)


def families(ids: Iterable[str]) -> list[str]:
    return sorted({rule_id.split("-")[0] for rule_id in ids})


def unknown_pattern(pattern: str, known_ids: Sequence[str]) -> Optional[str]:
    """Why ``pattern`` names no rule of the pack (with the closest valid ones), or None."""
    if any(matches(rule_id, pattern) for rule_id in known_ids):
        return None
    is_family = "-" not in pattern or pattern.endswith("-*")
    candidates = families(known_ids) if is_family else list(known_ids)
    probe = pattern.rstrip("*").rstrip("-") if is_family else pattern.rstrip("*")
    close = difflib.get_close_matches(probe, candidates, n=3, cutoff=0.5)
    if not close and not is_family:  # a wrong number in a known family: its ids are the closest
        family = pattern.split("-")[0]
        close = [rule_id for rule_id in known_ids if rule_id.startswith(family + "-")][:3]
    what = "rule family" if is_family else "rule"
    hint = (" - did you mean " + " or ".join(repr(c) for c in close) + "?") if close else \
        f" (families: {', '.join(families(known_ids))})"
    return f"unknown {what} {pattern!r}{hint}"


def unknown_patterns(patterns: Iterable[str], known_ids: Sequence[str]) -> list[tuple[int, str]]:
    """(index, message) for every pattern that names no rule."""
    out = []
    for index, pattern in enumerate(patterns):
        problem = unknown_pattern(pattern, known_ids)
        if problem:
            out.append((index, problem))
    return out
