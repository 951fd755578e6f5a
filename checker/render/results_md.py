"""The scorecard as Markdown (for issue trackers, e-mail, or conversion to Word).

Report text and file names are untrusted: every value goes through ``md()`` (render/mdtext.py).
The page itself uses no raw HTML."""
from __future__ import annotations

from typing import Iterable, Mapping, Optional

from ..messages import (CATEGORY_LABELS, SEVERITY_LABELS, STATUS_LABELS, cause_note, caused_lines, caused_note,
                        detail_message, label, result_message, shown_evidence, title_of)
from ..results import ReportResult, RuleResult
from .mdtext import md
from .provenance import waivers_markdown
from .results_text import evidence_line, header_lines, scored_findings, unassessed_results

def _finding_row(result: RuleResult, lang: str, message_en: str, children: Mapping[str, RuleResult]) -> str:
    failing = [d for d in result.details if d.status == "fail"]
    if failing:
        message = label("sep", lang).join(detail_message(d, lang, message_en) for d in failing[:6])
        if len(failing) > 6:
            message += label("sep", lang) + label("more", lang, n=len(failing) - 6)
    else:
        message = result_message(result, lang, message_en)
    notes = [n for n in (cause_note(result, lang), caused_note(result, lang)) if n]
    notes.extend(f"↳ {line}" for line in caused_lines(result, children, lang))
    first = failing[0].evidence if failing else result.evidence
    evidence = [evidence_line(e, lang) for e in shown_evidence(first, cells=24)]
    points = f" −{result.points.normalize():f}" if result.points else ""
    return (f"| {md(result.rule)} {md(title_of(result, lang))}{md(points)}"
            f" | {md(CATEGORY_LABELS[lang].get(result.category, result.category))}"
            f" | {md(SEVERITY_LABELS[lang][result.severity])} | {md(STATUS_LABELS[lang][result.status])}"
            f" | {' · '.join(md(t) for t in [message, *notes])} | {' · '.join(md(e) for e in evidence)} |")


def report_markdown(report: ReportResult, lang: str = "zh", messages_en: Optional[Mapping[str, str]] = None) -> str:
    messages_en = messages_en or {}
    lines = [f"## {md(report.meta.get('agency') or report.source)}", ""]
    lines += [f"- {md(h)}" for h in header_lines(report, lang)] + [""]
    if report.error:
        return "\n".join(lines)
    head = [label(k, lang) for k in ("rule", "category", "severity", "status", "message", "evidence")]
    table = [f"| {' | '.join(head)} |", "|---|---|---|---|---|---|"]
    children = {r.rule: r for r in report.results if r.root is not None}
    waived = [r for r in report.results if r.status == "waived"]
    for result in scored_findings(report) + unassessed_results(report) + waived:
        table.append(_finding_row(result, lang, messages_en.get(result.rule, ""), children))
    lines += table if len(table) > 2 else []
    if report.waivers:
        lines += ["", waivers_markdown(report, lang)]
    return "\n".join(lines)


def reports_markdown(reports: Iterable[ReportResult], lang: str = "zh",
                     messages_en: Optional[Mapping[str, str]] = None) -> str:
    return f"# {md(label('heading', lang))}\n\n" + "\n\n".join(report_markdown(r, lang, messages_en) for r in reports)
