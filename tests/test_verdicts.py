"""Every verdict the gold expects, on the seed reports and the real corpus, through `check`."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from checker.engine.runner import check_report
from checker.pipeline import parse_file
from checker.engine.pack import load_pack
from checker.engine.scoring import get_profile
from seeds_support import expectations

FIXTURES = Path(__file__).resolve().parent / "fixtures"
CASES = [(FIXTURES / "seeds", g) for g in sorted((FIXTURES / "gold").glob("*.json"))] + \
        [(FIXTURES / "corpus", g) for g in sorted((FIXTURES / "corpus" / "gold").glob("*.json"))]


@pytest.fixture(scope="module")
def pack():
    return load_pack()


@pytest.mark.parametrize("folder,gold_file", CASES, ids=[g.stem for _, g in CASES])
def test_verdicts_match_gold(pack, folder: Path, gold_file: Path) -> None:
    gold = json.loads(gold_file.read_text(encoding="utf-8"))
    report = parse_file(folder / gold["source"])
    result = check_report(report, pack, get_profile())
    got = {r.rule: r.status for r in result.results}
    wrong = {rule: (status, got.get(rule)) for rule, status in expectations(gold).items() if got.get(rule) != status}
    assert not wrong, f"expected vs got: {wrong}"


@pytest.mark.parametrize("folder,gold_file", CASES, ids=[g.stem for _, g in CASES])
def test_every_failure_carries_evidence(pack, folder: Path, gold_file: Path) -> None:
    gold = json.loads(gold_file.read_text(encoding="utf-8"))
    result = check_report(parse_file(folder / gold["source"]), pack, get_profile())
    for item in result.results:
        if item.status == "fail":
            evidence = list(item.evidence) + [e for d in item.details for e in d.evidence]
            assert evidence, f"{item.rule} failed without evidence"
            assert any(e.where is not None for e in evidence), f"{item.rule}: evidence without a position"


def test_cross_year_pair_from_the_corpus(pack) -> None:
    """The two 平潭 years: 2024's carried-over row equals 2023's carried-forward row (TB-013 passes);
    现行有效 440 != 470 + 62 - 33 (TA-007 fails)."""
    gold = json.loads((FIXTURES / "corpus" / "gold" / "pingtan-2024.json").read_text(encoding="utf-8"))
    from checker.engine.runner import Comparison
    this = parse_file(FIXTURES / "corpus" / "pingtan-2024.html")
    last = parse_file(FIXTURES / "corpus" / "pingtan-2023.html")
    result = check_report(this, pack, get_profile(), Comparison(previous=last))
    assert result.result("TB-013").status == gold["cross_year"]["TB-013"]
    ta007 = result.result("TA-007")
    assert ta007.status == gold["cross_year"]["TA-007"]
    failing = [d for d in ta007.details if d.status == "fail"]
    assert [(d.params["left"], d.params["right"], d.params["diff"]) for d in failing] == [(440, 499, -59)]
