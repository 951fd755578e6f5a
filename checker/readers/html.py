"""HTML reader: a published or saved web page → Document.

The page is decoded from its bytes (meta charset as a hint: GBK/GB18030 pages are common), the
article body is picked out of the site's navigation, and the body is read block by block: one
text line per paragraph-like element, one grid row per table row. Merged table cells are
expanded into the table's grid for their positions but appear once, at their top-left cell."""
from __future__ import annotations

import re
from typing import Iterator, Optional

from lxml import etree
from lxml import html as lxml_html

from .. import limits
from ..errors import ReadError
from ..model import Document, Fragment, Source
from ..textnorm import squash
from . import cjk
from .blocks import Block, ImageBlock, RowBlock, TextBlock, to_lines
from .bounds import GridCells, check_parsed, check_size, check_tags
from .encoding import declared_charset, decode

# never content
_DISCARD = frozenset({
    "script", "style", "noscript", "template", "iframe", "object", "embed", "select", "option",
    "button", "input", "textarea", "svg", "canvas", "map", "audio", "video",
})
# the page head and site chrome; the article's title is looked up before these go
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
# control characters lxml refuses in a string; scraped pages do carry them
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

# Content containers of the CMSs government portals run on (TRS, UCAP, gov.cn, common
# templates), tried before the text-density search.
_CONTAINER_CLASSES = frozenset({
    "TRS_Editor", "TRS_UEDITOR", "TRS_PreAppend", "pages_content", "article-content",
    "article_content", "articleContent", "news_content", "detail-content", "zw", "zoom",
    "content", "con", "main-text", "view",
})
_CONTAINER_IDS = frozenset({"UCAP-CONTENT", "zoom", "Zoom", "fontzoom", "content", "Content", "zw"})
# a known container must hold at least this share of the page's text to be believed
_CONTAINER_SHARE = 0.5
# the density search steps into a child holding at least this share of its parent's text
_DESCEND_SHARE = 0.8
# at most this much text (Chinese characters, links not counted) is page chrome
_CHROME_HAN = 500
# a table cell with more Chinese than this is page layout, not data
_LAYOUT_CELL_HAN = 300

_TITLE_META = etree.XPath(
    "//meta[translate(@name, 'ARTICLETI', 'articleti')='articletitle']/@content"
    " | //meta[@property='og:title']/@content"
)
_TITLE_ELEMENTS = etree.XPath(
    "//h1 | //*[contains(translate(@class, 'TITLE', 'title'), 'title')]"
    " | //*[contains(translate(@id, 'TITLE', 'title'), 'title')]"
)
_H1 = etree.XPath("//h1")
_TITLE_SEPARATORS = re.compile(r"\s*(?:_|\||｜|\s-\s|——|--)\s*")
_MAX_TITLE = 120


def read(name: str, data: bytes) -> Document:
    check_size(name, len(data), limits.current().bytes_of("html_mb"), "html_mb", "the web page")
    text, encoding = decode(data, declared_charset(data))
    text = _CONTROL.sub("", _XML_DECLARATION.sub("", text, count=1))
    if not text.strip():
        return Document(source=name, reader="html", lines=(), encoding=encoding,
                        notes=("the page is empty",))
    check_tags(name, text)
    parser = _parser()
    try:
        root = lxml_html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise ReadError(name, f"not a readable HTML page: {exc}") from None
    check_parsed(name, parser.error_log)

    # substring tests on the source spare two walks over every element (a Word-exported page
    # styles nearly all of them): nothing can be hidden, no class or id can name a title
    source = text.lower()
    maybe_hidden = "display" in source or "visibility" in source or "hidden" in source
    hidden = [el for el in _STYLED(root) if _is_hidden(el)] if maybe_hidden else []
    _drop(list(root.iter(*_DISCARD)) + hidden)
    title_tags = source.count("<title") + source.count("</title")
    title = _page_title(root, named=source.count("title") > title_tags)
    _drop(list(root.iter(*_CHROME)))

    body, found_container = _article_body(root)
    blocks = list(_Walker().walk(body))
    notes: list[str] = []
    if not found_container:
        notes.append("no article body found: the whole page was read")
    if title and not _starts_with(blocks, title):
        blocks.insert(0, TextBlock(title))
    if not any(isinstance(b, TextBlock) and cjk.han_count(b.text) for b in blocks) \
            and not any(isinstance(b, RowBlock) for b in blocks):
        notes.append("the page has no Chinese text")
    return Document(source=name, reader="html", lines=to_lines(blocks), encoding=encoding,
                    notes=tuple(notes))


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


# --------------------------------------------------------------------------- the article


def _page_title(root: lxml_html.HtmlElement, named: bool = True) -> Optional[str]:
    """The article's title: the CMS's meta tag, else the title element the <title> text
    agrees with (portals title a page "article_column_site"), else the first <h1>, else the
    <title> text's first part. ``named``: some class or id may name a title."""
    for content in _TITLE_META(root):
        if _plausible_title(content):
            return cjk.collapse(content)
    elements = _TITLE_ELEMENTS(root) if named else _H1(root)
    candidates = [text for text in (cjk.collapse(el.text_content()) for el in elements
                                    if el.tag not in ("title", "html", "body")
                                    and el.find(".//table") is None)
                  if _plausible_title(text)]
    heads = root.xpath("//title")
    head = cjk.collapse(heads[0].text_content()) if heads else ""
    for text in candidates:
        if head and squash(text) in squash(head):
            return text
    h1 = [cjk.collapse(el.text_content()) for el in root.xpath("//h1")]
    h1 = [text for text in h1 if _plausible_title(text)]
    if h1:
        return h1[0]
    pieces = [p for p in _TITLE_SEPARATORS.split(head) if _plausible_title(p)]
    return pieces[0] if pieces else None


def _plausible_title(text: str) -> bool:
    return 4 <= len(text.strip()) <= _MAX_TITLE and cjk.han_count(text) >= 4


def _article_body(root: lxml_html.HtmlElement) -> tuple[lxml_html.HtmlElement, bool]:
    """The element holding the report: a known content container if one holds most of the
    page's text, else the tightest element holding most of it."""
    weights = _text_weights(root)
    total = weights.get(root, 0)
    if total == 0:
        return root, False
    known = [el for el in root.iter() if _is_known_container(el)
             and weights.get(el, 0) >= _CONTAINER_SHARE * total]
    if known:
        return max(known, key=lambda el: weights[el]), True  # the first of equals is outermost
    node = root
    while True:
        children = [c for c in node if isinstance(c.tag, str) and not _is_data_table(c)
                    and c.tag not in ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li")]
        best = max(children, key=lambda c: weights.get(c, 0), default=None)
        if best is None or not _only_chrome_beside(node, best, weights):
            break
        node = best
    found = node is not root and node.tag not in ("html", "body")
    return node, found


def _is_known_container(el: lxml_html.HtmlElement) -> bool:
    return el.tag == "article" or el.get("id") in _CONTAINER_IDS \
        or not _CONTAINER_CLASSES.isdisjoint((el.get("class") or "").split())


def _only_chrome_beside(node: lxml_html.HtmlElement, child: lxml_html.HtmlElement,
                        weights: dict[lxml_html.HtmlElement, int]) -> bool:
    """Whether stepping from ``node`` into ``child`` sheds only page chrome: the child holds
    most of the text, what is left is short, and no data table is left behind. (A report
    exported from Word comes in sibling sections, the tables in a section of their own.)"""
    rest = weights.get(node, 0) - weights.get(child, 0)
    if weights.get(child, 0) < _DESCEND_SHARE * weights.get(node, 0) or rest > _CHROME_HAN:
        return False
    return not any(_is_data_table(table) for sibling in node if sibling is not child
                   and isinstance(sibling.tag, str) for table in sibling.iter("table"))


def _text_weights(root: lxml_html.HtmlElement) -> dict[lxml_html.HtmlElement, int]:
    """Chinese characters under each element, link text not counted (navigation is links)."""
    weights: dict[lxml_html.HtmlElement, int] = {}

    def weigh(el: lxml_html.HtmlElement, in_link: bool) -> int:
        in_link = in_link or el.tag == "a"
        count = 0 if in_link else cjk.han_count(el.text)
        for child in el:
            if isinstance(child.tag, str):
                count += weigh(child, in_link)
            if not in_link:
                count += cjk.han_count(child.tail)
        weights[el] = count
        return count

    weigh(root, False)
    return weights


def _starts_with(blocks: list[Block], title: str) -> bool:
    """Whether the body already opens with the title (perhaps over two or three lines)."""
    wanted = squash(title)
    head = ""
    for block in blocks[:6]:
        if isinstance(block, RowBlock):
            break
        head += squash(block.text)
        if wanted in head:
            return True
    return False


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
            # a picture on its own (not an icon inside a sentence) may be a table pasted as one
            if _is_picture(el) and not "".join(self._pieces).strip():
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
        for r, cells in enumerate(_grid(_rows(table))):
            fragments = tuple(Fragment(_cell_text(td), Source(table=index, row=r, col=c))
                              for c, td in cells)
            if fragments:
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
