"""The inputs rules read from a report, named by keys, and what a report lacks of them.

A key names something a report holds or states:

    part:6                          part 六
    table:applications              a table of the format
    row:applications/3.7            a row of it
    cell:applications/3.7/total     one cell
    meta:published                  a fact of the report's identity (title, agency, kind, year, date)

An input of last year's report has the prefix ``previous.``. The wider input holds the narrower
(``lineage``): a part holds the tables the format puts in it, a table its rows, a row its cells.

When a rule stops for want of a value (a ``Missing``, a ``needs`` that failed, a text scope
without its parts), ``absences_of`` and ``absence`` say which inputs the report lacks, in what
state (absent, blank, lost, unplaced, a picture, a scan...) and whose doing that is: the report's,
the checker's (a cell whose value the reading could not place, a name it cannot classify) or the
user's (checker.engine.roots links the findings; checker.engine.scoring counts
them)."""
from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Iterable, Optional, Sequence

from ..formats import FormatSpec
from ..frozen import filled
from ..model import Cell
from ..results import Absence
from .expr import Missing, compile_expr

if TYPE_CHECKING:  # pragma: no cover
    from .context import ReportView
    from .pack import Rule

PREVIOUS = "previous."
CONTENT_KINDS = ("part", "table", "row", "cell")
# a cell's kind is its state when it holds no number
_CELL_STATES = {"blank", "not_applicable", "text", "lost", "unplaced"}
# cell states that are the checker's doing: the report printed the value, the reading could not
# tell which cell it belongs to
CHECKER_CELL_STATES = frozenset({"unplaced"})


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
            if cell.kind == "number" and cell.value is not None:
                return "present", cause
            return cell.kind, "checker" if cell.kind in CHECKER_CELL_STATES else cause
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
    # every field in order (a lost row lacks a cell a column)
    return filled(Absence, {"key": key, "state": state, "cause": cause, "label": label_of(key, fmt), "file": file,
                            "within": within})


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
        return Absence(key="", state=state, cause="checker" if state == "unknown" else _cause_of_state(state, "report"))
    found = absence(view, key, fmt)
    if found.state == "present":  # read through a path that the report model does not place
        state = cell.kind if cell.kind in _CELL_STATES else "unknown"
        found = replace(found, state=state, cause=_cause_of_state(state, found.cause))
    return found


def _cause_of_state(state: str, cause: str) -> str:
    return "checker" if state in CHECKER_CELL_STATES else cause


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
