"""The seed reports and their hand-checked gold, for the tests that read them.

A module of its own, not conftest.py: a test that imports from ``conftest`` by name gets
whichever conftest.py was imported first under that name (tests/web has one too), and fails
to collect when run beside those tests."""
from __future__ import annotations

import json
from pathlib import Path

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
