"""The shortcuts the engine takes on its hot paths decide as the long way does."""
from __future__ import annotations

import re
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from checker.engine.context import _paragraph_sentences, _report_sentences
from checker.engine.kinds import aggregate_statuses
from checker.engine.kinds.cells import REQUIREMENTS
from checker.model import Cell, Paragraph, Source

STATUSES = ("pass", "fail", "not_applicable", "not_assessable", "error")


def _aggregate_item_by_item(statuses: list[str]) -> str:
    if not statuses:
        return "not_applicable"
    if "error" in statuses:
        return "error"
    if "fail" in statuses:
        return "fail"
    if all(s == "pass" for s in statuses):
        return "pass"
    if all(s == "not_applicable" for s in statuses):
        return "not_applicable"
    if all(s in ("pass", "not_applicable") for s in statuses):
        return "pass"
    return "not_assessable"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(STATUSES), max_size=8))
def test_a_rules_status_from_its_items_is_decided_as_item_by_item(statuses):
    assert aggregate_statuses(statuses) == _aggregate_item_by_item(statuses)


numbers = st.integers(-3, 3) | st.decimals(-3, 3, places=1, allow_nan=False)
kinds = st.sampled_from(("number", "blank", "na", "text", "lost", "unplaced"))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(numbers, kinds), min_size=1, max_size=40))
def test_a_cells_rule_fails_the_cells_a_requirement_refuses_and_no_other(drawn):
    """The cells kind passes the common cell without asking each requirement: it fails exactly
    the cells one of them refuses (a cell the checker could not place fails nothing)."""
    from dataclasses import replace as evolve
    from checker.engine.examples import build_report
    from checker.engine.inputs import CHECKER_CELL_STATES
    from checker.engine.runner import make_view, run_rule
    fmt = _pack().fmt
    for rule in (r for r in _pack().rules if r.kind == "cells"):
        spec = fmt.table(rule.options["table"])
        report = build_report({"tables": {spec.key: "zeros"}}, fmt, "this")
        table = report.tables[spec.key]
        cells = dict(table.cells)
        for (value, kind), place in zip(drawn, list(cells)):
            cells[place] = Cell(value=value if kind == "number" else None, kind=kind, raw=str(value))
        report = evolve(report, tables={**report.tables, spec.key: evolve(table, cells=cells)})
        result = run_rule(rule, make_view(report, fmt))
        checks = [REQUIREMENTS[name] for name in rule.options["require"]]
        refused = [spec.cell_label(row, col) for row, col, unit, _ in spec.cell_names
                   if (not rule.options["units"] or unit in rule.options["units"])
                   and cells[(row, col)].kind not in CHECKER_CELL_STATES
                   and not all(check(cells[(row, col)]) for check in checks)]
        assert [d.item for d in result.details] == refused, rule.id


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="。！？；!?;a字 \n\u3000", max_size=30))
def test_a_paragraph_is_cut_into_the_sentences_a_split_after_each_end_mark_gives(text):
    after_each_end = [p.strip() for p in re.split(r"(?<=[。！？；!?;])", text) if p.strip()]
    paragraph = Paragraph(text=text, part=1, where=Source(line=1))
    assert [s.text for s in _paragraph_sentences(paragraph)] == after_each_end


# what folding and squashing touch: full-width forms, spaces, marks, characters NFKC expands or
# composes (a combining mark, Hangul jamo), the joint itself, end marks
_TEXT_ALPHABET = "。！？；!?;a字 \n\u3000\x00，（）：１Ａ*#|“」〔—－\u0301\u0328\u00a8㈠ﬁ½\u1100\u1161\u00a0e"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.text(alphabet=_TEXT_ALPHABET, max_size=25), st.none() | st.integers(1, 6)), max_size=5))
def test_a_reports_sentences_folded_together_are_those_folded_one_by_one(paragraphs):
    made = [Paragraph(text=text, part=part, where=Source(line=i + 1)) for i, (text, part) in enumerate(paragraphs)]
    one_by_one = [s for p in made for s in _paragraph_sentences(p)]
    together = _report_sentences(made)
    assert [(s.text, s.part, s.where, s.flat, s.folded) for s in together] == \
        [(s.text, s.part, s.where, s.flat, s.folded) for s in one_by_one]


# ----------------------------------------------------------------- assertions on plain values

_PACK = None


def _pack():
    global _PACK
    if _PACK is None:
        from checker.engine.pack import load_pack
        _PACK = load_pack()
    return _PACK


# what a cell of a generated table holds: mostly counts, sometimes what is not a count
cell_texts = st.one_of(st.integers(0, 9).map(str), st.sampled_from(["", "/", "—", "1.5", "-2", "x", "12"]))


@st.composite
def tables(draw, key):
    """Rows of a table of the format as an example writes them, some rows left out (lost cells),
    mostly totals that add up so that the rules pass as well as fail."""
    spec = _pack().fmt.table(key)
    rows = {}
    for row in spec.rows:
        if draw(st.integers(0, 9)) == 0:
            continue
        columns = spec.columns_of(row)
        rows[row.key] = [draw(cell_texts) for _ in columns] if draw(st.booleans()) else ["1"] * len(columns)
    return rows


def _results(rule, report, previous, plain):
    from dataclasses import replace as evolve
    from checker.engine.runner import Comparison, make_view, run_rule
    rule = evolve(rule, options={**rule.options, "plain": plain})
    view = make_view(report, _pack().fmt, Comparison(previous=previous))
    return run_rule(rule, view)


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_an_assertion_tried_on_plain_values_first_decides_as_through_the_views(data):
    from checker.engine.examples import build_report
    fmt = _pack().fmt
    example = {"tables": {t.key: data.draw(tables(t.key)) for t in fmt.tables}}
    report = build_report(example, fmt, "this")
    previous = build_report({"tables": {t.key: data.draw(tables(t.key)) for t in fmt.tables}}, fmt, "last") \
        if data.draw(st.booleans()) else None
    plain = [r for r in _pack().rules if r.kind == "assert" and r.options["plain"]]
    assert {r.id for r in plain} >= {"TB-010", "TB-011", "TB-012", "TC-002"}
    for rule in plain:
        assert _results(rule, report, previous, True) == _results(rule, report, previous, False)


def _sharing(report, data):
    """The report with some places given one Cell without a number between them, as a reader
    gives a row of lost cells one object (places of one row, of several rows, of two tables)."""
    from dataclasses import replace as evolve
    tables = {key: dict(table.cells) for key, table in report.tables.items() if table is not None}
    places = sorted((key, place) for key, cells in tables.items() for place in cells)
    for _ in range(data.draw(st.integers(0, 3))):
        shared = Cell(value=None, kind=data.draw(st.sampled_from(("lost", "blank", "text"))),
                      raw=data.draw(st.sampled_from(("", "/", "x"))))
        chosen = data.draw(st.lists(st.sampled_from(places), min_size=1, max_size=8)) if places else []
        if data.draw(st.booleans()) and chosen:  # a whole row, as the table reader does
            key, (row, _) = chosen[0]
            chosen = [(k, p) for k, p in places if k == key and p[0] == row]
        for key, place in chosen:
            tables[key][place] = shared
    return evolve(report, tables={key: evolve(table, cells=tables[key]) if table is not None else None
                                  for key, table in report.tables.items()})


@settings(max_examples=50, deadline=None)
@given(st.data())
def test_a_missing_value_found_on_plain_values_is_the_one_the_views_find(data):
    """Cells shared between places (the reader's row of lost cells) and places left empty: a
    Missing raised on plain values is reported as the views report theirs, at the same place."""
    from checker.engine.examples import build_report
    fmt = _pack().fmt
    report = _sharing(build_report({"tables": {t.key: data.draw(tables(t.key)) for t in fmt.tables}}, fmt, "this"),
                      data)
    previous = _sharing(build_report({"tables": {t.key: data.draw(tables(t.key)) for t in fmt.tables}}, fmt,
                                     "last"), data) if data.draw(st.booleans()) else None
    plain = [r for r in _pack().rules if r.kind == "assert" and r.options["plain"]]
    assert any(r.options["plain_missing"] for r in plain)
    for rule in plain:
        assert _results(rule, report, previous, True) == _results(rule, report, previous, False)


def test_an_index_whose_key_reads_a_table_keeps_a_missing_to_the_views():
    from checker.engine.expr import compile_expr
    from checker.engine.expr.plain import plain_missing_safe
    tables = frozenset({"t", "previous"})
    assert plain_missing_safe(compile_expr("t['1'][c] == sum(t[rows][c])", names={"t", "c", "rows"}), tables)
    assert not plain_missing_safe(compile_expr("t['1'][c] == [1, 2][t['2'].a]", names={"t", "c"}), tables)
    assert not plain_missing_safe(compile_expr("present(t['1'].total)", names={"t"}), tables)


def test_only_what_reads_a_number_cell_as_its_number_is_tried_on_plain_values():
    from checker.engine.expr import compile_expr
    from checker.engine.expr.plain import plain_safe
    assert plain_safe(compile_expr("t['1'][c] + t['2'][c] == sum(t[rows][c])", names={"t", "c", "rows"}))
    assert plain_safe(compile_expr("-t['1'].total < 3 and not (t['2'].a != 0 or t['3'].b >= 1)", names={"t"}))
    for text in ("present(t['1'].total)", "t['1'].total == null", "count(t) == 2",
                 "t['1'].total in [1, 2]"):
        assert not plain_safe(compile_expr(text, names={"t"})), text


def test_a_lost_cell_read_through_a_view_keeps_its_id_while_the_view_lives():
    """Its address is noted by id: were the cell let go, the next object made there (a lost cell
    of last year's report) would be quoted at this one's place."""
    from checker.engine.examples import build_report
    from checker.engine.runner import make_view
    fmt = _pack().fmt
    spec = fmt.table("applications")
    rows = {r.key: ["1"] * len(spec.columns_of(r)) for r in spec.rows[1:]}  # the first row lost
    view = make_view(build_report({"tables": {"applications": rows}}, fmt), fmt)
    first = spec.rows[0]
    ids = {id(view.table_view("applications").cell(first.key, c.key)) for c in spec.columns_of(first)}
    made = [Cell(value=None, kind="lost", raw="") for _ in range(200)]
    assert ids.isdisjoint(id(cell) for cell in made)


def _plain_cell_by_cell(view):
    """TableView.plain as it was written cell by cell: the reference of the row-at-a-time one."""
    from checker.engine.context import _copy
    lost = Cell(value=None, kind="lost", raw="")
    values = {place: cell if cell.value is None else cell.value for place, cell in view.table.cells.items()}
    nested = view.spec.layout == "nested"
    rows = {}
    for row, columns in view.spec.row_column_keys.items():
        if nested and len(columns) == 1:
            rows[row] = values.get((row, columns[0]), lost)
        else:
            rows[row] = {col: values.get((row, col), lost) for col in columns}
    positions = {(row, col) for row, columns in view.spec.row_column_keys.items() for col in columns}
    made = [(place, view._made_lost_cell(*place)) for place in positions - values.keys()]
    made += [(place, view._made_cell(_copy(value), value, *place)) for place, value in values.items()
             if value.__class__ is Cell and place in positions]
    for (row, col), cell in made:
        if nested and len(view.spec.row_column_keys[row]) == 1:
            rows[row] = cell
        else:
            rows[row][col] = cell
    return rows


def _plain_seen(view, rows):
    """A plain table as a rule sees it: numbers as they are, a made cell by its content, what it
    stands for (by content, or itself) and the place its address names."""
    def seen(value):
        if value.__class__ is not Cell:
            return ("number", value, type(value))
        stands_for = view._made.get(id(value))
        return ("cell", value.value, value.kind, value.raw, value.where, view._addresses.get(id(value)),
                "itself" if stands_for is value else (stands_for.kind, stands_for.raw, stands_for.where))
    return {row: seen(v) if not isinstance(v, dict) else {col: seen(c) for col, c in v.items()}
            for row, v in rows.items()}


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_a_plain_table_made_row_at_a_time_is_the_one_made_cell_by_cell(data):
    from checker.engine.context import TableView
    from checker.engine.examples import build_report
    fmt = _pack().fmt
    report = _sharing(build_report({"tables": {t.key: data.draw(tables(t.key)) for t in fmt.tables}}, fmt, "this"),
                      data)
    for key, table in report.tables.items():
        if table is None:
            continue
        fast, slow = TableView(table, fmt.table(key)), TableView(table, fmt.table(key))
        assert _plain_seen(fast, fast.plain()) == _plain_seen(slow, _plain_cell_by_cell(slow)), key
