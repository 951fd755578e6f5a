"""What a worker makes of a checked report, made the fast way and still the same: the
results.jsonl line straight from the checked result (Compactor.report_line) is, byte for byte,
the full report object compacted, and the rows made beside it the rows of the full object;
the page made with the messages the line rendered is the page made without them; page text is
escaped exactly as html.escape does; a message shows its parameters as before."""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import html
import pickle
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.batch.jsonl import dumps_line, line_bytes
from checker.batch.resultsfile import Compactor, catalogue
from checker.engine.pack import load_pack
from checker.engine.runner import check_report
from checker.engine.scoring import get_profile
from checker.messages import _show, render, shown_evidence, where_text
from checker.model import Source
from checker.pipeline import parse_file
from checker.render.html import esc, report_fragment
from checker.render.records import FindingRow, finding_fields, summary_row
from checker.render.results_json import report_dict
from checker.render.results_text import sorted_out
from checker.results import Absence, AppliedWaiver, Detail, Evidence, ReportResult, RuleResult

SEEDS = Path(__file__).resolve().parent / "fixtures" / "seeds"
EXTRA = {"id": "r7", "region": "某区", "input": "k/a.txt"}


@pytest.fixture(scope="module")
def checked() -> tuple[list[ReportResult], dict[str, str], dict]:
    pack, profile = load_pack(), get_profile()
    results = [check_report(parse_file(seed), pack, profile) for seed in sorted(SEEDS.glob("*.txt"))[:4]]
    return results, {r.id: r.message_en for r in pack.rules if r.message_en}, catalogue(pack, profile)


def assert_same(result: ReportResult, messages_en: dict[str, str], rules: dict, lang: str) -> None:
    compactor = Compactor(rules, lang)
    full = {**report_dict(result, lang, messages_en), **EXTRA}
    made = compactor.report_line(result, messages_en, **EXTRA)
    assert dumps_line(made.line) == dumps_line(compactor.compact(full))
    assert made.summary == summary_row(full)
    assert made.findings == tuple(finding_fields(full, lang))
    assert made.statuses == tuple((r.rule, r.status) for r in result.results)
    # the page shows the messages the line rendered, as it renders them itself
    assert report_fragment(result, lang, messages_en, said=made.said) == report_fragment(result, lang, messages_en)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_line_of_a_checked_report_is_its_full_object_compacted(checked, lang: str) -> None:
    results, messages_en, rules = checked
    for result in results:
        assert_same(result, messages_en, rules, lang)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_line_keeps_what_differs_from_the_catalogue_and_lists_equal_items_once(checked, lang: str) -> None:
    results, messages_en, rules = checked
    base = results[0]
    failed = next(r for r in base.results if r.status == "fail")
    here = Source(line=3)
    quote = Evidence(kind="quote", text="原文「一句」", where=here)
    # unequal as objects, equal as JSON (a value only a cell writes), and one no dict key can hold
    twins = (Evidence(kind="note", text="同", value=1), Evidence(kind="note", text="同", value=2))
    listed = Evidence(kind="cell", text="", table="t", row="1", col="c", value=[1, 2], cell_kind="blank")
    lacked = Absence(key="cell:t/1/c", state="blank", cause="report", label="表「t」")
    odd = (
        replace(failed, severity="info", title="另一标题", basis="", points=Decimal("0"),
                params={"n": Decimal("1.50"), "trace": "x"},
                evidence=(quote, *twins, listed, quote, replace(quote, where=Source(line=4)))),
        replace(failed, status="waived", waived_status="fail", evidence=(replace(quote),),
                waiver=AppliedWaiver(rules=(failed.rule,), reason="说明", approved_by="某办",
                                     expires=date(2030, 1, 1))),
        replace(failed, status="not_assessable", cause="report", missing=(lacked, lacked), evidence=(),
                details=(Detail(status="not_assessable", template="", params={}, item="c", missing=(lacked,),
                                evidence=(listed,)),
                         Detail(status="fail", template="{n} 项", params={"n": 3}, evidence=(quote,)))),
        replace(failed, status="pass", template="", params={"trace": "x"}, evidence=(), details=()),
        # a result that is no quick_init instance: its fields read by name
        SimpleNamespace(**{**vars(failed), "title": "另一标题", "points": Decimal(3)}, note="x"),
        replace(failed, status="error", params={"error": "ValueError: 坏"}, root="TB-001", caused=("X-1",),
                reports=("table:t",), title_en="English title"),
    )
    assert_same(replace(base, results=base.results + odd), messages_en, rules, lang)
    line = Compactor(rules, lang).report_line(replace(base, results=odd), messages_en).line
    assert line["results"][0]["evidence"] == [0, 1, 1, 2, 0, 3]


def test_an_unreadable_report_has_its_line_too(checked) -> None:
    results, messages_en, rules = checked
    broken = replace(results[0], results=(), score=None, error="无法读取", error_detail="OSError: x")
    assert_same(broken, messages_en, rules, "zh")


@given(st.one_of(st.none(), st.integers(), st.text(alphabet="&<>\"'a中 \x00")))
def test_page_text_is_escaped_as_html_escape_does(text) -> None:
    assert esc(text) == html.escape("" if text is None else str(text), quote=True)


values = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=5),
                   st.decimals(allow_nan=False, allow_infinity=False, places=2), st.dates(),
                   st.lists(st.integers(), max_size=3))
names = st.sampled_from(["n", "rows", "x", "年度"])


@settings(deadline=None)  # the first message rendered imports the engine's guards
@given(st.lists(st.one_of(names.map(lambda n: "{" + n + "}"), names.map(lambda n: "{" + n + "[0]}"),
                          st.text(alphabet="ab 表{}:!", max_size=4)), max_size=5),
       st.dictionaries(names, values, max_size=4), st.sampled_from(["zh", "en"]))
def test_a_message_shows_the_parameters_its_template_names(pieces, params, lang) -> None:
    template = "".join(pieces)
    shown = {k: _show(v, lang) for k, v in params.items()}

    class Kept(dict):
        def __missing__(self, key: str) -> str:
            return "{" + key + "}"
    try:
        expected = template.format_map(Kept(shown)) if ":" not in template and "!" not in template else None
    except (ValueError, IndexError, KeyError, AttributeError):
        expected = template
    if expected is not None:
        assert render(template, params, lang) == expected


_ITEMS = st.sampled_from([Evidence(kind="cell", text="1"), Evidence(kind="cell", text="2"),
                          Evidence(kind="quote", text="甲"), Evidence(kind="quote", text="乙"),
                          Evidence(kind="label", text="丙", value="丁")])


@given(st.lists(_ITEMS.map(lambda e: replace(e)), max_size=7), st.integers(0, 3), st.none() | st.integers(0, 3))
def test_a_scorecard_shows_the_first_cells_and_quotes_and_what_equals_them(items, quotes, cells) -> None:
    kept = set([e for e in items if e.kind == "cell"][:cells]) | set([e for e in items if e.kind != "cell"][:quotes])
    assert shown_evidence(items, quotes, cells) == [e for e in items if e in kept]


_PLACES = st.one_of(st.none(), st.integers(min_value=-3, max_value=300))


@given(st.builds(Source, line=_PLACES, page=_PLACES, table=_PLACES, row=_PLACES, col=_PLACES,
                 x=st.none() | st.decimals(allow_nan=False, allow_infinity=False),
                 y=st.none() | st.just(Decimal("1.5"))), st.sampled_from(["zh", "en"]))
def test_a_position_is_said_as_it_describes_itself(where: Source, lang: str) -> None:
    """(the words of a position are kept for the run)"""
    assert where_text(where, lang) == where.describe(lang)
    assert where_text(where, lang) == where.describe(lang)


def test_a_message_rendered_again_is_its_own_value_s_not_an_equal_one_s() -> None:
    """(messages of text and whole-number parameters are kept for the run)"""
    for first, then, shown in ((Decimal("1.5"), Decimal("1.50"), "1.50"), (1, True, "是"), (True, 1, "1"),
                               ("1", 1, "1"), (1, Decimal("1.0"), "1")):
        render("值{v}", {"v": first})
        assert render("值{v}", {"v": then}) == "值" + shown
    assert render("{a}·{b}", {"a": "行", "b": 2}) == render("{a}·{b}", {"a": "行", "b": 2}) == "行·2"
    assert render("{a}", {"a": "x"}, "en") == "x"


def test_rows_go_through_a_pipe_unchanged(checked) -> None:
    results, messages_en, rules = checked
    waived = AppliedWaiver(rules=("TB-001",), reason="说明", approved_by="某办", source="w.toml:3")
    made = Compactor(rules, "zh").report_line(replace(results[1], waivers=(waived,)), messages_en, **EXTRA)
    row, findings = made.summary, tuple(FindingRow(*fields) for fields in made.findings)
    assert row.waivers and findings
    back = pickle.loads(pickle.dumps((row, findings), protocol=pickle.HIGHEST_PROTOCOL))
    assert back == (row, findings) and repr(back) == repr((row, findings))


# evidence items that are equal as JSON dicts in many ways: the same text and place as other
# objects, values equal across types (5, 5.0, True), a value a non-cell does not write, a
# position with no field set, fields set that a quote seldom has
_VALUES = st.sampled_from([None, 5, Decimal("5"), Decimal("5.0"), True, 1, "5", Decimal("1E+2"), [1]])
_WHERE = st.sampled_from([None, Source(), Source(line=3), Source(line=3, page=1), Source(x=Decimal("1.50"))])
_EVIDENCE = st.builds(Evidence, kind=st.sampled_from(["cell", "quote", "label"]), text=st.sampled_from(["", "甲", "1E+2"]),
                      where=_WHERE, table=st.sampled_from([None, "t"]), row=st.sampled_from([None, "1"]),
                      col=st.sampled_from([None, "1", "c"]), value=_VALUES,
                      cell_kind=st.sampled_from([None, "number", "blank"]), role=st.sampled_from([None, "this_year"]),
                      origin=st.sampled_from([None, "report", "manifest"]), file=st.sampled_from([None, "a.txt"]),
                      label=st.sampled_from([None, "", "名"]))


# and what rules lacked, equal as dicts when their file or the input they are within says nothing
_ABSENCES = st.builds(Absence, key=st.sampled_from(["cell:t/1/c", "row:t/1"]), state=st.just("blank"),
                      cause=st.just("report"), label=st.sampled_from(["", "表「t」"]),
                      file=st.sampled_from(["", "a.txt"]), within=st.sampled_from(["", "row:t/1", "cell:t/1/c"]))


@settings(deadline=None, max_examples=60)
@given(st.lists(st.tuples(st.lists(_EVIDENCE, max_size=4), st.lists(_ABSENCES, max_size=3)), min_size=1, max_size=4))
def test_the_line_lists_evidence_as_the_full_object_compacted_lists_it(checked, groups) -> None:
    """(each item of a line's evidence, and each absence, is written once, equal dicts sharing an
    entry, whichever way the line goes: msgspec, or the json module for a line with an exponent
    in it)"""
    results, messages_en, rules = checked
    base = results[0]
    failed = next(r for r in base.results if r.status == "fail")
    odd = tuple(replace(failed, evidence=tuple(group), missing=tuple(lacked)) for group, lacked in groups)
    result = replace(base, results=odd)
    compactor = Compactor(rules, "zh")
    made = compactor.report_line(result, messages_en, **EXTRA)
    full = {**report_dict(result, "zh", messages_en), **EXTRA}
    expected = dumps_line(compactor.compact(full))
    assert dumps_line(made.line) == expected
    assert line_bytes(made.line) == expected.encode("utf-8")
    # and each finding's first evidence is said as the report object's is
    assert made.findings == tuple(finding_fields(full, "zh"))


_SORTED = st.builds(RuleResult, rule=st.sampled_from(["A-1", "B-2", "C-3"]),
                    status=st.sampled_from(["pass", "fail", "not_applicable", "not_assessable", "error", "waived"]),
                    severity=st.just("low"), category=st.just("tables"), title=st.just("t"), template=st.just(""),
                    params=st.just({}), points=st.sampled_from([None, Decimal(0), Decimal(2)]),
                    root=st.sampled_from([None, "A-1"]))


@given(st.lists(_SORTED, max_size=8))
def test_results_are_sorted_out_in_one_pass_as_each_list_is_defined(results) -> None:
    """(the page and the scorecards sort a report's results out in one pass)"""
    into = sorted_out(tuple(results))
    # what the reader sees first: failures and the rules kept from being checked that deducted
    assert into.scored == [r for r in results if r.root is None and (
        r.status == "fail" or (r.status == "not_assessable" and r.points is not None))]
    # what could not judge at no charge, and errors
    assert into.unassessed == [r for r in results if r.root is None and (
        r.status == "error" or (r.status == "not_assessable" and r.points is None))]
    assert into.passed == [r for r in results if r.status == "pass"]
    assert into.skipped == [r for r in results if r.status == "not_applicable"]
    assert into.children == {r.rule: r for r in results if r.root is not None}


@settings(max_examples=30, deadline=None)
@given(st.binary(max_size=3000), st.one_of(st.none(), st.binary(max_size=6000)))
def test_a_page_is_written_as_open_and_write_would_write_it(tmp_path_factory, data: bytes, before) -> None:
    """(outpaths.write_plain writes to the descriptor itself: over a longer file too, nothing of
    it is left)"""
    from checker.outpaths import write_plain
    folder = tmp_path_factory.mktemp("pages")
    made, reference = folder / "made.html", folder / "reference.html"
    if before is not None:
        made.write_bytes(before)
        reference.write_bytes(before)
    write_plain(str(made), data)
    with open(reference, "wb") as out:
        out.write(data)
    assert made.read_bytes() == reference.read_bytes()


_COUNTED = st.dictionaries(st.sampled_from(["pass", "fail", "not_applicable", "not_assessable", "error", "waived"]),
                           st.integers(0, 3), max_size=6)
_FAILED = st.dictionaries(st.sampled_from(["critical", "high", "medium", "low", "info"]), st.integers(0, 2), max_size=5)


@settings(max_examples=150)
@given(_COUNTED, _FAILED, st.integers(0, 2), st.sampled_from(["zh", "en"]))
def test_counts_are_said_as_they_were_each_time_they_are_met(counts, failures, unverifiable, lang) -> None:
    """(counts_line says each set of counts once a run; a card met again, in the same language,
    is said as it was)"""
    from checker.render.results_text import _counts_said, counts_line
    from checker.results import Score
    card = Score(profile="p", score=None, grade=None, coverage=Decimal(0), counts=counts, failures=failures,
                 unverifiable=unverifiable)
    afresh = _counts_said.__wrapped__(lang, tuple(counts.items()), tuple(failures.items()), unverifiable)
    assert counts_line(card, lang) == afresh


_HOSTILE = st.text(alphabet=st.sampled_from(["甲", "<", "&", '"', "'", "/", "a", " ", "é", "𠀀"]), max_size=8)


@settings(max_examples=25, deadline=None)
@given(_HOSTILE, _HOSTILE, st.sampled_from(["zh", "en"]), st.booleans())
def test_a_worker_writes_the_page_and_sends_the_drill_down_as_they_are_made_as_text(
        checked, tmp_path_factory, agency: str, footer: str, lang: str, inline: bool) -> None:
    """(the worker encodes the drill-down once: its page is written from those bytes, and the
    index's holder takes them as they are)"""
    import checker.batch.worker as worker
    from checker.batch.pairing import Member
    from checker.batch.resultsfile import Compactor
    from checker.render.html import report_page
    from checker.render.index_page import report_holder
    results, messages_en, rules = checked
    result = replace(results[2], meta={**results[2].meta, "agency": agency or None})
    pages = tmp_path_factory.mktemp("pages")
    settings = worker.Settings(pages=str(pages), lang=lang, fragments=inline, root=str(SEEDS))
    worker._FOOTER[:] = [settings, footer]  # the run's footer, as run_footer keeps it
    member = Member(file=str(SEEDS / "a.txt"), id="r1", key="k")
    made = worker.checked(result, member, settings, messages_en, Compactor(rules, lang))
    shown = replace(result, source="a.txt")
    line = Compactor(rules, lang).report_line(shown, messages_en, id="r1", region=None, input="k")
    fragment = report_fragment(shown, lang, messages_en, said=line.said)
    page = report_page(shown, lang, messages_en, fragment=fragment, stylesheet="style.css",
                       back="../index.html#report-r1", footer=footer)
    assert (pages / "r1.html").read_bytes() == page.encode("utf-8")
    assert made.fragment == (fragment.encode("utf-8") if inline else b"")
    holder = f'<script type="text/x-report" id="holder-{esc(agency)}">{fragment}</script>\n'
    assert report_holder(agency, fragment.encode("utf-8")) == holder.encode("utf-8")
