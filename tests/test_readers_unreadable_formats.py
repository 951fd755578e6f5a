"""Formats reports are also published in that no reader here reads (legacy Word, WPS, OFD, RTF):
each is recognised by its content and gets a reason that says what to do; a batch lists them as
error rows instead of leaving those agencies out of the ranking without a word."""
from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from checker.batch.discovery import discover
from checker.cli import main
from checker.errors import ReadError
from checker.readers import read_document

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512


def _ofd() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("OFD.xml", "<ofd:OFD xmlns:ofd='http://www.ofdspec.org/2016'/>")
        archive.writestr("Doc_0/Document.xml", "<ofd:Document/>")
    return out.getvalue()


@pytest.mark.parametrize("name, data, says", [
    ("年报.doc", OLE, "legacy Word .doc or WPS .wps"),
    ("年报.wps", OLE, "legacy Word .doc or WPS .wps"),
    ("年报.ofd", _ofd(), "OFD document"),
    ("年报.zip", _ofd(), "OFD document"),  # recognised by its content whatever its name
    ("年报.rtf", b"{\\rtf1\\ansi\\deff0 {\\fonttbl} \\par }", "RTF document"),
    ("年报.doc", b"{\\rtf1\\ansi \\par }", "RTF document"),  # Word saves RTF under .doc too
])
def test_a_format_no_reader_reads_is_a_read_error_that_says_what_to_do(name, data, says):
    with pytest.raises(ReadError) as error:
        read_document(name, data)
    assert says in error.value.reason
    assert "PDF" in error.value.reason  # what to turn it into


def test_a_web_page_saved_under_doc_is_read_as_the_page_it_is():
    page = "<html><body><h1>某某县2024年政府信息公开工作年度报告</h1><p>一、总体情况</p></body></html>"
    document = read_document("年报.doc", page.encode("utf-8"))
    assert document.reader == "html"


def test_a_batch_lists_files_in_those_formats_with_their_reason(tmp_path: Path, capsys) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "甲县.doc").write_bytes(OLE)
    (reports / "乙县.ofd").write_bytes(_ofd())
    (reports / "说明.xlsx").write_bytes(b"PK\x03\x04")  # no report format: not picked up
    assert [Path(f).name for f in discover([str(reports)])] == ["乙县.ofd", "甲县.doc"]
    code = main(["batch", str(reports), "--out", str(tmp_path / "out"), "--jobs", "1", "--quiet"])
    assert code == 0
    rows = [json.loads(line) for line in (tmp_path / "out" / "results.jsonl").read_text(encoding="utf-8").splitlines()[1:]]
    reasons = {Path(row["source"]).name: row["error"] for row in rows}
    assert "OFD document" in reasons["乙县.ofd"] and "legacy Word" in reasons["甲县.doc"]
    assert all(row["score"] is None for row in rows)
