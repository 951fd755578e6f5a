"""Holding a report file to the reading limits (checker.limits): regular files only, read no
further than the size limit; sizes and line counts refused with a reason that names the limit.

A path may name something that is not a file: a link to /dev/zero (which reads forever), a named
pipe (whose open blocks until a writer comes), a folder, a socket. Such a path is refused by its
status before it is opened, and opened without blocking (O_NONBLOCK) in case it was swapped for
one in between; the bytes are read up to the limit, never to the end of whatever it is."""
from __future__ import annotations

import itertools
import os
import re
import stat
from pathlib import Path
from typing import Any, Iterable, Optional

from .. import limits
from ..errors import ReadError
from ..limits import MB, variable

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
)
_OPEN_FLAGS = (os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
               | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))
_CHUNK = 1 << 20


def admit(path: Path | str, limit: Optional[int], limit_name: str = "file_mb") -> os.stat_result:
    """The status of ``path`` when it is a regular file (links followed) within ``limit`` bytes;
    ReadError naming the limit otherwise. One stat, nothing read: what a caller that would hash
    or copy the file asks first."""
    name = str(path)
    try:
        info = os.stat(path)
    except OSError as exc:
        raise ReadError(name, f"cannot read file: {exc.strerror or exc}") from None
    _check_regular(name, info)
    check_size(name, info.st_size, limit, limit_name)
    return info


def read_file(path: Path | str, limit: Optional[int], limit_name: str = "file_mb") -> bytes:
    """The bytes of the regular file at ``path`` (links followed), at most ``limit`` of them."""
    name = str(path)
    admit(path, limit, limit_name)
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        raise ReadError(name, f"cannot read file: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        _check_regular(name, info)  # the path may have been replaced since it was looked at
        check_size(name, info.st_size, limit, limit_name)
        chunks: list[bytes] = []
        total = 0
        while True:
            want = _CHUNK if limit is None else min(_CHUNK, limit + 1 - total)
            chunk = os.read(fd, want) if want > 0 else b""
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        check_size(name, total, limit, limit_name)  # the file grew while it was read
        return b"".join(chunks)
    except OSError as exc:
        raise ReadError(name, f"cannot read file: {exc.strerror or exc}") from None
    finally:
        os.close(fd)


def _check_regular(name: str, info: os.stat_result) -> None:
    if stat.S_ISREG(info.st_mode):
        return
    kind = next((what for test, what in _KINDS if test(info.st_mode)), "not a regular file")
    raise ReadError(name, f"{kind}, not a file: only regular files are read")


def check_size(name: str, size: int, limit: Optional[int], limit_name: str, what: str = "the file") -> None:
    """Refuse ``size`` bytes of something over ``limit`` (None: no limit)."""
    if limit is not None and size > limit:
        shown, most = _megabytes(size), _megabytes(limit)
        if shown == most:  # just over: the figures must differ
            shown, most = f"{size:,} bytes", f"{limit:,} bytes"
        raise ReadError(name, f"{what} is too large ({shown}; the limit is {most}, set by {variable(limit_name)})")


class LimitExceeded(ReadError):
    """A limit reached deep inside a reader, where the file's name is not at hand:
    read_document names the file."""

    def __init__(self, reason: str) -> None:
        super().__init__("", reason)


def check_lines(name: str, count: int, limit: int) -> None:
    """Refuse a Document of ``count`` lines over ``limit`` (0: no limit)."""
    if limit and count > limit:
        raise ReadError(name, f"too many lines of text ({count:,}; the limit is {limit:,}, set by "
                              f"{variable('lines')})")


def _megabytes(size: int) -> str:
    if size >= MB:
        return f"{size / MB:.1f} MB".replace(".0 MB", " MB")
    return f"{size:,} bytes"


# --------------------------------------------------------------------------- web pages

# libxml2 stops building the tree where a limit of its own is reached (elements nested more
# than 256 deep, a text node over 10 MB) and drops the rest of the page without an error
_PARSER_LIMIT = "ERR_RESOURCE_LIMIT"


def check_tags(name: str, text: str) -> None:
    """Refuse a web page with more tags than the limit, before it is parsed."""
    tags = limits.current().html_tags
    if tags and text.count("<") > tags:
        raise ReadError(name, f"the web page has too many tags (more than {tags:,}; the limit is "
                              f"set by {variable('html_tags')})")


def check_parsed(name: str, parser_log: Iterable[Any]) -> None:
    """Refuse a web page whose parser stopped at a limit of its own and so dropped part of the
    page (``parser_log``: the parser's error log)."""
    for entry in parser_log:
        if getattr(entry, "type_name", "") != _PARSER_LIMIT:
            continue
        message = str(getattr(entry, "message", "")).strip()
        if "depth" in message.lower():
            raise ReadError(name, "the web page nests its elements too deeply to be read (more than "
                                  f"{_depth(message)} levels: unclosed tags?); the part below would be lost")
        raise ReadError(name, f"the web page is beyond what the HTML parser reads ({message}); "
                              "the rest of it would be lost")


def _depth(message: str) -> str:
    found = [word.strip(":,") for word in message.split() if word.strip(":,").isdigit()]
    return found[0] if found else "256"


class GridCells:
    """Counts the cells of one table's grid as its merged cells are spread over it, and stops
    at the limit: 3,000 rows of rowspan=0 colspan=1000 would otherwise be billions of cells."""

    def __init__(self) -> None:
        self.limit = limits.current().table_cells
        self.count = 0

    def add(self, cells: int) -> None:
        self.count += cells
        if self.limit and self.count > self.limit:
            raise LimitExceeded(f"a table is too large once its merged cells are spread (more than "
                                f"{self.limit:,} cells; the limit is set by {variable('table_cells')})")


# --------------------------------------------------------------------------- MHTML

_MULTIPART = re.compile(rb"content-type:\s*multipart/", re.IGNORECASE)


def check_mime_parts(name: str, data: bytes) -> None:
    """Refuse an MHTML file with more multipart sections than the limit: the MIME parser recurses
    into each one, so 2,000 nested ones would exhaust the stack."""
    parts = limits.current().mime_parts
    if parts and sum(1 for _ in itertools.islice(_MULTIPART.finditer(data), parts + 1)) > parts:
        raise ReadError(name, f"the MHTML file has too many multipart sections (more than {parts}; "
                              f"the limit is set by {variable('mime_parts')})")
