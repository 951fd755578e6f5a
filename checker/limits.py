"""Resource limits: how much one report file may cost to read and one rule to evaluate.

A batch of a whole region's files holds broken, huge and sometimes hostile files; each is read
within these bounds or refused with a one-line reason naming the limit (a ReadError), so one bad
file costs at most its limit and the batch goes on. Every limit has a default below and is
changed through the environment, ``XXGK_LIMIT_<NAME>`` (e.g. ``XXGK_LIMIT_PDF_PAGES=2000``); the
value 0 turns a limit off. The environment reaches every worker process of a batch or of the
workspace, which is why it is the one mechanism. docs/limits.md explains each limit.

Fixed bounds that are part of the rule language rather than of the machine (the digits of a
number, the width of a message field) are not here: a rule must give the same result
everywhere."""
from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from typing import Mapping, Optional, Union

from .errors import ConfigError

PREFIX = "XXGK_LIMIT_"
MB = 1 << 20


@dataclass(frozen=True)
class Limits:
    # any report file, before it is read at all (a PDF of scanned pages may be large)
    file_mb: int = 200
    # a plain-text or Markdown report (a real one is well under 1 MB)
    text_mb: int = 4
    # lines of text and table rows read from one file, whatever its type (a real report has a
    # few thousand; the time and memory of finding its parts and tables grow with them)
    lines: int = 50_000
    # a web page: an .html file, or the page inside an .mht
    html_mb: int = 16
    # markup tags in a web page (a long report exported from Word has tens of thousands)
    html_tags: int = 300_000
    # cells of one HTML table's grid once rowspan and colspan are expanded
    table_cells: int = 100_000
    # multipart sections in an .mht file (a saved page has one or two)
    mime_parts: int = 100
    # a .docx archive: the size of its parts once expanded (all of them, and the XML ones, which
    # are parsed into memory), how many times one part may expand, the number of its parts
    archive_mb: int = 256
    archive_xml_mb: int = 16
    archive_ratio: int = 200
    archive_entries: int = 10_000
    # a PDF: its pages, the decoded size of one stream, the drawing objects of one page
    pdf_pages: int = 300
    pdf_stream_mb: int = 32
    pdf_page_objects: int = 200_000
    # memory and processor time one PDF may take to read; PDFium runs in a child process
    # held to both, so a file that would exhaust them costs only the child
    read_memory_mb: int = 768
    read_seconds: float = 10.0
    # processor time one rule may take on one report; over it the rule's verdict is "error"
    rule_seconds: float = 2.0
    # an upload to the workspace: the request as sent, the files it delivers (its files and
    # the entries of its .zip archives) and their size once expanded; each file is also held
    # to file_mb, each archive entry to archive_ratio
    upload_mb: int = 512
    upload_files: int = 20_000
    upload_expanded_mb: int = 2048

    @classmethod
    def from_environ(cls, environ: Optional[Mapping[str, str]] = None) -> "Limits":
        """The defaults, with every ``XXGK_LIMIT_<NAME>`` of the environment applied. A value
        that is not a number, or is negative, is a ConfigError naming the variable."""
        environ = os.environ if environ is None else environ
        changed: dict[str, Union[int, float]] = {}
        for field in dataclasses.fields(cls):
            variable = PREFIX + field.name.upper()
            text = environ.get(variable)
            if text is None or not text.strip():
                continue
            changed[field.name] = _parse(variable, text, float if field.type in ("float", float) else int)
        unknown = sorted(name for name in environ if name.startswith(PREFIX)
                         and name[len(PREFIX):].lower() not in {f.name for f in dataclasses.fields(cls)})
        if unknown:
            known = ", ".join(PREFIX + f.name.upper() for f in dataclasses.fields(cls))
            raise ConfigError("environment", f"unknown limit {unknown[0]} (the limits are: {known})",
                              key=unknown[0])
        return cls(**changed)

    def bytes_of(self, name: str) -> Optional[int]:
        """A size limit in bytes, None when it is turned off."""
        value = getattr(self, name)
        return int(value * MB) if value else None


def _parse(variable: str, text: str, kind: type) -> Union[int, float]:
    try:
        value = kind(text.strip())
    except ValueError:
        raise ConfigError("environment", f"must be a {'whole ' if kind is int else ''}number, got {text!r}",
                          key=variable) from None
    if value < 0 or value != value or value == float("inf"):
        raise ConfigError("environment", f"must be a number of 0 or more (0 turns the limit off), got {text!r}",
                          key=variable)
    return value


def variable(name: str) -> str:
    """The environment variable that sets limit ``name`` (for messages: how to change it)."""
    return PREFIX + name.upper()


_current: Optional[Limits] = None


def current() -> Limits:
    """The limits of this process, read from the environment on first use."""
    global _current
    if _current is None:
        _current = Limits.from_environ()
    return _current


def set_current(limits: Optional[Limits]) -> None:
    """Use these limits from now on (None: read the environment again on next use). For tests and
    for programs that embed the checker."""
    global _current
    _current = limits
