"""The batch's plan made out of core (checker.batch.planner, on SQLite) is the plan made in
memory (checker.batch.pairing.plan with the names, ids and input keys as the batch used to make
them), for any index: groups, last year's reports, candidate copies, names, id clashes."""
from __future__ import annotations

import tracemalloc
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.batch import planner
from checker.batch.fingerprint import fingerprint
from checker.batch.names import write_names
from checker.batch.pairing import NEIGHBOURS, SMALL_BUCKET, IndexEntry, bucket_pairs, plan, same_year_names
from checker.batch.planner import PlanRequest, make_plan, report_ids, settings_key
from checker.spool import SpoolWriter, spooled

SEEDS = Path(__file__).resolve().parent / "fixtures" / "seeds"
SUFFIXES = ("人民政府",)
_TEXTS = sorted(SEEDS.glob("*.txt"))[:2]


def _prints() -> list:
    """Fingerprints that are copies of each other, nearly so, or unrelated; and none."""
    first, second = (path.read_text(encoding="utf-8")[:3000] for path in _TEXTS)
    return [fingerprint(first), fingerprint(first[:2000] + "另写的一段话" * 30), fingerprint(first[500:]),
            fingerprint(second), fingerprint(second[:1500]), None]


PRINTS = _prints()
AGENCIES = ["甲县", "甲县人民政府", "乙县", "乙县 人民政府", "丙市教育局", "丁", "", None]
FILES = st.text(alphabet="ab/甲-_.\udcff", min_size=1, max_size=6).map(lambda s: f"r/{s}.txt")

ENTRY = st.builds(
    lambda agency, year, which, error, digest: (agency, year, which, error, digest),
    st.sampled_from(AGENCIES), st.sampled_from([2022, 2023, 2024, None]), st.integers(0, len(PRINTS) - 1),
    st.sampled_from([None, None, None, "无法读取"]), st.sampled_from([None, "d1", "d2"]))


def _entries(files: list[str], parts: list[tuple]) -> list[IndexEntry]:
    out = []
    for file, (agency, year, which, error, digest) in zip(files, parts):
        if error is not None:
            out.append(IndexEntry(file=file, error=error, digest=digest, error_detail="detail"))
        else:
            out.append(IndexEntry(file=file, agency=agency, kind="县级", year=year, fingerprint=PRINTS[which],
                                  digest=digest))
    return out


def _request(folder: Path, entries: list[IndexEntry], threshold: Decimal | None, tag: str) -> PlanRequest:
    index = SpoolWriter(str(folder / f"index-{tag}"))
    for entry in entries:
        index.add(entry)
    index.close()
    return PlanRequest(index=str(folder / f"index-{tag}"), units=str(folder / f"units-{tag}"),
                       names=str(folder / f"names-{tag}"), threshold=threshold, suffixes=SUFFIXES,
                       root=str(folder), settings=("pack", "profile"))


def _in_memory(request: PlanRequest) -> list:
    """The plan as the batch made it before: every entry held, pairing.plan, the names, ids."""
    entries = list(spooled(request.index))
    units = plan(entries, request.threshold, request.suffixes)
    write_names(request.names, same_year_names(entries))
    ids = report_ids([e.file for e in entries], request.root)
    known = {e.file: (ids[e.file], e.digest or "") for e in entries}
    base = settings_key(request.settings, request.names)
    return [planner._keyed(unit, known, base, request.manifest) for unit in units]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(files=st.lists(FILES, unique=True, max_size=24), parts=st.lists(ENTRY, min_size=24, max_size=24),
       threshold=st.sampled_from([Decimal("0.8"), Decimal("0.5"), None]))
def test_the_plan_made_out_of_core_is_the_plan_made_in_memory(tmp_path: Path, files, parts, threshold) -> None:
    entries = _entries(files, parts)
    mine = _request(tmp_path, entries, threshold, "db")
    theirs = _request(tmp_path, entries, threshold, "memory")
    assert make_plan(mine) == len(entries)
    assert list(spooled(mine.units)) == _in_memory(theirs)
    assert Path(mine.names).read_bytes() == Path(theirs.names).read_bytes()
    assert not Path(mine.units + ".db").exists()


def test_the_plan_finds_copies_and_last_year_out_of_core(tmp_path: Path) -> None:
    # the property above holds the two ways together; this one says what the plan is
    entries = [IndexEntry(file="a-2023.txt", agency="甲县", year=2023, fingerprint=PRINTS[0], digest="1"),
               IndexEntry(file="a-2024.txt", agency="甲县人民政府", year=2024, fingerprint=PRINTS[0], digest="2"),
               IndexEntry(file="b-2024.txt", agency="乙县", year=2024, fingerprint=PRINTS[0], digest="3"),
               IndexEntry(file="c-2024.txt", agency="丙县", year=2024, fingerprint=PRINTS[3], digest="4"),
               IndexEntry(file="bad.pdf", error="无法读取")]
    request = _request(tmp_path, entries, Decimal("0.8"), "x")
    assert make_plan(request) == 5
    units = {u.members[0].file: u for u in spooled(request.units)}
    assert list(units) == ["a-2023.txt", "b-2024.txt", "bad.pdf", "c-2024.txt"]
    (last, this) = units["a-2023.txt"].members
    assert this.previous == "a-2023.txt" and this.peers == ("b-2024.txt",)
    assert units["b-2024.txt"].members[0].peers == ("a-2024.txt",)
    assert units["c-2024.txt"].members[0].peers == () and units["bad.pdf"].error == "无法读取"


def test_files_whose_ids_clash_get_suffixes_in_index_order(tmp_path: Path, monkeypatch) -> None:
    # a 48-bit clash cannot be made for a test: ids cut to one hex digit clash all the time
    real = planner.stable_id
    monkeypatch.setattr(planner, "stable_id", lambda file, root: real(file, root)[:1])
    files = [f"f{i}.txt" for i in range(40)]
    entries = [IndexEntry(file=file, agency=f"机关{i}", year=2024, digest=str(i)) for i, file in enumerate(files)]
    request = _request(tmp_path, entries, None, "clash")
    make_plan(request)
    ids = {m.file: m.id for u in spooled(request.units) for m in u.members}
    assert ids == report_ids(files, str(tmp_path))
    assert len(set(ids.values())) == 40 and any("-" in ident for ident in ids.values())


def _peak(tmp_path: Path, count: int) -> int:
    entries = [IndexEntry(file=f"f{i:05d}.txt", agency=f"机关{i % (count // 2)}", year=2023 + i % 2,
                          fingerprint=PRINTS[i % 5], digest=str(i)) for i in range(count)]
    request = _request(tmp_path, entries, Decimal("0.8"), str(count))
    del entries
    tracemalloc.start()
    try:
        make_plan(request)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_planning_holds_no_more_for_a_larger_batch(tmp_path: Path) -> None:
    # the Python objects planning holds at once (SQLite's own cache is bounded apart): an index
    # four times longer must not take four times the memory, as a list of its entries did
    small, large = _peak(tmp_path, 1_000), _peak(tmp_path, 4_000)
    assert large < small * 1.5, (small, large)


@given(st.integers(0, 3 * SMALL_BUCKET))
def test_a_bucket_pairs_all_its_members_or_when_large_each_with_its_next_neighbours(size: int) -> None:
    members = [f"m{i}" for i in range(size)]
    # the pairs as the batch always made them, from the whole bucket at once
    reach = size if size <= SMALL_BUCKET else NEIGHBOURS + 1
    expected = {(members[i], y) for i in range(size) for y in members[i + 1:i + reach]}
    pairs = list(bucket_pairs(iter(members)))  # one pass over an iterator, as SQLite rows come
    assert len(pairs) == len(expected) and set(pairs) == expected
