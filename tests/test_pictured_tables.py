"""A table published as a picture (a screenshot pasted into the page or the Word file) is there
but cannot be read: its rules are not assessable, never failed, and the report is not told its
tables are missing."""
from __future__ import annotations

import io
import re
import struct
import zlib

import pytest
from bs4 import BeautifulSoup
from readers_support import corpus_bytes

from checker.engine.runner import check_report
from checker.extract import extract
from checker.formats import DEFAULT_FORMAT, get_format
from checker.pipeline import parse_bytes
from checker.readers import read_document
from checker.engine.pack import load_pack
from checker.engine.scoring import get_profile

PAGE = "pingtan-2024.html"
TABLE_RULES = ("TA-003", "TB-005", "TB-010", "TB-011", "TB-012", "TC-002", "TC-003")


@pytest.fixture(scope="module")
def pack():
    return load_pack()


def _statuses(report, pack) -> dict[str, str]:
    result = check_report(report, pack, get_profile("default"))
    return {r.rule: r.status for r in result.results}


def _tables_as_pictures(page: str) -> str:
    return re.sub(r"<table.*?</table>", '<p><img src="/upload/table.png" width="640"></p>', page, flags=re.S)


def test_a_page_whose_tables_are_pictures_is_not_assessable_on_them(pack):
    page = _tables_as_pictures(corpus_bytes(PAGE).decode("utf-8"))
    report = parse_bytes("年报.html", page.encode("utf-8"))
    assert all(t is not None and t.unreadable for t in report.tables.values())
    statuses = _statuses(report, pack)
    assert {rule: statuses[rule] for rule in TABLE_RULES} == dict.fromkeys(TABLE_RULES, "not_assessable")
    assert statuses["TB-001"] == statuses["TC-001"] == "pass"  # the tables are there
    assert "fail" not in {statuses[r] for r in ("TA-001", "TB-001", "TC-001")}


def test_the_same_page_with_its_tables_is_checked_on_them(pack):
    report = parse_bytes("年报.html", corpus_bytes(PAGE))
    assert not any(t.unreadable for t in report.tables.values())
    assert "not_assessable" not in {_statuses(report, pack)[r] for r in ("TB-010", "TB-011", "TB-012")}


def test_icons_and_pictures_inside_a_sentence_are_not_taken_for_tables():
    page = ('<html><body><div class="content"><p>一、总体情况</p><p>本年度工作稳步推进。</p>'
            '<p>二、主动公开政府信息情况</p><p><img src="dot.gif" width="12" height="12">详见下表'
            '<img src="new.gif">说明。</p><p>三、收到和处理政府信息公开申请情况</p></div></body></html>')
    document = read_document("年报.html", page.encode("utf-8"))
    assert [line.kind for line in document.lines].count("image") == 0
    assert extract(document, get_format(DEFAULT_FORMAT)).tables["active_disclosure"] is None


def test_a_picture_only_in_another_part_leaves_a_missing_table_missing():
    page = ('<html><body><p>一、总体情况</p><p><img src="photo.jpg" alt="工作照片"></p>'
            '<p>二、主动公开政府信息情况</p><p>本年度主动公开信息 120 条。</p>'
            '<p>三、收到和处理政府信息公开申请情况</p></body></html>')
    report = parse_bytes("年报.html", page.encode("utf-8"))
    assert report.tables["active_disclosure"] is None


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", 8, 8, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"".join(b"\x00" + b"\xff" * 8 for _ in range(8)))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def test_a_word_file_whose_table_is_a_picture(pack):
    docx = pytest.importorskip("docx")
    document = docx.Document()
    for text in ("某某县2024年政府信息公开工作年度报告", "一、总体情况", "本年度工作稳步推进。",
                 "二、主动公开政府信息情况"):
        document.add_paragraph(text)
    document.add_picture(io.BytesIO(_png()))
    for text in ("三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况",
                 "五、存在的主要问题及改进情况", "问题是解读不够。", "六、其他需要报告的事项", "无。"):
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    parsed = read_document("年报.docx", out.getvalue())
    assert [line.kind for line in parsed.lines].count("image") == 1
    report = extract(parsed, get_format(DEFAULT_FORMAT))
    assert report.tables["active_disclosure"].unreadable
    assert report.tables["applications"] is None  # no picture under part 三: missing
    statuses = _statuses(report, pack)
    assert statuses["TA-003"] == "not_assessable" and statuses["TB-001"] == "fail"


def test_a_pdf_whose_table_is_a_picture_and_whose_seal_is_small(pack):
    from readers_support import PART_HEADINGS, Picture, Text, make_pdf
    marks = [Text(150, 60, "某某县2024年政府信息公开工作年度报告", 14),
             Text(72, 100, PART_HEADINGS[0], 12), Text(72, 120, "本年度工作稳步推进。", 12),
             Text(72, 150, PART_HEADINGS[1], 12), Picture(72, 170, 450, 200),  # Table A as a picture
             Text(72, 400, PART_HEADINGS[2], 12), Text(72, 420, "本年度未收到申请。", 12)]
    last = [Text(72, 100, PART_HEADINGS[3], 12), Text(72, 130, PART_HEADINGS[4], 12),
            Text(72, 150, "问题是解读不够。", 12), Text(72, 180, PART_HEADINGS[5], 12),
            Text(72, 200, "无。", 12), Text(400, 300, "某某县人民政府", 12),
            Picture(390, 260, 110, 110),  # the seal over the signature
            Text(400, 320, "2025年1月20日", 12)]
    report = parse_bytes("年报.pdf", make_pdf([marks, last]))
    assert report.tables["active_disclosure"].unreadable
    assert report.tables["applications"] is None and report.tables["reviews_and_litigation"] is None
    statuses = _statuses(report, pack)
    assert statuses["TA-003"] == "not_assessable"
    assert statuses["TB-001"] == statuses["TC-001"] == "fail"  # parts 三 and 四 hold no picture


@pytest.mark.parametrize("placeholder", ["[TABLE]", "[表格]", "![](/upload/table.png)", "![表2](t.jpg)"])
def test_a_text_whose_converter_left_a_placeholder_for_each_table_is_not_assessable_on_them(pack, placeholder):
    # pandoc's plain text writes "[TABLE]" where a table had merged cells; markdown writers
    # leave a picture as ![alt](src): the table is there, unread
    page = re.sub(r"<table.*?</table>", "<p>PLACEHOLDER</p>", corpus_bytes(PAGE).decode("utf-8"), flags=re.S)
    text = "\n".join(BeautifulSoup(page, "html.parser").get_text("\n").split("\n")).replace("PLACEHOLDER", placeholder)
    statuses = _statuses(parse_bytes("年报.txt", text.encode("utf-8")), pack)
    assert {rule: statuses[rule] for rule in TABLE_RULES} == dict.fromkeys(TABLE_RULES, "not_assessable")
    assert "fail" not in {statuses[r] for r in ("TA-001", "TB-001", "TC-001")}
    # the same text without the placeholders lacks its tables
    statuses = _statuses(parse_bytes("年报.txt", text.replace(placeholder, "").encode("utf-8")), pack)
    assert statuses["TB-001"] == "fail"
