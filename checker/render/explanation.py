"""`xxgk explain` output: how a rule reached its verdict on one report, as text for a person or as
JSON (the same trace: every evaluation with the tree of its sub-expressions)."""
from __future__ import annotations

from typing import Any, Optional

from ..engine.explain import Explanation, Step, TraceNode
from ..messages import STATUS_LABELS, result_message
from ..provenance import Provenance
from .provenance import provenance_text
from .results_json import result_dict
from .results_text import evidence_line

# a path's own steps (applications["1"] under applications["1"][col]) say nothing its value does not
_PATH_KINDS = frozenset({"Index", "Attr", "Name"})


def explanation_text(explanation: Explanation, source: str, provenance: Optional[Provenance] = None,
                     lang: str = "zh") -> str:
    rule, result = explanation.rule, explanation.result
    status = result.status
    lines = [f"{rule.id} {rule.title}",
             f"  kind {rule.kind} · severity {result.severity} · {rule.location}",
             f"report: {source}",
             f"status: {status} ({STATUS_LABELS[lang].get(status, status)})"
             + (f" — {result_message(result, lang, rule.message_en)}" if status in ("fail", "pass", "waived")
                and result.template else ""),
             f"decided by: {explanation.decided_by}"]
    missing = explanation.missing
    if missing:
        lines.append(f"missing input: {missing.get('expression') or '—'} — {missing.get('reason', '')}")
        if missing.get("cell") is not None:
            lines.append(f"  cell: {evidence_line(missing['cell'])}")
    lines.append("")
    lines.append("expressions:")
    if not explanation.steps:
        lines.append("  (none was evaluated)")
    for step in explanation.steps:
        lines.extend(step_lines(step))
    if explanation.seen:
        lines.append("")
        lines.append(f"what the {rule.kind} rule saw:")
        for label, items in explanation.seen:
            lines.append(f"  {label}")
            lines.extend(f"    {item}" for item in items)
    if result.evidence:
        lines.append("")
        lines.append("evidence of the result:")
        lines.extend(f"  {evidence_line(e)}" for e in result.evidence[:12])
        if len(result.evidence) > 12:
            lines.append(f"  … {len(result.evidence) - 12} more (--format json has them all)")
    text = "\n".join(lines)
    return text + ("\n\n" + provenance_text(provenance, lang) if provenance else "")


def step_lines(step: Step) -> list[str]:
    item = ""
    if step.item is not None:
        name, value = step.item
        shown = value.get("label") if isinstance(value, dict) and "label" in value else value
        item = f" ({name} = {shown!r})" if isinstance(shown, str) else f" ({name} = {shown})"
    head = f"  {step.key}{item}: {step.source}"
    if step.tree is None:
        return [head, "    (not evaluated)"]
    lines = [head]
    lines.extend(_node_lines(step.tree, 2))
    return lines


def _node_lines(node: TraceNode, depth: int) -> list[str]:
    indent = "  " * depth
    if node.outcome == "missing":
        value = f"⟂ missing: {node.reason}"
    elif node.outcome == "error":
        value = f"✗ error: {node.reason}"
    else:
        value = node.value.text if node.value is not None else "?"
    lines = [f"{indent}{node.source} → {value}"]
    if node.kind in _PATH_KINDS and node.outcome == "value":
        return lines
    for child in node.children:
        lines.extend(_node_lines(child, depth + 1))
    return lines


def explanation_dict(explanation: Explanation, source: str, provenance: Optional[Provenance] = None,
                     lang: str = "zh") -> dict[str, Any]:
    rule = explanation.rule
    missing = dict(explanation.missing) if explanation.missing else None
    if missing and missing.get("cell") is not None:
        missing["cell"] = missing["cell"].as_dict()
    if missing and missing.get("item") is not None:
        missing["item"] = {"name": missing["item"][0], "value": _item_value(missing["item"][1])}
    out: dict[str, Any] = {
        "rule": rule.id, "title": rule.title, "kind": rule.kind, "file": rule.location, "report": source,
        "status": explanation.result.status, "decided_by": explanation.decided_by, "missing": missing,
        "steps": [_step_dict(step) for step in explanation.steps],
        "seen": [{"label": label, "lines": items} for label, items in explanation.seen],
        "result": result_dict(explanation.result, lang, {rule.id: rule.message_en} if rule.message_en else {}),
    }
    if provenance is not None:
        out["provenance"] = provenance.as_dict()
    return out


def _item_value(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: v for k, v in value.items() if k != "cell"}
    return value


def _step_dict(step: Step) -> dict[str, Any]:
    return {"key": step.key, "source": step.source,
            "item": {"name": step.item[0], "value": _item_value(step.item[1])} if step.item else None,
            "tree": _node_dict(step.tree) if step.tree is not None else None}


def _node_dict(node: TraceNode) -> dict[str, Any]:
    out: dict[str, Any] = {"source": node.source, "node": node.kind}
    if node.op:
        out["op"] = node.op
    if node.outcome == "value":
        out["value"] = node.value.data if node.value is not None else None
    else:
        out[node.outcome] = node.reason
        if node.cell is not None:
            out["cell"] = node.cell.as_dict()
    if node.children:
        out["children"] = [_node_dict(child) for child in node.children]
    return out


__all__ = ["explanation_text", "explanation_dict"]
