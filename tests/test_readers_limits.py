"""The readers' limits, piece by piece (tests/hostile runs whole hostile files through the command
line): the limits from the environment, the look at a PDF's raw bytes, the child process PDFium
runs in, archive checks, page furniture found in linear time."""
from __future__ import annotations

import os
import random
import signal
import time
import zlib

import pytest
from hypothesis import given, settings, strategies as st

from checker import limits
from checker.errors import ConfigError, ReadError
from checker.limits import Limits
from checker.readers import bounded, pdf, pdf_guard, read_document
from checker.readers.archive import check_archive
from hostile import inputs


@pytest.fixture
def with_limits():
    """with_limits(**changes): use these limits for the rest of the test."""
    def use(**changes) -> Limits:
        chosen = Limits(**changes)
        limits.set_current(chosen)
        return chosen
    yield use
    limits.set_current(None)


# --------------------------------------------------------------------------- the limits

def test_limits_come_from_the_environment_and_zero_turns_one_off():
    chosen = Limits.from_environ({"XXGK_LIMIT_PDF_PAGES": "20", "XXGK_LIMIT_RULE_SECONDS": "0.5",
                                  "XXGK_LIMIT_HTML_TAGS": "0", "PATH": "/bin"})
    assert (chosen.pdf_pages, chosen.rule_seconds, chosen.html_tags) == (20, 0.5, 0)
    assert chosen.file_mb == Limits().file_mb
    assert chosen.bytes_of("file_mb") == 200 << 20 and Limits(text_mb=0).bytes_of("text_mb") is None


@pytest.mark.parametrize("environ, says", [
    ({"XXGK_LIMIT_PDF_PAGES": "many"}, "key XXGK_LIMIT_PDF_PAGES: must be a whole number"),
    ({"XXGK_LIMIT_READ_SECONDS": "-1"}, "must be a number of 0 or more"),
    ({"XXGK_LIMIT_PDF_PAGE": "9"}, "unknown limit XXGK_LIMIT_PDF_PAGE .*XXGK_LIMIT_PDF_PAGES"),
])
def test_a_bad_limit_variable_is_a_config_error_naming_it(environ, says):
    with pytest.raises(ConfigError, match=says):
        Limits.from_environ(environ)


# --------------------------------------------------------------------------- files

def test_a_file_over_the_limit_is_refused_before_it_is_read(tmp_path, with_limits):
    with_limits(file_mb=1)
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * ((1 << 20) + 1))
    with pytest.raises(ReadError, match=r"too large \(1,048,577 bytes; the limit is 1,048,576 bytes, set by XXGK_LIMIT_FILE_MB\)"):
        read_document(path)
    with pytest.raises(ReadError, match="too large"):
        read_document("given.txt", b"x" * ((1 << 20) + 1))  # bytes handed over are held to it too


def test_a_named_pipe_is_refused_without_waiting_for_a_writer(tmp_path):
    path = tmp_path / "pipe.pdf"
    os.mkfifo(path)
    started = time.monotonic()
    with pytest.raises(ReadError, match=r"a named pipe \(FIFO\), not a file"):
        read_document(path)
    assert time.monotonic() - started < 5


# --------------------------------------------------------------------------- PDF: the raw bytes

def test_a_stream_is_refused_as_soon_as_its_decoding_passes_the_limit():
    started = time.process_time()
    with pytest.raises(pdf_guard.PdfTooLarge, match=r"object 4\) decodes to more than 32 MB"):
        pdf_guard.check(inputs.content_bomb_pdf(1 << 30), Limits())
    assert time.process_time() - started < 2  # 32 MB inflated, not a gigabyte


def test_a_stream_deflated_twice_is_followed_through_both():
    inner = zlib.compress(bytes(8 << 20), 9)
    twice = zlib.compress(inner, 9)
    data = inputs.one_page_pdf(twice, b" /Filter [/FlateDecode /FlateDecode]")
    pdf_guard.check(data, Limits(pdf_stream_mb=8))
    with pytest.raises(pdf_guard.PdfTooLarge):
        pdf_guard.check(data, Limits(pdf_stream_mb=7))


def test_images_are_not_decoded_and_forms_drawing_few_objects_pass():
    image = inputs.one_page_pdf(inputs.zeros_flate(64 << 20), b" /Subtype /Image /Filter /FlateDecode")
    pdf_guard.check(image, Limits(pdf_stream_mb=1))
    pdf_guard.check(inputs.nested_forms_pdf(levels=4, fan=10), Limits(pdf_page_objects=10_000))  # 1,111
    with pytest.raises(pdf_guard.PdfTooLarge, match="form XObject 5"):
        pdf_guard.check(inputs.nested_forms_pdf(levels=5, fan=10), Limits(pdf_page_objects=10_000))  # 11,111


def test_forms_drawing_themselves_do_not_loop():
    forms = [inputs.stream(b"/F Do /F Do\n", b" /Subtype /Form /Resources << /XObject << /F 5 0 R >> >>")]
    data = inputs.one_page_pdf(b"/F Do\n", resources=b"<< /XObject << /F 5 0 R >> >>", more=forms)
    pdf_guard.check(data, Limits())


# --------------------------------------------------------------------------- PDF: the child process

def _answer(value):
    return value


def _refuse():
    raise ReadError("ignored", "a reason of the reader")


def _allocate():
    chunks = []
    while True:
        chunks.append(bytearray(16 << 20))


def _spin():
    while True:
        pass


def _kill_itself():
    os.kill(os.getpid(), signal.SIGSEGV)


def test_the_child_answers_with_the_value_or_the_reason():
    assert bounded.run("f.pdf", _answer, {"pages": [1, 2]}, limits=Limits()) == {"pages": [1, 2]}
    with pytest.raises(ReadError, match="^f.pdf: a reason of the reader$"):
        bounded.run("f.pdf", _refuse, limits=Limits())


@pytest.mark.parametrize("work, says", [
    (_allocate, r"needs more memory than the limit \(64 MB, set by XXGK_LIMIT_READ_MEMORY_MB\)"),
    (_spin, r"takes longer than the limit \(1 s of processor time, set by XXGK_LIMIT_READ_SECONDS\)"),
    (_kill_itself, r"stopped the PDF engine \(signal 11\)"),
])
def test_a_child_over_a_limit_or_killed_becomes_a_reason(work, says):
    with pytest.raises(ReadError, match=says):
        bounded.run("f.pdf", work, limits=Limits(read_memory_mb=64, read_seconds=1))


def test_with_both_limits_off_the_work_runs_here():
    assert bounded.run("f.pdf", os.getpid, limits=Limits(read_memory_mb=0, read_seconds=0)) == os.getpid()
    assert bounded.run("f.pdf", os.getpid, limits=Limits()) != os.getpid()


def test_a_pdf_reads_the_same_in_the_child_and_here(with_limits):
    data = inputs.one_page_pdf(b"BT /F1 12 Tf 72 700 Td (Annual report 2024) Tj ET",
                               resources=b"<< /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >>")
    with_limits()
    bounded_document = pdf.read("r.pdf", data)
    with_limits(read_memory_mb=0, read_seconds=0)
    assert pdf.read("r.pdf", data) == bounded_document
    assert [line.text for line in bounded_document.lines] == ["Annual report 2024"]


# --------------------------------------------------------------------------- Word archives

def test_an_archive_over_its_limits_is_refused_before_anything_inflates_it(with_limits):
    with_limits(archive_mb=100)
    with pytest.raises(ReadError, match=r"once expanded is too large \(160 MB; the limit is 100 MB"):
        check_archive("b.docx", inputs.many_parts_bomb(10, 16 << 20))
    with_limits(archive_ratio=50)
    with pytest.raises(ReadError, match=r"word/media/image0.bin\) expands 1,0\d\d times .* a zip bomb"):
        check_archive("b.docx", inputs.many_parts_bomb(1, 16 << 20))
    with_limits(archive_entries=3)
    with pytest.raises(ReadError, match="too many parts"):
        check_archive("b.docx", inputs.many_parts_bomb(2, 1 << 20))


def test_a_part_inflating_past_what_it_declares_is_refused_after_counting_only_that_far():
    started = time.process_time()
    with pytest.raises(ReadError, match=r"\(word/document.xml\) expands beyond the size it declares \(4,096 bytes\)"):
        check_archive("liar.docx", inputs.lying_part_bomb(1 << 30))
    assert time.process_time() - started < 1


def test_an_honest_archive_and_a_non_archive_pass_the_check():
    check_archive("ok.docx", inputs.zip_archive(inputs.word_parts(inputs.word_document(["一、总体情况"]))))
    check_archive("not.docx", b"PK\x03\x04 not really a zip")


# --------------------------------------------------------------------------- page furniture

def _quadratic_furniture(pages):
    """The furniture test as it was: every page's entries looked at for every edge line."""
    edges = [pdf._edge_lines(page) for page in pages]
    places = {}
    for number, found in enumerate(edges):
        for band, key, offset in found.values():
            places.setdefault((band, key), []).append((number, offset))
    needed = max(2, len(pages) / 2)
    kept = []
    for page, found in zip(pages, edges):
        drop = set()
        for i, (band, key, offset) in found.items():
            recurring = {n for n, other in places[(band, key)] if abs(other - offset) <= pdf._RUNNING_DRIFT}
            if len(recurring) >= needed or pdf._is_page_number(page.items[i]):
                drop.add(i)
        kept.append(tuple(item for i, item in enumerate(page.items) if i not in drop))
    return kept


_TEXTS = ["某县人民政府", "政府信息公开工作年度报告", "第 1 页", "— 3 —", "内部资料", "正文"]


def _pages(draws) -> list:
    pages = []
    for number, lines in enumerate(draws, start=1):
        items = tuple(pdf._TextLine(number, top, top + 10, 72, text) for top, text in sorted(lines))
        pages.append(pdf._Page(number, 842.0, items, True, False))
    return pages


_LINE = st.tuples(st.sampled_from([20.0, 22.0, 27.5, 30.0, 400.0, 805.0, 808.0, 815.0]), st.sampled_from(_TEXTS))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(_LINE, max_size=5), min_size=1, max_size=12))
def test_furniture_found_in_one_pass_is_what_the_page_by_page_search_found(draws):
    pages = _pages(draws)
    assert [page.items for page in pdf._without_furniture(pages)] == _quadratic_furniture(pages)


def test_furniture_of_many_pages_takes_linear_time():
    rng = random.Random(7)
    pages = _pages([[(20.0 + rng.random(), "某县人民政府"), (400.0, "正文"), (808.0, f"第 {n} 页")]
                    for n in range(10_000)])
    started = time.process_time()
    cleaned = pdf._without_furniture(pages)
    assert time.process_time() - started < 2  # the page-by-page search took minutes
    assert all([item.text for item in page.items] == ["正文"] for page in cleaned)
