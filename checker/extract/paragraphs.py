"""Running text joined across line and page breaks.

A line continues into the next unless it ends a sentence: "责" / "任追究" is one word, "通知公告
320" / "条。" one sentence. A numbered item or a heading starts a new paragraph; a short line on
its own (a sub-heading, a title, a signature) is a paragraph by itself; page numbers are dropped.
In a PDF whose lines are wrapped at a fixed width, a line near that width continues."""
from __future__ import annotations

import re
from bisect import bisect_right
from operator import itemgetter
from typing import AbstractSet, Mapping, Optional, Sequence

from ..model import Paragraph
from ..build import make_paragraph
from .lines import TextLine
from .parts import Heading

# a line ending with one of these ends its paragraph
_FINAL = "。！？!?；;…"
_INNER_FINAL = re.compile("[。！？；]")
# a line without final punctuation longer than this is cut text, never a heading or a title
_HEADING_LENGTH = 30
# numbered items start a new paragraph: （一） (1) 一、 1. 1、 ①
_ITEM = re.compile(r"^(?:[(（]\s*[一二三四五六七八九十\d]{1,3}\s*[)）]|[一二三四五六七八九十]{1,3}\s*[、.．]"
                   r"|\d{1,2}\s*[、.．](?!\d)|[①-⑳])")
_MARKUP_START = re.compile(r"^\s*(?:#|\*\*|__)")
_BARE_NUMBER = re.compile(r"^\d{1,3}$")
_SECOND = itemgetter(1)


def wrap_width(lines: Sequence[TextLine]) -> Optional[int]:
    """The width at which the text was wrapped, when most lines are cut at one width (PDF text);
    None for text whose lines are whole paragraphs."""
    sizes: dict[int, int] = {}  # a loop, not a Counter of a generator: it sees every line
    total = 0
    for line in lines:
        if line.cells == 1 and 15 <= (size := len(line.text)) <= 60:
            sizes[size] = sizes.get(size, 0) + 1
            total += 1
    if not sizes:
        return None
    get = sizes.get
    best, count = max(((w, get(w - 2, 0) + get(w - 1, 0) + n + get(w + 1, 0) + get(w + 2, 0))
                       for w, n in sizes.items()), key=_SECOND)
    return best if count >= 5 and count * 3 >= total else None


def _join(text: str, more: str) -> str:
    if text and more and text[-1].isascii() and text[-1].isalnum() and more[0].isascii() and more[0].isalnum():
        return f"{text} {more}"
    return text + more


def build_paragraphs(lines: Sequence[TextLine], headings: Mapping[int, Heading],
                     skip: AbstractSet[int], closing: Optional[int],
                     statements: Mapping[int, str] = {}, taken: AbstractSet[int] = frozenset()
                     ) -> tuple[Paragraph, ...]:
    """Paragraphs of the lines not in ``skip`` (table lines); ``closing`` is the first line of the
    signature block, whose paragraphs belong to no part. A small table (statements.py) is one
    paragraph, its sentence, at its first line (``statements``); its other lines (``taken``)
    are not read again."""
    heading_at = sorted((h.line, h.part) for h in headings.values())
    heading_lines = [line for line, _ in heading_at]
    width = wrap_width(lines)

    def part_of(index: int) -> Optional[int]:
        if closing is not None and index >= closing:
            return None
        i = bisect_right(heading_lines, index)
        return heading_at[i - 1][1] if i else None

    def continues(line: TextLine) -> bool:
        if line.text[-1] in _FINAL:
            return False
        size = len(line.text)
        if size > _HEADING_LENGTH or (width is not None and size >= width - 2):
            return True
        # a short line that ends a sentence inside but not at its end is prose cut mid-sentence
        # ("…归档工作制度。2024 年，全区共受理答复" before a page break), never a heading
        return _INNER_FINAL.search(line.text) is not None

    paragraphs: list[Paragraph] = []
    start: Optional[TextLine] = None  # the first line of the paragraph being joined
    text = ""

    def emit(first: TextLine, joined: str) -> None:
        if joined:
            paragraphs.append(make_paragraph(joined, part_of(first.index), first.where))

    heading_set = {h.line + n for h in headings.values() for n in range(h.lines)}
    for line in lines:
        index = line.index
        if index in heading_set:
            if start is not None:
                emit(start, text)
                start, text = None, ""
            continue
        own = line.text
        if index in skip or line.is_page_number or _BARE_NUMBER.match(own):
            continue
        if index in taken:
            if start is not None:
                emit(start, text)
                start, text = None, ""
            if index in statements:
                emit(line, statements[index])
            continue
        if start is not None and (index == closing or _ITEM.match(own) or
                                  _MARKUP_START.match(line.line.fragments[0].text)):
            emit(start, text)
            start, text = None, ""
        if start is None:
            start, text = line, own
        else:
            text = _join(text, own)
        if not continues(line):
            emit(start, text)
            start, text = None, ""
    if start is not None:
        emit(start, text)
    return tuple(paragraphs)
