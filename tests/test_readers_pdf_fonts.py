"""The PDF reader reads the same text whatever fonts the machine has installed. A PDF may name a
CJK font it does not embed (iText's STSong-Light, common in government PDFs; readers_support's
make_pdf writes its text so); on a machine without any CJK font PDFium had no outline for those
characters, their boxes were empty, and PDFium's text page dropped every text object of one
character. The reader hands PDFium a font of plain boxes for that case
(checker/readers/fonts/cjk-box.ttf, written by tools/make_fallback_font.py)."""
from __future__ import annotations

import importlib.util
import json
import multiprocessing
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
from readers_support import Text, make_pdf, texts

from checker.readers import pdf, pdf_engine

ROOT = Path(__file__).resolve().parent.parent

# one text object per character: an ideograph, a digit, punctuation, a full-width parenthesis,
# an enclosed number, the ideographic zero, a Latin letter, an Extension A ideograph
CHARACTERS = "政5,.（①〇A㐀"
SIZE = 12


def _one_object_per_character() -> bytes:
    return make_pdf([[Text(72 + 30 * i, 100, ch, SIZE) for i, ch in enumerate(CHARACTERS)]])


def _read_characters(data: bytes) -> str:
    return "".join(glyph.text for glyph in pdf_engine.read_pages(data)[0].glyphs)


def test_a_pdf_whose_cjk_font_is_neither_embedded_nor_installed_still_yields_every_character():
    assert _read_characters(_one_object_per_character()) == CHARACTERS
    spread = [Text(72 + 15 * i, 100, ch, 12) for i, ch in enumerate("政府信息")]
    assert texts(pdf.read("spread.pdf", make_pdf([spread]))) == ["政府信息"]


# A machine with no font at all is simulated in a process of its own (PDFium's font lookup is
# set once per process): PDFium's default lookup is taken away, so the reader's box font answers
# for every CJK font, whatever this machine has installed.
_NO_SYSTEM_FONTS = r"""
import ctypes, json, sys
from pypdfium2 import raw
raw.FPDF_GetDefaultSystemFontInfo = lambda: ctypes.POINTER(raw.FPDF_SYSFONTINFO)()
from checker.readers import pdf_engine
page = pdf_engine.read_pages(sys.stdin.buffer.read())[0]
print(json.dumps([[g.text, g.x0, g.top, g.x1, g.bottom] for g in page.glyphs]))
"""


def test_with_no_system_font_at_all_every_box_is_the_one_the_pdfs_widths_give():
    done = subprocess.run([sys.executable, "-c", _NO_SYSTEM_FONTS], input=_one_object_per_character(),
                          capture_output=True, cwd=ROOT, timeout=120, check=True)
    glyphs = json.loads(done.stdout)
    assert "".join(g[0] for g in glyphs) == CHARACTERS
    bottoms = {round(g[4], 3) for g in glyphs}
    assert len(bottoms) == 1  # one descender line, whatever the outline
    for i, (ch, x0, top, x1, bottom) in enumerate(glyphs):
        advance = 500 if ch.isascii() else 1000  # make_pdf's widths: /W [1 95 500] /DW 1000
        assert x0 == pytest.approx(72 + 30 * i, abs=1e-3)
        assert x1 - x0 == pytest.approx(advance * SIZE / 1000, abs=1e-3), ch
        assert bottom - top == pytest.approx(SIZE, abs=1e-3)


@pytest.mark.parametrize("method", ["fork", "forkserver", "spawn"])
def test_worker_processes_read_every_character_too(method):
    if method not in multiprocessing.get_all_start_methods():
        pytest.skip(f"no {method} here")
    _read_characters(_one_object_per_character())  # a forked worker inherits PDFium's state
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context(method)) as pool:
        assert pool.submit(_read_characters, _one_object_per_character()).result(120) == CHARACTERS


def test_the_box_font_ships_with_the_reader_and_is_small():
    font = pdf_engine._FALLBACK_FONT
    assert font.is_file()
    assert font.read_bytes()[:4] == b"\x00\x01\x00\x00"  # a TrueType font
    assert font.stat().st_size < 4096


def test_the_shipped_box_font_is_what_its_generator_writes():
    pytest.importorskip("fontTools")  # the generator's own need, not the checker's
    spec = importlib.util.spec_from_file_location("make_fallback_font",
                                                  ROOT / "tools" / "make_fallback_font.py")
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    assert generator.build() == pdf_engine._FALLBACK_FONT.read_bytes()
