"""The scorecard as Markdown (for issue trackers, e-mail, or conversion to Word)."""
from __future__ import annotations

from typing import Iterable, Mapping, Optional

from ..messages import CATEGORY_LABELS, SEVERITY_LABELS, STATUS_LABELS, detail_message, result_message
from ..results import ReportResult
from .provenance import waivers_markdown
from .results_text import evidence_line, header_lines


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def report_markdown(report: ReportResult, lang: str = "zh", messages_en: Optional[Mapping[str, str]] = None) -> str:
    messages_en = messages_en or {}
    head = header_lines(report)
    lines = [f"## {report.meta.get('agency') or report.source}", ""] + [f"- {h}" for h in head] + [""]
    if report.error:
        return "\n".join(lines)
    lines += ["| 规则 | 类别 | 严重程度 | 结果 | 说明 | 证据 |", "|---|---|---|---|---|---|"]
    for result in report.results:
        if result.status in ("pass", "not_applicable"):
            continue
        failing = [d for d in result.details if d.status == "fail"]
        message = "；".join(detail_message(d, lang, messages_en.get(result.rule, "")) for d in failing) \
            if failing else result_message(result, lang, messages_en.get(result.rule, ""))
        evidence = "<br>".join(_cell(evidence_line(e)) for e in result.evidence[:4])
        lines.append(f"| {result.rule} {_cell(result.title)} | {CATEGORY_LABELS[lang].get(result.category, result.category)}"
                     f" | {SEVERITY_LABELS[lang][result.severity]} | {STATUS_LABELS[lang][result.status]}"
                     f" | {_cell(message)} | {evidence} |")
    if report.waivers:
        lines += ["", waivers_markdown(report, lang)]
    return "\n".join(lines)


def reports_markdown(reports: Iterable[ReportResult], lang: str = "zh",
                     messages_en: Optional[Mapping[str, str]] = None) -> str:
    return "# 政府信息公开工作年度报告检查结果\n\n" + "\n\n".join(
        report_markdown(r, lang, messages_en) for r in reports)
