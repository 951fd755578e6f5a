"""The Word reader on .docx files built from the corpus gold with the national format's merged
cells, on body-order and run-level details, and on files that are not Word documents."""
from __future__ import annotations

import io
import zipfile
from dataclasses import replace

import docx as python_docx
import pytest
from readers_support import (PART_HEADINGS, cell_mismatches, gold, labelled_rows, make_docx,
                             number_rows, rows, texts)

from checker.errors import ReadError
from checker.model import Document
from checker.readers import docx, read_document

GOLDS = ("huaian-2024", "pingtan-2023", "pingtan-2024")


@pytest.fixture(scope="module", params=GOLDS)
def built(request) -> tuple[dict, bytes, Document]:
    report = gold(request.param)
    data = make_docx(report)
    return report, data, docx.read(f"{request.param}.docx", data)


def _docx(build) -> bytes:
    document = python_docx.Document()
    build(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --------------------------------------------------------------------------- from the gold


def test_table_b_gives_25_labelled_rows_of_7_values_in_gold_order(built):
    report, _, document = built
    found = labelled_rows(document, 7)
    assert len(found) == 25
    assert [values for _, values in found] == [report["applications"][r] for r in report["row_ids"]]


def test_table_c_data_row_gives_15_numbers(built):
    report, _, document = built
    review = report["reviews_and_litigation"]
    assert number_rows(document, 15) == [[review[b][k] for b in review for k in review[b]]]


def test_merged_cells_appear_once_at_their_top_left_position(built):
    _, _, document = built
    table_b = [line for line in rows(document) if line.where.table == 1]
    assert len(table_b) == 28
    fragments = [f for line in table_b for f in line.fragments]
    group = [f for f in fragments if f.text == "三、本年度办理结果"]
    assert [(f.where.row, f.where.col) for f in group] == [(5, 0)]
    applicants = [f for f in fragments if f.text == "法人或其他组织"]
    assert [(f.where.row, f.where.col) for f in applicants] == [(1, 4)]
    withheld = [f for f in fragments if f.text == "（三）不予公开"]
    assert [(f.where.row, f.where.col) for f in withheld] == [(7, 1)]
    assert [(f.text, f.where.col) for f in table_b[2].fragments] == [
        ("商业企业", 4), ("科研机构", 5), ("社会公益组织", 6), ("法律服务机构", 7), ("其他", 8)]


def test_tables_sit_between_the_paragraphs_around_them(built):
    _, _, document = built
    order = [(line.kind, line.where.table) for line in document.lines]
    heading_lines = {line.text: n for n, line in enumerate(document.lines) if line.kind == "text"}
    first_row_of = {t: order.index(("row", t)) for t in (0, 1, 2)}
    assert heading_lines[PART_HEADINGS[1]] < first_row_of[0] < heading_lines[PART_HEADINGS[2]]
    assert heading_lines[PART_HEADINGS[2]] < first_row_of[1] < heading_lines[PART_HEADINGS[3]]
    assert heading_lines[PART_HEADINGS[3]] < first_row_of[2] < heading_lines[PART_HEADINGS[4]]


def test_every_fragment_has_a_position(built):
    _, _, document = built
    assert [line.where.line for line in document.lines] == list(range(1, len(document.lines) + 1))
    for line in rows(document):
        assert line.grid
        assert all(None not in (f.where.table, f.where.row, f.where.col) for f in line.fragments)


def test_dispatch_by_content_picks_the_docx_reader(built):
    _, data, _ = built
    assert read_document("report.docx", data).reader == "docx"


def test_parse_end_to_end_matches_the_gold(built):
    from checker.pipeline import parse_bytes

    report, data, _ = built
    assert cell_mismatches(parse_bytes("report.docx", data), report) == []


# --------------------------------------------------------------------------- runs and cells


def test_runs_tabs_and_line_breaks():
    def build(document):
        paragraph = document.add_paragraph()
        paragraph.add_run("（一）")
        paragraph.add_run("主动公开").bold = True
        paragraph.add_run("情况。全年公开\t信息120条。")
        broken = document.add_paragraph()
        broken.add_run("某某县人民政府办公室").add_break()
        broken.add_run("2025年1月20日")
        document.add_paragraph("   ")

    assert texts(docx.read("runs.docx", _docx(build))) == [
        "（一）主动公开情况。全年公开 信息120条。", "某某县人民政府办公室", "2025年1月20日"]


def test_blank_cells_are_empty_fragments_and_cell_paragraphs_are_joined():
    def build(document):
        table = document.add_table(rows=1, cols=4)
        cells = table.rows[0].cells
        cells[0].text = "商业"
        cells[0].add_paragraph("企业")
        cells[1].text = "3"
        cells[3].text = "/"

    (line,) = rows(docx.read("cells.docx", _docx(build)))
    assert [(f.text, f.where.col) for f in line.fragments] == [
        ("商业企业", 0), ("3", 1), ("", 2), ("/", 3)]


def test_a_one_column_table_is_a_frame_around_text():
    def build(document):
        frame = document.add_table(rows=1, cols=1)
        frame.rows[0].cells[0].text = "一、总体情况"
        frame.rows[0].cells[0].add_paragraph("本年度工作有序推进。")

    document = docx.read("frame.docx", _docx(build))
    assert rows(document) == [] and texts(document) == ["一、总体情况", "本年度工作有序推进。"]


def test_deleted_revisions_and_field_codes_are_not_text():
    def build(document):
        paragraph = document.add_paragraph("保留")
        w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
        paragraph._p.append(python_docx.oxml.parse_xml(
            f'<w:del xmlns:w="{w}" w:id="1" w:author="a">'
            "<w:r><w:delText>删除</w:delText></w:r></w:del>"))
        paragraph._p.append(python_docx.oxml.parse_xml(
            f'<w:r xmlns:w="{w}"><w:instrText> PAGE </w:instrText></w:r>'))
        paragraph._p.append(python_docx.oxml.parse_xml(f'<w:r xmlns:w="{w}"><w:t>文字</w:t></w:r>'))

    assert texts(docx.read("revisions.docx", _docx(build))) == ["保留文字"]


# --------------------------------------------------------------------------- not Word files


def _zip(files: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


def test_a_zip_renamed_to_docx_is_a_read_error():
    data = _zip({"report.txt": "一、总体情况", "images/a.png": "x"})
    with pytest.raises(ReadError) as error:
        read_document("renamed.docx", data)
    assert error.value.reason == ("not a Word .docx document: a zip archive without the parts "
                                  "of a Word document")


def test_a_spreadsheet_renamed_to_docx_is_a_read_error():
    openpyxl = pytest.importorskip("openpyxl")
    out = io.BytesIO()
    openpyxl.Workbook().save(out)
    with pytest.raises(ReadError) as error:
        docx.read("sheet.docx", out.getvalue())
    assert error.value.reason == "not a Word .docx document: it is an Excel workbook"


@pytest.mark.parametrize("data", [b"plain text, not a zip", b"PK\x03\x04truncated zip"])
def test_bytes_that_are_not_a_zip_are_a_read_error(data):
    with pytest.raises(ReadError) as error:
        docx.read("fake.docx", data)
    assert error.value.reason == "not a Word .docx document: the file is not a zip archive"


def test_a_docx_with_broken_xml_is_a_read_error():
    good = make_docx(gold("pingtan-2024"))
    source = zipfile.ZipFile(io.BytesIO(good))
    parts = {name: source.read(name).decode("utf-8", "replace") for name in source.namelist()}
    parts["word/document.xml"] = parts["word/document.xml"][:500]
    with pytest.raises(ReadError) as error:
        docx.read("broken.docx", _zip(parts))
    assert error.value.reason.startswith("not a Word .docx document: ")


# --------------------------------------------------------------------------- layouts of the variant corpus


def test_a_table_inside_a_table_cell_is_read_as_a_data_table():
    def build(document):
        document.add_paragraph("四、政府信息公开行政复议、行政诉讼情况")
        outer = document.add_table(rows=1, cols=2)
        outer.rows[0].cells[0].text = "附表"
        inner = outer.rows[0].cells[1].add_table(rows=2, cols=5)
        for c, name in enumerate(("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")):
            inner.rows[0].cells[c].text = name
            inner.rows[1].cells[c].text = str(c)
        document.add_paragraph("五、存在的主要问题及改进情况")
    document = docx.read("nested.docx", _docx(build))
    assert texts(document) == ["四、政府信息公开行政复议、行政诉讼情况", "附表", "五、存在的主要问题及改进情况"]
    assert [line.text for line in rows(document)] == ["结果维持\t结果纠正\t其他结果\t尚未审结\t总计", "0\t1\t2\t3\t4"]


_W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _numbered(build_list, paragraphs) -> bytes:
    """A document whose paragraphs (text, level or None, style or None) are numbered by list 7."""
    from docx.oxml import parse_xml

    def build(document):
        numbering = document.part.numbering_part.element
        first_num = numbering.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}num")
        first_num.addprevious(parse_xml(f'<w:abstractNum {_W_NS} w:abstractNumId="7">{build_list}</w:abstractNum>'))
        numbering.append(parse_xml(f'<w:num {_W_NS} w:numId="7"><w:abstractNumId w:val="7"/></w:num>'))
        for text, level in paragraphs:
            p = document.add_paragraph(text)
            if level is not None:
                p._p.get_or_add_pPr().append(parse_xml(
                    f'<w:numPr {_W_NS}><w:ilvl w:val="{level}"/><w:numId w:val="7"/></w:numPr>'))
    return _docx(build)


def test_list_numbers_word_draws_are_part_of_the_text():
    levels = ('<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
              '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>'
              '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>')
    data = _numbered(levels, [("总体情况", 0), ("主动公开情况", 1), ("依申请公开", 1), ("细项", 2),
                              ("正文。", None), ("主动公开政府信息情况", 0), ("平台建设", 1)])
    assert texts(docx.read("numbered.docx", data)) == [
        "一、总体情况", "（一）主动公开情况", "（二）依申请公开", "1.细项", "正文。", "二、主动公开政府信息情况", "（一）平台建设"]


def test_bullets_and_unnumbered_levels_add_no_text():
    levels = ('<w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="\uf06c"/></w:lvl>'
              '<w:lvl w:ilvl="1"><w:numFmt w:val="none"/><w:lvlText w:val=""/></w:lvl>')
    data = _numbered(levels, [("要点一", 0), ("要点二", 1)])
    assert texts(docx.read("bullets.docx", data)) == ["要点一", "要点二"]


def test_a_numbered_sub_heading_is_not_mistaken_for_a_part():
    """Without its drawn number "（一）", "主动公开情况" would be a full wording of part 二."""
    from checker.pipeline import parse_bytes

    levels = ('<w:lvl w:ilvl="0"><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
              '<w:lvl w:ilvl="1"><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>')
    data = _numbered(levels, [("总体情况", 0), ("主动公开情况", 1), ("全年公开信息。", None),
                              ("收到和处理政府信息公开申请情况", 0)])
    report = parse_bytes("numbered.docx", data)
    assert [(p.id, p.ordinal) for p in report.parts if p.found] == [(1, "一"), (3, "二")]


# --------------------------------------------------------------------------- blank tables


def _blank(truth):
    return replace(truth, name=truth.name + "+empty", a={k: None for k in truth.a},
                   b={k: (None,) * len(v) for k, v in (truth.b or {}).items()},
                   c={k: (None,) * len(v) for k, v in (truth.c or {}).items()})


@pytest.mark.parametrize("shape", ["national", "c_two_rows", "c_three_tables", "c_transposed"])
@pytest.mark.parametrize("writer", ["docx:plain", "html:word"])
def test_a_table_left_empty_is_present_with_every_cell_blank(shape, writer):
    import layouts as L

    from checker.pipeline import parse_bytes

    truth = _blank(next(t for t in L.load_truths() if t.c is not None))
    report = parse_bytes(*L.render(truth, L.LAYOUTS[shape], L.WRITERS[writer]))
    assert L.mismatches(report, truth) == []
    for key in ("active_disclosure", "applications", "reviews_and_litigation"):
        table = report.tables[key]
        assert table is not None and not table.unreadable
        assert {cell.kind for cell in table.cells.values()} == {"blank"}


def test_an_empty_table_is_blank_but_a_missing_one_stays_missing():
    import layouts as L

    from checker.engine import check_report, get_profile, load_pack
    from checker.pipeline import parse_bytes

    truth = _blank(next(t for t in L.load_truths() if t.c is not None))
    empty = parse_bytes(*L.render(truth, L.LAYOUTS["national"], L.WRITERS["docx:plain"]))
    results = {r.rule: r.status for r in check_report(empty, load_pack(), get_profile()).results}
    assert (results["TC-001"], results["TC-002"], results["TC-003"]) == ("pass", "not_assessable", "fail")
    missing = parse_bytes(*L.render(replace(truth, c=None), L.LAYOUTS["national"], L.WRITERS["docx:plain"]))
    assert missing.tables["reviews_and_litigation"] is None
