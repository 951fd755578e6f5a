"""Fixtures the reader tests (and bench/bench_readers.py) build at run time: the real corpus and
its gold, small PDFs written from scratch (text in a non-embedded Chinese font, ruling lines,
optional RC4 encryption), and Word files built from the gold tables with merged cells."""
from __future__ import annotations

import hashlib
import io
import json
import math
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Optional, Sequence, Union

from checker.model import Document, Line
from checker.textnorm import parse_number

CORPUS = Path(__file__).parent / "fixtures" / "corpus"


def gold(name: str) -> dict:
    return json.loads((CORPUS / "gold" / f"{Path(name).stem}.json").read_text(encoding="utf-8"))


def corpus_bytes(name: str) -> bytes:
    return (CORPUS / name).read_bytes()


# --------------------------------------------------------------------------- reading Documents


def rows(document: Document) -> list[Line]:
    return [line for line in document.lines if line.kind == "row"]


def texts(document: Document) -> list[str]:
    return [line.text for line in document.lines if line.kind == "text"]


def labelled_rows(document: Document, values: int) -> list[tuple[str, list]]:
    """Grid rows whose last ``values`` cells are numbers and whose cell before them is a label:
    (label, numbers). This is how the extractor sees a data row of a table."""
    found = []
    for line in rows(document):
        cells = [f.text for f in line.fragments]
        if len(cells) <= values:
            continue
        numbers = [parse_number(c) for c in cells[-values:]]
        label = cells[-values - 1]
        if all(n is not None for n in numbers) and label and parse_number(label) is None:
            found.append((label, numbers))
    return found


def number_rows(document: Document, values: int) -> list[list]:
    """Grid rows made of exactly ``values`` numbers and nothing else (Table C's data row)."""
    out = []
    for line in rows(document):
        numbers = [parse_number(f.text) for f in line.fragments]
        if len(numbers) == values and all(n is not None for n in numbers):
            out.append(numbers)
    return out


# --------------------------------------------------------------------------- PDFs from scratch


@dataclass(frozen=True)
class Text:
    """Text drawn with its top-left corner at (x, top), in points from the page's top left.
    ``angle`` (degrees, counter-clockwise) turns it about the start of its baseline, as a
    watermark is; ``gray`` is its fill (0 black, 1 white)."""

    x: float
    top: float
    text: str
    size: float = 10.0
    angle: float = 0.0
    gray: float = 0.0


@dataclass(frozen=True)
class Rule:
    """A ruling line from (x0, top0) to (x1, top1)."""

    x0: float
    top0: float
    x1: float
    top1: float


@dataclass(frozen=True)
class Rules:
    """Several ruling lines drawn as one path (one subpath each), as some producers draw a
    table's grid: pieces are (x0, top0, x1, top1)."""

    pieces: tuple[tuple[float, float, float, float], ...]


@dataclass(frozen=True)
class Bar:
    """A filled rectangle: how many word processors draw table borders (a 0.5 pt bar), or a
    shaded header cell."""

    x: float
    top: float
    width: float
    height: float
    gray: float = 0.0


@dataclass(frozen=True)
class Picture:
    """A grey image placed with its top-left corner at (x, top) — a scanned page, say."""

    x: float
    top: float
    width: float
    height: float


Mark = Union[Text, Rule, Rules, Bar, Picture]
PAGE_WIDTH, PAGE_HEIGHT = 595.0, 842.0


@dataclass(frozen=True)
class Page:
    """A page of other than A4 portrait: ``width``/``height`` as displayed, marks placed in
    that displayed frame. ``rotate`` (90, 180, 270) writes the page the way print drivers do:
    a portrait MediaBox with /Rotate and the content turned to match, so the marks still land
    where the displayed frame says. ``form_shift`` (dx, dy in points, right and down) puts the
    marks in a form XObject drawn through a /Matrix that moves them so, as producers that wrap a
    page's content in a form do."""

    marks: Sequence[Mark]
    width: float = PAGE_WIDTH
    height: float = PAGE_HEIGHT
    rotate: int = 0
    form_shift: Optional[tuple[float, float]] = None


_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def make_pdf(pages: Sequence[Union[Sequence[Mark], Page]], *, user_password: Optional[str] = None,
             owner_password: str = "owner", unicode_font: bool = True,
             misread: Optional[Mapping[str, str]] = None) -> bytes:
    """A PDF with one page per mark list. Text uses STSong-Light (not embedded, Adobe-GB1,
    UniGB-UCS2-H), which every PDF reader maps to Unicode without a ToUnicode table.
    ``user_password`` set (even to "") encrypts the file with the standard 40-bit RC4 handler;
    "" is the common "permissions only" case anyone can open. ``unicode_font=False`` uses an
    Identity-H font without a ToUnicode map instead: glyphs no reader can turn into text.
    ``misread`` gives the font a ToUnicode map that names other characters for some it draws
    ({"一": "⼀"}: the Kangxi radical some Chinese fonts map their 一 to)."""
    file_id = hashlib.md5(repr(pages).encode()).digest()
    key = None
    encrypt_entry = b""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")
    tree = add(b"")
    font = add(b"")
    descendant = add(b"")
    descriptor = add(b"")
    if user_password is not None:
        owner_key = hashlib.md5(_padded(owner_password)).digest()[:5]
        o_value = _rc4(owner_key, _padded(user_password))
        permissions = -44
        key = hashlib.md5(_padded(user_password) + o_value + struct.pack("<i", permissions)
                          + file_id).digest()[:5]
        u_value = _rc4(key, _PAD)
        encrypt = add(b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P %d >>"
                      % (o_value.hex().encode(), u_value.hex().encode(), permissions))
        encrypt_entry = b" /Encrypt %d 0 R" % encrypt

    def string(text: str, objnum: int) -> bytes:
        data = text.encode("latin-1")
        if key is not None:
            data = _rc4(_object_key(key, objnum), data)
        return b"<" + data.hex().encode() + b">"

    def stream(data: bytes, objnum: int) -> bytes:
        if key is not None:
            data = _rc4(_object_key(key, objnum), data)
        return b"<< /Length %d >>\nstream\n%s\nendstream" % (len(data), data)

    encoding, ordering = (b"/UniGB-UCS2-H", "GB1") if unicode_font else (b"/Identity-H", "Identity")
    to_unicode = b""
    if misread:
        used = sorted({ch for spec in pages
                       for mark in (spec.marks if isinstance(spec, Page) else spec)
                       if isinstance(mark, Text) for ch in mark.text})
        pairs = [b"<%04X> <%s>" % (ord(ch), misread.get(ch, ch).encode("utf-16-be").hex().upper().encode())
                 for ch in used]
        blocks = b"".join(b"%d beginbfchar\n%s\nendbfchar\n" % (len(chunk), b"\n".join(chunk))
                          for chunk in (pairs[i:i + 100] for i in range(0, len(pairs), 100)))
        cmap = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
                b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
                b"/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
                b"1 begincodespacerange <0000> <FFFF> endcodespacerange\n" + blocks +
                b"endcmap CMapName currentdict /CMap defineresource pop end end")
        unicode_map = add(b"")
        objects[unicode_map - 1] = stream(cmap, unicode_map)
        to_unicode = b" /ToUnicode %d 0 R" % unicode_map
    objects[font - 1] = (b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light "
                         b"/Encoding %s /DescendantFonts [%d 0 R]%s >>"
                         % (encoding, descendant, to_unicode))
    objects[descendant - 1] = (
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo "
        b"<< /Registry %s /Ordering %s /Supplement 2 >> /FontDescriptor %d 0 R /DW 1000 "
        b"/W [1 95 500] >>"
        % (string("Adobe", descendant), string(ordering, descendant), descriptor))
    objects[descriptor - 1] = (b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 "
                               b"/FontBBox [0 -120 1000 880] /ItalicAngle 0 /Ascent 880 "
                               b"/Descent -120 /CapHeight 880 /StemV 80 >>")
    picture = add(b"")
    pixels = bytes(range(64, 192)) * 2
    objects[picture - 1] = stream(pixels, picture).replace(
        b"<< /Length", b"<< /Type /XObject /Subtype /Image /Width 16 /Height 16 "
                       b"/ColorSpace /DeviceGray /BitsPerComponent 8 /Length", 1)
    kids = []
    for spec in pages:
        page = spec if isinstance(spec, Page) else Page(tuple(spec))
        content = add(b"")
        box_width, box_height = ((page.height, page.width) if page.rotate in (90, 270)
                                 else (page.width, page.height))
        resources = b"/Font << /F1 %d 0 R >> /XObject << /Im1 %d 0 R" % (font, picture)
        if page.form_shift is None:
            objects[content - 1] = stream(_content(page), content)
        else:
            form = add(b"")
            dx, dy = page.form_shift
            objects[form - 1] = stream(_content(page), form).replace(
                b"<< /Length", b"<< /Type /XObject /Subtype /Form /BBox [0 0 %s %s] "
                               b"/Matrix [1 0 0 1 %.2f %.2f] /Resources << %s >> >> /Length"
                % (_num(box_width), _num(box_height), dx, -dy, resources), 1)
            objects[content - 1] = stream(b"q /Fm1 Do Q", content)
            resources += b" /Fm1 %d 0 R" % form
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %s %s]%s /Contents %d 0 R "
                        b"/Resources << %s >> >> >>"
                        % (tree, _num(box_width), _num(box_height),
                           b" /Rotate %d" % page.rotate if page.rotate else b"",
                           content, resources)))
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % tree
    objects[tree - 1] = (b"<< /Type /Pages /Kids [%s] /Count %d >>"
                         % (b" ".join(b"%d 0 R" % k for k in kids), len(kids)))

    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root %d 0 R /ID [<%s> <%s>]%s >>\nstartxref\n%d\n%%%%EOF\n"
              % (len(objects) + 1, catalog, file_id.hex().encode(), file_id.hex().encode(),
                 encrypt_entry, xref))
    return out.getvalue()


def _num(value: float) -> bytes:
    return b"%d" % value if value == int(value) else b"%.2f" % value


# content drawn in the displayed frame (x right, y up from the displayed bottom) lands on a
# rotated page through this matrix: /Rotate turns the page clockwise when it is shown
_TURN = {90: "0 1 -1 0 {h} 0", 180: "-1 0 0 -1 {w} {h}", 270: "0 -1 1 0 0 {w}"}


def _content(page: Page) -> bytes:
    ops = [b"0.5 w"]
    if page.rotate:
        ops.append(_TURN[page.rotate].format(w=page.width, h=page.height).encode() + b" cm")
    height = page.height
    for mark in page.marks:
        if isinstance(mark, Picture):
            ops.append(b"q %.2f 0 0 %.2f %.2f %.2f cm /Im1 Do Q" % (
                mark.width, mark.height, mark.x, height - mark.top - mark.height))
        elif isinstance(mark, Rule):
            ops.append(b"%.2f %.2f m %.2f %.2f l S" % (mark.x0, height - mark.top0,
                                                      mark.x1, height - mark.top1))
        elif isinstance(mark, Rules):
            ops.append(b" ".join(b"%.2f %.2f m %.2f %.2f l" % (x0, height - t0, x1, height - t1)
                                 for x0, t0, x1, t1 in mark.pieces) + b" S")
        elif isinstance(mark, Bar):
            ops.append(b"%.2f g %.2f %.2f %.2f %.2f re f 0 g" % (
                mark.gray, mark.x, height - mark.top - mark.height, mark.width, mark.height))
        else:
            baseline = height - mark.top - 0.88 * mark.size
            hex_text = mark.text.encode("utf-16-be").hex().encode()
            if mark.angle:
                turn = math.radians(mark.angle)
                cos, sin = math.cos(turn), math.sin(turn)
                ops.append(b"BT %.2f g /F1 %.2f Tf %.4f %.4f %.4f %.4f %.2f %.2f Tm <%s> Tj ET 0 g"
                           % (mark.gray, mark.size, cos, sin, -sin, cos, mark.x, baseline,
                              hex_text))
            else:
                gray = b"%.2f g " % mark.gray if mark.gray else b""
                ops.append(b"BT %s/F1 %.2f Tf %.2f %.2f Td <%s> Tj ET%s"
                           % (gray, mark.size, mark.x, baseline, hex_text,
                              b" 0 g" if mark.gray else b""))
    return b"\n".join(ops)


def scanned_copy(data: bytes, pages: Sequence[int], dpi: float = 40.0) -> bytes:
    """A scan of some pages of a PDF (0-based): each page rendered to a grey image, and a new
    PDF holding only those images, as a scanner makes it."""
    import pypdfium2 as pdfium

    source = pdfium.PdfDocument(data)
    scan = pdfium.PdfDocument.new()
    try:
        for index in pages:
            page = source[index]
            width, height = page.get_size()
            bitmap = page.render(scale=dpi / 72, grayscale=True)
            image = pdfium.PdfImage.new(scan)
            image.set_bitmap(bitmap)
            image.set_matrix(pdfium.PdfMatrix().scale(width, height))
            copy = scan.new_page(width, height)
            copy.insert_obj(image)
            copy.gen_content()
        out = io.BytesIO()
        scan.save(out)
        return out.getvalue()
    finally:
        scan.close()
        source.close()


def ruled_table(left: float, top: float, widths: Sequence[float], cells: Sequence[Sequence[str]],
                row_height: float = 20.0, size: float = 9.0) -> list[Mark]:
    """A fully ruled table with one text per cell."""
    marks: list[Mark] = []
    right = left + sum(widths)
    bottom = top + row_height * len(cells)
    for r in range(len(cells) + 1):
        marks.append(Rule(left, top + r * row_height, right, top + r * row_height))
    x = left
    for width in (0.0, *widths):
        x += width
        marks.append(Rule(x, top, x, bottom))
    for r, row in enumerate(cells):
        x = left
        for width, text in zip(widths, row):
            if text:
                middle = top + r * row_height + (row_height - size) / 2
                marks.append(Text(x + 3, middle, text, size))
            x += width
    return marks


@dataclass(frozen=True)
class Span:
    """A cell of ``grid_table``: its text (lines separated by "\\n") at grid (row, col),
    spanning ``rows`` x ``cols``."""

    row: int
    col: int
    text: str
    rows: int = 1
    cols: int = 1


def grid_table(left: float, top: float, widths: Sequence[float], heights: Sequence[float],
               cells: Sequence[Span], size: float = 9.0, bars: bool = False) -> list[Mark]:
    """A ruled table with merged cells: each cell framed on its four sides (by 0.5 pt filled
    bars instead of lines when ``bars``), its text lines centred vertically."""
    marks: list[Mark] = []
    xs = [left]
    for width in widths:
        xs.append(xs[-1] + width)
    ys = [top]
    for height in heights:
        ys.append(ys[-1] + height)
    for cell in cells:
        x0, x1 = xs[cell.col], xs[cell.col + cell.cols]
        y0, y1 = ys[cell.row], ys[cell.row + cell.rows]
        if bars:
            marks += [Bar(x0, y0 - 0.25, x1 - x0, 0.5), Bar(x0, y1 - 0.25, x1 - x0, 0.5),
                      Bar(x0 - 0.25, y0, 0.5, y1 - y0), Bar(x1 - 0.25, y0, 0.5, y1 - y0)]
        else:
            marks += [Rule(x0, y0, x1, y0), Rule(x0, y1, x1, y1),
                      Rule(x0, y0, x0, y1), Rule(x1, y0, x1, y1)]
        lines = [line for line in cell.text.split("\n") if line]
        first = y0 + (y1 - y0 - len(lines) * (size + 2)) / 2 + 1
        for n, line in enumerate(lines):
            marks.append(Text(x0 + 3, first + n * (size + 2), line, size))
    return marks


def _padded(password: str) -> bytes:
    return (password.encode("latin-1") + _PAD)[:32]


def _object_key(key: bytes, objnum: int) -> bytes:
    return hashlib.md5(key + objnum.to_bytes(3, "little") + b"\0\0").digest()[: len(key) + 5]


def _rc4(key: bytes, data: bytes) -> bytes:
    state = list(range(256))
    j = 0
    for i in range(256):
        j = (j + state[i] + key[i % len(key)]) % 256
        state[i], state[j] = state[j], state[i]
    out = bytearray()
    i = j = 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + state[i]) % 256
        state[i], state[j] = state[j], state[i]
        out.append(byte ^ state[(state[i] + state[j]) % 256])
    return bytes(out)


# --------------------------------------------------------------------------- Word from the gold

TABLE_B_HEADER = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
TABLE_B_ROWS: tuple[tuple[str, Optional[str], str], ...] = (
    # (row id, group label, row label); row 1, 2, 4 span the label block
    ("1", None, "一、本年新收政府信息公开申请数量"),
    ("2", None, "二、上年结转政府信息公开申请数量"),
    ("3.1", None, "（一）予以公开"),
    ("3.2", None, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    ("3.3.1", "（三）不予公开", "1.属于国家秘密"),
    ("3.3.2", "（三）不予公开", "2.其他法律行政法规禁止公开"),
    ("3.3.3", "（三）不予公开", "3.危及“三安全一稳定”"),
    ("3.3.4", "（三）不予公开", "4.保护第三方合法权益"),
    ("3.3.5", "（三）不予公开", "5.属于三类内部事务信息"),
    ("3.3.6", "（三）不予公开", "6.属于四类过程性信息"),
    ("3.3.7", "（三）不予公开", "7.属于行政执法案卷"),
    ("3.3.8", "（三）不予公开", "8.属于行政查询事项"),
    ("3.4.1", "（四）无法提供", "1.本机关不掌握相关政府信息"),
    ("3.4.2", "（四）无法提供", "2.没有现成信息需要另行制作"),
    ("3.4.3", "（四）无法提供", "3.补正后申请内容仍不明确"),
    ("3.5.1", "（五）不予处理", "1.信访举报投诉类申请"),
    ("3.5.2", "（五）不予处理", "2.重复申请"),
    ("3.5.3", "（五）不予处理", "3.要求提供公开出版物"),
    ("3.5.4", "（五）不予处理", "4.无正当理由大量反复申请"),
    ("3.5.5", "（五）不予处理", "5.要求行政机关确认或重新出具已获取信息"),
    ("3.6.1", "（六）其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("3.6.2", "（六）其他处理", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("3.6.3", "（六）其他处理", "3.其他"),
    ("3.7", None, "（七）总计"),
    ("4", None, "四、结转下年度继续办理"),
)
PART_HEADINGS = ("一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                 "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况",
                 "六、其他需要报告的事项")


def make_docx(report: dict) -> bytes:
    """A Word report holding the gold's three tables, laid out as the national format prints
    them: Table B's label block is three columns wide, "三、本年度办理结果" spans rows 3.1–3.7,
    each （三）…（六） group label spans its rows, "法人或其他组织" spans five columns."""
    import docx

    document = docx.Document()
    document.add_paragraph(f"{report['agency']}{report['year']}年政府信息公开工作年度报告")
    document.add_paragraph(f"本报告所列数据统计期限自{report['year']}年1月1日至{report['year']}年12月31日。")
    document.add_paragraph(PART_HEADINGS[0])
    document.add_paragraph("本年度政府信息公开工作总体情况如下。")
    document.add_paragraph(PART_HEADINGS[1])
    _docx_table_a(document, report["active_disclosure"])
    document.add_paragraph(PART_HEADINGS[2])
    _docx_table_b(document, report["applications"])
    document.add_paragraph(PART_HEADINGS[3])
    _docx_table_c(document, report["reviews_and_litigation"])
    document.add_paragraph(PART_HEADINGS[4])
    document.add_paragraph("存在的主要问题是解读不够深入。改进措施是加强培训。")
    document.add_paragraph(PART_HEADINGS[5])
    document.add_paragraph("本年度未收取信息处理费。")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _docx_table_a(document, values: dict) -> None:
    table = document.add_table(rows=0, cols=4)

    def block(title: str, header: Sequence[str], data: Sequence[tuple[str, Sequence]]) -> None:
        row = table.add_row().cells
        row[0].merge(row[3]).text = title
        for cells in (("信息内容", *header), *((label, *vals) for label, vals in data)):
            row = table.add_row().cells
            if len(cells) == 2:
                row[1].merge(row[3])
            for c, text in enumerate(cells):
                row[c].text = str(text)

    regs, norms = values["regulations"], values["normative_documents"]
    block("第二十条第（一）项", ("本年制发件数", "本年废止件数", "现行有效件数"),
          (("规章", (regs["issued"], regs["repealed"], regs["in_force"])),
           ("行政规范性文件", (norms["issued"], norms["repealed"], norms["in_force"]))))
    block("第二十条第（五）项", ("本年处理决定数量",),
          (("行政许可", (values["administrative_licensing"],)),))
    block("第二十条第（六）项", ("本年处理决定数量",),
          (("行政处罚", (values["administrative_punishment"],)),
           ("行政强制", (values["administrative_enforcement"],))))
    block("第二十条第（八）项", ("本年收费金额（单位：万元）",),
          (("行政事业性收费", (values["administrative_fees_wan_yuan"],)),))


def _docx_table_b(document, values: dict) -> None:
    table = document.add_table(rows=3 + len(TABLE_B_ROWS), cols=10)
    grid = [row.cells for row in table.rows]
    grid[0][0].merge(grid[2][2]).text = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    grid[0][3].merge(grid[0][9]).text = "申请人情况"
    grid[1][3].merge(grid[2][3]).text = "自然人"
    grid[1][4].merge(grid[1][8]).text = "法人或其他组织"
    grid[1][9].merge(grid[2][9]).text = "总计"
    for c, name in enumerate(TABLE_B_HEADER[1:6], start=4):
        cell = grid[2][c]
        cell.text = name[:2]
        cell.add_paragraph(name[2:])  # header words printed over two lines
    first_result = next(i for i, row in enumerate(TABLE_B_ROWS) if row[0] == "3.1") + 3
    last_result = next(i for i, row in enumerate(TABLE_B_ROWS) if row[0] == "3.7") + 3
    grid[first_result][0].merge(grid[last_result][0]).text = "三、本年度办理结果"
    for i, (row_id, group, label) in enumerate(TABLE_B_ROWS):
        r = i + 3
        if group is None:
            start = 0 if not row_id.startswith("3.") else 1
            grid[r][start].merge(grid[r][2]).text = label
        else:
            grid[r][2].text = label
            if i == 0 or TABLE_B_ROWS[i - 1][1] != group:
                last = max(j for j, row in enumerate(TABLE_B_ROWS) if row[1] == group) + 3
                grid[r][1].merge(grid[last][1]).text = group
        for c, value in enumerate(values[row_id], start=3):
            grid[r][c].text = str(value)


def _docx_table_c(document, values: dict) -> None:
    table = document.add_table(rows=4, cols=15)
    grid = [row.cells for row in table.rows]
    grid[0][0].merge(grid[0][4]).text = "行政复议"
    grid[0][5].merge(grid[0][14]).text = "行政诉讼"
    grid[1][5].merge(grid[1][9]).text = "未经复议直接起诉"
    grid[1][10].merge(grid[1][14]).text = "复议后起诉"
    names = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
    for c, name in enumerate(names):
        grid[1][c].merge(grid[2][c]).text = name
        grid[2][5 + c].text = name
        grid[2][10 + c].text = name
    blocks = ("administrative_review", "litigation_direct", "litigation_after_review")
    keys = ("upheld", "corrected", "other", "pending", "total")
    for b, block in enumerate(blocks):
        for k, key in enumerate(keys):
            grid[3][5 * b + k].text = str(values[block][key])


# --------------------------------------------------------------------------- PDF reports from the gold


@dataclass(frozen=True)
class PdfLayout:
    """How ``make_report_pdf`` sets a report: the layouts real PDFs come in.

    ``rules``: "lines" (stroked rules), "bars" (0.5 pt filled bars, as Word draws borders),
    "vertical" (column rules and the table's top and bottom only), "horizontal" (row rules
    only), "none" (no rules: cell texts at their column positions), "spaces" (no rules: each
    table row one run of text, cells padded apart with spaces). ``turned_block``: Table B's
    block label turned a quarter, reading down its column. ``two_columns``: two paragraphs of
    part 1 set side by side. ``narrow_block``: Table B's block label
    column one character wide, "三、本年度办理结果" stacked one character a line.
    ``landscape``: tables set on landscape pages (/Rotate 90 when ``rotated``, else a wide
    MediaBox). ``running_header``/``footer``: the report title atop every page, "第 n 页 共 N
    页" at its foot. ``watermark``: slanted grey text across every page. ``thousands``: numbers
    written 3,001. ``repeat_header``: a table cut by a page break repeats its header rows.
    ``filler``: paragraphs of part 1, to push the tables down the pages."""

    rules: str = "lines"
    narrow_block: bool = False
    landscape: frozenset[str] = frozenset()
    rotated: bool = False
    running_header: bool = False
    footer: bool = False
    watermark: str = ""
    thousands: bool = False
    repeat_header: bool = False
    filler: int = 1
    two_columns: bool = False
    turned_block: bool = False


_MARGIN = 72.0
_BODY = 12.0
_CELL = 9.0


def text_width(text: str, size: float) -> float:
    """Width of a text in the generated PDFs' font: ASCII half an em, the rest a full em."""
    return sum(size / 2 if ord(ch) < 128 else size for ch in text)


def wrap(text: str, width: float, size: float) -> list[str]:
    lines, line = [], ""
    for ch in text:
        if line and text_width(line + ch, size) > width:
            lines.append(line)
            line = ""
        line += ch
    return [*lines, line] if line else lines


def _number(value, thousands: bool) -> str:
    if isinstance(value, float):
        text = f"{value:,.2f}" if thousands else f"{value:.2f}"
        return text.rstrip("0").rstrip(".") if "." in text else text
    return f"{value:,}" if thousands else str(value)


@dataclass
class _Grid:
    """A table to set: column widths and cells (Span) on a grid of rows; ``header`` rows repeat
    after a page break when the layout says so."""

    widths: list[float]
    cells: list[Span]
    rows: int
    header: int


def _table_a(values: dict, layout: PdfLayout, width: float) -> _Grid:
    n = lambda v: _number(v, layout.thousands)  # noqa: E731
    regs, norms = values["regulations"], values["normative_documents"]
    blocks = (("第二十条第（一）项", ("本年制发件数", "本年废止件数", "现行有效件数"),
               (("规章", (regs["issued"], regs["repealed"], regs["in_force"])),
                ("行政规范性文件", (norms["issued"], norms["repealed"], norms["in_force"])))),
              ("第二十条第（五）项", ("本年处理决定数量",),
               (("行政许可", (values["administrative_licensing"],)),)),
              ("第二十条第（六）项", ("本年处理决定数量",),
               (("行政处罚", (values["administrative_punishment"],)),
                ("行政强制", (values["administrative_enforcement"],)))),
              ("第二十条第（八）项", ("本年收费金额（单位：万元）",),
               (("行政事业性收费", (values["administrative_fees_wan_yuan"],)),)))
    cells: list[Span] = []
    row = 0
    for title, header, data in blocks:
        cells.append(Span(row, 0, title, cols=4))
        row += 1
        for label, vals in (("信息内容", header), *((label, tuple(map(n, vs))) for label, vs in data)):
            cells.append(Span(row, 0, label))
            if len(vals) == 1:
                cells.append(Span(row, 1, vals[0], cols=3))
            else:
                cells += [Span(row, 1 + c, v) for c, v in enumerate(vals)]
            row += 1
    first = width * 0.34
    return _Grid([first, *[(width - first) / 3] * 3], cells, row, 0)


def _table_b(values: dict, layout: PdfLayout, width: float) -> _Grid:
    block = 14.0 if layout.narrow_block else 44.0
    group = 58.0
    value = min(56.0, (width - block - group - 120) / 7)
    item = width - block - group - 7 * value
    note = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    cells = [Span(0, 0, note, rows=3, cols=3),
             Span(0, 3, "申请人情况", cols=7), Span(1, 3, "自然人", rows=2),
             Span(1, 4, "法人或其他组织", cols=5), Span(1, 9, "总计", rows=2)]
    cells += [Span(2, 4 + c, name) for c, name in enumerate(TABLE_B_HEADER[1:6])]
    first_result = next(i for i, row in enumerate(TABLE_B_ROWS) if row[0] == "3.1") + 3
    last_result = next(i for i, row in enumerate(TABLE_B_ROWS) if row[0] == "3.7") + 3
    cells.append(Span(first_result, 0, "三、本年度办理结果", rows=last_result - first_result + 1))
    for i, (row_id, group_label, label) in enumerate(TABLE_B_ROWS):
        r = i + 3
        if group_label is None:
            start = 1 if row_id.startswith("3.") else 0
            cells.append(Span(r, start, label, cols=3 - start))
        else:
            cells.append(Span(r, 2, label))
            if TABLE_B_ROWS[i - 1][1] != group_label:
                last = max(j for j, row in enumerate(TABLE_B_ROWS) if row[1] == group_label) + 3
                cells.append(Span(r, 1, group_label, rows=last - r + 1))
        cells += [Span(r, 3 + c, _number(v, layout.thousands))
                  for c, v in enumerate(values[row_id])]
    return _Grid([block, group, item, *[value] * 7], cells, 3 + len(TABLE_B_ROWS), 3)


def _table_c(values: dict, layout: PdfLayout, width: float) -> _Grid:
    cells = [Span(0, 0, "行政复议", cols=5), Span(0, 5, "行政诉讼", cols=10),
             Span(1, 5, "未经复议直接起诉", cols=5), Span(1, 10, "复议后起诉", cols=5)]
    names = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
    for c, name in enumerate(names):
        cells += [Span(1, c, name, rows=2), Span(2, 5 + c, name), Span(2, 10 + c, name)]
    blocks = ("administrative_review", "litigation_direct", "litigation_after_review")
    keys = ("upheld", "corrected", "other", "pending", "total")
    cells += [Span(3, 5 * b + k, _number(values[block][key], layout.thousands))
              for b, block in enumerate(blocks) for k, key in enumerate(keys)]
    return _Grid([width / 15] * 15, cells, 4, 3)


class _Sheets:
    """Pages being filled top to bottom."""

    def __init__(self, layout: PdfLayout):
        self.layout = layout
        self.pages: list[Page] = []
        self.marks: list[Mark] = []
        self.width, self.height = PAGE_WIDTH, PAGE_HEIGHT
        self.rotate = 0
        self.y = _MARGIN
        self.new_page()

    def new_page(self, landscape: Optional[bool] = None) -> None:
        if self.pages or self.marks:
            self.close_page()
        wide = landscape if landscape is not None else False
        self.width, self.height = (PAGE_HEIGHT, PAGE_WIDTH) if wide else (PAGE_WIDTH, PAGE_HEIGHT)
        self.rotate = 90 if wide and self.layout.rotated else 0
        self.marks = []
        self.y = _MARGIN

    def close_page(self) -> None:
        self.pages.append(Page(tuple(self.marks), self.width, self.height, self.rotate))
        self.marks = []

    @property
    def wide(self) -> bool:
        return self.width > self.height

    @property
    def text_width(self) -> float:
        return self.width - 2 * _MARGIN

    def room(self, needed: float) -> None:
        if self.y + needed > self.height - _MARGIN:
            self.new_page(self.wide)

    def paragraph(self, text: str, size: float = _BODY, indent: bool = True) -> None:
        lead = "\u3000\u3000" if indent else ""
        for line in wrap(lead + text, self.text_width, size):
            self.room(size * 1.6)
            self.marks.append(Text(_MARGIN, self.y, line.replace("\u3000", ""), size)
                              if not line.startswith("\u3000") else
                              Text(_MARGIN + 2 * size, self.y, line.lstrip("\u3000"), size))
            self.y += size * 1.6

    def two_column_paragraphs(self, texts: Sequence[str], size: float = _BODY) -> None:
        gutter = 2 * size
        column = (self.text_width - gutter) / 2
        lefts = wrap(texts[0], column, size)
        rights = wrap(texts[1], column, size)
        for n in range(max(len(lefts), len(rights))):
            self.room(size * 1.6)
            if n < len(lefts):
                self.marks.append(Text(_MARGIN, self.y, lefts[n], size))
            if n < len(rights):
                self.marks.append(Text(_MARGIN + column + gutter, self.y, rights[n], size))
            self.y += size * 1.6

    def table(self, grid: _Grid) -> None:
        scale = self.text_width / sum(grid.widths)
        widths = [w * scale for w in grid.widths]
        lefts = [_MARGIN]
        for w in widths:
            lefts.append(lefts[-1] + w)
        lines_of = {}
        for cell in grid.cells:
            room = lefts[cell.col + cell.cols] - lefts[cell.col] - 6
            lines_of[cell] = wrap(cell.text, room, _CELL)
        heights = [_CELL + 10] * grid.rows
        for cell in grid.cells:  # a row grows to hold its one-row cells
            if cell.rows == 1:
                heights[cell.row] = max(heights[cell.row], len(lines_of[cell]) * (_CELL + 2) + 8)
        for cell in grid.cells:  # a merged cell taller than its rows stretches the last
            need = len(lines_of[cell]) * (_CELL + 2) + 8
            have = sum(heights[cell.row:cell.row + cell.rows])
            if need > have:
                heights[cell.row + cell.rows - 1] += need - have
        row = self._rows(grid, lefts, heights, lines_of, 0, grid.rows, cut=True)
        while row < grid.rows:
            self.new_page(self.wide)
            if self.layout.repeat_header and grid.header:
                self._rows(grid, lefts, heights, lines_of, 0, grid.header, cut=False)
            row = self._rows(grid, lefts, heights, lines_of, row, grid.rows, cut=True)
        self.y += 12

    def _rows(self, grid: _Grid, lefts: list[float], heights: list[float], lines_of: dict,
              first: int, last: int, cut: bool) -> int:
        """Set rows first..last-1 from the cursor, stopping at the page foot; the next row."""
        tops = {}
        y = self.y
        end = first
        for r in range(first, last):
            if cut and y + heights[r] > self.height - _MARGIN and r > first:
                break
            tops[r] = y
            y += heights[r]
            end = r + 1
        tops[end] = y
        if self.layout.rules == "vertical":  # only the table's top and bottom run across
            self.marks += [Rule(lefts[0], tops[first], lefts[-1], tops[first]),
                           Rule(lefts[0], y, lefts[-1], y)]
        for cell in grid.cells:
            if not (first <= cell.row < end) and not (cell.row < first < cell.row + cell.rows):
                continue
            top_row = max(cell.row, first)
            bottom_row = min(cell.row + cell.rows, end)
            if bottom_row <= top_row:
                continue
            x0, x1 = lefts[cell.col], lefts[cell.col + cell.cols]
            y0, y1 = tops[top_row], tops[bottom_row]
            rules = self.layout.rules
            if rules == "lines":
                self.marks += [Rule(x0, y0, x1, y0), Rule(x0, y1, x1, y1),
                               Rule(x0, y0, x0, y1), Rule(x1, y0, x1, y1)]
            elif rules == "bars":
                self.marks += [Bar(x0, y0 - 0.25, x1 - x0, 0.5), Bar(x0, y1 - 0.25, x1 - x0, 0.5),
                               Bar(x0 - 0.25, y0, 0.5, y1 - y0), Bar(x1 - 0.25, y0, 0.5, y1 - y0)]
            elif rules == "vertical":
                self.marks += [Rule(x0, y0, x0, y1), Rule(x1, y0, x1, y1)]
            elif rules == "horizontal":
                self.marks += [Rule(x0, y0, x1, y0), Rule(x0, y1, x1, y1)]
            if cell.row < first:
                continue  # the rest of a merged cell cut by the page break: its text is above
            if self.layout.turned_block and cell.rows > 3 and cell.col == 0:
                # the block label turned a quarter clockwise, reading down its column
                run = text_width(cell.text, _CELL)
                self.marks.append(Text((x0 + x1) / 2 - 0.38 * _CELL,
                                       y0 + (y1 - y0 - run) / 2 - 0.88 * _CELL,
                                       cell.text, _CELL, angle=-90))
                continue
            lines = lines_of[cell]
            start = y0 + (y1 - y0 - len(lines) * (_CELL + 2)) / 2 + 1
            for n, line in enumerate(lines):
                self.marks.append(Text(x0 + 3, start + n * (_CELL + 2), line, _CELL))
        if self.layout.rules == "spaces":
            self._as_runs([m for m in self.marks if isinstance(m, Text) and self.y <= m.top < y])
        self.y = y
        return end

    def _as_runs(self, texts: list[Text]) -> None:
        """Cell texts on one baseline become one run padded with spaces, as a text dump or a
        form-feed report prints a table."""
        for text in texts:
            self.marks.remove(text)
        rows: dict[float, list[Text]] = {}
        for text in texts:
            rows.setdefault(round(text.top, 1), []).append(text)
        for top, row in rows.items():
            row.sort(key=lambda t: t.x)
            run = ""
            start = row[0].x
            for text in row:
                gap = text.x - (start + text_width(run, _CELL))
                run += " " * max(1 if run else 0, round(gap / (_CELL / 2))) + text.text
            self.marks.append(Text(start, top, run, _CELL))


def make_report_pdf(report: dict, layout: PdfLayout = PdfLayout()) -> bytes:
    """A PDF report holding the gold's three tables in the national format's shape, set as
    ``layout`` says."""
    sheets = _Sheets(layout)
    title = f"{report['agency']}{report['year']}年政府信息公开工作年度报告"
    sheets.marks.append(Text(_MARGIN + 40, sheets.y, title, 18))
    sheets.y += 40
    preface = (f"本报告由{report['agency']}办公室根据《中华人民共和国政府信息公开条例》编制。"
               f"本报告所列数据统计期限自{report['year']}年1月1日至{report['year']}年12月31日。")
    sheets.paragraph(preface)
    sheets.paragraph(PART_HEADINGS[0], 14, indent=False)
    work = ("本年度，我单位认真贯彻落实政府信息公开条例，坚持以公开为常态、不公开为例外，"
            "持续加强政府信息公开平台建设，规范依申请公开办理流程，及时回应社会关切。")
    if layout.two_columns:
        sheets.two_column_paragraphs(["（一）主动公开方面，" + work, "（二）依申请公开方面，" + work])
    for n in range(layout.filler):
        sheets.paragraph(f"（{'一二三四五六七八九十'[n % 10]}）" + work)
    for heading, key, build in ((PART_HEADINGS[1], "active_disclosure", _table_a),
                                (PART_HEADINGS[2], "applications", _table_b),
                                (PART_HEADINGS[3], "reviews_and_litigation", _table_c)):
        wide = key in layout.landscape
        if wide != sheets.wide:
            sheets.new_page(wide)
        sheets.room(80)
        sheets.paragraph(heading, 14, indent=False)
        sheets.table(build(report[key], layout, sheets.text_width))
    if sheets.wide:
        sheets.new_page(False)
    sheets.paragraph(PART_HEADINGS[4], 14, indent=False)
    sheets.paragraph("存在的主要问题是政策解读不够深入。改进措施是加强业务培训。")
    sheets.paragraph(PART_HEADINGS[5], 14, indent=False)
    sheets.paragraph("本年度未收取信息处理费。")
    sheets.close_page()
    return make_pdf(_furnished(sheets.pages, title, layout))


def _furnished(pages: list[Page], title: str, layout: PdfLayout) -> list[Page]:
    out = []
    for n, page in enumerate(pages, start=1):
        marks = list(page.marks)
        if layout.running_header:
            marks.append(Text(page.width / 2 - text_width(title, 9) / 2, 36, title, 9))
            marks.append(Rule(_MARGIN, 50, page.width - _MARGIN, 50))
        if layout.footer:
            folio = f"第 {n} 页 共 {len(pages)} 页"
            marks.append(Text(page.width / 2 - text_width(folio, 9) / 2, page.height - 40, folio, 9))
        if layout.watermark:
            marks.append(Text(page.width / 4, page.height * 0.6, layout.watermark, 60,
                              angle=35, gray=0.85))
        out.append(Page(tuple(marks), page.width, page.height, page.rotate))
    return out


# --------------------------------------------------------------------------- end to end


def gold_cells(report_gold: dict) -> dict[tuple[str, str, Optional[str]], object]:
    """Every gold cell as (table key, row key, column key); the column is None for a row of
    Table A that has a single value cell."""
    cells: dict[tuple[str, str, Optional[str]], object] = {}
    for row, value in report_gold["active_disclosure"].items():
        if isinstance(value, dict):
            cells.update({("active_disclosure", row, col): v for col, v in value.items()})
        else:
            cells[("active_disclosure", row, None)] = value
    for row, values in report_gold["applications"].items():
        cells.update({("applications", row, col): v
                      for col, v in zip(report_gold["columns"], values)})
    for block, values in (report_gold["reviews_and_litigation"] or {}).items():
        cells.update({("reviews_and_litigation", block, col): v for col, v in values.items()})
    return cells


def cell_mismatches(report, report_gold: dict) -> list[str]:
    """Gold cells the parsed Report does not hold, as readable lines (empty when all match)."""
    from decimal import Decimal

    wrong = []
    for (table_key, row, col), expected in gold_cells(report_gold).items():
        table = report.tables.get(table_key)
        cells = table.cells if table is not None else {}
        if col is None:
            found = [cell for (r, _), cell in cells.items() if r == row]
            cell = found[0] if len(found) == 1 else None
        else:
            cell = cells.get((row, col))
        got = cell.value if cell is not None else None
        if got is None or Decimal(str(got)) != Decimal(str(expected)):
            wrong.append(f"{table_key}.{row}.{col}: expected {expected}, got {got}")
    return wrong
