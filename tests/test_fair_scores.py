"""Fair scores: a report never scores higher because it is less identifiable or less readable.

A rule the report keeps from being checked (no agency, no date, a blank cell, a table published
as a picture) counts against it; what the checker cannot read or the user did not supply does
not. Property-style: over the seeds and variants made from them at test time (a late date, the
accountability sentences taken out), removing the agency line or the 落款 date never raises the
score, whatever the profile."""
from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.engine.pack import load_pack
from checker.engine.runner import Comparison, check_report
from checker.engine.scoring import get_profile, score
from checker.model import Table
from checker.pipeline import parse_bytes
from checker.results import Absence, RuleResult

SEEDS = Path(__file__).resolve().parent / "fixtures" / "seeds"

SEED_TEXTS = {p.name: p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))}
_PART_ONE = re.compile(r"^\s*[#\s]*一\s*[、.．]")
_DATE_LINE = re.compile(r"^\s*20\d\d\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$")


PACK = load_pack()


@pytest.fixture(scope="module")
def pack():
    return PACK


def _lines(text: str) -> list[str]:
    return text.split("\n")


def _head_end(lines: list[str]) -> int:
    return next((i for i, line in enumerate(lines) if _PART_ONE.match(line)), 0)


def late(text: str, agency: str) -> str:
    """The same report signed long after every deadline (a signature block added if it had none)."""
    lines = _lines(text)
    dated = [i for i, line in enumerate(lines) if _DATE_LINE.match(line)]
    if dated:
        lines[dated[-1]] = "2025年9月30日"
        return "\n".join(lines)
    return text.rstrip() + f"\n\n{agency}\n2025年9月30日\n"


def unaccountable(text: str) -> str:
    """Without the words a people's government reports its appraisal and accountability with."""
    return re.sub("考核|评议|追究|问责|监督保障", "工作", text)


def without_agency(text: str, agency: str) -> str:
    """The report with its agency line(s) removed: the title lines naming it and the signature."""
    lines = _lines(text)
    head = _head_end(lines)
    key = agency[:2]
    kept = [line for i, line in enumerate(lines)
            if not ((i < head and key in line) or (i >= head and line.strip() and line.strip() in agency + "人民政府"
                                                    and len(line.strip()) <= len(agency) + 4))]
    return "\n".join(kept)


def without_date(text: str) -> str:
    return "\n".join(line for line in _lines(text) if not _DATE_LINE.match(line))


def check(text: str, pack, profile: str = "default"):
    return check_report(parse_bytes("report.txt", text.encode("utf-8")), pack, get_profile(profile))


def _at_most(hidden, shown) -> bool:
    if shown.score.score is None:
        return True
    return hidden.score.score is None or hidden.score.score <= shown.score.score


@settings(max_examples=25, deadline=None)
@given(seed=st.sampled_from(sorted(SEED_TEXTS)), is_late=st.booleans(), accountable=st.booleans(),
       profile=st.sampled_from(["default", "municipal-2pt"]))
def test_removing_the_agency_line_never_raises_the_score(seed, is_late, accountable, profile):
    pack = PACK
    text = SEED_TEXTS[seed]
    agency = check(text, pack).meta.get("agency") or "青山县人民政府"
    shown = text if accountable else unaccountable(text)
    shown = late(shown, agency) if is_late else shown
    with_agency = check(shown, pack, profile)
    hidden = check(without_agency(shown, agency), pack, profile)
    assert _at_most(hidden, with_agency), (hidden.score, with_agency.score)


@settings(max_examples=20, deadline=None)
@given(seed=st.sampled_from(sorted(SEED_TEXTS)), profile=st.sampled_from(["default", "municipal-2pt"]))
def test_removing_the_date_never_raises_the_score(seed, profile):
    pack = PACK
    text = SEED_TEXTS[seed]
    agency = check(text, pack).meta.get("agency") or "青山县人民政府"
    dated = late(text, agency)
    assert _at_most(check(without_date(dated), pack, profile), check(dated, pack, profile))


def test_the_report_without_its_agency_is_charged_for_what_it_hides(pack):
    """Seed 001 names no agency: the rules that need to know who reports (the deadline, the
    accountability item) count as failed, so supplying the agency cannot lower the score."""
    text = SEED_TEXTS["001_816126611a69aadc.txt"]
    result = check(text, pack)
    for rule in ("TIME-001", "TIME-002", "STR-010"):
        item = result.result(rule)
        assert item.status == "not_assessable" and item.cause == "report"
        assert item.points == Decimal(10)
        assert [a.key for a in item.missing] == ["meta:agency_kind"]
    named = check("某某县人民政府2024年政府信息公开工作年度报告\n" + text, pack)
    assert named.score.score >= result.score.score


def test_a_table_published_as_a_picture_counts_once_at_its_heaviest(pack):
    """Table B as a picture: every rule on it is unverifiable, charged once, as the heaviest."""
    report = parse_bytes("r.txt", SEED_TEXTS["003_855a3ef0bc8273b0.txt"].encode("utf-8"))
    table = report.tables["applications"]
    pictured = replace(report, tables={**report.tables, "applications": Table(key=table.key, cells={},
                                                                                unreadable=True)})
    result = check_report(pictured, pack, get_profile())
    unverified = [r for r in result.results if r.status == "not_assessable" and r.cause == "report"
                  and any("applications" in a.key for a in r.missing)]
    assert {r.rule for r in unverified} >= {"TB-010", "TB-011", "TB-012", "TB-005"}
    heads = [r for r in unverified if r.root is None]
    assert len(heads) == 1 and heads[0].points == Decimal(20)  # critical, once
    assert all(r.root == heads[0].rule and r.points is None for r in unverified if r is not heads[0])
    assert all(a.state == "picture" for r in unverified for a in r.missing)
    clean = check_report(report, pack, get_profile())
    assert result.score.score <= clean.score.score


def test_what_the_user_did_not_supply_is_not_charged(pack):
    """Last year's report with a blank carried-forward row: TB-013 cannot be checked, but that is
    no fault of this year's report."""
    this = parse_bytes("2024.txt", SEED_TEXTS["003_855a3ef0bc8273b0.txt"].encode("utf-8"))
    last = parse_bytes("2023.txt", SEED_TEXTS["001_816126611a69aadc.txt"].encode("utf-8"))
    blank = {k: replace(c, value=None, kind="blank", raw="") if k[0] == "4" else c
             for k, c in last.tables["applications"].cells.items()}
    last = replace(last, tables={**last.tables, "applications": replace(last.tables["applications"], cells=blank)})
    result = check_report(this, pack, get_profile(), Comparison(previous=last))
    tb013 = result.result("TB-013")
    assert tb013.status == "not_assessable" and tb013.cause == "user" and tb013.points is None
    assert all(a.key.startswith("previous.cell:applications/4/") and a.file == "2023.txt" for a in tb013.missing)
    alone = check_report(this, pack, get_profile())
    assert result.score.unverifiable == alone.score.unverifiable  # TB-013 is not among them


def _result(rule: str, status: str, severity: str = "high", category: str = "timeliness", cause=None,
            root=None) -> RuleResult:
    missing = (Absence(key="meta:published", state="absent", cause=cause),) if cause else ()
    return RuleResult(rule=rule, status=status, severity=severity, category=category, title="", template="",
                      params={}, cause=cause, missing=missing, root=root)


def test_only_the_reports_own_gaps_are_charged_and_the_profile_says_how():
    results = [_result("A-001", "not_assessable", cause="report"), _result("A-002", "not_assessable", cause="checker"),
               _result("A-003", "not_assessable", cause="user")] + [_result(f"B-00{i}", "pass") for i in range(4)]
    card, scored = score(results, get_profile())
    assert card.score == Decimal(90) and card.unverifiable == 1
    assert [r.points for r in scored] == [Decimal(10)] + [None] * 6
    assert card.coverage == Decimal("0.571")  # coverage still says what could be checked: 4 of 7
    lenient = replace(get_profile(), unverifiable="none")
    assert score(results, lenient)[0].score == Decimal(100)
    stated = replace(get_profile(), unverifiable=Decimal(3))
    assert score(results, stated)[0].score == Decimal(97)


def test_an_unreadable_report_is_not_charged_rule_by_rule():
    results = [_result(f"A-00{i}", "not_assessable", cause="report") for i in range(5)]
    card, _ = score(results, get_profile(), unreadable=True)
    assert card.score is None
    municipal, _ = score(results, get_profile("municipal-2pt"), unreadable=True)
    assert municipal.score == Decimal(0)  # −2 "not published", once
