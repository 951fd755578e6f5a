"""Word reader: a .docx file → Document, with python-docx.

The document body is read in order, paragraphs and tables interleaved as they are printed. A
table's cells are placed on the table's grid (w:gridBefore, w:gridSpan); a merged cell
(gridSpan across columns, vMerge down rows) appears once, at its top-left position. Page
headers, footers, footnotes, text boxes, deleted revisions and field codes are not report
text."""
from __future__ import annotations

import io
import re
import zipfile
from typing import Iterator, Optional

import docx
from lxml import etree

from ..errors import ReadError
from ..model import Document, Fragment, Source
from . import cjk
from .archive import check_archive
from .blocks import Block, ImageBlock, RowBlock, TextBlock, to_lines
from .guard import never_raises

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_P, _TBL = f"{_W}p", f"{_W}tbl"
_SDT, _SDT_CONTENT, _CUSTOM_XML = f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml"
# run content that is not printed text: properties, deleted or moved-away revisions, field
# codes, ruby annotations, drawings and text boxes (whose text mc:AlternateContent repeats)
_NOT_TEXT = frozenset({
    f"{_W}pPr", f"{_W}rPr", f"{_W}del", f"{_W}delText", f"{_W}moveFrom", f"{_W}rt",
    f"{_W}instrText", f"{_W}drawing", f"{_W}pict", f"{_W}txbxContent", f"{_W}object",
    f"{_W}footnoteReference", f"{_W}endnoteReference", f"{_W}commentReference",
    f"{_MC}AlternateContent",
})
_BREAKS = frozenset({f"{_W}br", f"{_W}cr"})

_NOT_DOCX = "not a Word .docx document"
_CONTENT_TYPE = re.compile(r"content type is '([^']+)'")  # in python-docx's error message
_OFFICE_KINDS = (("spreadsheetml", "an Excel workbook"), ("presentationml", "a PowerPoint file"),
                 ("ms-word.document.macroEnabled", "a macro-enabled Word file (.docm)"))


@never_raises("the Word document")
def read(name: str, data: bytes) -> Document:
    check_archive(name, data)
    try:
        document = docx.Document(io.BytesIO(data))
        body = document.element.body
    except zipfile.BadZipFile:
        raise ReadError(name, f"{_NOT_DOCX}: the file is not a zip archive") from None
    except KeyError:  # the zip has no [Content_Types].xml or no main document part
        raise ReadError(name, f"{_NOT_DOCX}: a zip archive without the parts of a Word "
                              f"document") from None
    except etree.XMLSyntaxError as exc:
        raise ReadError(name, f"{_NOT_DOCX}: damaged XML ({exc})") from None
    except Exception as exc:  # python-docx: "... is not a Word file, content type is '...'"
        raise ReadError(name, f"{_NOT_DOCX}: {_what_it_is(str(exc))}") from None
    return Document(source=name, reader="docx", lines=to_lines(list(_Body(_Numbering.of(document)).blocks(body))))


def _what_it_is(message: str) -> str:
    match = _CONTENT_TYPE.search(message)
    if match is None:
        return message
    content_type = match.group(1)
    kind = next((kind for mark, kind in _OFFICE_KINDS if mark in content_type), None)
    return f"it is {kind}" if kind else f"its main part is {content_type}"


class _Body:
    """Walks the body XML in order; counts tables so each gets its index, and list items so
    each gets the number Word prints before it."""

    def __init__(self, numbering: "_Numbering") -> None:
        self._tables = 0
        self._numbering = numbering

    def blocks(self, container: etree._Element) -> Iterator[Block]:
        for child in container:
            if child.tag == _P:
                lines = _paragraph_lines(child, self._numbering.label(child))
                for text in lines:
                    yield TextBlock(text)
                if not lines and _PICTURES(child):  # a paragraph that is only a picture
                    yield ImageBlock(_picture_text(child))
            elif child.tag == _TBL:
                yield from self._table(child)
            elif child.tag == _SDT:
                content = child.find(_SDT_CONTENT)
                if content is not None:
                    yield from self.blocks(content)
            elif child.tag == _CUSTOM_XML:
                yield from self.blocks(child)

    def _table(self, tbl: etree._Element) -> Iterator[Block]:
        rows = _rows(tbl)
        if not any(len(_cells(tr)) >= 2 for tr in rows) or _holds_tables(tbl):
            # a one-column table is a frame around text, and a table with tables in its cells
            # is page layout: what its cells hold (paragraphs, the data tables) is read in order
            for tr in rows:
                for tc in _cells(tr):
                    yield from self.blocks(tc)
            return
        index = self._tables
        self._tables += 1
        for r, tr in enumerate(rows):
            fragments = tuple(Fragment(_cell_text(tc, self._numbering), Source(table=index, row=r, col=c))
                              for c, tc in _placed_cells(tr))
            if fragments:
                yield RowBlock(index, r, fragments)


# --------------------------------------------------------------------------- tables


# rows and cells may sit inside content controls (w:sdt) or custom XML wrappers
_ROWS = etree.XPath("./w:tr | ./w:sdt/w:sdtContent/w:tr | ./w:customXml/w:tr",
                    namespaces={"w": _W[1:-1]})
_CELLS = etree.XPath("./w:tc | ./w:sdt/w:sdtContent/w:tc | ./w:customXml/w:tc",
                     namespaces={"w": _W[1:-1]})


def _rows(tbl: etree._Element) -> list[etree._Element]:
    return _ROWS(tbl)


def _cells(tr: etree._Element) -> list[etree._Element]:
    return _CELLS(tr)


def _holds_tables(tbl: etree._Element) -> bool:
    return any(True for tr in _rows(tbl) for tc in _cells(tr) for _ in tc.iter(_TBL))


def _int_property(el: etree._Element, path: str, default: int) -> int:
    found = el.find(path)
    try:
        return max(0, int(found.get(f"{_W}val"))) if found is not None else default
    except (TypeError, ValueError):
        return default


def _placed_cells(tr: etree._Element) -> Iterator[tuple[int, etree._Element]]:
    """(grid column, cell) for each cell that starts in this row: cells continuing a vertical
    (vMerge) or legacy horizontal (hMerge) merge are covered by the cell they continue."""
    col = _int_property(tr, f"{_W}trPr/{_W}gridBefore", 0)
    for tc in _cells(tr):
        span = _int_property(tc, f"{_W}tcPr/{_W}gridSpan", 1) or 1
        if not (_continues(tc, "vMerge") or _continues(tc, "hMerge")):
            yield col, tc
        col += span


def _continues(tc: etree._Element, merge: str) -> bool:
    mark = tc.find(f"{_W}tcPr/{_W}{merge}")
    # <w:vMerge/> without a value continues the merge; w:val="restart" starts one
    return mark is not None and mark.get(f"{_W}val", "continue") == "continue"


def _cell_text(tc: etree._Element, numbering: "_Numbering") -> str:
    return cjk.join_cell(piece for p in tc.iter(_P)
                         for piece in (numbering.label(p) + _runs_text(p)).split("\n"))


# --------------------------------------------------------------------------- paragraphs


# a picture in a paragraph (DrawingML or legacy VML), and the text Word keeps for it
_PICTURES = etree.XPath(".//w:drawing | .//w:pict", namespaces={"w": _W[1:-1]})
_PICTURE_TEXT = etree.XPath(".//wp:docPr/@descr | .//wp:docPr/@title",
                            namespaces={"wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"})


def _picture_text(p: etree._Element) -> str:
    return cjk.collapse(" ".join(str(text) for text in _PICTURE_TEXT(p) if str(text).strip()))


def _paragraph_lines(p: etree._Element, number: str = "") -> list[str]:
    """A paragraph's printed text, one line per manual line break; ``number`` is the list
    number Word prints before it ("一、", "（二）")."""
    lines = (cjk.collapse(piece) for piece in (number + _runs_text(p)).split("\n"))
    return [line for line in lines if line]


# --------------------------------------------------------------------------- list numbers


def _val(el: Optional[etree._Element], default: str = "") -> str:
    return el.get(f"{_W}val", default) if el is not None else default


_HAN = "〇一二三四五六七八九"
_CAPITAL = "零壹贰叁肆伍陆柒捌玖"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_HEAVENLY = "甲乙丙丁戊己庚辛壬癸"


def _han(n: int, digits: str = _HAN, ten: str = "十") -> str:
    if n < 10:
        return digits[n]
    if n < 100:
        tens, units = divmod(n, 10)
        return ("" if tens == 1 and digits is _HAN else digits[tens]) + ten + (digits[units] if units else "")
    return str(n)


def _letters(n: int) -> str:
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _roman(n: int) -> str:
    out = ""
    for value, mark in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + mark, n - value
    return out


def _format_number(n: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting",
               "taiwaneseCountingThousand", "koreanCounting", "ideographDigital"):
        return _han(n)
    if fmt in ("chineseLegalSimplified", "japaneseLegal"):
        return _han(n, _CAPITAL, "拾")
    if fmt.startswith("decimalEnclosedCircle") and 1 <= n <= len(_CIRCLED):
        return _CIRCLED[n - 1]
    if fmt == "ideographTraditional" and 1 <= n <= len(_HEAVENLY):
        return _HEAVENLY[n - 1]
    if fmt == "decimalFullWidth" or fmt == "decimalFullWidth2":
        return str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("upperLetter", "lowerLetter"):
        return _letters(n) if fmt == "upperLetter" else _letters(n).lower()
    if fmt in ("upperRoman", "lowerRoman"):
        return _roman(n) if fmt == "upperRoman" else _roman(n).lower()
    return str(n)


class _Numbering:
    """Word's automatic list numbers (numbering.xml): a heading numbered by Word holds only
    "总体情况" in its text, the "一、" being drawn from its list level's format. Counters run per
    abstract list, a level's counter restarting when a higher level moves on."""

    _LEVELS = 9

    def __init__(self, lists: dict[str, tuple[str, dict[int, tuple[int, str, str]]]],
                 styles: dict[str, tuple[str, int]]):
        self._lists = lists  # numId -> (abstract id, ilvl -> (start, format, text))
        self._styles = styles  # paragraph style id -> (numId, ilvl)
        self._counters: dict[str, list[Optional[int]]] = {}

    @classmethod
    def of(cls, document) -> "_Numbering":
        lists: dict[str, tuple[str, dict[int, tuple[int, str, str]]]] = {}
        styles: dict[str, tuple[str, int]] = {}
        try:
            numbering = _existing_part(document.part, "numbering")
            abstract: dict[str, dict[int, tuple[int, str, str]]] = {}
            if numbering is not None:
                for an in numbering.findall(f"{_W}abstractNum"):
                    abstract[an.get(f"{_W}abstractNumId", "")] = {
                        _int(lvl.get(f"{_W}ilvl"), 0): (_int(_val(lvl.find(f"{_W}start"), "1"), 1),
                                                        _val(lvl.find(f"{_W}numFmt"), "decimal"),
                                                        _val(lvl.find(f"{_W}lvlText")))
                        for lvl in an.findall(f"{_W}lvl")}
                for num in numbering.findall(f"{_W}num"):
                    aid = _val(num.find(f"{_W}abstractNumId"))
                    levels = dict(abstract.get(aid, {}))
                    for override in num.findall(f"{_W}lvlOverride"):
                        ilvl = _int(override.get(f"{_W}ilvl"), 0)
                        start = override.find(f"{_W}startOverride")
                        if start is not None and ilvl in levels:
                            levels[ilvl] = (_int(_val(start), 1),) + levels[ilvl][1:]
                    lists[num.get(f"{_W}numId", "")] = (aid, levels)
            style_root = _existing_part(document.part, "styles")
            if style_root is not None:
                for style in style_root.findall(f"{_W}style"):
                    num_pr = style.find(f"{_W}pPr/{_W}numPr")
                    if num_pr is not None:
                        styles[style.get(f"{_W}styleId", "")] = (_val(num_pr.find(f"{_W}numId")),
                                                                  _int(_val(num_pr.find(f"{_W}ilvl")), 0))
        except Exception:  # a damaged numbering or styles part: numbers are a nicety, not text
            return cls({}, {})
        return cls(lists, styles)

    def label(self, p: etree._Element) -> str:
        """The number Word prints before paragraph ``p`` ("一、"), "" when it is not a list item."""
        if not self._lists:
            return ""
        num_pr = p.find(f"{_W}pPr/{_W}numPr")
        if num_pr is not None:
            num_id = _val(num_pr.find(f"{_W}numId"))
            ilvl = _int(_val(num_pr.find(f"{_W}ilvl")), 0)
        else:
            num_id, ilvl = self._styles.get(_val(p.find(f"{_W}pPr/{_W}pStyle")), ("", 0))
        if not num_id or num_id == "0" or num_id not in self._lists:
            return ""
        aid, levels = self._lists[num_id]
        level = levels.get(ilvl)
        if level is None or level[1] in ("bullet", "none"):
            return ""
        counters = self._counters.setdefault(aid, [None] * self._LEVELS)
        if ilvl >= self._LEVELS:
            return ""
        counters[ilvl] = level[0] if counters[ilvl] is None else counters[ilvl] + 1
        for deeper in range(ilvl + 1, self._LEVELS):
            counters[deeper] = None

        def number(match: re.Match[str]) -> str:
            n = int(match.group(1)) - 1
            at = levels.get(n, (1, "decimal", ""))
            value = counters[n] if 0 <= n < self._LEVELS and counters[n] is not None else at[0]
            return _format_number(value, at[1])

        return re.sub(r"%([1-9])", number, level[2])


def _int(text: Optional[str], default: int) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


def _existing_part(part, kind: str) -> Optional[etree._Element]:
    """The root element of the document's numbering or styles part, if the file has one
    (python-docx would create an empty one on access)."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    reltype = RT.NUMBERING if kind == "numbering" else RT.STYLES
    for rel in part.rels.values():
        if rel.reltype == reltype and not rel.is_external:
            return rel.target_part.element if hasattr(rel.target_part, "element") else \
                etree.fromstring(rel.target_part.blob)
    return None


def _runs_text(el: etree._Element) -> str:
    out: list[str] = []

    def visit(node: etree._Element) -> None:
        for child in node:
            tag = child.tag
            if not isinstance(tag, str) or tag in _NOT_TEXT:
                continue
            if tag == f"{_W}t":
                out.append(child.text or "")
                # an entity reference left unresolved is a node of its own: the text after it
                # is its tail
                out.extend(node.tail or "" for node in child)
            elif tag == f"{_W}tab" or tag == f"{_W}ptab":
                out.append("\t")
            elif tag in _BREAKS:
                out.append("\n")
            elif tag == f"{_W}noBreakHyphen":
                out.append("-")
            else:
                visit(child)

    visit(el)
    return "".join(out)
