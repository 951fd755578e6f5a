"""What checking produces: per rule a result, per report a scorecard.

A finding is a message template plus parameters (pyflakes-style); the text is rendered late
(checker.messages), so JSON carries raw values and messages can be localised."""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from decimal import Decimal
from typing import Any, Literal, Mapping, Optional

from .frozen import filled, quick_init
from .model import Source

Status = Literal["pass", "fail", "not_applicable", "not_assessable", "error", "waived"]
STATUSES: tuple[str, ...] = ("pass", "fail", "not_applicable", "not_assessable", "error", "waived")
SEVERITIES: tuple[str, ...] = ("critical", "high", "medium", "low", "info")
# Whose doing it is that a rule could not judge: the report's (it lacks or hides what the rule
# needs), the checker's (a reader limit, a rule that crashed) or the user's (an input given
# beside the report, such as last year's report, lacks it). Only the report's is charged.
Cause = Literal["report", "checker", "user"]
CAUSES: tuple[str, ...] = ("report", "checker", "user")


@quick_init
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
    # which side of a comparison this is: "this_year" / "last_year" (a cross-year rule), "text" /
    # "table" (a sentence against a cell), "fact" (a fact of the report's identity)
    role: Optional[str] = None
    # where a fact came from: "report", "page", "manifest" or "option" (Meta.sources)
    origin: Optional[str] = None
    # the file of another report the evidence is from (last year's report)
    file: Optional[str] = None
    # the person's name of the cell (row and column label), for renderers without the format
    label: Optional[str] = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "text": self.text}
        # each field by name, not by getattr in a loop: a batch writes some 30 items a report
        if self.table is not None:
            out["table"] = self.table
        if self.row is not None:
            out["row"] = self.row
        if self.col is not None:
            out["col"] = self.col
        if self.role is not None:
            out["role"] = self.role
        if self.origin is not None:
            out["origin"] = self.origin
        if self.file is not None:
            out["file"] = self.file
        if self.label is not None:
            out["label"] = self.label
        if self.kind == "cell":
            out["value"] = self.value
            out["cell_kind"] = self.cell_kind
        if self.where is not None:
            # nested: a reader's position (table index, grid row and column) must not overwrite
            # the format's keys of the same names
            out["where"] = self.where.as_dict()
        return out


def quote(text: str, where: Optional[Source]) -> Evidence:
    """``Evidence(kind="quote", text=text, where=where)``: sentences and lines are quoted by the
    dozen a report, made here without a call by keyword."""
    values = _QUOTE.copy()
    values["text"] = text
    values["where"] = where
    return filled(Evidence, values)


# a quote's fields in their order, the text and place left to fill
_QUOTE = {f.name: f.default for f in fields(Evidence)}
_QUOTE["kind"] = "quote"


@quick_init
@dataclass(frozen=True)
class Absence:
    """An input a rule needed and did not get, named by its key (checker.engine.inputs):
    "part:6", "table:applications", "row:applications/3.7", "cell:applications/3.7/total",
    "meta:published"; an input of last year's report starts with "previous.". ``state`` says
    what is wrong with it (absent, blank, not_applicable, text, lost, unplaced, picture, scan,
    unclassified, unknown), ``cause`` whose doing that is."""

    key: str
    state: str
    cause: Cause
    label: str = ""  # how a person names it: 收到和处理政府信息公开申请情况表「（七）总计·总计」
    file: str = ""  # the other report's file, for an input of last year's report
    # the widest input holding this one that the report lacks too: a cell of a table published as
    # a picture is within "table:…", a cell of an absent row within "row:…" (itself when none is)
    within: str = ""

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"key": self.key, "state": self.state, "cause": self.cause, "label": self.label}
        if self.file:
            out["file"] = self.file
        if self.within and self.within != self.key:
            out["within"] = self.within
        return out


@quick_init
@dataclass(frozen=True)
class Detail:
    """One item of a rule that runs per column, row, block or claim."""

    status: Status
    template: str
    params: Mapping[str, Any]
    evidence: tuple[Evidence, ...] = ()
    item: Optional[str] = None  # e.g. the column key
    missing: tuple[Absence, ...] = ()  # why the item could not be judged


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


@quick_init
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
    title_en: str = ""
    # why the rule could not judge (not_assessable, error) or failed for want of an input
    cause: Optional[Cause] = None
    missing: tuple[Absence, ...] = ()
    # the inputs whose absence this failure reports (TB-001: "table:applications")
    reports: tuple[str, ...] = ()
    # the finding this one follows from (its root cause), and the findings that follow from
    # this one: one defect, one deduction (docs/scoring.md)
    root: Optional[str] = None
    caused: tuple[str, ...] = ()
    # status "waived": the waiver, and the status the rule had reached (its evidence is kept)
    waiver: Optional[AppliedWaiver] = None
    waived_status: Optional[str] = None


@quick_init
@dataclass(frozen=True)
class Score:
    profile: str
    score: Optional[Decimal]  # None when coverage is too low to grade
    grade: Optional[str]
    coverage: Decimal  # assessed / applicable, 0..1
    deductions: Mapping[str, Decimal] = field(default_factory=dict)  # per category (capped)
    counts: Mapping[str, int] = field(default_factory=dict)  # per status
    failures: Mapping[str, int] = field(default_factory=dict)  # per severity
    unverifiable: int = 0  # not assessable because of the report, counted as failed (无法核验)
    grade_en: str = ""  # the grade's label in English, when the profile gives one
    profile_title: str = ""  # the profile's name, as a person reads it

    def grade_in(self, lang: str) -> Optional[str]:
        return self.grade_en if lang == "en" and self.grade_en and self.grade else self.grade


@quick_init
@dataclass(frozen=True)
class ReportResult:
    source: str
    meta: Mapping[str, Any]
    results: tuple[RuleResult, ...]
    score: Optional[Score]
    reader: str = ""
    error: Optional[str] = None  # the file could not be read: the reason, in words a person uses
    flags: tuple[str, ...] = ()
    waivers: tuple[AppliedWaiver, ...] = ()  # the waivers applied to this report
    # the checker's own failure on the file (an exception's class and message): JSON keeps it,
    # the outputs for people show only ``error``
    error_detail: Optional[str] = None

    def result(self, rule_id: str) -> Optional[RuleResult]:
        return next((r for r in self.results if r.rule == rule_id), None)
