"""The batch's agency names as a worker looks them up (checker.batch.names): every name a text
contains, of its year, with its file; as a search of each name in the text finds them."""
from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings, strategies as st

from checker.batch.names import NameIndex, write_names

_NAME = st.text("甲乙丙丁县局市", min_size=2, max_size=5)
_NAMES = st.dictionaries(st.sampled_from([2023, 2024]), st.dictionaries(_NAME, st.text("ab/é报告", min_size=1, max_size=8),
                                                                       max_size=12), max_size=2)


@settings(max_examples=60, deadline=None)
@given(_NAMES, st.text("甲乙丙丁县局市，。\n", max_size=40), st.sampled_from([2023, 2024, 2025]))
def test_finds_every_name_the_text_contains(tmp_path_factory, names: dict, text: str, year: int) -> None:
    path = Path(tmp_path_factory.mktemp("names")) / "names"
    write_names(path, names)
    index = NameIndex(path)
    expected = sorted((name, file) for name, file in names.get(year, {}).items() if name in text)
    assert index.named_in(year, text) == expected
    assert set(index.years) == {y for y, by_name in names.items() if by_name}
    index.close()


def test_a_name_and_its_file_are_of_the_same_year(tmp_path: Path) -> None:
    write_names(tmp_path / "names", {2023: {"甲县": "old/甲县.txt"}, 2024: {"甲县": "new/甲县.txt", "乙县局": "乙.txt"}})
    index = NameIndex(tmp_path / "names")
    assert index.named_in(2024, "甲县和乙县局") == [("乙县局", "乙.txt"), ("甲县", "new/甲县.txt")]
    assert index.named_in(2023, "甲县和乙县局") == [("甲县", "old/甲县.txt")]
    assert index.named_in(2022, "甲县") == []
    index.close()
