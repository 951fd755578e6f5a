"""Fixtures the reader tests (and bench/bench_readers.py) build at run time: the real corpus and
its gold, small PDFs written from scratch (text in a non-embedded Chinese font, ruling lines,
optional RC4 encryption), and Word files built from the gold tables with merged cells."""
from __future__ import annotations

import hashlib
import io
import json
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional, Sequence, Union

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
    """Text drawn with its top-left corner at (x, top), in points from the page's top left."""

    x: float
    top: float
    text: str
    size: float = 10.0


@dataclass(frozen=True)
class Rule:
    """A ruling line from (x0, top0) to (x1, top1)."""

    x0: float
    top0: float
    x1: float
    top1: float


@dataclass(frozen=True)
class Picture:
    """A grey image placed with its top-left corner at (x, top) — a scanned page, say."""

    x: float
    top: float
    width: float
    height: float


Mark = Union[Text, Rule, Picture]
PAGE_WIDTH, PAGE_HEIGHT = 595.0, 842.0
_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def make_pdf(pages: Sequence[Sequence[Mark]], *, user_password: Optional[str] = None,
             owner_password: str = "owner", unicode_font: bool = True) -> bytes:
    """A PDF with one page per mark list. Text uses STSong-Light (not embedded, Adobe-GB1,
    UniGB-UCS2-H), which every PDF reader maps to Unicode without a ToUnicode table.
    ``user_password`` set (even to "") encrypts the file with the standard 40-bit RC4 handler;
    "" is the common "permissions only" case anyone can open. ``unicode_font=False`` uses an
    Identity-H font without a ToUnicode map instead: glyphs no reader can turn into text."""
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
    objects[font - 1] = (b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light "
                         b"/Encoding %s /DescendantFonts [%d 0 R] >>" % (encoding, descendant))
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
    for marks in pages:
        content = add(b"")
        objects[content - 1] = stream(_content(marks), content)
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %d %d] /Contents %d 0 R "
                        b"/Resources << /Font << /F1 %d 0 R >> /XObject << /Im1 %d 0 R >> >> >>"
                        % (tree, PAGE_WIDTH, PAGE_HEIGHT, content, font, picture)))
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


def _content(marks: Iterable[Mark]) -> bytes:
    ops = [b"0.5 w"]
    for mark in marks:
        if isinstance(mark, Picture):
            ops.append(b"q %.2f 0 0 %.2f %.2f %.2f cm /Im1 Do Q" % (
                mark.width, mark.height, mark.x, PAGE_HEIGHT - mark.top - mark.height))
        elif isinstance(mark, Rule):
            ops.append(b"%.2f %.2f m %.2f %.2f l S" % (mark.x0, PAGE_HEIGHT - mark.top0,
                                                      mark.x1, PAGE_HEIGHT - mark.top1))
        else:
            baseline = PAGE_HEIGHT - mark.top - 0.88 * mark.size
            hex_text = mark.text.encode("utf-16-be").hex().encode()
            ops.append(b"BT /F1 %.2f Tf %.2f %.2f Td <%s> Tj ET"
                       % (mark.size, mark.x, baseline, hex_text))
    return b"\n".join(ops)


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
    for block, values in report_gold["reviews_and_litigation"].items():
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
