"""A pattern guarded by its possible first characters (checker.engine.leading) finds exactly what
the pattern finds: the same spans and groups, in the same order."""
from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.engine.leading import guarded

SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# what an alternative may begin with when its first characters can be known, and anything else
FIRST = ["a", "b", "中", "（", "X", "[ab]", "[a-c中]", "a{2,}", "[XＸ]{2,}", "[b-c]+?", "(?:a|b)", "(a)", "(中|X)"]
PIECES = FIRST + ["[^a]", "\\d", "\\s", ".", "b?", "中*", "\\1", "(?=a)", "(?<!b)", "^", "$", "\\b", "a{0,2}"]
TEXT = st.text(alphabet="ab中（X Ｘ1\n", max_size=30)


@st.composite
def patterns(draw) -> str:
    alternative = st.tuples(st.sampled_from(FIRST if draw(st.integers(0, 4)) else PIECES),
                            st.lists(st.sampled_from(PIECES), max_size=3).map("".join)).map("".join)
    alternatives = draw(st.lists(alternative, min_size=1, max_size=4))
    return "|".join(f"(?:{a})" for a in alternatives)


def _found(pattern: re.Pattern[str], text: str) -> list[tuple]:
    return [(m.span(), m.groups()) for m in pattern.finditer(text)]


@SETTINGS
@given(patterns(), st.lists(TEXT, min_size=1, max_size=4))
def test_a_guarded_pattern_finds_what_the_pattern_finds(source, texts):
    try:
        pattern = re.compile(source)
    except re.error:
        return
    guard = guarded(pattern)
    for text in texts:
        assert _found(guard, text) == _found(pattern, text), (source, guard.pattern, text)
        assert bool(guard.search(text)) == bool(pattern.search(text))


def test_an_alternation_starting_with_repeats_is_guarded():
    pattern = re.compile("(?:[XＸ]{2,})|(?:此处填写)|(?:某某[县市区局])")
    assert guarded(pattern) is not pattern
    assert guarded(pattern).search("某某县此处") .group() == "某某县"
    assert guarded(pattern).search("X此处填") is None


def test_what_it_cannot_read_is_left_as_it_was():
    for source in ["(?:\\d{2,})|(?:ab)", "(?:^a+)|(?:[ab]{2})", "(?i)(?:[xy]{2})|(?:ab)", "(?:a*)|(?:[ab]{2})",
                   "abc", "[ab]{2}"]:
        pattern = re.compile(source)
        assert guarded(pattern) is pattern, source


def test_an_alternation_starting_with_a_group_is_guarded():
    # the engine's own prefix search takes alternatives that begin with a plain character only
    pattern = re.compile("(?:(?:未|没有)[^。]{0,6}收取)|(?:依申请公开[^。]{0,8}收费)")
    assert guarded(pattern) is not pattern
    assert guarded(pattern).search("本机关没有向申请人收取费用").group() == "没有向申请人收取"
    assert guarded(pattern).search("未经收费") is None
