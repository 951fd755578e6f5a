"""Evaluating one rule's expressions against one report, with its `let` names bound, and
collecting the cells each evaluation touched as evidence."""
from __future__ import annotations

from decimal import Decimal
from typing import Any, Mapping, Optional

from .context import ReportView
from .expr import Env, Expr, Missing
from .model import Cell
from .results import Evidence


class RuleRun:
    def __init__(self, rule: Any, view: ReportView) -> None:
        self.rule = rule
        self.view = view
        self.bindings: dict[str, Any] = dict(view.bindings)
        for name, expr in rule.lets:
            self.bindings[name] = self.evaluate(expr)

    def _env(self, extra: Optional[Mapping[str, Any]]) -> Env:
        return Env({**self.bindings, **extra} if extra else self.bindings)

    def _collect(self, env: Env) -> list[Evidence]:
        items = [self.view.cell_evidence(c) for c in env.trace]
        for item in items:
            self.view.note(item)
        return items

    def evaluate(self, expr: Expr, extra: Optional[Mapping[str, Any]] = None) -> Any:
        env = self._env(extra)
        try:
            return expr.evaluate(env)
        finally:
            self._collect(env)

    def evaluate_with_cells(self, expr: Expr, extra: Optional[Mapping[str, Any]] = None
                            ) -> tuple[Any, list[Evidence]]:
        env = self._env(extra)
        try:
            value = expr.evaluate(env)
        finally:
            cells = self._collect(env)
        return value, cells

    def explain(self, expr: Expr, extra: Optional[Mapping[str, Any]] = None) -> tuple[Any, list[Evidence]]:
        env = self._env(extra)
        try:
            explanation = expr.explain(env)
        finally:
            cells = self._collect(env)
        return explanation, cells

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
