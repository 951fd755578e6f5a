"""A zip archive (a .docx) held to the limits before anything inflates it.

python-docx reads every part of the package into memory, and parses the XML ones; Python's
zipfile inflates an entry in one piece before cutting it to its declared size. A 4 MB archive
can expand to gigabytes, and an entry can declare a few bytes and inflate to a gigabyte. So the
archive is looked at first: the number of entries, their declared sizes (all of them, and the
XML that will be parsed) and how far each one expands, from the central directory alone; then
each entry is inflated piece by piece, counting, and refused as soon as it grows past what it
declared. What passes holds no surprise for python-docx."""
from __future__ import annotations

import io
import struct
import zipfile
import zlib
from typing import Optional

from .. import limits
from ..errors import ReadError
from ..limits import MB, variable
from .bounds import check_size

# an entry smaller than this may expand any amount (a short run of spaces compresses 1000 to 1)
_RATIO_FROM = MB
_PIECE = 1 << 20
_LOCAL_HEADER = struct.Struct("<IHHHHHIIIHH")
_LOCAL_SIGNATURE = 0x04034B50


def check_archive(name: str, data: bytes) -> None:
    """Refuse an archive over the limits; return quietly for one that is not a zip at all (the
    reader says what it is)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return
    bounds = limits.current()
    if bounds.archive_entries and len(entries) > bounds.archive_entries:
        raise ReadError(name, f"the archive has too many parts ({len(entries):,}; the limit is "
                              f"{bounds.archive_entries:,}, set by {variable('archive_entries')})")
    check_size(name, sum(e.file_size for e in entries), bounds.bytes_of("archive_mb"), "archive_mb",
               "the archive once expanded")
    check_size(name, sum(e.file_size for e in entries if _parsed(e.filename)), bounds.bytes_of("archive_xml_mb"),
               "archive_xml_mb", "the XML of the archive once expanded")
    for entry in entries:
        ratio = entry.file_size / max(entry.compress_size, 1)
        if bounds.archive_ratio and entry.file_size > _RATIO_FROM and ratio > bounds.archive_ratio:
            raise ReadError(name, f"an archive part ({entry.filename}) expands {ratio:,.0f} times (the limit "
                                  f"is {bounds.archive_ratio}, set by {variable('archive_ratio')}): a zip bomb, "
                                  f"not a document")
    for entry in entries:
        if _inflates_beyond(data, entry):
            raise ReadError(name, f"an archive part ({entry.filename}) expands beyond the size it declares "
                                  f"({entry.file_size:,} bytes): a zip bomb, not a document")


def _parsed(filename: str) -> bool:
    return filename.lower().endswith((".xml", ".rels"))


def _inflates_beyond(data: bytes, entry: zipfile.ZipInfo) -> bool:
    """Whether the entry's data inflates to more than its declared size (counted piece by piece,
    never holding more than a piece)."""
    if entry.compress_type != zipfile.ZIP_DEFLATED:
        return False  # stored data is what it is; zipfile refuses what it cannot inflate
    start = _data_offset(data, entry)
    if start is None:
        return False  # a damaged header: python-docx says so
    compressed = memoryview(data)[start:start + entry.compress_size]
    inflate = zlib.decompressobj(-zlib.MAX_WBITS)
    size = 0
    try:
        for at in range(0, len(compressed), _PIECE):
            pending = compressed[at:at + _PIECE]
            while pending:
                size += len(inflate.decompress(pending, _PIECE))
                if size > entry.file_size:
                    return True
                pending = inflate.unconsumed_tail
            if inflate.eof:
                break
    except zlib.error:
        return False  # damaged data: python-docx says so
    return False


def _data_offset(data: bytes, entry: zipfile.ZipInfo) -> Optional[int]:
    at = entry.header_offset
    try:
        fields = _LOCAL_HEADER.unpack_from(data, at)
    except struct.error:
        return None
    if fields[0] != _LOCAL_SIGNATURE:
        return None
    return at + _LOCAL_HEADER.size + fields[9] + fields[10]
