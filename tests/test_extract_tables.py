"""Tables: every cell of every seed against the hand-checked gold, and small synthetic layouts
that the seeds do not have."""
from __future__ import annotations

from decimal import Decimal

import pytest

from checker.extract import extract
from checker.model import Document, Fragment, Line, Source
from checker.pipeline import parse_file
from conftest import SEEDS, load_gold, seed_names

B_COLUMNS = ["natural_person", "commercial_enterprise", "research_institution", "social_welfare_org",
             "legal_service_org", "other_org", "total"]


def number(cell):
    return cell.value if cell is not None and cell.kind == "number" else None


def as_gold(value):
    return None if value is None else Decimal(str(value))


@pytest.fixture(scope="module")
def seeds():
    return {name: parse_file(SEEDS / name) for name in seed_names()}


@pytest.mark.parametrize("name", seed_names())
def test_table_a_equals_gold(seeds, name, report_format):
    gold = load_gold(name)["active_disclosure"]
    table = seeds[name].tables["active_disclosure"]
    spec = report_format.table("active_disclosure")
    for row in spec.rows:
        columns = spec.columns_of(row)
        expected = gold[row.key]
        for column in columns:
            want = expected[column.key] if len(columns) > 1 else expected
            assert number(table.cell(row.key, column.key)) == as_gold(want), (row.key, column.key)


@pytest.mark.parametrize("name", seed_names())
def test_table_b_equals_gold(seeds, name):
    gold = load_gold(name)
    table = seeds[name].tables["applications"]
    skip = set(gold.get("applications_incomplete_rows", []))
    for row, values in gold["applications"].items():
        if row in skip:
            continue
        got = [number(table.cell(row, c)) for c in B_COLUMNS]
        assert got == [as_gold(v) for v in values], row


@pytest.mark.parametrize("name", seed_names())
def test_table_c_equals_gold(seeds, name):
    gold = load_gold(name)["reviews_and_litigation"]
    table = seeds[name].tables["reviews_and_litigation"]
    if gold is None:
        assert table is None
        return
    for block, cells in gold.items():
        for column, value in cells.items():
            assert number(table.cell(block, column)) == as_gold(value), (block, column)


def test_decimal_fee_stays_exact(seeds):
    cells = [t.cell("administrative_fees_wan_yuan", "amount") for r in seeds.values()
             for t in [r.tables["active_disclosure"]]]
    assert Decimal("1880.2255") in [c.value for c in cells]
    assert not any(isinstance(c.value, float) for c in cells)


def test_rows_with_a_missing_value_are_lost_not_guessed(seeds):
    table = seeds["000_c7c1a845340d13e1.txt"].tables["applications"]
    for row in ("3.6.2", "3.6.3", "3.7", "4"):
        assert {table.cell(row, c).kind for c in B_COLUMNS} == {"lost"}, row
    assert number(table.cell("3.6.1", "total")) == 0
    assert any("3.6.2" in note and "6 values for 7" in note for note in seeds["000_c7c1a845340d13e1.txt"].notes)


def test_rows_without_values_are_blank_not_zero(seeds):
    table = seeds["001_816126611a69aadc.txt"].tables["applications"]
    for row in ("3.6.2", "3.6.3"):
        assert {(table.cell(row, c).kind, table.cell(row, c).value) for c in B_COLUMNS} == {("blank", None)}


def test_label_cut_by_a_line_break_is_recorded_whole(seeds):
    labels = {(l.table, l.key): l for l in seeds["000_c7c1a845340d13e1.txt"].tables["active_disclosure"].labels}
    assert labels[("active_disclosure", "normative_documents")].written == "行政规范性文件"
    b = {l.key: l for l in seeds["000_c7c1a845340d13e1.txt"].tables["applications"].labels}
    assert b["3.6.1"].written.endswith("政府信息公开申请")
    assert b["social_welfare_org"].written == "社会组织"
    assert not seeds["000_c7c1a845340d13e1.txt"].tables["applications"].unmatched


def test_header_variant_is_recorded_as_written(seeds):
    labels = {l.key: l for l in seeds["002_a0c218d13443adaa.txt"].tables["active_disclosure"].labels}
    assert labels["repealed"].written == "本年度止件数"
    assert labels["repealed"].expected == "本年废止件数"


# --------------------------------------------------------------------------- synthetic layouts

TABLE_A = """二、主动公开政府信息情况
第二十条第（一）项
信息内容\t本年制发件数\t本年废止件数\t现行有效件数
规章\t/\t—\t3
行政规范性文件\t2\t0\t无
第二十条第（五）项
信息内容\t本年处理决定数量
行政许可\t12
第二十条第（六）项
信息内容\t本年处理决定数量
行政处罚\t
行政强制\t1,204
第二十条第（八）项
信息内容\t本年收费金额（单位：万元）
行政事业性收费\t0.35
三、收到和处理政府信息公开申请情况
"""


def test_marks_are_not_applicable_and_never_zero(parse_text):
    table = parse_text(TABLE_A).tables["active_disclosure"]
    assert [(c.kind, c.raw) for c in (table.cell("regulations", k) for k in ("issued", "repealed"))] == \
        [("not_applicable", "/"), ("not_applicable", "—")]
    assert table.cell("normative_documents", "in_force").kind == "not_applicable"
    assert table.cell("administrative_punishment", "decisions").kind == "blank"
    assert table.cell("administrative_enforcement", "decisions").value == 1204
    assert table.cell("administrative_fees_wan_yuan", "amount").value == Decimal("0.35")


def test_grid_row_with_a_blank_cell_is_mapped_by_position(parse_text):
    text = """三、收到和处理政府信息公开申请情况
| 项目 | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |
| 一、本年新收政府信息公开申请数量 | 5 |  | 0 | 0 | 0 | 1 | 6 |
| 二、上年结转政府信息公开申请数量 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
四、政府信息公开行政复议、行政诉讼情况
"""
    table = parse_text(text).tables["applications"]
    row = [table.cell("1", c) for c in B_COLUMNS]
    assert [c.kind for c in row] == ["number", "blank", "number", "number", "number", "number", "number"]
    assert [c.value for c in row] == [5, None, 0, 0, 0, 1, 6]


def test_grid_lines_from_another_reader(report_format):
    """HTML/PDF readers give grid rows where a merged label cell appears once."""
    def row(n, *cells):
        where = Source(table=0, row=n)
        return Line(tuple(Fragment(c, Source(table=0, row=n, col=i)) for i, c in enumerate(cells)),
                    kind="row", where=where, grid=True)
    heading = Line((Fragment("三、收到和处理政府信息公开申请情况", Source(line=1)),), where=Source(line=1))
    doc = Document("t.html", "html", (
        heading,
        row(0, "三、本年度办理结果", "（一）予以公开", "4", "", "0", "0", "0", "0", "4"),
        row(1, "（二）部分公开", "1", "0", "0", "0", "0", "0", "1"),
        row(2, "（三）不予公开", "1.属于国家秘密", "0", "0", "0", "—", "0", "0", "0"),
    ))
    table = extract(doc, report_format).tables["applications"]
    assert [table.cell("3.1", c).kind for c in B_COLUMNS][:2] == ["number", "blank"]
    assert table.cell("3.1", "total").where == Source(table=0, row=0, col=8)
    assert table.cell("3.2", "total").value == 1
    assert table.cell("3.3.1", "social_welfare_org").kind == "not_applicable"
    assert table.cell("1", "total") is None  # a row the table lacks has no cells


def test_too_many_values_take_the_first_and_note_the_rest(parse_text):
    report = parse_text("二、主动公开政府信息情况\n规章\t1\t2\t3\t4\n")
    table = report.tables["active_disclosure"]
    assert [table.cell("regulations", c).value for c in ("issued", "repealed", "in_force")] == [1, 2, 3]
    assert any("extra" in n for n in report.notes)


def test_table_found_by_anchors_when_its_heading_is_missing(parse_text):
    text = """二、主动公开政府信息情况
（本部分无表格）
（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t申请人情况
自然人\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t总计
一、本年新收政府信息公开申请数量\t3\t0\t0\t0\t0\t0\t3
二、上年结转政府信息公开申请数量\t1\t0\t0\t0\t0\t0\t1
五、存在的主要问题及改进情况
"""
    report = parse_text(text)
    assert report.part(3) is None
    table = report.tables["applications"]
    assert table is not None and table.cell("1", "total").value == 3
    assert table.cell("2", "natural_person").value == 1
    assert {l.key for l in table.labels if l.kind == "column"} >= set(B_COLUMNS)


def test_flat_table_with_too_few_values_loses_the_rest(parse_text):
    text = """四、政府信息公开行政复议、行政诉讼情况
行政复议\t行政诉讼
结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t复议后起诉
1\t0\t0\t0\t1\t0\t0\t0\t0\t0
五、存在的主要问题及改进情况
"""
    report = parse_text(text)
    table = report.tables["reviews_and_litigation"]
    assert table.cell("administrative_review", "total").value == 1
    assert table.cell("litigation_direct", "total").value == 0
    assert {table.cell("litigation_after_review", c).kind for c in
            ("upheld", "corrected", "other", "pending", "total")} == {"lost"}


def test_heading_without_table_gives_null(parse_text):
    report = parse_text("四、政府信息公开行政复议、行政诉讼情况\n本年度未发生行政复议、行政诉讼。\n")
    assert report.part(4) is not None
    assert report.tables["reviews_and_litigation"] is None


def test_scanned_pdf_tables_are_unreadable_not_missing(report_format):
    doc = Document("scan.pdf", "pdf", (), flags=frozenset({"no_text_layer"}))
    report = extract(doc, report_format)
    assert all(t is not None and t.unreadable and not t.cells for t in report.tables.values())
    assert "no_text_layer" in report.flags


def test_space_separated_text_from_a_pdf(parse_text):
    text = """三、收到和处理政府信息公开申请情况
自然人 法人或其他组织 总计
商业企业 科研机构 社会公益组织 法律服务机构 其他
一、本年新收政府信息公开申请数量 10 1 0 0 0 0 11
1 属于国家秘密 0 0 0 0 0 0 0
- 5 -
2 其他法律行政法规禁止公开 0 0 0 2 0 0 2
四、政府信息公开行政复议、行政诉讼情况
行政复议 行政诉讼
结果 维持 结果 纠正 其他结果 尚未审结 总计 未经复议直接起诉 复议后起诉
0 0 0 0 0 1 0 0 0 1 0 0 0 0 0
五、存在的主要问题及改进情况
"""
    report = parse_text(text)
    b = report.tables["applications"]
    assert [b.cell("1", c).value for c in B_COLUMNS] == [10, 1, 0, 0, 0, 0, 11]
    assert b.cell("3.3.1", "total").value == 0  # "1 属于…": the 1 is the enumerator
    assert b.cell("3.3.2", "social_welfare_org").value == 2  # the page number is not a value
    written = {l.key: l.written for l in b.labels if l.kind == "column"}
    assert written["natural_person"] == "自然人" and written["other_org"] == "其他"
    c = report.tables["reviews_and_litigation"]
    assert c.cell("litigation_direct", "upheld").value == 1
    assert {l.key: l.written for l in c.labels}["upheld"] == "结果 维持"


def test_vertical_group_label_cut_across_rows_is_rejoined(parse_text):
    text = """三、收到和处理政府信息公开申请情况
三、本 (一) 予以公开\t8\t1\t0\t0\t0\t0\t9
年度 办理 结果\t(二)部分公开\t0\t0\t0\t0\t0\t0\t0
四、政府信息公开行政复议、行政诉讼情况
"""
    table = parse_text(text).tables["applications"]
    written = {(l.kind, l.key): l.written for l in table.labels}
    assert written[("row", "3.1")] == "(一) 予以公开"
    assert written[("group", "3")] == "三、本年度 办理 结果"
    assert table.cell("3.2", "total").value == 0 and not table.unmatched


def test_numbers_in_notes_and_sentences_are_not_values(parse_text):
    text = """二、主动公开政府信息情况
第二十条第（一）项
规章 1 2 3
注：本表数据 截至 2024 年 12 月 31 日
本年度 共制发 5 件，其中 规章 2 件。
三、收到和处理政府信息公开申请情况
"""
    report = parse_text(text)
    table = report.tables["active_disclosure"]
    assert [table.cell("regulations", c).value for c in ("issued", "repealed", "in_force")] == [1, 2, 3]
    assert not any("extra" in n or "outside" in n for n in report.notes)


def test_values_after_an_unknown_label_are_not_given_to_the_row_before(parse_text):
    report = parse_text("三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量\t1\t0\t0\t0\t0\t0\n"
                        "某种未列明的情形\t2\t0\t0\t0\t0\t0\t2\n")
    table = report.tables["applications"]
    assert {table.cell("1", c).kind for c in B_COLUMNS} == {"lost"}
    assert [f.text for f in table.unmatched] == ["某种未列明的情形"]
    assert any("outside any row" in n for n in report.notes)
