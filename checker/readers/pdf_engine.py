"""What the PDF reader needs from a PDF, read with PDFium (pypdfium2): per page its glyphs with
boxes, its straight ruling segments and whether it holds images, all in the page as displayed
(points from the top left, /Rotate applied). The only module that talks to PDFium.

PDFium parses in C; the pure-Python pdfminer this replaced spent ~100 ms on a page of a report.

What PDFium reads does not depend on the fonts installed on the machine: a CJK font that the PDF
does not embed is drawn with a font of plain boxes shipped with the reader, whatever is
installed (see ``_install_fallback_font``)."""
from __future__ import annotations

import ctypes
import math
import os
import threading
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import pypdfium2 as pdfium
from pypdfium2 import raw

from .. import limits as limits_module
from ..limits import Limits, variable

# PDFium keeps global state and is not thread-safe: one document at a time per process.
_LOCK = threading.Lock()


def _fresh_lock() -> None:
    # a process forked while another thread read a PDF would otherwise start with it held
    global _LOCK
    _LOCK = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_fresh_lock)


class PdfOpenError(Exception):
    """The file cannot be opened; ``reason`` says why in the reader's words."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class PageTooLarge(Exception):
    """A page holds more objects or characters than the limit; the message says so."""


# what reading a page raises when the file is at fault: PDFium's own error, a page over a limit.
# Anything else is a defect of the reader.
FILE_FAULTS: tuple[type[Exception], ...] = (pdfium.PdfiumError, PageTooLarge)


@dataclass(slots=True)
class Glyph:
    """One character as displayed: ``x0``/``x1`` span its advance, ``top``/``bottom`` one em
    ending at the descender line (the box pdfminer gave, which the reader's tolerances were
    measured on). ``vertical``: turned a quarter so it reads top to bottom (1) or bottom to
    top (-1); 0 for upright text."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    index: int
    vertical: int = 0


@dataclass(frozen=True)
class Segment:
    """A straight horizontal ("h") or vertical ("v") piece of a drawn path: ``at`` is its
    y (h) or x (v), ``start``/``end`` its extent along the other axis."""

    orientation: str
    at: float
    start: float
    end: float


@dataclass
class PageContent:
    number: int
    width: float
    height: float
    glyphs: list[Glyph]  # upright or quarter-turned, visible, not whitespace
    spaces: list[Glyph]  # whitespace characters the file itself holds (they separate words)
    segments: list[Segment]
    has_images: bool
    unmapped: int  # glyphs whose font gives no Unicode
    pictures: list[tuple[float, float, float, float]] = field(default_factory=list)  # (x0, top, x1, bottom) of large images


def read_pages(data: bytes, limits: Optional[Limits] = None) -> list[PageContent | Exception]:
    """Each page's content, or the exception reading that page raised (one broken page does not
    cost the others). Raises PdfOpenError when the document itself cannot be opened or has more
    pages than the limit."""
    limits = limits or limits_module.current()
    with _LOCK:
        if not _fallback_tried:
            _install_fallback_font()
        try:
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            raise PdfOpenError(_open_reason(exc)) from None
        try:
            count = len(document)
            if limits.pdf_pages and count > limits.pdf_pages:
                raise PdfOpenError(f"the PDF has too many pages ({count:,}; the limit is "
                                   f"{limits.pdf_pages:,}, set by {variable('pdf_pages')})")
            out: list[PageContent | Exception] = []
            for index in range(count):
                try:
                    out.append(_page(document, index, limits.pdf_page_objects))
                except Exception as exc:  # PDFium reports a broken page as an error of its own
                    out.append(exc)
        finally:
            document.close()
    if not out:
        raise PdfOpenError("damaged or truncated PDF: it has no pages")
    return out


def _open_reason(exc: pdfium.PdfiumError) -> str:
    code = getattr(exc, "err_code", None)
    if code == raw.FPDF_ERR_PASSWORD:
        return "encrypted PDF (password required)"
    if code == raw.FPDF_ERR_SECURITY:
        return "encrypted PDF (unsupported encryption)"
    detail = {raw.FPDF_ERR_FORMAT: "not a readable PDF structure (damaged or cut off)",
              raw.FPDF_ERR_FILE: "the file cannot be read"}.get(code, str(exc))
    return f"damaged or truncated PDF: {detail}"


# --------------------------------------------------------------------------- fonts
#
# A PDF may name a CJK font without embedding it (iText's STSong-Light with UniGB-UCS2-H, common
# in government PDFs): PDFium then asks the system for a font of that charset. On a machine with
# no CJK font (a bare server, a container) it finds none and falls back to its built-in Latin
# fonts, which have no outline for a Chinese character: the character's box is empty, and
# PDFium's text page leaves out every text object whose box has no width, so a character drawn
# on its own (a justified heading, a label stacked down a column) was lost. An installed CJK
# font does the same to every character it lacks (WenQuanYi Micro Hei has no U+3400), so what
# was read depended on the machine. The reader's positions come from the PDF's own widths, not
# from outlines; any outline with an extent keeps those objects. So PDFium's system font lookup
# is wrapped: for a CJK charset it always answers fonts/cjk-box.ttf, one box glyph for every
# character (made by tools/make_fallback_font.py), whatever is installed; for other charsets
# it asks the system's lookup, as before.

_FALLBACK_FONT = Path(__file__).with_name("fonts") / "cjk-box.ttf"
_FALLBACK_NAME = b"xxgk CJK Box"
# FX_Charset values of CJK charsets: Shift-JIS, Hangul, Johab, GB2312, Big5
_CJK_CHARSETS = frozenset({128, 129, 130, 134, 136})
_GB2312 = 134


class _Fallback:
    """A FPDF_SYSFONTINFO that answers with the box font for every CJK charset and delegates
    the other requests to PDFium's default one. The instance lives as long as the
    process: PDFium calls into it until the library is destroyed."""

    def __init__(self, font: bytes):
        self.font = ctypes.create_string_buffer(font, len(font))
        self.size = len(font)
        self.handle = ctypes.addressof(self.font)  # the font's handle: no pointer PDFium hands out
        self.default = raw.FPDF_GetDefaultSystemFontInfo()  # NULL where the platform has none
        self.calls = self.default.contents if self.default else None
        fields = dict(raw.FPDF_SYSFONTINFO._fields_)
        # ctypes callbacks must outlive every call PDFium makes to them: held here, for good
        self.callbacks = {name: fields[name](method) for name, method in (
            ("EnumFonts", self._enum_fonts), ("MapFont", self._map_font),
            ("GetFont", self._get_font), ("GetFontData", self._get_font_data),
            ("GetFaceName", self._get_face_name), ("GetFontCharset", self._get_font_charset),
            ("DeleteFont", self._delete_font))}
        # no Release: at exit PDFium must not call into Python (the default lookup is left)
        self.info = raw.FPDF_SYSFONTINFO(version=1, Release=fields["Release"](), **self.callbacks)

    def _default(self, name: str):
        """The default lookup's callback ``name``, or None."""
        call = getattr(self.calls, name, None) if self.calls is not None else None
        return call if call else None

    # A callback must not raise (ctypes would print the error and answer 0): each one answers
    # "nothing" on an error, which PDFium takes as "no such font".

    def _enum_fonts(self, _this, mapper) -> None:
        try:
            if call := self._default("EnumFonts"):
                call(self.default, mapper)
        except Exception:
            pass

    def _map_font(self, _this, weight, italic, charset, pitch_family, face, exact):
        try:
            if charset in _CJK_CHARSETS:
                return self.handle  # whatever is installed: see above
            if call := self._default("MapFont"):
                return call(self.default, weight, italic, charset, pitch_family, face, exact)
        except Exception:
            pass
        return None

    def _get_font(self, _this, face):
        try:
            if call := self._default("GetFont"):
                return call(self.default, face)
        except Exception:
            pass
        return None

    def _get_font_data(self, _this, font, table, buffer, size) -> int:
        try:
            if font == self.handle:
                if table:  # one table ('ttcf' asks whether the file is a collection): no
                    return 0
                if buffer and size >= self.size:
                    ctypes.memmove(buffer, self.font, self.size)
                return self.size
            if call := self._default("GetFontData"):
                return call(self.default, font, table, buffer, size)
        except Exception:
            pass
        return 0

    def _get_face_name(self, _this, font, buffer, size) -> int:
        try:
            if font == self.handle:
                name = _FALLBACK_NAME + b"\0"
                if buffer and size >= len(name):
                    ctypes.memmove(buffer, name, len(name))
                return len(name)
            if call := self._default("GetFaceName"):
                return call(self.default, font, buffer, size)
        except Exception:
            pass
        return 0

    def _get_font_charset(self, _this, font) -> int:
        try:
            if font == self.handle:
                return _GB2312
            if call := self._default("GetFontCharset"):
                return call(self.default, font)
        except Exception:
            pass
        return 0

    def _delete_font(self, _this, font) -> None:
        try:
            if font != self.handle and (call := self._default("DeleteFont")):
                call(self.default, font)
        except Exception:
            pass


_fallback: Optional[_Fallback] = None
_fallback_tried = False


def _install_fallback_font() -> None:
    """Hands PDFium the wrapped system font lookup: once per process, under ``_LOCK``, before
    the first document is read. A process forked after it inherits it with PDFium's state; a
    spawned one installs its own on its first read. Without the font file (a broken install)
    PDFium keeps its own lookup."""
    global _fallback, _fallback_tried
    _fallback_tried = True
    try:
        font = _FALLBACK_FONT.read_bytes()
    except OSError:
        return
    _fallback = _Fallback(font)
    raw.FPDF_SetSystemFontInfo(ctypes.byref(_fallback.info))


# --------------------------------------------------------------------------- one page


class _Frame:
    """From PDF user space to the page as displayed: x right, ``top`` down from the top edge of
    the crop box, /Rotate (clockwise) applied."""

    def __init__(self, page: pdfium.PdfPage):
        self.left, self.bottom, self.right, self.top = page.get_cropbox()
        self.rotation = page.get_rotation() % 360
        wide, high = self.right - self.left, self.top - self.bottom
        self.width, self.height = (high, wide) if self.rotation in (90, 270) else (wide, high)

    def point(self, x: float, y: float) -> tuple[float, float]:
        r = self.rotation
        if r == 0:
            return x - self.left, self.top - y
        if r == 90:
            return y - self.bottom, x - self.left
        if r == 180:
            return self.right - x, y - self.bottom
        return self.top - y, self.right - x

    def direction(self, dx: float, dy: float) -> tuple[float, float]:
        """A direction vector of user space (y up) in the displayed frame (y down)."""
        r = self.rotation
        if r == 0:
            return dx, -dy
        if r == 90:
            return dy, dx
        if r == 180:
            return -dx, dy
        return -dy, -dx


def _check_objects(index: int, count: int, most: int, what: str = "objects") -> None:
    if most and count > most:
        raise PageTooLarge(f"page {index + 1} holds too many {what} (more than {most:,}; the limit is "
                           f"set by {variable('pdf_page_objects')})")


# a glyph's baseline may lean this much (as a slope) and still count as level
_LEVEL = 0.09


def _page(document: pdfium.PdfDocument, index: int, most: int = 0) -> PageContent:
    page = document[index]
    try:
        frame = _Frame(page)
        _check_objects(index, raw.FPDFPage_CountObjects(page.raw), most)
        text_page = page.get_textpage()
        try:
            _check_objects(index, raw.FPDFText_CountChars(text_page.raw), most, "characters")
            glyphs, spaces, unmapped = _glyphs(text_page.raw, frame)
        finally:
            text_page.close()
        segments, pictures, has_images = _drawing(page.raw, frame, most)
    finally:
        page.close()
    return PageContent(index + 1, frame.width, frame.height, glyphs, spaces, segments,
                       has_images, unmapped, pictures)


def _glyphs(handle, frame: _Frame) -> tuple[list[Glyph], list[Glyph], int]:
    is_generated = raw.FPDFText_IsGenerated
    loose_box = raw.FPDFText_GetLooseCharBox
    get_matrix = raw.FPDFText_GetMatrix
    font_size = raw.FPDFText_GetFontSize
    map_error = raw.FPDFText_HasUnicodeMapError
    box = raw.FS_RECTF()
    matrix = raw.FS_MATRIX()
    box_ref, matrix_ref = ctypes.byref(box), ctypes.byref(matrix)
    width, height = frame.width, frame.height
    upright_page = frame.rotation == 0 and frame.left == 0 and frame.bottom == 0

    glyphs: list[Glyph] = []
    spaces: list[Glyph] = []
    unmapped = 0
    for i, char in enumerate(_characters(handle)):
        blank = char.isspace()
        if blank and is_generated(handle, i):
            continue  # PDFium's own guess at a space or a line end
        if not loose_box(handle, i, box_ref) or not get_matrix(handle, i, matrix_ref):
            continue
        a, b, c, d = matrix.a, matrix.b, matrix.c, matrix.d
        dx, dy = (a, -b) if upright_page else frame.direction(a, b)
        if upright_page:
            x0, x1 = box.left, box.right
            bottom, top_edge = height - box.bottom, height - box.top
        else:
            (p, q), (s, t) = frame.point(box.left, box.bottom), frame.point(box.right, box.top)
            x0, x1 = min(p, s), max(p, s)
            top_edge, bottom = min(q, t), max(q, t)
        if abs(dy) <= _LEVEL * abs(dx) and dx > 0:
            vertical = 0
            size = font_size(handle, i) * math.hypot(c, d)
            top = bottom - size if size > 0 else top_edge
        elif abs(dx) <= _LEVEL * abs(dy):
            vertical = 1 if dy > 0 else -1
            top = top_edge
        else:
            continue  # set at a slant: a watermark ("内部资料" across the page)
        middle_x, middle_y = (x0 + x1) / 2, (top + bottom) / 2
        if not (0 <= middle_x <= width and 0 <= middle_y <= height):
            continue  # outside the page: never shown
        glyph = Glyph(char, x0, top, x1, bottom, i, vertical)
        if blank:
            spaces.append(glyph)
            continue
        if map_error(handle, i):
            unmapped += 1
        glyphs.append(glyph)
    return glyphs, spaces, unmapped


def _characters(handle) -> str:
    """The text page's characters, one per character index (one call, not one per glyph)."""
    count = raw.FPDFText_CountChars(handle)
    if count <= 0:
        return ""
    buffer = ctypes.create_string_buffer(2 * (count + 1))
    written = raw.FPDFText_GetText(handle, 0, count, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)))
    try:
        text = buffer.raw[: 2 * max(written - 1, 0)].decode("utf-16-le")
    except UnicodeDecodeError:
        text = ""
    if len(text) != count:  # characters beyond the BMP or lone surrogates: one by one
        text = "".join(_character(raw.FPDFText_GetUnicode(handle, i)) for i in range(count))
    return text.replace("\0", "\ufffd").translate(_FOLD)


# Fonts whose Unicode map names a radical for the character it draws: "⼀、总体情况" is
# "一、总体情况" on the page (Kangxi radicals and CJK compatibility ideographs fold by NFKC; the
# simplified radicals, which NFKC leaves alone, by name).
_FOLD = {code: unicodedata.normalize("NFKC", chr(code))
         for code in (*range(0x2F00, 0x2FD6), *range(0xF900, 0xFB00), 0x2E9F, 0x2EF3)}
_FOLD = {code: folded for code, folded in _FOLD.items() if len(folded) == 1 and folded != chr(code)}
_FOLD.update({0x2EA0: "民", 0x2EC4: "西", 0x2EC5: "见", 0x2EC6: "角", 0x2EC9: "贝", 0x2ECB: "车",
              0x2ED3: "长", 0x2ED4: "门", 0x2ED8: "青", 0x2EDB: "风", 0x2EDC: "飞", 0x2EDD: "食",
              0x2EE2: "马", 0x2EE3: "骨", 0x2EE4: "鬼", 0x2EE8: "麦", 0x2EE9: "黄", 0x2EEC: "齐",
              0x2EEE: "齿", 0x2EF0: "龙"})


def _character(code: int) -> str:
    return chr(code) if 0 < code < 0x110000 and not 0xD800 <= code < 0xE000 else "\ufffd"


# --------------------------------------------------------------------------- drawings

# an image at least this share of the page wide and this tall (points) may be content pasted as
# a picture (a table); smaller ones are logos, seals, bullets
_PICTURE_WIDTH = 0.4
_PICTURE_HEIGHT = 60.0

_IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
# how far a segment may lean (points over its length) and still be a rule
_STRAIGHT = 0.5
# a page drawing more straight segments than this is a drawing (a chart, a map), not a table:
# its segments are not looked at, which keeps a page of vector art from costing seconds
MAX_SEGMENTS = 20000


def _drawing(page_handle, frame: _Frame, most: int = 0
             ) -> tuple[list[Segment], list[tuple[float, float, float, float]], bool]:
    """The page's straight path segments, the boxes of its large images (a table or a page
    pasted as a picture) and whether it places an image at all, form XObjects included (their
    objects are placed by the form's matrix)."""
    segments: list[Segment] = []
    pictures: list[tuple[float, float, float, float]] = []
    images = False
    matrix = raw.FS_MATRIX()
    matrix_ref = ctypes.byref(matrix)
    left, bottom, right, top = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    bounds = (ctypes.byref(left), ctypes.byref(bottom), ctypes.byref(right), ctypes.byref(top))
    page_objects = [raw.FPDFPage_GetObject(page_handle, i)
                    for i in range(raw.FPDFPage_CountObjects(page_handle))]
    pending = [(page_objects, _IDENTITY)]
    seen = 0
    while pending:
        objects, outer = pending.pop()
        seen += len(objects)  # forms drawn in forms: the page's objects all told
        if most and seen > most:
            raise PageTooLarge(f"a page holds too many objects within its drawings (more than {most:,}; "
                               f"the limit is set by {variable('pdf_page_objects')})")
        for obj in objects:
            kind = raw.FPDFPageObj_GetType(obj)
            if kind == raw.FPDF_PAGEOBJ_IMAGE:
                images = True
                if raw.FPDFPageObj_GetBounds(obj, *bounds):
                    (x0, y0), (x1, y1) = (frame.point(*_apply(outer, left.value, bottom.value)),
                                          frame.point(*_apply(outer, right.value, top.value)))
                    box = (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
                    if box[2] - box[0] >= _PICTURE_WIDTH * frame.width and box[3] - box[1] >= _PICTURE_HEIGHT:
                        pictures.append(box)
            elif kind == raw.FPDF_PAGEOBJ_PATH:
                if len(segments) > MAX_SEGMENTS or not _drawn(obj):
                    continue
                # most rules are one line or one thin bar: their box says all, at a fraction
                # of the cost of walking the path
                if _one_stroke(obj) and raw.FPDFPageObj_GetBounds(obj, *bounds):
                    (x0, y0), (x1, y1) = (frame.point(*_apply(outer, left.value, bottom.value)),
                                          frame.point(*_apply(outer, right.value, top.value)))
                    if _thin(x0, y0, x1, y1, segments):
                        continue
                if raw.FPDFPageObj_GetMatrix(obj, matrix_ref):
                    own = _compose((matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f),
                                   outer)
                    _path_segments(obj, own, frame, segments)
            elif kind == raw.FPDF_PAGEOBJ_FORM and raw.FPDFPageObj_GetMatrix(obj, matrix_ref):
                own = _compose((matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f), outer)
                pending.append(([raw.FPDFFormObj_GetObject(obj, i)
                                 for i in range(raw.FPDFFormObj_CountObjects(obj))], own))
    return (segments if len(segments) <= MAX_SEGMENTS else []), pictures, images


def _drawn(obj) -> bool:
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    if not raw.FPDFPath_GetDrawMode(obj, ctypes.byref(fill), ctypes.byref(stroke)):
        return True
    return bool(fill.value or stroke.value)  # a path neither stroked nor filled draws nothing


def _one_stroke(obj) -> bool:
    """Whether the path is one line or one rectangle (not several pieces that its box would
    run together)."""
    count = raw.FPDFPath_CountSegments(obj)
    return count <= 2 or (count <= 5 and raw.FPDFPathSegment_GetType(
        raw.FPDFPath_GetPathSegment(obj, 2)) != raw.FPDF_SEGMENT_MOVETO)


# a path whose box is this thin (points) across is a rule along its length
_THIN = 2.0


def _thin(x0: float, y0: float, x1: float, y1: float, out: list[Segment]) -> bool:
    left, right = min(x0, x1), max(x0, x1)
    top, bottom = min(y0, y1), max(y0, y1)
    if bottom - top <= _THIN and right - left > bottom - top:
        out.append(Segment("h", (top + bottom) / 2, left, right))
        return True
    if right - left <= _THIN and bottom - top > right - left:
        out.append(Segment("v", (left + right) / 2, top, bottom))
        return True
    return False


def _apply(m: tuple, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = m
    return x * a + y * c + e, x * b + y * d + f


def _compose(inner: tuple, outer: tuple) -> tuple:
    """The matrix applying ``inner`` then ``outer`` (PDF row-vector convention)."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D,
            e * A + f * C + E, e * B + f * D + F)


def _path_segments(obj, m: tuple, frame: _Frame, out: list[Segment]) -> None:
    a, b, c, d, e, f = m
    x, y = ctypes.c_float(), ctypes.c_float()
    x_ref, y_ref = ctypes.byref(x), ctypes.byref(y)
    start: Optional[tuple[float, float]] = None
    current: Optional[tuple[float, float]] = None
    for i in range(raw.FPDFPath_CountSegments(obj)):
        segment = raw.FPDFPath_GetPathSegment(obj, i)
        if not raw.FPDFPathSegment_GetPoint(segment, x_ref, y_ref):
            continue
        px, py = x.value, y.value
        point = frame.point(px * a + py * c + e, px * b + py * d + f)
        kind = raw.FPDFPathSegment_GetType(segment)
        if kind == raw.FPDF_SEGMENT_MOVETO:
            start = current = point
            continue
        if kind == raw.FPDF_SEGMENT_LINETO and current is not None:
            _straight(current, point, out)
        current = point  # a Bézier piece is never a rule; it only moves the pen
        if raw.FPDFPathSegment_GetClose(segment) and start is not None:
            _straight(current, start, out)
            current = start


def _straight(p: tuple[float, float], q: tuple[float, float], out: list[Segment]) -> None:
    (x0, y0), (x1, y1) = p, q
    if abs(y1 - y0) <= _STRAIGHT:
        out.append(Segment("h", (y0 + y1) / 2, min(x0, x1), max(x0, x1)))
    elif abs(x1 - x0) <= _STRAIGHT:
        out.append(Segment("v", (x0 + x1) / 2, min(y0, y1), max(y0, y1)))
