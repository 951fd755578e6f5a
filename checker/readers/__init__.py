"""Readers turn a file into a Document (checker.model): lines of text fragments with positions.

The reader is chosen by content, not only by extension: a PDF is a PDF whatever it is called,
a saved web page with a .txt name is still HTML. Each reader module has one function,
``read(name: str, data: bytes) -> Document``, and raises ReadError for a file it cannot read.
"""
from __future__ import annotations

import importlib
import re
from pathlib import Path

from .. import limits
from ..errors import ReadError
from ..model import Document
from .bounds import LimitExceeded, check_lines, check_size, read_file
from .embedded import is_text_with_html

# reader name -> module; a new file type is a new module and a line here
READERS: dict[str, str] = {
    "text": "checker.readers.text",
    "html": "checker.readers.html",
    "pdf": "checker.readers.pdf",
    "docx": "checker.readers.docx",
    "mhtml": "checker.readers.mhtml",
}

_EXTENSIONS = {
    ".txt": "text", ".md": "text", ".markdown": "text", ".text": "text",
    ".html": "html", ".htm": "html", ".shtml": "html", ".xhtml": "html",
    ".pdf": "pdf",
    ".docx": "docx",
    ".mht": "mhtml", ".mhtml": "mhtml",
}
_HTML_HEAD = re.compile(rb"<\s*(!doctype\s+html|html|head|body|meta|table|div|p)[\s>/]", re.IGNORECASE)
# a MIME message whose parts make up a saved web page
_MHTML = re.compile(rb"^(?:[A-Za-z-]+:[^\n]*\r?\n(?:[ \t][^\n]*\r?\n)*)*?Content-Type:\s*multipart/related",
                    re.IGNORECASE)
# formats reports are also published in that no reader here reads: a batch still lists them, each
# as a row saying why, so no agency's report goes missing from the ranking without a word
_UNREADABLE = (".doc", ".wps", ".ofd", ".rtf")
# what a batch picks up when it walks a folder
_REPORT_SUFFIXES = frozenset(_EXTENSIONS) | frozenset(_UNREADABLE)
_OFD_ROOT = b"OFD.xml"  # the first entry of an OFD package (GB/T 33190)
_BLANK = re.compile(rb"\s*")
# kinds that an empty file cannot be (an empty text or web page is a report without content)
_BINARY = frozenset({"pdf", "docx"})


def sniff(name: str, data: bytes) -> str:
    """Which reader fits these bytes."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"%PDF-") or b"%PDF-" in data[:1024]:  # readers accept junk before the header
        return "pdf"
    suffix = Path(name).suffix.lower()
    if head.startswith(b"PK\x03\x04"):
        if suffix == ".ofd" or _OFD_ROOT in head[30:30 + 64]:
            raise ReadError(name, "an OFD document, which this checker cannot read: export it as PDF")
        return "docx"  # the docx reader says so clearly if the zip is something else
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ReadError(name, "a legacy Word .doc or WPS .wps file, or a password-protected Office file "
                              "(OLE container): save it as an unprotected .docx or as PDF")
    if _MHTML.match(head):
        return "mhtml"
    if head.startswith(b"{\\rtf"):
        raise ReadError(name, "an RTF document, which this checker cannot read: save it as .docx or as PDF")
    if suffix in (".pdf", ".docx") and data:
        # the extension promises a binary format the bytes do not have
        raise ReadError(name, f"not a {suffix[1:].upper()} file (its content does not start like one)")
    if _HTML_HEAD.search(head[:2048]) and (suffix in (".html", ".htm", ".shtml", ".xhtml")
                                          or (head[:1] == b"<" and not is_text_with_html(data))):
        return "html"
    return _EXTENSIONS.get(suffix, "text")


def is_report_file(path: Path) -> bool:
    """Whether a batch should pick this file up when walking a folder."""
    return path.is_file() and is_report_name(path.name)


def is_report_name(name: str) -> bool:
    """Whether a file of this name is taken as a report (a batch's walk, an upload)."""
    return is_report_entry(Path(name).name)


def is_report_entry(name: str) -> bool:
    """is_report_name of a name a folder listing gives (one part of a path, no separator),
    without making a Path of it: a Path interns its parts, a batch's walk has a million."""
    dot = name.rfind(".")
    return 0 < dot < len(name) - 1 and name[dot:].lower() in _REPORT_SUFFIXES and not name.startswith(".")


def read_document(path: Path | str, data: bytes | None = None) -> Document:
    """The Document of a report file, or of its bytes when ``data`` is given. Each reader holds
    the file to the limits of checker.limits."""
    name = str(path)
    limit = limits.current().bytes_of("file_mb")
    if data is None:
        data = read_file(path, limit)
    check_size(name, len(data), limit, "file_mb")
    kind = sniff(name, data)
    if kind in _BINARY and _BLANK.fullmatch(data):
        raise ReadError(name, "the file is empty" if not data else "the file holds only blank space")
    try:
        module = importlib.import_module(READERS[kind])
    except ModuleNotFoundError as exc:
        raise ReadError(name, f"no reader for {kind} files is installed ({exc.name})") from None
    try:
        document = module.read(name, data)
    except LimitExceeded as exc:
        raise ReadError(name, exc.reason) from None
    check_lines(name, len(document.lines), limits.current().lines)
    return document
