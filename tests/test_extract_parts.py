"""Part headings: found by ordinal and keys, never in a preface sentence, a sub-heading or a
table row; recorded as written and in document order."""
from __future__ import annotations

import re

import pytest

from checker.pipeline import parse_file
from seeds_support import SEEDS, load_gold, seed_names

PREFACE = ("本报告全文包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、"
           "政府信息公开行政复议、行政诉讼情况、存在的主要问题及改进情况和其他需要报告的事项。")


@pytest.mark.parametrize("name", seed_names())
def test_seed_parts_equal_gold(name):
    report = parse_file(SEEDS / name)
    found = sorted(str(p.id) for p in report.parts if p.found)
    assert found == load_gold(name)["sections_present"]
    assert [p.id for p in report.parts if p.found] == sorted(p.id for p in report.parts if p.found)
    assert all("#" not in p.heading and "*" not in p.heading for p in report.parts)


def test_preface_and_sub_headings_are_not_parts(parse_text):
    report = parse_text(f"""某某县2024年政府信息公开工作年度报告
{PREFACE}
（一）主动公开情况
一、总体情况
正文。
""")
    found = [p for p in report.parts if p.found]
    assert [(p.id, p.heading, p.ordinal) for p in found] == [(1, "一、总体情况", "一")]


def test_table_rows_are_not_parts(parse_text):
    report = parse_text("三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量\t1\n"
                        "四、结转下年度继续办理\t0\n五、存在的主要问题及改进情况\n")
    assert [p.id for p in report.parts if p.found] == [3, 5]


def test_parts_out_of_order_keep_document_order_and_ordinals(parse_text):
    report = parse_text("一、总体情况\n正文。\n三、主动公开政府信息情况\n二、收到和处理政府信息公开申请情况\n"
                        "## 六、其他需要报告的事项\n本年度未收取信息处理费。\n")
    found = [p for p in report.parts if p.found]
    assert [(p.id, p.ordinal, p.index) for p in found] == [(1, "一", 0), (2, "三", 1), (3, "二", 2), (6, "六", 3)]
    assert found[-1].heading == "六、其他需要报告的事项"
    assert [p.id for p in report.parts if not p.found] == [4, 5]


@pytest.mark.parametrize("heading", ["四．政府信息公开行政复议、行政诉讼情况", "四 因政府信息公开工作被申请行政复议、提起行政诉讼情况",
                                     "**四、政府信息公开行政复议和行政诉讼情况**"])
def test_heading_variants(parse_text, heading):
    report = parse_text(heading + "\n")
    assert report.part(4) is not None and report.part(4).ordinal == "四"


def test_a_heading_naming_only_one_of_all_keys_is_not_the_part(parse_text):
    assert parse_text("四、行政复议情况\n").part(4) is None


def test_part_text_holds_its_paragraphs(parse_text):
    report = parse_text("五、存在的主要问题及改进情况\n问题一。\n改进一。\n六、其他需要报告的事项\n无。\n")
    assert report.part(5).text == "问题一。\n改进一。"
    assert report.part(6).text == "无。"


def test_nothing_found_is_flagged(parse_text):
    report = parse_text("这不是一份年度报告。\n")
    assert "no_report" in report.flags
    assert not any(p.found for p in report.parts)
    assert all(t is None for t in report.tables.values())


@pytest.mark.parametrize("heading", ["第一部分 总体情况", "第一部分总体情况", "第一部分：总体情况", "一、 总体情况",
                                     "一．总体情况", "一、总体情况：", "## **一、总体情况**"])
def test_part_one_heading_forms(parse_text, heading):
    part = parse_text(heading + "\n正文。\n").part(1)
    assert part is not None and part.ordinal == "一"


@pytest.mark.parametrize("heading,ordinal", [("1.总体情况", "1"), ("1、总体情况", "1"), ("１．总体情况", "1"),
                                             ("第1部分 总体情况", "1"), ("【一】总体情况", "一"), ("〔一〕 总体情况", "一")])
def test_part_one_numbered_in_figures_or_brackets(parse_text, heading, ordinal):
    part = parse_text(heading + "\n正文。\n").part(1)
    assert part is not None and part.ordinal == ordinal


def test_a_figure_heads_a_part_only_in_its_own_place_and_words(parse_text):
    # figures number items of every kind: "2.主动公开" under 总体情况 is an item, not part 二
    report = parse_text("1.总体情况\n2.主动公开\n正文。\n3.依申请公开情况\n"
                        "2.主动公开政府信息情况\n正文。\n12 总体情况\n3 主动公开政府信息情况\n")
    assert [(p.id, p.heading) for p in report.parts if p.found] == [(1, "1.总体情况"), (2, "2.主动公开政府信息情况")]


def test_figures_number_every_part_and_the_tables_are_read(parse_text):
    text = (SEEDS / "003_855a3ef0bc8273b0.txt").read_text(encoding="utf-8")
    heading = re.compile(r"^([#*\s]*)([一二三四五六])、(?=总体|主动公开|收到和处理|政府信息公开行政复议|存在的主要问题|其他需要报告)",
                         re.M)
    figures, changed = heading.subn(lambda m: m.group(1) + str("一二三四五六".index(m.group(2)) + 1) + ".", text)
    assert changed == 6
    plain, numbered = parse_text(text), parse_text(figures)
    assert [p.found for p in numbered.parts] == [p.found for p in plain.parts] == [True] * 6
    assert numbered.tables == plain.tables


def test_a_long_heading_wrapped_onto_a_second_line(parse_text):
    report = parse_text("三、收到和处理政府信息公开申请\n情况\n正文。\n四、政府信息公开行政复议、行政\n诉讼情况\n"
                        "本年度未发生。\n五、存在的主要问题及改进情况\n问题。\n")
    assert [(p.id, p.heading) for p in report.parts if p.found] == [
        (3, "三、收到和处理政府信息公开申请情况"), (4, "四、政府信息公开行政复议、行政诉讼情况"),
        (5, "五、存在的主要问题及改进情况")]
    assert report.part(4).text == "本年度未发生。"  # the heading's second line is not part text


def test_a_heading_is_not_joined_with_a_line_that_does_not_complete_it(parse_text):
    report = parse_text("二、主动公开\n第二十条第（一）项\n三、收到和处理政府信息公开申请情况\n")
    assert report.part(2).heading == "二、主动公开"
