"""One defect, one deduction: which finding another follows from (its root), found from the
rules' own data, with no list of rule pairs anywhere (docs/scoring.md).

A failure *reports* inputs absent: the inputs its assertion tests with ``present()``,
``blank()``, ``part_found()`` or ``missing_rows()`` (found by walking the compiled expression once
per rule) that this report lacks, or the cells a ``cells`` rule finds without a number.

``link_roots`` gives a finding whose missing content (checker.engine.inputs: a part, table, row
or cell) is covered by another failure's report that failure as its root, and so does a failure
that only restates another's report. Findings that lack the same, or connected, content that no
rule reports share one root, the heaviest of them. Facts of identity (who, which kind, which year,
when) are not grouped: each obligation they keep from being checked counts on its own, so hiding
them never pays."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Optional, Sequence

from ..formats import FormatSpec
from ..frozen import evolve
from ..memo import by_identity
from ..results import SEVERITIES, Absence, RuleResult
from .expr import Missing, is_present
from .expr.nodes import Call, Literal, Node, constant_paths
from .inputs import is_content, key_of_path, lineage

if TYPE_CHECKING:  # pragma: no cover
    from .evaluation import RuleRun
    from .pack import Rule


@dataclass(frozen=True)
class Probe:
    """A presence test in a rule's assertion: when the rule fails, what it found absent is what
    its failure reports. ``kind``: "value" (present/blank of a path), "part" (part_found(n)),
    "rows" (missing_rows(table))."""

    kind: str
    node: Node
    key: str


def _static_key(node: Node, fmt: FormatSpec) -> Optional[str]:
    paths = constant_paths(node)
    return key_of_path(fmt, paths[0]) if len(paths) == 1 else None


def probes_of(expr: Any, fmt: FormatSpec) -> tuple[Probe, ...]:
    found: list[Probe] = []
    for node in expr.root.walk():
        if not isinstance(node, Call) or not node.args:
            continue
        if node.name in ("present", "blank"):
            key = _static_key(node.args[0], fmt)
            if key is not None:
                found.append(Probe("value", node.args[0], key))
        elif node.name == "part_found" and isinstance(node.args[0], Literal):
            found.append(Probe("part", node, f"part:{node.args[0].value}"))
        elif node.name == "missing_rows":
            key = _static_key(node.args[0], fmt)
            if key is not None and key.startswith("table:"):
                found.append(Probe("rows", node, key))
    return tuple(found)


@by_identity(4096)
def rule_probes(rule: "Rule", fmt: FormatSpec) -> tuple[Probe, ...]:
    """The presence tests of a rule's assertion, found once per rule (rules live for the run)."""
    expr = rule.options.get("assert") if isinstance(rule.options, dict) else None
    return probes_of(expr, fmt) if expr is not None and rule.options.get("for_each") is None else ()


def reported(rule: "Rule", run: "RuleRun") -> tuple[str, ...]:
    """The inputs a failed assertion found absent in this report."""
    keys: list[str] = []
    for probe in rule_probes(rule, run.view.fmt):
        try:
            value = run.value_of(probe.node)
        except Missing:
            value = None
        except Exception:  # a probe that cannot be evaluated reports nothing
            continue
        if probe.kind == "value" and not is_present(value):
            keys.append(probe.key)
        elif probe.kind == "part" and value is False:
            keys.append(probe.key)
        elif probe.kind == "rows" and value:
            table = probe.key.split(":", 1)[1]
            keys.extend(f"row:{table}/{row}" for row in value)
    return tuple(dict.fromkeys(keys))


def _rank(result: RuleResult, order: dict[str, int]) -> tuple[int, int]:
    """Heavier first, then the pack's order: who heads a group of equals."""
    severity = SEVERITIES.index(result.severity) if result.severity in SEVERITIES else len(SEVERITIES)
    return severity, order[result.rule]


def _lacking(result: RuleResult) -> list[Absence]:
    """The content the report lacks that decided this result, when that is all it lacked (a fact
    of identity, or an input of last year's report, is never grouped)."""
    if result.status not in ("fail", "not_assessable") or not result.missing:
        return []
    if any(a.cause != "report" or not is_content(a.key) for a in result.missing):
        return []
    return list(result.missing)


def link_roots(results: Sequence[RuleResult], fmt: FormatSpec) -> list[RuleResult]:
    """Each result with the finding it follows from (``root``) and, on a root, the findings that
    follow from it (``caused``)."""
    lacking = {r.rule: _lacking(r) if r.missing else () for r in results}  # (most results lack nothing)
    reporters = [r for r in results if r.status == "fail" and any(is_content(k) for k in r.reports)]
    if not reporters and not any(lacking.values()):
        return list(results)  # nothing is missing: no finding follows from another
    order = {r.rule: i for i, r in enumerate(results)}
    reported_by = {r.rule: frozenset(k for k in r.reports if is_content(k)) for r in reporters}
    everything = frozenset().union(*reported_by.values()) if reported_by else frozenset()
    root_of: dict[str, str] = {}

    def reporter(keys: Sequence[str], of: RuleResult, restating: bool) -> Optional[str]:
        """The failure whose report covers every key (its own report, for a failure that
        restates another's), the widest report first, then the heaviest."""
        lines = [lineage(key, fmt) for key in keys]
        if not all(not everything.isdisjoint(line) for line in lines):
            return None
        best: Optional[tuple[tuple[int, int, int], str]] = None
        for candidate in reporters:
            if candidate is of:
                continue
            covered = reported_by[candidate.rule]
            width = 0
            for line in lines:
                if covered.isdisjoint(line):  # (most candidates cover none of the first key's lineage)
                    break
                hits = [i for i, k in enumerate(line) if k in covered]
                if restating and hits and hits[0] == 0 and _rank(candidate, order) > _rank(of, order):
                    hits = hits[1:]  # of two equal reports the heavier (then the earlier) is the root
                if not hits:
                    break
                width = max(width, len(line) - hits[-1])  # how wide the widest covering input is
            else:
                rank = (width, *_rank(candidate, order))
                if best is None or rank < best[0]:
                    best = (rank, candidate.rule)
        return best[1] if best else None

    for result in results:
        found = reporter([a.key for a in lacking[result.rule]], result, restating=False) \
            if lacking[result.rule] else None
        if found is None and result.status == "fail" and result.reports \
                and all(is_content(k) for k in result.reports):
            found = reporter(result.reports, result, restating=True)
        if found is not None:
            root_of[result.rule] = found

    # content lacking that no failure reports (a table published as a picture; a blank cell when
    # the rule on blanks is not selected): the results lacking the same, or connected, content
    # form one group, headed by the heaviest of them
    groups = _UnionFind()
    loose = [r for r in results if r.rule not in root_of and lacking[r.rule]]
    for result in loose:
        for item in lacking[result.rule]:
            groups.union(result.rule, "input " + (item.within or item.key))
    members: dict[str, list[RuleResult]] = {}
    for result in loose:
        members.setdefault(groups.find(result.rule), []).append(result)
    for group in members.values():
        head = min(group, key=lambda r: _rank(r, order))
        for result in group:
            if result is not head:
                root_of[result.rule] = head.rule

    final = {rule_id: _ultimate(rule_id, root_of) for rule_id in root_of}
    caused: dict[str, list[str]] = {}
    for rule_id, root in final.items():
        if root != rule_id:
            caused.setdefault(root, []).append(rule_id)
    out = []
    for result in results:
        root = final.get(result.rule)
        root = root if root != result.rule else None
        below = caused.get(result.rule)
        below = tuple(sorted(below, key=order.__getitem__)) if below else ()
        out.append(evolve(result, root=root, caused=below) if root or below else result)
    return out


def _ultimate(rule_id: str, root_of: dict[str, str]) -> str:
    seen = {rule_id}
    while rule_id in root_of and root_of[rule_id] not in seen:
        rule_id = root_of[rule_id]
        seen.add(rule_id)
    return rule_id


class _UnionFind:
    def __init__(self) -> None:
        self.up: dict[str, str] = {}

    def find(self, item: str) -> str:
        self.up.setdefault(item, item)
        while self.up[item] != item:
            self.up[item] = self.up[self.up[item]]
            item = self.up[item]
        return item

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.up[max(ra, rb)] = min(ra, rb)
