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
    close = closest(probe, candidates)
    if not close and not is_family:  # a wrong number in a known family: its ids are the closest
        family = pattern.split("-")[0]
        close = [rule_id for rule_id in known_ids if rule_id.startswith(family + "-")][:3]
    what = "rule family" if is_family else "rule"
    hint = (" - did you mean " + " or ".join(repr(c) for c in close) + "?") if close else \
        f" (families: {', '.join(families(known_ids))})"
    return f"unknown {what} {pattern!r}{hint}"


def closest(word: str, candidates: Sequence[str], n: int = 3) -> list[str]:
    """The candidates nearest to ``word``: fewest edits (a swap of two neighbours is one edit,
    so TB-021 finds TB-012), then the same characters in another order, then similarity."""
    scored = []
    for candidate in candidates:
        distance = _edits(word, candidate)
        if distance <= max(1, len(word) // 2):
            ratio = difflib.SequenceMatcher(None, word, candidate).ratio()
            scored.append(((distance, sorted(word) != sorted(candidate)), -ratio, candidate))
    if not scored:
        return difflib.get_close_matches(word, list(candidates), n=n, cutoff=0.5)
    scored.sort()
    best = scored[0][0]
    return [candidate for key, _, candidate in scored if key == best][:n]


def _edits(a: str, b: str) -> int:
    """Damerau-Levenshtein distance (optimal string alignment)."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, y in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y))
            if i > 1 and j > 1 and x == b[j - 2] and a[i - 2] == y:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[len(b)]


def unknown_patterns(patterns: Iterable[str], known_ids: Sequence[str]) -> list[tuple[int, str]]:
    """(index, message) for every pattern that names no rule."""
    out = []
    for index, pattern in enumerate(patterns):
        problem = unknown_pattern(pattern, known_ids)
        if problem:
            out.append((index, problem))
    return out
