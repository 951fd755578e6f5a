"""What checking produces: per rule a result, per report a scorecard.

A finding is a message template plus parameters (pyflakes-style); the text is rendered late
(checker.messages), so JSON carries raw values and messages can be localised."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Literal, Mapping, Optional

from .model import Source

Status = Literal["pass", "fail", "not_applicable", "not_assessable", "error", "waived"]
STATUSES: tuple[str, ...] = ("pass", "fail", "not_applicable", "not_assessable", "error", "waived")
SEVERITIES: tuple[str, ...] = ("critical", "high", "medium", "low", "info")


@dataclass(frozen=True)
class Evidence:
    """What a finding points at: a table cell, a quoted sentence, or a label as written."""

    kind: Literal["cell", "quote", "label", "note"]
    text: str
    where: Optional[Source] = None
    table: Optional[str] = None
    row: Optional[str] = None
    col: Optional[str] = None
    value: Any = None
    cell_kind: Optional[str] = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "text": self.text}
        for name in ("table", "row", "col"):
            if getattr(self, name) is not None:
                out[name] = getattr(self, name)
        if self.kind == "cell":
            out["value"] = self.value
            out["cell_kind"] = self.cell_kind
        if self.where is not None:
            out.update(self.where.as_dict())
        return out


@dataclass(frozen=True)
class Detail:
    """One item of a rule that runs per column, row, block or claim."""

    status: Status
    template: str
    params: Mapping[str, Any]
    evidence: tuple[Evidence, ...] = ()
    item: Optional[str] = None  # e.g. the column key


@dataclass(frozen=True)
class AppliedWaiver:
    """A documented exception (checker.engine.waivers) as results carry it: the rules it waives,
    why, who approved it, until when, and where it is written (``waivers.toml:12``)."""

    rules: tuple[str, ...]
    reason: str
    approved_by: str
    source: str = ""
    expires: Optional[date] = None

    def as_dict(self) -> dict[str, Any]:
        return {"rules": list(self.rules), "reason": self.reason, "approved_by": self.approved_by,
                "source": self.source, "expires": self.expires}


@dataclass(frozen=True)
class RuleResult:
    rule: str
    status: Status
    severity: str
    category: str
    title: str
    template: str
    params: Mapping[str, Any]
    evidence: tuple[Evidence, ...] = ()
    details: tuple[Detail, ...] = ()
    basis: str = ""
    points: Optional[Decimal] = None  # deducted by the profile (set by scoring)
    # status "waived": the waiver, and the status the rule had reached (its evidence is kept)
    waiver: Optional[AppliedWaiver] = None
    waived_status: Optional[str] = None


@dataclass(frozen=True)
class Score:
    profile: str
    score: Optional[Decimal]  # None when coverage is too low to grade
    grade: Optional[str]
    coverage: Decimal  # assessed / applicable, 0..1
    deductions: Mapping[str, Decimal] = field(default_factory=dict)  # per category (capped)
    counts: Mapping[str, int] = field(default_factory=dict)  # per status
    failures: Mapping[str, int] = field(default_factory=dict)  # per severity
    profile_title: str = ""  # the profile's name, as a person reads it


@dataclass(frozen=True)
class ReportResult:
    source: str
    meta: Mapping[str, Any]
    results: tuple[RuleResult, ...]
    score: Optional[Score]
    reader: str = ""
    error: Optional[str] = None  # the file could not be read: the reason
    flags: tuple[str, ...] = ()
    waivers: tuple[AppliedWaiver, ...] = ()  # the waivers applied to this report

    def result(self, rule_id: str) -> Optional[RuleResult]:
        return next((r for r in self.results if r.rule == rule_id), None)
