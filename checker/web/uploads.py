"""What a browser may upload, and how a .zip of a folder is opened: limits on size, type, the
number of entries, the expanded size and the compression ratio of each entry; entries whose
names climb out of the folder (../, absolute paths) are refused. Names are kept only to show
and to match a manifest's rows: files are stored by content hash (checker.store.blobs)."""
from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Iterator, Optional

from ..readers import is_report_name

MAX_FILE_BYTES = 50 * 1024 * 1024  # one report, or one entry of an archive, expanded
MAX_UPLOAD_BYTES = 512 * 1024 * 1024  # one request
MAX_ENTRIES = 20_000  # entries of one archive
MAX_EXPANDED_BYTES = 2 * 1024 * 1024 * 1024  # one archive, expanded
MAX_RATIO = 200  # expanded / compressed, per entry: more is a zip bomb
MANIFEST_SUFFIXES = (".csv",)


class UploadError(ValueError):
    """An upload refused as a whole (too large, not an archive we can open)."""


@dataclass(frozen=True)
class Entry:
    name: str  # as delivered, a relative path with / (shown, never opened)
    data: bytes

    @property
    def suffix(self) -> str:
        return PurePosixPath(self.name).suffix.lower()


@dataclass(frozen=True)
class Unpacked:
    reports: list[Entry]
    manifests: list[Entry]
    refused: list[tuple[str, str]]  # (name, why)


def safe_name(name: str) -> Optional[str]:
    """The entry's path relative to the archive's root, or None when it would climb out of it
    or is absolute."""
    text = name.replace("\\", "/")
    if text.startswith("/") or (len(text) > 1 and text[1] == ":"):
        return None
    parts = [p for p in text.split("/") if p not in ("", ".")]
    if any(p == ".." for p in parts) or not parts:
        return None
    return posixpath.join(*parts)


def _entry_name(info: zipfile.ZipInfo) -> str:
    """Zip entries from Chinese Windows carry GBK names without the UTF-8 flag; Python then
    decodes them as CP437."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gb18030")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def open_archive(data: bytes, archive_name: str) -> Iterator[tuple[Optional[Entry], Optional[tuple[str, str]]]]:
    """The entries of a .zip, one by one: (entry, None) or (None, (name, why refused))."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError) as exc:
        raise UploadError(f"{archive_name}: not a zip archive that can be opened ({exc})") from None
    infos = [i for i in archive.infolist() if not i.is_dir()]
    if len(infos) > MAX_ENTRIES:
        raise UploadError(f"{archive_name}: {len(infos)} entries, more than {MAX_ENTRIES}")
    expanded = 0
    for info in infos:
        name = _entry_name(info)
        relative = safe_name(name)
        if relative is None:
            yield None, (name, "路径越出压缩包（../ 或绝对路径），未导入")
            continue
        if info.file_size > MAX_FILE_BYTES:
            yield None, (relative, f"解压后超过 {MAX_FILE_BYTES // (1024 * 1024)} MB，未导入")
            continue
        if info.compress_size and info.file_size / info.compress_size > MAX_RATIO:
            yield None, (relative, "压缩比异常（疑似压缩炸弹），未导入")
            continue
        expanded += info.file_size
        if expanded > MAX_EXPANDED_BYTES:
            raise UploadError(f"{archive_name}: more than {MAX_EXPANDED_BYTES // (1024 ** 3)} GB expanded")
        try:
            with archive.open(info) as stream:
                content = stream.read(MAX_FILE_BYTES + 1)  # the header's size may lie
        except (zipfile.BadZipFile, RuntimeError, OSError, NotImplementedError) as exc:
            yield None, (relative, f"无法解压（{exc}）")
            continue
        if len(content) > MAX_FILE_BYTES:
            yield None, (relative, "解压后超过大小限制，未导入")
            continue
        yield Entry(relative, content), None


def sort_upload(files: list[tuple[str, bytes]]) -> Unpacked:
    """Uploaded files (name, bytes) into reports, manifests and refusals; archives opened."""
    reports: list[Entry] = []
    manifests: list[Entry] = []
    refused: list[tuple[str, str]] = []

    def take(entry: Entry) -> None:
        base = PurePosixPath(entry.name).name
        if base.startswith(".") or "__MACOSX" in entry.name:
            return
        if entry.suffix in MANIFEST_SUFFIXES:
            manifests.append(entry)
        elif is_report_name(base):
            reports.append(entry)
        else:
            refused.append((entry.name, "不是可检查的报告类型（.txt .md .html .mht .pdf .docx），未导入"))

    for name, data in files:
        relative = safe_name(name) or PurePosixPath(name.replace("\\", "/")).name or "upload"
        if len(data) > MAX_FILE_BYTES and not relative.lower().endswith(".zip"):
            refused.append((relative, f"超过 {MAX_FILE_BYTES // (1024 * 1024)} MB，未导入"))
            continue
        if relative.lower().endswith(".zip"):
            for entry, refusal in open_archive(data, relative):
                if entry is not None:
                    take(entry)
                elif refusal is not None:
                    refused.append(refusal)
        else:
            take(Entry(relative, data))
    return Unpacked(reports=reports, manifests=manifests, refused=refused)
