"""Hostile and broken report files: each refused with its reason (``xxgk check`` exits 1 and says
无法检查 with the reason) or read, within the time and memory bounds, leaving nothing behind."""
from __future__ import annotations

import os
from pathlib import Path

from . import inputs
from .harness import Case, case, xxgk

GB = 1 << 30
SEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "seeds"


def _check(path: Path, says: str, **options) -> Case:
    return Case(xxgk("check", path), says=says, **options)


# --------------------------------------------------------------------------- PDF


@case
def pdf_content_stream_of_a_gigabyte(folder: Path) -> Case:
    path = inputs.write(folder / "bomb.pdf", inputs.content_bomb_pdf(GB))
    return _check(path, r"decodes to more than 32 MB .*XXGK_LIMIT_PDF_STREAM_MB")


@case
def pdf_content_stream_of_a_gigabyte_past_the_scan(folder: Path) -> Case:
    # with the look at the raw bytes turned off, the memory limit of the reading process holds
    path = inputs.write(folder / "bomb.pdf", inputs.content_bomb_pdf(GB))
    return _check(path, r"more memory than the limit \(128 MB",
                  env={"XXGK_LIMIT_PDF_STREAM_MB": "0", "XXGK_LIMIT_READ_MEMORY_MB": "128"})


@case
def pdf_font_program_of_a_gigabyte(folder: Path) -> Case:
    # not inflated by the look at the raw bytes: the memory limit of the reading process holds it
    path = inputs.write(folder / "font.pdf", inputs.font_bomb_pdf(GB))
    return _check(path, r"stopped the PDF engine \(signal 6\): it needs more memory than the limit \(768 MB")


@case
def pdf_nested_form_xobjects(folder: Path) -> Case:
    path = inputs.write(folder / "forms.pdf", inputs.nested_forms_pdf())
    return _check(path, r"places more than 200,000 objects .*XXGK_LIMIT_PDF_PAGE_OBJECTS")


@case
def pdf_nested_form_xobjects_past_the_scan(folder: Path) -> Case:
    path = inputs.write(folder / "forms.pdf", inputs.nested_forms_pdf())
    return _check(path, r"more memory than the limit \(128 MB",
                  env={"XXGK_LIMIT_PDF_PAGE_OBJECTS": "0", "XXGK_LIMIT_READ_MEMORY_MB": "128"})


@case
def pdf_of_a_hundred_thousand_pages(folder: Path) -> Case:
    path = inputs.write(folder / "pages.pdf", inputs.many_pages_pdf(100_000))
    return _check(path, r"too many pages \(100,000; the limit is 300, set by XXGK_LIMIT_PDF_PAGES\)")


@case
def pdf_page_of_too_many_objects(folder: Path) -> Case:
    path = inputs.write(folder / "busy.pdf", inputs.busy_page_pdf(250_000))
    return _check(path, r"page 1 holds too many objects \(more than 200,000")


@case
def pdf_empty(folder: Path) -> Case:
    return _check(inputs.write(folder / "empty.pdf", b""), r"无法检查：the file is empty")


@case
def file_over_the_size_limit(folder: Path) -> Case:
    path = folder / "huge.pdf"
    with open(path, "wb") as sparse:  # 201 MB of nothing on disk
        sparse.truncate(201 << 20)
    return _check(path, r"the file is too large \(201 MB; the limit is 200 MB, set by XXGK_LIMIT_FILE_MB\)")


# --------------------------------------------------------------------------- Word


@case
def docx_expanding_to_a_gigabyte(folder: Path) -> Case:
    path = inputs.write(folder / "bomb.docx", inputs.many_parts_bomb(16, 64 << 20))
    return _check(path, r"the archive once expanded is too large \(1024 MB; the limit is 256 MB")


@case
def docx_part_inflating_beyond_what_it_declares(folder: Path) -> Case:
    path = inputs.write(folder / "liar.docx", inputs.lying_part_bomb(GB))
    return _check(path, r"word/document.xml\) expands beyond the size it declares")


@case
def docx_text_after_an_unresolved_entity(folder: Path) -> Case:
    doctype = '<!DOCTYPE w:document [<!ENTITY ext SYSTEM "file:///etc/hostname">]>'
    document = inputs.word_document(["一、总体情况", "前文&ext;后文照读"], doctype)
    path = inputs.write(folder / "entity.docx", inputs.zip_archive(inputs.word_parts(document)))
    return Case(xxgk("parse", path, "--format", "json"), exit_code=0, says="前文后文照读")


# --------------------------------------------------------------------------- web pages


@case
def html_spans_of_billions_of_cells(folder: Path) -> Case:
    rows = "<tr><td rowspan=0 colspan=100000>x</td><td>y</td></tr>" * 3000
    path = inputs.write(folder / "spans.html", f"<html><body><table>{rows}</table></body></html>".encode())
    return _check(path, r"a table is too large .*more than 100,000 cells.*XXGK_LIMIT_TABLE_CELLS")


@case
def html_of_a_hundred_thousand_nested_divs(folder: Path) -> Case:
    n = 100_000
    page = "<html><body>" + "<div>" * n + "<p>一、总体情况</p>" + "</div>" * n + "</body></html>"
    path = inputs.write(folder / "deep.html", page.encode())
    return _check(path, r"nests its elements too deeply to be read \(more than 256 levels")


@case
def html_of_too_many_tags(folder: Path) -> Case:
    page = "<html><body>" + "<b>一</b>" * 400_000 + "</body></html>"
    return _check(inputs.write(folder / "tags.html", page.encode()), r"too many tags .*XXGK_LIMIT_HTML_TAGS")


@case
def mht_of_two_thousand_nested_multiparts(folder: Path) -> Case:
    n = 2000
    parts = [b'MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="b0"\r\n\r\n']
    parts += [b'--b%d\r\nContent-Type: multipart/related; boundary="b%d"\r\n\r\n' % (i - 1, i) for i in range(1, n)]
    parts.append(b"--b%d\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>\xe4\xb8\x80</p>\r\n" % (n - 1))
    parts += [b"--b%d--\r\n" % i for i in range(n - 1, -1, -1)]
    path = inputs.write(folder / "nested.mht", b"".join(parts))
    return _check(path, r"too many multipart sections .*XXGK_LIMIT_MIME_PARTS")


# --------------------------------------------------------------------------- text


@case
def text_of_fifty_megabytes(folder: Path) -> Case:
    seed = (SEEDS / "000_c7c1a845340d13e1.txt").read_bytes()
    path = inputs.write(folder / "big.txt", seed * (50 * (1 << 20) // len(seed) + 1))
    return _check(path, r"a text report is too large \(50 MB; the limit is 4 MB, set by XXGK_LIMIT_TEXT_MB\)")


@case
def text_of_one_twenty_megabyte_line(folder: Path) -> Case:
    path = inputs.write(folder / "line.txt", "政".encode() * (7 << 20))
    return _check(path, r"a text report is too large \(21 MB")


@case
def text_of_a_million_lines(folder: Path) -> Case:
    path = inputs.write(folder / "lines.txt", "一\n".encode() * 1_000_000)
    return _check(path, r"too many lines of text \(1,000,001; the limit is 50,000, set by XXGK_LIMIT_LINES\)")


@case
def text_claiming_a_number_of_five_thousand_digits(folder: Path) -> Case:
    seed = (SEEDS / "000_c7c1a845340d13e1.txt").read_text(encoding="utf-8")
    text = seed.replace("全年共受理政府信息公开申请2件", "全年共受理政府信息公开申请" + "9" * 5000 + "件", 1)
    assert text != seed
    path = inputs.write(folder / "claim.txt", text.encode())
    # no rule crashes on it: so long a run of digits is not a number
    return Case(xxgk("check", path, "--format", "json", "--fail-on", "never"), exit_code=0,
                says=r'"rule": "XP-001"', never=r'"status": "error"')


# --------------------------------------------------------------------------- not files


@case
def link_to_dev_zero(folder: Path) -> Case:
    path = folder / "zero.txt"
    path.symlink_to("/dev/zero")
    return _check(path, r"a character device, not a file")


@case
def named_pipe(folder: Path) -> Case:
    path = folder / "pipe.txt"
    os.mkfifo(path)
    return _check(path, r"a named pipe \(FIFO\), not a file", timeout=30)


@case
def folder_named_like_a_report(folder: Path) -> Case:
    path = folder / "report.pdf"
    path.mkdir()
    return _check(path, r"a folder, not a file")
