"""Uploads and archives read with limits: nothing a user names becomes a path, archives that
climb out of their folder, expand too far or hold too many entries are refused."""
from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest

from checker.limits import MB, Limits
from checker.web.uploads import UploadError, safe_name, sort_upload, unpack
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


def test_the_upload_limits_come_from_the_reading_limits() -> None:
    with pytest.raises(UploadError, match="XXGK_LIMIT_UPLOAD_FILES") as refused:
        sort_upload([("many.zip", archive([(f"{i}.txt", b"x") for i in range(3)])), ("one.txt", b"x")],
                    Limits(upload_files=3))
    assert refused.value.status == 413
    big = os.urandom(MB + 1)  # random bytes do not compress: only the size limit refuses them
    unpacked = sort_upload([("a.txt", big), ("z.zip", archive([("b.txt", big), ("c.txt", b"ok")]))], Limits(file_mb=1))
    assert [e.name for e in unpacked.reports] == ["c.txt"]
    assert {n for n, _ in unpacked.refused} == {"a.txt", "b.txt"}
    assert all("XXGK_LIMIT_FILE_MB" in why for _, why in unpacked.refused)
    half = os.urandom(MB // 2 + 1)
    with pytest.raises(UploadError, match="XXGK_LIMIT_UPLOAD_EXPANDED_MB"):
        sort_upload([("z.zip", archive([("a.txt", half), ("b.txt", half)]))], Limits(upload_expanded_mb=1))
    with pytest.raises(UploadError, match="zip"):
        sort_upload([("broken.zip", b"PK\x03\x04 not really")])


def test_nothing_is_inflated_before_the_totals_are_known() -> None:
    """An upload over a total limit is refused before its first file is given out (so nothing
    is stored), however its files are ordered."""
    files = [("first.txt", b"x"), ("z.zip", archive([(f"{i}.txt", b"x") for i in range(5)]))]
    given = unpack(files, Limits(upload_files=5))
    with pytest.raises(UploadError):
        next(given)


def test_uploaded_parts_are_read_from_their_files_one_at_a_time(tmp_path: Path) -> None:
    """The form parser keeps the parts in files: archives are opened and entries read from them."""
    (tmp_path / "u.zip").write_bytes(archive([("r/a.txt", b"one"), ("r/b.txt", b"two")]))
    (tmp_path / "c.txt").write_bytes(b"three")
    with open(tmp_path / "u.zip", "rb") as zipped, open(tmp_path / "c.txt", "rb") as plain:
        entries = [(e.name, e.data) for e in unpack([("u.zip", zipped), ("c.txt", plain)])]
    assert entries == [("r/a.txt", b"one"), ("r/b.txt", b"two"), ("c.txt", b"three")]
