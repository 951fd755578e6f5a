"""How a rule reached its verdict on one report: `xxgk explain RULE FILE`.

The rule is run exactly as `check` runs it (checker.engine.runner.run_rule), but with every
expression replaced by a traced copy: each node of the copy is an instance of a subclass of the
original node class that records its value (or the value the report lacked, or the rule's
error) before handing it on. The verdict is therefore the real one, and the trace says why:

* every evaluation of every expression of the rule (``needs``, ``applies``, ``let``, the kind's
  expressions such as ``for_each`` and ``assert`` once per item, ``params``), as a tree of its
  sub-expressions with their values - a cell with its table, row, column, place in the report
  and text as written; a quoted sentence with its place;
* what the kind itself saw (keyword groups and the sentences that matched them, claims and the
  numbers stated, similarity figures, labels as written against the mandated wording);
* which branch decided the status, and for not_assessable which input was missing.

A passing rule is explained as fully as a failing one."""
from __future__ import annotations

import dataclasses
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any, Callable, Iterator, Mapping, Optional

from ..model import Cell
from ..results import Evidence, RuleResult
from .context import ReportView, TableView
from .expr import Env, Expr, ExprError, Missing
from .expr.nodes import Literal, Node
from .pack import Rule
from .runner import run_rule

# ------------------------------------------------------------------------------- the trace


@dataclass
class TraceNode:
    """One sub-expression as it was evaluated: its value, or ``missing`` (the report lacks a
    value: why) or ``error`` (the rule is wrong: why)."""

    source: str
    kind: str  # the node class: Compare, Arith, Call, Name ...
    op: str = ""
    value: Any = None
    outcome: str = "value"  # value | missing | error
    reason: str = ""
    cell: Optional[Evidence] = None  # the cell a Missing points at
    children: list["TraceNode"] = field(default_factory=list)


@dataclass
class Step:
    """One evaluation of one of the rule's expressions (``key`` as in the rule file)."""

    key: str
    source: str
    item: Optional[tuple[str, Any]] = None  # the loop variable and its value
    tree: Optional[TraceNode] = None


class Recorder:
    def __init__(self, view: ReportView) -> None:
        self.view = view
        self.steps: list[Step] = []
        self._stack: list[TraceNode] = []

    def begin(self, key: str, expr: Expr, env: Env, loop_names: tuple[str, ...]) -> Step:
        item = next(((name, env.names[name]) for name in loop_names if name in env.names), None)
        step = Step(key=key, source=expr.source, item=item)
        if self.steps and _same_step(self.steps[-1], step):
            self.steps.pop()  # evaluated again to explain it (assert): keep the last
        self.steps.append(step)
        self._stack = []
        return step

    def enter(self, node: Node, step: Optional[Step]) -> TraceNode:
        frame = TraceNode(source=node.to_source(), kind=type(node).__mro__[1].__name__,
                          op=str(getattr(node, "op", "") or ""))
        if self._stack:
            self._stack[-1].children.append(frame)
        elif step is not None and step.tree is None:
            step.tree = frame
        self._stack.append(frame)
        return frame

    def leave(self) -> None:
        self._stack.pop()

    def cell(self, cell: Cell) -> Evidence:
        return self.view.cell_evidence(cell)


def _same_step(a: Step, b: Step) -> bool:
    if a.key != b.key or a.source != b.source:
        return False
    if a.item is None or b.item is None:
        return a.item is b.item
    return a.item[0] == b.item[0] and a.item[1] is b.item[1] or a.item == b.item


_RECORDER: ContextVar[Optional[Recorder]] = ContextVar("xxgk_explain_recorder", default=None)
_STEP: ContextVar[Optional[Step]] = ContextVar("xxgk_explain_step", default=None)


def _record(node: Node, env: Env, evaluate: Callable[[Node, Env], Any]) -> Any:
    recorder = _RECORDER.get()
    if recorder is None:
        return evaluate(node, env)
    frame = recorder.enter(node, _STEP.get())
    try:
        value = evaluate(node, env)
    except Missing as missing:
        frame.outcome, frame.reason = "missing", missing.reason
        if missing.cell is not None:
            frame.cell = recorder.cell(missing.cell)
        raise
    except ExprError as error:
        frame.outcome, frame.reason = "error", str(error)
        raise
    else:
        frame.value = _snapshot(value, recorder)
        return value
    finally:
        recorder.leave()


@lru_cache(maxsize=None)
def _traced_class(cls: type) -> type:
    """A subclass of a node class whose evaluate records what it gives."""
    original = cls.evaluate

    def evaluate(self: Node, env: Env) -> Any:
        return _record(self, env, original)

    return type(f"Traced{cls.__name__}", (cls,), {"evaluate": evaluate, "__slots__": ()})


def traced_node(node: Node) -> Node:
    """A copy of the tree whose nodes record their values (constants are left as they are: a
    ``null`` must stay a Literal for ``x == null`` to mean "is x absent")."""
    if isinstance(node, Literal):
        return node
    values = {}
    for item in dataclasses.fields(node):  # type: ignore[arg-type]
        if not item.init:
            continue
        value = getattr(node, item.name)
        if isinstance(value, Node):
            value = traced_node(value)
        elif isinstance(value, tuple) and value and all(isinstance(v, Node) for v in value):
            value = tuple(traced_node(v) for v in value)
        values[item.name] = value
    return _traced_class(type(node))(**values)


@dataclass(frozen=True)
class TracedExpr(Expr):
    """An expression of a rule that opens a step of the trace each time it is evaluated."""

    key: str = ""
    loop_names: tuple[str, ...] = ()

    def evaluate(self, env: Env) -> Any:
        return self._in_step(env, lambda: Expr.evaluate(self, env))

    def explain(self, env: Env) -> Any:
        # explaining reads a comparison's operands without evaluating the comparison node: the
        # trace comes from evaluating it, the explanation from an untraced second look
        self.evaluate(env)
        token = _RECORDER.set(None)
        try:
            return Expr.explain(self, env)
        finally:
            _RECORDER.reset(token)

    def _in_step(self, env: Env, run: Callable[[], Any]) -> Any:
        recorder = _RECORDER.get()
        if recorder is None:
            return run()
        token = _STEP.set(recorder.begin(self.key, self, env, self.loop_names))
        try:
            return run()
        finally:
            _STEP.reset(token)


def traced_expr(expr: Expr, key: str, loop_names: tuple[str, ...] = ()) -> TracedExpr:
    return TracedExpr(source=expr.source, root=traced_node(expr.root), _names=expr._names,
                      _functions=expr._functions, _paths=expr._paths, key=key, loop_names=loop_names)


def traced_rule(rule: Rule) -> Rule:
    """The rule with every expression traced, each labelled with its key in the rule file."""
    loop = tuple(rule.options.get("loop_names", ()))
    options = {name: _trace_option(value, name, loop) for name, value in rule.options.items()}
    if options.get("plain"):  # an assertion is explained by the cells it reads through the views
        options["plain"] = False
    return dataclasses.replace(
        rule,
        applies=traced_expr(rule.applies, "applies") if rule.applies is not None else None,
        needs=tuple(traced_expr(e, f"needs[{i}]") for i, e in enumerate(rule.needs)),
        lets=tuple((name, traced_expr(e, f"let.{name}")) for name, e in rule.lets),
        params=tuple((name, traced_expr(e, f"params.{name}", loop)) for name, e in rule.params),
        options=options,
    )


def _trace_option(value: Any, key: str, loop: tuple[str, ...]) -> Any:
    if isinstance(value, Expr):
        return traced_expr(value, key, loop if key != "for_each" else ())
    if isinstance(value, Mapping):
        return {k: _trace_option(v, f"{key}.{k}", loop) for k, v in value.items()}
    if isinstance(value, (list, tuple)) and any(isinstance(v, (Expr, Mapping, list, tuple)) for v in value):
        return type(value)(_trace_option(v, f"{key}[{i}]", loop) for i, v in enumerate(value))
    return value


# ------------------------------------------------------------------------------- values as shown


@dataclass(frozen=True)
class Shown:
    """A value as the explanation shows it: ``text`` for people, ``data`` for JSON (raw
    numbers, cells and sentences with their places)."""

    text: str
    data: Any
    brief: str = ""  # a cell as its value alone, for one-line summaries

    @property
    def short(self) -> str:
        return self.brief or self.text


_LIST_LIMIT = 8


def _snapshot(value: Any, recorder: Recorder) -> Shown:
    if isinstance(value, Cell):
        evidence = recorder.cell(value)
        brief = _scalar_text(value.value) if value.value is not None else f"({value.kind} {value.raw!r})"
        return Shown(cell_text(evidence), {"cell": evidence.as_dict()}, brief)
    if isinstance(value, Evidence):
        return Shown(quote_text(value), {"quote": value.as_dict()})
    if isinstance(value, TableView):
        return Shown(f"<table {value.key}>", {"table": value.key})
    if isinstance(value, (list, tuple)):
        items = [_snapshot(v, recorder) for v in value]
        shown = ", ".join(i.text for i in items[:_LIST_LIMIT])
        more = f", … ({len(items)} items)" if len(items) > _LIST_LIMIT else ""
        return Shown(f"[{shown}{more}]", [i.data for i in items])
    if isinstance(value, Mapping):
        name = type(value).__name__
        if name == "RowView":
            return Shown(repr(value), {"row": repr(value)})
        if name == "MetaView":
            return Shown("<meta>", {"meta": True})
        keys = list(value)[:6]
        return Shown("{" + ", ".join(f"{k}: {_scalar_text(value[k])}" for k in keys)
                     + (", …" if len(value) > 6 else "") + "}", {str(k): _plain(value[k]) for k in value})
    return Shown(_scalar_text(value), _plain(value))


def _plain(value: Any) -> Any:
    if isinstance(value, (str, int, Decimal, bool, date)) or value is None:
        return value
    if isinstance(value, Cell):
        return value.value if value.value is not None else value.raw
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return str(value)


def _scalar_text(value: Any) -> str:
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return repr(value if len(value) <= 60 else value[:59] + "…")
    if isinstance(value, Cell):
        return str(value.value) if value.value is not None else repr(value.raw)
    return str(value)


def where_text(evidence: Evidence) -> str:
    return evidence.where.describe() if evidence.where is not None else ""


def cell_text(evidence: Evidence) -> str:
    value = "" if evidence.value is None else _scalar_text(evidence.value)
    address = f"{evidence.table}[{evidence.row!r}][{evidence.col!r}]" if evidence.table else "cell"
    raw = f"「{evidence.text}」" if evidence.text else "（空白）"
    kind = "" if evidence.cell_kind in (None, "number") else f" {evidence.cell_kind}"
    place = where_text(evidence)
    return f"{value or '—'} ({address}{kind} {raw}{' ' + place if place else ''})"


def quote_text(evidence: Evidence) -> str:
    text = evidence.text if len(evidence.text) <= 80 else evidence.text[:79] + "…"
    place = where_text(evidence)
    return f"「{text}」" + (f" ({place})" if place else "")


# ------------------------------------------------------------------------------- the explanation


@dataclass
class Explanation:
    rule: Rule
    result: RuleResult
    steps: list[Step]
    decided_by: str
    missing: Optional[dict[str, Any]] = None  # for not_assessable: the input that was lacking
    seen: list[tuple[str, list[str]]] = field(default_factory=list)  # what the kind saw: (label, lines)


def explain_rule(rule: Rule, view: ReportView) -> Explanation:
    """Run ``rule`` on the report of ``view`` and say how it reached its verdict."""
    recorder = Recorder(view)
    token = _RECORDER.set(recorder)
    try:
        result = run_rule(traced_rule(rule), view)
    finally:
        _RECORDER.reset(token)
    result = dataclasses.replace(result, rule=rule.id)
    missing = _missing_input(recorder.steps, result)
    explanation = Explanation(rule=rule, result=result, steps=recorder.steps, decided_by="", missing=missing)
    explanation.decided_by = _decision(rule, view, explanation)
    seen = KIND_VIEWS.get(rule.kind)
    if seen is not None and result.status not in ("error",):
        explanation.seen = seen(rule, view, result)
    return explanation


def _missing_input(steps: list[Step], result: RuleResult) -> Optional[dict[str, Any]]:
    if result.status not in ("not_assessable",) and not any(d.status == "not_assessable" for d in result.details):
        return None
    for step in steps:
        if step.tree is not None and step.tree.outcome == "missing":
            node = _deepest_missing(step.tree)
            out: dict[str, Any] = {"key": step.key, "expression": node.source, "reason": node.reason}
            if node.cell is not None:
                out["cell"] = node.cell
            if step.item is not None:
                out["item"] = step.item
            return out
    for step in steps:
        if step.key.startswith("needs[") and step.tree is not None and step.tree.outcome == "value" \
                and step.tree.value.data is None:
            return {"key": step.key, "expression": step.source, "reason": f"{step.source} is absent"}
    reason = result.params.get("reason")
    return {"key": "", "expression": "", "reason": str(reason)} if reason else None


def _deepest_missing(node: TraceNode) -> TraceNode:
    """The sub-expression that gave the absent value: the deepest one that was missing, or - when
    it stopped on a valueless cell an operand gave - that operand."""
    for child in node.children:
        if child.outcome == "missing":
            return _deepest_missing(child)
    if node.cell is not None:
        wanted = node.cell.as_dict()
        for child in node.children:
            data = child.value.data if child.value is not None else None
            if isinstance(data, dict) and data.get("cell") == wanted:
                return TraceNode(source=child.source, kind=child.kind, value=child.value, outcome="missing",
                                 reason=node.reason, cell=node.cell)
    return node


def _decision(rule: Rule, view: ReportView, explanation: Explanation) -> str:
    result, steps = explanation.result, explanation.steps
    status = result.status
    if status == "error":
        return f"the rule failed to run: {result.params.get('error', '')}"
    if not steps and status == "not_assessable" and result.params.get("reason") == "unreadable":
        return "the report's content could not be read: every rule is not assessable"
    for step in steps:
        if step.key.startswith("needs[") and step.tree is not None and step.tree.outcome == "value" \
                and step.tree.value.data is None:
            return f"{step.key}: {step.source} is absent → {status}"
    missing = explanation.missing
    if missing and missing.get("key") and status == rule.on_missing and status != "fail":
        item = _item_text(missing.get("item"))
        return f"{missing['key']}{item}: {missing['expression']} — {missing['reason']} → {status}"
    applies = next((s for s in steps if s.key == "applies"), None)
    if status == "not_applicable" and applies is not None and applies.tree is not None \
            and applies.tree.value is not None and applies.tree.value.data is False:
        return f"applies: {applies.source} is false → not_applicable"
    if rule.kind == "assert":
        return _assert_decision(rule, steps, result)
    summary = RESULT_SUMMARIES.get(rule.kind)
    return summary(rule, result) if summary else f"the {rule.kind} kind decided: {status}"


def _item_text(item: Any) -> str:
    if not item:
        return ""
    name, value = item
    return f" ({name} = {_scalar_text(value) if not isinstance(value, Mapping) else value.get('label', '…')})"


def _assert_decision(rule: Rule, steps: list[Step], result: RuleResult) -> str:
    asserts = [s for s in steps if s.key == "assert"]
    if rule.options.get("for_each") is not None:
        for_each = next((s for s in steps if s.key == "for_each"), None)
        count = len(for_each.tree.value.data) if for_each and for_each.tree and for_each.tree.value \
            and isinstance(for_each.tree.value.data, list) else len(asserts)
        failing = [s for s in asserts if s.tree is not None and s.tree.outcome == "value"
                   and s.tree.value.data is False]
        if result.status == "fail" and failing:
            first = failing[0]
            return (f"assert is false for {len(failing)} of {count} items (of for_each); the first: "
                    f"{_item_text(first.item).strip()} {deciding_text(first.tree)} → fail")
        if result.status == "pass":
            return f"assert holds for every one of the {count} items of for_each → pass"
        return f"the items of for_each reached {result.status}"
    if not asserts or asserts[-1].tree is None:
        return f"→ {result.status}"
    tree = asserts[-1].tree
    verdict = "holds" if tree.value is not None and tree.value.data is True else "is false"
    return f"assert {verdict}: {deciding_text(tree)} → {result.status}"


def deciding(node: TraceNode) -> TraceNode:
    """The sub-expression that decided a true/false value: through ``and``/``or``/``not`` to the
    comparison (or other condition) whose value settled it."""
    value = node.value.data if node.value is not None else None
    if node.kind in ("And", "Or") and node.children:
        settling = (value is False) if node.kind == "And" else (value is True)
        if settling:
            for child in node.children:
                if child.value is not None and child.value.data is value:
                    return deciding(child)
        return node
    if node.kind == "Not" and node.children:
        return deciding(node.children[0])
    return node


def deciding_text(node: Optional[TraceNode]) -> str:
    if node is None:
        return ""
    chosen = deciding(node)
    if chosen.kind == "Compare" and len(chosen.children) == 2:
        left, right = chosen.children
        lv = left.value.short if left.value else "?"
        rv = right.value.short if right.value else "?"
        truth = chosen.value.short if chosen.value else "?"
        return f"{chosen.source} ({lv} {chosen.op} {rv} is {truth})"
    return f"{chosen.source} is {chosen.value.short if chosen.value else '?'}"


# ------------------------------------------------------------------------------- what kinds saw


def _keywords_view(rule: Rule, view: ReportView, result: RuleResult) -> list[tuple[str, list[str]]]:
    from .kinds.keywords import sentence_matches

    options = rule.options
    scope = options.get("scope")
    if scope is None or not view.scope_found(scope):
        return [("scope", [f"none of the parts of the scope {scope!r} was found"])]
    sentences = view.sentences(scope)
    out = [("scope", [f"{scope!r}: {len(sentences)} sentences, {sum(len(s.flat) for s in sentences)} characters"
                      + (f" (at least {options['min_chars']} required)" if options.get("min_chars") else "")])]
    for group in options.get("groups", ()):
        hits = [s for s in sentences if sentence_matches(group, s)]
        lines = [quote_text(s.evidence()) for s in hits[:5]] or ["no sentence matches"]
        if len(hits) > 5:
            lines.append(f"… and {len(hits) - 5} more")
        out.append((f"group {group['label']!r} ({len(hits)} sentences)", lines))
    out.append(("require", [f"{options.get('require')!r}"]))
    return out


def _claims_view(rule: Rule, view: ReportView, result: RuleResult) -> list[tuple[str, list[str]]]:
    if not result.details:
        return [("claims", ["the text makes none of the rule's claims"])]
    out = []
    for detail in result.details:
        quote = next((e for e in detail.evidence if e.kind == "quote"), None)
        cells = [cell_text(e) for e in detail.evidence if e.kind == "cell"]
        params = detail.params
        lines = [quote_text(quote)] if quote else []
        lines.append(f"states {params.get('claimed')}; the tables give {params.get('expected')} → {detail.status}")
        lines.extend(f"cell: {c}" for c in cells)
        out.append((f"claim {detail.item!r}", lines))
    return out


def _labels_view(rule: Rule, view: ReportView, result: RuleResult) -> list[tuple[str, list[str]]]:
    from .kinds.labels import wording_matches

    table = view.report.tables.get(rule.options.get("table", ""))
    if table is None:
        return [("labels", ["the table is absent"])]
    labels = [l for l in table.labels if l.kind in rule.options.get("label_kinds", ())]
    lines = [f"{'ok ' if wording_matches(l.written, l.expected) else 'BAD'} {l.kind} 「{l.written}」"
             + ("" if wording_matches(l.written, l.expected) else f" (mandated: 「{l.expected}」)")
             for l in labels]
    return [(f"labels of {table.key} ({len(labels)})", lines or ["no labels were read"])]


def _params_view(rule: Rule, view: ReportView, result: RuleResult) -> list[tuple[str, list[str]]]:
    figures = [f"{k} = {_scalar_text(v)}" for k, v in result.params.items() if k not in ("passages",)]
    quotes = [quote_text(e) for e in result.evidence if e.kind == "quote"]
    out = [("figures", figures or ["—"])]
    if quotes:
        out.append(("passages", quotes[:6]))
    return out


def _cells_view(rule: Rule, view: ReportView, result: RuleResult) -> list[tuple[str, list[str]]]:
    params = result.params
    lines = [f"{params.get('checked', 0)} cells checked against {', '.join(rule.options.get('require', ()))}; "
             f"{params.get('count', 0)} do not meet them"]
    lines.extend(cell_text(e) for d in result.details for e in d.evidence[:1])
    return [(f"cells of {rule.options.get('table')}", lines[:12])]


KIND_VIEWS: dict[str, Callable[[Rule, ReportView, RuleResult], list[tuple[str, list[str]]]]] = {
    "keywords": _keywords_view,
    "claims": _claims_view,
    "labels": _labels_view,
    "similarity": _params_view,
    "repeats": _params_view,
    "cells": _cells_view,
}


def _summary_from_params(rule: Rule, result: RuleResult) -> str:
    from ..messages import result_message
    return f"the {rule.kind} kind decided {result.status}: {result_message(result, 'zh')}"


def _keywords_summary(rule: Rule, result: RuleResult) -> str:
    params = result.params
    require = rule.options.get("require")
    if result.status == "pass":
        found = params.get("found") if require != "none" else ""
        return f"require = {require!r}: " + (f"found {found}" if found else "no group found") + " → pass"
    return f"require = {require!r}: {params.get('problem') or result.status} → {result.status}"


RESULT_SUMMARIES: dict[str, Callable[[Rule, RuleResult], str]] = {
    **{kind: _summary_from_params for kind in ("claims", "labels", "similarity", "repeats", "cells")},
    "keywords": _keywords_summary,
}


def walk(node: TraceNode, depth: int = 0) -> Iterator[tuple[int, TraceNode]]:
    yield depth, node
    for child in node.children:
        yield from walk(child, depth + 1)


__all__ = ["Explanation", "Step", "TraceNode", "explain_rule", "traced_rule", "deciding", "deciding_text",
           "cell_text", "quote_text", "walk"]
