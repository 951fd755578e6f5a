"""Scoring: severity deductions, category caps, grade bands, coverage beside the score, profile
selection and overrides, and the municipal 2-point profile."""
from __future__ import annotations

from decimal import Decimal

import pytest

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
