"""Rules × report → results. Each rule ends as pass, fail, not_applicable, not_assessable or
error; a rule that crashes is the checker's error, never the report's failure."""
from __future__ import annotations

import traceback
from dataclasses import MISSING, dataclass, fields, replace
from typing import Any, Optional, Sequence

from .. import limits
from .budget import RuleTimeout, shared_budget, within
from .context import CURRENT, ReportView
from .evaluation import RuleRun
from .expr import EvalError, ExprError, Missing
from ..formats import FormatSpec
from ..frozen import evolve, filled, make
from ..memo import by_identity
from .kinds import KINDS, Outcome
from ..model import Report
from ..results import Absence, Evidence, ReportResult, RuleResult
from .inputs import UNKNOWN, absence, absences_of, cause_of, keys_of_expr
from .roots import link_roots, reported
from .pack import Rule, RulePack
from .scoring import Profile, score
from .vocabulary import headings

# Report flags that mean its content could not be read at all: every rule is not assessable.
UNREADABLE_FLAGS = frozenset({"no_text_layer"})


@dataclass(frozen=True)
class Comparison:
    """What a report is checked against besides itself."""

    previous: Optional[Report] = None
    peers: tuple[Report, ...] = ()


def run_rule(rule: Rule, view: ReportView) -> RuleResult:
    view.quoted.clear()
    token = CURRENT.set(view)
    try:
        outcome = within(limits.current().rule_seconds, _judged, rule, view)
    except RuleTimeout:
        outcome = Outcome(status="error", params={"error": _over_budget()})
    except Missing as missing:
        reason = str(missing)
        cell = missing.cell
        evidence = (view.cell_evidence(cell),) if cell is not None else tuple(view.evidence)
        absences = absences_of(missing, view, rule)
        outcome = Outcome(status=rule.on_missing, params={"reason": reason}, evidence=evidence, missing=absences)
    except (EvalError, ExprError) as exc:
        outcome = _error(exc)
    except Exception as exc:  # a bug in a kind or function: the checker's error, not the report's
        outcome = _error(exc, with_trace=True)
    else:
        if outcome.status == "fail" and not outcome.evidence and not any(d.evidence for d in outcome.details):
            # nothing specific to quote: show what the checker did read, the headings it found
            outcome = evolve(outcome, evidence=tuple(headings()))
    finally:
        CURRENT.reset(token)
    status = outcome.status
    if status == "fail":
        template = rule.message
    elif status == "pass":
        template = rule.pass_message
    elif status == "error":
        template = "规则执行出错：{error}"
    else:
        template = ""
    missing = outcome.missing
    if outcome.status == "not_assessable" and not missing:
        missing = tuple(dict.fromkeys(a for d in outcome.details for a in d.missing)) or (UNKNOWN,)
    cause = None
    if outcome.status == "error":
        cause = "checker"
    elif missing and outcome.status in ("not_assessable", "fail"):
        cause = cause_of(missing)
    values = _result_base(rule).copy()
    values.update(status=outcome.status, template=template, params=outcome.params, evidence=outcome.evidence,
                  details=outcome.details, cause=cause, missing=missing if cause else (), reports=outcome.reports)
    return filled(RuleResult, values)


_RESULT_DEFAULTS = {f.name: f.default if f.default is not MISSING else None for f in fields(RuleResult)}
if any(f.default_factory is not MISSING for f in fields(RuleResult)):  # pragma: no cover - a shared base
    raise TypeError("a RuleResult field with a default factory cannot come from a base shared by results")


@by_identity(4096)
def _result_base(rule: Rule) -> dict[str, Any]:
    """Every field of the rule's results in order, the rule's own and the defaults: a result is
    a copy with what the run decided, made without checking the same names fifty times a
    report."""
    return {**_RESULT_DEFAULTS, "rule": rule.id, "severity": rule.severity, "category": rule.category,
            "title": rule.title, "basis": rule.basis, "title_en": rule.title_en}


def _over_budget() -> str:
    seconds = limits.current().rule_seconds
    return (f"the rule ran longer than its time budget ({seconds:g} s of processor time, set by "
            f"{limits.variable('rule_seconds')})")


def _error(exc: BaseException, with_trace: bool = False) -> Outcome:
    params: dict[str, Any] = {"error": f"{type(exc).__name__}: {exc}"}
    if with_trace:
        params["trace"] = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    return Outcome(status="error", params=params)


SCANNED = Absence(key="document", state="scan", cause="report", label="报告全文", within="document")


def _judged(rule: Rule, view: ReportView) -> Outcome:
    """The rule's outcome, with the inputs a failure reports absent (checker.engine.roots)."""
    run = RuleRun(rule, view)
    outcome = _outcome(rule, run)
    if outcome.status == "fail" and not outcome.reports:
        outcome = evolve(outcome, reports=reported(rule, run))
    return outcome


def _outcome(rule: Rule, run: RuleRun) -> Outcome:
    view = run.view
    if not UNREADABLE_FLAGS.isdisjoint(view.report.flags):
        note = Evidence(kind="note", text="；".join(view.report.notes) or "报告内容无法读取")
        return Outcome(status="not_assessable", params={"reason": "unreadable"}, evidence=(note,),
                       missing=(SCANNED,))
    for need in rule.needs:
        if run.evaluate(need) is None:
            absences = tuple(a for k in keys_of_expr(need, view.fmt)
                             if (a := absence(view, k, view.fmt)).state != "present") or (UNKNOWN,)
            return Outcome(status="not_assessable", params={"reason": f"{need.source} is absent"},
                           evidence=tuple(view.evidence), missing=absences)
    if rule.applies is not None and not run.evaluate(rule.applies):
        return make(Outcome, {"status": "not_applicable", "evidence": tuple(view.quoted)})
    view.quoted.clear()
    return KINDS[rule.kind].run(rule, run)


def make_view(report: Report, fmt: FormatSpec, comparison: Comparison = Comparison()) -> ReportView:
    previous = ReportView(comparison.previous, fmt, prefix="previous.") if comparison.previous is not None else None
    peers = tuple(ReportView(p, fmt) for p in comparison.peers)
    return ReportView(report, fmt, previous=previous, peers=peers)


def check_report(report: Report, pack: RulePack, profile: Profile,
                 comparison: Comparison = Comparison(), rules: Optional[Sequence[Rule]] = None
                 ) -> ReportResult:
    view = make_view(report, pack.fmt, comparison)
    selected = rules if rules is not None else _selection(pack, profile)
    with shared_budget(limits.current().rule_seconds):
        judged = [run_rule(rule, view) for rule in selected]
    if profile.overrides:  # a profile that changes no severity leaves every result as it is
        judged = [_with_profile_severity(result, profile) for result in judged]
    results = link_roots(judged, pack.fmt)
    unreadable = bool(report.flags & UNREADABLE_FLAGS) or "no_report" in report.flags
    card, scored = score(results, profile, unreadable=unreadable)
    return ReportResult(source=report.source, meta=meta_dict(report), results=scored, score=card,
                        reader=report.reader, flags=tuple(sorted(report.flags)))


# (pack, profile) by identity -> the rules the profile takes from the pack: worked out once per
# run, not once per report (both are frozen; each is kept here so its id is not reused)
_SELECTED: dict[tuple[int, int], tuple[RulePack, Profile, tuple[Rule, ...]]] = {}


def _selection(pack: RulePack, profile: Profile) -> tuple[Rule, ...]:
    known = _SELECTED.get((id(pack), id(profile)))
    if known is None or known[0] is not pack or known[1] is not profile:
        if len(_SELECTED) >= 8:
            _SELECTED.clear()
        known = (pack, profile, tuple(r for r in pack.rules if r.enabled and profile.takes_part(r.id)))
        _SELECTED[(id(pack), id(profile))] = known
    return known[2]


def _with_profile_severity(result: RuleResult, profile: Profile) -> RuleResult:
    severity = profile.severity_of(result.rule, result.severity)
    return result if severity == result.severity else evolve(result, severity=severity)


def meta_dict(report: Report) -> dict[str, Any]:
    meta = report.meta
    return {
        "title": meta.title, "agency": meta.agency, "agency_kind": meta.agency_kind, "year": meta.year,
        "published": meta.published, "period_start": meta.period_start, "period_end": meta.period_end,
        "signature_agency": meta.signature_agency, "sources": dict(meta.sources),
    }


def error_result(source: str, reason: str, profile: Profile, reader: str = "",
                 detail: Optional[str] = None) -> ReportResult:
    """A file that could not be read: an entry of its own, with the reason, so a batch goes on.
    ``detail``: the checker failed on the file (what went wrong, for JSON); the report is then
    not scored at all, whatever the profile charges an unreadable report: the fault is ours."""
    card, _ = score([], profile, unreadable=True)
    if detail is not None:
        card = replace(card, score=None, grade=None, grade_en="")
    return ReportResult(source=source, meta={}, results=(), score=card, reader=reader, error=reason,
                        error_detail=detail)
