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
from typing import Iterator

import docx
from lxml import etree

from ..errors import ReadError
from ..model import Document, Fragment, Source
from . import cjk
from .blocks import Block, RowBlock, TextBlock, to_lines

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


def read(name: str, data: bytes) -> Document:
    try:
        body = docx.Document(io.BytesIO(data)).element.body
    except zipfile.BadZipFile:
        raise ReadError(name, f"{_NOT_DOCX}: the file is not a zip archive") from None
    except KeyError:  # the zip has no [Content_Types].xml or no main document part
        raise ReadError(name, f"{_NOT_DOCX}: a zip archive without the parts of a Word "
                              f"document") from None
    except etree.XMLSyntaxError as exc:
        raise ReadError(name, f"{_NOT_DOCX}: damaged XML ({exc})") from None
    except Exception as exc:  # python-docx: "... is not a Word file, content type is '...'"
        raise ReadError(name, f"{_NOT_DOCX}: {_what_it_is(str(exc))}") from None
    return Document(source=name, reader="docx", lines=to_lines(list(_Body().blocks(body))))


def _what_it_is(message: str) -> str:
    match = _CONTENT_TYPE.search(message)
    if match is None:
        return message
    content_type = match.group(1)
    kind = next((kind for mark, kind in _OFFICE_KINDS if mark in content_type), None)
    return f"it is {kind}" if kind else f"its main part is {content_type}"


class _Body:
    """Walks the body XML in order; counts tables so each gets its index."""

    def __init__(self) -> None:
        self._tables = 0

    def blocks(self, container: etree._Element) -> Iterator[Block]:
        for child in container:
            if child.tag == _P:
                for text in _paragraph_lines(child):
                    yield TextBlock(text)
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
        if not any(len(_cells(tr)) >= 2 for tr in rows):
            # a one-column table is a frame around text, not data
            for tr in rows:
                for tc in _cells(tr):
                    yield from self.blocks(tc)
            return
        index = self._tables
        self._tables += 1
        for r, tr in enumerate(rows):
            fragments = tuple(Fragment(_cell_text(tc), Source(table=index, row=r, col=c))
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


def _cell_text(tc: etree._Element) -> str:
    return cjk.join_cell(piece for p in tc.iter(_P) for piece in _runs_text(p).split("\n"))


# --------------------------------------------------------------------------- paragraphs


def _paragraph_lines(p: etree._Element) -> list[str]:
    """A paragraph's printed text, one line per manual line break."""
    lines = (cjk.collapse(piece) for piece in _runs_text(p).split("\n"))
    return [line for line in lines if line]


def _runs_text(el: etree._Element) -> str:
    out: list[str] = []

    def visit(node: etree._Element) -> None:
        for child in node:
            tag = child.tag
            if not isinstance(tag, str) or tag in _NOT_TEXT:
                continue
            if tag == f"{_W}t":
                out.append(child.text or "")
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
