"""Rendering findings late: a result carries a message template and raw parameters; the text a
person reads is made here, in Chinese by default or English with lang="en"."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Mapping

from .engine.guards import without_format_specs
from .results import Detail, RuleResult

STATUS_LABELS = {
    "zh": {"pass": "通过", "fail": "不通过", "not_applicable": "不适用", "not_assessable": "无法评估", "error": "规则出错",
           "waived": "已豁免"},
    "en": {"pass": "pass", "fail": "fail", "not_applicable": "not applicable", "not_assessable": "not assessable",
           "error": "error", "waived": "waived"},
}
SEVERITY_LABELS = {
    "zh": {"critical": "严重", "high": "高", "medium": "中", "low": "低", "info": "提示"},
    "en": {"critical": "critical", "high": "high", "medium": "medium", "low": "low", "info": "info"},
}
CATEGORY_LABELS = {
    "zh": {"structure": "结构", "metadata": "标题与落款", "timeliness": "时效", "tables": "表格",
           "consistency": "数据一致性", "fee": "信息处理费", "quality": "文字质量", "duplication": "内容雷同"},
    "en": {"structure": "structure", "metadata": "metadata", "timeliness": "timeliness", "tables": "tables",
           "consistency": "consistency", "fee": "fee", "quality": "quality", "duplication": "duplication"},
}
NOT_ASSESSABLE = {"zh": "无法评估：所需数据缺失或无法读取", "en": "not assessable: the data it needs is missing or unreadable"}
NOT_APPLICABLE = {"zh": "不适用", "en": "not applicable"}
PASSED = {"zh": "通过", "en": "passed"}


def _show(value: Any, lang: str) -> str:
    if value is None:
        return "—" if lang == "zh" else "n/a"
    if isinstance(value, bool):
        return ("是" if value else "否") if lang == "zh" else str(value).lower()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f")
    if isinstance(value, date):
        return f"{value.year}年{value.month}月{value.day}日" if lang == "zh" else value.isoformat()
    if isinstance(value, (list, tuple)):
        return "、".join(_show(v, lang) for v in value)
    return str(value)


class _Params(dict):
    def __init__(self, params: Mapping[str, Any], lang: str) -> None:
        super().__init__({k: _show(v, lang) for k, v in params.items()})

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def render(template: str, params: Mapping[str, Any], lang: str = "zh") -> str:
    try:
        return without_format_specs(template).format_map(_Params(params, lang))
    except (ValueError, IndexError, KeyError, AttributeError):
        return template


def template_for(result: RuleResult | Detail, rule_message_en: str, lang: str) -> str:
    if lang == "en" and rule_message_en and result.status == "fail":
        return rule_message_en
    return result.template


def result_message(result: RuleResult, lang: str = "zh", message_en: str = "", limit: int = 3) -> str:
    """One line: the failing items' messages, or the status in words."""
    if result.status == "fail":
        failing = [d for d in result.details if d.status == "fail"]
        if failing:
            texts = [render(template_for(d, message_en, lang), d.params, lang) for d in failing[:limit]]
            more = len(failing) - limit
            if more > 0:
                texts.append(f"等另外{more}项" if lang == "zh" else f"and {more} more")
            return "；".join(texts) if lang == "zh" else "; ".join(texts)
        return render(template_for(result, message_en, lang), result.params, lang)
    if result.status == "error":
        return render(result.template, result.params, lang)
    if result.status == "not_assessable":
        return NOT_ASSESSABLE[lang]
    if result.status == "not_applicable":
        return NOT_APPLICABLE[lang]
    if result.template:
        return render(result.template, result.params, lang)
    return PASSED[lang]


def detail_message(detail: Detail, lang: str = "zh", message_en: str = "") -> str:
    if detail.status in ("fail", "pass") and detail.template:
        return render(template_for(detail, message_en, lang), detail.params, lang)
    label = STATUS_LABELS[lang][detail.status]
    return f"{detail.item}：{label}" if detail.item else label
