"""What a browser may upload, and how a .zip of a folder is opened, held to the reading limits
(checker.limits): the upload as sent (``upload_mb``), the files it delivers and their size once
expanded (``upload_files``, ``upload_expanded_mb``, counted from the archives' directories
before anything is inflated), each file (``file_mb``) and how far each archive entry expands
(``archive_ratio``). Entries whose names climb out of the folder (../, absolute paths) are
refused. Names are kept only to show and to match a manifest's rows: files are stored by content
hash (checker.store.blobs).

The files are taken one at a time (``unpack`` is a generator over the uploaded parts, which the
form parser keeps on disk), so an upload costs the memory of its largest file, not of all."""
from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import BinaryIO, Iterator, Optional, Sequence, Union

from .. import limits
from ..limits import MB, Limits, variable
from ..readers import is_report_name

MANIFEST_SUFFIXES = (".csv",)
# an entry smaller than this may expand any amount (a short run of spaces compresses 1000 to 1),
# as for the parts of a .docx (checker.readers.archive)
RATIO_FROM = MB
TOO_LARGE = 413  # HTTP: the upload as a whole is over a limit

Source = Union[bytes, BinaryIO]


class UploadError(ValueError):
    """An upload refused as a whole (over a limit, not an archive we can open), with the HTTP
    status that says so."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Entry:
    name: str  # as delivered, a relative path with / (shown, never opened)
    data: bytes

    @property
    def suffix(self) -> str:
        return PurePosixPath(self.name).suffix.lower()


@dataclass(frozen=True)
class Refused:
    name: str
    why: str


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


def too_large(bounds: Limits) -> str:
    """Why a file over the size limit is not imported (the limit named, so it can be changed)."""
    return f"超过 {bounds.file_mb} MB（由 {variable('file_mb')} 设定），未导入"


def too_many_files(bounds: Limits, count: Optional[int] = None) -> str:
    """Why an upload of ``count`` files (None: more than the limit) is refused as a whole."""
    given = f"，这次有 {count:,} 个（含压缩包内的文件）" if count is not None else ""
    return f"一次上传最多 {bounds.upload_files:,} 个文件（由 {variable('upload_files')} 设定）{given}：请分几次上传"


def _stream(source: Source) -> BinaryIO:
    return io.BytesIO(source) if isinstance(source, (bytes, bytearray)) else source


def _size(source: Source) -> int:
    if isinstance(source, (bytes, bytearray)):
        return len(source)
    source.seek(0, io.SEEK_END)
    size = source.tell()
    source.seek(0)
    return size


def _open_zip(source: Source, archive_name: str) -> tuple[zipfile.ZipFile, list[zipfile.ZipInfo]]:
    try:
        archive = zipfile.ZipFile(_stream(source))
        return archive, [i for i in archive.infolist() if not i.is_dir()]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise UploadError(f"{archive_name}：不是能打开的 zip 压缩包（{exc}）") from None


def _refusal(info: zipfile.ZipInfo, bounds: Limits) -> Optional[str]:
    """Why an entry is refused from the archive's directory alone (None: it may be inflated)."""
    file_limit = bounds.bytes_of("file_mb")
    if file_limit is not None and info.file_size > file_limit:
        return too_large(bounds)
    ratio = info.file_size / max(info.compress_size, 1)
    if bounds.archive_ratio and info.file_size > RATIO_FROM and ratio > bounds.archive_ratio:
        return (f"压缩比 {ratio:,.0f} 倍，超过 {bounds.archive_ratio} 倍（由 {variable('archive_ratio')} 设定），"
                "疑似压缩炸弹，未导入")
    return None


def _check_totals(files: Sequence[tuple[str, Source]], bounds: Limits) -> None:
    """The upload's count of files and expanded size, from the sizes of its files and the
    directories of its archives, before anything is stored or inflated."""
    count = expanded = 0
    file_limit = bounds.bytes_of("file_mb")
    for name, source in files:
        if name.lower().endswith(".zip"):
            archive, infos = _open_zip(source, name)
            count += len(infos)
            expanded += sum(i.file_size for i in infos if _refusal(i, bounds) is None)
        else:
            count += 1
            size = _size(source)
            expanded += size if file_limit is None or size <= file_limit else 0
    if bounds.upload_files and count > bounds.upload_files:
        raise UploadError(too_many_files(bounds, count), TOO_LARGE)
    expanded_limit = bounds.bytes_of("upload_expanded_mb")
    if expanded_limit is not None and expanded > expanded_limit:
        raise UploadError(f"一次上传解压后最多 {bounds.upload_expanded_mb:,} MB（由 {variable('upload_expanded_mb')} 设定），"
                          f"这次有 {expanded / MB:,.0f} MB", TOO_LARGE)


def _archive_entries(source: Source, archive_name: str, bounds: Limits) -> Iterator[Union[Entry, Refused]]:
    archive, infos = _open_zip(source, archive_name)
    file_limit = bounds.bytes_of("file_mb")
    for info in infos:
        name = _entry_name(info)
        relative = safe_name(name)
        if relative is None:
            yield Refused(name, "路径越出压缩包（../ 或绝对路径），未导入")
            continue
        refusal = _refusal(info, bounds)
        if refusal is not None:
            yield Refused(relative, refusal)
            continue
        try:  # zipfile inflates piece by piece, never past the declared size (then checks the CRC)
            with archive.open(info) as stream:
                content = stream.read(info.file_size + 1)
        except (zipfile.BadZipFile, RuntimeError, OSError, NotImplementedError, EOFError, ValueError) as exc:
            yield Refused(relative, f"无法解压（{exc}）")
            continue
        if file_limit is not None and len(content) > file_limit:
            yield Refused(relative, too_large(bounds))
            continue
        yield Entry(relative, content)


def _classified(entry: Entry) -> Union[Entry, Refused, None]:
    base = PurePosixPath(entry.name).name
    if base.startswith(".") or "__MACOSX" in entry.name:
        return None  # what an operating system adds to a folder
    if entry.suffix in MANIFEST_SUFFIXES or is_report_name(base):
        return entry
    return Refused(entry.name, "不是可检查的报告类型（.txt .md .html .mht .pdf .docx），未导入")


def unpack(files: Sequence[tuple[str, Source]], bounds: Optional[Limits] = None) -> Iterator[Union[Entry, Refused]]:
    """The uploaded files (name, bytes or a binary file), archives opened, one at a time: each
    a report or manifest Entry, or Refused with the reason. UploadError (before anything is
    yielded) when the upload as a whole is over a limit or an archive cannot be opened."""
    bounds = bounds or limits.current()
    _check_totals(files, bounds)
    file_limit = bounds.bytes_of("file_mb")
    for name, source in files:
        relative = safe_name(name) or PurePosixPath(name.replace("\\", "/")).name or "upload"
        if relative.lower().endswith(".zip"):
            delivered: Iterator[Union[Entry, Refused]] = _archive_entries(source, relative, bounds)
        elif file_limit is not None and _size(source) > file_limit:
            delivered = iter([Refused(relative, too_large(bounds))])
        else:
            data = source if isinstance(source, bytes) else _stream(source).read()
            delivered = iter([Entry(relative, bytes(data))])
        for item in delivered:
            kept = _classified(item) if isinstance(item, Entry) else item
            if kept is not None:
                yield kept


def is_manifest(entry: Entry) -> bool:
    return entry.suffix in MANIFEST_SUFFIXES


def sort_upload(files: Sequence[tuple[str, Source]], bounds: Optional[Limits] = None) -> Unpacked:
    """Uploaded files into reports, manifests and refusals, all at once (``unpack`` gives them
    one at a time)."""
    reports: list[Entry] = []
    manifests: list[Entry] = []
    refused: list[tuple[str, str]] = []
    for item in unpack(files, bounds):
        if isinstance(item, Refused):
            refused.append((item.name, item.why))
        else:
            (manifests if is_manifest(item) else reports).append(item)
    return Unpacked(reports=reports, manifests=manifests, refused=refused)
