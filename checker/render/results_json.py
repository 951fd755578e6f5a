"""Check results as the public JSON contract (schemas/results.schema.json): raw parameters
beside the rendered message, evidence with positions, exact numbers."""
from __future__ import annotations

from typing import Any, Callable, Iterable, Mapping, Optional

from ..messages import detail_message, reason, result_message
from ..results import Absence, Detail, ReportResult, RuleResult, Score

SCHEMA_VERSION = 1


# the raw parameters a result carries into JSON (its trace is for --explain)
def json_params(params: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in params.items() if k != "trace"}


def detail_dict(detail: Detail, lang: str, message_en: str) -> dict[str, Any]:
    out = {"item": detail.item, "status": detail.status, "message": detail_message(detail, lang, message_en),
           "params": json_params(detail.params), "evidence": [e.as_dict() for e in detail.evidence]}
    if detail.missing:
        out["missing"] = [a.as_dict() for a in detail.missing]
    return out


def result_dict(result: RuleResult, lang: str = "zh", messages_en: Optional[Mapping[str, str]] = None
                ) -> dict[str, Any]:
    message_en = (messages_en or {}).get(result.rule, "")
    out: dict[str, Any] = {
        "rule": result.rule, "status": result.status, "severity": result.severity,
        "category": result.category, "title": result.title,
        "message": result_message(result, lang, message_en),
        "template": result.template, "params": json_params(result.params),
        "evidence": [e.as_dict() for e in result.evidence], "basis": result.basis,
        "points": result.points,
    }
    if result.details:
        out["details"] = [detail_dict(d, lang, message_en) for d in result.details]
    if result.title_en:
        out["title_en"] = result.title_en
    return result_tail(result, lang, out, _as_dicts)


def _as_dicts(items: Iterable[Any]) -> list[dict[str, Any]]:
    return [item.as_dict() for item in items]


def result_tail(result: RuleResult, lang: str, out: dict[str, Any],
                missing: Callable[[tuple[Absence, ...]], list[Any]], reason_text: Optional[str] = None
                ) -> dict[str, Any]:
    """The fields a result object lists after its English title, when it has them; ``missing`` writes
    what the rule lacked (a batch's line refers to a list of them); ``reason_text`` is the
    reason when it is rendered already."""
    if result.cause is not None:
        out["cause"] = result.cause
    if result.status in ("not_assessable", "error"):
        out["reason"] = reason_text if reason_text is not None else reason(result, lang)
    if result.missing:
        out["missing"] = missing(result.missing)
    if result.reports:
        out["reports"] = list(result.reports)
    if result.root is not None:
        out["root"] = result.root
    if result.caused:
        out["caused"] = list(result.caused)
    if result.waiver is not None:
        out["waived_status"] = result.waived_status
        out["waiver"] = result.waiver.as_dict()
    return out


def score_dict(score: Optional[Score]) -> dict[str, Any]:
    if score is None:
        return {"profile": None, "profile_title": None, "score": None, "grade": None, "coverage": None}
    return {"profile": score.profile, "profile_title": score.profile_title, "score": score.score,
            "grade": score.grade, "coverage": score.coverage,
            "counts": dict(score.counts), "failures": dict(score.failures),
            "deductions": dict(score.deductions), "unverifiable": score.unverifiable}


def report_dict(report: ReportResult, lang: str = "zh", messages_en: Optional[Mapping[str, str]] = None
                ) -> dict[str, Any]:
    out = report_fields(report)
    out["results"] = [result_dict(r, lang, messages_en) for r in report.results]
    return report_tail(report, out)


def report_fields(report: ReportResult) -> dict[str, Any]:
    """A report object's fields before its results, in the order the JSON lists them."""
    card = score_dict(report.score)
    return {
        "source": report.source, "reader": report.reader, "meta": dict(report.meta),
        "score": card["score"], "grade": card["grade"], "coverage": card["coverage"],
        "profile": card["profile"], "profile_title": card["profile_title"],
        "counts": card.get("counts", {}), "failures": card.get("failures", {}),
        "unverifiable": card.get("unverifiable", 0),
        "error": report.error, "flags": list(report.flags),
        "waivers": [w.as_dict() for w in report.waivers],
    }


def report_tail(report: ReportResult, out: dict[str, Any]) -> dict[str, Any]:
    """The fields a report object lists after its results, when it has them."""
    if report.error_detail is not None:
        out["error_detail"] = report.error_detail
    if report.score is not None and report.score.grade and report.score.grade_en:
        out["grade_en"] = report.score.grade_en
    return out


def results_document(reports: Iterable[ReportResult], lang: str = "zh",
                     messages_en: Optional[Mapping[str, str]] = None) -> dict[str, Any]:
    return {"version": SCHEMA_VERSION, "reports": [report_dict(r, lang, messages_en) for r in reports]}
