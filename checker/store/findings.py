"""What the store needs to know about findings beyond their status: a fingerprint that
recognises the same finding in a later check, the key figures kept for an agency's history,
and review decisions as waivers.

A dismissal or waiver by a reviewer is a waiver of the engine (checker.engine.waivers) for one
report's rule: applied with ``apply_waivers``, it turns the failure into ``waived`` and rescores.

A fingerprint is the rule with the places and values its evidence points at (cells with their
table, row, column and raw text; quoted sentences; the failing items of a per-column rule),
never the message wording: a re-check after a rule's message or severity changed finds the same
finding; one after the numbers changed does not, and its review is flagged for a second look."""
from __future__ import annotations

import hashlib
from decimal import Decimal, InvalidOperation
from typing import Any, Mapping, Optional

from ..engine.waivers import Waiver
from ..results import Evidence, RuleResult

# the decisions that take a finding out of the score (it shows as waived)
WAIVING = ("dismissed", "waived")
DECISIONS = ("confirmed", "dismissed", "waived")
WAIVED = "waived"
# how a decision is named where a waiver says where it comes from
REVIEW_SOURCE = {"dismissed": "复核驳回", "waived": "复核豁免"}


def _evidence_key(item: Evidence) -> str:
    where = item.where.describe() if item.where is not None else ""
    return "|".join(str(x) for x in (item.kind, item.table or "", item.row or "", item.col or "", where,
                                     item.text, "" if item.value is None else item.value))


def fingerprint(result: RuleResult) -> str:
    parts = [result.rule]
    failing = [d for d in result.details if d.status == "fail"]
    if failing:
        for detail in failing:
            parts.append("item:" + str(detail.item or ""))
            parts.extend(_evidence_key(e) for e in detail.evidence)
    else:
        parts.extend(_evidence_key(e) for e in result.evidence)
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:32]


def is_finding(result: RuleResult) -> bool:
    """What a reviewer decides on: a failed rule (or one a decision already waived)."""
    return result.status in ("fail", WAIVED)


def review_waiver(rule: str, decision: str, note: str, reviewer: str, decided_at: str) -> Waiver:
    """A reviewer's dismissal or waiver of one report's finding, as the engine's waivers are
    written: it names the rule, says why and who decided; it matches the report it is applied to."""
    return Waiver(rules=(rule,), reason=note, approved_by=reviewer,
                  source=f"{REVIEW_SOURCE.get(decision, decision)} {decided_at}")


# --------------------------------------------------------------------------- key figures

# (name shown, table key, row key, column key) of the format's tables: what an agency's history
# shows year by year
KEY_FIGURES: tuple[tuple[str, str, str, str], ...] = (
    ("新收申请", "applications", "1", "total"),
    ("上年结转", "applications", "2", "total"),
    ("结转下年", "applications", "4", "total"),
    ("规章现行有效", "active_disclosure", "regulations", "in_force"),
    ("规范性文件现行有效", "active_disclosure", "normative_documents", "in_force"),
    ("行政复议", "reviews_and_litigation", "administrative_review", "total"),
    ("行政诉讼（直接起诉）", "reviews_and_litigation", "litigation_direct", "total"),
    ("行政诉讼（复议后起诉）", "reviews_and_litigation", "litigation_after_review", "total"),
)
# a figure is flagged when it changed by at least this share of last year's value and by at
# least MIN_CHANGE (small counts move a lot in relative terms and mean little)
CHANGE_SHARE = Decimal("0.5")
MIN_CHANGE = Decimal(5)
SCORE_CHANGE = Decimal(10)
# this year's 上年结转 must equal last year's 结转下年 (the cross-year identity of the format)
CARRIED = ("上年结转", "结转下年")


def table_cell(tables: Mapping[str, Any], table: str, row: str, col: str) -> Optional[Mapping[str, Any]]:
    """A cell of the tables as ``table_to_dict`` shapes them (nested or matrix)."""
    shaped = tables.get(table)
    if not isinstance(shaped, Mapping):
        return None
    if "columns" in shaped and "rows" in shaped:
        cells = (shaped["rows"] or {}).get(row)
        if not cells or col not in shaped["columns"]:
            return None
        return cells[shaped["columns"].index(col)]
    value = shaped.get(row)
    if isinstance(value, Mapping) and "kind" in value:
        return value
    if isinstance(value, Mapping):
        return value.get(col)
    return None


def key_figures(tables: Mapping[str, Any]) -> dict[str, Optional[Decimal]]:
    out: dict[str, Optional[Decimal]] = {}
    for name, table, row, col in KEY_FIGURES:
        cell = table_cell(tables, table, row, col)
        value = cell.get("value") if cell is not None and cell.get("kind") == "number" else None
        try:
            out[name] = None if value is None else Decimal(str(value))
        except InvalidOperation:
            out[name] = None
    return out


def changed(before: Optional[Decimal], after: Optional[Decimal]) -> bool:
    if before is None or after is None:
        return False
    difference = abs(after - before)
    return difference >= MIN_CHANGE and (before == 0 or difference >= abs(before) * CHANGE_SHARE)
