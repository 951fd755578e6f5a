"""Shared fixtures: the seed reports with their hand-checked gold, the shipped format, and a
helper that parses a report given as text."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Callable

import pytest

from checker.formats import FormatSpec, get_format
from checker.model import Report
from checker.pipeline import parse_bytes

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEEDS = FIXTURES / "seeds"
GOLD = FIXTURES / "gold"


def seed_names() -> list[str]:
    """File names of the seed reports (for parametrising)."""
    return sorted(p.name for p in SEEDS.glob("*.txt"))


def expectations(gold: dict) -> dict[str, str]:
    """The verdict the gold expects of each rule it names."""
    expected = {r: "fail" for r in gold["expect_fail"]}
    expected.update({r: "pass" for r in gold["expect_pass"]})
    expected.update({r: "not_assessable" for r in gold.get("expect_not_assessable", [])})
    expected.update({r: "not_applicable" for r in gold.get("expect_not_applicable", [])})
    return expected


def load_gold(seed_name: str) -> dict:
    return json.loads((GOLD / f"{Path(seed_name).stem}.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def report_format() -> FormatSpec:
    return get_format()


@pytest.fixture
def parse_text() -> Callable[..., Report]:
    """parse_text(text, name="report.txt") -> Report, through the real reader and extractor."""
    def parse(text: str, name: str = "report.txt") -> Report:
        return parse_bytes(name, text.encode("utf-8"))
    return parse
