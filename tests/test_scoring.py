"""Scoring: severity deductions, category caps, grade bands, coverage beside the score, profile
selection and overrides, and the municipal 2-point profile."""
from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from checker.results import RuleResult
from checker.engine.scoring import get_profile, score


def result(rule: str, status: str, severity: str = "medium", category: str = "tables") -> RuleResult:
    return RuleResult(rule=rule, status=status, severity=severity, category=category, title="", template="", params={})


def test_deductions_by_severity() -> None:
    card, scored = score([result("A-001", "fail", "critical"), result("A-002", "fail", "low", "quality"),
                          result("A-003", "pass")], get_profile("default"))
    assert card.score == Decimal(78) and card.grade == "良好"
    assert [r.points for r in scored] == [Decimal(20), Decimal(2), None]
    assert card.failures["critical"] == 1 and card.failures["low"] == 1


def test_category_cap() -> None:
    failures = [result(f"T-00{i}", "fail", "critical") for i in range(4)]  # 80 points of table failures
    card, _ = score(failures, get_profile("default"))
    assert card.score == Decimal(60)  # tables capped at 40


def test_consistency_quality_and_duplication_share_one_cap() -> None:
    failures = [result("X-001", "fail", "high", "consistency"), result("X-002", "fail", "high", "quality"),
                result("X-003", "fail", "high", "duplication")]
    card, _ = score(failures, get_profile("default"))
    assert card.score == Decimal(90)


@pytest.mark.parametrize("points,grade", [(0, "优秀"), (10, "优秀"), (15, "良好"), (25, "良好"), (35, "合格"),
                                          (45, "不合格")])
def test_grade_bands(points: int, grade: str) -> None:
    failures = [result("G-999", "pass")]
    remaining = points
    categories = ["structure", "tables", "fee", "timeliness", "consistency"]
    while remaining >= 5:
        failures.append(result(f"G-{len(failures):03d}", "fail", "medium", categories[len(failures) % 5]))
        remaining -= 5
    card, _ = score(failures, get_profile("default"))
    assert card.score == Decimal(100 - points)
    assert card.grade == grade


def test_coverage_counts_assessed_among_applicable() -> None:
    results = [result("C-001", "pass"), result("C-002", "fail"), result("C-003", "not_assessable"),
               result("C-004", "not_applicable"), result("C-005", "error")]
    card, _ = score(results, get_profile("default"))
    assert card.coverage == Decimal("0.5")  # 2 of 4 applicable
    assert card.counts == {"pass": 1, "fail": 1, "not_applicable": 1, "not_assessable": 1, "error": 1}


def test_low_coverage_gets_no_score() -> None:
    results = [result("C-001", "pass")] + [result(f"C-1{i:02d}", "not_assessable") for i in range(5)]
    card, _ = score(results, get_profile("default"))
    assert card.score is None and card.grade is None


def test_select_ignore_and_override() -> None:
    profile = get_profile("default").with_selection(select=["TB"], ignore=["TB-006"])
    assert profile.takes_part("TB-010") and not profile.takes_part("TB-006") and not profile.takes_part("TA-001")
    municipal = get_profile("municipal-2pt")
    assert municipal.points_for("TIME-002", "high") == Decimal(1)
    assert municipal.takes_part("DUP-001") and not municipal.takes_part("STR-001")


def test_municipal_two_point_index() -> None:
    profile = get_profile("municipal-2pt")
    late = result("TIME-002", "fail", "high", "timeliness")
    similar = result("DUP-001", "fail", "medium", "duplication")
    very_similar = result("DUP-002", "fail", "high", "duplication")
    inconsistent = [result("TB-010", "fail", "critical"), result("TC-002", "fail", "critical")]
    card, _ = score([late, similar, very_similar, *inconsistent], profile)
    assert card.score == Decimal(0)  # 2 − 1 − 0.5 − 0.5
    card, _ = score([similar, very_similar], profile)
    assert card.score == Decimal("1.5")  # repetition deducts 0.5 once
    card, _ = score([], profile, unreadable=True)
    assert card.score == Decimal(0)  # not published: −2


def _weight(result, profile, unreadable):
    """What a result deducts on its own as score() first asked it, or None."""
    if result.status == "fail":
        return profile.points_for(result.rule, result.severity)
    if result.status == "not_assessable" and result.cause == "report" and not unreadable:
        return profile.unverifiable_points(result.rule, result.severity)
    return None


def _charges_as_written_first(results, profile, unreadable=False):
    """What score() charged as it was first written, every result grouped by its head: per head
    the points and the result they are counted as; with the counts, failures and what could
    not be verified (the reference the grouping of only the results that deduct is held to)."""
    counts = {status: 0 for status in ("pass", "fail", "not_applicable", "not_assessable", "error")}
    failures = {severity: 0 for severity in ("critical", "high", "medium", "low", "info")}
    weights, groups, status_of = {}, {}, {}
    for r in results:
        counts[r.status] = counts.get(r.status, 0) + 1
        status_of[r.rule] = r.status
        if r.status == "fail":
            failures[r.severity] = failures.get(r.severity, 0) + 1
        if r.status in ("fail", "not_assessable"):
            weight = _weight(r, profile, unreadable)
            if weight is not None:
                weights[r.rule] = weight
        groups.setdefault(r.root or r.rule, []).append(r)
    charges = {}
    for head, members in groups.items():
        weighted = [m for m in members if m.rule in weights]
        if status_of.get(head) == "waived":
            weighted = []
            for member in members:
                weights.pop(member.rule, None)
        if weighted:
            carrier = max(weighted, key=lambda m: (weights[m.rule], m.rule == head))
            charges[head] = (weights[carrier.rule], carrier)
    unverifiable = sum(1 for r in results if r.status == "not_assessable" and r.rule in weights)
    return charges, counts, failures, unverifiable


_RESULTS = st.builds(RuleResult, rule=st.sampled_from(["A-1", "A-2", "T-1", "T-2", "Q-1"]),
                     status=st.sampled_from(["pass", "fail", "not_applicable", "not_assessable", "error", "waived"]),
                     severity=st.sampled_from(["critical", "high", "low"]),
                     category=st.sampled_from(["tables", "quality", "structure"]), title=st.just(""),
                     template=st.just(""), params=st.just({}), points=st.sampled_from([None, Decimal(0), Decimal(5)]),
                     cause=st.sampled_from([None, "report", "checker"]),
                     root=st.sampled_from([None, "A-1", "T-1"]))


@settings(max_examples=200)
@given(st.one_of(st.lists(_RESULTS, max_size=5, unique_by=lambda r: r.rule), st.lists(_RESULTS, max_size=8)),
       st.booleans(), st.sampled_from(["default", "municipal-2pt"]))
@example([result("A-1", "fail", "low"), replace(result("T-2", "fail", "critical"), root="A-1")], False, "default")
def test_a_score_deducts_as_every_result_grouped_by_its_head_did(results, unreadable, name) -> None:
    """(score groups only the results that would deduct; a rule met twice is grouped as before)"""
    profile = get_profile(name)
    card, scored = score(results, profile, unreadable=unreadable)
    charges, counts, failures, unverifiable = _charges_as_written_first(results, profile, unreadable)
    charged = [charges.get(r.rule) if r.root is None else None for r in results]
    per_category: dict = {}
    for charge in filter(None, charged):
        per_category[charge[1].category] = per_category.get(charge[1].category, Decimal(0)) + charge[0]
    assert [r.points for r in scored] == [charge[0] if charge else Decimal(0) if r.status == "fail" else None
                                          for r, charge in zip(results, charged)]
    assert [replace(r, points=None) for r in scored] == [replace(r, points=None) for r in results]
    assert list(card.counts.items()) == list(counts.items())
    assert list(card.failures.items()) == list(failures.items())
    assert list(card.deductions.items()) == list(per_category.items())
    assert card.unverifiable == unverifiable
    # each charge under the first cap that covers its carrier (as the profile's caps are read
    # for every charge; score keeps the index found per rule and category)
    raw_by_cap: dict = {}
    for points, carrier in filter(None, charged):
        cap = next((i for i, c in enumerate(profile.caps) if c.covers(carrier)), None)
        raw_by_cap[cap] = raw_by_cap.get(cap, Decimal(0)) + points
    total = raw_by_cap.pop(None, Decimal(0)) + sum(min(raw, profile.caps[i].points) for i, raw in raw_by_cap.items())
    if card.score is not None:
        assert card.score == max(profile.start - total - (profile.unreadable if unreadable else 0), profile.floor)
