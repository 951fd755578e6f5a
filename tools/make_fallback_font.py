"""Writes checker/readers/fonts/cjk-box.ttf, the font PDFium falls back to for a PDF's CJK font
that is neither embedded in the file nor installed on the machine (checker/readers/pdf_engine.py).

    .venv/bin/pip install fonttools        # this script only; the checker does not need it
    .venv/bin/python tools/make_fallback_font.py [--check]

Why: without any CJK font PDFium has no outline for such a character, so its box is empty, and
PDFium's text page drops every text object whose box has no width: a character drawn on its own
(a justified heading, a label stacked down a column) vanished from the text. The reader's
positions come from the PDF's own widths, not from outlines, so any outline with an extent will
do. This font draws every character as a plain box: a CJK or full-width character's spans most
of the em, as an ideograph does; any other character's is a sixth of an em wide at its origin,
inside the advance of even the narrowest Latin character (i . , are about a quarter of an em).
All boxes lie inside the em box of STSong-Light and most CJK fonts (descender -120, ascender
880), so PDFium's box for a character (its "loose" box, the outline's box joined to the one the
PDF's widths and ascent give) stays the one the PDF's widths give, at every size: a real font's
outlines reach past it by up to a point. Whitespace and format characters draw nothing, as in a
real font; .notdef is a narrow box. One cmap subtable of format 13 (many code points to one
glyph) covers all of Unicode in a few dozen ranges: the file is under 2 KB.

The output is the same byte for byte on every run (fixed timestamps): ``--check`` fails when the
committed file differs from what this script writes."""
from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib.tables._c_m_a_p import cmap_format_12_or_13

OUT = Path(__file__).resolve().parent.parent / "checker" / "readers" / "fonts" / "cjk-box.ttf"

FAMILY = "xxgk CJK Box"
EM, ASCENT, DESCENT = 1000, 880, -120
FULL, HALF = 1000, 500  # advances, used only where a PDF gives no widths
# the boxes drawn (see above); they keep off the em box's edges by a margin, since PDFium
# grid-fits outlines, which moves an edge lying on the em box out of it by a few units
BOX_BOTTOM, BOX_TOP = -100, 850
FULL_BOX = (40, 960)
NARROW_BOX = (40, 200)

# characters that draw nothing in a real font: C0/C1 controls, spaces, zero-width and format
# characters, the byte order mark
BLANK = [(0x0000, 0x0020), (0x007F, 0x00A0), (0x00AD, 0x00AD), (0x034F, 0x034F),
         (0x061C, 0x061C), (0x115F, 0x1160), (0x1680, 0x1680), (0x180B, 0x180E),
         (0x2000, 0x200F), (0x2028, 0x202F), (0x205F, 0x206F), (0x3000, 0x3000),
         (0x3164, 0x3164), (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF), (0xFFA0, 0xFFA0),
         (0xFFF0, 0xFFF8), (0xE0000, 0xE0FFF)]
# characters a CJK font draws a full em wide: Hangul Jamo, enclosed alphanumerics (①), CJK
# radicals and Kangxi radicals, CJK symbols and punctuation, kana, Bopomofo, Hangul
# compatibility Jamo, enclosed CJK, compatibility, Extension A, unified ideographs, Yi, Hangul
# syllables, compatibility ideographs, vertical and compatibility forms, full-width forms, the
# supplementary ideographic planes
FULL_WIDTH = [(0x1100, 0x11FF), (0x2460, 0x24FF), (0x2E80, 0xA4CF), (0xA960, 0xA97F),
              (0xAC00, 0xD7FF), (0xF900, 0xFAFF), (0xFE10, 0xFE1F), (0xFE30, 0xFE6F),
              (0xFF01, 0xFF60), (0xFFE0, 0xFFE6), (0x1F200, 0x1F2FF), (0x20000, 0x3FFFF)]
LAST = 0x10FFFF
SURROGATES = (0xD800, 0xDFFF)

GLYPHS = [".notdef", "blank", "full", "half"]


def _box(left: int, right: int):
    pen = TTGlyphPen(None)
    pen.moveTo((left, BOX_BOTTOM))
    pen.lineTo((left, BOX_TOP))
    pen.lineTo((right, BOX_TOP))
    pen.lineTo((right, BOX_BOTTOM))
    pen.closePath()
    return pen.glyph()


def ranges() -> list[tuple[int, int, int]]:
    """(first, last, glyph index) runs covering every code point but the surrogates, in order;
    a blank range inside a full-width one (U+3000 among the CJK symbols) wins."""
    glyph = [GLYPHS.index("half")] * (LAST + 1)
    for ranges_of, name in ((FULL_WIDTH, "full"), (BLANK, "blank")):
        for first, last in ranges_of:
            glyph[first:last + 1] = [GLYPHS.index(name)] * (last - first + 1)
    glyph[SURROGATES[0]:SURROGATES[1] + 1] = [None] * (SURROGATES[1] - SURROGATES[0] + 1)
    out: list[tuple[int, int, int]] = []
    first = 0
    for code in range(1, LAST + 2):
        if code > LAST or glyph[code] != glyph[first]:
            if glyph[first] is not None:
                out.append((first, code - 1, glyph[first]))
            first = code
    return out


def build() -> bytes:
    fb = FontBuilder(EM, isTTF=True)
    fb.setupGlyphOrder(GLYPHS)
    # the cmap is written below as format 13; the builder needs some map to start from
    fb.setupCharacterMap({0x4E00: "full"})
    empty = TTGlyphPen(None).glyph()
    fb.setupGlyf({".notdef": _box(*NARROW_BOX), "blank": empty, "full": _box(*FULL_BOX),
                  "half": _box(*NARROW_BOX)})
    fb.setupHorizontalMetrics({".notdef": (HALF, 0), "blank": (HALF, 0), "full": (FULL, 0),
                               "half": (HALF, 0)})
    fb.setupHorizontalHeader(ascent=ASCENT, descent=DESCENT)
    fb.setupNameTable({"familyName": FAMILY, "styleName": "Regular",
                       "uniqueFontIdentifier": f"{FAMILY.replace(' ', '')}-Regular",
                       "fullName": f"{FAMILY} Regular", "psName": FAMILY.replace(" ", "") + "-Regular",
                       "version": "Version 1.0",
                       "copyright": "Generated by tools/make_fallback_font.py (xxgk-checker); "
                                    "it holds no design, only boxes."},
                      windows=True, mac=False)
    fb.setupOS2(sTypoAscender=ASCENT, sTypoDescender=DESCENT, sTypoLineGap=0,
                usWinAscent=ASCENT, usWinDescent=-DESCENT, sxHeight=500, sCapHeight=700,
                achVendID="XXGK", fsType=0, usWeightClass=400,
                # Latin 1, and the code pages a CJK font declares: JIS, GB2312, Korean
                # Wansung, Big5, Korean Johab
                ulCodePageRange1=(1 << 0) | (1 << 17) | (1 << 18) | (1 << 19) | (1 << 20) | (1 << 21),
                ulCodePageRange2=0,
                # Basic Latin, CJK symbols and punctuation, Hangul, beyond the BMP, CJK unified
                # ideographs, CJK compatibility ideographs, small forms, half-width and
                # full-width forms
                ulUnicodeRange1=(1 << 0),
                ulUnicodeRange2=(1 << 16) | (1 << 24) | (1 << 25) | (1 << 27) | (1 << 29),
                ulUnicodeRange3=(1 << 3) | (1 << 4), ulUnicodeRange4=0)
    fb.setupPost(keepGlyphNames=False)
    font = fb.font
    font["head"].created = font["head"].modified = 3_786_912_000  # 2024-01-01 (seconds since 1904), fixed
    font["head"].fontRevision = 1.0

    table = cmap_format_12_or_13(13)
    table.platformID, table.platEncID, table.language = 3, 10, 0
    table.cmap = {}
    table.format = 13
    font["cmap"].tables = [table]
    _ranges = ranges()

    # fontTools' format 13 writer takes a full code point → glyph name map and groups runs of one
    # glyph; a map of 1.1 million entries is slow and large, so the groups are written directly
    def compile_groups(self, ttFont, _ranges=_ranges):
        import struct
        data = b"".join(struct.pack(">LLL", a, b, g) for a, b, g in _ranges)
        header = struct.pack(">HHLLL", self.format, 0, 16 + len(data), self.language, len(_ranges))
        return header + data

    table.compile = compile_groups.__get__(table)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="fail if the committed font differs from the one this writes")
    args = parser.parse_args()
    data = build()
    if args.check:
        if not OUT.exists() or OUT.read_bytes() != data:
            print(f"{OUT} is out of date: run {Path(__file__).name}", file=sys.stderr)
            return 1
        print(f"{OUT.name}: up to date ({len(data)} bytes)")
        return 0
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_bytes(data)
    print(f"wrote {OUT} ({len(data)} bytes, {len(ranges())} cmap ranges)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
