"""Rendering findings late: a result carries a message template and raw parameters; the text a
person reads is made here, in Chinese by default or English with lang="en".

Every renderer for people (text, Markdown, HTML, the workbook) takes its words from here: the
message of a finding, why a rule could not judge and what would let it (``reason``), how a
finding relates to the one that caused it (``cause_note``), and each piece of evidence with its
side of the comparison and where a fact came from (``evidence_text``). Internal names (field
paths, function calls, cell keys) never reach these texts; JSON keeps them beside."""
from __future__ import annotations

import re
from dataclasses import fields, replace
from functools import lru_cache
from operator import itemgetter
from datetime import date
from decimal import Decimal
from typing import Any, Mapping, Optional, Sequence

from .model import Source
from .results import Absence, Detail, Evidence, RuleResult

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
KIND_LABELS = {
    "zh": {"government": "人民政府", "department": "政府部门", "other": "其他机关"},
    "en": {"government": "people's government", "department": "government department", "other": "other body"},
}
# where a fact came from (Meta.sources)
ORIGIN_LABELS = {
    "zh": {"report": "报告正文", "page": "网页", "manifest": "清单", "option": "命令行参数"},
    "en": {"report": "the report", "page": "the web page", "manifest": "the manifest", "option": "the command line"},
}
# the words of the scorecards around the findings
LABELS = {
    "zh": {
        "heading": "政府信息公开工作年度报告检查结果", "report": "报告", "agency": "机关", "kind": "类型",
        "year": "年度", "published": "发布日期", "unknown": "未识别", "kind_unknown": "类型未识别",
        "score": "得分", "grade": "等级", "coverage": "覆盖率", "profile": "评分方案", "unscored": "不评分（可评估的规则过少）",
        "assessed": "可评估 {assessed}/{applicable} 条适用规则", "cannot_check": "无法检查",
        "counts": "不通过 {fail} 条{severities}；通过 {pass_} 条；无法评估 {na} 条{charged}；不适用 {skipped} 条",
        "charged": "（其中 {n} 条因报告自身原因无法核验，按不通过计）",
        "errors": "；规则出错 {n} 条", "waived": "；已豁免 {n} 条", "basis": "依据", "evidence": "证据", "unassessed": "无法评估或出错",
        "unverified": "无法核验（计入扣分）", "passed": "通过", "skipped": "不适用", "more_items": "（另有{n}项，完整列表见 --format json）",
        "more_evidence": "（另有{n}条证据）", "rule": "规则", "category": "类别", "severity": "严重程度", "status": "结果",
        "message": "说明", "source": "来源", "blank": "（空白）", "lost": "（缺失）", "unplaced": "（检查器无法确定）", "label_should": "规定为",
        "this_year": "本年度", "last_year": "上年度报告", "text": "正文", "table": "表格",
        "sep": "；", "list_sep": "、", "colon": "：", "more": "等另外{n}项",
        # pages, the workbook and the batch's tables
        "file": "文件", "region": "地区", "rank": "排名", "title": "标题", "not_scored": "不评分",
        "none_failed": "没有不通过的规则。", "more_details": "另有 {n} 项（完整列表见 results.jsonl）",
        "full_text": "全文（{n}字）", "same_passage": "相同段落（{n}字）", "page_title": "{agency} — 年度报告检查结果",
        "back": "← 返回排名", "waived_heading": "已豁免", "waivers_applied": "适用的豁免", "approved_by": "批准",
        "expires": "有效至", "written_in": "出处", "waived_rules": "豁免", "batch_title": "政府信息公开工作年度报告批量检查结果",
        "filters": "筛选", "all": "全部", "search": "查找", "search_hint": "机关或文件", "ranking": "排名",
        "ranking_hint": "点击表头排序，点击一行查看该报告的检查详情；排名只在同一年度内比较。",
        "failed_or_reason": "不通过的规则 / 无法检查的原因", "rules_heading": "各规则的检查结果（全部年度）",
        "open_page": "在新窗口打开", "close": "关闭", "details": "检查详情", "n_reports": "{n} 份", "reports": "报告",
        "checked": "已检查", "mean": "平均分", "lowest": "最低分", "score_distribution": "得分分布",
        "most_failed": "不通过最多的规则", "by_region": "按地区比较", "by_kind": "按机关类型比较", "year_n": "{year}年度",
        "unknown_year": "年度未识别", "no_region": "（未填地区）", "histogram_bar": "{range} 分：{n} 份",
        "histogram_note": "另有 {n} 份无法检查或不评分", "failed_bar": "{n}（{share}）",
        "pager": "共 {total} 份，第 {page} / {pages} 页", "prev": "上一页", "next": "下一页",
        "failed_by": "不通过·{severity}", "failed_rules": "不通过的规则", "why_unchecked": "无法检查的原因",
        "location": "位置", "open": "查看", "sheet_summary": "汇总", "sheet_findings": "问题明细", "sheet_rules": "规则统计",
        "sheet_waivers": "豁免", "run_at": "检查时间", "checker_version": "检查程序版本", "pack_hash": "规则包哈希",
        "format": "报告格式", "extra_rule_files": "附加规则文件", "waivers": "豁免清单", "provenance": "检查依据",
        "cell": "单元格", "reason": "理由", "state": "状态",
    },
    "en": {
        "heading": "Annual report check results", "report": "Report", "agency": "Agency", "kind": "kind",
        "year": "Year", "published": "Published", "unknown": "not identified", "kind_unknown": "kind not identified",
        "score": "Score", "grade": "Grade", "coverage": "Coverage", "profile": "Profile",
        "unscored": "no score (too few rules could be assessed)",
        "assessed": "{assessed}/{applicable} applicable rules assessed", "cannot_check": "Cannot check",
        "counts": "{fail} failed{severities}; {pass_} passed; {na} not assessable{charged}; {skipped} not applicable",
        "charged": " ({n} unverifiable because of the report, counted as failed)",
        "errors": "; {n} rule errors", "waived": "; {n} waived", "basis": "Basis", "evidence": "Evidence", "unassessed": "Not assessable or errors",
        "unverified": "Unverifiable (counted)", "passed": "Passed", "skipped": "Not applicable",
        "more_items": "({n} more; --format json lists them all)", "more_evidence": "({n} more pieces of evidence)",
        "rule": "Rule", "category": "Category", "severity": "Severity", "status": "Result", "message": "Finding",
        "source": "source", "blank": "(blank)", "lost": "(missing)", "unplaced": "(not placed by the checker)", "label_should": "should be",
        "this_year": "this year", "last_year": "last year's report", "text": "text", "table": "table",
        "sep": "; ", "list_sep": ", ", "colon": ": ", "more": "and {n} more",
        "file": "File", "region": "Region", "rank": "Rank", "title": "Title", "not_scored": "not scored",
        "none_failed": "No rule failed.", "more_details": "{n} more (results.jsonl lists them all)",
        "full_text": "full text ({n} characters)", "same_passage": "shared passage ({n} characters)",
        "page_title": "{agency} — annual report check results", "back": "← Back to the ranking",
        "waived_heading": "Waived", "waivers_applied": "Waivers applied", "approved_by": "approved by",
        "expires": "until", "written_in": "written in", "waived_rules": "Waived",
        "batch_title": "Government information disclosure annual reports: batch check results", "filters": "Filters",
        "all": "All", "search": "Search", "search_hint": "agency or file", "ranking": "Ranking",
        "ranking_hint": "Click a header to sort, a row to see that report's findings; reports are ranked only "
                        "within their year.",
        "failed_or_reason": "Failed rules / why not checked", "rules_heading": "Results per rule (all years)",
        "open_page": "Open in a new window", "close": "Close", "details": "Details", "n_reports": "{n}",
        "reports": "Reports", "checked": "Checked", "mean": "Mean score", "lowest": "Lowest",
        "score_distribution": "Score distribution", "most_failed": "Rules failed most often", "by_region": "By region",
        "by_kind": "By kind of agency", "year_n": "{year}", "unknown_year": "year not identified",
        "no_region": "(no region)", "histogram_bar": "{range} points: {n} reports",
        "histogram_note": "{n} more not checked or not scored", "failed_bar": "{n} ({share})",
        "pager": "{total} reports, page {page} of {pages}", "prev": "Previous", "next": "Next",
        "failed_by": "Failed: {severity}", "failed_rules": "Failed rules", "why_unchecked": "Why it could not be checked",
        "location": "Location", "open": "open", "sheet_summary": "Summary", "sheet_findings": "Findings",
        "sheet_rules": "Rules", "sheet_waivers": "Waivers", "run_at": "Run at", "checker_version": "Checker version",
        "pack_hash": "Rule pack hash", "format": "Report format", "extra_rule_files": "Extra rule files",
        "waivers": "Waivers file", "provenance": "Provenance", "cell": "cell", "reason": "Reason", "state": "Status",
    },
}
NOT_APPLICABLE = {"zh": "不适用", "en": "not applicable"}
# why a file could not be checked, when the checker says so itself (a reader gives its own reason)
UNCHECKED = {
    "zh": {"not_found": "未找到文件",
           "no_report": "未找到年度报告内容（没有识别到任何部分标题或表格）",
           "checker_failed": "检查器处理该文件时出错：这是检查器的问题，不是报告的问题，不计分；请将该文件反馈给维护者",
           "worker_died": "检查该文件时检查器的工作进程意外退出：这是检查器的问题，不是报告的问题，不计分；"
                          "请将该文件反馈给维护者"},
    "en": {"not_found": "file not found",
           "no_report": "no annual report found in the file (no part heading or table was recognised)",
           "checker_failed": "the checker failed on this file: a fault of the checker, not of the report, and not "
                             "scored; please send the file to the maintainers",
           "worker_died": "the checker's worker process stopped unexpectedly on this file: a fault of the checker, "
                          "not of the report, and not scored; please send the file to the maintainers"},
}
PASSED = {"zh": "通过", "en": "passed"}


def unchecked(name: str, lang: str = "zh") -> str:
    """Why a file could not be checked, when the reason is the checker's to give (UNCHECKED)."""
    return UNCHECKED.get(lang, UNCHECKED["zh"])[name]


def label(name: str, lang: str = "zh", **values: Any) -> str:
    text = LABELS.get(lang, LABELS["zh"])[name]
    return text.format(**values) if values else text


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
    """The parameters as a message shows them; only those its template names are shown (a
    result's parameters may hold long lists its message never prints)."""

    def __init__(self, params: Mapping[str, Any], lang: str) -> None:
        super().__init__()
        self.params = params
        self.lang = lang

    def __missing__(self, key: str) -> str:
        if key in self.params:
            shown = self[key] = _show(self.params[key], self.lang)
            return shown
        return "{" + key + "}"


# sentences that rule functions and kinds build into message parameters, in each language (a
# rule's params give the English one as NAME_en, e.g. problem_en = "table_problem(t, 'en')")
PHRASES = {
    "zh": {
        "part_after": "「{heading}」排在第{ordinal}部分之后", "part_ordinal": "「{heading}」的序号应为「{ordinal}」",
        "agency_mismatch": "标题机关「{agency}」与落款机关「{signer}」不一致",
        "title_year": "标题年份{years}与报告年度{year}不一致", "period_from": "统计期限起于{found}年，与报告年度{year}不一致",
        "period_to": "统计期限止于{found}年，与报告年度{year}不一致", "date_year": "落款日期{date}与报告年度{year}不相称",
        "table_absent": "缺失", "rows_missing": "缺少：{rows}", "rows_misordered": "行序错乱：{rows}", "complete": "完整",
        "not_written": "未写明：{labels}", "found": "出现：{labels}", "too_short": "内容过少（仅{chars}字）",
        "scope_missing": "所在部分缺失", "label_should": "「{written}」应为「{expected}」",
        "other_agency": "；且报告中以「{names}」作为报告主体", "sep": "；", "list": "、",
    },
    "en": {
        "part_after": "「{heading}」 comes after part {number}", "part_ordinal": "「{heading}」should be numbered 「{ordinal}」",
        "agency_mismatch": "the title's agency 「{agency}」 differs from the signing agency 「{signer}」",
        "title_year": "the title's year {years} is not the report year {year}",
        "period_from": "the statistics period starts in {found}, not the report year {year}",
        "period_to": "the statistics period ends in {found}, not the report year {year}",
        "date_year": "the date {date} does not fit the report year {year}",
        "table_absent": "is missing", "rows_missing": "lacks rows: {rows}", "rows_misordered": "rows out of order: {rows}",
        "complete": "is complete", "not_written": "does not state: {labels}", "found": "contains: {labels}",
        "too_short": "too short ({chars} characters)", "scope_missing": "the part is missing",
        "label_should": "「{written}」 should read 「{expected}」",
        "other_agency": "; and it names 「{names}」 as the reporter", "sep": "; ", "list": ", ",
    },
}


def phrase(name: str, lang: str = "zh", **values: Any) -> str:
    return PHRASES[lang if lang in PHRASES else "zh"][name].format(**values)


# parameters of rule kinds that are words, in each language (the JSON keeps the Chinese text
# and the raw value beside it: cell_state and cell_kind)
_CELL_STATES = {
    "zh": {"blank": "空白（未填写）", "not_applicable": "填写为「{raw}」而非数字", "text": "填写为文字「{raw}」",
           "lost": "数值缺失（该行数值个数少于栏目数，无法确定位置）",
           "unplaced": "检查器无法确定哪个数值属于该单元格（报告中有数值，非报告问题）", "negative": "为负数 {raw}",
           "fraction": "不是整数 {raw}", "number": "为 {raw}"},
    "en": {"blank": "blank (not filled in)", "not_applicable": "holds 「{raw}」, not a number",
           "text": "holds the text 「{raw}」", "lost": "missing (its row has fewer values than columns)",
           "unplaced": "the checker could not tell which value belongs to this cell (the report has the values)",
           "negative": "negative: {raw}", "fraction": "not a whole number: {raw}", "number": "is {raw}"},
}


def cell_state(state: str, raw: str, lang: str = "zh") -> str:
    """What is wrong with a cell's content, in words (state as checker.engine.vocabulary.cell_state)."""
    return _CELL_STATES[lang if lang in _CELL_STATES else "zh"].get(state, "{raw}").format(raw=raw)


def _localised(params: Mapping[str, Any], lang: str) -> Mapping[str, Any]:
    """In English, a parameter NAME given as NAME_en too is shown in English."""
    if lang == "zh":
        return params
    out = dict(params)
    for name, value in params.items():
        if name.endswith("_en") and name[:-3] in params and value is not None:
            out[name[:-3]] = value
    if "cell_kind" in params and "cell_state" in params:
        out["cell_state"] = cell_state(str(params["cell_kind"]), str(params.get("raw") or ""), lang)
    return out


def render(template: str, params: Mapping[str, Any], lang: str = "zh") -> str:
    if _KEYED.issuperset(map(type, params.values())):
        return _rendered(template, tuple(params.items()), lang)
    return _render(template, params, lang)


# parameters of text and whole numbers alone make a key of what a message shows (a Decimal 1.5
# would be the same key as 1.50, True the same as 1): a run renders the same few hundred
# messages of rows and cells again and again
_KEYED = frozenset({str, int})


@lru_cache(maxsize=4096)
def _rendered(template: str, params: tuple[tuple[str, Any], ...], lang: str) -> str:
    return _render(template, dict(params), lang)


def _render(template: str, params: Mapping[str, Any], lang: str) -> str:
    try:
        return _bare(template).format_map(_Params(_localised(params, lang), lang))
    except (ValueError, IndexError, KeyError, AttributeError):
        return template


@lru_cache(maxsize=2048)
def _bare(template: str) -> str:
    """A template as it is rendered (a run renders the same few hundred templates many times)."""
    from .engine.guards import without_format_specs  # the engine's kinds use this module's words: not at load

    return without_format_specs(template)


def title_of(result: RuleResult, lang: str = "zh") -> str:
    return result.title_en if lang == "en" and result.title_en else result.title


def template_for(result: RuleResult | Detail, rule_message_en: str, lang: str) -> str:
    if lang == "en" and rule_message_en and result.status == "fail":
        return rule_message_en
    return result.template


def result_message(result: RuleResult, lang: str = "zh", message_en: str = "", limit: int = 3) -> str:
    """One line: the failing items' messages, or why the rule could not judge, or the status (a
    waived finding says what it had found)."""
    if result.status == "waived" and result.waived_status:
        return result_message(replace(result, status=result.waived_status), lang, message_en, limit)
    if result.status == "fail":
        failing = [d for d in result.details if d.status == "fail"]
        if failing:
            texts = [render(template_for(d, message_en, lang), d.params, lang) for d in failing[:limit]]
            more = len(failing) - limit
            if more > 0:
                texts.append(label("more", lang, n=more))
            return label("sep", lang).join(texts)
        return render(template_for(result, message_en, lang), result.params, lang)
    if result.status in ("error", "not_assessable"):
        return reason(result, lang)
    if result.status == "not_applicable":
        return NOT_APPLICABLE[lang]
    if result.template:
        return render(result.template, result.params, lang)
    return PASSED[lang]


def detail_message(detail: Detail, lang: str = "zh", message_en: str = "") -> str:
    if detail.status in ("fail", "pass") and detail.template:
        return render(template_for(detail, message_en, lang), detail.params, lang)
    status = STATUS_LABELS[lang][detail.status]
    if detail.status == "not_assessable" and detail.missing:
        status = f"{status}（{absences_text(detail.missing, lang)}）" if lang == "zh" \
            else f"{status} ({absences_text(detail.missing, lang)})"
    return f"{detail.item}{label('colon', lang)}{status}" if detail.item else status


# ------------------------------------------------------------------------- why, and what helps

_META_WHY = {
    "zh": {"agency": "未识别报告机关", "agency_kind": "未识别报告机关，无法判断其类型", "year": "未识别报告年度",
           "published": "未识别发布日期", "title": "未识别报告标题", "period_start": "未写明统计期限",
           "period_end": "未写明统计期限", "period_text": "未写明统计期限", "signature_agency": "未识别落款机关"},
    "en": {"agency": "the reporting agency is not identified",
           "agency_kind": "the reporting agency is not identified, so its kind is unknown",
           "year": "the report year is not identified", "published": "no publication date was found",
           "title": "no title was found", "period_start": "the statistics period is not stated",
           "period_end": "the statistics period is not stated", "period_text": "the statistics period is not stated",
           "signature_agency": "the signing agency is not identified"},
}
_META_FIX = {
    "zh": {"agency": "请在清单中提供机关名称，或使用 --agency", "agency_kind": "请在清单中提供机关类型，或使用 --kind",
           "year": "请在清单中提供年度，或使用 --year", "published": "请在清单中提供发布日期，或使用 --published",
           "title": "报告应有写明机关和年度的标题", "period_start": "报告应写明统计期限",
           "period_end": "报告应写明统计期限", "period_text": "报告应写明统计期限",
           "signature_agency": "报告应有落款"},
    "en": {"agency": "give the agency in the manifest or with --agency",
           "agency_kind": "give the kind in the manifest or with --kind",
           "year": "give the year in the manifest or with --year",
           "published": "give the publication date in the manifest or with --published",
           "title": "the report needs a title naming the agency and the year",
           "period_start": "the report should state its statistics period",
           "period_end": "the report should state its statistics period",
           "period_text": "the report should state its statistics period",
           "signature_agency": "the report should end with a signature block"},
}
_STATE_WHY = {
    "zh": {"absent": "未找到{label}", "blank": "{label}为空白", "not_applicable": "{label}填写为非数字符号",
           "text": "{label}填写为文字而非数字", "lost": "{label}数值缺失（该行数值个数少于栏目数）",
           "unplaced": "检查器无法确定哪个数值属于{label}",
           "picture": "{label}以图片形式发布，无法读取其中的数据", "scan": "报告为扫描件或图片，没有可读取的文字",
           "unclassified": "无法判断报告机关是人民政府还是政府部门", "unknown": "所需内容无法读取"},
    "en": {"absent": "{label} was not found", "blank": "{label} is blank", "not_applicable": "{label} holds a mark, not a number",
           "text": "{label} holds text, not a number", "lost": "{label} is missing (its row has fewer values than columns)",
           "unplaced": "the checker could not tell which value belongs to {label}",
           "picture": "{label} is published as a picture and cannot be read",
           "scan": "the report is a scan or picture without readable text",
           "unclassified": "the checker cannot tell whether the agency is a people's government or a department",
           "unknown": "what the rule needs could not be read"},
}
_KIND_FIX = {
    "zh": {"part": "报告应包含该部分，标题按规定格式书写", "table": "报告应包含该表，表头按规定格式书写",
           "row": "表格应包含规定的各行", "cell": "按规定填写数字（没有的填0）",
           "picture": "请以文字表格发布（或提供可复制文字的版本）", "scan": "请提供带文字层的 PDF 或原始文件",
           "previous": "请提供完整、可读取的上年度报告", "unclassified": "请在清单中提供机关类型，或使用 --kind",
           "checker": "这是检查器读取的局限，不计入扣分"},
    "en": {"part": "the report should have this part, headed as the format says",
           "table": "the report should have this table, headed as the format says",
           "row": "the table should have every mandated row", "cell": "enter a number (0 when there is none)",
           "picture": "publish the table as text (or a version whose text can be copied)",
           "scan": "supply a PDF with a text layer, or the original file",
           "previous": "supply last year's complete, readable report",
           "unclassified": "give the kind in the manifest or with --kind",
           "checker": "a limit of the checker's reading; not counted against the report"},
}


def absence_text(item: Absence, lang: str = "zh", fix: bool = True) -> str:
    """Why, then what would help: "未识别发布日期：请在清单中提供发布日期，或使用 --published"."""
    why, remedy = _why_and_fix(item, lang)
    return f"{why}{label('colon', lang)}{remedy}" if remedy and fix else why


def _why_and_fix(item: Absence, lang: str) -> tuple[str, str]:
    previous = item.key.startswith("previous.")
    bare = item.key[len("previous."):] if previous else item.key
    kind, _, name = bare.partition(":")
    where = item.label or ("上年度报告" if lang == "zh" else "last year's report")
    if lang == "en" and item.label:
        where = _english_label(item)
    if kind == "meta" and item.state == "absent":
        why = _META_WHY[lang].get(name, _STATE_WHY[lang]["absent"].format(label=where))
        fix = _META_FIX[lang].get(name, "")
        if previous:
            why = (f"上年度报告（{item.file}）" if lang == "zh" else f"last year's report ({item.file}): ") + why
            fix = _KIND_FIX[lang]["previous"]
    else:
        why = _STATE_WHY[lang].get(item.state, _STATE_WHY[lang]["unknown"]).format(label=where)
        if previous and item.file:
            why += f"（{item.file}）" if lang == "zh" else f" ({item.file})"
        if item.cause == "checker":
            fix = _KIND_FIX[lang]["unclassified" if item.state == "unclassified" else "checker"]
        elif previous:
            fix = _KIND_FIX[lang]["previous"]
        elif item.state in ("picture", "scan"):
            fix = _KIND_FIX[lang][item.state]
        else:
            fix = _KIND_FIX[lang].get(kind, "")
    return why, fix


def _english_label(item: Absence) -> str:
    """An input named in English words around the format's own (Chinese) labels."""
    previous = item.key.startswith("previous.")
    text = item.label[len("上年度报告"):] if previous and item.label.startswith("上年度报告") else item.label
    text = text.replace("表「", " table, 「").replace("」表", "」 table").replace("」行", "」 row")
    if text.startswith("第") and "部分" in text:
        text = "part " + text
    return ("last year's " if previous else "") + text.strip()


def absences_text(items: Sequence[Absence], lang: str = "zh", limit: int = 3) -> str:
    """The first ``limit`` reasons; reasons in a row with the same remedy say it once
    ("检查器无法确定哪个数值属于…；检查器无法确定哪个数值属于…：这是检查器读取的局限…")."""
    if type(items) is tuple:  # what results carry: the same absences recur across rules and reports
        # kept by the absences' fields (tuples hash and compare in C; an Absence's own hash and
        # equality are Python code, asked for each absence at every look-up)
        try:
            key = (tuple([_ABSENCE_FIELDS(a.__dict__) for a in items if type(a) is Absence]), lang, limit)
        except KeyError:  # (an object that is no plain Absence)
            key = None
        if key is not None and len(key[0]) == len(items):
            said = _ABSENCES_SAID.get(key)
            if said is None:
                if len(_ABSENCES_SAID) >= _ABSENCES_KEPT:
                    _ABSENCES_SAID.clear()
                said = _ABSENCES_SAID[key] = _absences_text(items, lang, limit)
            return said
    return _absences_text(items, lang, limit)


# the reasons said of the absences met last (a run meets the same few hundred again and again)
_ABSENCES_SAID: dict[Any, str] = {}
_ABSENCES_KEPT = 4096
_ABSENCE_FIELDS = itemgetter(*(f.name for f in fields(Absence)))


def _absences_text(items: Sequence[Absence], lang: str, limit: int) -> str:
    pairs = list(dict.fromkeys(_why_and_fix(a, lang) for a in items))
    shown = pairs[:limit]
    texts: list[str] = []
    for n, (why, remedy) in enumerate(shown):
        last_of_run = n + 1 == len(shown) or shown[n + 1][1] != remedy
        texts.append(f"{why}{label('colon', lang)}{remedy}" if remedy and last_of_run else why)
    if len(pairs) > limit:
        texts.append(label("more", lang, n=len(pairs) - limit))
    return label("sep", lang).join(texts)


def short_reason(result: RuleResult, lang: str = "zh") -> str:
    """The first thing the rule lacked, without the remedy (for a finding listed under its root)."""
    if not result.missing:
        return STATUS_LABELS[lang][result.status]
    first = absence_text(result.missing[0], lang, fix=False)
    more = len(result.missing) - 1
    if more:
        first += f"等{more + 1}处" if lang == "zh" else f" and {more} more"
    return first


def reason(result: RuleResult, lang: str = "zh") -> str:
    """Why a rule could not judge (or crashed), and what would let it; in words a person uses."""
    if result.status == "error":
        error = str(result.params.get("error") or "")
        what = error.split(": ", 1)[1] if re.match(r"^[A-Za-z]+(?:Error|Exception|Timeout): ", error) else error
        what = f"（{what}）" if what and lang == "zh" else f" ({what})" if what else ""
        return (f"规则执行出错{what}：这是检查器的问题，不是报告的问题，不计入扣分；请将报告反馈给维护者"
                if lang == "zh" else
                f"the rule crashed{what}: a fault of the checker, not of the report, and not counted; "
                "please send the report to the maintainers")
    if result.missing:
        return absences_text(result.missing, lang)
    return _STATE_WHY[lang]["unknown"]


def cause_note(result: RuleResult, lang: str = "zh", title: Optional[str] = None) -> str:
    """How a finding counts: 由 TB-005 导致，不另扣分 / 无法核验，计入扣分 / 不计入扣分."""
    if result.root is not None:
        return f"由 {result.root} 导致，不另扣分" if lang == "zh" else f"caused by {result.root}; no further deduction"
    if result.status == "not_assessable":
        if result.points is not None:
            return (f"无法核验，按不通过计 −{_show(result.points, lang)}" if lang == "zh"
                    else f"unverifiable, counted as failed −{_show(result.points, lang)}")
        if result.cause in ("checker", "user"):
            return "不计入扣分" if lang == "zh" else "not counted"
    return ""


def caused_lines(result: RuleResult, children: Mapping[str, RuleResult], lang: str = "zh") -> list[str]:
    """The findings listed under a root, one line each: "TB-011 …：无法评估（…）"."""
    lines = []
    for rule_id in result.caused:
        child = children.get(rule_id)
        if child is not None:
            why = short_reason(child, lang)
            lines.append(f"{child.rule} {title_of(child, lang)}{label('colon', lang)}{STATUS_LABELS[lang][child.status]}"
                         + (f"（{why}）" if lang == "zh" else f" ({why})"))
    return lines


def caused_note(result: RuleResult, lang: str = "zh") -> str:
    """On a root: the findings that follow from it, and that it deducts once for them all."""
    if not result.caused:
        return ""
    ids = label("list_sep", lang).join(result.caused)
    return (f"同一原因导致：{ids}（合并扣分一次，按其中最重者计）" if lang == "zh"
            else f"the same cause leads to: {ids} (deducted once, at the heaviest)")


# ------------------------------------------------------------------------- evidence


def shown_evidence(items: Sequence[Evidence], quotes: int = 2, cells: Optional[int] = None) -> list[Evidence]:
    """What a scorecard shows of an item's evidence: every cell (the operands of a comparison,
    each side labelled; at most ``cells``) and the first few quotes."""
    found = sum(1 for e in items if e.kind == "cell")
    if (cells is None or found <= cells) and len(items) - found <= quotes:  # all of them (without hashing each)
        return list(items)
    kept = set([e for e in items if e.kind == "cell"][:cells]) | set([e for e in items if e.kind != "cell"][:quotes])
    return [e for e in items if e in kept]


def evidence_text(item: Evidence, lang: str = "zh", clip_at: Optional[int] = None) -> str:
    """One piece of evidence: which side of the comparison it is, where it is, what it says."""
    words = LABELS.get(lang, LABELS["zh"])
    where = where_text(item.where, lang)
    side = ""
    if item.role == "last_year":
        side = words["last_year"] + (f"（{item.file}）" if lang == "zh" and item.file else
                                     f" ({item.file})" if item.file else "")
    elif item.role in ("this_year", "text", "table"):
        side = words[item.role]
    # " ".join of those of them that are not empty (without a generator: every cell shown asks)
    head = f"{side} {where}" if side and where else side or where
    if item.kind == "cell":
        text = item.text if item.text else words[item.cell_kind if item.cell_kind in ("lost", "unplaced") else "blank"]
        name = item.label or _joined(item.row, item.col)
        body = f"「{name}」{words['colon']}{text}" if name else f"「{text}」"
        return f"{head} {body}".strip()
    if item.kind == "label":
        should = f"{words['label_should']}「{item.value}」"
        return (f"{head} 「{item.text}」" + (f"（{should}）" if lang == "zh" else f" ({should})")).strip()
    text = item.text if clip_at is None else clip(item.text, clip_at)
    body = f"「{text}」" if item.kind == "quote" else text
    if item.origin and item.origin != "report":
        body += (f"（{words['source']}：{ORIGIN_LABELS[lang][item.origin]}）" if lang == "zh"
                 else f" ({words['source']}: {ORIGIN_LABELS[lang][item.origin]})")
    return f"{head} {body}".strip() if head else body


def _joined(row: Optional[str], col: Optional[str]) -> str:
    """" ".join(x for x in (row, col) if x)"""
    return f"{row} {col}" if row and col else row or col or ""


def where_text(where: Optional[Source], lang: str = "zh") -> str:
    if where is None:
        return ""
    if type(where) is Source:
        fields = where.__dict__
        values = tuple(fields.values())
        for value in values:
            if value is not None and type(value) is not int:  # (a PDF's x and y)
                return where.describe(lang)
        key = (lang, tuple(fields), values)
        said = _PLACES_SAID.get(key)
        if said is None:
            if len(_PLACES_SAID) >= _PLACES_KEPT:
                _PLACES_SAID.clear()
            said = _PLACES_SAID[key] = where.describe(lang)
        return said
    return where.describe(lang)


# the positions said once per run, by all their fields, names and values apart (tuples hash in
# C, a Source's own hash is Python code; a tuple of (name, value) pairs made a tuple a field):
# 第12行, 第3页, the same few hundred in every report of a batch (a PDF's x and y differ for
# every piece of text: those are said each time)
_PLACES_SAID: dict[tuple[Any, ...], str] = {}
_PLACES_KEPT = 4096


def clip(text: str, limit: int = 90) -> str:
    """Long quotes shortened for a page or a terminal; JSON keeps them whole."""
    return text if len(text) <= limit else text[:limit - 1] + "…"
