"""The batch's agency names as a worker looks them up (checker.batch.names): every name a text
contains, of its year, with its file; as a search of each name in the text finds them."""
from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings, strategies as st

from checker.batch.names import NameIndex, write_name_records, write_names

# a newline never is in a squashed name, but a names file may hold anything
_NAME = st.text("甲乙丙丁县局市", min_size=2, max_size=5) | st.text("甲乙\n", min_size=1, max_size=4)
_NAMES = st.dictionaries(st.sampled_from([2023, 2024]), st.dictionaries(_NAME, st.text("ab/é报告", min_size=1, max_size=8),
                                                                       max_size=12), max_size=2)


def _text_of(draw_names: list[str], pieces: list[str]) -> str:
    """A text with some of the names in it, among other characters."""
    return "".join(a + b for a, b in zip(pieces, draw_names + [""] * len(pieces)))


@settings(max_examples=80, deadline=None)
@given(_NAMES, st.data(), st.sampled_from([2023, 2024, 2025]))
def test_finds_every_name_the_text_contains(tmp_path_factory, names: dict, data, year: int) -> None:
    path = Path(tmp_path_factory.mktemp("names")) / "names"
    write_names(path, names)
    index = NameIndex(path)
    some = data.draw(st.lists(st.sampled_from(sorted(names.get(year, {}))), max_size=4)) if names.get(year) else []
    text = _text_of(some, data.draw(st.lists(st.text("甲乙丙丁县局市，。\n", max_size=6), max_size=6)))
    expected = sorted((name, file) for name, file in names.get(year, {}).items() if len(name) > 1 and name in text)
    assert index.named_in(year, text) == expected
    index.close()


def test_a_name_and_its_file_are_of_the_same_year(tmp_path: Path) -> None:
    write_names(tmp_path / "names", {2023: {"甲县": "old/甲县.txt"}, 2024: {"甲县": "new/甲县.txt", "乙县局": "乙.txt"}})
    index = NameIndex(tmp_path / "names")
    assert index.named_in(2024, "甲县和乙县局") == [("乙县局", "乙.txt"), ("甲县", "new/甲县.txt")]
    assert index.named_in(2023, "甲县和乙县局") == [("甲县", "old/甲县.txt")]
    assert index.named_in(2022, "甲县") == []
    index.close()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.text("甲乙", min_size=2, max_size=4), st.text("ab", min_size=1, max_size=3)),
                unique_by=lambda item: item[0], max_size=12), st.randoms(use_true_random=False), st.data())
def test_records_out_of_order_are_found_all_the_same(tmp_path_factory, named: list, rng, data) -> None:
    # a batch writes the names sorted; a group that comes in several runs is still one group
    rng.shuffle(named)
    path = Path(tmp_path_factory.mktemp("names")) / "names"
    write_name_records(path, [(2024, name, file) for name, file in named])
    index = NameIndex(path)
    text = "，".join(data.draw(st.lists(st.sampled_from([n for n, _ in named]), max_size=5))) if named else ""
    assert index.named_in(2024, text) == sorted((n, f) for n, f in named if n in text)
    index.close()
