"""What the batch's main process writes while the workers check, made the fast way and still
the same: results.jsonl.gz packed line by line as the results come is byte for byte the whole
file packed at the end, and the workbook's 问题明细 sheets written as the findings come are
byte for byte the sheets the workbook writes from the findings at the end."""
from __future__ import annotations

import gzip
import io
import shutil

from hypothesis import given, settings
from hypothesis import strategies as st

from checker.batch import outputs
from checker.batch.outputs import _GZIP_LEVEL, _Packed
from checker.render import summary
from checker.render.records import FindingRow, SummaryRow, ranked
from checker.render.summary import FindingsSheets, write_workbook

_LINES = st.lists(st.one_of(st.text(alphabet="{}\":,0123456789abc 机关报告\n", max_size=300).map(str.encode),
                            st.binary(max_size=2000)), max_size=40)


def _packed_at_once(data: bytes) -> bytes:
    """How the results were packed when the batch ended (the reference)."""
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=_GZIP_LEVEL) as packed:
        shutil.copyfileobj(io.BytesIO(data), packed, 1 << 20)
    return buffer.getvalue()


@settings(max_examples=40, deadline=None)
@given(_LINES, st.sampled_from([1, 64, 1 << 20]))
def test_results_packed_as_they_come_are_the_file_packed_at_once(tmp_path_factory, lines: list[bytes],
                                                                   gather: int) -> None:
    path = tmp_path_factory.mktemp("packed") / "results.jsonl.gz"
    original = outputs._PACK_BYTES
    outputs._PACK_BYTES = gather  # packed a line at a time, a few lines at a time, or at the end
    try:
        packed = _Packed(path)
        for line in lines:
            packed.write(line)
        packed.close()
        packed.close()  # closing again (an interrupted batch closes what finish closed) is nothing
    finally:
        outputs._PACK_BYTES = original
    assert path.read_bytes() == _packed_at_once(b"".join(lines))



# ---------------------------------------------------------------------- the workbook's findings

_TEXT = st.one_of(st.text(max_size=12), st.sampled_from(["", " x ", "=1+2", "#N/A", "a\r\nb", "<&>", "\ud800x",
                                                          "a\x00\x1fb\ufffeb", "第3行", "表2 第4行第5列"]))
_FINDING = st.builds(FindingRow, report=st.just("r"), rule=st.sampled_from(["STR-009", "TB-010", "=X"]),
                     title=_TEXT, severity=st.sampled_from(["critical", "medium", "odd"]),
                     status=st.sampled_from(["fail", "not_assessable", "waived", "new"]),
                     message=_TEXT, evidence=_TEXT, location=_TEXT)
_REPORT = st.tuples(st.one_of(st.none(), _TEXT), st.one_of(st.none(), st.integers(1990, 2030)), _TEXT,
                    st.lists(_FINDING, max_size=5))


def _row(index: int, agency, year, file) -> SummaryRow:
    return SummaryRow(id=f"r{index}", file=file, agency=agency, kind=None, year=year, published=None,
                      score=None, grade=None, coverage=None, failures=(0, 0, 0, 0), failed_rules=(), error=None)


@settings(max_examples=20, deadline=None)
@given(st.lists(_REPORT, max_size=6), st.sampled_from([2, 3, 1_048_575]), st.sampled_from(["zh", "en"]))
def test_findings_sheets_written_as_they_come_are_the_sheets_the_workbook_writes(
        tmp_path_factory, reports, sheet_rows: int, lang: str) -> None:
    folder = tmp_path_factory.mktemp("book")
    rows = [_row(i, agency, year, file) for i, (agency, year, file, _) in enumerate(reports)]
    pairs = [(row, finding) for row, (*_, findings) in zip(rows, reports) for finding in findings]
    original = summary.SHEET_ROWS
    summary.SHEET_ROWS = sheet_rows  # past it, a sheet goes on in the next
    try:
        sheets = FindingsSheets(str(folder / "findings.rows"), lang)
        for row, (*_, findings) in zip(rows, reports):
            sheets.add(row, findings)
        written = sheets.written()
        sheets.close()
        write_workbook(folder / "written.xlsx", ranked(rows), written, [], [], lang)
        write_workbook(folder / "reference.xlsx", ranked(rows), iter(pairs), [], [], lang)
    finally:
        summary.SHEET_ROWS = original
    assert (folder / "written.xlsx").read_bytes() == (folder / "reference.xlsx").read_bytes()
