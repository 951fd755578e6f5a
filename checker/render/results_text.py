"""The scorecard an evaluator reads: score, grade and coverage first, then what deducted points,
grouped by category: each failure (and each rule the report kept from being checked) with its
message, legal basis and evidence, and under it the findings that follow from the same cause.
Then what could not be assessed at no charge. Chinese by default, English with lang="en"."""
from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from typing import Any, Iterable, Mapping, Optional, Sequence

from ..messages import (CATEGORY_LABELS, KIND_LABELS, ORIGIN_LABELS, SEVERITY_LABELS, STATUS_LABELS, caused_note,
                        cause_note, caused_lines, clip, detail_message, evidence_text, label, result_message,
                        shown_evidence, title_of)
from ..results import Evidence, ReportResult, RuleResult, Score
from .provenance import waived_lines

CATEGORY_ORDER = ("structure", "metadata", "tables", "consistency", "fee", "timeliness", "quality", "duplication")

__all__ = ["evidence_line", "clip", "percent", "header_lines", "counts_line", "report_text", "reports_text", "scored_findings",
           "unassessed_results"]


def evidence_line(item: Evidence, lang: str = "zh") -> str:
    return evidence_text(item, lang, clip_at=90)


def percent(value: Optional[Decimal]) -> str:
    if value is None:
        return "—"
    return f"{(value * 100).quantize(Decimal('0.1'))}%"


def points_text(value: Optional[Decimal]) -> str:
    if not value:
        return ""
    return f" −{value.normalize():f}"


def facts_origin(meta: Mapping[str, Any], lang: str = "zh") -> str:
    """Which facts came from outside the report's text, and from where: "机关、年度据清单"."""
    names = {"agency": label("agency", lang), "agency_kind": label("kind", lang), "year": label("year", lang),
             "published": label("published", lang)}
    by_origin: dict[str, list[str]] = {}
    for name, origin in (meta.get("sources") or {}).items():
        if origin != "report" and name in names and meta.get(name) is not None:
            by_origin.setdefault(origin, []).append(names[name])
    sep = label("list_sep", lang)
    if lang == "zh":
        return "；".join(f"{sep.join(found)}据{ORIGIN_LABELS[lang][origin]}" for origin, found in by_origin.items())
    return "; ".join(f"{sep.join(found)} from {ORIGIN_LABELS[lang][origin]}" for origin, found in by_origin.items())


def header_lines(report: ReportResult, lang: str = "zh") -> list[str]:
    """Who, what year, when (and where those facts came from); then the score with its coverage
    beside it."""
    colon = label("colon", lang)
    lines = [f"{label('report', lang)}{colon}{report.source}"]
    if report.error:
        lines.append(f"{label('cannot_check', lang)}{colon}{report.error}")
        return lines
    meta = report.meta
    unknown = label("unknown", lang)
    kind = KIND_LABELS[lang].get(meta.get("agency_kind") or "", label("kind_unknown", lang))
    published = meta.get("published")
    open_, close = ("（", "）") if lang == "zh" else (" (", ")")
    origins = facts_origin(meta, lang)
    lines.append(f"{label('agency', lang)}{colon}{meta.get('agency') or unknown}{open_}{kind}{close}  "
                 f"{label('year', lang)}{colon}{meta.get('year') or unknown}  "
                 f"{label('published', lang)}{colon}{published.isoformat() if published else unknown}"
                 + (f"  {open_}{origins}{close}" if origins else ""))
    card = report.score
    if card is not None:
        score = label("unscored", lang) if card.score is None else f"{card.score.normalize():f}"
        counts = card.counts
        applicable = sum(counts.values()) - counts.get("not_applicable", 0) - counts.get("waived", 0)
        assessed = counts.get("pass", 0) + counts.get("fail", 0)
        lines.append(f"{label('score', lang)}{colon}{score}  {label('grade', lang)}{colon}{card.grade_in(lang) or '—'}  "
                     f"{label('coverage', lang)}{colon}{percent(card.coverage)}{open_}"
                     f"{label('assessed', lang, assessed=assessed, applicable=applicable)}{close}  "
                     f"{label('profile', lang)}{colon}{card.profile_title or card.profile}")
        lines.append(counts_line(card, lang))
    return lines


def counts_line(card: Score, lang: str = "zh") -> str:
    """How many rules failed (per severity), passed, could not be assessed, did not apply, erred
    or were waived: said once for each set of counts a run meets (a batch's reports share a few
    hundred)."""
    return _counts_said(lang, tuple(card.counts.items()), tuple(card.failures.items()), card.unverifiable)


@lru_cache(maxsize=4096)
def _counts_said(lang: str, counted: tuple[tuple[str, int], ...], failed: tuple[tuple[str, int], ...],
                 unverifiable: int) -> str:
    counts = dict(counted)
    open_, close = ("（", "）") if lang == "zh" else (" (", ")")
    sev = label("list_sep", lang).join(f"{SEVERITY_LABELS[lang][s]}{'' if lang == 'zh' else ' '}{n}"
                                       for s, n in failed if n)
    return (label("counts", lang, fail=counts.get("fail", 0), severities=f"{open_}{sev}{close}" if sev else "",
                  pass_=counts.get("pass", 0), na=counts.get("not_assessable", 0),
                  charged=label("charged", lang, n=unverifiable) if unverifiable else "",
                  skipped=counts.get("not_applicable", 0))
            + (label("errors", lang, n=counts["error"]) if counts.get("error") else "")
            + (label("waived", lang, n=counts["waived"]) if counts.get("waived") else ""))


def scored_findings(report: ReportResult) -> list[RuleResult]:
    """What the reader must see first: failures and the rules the report kept from being checked
    that deducted points, each once (findings that follow from another are shown under it)."""
    return sorted_out(report.results).scored


def unassessed_results(report: ReportResult) -> list[RuleResult]:
    """Rules that could not judge at no charge (the checker's or the user's doing), and errors."""
    return sorted_out(report.results).unassessed


class SortedResults:
    """A report's results sorted out in one pass: the findings shown first (scored_findings),
    those that could not be assessed at no charge (unassessed_results), the rules that passed
    and those that did not apply, and the findings that follow from another by rule id."""

    __slots__ = ("scored", "unassessed", "passed", "skipped", "children")

    def __init__(self) -> None:
        self.scored: list[RuleResult] = []
        self.unassessed: list[RuleResult] = []
        self.passed: list[RuleResult] = []
        self.skipped: list[RuleResult] = []
        self.children: dict[str, RuleResult] = {}


def sorted_out(results: Sequence[RuleResult]) -> SortedResults:
    into = SortedResults()
    scored, unassessed, passed, skipped, children = (into.scored, into.unassessed, into.passed, into.skipped,
                                                     into.children)
    for r in results:
        status = r.status
        if status == "pass":
            passed.append(r)
        elif status == "not_applicable":
            skipped.append(r)
        if r.root is not None:
            children[r.rule] = r
        elif status == "fail":
            scored.append(r)
        elif status == "not_assessable":
            (unassessed if r.points is None else scored).append(r)
        elif status == "error":
            unassessed.append(r)
    return into


def by_category(results: Iterable[RuleResult]) -> list[tuple[str, list[RuleResult]]]:
    groups: dict[str, list[RuleResult]] = {}
    for result in results:
        groups.setdefault(result.category, []).append(result)
    order = sorted(groups, key=lambda c: CATEGORY_ORDER.index(c) if c in CATEGORY_ORDER else 99)
    return [(c, groups[c]) for c in order]


def result_lines(result: RuleResult, messages_en: Mapping[str, str], lang: str, children: Mapping[str, RuleResult],
                 max_evidence: int = 4, max_details: int = 8) -> list[str]:
    sev = SEVERITY_LABELS[lang][result.severity]
    mark = "✗" if result.status == "fail" else "?"
    lines = [f"  {mark} {result.rule} [{sev}] {title_of(result, lang)}{points_text(result.points)}"]
    evidence_word = label("evidence", lang) + label("colon", lang)
    failing = [d for d in result.details if d.status == "fail"]
    if failing:
        for detail in failing[:max_details]:
            lines.append(f"    - {detail_message(detail, lang, messages_en.get(result.rule, ''))}")
            for item in shown_evidence(detail.evidence):
                lines.append(f"      {evidence_word}{evidence_line(item, lang)}")
        if len(failing) > max_details:
            lines.append("    " + label("more_items", lang, n=len(failing) - max_details))
    else:
        lines.append(f"    {result_message(result, lang, messages_en.get(result.rule, ''))}")
        for item in result.evidence[:max_evidence]:
            lines.append(f"    {evidence_word}{evidence_line(item, lang)}")
        if len(result.evidence) > max_evidence:
            lines.append("    " + label("more_evidence", lang, n=len(result.evidence) - max_evidence))
    note = cause_note(result, lang)
    if note:
        lines.append(f"    {note}")
    lines.append(f"    {label('basis', lang)}{label('colon', lang)}{result.basis}")
    if result.caused:
        lines.append(f"    {caused_note(result, lang)}")
        lines.extend(f"      ↳ {line}" for line in caused_lines(result, children, lang))
    return lines


def report_text(report: ReportResult, lang: str = "zh", messages_en: Optional[Mapping[str, str]] = None,
                verbose: bool = False) -> str:
    messages_en = messages_en or {}
    lines = header_lines(report, lang)
    if report.error:
        return "\n".join(lines)
    children = {r.rule: r for r in report.results if r.root is not None}
    for category, results in by_category(scored_findings(report)):
        lines.append("")
        lines.append(f"【{CATEGORY_LABELS[lang].get(category, category)}】")
        for result in results:
            lines.extend(result_lines(result, messages_en, lang, children))
    others = unassessed_results(report)
    if others:
        lines.append("")
        lines.append(f"【{label('unassessed', lang)}】")
        for result in others:
            status = STATUS_LABELS[lang][result.status]
            note = cause_note(result, lang)
            lines.append(f"  ? {result.rule} {title_of(result, lang)}{label('colon', lang)}{status}"
                         f"{label('colon', lang)}{result_message(result, lang)}"
                         + (f"（{note}）" if note and lang == "zh" else f" ({note})" if note else ""))
    lines.extend(waived_lines(report, lang))
    if verbose:
        passed = [r.rule for r in report.results if r.status == "pass"]
        skipped = [r.rule for r in report.results if r.status == "not_applicable"]
        lines.append("")
        lines.append(label("passed", lang) + label("colon", lang) + (" ".join(passed) or "—"))
        lines.append(label("skipped", lang) + label("colon", lang) + (" ".join(skipped) or "—"))
    return "\n".join(lines)


def reports_text(reports: Iterable[ReportResult], lang: str = "zh", messages_en: Optional[Mapping[str, str]] = None,
                 verbose: bool = False) -> str:
    return "\n\n".join(report_text(r, lang, messages_en, verbose) for r in reports)
