"""Scoring profiles (rules/profiles/*.toml) and the score, grade and coverage of one report."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Optional, Sequence

from ..errors import ConfigError, raise_all
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


@dataclass(frozen=True)
class Override:
    severity: Optional[str] = None
    points: Optional[Decimal] = None


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


def _dec(value: object) -> Decimal:
    return Decimal(str(value))


def load_profile(path: Path | str) -> Profile:
    file = display_profile(Path(path))
    source = read_profile(path)  # with what it extends merged in
    data = source.data
    grades = sorted((Grade(_dec(g["min"]), g["label"]) for g in data.get("grades", ())),
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
    )


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
    """The report's score, and the results with the points each failure deducted."""
    counts = {status: 0 for status in ("pass", "fail", "not_applicable", "not_assessable", "error")}
    failures = {severity: 0 for severity in SEVERITIES}
    for result in results:
        counts[result.status] = counts.get(result.status, 0) + 1
        if result.status == "fail":
            failures[result.severity] = failures.get(result.severity, 0) + 1
    applicable = len(results) - counts["not_applicable"] - counts.get("waived", 0)  # a waived rule is counted apart
    assessed = counts["pass"] + counts["fail"]
    coverage = (Decimal(assessed) / Decimal(applicable)).quantize(Decimal("0.001")) if applicable else Decimal(0)

    scored: list[RuleResult] = []
    raw_by_cap: dict[int, Decimal] = {}
    uncapped = Decimal(0)
    per_category: dict[str, Decimal] = {}
    for result in results:
        if result.status != "fail":
            scored.append(result)
            continue
        points = profile.points_for(result.rule, result.severity)
        scored.append(replace(result, points=points))
        per_category[result.category] = per_category.get(result.category, Decimal(0)) + points
        cap_index = next((i for i, cap in enumerate(profile.caps) if cap.covers(result)), None)
        if cap_index is None:
            uncapped += points
        else:
            raw_by_cap[cap_index] = raw_by_cap.get(cap_index, Decimal(0)) + points
    total = uncapped + sum((min(raw, profile.caps[i].points) for i, raw in raw_by_cap.items()), Decimal(0))
    if unreadable and profile.unreadable is not None:
        total += profile.unreadable

    value: Optional[Decimal] = max(profile.start - total, profile.floor)
    grade: Optional[str] = None
    if unreadable and profile.unreadable is None:
        value = None
    elif coverage < profile.min_coverage and not unreadable:
        value = None
    if value is not None:
        grade = next((g.label for g in profile.grades if value >= g.min), None)
    return Score(profile=profile.id, score=value, grade=grade, coverage=coverage,
                 deductions=per_category, counts=counts, failures=failures,
                 profile_title=profile.name), tuple(scored)
