"""Reasons and evidence a person can use: every rule that could not judge says why and what
would let it, in Chinese and in English; no internal name (field paths, function calls, cell
keys) reaches text, Markdown or HTML; evidence shows both sides of a comparison, labelled, and
where a fact came from."""
from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from checker.engine.pack import load_pack
from checker.engine.runner import Comparison, check_report
from checker.engine.scoring import get_profile
from checker.facts import Facts, supply
from checker.messages import evidence_text, reason
from checker.model import Table
from checker.pipeline import parse_bytes, parse_file
from checker.render.html import report_page
from checker.render.results_md import reports_markdown
from checker.render.results_text import reports_text

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEEDS = FIXTURES / "seeds"

PACK = load_pack()
MESSAGES_EN = {r.id: r.message_en for r in PACK.rules if r.message_en}
# what only a program should read: snake_case names, calls, paths into the report model
INTERNAL = re.compile(r"\b[a-z]{2,}_[a-z_]{2,}\b|\b[a-z_]+\(|\bmeta\.|\]\[|\bis absent\b|\bcell was\b|"
                      r"\bapplications\[|\bMissing\b|Error:")
CJK = re.compile(r"[\u4e00-\u9fff]")


def _variants():
    """The seeds as they are, and made less readable: Table B a picture, part 六 gone, the
    agency unknown, the date unknown."""
    for path in sorted(SEEDS.glob("*.txt")):
        report = parse_file(path)
        yield path.name, report
        table = report.tables.get("applications")
        if table is not None:
            yield path.name + "/picture", replace(report, tables={**report.tables, "applications": Table(
                key=table.key, cells={}, unreadable=True)})
        yield path.name + "/no-part-6", replace(report, parts=tuple(p for p in report.parts if p.id != 6),
                                                paragraphs=tuple(p for p in report.paragraphs if p.part != 6))
        yield path.name + "/anonymous", replace(report, meta=replace(report.meta, agency=None, agency_kind=None,
                                                                     published=None))


@pytest.fixture(scope="module")
def checked():
    results = [check_report(report, PACK, get_profile()) for _, report in _variants()]
    this = parse_file(FIXTURES / "corpus" / "pingtan-2024.html")
    last = parse_file(FIXTURES / "corpus" / "pingtan-2023.html")
    results.append(check_report(this, PACK, get_profile(), Comparison(previous=last)))
    return results


def test_every_rule_that_could_not_judge_knows_what_it_lacked(checked):
    for report in checked:
        for result in report.results:
            if result.status == "not_assessable":
                assert result.missing and all(a.key and a.state != "unknown" for a in result.missing), \
                    (report.source, result.rule, result.params)
                assert result.cause in ("report", "checker", "user")


def test_every_reason_says_why_and_what_would_help(checked):
    for report in checked:
        for result in report.results:
            if result.status != "not_assessable":
                continue
            zh, en = reason(result, "zh"), reason(result, "en")
            assert "：" in zh, zh  # why：what would help
            assert not INTERNAL.search(zh) and not INTERNAL.search(en), (zh, en)
            # English words around the format's own (Chinese) labels, which are quoted
            assert not CJK.search(re.sub(r"「[^」]*」|（[^）]*）|\([^)]*\)", "", en)), en


def test_no_date_says_how_to_supply_it():
    report = parse_file(SEEDS / "002_a0c218d13443adaa.txt")
    result = check_report(report, PACK, get_profile()).result("TIME-002")
    assert result.status == "not_assessable"
    assert reason(result) == "未识别发布日期：请在清单中提供发布日期，或使用 --published"
    assert reason(result, "en") == "no publication date was found: give the publication date in the manifest " \
                                   "or with --published"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_internal_names_in_text_markdown_or_html(checked, lang):
    for report in checked:
        for text in (reports_text([report], lang, MESSAGES_EN, verbose=True), reports_markdown([report], lang, MESSAGES_EN),
                     report_page(report, lang, MESSAGES_EN)):
            visible = re.sub(r"<(style|script)\b.*?</\1>", " ", text, flags=re.S)
            visible = re.sub(r"<[^>]+>", " ", visible)  # the page's own markup is not output text
            visible = visible.replace(report.source, "")
            found = INTERNAL.search(visible)
            assert found is None, (report.source, lang, visible[max(0, found.start() - 80):found.end() + 40])


def test_english_scorecards_use_english_words(checked):
    text = reports_text(checked[:1], "en", MESSAGES_EN)
    assert text.startswith("Report: ")
    assert "Score: " in text and "Coverage: " in text and "Grade: " in text
    assert not any(word in text for word in ("得分", "覆盖率", "依据", "证据", "机关："))
    assert all(rule.title_en for rule in PACK.rules)


def test_a_cross_year_comparison_shows_both_years_labelled(checked):
    report = checked[-1]
    ta007 = report.result("TA-007")
    assert ta007.status == "fail"
    evidence = [e for d in ta007.details if d.status == "fail" for e in d.evidence]
    sides = {e.role for e in evidence}
    assert sides == {"this_year", "last_year"}
    last = [e for e in evidence if e.role == "last_year"]
    assert all(e.file.endswith("pingtan-2023.html") and e.where is not None for e in last)
    assert any(e.value == 470 for e in last) and any(e.value == 440 for e in evidence if e.role == "this_year")
    line = evidence_text(last[0])
    assert line.startswith("上年度报告（") and "pingtan-2023.html" in line and "现行有效件数" in line


def test_a_claim_shows_the_sentence_and_the_cell(checked):
    report = next(r for r in checked if r.source.endswith("000_c7c1a845340d13e1.txt"))
    detail = next(d for d in report.result("XP-001").details if d.status == "fail")
    assert detail.evidence[0].role == "text" and {e.role for e in detail.evidence[1:]} == {"table"}
    assert evidence_text(detail.evidence[1]).startswith("表格 ")


def test_an_identity_quotes_every_cell_it_added(checked):
    """TB-011 on a wrong total: each of the cells summed is evidence, with its value."""
    report = parse_file(SEEDS / "003_855a3ef0bc8273b0.txt")
    table = report.tables["applications"]
    cells = dict(table.cells)
    cells[("3.7", "total")] = replace(cells[("3.7", "total")], value=cells[("3.7", "total")].value + 1, raw="99")
    result = check_report(replace(report, tables={**report.tables, "applications": replace(table, cells=cells)}),
                          PACK, get_profile()).result("TB-011")
    detail = next(d for d in result.details if d.status == "fail")
    rows = {e.row for e in detail.evidence if e.kind == "cell"}
    leaves = {r.key for r in PACK.fmt.table("applications").rows if r.leaf}
    assert rows == leaves | {"3.7"} and all(e.label for e in detail.evidence)


def test_a_supplied_fact_says_where_it_came_from():
    report = parse_bytes("r.txt", (SEEDS / "002_a0c218d13443adaa.txt").read_bytes())
    from datetime import date
    supplied = supply(report, Facts(published=date(2025, 4, 2), note="批量清单 m.csv 第2行"), "manifest", PACK.fmt)
    result = check_report(supplied, PACK, get_profile())
    time002 = result.result("TIME-002")
    assert time002.status == "fail"
    fact = next(e for e in time002.evidence if e.origin == "manifest")
    assert "m.csv 第2行" in fact.text and "清单" in evidence_text(fact)
    meta005 = result.result("META-005")
    assert meta005.status == "fail"  # the manifest's date is not the report's 落款


def test_english_messages_are_english_around_quoted_wording():
    """The sentences rules build (missing rows, identity problems, part order, wording, text
    requirements) come in English with --lang en; only the report's and the format's own words,
    quoted, stay Chinese."""
    from checker.engine.examples import build_report
    from checker.messages import result_message

    spec = {"text": "五、存在的主要问题及改进情况\n无。\n四、政府信息公开行政复议、行政诉讼情况\n",
            "meta": {"year": 2024, "agency": "甲县", "title": "甲县2023年政府信息公开工作年度报告",
                     "signature_agency": "乙县人民政府"},
            "tables": {"active_disclosure": {"regulations": [0, 0, 1]}, "applications": {"1": [0] * 7}}}
    result = check_report(build_report(spec, PACK.fmt), PACK, get_profile())
    checked = {"TA-001", "TB-002", "STR-011", "META-003", "STR-007"}
    for rule in checked:
        item = result.result(rule)
        assert item.status == "fail", rule
        text = result_message(item, "en", MESSAGES_EN[rule])
        bare = re.sub(r"「[^」]*」|\"[^\"]*\"", "", text)
        assert not CJK.search(bare), (rule, text)
