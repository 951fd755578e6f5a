"""The shortcuts the engine takes on its hot paths decide as the long way does."""
from __future__ import annotations

import re
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from checker.engine.context import _paragraph_sentences
from checker.engine.kinds import aggregate_statuses
from checker.engine.kinds.cells import REQUIREMENTS, _meets_every_requirement
from checker.model import Cell, Paragraph, Source

STATUSES = ("pass", "fail", "not_applicable", "not_assessable", "error")


def _aggregate_item_by_item(statuses: list[str]) -> str:
    if not statuses:
        return "not_applicable"
    if "error" in statuses:
        return "error"
    if "fail" in statuses:
        return "fail"
    if all(s == "pass" for s in statuses):
        return "pass"
    if all(s == "not_applicable" for s in statuses):
        return "not_applicable"
    if all(s in ("pass", "not_applicable") for s in statuses):
        return "pass"
    return "not_assessable"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(STATUSES), max_size=8))
def test_a_rules_status_from_its_items_is_decided_as_item_by_item(statuses):
    assert aggregate_statuses(statuses) == _aggregate_item_by_item(statuses)


values = st.none() | st.integers(-3, 3) | st.booleans() | st.decimals(-3, 3, places=1, allow_nan=False)
kinds = st.sampled_from(("number", "blank", "na", "text", "lost", "unplaced"))


@settings(max_examples=200, deadline=None)
@given(values, kinds)
def test_a_cell_taken_as_meeting_every_requirement_meets_each_one(value, kind):
    cell = Cell(value=value, kind=kind, raw=str(value))
    if _meets_every_requirement(cell):
        assert all(check(cell) for check in REQUIREMENTS.values())


def test_the_shortcut_takes_the_common_cell_and_leaves_the_others():
    assert _meets_every_requirement(Cell(value=3, kind="number", raw="3"))
    assert not _meets_every_requirement(Cell(value=-1, kind="number", raw="-1"))
    assert not _meets_every_requirement(Cell(value=Decimal("1.5"), kind="number", raw="1.5"))
    assert not _meets_every_requirement(Cell(value=None, kind="blank", raw=""))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="。！？；!?;a字 \n\u3000", max_size=30))
def test_a_paragraph_is_cut_into_the_sentences_a_split_after_each_end_mark_gives(text):
    after_each_end = [p.strip() for p in re.split(r"(?<=[。！？；!?;])", text) if p.strip()]
    paragraph = Paragraph(text=text, part=1, where=Source(line=1))
    assert [s.text for s in _paragraph_sentences(paragraph)] == after_each_end
