"""Metadata: title, agency and its kind, year, statistics period, signature block."""
from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from checker.extract import dates, extract
from checker.formats import DEFAULT_FORMAT, get_format
from checker.readers import read_document
from checker.pipeline import parse_file
from seeds_support import SEEDS, load_gold, seed_names


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
    # labelled, or the date in brackets: the labels and brackets are not the agency
    ("发布机关：某某县人民政府\n发布日期：2025年1月17日\n", date(2025, 1, 17)),
    ("某某县人民政府\n（2025年1月17日）\n", date(2025, 1, 17)),
    ("落款单位：某某县人民政府\n成文时间：2025-01-17\n", date(2025, 1, 17)),
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
    # in figures, by months, as the whole year
    ("本报告所列数据统计期限：2024.1.1-2024.12.31。", date(2024, 1, 1), date(2024, 12, 31)),
    ("统计时间为2023/01/01至2023/12/31。", date(2023, 1, 1), date(2023, 12, 31)),
    ("本报告所列数据统计期限为2024年1月至12月。", date(2024, 1, 1), date(2024, 12, 31)),
    ("数据统计时段为2024年1月份至2024年12月份。", date(2024, 1, 1), date(2024, 12, 31)),
    ("本报告中所列数据的统计期限为2024年全年。", date(2024, 1, 1), date(2024, 12, 31)),
    ("报告中所列数据统计期限为2022年度。", date(2022, 1, 1), date(2022, 12, 31)),
])
def test_statistics_period(parse_text, sentence, start, end):
    meta = parse_text(sentence + "\n一、总体情况\n").meta
    assert (meta.period_start, meta.period_end) == (start, end)
    assert meta.year == start.year  # no title: the year comes from the period


@pytest.mark.parametrize("text", [
    "一、总体情况\n2024年1月至6月，我局开展了专项行动。\n",  # months, but no statistics period
    "一、总体情况\n2024年度，我局完成了工作。\n",
])
def test_months_or_a_year_alone_are_no_statistics_period(parse_text, text):
    meta = parse_text(text).meta
    assert meta.period_start is None and meta.period_text is None


def test_a_range_of_dates_comes_before_a_period_stated_by_months(parse_text):
    meta = parse_text("本报告统计2023年1月至12月的数据。\n一、总体情况\n统计期限为2024年1月1日至2024年12月31日。\n").meta
    assert (meta.period_start, meta.period_end) == (date(2024, 1, 1), date(2024, 12, 31))


_DAYS = st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 12, 31))


@given(_DAYS, _DAYS, st.sampled_from(".-/．"), st.sampled_from(["-", "至", "—", "~", " - "]), st.booleans())
def test_a_range_of_dates_in_figures(a, b, sep, to, padded):
    start, end = min(a, b), max(a, b)
    def written(d):
        return sep.join(f"{n:02d}" if padded else str(n) for n in (d.year, d.month, d.day))
    assert dates.find_numeric_range(f"统计期限：{written(start)}{to}{written(end)}。")[:2] == (start, end)


@given(st.integers(1990, 2099), st.integers(1, 12), st.integers(1, 12), st.booleans(), st.sampled_from(["至", "到", "-", "—"]))
def test_a_statistics_period_by_months_runs_from_the_first_day_to_the_last(year, first, last, both_years, to):
    first, last = min(first, last), max(first, last)
    text = f"本报告统计期限为{year}年{first}月{to}{f'{year}年' if both_years else ''}{last}月。"
    start, end, _ = dates.find_stated_period(text)
    assert start == date(year, first, 1) and end.month == last and end.year == year
    assert (end + timedelta(days=1)).day == 1  # the month's last day
    assert dates.find_stated_period(text.replace("统计期限", "工作期间")) is None


def test_year_from_part_one_when_nothing_else_names_it(parse_text):
    meta = parse_text("一、总体情况\n2022年，我局完成了工作。2022年共公开信息。2021年以前的除外。\n").meta
    assert meta.year == 2022 and meta.title is None and meta.agency is None


def test_the_part_stating_year_and_period_is_the_formats():
    text = ("一、总体情况\n2022年，我局完成了工作。\n二、主动公开政府信息情况\n"
            "统计期限自2023年1月1日至2023年12月31日止。\n").encode("utf-8")
    fmt = get_format(DEFAULT_FORMAT)
    as_shipped = extract(read_document("report.txt", text), fmt).meta
    moved = extract(read_document("report.txt", text), dataclasses.replace(fmt, period_part=2)).meta
    assert (as_shipped.year, as_shipped.period_start) == (2022, None)
    assert (moved.year, moved.period_start, moved.period_end) == (2023, date(2023, 1, 1), date(2023, 12, 31))


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
    ("【某某县2024年度政府信息公开工作年度报告】", "某某县"),  # the whole title in brackets
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


@pytest.mark.parametrize("head", [
    "某某县人民\n政府办公室\n2024 年政府信息公开工作年度报告",  # a narrow title column cut the name
    "某某县\n人民政府办公室2024年政府信息公开工作年度报告",
    "政府信息公开专栏 某某县人民政\n某某县人民\n政府办公室\n2024年政府信息公开工作年度报告",  # a running header
    "某 某 县 人 民\n政 府 办 公 室\n2 0 2 4 年 政 府 信 息 公\n开 工 作 年 度 报 告",  # letter-spaced
])
def test_an_agency_name_cut_by_a_line_break_is_read_whole(parse_text, head):
    """pdftotext of a title set in a narrow or letter-spaced heading: the name's head on the line
    above is the name's, not left behind (nor a running header taken with it)."""
    meta = parse_text(f"{head}\n一、总体情况\n正文。\n").meta
    assert (meta.agency, meta.agency_kind, meta.year) == ("某某县人民政府办公室", "department", 2024)
    assert meta.title == "某某县人民政府办公室2024年政府信息公开工作年度报告".replace(
        "2024年", "2024 年" if "2024 年" in head else "2024年")


@pytest.mark.parametrize("head, agency", [
    ("政务公开\n国家统计局\n2024年政府信息公开工作年度报告", "国家统计局"),  # no area, and none above
    ("某某市人民政府门户网站\n国家统计局某某调查队\n2024年政府信息公开工作年度报告", "国家统计局某某调查队"),
])
def test_a_name_without_an_area_takes_no_header_above_it(parse_text, head, agency):
    assert parse_text(f"{head}\n一、总体情况\n正文。\n").meta.agency == agency


def test_four_figures_that_are_no_plausible_year_are_not_the_year(parse_text):
    meta = parse_text("某某县政府信息公开工作年度报告\n一、总体情况\n全县共有1200年古树3株；2024年，我县认真落实条例。\n").meta
    assert meta.year == 2024


# --------------------------------------------------------------------------- the page around it


def _page(body: str, head: str = "") -> bytes:
    return (f'<html><head><meta charset="utf-8">{head}</head><body><div class="top">'
            '<img src="banner.png"><a href="/">首页</a><a href="/zwgk">政务公开</a></div>'
            f'<div class="article">{body}</div><div class="foot">主办：某某县人民政府办公室</div>'
            "</body></html>").encode()


_REPORT = ("<p>一、总体情况</p><p>2024年，本局认真做好政府信息公开工作。</p><p>二、主动公开政府信息情况</p>"
           "<p>六、其他需要报告的事项</p><p>本年度未收取信息处理费。</p>")


def test_the_page_title_stands_in_for_a_missing_title_line(parse_text):
    report = parse_text(_page("<h1>某某县教育局2024年政府信息公开工作年度报告</h1>"
                              f"<div class='content'>{_REPORT}</div>").decode(), name="page.html")
    meta = report.meta
    assert (meta.title, meta.agency, meta.agency_kind, meta.year) == (
        "某某县教育局2024年政府信息公开工作年度报告", "某某县教育局", "department", 2024)
    assert dict(meta.sources) == {"title": "page", "agency": "page", "agency_kind": "page", "year": "page"}


def test_a_title_line_of_the_report_wins_over_the_page_title(parse_text):
    body = f"<p>某某县教育局2024年政府信息公开工作年度报告</p>{_REPORT}"
    meta = parse_text(_page(body, "<title>首页_某某县人民政府门户网站</title>").decode(), name="page.html").meta
    assert meta.title == "某某县教育局2024年政府信息公开工作年度报告"
    assert meta.source_of("title") == "report"


@pytest.mark.parametrize("sentence", [
    "根据条例规定，特向社会公布《某某县教育局2024年政府信息公开工作年度报告》",
    "现将《某某县教育局2024年政府信息公开工作年度报告》公布如下：",
])
def test_a_sentence_quoting_the_title_is_not_the_title(parse_text, sentence):
    head = '<meta name="ArticleTitle" content="某某县教育局2024年政府信息公开工作年度报告">'
    meta = parse_text(_page(f"<p>{sentence}</p>{_REPORT}", head).decode(), name="page.html").meta
    assert meta.title == "某某县教育局2024年政府信息公开工作年度报告" and meta.agency == "某某县教育局"
    assert meta.source_of("title") == "page"
    text_meta = parse_text(f"{sentence}\n一、总体情况\n正文。\n").meta
    assert text_meta.title is None


def test_a_title_set_in_book_title_marks_alone_is_the_title(parse_text):
    meta = parse_text("《某某县教育局2024年政府信息公开工作年度报告》\n一、总体情况\n正文。\n").meta
    assert meta.agency == "某某县教育局" and meta.year == 2024


@pytest.mark.parametrize("head, info, published", [
    ('<meta name="PubDate" content="2025-02-10 09:30">', "", date(2025, 2, 10)),
    ("", "<div class='info'>发布时间：2025-01-20 来源：本站</div>", date(2025, 1, 20)),
    ("", "<div class='info'>发布日期：2025年3月5日</div>", date(2025, 3, 5)),
    ("", "<span class='time'>时间：2025-01-08 10:00</span>", date(2025, 1, 8)),
])
def test_the_page_date_stands_in_for_a_missing_signature(parse_text, head, info, published):
    report = parse_text(_page(f"<h1>某某县教育局2024年政府信息公开工作年度报告</h1>{info}"
                              f"<div class='content'>{_REPORT}</div>", head).decode(), name="page.html")
    meta = report.meta
    assert meta.published == published and meta.source_of("published") == "page"
    assert meta.signature_date is None
    assert "据网页" in meta.published_text and "报告无落款日期" in meta.published_text


def test_a_signature_date_wins_over_the_page_date(parse_text):
    body = (f"<div class='info'>发布时间：2025-03-01</div><div class='content'>{_REPORT}"
            "<p>某某县教育局</p><p>2025年1月20日</p></div>")
    meta = parse_text(_page(body).decode(), name="page.html").meta
    assert meta.published == meta.signature_date == date(2025, 1, 20)
    assert meta.source_of("published") == "report"


def test_a_date_inside_the_article_is_not_the_page_date(parse_text):
    body = f"<div class='content'><p>发布时间：2025-03-01</p>{_REPORT}</div>"
    meta = parse_text(_page(body).decode(), name="page.html").meta
    assert meta.published is None


@pytest.mark.parametrize("agency, info, rule, status", [
    ("某某县教育局", "发布时间：2025-01-20", "TIME-001", "pass"),
    ("某某县教育局", "发布时间：2025-02-10", "TIME-001", "fail"),
    ("某某县人民政府", "发布日期：2025-03-31", "TIME-002", "pass"),
    ("某某县人民政府", "发布日期：2025-04-01", "TIME-002", "fail"),
])
def test_timeliness_judges_the_page_date_and_says_so_while_the_signature_rule_judges_the_report(
        parse_text, agency, info, rule, status):
    from checker.engine import check_report, get_profile, load_pack

    body = (f"<h1>{agency}2024年政府信息公开工作年度报告</h1><div class='info'>{info}</div>"
            f"<div class='content'>{_REPORT}</div>")
    result = check_report(parse_text(_page(body).decode(), name="page.html"), load_pack(), get_profile())
    by_rule = {r.rule: r for r in result.results}
    assert by_rule[rule].status == status
    assert any(info in e.text and "据网页" in e.text for e in by_rule[rule].evidence)
    assert by_rule["META-005"].status == "fail"  # the report itself has no 落款


# one typo in the words that name the report: substituted, dropped (at the end too), or in the subject
TITLE_TYPOS = [("年度报告", "年度报吿"), ("年度报告", "年渡报告"), ("年度报告", "年度报"), ("政府信息公开", "政府信息公升"),
               ("公开工作", "公开公作")]


@pytest.mark.parametrize("name", [n for n in seed_names() if load_gold(n)["agency"]])
@pytest.mark.parametrize("right, wrong", TITLE_TYPOS)
def test_a_title_with_a_typo_is_still_the_title(name, right, wrong, tmp_path):
    text = (SEEDS / name).read_text(encoding="utf-8")
    title = parse_file(SEEDS / name).meta.title
    assert title and right in title
    typo = tmp_path / name
    typo.write_text(text.replace(right, wrong, 1), encoding="utf-8")
    expected, found = parse_file(SEEDS / name).meta, parse_file(typo).meta
    assert found.title is not None and wrong in found.title
    assert (found.agency, found.agency_kind, found.year) == (expected.agency, expected.agency_kind, expected.year)


@pytest.mark.parametrize("line", ["2024年度工作报表", "关于2024年度报表的说明", "某某县2024年度报吿"])
def test_words_near_the_report_name_alone_are_no_title(parse_text, line):
    # a title with a typo must still say what it is about
    assert parse_text(f"{line}\n一、总体情况\n正文。\n").meta.title is None


_DATE_PIECES = st.sampled_from(["2024", "年", "1", "月", "12", "31", "日", "号", "至", "到", "从", "自", "止",
                                "—", " ", "二〇二四", "十二", "，", "统计期间"])


@given(st.lists(_DATE_PIECES, max_size=24).map("".join))
@example("统计期间为2024年1月1日至2024年12月31日。")
@example("从2024年1月1日起至12月31日止")
@example("2024年1月1日至31日")
def test_a_date_range_is_found_as_the_range_pattern_finds_it(text) -> None:
    """find_range() skips a text with fewer than two 月 without scanning it: it finds what a
    scan of every match of the range pattern finds."""
    expected = None
    for match in dates.RANGE.finditer(text):
        start = dates.to_date(match.group("ay"), match.group("am"), match.group("ad"))
        end = dates.to_date(match.group("by") or match.group("ay"), match.group("bm"), match.group("bd"))
        if start and end and start <= end:
            expected = (start, end, match.group().strip())
            break
    assert dates.find_range(text) == expected
