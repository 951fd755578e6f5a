"""Rule kinds: each is a plain function registered in KINDS by the module that defines it.

A kind has two functions: ``prepare(data, compiler) -> options`` compiles the kind's own keys of
a rule (expressions, regular expressions) when the pack is loaded - ``compiler.expr`` and
``compiler.regex`` record a problem naming the key and go on, ``compiler.error`` makes one to
raise; ``run(rule, run) -> Outcome`` checks one report. ``params`` lists the message
parameters the kind provides, so a template naming another one is caught at lint time."""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping, Optional

from ...frozen import quick_init
from ...results import Absence, Detail, Evidence

if TYPE_CHECKING:  # pragma: no cover
    from ..evaluation import RuleRun
    from ..pack import Rule, RuleCompiler


@quick_init
@dataclass(frozen=True)
class Outcome:
    status: str
    params: Mapping[str, Any] = field(default_factory=dict)
    evidence: tuple[Evidence, ...] = ()
    details: tuple[Detail, ...] = ()
    # the inputs the report lacked that decided the outcome (checker.engine.inputs)
    missing: tuple[Absence, ...] = ()
    # the inputs whose absence a failure reports, when the kind knows them (cells without a number)
    reports: tuple[str, ...] = ()


Prepare = Callable[[Mapping[str, Any], "RuleCompiler"], dict[str, Any]]
Run = Callable[["Rule", "RuleRun"], Outcome]


@dataclass(frozen=True)
class Kind:
    name: str
    run: Run
    prepare: Prepare
    params: frozenset[str]
    doc: str = ""


KINDS: dict[str, Kind] = {}


def _no_options(data: Mapping[str, Any], compiler: "RuleCompiler") -> dict[str, Any]:
    return {}


def kind(name: str, *, params: Iterable[str], prepare: Optional[Prepare] = None) -> Callable[[Run], Run]:
    """Register a rule kind: ``@kind("assert", params=[...], prepare=...)`` on its run function."""

    def decorate(run: Run) -> Run:
        KINDS[name] = Kind(name=name, run=run, prepare=prepare or _no_options, params=frozenset(params),
                           doc=(run.__doc__ or "").strip())
        return run

    return decorate


def aggregate(details: Iterable[Detail]) -> str:
    return aggregate_statuses([d.status for d in details])


def aggregate_statuses(statuses: list[str]) -> str:
    """A rule's status from its items: any failure fails it; it passes only when every item
    passed; items that could not be assessed make it not assessable."""
    if not statuses:
        return "not_applicable"
    present = set(statuses)  # a table's rule has an item per cell: each status looked at once
    if "error" in present:
        return "error"
    if "fail" in present:
        return "fail"
    if present == {"not_applicable"}:
        return "not_applicable"
    if present <= {"pass", "not_applicable"}:
        return "pass"
    return "not_assessable"


for _module in ("assertion", "cells", "keywords", "claims", "labels", "repeats", "similarity"):
    importlib.import_module(f"{__name__}.{_module}")
