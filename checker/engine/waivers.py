"""Waivers: documented exceptions an office accepts for given reports - a known difference of
scope, an agency that really had no 规章 - written in a TOML file::

    [[waiver]]
    rules = ["META-005"]
    files = ["某县/*.pdf"]      # globs relative to the configuration file; or agency = "…", year = 2024
    reason = "落款以图片形式发布"
    approved_by = "市政务公开办"
    expires = 2027-03-31

A waived finding keeps its evidence and its message, but its status is ``waived``: counted apart,
never deducted. Every output lists the waivers applied. A waiver that has expired, or that
waived nothing in a run, is a warning; one naming a rule the pack does not have is an error.

The API, also for the workspace (an evaluator's dismissal is a Waiver)::

    waived = apply_waivers(result, [Waiver(rules=("TB-010",), reason="…", approved_by="…")], profile)

``apply_waivers`` is pure: it returns a new ReportResult, rescored with the profile."""
from __future__ import annotations

import fnmatch
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path, PurePosixPath
from typing import Any, Iterable, Optional, Sequence

from .. import tomlfile
from ..errors import raise_all
from ..results import AppliedWaiver, ReportResult, RuleResult
from ..textnorm import squash
from .runner import UNREADABLE_FLAGS
from .scoring import Profile, score
from .selection import matches_any, unknown_pattern

SCHEMA = "waivers.schema.json"
# what a waiver turns into "waived": a finding against the report (a pass needs no waiver, and an
# error is the checker's own fault)
WAIVABLE = frozenset({"fail", "not_assessable"})


@dataclass(frozen=True)
class Waiver:
    """One documented exception. ``rules`` are ids or families (as for --select); ``files`` are
    globs of report paths relative to ``base``; ``agency`` and ``year`` are compared with the
    report's (from the report, or a manifest). Every selector given must match; a waiver with
    none matches any report it is applied to (an evaluator's dismissal of one report's
    finding). ``expires`` is the last day it applies. ``source`` says where it is written."""

    rules: tuple[str, ...]
    reason: str
    approved_by: str
    files: tuple[str, ...] = ()
    agency: Optional[str] = None
    year: Optional[int] = None
    expires: Optional[date] = None
    base: str = "."
    source: str = ""

    def names(self, rule_id: str) -> bool:
        return matches_any(rule_id, self.rules)

    def expired(self, today: date) -> bool:
        return self.expires is not None and today > self.expires

    def matches(self, report: ReportResult) -> bool:
        if self.agency is not None and squash(str(report.meta.get("agency") or "")) != squash(self.agency):
            return False
        if self.year is not None and report.meta.get("year") != self.year:
            return False
        if self.files:
            relative = _relative_to(report.source, self.base)
            if relative is None or not any(glob_match(relative, pattern) for pattern in self.files):
                return False
        return True

    def applied(self) -> AppliedWaiver:
        return AppliedWaiver(rules=self.rules, reason=self.reason, approved_by=self.approved_by,
                             source=self.source, expires=self.expires)


def _relative_to(source: str, base: str) -> Optional[str]:
    try:
        return PurePosixPath(Path(source).resolve().relative_to(Path(base).resolve()).as_posix()).as_posix()
    except ValueError:
        return None


def glob_match(path: str, pattern: str) -> bool:
    """``pattern`` matches the whole relative path, segment by segment: ``*`` stays within a
    folder, ``**`` spans any number of folders."""
    return _match(PurePosixPath(path).parts, PurePosixPath(pattern).parts)


def _match(parts: Sequence[str], pattern: Sequence[str]) -> bool:
    if not pattern:
        return not parts
    if pattern[0] == "**":
        return any(_match(parts[i:], pattern[1:]) for i in range(len(parts) + 1))
    return bool(parts) and fnmatch.fnmatchcase(parts[0], pattern[0]) and _match(parts[1:], pattern[1:])


def apply_waivers(result: ReportResult, waivers: Sequence[Waiver], profile: Profile, *,
                  today: Optional[date] = None) -> ReportResult:
    """The report's results with the waivers that match it applied, rescored with ``profile``.

    A rule result that failed or could not be assessed, named by a waiver that matches the
    report and has not expired on ``today`` (default: no expiry check), becomes ``waived``: its
    evidence, details and message parameters are kept, ``waiver`` says which waiver and
    ``waived_status`` what it had reached; it deducts nothing and is counted apart from the
    coverage. ``ReportResult.waivers`` lists each waiver applied once. A report that could not
    be read is returned unchanged. Pure: nothing is modified in place."""
    if result.error or not waivers:
        return result
    active = [w for w in waivers if (today is None or not w.expired(today)) and w.matches(result)]
    if not active:
        return result
    applied: dict[str, AppliedWaiver] = {}
    results: list[RuleResult] = []
    for rule_result in result.results:
        waiver = next((w for w in active if rule_result.status in WAIVABLE and w.names(rule_result.rule)), None)
        if waiver is None:
            results.append(rule_result)
            continue
        note = applied.setdefault(waiver.source or f"#{waivers.index(waiver) + 1}", waiver.applied())
        results.append(replace(rule_result, status="waived", waiver=note, waived_status=rule_result.status,
                               points=None))
    if not applied:
        return result
    unreadable = bool(set(result.flags) & UNREADABLE_FLAGS) or "no_report" in result.flags  # as check_report
    card, scored = score(results, profile, unreadable=unreadable)
    return replace(result, results=tuple(scored), score=card, waivers=tuple(applied.values()))


# ------------------------------------------------------------------------------- the file


@dataclass(frozen=True)
class WaiverFile:
    path: str
    waivers: tuple[Waiver, ...]


def load_waivers(path: Path | str, known_ids: Sequence[str], *, base: Optional[Path | str] = None,
                 name: Optional[str] = None) -> WaiverFile:
    """Read a waivers file. File globs are relative to ``base`` (the folder of the configuration
    file that names it; by default the waivers file's own folder). Every problem is raised at
    once: schema errors, an ``expires`` that is not a date, a rule or family the pack does not
    have (with the closest valid ids)."""
    name = name or str(path)
    loaded = tomlfile.load_source(path, name=name)
    problems = tomlfile.Problems(loaded, items_key="waiver")
    problems.errors.extend(tomlfile.schema_problems(loaded, SCHEMA, items_key="waiver"))
    if any(len(e.path) < 2 for e in problems.errors):
        raise_all(problems.errors)  # not a list of [[waiver]] tables: nothing more to say
    folder = str(Path(base) if base is not None else Path(path).parent)
    waivers = []
    for index, item in enumerate(loaded.data["waiver"]):
        at = ("waiver", index)
        rules = item.get("rules") if isinstance(item.get("rules"), list) else []
        for i, pattern in enumerate(rules):
            problem = unknown_pattern(pattern, known_ids) if isinstance(pattern, str) else None
            if problem:
                problems.add(at + ("rules", i), problem, rule=f"#{index + 1}")
        expires = item.get("expires")
        if expires is not None and not _is_date(expires):
            problems.add(at + ("expires",), _not_a_date(expires), rule=f"#{index + 1}")
            expires = None
        if any(e.path[:2] == at for e in problems.errors):
            continue
        where = loaded.source.locate(at)
        waivers.append(Waiver(
            rules=tuple(item["rules"]), reason=item["reason"], approved_by=item["approved_by"],
            files=tuple(item.get("files", ())), agency=item.get("agency"), year=item.get("year"),
            expires=expires, base=folder, source=f"{name}:{where.line}" if where else f"{name}#{index + 1}",
        ))
    raise_all(sorted(problems.errors, key=lambda e: (e.line or 0, e.column or 0)))
    return WaiverFile(path=name, waivers=tuple(waivers))


def _is_date(value: Any) -> bool:
    return isinstance(value, date) and not isinstance(value, datetime)


def _not_a_date(value: Any) -> str:
    if isinstance(value, str):
        return f"expires must be a date written without quotes (expires = {value.strip()}), not the text {value!r}"
    if isinstance(value, datetime):
        return f"expires must be a day (expires = {value.date().isoformat()}), not a date and time"
    return f"expires must be a date such as 2027-03-31, not {value!r}"


def warnings(file: WaiverFile, results: Iterable[ReportResult], today: date) -> list[str]:
    """What is worth a warning after a run: waivers that have expired (and so were not
    applied), and waivers that waived nothing."""
    used = {w.source for result in results for w in result.waivers}
    out = []
    for waiver in file.waivers:
        label = f"{waiver.source}: waiver for {', '.join(waiver.rules)}"
        if waiver.expired(today):
            out.append(f"{label} expired on {waiver.expires.isoformat()} and was not applied"  # type: ignore[union-attr]
                       f" (approved by {waiver.approved_by})")
        elif waiver.source not in used:
            out.append(f"{label} matched no finding of this run")
    return out


__all__ = ["Waiver", "WaiverFile", "apply_waivers", "load_waivers", "warnings", "glob_match", "WAIVABLE"]
