"""Uploads and archives read with limits: nothing a user names becomes a path, archives that
climb out of their folder, expand too far or hold too many entries are refused."""
from __future__ import annotations

import io
import zipfile

import pytest

from checker.web import uploads
from checker.web.uploads import UploadError, safe_name, sort_upload
from web_support import archive


@pytest.mark.parametrize("name, expected", [
    ("a/b.txt", "a/b.txt"), ("./a//b.txt", "a/b.txt"), ("a\\b.txt", "a/b.txt"),
    ("../etc/passwd", None), ("a/../../b.txt", None), ("/etc/passwd", None), ("C:/x.txt", None), ("", None),
])
def test_safe_names(name: str, expected: object) -> None:
    assert safe_name(name) == expected


def test_an_archive_is_sorted_into_reports_manifests_and_refusals() -> None:
    data = archive([("r/a.txt", b"x"), ("r/b.pdf", b"%PDF-1.4"), ("清单.csv", b"file\n"), ("r/run.exe", b"MZ"),
                    ("../escape.txt", b"x"), ("__MACOSX/._a.txt", b"x"), ("r/.hidden.txt", b"x")])
    unpacked = sort_upload([("upload.zip", data)])
    assert [e.name for e in unpacked.reports] == ["r/a.txt", "r/b.pdf"]
    assert [e.name for e in unpacked.manifests] == ["清单.csv"]
    assert {name for name, _ in unpacked.refused} == {"r/run.exe", "../escape.txt"}


def test_gbk_names_of_windows_archives_are_read_as_chinese() -> None:
    name = "报告.txt".encode("gbk")  # as Windows' zip writes it: GBK bytes, no UTF-8 flag
    placeholder = b"A" * (len(name) - 4) + b".txt"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zipped:
        zipped.writestr(placeholder.decode(), b"x")
    data = buffer.getvalue().replace(placeholder, name)
    assert [e.name for e in sort_upload([("w.zip", data)]).reports] == ["报告.txt"]


def test_a_zip_bomb_entry_is_refused() -> None:
    data = archive([("big.txt", b"0" * (4 * 1024 * 1024))])  # compresses about 1000:1
    unpacked = sort_upload([("bomb.zip", data)])
    assert not unpacked.reports and "压缩比" in unpacked.refused[0][1]


def test_limits_on_entries_size_and_archives(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(uploads, "MAX_ENTRIES", 3)
    with pytest.raises(UploadError, match="entries"):
        sort_upload([("many.zip", archive([(f"{i}.txt", b"x") for i in range(4)]))])
    monkeypatch.setattr(uploads, "MAX_FILE_BYTES", 10)
    unpacked = sort_upload([("a.txt", b"x" * 11), ("z.zip", archive([("b.txt", b"y" * 11), ("c.txt", b"ok")]))])
    assert [e.name for e in unpacked.reports] == ["c.txt"]
    assert {n for n, _ in unpacked.refused} == {"a.txt", "b.txt"}
    with pytest.raises(UploadError, match="not a zip"):
        sort_upload([("broken.zip", b"PK\x03\x04 not really")])
