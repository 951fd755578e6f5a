"""Kind `assert`: an expression that must hold, optionally once per item of `for_each`
(columns, rows, blocks, cells). When the assertion compares two numbers, a failure reports
both sides and their difference."""
from __future__ import annotations

from decimal import Decimal
from typing import Any, Mapping

from ..evaluation import RuleRun, plain
from ..expr import EvalError, Missing
from ..model import Cell
from ..results import Detail, Evidence
from . import Outcome, aggregate, kind


def prepare(data: Mapping[str, Any], compiler: Any) -> dict[str, Any]:
    each = data.get("each", "item")
    loop = (each,) if "for_each" in data else ()
    options: dict[str, Any] = {
        "assert": compiler.expr(data["assert"], "assert", loop),
        "for_each": compiler.expr(data["for_each"], "for_each") if "for_each" in data else None,
        "each": each,
        "loop_names": loop,
        "item_label": compiler.expr(data["item_label"], "item_label", loop) if "item_label" in data else None,
        "tolerance": Decimal(str(data.get("tolerance", 0))),
        "evidence": compiler.expr(data["evidence"], "evidence", loop) if "evidence" in data else None,
    }
    return options


def _difference(left: Any, right: Any) -> Any:
    if isinstance(left, (int, Decimal)) and isinstance(right, (int, Decimal)) \
            and not isinstance(left, bool) and not isinstance(right, bool):
        return left - right
    return None


def _holds(explanation: Any, tolerance: Decimal) -> bool:
    deciding = explanation.innermost()
    if deciding.op == "==" and tolerance and deciding is explanation:
        diff = _difference(deciding.left, deciding.right)
        if diff is not None:
            return abs(diff) <= tolerance
    return bool(explanation.value)


def _check_one(rule: Any, run: RuleRun, extra: dict[str, Any], label: str | None) -> Detail:
    options = rule.options
    for item in extra.values():
        if isinstance(item, Mapping) and isinstance(item.get("cell"), Cell):
            run.view.locate(item["cell"], item["table"], item["row"], item["col"])
    explanation = None
    try:
        if options["tolerance"]:
            explanation, cells = run.explain_traced(options["assert"], extra)
            ok = _holds(explanation, options["tolerance"])
        else:
            # evaluate first: explaining (operands of the deciding comparison) is only needed
            # for the message of a failure
            value, cells = run.evaluate_traced(options["assert"], extra)
            ok = bool(value)
            if not ok:
                explanation, cells = run.explain_traced(options["assert"], extra)
    except Missing as missing:
        evidence = (run.view.cell_evidence(missing.cell),) if missing.cell is not None else ()
        params = {"item": label, "reason": str(missing)}
        return Detail(status=rule.on_missing, template="", params=params, evidence=evidence, item=label)
    params: dict[str, Any] = {"item": label}
    if explanation is not None:
        deciding = explanation if explanation.op is not None else explanation.innermost()
        if deciding.op is not None:
            left, right = plain(deciding.left), plain(deciding.right)
            params.update(left=left, right=right, op=deciding.op, diff=_difference(left, right))
    if not ok or rule.pass_message:  # parameters are only read by the message that will be shown
        params.update(run.params(extra))
    # a passing item quotes nothing (a table of 175 cells would quote them all); a failing one
    # quotes the cells it read and whatever the rule's `evidence` expression points at
    evidence: list[Evidence] = []
    if not ok:
        evidence = run.evidence_of(cells)
        if options["evidence"] is not None:
            try:
                before = len(run.view.quoted)
                run.evaluate(options["evidence"], extra)
                evidence += run.view.evidence[before:]
            except (Missing, EvalError):
                pass
    status = "pass" if ok else "fail"
    template = rule.message if status == "fail" else rule.pass_message
    return Detail(status=status, template=template, params=params, evidence=tuple(evidence), item=label)


@kind("assert", params=("item", "left", "right", "diff", "op", "reason", "count"), prepare=prepare)
def run_assert(rule: Any, run: RuleRun) -> Outcome:
    """An expression that must be true, per item of `for_each` when given."""
    options = rule.options
    if options["for_each"] is None:
        detail = _check_one(rule, run, {}, None)
        evidence = dict.fromkeys([*detail.evidence, *run.view.evidence])
        return Outcome(status=detail.status, params=detail.params, evidence=tuple(evidence), details=())
    items = run.evaluate(options["for_each"])
    if items is None:
        raise Missing(reason="nothing to check")
    details = []
    for item in items:
        extra = {options["each"]: item}
        label = None
        if options["item_label"] is not None:
            try:
                label = str(plain(run.evaluate(options["item_label"], extra)))
            except Missing:
                label = None
        if label is None:
            label = str(plain(item)) if not isinstance(item, Mapping) else str(item.get("label", ""))
        details.append(_check_one(rule, run, extra, label))
    status = aggregate(details)
    failing = [d for d in details if d.status == status]
    params = dict(failing[0].params) if failing else {}
    params["count"] = sum(1 for d in details if d.status == "fail")
    return Outcome(status=status, params=params, evidence=tuple(e for d in details if d.status == "fail"
                                                               for e in d.evidence),
                   details=tuple(details))
