"""The .txt/.md reader: encodings, line numbers, and the three ways text keeps a table row."""
from __future__ import annotations

import codecs

import pytest
from hypothesis import given
from hypothesis import strategies as st

from checker.errors import ReadError
from checker.model import Fragment, Line
from checker.readers import read_document
from checker.readers import text as text_reader
from checker.readers.text import _markdown_tables, read, read_line
from seeds_support import SEEDS, seed_names


def test_lines_are_numbered_from_one_and_blank_lines_skipped():
    doc = read("r.txt", "一、总体情况\n\n  正文。\r\n".encode("utf-8"))
    assert [(l.text, l.where.line) for l in doc.lines] == [("一、总体情况", 1), ("正文。", 3)]
    assert all(l.kind == "text" and len(l.fragments) == 1 for l in doc.lines)


@given(st.lists(st.one_of(st.text(alphabet="规章 0１\t\x0c\u3000<br>*#||-", max_size=12),
                          st.sampled_from(["[TABLE]", "![图一](a.png)", " [表格]\t", "![](b)\t0", "[表格] |", "a | b | c"])),
                max_size=8))
def test_a_file_reads_each_line_as_read_line_does(raws):
    """read() reads lines of running text, of tab-separated cells and of one cell ending in a bar
    outside a markdown table itself, not through read_line(): the same lines, equal fields
    sharing one fragment as read_line() has them."""
    text = "\n".join(raws)
    doc = read("r.txt", text.encode("utf-8"))
    tables = _markdown_tables(raws) if "-" in text and "|" in text else {}
    expected = [line for n, raw in enumerate(raws, start=1)
                if (line := read_line(raw, n, tables.get(n - 1))) is not None]
    assert doc.lines == tuple(expected)
    for mine, theirs in zip(doc.lines, expected):
        assert [mine.fragments.index(f) for f in mine.fragments] == [theirs.fragments.index(f) for f in theirs.fragments]
        assert len({id(f) for f in mine.fragments}) == len({f.text for f in mine.fragments})


@given(st.text(alphabet="规章 0１\t\u3000<br>|", max_size=24), st.sampled_from(["\t", "|"]), st.booleans())
def test_a_row_is_its_fields_read_one_by_one(joined, separator, grid):
    """A row is built from a cached shape of the row (its distinct texts and
    which each field holds): the fragments the field-by-field reading makes, equal ones shared."""
    where = text_reader._source(3)
    expected: dict[str, Fragment] = {}
    fragments = []
    for field in joined.split(separator):
        piece = text_reader._field(field) if "<" in field else field.strip()
        fragments.append(expected.setdefault(piece, Fragment(piece, where)))
    for _ in range(2):  # made afresh, then from the cache
        line = text_reader._build(text_reader._row_of(joined, separator, grid), where)
        assert line == Line(tuple(fragments), "row", where, grid)
        assert [id(f) for f in line.fragments].count(id(line.fragments[0])) == fragments.count(fragments[0])
        assert len({id(f) for f in line.fragments}) == len(expected)


def test_form_feed_does_not_shift_line_numbers():
    doc = read("r.txt", "第一页\x0c\n第二页\n".encode("utf-8"))
    assert [(l.text, l.where.line) for l in doc.lines] == [("第一页", 1), ("第二页", 2)]


def test_tab_separated_row_keeps_one_fragment_per_field():
    line = read_line("规章\t0\t\t13", 7)
    assert line.kind == "row" and not line.grid
    assert [f.text for f in line.fragments] == ["规章", "0", "", "13"]
    assert all(f.where.line == 7 for f in line.fragments)


@pytest.mark.parametrize("raw, texts", [
    ("行政许可 |", ["行政许可"]),
    ("商业 企业 |", ["商业 企业"]),
    ("|||", ["", "", "", ""]),
])
def test_one_cell_per_line_layout_is_split_on_bars(raw, texts):
    line = read_line(raw, 1)
    assert line.kind == "row" and not line.grid
    assert [f.text for f in line.fragments] == texts


def test_markdown_pipe_table_row_is_a_grid():
    line = read_line("| 规章 | 0 |  | 13 |", 1)
    assert line.kind == "row" and line.grid
    assert [f.text for f in line.fragments] == ["规章", "0", "", "13"]
    assert read_line("|---|:---:|---|", 2) is None


def test_markdown_markers_stay_in_the_text():
    assert read_line("## 一、总体情况", 1).text == "## 一、总体情况"


@pytest.mark.parametrize("encoding, name", [("gb18030", "gb18030"), ("gbk", "gb18030")])
def test_gb_encoded_text_is_detected(encoding, name):
    text = "裕民县 2024 年度政府信息公开工作年度报告\n一、总体情况\n" * 3
    doc = read("r.txt", text.encode(encoding))
    assert doc.encoding == name
    assert doc.lines[0].text == "裕民县 2024 年度政府信息公开工作年度报告"


TRADITIONAL = ("澳門某局2024年政府資訊公開工作年度報告\n一、總體情況\n本年度收到政府資訊公開申請12件，"
               "全部依法處理。\n四、政府資訊公開行政復議、行政訴訟情況\n")


@pytest.mark.parametrize("encoding", ["big5", "cp950"])
def test_big5_text_is_detected_not_read_as_gb18030(encoding):
    """Big5 bytes decode without error as GB18030 too, into nonsense: the reading that holds a
    report's own characters wins."""
    doc = read("r.txt", TRADITIONAL.encode(encoding))
    assert doc.encoding == "cp950"
    assert [line.text for line in doc.lines] == TRADITIONAL.strip().split("\n")


def test_traditional_characters_in_gb18030_stay_gb18030():
    doc = read("r.txt", TRADITIONAL.encode("gb18030"))
    assert doc.encoding == "gb18030"
    assert doc.lines[0].text == TRADITIONAL.split("\n")[0]


def test_a_big5_web_page_without_a_charset_is_detected():
    page = "<html><body><p>一、總體情況</p><p>本年度收到政府資訊公開申請12件。</p></body></html>"
    document = read_document("p.html", page.encode("big5"))
    assert [line.text for line in document.lines] == ["一、總體情況", "本年度收到政府資訊公開申請12件。"]


def test_utf8_bom_is_dropped():
    doc = read("r.txt", codecs.BOM_UTF8 + "一、总体情况\n".encode("utf-8"))
    assert doc.encoding == "utf-8-sig"
    assert doc.lines[0].text == "一、总体情况"


@pytest.mark.parametrize("name", seed_names())
def test_seed_reads_every_non_blank_line(name):
    data = (SEEDS / name).read_bytes()
    doc = read_document(name, data)
    assert doc.reader == "text"
    non_blank = [n for n, raw in enumerate(data.decode("utf-8").split("\n"), 1) if raw.strip()]
    assert [l.where.line for l in doc.lines] == non_blank


def test_missing_file_is_a_read_error(tmp_path):
    with pytest.raises(ReadError):
        read_document(tmp_path / "absent.txt")


def test_line_numbers_past_the_shared_sources(monkeypatch):
    # the Sources of a file's first lines are shared by every report; a longer file's are its own
    monkeypatch.setattr(text_reader, "_SHARED_LINES", 4)
    monkeypatch.setattr(text_reader, "_SHARED_SOURCES", [text_reader.Source(line=0)])
    doc = read("r.txt", "\n".join(f"第{n}行" for n in range(1, 8)).encode("utf-8"))
    assert [(l.text, l.where.line) for l in doc.lines] == [(f"第{n}行", n) for n in range(1, 8)]
    assert len(text_reader._SHARED_SOURCES) == 4
    assert read_line("短", 6).where.line == 6 and read_line("短", 2).where is text_reader._SHARED_SOURCES[2]


_PARAGRAPH = "本机关坚持以公开为常态、不公开为例外，持续深化政务公开工作。"


def test_a_text_that_starts_with_a_tag_is_a_page_only_when_it_reads_like_one():
    from checker.readers import sniff
    page = f"<html><head><title>年报</title></head><body>\n\n<p>{_PARAGRAPH}</p>\n\n{_PARAGRAPH}\n\n{_PARAGRAPH}\n</body></html>"
    fragment = "<div class=\"content\">\n" + "\n".join(f"  <p>\n  {_PARAGRAPH}\n  </p>" for _ in range(4)) + "\n</div>"
    markdown = f'<div class="article_title">\n\n某某县2024年度政府信息公开工作年度报告\n\n</div>\n\n{_PARAGRAPH}\n\n{_PARAGRAPH}\n'
    assert sniff("年报.txt", page.encode("utf-8")) == "html"
    assert sniff("年报.txt", fragment.encode("utf-8")) == "html"  # a page's source: no paragraphs of text alone
    assert sniff("年报.txt", markdown.encode("utf-8")) == "text"  # pandoc's markdown of a page
    assert sniff("年报.html", markdown.encode("utf-8")) == "html"  # the name says page


def test_the_tags_around_a_markdown_text_come_off_and_its_html_table_is_read_as_rows():
    text = ('<div class="article_title">\n\n某某县2024年度政府信息公开工作年度报告\n\n</div>\n\n'
            '<span class="time">时间：2025-01-20</span>\n\n引用标签 `<p>` 的句子保持原样。\n\n'
            '<table>\n<tr>\n<td><p>规章</p></td>\n<td>1</td></tr>\n<tr>\n<td>行政规范性文件</td>\n<td>2</td></tr>\n</table>\n')
    doc = read("r.md", text.encode("utf-8"))
    assert [(line.kind, [f.text for f in line.fragments], line.where.line) for line in doc.lines] == [
        ("text", ["某某县2024年度政府信息公开工作年度报告"], 3),
        ("text", ["时间：2025-01-20"], 7),
        ("text", ["引用标签 `<p>` 的句子保持原样。"], 9),
        ("row", ["规章", "1"], 12),
        ("row", ["行政规范性文件", "2"], 15),
    ]
