"""The document's lines prepared once for every extractor step: display text (markdown markers
dropped), the squashed matching key, and the few line-level facts several steps ask about."""
from __future__ import annotations

import re
from functools import lru_cache
from operator import attrgetter
from dataclasses import dataclass, field
from typing import Optional

from ..model import Document, Line, Source
from ..textnorm import LONG_TEXT, squash

# markdown that is layout, not content: heading marks, quote marks, bold/italic runs (and edge
# bars: _strip_edges)
_MARKDOWN_LEAD = re.compile(r"^\s*(?:#{1,6}|>+)\s*")
_EMPHASIS = re.compile(r"\*\*|__")
# page furniture: "- 3 -", "—3—", "第3页", "第 3 页 共 6 页", "3/6" (on the squashed form)
_PAGE_NUMBER = re.compile(r"^(?:-+\d{1,4}-+|第\d{1,4}页(?:,?共\d{1,4}页)?|\d{1,4}/\d{1,4})$")
_PAGE_HINT = re.compile(r"[-－—–/／页]")
# two numbers apart ("0 0 0 / 0", a row of values): never one page number
_NUMBERS_APART = re.compile(r"\d\s+\d")
_SENTENCE_END = "。！？!?"
_TEXT = attrgetter("text")


def _has_markup(text: str) -> bool:
    """Whether the text holds a markdown marker or a bar: five searches, where a regular
    expression went through a paragraph's every character several times slower."""
    return "#" in text or ">" in text or "*" in text or "_" in text or "|" in text


_new = object.__new__


# not frozen: a report prepares a few hundred of these, and a frozen dataclass's __init__ costs
# several times a plain one's; nothing changes a TextLine after prepare() builds it
@dataclass(slots=True)
class TextLine:
    index: int  # position among the prepared lines
    line: Line
    text: str  # the non-empty fragments joined by a space, markdown markers dropped
    cells: int  # how many non-empty fragments the line has
    shown: tuple[str, ...]  # display() of each fragment, empty ones included (by position)
    squashed: Optional[str] = field(default=None, repr=False, compare=False)  # key, once known

    @property
    def where(self) -> Source:
        return self.line.where

    @property
    def key(self) -> str:
        """squash(text), computed on demand: NFKC over every long paragraph would cost more
        than the rest of the extraction. (Not a cached_property: in Python 3.11 that takes a
        lock on every first access.)"""
        if self.squashed is None:
            text = self.text
            self.squashed = squash_short(text) if len(text) < LONG_TEXT else squash(text)
        return self.squashed

    def longer_than(self, limit: int) -> bool:
        """Whether the squashed text is longer than ``limit``, squashing only when the raw
        length leaves it open (squashing drops spaces and markup; NFKC rarely expands a
        character, never fourfold in report text)."""
        if len(self.text) > 2 * limit:
            return True
        if 4 * len(self.text) <= limit:
            return False
        return len(self.key) > limit

    @property
    def is_page_number(self) -> bool:
        """Page furniture alone on its line ("- 3 -", "第 3 页", "3/6"); a table row of values
        with a mark in it ("0\t0\t/\t0", "0 0 0 / 0") is not one."""
        return self.cells == 1 and len(self.text) <= 24 and bool(_PAGE_HINT.search(self.text)) and \
            not _NUMBERS_APART.search(self.text) and bool(_PAGE_NUMBER.match(self.key))


@lru_cache(maxsize=8192)
def squash_short(text: str) -> str:
    """squash() of a short line, cached: the short lines whose key is asked for (table rows,
    headings, labels) recur from report to report of a batch, the long paragraphs do not."""
    return squash(text)


def display(text: str) -> str:
    """Text as a reader would quote it: markdown heading/bold markers and edge bars removed."""
    if not _has_markup(text):
        return text.strip()
    text = _MARKDOWN_LEAD.sub("", text)
    # str.replace() removes the same leftmost runs as the regex when only one of the markers
    # occurs (with both, removing one may join the other's characters into a new marker)
    if "__" not in text:
        text = text.replace("**", "")
    elif "**" not in text:
        text = text.replace("__", "")
    else:
        text = _EMPHASIS.sub("", text)
    return _strip_edges(text)


def _strip_edges(text: str) -> str:
    r"""``text`` without the whitespace and bars at either end (``re.sub(r"^[\s|]+|[\s|]+$", "",
    text).strip()``), without a regex trying its end-anchored branch at every position of a
    long line."""
    while True:
        stripped = text.strip().strip("|")
        if stripped == text:
            return text
        text = stripped


def is_sentence(text: str) -> bool:
    """Running prose rather than a label: it contains a full stop or ends like a sentence."""
    stripped = text.rstrip()
    return "。" in stripped or (bool(stripped) and stripped[-1] in _SENTENCE_END)


def is_prose(line: TextLine, longest: int) -> bool:
    """A line of running text in a table's region: one run, a sentence or longer than any label."""
    return line.cells == 1 and (is_sentence(line.text) or line.longer_than(longest))


def prepare(document: Document) -> tuple[TextLine, ...]:
    prepared: list[TextLine] = []
    append = prepared.append
    for line in document.lines:
        if line.kind == "image":
            continue  # no text to read; see pictured_tables()
        fragments = line.fragments
        if len(fragments) == 1:  # running text: most lines
            text = fragments[0].text
            text = display(text)
            if not text:
                continue
            cells, shown = 1, (text,)
        else:
            row = _row_texts(tuple(map(_TEXT, fragments)))
            if row is None:
                continue
            text, cells, shown = row
        # the fields set here, not through TextLine's __init__: the call into a class's Python
        # __init__ cost a third of preparing a line
        prepared_line = _new(TextLine)
        prepared_line.index = len(prepared)
        prepared_line.line = line
        prepared_line.text = text
        prepared_line.cells = cells
        prepared_line.shown = shown
        prepared_line.squashed = None
        append(prepared_line)
    return tuple(prepared)


@lru_cache(maxsize=8192)
def _row_texts(texts: tuple[str, ...]) -> Optional[tuple[str, int, tuple[str, ...]]]:
    """(text, cells, shown) of a row of fields, None for a row with nothing in it. Cached: the
    rows of the format's tables recur from report to report of a batch."""
    # one search over the whole row, not one a fragment: table rows rarely have markup
    shown = tuple(map(display, texts) if _has_markup("".join(texts)) else map(str.strip, texts))
    parts = list(filter(None, shown))
    return (" ".join(parts), len(parts), shown) if parts else None


def clear_line_caches() -> None:
    squash_short.cache_clear()
    _row_texts.cache_clear()
