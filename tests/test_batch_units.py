"""The parts of a batch one at a time: discovery, the manifest, fingerprints, pairing, the
ordered pool (and a worker that dies), ranking, the JSON line writer."""
from __future__ import annotations

import os
import tempfile
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from checker import jsonout
from checker.batch.discovery import discover, shown, shown_relative
from checker.batch.fingerprint import SLOTS, Fingerprint, fingerprint
from checker.similarity import SHINGLE, normalise, shingle_hashes
from checker.batch import jsonl
from checker.batch.jsonl import dumps_line, line_bytes
from checker.batch.manifest import apply_row, load_manifest
from checker.batch.pairing import IndexEntry, agency_key, candidate_peers, plan
from checker.batch.names import NameIndex
from checker.batch.planner import PlanRequest, make_plan
from checker.spool import SpoolWriter, spooled
from checker.batch.pool import WorkerPool
from checker.render.records import SummaryRow, ranked
from checker.engine.runner import check_report
from checker.errors import ConfigError, UsageError
from checker.formats import DEFAULT_FORMAT, get_format
from checker.pipeline import parse_file
from checker.render.results_json import report_dict
from checker.engine.pack import load_pack
from checker.engine.scoring import get_profile

SEEDS = Path(__file__).resolve().parent / "fixtures" / "seeds"


# ------------------------------------------------------------------ discovery


def test_discovery_is_recursive_sorted_and_skips_what_is_no_report(tmp_path: Path) -> None:
    (tmp_path / "b" / "deep").mkdir(parents=True)
    (tmp_path / ".hidden").mkdir()
    for name in ("b/deep/z.pdf", "b/a.HTML", "a.txt", "notes.csv", ".hidden/x.txt", "out/index.html"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    found = discover([str(tmp_path), str(tmp_path / "a.txt")], exclude=[str(tmp_path / "out")])
    assert [Path(f).relative_to(tmp_path).as_posix() for f in found] == ["a.txt", "b/a.HTML", "b/deep/z.pdf"]
    with pytest.raises(UsageError):
        discover([str(tmp_path / "nope")])


_PARTS = st.lists(st.sampled_from(["a", "b", "报告", ".", "..", "", "a b"]), min_size=1, max_size=4)


@given(_PARTS, _PARTS, st.booleans())
def test_a_file_is_named_relative_to_the_root_as_relpath_names_it(root, file, absolute) -> None:
    """(a file under the root is named without relpath's splitting)"""
    root_path = os.path.abspath(os.path.join("/", *root)) if absolute else os.path.join(*root)
    file_path = os.path.join("/", *root, *file) if absolute else os.path.join(*root, *file)
    expected = shown(os.path.relpath(os.path.abspath(file_path), root_path).replace(os.sep, "/"))
    assert shown_relative(file_path, root_path) == expected


# ------------------------------------------------------------------ manifest


def test_manifest_with_chinese_headers_in_gb18030(tmp_path: Path) -> None:
    path = tmp_path / "清单.csv"
    path.write_bytes("序号,文件,机关,类型,年度,发布日期,备注\n"
                     "1,a.txt,某县教育局,政府部门,2024年,2025/1/20,\n"
                     "2,sub/b.pdf,,人民政府,,2025年3月1日,\n"
                     "3,c.txt,,,,,\n".encode("gb18030"))
    manifest = load_manifest(str(path))
    rows = list(manifest.rows.values())
    assert [Path(r.file).name for r in rows] == ["a.txt", "b.pdf", "c.txt"]
    assert rows[0].agency == "某县教育局" and rows[0].kind == "department" and rows[0].year == 2024
    assert rows[0].published == date(2025, 1, 20) and rows[0].origin == "清单.csv 第2行"
    assert rows[1].kind == "government" and rows[1].published == date(2025, 3, 1)
    assert rows[2].agency is None and rows[2].published is None
    assert rows[1].file == os.path.join(str(tmp_path), "sub", "b.pdf")


def test_manifest_with_english_headers_and_bom(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text("File,Agency,Kind,Year,Published\nx.txt,A县,government,2024,2025-03-31\n", encoding="utf-8-sig")
    row = next(iter(load_manifest(str(path)).rows.values()))
    assert (row.agency, row.kind, row.year, row.published) == ("A县", "government", 2024, date(2025, 3, 31))


@pytest.mark.parametrize("text,message", [
    ("机关,年度\nA,2024\n", "no file column"),
    ("文件,类型\na.txt,街道\n", "unknown kind"),
    ("文件,发布日期\na.txt,上周\n", "not a date"),
    ("文件,年度\na.txt,24\n", "not a year"),
    ("文件\na.txt\na.txt\n", "listed twice"),
])
def test_manifest_mistakes_name_the_line(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "m.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_manifest(str(path))
    assert message in str(error.value) and "m.csv" in str(error.value)


def test_manifest_values_replace_the_inferred_ones(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    seed = SEEDS / "000_c7c1a845340d13e1.txt"
    path.write_text(f"文件,机关,类型,年度,发布日期\n{seed},某地区,政府部门,2023,2024-02-02\n", encoding="utf-8")
    row = next(iter(load_manifest(str(path)).rows.values()))
    report = apply_row(parse_file(seed), row)
    meta = report.meta
    assert (meta.agency, meta.agency_kind, meta.year, meta.published) == ("某地区", "department", 2023, date(2024, 2, 2))
    assert "据批量清单 m.csv 第2行" in meta.published_text and meta.published_where is None
    assert apply_row(report, None) is report


# ------------------------------------------------------------------ fingerprints and pairing


def test_fingerprint_estimates_containment() -> None:
    text = (SEEDS / "002_a0c218d13443adaa.txt").read_text(encoding="utf-8")
    other = (SEEDS / "004_aeb9e6a604dec192.txt").read_text(encoding="utf-8")
    whole, same, half, unrelated = (fingerprint(text), fingerprint(text.replace("2024", "2023")),
                                    fingerprint(text[: len(text) // 2]), fingerprint(other))
    assert whole and same and half and unrelated
    assert whole.jaccard(same) == 1  # digits are folded: new numbers are no new text
    assert half.contained_in(whole) > Decimal("0.8") and whole.contained_in(half) < Decimal("0.7")
    assert whole.contained_in(unrelated) < Decimal("0.3")
    assert fingerprint("短") is None


@given(st.text(alphabet="政府信息公开年度报告0123 ，。\t|*", min_size=8, max_size=300))
def test_fingerprint_slot_is_the_smallest_shingle_hash_in_its_range(text) -> None:
    """Each slot holds the smallest shingle hash whose top bits choose it, all ones when none
    does; the size counts distinct shingles."""
    flat = normalise(text)
    found = fingerprint(text)
    if len(flat) < SHINGLE:
        assert found is None
        return
    hashes = shingle_hashes(flat)
    expected = b"".join(min((h for h in hashes if h >> 26 == slot), default=0xFFFFFFFF).to_bytes(4, "big")
                        for slot in range(SLOTS))
    assert found == Fingerprint(expected, size=len(hashes))


_SLOT_VALUES = st.sampled_from([0, 1, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFE, 0xFFFFFFFF]) | st.integers(0, 0xFFFFFFFF)


@given(st.lists(st.tuples(_SLOT_VALUES, _SLOT_VALUES, st.booleans()), min_size=SLOTS, max_size=SLOTS))
def test_fingerprint_agreement_counts_equal_and_unused_slots_like_a_slot_by_slot_loop(slots) -> None:
    """The slots are compared as one big integer: the same counts as comparing them one by
    one, whatever bits they hold (an empty slot is all ones)."""
    mine = [a for a, _, _ in slots]
    theirs = [a if same else b for a, b, same in slots]
    unused = sum(1 for a, b in zip(mine, theirs) if a == b == 0xFFFFFFFF)
    expected = (sum(1 for a, b in zip(mine, theirs) if a == b) - unused, SLOTS - unused)

    def packed(values):
        return Fingerprint(b"".join(v.to_bytes(4, "big") for v in values), size=len(values))
    assert packed(mine).agreement(packed(theirs)) == expected


SAME_AGENCY = get_format(DEFAULT_FORMAT).same_agency_suffixes


def test_agency_names_match_with_or_without_renmin_zhengfu() -> None:
    assert agency_key("某某县人民政府", SAME_AGENCY) == agency_key("某某 县", SAME_AGENCY) == "某某县"
    assert agency_key("某某县人民政府办公室", SAME_AGENCY) != agency_key("某某县", SAME_AGENCY)
    assert agency_key(None, SAME_AGENCY) == ""


def entry(file: str, agency: str | None, year: int | None, text: str | None = None) -> IndexEntry:
    return IndexEntry(file=file, agency=agency, year=year, fingerprint=fingerprint(text) if text else None)


def test_plan_groups_an_agencys_years_and_pairs_last_year() -> None:
    entries = [entry("a/2023.txt", "甲县人民政府", 2023), entry("a/2024.txt", "甲县", 2024),
               entry("b.txt", "乙县", 2024), entry("c.txt", None, 2024), entry("d.txt", None, 2024),
               IndexEntry(file="e.pdf", error="broken"), entry("a/2022.txt", "甲县", 2022)]
    units = plan(sorted(entries, key=lambda e: e.file), same_agency_suffixes=SAME_AGENCY)
    members = [[(m.file, m.previous) for m in u.members] for u in units]
    assert members == [
        [("a/2022.txt", None), ("a/2023.txt", "a/2022.txt"), ("a/2024.txt", "a/2023.txt")],
        [("b.txt", None)], [("c.txt", None)], [("d.txt", None)], [("e.pdf", None)],
    ]
    assert units[4].error == "broken" and units[0].error is None


def test_candidate_peers_are_other_agencies_copies_of_the_same_year() -> None:
    text = (SEEDS / "002_a0c218d13443adaa.txt").read_text(encoding="utf-8")
    other = (SEEDS / "004_aeb9e6a604dec192.txt").read_text(encoding="utf-8")
    entries = [entry("orig.txt", "利通区", 2024, text), entry("copy.txt", "青铜峡市", 2024, text),
               entry("own-2023.txt", "利通区", 2023, text), entry("other.txt", "汾阳市", 2024, other),
               entry("same-agency.txt", "利通区", 2024, text)]
    peers = candidate_peers(entries, Decimal("0.8"), SAME_AGENCY)
    assert peers["copy.txt"] == ("orig.txt", "same-agency.txt")
    assert peers["orig.txt"] == ("copy.txt",)
    assert "other.txt" not in peers and "own-2023.txt" not in peers


# ------------------------------------------------------------------ the pool


def _double(x: int) -> int:
    return 2 * x


def _die_on_three(x: int) -> int:
    if x == 3:
        os._exit(1)  # a parser taking the interpreter down with it
    return 2 * x


def _nothing() -> None:
    return None


@pytest.mark.parametrize("jobs", [1, 2])
def test_results_come_back_in_order(jobs: int) -> None:
    with WorkerPool(jobs, _nothing, ()) as pool:
        assert list(pool.map_ordered(_double, range(40), on_crash=lambda x: -1)) == [2 * x for x in range(40)]


def test_a_temporary_folder_too_deep_for_a_socket_still_gets_workers(tmp_path: Path, monkeypatch) -> None:
    deep = tmp_path / ("folder-set-deep-by-the-user" * 3)
    deep.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(deep))
    with WorkerPool(2, _nothing, ()) as pool:
        assert list(pool.map_ordered(_double, range(10), on_crash=lambda x: -1)) == [2 * x for x in range(10)]


def test_a_dying_worker_costs_only_its_item() -> None:
    with WorkerPool(2, _nothing, ()) as pool:
        results = list(pool.map_ordered(_die_on_three, range(12), on_crash=lambda x: -x))
    assert results == [0, 2, 4, -3, 8, 10, 12, 14, 16, 18, 20, 22]


def _pid(_: object = None) -> int:
    return os.getpid()


def test_work_set_aside_after_the_items_runs_in_a_fresh_process() -> None:
    # the summaries of a long batch must not run inside a worker that holds its check caches
    with WorkerPool(2, _nothing, ()) as pool:
        workers = set(pool.map_ordered(_pid, range(40), on_crash=lambda x: -1))
        pool.retire()
        aside = pool.aside(_pid)()
    assert aside not in workers and aside != os.getpid()


def _exit_unless_in(parent: int) -> str:
    if os.getpid() != parent:
        os._exit(1)
    return "done by the parent"


def test_work_done_apart_runs_in_a_process_that_ends_with_it() -> None:
    with WorkerPool(2, _nothing, ()) as pool:
        workers = set(pool.map_ordered(_pid, range(40), on_crash=lambda x: -1))
        apart = pool.apart(_pid)
        # a process that dies under it leaves the work to the parent
        assert pool.apart(_exit_unless_in, os.getpid()) == "done by the parent"
        # the workers left meanwhile: the items after are done by new ones
        after = set(pool.map_ordered(_pid, range(40), on_crash=lambda x: -1))
    assert apart != os.getpid() and apart not in workers | after
    assert not workers & after and -1 not in after
    with pytest.raises(ProcessLookupError):
        os.kill(apart, 0)


def _spooled_plan(tmp_path: Path, entries: list[IndexEntry]) -> tuple[int, list]:
    index = SpoolWriter(str(tmp_path / "index"))
    for item in entries:
        index.add(item)
    index.close()
    request = PlanRequest(index=str(tmp_path / "index"), units=str(tmp_path / "units"),
                          names=str(tmp_path / "names"), threshold=Decimal("0.8"), suffixes=SAME_AGENCY,
                          root=str(tmp_path), settings=("pack", "profile"))
    with WorkerPool(2, _nothing, ()) as pool:
        members = pool.apart(make_plan, request)
    return members, list(spooled(request.units))


def test_the_plan_made_apart_is_the_plan_with_ids_and_input_keys(tmp_path: Path) -> None:
    text = (SEEDS / "002_a0c218d13443adaa.txt").read_text(encoding="utf-8")
    entries = [replace(e, file=str(tmp_path / e.file), digest=e.file) for e in (
        entry("a/2023.txt", "甲某县", 2023, text), entry("a/2024.txt", "甲某县", 2024, text),
        entry("b.txt", "乙某县", 2024, text), entry("c.txt", "丙某县", 2024, "完全不同的一段文字，" * 20))]
    members, units = _spooled_plan(tmp_path, entries)
    expected = plan(entries, Decimal("0.8"), SAME_AGENCY)
    assert [[(m.file, m.previous, m.peers) for m in u.members] for u in units] == \
        [[(m.file, m.previous, m.peers) for m in u.members] for u in expected]
    assert members == 4 and any(m.peers for u in units for m in u.members)
    keyed = {Path(m.file).name: m for u in units for m in u.members}
    assert len({m.id for m in keyed.values()}) == 4 and len({m.key for m in keyed.values()}) == 4
    assert NameIndex(str(tmp_path / "names")).named_in(2024, "本报告由乙某县编制")[0][0] == "乙某县"
    # last year's file changed: this year's input key changes with it, another agency's does not
    changed = [replace(e, digest="new") if e.file.endswith("2023.txt") else e for e in entries]
    again = {Path(m.file).name: m for u in _spooled_plan(tmp_path, changed)[1] for m in u.members}
    assert again["2024.txt"].key != keyed["2024.txt"].key and again["c.txt"].key == keyed["c.txt"].key
    assert {n: m.id for n, m in again.items()} == {n: m.id for n, m in keyed.items()}


# ------------------------------------------------------------------ rows and lines


def row(file: str, score: str | None, error: str | None = None, year: int | None = 2024) -> SummaryRow:
    return SummaryRow(id=file, file=file, agency=None, kind=None, year=year, published=None,
                      score=Decimal(score) if score is not None else None, grade=None, coverage=None,
                      failures=(0, 0, 0, 0, 0), failed_rules=(), error=error)


def test_ranking_shares_ranks_and_puts_unscored_last() -> None:
    ranking = ranked([row("c", "80"), row("a", "90"), row("x", None, "broken"), row("b", "80"), row("d", "70")])
    assert [(rank, r.file) for rank, r in ranking] == [(1, "a"), (2, "b"), (2, "c"), (4, "d"), (None, "x")]


def test_reports_of_different_years_are_never_ranked_together() -> None:
    ranking = ranked([row("old-best", "99", year=2023), row("new", "60"), row("newer", "70"),
                      row("old", "50", year=2023), row("unknown", "80", year=None), row("lost", None, "x", 2023)])
    assert [(rank, r.file) for rank, r in ranking] == [
        (1, "newer"), (2, "new"), (1, "old-best"), (2, "old"), (None, "lost"), (1, "unknown")]


def test_json_line_is_what_xxgk_check_writes() -> None:
    pack, profile = load_pack(), get_profile()
    for seed in sorted(SEEDS.glob("*.txt")):
        document = report_dict(check_report(parse_file(seed), pack, profile))
        assert dumps_line(document) == jsonout.dumps(document, indent=None)
    tricky = {"a": Decimal("1.50"), "b": [Decimal("-0.001"), date(2025, 1, 2)], "c": "\x00" + "x:1.5",
              "d": Decimal("NaN"), "e": frozenset({"y", "x"}), "f": None, "g": True, "h": 3}
    assert dumps_line(tricky) == jsonout.dumps({**tricky, "d": None, "e": ["x", "y"]}, indent=None)


# Decimals as results carry them (scores, coverages, points, shares) and any other finite one:
# written as an int or float where that is the same text, marked otherwise
_DECIMALS = st.one_of(st.decimals(allow_nan=False, allow_infinity=False),
                      st.decimals(allow_nan=False, allow_infinity=False, places=1),
                      st.decimals(min_value=0, max_value=1, places=3),
                      st.integers(min_value=-10**20, max_value=10**20).map(Decimal),
                      st.sampled_from([Decimal("-0"), Decimal("0.000"), Decimal("1E+2"), Decimal("1E-7"),
                                       Decimal("100.0"), Decimal("12345678901234567.5"), Decimal("0.1000")]))


@given(st.lists(st.tuples(_DECIMALS, st.text(max_size=8)), max_size=6))
def test_a_decimal_is_written_as_the_digits_it_holds(pairs: list[tuple[Decimal, str]]) -> None:
    value = {"numbers": [d for d, _ in pairs], "mixed": [[d, text] for d, text in pairs]}
    assert dumps_line(value) == jsonout.dumps(value, indent=None)


# what a report's line is made of: text (any character, a lone surrogate too), whole numbers past
# 64 bits, Decimals of every form, dates, in dicts, lists and tuples
_LEAVES = st.one_of(st.text(), st.text(alphabet="NaInfity0123456789E+-. "), st.integers(), st.booleans(),
                    st.none(), st.dates(), _DECIMALS, st.sampled_from([Decimal("NaN"), Decimal("-Infinity")]))
_LINES = st.recursive(_LEAVES, lambda inner: st.one_of(st.lists(inner, max_size=4), st.tuples(inner, inner),
                                                       st.dictionaries(st.text(max_size=6), inner, max_size=4)),
                      max_leaves=24)


def _written(write, value):
    try:
        return write(value)
    except UnicodeEncodeError as exc:
        return type(exc)


@given(_LINES)
def test_the_fast_line_writer_writes_what_dumps_line_writes(value) -> None:
    assert _written(line_bytes, value) == _written(lambda v: dumps_line(v).encode("utf-8"), value)


def test_a_checked_report_s_line_takes_the_fast_way(monkeypatch) -> None:
    """(the property above holds whichever way a line goes: this is that the fast way is taken)"""
    document = report_dict(check_report(parse_file(SEEDS / "002_a0c218d13443adaa.txt"), load_pack(), get_profile()))
    expected = dumps_line(document).encode("utf-8")
    monkeypatch.setattr(jsonl, "dumps_line", None)
    assert line_bytes(document) == expected
