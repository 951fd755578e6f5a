"""Micro-benchmark of the expression language: compile time of 60 typical rule expressions and
evaluation time of each on a realistic report environment.

    .venv/bin/python bench/bench_expr.py [--repeat N]

The environment imitates what the engine binds (tables as read-only mappings row -> column ->
Cell, meta as a dict, for_each names); domain functions are registered as light stand-ins, so the
figures measure the language, not the report accessors.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterator

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from checker.engine.expr import FUNCTIONS, Env, EvalError, Missing, compile_expr, register  # noqa: E402
from checker.engine.expr.grammar import clear_cache  # noqa: E402
from checker.model import Cell, Source  # noqa: E402

# --------------------------------------------------------------------------- a realistic report

APPLICATION_ROWS = ["1", "2", "3.1", "3.2", "3.3.1", "3.3.2", "3.3.3", "3.4.1", "3.4.2", "3.4.3", "3.5.1",
                    "3.5.2", "3.6.1", "3.6.2", "3.6.3", "3.7", "4"]
APPLICATION_LEAVES = [r for r in APPLICATION_ROWS if r.startswith("3.") and r != "3.7"]
APPLICATION_COLUMNS = ["natural", "commercial", "research", "social", "legal", "other", "total"]
REVIEW_BLOCKS = ["review", "litigation_direct", "litigation_after_review"]
REVIEW_COLUMNS = ["upheld", "corrected", "other", "pending", "total"]


class RowView(Mapping):
    """Like checker.engine.context.RowView: a read-only mapping, not a dict."""

    def __init__(self, cells: dict[str, Cell]) -> None:
        self._cells = cells

    def __getitem__(self, key: str) -> Cell:
        return self._cells[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._cells)

    def __len__(self) -> int:
        return len(self._cells)


class TableView(RowView):
    pass


def _cell(value: Any, row: int, col: int) -> Cell:
    return Cell(value=value, kind="number", raw=str(value), where=Source(table=1, row=row, col=col))


def applications_table() -> TableView:
    rows = {}
    for r, row in enumerate(APPLICATION_ROWS):
        cells = {col: _cell(r * 3 + c, r, c) for c, col in enumerate(APPLICATION_COLUMNS[:-1])}
        cells["total"] = _cell(sum(cell.value for cell in cells.values()), r, 6)
        rows[row] = RowView(cells)
    return TableView(rows)


def reviews_table() -> TableView:
    blocks = {}
    for b, block in enumerate(REVIEW_BLOCKS):
        cells = {col: _cell(b + c, b, c) for c, col in enumerate(REVIEW_COLUMNS[:-1])}
        cells["total"] = _cell(sum(cell.value for cell in cells.values()), b, 4)
        blocks[block] = RowView(cells)
    return TableView(blocks)


def active_table() -> TableView:
    row = lambda *values: RowView({k: _cell(v, 0, i) for i, (k, v) in enumerate(zip(("issued", "repealed", "in_force"), values))})  # noqa: E731
    return TableView({
        "regulations": row(0, 0, 1), "normative_documents": row(3, 1, 20),
        "administrative_licensing": _cell(120, 3, 0), "administrative_punishment": _cell(30, 4, 0),
        "administrative_enforcement": _cell(2, 5, 0), "administrative_fees_wan_yuan": _cell(Decimal("12.5"), 6, 0),
    })


def bindings() -> dict[str, Any]:
    applications, reviews, active = applications_table(), reviews_table(), active_table()
    meta = {"title": "裕民县人民政府2024年政府信息公开工作年度报告", "agency": "裕民县人民政府",
            "agency_kind": "government", "year": 2024, "period_start": date(2024, 1, 1),
            "period_end": date(2024, 12, 31), "period_text": "2024年1月1日至12月31日",
            "published": date(2025, 1, 20), "published_text": "2025年1月20日", "signature_agency": "裕民县人民政府"}
    previous = {"applications": applications_table(), "active_disclosure": active_table(), "meta": dict(meta, year=2023)}
    cell_items = [{"row": r, "col": c, "cell": applications[r][c], "raw": applications[r][c].raw,
                   "kind": "number", "label": f"{r}·{c}"} for r in APPLICATION_ROWS[:3] for c in APPLICATION_COLUMNS]
    return {
        "meta": meta, "applications": applications, "reviews_and_litigation": reviews,
        "active_disclosure": active, "previous": previous, "parts": [], "report": {"reader": "text"},
        # for_each and let names
        "col": "total", "row": "3.7", "block": "review", "c": cell_items[0], "fee": active["administrative_fees_wan_yuan"],
        "leaf_rows": APPLICATION_LEAVES, "rows": APPLICATION_ROWS, "items": cell_items,
    }


# --------------------------------------------------------------------------- domain stand-ins

PART_TEXT = "本年度我县深入推进政务公开工作，开展工作考核和社会评议，落实责任追究制度。存在的问题和改进措施如下。"


def _stand_ins() -> None:
    def add(name: str, impl: Any) -> None:
        if name not in FUNCTIONS:
            register(name)(impl)

    add("part_found", lambda n: True)
    add("part", lambda n: {"id": n, "text": PART_TEXT, "heading": "一、总体情况"})
    add("part_label", lambda n: "一、总体情况")
    add("found_parts", lambda: [1, 2, 3, 4, 5, 6])
    add("order_problems", lambda: [])
    add("identity_problems", lambda: [])
    add("headings", lambda: [])
    add("columns", lambda t: list(APPLICATION_COLUMNS))
    add("rows", lambda t: list(t))
    add("leaves", lambda t: list(APPLICATION_LEAVES))
    add("parts_of", lambda t, key: APPLICATION_COLUMNS[:-1] if len(t) > 3 else REVIEW_COLUMNS[:-1])
    add("missing_rows", lambda t, keys=None: [])
    add("misordered_rows", lambda t: [])
    add("column_label", lambda t, key: str(key))
    add("row_label", lambda t, key: str(key))
    add("join", lambda items, sep="、": sep.join(map(str, items)))
    add("is_integer", lambda x: isinstance(x.value if isinstance(x, Cell) else x, int))
    add("decimals", lambda x: 1)
    add("format_from_year", lambda: 2021)
    add("markers", lambda name: ["第二十一条", "第二十二条"])
    add("sentences", lambda scope, patterns, unless=None: [])


# --------------------------------------------------------------------------- 60 typical expressions

EXPRESSIONS = [
    # table B arithmetic, per column
    "applications['1'][col] + applications['2'][col] == applications['3.7'][col] + applications['4'][col]",
    "applications['3.7'][col] == sum(applications[leaves(applications)][col])",
    "applications[row].total == sum(applications[row][parts_of(applications, 'total')])",
    "sum(applications[leaf_rows][col]) == applications['3.7'][col]",
    "applications['2'][col] == previous.applications['4'][col]",
    "present(previous) and applications['2'][col] == previous.applications['4'][col]",
    "applications['3.1'][col] + applications['3.2'][col] <= applications['3.7'][col]",
    "applications['1'].total >= applications['1'].natural",
    "sum(applications['3.7'][columns(applications)]) == 2 * applications['3.7'].total",
    "applications['4'][col] >= 0 and applications['4'][col] <= applications['3.7'][col] + applications['4'][col]",
    "abs(applications['3.7'].total - sum(applications[leaf_rows].total)) <= 0",
    "max(applications[leaf_rows][col]) <= applications['3.7'][col]",
    "min(applications[rows][col]) >= 0",
    "count(missing_rows(applications)) == 0 and count(misordered_rows(applications)) == 0",
    "count(missing_rows(applications, ['3.6.1', '3.6.2', '3.6.3'])) == 0",
    "present(applications)",
    # table C
    "reviews_and_litigation[block].total == sum(reviews_and_litigation[block][parts_of(reviews_and_litigation, 'total')])",
    "present(reviews_and_litigation) and count(rows(reviews_and_litigation)) >= 3",
    "reviews_and_litigation.review.corrected <= reviews_and_litigation.review.total",
    "sum(reviews_and_litigation[['review', 'litigation_direct']].total) >= 0",
    # table A
    "present(active_disclosure) and count(missing_rows(active_disclosure)) == 0",
    "active_disclosure[row].in_force == previous.active_disclosure[row].in_force + active_disclosure[row].issued - active_disclosure[row].repealed",
    "abs(active_disclosure.normative_documents.in_force - previous.active_disclosure.normative_documents.in_force) <= 0",
    "fee >= 0 and fee < 10000000 and decimals(fee) <= 6",
    "active_disclosure.administrative_licensing >= active_disclosure.administrative_punishment",
    "not blank(active_disclosure.administrative_fees_wan_yuan)",
    "round(active_disclosure.administrative_fees_wan_yuan, 2) == 12.5",
    "active_disclosure.regulations.issued - active_disclosure.regulations.repealed <= active_disclosure.regulations.in_force",
    # cells loops
    "kind(c.cell) == 'number'",
    "not present(c.cell) or (c.cell >= 0 and is_integer(c.cell))",
    "kind(c.cell) == 'number' and c.cell >= 0 and is_integer(c.cell)",
    "c.kind in ['blank', 'lost']",
    "c.label",
    "c.raw",
    "number(c.raw) == c.cell",
    "count(items) >= 3",
    "items.cell",
    # structure and meta
    "part_found(1)",
    "count(found_parts()) >= 2",
    "count(order_problems()) == 0",
    "meta.agency_kind == 'government'",
    "meta.agency_kind == 'government' and not contains(part(1).text, ['考核', '评议', '追究'])",
    "contains_all(part(1).text, ['问题', '改进'])",
    "present(meta.title) and present(meta.agency) and matches(meta.title, '(19|20)[0-9]{2}')",
    "present(meta.period_start) and present(meta.period_end) and meta.period_start == date(meta.year, 1, 1) and meta.period_end == date(meta.year, 12, 31)",
    "count(identity_problems()) == 0",
    "meta.year >= format_from_year()",
    "count(sentences([2, 3], markers('old_format'))) == 0",
    "present(meta.published)",
    "meta.published <= date(meta.year + 1, 1, 31)",
    "meta.published <= date(meta.year + 1, 3, 31)",
    "year(meta.published) == meta.year + 1",
    "coalesce(meta.title, '无')",
    "coalesce(meta.period_text, '未写明')",
    "join(identity_problems(), '；')",
    "'人民政府' in meta.agency and meta.agency == meta.signature_agency",
    "len(meta.title) >= 10 and not matches(meta.title, '\\d{4}年度?报告$')",
    "meta == null or meta.year == previous.meta.year + 1",
    "any([part_found(5), contains(part(5).text, '改进')])",
    "approx(applications['3.7'].total / applications['1'].total, 1, 0.5) or applications['1'].total == 0",
]
assert len(EXPRESSIONS) == 60


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=2000, help="evaluations per expression")
    args = parser.parse_args()
    _stand_ins()

    # Compile, cold cache: what a run pays once.
    rounds = []
    for _ in range(5):
        clear_cache()
        start = time.perf_counter()
        compiled = [compile_expr(text) for text in EXPRESSIONS]
        rounds.append(time.perf_counter() - start)
    best = min(rounds)
    print(f"compile: {len(EXPRESSIONS)} expressions in {best * 1e3:.1f} ms "
          f"(best of 5; {best / len(EXPRESSIONS) * 1e3:.2f} ms each)")

    env = Env(bindings())
    timings = []
    for expr in compiled:
        def once() -> None:
            env.clear_trace()
            try:
                expr.evaluate(env)
            except (Missing, EvalError):
                pass
        once()
        best_time = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            for _ in range(args.repeat):
                once()
            best_time = min(best_time, (time.perf_counter() - start) / args.repeat)
        timings.append((best_time, expr.source))

    print("\nevaluation, µs per expression (best of 3):")
    for seconds, text in timings:
        print(f"  {seconds * 1e6:7.2f}  {text[:100]}")
    micro = [t * 1e6 for t, _ in timings]
    print(f"\nmedian {statistics.median(micro):.2f} µs, mean {statistics.mean(micro):.2f} µs, max {max(micro):.2f} µs")
    # A pack on one report: every rule once, table rules per column (7) or per cell (~120).
    per_column = sum(t for t, s in timings if "[col]" in s or "[row]" in s or "[block]" in s) * 7
    per_cell = sum(t for t, s in timings if s.startswith(("kind(c.", "not present(c.", "c.", "number(c."))) * 120
    once_each = sum(t for t, _ in timings)
    print(f"a pack on one report (each once, column rules x7, cell rules x120): "
          f"{(once_each + per_column + per_cell) * 1e3:.2f} ms")


if __name__ == "__main__":
    main()
