"""A checked report as bytes for the database, and back: ``ReportResult`` → JSON → zlib.

The JSON keeps every value exact (Decimals as numbers, read back as Decimals; dates tagged) so
that a stored result renders, rescores and fingerprints exactly as the fresh one. ``decode``
also reads the objects of a batch's results.jsonl (``report_dict``)."""
from __future__ import annotations

import zlib
from datetime import date
from decimal import Decimal
from typing import Any, Mapping, Optional

from .. import jsonout
from ..batch.jsonl import dumps_line
from ..model import Source
from ..results import Absence, AppliedWaiver, Detail, Evidence, ReportResult, RuleResult, Score

_DATE = "$date"


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return {_DATE: value.isoformat()}
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _typed(value: Any) -> Any:
    if isinstance(value, dict):
        if len(value) == 1 and _DATE in value:
            return date.fromisoformat(value[_DATE])
        return {k: _typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_typed(v) for v in value]
    return value


def _evidence(item: Evidence) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": item.kind, "text": item.text}
    for name in ("table", "row", "col", "cell_kind", "role", "origin", "file", "label"):
        if getattr(item, name) is not None:
            out[name] = getattr(item, name)
    if item.value is not None:
        out["value"] = _plain(item.value)
    if item.where is not None:
        out["where"] = item.where.as_dict()
    return out


def _detail(detail: Detail) -> dict[str, Any]:
    out = {"status": detail.status, "template": detail.template, "params": _plain(detail.params),
           "evidence": [_evidence(e) for e in detail.evidence], "item": detail.item}
    if detail.missing:
        out["missing"] = [a.as_dict() for a in detail.missing]
    return out


def _result(result: RuleResult) -> dict[str, Any]:
    out = {"rule": result.rule, "status": result.status, "severity": result.severity,
           "category": result.category, "title": result.title, "template": result.template,
           "params": _plain(result.params), "evidence": [_evidence(e) for e in result.evidence],
           "details": [_detail(d) for d in result.details], "basis": result.basis, "points": result.points}
    # why a rule could not judge, and which finding it follows from (checker.engine.inputs, roots)
    for name in ("title_en", "cause", "root"):
        if getattr(result, name):
            out[name] = getattr(result, name)
    if result.missing:
        out["missing"] = [a.as_dict() for a in result.missing]
    for name in ("reports", "caused"):
        if getattr(result, name):
            out[name] = list(getattr(result, name))
    if result.waiver is not None:
        out["waiver"] = _plain(result.waiver.as_dict())
        out["waived_status"] = result.waived_status
    return out


def _score(card: Optional[Score]) -> Optional[dict[str, Any]]:
    if card is None:
        return None
    return {"profile": card.profile, "profile_title": card.profile_title, "score": card.score, "grade": card.grade,
            "coverage": card.coverage, "deductions": dict(card.deductions), "counts": dict(card.counts),
            "failures": dict(card.failures), "unverifiable": card.unverifiable, "grade_en": card.grade_en}


def to_dict(report: ReportResult) -> dict[str, Any]:
    out = {"source": report.source, "reader": report.reader, "error": report.error, "flags": list(report.flags),
           "meta": _plain(report.meta), "score": _score(report.score),
           "results": [_result(r) for r in report.results],
           "waivers": [_plain(w.as_dict()) for w in report.waivers]}
    if report.error_detail is not None:
        out["error_detail"] = report.error_detail
    return out


def encode(report: ReportResult) -> bytes:
    return zlib.compress(dumps_line(to_dict(report)).encode("utf-8"), 1)  # 3x faster than 6, 15% larger


def encode_json(value: Any) -> bytes:
    """Any JSON-able value (a result's dict, the tables as read), compressed. Written by the
    batch's C-encoder path (exact Decimals, ten times faster than the pure-Python writer)."""
    return zlib.compress(dumps_line(_plain(value)).encode("utf-8"), 1)


def decode_json(data: bytes) -> Any:
    return _typed(jsonout.loads(zlib.decompress(data).decode("utf-8")))


def decode(data: bytes) -> ReportResult:
    return from_dict(decode_json(data))


# --------------------------------------------------------------------------- reading back


def _dec(value: Any) -> Optional[Decimal]:
    return None if value is None else Decimal(str(value))


def _where(data: Mapping[str, Any]) -> Optional[Source]:
    raw = dict(data.get("where") or {})
    if not raw:
        return None
    for name in ("x", "y"):
        if name in raw:
            raw[name] = _dec(raw[name])
    return Source(**raw)


def _evidence_from(data: Mapping[str, Any]) -> Evidence:
    return Evidence(kind=data["kind"], text=data.get("text", ""), where=_where(data),
                    table=data.get("table"), row=data.get("row"), col=data.get("col"),
                    value=_typed(data.get("value")), cell_kind=data.get("cell_kind"), role=data.get("role"),
                    origin=data.get("origin"), file=data.get("file"), label=data.get("label"))


def _absences_from(items: Any) -> tuple[Absence, ...]:
    return tuple(Absence(key=a["key"], state=a["state"], cause=a["cause"], label=a.get("label", ""),
                         file=a.get("file", ""), within=a.get("within") or a["key"]) for a in items or ())


def _result_from(data: Mapping[str, Any]) -> RuleResult:
    return RuleResult(
        rule=data["rule"], status=data["status"], severity=data["severity"], category=data["category"],
        title=data.get("title", ""), template=data.get("template", ""), params=_typed(data.get("params") or {}),
        evidence=tuple(_evidence_from(e) for e in data.get("evidence") or ()),
        details=tuple(Detail(status=d["status"], template=d.get("template", ""), params=_typed(d.get("params") or {}),
                             evidence=tuple(_evidence_from(e) for e in d.get("evidence") or ()), item=d.get("item"),
                             missing=_absences_from(d.get("missing")))
                      for d in data.get("details") or ()),
        basis=data.get("basis", ""), points=_dec(data.get("points")),
        waiver=_waiver_from(data["waiver"]) if data.get("waiver") else None, waived_status=data.get("waived_status"),
        title_en=data.get("title_en", ""), cause=data.get("cause"), missing=_absences_from(data.get("missing")),
        reports=tuple(data.get("reports") or ()), root=data.get("root"), caused=tuple(data.get("caused") or ()))


def _waiver_from(data: Mapping[str, Any]) -> AppliedWaiver:
    expires = _typed(data.get("expires"))
    if isinstance(expires, str):
        expires = date.fromisoformat(expires)
    return AppliedWaiver(rules=tuple(data.get("rules") or ()), reason=data.get("reason", ""),
                         approved_by=data.get("approved_by", ""), source=data.get("source", ""), expires=expires)


def _score_from(data: Mapping[str, Any]) -> Optional[Score]:
    card = data.get("score")
    if isinstance(card, Mapping):
        source = card
    elif "profile" in data and data.get("profile") is not None:  # results.jsonl: the card is flattened
        source = data
    else:
        return None
    return Score(profile=source["profile"], score=_dec(source.get("score")), grade=source.get("grade"),
                 coverage=_dec(source.get("coverage")) or Decimal(0), profile_title=source.get("profile_title") or "",
                 deductions={k: _dec(v) for k, v in (source.get("deductions") or {}).items()},
                 counts=dict(source.get("counts") or {}), failures=dict(source.get("failures") or {}),
                 unverifiable=int(source.get("unverifiable") or 0), grade_en=source.get("grade_en") or "")


def _meta_from(meta: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(_typed(dict(meta)))
    for name in ("published", "period_start", "period_end"):
        if isinstance(out.get(name), str):
            try:
                out[name] = date.fromisoformat(out[name])
            except ValueError:
                pass
    return out


def from_dict(data: Mapping[str, Any]) -> ReportResult:
    return ReportResult(source=data["source"], meta=_meta_from(data.get("meta") or {}),
                        results=tuple(_result_from(r) for r in data.get("results") or ()),
                        score=_score_from(data), reader=data.get("reader", ""), error=data.get("error"),
                        flags=tuple(data.get("flags") or ()),
                        waivers=tuple(_waiver_from(w) for w in data.get("waivers") or ()),
                        error_detail=data.get("error_detail"))
