"""Untrusted text in Markdown: ``md()`` makes HTML inert (entities) and Markdown syntax literal
(backslash escapes), so a title such as ``<img src=x onerror=...>`` or ``[click](javascript:...)``
reads as the characters it is, on one line. Every Markdown writer puts every value through it."""
from __future__ import annotations

import re

_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
# the ASCII punctuation that makes Markdown syntax inside a line: emphasis, code, links and
# images, table cells, strikethrough (CommonMark lets any ASCII punctuation be escaped)
_SYNTAX = re.compile(r"([\\`*_\[\]!|~])")
_LINE_START = re.compile(r"^(\s*)(\d+)([.)])")


def md(value: object) -> str:
    """A value as literal Markdown text on one line."""
    text = " ".join(str("" if value is None else value).split())
    text = _SYNTAX.sub(r"\\\1", text)
    text = "".join(_HTML.get(ch, ch) for ch in text)
    return _LINE_START.sub(r"\1\2\\\3", text)  # "1. " would start a list
