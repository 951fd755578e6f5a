"""Kind `assert`: an expression that must hold, optionally once per item of `for_each`
(columns, rows, blocks, cells). When the assertion compares two numbers, a failure reports
both sides and their difference.

Only items that did not pass are kept as details: a passing column needs no message, and a
table of 175 cells should not produce 175 entries."""
from __future__ import annotations

from decimal import Decimal
from itertools import compress, repeat
from operator import is_
from typing import Any, Callable, Mapping, Optional

from ..evaluation import RuleRun, plain
from ..expr import Env, EvalError, Missing
from ..expr.nodes import Attr, Name
from ..expr.plain import plain_missing_safe, plain_safe
from ..expr.whole import NotWhole, whole_check
from ..expr.values import is_mapping
from ...frozen import filled, make
from ...memo import by_identity
from ...model import Cell
from ...results import Detail, Evidence
from . import Outcome, aggregate_statuses, kind


def prepare(data: Mapping[str, Any], compiler: Any) -> dict[str, Any]:
    each = data.get("each", "item")
    for_each = compiler.expr(data["for_each"], "for_each", expect="list") if "for_each" in data else None
    loop = {each: compiler.element_type(for_each)} if for_each is not None else {}
    assertion = compiler.expr(data["assert"], "assert", loop, expect="bool")
    tables = _tables_named(assertion, compiler.fmt)
    return {
        "assert": assertion,
        # whether it may be evaluated on plain values first (checker.engine.expr.plain), and
        # whether it reads last year's report
        "plain": plain_safe(assertion),
        "plain_tables": tables,
        "plain_previous": "previous" in assertion.names(),
        # whether its Missing at a lost cell, raised on plain values, is the views' own
        "plain_missing": plain_missing_safe(assertion, frozenset(tables) | {"previous"}),
        "for_each": for_each,
        "each": each,
        "loop_names": tuple(loop),
        "loop_types": loop,
        "item_label": compiler.expr(data["item_label"], "item_label", loop) if "item_label" in data else None,
        "tolerance": Decimal(str(data.get("tolerance", 0))),
        "evidence": compiler.expr(data["evidence"], "evidence", loop) if "evidence" in data else None,
    }


def _tables_named(expr: Any, fmt: Any) -> tuple[str, ...]:
    """The tables of the format an expression names (``applications``, ``previous.applications``)."""
    keys = {table.key for table in fmt.tables}
    named = {getattr(node, "name", None) for node in expr.root.walk() if isinstance(node, (Name, Attr))}
    return tuple(sorted(keys & named))


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


_UNTRIED = object()


def _decide(rule: Any, run: RuleRun, extra: dict[str, Any], value: Any = _UNTRIED
            ) -> tuple[bool, Any, tuple[Cell, ...]]:
    """Whether the assertion holds, its explanation when it does not, and the cells it read
    (``value``: the assertion's value, when the caller has evaluated it already)."""
    options = rule.options
    if options["tolerance"]:
        explanation, cells = run.explain_traced(options["assert"], extra)
        return _holds(explanation, options["tolerance"]), explanation, cells
    # evaluate first: the operands of the deciding comparison, and the cells read, are only
    # needed to explain a failure
    if value is _UNTRIED:
        value = run.value_of(options["assert"], extra)
    if value:
        return True, None, ()
    explanation, cells = run.explain_traced(options["assert"], extra)
    return False, explanation, cells


def _plain_check(rule: Any, run: RuleRun) -> Optional[Callable[[Any], Any]]:
    """item -> whether the assertion holds for it on plain values (checker.engine.expr.plain),
    when the rule may be evaluated so: True passes the item with nothing more to do (it has no
    detail); a Missing at a cell the table lacks is the one the views would raise (the item's
    detail says so, checker.engine.expr.plain.plain_missing_safe); None says nothing, the item
    is checked through the views."""
    options = rule.options
    if not options["plain"] or options["tolerance"] or rule.pass_message:
        return None
    names = run.plain_names(options["plain_tables"], previous=options["plain_previous"])
    env = Env(names)
    each = options["each"] if options["for_each"] is not None else None
    evaluate = options["assert"].evaluate
    made = run.view.made if options["plain_missing"] else None
    whole = _whole(rule)
    kept: dict[object, Any] = {}  # what the whole-number check keeps from item to item

    # the items left to the views in a row: what fails every column alike that way (each
    # evaluated twice) has the views decide the rest on their own after two; and the items the
    # whole-number check could not tell in a row (a lost row of a table fails every column's
    # sum): after two, the rest are not tried that way
    misses = [0]
    unwhole = [0]

    def holds(item: Any) -> Any:
        if misses[0] >= 2:
            return None
        if each is not None:
            names[each] = item
        if whole is not None and unwhole[0] < 2:
            try:
                if whole(names, kept) is True:
                    misses[0] = unwhole[0] = 0
                    return True
            except NotWhole:
                pass
            unwhole[0] += 1
        env.noted = []
        try:
            if evaluate(env) is True:
                misses[0] = 0
                return True
        except Missing as missing:
            if made is not None and missing.cell is not None:
                named = _as_the_views_raise(missing.cell, env, made)
                if named is not None:
                    missing.cell = named
                    return missing
        except Exception:  # an error: the views' evaluation says which, and where
            pass
        misses[0] += 1
        return None

    return holds


@by_identity(4096)
def _whole(rule: Any) -> Optional[Callable[[dict, dict], Any]]:
    """The rule's assertion on whole numbers (checker.engine.expr.whole), made once per run: it
    passes an item where the plain evaluation would, without noting what it reads."""
    return whole_check(rule.options["assert"], frozenset(rule.options["loop_names"]))


def _as_the_views_raise(cell: Any, env: Env, made: Callable[[Any], Optional[Cell]]) -> Optional[Cell]:
    """The cell that names, as the views' Missing would, the place of a Missing raised at
    ``cell`` on plain values; None when that cannot be told. A lost cell is made anew, at its
    place, at each read through a view. A cell without a number is one object however many
    places it has (a reader's row of lost cells), and the view names the place it was read at
    last: the place of the last of its copies read, every copy being read in the order the
    values are noted (each read value is noted as it is made), when no copy was read twice."""
    stands_for = made(cell)
    if stands_for is None:
        return None
    if stands_for is cell:
        return cell
    reads: list[Cell] = []
    _copies_read(env.noted, stands_for, made, reads)
    if not reads or len({id(read) for read in reads}) != len(reads) or any(read is stands_for for read in reads):
        return None
    return reads[-1]


def _copies_read(values: Any, stands_for: Cell, made: Callable[[Any], Optional[Cell]], reads: list[Cell]) -> None:
    classes = set(map(type, values))
    if list not in classes and tuple not in classes:  # a row or column read: its cells picked out in C
        if Cell in classes:
            for value in compress(values, map(is_, map(type, values), repeat(Cell))):
                if value is stands_for or made(value) is stands_for:
                    reads.append(value)
        return
    for value in values:
        cls = value.__class__
        if cls is Cell:
            if value is stands_for or made(value) is stands_for:
                reads.append(value)
        elif cls is list or cls is tuple:
            _copies_read(value, stands_for, made, reads)


def _check_one(rule: Any, run: RuleRun, extra: dict[str, Any], label_of: Callable[[], Optional[str]],
               value: Any = _UNTRIED) -> Optional[Detail]:
    """The item's detail, or None when it passed (``value``: see _decide)."""
    for item in extra.values():
        if item.__class__ is not str and is_mapping(item) and isinstance(item.get("cell"), Cell):
            run.view.locate(item["cell"], item["table"], item["row"], item["col"])
    try:
        ok, explanation, cells = _decide(rule, run, extra, value)
    except Missing as missing:
        return _missing_detail(rule, run, missing, label_of)
    if ok and not rule.pass_message:
        return None
    label = label_of()
    params: dict[str, Any] = {"item": label}
    if explanation is not None:
        deciding = explanation if explanation.op is not None else explanation.innermost()
        if deciding.op is not None:
            left, right = plain(deciding.left), plain(deciding.right)
            params.update(left=left, right=right, op=deciding.op, diff=_difference(left, right))
    params.update(run.params(extra))
    evidence: list[Evidence] = []
    if not ok:  # a failure quotes the cells it read and whatever `evidence` points at
        evidence = run.evidence_of(cells)
        if rule.options["evidence"] is not None:
            try:
                before = len(run.view.quoted)
                run.evaluate(rule.options["evidence"], extra)
                evidence += run.view.evidence[before:]
            except (Missing, EvalError):
                pass
    status = "pass" if ok else "fail"
    return Detail(status=status, template=rule.message if not ok else rule.pass_message, params=params,
                  evidence=tuple(evidence), item=label)


def _item_detail(rule: Any, run: RuleRun, extra: dict[str, Any], verdict: Optional[Missing],
                 label_of: Callable[[], Optional[str]]) -> Optional[Detail]:
    """The detail of an item the plain check did not pass: of the Missing it raised as the views
    would (``verdict``), else of the item checked through the views."""
    if verdict is not None:
        return _missing_detail(rule, run, verdict, label_of)
    return _check_one(rule, run, extra, label_of)


def _missing_detail(rule: Any, run: RuleRun, missing: Missing, label_of: Callable[[], Optional[str]]) -> Detail:
    """The detail of an item the report lacks a value of."""
    label = label_of()
    evidence = (run.view.cell_evidence(missing.cell),) if missing.cell is not None else ()
    # every field in order: a lost row of a table gives a detail a column
    return filled(Detail, {"status": rule.on_missing, "template": "", "params": {"item": label, "reason": str(missing)},
                           "evidence": evidence, "item": label, "missing": run.absences(missing)})


def _item_label(rule: Any, run: RuleRun, item: Any, extra: dict[str, Any]) -> Optional[str]:
    if rule.options["item_label"] is not None:
        try:
            return str(plain(run.evaluate(rule.options["item_label"], extra)))
        except Missing:
            pass
    return str(item.get("label", "")) if isinstance(item, Mapping) else str(plain(item))


@kind("assert", params=("item", "left", "right", "diff", "op", "reason", "count", "checked"), prepare=prepare)
def run_assert(rule: Any, run: RuleRun) -> Outcome:
    """An expression that must be true, per item of `for_each` when given."""
    options = rule.options
    holds = _plain_check(rule, run)
    if options["for_each"] is None:
        verdict = holds(None) if holds is not None else None
        if verdict is True:
            return make(Outcome, {"status": "pass", "evidence": tuple(run.view.quoted)})
        if verdict is None and not options["tolerance"]:
            # the assertion through the views at once (what _decide does first), the item's
            # detail made only when it does not hold
            try:
                value = run.value_of(options["assert"])
            except Missing as missing:
                detail = _missing_detail(rule, run, missing, lambda: None)
            else:
                if value and not rule.pass_message:
                    return make(Outcome, {"status": "pass", "evidence": tuple(run.view.quoted)})
                detail = _check_one(rule, run, {}, lambda: None, value)
        else:
            detail = _item_detail(rule, run, {}, verdict, lambda: None)
        if detail is None:
            return make(Outcome, {"status": "pass", "evidence": tuple(run.view.quoted)})
        evidence = dict.fromkeys([*detail.evidence, *run.view.evidence])
        return make(Outcome, {"status": detail.status, "params": detail.params, "evidence": tuple(evidence),
                              "missing": detail.missing})
    items = run.evaluate(options["for_each"])
    if items is None:
        raise Missing(reason="nothing to check")
    statuses: list[str] = []
    details: list[Detail] = []
    for item in items:
        verdict = holds(item) if holds is not None and item.__class__ is str else None
        if verdict is True:
            statuses.append("pass")
            continue
        extra = {options["each"]: item}
        detail = _item_detail(rule, run, extra, verdict, lambda: _item_label(rule, run, item, extra))
        statuses.append("pass" if detail is None else detail.status)
        if detail is not None and detail.status != "pass":
            details.append(detail)
    status = aggregate_statuses(statuses)
    shown = [d for d in details if d.status == status]
    params = dict(shown[0].params) if shown else {}
    params["count"] = statuses.count("fail")
    params["checked"] = len(statuses)
    evidence = tuple(e for d in details if d.status == "fail" for e in d.evidence)
    return make(Outcome, {"status": status, "params": params, "evidence": evidence, "details": tuple(details)})
