"""HTML inside a text or markdown file. Pandoc's markdown keeps a table it cannot draw in pipes
(merged cells) as raw HTML, and its ``<div>`` and ``<span>`` around the text; editors paste a
table's HTML into a text. Read as a web page, such a file loses its line structure (a page
runs its text together), so its part headings run into the paragraphs around them; read as
text, its tables are tags. So the text stays text, each ``<table>`` in it is read as the HTML
reader reads a table, and the lines that start with a tag are taken out of their tags."""
from __future__ import annotations

import html
import re
from typing import Iterator

from ..build import make_line
from ..model import Line, Source
from . import cjk

_TABLE = re.compile(r"<table\b.*?</table\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
# a page, not a text with HTML in it
_PAGE = re.compile(rb"<\s*(?:!doctype|html|head|body)[\s>]", re.IGNORECASE)


def is_text_with_html(data: bytes) -> bool:
    """Whether a file that starts like a web page is a text with HTML in it: no page around it
    (no <html>, <head>, <body>), and paragraphs of Chinese text on lines of their own, with no
    tag, after an empty line, as a markdown file has and a web page's source has not."""
    head = data[:16384]
    if _PAGE.search(head):
        return False
    text = head.decode("utf-8", "ignore")
    lines = text.split("\n")
    paragraphs = sum(1 for before, line in zip(lines, lines[1:])
                     if not before.strip() and "<" not in line and cjk.han_count(line) >= 10)
    return paragraphs >= 2


def tables(text: str) -> Iterator[tuple[int, int, list[Line]]]:
    """Each <table> in the text: (its first line, its last line, its rows as Lines), lines
    numbered from 1. A row is numbered by the line its <tr> starts on. The HTML parser is
    imported at the first table: most texts have none."""
    for n, match in enumerate(_TABLE.finditer(text)):
        from lxml import etree
        from lxml import html as lxml_html

        from .html import table_rows
        first = text.count("\n", 0, match.start()) + 1
        last = first + match.group().count("\n")
        try:
            table = lxml_html.fragment_fromstring(match.group())
        except (etree.ParserError, ValueError):
            continue
        rows = []
        for row, fragments, offset in table_rows(table, n):
            where = Source(line=first + offset, table=n, row=row)
            rows.append(make_line(fragments, "row", where, True))
        yield first, last, rows


def untagged(raw: str) -> str:
    """A line that starts with a tag (``<div class=…>``, ``<span>时间：…</span>``) without its
    tags, entities read; other lines as they are (a sentence may quote a tag)."""
    if not raw.lstrip().startswith("<") or _TAG.match(raw.lstrip()) is None:
        return raw
    return html.unescape(_TAG.sub("", raw)).replace("\xa0", " ")
