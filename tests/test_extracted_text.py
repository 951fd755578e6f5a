"""Reports as text that other tools extracted from PDFs (tests/fixtures/extracted, written by
tools/make_extracted_text.py with poppler's pdftotext, with and without -layout, from the corpus
PDF, word-processor PDFs and PDFs LibreOffice printed from the seeds and from every gold report).

Text kept in columns (-layout) must read to the gold cell for cell. Text extracted block by
block (no -layout) often separates labels from values or prints a table column by column: what
cannot be told apart is left unread, but no value may ever land in another cell, and no misread
may raise a critical finding the report does not deserve."""
from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

import variants as V
from checker.engine.pack import load_pack
from checker.engine.runner import check_report
from checker.engine.scoring import get_profile
from checker.pipeline import parse_file

FIXTURES = Path(__file__).resolve().parent / "fixtures"
FOLDER = FIXTURES / "extracted"
MANIFEST = json.loads((FOLDER / "sources.json").read_text(encoding="utf-8"))["files"]
NAMES = sorted(MANIFEST)
LAYOUT = [n for n in NAMES if n.endswith(".layout.txt")]
BLOCKS = [n for n in NAMES if n.endswith(".raw.txt")]


def _gold(name: str) -> dict:
    return json.loads((FIXTURES / MANIFEST[name]["gold"]).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def reports():
    return {name: parse_file(FOLDER / name) for name in NAMES}


def test_every_fixture_is_listed_with_its_gold():
    assert sorted(p.name for p in FOLDER.glob("*.txt")) == NAMES
    assert len(LAYOUT) == len(BLOCKS) >= 15


@pytest.mark.parametrize("name", NAMES)
def test_no_value_lands_in_another_cell(reports, name):
    """Every number read is the gold's number for that cell: a value the reader cannot place
    is left out (lost), never given to a neighbour."""
    report = reports[name]
    wrong = []
    for (table, row, col), value in V.gold_cells(_gold(name)).items():
        cell = V.cell_of(report, table, row, col)
        if cell is not None and cell.value is not None and (
                value is None or Decimal(str(cell.value)) != Decimal(str(value))):
            wrong.append(f"{table}.{row}.{col}: gold {value}, read {cell.value}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("name", LAYOUT)
def test_text_kept_in_columns_reads_every_cell(reports, name):
    assert not V.wrong_cells(reports[name], _gold(name))


def test_text_extracted_block_by_block_reads_most_cells(reports):
    """Labels clumped ahead of their values, values ahead of their labels, a group label's
    pieces between a row label's lines: together at least two cells in three are read (what is
    left is printed column by column, which text alone cannot put back)."""
    right = total = 0
    for name in BLOCKS:
        cells = V.gold_cells(_gold(name))
        total += len(cells)
        right += len(cells) - len(V.wrong_cells(reports[name], _gold(name)))
    assert right / total >= 0.66, f"{right}/{total}"


PACK = load_pack()
CRITICAL = {r.id for r in PACK.rules if r.severity == "critical"}


@pytest.mark.parametrize("name", NAMES)
def test_no_critical_finding_the_report_does_not_deserve(reports, name):
    """A misread table is not assessable, never a broken identity or a missing part or table;
    and no rule crashes on what was read."""
    gold = _gold(name)
    result = check_report(reports[name], PACK, get_profile())
    false = [r.rule for r in result.results
             if r.rule in CRITICAL and r.status == "fail" and r.rule not in gold["expect_fail"]]
    assert not false
    assert not [r.rule for r in result.results if r.status == "error"]
