"""Tables: every cell of every seed against the hand-checked gold, and small synthetic layouts
that the seeds do not have."""
from __future__ import annotations

from decimal import Decimal

import pytest

from checker.extract import extract
from checker.model import Document, Fragment, Line, Source
from checker.pipeline import parse_file
from seeds_support import SEEDS, load_gold, seed_names

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


def test_a_group_labels_piece_printed_inside_a_wrapped_row_label_is_set_apart(parse_text):
    """A table without rules flattened to text: the group label 其他处理 is cut in two by the
    wrapped row label beside it, its second half printed before the row's middle and values."""
    text = """三、收到和处理政府信息公开申请情况
申请人情况 自然人 商业企业 科研机构 社会公益组织 法律服务机构 其他 总计
（五）不予 5.要求行政机关确认或重新出具已获取信息 0 0 0 0 0 0 0
（六）其他 1.申请人无正当理由逾期不补
处理 正、行政机关不再处理其政府信 1 0 0 0 0 0 1
息公开申请
2.申请人逾期未按收费通知要求 0 0 0 0 0 0 0
缴纳费用、行政机关不再处理其
政府信息公开申请
3.其他 1 1 0 0 0 0 2
四、政府信息公开行政复议、行政诉讼情况
"""
    report = parse_text(text)
    table = report.tables["applications"]
    assert [table.cell("3.6.1", c).value for c in B_COLUMNS] == [1, 0, 0, 0, 0, 0, 1]
    assert [table.cell("3.6.3", c).value for c in B_COLUMNS] == [1, 1, 0, 0, 0, 0, 2]
    written = {label.key: label.written for label in table.labels if label.kind == "row"}
    assert written["3.6.1"].replace(" ", "") == "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"
    assert not any("正、行政机关" in f.text for f in table.unmatched)


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


# --------------------------------------------------------------------------- layouts found by the
# variant corpus (tests/layouts.py): one small case per mechanism

C_COLUMNS = ["upheld", "corrected", "other", "pending", "total"]
C_BLOCKS = ["administrative_review", "litigation_direct", "litigation_after_review"]


def test_values_with_unit_words_are_numbers_and_a_wrong_unit_is_not(parse_text):
    table = parse_text("二、主动公开政府信息情况\n规章\t0件\t１２件\t3 件\n行政许可\t1,204件\n"
                       "行政事业性收费\t461万元\n三、收到和处理政府信息公开申请情况\n").tables["active_disclosure"]
    assert [table.cell("regulations", c).value for c in ("issued", "repealed", "in_force")] == [0, 12, 3]
    assert table.cell("administrative_licensing", "decisions").value == 1204
    assert table.cell("administrative_fees_wan_yuan", "amount").value == 461
    wrong = parse_text("二、主动公开政府信息情况\n行政事业性收费\t461件\n").tables["active_disclosure"]
    assert wrong.cell("administrative_fees_wan_yuan", "amount").kind == "text"


def test_a_row_of_values_with_a_slash_is_not_a_page_number(parse_text):
    text = ("四、政府信息公开行政复议、行政诉讼情况\n行政复议\n结果维持\t结果纠正\t其他结果\t尚未审结\t总计\n0\t0\t0\t0\t0\n"
            "未经复议直接起诉\n0\t0\t0\t0\t0\n复议后起诉\n0\t0\t0\t/\t0\n五、存在的主要问题及改进情况\n")
    table = parse_text(text).tables["reviews_and_litigation"]
    assert table.cell("litigation_after_review", "pending").kind == "not_applicable"
    assert table.cell("litigation_after_review", "total").value == 0


def test_a_label_wrapped_by_a_narrow_column_is_named_by_its_head(parse_text):
    # the head names no key ("其他法律行政" only holds the column key 其他); the values sit on the
    # head's line, the middle line or the last line, and a group label may come between
    text = """三、收到和处理政府信息公开申请情况
（三）不予公开\t1.属于国家秘密\t0\t0\t0\t0\t0\t0\t0
\t2.其他法律行政\t1\t0\t0\t0\t0\t0\t1
\t法规禁止公开
\t4.保护第三方合
\t法权益\t2\t0\t0\t0\t0\t0\t2
\t1.信访举报投诉
（五）不予处理\t类申请\t3\t0\t0\t0\t0\t0\t3
四、政府信息公开行政复议、行政诉讼情况
"""
    table = parse_text(text).tables["applications"]
    assert [table.cell(r, "total").value for r in ("3.3.1", "3.3.2", "3.3.4", "3.5.1")] == [0, 1, 2, 3]
    written = {l.key: l.written for l in table.labels if l.kind == "row"}
    assert written["3.3.2"] == "2.其他法律行政法规禁止公开" and written["3.5.1"] == "1.信访举报投诉类申请"
    assert not table.unmatched


def test_a_space_aligned_run_of_several_labels_is_split(parse_text):
    text = ("三、收到和处理政府信息公开申请情况\n"
            "三、本年度办理结果  （六）其他处理  1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请  1  0  0  0  0  0  1\n"
            "（三）不予公开  保护第三方合法权  5  0  0  0  0  0  5\n益\n四、政府信息公开行政复议、行政诉讼情况\n")
    table = parse_text(text).tables["applications"]
    assert table.cell("3.6.1", "total").value == 1
    assert table.cell("3.3.4", "total").value == 5


def test_merged_cells_copied_into_every_field_by_a_converter(parse_text):
    text = ("三、收到和处理政府信息公开申请情况\n"
            "一、本年新收政府信息公开申请数量\t一、本年新收政府信息公开申请数量\t一、本年新收政府信息公开申请数量\t3\t0\t0\t0\t0\t0\t3\n"
            "三、本年度办理结果\t（二）部分公开（区分处理\t（二）部分公开（区分处理\n"
            "三、本年度办理结果\t的，只计这一情形，不计其他情形）\t的，只计这一情形，不计其他情形）\t2\t0\t0\t0\t0\t0\t2\n"
            "四、政府信息公开行政复议、行政诉讼情况\n")
    report = parse_text(text)
    table = report.tables["applications"]
    assert table.cell("1", "total").value == 3 and table.cell("3.2", "total").value == 2
    assert not any("outside any row" in n for n in report.notes)


def test_a_grid_row_whose_merged_label_was_copied_is_mapped_by_position(report_format):
    cells = ["一、本年新收政府信息公开申请数量"] * 3 + ["3", "1", "0", "0", "", "0", "4"]
    line = Line(tuple(Fragment(c, Source(table=0, row=0, col=i)) for i, c in enumerate(cells)),
                kind="row", where=Source(table=0, row=0), grid=True)
    heading = Line((Fragment("三、收到和处理政府信息公开申请情况", Source(line=1)),), where=Source(line=1))
    table = extract(Document("t.html", "html", (heading, line)), report_format).tables["applications"]
    assert [table.cell("1", c).kind for c in B_COLUMNS] == ["number"] * 4 + ["blank", "number", "number"]


def test_a_header_repeated_at_a_page_break_does_not_hide_the_rows_after_it(parse_text):
    header = "\t自然人\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t总计\n"
    for layout in (header, header.replace("\t", "\n")):  # a tab row, or one cell per line
        text = ("三、收到和处理政府信息公开申请情况\n（六）其他处理\t2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"
                "\t0\t0\t0\t0\t0\t0\t0\n- 5 -\n" + layout + "3.其他\t1\t0\t0\t0\t0\t0\t1\n（七）总计\t9\t0\t0\t0\t0\t0\t9\n"
                "四、政府信息公开行政复议、行政诉讼情况\n")
        table = parse_text(text).tables["applications"]
        assert table.cell("3.6.3", "total").value == 1, layout
        assert table.cell("3.7", "total").value == 9, layout


def test_table_c_with_its_blocks_as_rows_is_read_by_label(parse_text):
    text = """四、政府信息公开行政复议、行政诉讼情况
类别\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计
复议后起诉\t3\t0\t0\t0\t3
未经复议直接起诉\t0\t1\t0\t0\t1
行政复议\t5\t0\t1\t0\t6
五、存在的主要问题及改进情况
"""
    table = parse_text(text).tables["reviews_and_litigation"]
    assert [table.cell(b, "total").value for b in C_BLOCKS] == [6, 1, 3]
    missing = parse_text(text.replace("未经复议直接起诉\t0\t1\t0\t0\t1\n", "")).tables["reviews_and_litigation"]
    assert [missing.cell(b, "total") is None for b in C_BLOCKS] == [False, True, False]
    assert missing.cell("litigation_after_review", "upheld").value == 3


def test_table_c_in_text_with_one_value_dropped_places_none(parse_text):
    """A blank cell of a text row leaves no trace: 14 values for 15 cells, every one after the
    gap would land a place off. Which is missing cannot be known, so nothing is placed."""
    report = parse_text("四、政府信息公开行政复议、行政诉讼情况\n行政复议\t行政诉讼\n"
                        "9\t0\t\t0\t9\t0\t0\t3\t0\t3\t3\t0\t0\t0\t3\n五、存在的主要问题及改进情况\n")
    table = report.tables["reviews_and_litigation"]
    assert {table.cell(b, c).kind for b in C_BLOCKS for c in C_COLUMNS} == {"lost"}
    assert any("cannot be known" in n for n in report.notes)


def test_table_c_as_three_small_grids_keeps_a_blank_in_its_place(parse_text):
    blocks = "".join(f"| {name} | | | | |\n|---|---|---|---|---|\n| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |\n"
                     f"| {values} |\n\n" for name, values in (("行政复议", "1 | 0 | 0 | 0 | 1"),
                                                          ("未经复议直接起诉", "0 |  | 0 | 0 | 0"),
                                                          ("复议后起诉", "2 | 0 | 0 | 1 | 3")))
    table = parse_text("四、政府信息公开行政复议、行政诉讼情况\n" + blocks + "五、存在的主要问题及改进情况\n").tables[
        "reviews_and_litigation"]
    assert table.cell("litigation_direct", "corrected").kind == "blank"
    assert [table.cell(b, "total").value for b in C_BLOCKS] == [1, 0, 3]


@pytest.mark.parametrize("rows", [
    "| 规章 | 0 | 1 | 2 |\n| 行政规范性文件 | 3 |  | 5 |",  # edge bars
    "规章 | 0 | 1 | 2\n行政规范性文件 | 3 |  | 5",  # no edge bars
])
def test_markdown_tables_with_and_without_edge_bars(parse_text, rows):
    header = "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n|---|---|---|---|\n"
    if not rows.startswith("|"):
        header = "信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数\n--- | --- | --- | ---\n"
    table = parse_text("二、主动公开政府信息情况\n" + header + rows + "\n三、收到和处理政府信息公开申请情况\n").tables[
        "active_disclosure"]
    assert [table.cell("regulations", c).value for c in ("issued", "repealed", "in_force")] == [0, 1, 2]
    assert [table.cell("normative_documents", c).kind for c in ("issued", "repealed", "in_force")] == [
        "number", "blank", "number"]


def test_markdown_cell_with_line_breaks_and_an_empty_first_cell(parse_text):
    text = ("三、收到和处理政府信息公开申请情况\n | 项目 | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计\n"
            "--- | --- | --- | --- | --- | --- | --- | --- | ---\n"
            " | 2.其他法律行<br>政法规禁止公开 | 0 | 0 | 0 | 0 | 0 | 0 | 0\n"
            " | 9.不存在的情形 | 1 | 0 | 0 | 0 | 0 | 0 | 1\n四、政府信息公开行政复议、行政诉讼情况\n")
    table = parse_text(text).tables["applications"]
    assert {l.key: l.written for l in table.labels if l.kind == "row"}["3.3.2"] == "2.其他法律行政法规禁止公开"
    assert table.cell("3.3.2", "total").value == 0
