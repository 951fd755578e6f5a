"""Metadata: title, agency and its kind, year, statistics period, signature block."""
from __future__ import annotations

from datetime import date

import pytest

from checker.pipeline import parse_file
from conftest import SEEDS, load_gold, seed_names


@pytest.mark.parametrize("name", seed_names())
def test_seed_meta_equals_gold(name):
    gold = load_gold(name)
    meta = parse_file(SEEDS / name).meta
    assert meta.agency == gold["agency"]
    assert meta.year == gold["year"]
    assert (meta.published.isoformat() if meta.published else None) == gold["published"]


def test_title_over_two_lines(parse_text):
    meta = parse_text("# 某某县农业农村局\n## 2023 年政府信息公开工作年度报告\n一、总体情况\n").meta
    assert meta.agency == "某某县农业农村局"
    assert meta.agency_kind == "department"
    assert meta.year == 2023
    assert meta.title == "某某县农业农村局2023 年政府信息公开工作年度报告"
    assert meta.title_where.line == 1


def test_title_with_the_year_first(parse_text):
    meta = parse_text("2024年某某市生态环境局政府信息公开工作年度报告\n一、总体情况\n").meta
    assert meta.agency == "某某市生态环境局"


@pytest.mark.parametrize("agency, kind", [
    ("某某县", "government"), ("某某市人民政府", "government"), ("某某自治州", "government"),
    ("某某县人民政府办公室", "department"), ("某某市教育局", "department"),
    ("某某经济技术开发区管理委员会", "other"), ("某某综合实验区", "other"),
])
def test_agency_kind_by_the_ending_of_its_name(parse_text, agency, kind):
    assert parse_text(f"{agency}2024年度政府信息公开工作年度报告\n一、总体情况\n").meta.agency_kind == kind


def test_signature_confirms_a_government(parse_text):
    meta = parse_text("某某综合实验区2024年政府信息公开工作年度报告\n六、其他需要报告的事项\n无。\n"
                      "某某综合实验区人民政府\n2025年3月1日\n").meta
    assert meta.signature_agency == "某某综合实验区人民政府"
    assert meta.agency_kind == "government"


@pytest.mark.parametrize("tail, published", [
    ("某某县人民政府\n2025年1月17日\n", date(2025, 1, 17)),
    ("某某县人民政府\n2025 年 1 月 20 日\n（此件公开发布）\n", date(2025, 1, 20)),
    ("某某县人民政府\n二〇二五年一月十七日\n", date(2025, 1, 17)),
    ("某某县人民政府 2025年2月28日\n", date(2025, 2, 28)),
])
def test_signature_date(parse_text, tail, published):
    meta = parse_text("六、其他需要报告的事项\n本年度未收取信息处理费。\n" + tail).meta
    assert meta.published == published
    assert meta.signature_agency == "某某县人民政府"


def test_a_date_in_running_text_is_not_the_signature(parse_text):
    meta = parse_text("六、其他需要报告的事项\n本报告于2025年1月10日经审定。\n").meta
    assert meta.published is None and meta.signature_agency is None


@pytest.mark.parametrize("sentence, start, end", [
    ("报告统计期限为 2024 年 1 月 1 日至 2024 年 12 月 31 日。", date(2024, 1, 1), date(2024, 12, 31)),
    ("本报告所列数据统计期限从2023年1月1日到12月31日。", date(2023, 1, 1), date(2023, 12, 31)),
    ("统计时限自2022年1月1日至2022年12月31日止。", date(2022, 1, 1), date(2022, 12, 31)),
    ("统计期限自2021年1月1日起至2021年12月31日止。", date(2021, 1, 1), date(2021, 12, 31)),
])
def test_statistics_period(parse_text, sentence, start, end):
    meta = parse_text(sentence + "\n一、总体情况\n").meta
    assert (meta.period_start, meta.period_end) == (start, end)
    assert meta.year == start.year  # no title: the year comes from the period


def test_year_from_part_one_when_nothing_else_names_it(parse_text):
    meta = parse_text("一、总体情况\n2022年，我局完成了工作。2022年共公开信息。2021年以前的除外。\n").meta
    assert meta.year == 2022 and meta.title is None and meta.agency is None


@pytest.mark.parametrize("written", ["2025-01-10", "2025.1.10", "2025/01/10", "２０２５－０１－１０",
                                     "2025年1月10日", "2025 年 1 月 10 日", "二〇二五年一月十日"])
def test_signature_date_forms(parse_text, written):
    meta = parse_text(f"六、其他需要报告的事项\n本年度未收取信息处理费。\n某某县人民政府办公室\n{written}\n").meta
    assert meta.published == date(2025, 1, 10)
    assert meta.signature_agency == "某某县人民政府办公室"


def test_a_phone_number_at_the_end_is_not_a_date(parse_text):
    meta = parse_text("六、其他需要报告的事项\n无。\n联系电话：0953-2666586\n").meta
    assert meta.published is None


@pytest.mark.parametrize("title, agency", [
    ("某某县人民政府关于2024年度政府信息公开工作年度报告", "某某县人民政府"),
    ("某某市生态环境局2024年度政府信息公开工作报告", "某某市生态环境局"),
])
def test_title_wordings(parse_text, title, agency):
    meta = parse_text(f"{title}\n一、总体情况\n正文。\n").meta
    assert meta.title == title and meta.agency == agency and meta.year == 2024


def test_title_without_agency_takes_the_signature(parse_text):
    meta = parse_text("2024年度政府信息公开工作年度报告\n一、总体情况\n正文。\n六、其他需要报告的事项\n无。\n"
                      "某某县人民政府办公室\n2025-01-10\n").meta
    assert meta.agency == "某某县人民政府办公室" and meta.agency_kind == "department"
    assert meta.published == date(2025, 1, 10)


@pytest.mark.parametrize("title", [
    "某某县２０２４年度政府信息公开工作年度报告",  # typed in full-width mode
    "某某县 ２０２４ 年度政府信息公开工作年度报告",
    "某某县二〇二四年度政府信息公开工作年度报告",  # the year in words
])
def test_a_year_in_full_width_figures_or_in_words_names_the_report(parse_text, title):
    meta = parse_text(f"{title}\n一、总体情况\n报告统计期限为２０２４年１月１日至２０２４年１２月３１日。\n"
                      "六、其他需要报告的事项\n无。\n某某县人民政府\n２０２５年１月１０日\n").meta
    assert (meta.agency, meta.year) == ("某某县", 2024)
    assert (meta.period_start, meta.period_end) == (date(2024, 1, 1), date(2024, 12, 31))
    assert meta.published == date(2025, 1, 10)


def test_four_figures_that_are_no_plausible_year_are_not_the_year(parse_text):
    meta = parse_text("某某县政府信息公开工作年度报告\n一、总体情况\n全县共有1200年古树3株；2024年，我县认真落实条例。\n").meta
    assert meta.year == 2024
