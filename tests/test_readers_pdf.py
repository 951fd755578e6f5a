"""The PDF reader on the real corpus PDF and on PDFs written for one concern each: page
furniture, tables cut by page breaks, unruled tables, scans, encryption and broken files."""
from __future__ import annotations

import re
from decimal import Decimal

import pytest
from readers_support import (PART_HEADINGS, Picture, Rule, Text, cell_mismatches, corpus_bytes,
                             gold, labelled_rows, make_pdf, number_rows, rows, ruled_table,
                             scanned_copy, texts)

from checker.errors import ReadError
from checker.model import Document
from checker.readers import pdf, read_document

REPORT = "huaian-2024.pdf"


@pytest.fixture(scope="module")
def report() -> Document:
    return pdf.read(REPORT, corpus_bytes(REPORT))


# --------------------------------------------------------------------------- the corpus


def test_table_b_gives_25_labelled_rows_of_7_values_in_gold_order(report):
    expected = gold(REPORT)
    found = labelled_rows(report, 7)
    assert len(found) == 25
    assert [values for _, values in found] == [expected["applications"][r]
                                               for r in expected["row_ids"]]


def test_table_c_data_row_gives_15_numbers(report):
    review = gold(REPORT)["reviews_and_litigation"]
    blocks = ("administrative_review", "litigation_direct", "litigation_after_review")
    keys = ("upheld", "corrected", "other", "pending", "total")
    assert number_rows(report, 15) == [[review[b][k] for b in blocks for k in keys]]


def test_table_a_values_across_the_page_break(report):
    active = gold(REPORT)["active_disclosure"]
    by_label = dict(labelled_rows(report, 3)) | dict(labelled_rows(report, 1))
    assert by_label["规章"] == list(active["regulations"].values())
    assert by_label["行政规范性文件"] == list(active["normative_documents"].values())
    assert by_label["行政许可"] == [active["administrative_licensing"]]
    assert by_label["行政处罚"] == [active["administrative_punishment"]]
    assert by_label["行政事业性收费"] == [Decimal(str(active["administrative_fees_wan_yuan"]))]


def test_multi_line_cells_are_joined_into_whole_labels(report):
    cells = {f.text for line in rows(report) for f in line.fragments}
    assert {"三、本年度办理结果", "商业企业", "社会公益组织", "法律服务机构", "尚未审结",
            "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
            "1、申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"} <= cells


def test_a_group_label_cut_by_the_page_break_is_rejoined(report):
    fragments = [f for line in rows(report) for f in line.fragments]
    joined = [f for f in fragments if f.text == "（四）无法提供"]
    assert len(joined) == 1 and joined[0].where.page == 4
    assert not [f for f in fragments if f.text in ("（四）无", "法提供")]
    continued = next(line for line in rows(report) if line.where.page == 5)
    assert continued.fragments[0].text == "2.没有现成信息需要另行制作"
    assert continued.where.table == joined[0].where.table  # the same table, continued


def test_every_fragment_has_page_and_point_position(report):
    for line in report.lines:
        for fragment in line.fragments:
            where = fragment.where
            assert where.page in range(1, 7)
            assert isinstance(where.x, Decimal) and where.x.as_tuple().exponent == -1
            assert isinstance(where.y, Decimal) and 0 < where.y < 842
            if line.kind == "row":
                assert line.grid and None not in (where.table, where.row, where.col)


def test_lines_are_in_reading_order(report):
    positions = [(line.where.page, line.where.y) for line in report.lines]
    assert positions == sorted(positions)


def test_page_numbers_are_dropped(report):
    assert not [t for t in texts(report) if re.fullmatch(r"-\s*\d+\s*-", t)]


def test_part_headings_and_title_are_text_lines_of_their_own(report):
    lines = texts(report)
    assert lines[:2] == ["淮安市人民政府", "2024 年政府信息公开工作年度报告"]
    assert [heading in lines for heading in PART_HEADINGS] == [True] * 6


def test_a_ruled_frame_around_a_paragraph_is_text_not_a_table(report):
    assert any(t.startswith("本报告由淮安市人民政府办公室") for t in texts(report))
    assert not [line for line in rows(report) if "本报告由" in line.text]


def test_dispatch_by_content_picks_the_pdf_reader():
    data = make_pdf([[Text(72, 100, "一、总体情况")]])
    assert read_document("report-without-extension", data).reader == "pdf"


def test_parse_end_to_end_matches_the_gold():
    from checker.pipeline import parse_bytes

    assert cell_mismatches(parse_bytes(REPORT, corpus_bytes(REPORT)), gold(REPORT)) == []


# --------------------------------------------------------------------------- page furniture


def _body_page(n: int) -> list:
    return [Text(200, 30, "某某县人民政府办公室文件", 10),
            Text(72, 100 + 10 * n, f"第{n}页正文：本年度主动公开政府信息{n}条。", 12),
            Text(72, 140 + 10 * n, "7", 12),  # a bare number in the body stays
            Text(260, 805, f"第 {n} 页 共 3 页", 9)]


def test_running_headers_and_page_numbers_are_dropped():
    document = pdf.read("furniture.pdf", make_pdf([_body_page(n) for n in (1, 2, 3)]))
    assert texts(document) == ["第1页正文：本年度主动公开政府信息1条。", "7",
                               "第2页正文：本年度主动公开政府信息2条。", "7",
                               "第3页正文：本年度主动公开政府信息3条。", "7"]


@pytest.mark.parametrize("number", ["- 2 -", "—2—", "2", "2/5", "第2页"])
def test_page_number_forms_at_the_foot_of_the_page(number):
    page = [Text(72, 100, "五、存在的主要问题及改进情况", 12), Text(290, 800, number, 10)]
    assert texts(pdf.read("n.pdf", make_pdf([page]))) == ["五、存在的主要问题及改进情况"]


# --------------------------------------------------------------------------- tables


def test_a_table_split_across_pages_continues_with_the_next_pages_rows():
    header = ("信息内容", "本年制发件数", "本年废止件数", "现行有效件数")
    first = [Text(100, 60, "二、主动公开政府信息情况", 14),
             *ruled_table(72, 700, (180, 80, 80, 80), [header, ("规章", "1", "0", "11")]),
             Text(290, 805, "- 1 -")]
    second = [*ruled_table(72, 60, (180, 80, 80, 80), [header, ("行政规范性文件", "8", "26", "66")]),
              Text(100, 200, "三、收到和处理政府信息公开申请情况", 14)]
    document = pdf.read("split.pdf", make_pdf([first, second]))
    table = [(line.where.page, line.where.table, line.where.row, line.text)
             for line in rows(document)]
    assert table == [
        (1, 0, 0, "信息内容\t本年制发件数\t本年废止件数\t现行有效件数"),
        (1, 0, 1, "规章\t1\t0\t11"),
        (2, 0, 2, "信息内容\t本年制发件数\t本年废止件数\t现行有效件数"),  # repeated header stays
        (2, 0, 3, "行政规范性文件\t8\t26\t66"),
    ]
    assert texts(document) == ["二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况"]


def test_blank_cells_of_a_ruled_table_are_empty_fragments():
    page = ruled_table(72, 100, (180, 60, 60, 60), [("规章", "1", "", "11")])
    (line,) = rows(pdf.read("blank.pdf", make_pdf([page])))
    assert [f.text for f in line.fragments] == ["规章", "1", "", "11"]
    assert [f.where.col for f in line.fragments] == [0, 1, 2, 3]


def test_an_unruled_table_falls_back_to_text_lines_of_single_spaced_words():
    columns = (72, 260, 300, 340, 380, 420, 460, 500)
    cells = ("1.属于国家秘密", "2", "0", "0", "0", "0", "0", "2")
    page = [Text(x, 300, text, 9) for x, text in zip(columns, cells)]
    assert texts(pdf.read("unruled.pdf", make_pdf([page]))) == ["1.属于国家秘密 2 0 0 0 0 0 2"]


def test_justified_chinese_is_joined_and_wide_gaps_keep_a_space():
    spread = [Text(72 + 15 * i, 100, ch, 12) for i, ch in enumerate("政府信息")]  # 3 pt apart
    far = [Text(72, 140, "申请人情况", 12), Text(300, 140, "法人或其他组织", 12)]
    assert texts(pdf.read("gaps.pdf", make_pdf([spread + far]))) == ["政府信息", "申请人情况 法人或其他组织"]


# --------------------------------------------------------------------------- scans


def _scanned_copy_of_a_corpus_page() -> bytes:
    return scanned_copy(corpus_bytes(REPORT), [4])


def test_a_scanned_pdf_is_flagged_not_an_error():
    document = pdf.read("scan.pdf", _scanned_copy_of_a_corpus_page())
    assert document.flags == {"no_text_layer"}
    assert document.notes == ("scanned PDF: no text layer",)
    assert document.lines == ()


def test_a_scanned_pdf_makes_its_tables_not_assessable():
    from checker.pipeline import parse_bytes

    report = parse_bytes("scan.pdf", _scanned_copy_of_a_corpus_page())
    assert all(table is not None and table.unreadable for table in report.tables.values())


def test_a_partly_scanned_pdf_names_the_pages_without_text():
    document = pdf.read("mixed.pdf", make_pdf([[Text(72, 100, "一、总体情况", 14)],
                                               [Picture(40, 40, 515, 760)]]))
    assert document.flags == frozenset()
    assert document.notes == ("scanned page(s) without a text layer: 2",)
    assert texts(document) == ["一、总体情况"]


# --------------------------------------------------------------------------- files it cannot read


def test_an_encrypted_pdf_needing_a_password_is_a_read_error():
    data = make_pdf([[Text(72, 100, "一、总体情况")]], user_password="secret")
    with pytest.raises(ReadError) as error:
        pdf.read("locked.pdf", data)
    assert error.value.reason == "encrypted PDF (password required)"


def test_a_pdf_encrypted_only_for_permissions_reads():
    data = make_pdf([[Text(72, 100, "六、其他需要报告的事项")]], user_password="")
    assert b"/Encrypt" in data
    assert texts(pdf.read("restricted.pdf", data)) == ["六、其他需要报告的事项"]


def test_a_truncated_pdf_is_a_read_error():
    data = corpus_bytes(REPORT)
    with pytest.raises(ReadError) as error:
        pdf.read("half.pdf", data[: len(data) // 2])
    assert error.value.reason.startswith("damaged or truncated PDF: ")
    assert "cut off" in error.value.reason


def _broken_variants() -> dict[str, bytes]:
    data = corpus_bytes(REPORT)
    return {
        "cut with an end marker added": data[: len(data) // 2] + b"\n%%EOF\n",
        "cut at 90%": data[: len(data) * 9 // 10] + b"%%EOF",
        "xref zeroed": data[:-400] + bytes(300) + data[-100:],
        "header only": b"%PDF-1.7\n",
        "garbage body": b"%PDF-1.4\n" + bytes(range(256)) * 8 + b"\n%%EOF\n",
    }


@pytest.mark.parametrize("variant", sorted(_broken_variants()))
def test_a_broken_pdf_is_a_read_error_with_a_reason_never_a_traceback(variant):
    with pytest.raises(ReadError) as error:
        pdf.read("broken.pdf", _broken_variants()[variant])
    assert error.value.reason.startswith("damaged or truncated PDF: ")


def test_damage_inside_a_stream_reads_what_it_can():
    pages = [[Text(72, 100 + 20 * i, f"第{n}页第{i}行文字内容") for i in range(30)] for n in (1, 2, 3)]
    data = make_pdf(pages)
    middle = len(data) // 2
    damaged = data[:middle] + bytes(200) + data[middle + 200:]
    try:
        document = pdf.read("damaged.pdf", damaged)
    except ReadError as error:
        assert error.reason.startswith("damaged or truncated PDF")
    else:
        assert document.reader == "pdf"


def _in_process(monkeypatch) -> None:
    """PDFium in this process, so that a function of the reader can be replaced."""
    from checker import limits
    monkeypatch.setattr(limits, "current", lambda: limits.Limits(read_memory_mb=0, read_seconds=0))


def test_a_defect_of_the_reader_on_a_page_is_its_internal_error_not_a_damaged_pdf(monkeypatch):
    _in_process(monkeypatch)

    def broken(content, head):
        raise ZeroDivisionError("float division by zero")

    monkeypatch.setattr(pdf, "_read_page", broken)
    with pytest.raises(ReadError) as error:
        pdf.read("fine.pdf", make_pdf([[Text(72, 100, "一、总体情况")]]))
    assert error.value.reason == ("the PDF could not be read: internal error of the reader "
                                  "(ZeroDivisionError: float division by zero)")


def test_a_page_pdfium_cannot_read_costs_only_that_page(monkeypatch):
    import pypdfium2 as pdfium
    from checker.readers import pdf_engine

    _in_process(monkeypatch)
    real = pdf_engine._page

    def second_is_broken(document, index, most=0):
        if index == 1:
            raise pdfium.PdfiumError("Failed to load page.")
        return real(document, index, most)

    monkeypatch.setattr(pdf_engine, "_page", second_is_broken)
    document = pdf.read("two.pdf", make_pdf([[Text(72, 100, "一、总体情况")], [Text(72, 100, "二、主动公开政府信息情况")]]))
    assert texts(document) == ["一、总体情况"]
    assert document.notes == ("page 2 could not be read: damaged or truncated PDF: Failed to load page.",)


def test_glyphs_printed_twice_for_fake_bold_are_read_once():
    page = [Text(100, 100, "一、总体情况", 16), Text(100.4, 100.2, "一、总体情况", 16),
            Text(72, 140, "正文内容。", 12)]
    assert texts(pdf.read("bold.pdf", make_pdf([page]))) == ["一、总体情况", "正文内容。"]


def test_values_in_one_cell_of_a_table_without_column_rules_come_apart():
    frame = [Rule(72, 100, 520, 100), Rule(72, 120, 520, 120),
             Rule(72, 100, 72, 120), Rule(250, 100, 250, 120), Rule(520, 100, 520, 120)]
    values = ("3001", "53", "0", "/", "61", "4", "3119")
    page = [*frame, Text(75, 104, "一、本年新收政府信息公开申请数量", 9),
            *(Text(260 + 36 * i, 104, v, 9) for i, v in enumerate(values))]
    (line,) = rows(pdf.read("unruled-columns.pdf", make_pdf([page])))
    assert [f.text for f in line.fragments] == ["一、本年新收政府信息公开申请数量", *values]
    assert {f.where.col for f in line.fragments[1:]} == {1}


def test_a_text_layer_without_unicode_mapping_counts_as_no_text_layer():
    data = make_pdf([[Text(72, 100, "一、总体情况"), Text(72, 130, "本年度工作。")]],
                    unicode_font=False)
    document = pdf.read("cid.pdf", data)
    assert document.flags == {"no_text_layer"} and document.lines == ()
    assert document.notes == ("PDF text layer is unreadable (its fonts have no Unicode mapping)",)
