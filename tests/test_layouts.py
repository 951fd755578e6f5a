"""The parser against the variant corpus (tests/layouts.py): the gold tables rendered in the
layouts real publishers produce — text dumps, markdown, one cell per line, HTML as CMSs and Word
write it, Word files — must parse back to the gold, cell for cell, with parts and meta right.

By default every named layout runs through three text writers, one HTML and one Word writer
(rotating, so each writer meets many layouts); every truth variant (marks, blank cells, a lost
value, Table B left out) runs through every writer; hypothesis combines the knobs at random. Set
XXGK_ALL_LAYOUTS=1 to run every layout through every writer, and more random combinations.
"""
from __future__ import annotations

import os
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import layouts as L
from checker.pipeline import parse_bytes

TRUTHS = L.load_truths()
VARIANTS = ("plain", "marks", "blanks", "lost_row", "no_table_b")
FAST_WRITERS = [w for w in L.WRITERS.values() if w.name != "docx:merge"]  # merge() is slow
TEXT = [w.name for w in FAST_WRITERS if w.name.startswith("text:")]
HTML = [w.name for w in FAST_WRITERS if w.name.startswith("html:")]
DOCX = [w.name for w in FAST_WRITERS if w.name.startswith("docx:")]
EVERYTHING = os.environ.get("XXGK_ALL_LAYOUTS") == "1"


def _truth(n: int, variant: str = "plain") -> L.Truth:
    truth = TRUTHS[n % len(TRUTHS)]
    variants = L.variants_of_truth(truth)
    return variants.get(variant) or variants["plain"]


def _assert_parses(truth: L.Truth, layout: L.Layout, writer: L.Writer) -> None:
    report = parse_bytes(*L.render(truth, layout, writer))
    wrong = L.check(report, truth, layout, writer)
    assert not wrong, f"{layout.note or layout} via {writer.name} on {truth.name}:\n" + "\n".join(wrong[:15])


def _cases() -> list[tuple[str, str, int]]:
    cases = []
    for n, name in enumerate(L.LAYOUTS):
        writers = (TEXT + HTML + DOCX) if EVERYTHING else (
            [TEXT[(3 * n + k) % len(TEXT)] for k in range(3)] + [HTML[n % len(HTML)], DOCX[n % len(DOCX)]])
        cases += [(name, writer, n + k) for k, writer in enumerate(writers)]
    return cases


@pytest.mark.parametrize("layout_name, writer_name, n", _cases())
def test_named_layout(layout_name, writer_name, n):
    _assert_parses(_truth(n), L.LAYOUTS[layout_name], L.WRITERS[writer_name])


@pytest.mark.parametrize("variant", VARIANTS[1:])
@pytest.mark.parametrize("writer_name", [w.name for w in FAST_WRITERS])
def test_truth_variants_through_every_writer(variant, writer_name):
    n = VARIANTS.index(variant) * 3 + len(writer_name)
    for layout_name in (("national", "b_wrap12_middle_groups", "c_three_tables", "c_transposed_reordered")
                        if EVERYTHING else ("national",)):
        _assert_parses(_truth(n, variant), L.LAYOUTS[layout_name], L.WRITERS[writer_name])


@pytest.mark.parametrize("gold", range(len(TRUTHS)))
def test_every_gold_in_the_national_layout_through_html_and_word(gold):
    for writer in ("html:word", "html:th_zoom_gbk", "docx:plain"):
        _assert_parses(_truth(gold), L.LAYOUTS["national"], L.WRITERS[writer])


def test_word_tables_built_by_python_docx_merge_read_like_the_xml_ones():
    truth = _truth(7)
    _assert_parses(truth, L.LAYOUTS["b_wrap12_middle_groups"], L.WRITERS["docx:merge"])


# --------------------------------------------------------------------------- random combinations


def _choice(*options):
    return st.sampled_from(options)


LAYOUT = st.builds(
    L.Layout,
    a=st.builds(L.AShape, blocks=_choice("rows", "column"), spans=st.booleans(), header=st.booleans()),
    b=st.builds(L.BShape, groups=_choice("span", "repeat", "first", "none", "rows"),
                enumerate=_choice("1.", "1、", "（1）", "1", ""), quotes=st.booleans(), short=st.booleans(),
                wrap=_choice(0, 8, 10, 12, 14, 18), anchor=_choice("first", "middle", "last"),
                group_at=_choice("top", "middle"), header=_choice(2, 3),
                break_at=_choice(None, "2", "3.2", "3.3.5", "3.4.2", "3.5.1", "3.6.3", "3.7", "4"),
                furniture=st.booleans()),
    c=_choice("national", "two_rows", "three_tables", "transposed", "transposed_reordered"),
    numbers=st.builds(L.Numbers, thousands=st.booleans(), wide=st.booleans(), unit=st.booleans()),
    title=_choice("one", "two", "year_first", "no_agency", "work_report", "about"),
    heading=_choice("plain", "spaced", "dot", "part", "part_tight", "bold", "marked", "colon", "wrap"),
    part4=_choice("national", "long"),
    date=_choice("han", "spaced", "iso", "dots", "chinese"),
    signature=_choice("lines", "one", "none", "note"),
)


@settings(max_examples=80 if not EVERYTHING else 1500, deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(layout=LAYOUT, writer=st.sampled_from(FAST_WRITERS), gold=st.integers(0, len(TRUTHS) - 1),
       variant=st.sampled_from(VARIANTS))
def test_random_layouts(layout, writer, gold, variant):
    _assert_parses(_truth(gold, variant), layout, writer)


# --------------------------------------------------------------------------- the generator itself


def test_the_generator_prints_every_gold_value():
    """A guard on the generator: the rendered text holds each gold number as printed."""
    truth = next(t for t in TRUTHS if t.name == "huaian-2024")  # large numbers, a decimal fee
    text = L.render(truth, L.LAYOUTS["national"], L.WRITERS["text:tabs"])[1].decode()
    for value in truth.a.values():
        assert str(value) in text
    assert "\t3119" in text and "96171.6" in text


def test_expected_cells_follow_the_writer():
    truth = _truth(0, "blanks")
    grid = L.expected(truth, keeps_blanks=True)
    text = L.expected(truth, keeps_blanks=False)
    assert grid[("applications", "3.4.2", "commercial_enterprise")] == (None, "blank")
    assert text[("applications", "3.4.2", "natural_person")] == (None, "lost")
    assert grid[("applications", "3.4.2", "natural_person")][1] is None


def test_dates_print_as_published():
    day = date(2025, 1, 10)
    assert [L.date_text(day, s) for s in ("han", "iso", "dots", "chinese")] == [
        "2025年1月10日", "2025-01-10", "2025.1.10", "二〇二五年一月十日"]


# --------------------------------------------------------------------------- damaged layouts never raise


def _valid(report) -> None:
    for table in report.tables.values():
        for cell in (table.cells.values() if table is not None else ()):
            assert (cell.value is not None) == (cell.kind == "number")


@settings(max_examples=60 if not EVERYTHING else 1000, deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(layout=LAYOUT, writer=st.sampled_from([w for w in FAST_WRITERS if w.name.startswith(("text:", "html:"))]),
       gold=st.integers(0, len(TRUTHS) - 1), cut=st.tuples(st.floats(0, 1), st.floats(0, 1)),
       shuffle=st.randoms(use_true_random=False), mode=st.sampled_from(["cut", "shuffle", "drop"]))
def test_damaged_layouts_never_raise(layout, writer, gold, cut, shuffle, mode):
    name, data = L.render(_truth(gold), layout, writer)
    text = data.decode("utf-8", errors="replace") if name.endswith(".txt") else data.decode("latin-1")
    lines = text.split("\n")
    if mode == "cut":
        lo, hi = sorted(int(x * len(lines)) for x in cut)
        lines = lines[lo:hi]
    elif mode == "shuffle":
        shuffle.shuffle(lines)
    else:
        lines = [line for line in lines if shuffle.random() > 0.3]
    damaged = "\n".join(lines)
    _valid(parse_bytes(name, damaged.encode("utf-8") if name.endswith(".txt") else damaged.encode("latin-1")))
