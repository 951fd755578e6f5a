"""A variant corpus: the gold tables (whose every number is known) rendered in the layouts real
publishers produce, so the parser can be held to the gold on layouts the seeds do not have.

A report is built in three steps, each with its own knobs:

1. ``Truth``: what the report says — agency, year, date, the three tables from a gold file, plus
   optional changes (cells printed as marks, a row that lost a value, Table B left out).
2. ``Layout``: how it is laid out — the shape of each table (a ``Grid`` of cells with spans),
   the wording of labels, headings, title and signature.
3. a writer: plain text (tabs, markdown pipes, one cell per line, space-aligned runs), HTML
   (plain, Word-exported, <th>, layout tables, GBK, a CMS page with navigation) or Word.

``expected(truth)`` gives every cell as the parser must read it; ``mismatches(report, truth)``
lists the differences. Nothing here is known to the parser: the layouts are made from the
national format as printed, never from the parser's code.
"""
from __future__ import annotations

import html as html_escape
import io
import json
import re
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Callable, Mapping, Optional, Sequence

FIXTURES = Path(__file__).resolve().parent / "fixtures"
GOLD_FILES = sorted((FIXTURES / "gold").glob("*.json")) + sorted((FIXTURES / "corpus" / "gold").glob("*.json"))

B_COLUMNS = ("natural_person", "commercial_enterprise", "research_institution", "social_welfare_org",
             "legal_service_org", "other_org", "total")
C_BLOCKS = ("administrative_review", "litigation_direct", "litigation_after_review")
C_COLUMNS = ("upheld", "corrected", "other", "pending", "total")
A_ROWS = (  # (row key, column keys, block)
    ("regulations", ("issued", "repealed", "in_force"), 1),
    ("normative_documents", ("issued", "repealed", "in_force"), 1),
    ("administrative_licensing", ("decisions",), 5),
    ("administrative_punishment", ("decisions",), 6),
    ("administrative_enforcement", ("decisions",), 6),
    ("administrative_fees_wan_yuan", ("amount",), 8),
)
A_LABELS = {"regulations": "规章", "normative_documents": "行政规范性文件",
            "administrative_licensing": "行政许可", "administrative_punishment": "行政处罚",
            "administrative_enforcement": "行政强制", "administrative_fees_wan_yuan": "行政事业性收费"}
A_BLOCKS = {1: ("第二十条第（一）项", ("本年制发件数", "本年废止件数", "现行有效件数")),
            5: ("第二十条第（五）项", ("本年处理决定数量",)),
            6: ("第二十条第（六）项", ("本年处理决定数量",)),
            8: ("第二十条第（八）项", ("本年收费金额（单位：万元）",))}

# Table B rows: (id, group id or None, the national label without its enumerator, enumerator)
B_ROWS: tuple[tuple[str, Optional[str], str, str], ...] = (
    ("1", None, "本年新收政府信息公开申请数量", "一、"),
    ("2", None, "上年结转政府信息公开申请数量", "二、"),
    ("3.1", "3", "予以公开", "（一）"),
    ("3.2", "3", "部分公开（区分处理的，只计这一情形，不计其他情形）", "（二）"),
    ("3.3.1", "3.3", "属于国家秘密", "1"),
    ("3.3.2", "3.3", "其他法律行政法规禁止公开", "2"),
    ("3.3.3", "3.3", "危及“三安全一稳定”", "3"),
    ("3.3.4", "3.3", "保护第三方合法权益", "4"),
    ("3.3.5", "3.3", "属于三类内部事务信息", "5"),
    ("3.3.6", "3.3", "属于四类过程性信息", "6"),
    ("3.3.7", "3.3", "属于行政执法案卷", "7"),
    ("3.3.8", "3.3", "属于行政查询事项", "8"),
    ("3.4.1", "3.4", "本机关不掌握相关政府信息", "1"),
    ("3.4.2", "3.4", "没有现成信息需要另行制作", "2"),
    ("3.4.3", "3.4", "补正后申请内容仍不明确", "3"),
    ("3.5.1", "3.5", "信访举报投诉类申请", "1"),
    ("3.5.2", "3.5", "重复申请", "2"),
    ("3.5.3", "3.5", "要求提供公开出版物", "3"),
    ("3.5.4", "3.5", "无正当理由大量反复申请", "4"),
    ("3.5.5", "3.5", "要求行政机关确认或重新出具已获取信息", "5"),
    ("3.6.1", "3.6", "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "1"),
    ("3.6.2", "3.6", "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "2"),
    ("3.6.3", "3.6", "其他", "3"),
    ("3.7", "3", "总计", "（七）"),
    ("4", None, "结转下年度继续办理", "四、"),
)
B_GROUPS = {"3": "三、本年度办理结果", "3.3": "（三）不予公开", "3.4": "（四）无法提供",
            "3.5": "（五）不予处理", "3.6": "（六）其他处理"}
B_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
C_NAMES = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")

PART_HEADINGS = ("总体情况", "主动公开政府信息情况", "收到和处理政府信息公开申请情况",
                 "政府信息公开行政复议、行政诉讼情况", "存在的主要问题及改进情况", "其他需要报告的事项")
ORDINALS = "一二三四五六"
HAN_DIGITS = "〇一二三四五六七八九"


# =========================================================================== what the report says


@dataclass(frozen=True)
class Truth:
    """The content of a report. ``a``: (row, column) → value; ``b``: row → 7 values or None
    (Table B left out); ``c``: block → 5 values or None (Table C left out). A value is a number
    or None (the cell is printed blank). ``marks``: cells printed as a mark ("/", "—", "无") —
    never read as a number. ``lost``: Table B rows printed with one value fewer than columns."""

    name: str
    agency: str
    year: int
    published: date
    a: Mapping[tuple[str, str], object]
    b: Optional[Mapping[str, tuple]]
    c: Optional[Mapping[str, tuple]]
    marks: Mapping[tuple[str, str, str], str] = field(default_factory=dict)
    lost: frozenset[str] = frozenset()


def load_truths() -> list[Truth]:
    truths = []
    for path in GOLD_FILES:
        gold = json.loads(path.read_text(encoding="utf-8"))
        a: dict[tuple[str, str], object] = {}
        for row, columns, _ in A_ROWS:
            value = gold["active_disclosure"][row]
            if isinstance(value, dict):
                a.update({(row, col): value[col] for col in columns})
            else:
                a[(row, columns[0])] = value
        b = {row: tuple(values) for row, values in gold["applications"].items()}
        review = gold["reviews_and_litigation"]
        c = {block: tuple(review[block][k] for k in C_COLUMNS) for block in C_BLOCKS} if review else None
        year = gold["year"]
        published = date.fromisoformat(gold["published"]) if gold.get("published") else date(year + 1, 1, 10)
        truths.append(Truth(name=path.stem, agency=gold["agency"] or "某某县人民政府", year=year,
                            published=published, a=a, b=b, c=c))
    return truths


def expected(truth: Truth, keeps_blanks: bool = True
             ) -> dict[tuple[str, str, str], tuple[Optional[object], Optional[str]]]:
    """Every cell: (value or None, the kind it must have or None when any non-number will do).
    ``keeps_blanks``: the writer keeps an empty cell (a grid: HTML, Word, markdown). In plain
    text an empty field leaves no trace, so a row with a blank cell has a value too few: the
    row is lost, not shifted (and Table C, read in order, is lost whole)."""
    cells: dict[tuple[str, str, str], tuple[Optional[object], Optional[str]]] = {}
    for (row, col), value in truth.a.items():
        cells[("active_disclosure", row, col)] = (value, None)
    if truth.b is not None:
        for row, values in truth.b.items():
            for col, value in zip(B_COLUMNS, values):
                cells[("applications", row, col)] = (None, "lost") if row in truth.lost else (value, None)
    if truth.c is not None:
        for block, values in truth.c.items():
            for col, value in zip(C_COLUMNS, values):
                cells[("reviews_and_litigation", block, col)] = (value, None)
    for key, mark in truth.marks.items():
        if key in cells and cells[key][1] != "lost":
            cells[key] = (None, "blank" if mark == "" else "not_applicable")
    if not keeps_blanks:
        for table, row, _ in [key for key, mark in truth.marks.items() if mark == "" and key in cells]:
            siblings = [k for k in cells if k[0] == table and (k[1] == row or table == "reviews_and_litigation")]
            if len(siblings) > 1:
                for key in siblings:
                    cells[key] = (None, "lost")
    return cells


def mismatches(report, truth: Truth, keeps_blanks: bool = True, strict_kinds: bool = True) -> list[str]:
    """What the parsed report got wrong: cells, tables present or absent."""
    wrong: list[str] = []
    for key in ("applications", "reviews_and_litigation"):
        present = (truth.b if key == "applications" else truth.c) is not None
        if (report.tables.get(key) is not None) != present:
            wrong.append(f"{key}: expected {'a table' if present else 'no table'}, "
                         f"got {'a table' if report.tables.get(key) is not None else 'none'}")
    for (table_key, row, col), (value, kind) in expected(truth, keeps_blanks).items():
        table = report.tables.get(table_key)
        cell = table.cell(row, col) if table is not None else None
        if cell is None:
            wrong.append(f"{table_key}.{row}.{col}: expected {value}, got no cell")
            continue
        if value is None:
            if cell.value is not None or (strict_kinds and kind and cell.kind != kind):
                wrong.append(f"{table_key}.{row}.{col}: expected {kind or 'no number'}, "
                             f"got {cell.kind} {cell.raw!r}")
        elif cell.value is None or Decimal(str(cell.value)) != Decimal(str(value)):
            wrong.append(f"{table_key}.{row}.{col}: expected {value}, got {cell.kind} {cell.raw!r}")
    return wrong


def with_marks(truth: Truth, marks: Mapping[tuple[str, str, str], str]) -> Truth:
    return replace(truth, name=truth.name + "+marks", marks=dict(marks))


def without_table_b(truth: Truth) -> Truth:
    return replace(truth, name=truth.name + "-B", b=None)


def with_lost(truth: Truth, rows: Sequence[str]) -> Truth:
    assert truth.b is not None
    return replace(truth, name=truth.name + "+lost", lost=frozenset(rows))


# =========================================================================== table grids


@dataclass(frozen=True)
class Cell:
    row: int
    col: int
    text: str  # lines of a cell printed over several lines are separated by "\n"
    rows: int = 1
    cols: int = 1
    head: bool = False


@dataclass(frozen=True)
class Grid:
    """One printed table: cells on a grid of ``height`` rows by ``width`` columns; the first
    ``header`` rows are its header."""

    width: int
    height: int
    cells: tuple[Cell, ...]
    header: int = 0
    # how a text converter lines a row up: the line of a wrapped cell the row's other cells sit
    # on ("first", "middle", "last"), and the row of its span a merged cell's text sits in
    anchor: str = "first"
    merged_at: str = "top"
    # lines a text dump of a paged document prints before a grid row (page number, running title)
    breaks: Mapping[int, tuple[str, ...]] = field(default_factory=dict)

    def matrix(self) -> list[list[Optional[tuple[Cell, bool]]]]:
        """Per grid position: (the cell covering it, whether it is the cell's top-left)."""
        out: list[list[Optional[tuple[Cell, bool]]]] = [[None] * self.width for _ in range(self.height)]
        for cell in self.cells:
            for r in range(cell.row, cell.row + cell.rows):
                for c in range(cell.col, cell.col + cell.cols):
                    out[r][c] = (cell, (r, c) == (cell.row, cell.col))
        return out

    def slots(self) -> list[list[tuple[int, Cell, bool]]]:
        """Per grid row, the positions some cell covers, left to right: (column, the cell,
        whether it is the cell's top-left). A row that lost a cell is shorter."""
        return [[(c, *slot) for c, slot in enumerate(row) if slot is not None] for row in self.matrix()]


class _Builder:
    def __init__(self, width: int):
        self.width = width
        self.cells: list[Cell] = []
        self.row = 0
        self.header = 0

    def add(self, col: int, text: str, rows: int = 1, cols: int = 1, head: bool = False,
            row: Optional[int] = None) -> None:
        self.cells.append(Cell(self.row if row is None else row, col, text, rows, cols, head))

    def next(self) -> None:
        self.row += 1

    def grid(self) -> Grid:
        return Grid(self.width, self.row, tuple(self.cells), self.header)


# --------------------------------------------------------------------------- how values print


@dataclass(frozen=True)
class Numbers:
    """How numbers are printed: ``thousands`` 1,234; ``wide`` full-width digits １２; ``unit``
    a unit after counts ("0件") and money ("461万元")."""

    thousands: bool = False
    wide: bool = False
    unit: bool = False

    def print(self, value: object, money: bool = False) -> str:
        if value is None:
            return ""
        if isinstance(value, float) or (isinstance(value, Decimal) and value != int(value)):
            text = f"{Decimal(str(value)):,}" if self.thousands else str(Decimal(str(value)))
        else:
            text = f"{int(value):,}" if self.thousands else str(int(value))
        if self.wide:
            text = text.translate(str.maketrans("0123456789,.", "０１２３４５６７８９，．"))
        if self.unit:
            text += "万元" if money else "件"
        return text


def _value(truth: Truth, table: str, row: str, col: str, value: object, numbers: Numbers) -> str:
    mark = truth.marks.get((table, row, col))
    if mark is not None:
        return mark
    return numbers.print(value, money=col == "amount")


# --------------------------------------------------------------------------- Table A


@dataclass(frozen=True)
class AShape:
    """``blocks``: "rows" (each 第二十条 label a row of its own spanning the table, as the
    national format prints it), "column" (the label in a first column spanning its block's
    rows). ``spans``: single values span the three value columns (True) or sit in the first,
    the other two left blank (False). ``header``: every block has its "信息内容" header row
    (True) or only the first (False)."""

    blocks: str = "rows"
    spans: bool = True
    header: bool = True


def table_a(truth: Truth, shape: AShape, numbers: Numbers) -> Grid:
    lead = 1 if shape.blocks == "column" else 0
    out = _Builder(4 + lead)
    first = True
    for block, (title, heads) in A_BLOCKS.items():
        rows = [(row, cols) for row, cols, b in A_ROWS if b == block]
        if shape.blocks == "rows":
            out.add(0, title, cols=4, head=True)
            out.next()
        else:
            out.add(0, title, rows=len(rows) + (1 if shape.header or first else 0))
        if shape.header or first:
            out.add(lead, "信息内容", head=True)
            if len(heads) == 1 and shape.spans:
                out.add(lead + 1, heads[0], cols=3, head=True)
            else:
                for n, head in enumerate(heads):
                    out.add(lead + 1 + n, head, head=True)
                for n in range(len(heads), 3):
                    out.add(lead + 1 + n, "", head=True)
            out.next()
        first = False
        for row, cols in rows:
            out.add(lead, A_LABELS[row])
            values = [_value(truth, "active_disclosure", row, col, truth.a[(row, col)], numbers) for col in cols]
            if len(values) == 1 and shape.spans:
                out.add(lead + 1, values[0], cols=3)
            else:
                for n in range(3):
                    out.add(lead + 1 + n, values[n] if n < len(values) else "")
            out.next()
    return out.grid()


# --------------------------------------------------------------------------- Table B


@dataclass(frozen=True)
class BShape:
    """``groups``: the group labels "三、本年度办理结果" / "（三）不予公开" … "span" their rows
    (merged cells), are "repeat"ed on every row (a converter expanded the merge) or are
    "first" on the first row only with the cells below left empty (no merge at all).
    ``enumerate``: the leaf rows' numbering "1." (national), "1、", "（1）", "1" or "" (none).
    ``quotes``: 危及“三安全一稳定” keeps its quotes. ``short``: the 2021 header variants
    社会组织 and 法律服务. ``wrap``: the row label column is this many characters wide (0: wide
    enough for every label), the columns spanned by rows 一、二、四 and （一）（二）（七） wider;
    a longer label wraps over several lines. ``anchor``: on which line of a wrapped label a
    text converter prints the row's values ("first", "middle", "last"). ``group_at``: where the
    text of a merged group label sits in its span ("top", "middle"), as a PDF centres it.
    ``header``: 3 header rows (national: 申请人情况 / 自然人 法人或其他组织 总计 / 商业企业 …) or 2
    (申请人情况 dropped). ``break_at``: the table is cut by a page break before this row id,
    its header rows printed again."""

    groups: str = "span"  # also "none" (no group labels) and "rows" (each a value-less row)
    enumerate: str = "1."
    quotes: bool = True
    short: bool = False
    wrap: int = 0
    anchor: str = "first"
    group_at: str = "top"
    header: int = 3
    break_at: Optional[str] = None
    furniture: bool = False  # the page break prints a page number and the running title


def _wrapped(text: str, width: int) -> str:
    if width <= 0 or len(text) <= width:
        return text
    return "\n".join(text[i:i + width] for i in range(0, len(text), width))


def _b_label(row: str, label: str, enumerator: str, shape: BShape, columns: int) -> str:
    if not shape.quotes:
        label = label.replace("“", "").replace("”", "")
    if enumerator.isdigit():
        style = shape.enumerate
        enumerator = {"1.": f"{enumerator}.", "1、": f"{enumerator}、", "（1）": f"（{enumerator}）",
                      "1": enumerator, "": ""}[style]
    width = shape.wrap + {1: 0, 2: 4, 3: 8}[columns] if shape.wrap else 0
    return _wrapped(enumerator + label, width)


def _b_header(out: _Builder, shape: BShape) -> None:
    names = ["自然人", "商业企业", "科研机构", "社会组织" if shape.short else "社会公益组织",
             "法律服务" if shape.short else "法律服务机构", "其他", "总计"]
    top = out.row
    rows = shape.header
    out.add(0, B_NOTE, rows=rows, cols=3, head=True)
    if rows == 3:
        out.add(3, "申请人情况", cols=7, head=True)
        out.next()
    out.add(3, names[0], rows=2, head=True)
    out.add(4, "法人或其他组织", cols=5, head=True)
    out.add(9, names[6], rows=2, head=True)
    out.next()
    for n, name in enumerate(names[1:6]):
        out.add(4 + n, name, head=True)
    out.next()
    assert out.row - top == rows


def table_b(truth: Truth, shape: BShape, numbers: Numbers) -> Grid:
    assert truth.b is not None
    out = _Builder(10)
    _b_header(out, shape)
    out.header = out.row
    grid_row: dict[str, int] = {}
    breaks: dict[int, tuple[str, ...]] = {}
    seen_groups: set[str] = set()
    for row, group, label, enumerator in B_ROWS:
        if shape.break_at == row:
            if shape.furniture:
                breaks[out.row] = ("- 3 -", f"{truth.agency}{truth.year}年政府信息公开工作年度报告")
            _b_header(out, shape)
        if shape.groups == "rows":
            for g in (group if group and group.startswith("3") else None, group if group != "3" else None):
                if g and g not in seen_groups:
                    seen_groups.add(g)
                    out.add(0, B_GROUPS[g], cols=10)
                    out.next()
        grid_row[row] = out.row
        if group is None:
            out.add(0, _b_label(row, label, enumerator, shape, 3), cols=3)
        elif group == "3":
            out.add(1, _b_label(row, label, enumerator, shape, 2), cols=2)
        else:
            out.add(2, _b_label(row, label, enumerator, shape, 1))
        values = [_value(truth, "applications", row, col, v, numbers) for col, v in zip(B_COLUMNS, truth.b[row])]
        if row in truth.lost:
            values = values[:-1]
        for c, value in enumerate(values):
            out.add(3 + c, value)
        out.next()
    # the group labels, per run of consecutive grid rows (a page break cuts a run in two)
    members: dict[tuple[str, int], list[str]] = {}
    for row, group, _, _ in B_ROWS:
        if group is None:
            continue
        members.setdefault(("3", 0), []).append(row)
        if group != "3":
            members.setdefault((group, 1), []).append(row)
    for (group, col), rows in members.items():
        if shape.groups in ("none", "rows"):
            for r in (grid_row[row] for row in rows):
                out.add(col, "", row=r)
            continue
        runs: list[list[int]] = []
        for r in (grid_row[row] for row in rows):
            if runs and r == runs[-1][-1] + 1:
                runs[-1].append(r)
            else:
                runs.append([r])
        for run in runs:
            if shape.groups == "span":
                out.add(col, B_GROUPS[group], rows=len(run), row=run[0])
            else:
                for n, r in enumerate(run):
                    out.add(col, B_GROUPS[group] if shape.groups == "repeat" or n == 0 else "", row=r)
    return replace(out.grid(), anchor=shape.anchor, merged_at=shape.group_at, breaks=breaks)


# --------------------------------------------------------------------------- Table C


def table_c(truth: Truth, shape: str, numbers: Numbers) -> list[Grid]:
    """``shape``: "national" (行政复议 | 行政诉讼 over three header rows, then 15 values),
    "two_rows" (the block names and the column names in two header rows), "three_tables"
    (one small table per block), "transposed" (the blocks as rows of 5 values)."""
    assert truth.c is not None
    values = {b: [_value(truth, "reviews_and_litigation", b, col, v, numbers)
                  for col, v in zip(C_COLUMNS, truth.c[b])] for b in C_BLOCKS}
    if shape == "national":
        out = _Builder(15)
        out.add(0, "行政复议", cols=5, head=True)
        out.add(5, "行政诉讼", cols=10, head=True)
        out.next()
        for n, name in enumerate(C_NAMES):
            out.add(n, name, rows=2, head=True)
        out.add(5, "未经复议直接起诉", cols=5, head=True)
        out.add(10, "复议后起诉", cols=5, head=True)
        out.next()
        for n, name in enumerate(C_NAMES * 2):
            out.add(5 + n, name, head=True)
        out.next()
        out.header = 3
        for n, v in enumerate(values[b] for b in C_BLOCKS):
            for k, text in enumerate(v):
                out.add(5 * n + k, text)
        out.next()
        return [out.grid()]
    if shape == "two_rows":
        out = _Builder(15)
        for n, name in enumerate(("行政复议", "行政诉讼（未经复议直接起诉）", "行政诉讼（复议后起诉）")):
            out.add(5 * n, name, cols=5, head=True)
        out.next()
        for n, name in enumerate(C_NAMES * 3):
            out.add(n, name, head=True)
        out.next()
        out.header = 2
        for n, b in enumerate(C_BLOCKS):
            for k, text in enumerate(values[b]):
                out.add(5 * n + k, text)
        out.next()
        return [out.grid()]
    if shape == "three_tables":
        grids = []
        for name, b in zip(("行政复议", "行政诉讼：未经复议直接起诉", "行政诉讼：复议后起诉"), C_BLOCKS):
            out = _Builder(5)
            out.add(0, name, cols=5, head=True)
            out.next()
            for n, col in enumerate(C_NAMES):
                out.add(n, col, head=True)
            out.next()
            out.header = 2
            for n, text in enumerate(values[b]):
                out.add(n, text)
            out.next()
            grids.append(out.grid())
        return grids
    if shape in ("transposed", "transposed_reordered"):
        out = _Builder(7)
        out.add(0, "类别", cols=2, head=True)
        for n, name in enumerate(C_NAMES):
            out.add(2 + n, name, head=True)
        out.next()
        out.header = 1

        def review() -> None:
            out.add(0, "行政复议", cols=2)
            for n, text in enumerate(values["administrative_review"]):
                out.add(2 + n, text)
            out.next()

        if shape == "transposed":
            review()
        out.add(0, "行政诉讼", rows=2)
        litigation = (("未经复议直接起诉", "litigation_direct"), ("复议后起诉", "litigation_after_review"))
        for name, b in (litigation if shape == "transposed" else litigation[::-1]):
            out.add(1, name)
            for n, text in enumerate(values[b]):
                out.add(2 + n, text)
            out.next()
        if shape != "transposed":
            review()
        return [out.grid()]
    raise ValueError(shape)


# =========================================================================== the report


@dataclass(frozen=True)
class Layout:
    """Everything about how a report is laid out, apart from the writer.

    ``title``: "one" (agency and year on one line), "two" (the agency on a line above), "year_first"
    (2024年某某局…), "no_agency" (the title names no agency; the signature does).
    ``heading``: how part headings are written: "plain" 一、总体情况, "spaced" 一、 总体情况,
    "dot" 一．总体情况, "part" 第一部分 总体情况, "part_tight" 第一部分总体情况, "bold" (markdown
    or <strong>), "marked" (markdown ## or <h2>). ``part4``: the part 四 wording ("national" or
    "long", 因政府信息公开工作被申请行政复议、提起行政诉讼情况). ``date``: the signature date
    "han" 2025年1月10日, "spaced" 2025 年 1 月 10 日, "iso" 2025-01-10, "dots" 2025.1.10,
    "chinese" 二〇二五年一月十日; ``signature``: "lines" (agency, then date), "one" (both on one
    line), "none" (no signature block)."""

    a: AShape = AShape()
    b: BShape = BShape()
    c: str = "national"
    numbers: Numbers = Numbers()
    title: str = "one"
    heading: str = "plain"
    part4: str = "national"
    date: str = "han"
    signature: str = "lines"
    # short labels (header cells, ≤ 6 characters) printed letter-spaced, as justified PDF text
    # extracts: "结 果 维 持", "总 计"
    spaced: bool = False
    # Table B cut by its page break into two tables (HTML, Word), the second repeating the header
    split: bool = False
    note: str = ""  # what the layout shows, for test ids


def heading_text(part: int, layout: Layout) -> str:
    wording = PART_HEADINGS[part - 1]
    if part == 4 and layout.part4 == "long":
        wording = "因政府信息公开工作被申请行政复议、提起行政诉讼情况"
    ordinal = ORDINALS[part - 1]
    return {"plain": f"{ordinal}、{wording}", "spaced": f"{ordinal}、 {wording}",
            "dot": f"{ordinal}．{wording}", "part": f"第{ordinal}部分 {wording}",
            "part_tight": f"第{ordinal}部分{wording}", "bold": f"{ordinal}、{wording}",
            "marked": f"{ordinal}、{wording}", "colon": f"{ordinal}、{wording}：",
            "wrap": _wrapped(f"{ordinal}、{wording}", 15)}[layout.heading]


def _chinese_number(n: int) -> str:
    if n < 10:
        return HAN_DIGITS[n]
    tens, units = divmod(n, 10)
    return ("" if tens == 1 else HAN_DIGITS[tens]) + "十" + (HAN_DIGITS[units] if units else "")


def date_text(day: date, style: str) -> str:
    if style == "han":
        return f"{day.year}年{day.month}月{day.day}日"
    if style == "spaced":
        return f"{day.year} 年 {day.month} 月 {day.day} 日"
    if style == "iso":
        return day.isoformat()
    if style == "dots":
        return f"{day.year}.{day.month}.{day.day}"
    if style == "chinese":
        year = "".join(HAN_DIGITS[int(d)] for d in str(day.year))
        return f"{year}年{_chinese_number(day.month)}月{_chinese_number(day.day)}日"
    raise ValueError(style)


# A report is a list of blocks the writers know how to print.
@dataclass(frozen=True)
class Title:
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Heading:
    part: int
    text: str


@dataclass(frozen=True)
class Para:
    text: str
    sub: bool = False  # a sub-heading such as （一）主动公开 (bold in HTML, Word)


@dataclass(frozen=True)
class TableBlock:
    grid: Grid


@dataclass(frozen=True)
class Signature:
    lines: tuple[str, ...]


@dataclass(frozen=True)
class PageDate:
    """The day the page around the report says it was published (a web page's 发布时间 line):
    only writers that put the report in a site's page print it."""

    day: date


Block = object


def _spaced(grid: Grid) -> Grid:
    def spread(cell: Cell) -> Cell:
        text = cell.text
        if text and len(text) <= 6 and "\n" not in text and not any(ch.isdigit() for ch in text):
            return replace(cell, text=" ".join(text))
        return cell
    return replace(grid, cells=tuple(spread(c) for c in grid.cells))


def _split(grid: Grid) -> list[Grid]:
    """The grid cut into two tables where its header is printed again (a page break)."""
    starts = sorted({c.row for c in grid.cells if c.head and c.row >= grid.header})
    if not starts:
        return [grid]
    cut = starts[0]
    first = tuple(replace(c, rows=min(c.rows, cut - c.row)) for c in grid.cells if c.row < cut)
    second = tuple(replace(c, row=c.row - cut) for c in grid.cells if c.row >= cut)
    return [replace(grid, height=cut, cells=first, breaks={}),
            replace(grid, height=grid.height - cut, cells=second,
                    breaks={r - cut: v for r, v in grid.breaks.items() if r >= cut})]


def report_blocks(truth: Truth, layout: Layout) -> list[Block]:
    y = truth.year
    agency = truth.agency
    if layout.title == "one":
        title = Title((f"{agency}{y}年政府信息公开工作年度报告",))
    elif layout.title == "two":
        title = Title((agency, f"{y}年政府信息公开工作年度报告"))
    elif layout.title == "year_first":
        title = Title((f"{y}年{agency}政府信息公开工作年度报告",))
    elif layout.title == "no_agency":
        title = Title((f"{y}年度政府信息公开工作年度报告",))
    elif layout.title == "work_report":
        title = Title((f"{agency}{y}年度政府信息公开工作报告",))
    elif layout.title == "about":
        title = Title((f"{agency}关于{y}年度政府信息公开工作年度报告",))
    else:
        raise ValueError(layout.title)
    blocks: list[Block] = [PageDate(truth.published), title, Para(
        f"本报告根据《中华人民共和国政府信息公开条例》和《中华人民共和国政府信息公开工作年度报告格式》要求编制，"
        f"全文包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议和行政诉讼情况、"
        f"存在的主要问题及改进情况、其他需要报告的事项。本报告所列数据统计期限自{y}年1月1日起至{y}年12月31日止。")]

    def heading(part: int) -> None:
        blocks.append(Heading(part, heading_text(part, layout)))

    heading(1)
    blocks.append(Para(f"{y}年，本机关坚持以公开为常态、不公开为例外，持续深化政务公开，全面提升政府信息公开质量。"))
    for sub, text in (("（一）主动公开", "全年通过政府网站主动公开政府信息一千余条。"),
                      ("（二）依申请公开", "规范依申请公开办理流程，按时答复。"),
                      ("（三）政府信息管理", "严格执行信息发布审核制度。"),
                      ("（四）政府信息公开平台建设", "优化政府网站栏目设置。"),
                      ("（五）监督保障", "将政务公开纳入绩效考核，全年未发生责任追究情况。")):
        blocks.append(Para(sub, sub=True))
        blocks.append(Para(text))
    look = _spaced if layout.spaced else (lambda g: g)
    heading(2)
    blocks.append(TableBlock(look(table_a(truth, layout.a, layout.numbers))))
    heading(3)
    if truth.b is None:
        blocks.append(Para("本年度本机关未收到政府信息公开申请。"))
    else:
        grid = look(table_b(truth, layout.b, layout.numbers))
        blocks.extend(TableBlock(g) for g in (_split(grid) if layout.split else [grid]))
    heading(4)
    if truth.c is None:
        blocks.append(Para("本年度未发生政府信息公开行政复议、行政诉讼案件。"))
    else:
        blocks.extend(TableBlock(look(g)) for g in table_c(truth, layout.c, layout.numbers))
    heading(5)
    blocks.append(Para("存在的主要问题是政策解读形式较为单一。改进措施是丰富解读形式，加强业务培训。"))
    heading(6)
    blocks.append(Para("本年度未收取信息处理费。"))
    if layout.signature == "lines":
        blocks.append(Signature((agency, date_text(truth.published, layout.date))))
    elif layout.signature == "note":
        blocks.append(Signature((agency, date_text(truth.published, layout.date), "（此件公开发布）")))
    elif layout.signature == "one":
        blocks.append(Signature((f"{agency}    {date_text(truth.published, layout.date)}",)))
    return blocks


def expected_meta(truth: Truth, layout: Layout, page_dated: bool = False) -> dict[str, object]:
    """``page_dated``: the writer put the report in a page that states its publication date,
    which stands in for a missing signature date."""
    title = next(b for b in report_blocks(truth, layout) if isinstance(b, Title))
    signed = layout.signature != "none"
    return {"ordinals": list(ORDINALS),
            "title": _squashed("".join(title.lines)),
            "agency": truth.agency if layout.title != "no_agency" or signed else None,
            "year": truth.year, "published": truth.published if signed or page_dated else None,
            "parts": [1, 2, 3, 4, 5, 6]}


def _squashed(text: Optional[str]) -> Optional[str]:
    return re.sub(r"\s+", "", text) if text else text


def meta_mismatches(report, truth: Truth, layout: Layout, page_dated: bool = False) -> list[str]:
    want = expected_meta(truth, layout, page_dated)
    got = {"ordinals": [p.ordinal for p in report.parts if p.found],
           "title": _squashed(report.meta.title), "agency": report.meta.agency, "year": report.meta.year,
           "published": report.meta.published, "parts": [p.id for p in report.parts if p.found]}
    return [f"meta {k}: expected {want[k]!r}, got {got[k]!r}" for k in want if want[k] != got[k]]


# =========================================================================== writers: text


def _lines_of(text: str) -> list[str]:
    return text.split("\n")


def _text_rows(grid: Grid, merged: str) -> list[list[str]]:
    """The grid as a text converter prints it: per printed line, one field per column. A
    merged cell's text once, in the row of its span ``grid.merged_at`` says (the fields it
    covers empty), or in every field it covers ("repeat"). A cell printed over several lines
    spreads the grid row over as many printed lines, the row's one-line cells on the line
    ``grid.anchor`` says."""
    out: list[list[str]] = []
    for r, row in enumerate(grid.slots()):
        out += [[line] for line in grid.breaks.get(r, ())]
        out += _printed_lines(grid, row, r, merged)
    return out


def _printed_lines(grid: Grid, row: list[tuple[int, Cell, bool]], r: int, merged: str) -> list[list[str]]:
    """The printed lines of grid row ``r`` (see ``_text_rows``)."""
    columns: dict[int, list[str]] = {}
    for c, cell, origin in row:
        home = cell.row + ((cell.rows - 1) // 2 if grid.merged_at == "middle" else 0)
        if merged == "repeat" or (cell.rows == 1 and origin) or (cell.rows > 1 and r == home and c == cell.col):
            columns[c] = cell.text.split("\n") if cell.rows == 1 else [cell.text.replace("\n", "")]
        else:
            columns[c] = [""]
    height = max((len(lines) for lines in columns.values()), default=1)
    lines = [["" for _ in range(grid.width)] for _ in range(height)]
    for c, texts in columns.items():
        offset = {"first": 0, "last": height - len(texts), "middle": (height - len(texts)) // 2}[grid.anchor]
        for n, text in enumerate(texts):
            lines[offset + n][c] = text
    return lines


def _shown_width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2e80 else 1 for ch in text)


def text_box(grid: Grid, ascii_rules: bool = False) -> list[str]:
    """The grid drawn as w3m or lynx dump a bordered HTML table (box-drawing characters), or
    with ASCII rules (+----+) as pandoc's grid tables and database clients draw one: a cell
    spanning columns has no bar inside it, no rule is drawn across a cell spanning rows, a
    cell printed over several lines spreads its row as in ``_text_rows``."""
    matrix = grid.matrix()
    widths = [4] * grid.width
    for cell in grid.cells:
        if cell.cols == 1:
            widths[cell.col] = max(widths[cell.col], *(_shown_width(t) for t in cell.text.split("\n")))
    bar, rule, cross = ("|", "-", "+") if ascii_rules else ("│", "─", "┼")

    def spans(r: int) -> list[tuple[int, int]]:  # (first column, columns) of each box in row r
        out, c = [], 0
        while c < grid.width:
            slot = matrix[r][c]
            cols = slot[0].cols - (c - slot[0].col) if slot is not None else 1
            out.append((c, cols))
            c += cols
        return out

    def width(c: int, cols: int) -> int:
        return sum(widths[c:c + cols]) + cols - 1

    def rule_line(r: Optional[int]) -> str:  # the rule above grid row r (None: the last)
        parts = []
        for c, cols in spans(r if r is not None else grid.height - 1):
            above = matrix[r - 1][c] if r is not None and r > 0 else None
            here = matrix[r][c] if r is not None else None
            through = above is not None and here is not None and above[0] is here[0]
            parts.append(" " * width(c, cols) if through and not ascii_rules else rule * width(c, cols))
        return cross + cross.join(parts) + cross if ascii_rules else "├" + cross.join(parts) + "┤"

    out = [rule_line(0)]
    for r, row in enumerate(grid.slots()):
        if r:
            out.append(rule_line(r))
        for fields in _printed_lines(grid, row, r, "first"):
            # a row that lost a cell draws one box fewer (no empty box where it would be)
            boxes = [fields[c] + " " * (width(c, cols) - _shown_width(fields[c])) for c, cols in spans(r)
                     if matrix[r][c] is not None]
            out.append(bar + bar.join(boxes) + bar)
    out.append(rule_line(None))
    return out


def text_tabs(grid: Grid, merged: str = "first") -> list[str]:
    """Tab-separated rows as PDF/Word-to-text converters write them (see ``_text_rows``)."""
    return ["\t".join(fields) for fields in _text_rows(grid, merged)]


def text_markdown(grid: Grid, edges: bool = True, merged: str = "first") -> list[str]:
    """A markdown pipe table (header row, |---| rule, rows); a merged cell's text once or in
    every position it covers; a cell's lines joined by <br>."""
    out = []
    for r, row in enumerate(grid.slots()):
        fields = [cell.text.replace("\n", "<br>") if origin or merged == "repeat" else ""
                  for _, cell, origin in row]
        line = " | ".join(fields)
        out.append(f"| {line} |" if edges else line)
        if r == 0:
            rule = " | ".join("---" for _ in range(grid.width))
            out.append(f"| {rule} |" if edges else rule)
    return out


def text_html2text(grid: Grid) -> list[str]:
    """A table as html2text writes one: the cells of a row that start there joined by "| "
    (no edge bars, a merged cell once), a rule of as many "---" as the first row has cells,
    and a header cell's line breaks kept, so that a header row spreads over lines."""
    out = []
    for r, row in enumerate(grid.slots()):
        # a header cell's lines are <br>s in a page, which html2text keeps; a label wrapped by
        # the layout is one text in a page
        texts = [cell.text if r < grid.header else cell.text.replace("\n", "") for _, cell, origin in row if origin]
        out += "| ".join(texts).split("\n")
        if r == 0:
            out.append("|".join("---" for _, _, origin in row if origin))
    return out


def text_html_table(grid: Grid) -> list[str]:
    """A table kept as raw HTML in a markdown text, as pandoc writes a table with merged cells:
    each tag on a line of its own, a cell's text in a <p>."""
    html = table_html(grid, HtmlStyle()).replace("<td", "\n<td").replace("<tr", "\n<tr").replace("</table", "\n</table")
    return re.sub(r"(<td[^>]*>)(.*?)(</td>)", lambda m: f"{m.group(1)}<p>{m.group(2)}</p>{m.group(3)}",
                  html, flags=re.S).split("\n")


def text_cell_lines(grid: Grid) -> list[str]:
    """HTML-to-text conversion: every non-empty cell on a line of its own, blank lines between
    (empty cells leave no trace)."""
    out = []
    for cell in sorted(grid.cells, key=lambda c: (c.row, c.col)):
        text = cell.text.replace("\n", "")
        if text:
            out += [text, ""]
    return out


def text_bar_lines(grid: Grid) -> list[str]:
    """A table as some PDF-to-text tools print it: each cell on a line of its own ending in
    " |", a run of empty cells as one line of bars ("|||")."""
    out = []
    for fields in _text_rows(grid, "first"):
        empties = 0
        for text in fields:
            if not text:
                empties += 1
                continue
            if empties:
                out.append("|" * (empties + 1))
                empties = 0
            out.append(f"{text} |")
        if empties:
            out.append("|" * (empties + 1))
    return out


def text_runs(grid: Grid) -> list[str]:
    """Space-aligned runs, one per printed line, as a PDF text dump prints a table without
    rules."""
    return [line for line in ("  ".join(f for f in fields if f) for fields in _text_rows(grid, "first")) if line]


TEXT_TABLES: dict[str, Callable[[Grid], list[str]]] = {
    "tabs": text_tabs,
    "tabs_repeat": lambda g: text_tabs(g, "repeat"),
    "markdown": text_markdown,
    "markdown_repeat": lambda g: text_markdown(g, merged="repeat"),
    "markdown_bare": lambda g: text_markdown(g, edges=False),
    "cell_lines": text_cell_lines,
    "bar_lines": text_bar_lines,
    "runs": text_runs,
    "box": text_box,
    "html2text": text_html2text,
    "html_tables": text_html_table,
    "ascii_grid": lambda g: text_box(g, ascii_rules=True),
}


def write_text(blocks: Sequence[Block], layout: Layout, tables: str = "tabs", blank_lines: bool = True) -> str:
    table = TEXT_TABLES[tables]
    out: list[str] = []
    gap = [""] if blank_lines else []
    for block in blocks:
        if isinstance(block, Title):
            out += [("# " if layout.heading == "marked" else "") + line for line in block.lines] + gap
        elif isinstance(block, Heading):
            text = block.text
            if layout.heading == "bold":
                text = f"**{text}**"
            elif layout.heading == "marked":
                text = f"## {text}"
            out += text.split("\n") + gap
        elif isinstance(block, Para):
            out += [f"**{block.text}**" if block.sub and layout.heading == "bold" else block.text] + gap
        elif isinstance(block, TableBlock):
            out += table(block.grid) + gap
        elif isinstance(block, Signature):
            out += list(block.lines)
    return "\n".join(out) + "\n"


# =========================================================================== writers: HTML


@dataclass(frozen=True)
class HtmlStyle:
    """``flavour``: "plain", "word" (Word's "save as web page": MsoNormalTable, <p class=MsoNormal>
    and <span> in every cell, mso- styles, &nbsp; in empty cells, <o:p>), "th" (header cells
    as <th> in <thead>). ``wrapper``: "none", "zoom" (the body in <div id="zoom"> among site
    navigation), "layout" (the page laid out with nested tables). ``charset``: "utf-8" or
    "gb2312" (declared in an http-equiv meta, bytes in GB18030). ``merged``: "span" (rowspan
    and colspan) or "repeat" (the merge expanded: a covered position repeats the text)."""

    flavour: str = "plain"
    wrapper: str = "none"
    charset: str = "utf-8"
    merged: str = "span"


def _esc(text: str) -> str:
    return html_escape.escape(text, quote=False)


def _cell_html(text: str, style: HtmlStyle) -> str:
    lines = text.split("\n")
    if style.flavour == "word":
        if not text:
            return "<p class=MsoNormal align=center style='text-align:center'><span lang=EN-US>" \
                   "<o:p>&nbsp;</o:p></span></p>"
        return "".join("<p class=MsoNormal align=center style='text-align:center;mso-line-height-rule:exactly'>"
                       f"<span style='font-size:10.0pt;font-family:仿宋_GB2312;mso-hansi-font-family:宋体'>"
                       f"{_esc(line)}</span><span lang=EN-US style='font-size:10.0pt'><o:p></o:p></span></p>"
                       for line in lines)
    return "<br/>".join(_esc(line) for line in lines)


def table_html(grid: Grid, style: HtmlStyle) -> str:
    rows = []
    for r, row in enumerate(grid.slots()):
        cells = []
        for _, cell, origin in row:
            if style.merged == "repeat":
                tag = "th" if style.flavour == "th" and cell.head else "td"
                cells.append(f"<{tag}>{_cell_html(cell.text, style)}</{tag}>")
                continue
            if not origin:
                continue
            tag = "th" if style.flavour == "th" and cell.head else "td"
            attrs = ""
            if cell.rows > 1:
                attrs += f' rowspan="{cell.rows}"'
            if cell.cols > 1:
                attrs += f' colspan="{cell.cols}"'
            if style.flavour == "word":
                attrs += (" width=64 valign=middle style='width:48.0pt;border:solid windowtext 1.0pt;"
                          "mso-border-alt:solid windowtext .5pt;padding:0cm 5.4pt 0cm 5.4pt'")
            cells.append(f"<{tag}{attrs}>{_cell_html(cell.text, style)}</{tag}>")
        tr = "<tr style='mso-yfti-irow:%d;height:20.0pt'>" % r if style.flavour == "word" else "<tr>"
        rows.append(tr + "".join(cells) + "</tr>")
    if style.flavour == "th" and grid.header:
        body = f"<thead>{''.join(rows[:grid.header])}</thead><tbody>{''.join(rows[grid.header:])}</tbody>"
    else:
        body = "".join(rows)
    if style.flavour == "word":
        ghost = "<![if !supportMisalignedColumns]><tr height=0>" + \
                "".join("<td width=64 style='border:none'></td>" for _ in range(grid.width)) + \
                "</tr><![endif]>"
        return ("<div align=center><table class=MsoNormalTable border=1 cellspacing=0 cellpadding=0 "
                "style='border-collapse:collapse;border:none;mso-border-alt:solid windowtext .5pt;"
                f"mso-yfti-tbllook:1184;mso-padding-alt:0cm 5.4pt 0cm 5.4pt'>{body}{ghost}</table></div>")
    return f'<table border="1" cellspacing="0">{body}</table>'


def write_html(blocks: Sequence[Block], layout: Layout, style: HtmlStyle = HtmlStyle()) -> bytes:
    body: list[str] = []
    title_text = ""
    word = style.flavour == "word"

    def para(text: str, strong: bool = False) -> str:
        inner = "<br/>".join(_esc(line) for line in text.split("\n"))
        if strong:
            inner = f"<strong>{inner}</strong>"
        if word:
            return ("<p class=MsoNormal style='text-indent:32.0pt;mso-char-indent-count:2.0;line-height:28.0pt'>"
                    f"<span style='font-size:16.0pt;font-family:仿宋_GB2312'>{inner}</span>"
                    "<span lang=EN-US style='font-size:16.0pt'><o:p></o:p></span></p>")
        return f"<p>{inner}</p>"

    page_date: Optional[date] = None
    for block in blocks:
        if isinstance(block, PageDate):
            page_date = block.day
        elif isinstance(block, Title):
            title_text = "".join(block.lines)
            body += [f"<p align=center><b>{_esc(line)}</b></p>" if word else f"<h1>{_esc(line)}</h1>"
                     for line in block.lines]
        elif isinstance(block, Heading):
            if layout.heading == "marked":
                body.append(f"<h2>{_esc(block.text)}</h2>")
            else:
                body.append(para(block.text, strong=layout.heading == "bold"))
        elif isinstance(block, Para):
            body.append(para(block.text, strong=block.sub))
        elif isinstance(block, TableBlock):
            body.append(table_html(block.grid, style))
        elif isinstance(block, Signature):
            body += [f'<p style="text-align:right">{_esc(line)}</p>' for line in block.lines]
    article = "\n".join(body)
    if word:
        article = f"<div class=WordSection1 style='layout-grid:15.6pt'>{article}</div>"
    if style.wrapper == "zoom":
        links = "".join(f'<li><a href="/xw/{i}.html">关于做好第{i}批重点民生实事项目公示工作的通知</a></li>'
                        for i in range(30))
        article = (f'<div class="head"><a href="/">首页</a><a href="/zwgk/">政务公开</a><a href="/hdjl/">互动交流</a>'
                   f'</div><div class="crumb">当前位置：首页 &gt; 政务公开 &gt; 政府信息公开年报</div>'
                   f'<div class="left"><ul>{links}</ul></div>'
                   f'<div class="right"><div class="info">{f"发布时间：{page_date:%Y-%m-%d} " if page_date else ""}来源：本站 字号：大 中 小</div>'
                   f'<div id="zoom">{article}</div>'
                   f'<div class="share">分享到：微信 微博</div></div>'
                   f'<div class="foot">主办单位：某某县人民政府办公室 网站标识码：1234000000 备案号：某ICP备00000000号</div>')
    elif style.wrapper == "layout":
        article = ('<table width="100%" border="0"><tr><td><a href="/">首页</a> | <a href="/zwgk/">政务公开</a></td></tr>'
                   f'<tr><td><table width="960" border="0"><tr><td valign="top">{article}</td></tr></table></td></tr>'
                   '<tr><td>版权所有：某某县人民政府 联系电话：0000-0000000</td></tr></table>')
    charset = (f'<meta http-equiv="Content-Type" content="text/html; charset={style.charset}">'
               if style.charset != "utf-8" else '<meta charset="utf-8"/>')
    xmlns = (' xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word"'
             if word else "")
    page = (f"<!DOCTYPE html><html{xmlns}><head>{charset}<title>{_esc(title_text)}_政府信息公开年报</title>"
            f"</head><body>{article}</body></html>")
    return page.encode("gb18030" if style.charset != "utf-8" else "utf-8")


# =========================================================================== writers: Word


@dataclass(frozen=True)
class DocxStyle:
    """``headings``: part headings as plain paragraphs, in "Heading 2" style, or as bold runs.
    ``frame``: the whole report inside a one-cell table (a "text box" layout); ``nested``:
    Table C put inside a cell of an outer two-column table. ``merge``: tables built with
    python-docx's own ``merge()`` (slow) rather than written as WordprocessingML directly
    (w:gridSpan, w:vMerge — the same structure)."""

    headings: str = "plain"
    frame: bool = False
    nested: bool = False
    merge: bool = False
    # part headings and part 一's sub-headings numbered by Word (numbering.xml: "%1、", "（%1）")
    # rather than typed: their text holds no ordinal
    numbering: bool = False


def write_docx(blocks: Sequence[Block], layout: Layout, style: DocxStyle = DocxStyle()) -> bytes:
    import docx

    document = docx.Document()
    container = document
    if style.frame:
        container = document.add_table(rows=1, cols=1).rows[0].cells[0]
    if style.numbering:
        _add_list(document)
    typed = re.compile(r"^(?:[一二三四五六]、|（[一二三四五六七八九十]）)")

    def paragraph(text: str, bold: bool = False, heading: bool = False) -> None:
        level = None
        if style.numbering and typed.match(text):
            level = 0 if text[0] != "（" else 1
            text = typed.sub("", text)
        if heading and style.headings == "styled" and not style.frame and "\n" not in text:
            p = document.add_heading(text, level=2)
            if level is not None:
                _number(p, level)
            return
        p = container.add_paragraph()
        if level is not None:
            _number(p, level)
        for n, line in enumerate(text.split("\n")):
            run = p.add_run(line)
            run.bold = bold or (heading and style.headings == "bold")
            if n < text.count("\n"):
                run.add_break()

    for block in blocks:
        if isinstance(block, Title):
            for line in block.lines:
                paragraph(line, bold=True)
        elif isinstance(block, Heading):
            paragraph(block.text, heading=True)
        elif isinstance(block, Para):
            paragraph(block.text, bold=block.sub)
        elif isinstance(block, TableBlock):
            grid = block.grid
            build = _docx_merged if style.merge else _docx_xml
            if style.nested and grid.width == 15:
                outer = container.add_table(rows=1, cols=2)
                outer.rows[0].cells[0].text = "附表"
                build(outer.rows[0].cells[1], grid)
            else:
                build(container, grid)
        elif isinstance(block, Signature):
            for line in block.lines:
                paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


_LIST_ID = "90"


def _add_list(document) -> None:
    """A two-level list numbered the Chinese way: "一、" then "（一）"."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    numbering = document.part.numbering_part.element
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{_LIST_ID}">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>'
        '</w:abstractNum>')
    first_num = numbering.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}num")
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="{_LIST_ID}">'
                               f'<w:abstractNumId w:val="{_LIST_ID}"/></w:num>'))


def _number(paragraph, level: int) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    paragraph._p.get_or_add_pPr().append(parse_xml(
        f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{_LIST_ID}"/></w:numPr>'))


def _docx_xml(container, grid: Grid) -> None:
    """The table as WordprocessingML: a merged cell is one w:tc with w:gridSpan, continued down
    by w:vMerge cells; a row that lost a cell is one w:tc short."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    def paragraphs(text: str) -> str:
        return "".join(f"<w:p><w:r><w:t xml:space=\"preserve\">{_esc(line)}</w:t></w:r></w:p>" if line
                       else "<w:p/>" for line in text.split("\n"))

    rows = []
    for row in grid.slots():
        cells = []
        for c, cell, origin in row:
            if c != cell.col:
                continue  # covered by a horizontal span
            span = f'<w:gridSpan w:val="{cell.cols}"/>' if cell.cols > 1 else ""
            if origin:
                merge = '<w:vMerge w:val="restart"/>' if cell.rows > 1 else ""
                cells.append(f"<w:tc><w:tcPr>{span}{merge}</w:tcPr>{paragraphs(cell.text)}</w:tc>")
            else:
                cells.append(f"<w:tc><w:tcPr>{span}<w:vMerge/></w:tcPr><w:p/></w:tc>")
        rows.append("<w:tr>" + "".join(cells) + "</w:tr>")
    grid_cols = "".join('<w:gridCol w:w="600"/>' for _ in range(grid.width))
    table = parse_xml(f"<w:tbl {nsdecls('w')}><w:tblPr><w:tblW w:w=\"0\" w:type=\"auto\"/></w:tblPr>"
                      f"<w:tblGrid>{grid_cols}</w:tblGrid>{''.join(rows)}</w:tbl>")
    anchor = container.add_paragraph()._p
    anchor.addprevious(table)
    anchor.getparent().remove(anchor)


def _docx_merged(container, grid: Grid) -> None:
    table = container.add_table(rows=grid.height, cols=grid.width)
    rows = [row.cells for row in table.rows]
    for cell in grid.cells:
        target = rows[cell.row][cell.col]
        if cell.rows > 1 or cell.cols > 1:
            target = target.merge(rows[cell.row + cell.rows - 1][cell.col + cell.cols - 1])
        lines = cell.text.split("\n")
        target.text = lines[0]
        for line in lines[1:]:
            target.add_paragraph(line)
    matrix = grid.matrix()
    for r, row in enumerate(table.rows):  # a row that lost a cell is shorter
        missing = [c for c in range(grid.width) if matrix[r][c] is None]
        for c in sorted(missing, reverse=True):
            tc = row.cells[c]._tc
            tc.getparent().remove(tc)


# =========================================================================== named layouts


def mark_cells(truth: Truth) -> dict[tuple[str, str, str], str]:
    """A handful of cells printed as marks: "/" "—" "无" and blank, in all three tables."""
    marks = {("active_disclosure", "regulations", "issued"): "/",
             ("active_disclosure", "regulations", "repealed"): "—",
             ("active_disclosure", "administrative_enforcement", "decisions"): "无",
             ("active_disclosure", "administrative_fees_wan_yuan", "amount"): "／"}
    if truth.b is not None:
        marks[("applications", "3.3.8", "research_institution")] = "—"
        marks[("applications", "3.5.3", "legal_service_org")] = "/"
        marks[("applications", "2", "other_org")] = "无"
    if truth.c is not None:
        marks[("reviews_and_litigation", "litigation_after_review", "pending")] = "/"
    return marks


def blank_cells(truth: Truth) -> dict[tuple[str, str, str], str]:
    """A few cells printed empty, in all three tables."""
    blanks = {("active_disclosure", "normative_documents", "repealed"): "",
              ("active_disclosure", "administrative_punishment", "decisions"): ""}
    if truth.b is not None:
        blanks[("applications", "3.4.2", "commercial_enterprise")] = ""
        blanks[("applications", "1", "legal_service_org")] = ""
    if truth.c is not None:
        blanks[("reviews_and_litigation", "litigation_direct", "corrected")] = ""
    return blanks


def variants_of_truth(truth: Truth) -> dict[str, Truth]:
    out = {"plain": truth, "marks": with_marks(truth, mark_cells(truth)),
           "blanks": replace(with_marks(truth, blank_cells(truth)), name=truth.name + "+blanks")}
    if truth.b is not None:
        out["no_table_b"] = without_table_b(truth)
        out["lost_row"] = with_lost(truth, ["3.3.4"])
    return out


LAYOUTS: dict[str, Layout] = {
    "national": Layout(),
    "a_padded": Layout(a=AShape(spans=False)),
    "a_block_column": Layout(a=AShape(blocks="column")),
    "a_block_column_padded": Layout(a=AShape(blocks="column", spans=False)),
    "a_one_header": Layout(a=AShape(spans=False, header=False)),
    "b_groups_repeat": Layout(b=BShape(groups="repeat")),
    "b_groups_first": Layout(b=BShape(groups="first")),
    "b_enum_dun": Layout(b=BShape(enumerate="1、")),
    "b_enum_paren": Layout(b=BShape(enumerate="（1）")),
    "b_enum_bare": Layout(b=BShape(enumerate="1")),
    "b_enum_none": Layout(b=BShape(enumerate="", quotes=False)),
    "b_short_headers": Layout(b=BShape(short=True)),
    "b_wrap14": Layout(b=BShape(wrap=14)),
    "b_wrap10_middle": Layout(b=BShape(wrap=10, anchor="middle")),
    "b_wrap8_last": Layout(b=BShape(wrap=8, anchor="last")),
    "b_wrap12_middle_groups": Layout(b=BShape(wrap=12, anchor="middle", group_at="middle")),
    "b_groups_middle": Layout(b=BShape(group_at="middle")),
    "b_two_header_rows": Layout(b=BShape(header=2)),
    "b_no_groups": Layout(b=BShape(groups="none")),
    "b_group_rows": Layout(b=BShape(groups="rows")),
    "b_page_break_furniture": Layout(b=BShape(break_at="3.3.5", furniture=True)),
    "b_page_break_wrapped": Layout(b=BShape(break_at="3.6.2", furniture=True, wrap=12, anchor="middle")),
    "b_split_tables": Layout(b=BShape(break_at="3.3.6"), split=True),
    "b_split_before_other": Layout(b=BShape(break_at="3.6.3", groups="first"), split=True),
    "letter_spaced": Layout(spaced=True),
    "letter_spaced_runs_wrap": Layout(spaced=True, b=BShape(wrap=12, anchor="middle")),
    "b_page_break": Layout(b=BShape(break_at="3.4.2")),
    "b_page_break_group_start": Layout(b=BShape(break_at="3.5.1")),
    "c_two_rows": Layout(c="two_rows"),
    "c_three_tables": Layout(c="three_tables"),
    "c_transposed": Layout(c="transposed"),
    "c_transposed_reordered": Layout(c="transposed_reordered"),
    "thousands": Layout(numbers=Numbers(thousands=True)),
    "wide_digits": Layout(numbers=Numbers(wide=True)),
    "units": Layout(numbers=Numbers(unit=True)),
    "wide_thousands_units": Layout(numbers=Numbers(thousands=True, wide=True, unit=True)),
    "title_two_lines": Layout(title="two"),
    "title_year_first": Layout(title="year_first"),
    "title_no_agency": Layout(title="no_agency"),
    "title_work_report": Layout(title="work_report"),
    "heading_colon": Layout(heading="colon"),
    "heading_wrapped": Layout(heading="wrap"),
    "title_about": Layout(title="about"),
    "signature_note": Layout(signature="note"),
    "heading_spaced": Layout(heading="spaced"),
    "heading_dot": Layout(heading="dot"),
    "heading_part": Layout(heading="part"),
    "heading_part_tight": Layout(heading="part_tight"),
    "heading_bold": Layout(heading="bold"),
    "heading_marked": Layout(heading="marked"),
    "part4_long": Layout(part4="long"),
    "date_spaced": Layout(date="spaced"),
    "date_iso": Layout(date="iso"),
    "date_dots": Layout(date="dots"),
    "date_chinese": Layout(date="chinese"),
    "signature_one_line": Layout(signature="one"),
    "no_signature": Layout(signature="none"),
}
LAYOUTS = {name: replace(layout, note=name) for name, layout in LAYOUTS.items()}


# =========================================================================== writers by name


@dataclass(frozen=True)
class Writer:
    """A way to write a report: ``write(blocks, layout)`` gives (file name, bytes);
    ``keeps_blanks``: an empty cell stays a cell (a grid) rather than vanishing."""

    name: str
    write: Callable[[Sequence[Block], Layout], tuple[str, bytes]]
    keeps_blanks: bool
    page_dated: bool = False  # the report sits in a site's page with a 发布时间 line


def _text_writer(tables: str, blank_lines: bool = True) -> Callable[[Sequence[Block], Layout], tuple[str, bytes]]:
    return lambda blocks, layout: ("report.txt", write_text(blocks, layout, tables, blank_lines).encode("utf-8"))


def _pandoc_markdown(blocks: Sequence[Block], layout: Layout) -> tuple[str, bytes]:
    """Markdown as pandoc writes a web page: raw HTML tables, the title in a <div> of its own
    (so the file starts like a web page), text in paragraphs between empty lines."""
    text = write_text(blocks, layout, "html_tables")
    return "report.md", ('<div class="article_title">\n\n' + text.replace("\n\n", "\n\n</div>\n\n", 1)).encode("utf-8")


def _html_writer(style: HtmlStyle) -> Callable[[Sequence[Block], Layout], tuple[str, bytes]]:
    return lambda blocks, layout: ("report.html", write_html(blocks, layout, style))


def _docx_writer(style: DocxStyle) -> Callable[[Sequence[Block], Layout], tuple[str, bytes]]:
    return lambda blocks, layout: ("report.docx", write_docx(blocks, layout, style))


WRITERS: dict[str, Writer] = {w.name: w for w in (
    Writer("text:tabs", _text_writer("tabs"), False),
    Writer("text:tabs_dense", _text_writer("tabs", blank_lines=False), False),
    Writer("text:tabs_repeat", _text_writer("tabs_repeat"), False),
    Writer("text:markdown", _text_writer("markdown"), True),
    Writer("text:markdown_repeat", _text_writer("markdown_repeat"), True),
    Writer("text:markdown_bare", _text_writer("markdown_bare"), True),
    Writer("text:cell_lines", _text_writer("cell_lines"), False),
    Writer("text:runs", _text_writer("runs"), False),
    Writer("text:bar_lines", _text_writer("bar_lines"), False),
    Writer("text:box", _text_writer("box"), True),
    Writer("text:html2text", _text_writer("html2text"), True),
    Writer("text:pandoc_markdown", _pandoc_markdown, True),
    Writer("text:ascii_grid", _text_writer("ascii_grid"), True),
    Writer("html:plain", _html_writer(HtmlStyle()), True),
    Writer("html:word", _html_writer(HtmlStyle(flavour="word")), True),
    Writer("html:th", _html_writer(HtmlStyle(flavour="th")), True),
    Writer("html:repeat", _html_writer(HtmlStyle(merged="repeat")), True),
    Writer("html:zoom", _html_writer(HtmlStyle(wrapper="zoom")), True, page_dated=True),
    Writer("html:layout", _html_writer(HtmlStyle(wrapper="layout")), True),
    Writer("html:word_gbk", _html_writer(HtmlStyle(flavour="word", charset="gb2312")), True),
    Writer("html:th_zoom_gbk", _html_writer(HtmlStyle(flavour="th", wrapper="zoom", charset="gbk")), True,
           page_dated=True),
    Writer("docx:plain", _docx_writer(DocxStyle()), True),
    Writer("docx:styled", _docx_writer(DocxStyle(headings="styled")), True),
    Writer("docx:bold", _docx_writer(DocxStyle(headings="bold")), True),
    Writer("docx:nested", _docx_writer(DocxStyle(nested=True)), True),
    Writer("docx:frame", _docx_writer(DocxStyle(frame=True)), True),
    Writer("docx:merge", _docx_writer(DocxStyle(merge=True)), True),
    Writer("docx:numbered", _docx_writer(DocxStyle(numbering=True)), True),
    Writer("docx:numbered_styled", _docx_writer(DocxStyle(numbering=True, headings="styled")), True),
)}


def render(truth: Truth, layout: Layout, writer: Writer) -> tuple[str, bytes]:
    return writer.write(report_blocks(truth, layout), layout)


def check(report, truth: Truth, layout: Layout, writer: Writer) -> list[str]:
    """Everything the parsed report got wrong: cells, tables, meta, parts."""
    return mismatches(report, truth, writer.keeps_blanks) + meta_mismatches(report, truth, layout, writer.page_dated)
