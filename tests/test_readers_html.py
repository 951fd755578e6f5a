"""The HTML reader on the real portal pages of the corpus and on pages made for one concern each
(charset, navigation, layout tables, merged cells, a page without a report)."""
from __future__ import annotations

import pytest
from readers_support import (PART_HEADINGS, cell_mismatches, corpus_bytes, gold, labelled_rows,
                             number_rows, rows, texts)

from checker.model import Document, PageFact
from checker.readers import html, read_document

PAGES = ("pingtan-2023.html", "pingtan-2024.html")


@pytest.fixture(scope="module", params=PAGES)
def page(request) -> tuple[str, Document]:
    return request.param, html.read(request.param, corpus_bytes(request.param))


def _page(body: str, head: str = "", charset: str = "utf-8") -> bytes:
    return (f'<!DOCTYPE html><html><head><meta charset="{charset}"/>{head}</head>'
            f"<body>{body}</body></html>").encode(charset)


# --------------------------------------------------------------------------- the corpus


def test_table_b_gives_25_labelled_rows_of_7_values_in_gold_order(page):
    name, document = page
    expected = gold(name)
    found = labelled_rows(document, 7)
    assert len(found) == 25
    assert [values for _, values in found] == [expected["applications"][r]
                                               for r in expected["row_ids"]]


def test_table_c_data_row_gives_15_numbers(page):
    name, document = page
    review = gold(name)["reviews_and_litigation"]
    blocks = ("administrative_review", "litigation_direct", "litigation_after_review")
    keys = ("upheld", "corrected", "other", "pending", "total")
    assert number_rows(document, 15) == [[review[b][k] for b in blocks for k in keys]]


def test_table_a_values(page):
    name, document = page
    active = gold(name)["active_disclosure"]
    by_label = dict(labelled_rows(document, 3)) | dict(labelled_rows(document, 1))
    assert by_label["规章"] == list(active["regulations"].values())
    assert by_label["行政规范性文件"] == list(active["normative_documents"].values())
    assert by_label["行政许可"] == [active["administrative_licensing"]]
    assert float(by_label["行政事业性收费"][0]) == active["administrative_fees_wan_yuan"]


def test_merged_cells_appear_once_at_their_top_left_position(page):
    _, document = page
    fragments = [f for line in rows(document) for f in line.fragments]
    group = [f for f in fragments if f.text == "三、本年度办理结果"]
    assert len(group) == 1 and group[0].where.col == 0
    applicants = [f for f in fragments if f.text == "法人或其他组织"]
    assert len(applicants) == 1 and (applicants[0].where.row, applicants[0].where.col) == (1, 4)
    header = next(line for line in rows(document) if line.fragments[0].text == "商业企业")
    assert [(f.text, f.where.col) for f in header.fragments] == [
        ("商业企业", 4), ("科研机构", 5), ("社会公益组织", 6), ("法律服务机构", 7), ("其他", 8)]


def test_table_b_grid_is_28_rows_by_10_columns(page):
    _, document = page
    table_b = [line for line in rows(document) if line.where.table == 1]
    assert len(table_b) == 28
    assert max(f.where.col for line in table_b for f in line.fragments) == 9


def test_cell_text_is_joined_across_p_and_span(page):
    _, document = page
    cells = {f.text for line in rows(document) for f in line.fragments}
    assert "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请" in cells
    assert "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请" in cells


def test_every_fragment_has_a_position(page):
    _, document = page
    assert [line.where.line for line in document.lines] == list(range(1, len(document.lines) + 1))
    for line in document.lines:
        for fragment in line.fragments:
            where = fragment.where
            if line.kind == "row":
                assert line.grid and None not in (where.table, where.row, where.col)
            else:
                assert where.line == line.where.line and where.table is None


def test_part_headings_are_text_lines_of_their_own(page):
    _, document = page
    lines = texts(document)
    assert [heading in lines for heading in PART_HEADINGS] == [True] * 6


def test_the_page_title_and_date_are_page_facts_and_stay_out_of_the_text(page):
    name, document = page
    year = gold(name)["year"]
    title = f"平潭综合实验区{year}年度政府信息公开工作年度报告"
    assert document.facts["title"] == PageFact(title, "meta ArticleTitle")
    assert document.facts["published"].where == "meta PubDate"
    assert document.facts["published"].text.startswith(gold(name)["page_published"])
    assert title not in texts(document)
    assert not [t for t in texts(document) if t.startswith(("时间：", "来源："))]


def test_dispatch_by_content_picks_the_html_reader():
    document = read_document("saved-page", corpus_bytes("pingtan-2024.html"))
    assert document.reader == "html" and document.encoding == "utf-8"


def test_parse_end_to_end_matches_the_gold(page):
    from checker.pipeline import parse_bytes

    name, _ = page
    assert cell_mismatches(parse_bytes(name, corpus_bytes(name)), gold(name)) == []


# --------------------------------------------------------------------------- charsets


@pytest.mark.parametrize("declared", ["gb2312", "gbk", "GB18030", None])
def test_gb18030_copy_reads_identically(declared):
    text = corpus_bytes("pingtan-2024.html").decode("utf-8")
    meta = (f'<meta http-equiv="Content-Type" content="text/html; charset={declared}"/>'
            if declared else "")
    assert text.count('<meta charset="utf-8"/>') == 1
    gb_bytes = text.replace('<meta charset="utf-8"/>', meta).encode("gb18030")
    original = html.read("utf8.html", corpus_bytes("pingtan-2024.html"))
    copy = html.read("gb.html", gb_bytes)
    assert copy.encoding == "gb18030"
    assert copy.lines == original.lines


# --------------------------------------------------------------------------- finding the article

_NAVIGATION = """
<div class="top"><a href="/">首页</a><a href="/zwgk">政务公开</a><a href="/hd">互动交流</a>
  <div class="search">站内搜索</div></div>
<nav><ul><li><a href="/a">机构概况</a></li><li><a href="/b">政策文件</a></li></ul></nav>
<div class="main">
 <div class="left"><ul>{links}</ul></div>
 <div class="right">
  <h1>某某县2024年政府信息公开工作年度报告</h1>
  <div class="info">发布时间：2025-01-20 来源：县政府办公室 浏览次数：</div>
  <div class="text">
   <p>本报告根据《中华人民共和国政府信息公开条例》编制，所列数据统计期限自2024年1月1日至2024年12月31日。</p>
   <p><strong>一、总体情况</strong></p>
   <p>2024年，某某县认真贯彻落实政务公开各项要求，主动公开政府信息一千余条，依法办理政府信息公开申请。</p>
   <p><strong>二、主动公开政府信息情况</strong></p>
   <table><tr><td>信息内容</td><td>本年制发件数</td></tr><tr><td>规章</td><td>0</td></tr></table>
  </div>
 </div>
</div>
<footer>版权所有：某某县人民政府办公室 地址：某某县人民路1号 备案号：某ICP备12345678号</footer>
<div class="foot">主办单位：某某县人民政府办公室 承办单位：某某县大数据中心 联系电话：0000-1234567</div>
"""


def test_article_is_found_among_site_navigation_by_text_density():
    links = "".join(f'<li><a href="/n{i}">关于做好第{i}批重点民生工程项目的通知公告</a></li>' for i in range(40))
    document = html.read("nav.html", _page(_NAVIGATION.format(links=links),
                                            "<title>某某县2024年政府信息公开工作年度报告_年报_某某县人民政府</title>"))
    lines = texts(document)
    assert document.facts["title"] == PageFact("某某县2024年政府信息公开工作年度报告", "<h1>")
    assert document.facts["published"] == PageFact("发布时间：2025-01-20", "页面文字")
    assert lines[0].startswith("本报告根据") and "一、总体情况" in lines and "二、主动公开政府信息情况" in lines
    assert not any(word in " ".join(lines) for word in ("首页", "机构概况", "通知公告", "版权所有", "主办单位"))
    assert [line.text for line in rows(document)] == ["信息内容\t本年制发件数", "规章\t0"]
    assert document.notes == ()


def test_a_known_content_container_wins_over_its_surroundings():
    sentence = "本年度政府信息公开工作有序推进，各项工作取得明显成效，群众满意度持续提升。"
    body = ('<div class="sidebar"><p>热点专题：优化营商环境系列政策解读与问答汇编专栏持续更新中</p></div>'
            f'<div class="TRS_Editor"><p>一、总体情况</p><p>{sentence}</p></div>')
    document = html.read("trs.html", _page(body))
    assert texts(document) == ["一、总体情况", sentence]


def test_a_page_without_a_report_reads_without_rows_or_headings():
    links = "".join(f'<li><a href="/n{i}">新闻动态第{i}条：全县召开安全生产工作会议</a></li>' for i in range(30))
    document = html.read("index.html", _page(f"<div class='top'>某某县人民政府门户网站</div><ul>{links}</ul>",
                                              "<title>某某县人民政府门户网站</title>"))
    assert rows(document) == []
    assert not set(texts(document)) & set(PART_HEADINGS)


def test_an_empty_page_is_an_empty_document():
    document = html.read("empty.html", b"<html><head><title></title></head><body>  </body></html>")
    assert document.lines == () and document.reader == "html"
    # a page cut down to the comment a download tool put before it: empty, not unreadable
    for data in (b"<!-- Source: saved from https://example.org @12f00b", b"<!-- a -->\n  <!-- b -->"):
        assert html.read("comment.html", data).lines == ()


def test_a_layout_table_is_read_as_text_and_its_data_table_as_grid():
    body = ("<table><tr><td><a href='/'>首页</a></td></tr><tr><td>"
            "<p>二、主动公开政府信息情况</p>"
            "<table><tr><td>规章</td><td>1</td><td>0</td><td>11</td></tr></table>"
            "<p>三、收到和处理政府信息公开申请情况</p></td></tr></table>")
    document = html.read("layout.html", _page(body))
    assert texts(document) == ["二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况"]
    assert [(line.where.table, line.text) for line in rows(document)] == [(0, "规章\t1\t0\t11")]


# --------------------------------------------------------------------------- grids and text


def test_rowspan_and_colspan_place_cells_on_the_expanded_grid():
    body = """<table>
      <tr><td rowspan="2" colspan="2">项目</td><td colspan="2">申请人</td></tr>
      <tr><td>自然人</td><td>法人</td></tr>
      <tr><td rowspan="2">三、结果</td><td>（一）公开</td><td>1</td><td></td></tr>
      <tr><td>（二）部分</td><td>2</td><td>&nbsp;</td></tr>
    </table>"""
    document = html.read("grid.html", _page(body))
    placed = [[(f.text, f.where.row, f.where.col) for f in line.fragments]
              for line in rows(document)]
    assert placed == [
        [("项目", 0, 0), ("申请人", 0, 2)],
        [("自然人", 1, 2), ("法人", 1, 3)],
        [("三、结果", 2, 0), ("（一）公开", 2, 1), ("1", 2, 2), ("", 2, 3)],
        [("（二）部分", 3, 1), ("2", 3, 2), ("", 3, 3)],
    ]


def test_running_text_joins_inline_runs_and_splits_at_blocks_and_breaks():
    body = ("<div class='content'><p><span>（一）</span><span>主动公开</span>方面。全年&nbsp;公开\n"
            "  信息<b>120</b>条。</p><p>第一行<br/>第二行</p><div>直接文本<p>段落</p>尾部文本</div></div>")
    document = html.read("text.html", _page(body))
    assert texts(document) == ["（一）主动公开方面。全年 公开信息120条。", "第一行", "第二行",
                               "直接文本", "段落", "尾部文本"]


def test_scripts_styles_and_hidden_elements_are_not_text():
    body = ("<style>p{color:red}</style><script>var 报告 = 1;</script>"
            "<div style='display:none'>隐藏的内容不应出现</div><p>一、总体情况</p>")
    assert texts(html.read("clean.html", _page(body))) == ["一、总体情况"]


def test_an_xhtml_page_with_an_xml_declaration_reads():
    data = ('<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml">'
            "<body><p>六、其他需要报告的事项</p></body></html>").encode()
    assert texts(html.read("x.xhtml", data)) == ["六、其他需要报告的事项"]


@pytest.mark.parametrize("before", ["", '<?xml version="1.0"?>\n', "<!-- saved -->\n"])
def test_a_doctype_with_an_internal_subset_leaves_no_text_behind(before):
    data = (f'{before}<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0//EN" [\n  <!ENTITY nbsp "&#160;">\n'
            '  <!ENTITY copy "&#169;">\n]>\n<html><head><title>某某县2024年政府信息公开工作年度报告</title></head>'
            "<body><p>一、总体情况</p><p>二、主动公开政府信息情况</p></body></html>").encode()
    document = html.read("subset.html", data)
    assert texts(document) == ["一、总体情况", "二、主动公开政府信息情况"]
    assert document.facts["title"].text == "某某县2024年政府信息公开工作年度报告"


def test_word_sections_stay_together_even_when_one_holds_most_of_the_text():
    narrative = "<p>一、总体情况</p>" + "<p>本年度政府信息公开工作稳步推进，主动公开各类信息，依法办理申请，加强平台建设和监督保障。</p>" * 40
    tables = ("<p>二、主动公开政府信息情况</p>"
              "<table><tr><td>规章</td><td>1</td><td>0</td><td>11</td></tr></table>")
    body = (f"<div class='top'>网站导航</div><div><div class='WordSection1'>{narrative}</div>"
            f"<div class='WordSection2'>{tables}</div></div>")
    document = html.read("word.html", _page(body))
    assert "二、主动公开政府信息情况" in texts(document) and len(rows(document)) == 1
    assert "网站导航" not in texts(document)


def test_control_characters_in_a_scraped_page_are_ignored():
    data = "<html><body><p>一、总体\x00情况\x0b</p></body></html>".encode()
    assert texts(html.read("ctl.html", data)) == ["一、总体情况"]


# --------------------------------------------------------------------------- pictures


@pytest.mark.parametrize("banner", [
    '<img src="/images/banner.jpg">',  # no size: counts as a picture
    '<div class="logo"><img src="/images/logo.png" alt="某某县人民政府门户网站"></div>',
    '<a href="/"><img src="/images/top.jpg" width="1200" height="160"></a>',
])
def test_an_image_before_the_title_leaves_the_page_readable(banner):
    body = (f"{banner}<p>一、总体情况</p><p>本年度政府信息公开工作有序推进。</p>"
            "<p>二、主动公开政府信息情况</p>")
    document = html.read("banner.html", _page(body, "<title>某某县2024年政府信息公开工作年度报告</title>"))
    assert texts(document) == ["一、总体情况", "本年度政府信息公开工作有序推进。", "二、主动公开政府信息情况"]
    assert document.facts["title"] == PageFact("某某县2024年政府信息公开工作年度报告", "<title>")
