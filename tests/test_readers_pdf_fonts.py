"""The PDF reader reads the same text whatever fonts the machine has installed. A PDF may name a
CJK font it does not embed (iText's STSong-Light, common in government PDFs; readers_support's
make_pdf writes its text so); on a machine without any CJK font PDFium had no outline for those
characters, their boxes were empty, and PDFium's text page dropped every text object of one
character. The reader hands PDFium a font of plain boxes for that case
(checker/readers/fonts/cjk-box.ttf, written by tools/make_fallback_font.py)."""
from __future__ import annotations

import importlib.util
import io
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


# --------------------------------------------------------------------------- installed fonts
#
# What is read must not depend on the fonts of the machine. Each case runs in a process of its
# own whose PDFium looks for system fonts in one folder only (the library is started again with
# that folder as its font path): a folder holding a CJK font that lacks U+3400, as WenQuanYi
# Micro Hei does, and an empty one. The child reads the PDF first with PDFium's own font lookup,
# to show what the folder does to it (the installed font draws 政 but drops 㐀; with no font
# every CJK character drawn alone is dropped), then with the reader's: every character, both ways.

_IN_FONT_FOLDER = r"""
import ctypes, json, sys
from pypdfium2 import raw
from pypdfium2._library_scope import destroy_lib
from pypdfium2.internal import bases

destroy_lib()
folder = ctypes.cast(ctypes.c_char_p(sys.argv[1].encode()), ctypes.POINTER(ctypes.c_char))
paths = (ctypes.POINTER(ctypes.c_char) * 2)(folder, None)
raw.FPDF_InitLibraryWithConfig(raw.FPDF_LIBRARY_CONFIG(version=2, m_pUserFontPaths=paths,
                                                       m_pIsolate=None, m_v8EmbedderSlot=0))
bases.LIBRARY_AVAILABLE = True

from checker.readers import pdf_engine
data = sys.stdin.buffer.read()
pdf_engine._fallback_tried = True  # PDFium's own lookup first, as if the reader had none
own = "".join(g.text for g in pdf_engine.read_pages(data)[0].glyphs)
pdf_engine._fallback_tried = False
read = "".join(g.text for g in pdf_engine.read_pages(data)[0].glyphs)
print(json.dumps({"own": own, "read": read}))
"""
_WENQUANYI = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")


def _cjk_font_without(missing: str) -> bytes:
    """A TrueType font that declares GB2312 and draws the characters of CHARACTERS but
    ``missing``, under the name of a Chinese font PDFium looks for on Linux."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    pen = TTGlyphPen(None)
    pen.moveTo((50, -100))
    for x, y in ((50, 850), (950, 850), (950, -100)):
        pen.lineTo((x, y))
    pen.closePath()
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder([".notdef", "box"])
    builder.setupCharacterMap({ord(ch): "box" for ch in CHARACTERS if ch != missing})
    builder.setupGlyf({".notdef": TTGlyphPen(None).glyph(), "box": pen.glyph()})
    builder.setupHorizontalMetrics({".notdef": (500, 0), "box": (1000, 0)})
    builder.setupHorizontalHeader(ascent=880, descent=-120)
    builder.setupNameTable({"familyName": "WenQuanYi Micro Hei", "styleName": "Regular"},
                           windows=True, mac=True)
    builder.setupOS2(ulCodePageRange1=(1 << 0) | (1 << 18), ulUnicodeRange2=(1 << 16) | (1 << 27),
                     usWeightClass=400)
    builder.setupPost()
    out = io.BytesIO()
    builder.font.save(out)
    return out.getvalue()


def _font_cases() -> list[str]:
    return ["a CJK font lacking U+3400", "no font at all"] + \
        (["WenQuanYi Micro Hei"] if _WENQUANYI.is_file() else [])


@pytest.mark.parametrize("fonts", _font_cases())
def test_what_is_read_does_not_depend_on_the_fonts_installed(tmp_path, fonts):
    folder = tmp_path / "fonts"
    folder.mkdir()
    if fonts == "a CJK font lacking U+3400":
        pytest.importorskip("fontTools")
        (folder / "wqy-test.ttf").write_bytes(_cjk_font_without("㐀"))
    elif fonts == "WenQuanYi Micro Hei":
        (folder / _WENQUANYI.name).symlink_to(_WENQUANYI)
    done = subprocess.run([sys.executable, "-c", _IN_FONT_FOLDER, str(folder)],
                          input=_one_object_per_character(), capture_output=True, cwd=ROOT,
                          timeout=120, check=True)
    seen = json.loads(done.stdout)
    if fonts == "no font at all":
        assert "政" not in seen["own"]  # PDFium alone has no outline for it
    else:
        assert "政" in seen["own"] and "㐀" not in seen["own"]  # the installed font is PDFium's
    assert seen["read"] == CHARACTERS
