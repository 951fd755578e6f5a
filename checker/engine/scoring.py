"""Scoring profiles (rules/profiles/*.toml) and the score, grade and coverage of one report."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Optional, Sequence

from ..errors import ConfigError, raise_all
from ..frozen import evolve
from ..memo import by_identity
from .selection import matches_any as _matches_any
from .profiles import (ProfileSource, display_profile, find_profile, read_profile, rule_problems, shipped_profiles,
                       unknown_profile)
from ..results import SEVERITIES, RuleResult, Score

DEFAULT_PROFILE = "default"


@dataclass(frozen=True)
class Cap:
    points: Decimal
    categories: frozenset[str] = frozenset()
    rules: frozenset[str] = frozenset()
    label: str = ""

    def covers(self, result: RuleResult) -> bool:
        return result.rule in self.rules or result.category in self.categories


@dataclass(frozen=True)
class Grade:
    min: Decimal
    label: str
    label_en: str = ""


@dataclass(frozen=True)
class Override:
    severity: Optional[str] = None
    points: Optional[Decimal] = None


# How a profile counts a rule that could not be checked because of the report itself (its
# `unverifiable` key): as failed, at the rule's own points ("failed"); not at all ("none"); or a
# stated number of points per rule.
UNVERIFIABLE_MODES = ("failed", "none")


@dataclass(frozen=True)
class Profile:
    id: str
    name: str
    start: Decimal
    deductions: dict[str, Decimal]
    floor: Decimal = Decimal(0)
    min_coverage: Decimal = Decimal(0)
    unreadable: Optional[Decimal] = None
    caps: tuple[Cap, ...] = ()
    grades: tuple[Grade, ...] = ()
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    overrides: dict[str, Override] = field(default_factory=dict)
    description: str = ""
    path: str = ""
    extends: tuple[str, ...] = ()  # the ids of the profiles it extends, nearest first
    # where its data came from (checker.engine.profiles.ProfileSource), to place errors
    source: Optional[object] = field(default=None, compare=False, repr=False)
    unverifiable: str | Decimal = "failed"

    def takes_part(self, rule_id: str) -> bool:
        if self.select and not _matches_any(rule_id, self.select):
            return False
        return not _matches_any(rule_id, self.ignore)

    def with_selection(self, select: Sequence[str] = (), ignore: Sequence[str] = ()) -> "Profile":
        """The profile narrowed by command-line --select / --ignore."""
        return replace(self, select=tuple(select) or self.select, ignore=self.ignore + tuple(ignore))

    def severity_of(self, rule_id: str, severity: str) -> str:
        override = self.overrides.get(rule_id)
        return override.severity if override and override.severity else severity

    def points_for(self, rule_id: str, severity: str) -> Decimal:
        override = self.overrides.get(rule_id)
        if override and override.points is not None:
            return override.points
        return self.deductions.get(self.severity_of(rule_id, severity), Decimal(0))

    def unverifiable_points(self, rule_id: str, severity: str) -> Optional[Decimal]:
        """What a rule that could not be checked because of the report deducts (None: nothing)."""
        if self.unverifiable == "none":
            return None
        if self.unverifiable == "failed":
            return self.points_for(rule_id, severity)
        return Decimal(self.unverifiable)


def _dec(value: object) -> Decimal:
    return Decimal(str(value))


def load_profile(path: Path | str) -> Profile:
    file = display_profile(Path(path))
    source = read_profile(path)  # with what it extends merged in
    data = source.data
    grades = sorted((Grade(_dec(g["min"]), g["label"], g.get("label_en", "")) for g in data.get("grades", ())),
                    key=lambda g: g.min, reverse=True)
    return Profile(
        id=data["id"], name=data["name"], start=_dec(data["start"]),
        deductions={k: _dec(v) for k, v in data["deductions"].items()},
        floor=_dec(data.get("floor", 0)), min_coverage=_dec(data.get("min_coverage", 0)),
        unreadable=_dec(data["unreadable"]) if "unreadable" in data else None,
        caps=tuple(Cap(points=_dec(c["points"]), categories=frozenset(c.get("categories", ())),
                       rules=frozenset(c.get("rules", ())), label=c.get("label", ""))
                   for c in data.get("caps", ())),
        grades=tuple(grades),
        select=tuple(data.get("select", ())), ignore=tuple(data.get("ignore", ())),
        overrides={k: Override(severity=v.get("severity"),
                               points=_dec(v["points"]) if "points" in v else None)
                   for k, v in data.get("overrides", {}).items()},
        description=data.get("description", "").strip(), path=file, extends=source.extends, source=source,
        unverifiable=_unverifiable(data.get("unverifiable", "failed")),
    )


def _unverifiable(value: object) -> str | Decimal:
    return value if isinstance(value, str) and value in UNVERIFIABLE_MODES else _dec(value)


def available_profiles() -> dict[str, Path]:
    return shipped_profiles()


@lru_cache(maxsize=None)
def get_profile(name_or_path: str = DEFAULT_PROFILE) -> Profile:
    path = find_profile(name_or_path)
    if path is None:
        raise ConfigError(name_or_path, unknown_profile(name_or_path))
    return load_profile(path)


def check_profile_rules(profile: Profile, rule_ids: Iterable[str]) -> None:
    """A profile that overrides, caps, selects or ignores a rule the pack does not have is a
    mistake: every such place is raised, with the closest valid ids."""
    if isinstance(profile.source, ProfileSource):
        raise_all(rule_problems(profile.source, list(rule_ids)))


def score(results: Sequence[RuleResult], profile: Profile, *, unreadable: bool = False
          ) -> tuple[Score, tuple[RuleResult, ...]]:
    """The report's score, and the results with the points each deducted.

    A failed rule deducts its points. A rule that could not be checked because of the report
    itself (cause "report") is counted as the profile says (`unverifiable`). A finding that
    follows from another (``root``) deducts nothing of its own: each root and the findings under
    it deduct once, the most any of them would, under the cap of the one that weighs most
    (docs/scoring.md, "One defect, one deduction")."""
    counts = dict(_NO_COUNTS)
    failures = dict(_NO_FAILURES)
    weights: dict[str, Decimal] = {}
    groups: dict[str, list[RuleResult]] = {}  # the results that would deduct, by their head
    status_of: dict[str, str] = {}
    charged, capped = _charges(profile)
    for result in results:  # one pass: some fifty results a report, each read once
        status, rule = result.status, result.rule
        counts[status] = counts.get(status, 0) + 1
        status_of[rule] = status
        if status == "fail":
            failures[result.severity] = failures.get(result.severity, 0) + 1
        if status == "fail" or status == "not_assessable":  # the others deduct nothing
            key = (rule, result.severity)
            charge = charged.get(key)
            if charge is None:
                charge = charged[key] = _charge(profile, *key)
            weight = charge[0] if status == "fail" else \
                charge[1] if result.cause == "report" and not unreadable else None
            if weight is not None:
                weights[rule] = weight
                groups.setdefault(result.root or rule, []).append(result)
    # a rule with two results (its weight is its last one's, for each) is grouped as every
    # result is, each group's weighted members found as the groups are charged
    exact = len(status_of) == len(results)
    if not exact:
        groups = {}
        for result in results:
            groups.setdefault(result.root or result.rule, []).append(result)
    applicable = len(results) - counts["not_applicable"] - counts.get("waived", 0)  # a waived rule is counted apart
    assessed = counts["pass"] + counts["fail"]
    coverage = (Decimal(assessed) / Decimal(applicable)).quantize(_PER_MILLE) if applicable else Decimal(0)

    charges: dict[str, tuple[Decimal, RuleResult]] = {}  # head -> (points, the result they are counted as)
    for head, members in groups.items():
        if status_of.get(head) == "waived":  # the office accepted the defect: nor do its consequences deduct
            for member in members:
                weights.pop(member.rule, None)
            continue
        weighted = members if exact else [m for m in members if m.rule in weights]
        if weighted:
            carrier = max(weighted, key=lambda m: (weights[m.rule], m.rule == head)) if len(weighted) > 1 else weighted[0]
            charges[head] = (weights[carrier.rule], carrier)

    scored: list[RuleResult] = []
    raw_by_cap: dict[int, Decimal] = {}
    uncapped = Decimal(0)
    per_category: dict[str, Decimal] = {}
    for result in results:
        charge = charges.get(result.rule) if charges and result.root is None else None
        if charge is None:
            points = _ZERO if result.status == "fail" else None
            scored.append(result if result.points == points else evolve(result, points=points))
            continue
        points, carrier = charge
        scored.append(evolve(result, points=points))
        per_category[carrier.category] = per_category.get(carrier.category, Decimal(0)) + points
        key = (carrier.rule, carrier.category)
        cap_index = capped.get(key, _UNKNOWN)
        if cap_index is _UNKNOWN:
            cap_index = capped[key] = next((i for i, cap in enumerate(profile.caps) if cap.covers(carrier)), None)
        if cap_index is None:
            uncapped += points
        else:
            raw_by_cap[cap_index] = raw_by_cap.get(cap_index, Decimal(0)) + points
    total = uncapped + sum((min(raw, profile.caps[i].points) for i, raw in raw_by_cap.items()), Decimal(0))
    if unreadable and profile.unreadable is not None:
        total += profile.unreadable

    value: Optional[Decimal] = max(profile.start - total, profile.floor)
    band: Optional[Grade] = None
    if unreadable and profile.unreadable is None:
        value = None
    elif coverage < profile.min_coverage and not unreadable:
        value = None
    if value is not None:
        band = next((g for g in profile.grades if value >= g.min), None)
    unverifiable = sum(1 for r in results if r.rule in weights and r.status == "not_assessable") if weights else 0
    return Score(profile=profile.id, score=value, grade=band.label if band else None, coverage=coverage,
                 deductions=per_category, counts=counts, failures=failures, unverifiable=unverifiable,
                 grade_en=band.label_en if band else "", profile_title=profile.name), tuple(scored)


_NO_COUNTS = {status: 0 for status in ("pass", "fail", "not_applicable", "not_assessable", "error")}
_NO_FAILURES = {severity: 0 for severity in SEVERITIES}
_PER_MILLE = Decimal("0.001")
_ZERO = Decimal(0)


@by_identity(8)
def _charges(profile: Profile) -> tuple[dict[tuple[str, str], tuple[Decimal, Optional[Decimal]]],
                                         dict[tuple[str, str], Optional[int]]]:
    """What the profile charges the rules a run meets, filled as they are met: by (rule,
    severity) what a failure and what an unverifiable result deduct (_charge), and by (rule,
    category) the index of the cap that covers it (None: no cap). Some ten results a report
    deduct, each asked the profile's overrides, deductions and caps again."""
    return {}, {}


def _charge(profile: Profile, rule: str, severity: str) -> tuple[Decimal, Optional[Decimal]]:
    return profile.points_for(rule, severity), profile.unverifiable_points(rule, severity)


_UNKNOWN = object()
