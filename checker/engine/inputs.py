"""The inputs rules read from a report, named by keys, and how a finding is traced to the finding
that caused it: one defect, one deduction (docs/scoring.md).

A key names something a report holds or states:

    part:6                          part 六
    table:applications              a table of the format
    row:applications/3.7            a row of it
    cell:applications/3.7/total     one cell
    meta:published                  a fact of the report's identity (title, agency, kind, year, date)

An input of last year's report has the prefix ``previous.``. The wider input covers the narrower:
a part holds the tables the format puts in it, a table its rows, a row its cells.

The engine learns two things about every finding from the rule's own data, with no list of rule
pairs anywhere:

- what it *lacked*: the inputs whose absence stopped the rule (a ``Missing`` raised by a blank
  cell, a ``needs`` that failed, a part its text scope lacks). These become the result's
  ``missing`` absences, each with its state and cause (the report's, the checker's, the user's).
- what its failure *reports* absent: the inputs its assertion tests with ``present()``,
  ``blank()``, ``part_found()`` or ``missing_rows()`` (found by walking the compiled expression
  once per rule), or the cells a ``cells`` rule finds without a number.

``link_roots`` then gives a finding whose missing content (a part, table, row or cell) is covered
by another failure's report that failure as its root; findings that lack the same content and
that no rule reports share one root, the heaviest of them. Facts of identity (who, which kind,
which year, when) are not grouped: each obligation they keep from being checked counts on its
own, so hiding them never pays."""
from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Callable, Iterable, Optional, Sequence

from ..formats import FormatSpec
from ..model import Cell
from ..results import SEVERITIES, Absence, RuleResult
from .expr import Missing, compile_expr, is_present
from .expr.nodes import Call, Literal, Node, constant_paths

if TYPE_CHECKING:  # pragma: no cover
    from .context import ReportView
    from .evaluation import RuleRun
    from .pack import Rule

PREVIOUS = "previous."
CONTENT_KINDS = ("part", "table", "row", "cell")
# a cell's kind is its state when it holds no number
_CELL_STATES = {"blank", "not_applicable", "text", "lost"}


# ----------------------------------------------------------------------------------- keys


def key_of_path(fmt: FormatSpec, path: Sequence[Any]) -> Optional[str]:
    """The key of a constant access path: ("applications", "3.7", "total") ->
    "cell:applications/3.7/total"; None for a path that names no input."""
    if not path:
        return None
    root, rest = str(path[0]), [str(p) for p in path[1:]]
    if root == "previous":
        inner = key_of_path(fmt, rest)
        return PREVIOUS + inner if inner else None
    if root == "meta":
        return f"meta:{rest[0]}" if rest else None
    spec = next((t for t in fmt.tables if t.key == root), None)
    if spec is None:
        return None
    if not rest:
        return f"table:{root}"
    columns = spec.row_column_keys.get(rest[0])
    if columns is None:
        return f"table:{root}"
    if len(rest) == 1:
        return f"cell:{root}/{rest[0]}/{columns[0]}" if spec.layout == "nested" and len(columns) == 1 \
            else f"row:{root}/{rest[0]}"
    column = rest[1] if rest[1] in columns else columns[0]  # `.value` of a one-cell row
    return f"cell:{root}/{rest[0]}/{column}"


@lru_cache(maxsize=8192)
def split(key: str) -> tuple[bool, str, str]:
    """(of last year's report, kind, name): "previous.cell:a/1/b" -> (True, "cell", "a/1/b")."""
    previous = key.startswith(PREVIOUS)
    bare = key[len(PREVIOUS):] if previous else key
    kind, _, name = bare.partition(":")
    return previous, kind, name


def parent(key: str, fmt: FormatSpec) -> Optional[str]:
    previous, kind, name = split(key)
    prefix = PREVIOUS if previous else ""
    if kind == "cell":
        table, row, _ = name.split("/", 2)
        return f"{prefix}row:{table}/{row}"
    if kind == "row":
        return f"{prefix}table:{name.split('/', 1)[0]}"
    if kind == "table":
        spec = next((t for t in fmt.tables if t.key == name), None)
        return f"{prefix}part:{spec.part}" if spec is not None else None
    return None


_LINEAGES: dict[tuple[int, str], tuple[FormatSpec, list[str]]] = {}


def lineage(key: str, fmt: FormatSpec) -> list[str]:
    """The key and every wider key holding it, narrowest first (kept per format: keys recur in
    every report)."""
    known = _LINEAGES.get((id(fmt), key))
    if known is not None and known[0] is fmt:
        return known[1]
    out = [key]
    while (up := parent(out[-1], fmt)) is not None:
        out.append(up)
    if len(_LINEAGES) < 100_000:
        _LINEAGES[(id(fmt), key)] = (fmt, out)
    return out


def covers(wide: str, narrow: str, fmt: FormatSpec) -> bool:
    return wide in lineage(narrow, fmt)


@lru_cache(maxsize=8192)
def is_content(key: str) -> bool:
    previous, kind, _ = split(key)
    return not previous and kind in CONTENT_KINDS


# ----------------------------------------------------------------------------------- labels


_META_LABELS = {"title": "标题", "agency": "报告机关", "agency_kind": "机关类型", "year": "报告年度",
                "published": "发布日期", "period_start": "统计期限", "period_end": "统计期限",
                "period_text": "统计期限", "signature_agency": "落款机关", "published_text": "发布日期"}


_LABELS: dict[tuple[int, str], tuple[FormatSpec, str]] = {}


def label_of(key: str, fmt: FormatSpec) -> str:
    """How a person names an input, in the format's own (Chinese) words (kept per format)."""
    known = _LABELS.get((id(fmt), key))
    if known is not None and known[0] is fmt:
        return known[1]
    label = _label_of(key, fmt)
    if len(_LABELS) < 100_000:
        _LABELS[(id(fmt), key)] = (fmt, label)
    return label


def _label_of(key: str, fmt: FormatSpec) -> str:
    previous, kind, name = split(key)
    label = ""
    if kind == "meta":
        label = _META_LABELS.get(name, name)
    elif kind == "part":
        try:
            spec = fmt.part(int(name))
            label = f"第{spec.ordinal}部分「{spec.label}」"
        except (ValueError, StopIteration, KeyError):
            label = name
    elif kind in ("table", "row", "cell"):
        pieces = name.split("/")
        spec = next((t for t in fmt.tables if t.key == pieces[0]), None)
        if spec is None:
            label = name
        else:
            label = f"「{spec.name}」表"
            if kind == "row" and pieces[1] in spec.row_column_keys:
                label += f"「{spec.row(pieces[1]).label}」行"
            elif kind == "cell":
                label += f"「{spec.cell_label(pieces[1], pieces[2])}」"
    return ("上年度报告" + label) if previous else label


# ----------------------------------------------------------------------------------- states


def _view_for(view: "ReportView", previous: bool) -> Optional["ReportView"]:
    return view.previous if previous else view


def state_of(view: "ReportView", key: str) -> tuple[str, str]:
    """(state, cause) of an input in this report: state "present" when it is there."""
    previous, kind, name = split(key)
    target = _view_for(view, previous)
    cause = "user" if previous else "report"
    if target is None:
        return "absent", "user"
    report = target.report
    if "no_text_layer" in report.flags:
        return "scan", cause
    if kind == "part":
        return ("present" if report.part(int(name)) is not None else "absent"), cause
    if kind == "meta":
        meta = report.meta
        if getattr(meta, name, None) is not None:
            return "present", cause
        if name == "agency_kind" and meta.agency:
            return "unclassified", "user" if previous else "checker"  # a name we cannot classify
        return "absent", cause
    if kind in ("table", "row", "cell"):
        pieces = name.split("/")
        table = report.tables.get(pieces[0])
        if table is None:
            return "absent", cause
        if table.unreadable:
            return "picture", cause
        if kind == "row":
            return ("present" if pieces[1] in _found_rows(target, table) else "absent"), cause
        if kind == "cell":
            cell = table.cells.get((pieces[1], pieces[2]))
            if cell is None:
                return "lost", cause
            return ("present" if cell.kind == "number" and cell.value is not None else cell.kind), cause
        return "present", cause
    return "unknown", "checker"


def _found_rows(view: "ReportView", table: Any) -> frozenset[str]:
    """The rows of a table whose label was found (once per report and table)."""
    memo_key = ("found rows", table.key)
    if memo_key not in view.memo:
        view.memo[memo_key] = frozenset(l.key for l in table.labels if l.kind == "row")
    return view.memo[memo_key]


def absence(view: "ReportView", key: str, fmt: FormatSpec) -> Absence:
    """What a report lacks of an input (its state "present" when it lacks nothing); the same
    for every rule of the report, so found once."""
    memo_key = ("absence", key)
    found = view.memo.get(memo_key)
    if found is None:
        found = view.memo[memo_key] = _absence(view, key, fmt)
    return found


def _absence(view: "ReportView", key: str, fmt: FormatSpec) -> Absence:
    state, cause = state_of(view, key)
    file = view.previous.report.source if key.startswith(PREVIOUS) and view.previous is not None else ""
    within = key
    if state != "present":
        for wider in lineage(key, fmt)[1:]:
            if state_of(view, wider)[0] == "present":
                break
            within = wider
    return Absence(key=key, state=state, cause=cause, label=label_of(key, fmt), file=file,  # type: ignore[arg-type]
                   within=within)


UNKNOWN = Absence(key="", state="unknown", cause="checker")


def cell_key(view: "ReportView", cell: Cell) -> Optional[str]:
    """The key of a cell a rule read, in this report or last year's."""
    address = view._addresses.get(id(cell))
    if address is not None:
        return "cell:" + "/".join(address)
    if view.previous is not None:
        address = view.previous._addresses.get(id(cell))
        if address is not None:
            return PREVIOUS + "cell:" + "/".join(address)
    return None


def cell_absence(view: "ReportView", cell: Cell, fmt: FormatSpec) -> Absence:
    key = cell_key(view, cell)
    if key is None:
        state = cell.kind if cell.kind in _CELL_STATES else "unknown"
        return Absence(key="", state=state, cause="report" if state != "unknown" else "checker")
    found = absence(view, key, fmt)
    if found.state == "present":  # read through a path that the report model does not place
        state = cell.kind if cell.kind in _CELL_STATES else "unknown"
        found = replace(found, state=state)
    return found


def absences_of(missing: Missing, view: "ReportView", rule: "Rule") -> tuple[Absence, ...]:
    """What a Missing raised while a rule ran says the report lacks."""
    fmt = view.fmt
    if missing.cell is not None:
        return (cell_absence(view, missing.cell, fmt),)
    keys = list(getattr(missing, "inputs", ()) or ())
    if not keys and missing.expr:
        keys = keys_of_source(missing.expr, rule, fmt)
    found = [absence(view, key, fmt) for key in dict.fromkeys(keys)]
    lacking = tuple(a for a in found if a.state != "present")
    return lacking or (UNKNOWN,)


def keys_of_source(source: str, rule: "Rule", fmt: FormatSpec) -> list[str]:
    """The keys of the constant paths of an expression's text; a `let` name stands for the
    paths of its own expression."""
    try:
        expr = compile_expr(source)
    except Exception:  # not an expression (a message); nothing to learn from it
        return []
    lets = dict(rule.lets)
    keys: list[str] = []
    for path in expr.paths():
        if path and path[0] in lets:
            keys.extend(k for p in lets[path[0]].paths() if (k := key_of_path(fmt, p)) is not None)
            continue
        key = key_of_path(fmt, path)
        if key is not None:
            keys.append(key)
    return keys


def keys_of_expr(expr: Any, fmt: FormatSpec) -> list[str]:
    return [k for p in expr.paths() if (k := key_of_path(fmt, p)) is not None]


def scope_absences(view: "ReportView", scope: Any) -> tuple[Absence, ...]:
    """The parts of a text scope ("narrative", "all" or a list of part ids) the report lacks."""
    if isinstance(scope, str):
        return ()
    found = (absence(view, f"part:{int(p)}", view.fmt) for p in scope)
    return tuple(a for a in found if a.state != "present")


def cause_of(absences: Iterable[Absence]) -> str:
    """The report's when any input it lacks is the report's own; otherwise the user's or ours."""
    causes = {a.cause for a in absences}
    for cause in ("report", "user", "checker"):
        if cause in causes:
            return cause
    return "checker"


# ----------------------------------------------------------------------------------- probes


@dataclass(frozen=True)
class Probe:
    """A presence test in a rule's assertion: when the rule fails, what it found absent is what
    its failure reports. ``kind``: "value" (present/blank of a path), "part" (part_found(n)),
    "rows" (missing_rows(table))."""

    kind: str
    node: Node
    key: str


# functions whose constant arguments name an input: stated('published') -> meta:published
_KEYED_CALLS: dict[str, Callable[[tuple[Node, ...]], Optional[str]]] = {
    "stated": lambda args: f"meta:{args[0].value}" if args and isinstance(args[0], Literal) else None,
}


def _static_key(node: Node, fmt: FormatSpec) -> Optional[str]:
    if isinstance(node, Call):
        keyed = _KEYED_CALLS.get(node.name)
        return keyed(node.args) if keyed else None
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


_PROBES: dict[int, tuple[Any, tuple[Probe, ...]]] = {}


def rule_probes(rule: "Rule", fmt: FormatSpec) -> tuple[Probe, ...]:
    """The presence tests of a rule's assertion, found once per rule (rules live for the run)."""
    cached = _PROBES.get(id(rule))
    if cached is None or cached[0] is not rule:
        expr = rule.options.get("assert") if isinstance(rule.options, dict) else None
        cached = (rule, probes_of(expr, fmt) if expr is not None and rule.options.get("for_each") is None else ())
        _PROBES[id(rule)] = cached
    return cached[1]


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


# ----------------------------------------------------------------------------------- roots


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
    lacking = {r.rule: _lacking(r) for r in results}
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
        if not all(any(k in everything for k in lineage(key, fmt)) for key in keys):
            return None
        best: Optional[tuple[tuple[int, int, int], str]] = None
        for candidate in reporters:
            if candidate is of:
                continue
            covered = reported_by[candidate.rule]
            width = 0
            for key in keys:
                line = lineage(key, fmt)
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
        below = tuple(sorted(caused.get(result.rule, ()), key=order.__getitem__))
        out.append(replace(result, root=root, caused=below) if root or below else result)
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
