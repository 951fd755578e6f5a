"""The PDF reader on the layouts real reports come in, each read end to end: from a PDF set from
a gold report (readers_support.make_report_pdf, or a word processor's PDF in
tests/fixtures/pdf/), the extractor must find every gold cell; and the Document must show the
layout's trouble handled: page furniture and watermarks gone, labels stacked down a column not
glued to their neighbours, a row broken across pages whole again, columns read in order."""
from __future__ import annotations

from pathlib import Path

import pytest
from readers_support import (Bar, Page, PdfLayout, Picture, Rule, Rules, Span, Text,
                             cell_mismatches, gold, grid_table, labelled_rows, make_pdf,
                             make_report_pdf, rows, ruled_table, texts)

from checker.pipeline import parse_bytes
from checker.readers import pdf, pdf_engine

FIXTURES = Path(__file__).parent / "fixtures" / "pdf"
REPORTS = ("huaian-2024", "pingtan-2024")

LAYOUTS = {
    "plain": PdfLayout(),
    "running header, footer, watermark": PdfLayout(running_header=True, footer=True,
                                                   watermark="内部资料", filler=3),
    "borders as bars": PdfLayout(rules="bars"),
    "split, header repeated": PdfLayout(filler=9, repeat_header=True, footer=True),
    "split": PdfLayout(filler=9),
    "landscape Table B": PdfLayout(landscape=frozenset({"applications"})),
    "landscape Table B, /Rotate": PdfLayout(landscape=frozenset({"applications"}), rotated=True),
    "thousands separators": PdfLayout(thousands=True),
    "stacked block label": PdfLayout(narrow_block=True),
    "turned block label": PdfLayout(narrow_block=True, turned_block=True),
    "two columns": PdfLayout(two_columns=True),
    "column rules only": PdfLayout(rules="vertical"),
    "row rules only": PdfLayout(rules="horizontal"),
    "no rules": PdfLayout(rules="none"),
    "no rules, stacked block label": PdfLayout(rules="none", narrow_block=True),
    "no rules, turned block label": PdfLayout(rules="none", narrow_block=True, turned_block=True),
    "aligned by spaces": PdfLayout(rules="spaces", narrow_block=True),
    "no rules, split, furniture, thousands": PdfLayout(rules="none", thousands=True, filler=9,
                                                       repeat_header=True, footer=True,
                                                       running_header=True),
}
_BUILT: dict[tuple[str, str], bytes] = {}


def _pdf(report: str, layout: str) -> bytes:
    if (report, layout) not in _BUILT:
        _BUILT[(report, layout)] = make_report_pdf(gold(report), LAYOUTS[layout])
    return _BUILT[(report, layout)]


# --------------------------------------------------------------------------- end to end


@pytest.mark.parametrize("report", REPORTS)
@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_the_extractor_reads_every_gold_cell(layout, report):
    parsed = parse_bytes(f"{report}.pdf", _pdf(report, layout))
    assert cell_mismatches(parsed, gold(report)) == []
    assert parsed.meta.title == f"{gold(report)['agency']}{gold(report)['year']}年政府信息公开工作年度报告"


@pytest.mark.parametrize("source", ["no rules", "word-borderless"])
def test_a_row_label_cut_around_its_values_is_read(source):
    if source == "word-borderless":
        report, data = "pingtan-2024", (FIXTURES / "word-borderless.pdf").read_bytes()
    else:
        report, data = "huaian-2024", _pdf("huaian-2024", source)
    assert cell_mismatches(parse_bytes("cut-label.pdf", data), gold(report)) == []


WORD_FIXTURES = {
    # LibreOffice from Word files (tests/fixtures/pdf/make_fixtures.py): ruled tables, a title
    # header and "第 n 页 共 N 页" footer on every page, Table B's header rows repeated and one of
    # its rows broken across the page break
    "word-ruled-split": "huaian-2024",
    # Table B alone on a landscape page, numbers with thousands separators
    "word-landscape": "huaian-2024",
    # borders removed: columns of text, the block label stacked one character a line
    "word-borderless": "pingtan-2024",
    # borders removed, cells set at the top, value columns so narrow their headers wrap a
    # character a line, every label flush right against its first value (no margin: "规章0")
    "word-borderless-narrow": "pingtan-2023",
    # a web page printed by Chromium: no borders, cells centred both ways in narrow columns, so a
    # wrapped label's values sit half a line off its baseline and header cells wrap
    "web-borderless-centred": "huaian-2024",
}


@pytest.mark.parametrize("fixture", sorted(WORD_FIXTURES))
def test_a_word_processors_or_browsers_pdf_gives_every_gold_cell(fixture):
    report = WORD_FIXTURES[fixture]
    parsed = parse_bytes(f"{fixture}.pdf", (FIXTURES / f"{fixture}.pdf").read_bytes())
    assert cell_mismatches(parsed, gold(report)) == []
    assert parsed.meta.title == f"{gold(report)['agency']}{gold(report)['year']}年政府信息公开工作年度报告"


@pytest.mark.parametrize("fixture, rules", [
    ("web-borderless-centred", ("TA-002", "TB-002", "TB-003", "TB-006")),
    ("word-borderless-narrow", ("TA-002", "TB-002", "TB-003")),
])
def test_labels_of_a_table_without_rules_are_read_whole_and_apart_from_their_values(fixture, rules):
    from checker.engine import check_report, get_profile, load_pack

    report = parse_bytes(f"{fixture}.pdf", (FIXTURES / f"{fixture}.pdf").read_bytes())
    results = {r.rule: r.status for r in check_report(report, load_pack(), get_profile()).results}
    assert {rule: results[rule] for rule in rules} == {rule: "pass" for rule in rules}


def test_a_row_whose_values_sit_between_its_label_lines_is_one_row_of_cells():
    document = pdf.read("web.pdf", (FIXTURES / "web-borderless-centred.pdf").read_bytes())
    cells = _cells(document)
    assert ["（三）不予公开", "1.属于国家秘密", "2", "0", "0", "0", "0", "0", "2"] in cells
    assert ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] == \
        next(row for row in cells if row[0] == "结果维持")[:5]


def test_a_label_run_into_its_first_value_is_cut_at_the_column():
    document = pdf.read("tight.pdf", (FIXTURES / "word-borderless-narrow.pdf").read_bytes())
    cells = _cells(document)
    assert ["规章", "0", "0", "0"] in cells and ["行政规范性文件", "77", "132", "470"] in cells


# --------------------------------------------------------------------------- page furniture


def test_a_running_header_repeating_the_title_leaves_the_title_and_drops_the_rest():
    document = pdf.read("furniture.pdf", _pdf("pingtan-2024", "running header, footer, watermark"))
    lines = texts(document)
    assert lines[0] == "平潭综合实验区2024年政府信息公开工作年度报告"
    assert lines.count(lines[0]) == 1  # the title once, the running header never
    assert not [t for t in lines if "页" in t and "共" in t]


def test_a_slanted_watermark_is_dropped_even_across_a_table():
    page = [*ruled_table(72, 300, (200, 60, 60), [("规章", "1", "0"), ("行政规范性文件", "8", "26")]),
            Text(150, 420, "内部资料", 60, angle=35, gray=0.8),
            Text(72, 100, "一、总体情况", 14)]
    document = pdf.read("watermark.pdf", make_pdf([page]))
    assert texts(document) == ["一、总体情况"]
    assert [line.text for line in rows(document)] == ["规章\t1\t0", "行政规范性文件\t8\t26"]


def test_a_scan_with_a_watermark_and_a_stamped_header_is_still_a_scan():
    pages = [[Picture(40, 60, 515, 740), Text(200, 30, "某某县人民政府办公室", 10),
              Text(150, 420, "内部资料", 60, angle=35, gray=0.8)] for _ in range(3)]
    document = pdf.read("stamped-scan.pdf", make_pdf(pages))
    assert document.flags == {"no_text_layer"}
    assert document.notes == ("scanned PDF: no text layer",)


# --------------------------------------------------------------------------- page geometry


@pytest.mark.parametrize("rotate", [0, 90, 180, 270])
def test_a_landscape_page_is_read_as_displayed_whatever_its_rotation(rotate):
    row = ("一、本年新收政府信息公开申请数量", "3001", "53", "3054")
    marks = [Text(72, 60, "三、收到和处理政府信息公开申请情况", 14),
             *ruled_table(72, 100, (400, 60, 60, 60), [row])]
    document = pdf.read("landscape.pdf", make_pdf([Page(marks, width=842, height=595, rotate=rotate)]))
    heading, line = document.lines
    assert (heading.text, heading.where.x, heading.where.y) == ("三、收到和处理政府信息公开申请情况", 72, 60)
    assert line.text == "\t".join(row)
    assert (line.where.x, line.where.y) == (72, 100)


@pytest.mark.parametrize("layout", ["landscape Table B", "landscape Table B, /Rotate"])
def test_table_b_on_a_landscape_page_gives_its_25_rows(layout):
    document = pdf.read("landscape.pdf", _pdf("huaian-2024", layout))
    expected = gold("huaian-2024")
    assert [values for _, values in labelled_rows(document, 7)] == \
        [expected["applications"][r] for r in expected["row_ids"]]


# --------------------------------------------------------------------------- words and lines


def test_numbers_with_thousands_separators_stay_whole():
    document = pdf.read("thousands.pdf", _pdf("huaian-2024", "thousands separators"))
    cells = {f.text for line in rows(document) for f in line.fragments}
    assert {"3,001", "3,119", "3,985,758", "96,171.6"} <= cells


def _cells(document) -> list[list[str]]:
    return [[f.text for f in line.fragments] for line in rows(document)]


def test_a_label_stacked_down_a_narrow_column_is_not_glued_to_its_neighbours():
    document = pdf.read("stacked.pdf", _pdf("huaian-2024", "no rules, stacked block label"))
    cells = _cells(document)
    assert ["三、本年度办理结果", "（一）予以公开", "1288", "21", "0", "0", "50", "3", "1362"] in cells
    assert ["（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "447", "7", "0", "0", "0", "0", "454"] in cells
    assert not [t for row in cells for t in row if "本（二）" in t or "年形" in t]


def test_a_single_gap_before_a_word_is_a_column_but_justified_spacing_is_not():
    spread = [Text(72 + 15 * i, 100, ch, 12) for i, ch in enumerate("政府信息")]  # 3 pt apart
    pair = [Text(72, 140, "总", 12), Text(88, 140, "计", 12)]  # two characters spread apart
    stacked = [Text(72, 180, "本", 9), Text(86, 180, "（二）部分公开", 9)]  # 5 pt: a column
    spaced = [Text(72, 220, "社会 公益", 12)]  # a space the file holds
    page = [*spread, *pair, *stacked, *spaced]
    assert texts(pdf.read("gaps.pdf", make_pdf([page]))) == \
        ["政府信息", "总计", "本 （二）部分公开", "社会 公益"]


def test_a_label_turned_down_its_column_is_one_piece():
    ruled = pdf.read("turned.pdf", _pdf("huaian-2024", "turned block label"))
    assert any(line.fragments[0].text == "三、本年度办理结果" for line in rows(ruled))
    unruled = _cells(pdf.read("turned.pdf", _pdf("huaian-2024", "no rules, turned block label")))
    assert any(row[0] == "三、本年度办理结果" for row in unruled)
    assert ["（一）予以公开", "1288", "21", "0", "0", "50", "3", "1362"] in unruled


def test_two_columns_of_text_are_read_column_by_column():
    document = pdf.read("columns.pdf", _pdf("pingtan-2024", "two columns"))
    lines = texts(document)
    left = lines.index("（一）主动公开方面，本年度，我单位")
    right = lines.index("（二）依申请公开方面，本年度，我单")
    assert right == left + 5
    assert lines[left + 4] == "公开办理流程，及时回应社会关切。"


def test_radicals_a_font_maps_its_characters_to_are_read_as_the_characters():
    page = [Text(72, 100, "一、总体情况", 14), Text(72, 130, "不予公开，长期门户", 12)]
    data = make_pdf([page], misread={"一": "\u2f00", "不": "\uf967", "长": "\u2ed3", "门": "\u2ed4"})
    assert texts(pdf.read("radicals.pdf", data)) == ["一、总体情况", "不予公开，长期门户"]


# --------------------------------------------------------------------------- tables


def test_rules_between_columns_only_are_no_grid_the_table_is_read_from_its_aligned_values():
    document = pdf.read("columns-only.pdf", _pdf("huaian-2024", "column rules only"))
    assert not [t for t in texts(document) if "3001" in t]
    row = next(line for line in rows(document) if "3001" in line.text)
    assert [f.text for f in row.fragments] == ["一、本年新收政府信息公开申请数量", "3001", "53", "0", "0", "61", "4", "3119"]
    columns = [f.where.col for f in row.fragments]  # the values in seven columns after the labels
    assert columns[0] == 0 and columns[1:] == list(range(columns[1], columns[1] + 7))


def _broken_row_pages(values_below: tuple[str, ...] = ("", "")) -> list:
    widths = (90, 200, 50, 50)
    header = [Span(0, 0, "项目", cols=2), Span(0, 2, "自然人"), Span(0, 3, "总计")]
    first = [Text(72, 60, "三、收到和处理政府信息公开申请情况", 14),
             *grid_table(72, 740, widths, (20, 40),
                         [*header, Span(1, 0, "（四）无法"), Span(1, 1, "1.本机关不掌握相关政"),
                          Span(1, 2, "746"), Span(1, 3, "769")])]
    second = [*grid_table(72, 60, widths, (20, 20, 20),
                          [*header, Span(1, 0, "提供"), Span(1, 1, "府信息"),
                           Span(1, 2, values_below[0]), Span(1, 3, values_below[1]),
                           Span(2, 0, ""), Span(2, 1, "2.没有现成信息需要另行制作"),
                           Span(2, 2, "11"), Span(2, 3, "11")])]
    return [first, second]


def test_a_row_broken_across_pages_under_a_repeated_header_is_whole_again():
    document = pdf.read("broken-row.pdf", make_pdf(_broken_row_pages()))
    table = [(line.where.page, line.where.row, line.text) for line in rows(document)]
    assert table == [
        (1, 0, "项目\t自然人\t总计"),
        (1, 1, "（四）无法提供\t1.本机关不掌握相关政府信息\t746\t769"),
        (2, 2, "项目\t自然人\t总计"),  # the repeated header stays
        (2, 4, "\t2.没有现成信息需要另行制作\t11\t11"),
    ]


def test_a_row_with_values_after_a_page_break_is_a_row_of_its_own():
    document = pdf.read("two-rows.pdf", make_pdf(_broken_row_pages(values_below=("1", "1"))))
    assert [line.text for line in rows(document)][-2] == "提供\t府信息\t1\t1"


# --------------------------------------------------------------------------- drawings


def test_a_table_inside_a_form_xobject_is_found_where_the_form_puts_it():
    marks = [Text(72, 60, "二、主动公开政府信息情况", 14),
             *ruled_table(72, 100, (200, 60, 60), [("规章", "1", "0"), ("行政规范性文件", "8", "26")])]
    document = pdf.read("form.pdf", make_pdf([Page(marks, form_shift=(10, 20))]))
    assert [(line.kind, line.text, line.where.x, line.where.y) for line in document.lines] == [
        ("text", "二、主动公开政府信息情况", 82, 80),
        ("row", "规章\t1\t0", 82, 120),
        ("row", "行政规范性文件\t8\t26", 82, 140),
    ]


def test_lines_and_bars_become_rules_and_pieces_of_one_path_stay_apart():
    page = [Rule(72, 100, 300, 100), Bar(72, 199.75, 228, 0.5), Bar(71.75, 300, 0.5, 100),
            Rules(((72, 500, 150, 500), (300, 500, 372, 500)))]
    (content,) = pdf_engine.read_pages(make_pdf([page]))
    found = sorted((s.orientation, round(s.at), round(s.start), round(s.end))
                   for s in content.segments)
    assert found == [("h", 100, 72, 300), ("h", 200, 72, 300), ("h", 500, 72, 150),
                     ("h", 500, 300, 372), ("v", 72, 300, 400)]


# --------------------------------------------------------------------------- tables without rules


_B_COLUMNS = (293, 333, 385, 418, 455, 512, 540)  # where the values of each column start


def _headed_across_a_break() -> list[list[Text]]:
    """A table without rules whose header rows a page break cut (as LibreOffice prints a web
    page's table): the first header lines at the foot of page 1, the rest and the rows on page
    2. Text is set flush left in its cell, so the merged header 法人或其他组织 reaches just
    across two columns."""
    x = _B_COLUMNS
    foot = [Text(58, 700, "三、收到和处理政府信息公开申请情况"),
            Text(58, 740, "（本列数据的勾稽关系为："), Text(x[0], 740, "申请人情况"),
            Text(58, 755, "第一项加第二项之和）"), Text(x[0], 757, "自然人"), Text(x[1], 757, "法人或其他组织"),
            Text(x[6], 757, "总计"),
            Text(x[1], 773, "商业企业"), Text(x[2], 773, "科研"), Text(x[3], 773, "社会"),
            Text(x[4], 773, "法律服务"), Text(x[5], 773, "其他")]
    top = [Text(x[3], 60, "公益"), Text(x[2], 67, "机构"), Text(x[4], 67, "机构"), Text(x[3], 74, "组织")]
    for n, (label, values) in enumerate([("一、本年新收政府信息公开申请数量", (5, 1, 0, 0, 0, 0, 6)),
                                        ("二、上年结转政府信息公开申请数量", (0, 0, 0, 0, 0, 0, 0))]):
        top.append(Text(58, 94 + 17 * n, label))
        top += [Text(at, 94 + 17 * n, str(v)) for at, v in zip(x, values)]
    return [foot, top]


def test_a_header_a_page_break_cut_joins_its_table_on_the_next_page():
    document = pdf.read("headed.pdf", make_pdf(_headed_across_a_break()))
    assert not [t for t in texts(document) if "商业企业" in t or "申请人情况" in t]
    cells = [[f.text for f in line.fragments] for line in rows(document)]
    assert ["商业企业", "科研", "社会公益组织", "法律服务", "其他"] in cells, cells
    assert ["自然人", "法人或其他组织", "总计"] in cells, cells
    assert cells[-2][-7:] == ["5", "1", "0", "0", "0", "0", "6"]


def test_lines_at_a_pages_foot_that_no_table_takes_stay_where_they_are():
    pages = _headed_across_a_break()
    pages[1] = [Text(58, 60, "四、政府信息公开行政复议、行政诉讼情况"), Text(58, 80, "本年度未发生行政复议。")]
    document = pdf.read("unheaded.pdf", make_pdf(pages))
    assert [t for t in texts(document) if "商业企业" in t] and not rows(document)


def _rows_with_a_blank_one(labels: tuple[str, ...], blank: str) -> list[list[Text]]:
    """Rows of a table without rules, one of them (``blank``) with no values at all."""
    x = _B_COLUMNS
    marks = [Text(58, 80, "项目"), *(Text(at, 80, head) for at, head in zip(x, "甲乙丙丁戊己庚"))]
    for n, label in enumerate(labels):
        marks.append(Text(58, 100 + 17 * n, label))
        if label != blank:
            marks += [Text(at, 100 + 17 * n, str(v)) for at, v in zip(x, (n + 1, 0, 0, 0, 0, 0, n + 1))]
    return [marks]


NUMBERED = ("1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”", "4.保护第三方合法权益")
UNNUMBERED = ("行政许可", "行政处罚", "行政强制", "行政事业性收费")


@pytest.mark.parametrize("labels, blank", [(NUMBERED, NUMBERED[1]), (NUMBERED, NUMBERED[2]),
                                           (UNNUMBERED, UNNUMBERED[1]), (UNNUMBERED, UNNUMBERED[2])])
def test_a_row_without_values_is_a_blank_row_of_its_own(labels, blank):
    """A row whose cells are all blank leaves only its label: it is a row of blank cells, not
    the rest of the label above or below it (whose values would then be read as its own)."""
    document = pdf.read("blank-row.pdf", make_pdf(_rows_with_a_blank_one(labels, blank)))
    cells = {line.fragments[0].text: [f.text for f in line.fragments[1:]] for line in rows(document)}
    assert [label for label in cells if label != "项目"] == list(labels), cells
    for n, label in enumerate(labels):
        assert cells[label] == ([""] * 7 if label == blank else [str(n + 1), "0", "0", "0", "0", "0", str(n + 1)])


def test_column_headers_set_lower_than_a_merged_header_above_them_are_cells_of_their_own():
    """Header cells of different heights, centred in their row: 科研 (of 科研机构) sits a little
    higher than 商业企业, alone under the merged 法人或其他组织 whose flush-left text reaches
    into its column. It does not start where the merged header starts, so it is no wrap of it."""
    x = _B_COLUMNS
    marks = [Text(58, 100, "项目"), Text(x[0], 100, "申请人情况"),
             Text(x[1], 117, "法人或其他组织"),
             Text(x[0], 131, "自然人"), Text(x[2], 132, "科研"), Text(x[6], 131, "总计"),
             Text(x[1], 139, "商业企业"), Text(x[2], 147, "机构")]
    marks += [Text(58, 170, "一、本年新收政府信息公开申请数量")] + [Text(at, 170, "1") for at in x]
    marks += [Text(58, 187, "二、上年结转政府信息公开申请数量")] + [Text(at, 187, "0") for at in x]
    cells = [f.text for line in rows(pdf.read("stepped.pdf", make_pdf([marks]))) for f in line.fragments]
    assert "法人或其他组织" in cells and not [c for c in cells if "法人或其他组织" in c and c != "法人或其他组织"], cells


def test_a_short_middle_line_of_a_label_across_the_label_columns_stays_in_the_label():
    """A row label running across the group and row label columns, wrapped over three lines,
    its short middle line centred: the middle line is the label's, not a group label."""
    x = _B_COLUMNS
    marks = [Text(58, 100, "三、本年度"), Text(140, 100, "（一）予以公开")] + [Text(at, 100, "1") for at in x]
    marks += [Text(58, 117, "（二）部分公开（区分处理"), Text(95, 131, "的，只计")] + \
        [Text(at, 131, "2") for at in x] + [Text(58, 145, "这一情形，不计其他情形）")]
    marks += [Text(58, 165, "（三）不予公开"), Text(140, 165, "1.属于国家秘密")] + [Text(at, 165, "3") for at in x]
    labels = [line.fragments[0].text for line in rows(pdf.read("across.pdf", make_pdf([marks])))]
    assert "（二）部分公开（区分处理的，只计这一情形，不计其他情形）" in labels, labels
