"""Rows, blocks and part headings identified by wording and place (checker/extract/align.py,
fuzzy.py, parts.py): one case per mechanism, on small reports written here. The variants of
the real reports are in test_variants.py."""
from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from checker.engine.pack import load_pack
from checker.engine.runner import check_report
from checker.engine.scoring import get_profile
from checker.extract.align import _reads_on_wordings
from checker.extract.fuzzy import allowed, distance, find, prefix_distance

B_COLUMNS = ["natural_person", "commercial_enterprise", "research_institution", "social_welfare_org",
             "legal_service_org", "other_org", "total"]
B_HEADER = "三、收到和处理政府信息公开申请情况\n\t自然人\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t总计\n"
PACK = load_pack()


def _statuses(report) -> dict[str, str]:
    return {r.rule: r.status for r in check_report(report, PACK, get_profile()).results}


def _row(table, key):
    return [table.cell(key, c).value if table.cell(key, c) is not None else "-" for c in B_COLUMNS]


def _b(*rows: str) -> str:
    return B_HEADER + "\n".join(rows) + "\n四、政府信息公开行政复议、行政诉讼情况\n"


# --------------------------------------------------------------------------- the distance


CJK = st.text(alphabet="政府信息公开申请数量本年新收结转处理不予其他", min_size=1, max_size=16)


@settings(max_examples=150, deadline=None)
@given(a=CJK, b=CJK)
def test_distance_is_a_symmetric_bounded_edit_distance(a, b):
    full = distance(a, b, 99)
    assert full == distance(b, a, 99)
    assert (full == 0) == (a == b)
    assert full <= max(len(a), len(b))
    assert distance(a, b, 1) == min(full, 2)


def _alignment_distance(a: str, b: str) -> int:
    """The optimal string alignment distance, as the textbook writes it: the whole table."""
    d = [[i + j if not i or not j else 0 for j in range(len(b) + 1)] for i in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[len(a)][len(b)]


_SMALL = st.text(alphabet="政府信息公开", max_size=12)  # swapped neighbours and repeats come up often


def _reads_on_in_whole(wordings: tuple[str, ...], alone: str, joined: str) -> bool:
    """The definition of align._reads_on: the whole distances, none cut off."""
    for wording in wordings:
        limit = allowed(len(wording))
        whole = distance(joined, wording, max(len(wording), len(joined)))
        if whole < distance(alone, wording, max(len(wording), len(alone))) and (
                whole <= limit or prefix_distance(joined, wording, limit) <= limit):
            return True
    return False


@settings(max_examples=150, deadline=None)
@given(wordings=st.lists(CJK, min_size=1, max_size=3), alone=_SMALL, joined=_SMALL)
def test_joined_pieces_read_on_as_with_the_whole_distances(wordings, alone, joined):
    for pieces in ((alone, joined), (alone, alone + joined), (wordings[0][:3], wordings[0][:3] + joined)):
        assert _reads_on_wordings.__wrapped__(tuple(wordings), *pieces) == _reads_on_in_whole(tuple(wordings), *pieces)


@settings(max_examples=300, deadline=None)
@given(a=_SMALL, b=_SMALL, limit=st.integers(0, 13), swap=st.integers(0, 11))
def test_distance_is_the_alignment_distance_cut_at_its_limit(a, b, limit, swap):
    # b as drawn, and a with two neighbours swapped (a transposition) and b put after it
    i = swap % max(len(a) - 1, 1)
    for other in (b, a[:i] + a[i + 1:i + 2] + a[i:i + 1] + a[i + 2:] + b[:swap % 3]):
        assert distance(a, other, limit) == min(_alignment_distance(a, other), limit + 1)


@settings(max_examples=150, deadline=None)
@given(word=CJK, at=st.integers(0, 15), other=st.sampled_from("甲乙丙"))
def test_one_typo_is_one_edit(word, at, other):
    i = at % len(word)
    for typo in (word[:i] + other + word[i + 1:], word[:i] + word[i + 1:], word[:i] + word[i] + word[i:],
                 word[:i] + word[i + 1:i + 2] + word[i] + word[i + 2:]):
        assert distance(typo, word, 2) <= 1


def test_find_and_prefix_distance():
    assert find("属于国家秘密", "不予公开1属于国家秘蜜", 2) == (1, 5, 11)
    assert find("行政复议", "结果维持", 1) is None
    assert prefix_distance("其它法律行政", "其他法律行政法规禁止公开", 2) == 1


# --------------------------------------------------------------------------- rows


def test_a_misspelt_row_label_is_its_row_and_the_wording_is_reported(parse_text):
    text = _b("1.属于国家秘密\t1\t0\t0\t0\t0\t0\t1", "2.其它法律行政法规禁止公",
              "3.危及“三安全一稳定”\t0\t0\t0\t0\t0\t0\t0", "4.保护第三方合法权益\t2\t0\t0\t0\t0\t0\t2",
              "5.属于三类内部事物信息\t3\t0\t0\t0\t0\t0\t3", "6.属于四类过程性信息\t0\t0\t0\t0\t0\t0\t0")
    report = parse_text(text)
    table = report.tables["applications"]
    assert _row(table, "3.3.5") == [3, 0, 0, 0, 0, 0, 3]
    assert _row(table, "3.3.2") == [None] * 7 and table.cell("3.3.2", "total").kind == "blank"
    written = {l.key: l.written for l in table.labels if l.kind == "row"}
    assert written["3.3.5"] == "5.属于三类内部事物信息"
    assert _statuses(report)["TB-006"] == "fail"


def test_a_row_whose_label_is_empty_is_named_by_its_place(parse_text):
    """The label cell of 2 is empty; 1 and 3.1 around it leave only row 2 for its values."""
    text = _b("一、本年新收政府信息公开申请数量\t5\t0\t0\t0\t0\t1\t6", "\t2\t0\t0\t0\t0\t0\t2",
              "三、本年度办理结果\t（一）予以公开\t4\t0\t0\t0\t0\t1\t5")
    table = parse_text(text).tables["applications"]
    assert _row(table, "2") == [2, 0, 0, 0, 0, 0, 2]
    assert _row(table, "3.1") == [4, 0, 0, 0, 0, 1, 5]


def test_a_lone_number_is_never_a_row(parse_text):
    """A page number between two rows, where a row is missing: not that row's value."""
    text = "二、主动公开政府信息情况\n第二十条第（五）项\n信息内容\t本年处理决定数量\n行政许可\t12\n" \
           "第二十条第（六）项\n信息内容\t本年处理决定数量\n3\n行政强制\t2\n"
    table = parse_text(text).tables["active_disclosure"]
    assert table.cell("administrative_licensing", "decisions").value == 12
    assert table.cell("administrative_punishment", "decisions") is None
    assert table.cell("administrative_enforcement", "decisions").value == 2


def test_a_group_label_glued_to_its_first_row_is_set_apart(parse_text):
    text = _b("（三）不予公开1.属于国家秘密\t1\t0\t0\t0\t0\t0\t1", "2.其他法律行政法规禁止公开\t0\t0\t0\t0\t0\t0\t0")
    report = parse_text(text)
    table = report.tables["applications"]
    assert _row(table, "3.3.1") == [1, 0, 0, 0, 0, 0, 1]
    assert {l.key: l.written for l in table.labels if l.kind == "row"}["3.3.1"] == "1.属于国家秘密"
    assert _statuses(report)["TB-006"] == "pass"


def test_a_label_run_into_its_first_value_is_split_by_the_format_label(parse_text):
    text = "二、主动公开政府信息情况\n第二十条第（一）项\n信息内容 本年制发件数 本年废止件数 现行有效件数\n" \
           "规章0 0 1\n行政规范性文件5 2 40\n第二十条第（八）项\n行政事业性收费12.5\n"
    table = parse_text(text).tables["active_disclosure"]
    assert [table.cell("normative_documents", c).value for c in ("issued", "repealed", "in_force")] == [5, 2, 40]
    assert [table.cell("regulations", c).value for c in ("issued", "repealed", "in_force")] == [0, 0, 1]
    assert table.cell("administrative_fees_wan_yuan", "amount").value == Decimal("12.5")


# --------------------------------------------------------------------------- labels and values apart


def test_labels_clumped_ahead_of_their_rows_of_values_take_them_in_order(parse_text):
    text = _b("1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”",
              "1\t0\t0\t0\t0\t0\t1", "2\t0\t0\t0\t0\t0\t2", "3\t0\t0\t0\t0\t0\t3")
    table = parse_text(text).tables["applications"]
    assert [_row(table, k)[0] for k in ("3.3.1", "3.3.2", "3.3.3")] == [1, 2, 3]


def test_a_clump_with_fewer_rows_of_values_than_labels_places_none(parse_text):
    text = _b("1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”",
              "1\t0\t0\t0\t0\t0\t1", "2\t0\t0\t0\t0\t0\t2")
    table = parse_text(text).tables["applications"]
    for key in ("3.3.1", "3.3.2", "3.3.3"):
        assert {table.cell(key, c).kind for c in B_COLUMNS} == {"lost"}, key


def test_rows_of_values_ahead_of_their_labels_take_them_when_they_add_up(parse_text):
    text = _b("4.保护第三方合法权益\t0\t0\t0\t0\t0\t0\t0", "5\t0\t0\t0\t0\t1\t6", "7\t0\t0\t0\t0\t0\t7",
              "5.属于三类内部事务信息", "6.属于四类过程性信息", "7.属于行政执法案卷\t0\t0\t0\t0\t0\t0\t0")
    table = parse_text(text).tables["applications"]
    assert _row(table, "3.3.5") == [5, 0, 0, 0, 0, 1, 6]
    assert _row(table, "3.3.6") == [7, 0, 0, 0, 0, 0, 7]
    # runs that do not add up as rows (a table printed column by column) are placed nowhere
    text = text.replace("5\t0\t0\t0\t0\t1\t6", "5\t0\t0\t0\t0\t1\t9")
    table = parse_text(text).tables["applications"]
    assert table.cell("3.3.5", "total").value is None and table.cell("3.3.6", "total").value is None


def test_table_c_printed_among_its_headings_is_read_only_when_its_blocks_add_up(parse_text):
    head = "四、政府信息公开行政复议、行政诉讼情况\n行政复议\n行政诉讼\n结果维持 结果纠正 其他结果 尚未审结 总计\n"
    ordered = head + "1\n1\n0\n0\n2\n未经复议直接起诉\n复议后起诉\n结果维持 结果纠正\n4\n0\n0\n1\n5\n1\n0\n1\n0\n2\n"
    table = parse_text(ordered + "五、存在的主要问题及改进情况\n").tables["reviews_and_litigation"]
    assert table.cell("litigation_direct", "total").value == 5
    # column by column: a run of values that is no whole block, and blocks that do not add up
    scrambled = head + "1\n1\n0\n0\n总计\n4\n0\n0\n1\n2\n5\n未经复议直接起诉\n1\n0\n1\n0\n2\n"
    table = parse_text(scrambled + "五、存在的主要问题及改进情况\n").tables["reviews_and_litigation"]
    # a value for every cell, in an order the checker cannot follow: its doing, not the report's
    assert {c.kind for c in table.cells.values()} == {"unplaced"}


# --------------------------------------------------------------------------- older formats, blank tables


TABLE_A_2019 = """二、主动公开政府信息情况
第二十条第（一）项
信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量
规章\t0\t0\t1
规范性文件\t3\t3\t20
第二十条第（五）项
信息内容\t上一年项目数量\t本年增/减\t处理决定数量
行政许可\t10\t0\t120
三、收到和处理政府信息公开申请情况
"""


def test_2019_columns_are_never_read_as_2021_columns(parse_text):
    report = parse_text("某某县2024年政府信息公开工作年度报告\n" + TABLE_A_2019)
    table = report.tables["active_disclosure"]
    # the report printed values, under columns that are not this format's: not placed, and not
    # charged again as blank cells (META-004 reports the format)
    assert {table.cell("regulations", c).kind for c in ("issued", "repealed", "in_force")} == {"unplaced"}
    assert table.cell("administrative_licensing", "decisions").kind == "unplaced"
    results = {r.rule: r for r in check_report(report, PACK, get_profile()).results}
    assert results["META-004"].status == "fail"
    blank = [d.item for d in results["TA-003"].details if d.status == "fail"]
    assert blank and not any("规章" in item or "行政许可" in item for item in blank), blank


def test_a_2019_single_other_handling_row_keeps_its_values(parse_text):
    text = _b("5.要求行政机关确认或重新出具已获取信息\t0\t0\t0\t0\t0\t0\t0", "（六）其他处理\t2\t0\t0\t0\t0\t0\t2",
              "（七）总计\t3\t0\t0\t0\t0\t0\t3")
    report = parse_text(text)
    table = report.tables["applications"]
    assert _row(table, "3.6") == [2, 0, 0, 0, 0, 0, 2]
    assert _row(table, "3.5.5") == [0] * 7 and _row(table, "3.7")[0] == 3
    assert _statuses(report)["TB-003"] == "fail"
    # printed as the group label of the three 2021 rows, it is only that
    text = _b("（六）其他处理\t1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请\t0\t0\t0\t0\t0\t0\t0")
    table = parse_text(text).tables["applications"]
    assert table.cell("3.6", "total") is None and _row(table, "3.6.1") == [0] * 7


def test_a_blank_table_c_under_its_headings_is_blank_not_missing(parse_text):
    text = "四、政府信息公开行政复议、行政诉讼情况\n行政复议\t行政诉讼\n" \
           "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t复议后起诉\n" \
           "五、存在的主要问题及改进情况\n"
    report = parse_text(text)
    table = report.tables["reviews_and_litigation"]
    assert table is not None and {c.kind for c in table.cells.values()} == {"blank"}
    assert _statuses(report)["TC-001"] == "pass"


# --------------------------------------------------------------------------- part headings


def test_a_misspelt_heading_is_its_part_and_the_wording_is_reported(parse_text):
    report = parse_text("一、总体情况\n略。\n二、主动公开政府信息情况\n三、收到和处里政府信息公开申请情况\n"
                        "四、政府信息公开行政复议、行政诉讼情况\n五、存在的主要问题及改进情况\n六、其它需要报告的事项\n")
    assert [p.id for p in report.parts if p.found] == [1, 2, 3, 4, 5, 6]
    assert [p.id for p in report.parts if p.misworded] == [3, 6]
    statuses = _statuses(report)
    assert statuses["STR-003"] == statuses["STR-006"] == "pass"
    assert statuses["STR-008"] == "fail"


def test_a_line_like_a_heading_out_of_order_is_not_that_part(parse_text):
    """Resemblance alone, with the part's ordinal, counts only between the parts around it."""
    report = parse_text("一、总体情况\n二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n"
                        "四、政府信息公开行政复议、行政诉讼情况\n一、总休情兄\n五、存在的主要问题及改进情况\n")
    assert report.part(1).heading == "一、总体情况"


def test_a_misspelt_heading_of_another_part_is_not_part_one_s_text(parse_text):
    """Part 二's heading, misspelt, is part 二's: STR-009 does not count it as part 一 writing
    about 主动公开."""
    report = parse_text("一、总体情况\n（一）依申请公开。办理申请。（二）政府信息管理。规范公文属性。"
                        "（三）平台建设。优化政府网站。（四）监督保障。开展考核。\n二、主动公幵政府信息情况\n"
                        "三、收到和处理政府信息公开申请情况\n")
    assert report.part(2) is not None and "主动" not in report.part(1).text
    assert _statuses(report)["STR-009"] == "fail"


# --------------------------------------------------------------------------- facts in a small table


def test_fee_facts_in_a_small_table_are_read_as_part_six_s_statement(parse_text):
    text = "六、其他需要报告的事项\n（一）信息处理费收取情况\n收费通知件数\t收费金额（元）\n3\t3940\n"
    report = parse_text(text)
    assert "收费通知件数：3件；收费金额：3940元。" in report.part(6).text
    assert _statuses(report)["FEE-002"] == "pass"


_TABLE_A_BY_COLUMN = """二、主动公开政府信息情况
第二十条第（一）项
信息内容 本年制发件数
规章
0
0
本年废止件数
0
行政规范性文件
11
15
第二十条第（五）项
信息内容 本年处理决定数量
行政许可 0
第二十条第（八）项
信息内容 本年收费金额（单位：万元）
行政事业性收费
0
现行有效件数
95
三、收到和处理政府信息公开申请情况
"""


def test_rows_short_of_values_that_stray_values_could_fill_are_the_checkers(parse_text):
    """Table A extracted partly column by column: a heading among 规章's values, and 行政规范性文件
    short of the 95 printed after a later heading. Every value is there, so no cell is the
    report's blank: the rows are unplaced and TA-003 does not fail on them. Without the stray
    95, 行政规范性文件 is short of a value the report left out: lost, and TA-003 fails."""
    report = parse_text("某某县2024年政府信息公开工作年度报告\n" + _TABLE_A_BY_COLUMN)
    table = report.tables["active_disclosure"]
    assert {table.cell(row, c).kind for row in ("regulations", "normative_documents")
            for c in ("issued", "repealed", "in_force")} == {"unplaced"}
    results = {r.rule: r for r in check_report(report, PACK, get_profile()).results}
    assert not [d for d in results["TA-003"].details if d.status == "fail" and "规" in (d.item or "")]
    short = parse_text("某某县2024年政府信息公开工作年度报告\n" + _TABLE_A_BY_COLUMN.replace("现行有效件数\n95\n", ""))
    assert short.tables["active_disclosure"].cell("normative_documents", "issued").kind == "lost"
    assert _statuses(short)["TA-003"] == "fail"


def test_a_row_with_no_values_where_stray_values_could_fill_it_is_the_checkers(parse_text):
    """规章 printed with none of its values beside it, and three values no row takes printed
    later: the report printed them, the checker cannot place them. Without those strays the
    row is the report's blank."""
    emptied = "某某县2024年政府信息公开工作年度报告\n" + _TABLE_A_BY_COLUMN.replace("规章\n0\n0\n本年废止件数\n0\n", "规章\n本年废止件数\n")
    with_strays = emptied.replace("现行有效件数\n95\n", "现行有效件数\n95\n0\n0\n0\n")
    kinds = lambda report: {report.tables["active_disclosure"].cell("regulations", c).kind
                            for c in ("issued", "repealed", "in_force")}
    assert kinds(parse_text(with_strays)) == {"unplaced"}
    assert kinds(parse_text(emptied)) == {"blank"}
