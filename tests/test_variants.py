"""The real reports (seeds, corpus web pages) as reports really vary: every row label and every
part heading in turn with typos, labels cut in two, labels clumped ahead of their values. Each
variant must read to its gold cell for cell and reach every gold verdict — except the wording
rules, which must report what was changed (TA-002 / TB-006 for a row label, STR-008 for a
heading); and the gold reports in every layout and writer of tests/layouts.py with a typo in a
label. Set XXGK_ALL_VARIANTS=1 for every typo kind on every label and many more random ones."""
from __future__ import annotations

import os
import random
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import layouts as L
import variants as V
from checker.engine.pack import load_pack
from checker.engine.runner import check_report
from checker.engine.scoring import get_profile
from checker.formats import get_format
from checker.messages import reason
from checker.pipeline import parse_bytes
from seeds_support import expectations

EVERYTHING = os.environ.get("XXGK_ALL_VARIANTS") == "1"
FORMAT = get_format()
SOURCES = V.load_sources()


def _cuttable(source: V.Source) -> list[V.Place]:
    """Row labels printed with their values after them on their line, long enough to cut."""
    return [p for p in V.row_labels(source.text, FORMAT)
            if V.values_after(source.text, p) is not None and len(p.of(source.text)) >= 4]


TEXT_SOURCES = [s for s in SOURCES if s.is_text and _cuttable(s)]
# the rule reporting a changed label of a table (Table C has none) or heading
WORDING_RULE = {"active_disclosure": "TA-002", "applications": "TB-006", "parts": "STR-008"}


def _reporting(place: V.Place) -> set[str]:
    return {WORDING_RULE[place.table]} if place.table in WORDING_RULE else set()


PACK = load_pack()


def _verdicts(source: V.Source, text: str):
    report = parse_bytes(source.path.name, text.encode("utf-8"))
    result = check_report(report, PACK, get_profile())
    return report, {r.rule: r.status for r in result.results}


def _assert_holds(source: V.Source, text: str, changed: set[str], what: str) -> None:
    """Every gold cell and verdict of ``source`` holds on the variant ``text``; the rules in
    ``changed`` (the wording rules of what was changed) fail."""
    report, got = _verdicts(source, text)
    wrong = V.wrong_cells(report, source.gold)
    expected = {**expectations(source.gold), **{rule: "fail" for rule in changed}}
    wrong += [f"{rule}: expected {status}, got {got.get(rule)}" for rule, status in sorted(expected.items())
              if got.get(rule) != status]
    assert not wrong, f"{source.name}, {what}:\n" + "\n".join(wrong[:12])


def _typo_of(place: V.Place, text: str, n: int, rnd: random.Random) -> tuple[str, str]:
    """A typo of one of the kinds, chosen by ``n`` among those that can change the label into
    a wording the format does not accept."""
    kinds = V.TYPOS[n % len(V.TYPOS):] + V.TYPOS[:n % len(V.TYPOS)]
    for kind in kinds:
        changed = V.typo(place.of(text), kind, 1 + (n // len(V.TYPOS)) % 2, rnd)
        if changed is not None and not V.accepted(changed, place, FORMAT):
            return kind, changed
    raise AssertionError(f"no typo changes {place.of(text)!r}")


# --------------------------------------------------------------------------- each in turn


@pytest.mark.parametrize("source", SOURCES, ids=[s.name for s in SOURCES])
def test_each_row_label_with_a_typo(source):
    """Every row label (and block label of Table C) in turn, with one or two typos of a kind
    that rotates from label to label: its row's values are read, and only the table's wording
    rule fails."""
    places = V.row_labels(source.text, FORMAT)
    assert len(places) >= 20, f"{source.name}: only {len(places)} row labels found"
    rnd = random.Random(source.name)
    for n, place in enumerate(places):
        kinds = range(len(V.TYPOS) * 2) if EVERYTHING else [n]
        for k in kinds:
            kind, changed = _typo_of(place, source.text, k, rnd)
            _assert_holds(source, V.replace_at(source.text, place, changed), _reporting(place),
                          f"row {place.key} written {changed!r} ({kind})")


@pytest.mark.parametrize("source", SOURCES, ids=[s.name for s in SOURCES])
def test_each_heading_with_a_typo(source):
    """Every part heading in turn, with one or two typos: still its part (no part missing, no
    verdict changed), and STR-008 reports the wording."""
    places = V.headings(source.text, FORMAT)
    assert len(places) == len(source.gold["sections_present"]), source.name
    rnd = random.Random(source.name + "headings")
    for n, place in enumerate(places):
        for k in (range(len(V.TYPOS) * 2) if EVERYTHING else [n + len(source.name)]):
            kind, changed = _typo_of(place, source.text, k, rnd)
            _assert_holds(source, V.replace_at(source.text, place, changed), {"STR-008"},
                          f"part {place.key} heading written {changed!r} ({kind})")


# --------------------------------------------------------------------------- at random


@settings(max_examples=400 if EVERYTHING else 12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), kinds=st.lists(st.sampled_from(V.TYPOS), min_size=2, max_size=2),
       counts=st.lists(st.integers(1, 2), min_size=2, max_size=2), seed=st.integers(0, 2 ** 16),
       which=st.integers(0, len(SOURCES) - 1))
def test_two_labels_with_typos_at_once(data, kinds, counts, seed, which):
    """Typos in two labels (or a label and a heading) of one report at once."""
    source = SOURCES[which]
    places = V.row_labels(source.text, FORMAT) + V.headings(source.text, FORMAT)
    chosen = sorted(data.draw(st.lists(st.sampled_from(places), min_size=2, max_size=2, unique=True),
                              label="places"), key=lambda p: -p.start)
    rnd = random.Random(seed)
    text, changed_rules = source.text, set()
    for place, kind, count in zip(chosen, kinds, counts):
        changed = V.typo(place.of(text), kind, count, rnd)
        if changed is not None and not V.accepted(changed, place, FORMAT):
            text = V.replace_at(text, place, changed)  # from the end: earlier places stay put
            changed_rules |= _reporting(place)
    _assert_holds(source, text, changed_rules, f"typos at {[(p.table, p.key) for p in chosen]}")


@settings(max_examples=300 if EVERYTHING else 12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), values_first=st.booleans(), seed=st.integers(0, 2 ** 16), with_typo=st.booleans(),
       which=st.integers(0, len(TEXT_SOURCES) - 1))
def test_labels_cut_in_two(data, values_first, seed, with_typo, which):
    """A row label cut over two lines, its values after either half, a typo in one half or
    none: the row's values are read; the label is whole again (a typo is reported)."""
    source = TEXT_SOURCES[which]
    place = data.draw(st.sampled_from(_cuttable(source)), label="place")
    label = place.of(source.text)
    at = data.draw(st.integers(2, len(label) - 2), label="at")
    rules = set()
    text = source.text
    if with_typo:
        changed = V.typo(label, "substitute", 1, random.Random(seed))
        assert changed is not None and not V.accepted(changed, place, FORMAT)
        text = V.replace_at(text, place, changed)
        place = V.Place(place.start, place.start + len(changed), place.table, place.key)
        rules |= _reporting(place)
    text = V.split_label(text, place, at, values_first)
    assert text is not None
    _assert_holds(source, text, rules, f"row {place.key} cut at {at} (values first: {values_first})")


@settings(max_examples=300 if EVERYTHING else 12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), debris=st.sampled_from("本年度办理结果"), which=st.integers(0, len(TEXT_SOURCES) - 1))
def test_a_row_label_above_its_values_with_a_vertical_labels_character_before_them(data, debris, which):
    """A row's label alone on its line, its values on the next after a character of the
    vertical label beside the rows: the character is debris, the values are the row's."""
    source = TEXT_SOURCES[which]
    # Table B, whose rows stand beside the vertical labels (三、本年度办理结果 ...)
    place = data.draw(st.sampled_from([p for p in _cuttable(source) if p.table == "applications"]), label="place")
    text = V.label_above_values(source.text, place, debris)
    assert text is not None
    _assert_holds(source, text, set(), f"row {place.key} above its values, {debris!r} before them")


def _runs_of_rows(source: V.Source) -> list[list[V.Place]]:
    """Runs of Table B rows printed one a line, each its label then its values."""
    places = [p for p in V.row_labels(source.text, FORMAT) if p.table == "applications"]
    runs: list[list[V.Place]] = []
    for place in places:
        if V.values_after(source.text, place) is None:
            runs.append([])
            continue
        if runs and runs[-1] and V.clump(source.text, [runs[-1][-1], place]) is not None:
            runs[-1].append(place)
        else:
            runs.append([place])
    return [run for run in runs if len(run) >= 3]


CLUMP_SOURCES = [s for s in TEXT_SOURCES if _runs_of_rows(s)]


@pytest.mark.parametrize("source", CLUMP_SOURCES, ids=[s.name for s in CLUMP_SOURCES])
def test_labels_clumped_ahead_of_their_values(source):
    """3 to 5 row labels printed first, then their rows of values, at every place of every run
    of rows printed one a line: each row's values are read as its own."""
    for run in _runs_of_rows(source):
        for size in (3, 5) if not EVERYTHING else (3, 4, 5):
            for start in range(0, len(run) - size + 1, 1 if EVERYTHING else size):
                text = V.clump(source.text, run[start:start + size])
                assert text is not None
                _assert_holds(source, text, set(),
                              f"rows {[p.key for p in run[start:start + size]]} clumped")


def test_a_clump_with_a_row_of_values_short_places_none():
    """Labels in a clump, then fewer rows of values than labels: which label is blank cannot be
    known, so no value is placed (never one row's values given to its neighbour)."""
    source = next(s for s in CLUMP_SOURCES)
    run = _runs_of_rows(source)[0][:3]
    text = V.clump(source.text, run)
    assert text is not None
    values = [V.values_after(source.text, p).strip() for p in run]  # type: ignore[union-attr]
    text = text.replace("\n".join(v.replace(" ", "\t") for v in values),
                        "\n".join(v.replace(" ", "\t") for v in values[1:]), 1)
    report = parse_bytes(source.path.name, text.encode("utf-8"))
    table = report.tables["applications"]
    for place in run:
        assert {table.cell(place.key, c).kind for c in source.gold["columns"]} == {"lost"}, place.key


def _rows_ahead(by_column: bool) -> list[tuple[V.Source, list[V.Place]]]:
    """Runs of four rows to print values-first, at least one of them not all zeros (so that
    a column-by-column order differs from the rows')."""
    out = []
    for source in CLUMP_SOURCES:
        for run in _runs_of_rows(source):
            for start in range(0, len(run) - 3, 4 if not EVERYTHING else 1):
                rows = run[start:start + 4]
                values = [V.values_after(source.text, p).split() for p in rows[1:]]  # type: ignore[union-attr]
                if not by_column or any(v != "0" for row in values for v in row):
                    out.append((source, rows))
    return out if EVERYTHING else out[::max(1, len(out) // 6)]


@pytest.mark.parametrize("source, rows", _rows_ahead(False), ids=lambda x: getattr(x, "name", None) or
                         "+".join(p.key for p in x))
def test_values_printed_ahead_of_their_labels_are_cut_into_rows(source, rows):
    """pdftotext without -layout: a row's label, the values of the rows after it, their labels,
    and the last value after the last label (set in the middle of its row's height): exactly
    as many values as cells, each row so cut adding up, so each row gets its own."""
    for tail in (0, 1, 3):
        text = V.values_ahead(source.text, rows, tail=tail)
        assert text is not None
        _assert_holds(source, text, set(), f"rows {[p.key for p in rows]} values ahead, {tail} after")


@pytest.mark.parametrize("source, rows", _rows_ahead(True), ids=lambda x: getattr(x, "name", None) or
                         "+".join(p.key for p in x))
def test_values_the_checker_cannot_place_are_its_own_failure(source, rows):
    """The same rows printed column by column: every value is there, but which is whose cannot
    be known. The cells are unplaced — never another row's values, never blank — and the rules
    that need them are not assessable because of the checker (not charged), not failed."""
    text = V.values_ahead(source.text, rows, tail=1, by_column=True)
    assert text is not None
    report, got = _verdicts(source, text)
    table = report.tables["applications"]
    wrong, unplaced = [], []
    for place in rows[1:]:
        for col, value in zip(source.gold["columns"], source.gold["applications"][place.key]):
            cell = table.cell(place.key, col)
            if cell.kind == "unplaced":
                unplaced.append(place.key)
            elif cell.value != value:
                wrong.append(f"{place.key}.{col}: {cell.kind} {cell.value}, gold {value}")
    assert not wrong and unplaced, wrong
    result = check_report(report, PACK, get_profile())
    by_rule = {r.rule: r for r in result.results}
    for rule in ("TB-005", "TB-010", "TB-011", "TB-012"):
        if expectations(source.gold).get(rule) == "pass" and by_rule[rule].status != "pass":
            assert by_rule[rule].status == "not_assessable" and by_rule[rule].cause == "checker", rule
            assert {a.state for a in by_rule[rule].missing} == {"unplaced"}, rule
    assert by_rule["TB-005"].status != "fail" or "TB-005" in source.gold["expect_fail"]
    if by_rule["TB-005"].status == "not_assessable":  # said in plain words, in either language
        assert "检查器无法确定哪个数值属于" in reason(by_rule["TB-005"], "zh")
        assert "the checker could not tell which value belongs to" in reason(by_rule["TB-005"], "en")
    # not charged: the score is what the rows read right would give, less nothing for these
    read_right = check_report(parse_bytes(source.path.name, source.text.encode("utf-8")), PACK, get_profile())
    assert result.score.score is None or result.score.score >= read_right.score.score


def test_a_clump_short_of_values_is_the_reports_failure():
    """The same clump with one value fewer than cells: the report left a cell empty, whichever
    it is, so the rows are lost and TB-005 fails (the report's doing)."""
    source, rows = _rows_ahead(True)[0]
    text = V.values_ahead(source.text, rows, tail=1, by_column=True, drop=4)
    assert text is not None
    report, got = _verdicts(source, text)
    table = report.tables["applications"]
    assert {table.cell(p.key, c).kind for p in rows[1:] for c in source.gold["columns"]} == {"lost"}
    assert got["TB-005"] == "fail"


# --------------------------------------------------------------------------- through every writer


TRUTHS = L.load_truths()


@settings(max_examples=400 if EVERYTHING else 12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), gold=st.integers(0, 7), kind=st.sampled_from(V.TYPOS), count=st.integers(1, 2),
       seed=st.integers(0, 2 ** 16))
def test_typos_in_labels_through_every_writer(data, gold, kind, count, seed):
    """Every gold report in the layouts publishers produce (tests/layouts.py), written as text,
    HTML and Word, with a typo in one of its tables' label cells: every cell is read."""
    truth = TRUTHS[gold % len(TRUTHS)]
    layout = L.LAYOUTS[data.draw(st.sampled_from(sorted(L.LAYOUTS)), label="layout")]
    writer = L.WRITERS[data.draw(st.sampled_from(sorted(w for w in L.WRITERS if w != "docx:merge")),
                                 label="writer")]
    blocks = L.report_blocks(truth, layout)
    tables = [n for n, b in enumerate(blocks) if isinstance(b, L.TableBlock)]
    at = data.draw(st.sampled_from(tables), label="table")
    grid = blocks[at].grid
    labels = [c for c in grid.cells if not c.head and len(c.text) >= 2 and not c.text[0].isdigit()
              and not "０" <= c.text[0] <= "９"]
    assume(labels)
    cell = data.draw(st.sampled_from(labels), label="label")
    changed = V.typo(cell.text, kind, count, random.Random(seed))
    if changed is None:
        return
    blocks[at] = L.TableBlock(replace(grid, cells=tuple(replace(c, text=changed) if c is cell else c
                                                         for c in grid.cells)))
    report = parse_bytes(*writer.write(blocks, layout))
    wrong = L.mismatches(report, truth, writer.keeps_blanks)
    assert not wrong, f"{cell.text!r} written {changed!r} in {layout.note} via {writer.name}:\n" + "\n".join(wrong[:8])


# writers that print a row's label and its values on one line (the others print a cell a line)
_ONE_LINE_ROWS = sorted(w for w in L.WRITERS if w.startswith("text:") and w not in ("text:bar_lines", "text:cell_lines"))


@pytest.mark.parametrize("writer_name", _ONE_LINE_ROWS)
def test_a_block_label_cut_to_two_characters_is_named_by_elimination(writer_name):
    """A flat table's blocks printed as rows (transposed, in another order), one block's label
    cut by a typo to a word that names no block alone (复议 of 行政复议, a word every block's
    label has): the block is the one left unnamed, not debris of a label that makes the whole
    table unreadable."""
    truth = TRUTHS[1]
    layout = L.LAYOUTS["c_transposed_reordered"]
    writer = L.WRITERS[writer_name]
    blocks = L.report_blocks(truth, layout)
    checked = 0
    for at, block in enumerate(blocks):
        if not isinstance(block, L.TableBlock):
            continue
        grid = block.grid
        for cell in grid.cells:
            if cell.head or len(cell.text) != 4 or not any(cell.text[-2:] in c.text for c in grid.cells if c is not cell):
                continue
            changed = list(blocks)
            changed[at] = L.TableBlock(replace(grid, cells=tuple(replace(c, text=cell.text[-2:]) if c is cell else c
                                                                 for c in grid.cells)))
            wrong = L.mismatches(parse_bytes(*writer.write(changed, layout)), truth, writer.keeps_blanks)
            assert not wrong, f"{cell.text!r} cut to {cell.text[-2:]!r} via {writer_name}:\n" + "\n".join(wrong[:8])
            checked += 1
    assert checked, "the layout has a four-character block label another label contains the end of"
