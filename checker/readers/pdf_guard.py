"""A look at a PDF's raw bytes before PDFium reads it: streams that decode to more than the
limit, and drawings (form XObjects) that draw each other so many times that the page would hold
more objects than the limit. Either would cost PDFium gigabytes: a 3 MB file with a content
stream of 1 GB, a 4 KB file of forms each drawing the next one ten times.

Nothing here is a PDF parser: streams are found by their keywords, their dictionaries read with
a few patterns, their data inflated piece by piece and counted, never held. Images and font
programs are not inflated. A file built to slip past these patterns, or a font that inflates
past the limit, is still held to the memory and time limits of the process PDFium runs in
(checker.readers.bounded); this look gives the common case a clear reason, early."""
from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, field
from typing import Iterator, Optional

from ..limits import Limits, variable

_OBJECT = re.compile(rb"(?<![0-9])(\d{1,10})\s+(\d{1,5})\s+obj\b")
_FILTER = re.compile(rb"/Filter\s*(\[[^\]]*\]|/[A-Za-z0-9]+)")
_NAME = re.compile(rb"/([A-Za-z0-9]+)")
_LENGTH = re.compile(rb"/Length\s+(\d{1,12})(?!\s+\d+\s+R)")
_FORM = re.compile(rb"/Subtype\s*/Form\b")
# streams PDFium does not decode to read text (images), or decodes only as large as they are
# (font programs, their decoded length given by /Length1..3): inflating them to count would cost
# more than the rest of the look; the memory limit of the reading process holds them
_NOT_COUNTED = re.compile(rb"/Subtype\s*/(?:Image|Type1C|CIDFontType0C|OpenType)\b|/Length[123]\b")
_RESOURCES_REF = re.compile(rb"/Resources\s+(\d+)\s+\d+\s+R")
_XOBJECT_DICT = re.compile(rb"/XObject\s*<<(.*?)>>", re.S)
_XOBJECT_REF = re.compile(rb"/XObject\s+(\d+)\s+\d+\s+R")
_ENTRY = re.compile(rb"/([^\s/\[\]()<>{}%]+)\s+(\d+)\s+\d+\s+R")
_DO = re.compile(rb"/([^\s/\[\]()<>{}%]+)\s*Do\b")
_FLATE = (b"FlateDecode", b"Fl")
# a dictionary this far before its stream keyword is not the stream's
_DICTIONARY_REACH = 1 << 16
# deflate expands at most 1032 times: a smaller stream cannot exceed the limit
_DEFLATE_MAX_RATIO = 1032
_PIECE = 1 << 20
# with the stream limit off, the content of a form is read this far
_KEPT_AT_MOST = 32 << 20
# forms drawn within forms deeper than this are not followed (PDFium stops sooner)
_FORM_LEVELS = 64


class PdfTooLarge(Exception):
    """The PDF is over a limit; the message says which and how to change it."""


@dataclass
class _Form:
    names: dict[bytes, int] = field(default_factory=dict)  # XObject name -> object number
    draws: dict[bytes, int] = field(default_factory=dict)  # XObject name -> times drawn


def check(data: bytes, limits: Limits) -> None:
    """Raise PdfTooLarge for a stream or a drawing over the limits."""
    stream_limit = limits.bytes_of("pdf_stream_mb")
    objects = limits.pdf_page_objects
    if not stream_limit and not objects:
        return
    starts = None
    forms: dict[int, _Form] = {}
    for number, dictionary, body in _streams(data):
        is_form = objects and _FORM.search(dictionary) is not None
        if not is_form and _NOT_COUNTED.search(dictionary):
            continue
        filters = _filters(dictionary)
        content = _decoded(body, filters, stream_limit, keep=is_form)
        if content is None:
            raise PdfTooLarge(f"a stream of the PDF (object {number}) decodes to more than "
                              f"{limits.pdf_stream_mb} MB (the limit is set by {variable('pdf_stream_mb')})")
        if is_form and number is not None:
            if starts is None:
                starts = _object_starts(data)
            forms[number] = _form(data, starts, dictionary, content)
    if forms:
        _check_forms(forms, objects)


def _streams(data: bytes) -> Iterator[tuple[Optional[int], bytes, memoryview]]:
    """(object number, dictionary, raw data) of each stream."""
    view = memoryview(data)
    at = data.find(b"stream")
    while at >= 0:
        keyword, at = at, data.find(b"stream", at + 6)
        start = _data_start(data, keyword)
        if start is None:
            continue
        head = data.rfind(b"obj", max(0, keyword - _DICTIONARY_REACH), keyword)
        if head < 0:
            continue
        opened = _OBJECT.search(data, max(0, head - 32), head + 3)
        number = int(opened.group(1)) if opened else None
        dictionary = data[head + 3:keyword]
        length = _LENGTH.search(dictionary)
        end = start + int(length.group(1)) if length else -1
        if not (start <= end <= len(data)) or data.find(b"endstream", end, end + 16) < 0:
            end = data.find(b"endstream", start)  # a wrong or indirect /Length
            if end < 0:
                end = len(data)
        yield number, dictionary, view[start:end]


def _data_start(data: bytes, keyword: int) -> Optional[int]:
    """Where the data of a stream begins, when ``stream`` at ``keyword`` is the keyword (not
    part of ``endstream`` or of a name) followed by its end of line."""
    if keyword and data[keyword - 1:keyword].isalpha():
        return None
    after = keyword + 6
    if data.startswith(b"\r\n", after):
        return after + 2
    if data[after:after + 1] in (b"\n", b"\r"):
        return after + 1
    return None


def _filters(dictionary: bytes) -> list[bytes]:
    found = _FILTER.search(dictionary)
    return _NAME.findall(found.group(1)) if found else []


def _decoded(body: memoryview, filters: list[bytes], limit: Optional[int], keep: bool) -> Optional[bytes]:
    """The decoded stream when ``keep`` (else b""), or None when a stage of its decoding passes
    ``limit``. Only deflate is followed; what lies behind another filter is left to the
    memory limit of the reading process."""
    stages = 0
    for name in filters:
        if name not in _FLATE:
            break
        stages += 1
    if stages == 0:
        return bytes(body) if keep else b""
    if not keep and (not limit or len(body) * _DEFLATE_MAX_RATIO ** stages <= limit):
        return b""  # nothing to count, or it cannot reach the limit
    inflaters = [zlib.decompressobj() for _ in range(stages)]
    sizes = [0] * stages
    kept: list[bytes] = []
    try:
        for at in range(0, len(body), _PIECE):
            if not _through(inflaters, 0, bytes(body[at:at + _PIECE]), sizes, limit or _KEPT_AT_MOST,
                            kept if keep else None):
                if limit:
                    return None
                break  # no stream limit: a form is looked at no further than this
    except zlib.error:
        pass  # damaged data: PDFium decodes what it can, no more than was counted
    return b"".join(kept) if keep else b""


def _through(inflaters: list, stage: int, piece: bytes, sizes: list[int], limit: Optional[int],
             kept: Optional[list[bytes]]) -> bool:
    """Feed ``piece`` to decoding stage ``stage`` and on; False once a stage passes ``limit``."""
    inflate = inflaters[stage]
    while piece:
        out = inflate.decompress(piece, _PIECE)
        piece = inflate.unconsumed_tail
        sizes[stage] += len(out)
        if limit and sizes[stage] > limit:
            return False
        if stage + 1 < len(inflaters):
            if out and not _through(inflaters, stage + 1, out, sizes, limit, kept):
                return False
        elif kept is not None:
            kept.append(out)
        if inflate.eof:
            break
    return True


def _object_starts(data: bytes) -> dict[int, int]:
    """Object number -> where its latest definition starts (an update redefines objects)."""
    return {int(m.group(1)): m.end() for m in _OBJECT.finditer(data)}


def _object_text(data: bytes, starts: dict[int, int], number: int) -> bytes:
    start = starts.get(number)
    if start is None:
        return b""
    end = data.find(b"endobj", start, start + _DICTIONARY_REACH)
    return data[start:end if end >= 0 else start + _DICTIONARY_REACH]


def _form(data: bytes, starts: dict[int, int], dictionary: bytes, content: bytes) -> _Form:
    resources = dictionary
    reference = _RESOURCES_REF.search(dictionary)
    if reference:
        resources = _object_text(data, starts, int(reference.group(1)))
    entries = _XOBJECT_DICT.search(resources)
    text = entries.group(1) if entries else b""
    reference = _XOBJECT_REF.search(resources)
    if not entries and reference:
        text = _object_text(data, starts, int(reference.group(1)))
    form = _Form(names={name: int(number) for name, number in _ENTRY.findall(text)})
    for match in _DO.finditer(content):
        name = match.group(1)
        form.draws[name] = form.draws.get(name, 0) + 1
    return form


def _check_forms(forms: dict[int, _Form], limit: int) -> None:
    """Refuse when drawing some form would place more objects than ``limit``: each form counts
    one, plus what the forms it draws place, as many times as it draws them."""
    placed: dict[int, int] = {}

    def count(number: int, path: frozenset[int]) -> int:
        if number in placed:
            return placed[number]
        total = 1
        form = forms[number]
        for name, times in form.draws.items():
            target = form.names.get(name)
            # PDFium draws no form within itself, and no deeper than some levels
            if target in forms and target not in path and len(path) < _FORM_LEVELS:
                total += times * count(target, path | {target})
            else:
                total += times
            total = min(total, limit + 1)
        placed[number] = total
        return total

    for number in forms:
        if count(number, frozenset({number})) > limit:
            raise PdfTooLarge(f"a drawing of the PDF (form XObject {number}) places more than {limit:,} "
                              f"objects on its page (forms drawing each other; the limit is set by "
                              f"{variable('pdf_page_objects')})")
