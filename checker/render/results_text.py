"""The scorecard an evaluator reads: score, grade and coverage first, then the failures grouped
by category, each with its message, legal basis and evidence (the quoted sentence or cell and
where it is). Chinese labels by default."""
from __future__ import annotations

from decimal import Decimal
from typing import Iterable, Mapping, Optional

from ..formats import get_format
from ..messages import CATEGORY_LABELS, SEVERITY_LABELS, STATUS_LABELS, detail_message, result_message
from ..results import Evidence, ReportResult, RuleResult
from .provenance import waived_lines

_KIND_NAMES = {"government": "人民政府", "department": "政府部门", "other": "其他机关"}
_CATEGORY_ORDER = ("structure", "metadata", "tables", "consistency", "fee", "timeliness", "quality", "duplication")


def _column_label(table: Optional[str], col: Optional[str]) -> Optional[str]:
    if not table or not col:
        return col
    try:
        return get_format().table(table).column(col).label
    except (StopIteration, KeyError):
        return col


def evidence_line(item: Evidence) -> str:
    where = item.where.describe() if item.where is not None else ""
    if item.kind == "cell":
        text = item.text if item.text else {"lost": "（缺失）"}.get(item.cell_kind or "", "（空白）")
        address = " ".join(x for x in (item.row, _column_label(item.table, item.col)) if x)
        return f"{where} 单元格[{address}]「{text}」".strip()
    if item.kind == "label":
        return f"{where} 栏目「{item.text}」（规定为「{item.value}」）".strip()
    return f"{where}「{clip(item.text)}」".strip()


def clip(text: str, limit: int = 90) -> str:
    """Long quotes shortened for the terminal; JSON keeps them whole."""
    return text if len(text) <= limit else text[:limit - 1] + "…"


def percent(value: Optional[Decimal]) -> str:
    if value is None:
        return "—"
    return f"{(value * 100).quantize(Decimal('0.1'))}%"


def _points(value: Optional[Decimal]) -> str:
    if not value:
        return ""
    return f" −{value.normalize():f}"


def header_lines(report: ReportResult) -> list[str]:
    lines = [f"报告：{report.source}"]
    if report.error:
        lines.append(f"无法检查：{report.error}")
        return lines
    meta = report.meta
    kind = _KIND_NAMES.get(meta.get("agency_kind") or "", "类型未识别")
    published = meta.get("published")
    lines.append(f"机关：{meta.get('agency') or '未识别'}（{kind}）  年度：{meta.get('year') or '未识别'}  "
                 f"落款日期：{published.isoformat() if published else '未识别'}")
    card = report.score
    if card is not None:
        score = "不评分（可评估的规则过少）" if card.score is None else f"{card.score.normalize():f}"
        counts = card.counts
        applicable = sum(counts.values()) - counts.get("not_applicable", 0) - counts.get("waived", 0)
        assessed = counts.get("pass", 0) + counts.get("fail", 0)
        lines.append(f"得分：{score}  等级：{card.grade or '—'}  覆盖率：{percent(card.coverage)}"
                     f"（可评估 {assessed}/{applicable} 条适用规则）  评分方案：{card.profile_title or card.profile}")
        sev = "，".join(f"{SEVERITY_LABELS['zh'][s]}{n}" for s, n in card.failures.items() if n)
        lines.append(f"不通过 {counts.get('fail', 0)} 条" + (f"（{sev}）" if sev else "") +
                     f"；通过 {counts.get('pass', 0)} 条；无法评估 {counts.get('not_assessable', 0)} 条；"
                     f"不适用 {counts.get('not_applicable', 0)} 条" +
                     (f"；规则出错 {counts['error']} 条" if counts.get("error") else "") +
                     (f"；已豁免 {counts['waived']} 条" if counts.get("waived") else ""))
    return lines


def result_lines(result: RuleResult, messages_en: Mapping[str, str], lang: str, max_evidence: int = 4,
                 max_details: int = 8) -> list[str]:
    sev = SEVERITY_LABELS[lang][result.severity]
    lines = [f"  ✗ {result.rule} [{sev}] {result.title}{_points(result.points)}"]
    failing = [d for d in result.details if d.status == "fail"]
    if failing:
        for detail in failing[:max_details]:
            lines.append(f"    - {detail_message(detail, lang, messages_en.get(result.rule, ''))}")
            for item in detail.evidence[:2]:
                lines.append(f"      证据：{evidence_line(item)}")
        if len(failing) > max_details:
            lines.append(f"    （另有{len(failing) - max_details}项，完整列表见 --format json）")
    else:
        lines.append(f"    {result_message(result, lang, messages_en.get(result.rule, ''))}")
        for item in result.evidence[:max_evidence]:
            lines.append(f"    证据：{evidence_line(item)}")
        if len(result.evidence) > max_evidence:
            lines.append(f"    （另有{len(result.evidence) - max_evidence}条证据）")
    lines.append(f"    依据：{result.basis}")
    return lines


def report_text(report: ReportResult, lang: str = "zh", messages_en: Optional[Mapping[str, str]] = None,
                verbose: bool = False) -> str:
    messages_en = messages_en or {}
    lines = header_lines(report)
    if report.error:
        return "\n".join(lines)
    failures = [r for r in report.results if r.status == "fail"]
    by_category: dict[str, list[RuleResult]] = {}
    for result in failures:
        by_category.setdefault(result.category, []).append(result)
    for category in sorted(by_category, key=lambda c: _CATEGORY_ORDER.index(c) if c in _CATEGORY_ORDER else 99):
        lines.append("")
        lines.append(f"【{CATEGORY_LABELS[lang].get(category, category)}】")
        for result in by_category[category]:
            lines.extend(result_lines(result, messages_en, lang))
    others = [r for r in report.results if r.status in ("not_assessable", "error")]
    if others:
        lines.append("")
        lines.append("【无法评估或出错】")
        for result in others:
            label = STATUS_LABELS[lang][result.status]
            reason = result.params.get("reason") or result.params.get("error") or ""
            lines.append(f"  ? {result.rule} {result.title}：{label}" + (f"（{reason}）" if reason and verbose else ""))
    lines.extend(waived_lines(report, lang))
    if verbose:
        passed = [r.rule for r in report.results if r.status == "pass"]
        skipped = [r.rule for r in report.results if r.status == "not_applicable"]
        lines.append("")
        lines.append("通过：" + (" ".join(passed) or "—"))
        lines.append("不适用：" + (" ".join(skipped) or "—"))
    return "\n".join(lines)


def reports_text(reports: Iterable[ReportResult], lang: str = "zh", messages_en: Optional[Mapping[str, str]] = None,
                 verbose: bool = False) -> str:
    return "\n\n" .join(report_text(r, lang, messages_en, verbose) for r in reports)
