"""HTML reader: a published or saved web page → Document.

The page is decoded from its bytes (meta charset as a hint: GBK/GB18030 pages are common). A
page saved from a government site holds the report among banners, menus, breadcrumbs,
sidebars, scripts and footers: the article body is the block that holds the report's part
headings and data tables (ordinal headings 一、二、…, tables of figures), found by counting
them, not by knowing a site's template; a page without them falls back to text density.
Navigation (nav/header/footer/aside, link-dense blocks) and pictures inside links are skipped.
The page's own title and publication date (meta tags, the article-title element, a 发布时间
line) are kept apart as page facts (Document.facts), for the extractor to use where the report
is silent. The body is read block by block: one text line per paragraph-like element, one grid
row per table row. Merged table cells are expanded into the table's grid for their positions
but appear once, at their top-left cell."""
from __future__ import annotations

import math
import re
from typing import Iterator, Optional

from lxml import etree
from lxml import html as lxml_html

from .. import limits
from ..errors import ReadError
from ..model import Document, Fragment, PageFact, Source
from ..textnorm import squash
from . import cjk
from .blocks import Block, ImageBlock, RowBlock, TextBlock, to_lines
from .bounds import GridCells, check_parsed, check_size, check_tags
from .encoding import declared_charset, decode
from .guard import never_raises

# never content
_DISCARD = frozenset({
    "script", "style", "noscript", "template", "iframe", "object", "embed", "select", "option",
    "button", "input", "textarea", "svg", "canvas", "map", "audio", "video",
})
# the page head and site chrome: never the article, never read
_CHROME = frozenset({"head", "nav", "header", "footer", "aside", "menu"})
_BLOCK = frozenset({
    "address", "article", "blockquote", "body", "caption", "center", "dd", "details", "dir",
    "div", "dl", "dt", "fieldset", "figcaption", "figure", "form", "h1", "h2", "h3", "h4", "h5",
    "h6", "hr", "html", "legend", "li", "main", "ol", "p", "pre", "section", "summary", "table",
    "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
})
_STYLED = etree.XPath("//*[@style or @hidden]")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
# a DOCTYPE with an internal subset (<!DOCTYPE html [<!ENTITY …>]>): the HTML parser ends the
# declaration at its first ">" and reads the rest ("]>") as the page's first text
_DOCTYPE_SUBSET = re.compile(r"^(\s*(?:<!--.*?-->\s*)*)<!DOCTYPE[^\[>]*\[.*?\]\s*>", re.IGNORECASE | re.DOTALL)
# control characters lxml refuses in a string; scraped pages do carry them
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

# A part heading of a report: a paragraph opening with a Chinese ordinal (一、 二． 第三部分).
_ORDINAL_HEADING = re.compile(r"^\s*(?:第[一二三四五六七八九十]{1,3}部分|[一二三四五六七八九十]{1,3}\s*[、．.])")
# a table is a table of figures when it has at least this many cells holding a number
_FIGURES = 3
_FIGURE = re.compile(r"^\s*[0-9０-９][0-9０-９,，.．]*\s*$")
# the article is the deepest block holding at least this share of the page's headings and tables,
# a table of figures weighing as much as this many headings (a menu or a guide may number its
# items like headings; a table of figures is the report's)
_ANCHOR_SHARE = 0.8
_TABLE_WEIGHT = 3
# the density search (a page without headings or tables of figures) steps into a child holding
# at least this share of its parent's text
_DESCEND_SHARE = 0.8
# at most this much text (Chinese characters, links not counted) is page chrome
_CHROME_HAN = 500
# a block whose text is at least this share links (and at least _LINKED_HAN characters of
# them) is navigation: menus, "related articles", "previous / next"
_LINK_SHARE = 0.5
_LINKED_HAN = 8
# a table cell with more Chinese than this is page layout, not data
_LAYOUT_CELL_HAN = 300

_TITLE_META = (("articletitle", "meta ArticleTitle"), ("og:title", "meta og:title"))
_TITLE_ELEMENTS = etree.XPath(
    "//h1 | //*[contains(translate(@class, 'TITLE', 'title'), 'title')]"
    " | //*[contains(translate(@id, 'TITLE', 'title'), 'title')]"
)
_H1 = etree.XPath("//h1")
_TITLE_SEPARATORS = re.compile(r"\s*(?:_|\||｜|\s-\s|——|--)\s*")
_MAX_TITLE = 120

# a meta tag naming the publication date: PubDate, publishdate, firstpublishedtime,
# article:published_time …
_DATE_META = re.compile(r"pub(?:lish(?:ed)?)?[_:-]?(?:date|time)", re.IGNORECASE)
_DIGITS = "0-9０-９"
_WHEN = (rf"[{_DIGITS}]{{4}}\s*[-－./／年]\s*[{_DIGITS}]{{1,2}}\s*[-－./／月]\s*[{_DIGITS}]{{1,2}}\s*日?"
         rf"(?:\s*[{_DIGITS}]{{1,2}}[:：][{_DIGITS}]{{2}}(?:[:：][{_DIGITS}]{{2}})?)?")
# the page's publication line: 发布时间：2025-01-20 (best), else a bare 时间：/日期： beside the title
_DATE_LINES = (
    re.compile(rf"(?:发布|发表|公开|发稿)(?:时间|日期)\s*[:：]?\s*{_WHEN}"),
    re.compile(rf"(?<![\u4e00-\u9fff])(?:时间|日期)\s*[:：]\s*{_WHEN}"),
)


def _empty(name: str, encoding: Optional[str]) -> Document:
    return Document(source=name, reader="html", lines=(), encoding=encoding, notes=("the page is empty",))


@never_raises("the web page")
def read(name: str, data: bytes) -> Document:
    check_size(name, len(data), limits.current().bytes_of("html_mb"), "html_mb", "the web page")
    text, encoding = decode(data, declared_charset(data))
    text = _CONTROL.sub("", _DOCTYPE_SUBSET.sub(r"\1", _XML_DECLARATION.sub("", text, count=1), count=1))
    if not text.strip():
        return _empty(name, encoding)
    check_tags(name, text)
    parser = _parser()
    try:
        root = lxml_html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        if str(exc) == "Document is empty":  # only comments or markup without any element
            return _empty(name, encoding)
        raise ReadError(name, f"not a readable HTML page: {exc}") from None
    check_parsed(name, parser.error_log)

    # substring tests on the source spare two walks over every element (a Word-exported page
    # styles nearly all of them): nothing can be hidden, no class or id can name a title
    source = text.lower()
    maybe_hidden = "display" in source or "visibility" in source or "hidden" in source
    hidden = [el for el in _STYLED(root) if _is_hidden(el)] if maybe_hidden else []
    _drop(list(root.iter(*_DISCARD)) + hidden)
    title_tags = source.count("<title") + source.count("</title")
    facts = {"title": _page_title(root, named=source.count("title") > title_tags)}

    page = _Measure(root)
    body, found_container = page.article()
    facts["published"] = _page_date(root, body)
    _drop([el for el in body.iter(*_CHROME) if el is not body] + page.navigation(body))
    blocks = list(_Walker().walk(body))
    notes: list[str] = []
    if not found_container:
        notes.append("no article body found: the whole page was read")
    if not any(isinstance(b, TextBlock) and cjk.han_count(b.text) for b in blocks) \
            and not any(isinstance(b, RowBlock) for b in blocks):
        notes.append("the page has no Chinese text")
    return Document(source=name, reader="html", lines=to_lines(blocks), encoding=encoding,
                    notes=tuple(notes), facts={k: v for k, v in facts.items() if v is not None})


# --------------------------------------------------------------------------- page cleanup


def _parser() -> lxml_html.HTMLParser:
    return lxml_html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True)


def _drop(elements: list[lxml_html.HtmlElement]) -> None:
    for el in elements:
        if el.getparent() is not None:
            el.drop_tree()  # keeps the element's tail text


def _is_hidden(el: lxml_html.HtmlElement) -> bool:
    style = el.get("style")
    return el.get("hidden") is not None or bool(style and _HIDDEN_STYLE.search(style))


# --------------------------------------------------------------------------- page facts


def _page_title(root: lxml_html.HtmlElement, named: bool = True) -> Optional[PageFact]:
    """The article's title as the page gives it: the CMS's meta tag, else the title element
    the <title> text agrees with (portals title a page "article_column_site"), else the first
    <h1>, else the <title> text's first part. ``named``: some class or id may name a title."""
    for meta in root.iter("meta"):
        key = (meta.get("name") or meta.get("property") or "").lower()
        for wanted, where in _TITLE_META:
            content = meta.get("content") or ""
            if key == wanted and _plausible_title(content):
                return PageFact(cjk.collapse(content), where)
    elements = _TITLE_ELEMENTS(root) if named else _H1(root)
    candidates = [(text, el.tag) for text, el in ((cjk.collapse(el.text_content()), el) for el in elements
                                                  if el.tag not in ("title", "html", "body")
                                                  and el.find(".//table") is None)
                  if _plausible_title(text)]
    heads = root.xpath("//title")
    head = cjk.collapse(heads[0].text_content()) if heads else ""
    for text, tag in candidates:
        if head and squash(text) in squash(head):
            return PageFact(text, "<h1>" if tag == "h1" else "文章标题")
    h1 = [text for text in (cjk.collapse(el.text_content()) for el in _H1(root)) if _plausible_title(text)]
    if h1:
        return PageFact(h1[0], "<h1>")
    pieces = [p for p in _TITLE_SEPARATORS.split(head) if _plausible_title(p)]
    return PageFact(pieces[0], "<title>") if pieces else None


def _plausible_title(text: str) -> bool:
    return 4 <= len(text.strip()) <= _MAX_TITLE and cjk.han_count(text) >= 4


def _page_date(root: lxml_html.HtmlElement, body: lxml_html.HtmlElement) -> Optional[PageFact]:
    """When the page says it published the article: a meta tag, else a 发布时间 line outside
    the article (a date inside the article is the report's own)."""
    for meta in root.iter("meta"):
        key = meta.get("name") or meta.get("property") or ""
        content = cjk.collapse(meta.get("content") or "")
        if _DATE_META.search(key) and re.match(_WHEN, content):
            return PageFact(content, f"meta {key}")
    around = cjk.collapse(" ".join(_text_outside(root, body)))
    for pattern in _DATE_LINES:
        found = pattern.search(around)
        if found:
            return PageFact(found.group().strip(), "页面文字")
    return None


def _text_outside(root: lxml_html.HtmlElement, body: lxml_html.HtmlElement) -> Iterator[str]:
    if body is root:
        return
    inside = set(body.iter())
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if el.text and el not in inside:
            yield el.text
        parent = el.getparent()
        if el.tail and parent is not None and parent not in inside:
            yield el.tail


# --------------------------------------------------------------------------- the article


class _Measure:
    """One pass over the page: per element, its Chinese text (links and chrome not counted), its
    linked Chinese text, and its anchors — the part headings and tables of figures under it,
    which is what makes a block the report's body rather than the page around it."""

    def __init__(self, root: lxml_html.HtmlElement) -> None:
        self.root = root
        self.han: dict[lxml_html.HtmlElement, int] = {}
        self.linked: dict[lxml_html.HtmlElement, int] = {}
        self.anchors: dict[lxml_html.HtmlElement, int] = {}
        self.is_anchor: set[lxml_html.HtmlElement] = set()
        self.in_table: set[lxml_html.HtmlElement] = set()
        elements = [el for el in root.iter() if isinstance(el.tag, str)]
        muted: dict[lxml_html.HtmlElement, bool] = {}  # in chrome: counts for nothing
        in_link: dict[lxml_html.HtmlElement, bool] = {}
        in_table: dict[lxml_html.HtmlElement, bool] = {}
        data_tables = {el for el in elements if el.tag == "table" and _is_data_table(el)}
        for el in elements:  # document order: a parent before its children
            parent = el.getparent()
            if parent is None:
                muted[el], in_link[el], in_table[el] = el.tag in _CHROME, el.tag == "a", False
                continue
            muted[el] = muted[parent] or el.tag in _CHROME
            in_link[el] = in_link[parent] or el.tag == "a"
            # inside a data table (a layout table holds the page, and its cells are blocks)
            in_table[el] = in_table[parent] or (parent.tag == "table" and parent in data_tables)
            if in_table[el]:
                self.in_table.add(el)
        has_block: dict[lxml_html.HtmlElement, bool] = {}
        han_count = cjk.han_count
        for el in reversed(elements):  # children before their parent
            if muted[el]:  # page chrome and everything in it
                self.han[el] = self.linked[el] = self.anchors[el] = 0
                has_block[el] = False
                continue
            han = linked = anchors = 0
            own = han_count(el.text) if el.text else 0  # its text and its children's tails
            block_inside = False
            for child in el:
                if child.tail:
                    own += han_count(child.tail)
                if not isinstance(child.tag, str):
                    continue
                han += self.han[child]
                linked += self.linked[child]
                anchors += self.anchors[child]
                block_inside = block_inside or child.tag in _BLOCK or has_block[child]
            if in_link[el]:
                linked += own
            else:
                han += own
            has_block[el] = block_inside
            weight = 0 if muted[el] or in_link[el] else \
                _anchor_weight(el, el in data_tables, block_inside, in_table[el], han, linked)
            if weight:
                self.is_anchor.add(el)
                anchors += weight
            self.han[el], self.linked[el], self.anchors[el] = han, linked, anchors

    def article(self) -> tuple[lxml_html.HtmlElement, bool]:
        """The element holding the report: the deepest one holding most of the page's part
        headings and tables of figures, else (a page without them) the tightest holding most of
        its text. Whether one was found inside the page."""
        total = self.anchors.get(self.root, 0)
        node = self.root
        if total:
            need = max(1, math.ceil(_ANCHOR_SHARE * total))
            while True:
                inner = next((c for c in node if isinstance(c.tag, str) and c not in self.is_anchor
                              and self.anchors.get(c, 0) >= need), None)
                if inner is None:
                    break
                node = inner
        elif self.han.get(self.root, 0):
            while True:
                children = [c for c in node if isinstance(c.tag, str) and c.tag not in _CHROME
                            and not _is_data_table(c)
                            and c.tag not in ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li")]
                best = max(children, key=lambda c: self.han.get(c, 0), default=None)
                if best is None or not self._only_chrome_beside(node, best):
                    break
                node = best
        return node, node is not self.root and node.tag not in ("html", "body")

    def _only_chrome_beside(self, node: lxml_html.HtmlElement, child: lxml_html.HtmlElement) -> bool:
        """Whether stepping from ``node`` into ``child`` sheds only page chrome: the child holds
        most of the text, what is left is short, and no data table is left behind. (A report
        exported from Word comes in sibling sections, the tables in a section of their own.)"""
        rest = self.han.get(node, 0) - self.han.get(child, 0)
        if self.han.get(child, 0) < _DESCEND_SHARE * self.han.get(node, 0) or rest > _CHROME_HAN:
            return False
        return not any(_is_data_table(table) for sibling in node if sibling is not child
                       and isinstance(sibling.tag, str) for table in sibling.iter("table"))

    def navigation(self, body: lxml_html.HtmlElement) -> list[lxml_html.HtmlElement]:
        """The link-dense blocks inside the article (menus, related articles, previous/next),
        outermost first; none holds a heading or a table of figures, none is part of a table."""
        out: list[lxml_html.HtmlElement] = []
        for el in body.iterdescendants():
            if not isinstance(el.tag, str) or el.tag not in _BLOCK or self.anchors.get(el, 0):
                continue
            linked = self.linked.get(el, 0)
            if linked >= _LINKED_HAN and linked >= _LINK_SHARE * (linked + self.han.get(el, 0)) \
                    and el not in self.in_table:
                out.append(el)
        return out


def _anchor_weight(el: lxml_html.HtmlElement, data_table: bool, block_inside: bool, in_table: bool,
                   han: int, linked: int) -> int:
    """How much the element itself tells that the report is here: a table of figures, a
    paragraph opening with an ordinal (not a list item: menus are lists), or nothing."""
    if el.tag == "table":
        figures = data_table and sum(
            1 for tr in _rows(el) for td in _cells(tr) if _FIGURE.match(td.text_content())) >= _FIGURES
        return _TABLE_WEIGHT if figures else 0
    heading = (el.tag in _BLOCK and el.tag != "li" and not block_inside and not in_table
               and han > linked and _ORDINAL_HEADING.match(el.text_content()) is not None)
    return 1 if heading else 0


# --------------------------------------------------------------------------- body → blocks


_SOURCE_LINE_BREAK_BETWEEN_CJK = re.compile(
    f"(?<=[{cjk.CJK_CLASS}])[ \\t\\r]*\\n\\s*(?=[{cjk.CJK_CLASS}])")


def _running_text(raw: str) -> str:
    # A line break in the page source between two Chinese characters is how the page was
    # typed, not a space the reader sees (CSS segment-break rules for CJK).
    return cjk.collapse(_SOURCE_LINE_BREAK_BETWEEN_CJK.sub("", raw))


class _Walker:
    """Reads an element tree in document order into text blocks and table rows."""

    def __init__(self) -> None:
        self._pieces: list[str] = []
        self._tables = 0

    def walk(self, el: lxml_html.HtmlElement) -> Iterator[Block]:
        yield from self._element(el)
        yield from self._flush()

    def _element(self, el: lxml_html.HtmlElement) -> Iterator[Block]:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag == "br":
            yield from self._flush()
            return
        if tag == "img":
            # a picture on its own (not an icon inside a sentence, not a link's button or banner)
            # may be a table pasted as one
            if _is_picture(el) and not "".join(self._pieces).strip() \
                    and next(el.iterancestors("a"), None) is None:
                yield ImageBlock(_running_text(el.get("alt") or el.get("title") or ""))
            return
        if tag == "table" and _is_data_table(el):
            yield from self._flush()
            yield from self._table(el)
            return
        block = tag in _BLOCK
        if block:
            yield from self._flush()
        if el.text:
            self._pieces.append(el.text)
        for child in el:
            if isinstance(child.tag, str):
                yield from self._element(child)
            if child.tail:
                self._pieces.append(child.tail)
        if block:
            yield from self._flush()

    def _flush(self) -> Iterator[TextBlock]:
        if self._pieces:
            text = _running_text("".join(self._pieces))
            self._pieces = []
            if text:
                yield TextBlock(text)

    def _table(self, table: lxml_html.HtmlElement) -> Iterator[Block]:
        index = self._tables
        self._tables += 1
        for caption in table.findall("caption"):
            text = _cell_text(caption)
            if text:
                yield TextBlock(text)
        for r, fragments, _ in table_rows(table, index):
            yield RowBlock(index, r, fragments)


# an image drawn smaller than this (pixels, by its width or height attribute) is an icon or a
# bullet, not a picture of content
_ICON_SIZE = 80


def _is_picture(img: lxml_html.HtmlElement) -> bool:
    for attribute in ("width", "height"):
        size = re.match(r"\s*(\d+)\s*(?:px)?\s*$", img.get(attribute) or "")
        if size and int(size.group(1)) < _ICON_SIZE:
            return False
    return True


# --------------------------------------------------------------------------- tables


def table_rows(table: lxml_html.HtmlElement, index: int) -> Iterator[tuple[int, tuple[Fragment, ...], int]]:
    """Each row of a data table with cells: (its row in the table, the cells that start in it
    as fragments at Source(table=index, row, col), the line its <tr> starts on counted from the
    table's first line)."""
    rows = _rows(table)
    start = table.sourceline or 1
    for r, cells in enumerate(_grid(rows)):
        fragments = tuple(Fragment(_cell_text(td), Source(table=index, row=r, col=c)) for c, td in cells)
        if fragments:
            yield r, fragments, (rows[r].sourceline or start) - start


def _rows(table: lxml_html.HtmlElement) -> list[lxml_html.HtmlElement]:
    return table.xpath("./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr")


def _cells(tr: lxml_html.HtmlElement) -> list[lxml_html.HtmlElement]:
    return [c for c in tr if c.tag in ("td", "th")]


def _is_data_table(el: lxml_html.HtmlElement) -> bool:
    """A table of data, as opposed to one used for page layout or as a framed text box: no
    nested tables, some row with two or more cells, no cell holding a page of text."""
    if el.tag != "table" or el.find(".//table") is not None:
        return False
    rows = _rows(el)
    if not any(len(_cells(tr)) >= 2 for tr in rows):
        return False
    return all(cjk.han_count(td.text_content()) <= _LAYOUT_CELL_HAN
               for tr in rows for td in _cells(tr))


def _span(td: lxml_html.HtmlElement, attribute: str) -> int:
    try:
        return max(0, int(str(td.get(attribute, "1")).strip() or 1))
    except ValueError:
        return 1


def _grid(rows: list[lxml_html.HtmlElement]) -> Iterator[list[tuple[int, lxml_html.HtmlElement]]]:
    """Per row, (column in the expanded grid, cell) for the cells that start in that row."""
    taken: list[set[int]] = [set() for _ in rows]
    cells = GridCells()
    for r, tr in enumerate(rows):
        placed: list[tuple[int, lxml_html.HtmlElement]] = []
        col = 0
        for td in _cells(tr):
            while col in taken[r]:
                col += 1
            rowspan = _span(td, "rowspan") or len(rows) - r  # rowspan="0": to the end
            colspan = min(_span(td, "colspan") or 1, 1000)
            cells.add(min(rowspan, len(rows) - r) * colspan)
            for dr in range(min(rowspan, len(rows) - r)):
                taken[r + dr].update(range(col, col + colspan))
            placed.append((col, td))
            col += colspan
        yield placed


def _cell_text(cell: lxml_html.HtmlElement) -> str:
    """A cell's text, its <p>/<br>/<div> pieces joined ("商业</p><p>企业" → 商业企业)."""
    pieces: list[str] = []
    current: list[str] = []

    def visit(el: lxml_html.HtmlElement) -> None:
        block = el.tag in _BLOCK or el.tag == "br"
        if block:
            pieces.append("".join(current))
            current.clear()
        if el.text:
            current.append(el.text)
        for child in el:
            if isinstance(child.tag, str):
                visit(child)
            if child.tail:
                current.append(child.tail)
        if block:
            pieces.append("".join(current))
            current.clear()

    visit(cell)
    pieces.append("".join(current))
    return cjk.join_cell(pieces)
