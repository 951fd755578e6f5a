"""The Word reader on .docx files built from the corpus gold with the national format's merged
cells, on body-order and run-level details, and on files that are not Word documents."""
from __future__ import annotations

import io
import zipfile

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
