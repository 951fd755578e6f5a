"""A batch's files are found by a streamed walk into an on-disk list: the same files in the
same order as os.walk gave them held in memory, whatever the tree, and no more memory for a
larger folder."""
from __future__ import annotations

import gc
import os
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from checker.batch.discovery import batch_root, discover, file_key
from checker.readers import is_report_file


def _walked(paths: list[str], exclude: list[str]) -> list[str]:
    """Discovery as it was written first: os.walk, a dict of what was found, sorted."""
    skipped = {file_key(p) for p in exclude}
    found: dict[str, str] = {}
    for named in paths:
        root = Path(named)
        if root.is_file():
            found.setdefault(file_key(root), str(root))
        elif root.is_dir() and file_key(root) not in skipped:
            for dirpath, dirnames, filenames in os.walk(root):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith(".")
                                     and file_key(Path(dirpath) / d) not in skipped)
                for name in filenames:
                    path = Path(dirpath) / name
                    if is_report_file(path):
                        found.setdefault(file_key(path), str(path))
    return sorted(found.values())


_NAMES = st.sampled_from(["a", "b", "报告", "甲县", ".hidden", "z z", "A", "é", "\U0001F600", "out"])
_SUFFIXES = st.sampled_from([".txt", ".PDF", ".html", ".csv", ".docx", ""])
_TREES = st.lists(st.tuples(st.lists(_NAMES, max_size=3), _NAMES, _SUFFIXES), min_size=1, max_size=25)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tree=_TREES, links=st.lists(st.tuples(st.integers(0, 24), st.integers(0, 24)), max_size=4),
       given_files=st.lists(st.integers(0, 24), max_size=3), undecodable=st.booleans())
def test_the_streamed_walk_finds_what_os_walk_found_in_the_same_order(tmp_path_factory, tree, links, given_files,
                                                                     undecodable) -> None:
    root = tmp_path_factory.mktemp("tree")
    made: list[Path] = []
    for folders, name, suffix in tree:
        path = root.joinpath(*folders, name + suffix)
        if path.exists() or any(p.is_file() for p in path.parents if p != root and root in p.parents):
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x", encoding="utf-8")
        made.append(path)
    if undecodable:  # a name that is not UTF-8 comes back with lone surrogates
        odd = root / os.fsdecode(b"\xff\xfe\x80.txt")
        odd.write_text("x", encoding="utf-8")
        made.append(odd)
    for source, target in links:  # a second name for a file, and a linked folder (not followed)
        if made:
            link = root / f"link{source}{target}.txt"
            if not link.exists():
                link.symlink_to(made[source % len(made)])
            folder_link = root / f"linked{target}"
            if not folder_link.exists():
                folder_link.symlink_to(made[target % len(made)].parent, target_is_directory=True)
    paths = [str(root)] + [str(made[i % len(made)]) for i in given_files if made]
    exclude = [str(root / "out")]
    found = discover(paths, exclude=exclude)
    try:
        assert list(found) == _walked(paths, exclude)
        assert len(found) == len(list(found))
        assert all(file_key(f) in found for f in found)
    finally:
        found.close()


def test_a_file_named_twice_is_taken_once_by_its_first_name_and_manifest_files_come_last(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text("x", encoding="utf-8")
    (tmp_path / "a.txt").symlink_to(tmp_path / "b.txt")
    found = discover([str(tmp_path)])
    try:
        assert [Path(f).name for f in found] == [Path(_walked([str(tmp_path)], [])[0]).name]
        found.add(str(tmp_path / "b.txt"), extra=True)  # already there under another name
        found.add("/elsewhere/0.txt", key="/elsewhere/0.txt", extra=True)
        assert list(found)[-1] == "/elsewhere/0.txt" and len(found) == 2
    finally:
        found.close()


def _peak(folder: Path, count: int) -> int:
    folder.mkdir()
    for i in range(count):
        (folder / f"{i:06d}.txt").touch()
    gc.collect()  # what other tests left is not this one's
    tracemalloc.start()
    try:
        found = discover([str(folder)])
        assert len(found) == count and sum(1 for _ in found) == count
        found.close()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_finding_files_holds_no_more_for_a_larger_folder(tmp_path: Path) -> None:
    # a list of the paths and a dict of their real paths grew with the folder: four times the
    # files took about four times the memory
    small, large = _peak(tmp_path / "small", 1_000), _peak(tmp_path / "large", 4_000)
    assert large < small * 1.5, (small, large)


@given(st.lists(st.lists(st.sampled_from(["a", "b", "报告", "..", "."]), min_size=1, max_size=4), min_size=1, max_size=6))
def test_the_root_folded_one_path_at_a_time_is_the_common_folder_of_all(parts) -> None:
    paths = ["/" + "/".join(p) for p in parts]
    folders = [os.path.abspath(p if os.path.isdir(p) else os.path.dirname(p) or ".") for p in paths]
    assert batch_root(iter(paths)) == os.path.commonpath(folders)


def test_a_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    from checker.errors import UsageError
    with pytest.raises(UsageError):
        discover([str(tmp_path / "nope")])


@example(".a.txt")
@example("..PDF")
@example("a.tar.DOCX")
@example("a.")
@given(st.text(st.sampled_from("ab.报TtXxPpDdFfMmHhLlOoCc "), max_size=9))
def test_a_listed_name_is_a_report_exactly_when_pathlib_says_it_is(name) -> None:
    from checker.readers import _REPORT_SUFFIXES, is_report_entry
    if name not in ("", ".", ".."):  # what a folder listing never gives
        path = Path(name)  # how a report's name was first judged
        assert is_report_entry(name) == (path.suffix.lower() in _REPORT_SUFFIXES and not path.name.startswith("."))
