"""Paragraphs: running text joined across line and page breaks, by part."""
from __future__ import annotations

from dataclasses import replace

import pytest

from checker.extract import extract
from checker.formats import get_format
from checker.pipeline import parse_file
from checker.readers import read_document
from checker.readers.text import read as read_text
from seeds_support import SEEDS


def parse_document(text):
    return read_text("report.txt", text.encode("utf-8"))


def test_word_cut_by_a_page_break_is_joined():
    report = parse_file(SEEDS / "002_a0c218d13443adaa.txt")
    assert any("责任追究" in p.text for p in report.paragraphs if p.part == 1)


def test_sentence_cut_by_a_page_break_is_joined():
    report = parse_file(SEEDS / "000_c7c1a845340d13e1.txt")
    assert any("通知公告 320条。" in p.text for p in report.paragraphs)


def test_no_markdown_markers_in_paragraphs():
    for name in ("000_c7c1a845340d13e1.txt", "003_855a3ef0bc8273b0.txt"):
        report = parse_file(SEEDS / name)
        assert not any("**" in p.text or p.text.startswith("#") for p in report.paragraphs)


def test_table_lines_are_not_paragraphs():
    report = parse_file(SEEDS / "001_816126611a69aadc.txt")
    assert not any(p.part in (2, 3, 4) for p in report.paragraphs)


def test_page_numbers_are_dropped_and_items_start_paragraphs(parse_text):
    report = parse_text("一、总体情况\n我们做了很多工作，其中包括信息公开、平台建设、监督保障等多个方面的内容，全年累计\n"
                        "- 3 -\n公开信息 100 条。\n（一）主动公开\n主动公开了文件。\n")
    assert [(p.part, p.text) for p in report.paragraphs] == [
        (1, "我们做了很多工作，其中包括信息公开、平台建设、监督保障等多个方面的内容，全年累计公开信息 100 条。"),
        (1, "（一）主动公开"),
        (1, "主动公开了文件。"),
    ]


def test_wrapped_pdf_text_is_rejoined(parse_text):
    width = 26
    body = "按照国务院关于政府信息公开工作的部署要求我县坚持以公开为常态不公开为例外的原则进一步" * 4
    lines = [body[i:i + width] for i in range(0, len(body), width)]
    text = "一、总体情况\n" + "\n".join(lines) + "。\n（一）主动公开情况\n"
    report = parse_text(text)
    assert report.paragraphs[0].text == body + "。"
    assert report.paragraphs[1].text == "（一）主动公开情况"


def test_signature_block_belongs_to_no_part():
    report = parse_file(SEEDS / "004_aeb9e6a604dec192.txt")
    tail = [p for p in report.paragraphs if p.part is None][-3:]
    assert [p.text for p in tail] == ["汾阳市人民政府", "2025 年 1 月 20 日", "(此件公开发布)"]


def test_a_short_line_ending_mid_sentence_after_a_full_stop_continues(parse_text):
    """PDF text wrapped at a fixed width: the last piece of a line before a page break is short,
    but a sentence ends inside it, so it is prose cut mid-sentence, not a heading."""
    report = parse_text("一、总体情况\n"
                        "（二）依申请公开情况。更新政府信息公开指南，健全登记、审核、办理、\n"
                        "答复、归档工作制度。2024 年，全区共受理答复\n\n"
                        "自然人、法人或其他组织申请政府信息公开件共 38 件，均能在规定期\n"
                        "限内完成答复。\n"
                        "二、主动公开政府信息情况\n")
    assert any("全区共受理答复自然人、法人或其他组织申请政府信息公开件共 38 件" in p.text
               for p in report.paragraphs if p.part == 1)
    short = parse_text("一、总体情况\n（一）主动公开\n本年度主动公开信息 12 条。\n").paragraphs
    assert [p.text for p in short] == ["（一）主动公开", "本年度主动公开信息 12 条。"]


def _only_parts(document, parts):
    """(meta, paragraphs) read in full then kept to ``parts``, part 1 (the metadata's) and none,
    and read with ``parts``."""
    fmt = replace(get_format("gov-2021"), tables=())
    whole, narrow = extract(document, fmt), extract(document, fmt, parts)
    kept = [p for p in whole.paragraphs if p.part in (None, 1, *parts)]
    return (whole.meta, kept), (narrow.meta, list(narrow.paragraphs))


@pytest.mark.parametrize("name", sorted(p.name for p in SEEDS.glob("*.txt")))
def test_reading_some_parts_builds_exactly_their_paragraphs(name):
    document = read_document(SEEDS / name)
    for parts in ({1, 5, 6}, {5}, {2, 6}, set()):
        whole, narrow = _only_parts(document, parts)
        assert narrow == whole


def test_reading_some_parts_stops_at_the_signature_under_a_part_left_out():
    # the last heading is a table's part: the signature and the date below its rows are read
    # (the year and the agency may come from them), the rows and the small table are not
    text = ("某某县教育局2024年政府信息公开工作年度报告\n一、总体情况\n本年度共主动公开信息 12 条。\n"
            "二、主动公开政府信息情况\n收费通知件数\t收费金额（元）\n3\t3940\n规章\t0\t0\t0\n"
            "本机关本年度未收取信息处理费\n某某县教育局\n2025 年 1 月 20 日\n")
    document = parse_document(text)
    whole, narrow = _only_parts(document, {5, 6})
    assert narrow == whole
    assert [p.part for p in narrow[1]] == [None, 1, None, None]
    assert narrow[0].year == 2024 and narrow[0].agency
    assert any("收费金额" in p.text for p in _only_parts(document, {2})[1][1])
