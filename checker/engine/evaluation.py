"""Evaluating one rule's expressions against one report, with its `let` names bound, and
turning the cells each evaluation touched into evidence."""
from __future__ import annotations

from decimal import Decimal
from typing import Any, Iterable, Mapping, Optional

from .context import ReportView
from .expr import Env, Explanation, Expr, Missing
from .inputs import absences_of
from ..model import Cell
from ..results import Absence, Evidence


class RuleRun:
    def __init__(self, rule: Any, view: ReportView) -> None:
        self.rule = rule
        self.view = view
        # the view's names are shared, read-only; a rule with `let` names gets its own copy
        self.bindings: dict[str, Any] = dict(view.bindings) if rule.lets else view.bindings
        for name, expr in rule.lets:
            self.bindings[name] = self.evaluate(expr)

    def _env(self, extra: Optional[Mapping[str, Any]]) -> Env:
        return Env({**self.bindings, **extra} if extra else self.bindings)

    def evidence_of(self, cells: Iterable[Cell]) -> list[Evidence]:
        return [self.view.cell_evidence(c) for c in cells]

    def evaluate(self, expr: Expr, extra: Optional[Mapping[str, Any]] = None) -> Any:
        """The value; the cells it read become evidence of the rule."""
        env = self._env(extra)
        try:
            return expr.evaluate(env)
        finally:
            if env.noted:  # most evaluations (a name, a presence test, a text function) read no cell
                for item in self.evidence_of(env.trace):
                    self.view.note(item)

    def evaluate_traced(self, expr: Expr, extra: Optional[Mapping[str, Any]] = None
                        ) -> tuple[Any, tuple[Cell, ...]]:
        """The value and the cells it read, for the caller to quote (or not)."""
        env = self._env(extra)
        value = expr.evaluate(env)
        return value, env.trace

    def explain_traced(self, expr: Expr, extra: Optional[Mapping[str, Any]] = None
                       ) -> tuple[Explanation, tuple[Cell, ...]]:
        env = self._env(extra)
        explanation = expr.explain(env)
        return explanation, env.trace

    def value_of(self, node: Any, extra: Optional[Mapping[str, Any]] = None) -> Any:
        """The value of a sub-expression (a node of a compiled expression), quoting nothing."""
        return node.evaluate(self._env(extra))

    def plain_names(self, tables: tuple[str, ...], previous: bool = False) -> dict[str, Any]:
        """The rule's names with the report's ``tables`` (and, with ``previous``, last year's)
        as plain dicts (checker.engine.expr.plain): a copy, the caller's to bind an item in."""
        view = self.view
        shared = view.bindings
        names = dict(self.bindings)
        for key in tables:
            if key in names and names[key] is shared.get(key):  # not a `let` of the same name
                names[key] = view.plain_table(key)
        if previous and view.previous is not None and names.get("previous") is shared.get("previous"):
            last = view.previous
            names["previous"] = {**last.bindings, **{key: last.plain_table(key) for key in tables if key in last.bindings}}
        return names

    def absences(self, missing: Missing) -> tuple[Absence, ...]:
        """What the report lacks, by what a Missing raised while the rule ran says."""
        return absences_of(missing, self.view, self.rule)

    def params(self, extra: Optional[Mapping[str, Any]] = None) -> dict[str, Any]:
        """The rule's own `params`; one that cannot be computed (a blank cell) is None."""
        out: dict[str, Any] = {}
        for name, expr in self.rule.params:
            try:
                out[name] = plain(self.evaluate(expr, extra))
            except Missing:
                out[name] = None
        return out


def plain(value: Any) -> Any:
    """A parameter value as JSON can carry it: cells become their value (or raw text)."""
    if isinstance(value, Cell):
        return value.value if value.value is not None else value.raw
    if isinstance(value, Evidence):
        return value.text
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, float):  # pragma: no cover - the language has no floats
        return Decimal(str(value))
    return value
